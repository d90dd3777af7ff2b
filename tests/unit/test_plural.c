/* Unit tests for plural.c: the Russian one / few / many rule and the
 * English one / other, as people read them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "dobrobot/text/plural.h"

I18N(T_TEST_ONE, "раз", "time")
I18N(T_TEST_FEW, "раза", "times")
I18N(T_TEST_MANY, "раз_", "times")

static const char *
ru(int64_t n)
{
	return plural_ru(n, "one", "few", "many");
}

static void
russian_rule(void **state)
{
	(void)state;
	static const struct {
		int64_t n;
		const char *form;
	} cases[] = {
	    {0, "many"},
	    {1, "one"},
	    {2, "few"},
	    {4, "few"},
	    {5, "many"},
	    {10, "many"},
	    {11, "many"},
	    {12, "many"},
	    {14, "many"},
	    {15, "many"},
	    {20, "many"},
	    {21, "one"},
	    {22, "few"},
	    {25, "many"},
	    {101, "one"},
	    {111, "many"},
	    {112, "many"},
	    {122, "few"},
	    {1001, "one"},
	    {1011, "many"},
	    {-1, "one"},
	    {-3, "few"},
	    {-11, "many"},
	    {INT64_MAX, "many"},
	    {INT64_MIN, "many"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (strcmp(ru(cases[i].n), cases[i].form) != 0)
			fail_msg("%lld: got %s, want %s", (long long)cases[i].n,
			    ru(cases[i].n), cases[i].form);
	}
}

static void
pick_by_language(void **state)
{
	(void)state;
	const char *w;
	w = plural_pick("ru", 21, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "раз");
	w = plural_pick("ru", 23, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "раза");
	w = plural_pick("ru", 13, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "раз_");
	/* Anything but "en" is Russian, as i18n_pick reads it. */
	w = plural_pick(NULL, 2, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "раза");
	w = plural_pick("en", 1, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "time");
	/* English: 21 is plural, unlike the Russian 21 раз. */
	w = plural_pick("en", 21, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "times");
	w = plural_pick("en", 0, &T_TEST_ONE, &T_TEST_FEW, &T_TEST_MANY);
	assert_string_equal(w, "times");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(russian_rule),
	    cmocka_unit_test(pick_by_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
