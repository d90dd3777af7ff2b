/* Unit tests for utf8.c: decoding edge cases, sanitising what users paste,
 * case folding for matching, trimming. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(S("")));
	assert_true(utf8_valid(S("hello")));
	assert_true(utf8_valid(S("Привет, мир! ₽ 😀")));
	assert_true(utf8_valid(S("a\0b"))); /* U+0000 is a code point */
	assert_true(utf8_valid(S("\xEF\xBF\xBD"))); /* U+FFFD itself */
	assert_true(utf8_valid(S("\xF4\x8F\xBF\xBF"))); /* U+10FFFF */
	assert_true(utf8_valid(S("\xED\x9F\xBF"))); /* U+D7FF */
	assert_false(utf8_valid(S("\x80"))); /* lone continuation */
	assert_false(utf8_valid(S("\xC0\xAF"))); /* overlong '/' */
	assert_false(utf8_valid(S("\xC1\xBF")));
	assert_false(utf8_valid(S("\xE0\x80\xAF"))); /* overlong */
	assert_false(utf8_valid(S("\xF0\x80\x80\xAF"))); /* overlong */
	assert_false(utf8_valid(S("\xED\xA0\x80"))); /* surrogate */
	assert_false(utf8_valid(S("\xF4\x90\x80\x80"))); /* > U+10FFFF */
	assert_false(utf8_valid(S("\xF5\x80\x80\x80")));
	assert_false(utf8_valid(S("\xFF")));
	assert_false(utf8_valid(S("\xD0"))); /* truncated */
	assert_false(utf8_valid(S("\xE2\x82"))); /* truncated */
	assert_false(utf8_valid(S("abc\xD0")));
	/* The length bounds reading: a valid string cut short is invalid. */
	assert_false(utf8_valid("Привет", 3));
	assert_true(utf8_valid("Привет", 4));
}

static void
test_utf8_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_decode(S("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode(S("Ж"), &cp), 2);
	assert_int_equal(cp, 0x0416);
	assert_int_equal(utf8_decode(S("₽"), &cp), 3);
	assert_int_equal(cp, 0x20BD);
	assert_int_equal(utf8_decode(S("😀"), &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* Maximal subpart: a truncated sequence is consumed as one error. */
	assert_int_equal(utf8_decode(S("\xE2\x82"
	                               "A"),
	                     &cp),
	    2);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode(S("\xF0\x9F\x98"), &cp), 3);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode(S("\xC0\xAF"), &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode(S("\xED\xA0\x80"), &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void
test_utf8_encode(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(utf8_encode('a', out), 1);
	assert_memory_equal(out, "a", 1);
	assert_int_equal(utf8_encode(0x0451, out), 2);
	assert_memory_equal(out, "ё", 2);
	assert_int_equal(utf8_encode(0x20BD, out), 3);
	assert_memory_equal(out, "₽", 3);
	assert_int_equal(utf8_encode(0x1F600, out), 4);
	assert_memory_equal(out, "😀", 4);
	assert_int_equal(utf8_encode(0xD800, out), 3);
	assert_memory_equal(out, "\xEF\xBF\xBD", 3);
	assert_int_equal(utf8_encode(0x110000, out), 3);
	assert_memory_equal(out, "\xEF\xBF\xBD", 3);
}

static void
test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(S("")), 0);
	assert_int_equal(utf8_length(S("abc")), 3);
	assert_int_equal(utf8_length(S("Ёлка")), 4);
	assert_int_equal(utf8_length(S("😀😀")), 2);
	assert_int_equal(utf8_length(S("a\xFF"
	                               "b")),
	    3);
	assert_int_equal(utf8_length(S("\xE2\x82"
	                               "b")),
	    2);
}

static void
check_sanitize(const char *in, size_t len, const char *want)
{
	char *got = utf8_sanitize(in, len);

	assert_string_equal(got, want);
	assert_true(utf8_valid(got, strlen(got)));
	free(got);
}

static void
test_utf8_sanitize(void **state)
{
	(void)state;
	check_sanitize(S(""), "");
	check_sanitize(S("Привет"), "Привет");
	check_sanitize(S("a\r\nb\r\n"), "a\nb\n");
	check_sanitize(S("a\rb"), "a\nb");
	check_sanitize(S("a\r\r\nb"), "a\n\nb");
	check_sanitize(S("tab\there\n"), "tab\there\n");
	check_sanitize(S("bell\a esc\x1B[31m nul\0!"), "bell esc[31m nul!");
	check_sanitize(S("del\x7F"), "del");
	check_sanitize(S("c1\xC2\x85\xC2\x9F."), "c1."); /* U+0085, U+009F */
	check_sanitize(S("nbsp\xC2\xA0ok"), "nbsp\xC2\xA0ok"); /* not C1 */
	check_sanitize(S("bad\xFF"
	                 "byte"),
	    "bad\xEF\xBF\xBD"
	    "byte");
	check_sanitize(S("cut\xD0"), "cut\xEF\xBF\xBD");
	check_sanitize(S("\xE2\x82"
	                 "x"),
	    "\xEF\xBF\xBD"
	    "x");
	check_sanitize(S("\xFF\xFF\xFF"),
	    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	check_sanitize(S("emoji 👍🏽 ok"), "emoji 👍🏽 ok");
}

static void
test_utf8_prefix_bytes(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix_bytes(S("abc"), 0), 0);
	assert_int_equal(utf8_prefix_bytes(S("abc"), 2), 2);
	assert_int_equal(utf8_prefix_bytes(S("abc"), 10), 3);
	assert_int_equal(utf8_prefix_bytes(S("Привет"), 2), 4);
	assert_int_equal(utf8_prefix_bytes(S("a😀b"), 2), 5);
	assert_int_equal(utf8_prefix_bytes(S("₽₽"), 1), 3);
	/* A truncated sequence at the end is one code point, kept whole. */
	assert_int_equal(utf8_prefix_bytes(S("a\xE2\x82"), 2), 3);
	assert_int_equal(utf8_prefix_bytes("Привет", 3, 5), 3);
}

static void
check_casefold(const char *in, const char *want)
{
	char *got = utf8_casefold(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_utf8_casefold(void **state)
{
	(void)state;
	check_casefold("", "");
	check_casefold("Hello WORLD 123", "hello world 123");
	check_casefold("ТЁПЛЫЕ Одеяла", "теплые одеяла");
	check_casefold("ёжик Ёлка", "ежик елка");
	check_casefold("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
	    "абвгдежзийклмнопрстуфхцчшщъыьэюя");
	check_casefold("ЇЖАК Ђ", "їжак ђ");
	check_casefold("Straße ÄÖ 😀", "straße ÄÖ 😀"); /* unchanged */
	check_casefold("x\xFFy", "x\xEF\xBF\xBDy");
	assert_int_equal(utf8_fold(0x0401), 0x0435);
	assert_int_equal(utf8_fold(0x0451), 0x0435);
	assert_int_equal(utf8_fold('Z'), 'z');
	assert_int_equal(utf8_fold(0x042F), 0x044F);
}

static void
check_trim(const char *in, const char *want)
{
	char *got = utf8_trim(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_utf8_trim(void **state)
{
	(void)state;
	check_trim("", "");
	check_trim("   ", "");
	check_trim("abc", "abc");
	check_trim("  a b  ", "a b");
	check_trim("\t\n одеяла \r\n", "одеяла");
	check_trim("\xC2\xA0\xE2\x80\x89"
	           "крупа\xE2\x80\xAF",
	    "крупа");
	check_trim("\xE3\x80\x80x\xEF\xBB\xBF", "x"); /* U+3000, BOM */
	check_trim("a\xC2\xA0"
	           "b",
	    "a\xC2\xA0"
	    "b"); /* inner kept */
	assert_true(utf8_is_space(0x2009));
	assert_true(utf8_is_space(0x202F));
	assert_true(utf8_is_space(0x00A0));
	assert_false(utf8_is_space(0x200B)); /* zero width space: a format
						character, not white space */
	assert_false(utf8_is_space('x'));
}

static void
check_strip(const char *in, size_t len, const char *want, size_t want_len)
{
	char *s = malloc(len + 1);

	assert_non_null(s);

	memcpy(s, in, len);
	s[len] = '\0';
	size_t n = utf8_strip_invisible(s, len);
	assert_int_equal(n, want_len);
	assert_memory_equal(s, want, want_len);
	free(s);
}

#define S2(a, b) a, sizeof a - 1, b, sizeof b - 1

/* The deception from issue 17: a right-to-left override turns
 * "— 50 000 ₽" around; every mark and isolate goes, the rest stays. */
static void
test_utf8_strip_invisible(void **state)
{
	(void)state;
	check_strip(S2("", ""));
	check_strip(S2("Анна", "Анна"));
	check_strip(S2("\xE2\x80\xAE\xE2\x82\xBD 000 05 \xE2\x80\x94",
	    "\xE2\x82\xBD 000 05 \xE2\x80\x94"));
	/* U+200B..U+200F, U+202A..U+202E, U+2060, U+2066..U+2069, NUL. */
	check_strip(S2("a\xE2\x80\x8B"
	               "b\xE2\x80\x8C\xE2\x80\x8D\xE2\x80\x8E"
	               "\xE2\x80\x8F"
	               "c",
	    "abc"));
	check_strip(S2("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD"
	               "d",
	    "d"));
	check_strip(S2("e\xE2\x81\xA0\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8"
	               "\xE2\x81\xA9"
	               "f",
	    "ef"));
	check_strip(S2("g\0h\0", "gh"));
	/* Neighbours stay: U+200A (hair space), U+2010 (hyphen), U+2029,
	 * U+202F, U+2061, U+2065; invalid bytes are kept as they are. */
	check_strip(S2("\xE2\x80\x8A\xE2\x80\x90\xE2\x80\xA9\xE2\x80\xAF"
	               "\xE2\x81\xA1\xE2\x81\xA5",
	    "\xE2\x80\x8A\xE2\x80\x90\xE2\x80\xA9"
	    "\xE2\x80\xAF\xE2\x81\xA1\xE2\x81\xA5"));
	check_strip(S2("\xFF\xE2\x80\xAE\xE2\x80", "\xFF\xE2\x80"));
	assert_true(utf8_is_invisible(0x202E));
	assert_false(utf8_is_invisible(0x20BD));
	/* utf8_sanitize, and so every wizard answer, drops them too. */
	check_sanitize(S("\xE2\x80\xAE"
	                 "5 \xE2\x81\xA6x\xE2\x81\xA9"),
	    "5 x");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_utf8_decode),
	    cmocka_unit_test(test_utf8_encode),
	    cmocka_unit_test(test_utf8_length),
	    cmocka_unit_test(test_utf8_sanitize),
	    cmocka_unit_test(test_utf8_prefix_bytes),
	    cmocka_unit_test(test_utf8_casefold),
	    cmocka_unit_test(test_utf8_trim),
	    cmocka_unit_test(test_utf8_strip_invisible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
