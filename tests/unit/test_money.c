/* Unit tests for money.c: what users type, what they are told, what they
 * see. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/money.h"

#define MAX_DEFAULT ((int64_t)100000000 * 100) /* 100 million rubles */

struct parse_case {
	const char *input;
	int64_t kopecks; /* expected when err == MONEY_OK */
	enum money_error err;
};

static const struct parse_case money_cases[] = {
    /* Accepted forms. */
    {"500", 50000, MONEY_OK},
    {"1500.50", 150050, MONEY_OK},
    {"1500,50", 150050, MONEY_OK},
    {"1500,5", 150050, MONEY_OK},
    {"1500.5", 150050, MONEY_OK},
    {"0,01", 1, MONEY_OK},
    {"0.5", 50, MONEY_OK},
    {"1 500", 150000, MONEY_OK},
    {"1 500,50", 150050, MONEY_OK},
    {"1 500 000", 150000000, MONEY_OK},
    {"12 345 678,90", 1234567890, MONEY_OK},
    {"1\xC2\xA0"
     "500",
        150000, MONEY_OK}, /* U+00A0 */
    {"1\xE2\x80\xAF"
     "500",
        150000, MONEY_OK}, /* U+202F */
    {"1\xE2\x80\x89"
     "500",
        150000, MONEY_OK}, /* U+2009 */
    {"1\xC2\xA0"
     "500\xC2\xA0"
     "000,5",
        150000050, MONEY_OK},
    {"  500  ", 50000, MONEY_OK},
    {"\t500\n", 50000, MONEY_OK},
    {"\xC2\xA0"
     "500\xE2\x80\xAF",
        50000, MONEY_OK},
    {"+500", 50000, MONEY_OK},
    {"007", 700, MONEY_OK},
    {"500 руб", 50000, MONEY_OK},
    {"500руб", 50000, MONEY_OK},
    {"500 руб.", 50000, MONEY_OK},
    {"500 рублей", 50000, MONEY_OK},
    {"2 рубля", 200, MONEY_OK},
    {"1 рубль", 100, MONEY_OK},
    {"500 р", 50000, MONEY_OK},
    {"500р.", 50000, MONEY_OK},
    {"500 ₽", 50000, MONEY_OK},
    {"500₽", 50000, MONEY_OK},
    {"1 500,50 ₽", 150050, MONEY_OK},
    {"1\xC2\xA0"
     "500\xC2\xA0₽",
        150000, MONEY_OK},
    {"500 rub", 50000, MONEY_OK},
    {"500 RUB", 50000, MONEY_OK},
    {"500RUB", 50000, MONEY_OK},
    {"500 РУБ", 50000, MONEY_OK},
    {"500 Рублей", 50000, MONEY_OK},
    {"500 Р.", 50000, MONEY_OK},
    {"500 рублей.", 50000, MONEY_OK},
    {"100000000", 10000000000, MONEY_OK}, /* exactly the max */

    /* Issue 18, verbatim. */
    {"50 тыс", 5000000, MONEY_OK},
    {"50 тыс.", 5000000, MONEY_OK},
    {"50к", 5000000, MONEY_OK},
    {"50 т.р.", 5000000, MONEY_OK},
    {"100 тысяч", 10000000, MONEY_OK},
    {"1,5 млн", 150000000, MONEY_OK},
    {"1,5 тыс", 150000, MONEY_OK},
    {"50.000", 5000000, MONEY_OK},
    {"две тысячи", 200000, MONEY_OK},
    {"пятьсот рублей", 50000, MONEY_OK},
    /* And around them. */
    {"5к", 500000, MONEY_OK},
    {"5 к", 500000, MONEY_OK},
    {"5k", 500000, MONEY_OK},
    {"50 К", 5000000, MONEY_OK},
    {"50тыс", 5000000, MONEY_OK},
    {"50 ТЫС. РУБ.", 5000000, MONEY_OK},
    {"50 тыс.руб", 5000000, MONEY_OK},
    {"50 тыс ₽", 5000000, MONEY_OK},
    {"50т.р.", 5000000, MONEY_OK},
    {"50 тр", 5000000, MONEY_OK},
    {"2 тысячи", 200000, MONEY_OK},
    {"1 тысяча", 100000, MONEY_OK},
    {"1 тысячу рублей", 100000, MONEY_OK},
    {"1.5 тыс", 150000, MONEY_OK},
    {"1,25 тыс", 125000, MONEY_OK},
    {"1,2345 тыс", 123450, MONEY_OK},
    {"1,55555 тыс", 155555, MONEY_OK},
    {"2 млн", 200000000, MONEY_OK},
    {"1 миллион", 100000000, MONEY_OK},
    {"1.500.000", 150000000, MONEY_OK},
    {"1.500,50", 150050, MONEY_OK},
    {"10.555", 1055500, MONEY_OK},
    {"50.000 ₽", 5000000, MONEY_OK},
    {"пятьсот", 50000, MONEY_OK},
    {"Пятьсот Рублей", 50000, MONEY_OK},
    {"две тысячи рублей", 200000, MONEY_OK},
    {"тысяча", 100000, MONEY_OK},
    {"полторы тысячи", 150000, MONEY_OK},
    {"пять тысяч пятьсот", 550000, MONEY_OK},
    {"сто двадцать пять", 12500, MONEY_OK},
    {"три миллиона двести тысяч", 320000000, MONEY_OK},

    /* Empty. */
    {"", 0, MONEY_EMPTY},
    {"   ", 0, MONEY_EMPTY},
    {"\xC2\xA0\t", 0, MONEY_EMPTY},

    /* Not a number. */
    {"abc", 0, MONEY_NOT_A_NUMBER},
    {"руб", 0, MONEY_NOT_A_NUMBER},
    {"₽", 0, MONEY_NOT_A_NUMBER},
    {"1.2.3", 0, MONEY_NOT_A_NUMBER},
    {"10$", 0, MONEY_NOT_A_NUMBER},
    {"$10", 0, MONEY_NOT_A_NUMBER},
    {"10 евро", 0, MONEY_NOT_A_NUMBER},
    {"1e3", 0, MONEY_NOT_A_NUMBER},
    {"0x10", 0, MONEY_NOT_A_NUMBER},
    {"10.", 0, MONEY_NOT_A_NUMBER},
    {",50", 0, MONEY_NOT_A_NUMBER},
    {"12 34", 0, MONEY_NOT_A_NUMBER}, /* group of two */
    {"1 5000", 0, MONEY_NOT_A_NUMBER}, /* group of four */
    {"1500 000", 0, MONEY_NOT_A_NUMBER},
    {"1  500", 0, MONEY_NOT_A_NUMBER}, /* two spaces */
    {"500 руб руб", 0, MONEY_NOT_A_NUMBER},
    {"-", 0, MONEY_NOT_A_NUMBER},
    {"1 500, 50", 0, MONEY_NOT_A_NUMBER},
    {"50 кг", 0, MONEY_NOT_A_NUMBER},
    {"5 тысячами", 0, MONEY_NOT_A_NUMBER},
    {"50 тыс тыс", 0, MONEY_NOT_A_NUMBER},
    {"1.500.000 тыс", 0, MONEY_NOT_A_NUMBER},
    {"1.500.5", 0, MONEY_NOT_A_NUMBER},
    {"пять сто", 0, MONEY_NOT_A_NUMBER},
    {"тысяча миллионов", 0, MONEY_NOT_A_NUMBER},
    {"рублей пятьсот", 0, MONEY_NOT_A_NUMBER},
    {"одеяла", 0, MONEY_NOT_A_NUMBER},
    {"полторы", 0, MONEY_NOT_A_NUMBER},

    /* Zero, negative, decimals. */
    {"0", 0, MONEY_ZERO},
    {"0,00", 0, MONEY_ZERO},
    {"0 ₽", 0, MONEY_ZERO},
    {"-0", 0, MONEY_ZERO},
    {"-5", 0, MONEY_NEGATIVE},
    {"- 5 руб", 0, MONEY_NEGATIVE},
    {"\xE2\x88\x92"
     "5",
        0, MONEY_NEGATIVE}, /* U+2212 minus */
    {"10.5555", 0, MONEY_TOO_MANY_DECIMALS},
    {"1500.555", 0, MONEY_TOO_MANY_DECIMALS},
    {"1,2345", 0, MONEY_TOO_MANY_DECIMALS},
    {"1,555555 тыс", 0, MONEY_TOO_MANY_DECIMALS}, /* 1555.555 ₽ */
    /* A comma and three digits: never guessed (1500 or 1.50?). */
    {"1,500", 0, MONEY_AMBIGUOUS},
    {"10,000 ₽", 0, MONEY_AMBIGUOUS},

    /* Limits. */
    {"100000000,01", 0, MONEY_ABOVE_MAX},
    {"1 000 000 000", 0, MONEY_ABOVE_MAX},
    {"92233720368547758", 0, MONEY_ABOVE_MAX}, /* fits in int64 kopecks */
    {"92233720368547758,08", 0, MONEY_OVERFLOW},
    {"92233720368547759", 0, MONEY_OVERFLOW},
    {"99999999999999999999", 0, MONEY_OVERFLOW},
    {"999 999 999 999 999 999 999", 0, MONEY_OVERFLOW},
};

static void
test_money_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(money_cases) / sizeof(money_cases[0]);
	     i++) {
		const struct parse_case *c = &money_cases[i];
		int64_t got = -12345;
		enum money_error err = MONEY_OK;
		int rc = money_parse(c->input, MAX_DEFAULT, &got, &err);

		if (err != c->err || (c->err == MONEY_OK && got != c->kopecks))
			print_error("input \"%s\": err %d (want %d), kopecks "
			            "%lld (want %lld)\n",
			    c->input, (int)err, (int)c->err, (long long)got,
			    (long long)c->kopecks);
		assert_int_equal(err, c->err);
		if (c->err == MONEY_OK) {
			assert_int_equal(rc, 0);
			assert_int_equal(got, c->kopecks);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(got, -12345); /* left alone */
		}
	}
}

static void
test_money_parse_no_limit(void **state)
{
	int64_t got = 0;
	enum money_error err;

	(void)state;
	assert_int_equal(money_parse("92233720368547758,07", INT64_MAX, &got,
	                     &err),
	    0);
	assert_int_equal(got, INT64_MAX);
	assert_int_equal(money_parse("5", 499, &got, &err), -1);
	assert_int_equal(err, MONEY_ABOVE_MAX);
	assert_int_equal(money_parse("4,99", 499, &got, &err), 0);
	assert_int_equal(got, 499);
}

/* Money attempts that money_parse refuses are still recognised as money,
 * so that /pledge does not answer them about goods. */
static void
test_money_looks_like(void **state)
{
	(void)state;
	assert_true(money_looks_like("50 тыщ руб"));
	assert_true(money_looks_like("1,5555 тыс"));
	assert_true(money_looks_like("5 рублей 50"));
	assert_true(money_looks_like("50кк"));
	assert_true(money_looks_like("1,500 ₽"));
	assert_true(money_looks_like("пятьсот рублей"));
	assert_false(money_looks_like("20 одеял"));
	assert_false(money_looks_like("5 кг крупы"));
	assert_false(money_looks_like("одеяла"));
	assert_false(money_looks_like("2 тряпки"));
	assert_false(money_looks_like(""));
}

static void
test_money_error_texts(void **state)
{
	(void)state;
	assert_string_equal(money_error_text(MONEY_OK, "ru"), "");
	assert_string_equal(money_error_text(MONEY_ZERO, "ru"),
	    "Сумма должна быть больше нуля, например: 500 или 1 500,50");
	for (int e = MONEY_EMPTY; e <= MONEY_AMBIGUOUS; e++) {
		const char *ru = money_error_text((enum money_error)e, "ru");
		const char *en = money_error_text((enum money_error)e, "en");
		const char *def = money_error_text((enum money_error)e, NULL);
		const char *gb = money_error_text((enum money_error)e, "en-GB");

		/* Every sentence gives an example of a right answer, and
		 * each reason has its own sentence. */
		assert_non_null(strstr(ru, "например: "));
		assert_non_null(strstr(en, "for example: "));
		assert_string_equal(def, ru);
		assert_string_equal(gb, en);
		for (int f = MONEY_EMPTY; f < e; f++)
			assert_string_not_equal(ru,
			    money_error_text((enum money_error)f, "ru"));
	}
}

static void
check_format(int64_t kopecks, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(money_format(&b, kopecks), 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void
test_money_format(void **state)
{
	(void)state;
	check_format(0, "0\xC2\xA0₽");
	check_format(5, "0,05\xC2\xA0₽");
	check_format(50, "0,50\xC2\xA0₽");
	check_format(50000, "500\xC2\xA0₽");
	check_format(150000,
	    "1\xC2\xA0"
	    "500\xC2\xA0₽");
	check_format(150050,
	    "1\xC2\xA0"
	    "500,50\xC2\xA0₽");
	check_format(100000000,
	    "1\xC2\xA0"
	    "000\xC2\xA0"
	    "000\xC2\xA0₽");
	check_format(-2000, "-20\xC2\xA0₽");
	check_format(INT64_MAX,
	    "92\xC2\xA0"
	    "233\xC2\xA0"
	    "720\xC2\xA0"
	    "368\xC2\xA0"
	    "547\xC2\xA0"
	    "758,07\xC2\xA0₽");
	check_format(INT64_MIN,
	    "-92\xC2\xA0"
	    "233\xC2\xA0"
	    "720\xC2\xA0"
	    "368\xC2\xA0"
	    "547\xC2\xA0"
	    "758,08\xC2\xA0₽");
}

static void
test_money_format_appends_and_respects_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 12);
	assert_int_equal(buf_puts(&b, "Итог: "), 0); /* 10 bytes */
	assert_int_equal(money_format(&b, 150000), -1);
	assert_string_equal(buf_str(&b), "Итог: "); /* unchanged */
	buf_release(&b);

	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "Итог: "), 0);
	assert_int_equal(money_format(&b, 150000), 0);
	assert_string_equal(buf_str(&b),
	    "Итог: 1\xC2\xA0"
	    "500\xC2\xA0₽");
	buf_release(&b);
}

/* What money_format prints, money_parse reads back. */
static void
test_money_round_trip(void **state)
{
	static const int64_t amounts[] = {
	    1, 99, 100, 101, 150050, 99999999, 123456789012, 10000000000};

	(void)state;
	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		struct buf b = BUF_INIT;
		int64_t got = 0;
		enum money_error err;

		assert_int_equal(money_format(&b, amounts[i]), 0);
		assert_int_equal(money_parse(buf_str(&b), INT64_MAX, &got,
		                     &err),
		    0);
		assert_int_equal(got, amounts[i]);
		buf_release(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_money_parse_table),
	    cmocka_unit_test(test_money_parse_no_limit),
	    cmocka_unit_test(test_money_error_texts),
	    cmocka_unit_test(test_money_looks_like),
	    cmocka_unit_test(test_money_format),
	    cmocka_unit_test(test_money_format_appends_and_respects_cap),
	    cmocka_unit_test(test_money_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
