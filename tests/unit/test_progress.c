/* Unit tests for progress.c: the bar under an announcement and its
 * percentage, exact at the edges of int64_t. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/progress.h"

static void
check_bar(int64_t done, int64_t total, int width, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(progress_bar(&b, done, total, width), 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void
test_progress_percent(void **state)
{
	(void)state;
	assert_int_equal(progress_percent(0, 100), 0);
	assert_int_equal(progress_percent(40, 100), 40);
	assert_int_equal(progress_percent(1, 3), 33);
	assert_int_equal(progress_percent(2, 3), 66); /* floor, not round */
	assert_int_equal(progress_percent(999, 1000), 99);
	assert_int_equal(progress_percent(1000, 1000), 100);
	assert_int_equal(progress_percent(1200, 1000), 120);
	assert_int_equal(progress_percent(1, 1000), 0);
	assert_int_equal(progress_percent(-5, 100), 0);
	assert_int_equal(progress_percent(5, 0), 0);
	assert_int_equal(progress_percent(5, -10), 0);
	/* Exact where done * 100 would overflow int64_t. */
	assert_int_equal(progress_percent(INT64_MAX - 1, INT64_MAX), 99);
	assert_int_equal(progress_percent(INT64_MAX, INT64_MAX), 100);
	assert_int_equal(progress_percent(INT64_MAX / 2, INT64_MAX), 49);
	assert_int_equal(progress_percent(INT64_MAX / 100 * 37, INT64_MAX), 36);
	assert_int_equal(progress_percent(INT64_MAX, INT64_MAX / 3), 300);
	assert_int_equal(progress_percent(INT64_MAX, 1), INT_MAX);
	assert_int_equal(progress_percent(INT64_MAX, 1000), INT_MAX);
}

static void
test_progress_bar(void **state)
{
	(void)state;
	check_bar(40, 100, 10, "▰▰▰▰▱▱▱▱▱▱ 40%");
	check_bar(0, 100, 10, "▱▱▱▱▱▱▱▱▱▱ 0%");
	check_bar(100, 100, 10, "▰▰▰▰▰▰▰▰▰▰ 100%");
	check_bar(120, 100, 10, "▰▰▰▰▰▰▰▰▰▰ 120%");
	check_bar(99, 100, 10, "▰▰▰▰▰▰▰▰▰▱ 99%");
	check_bar(1, 3, 3, "▰▱▱ 33%"); /* exact: 1/3 of 3 cells is one */
	check_bar(2, 3, 3, "▰▰▱ 66%");
	check_bar(150050, 1000000, 5, "▱▱▱▱▱ 15%");
	check_bar(-7, 100, 4, "▱▱▱▱ 0%");
	check_bar(50, 100, 0, "50%");
	check_bar(50, 100, -3, "50%");
	check_bar(INT64_MAX / 2, INT64_MAX, 4, "▰▱▱▱ 49%");
	check_bar(INT64_MAX, INT64_MAX, 2, "▰▰ 100%");
}

static void
test_progress_bar_no_goal(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_puts(&b, "x"), 0);
	assert_int_equal(progress_bar(&b, 10, 0, 10), 0);
	assert_int_equal(progress_bar(&b, 10, -1, 10), 0);
	assert_string_equal(buf_str(&b), "x");
	buf_release(&b);
}

static void
test_progress_bar_width_capped(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(progress_bar(&b, 1, 2, 1000), 0);
	/* 100 cells of three bytes, a space and "50%". */
	assert_int_equal(b.len, PROGRESS_MAX_WIDTH * 3 + 4);
	buf_release(&b);
}

static void
test_progress_bar_cap_leaves_buffer_unchanged(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 20);
	assert_int_equal(buf_puts(&b, "Собрано "), 0);
	assert_int_equal(progress_bar(&b, 4, 10, 10), -1);
	assert_string_equal(buf_str(&b), "Собрано ");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_progress_percent),
	    cmocka_unit_test(test_progress_bar),
	    cmocka_unit_test(test_progress_bar_no_goal),
	    cmocka_unit_test(test_progress_bar_width_capped),
	    cmocka_unit_test(test_progress_bar_cap_leaves_buffer_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
