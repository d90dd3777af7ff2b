/* Every message has both translations, taking the same printf arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "dobrobot/text/i18n.h"

/* The sequence of conversion specifications ("%s%d...") of a format. */
static void
specs(const char *fmt, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = fmt; *p && k + 2 < n; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("0123456789.-+ #lhzjt", *p) != NULL)
			out[k++] = *p++;
		out[k++] = *p;
	}
	out[k] = '\0';
}

static void
test_translations_match(void **state)
{
	(void)state;
	for (int m = 0; m < MSG_COUNT; m++) {
		char ru[64], en[64];
		const char *r = i18n_text("ru", (enum i18n_msg)m);
		const char *e = i18n_text("en", (enum i18n_msg)m);
		if (r == NULL || *r == '\0' || e == NULL || *e == '\0')
			fail_msg("%s lacks a translation", i18n_name(m));
		specs(r, ru, sizeof ru);
		specs(e, en, sizeof en);
		if (strcmp(ru, en) != 0)
			fail_msg("%s: ru takes %s, en takes %s", i18n_name(m),
			    ru, en);
	}
}

/* Every I18N() pair in the program, from the linker section. */
extern const struct i18n_pair *const __start_i18n_pairs[] __attribute__((weak));
extern const struct i18n_pair *const __stop_i18n_pairs[] __attribute__((weak));

/* Registered like every feature text: the check below must find it. */
I18N(T_TEST_PROBE, "Проба №%lld", "Probe #%lld")

static void
test_feature_pairs_match(void **state)
{
	(void)state;
	size_t n = 0;
	bool probe = false, library = false;
	for (const struct i18n_pair *const *p = __start_i18n_pairs;
	     p != NULL && p < __stop_i18n_pairs; p++, n++) {
		char ru[64], en[64];
		probe = probe || *p == &T_TEST_PROBE;
		/* One of src/handlers/actions.c's, linked from the library. */
		library = library ||
		    strcmp((*p)->name, "T_NO_SUCH_ACTION") == 0;
		if ((*p)->ru == NULL || *(*p)->ru == '\0' || (*p)->en == NULL ||
		    *(*p)->en == '\0')
			fail_msg("%s lacks a translation", (*p)->name);
		specs((*p)->ru, ru, sizeof ru);
		specs((*p)->en, en, sizeof en);
		if (strcmp(ru, en) != 0)
			fail_msg("%s: ru takes %s, en takes %s", (*p)->name, ru,
			    en);
	}
	print_message("%zu feature texts checked\n", n);
	/* An empty or missing section would pass the loop above vacuously:
	 * the texts must have been found, this file's and the library's (461
	 * when this was written). */
	if (!probe || !library || n < 400)
		fail_msg("the i18n_pairs section holds %zu texts (this file's "
		         "%s, the library's %s): the check did not see them",
		    n, probe ? "found" : "missing",
		    library ? "found" : "missing");
}

/* The deepest nesting of «…» in a text: Russian typography wants „…“
 * inside «…» (issue 18), so a text must never open a second « before
 * closing the first. */
static int
guillemet_depth(const char *s)
{
	int depth = 0, deepest = 0;
	for (const char *p = s; *p; p++) {
		if (strncmp(p, "«", strlen("«")) == 0)
			depth++;
		else if (strncmp(p, "»", strlen("»")) == 0 && depth > 0)
			depth--;
		if (depth > deepest)
			deepest = depth;
	}
	return deepest;
}

static void
test_no_nested_guillemets(void **state)
{
	(void)state;
	assert_int_equal(guillemet_depth("для акции «%s»"), 1);
	assert_int_equal(guillemet_depth("«для акции «Тёплый дом»»"), 2);
	for (int m = 0; m < MSG_COUNT; m++)
		for (int l = 0; l < 2; l++) {
			const char *t = i18n_text(l ? "en" : "ru",
			    (enum i18n_msg)m);
			if (guillemet_depth(t) > 1)
				fail_msg("%s nests «…» inside «…»: %s",
				    i18n_name(m), t);
		}
	size_t n = 0;
	for (const struct i18n_pair *const *p = __start_i18n_pairs;
	     p != NULL && p < __stop_i18n_pairs; p++, n++) {
		if (guillemet_depth((*p)->ru) > 1 ||
		    guillemet_depth((*p)->en) > 1)
			fail_msg("%s nests «…» inside «…»: %s", (*p)->name,
			    (*p)->ru);
	}
	assert_true(n >= 400);
}

static void
test_fallback_is_russian(void **state)
{
	(void)state;
	assert_string_equal(i18n_text("de", MSG_CMD_HELP),
	    i18n_text("ru", MSG_CMD_HELP));
	assert_string_equal(i18n_text(NULL, MSG_CMD_HELP),
	    i18n_text("ru", MSG_CMD_HELP));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_translations_match),
	    cmocka_unit_test(test_feature_pairs_match),
	    cmocka_unit_test(test_no_nested_guillemets),
	    cmocka_unit_test(test_fallback_is_russian),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
