/* Unit tests for buf.c: uncapped buffers grow, capped ones fail and stay
 * failed until emptied. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"

static void
cap_fails_and_sticks(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abcdef"), 0);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "ghi"), -1); /* 9 > 8 */
	assert_true(buf_failed(&b));
	/* A piece that would fit fails too: nothing after a lost piece. */
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_string_equal(buf_str(&b), "abcdef");
	buf_reset(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_string_equal(buf_str(&b), "12345678");
	buf_release(&b);
}

static void
uncapped_grows_past_the_old_default(void **state)
{
	(void)state;
	/* BUF_INIT had a 64 MiB cap that nobody checked; it has none now. */
	size_t chunk = (size_t)1 << 20;
	char *mb = malloc(chunk);
	assert_non_null(mb);
	memset(mb, 'z', chunk);
	struct buf b = BUF_INIT;
	for (int i = 0; i < 65; i++)
		assert_int_equal(buf_append(&b, mb, chunk), 0);
	assert_int_equal(b.len, 65 * chunk);
	assert_false(buf_failed(&b));
	buf_release(&b);
	free(mb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cap_fails_and_sticks),
	    cmocka_unit_test(uncapped_grows_past_the_old_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
