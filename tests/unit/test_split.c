/* Unit tests for split.c: where long messages are cut, how tags survive the
 * cut, what is refused, and the invariants on generated messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/split.h"

/* Splits and compares with the expected parts (a NULL-terminated list). */
static void
check_split(const char *html, size_t max, const char *const *want)
{
	char **parts = NULL;
	size_t n = 99, want_n = 0;

	while (want[want_n] != NULL)
		want_n++;
	assert_int_equal(split_html(html, max, &parts, &n), 0);
	if (n != want_n) {
		for (size_t i = 0; i < n; i++)
			print_error("part %zu: \"%s\"\n", i, parts[i]);
	}
	assert_int_equal(n, want_n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(parts[i], want[i]);
		assert_true(split_visible_length(parts[i]) <= max);
	}
	split_free(parts, n);
}

#define PARTS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void
test_split_visible_length(void **state)
{
	(void)state;
	assert_int_equal(split_visible_length(""), 0);
	assert_int_equal(split_visible_length("hello"), 5);
	assert_int_equal(split_visible_length("Привет 😀"), 8);
	assert_int_equal(split_visible_length("<b>a&amp;b</b>"), 3);
	assert_int_equal(split_visible_length("&lt;&gt;&quot;&#33;&#x41;"), 5);
	assert_int_equal(split_visible_length("&amp"), 1); /* ";" optional */
	assert_int_equal(split_visible_length("&ampx"), 5); /* not an entity */
	assert_int_equal(split_visible_length("&nbsp;"), 6); /* unsupported */
	assert_int_equal(split_visible_length("&#0;"), 4);
	assert_int_equal(split_visible_length("&#x1F600;"), 1);
	assert_int_equal(split_visible_length("&#X41;"), 6); /* only "x" */
	assert_int_equal(split_visible_length("&#1234567890;"), 13);
	assert_int_equal(split_visible_length("a & b > c"), 9);
	assert_int_equal(
	    split_visible_length("<a href=\"https://x.ru/?a=1&amp;b=>\">t</a>"),
	    1);
	assert_int_equal(split_visible_length("<pre><code class=\"language-c\">"
	                                      "x</code></pre>"),
	    1);
	assert_int_equal(split_visible_length("<blockquote expandable>q"
	                                      "</blockquote>"),
	    1);
	assert_int_equal(split_visible_length("a < b"), 5); /* best effort */
}

static void
test_split_fits(void **state)
{
	(void)state;
	check_split("hello", 5, PARTS("hello"));
	check_split("", 10, PARTS(""));
	check_split("  <b>x</b>  \n", 100, PARTS("  <b>x</b>  \n"));
	check_split("&amp;&amp;", 2, PARTS("&amp;&amp;"));
	check_split("<b>Привет</b>", 6, PARTS("<b>Привет</b>"));
}

static void
test_split_prefers_paragraphs_lines_spaces(void **state)
{
	(void)state;
	check_split("aaaa bbbb\n\ncccc dddd", 15,
	    PARTS("aaaa bbbb", "cccc dddd"));
	check_split("aaaa bbbb\n \n\ncccc dddd", 15,
	    PARTS("aaaa bbbb", "cccc dddd"));
	/* The line break would leave the part less than half full. */
	check_split("aaaa\nbbbb cccc dddd", 12,
	    PARTS("aaaa\nbbbb", "cccc dddd"));
	check_split("aaaaaaa\nbbbb cccc dddd", 12,
	    PARTS("aaaaaaa", "bbbb cccc", "dddd"));
	check_split("aaaa bbbb\ncccc dddd eeee", 15,
	    PARTS("aaaa bbbb", "cccc dddd eeee"));
	check_split("aaaa bbbb cccc dddd", 12, PARTS("aaaa bbbb", "cccc dddd"));
	/* A paragraph break at the limit itself is used. */
	check_split("aaaa\n\nbbbb", 4, PARTS("aaaa", "bbbb"));
	check_split("aaaa bbbb", 4, PARTS("aaaa", "bbbb"));
}

static void
test_split_half_full_rule(void **state)
{
	(void)state;
	/* The line break would leave a 2-character part: the space is
	 * better. */
	check_split("aa\nbbbbbbbbbbbb cccccccc", 20,
	    PARTS("aa\nbbbbbbbbbbbb", "cccccccc"));
	/* With no later cut at all, the early line break still beats
	 * cutting a word. */
	check_split("aa\nbbbbbbbbbbbbbbbbbbbbbbbb", 20,
	    PARTS("aa", "bbbbbbbbbbbbbbbbbbbb", "bbbb"));
}

static void
test_split_hard_cuts(void **state)
{
	(void)state;
	check_split("abcdefghij", 4, PARTS("abcd", "efgh", "ij"));
	check_split("ПриветМир", 4, PARTS("Прив", "етМи", "р"));
	check_split("😀😀😀", 2, PARTS("😀😀", "😀"));
	check_split("&amp;&amp;&amp;", 2, PARTS("&amp;&amp;", "&amp;"));
	check_split("&lt&gt&#33;x", 2, PARTS("&lt&gt", "&#33;x"));
	check_split("abc", 1, PARTS("a", "b", "c"));
	/* A literal "&" is written as an entity once cut, so that what is
	 * left of "&ltp;" does not become "<". */
	check_split("&ltp;&ltp;", 3, PARTS("&amp;lt", "p;&amp;", "ltp", ";"));
	check_split("a & b & c", 5, PARTS("a &amp; b", "&amp; c"));
}

static void
test_split_tags_carried_over(void **state)
{
	(void)state;
	check_split("<b>aaaa bbbb cccc</b>", 10,
	    PARTS("<b>aaaa bbbb</b>", "<b>cccc</b>"));
	check_split("<a href=\"https://x.ru/?a=1&amp;b=2\">aaaa bbbb</a>", 5,
	    PARTS("<a href=\"https://x.ru/?a=1&amp;b=2\">aaaa</a>",
	        "<a href=\"https://x.ru/?a=1&amp;b=2\">bbbb</a>"));
	check_split("<b>bold <i>italic words</i> end</b>", 12,
	    PARTS("<b>bold <i>italic</i></b>", "<b><i>words</i> end</b>"));
	check_split("<b>abcdef</b>", 3, PARTS("<b>abc</b>", "<b>def</b>"));
	check_split("<B>abc def</B>", 3, PARTS("<B>abc</b>", "<B>def</B>"));
	check_split(
	    "<pre><code class=\"language-c\">int a;\nint b;</code></pre>", 7,
	    PARTS("<pre><code class=\"language-c\">int a;</code></pre>",
	        "<pre><code class=\"language-c\">int b;</code></pre>"));
	check_split("<blockquote expandable>one two</blockquote>", 4,
	    PARTS("<blockquote expandable>one</blockquote>",
	        "<blockquote expandable>two</blockquote>"));
}

static void
test_split_tags_at_the_cut(void **state)
{
	(void)state;
	/* A closing tag right after the text stays in the part ... */
	check_split("<b>aaaa</b> bbbb", 5, PARTS("<b>aaaa</b>", "bbbb"));
	/* ... an opening one before the next text moves to the next part. */
	check_split("aaaa <b>bbbb</b>", 5, PARTS("aaaa", "<b>bbbb</b>"));
	check_split("<i>aaaa</i><b> bbbb</b>", 5,
	    PARTS("<i>aaaa</i>", "<b>bbbb</b>"));
	check_split("<b>aaaa </b>bbbb", 5, PARTS("<b>aaaa</b>", "bbbb"));
	check_split("aaaa<b>bbbb</b>", 4, PARTS("aaaa", "<b>bbbb</b>"));
	check_split("<b>aaaa</b>bbbb", 4, PARTS("<b>aaaa</b>", "bbbb"));
	/* A tag that only wraps the dropped white space disappears. */
	check_split("aaaa<u> </u>bbbb", 4, PARTS("aaaa", "bbbb"));
}

static void
test_split_white_space(void **state)
{
	char **parts = NULL;
	size_t n = 99;

	(void)state;
	check_split("     abcdef", 3, PARTS("abc", "def"));
	check_split("abc   \n\n   def   ", 4, PARTS("abc", "def"));
	/* Nothing but white space, too long: no parts at all. */
	assert_int_equal(split_html("          ", 3, &parts, &n), 0);
	assert_int_equal(n, 0);
	split_free(parts, n);
}

static void
test_split_refuses_malformed(void **state)
{
	static const char *const bad[] = {"a < b", "<b>x", "x</b>",
	    "<b><i>x</b></i>", "<b x=\"y>z</b>", "<>x", "<b", "</b",
	    "<b href=a/b>x</b>", "<b/>", "<=x>y</=x>", "<b =x>y</b>",
	    "<b x=\"1\"", "<b></i>"};
	char **parts = (char **)1;
	size_t n = 99;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (split_html(bad[i], 100, &parts, &n) != -1)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(split_html(bad[i], 100, &parts, &n), -1);
		assert_null(parts);
		assert_int_equal(n, 0);
	}
	assert_int_equal(split_html("abc", 0, &parts, &n), -1);
	/* Well-formed oddities Telegram takes. */
	assert_int_equal(split_html("<b>x</>", 100, &parts, &n), 0);
	split_free(parts, n);
	assert_int_equal(split_html("<tg-spoiler>x</tg-spoiler>", 100, &parts,
	                     &n),
	    0);
	split_free(parts, n);
	assert_int_equal(split_html("<a href='x'>y</a >", 100, &parts, &n), 0);
	split_free(parts, n);
	split_free(NULL, 0);
}

/* A long announcement as handlers build it: escaped user text in bold
 * titles and paragraphs, split at Telegram's limit. */
static void
test_split_long_message(void **state)
{
	struct buf b = BUF_INIT;
	char **parts = NULL;
	size_t n = 0, total = 0;

	(void)state;
	for (int p = 0; p < 40; p++) {
		buf_printf(&b, "<b>Сбор №%d &amp; «помощь»</b>\n", p);
		for (int s = 0; s < 12; s++)
			html_escape(&b,
			    "Нужны тёплые вещи <для> детей & "
			    "взрослых. ");
		buf_puts(&b, "\n\n");
	}
	assert_int_equal(split_html(buf_str(&b), SPLIT_MESSAGE_MAX, &parts, &n),
	    0);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++) {
		char **again = NULL;
		size_t m = 0;
		size_t len = split_visible_length(parts[i]);

		assert_true(len <= SPLIT_MESSAGE_MAX);
		assert_true(len > SPLIT_MESSAGE_MAX / 2 || i == n - 1);
		total += len;
		/* Each part is well-formed on its own and cut at a
		 * paragraph: it starts with a title. */
		assert_int_equal(split_html(parts[i], SIZE_MAX, &again, &m), 0);
		assert_int_equal(m, 1);
		split_free(again, m);
		assert_memory_equal(parts[i], "<b>Сбор №", strlen("<b>Сбор №"));
	}
	/* Only the blank lines at the cuts are gone. */
	/* Only the " \n\n" at the cuts is gone. */
	assert_int_equal(total + 3 * (n - 1),
	    split_visible_length(buf_str(&b)));
	split_free(parts, n);
	buf_release(&b);
}

/* Visible characters of well-formed html, entities decoded, tags dropped
 * (an independent reading for the invariant test). */
static size_t
visible_text(const char *html, uint32_t *out)
{
	size_t n = 0;

	for (const char *p = html; *p != '\0';) {
		if (*p == '<') {
			char quote = 0;

			for (p++; *p != '\0' && (quote || *p != '>'); p++) {
				if (quote && *p == quote)
					quote = 0;
				else if (!quote && (*p == '"' || *p == '\''))
					quote = *p;
			}
			p++;
		} else if (strncmp(p, "&amp;", 5) == 0) {
			out[n++] = '&';
			p += 5;
		} else if (strncmp(p, "&lt;", 4) == 0) {
			out[n++] = '<';
			p += 4;
		} else {
			out[n++] = (unsigned char)*p++;
		}
	}
	return n;
}

static unsigned
next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7FFF;
}

/* Random texts of words, spaces, line breaks, entities and nested tags:
 * every part fits, every part is well-formed, and the visible text comes
 * back whole except for white space at the cuts. */
static void
test_split_invariants_random(void **state)
{
	static const char *const pieces[] = {"a", "bb", "ccc ", " ", "\n",
	    "\n\n", "&amp;", "&lt;", "dddddddddd", "  "};
	static const char *const tags[] = {"b", "i", "u", "a href=\"u>v\""};
	unsigned seed = 42;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct buf b = BUF_INIT;
		const char *open[8];
		size_t depth = 0, max = 1 + next_random(&seed) % 20;
		size_t len = next_random(&seed) % 60;
		char **parts = NULL;
		size_t n = 0, olen, pos = 0;
		uint32_t *orig, *got;

		for (size_t k = 0; k < len; k++) {
			unsigned r = next_random(&seed) % 14;

			if (r < 10) {
				buf_puts(&b, pieces[r]);
			} else if (r < 12 && depth < 8) {
				const char *tag = tags[next_random(&seed) % 4];

				buf_printf(&b, "<%s>", tag);
				open[depth++] = tag;
			} else if (depth > 0) {
				depth--;
				buf_printf(&b, "</%c>", open[depth][0]);
			}
		}
		while (depth > 0)
			buf_printf(&b, "</%c>", open[--depth][0]);

		assert_int_equal(split_html(buf_str(&b), max, &parts, &n), 0);
		orig = calloc(b.len + 1, sizeof(*orig));
		got = calloc(b.len * 4 + 64, sizeof(*got));
		olen = visible_text(buf_str(&b), orig);
		for (size_t i = 0; i < n; i++) {
			char **again = NULL;
			size_t m = 0, glen;

			assert_true(split_visible_length(parts[i]) <= max);
			assert_int_equal(split_html(parts[i], SIZE_MAX, &again,
			                     &m),
			    0);
			split_free(again, m);
			glen = visible_text(parts[i], got);
			/* Parts of a text that did not fit start after
			 * the white space at the cut. */
			while (olen > max && pos < olen &&
			    (orig[pos] == ' ' || orig[pos] == '\n'))
				pos++;
			if (pos + glen > olen ||
			    memcmp(orig + pos, got, glen * sizeof(*got)) != 0) {
				print_error("max %zu input \"%s\"\n", max,
				    buf_str(&b));
				for (size_t j = 0; j < n; j++)
					print_error("part %zu \"%s\"\n", j,
					    parts[j]);
			}
			assert_true(pos + glen <= olen);
			assert_memory_equal(orig + pos, got,
			    glen * sizeof(*got));
			pos += glen;
		}
		while (pos < olen && (orig[pos] == ' ' || orig[pos] == '\n'))
			pos++;
		assert_int_equal(pos, olen);
		free(orig);
		free(got);
		split_free(parts, n);
		buf_release(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_visible_length),
	    cmocka_unit_test(test_split_fits),
	    cmocka_unit_test(test_split_prefers_paragraphs_lines_spaces),
	    cmocka_unit_test(test_split_half_full_rule),
	    cmocka_unit_test(test_split_hard_cuts),
	    cmocka_unit_test(test_split_tags_carried_over),
	    cmocka_unit_test(test_split_tags_at_the_cut),
	    cmocka_unit_test(test_split_white_space),
	    cmocka_unit_test(test_split_refuses_malformed),
	    cmocka_unit_test(test_split_long_message),
	    cmocka_unit_test(test_split_invariants_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
