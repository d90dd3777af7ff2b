/* Unit tests for html.c: escaping for Telegram's HTML parse mode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"

static void
check_escape(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(html_escape(&b, in), 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void
test_html_escape(void **state)
{
	(void)state;
	check_escape("", "");
	check_escape("plain текст", "plain текст");
	check_escape("<b>", "&lt;b&gt;");
	check_escape("Tom & Jerry", "Tom &amp; Jerry");
	check_escape("&amp;", "&amp;amp;");
	check_escape("say \"hi\"", "say &quot;hi&quot;");
	check_escape("it's", "it's");
	check_escape("<<>>&&\"\"", "&lt;&lt;&gt;&gt;&amp;&amp;&quot;&quot;");
	check_escape("a<script>alert(1)</script>",
	    "a&lt;script&gt;alert(1)&lt;/script&gt;");
	check_escape("1 < 2 > 0 & ₽", "1 &lt; 2 &gt; 0 &amp; ₽");
}

static void
test_html_escape_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_puts(&b, "<b>"), 0);
	assert_int_equal(html_escape(&b, "Иван & Co"), 0);
	assert_int_equal(buf_puts(&b, "</b>"), 0);
	assert_string_equal(buf_str(&b), "<b>Иван &amp; Co</b>");
	buf_release(&b);
}

static void
test_html_escape_n(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(html_escape_n(&b, "a<b>c", 3), 0);
	assert_string_equal(buf_str(&b), "a&lt;b");
	buf_reset(&b);
	/* Embedded NUL bytes are copied, not treated as the end. */
	assert_int_equal(html_escape_n(&b, "x\0<", 3), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "x\0&lt;", 6);
	buf_reset(&b);
	assert_int_equal(html_escape_n(&b, "", 0), 0);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void
test_html_escape_cap_leaves_buffer_unchanged(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 11);
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_int_equal(html_escape(&b, "<<<"), -1); /* 2 + 12 bytes */
	assert_string_equal(buf_str(&b), "ab");
	/* The failure sticks (buf.h): what would fit fails too, so nothing
	 * is appended after a piece that was lost... */
	assert_int_equal(html_escape(&b, "<&"), -1); /* 2 + 9 bytes */
	assert_string_equal(buf_str(&b), "ab");
	/* ...until the buffer is emptied. */
	buf_reset(&b);
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_int_equal(html_escape(&b, "<&"), 0); /* 2 + 9 bytes */
	assert_string_equal(buf_str(&b), "ab&lt;&amp;");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html_escape),
	    cmocka_unit_test(test_html_escape_appends),
	    cmocka_unit_test(test_html_escape_n),
	    cmocka_unit_test(test_html_escape_cap_leaves_buffer_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
