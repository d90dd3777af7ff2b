/* Unit tests for xalloc.c's xgrow: the one growth rule of the arrays. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "dobrobot/core/xalloc.h"

static void
grows_by_doubling_and_keeps_elements(void **state)
{
	(void)state;
	int64_t *v = NULL;
	size_t n = 0, cap = 0;
	v = xgrow(v, n, &cap, 4, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 4);
	for (int64_t i = 0; i < 1000; i++) {
		v = xgrow(v, n, &cap, 4, sizeof *v);
		assert_true(n < cap);
		v[n++] = i * 7;
	}
	assert_int_equal(cap, 1024);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int64_t)i * 7);
	/* Room left: nothing moves. */
	int64_t *same = xgrow(v, 1000, &cap, 4, sizeof *v);
	assert_ptr_equal(same, v);
	assert_int_equal(cap, 1024);
	free(v);
}

static void
first_of_zero_still_makes_room(void **state)
{
	(void)state;
	char *v = NULL;
	size_t cap = 0;
	v = xgrow(v, 0, &cap, 0, 1);
	assert_true(cap >= 1);
	v[0] = 'x';
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(grows_by_doubling_and_keeps_elements),
	    cmocka_unit_test(first_of_zero_still_makes_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
