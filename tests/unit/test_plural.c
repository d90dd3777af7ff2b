/* Unit tests for plural.c: the Russian rule at its edges (11-14, 111,
 * 21, 0, negatives, INT64_MIN) and the English one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dobrobot/plural.h"

static void
test_plural_ru(void **state)
{
	static const struct {
		int64_t n;
		enum plural_form want;
	} cases[] = {{0, PLURAL_MANY}, {1, PLURAL_ONE}, {2, PLURAL_FEW},
	    {4, PLURAL_FEW}, {5, PLURAL_MANY}, {10, PLURAL_MANY},
	    {11, PLURAL_MANY}, {12, PLURAL_MANY}, {14, PLURAL_MANY},
	    {15, PLURAL_MANY}, {20, PLURAL_MANY}, {21, PLURAL_ONE},
	    {22, PLURAL_FEW}, {25, PLURAL_MANY}, {101, PLURAL_ONE},
	    {111, PLURAL_MANY}, {112, PLURAL_MANY}, {122, PLURAL_FEW},
	    {1001, PLURAL_ONE}, {-1, PLURAL_ONE}, {-3, PLURAL_FEW},
	    {-11, PLURAL_MANY}, {INT64_MAX, PLURAL_MANY},
	    {INT64_MIN, PLURAL_MANY}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (plural_ru(cases[i].n) != cases[i].want)
			print_error("n = %lld\n", (long long)cases[i].n);
		assert_int_equal(plural_ru(cases[i].n), cases[i].want);
		assert_int_equal(plural_form("ru", cases[i].n), cases[i].want);
		assert_int_equal(plural_form(NULL, cases[i].n), cases[i].want);
	}
}

static void
test_plural_en_and_pick(void **state)
{
	(void)state;
	assert_int_equal(plural_form("en", 1), PLURAL_ONE);
	assert_int_equal(plural_form("en-GB", 2), PLURAL_MANY);
	assert_int_equal(plural_form("en", 21), PLURAL_MANY);
	assert_int_equal(plural_form("en", 0), PLURAL_MANY);
	assert_string_equal(plural_pick("ru", 1, "раз", "раза", "раз"), "раз");
	assert_string_equal(plural_pick("ru", 3, "раз", "раза", "раз"), "раза");
	assert_string_equal(
	    plural_pick("ru", 12, "одеяло", "одеяла", "одеял"), "одеял");
	assert_string_equal(
	    plural_pick("en", 3, "time", "times", "times"), "times");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plural_ru),
		cmocka_unit_test(test_plural_en_and_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
