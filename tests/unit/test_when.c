/* Unit tests for when.c: every accepted form against a fixed "now" in
 * Asia/Yakutsk (UTC+9, no DST), month and year ends, refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/buf.h"
#include "dobrobot/when.h"

/* A wall-clock time in Yakutsk as a time_t, computed without mktime or the
 * process's zone (timegm on the UTC fields, minus nine hours), so that the
 * tests check when.c against an independent conversion. */
static time_t
ykt(int year, int month, int day, int hour, int minute)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	return timegm(&tm) - 9 * 3600;
}

static int
setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Yakutsk", 1);
	tzset();
	return 0;
}

struct when_case {
	const char *input;
	time_t want; /* when err == WHEN_OK */
	enum when_error err;
};

static void
run_cases(time_t now, const struct when_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		time_t got = 12345;
		enum when_error err = WHEN_OK;
		int rc = when_parse(cases[i].input, now, &got, &err);

		if (err != cases[i].err ||
		    (err == WHEN_OK && got != cases[i].want))
			print_error("input \"%s\": err %d (want %d), t %lld "
				    "(want %lld)\n",
			    cases[i].input, (int)err, (int)cases[i].err,
			    (long long)got, (long long)cases[i].want);
		assert_int_equal(err, cases[i].err);
		if (err == WHEN_OK) {
			assert_int_equal(rc, 0);
			assert_int_equal(got, cases[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(got, 12345);
		}
	}
}

/* Saturday 28 November 2026, 10:00 in Yakutsk. */
#define NOW_SAT ykt(2026, 11, 28, 10, 0)

static void
test_when_timezone(void **state)
{
	time_t got = 0;
	enum when_error err;

	(void)state;
	/* 30.11.2026 15:00 in Yakutsk is 06:00 UTC the same day. */
	assert_int_equal(
	    when_parse("30.11.2026 15:00", NOW_SAT, &got, &err), 0);
	assert_int_equal(got, (time_t)1796018400); /* 2026-11-30T06:00:00Z */
	assert_int_equal(NOW_SAT, (time_t)1795827600);
}

static void
test_when_accepted_forms(void **state)
{
	const time_t mon15 = ykt(2026, 11, 30, 15, 0);
	const struct when_case cases[] = {
		{"30.11 15:00", mon15, WHEN_OK},
		{"30.11.2026 15:00", mon15, WHEN_OK},
		{"30.11.26 15:00", mon15, WHEN_OK},
		{"30.11.2026, 15:00", mon15, WHEN_OK},
		{"30.11.2026,15:00", mon15, WHEN_OK},
		{"30.11 в 15:00", mon15, WHEN_OK},
		{"30.11, в 15:00", mon15, WHEN_OK},
		{"30.11. 15:00", mon15, WHEN_OK},
		{"30.11 15.00", mon15, WHEN_OK},
		{"30 ноября 15:00", mon15, WHEN_OK},
		{"30 НОЯБРЯ 15:00", mon15, WHEN_OK},
		{"30 Ноября в 15:00", mon15, WHEN_OK},
		{"30 ноября 2026 в 15:00", mon15, WHEN_OK},
		{"30 ноября 2026 г. в 15:00", mon15, WHEN_OK},
		{"30 ноября 2026 года, 15:00", mon15, WHEN_OK},
		{"30 нояб. 15:00", mon15, WHEN_OK},
		{"30 ноя 15:00", mon15, WHEN_OK},
		{"30 ноябрь 15:00", mon15, WHEN_OK},
		{"30 November 15:00", mon15, WHEN_OK},
		{"30 nov 15:00", mon15, WHEN_OK},
		{"  30.11   15:00  ", mon15, WHEN_OK},
		{"30.11\xC2\xA0" "15:00", mon15, WHEN_OK},
		{"в 15:00 30.11", mon15, WHEN_OK},
		{"15:00 30 ноября", mon15, WHEN_OK},
		{"30.11 9:00", ykt(2026, 11, 30, 9, 0), WHEN_OK},
		{"30.11 09:00", ykt(2026, 11, 30, 9, 0), WHEN_OK},
		{"30.11 0:00", ykt(2026, 11, 30, 0, 0), WHEN_OK},
		{"30.11 23:59", ykt(2026, 11, 30, 23, 59), WHEN_OK},
		{"1.12 10:00", ykt(2026, 12, 1, 10, 0), WHEN_OK},
		{"01.12 10:00", ykt(2026, 12, 1, 10, 0), WHEN_OK},
		{"5 декабря 18:30", ykt(2026, 12, 5, 18, 30), WHEN_OK},
		{"1 мая 10:00", ykt(2027, 5, 1, 10, 0), WHEN_OK},
		{"1 май 10:00", ykt(2027, 5, 1, 10, 0), WHEN_OK},
		{"30.11.27 15:00", ykt(2027, 11, 30, 15, 0), WHEN_OK},
		{"завтра 15:00", ykt(2026, 11, 29, 15, 0), WHEN_OK},
		{"завтра в 15:00", ykt(2026, 11, 29, 15, 0), WHEN_OK},
		{"Завтра, в 15.00", ykt(2026, 11, 29, 15, 0), WHEN_OK},
		{"ЗАВТРА 9:05", ykt(2026, 11, 29, 9, 5), WHEN_OK},
		{"в 15:00 завтра", ykt(2026, 11, 29, 15, 0), WHEN_OK},
		{"tomorrow 15:00", ykt(2026, 11, 29, 15, 0), WHEN_OK},
		{"сегодня 18:30", ykt(2026, 11, 28, 18, 30), WHEN_OK},
		{"сегодня в 10:01", ykt(2026, 11, 28, 10, 1), WHEN_OK},
		{"today 18:30", ykt(2026, 11, 28, 18, 30), WHEN_OK},
		{"послезавтра 10:00", ykt(2026, 11, 30, 10, 0), WHEN_OK},
		{"послезавтра во 2:00", ykt(2026, 11, 30, 2, 0), WHEN_OK},
		/* Without a year: this year if the day is still ahead ... */
		{"28.11 18:00", ykt(2026, 11, 28, 18, 0), WHEN_OK},
		{"31.12 23:00", ykt(2026, 12, 31, 23, 0), WHEN_OK},
		/* ... next year once it has gone. */
		{"27.11 12:00", ykt(2027, 11, 27, 12, 0), WHEN_OK},
		{"10.01 12:00", ykt(2027, 1, 10, 12, 0), WHEN_OK},
		{"10 января 12:00", ykt(2027, 1, 10, 12, 0), WHEN_OK},
		{"29.02.2028 10:00", ykt(2028, 2, 29, 10, 0), WHEN_OK},
	};

	(void)state;
	run_cases(NOW_SAT, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_when_refused(void **state)
{
	const struct when_case cases[] = {
		{"", 0, WHEN_EMPTY},
		{"   ", 0, WHEN_EMPTY},
		{"30.11", 0, WHEN_NO_TIME},
		{"30 ноября", 0, WHEN_NO_TIME},
		{"30 ноября 2026", 0, WHEN_NO_TIME},
		{"завтра", 0, WHEN_NO_TIME},
		{"завтра утром", 0, WHEN_NO_TIME},
		{"завтра в", 0, WHEN_NO_TIME},
		{"30.11 15", 0, WHEN_NO_TIME},
		{"15:00", 0, WHEN_NO_DATE},
		{"в 15:00", 0, WHEN_NO_DATE},
		{"15.00", 0, WHEN_NO_DATE},
		{"abc", 0, WHEN_NOT_A_DATE},
		{"когда-нибудь 15:00", 0, WHEN_NOT_A_DATE},
		{"30/11 15:00", 0, WHEN_NOT_A_DATE},
		{"30-11 15:00", 0, WHEN_NOT_A_DATE},
		{"завтра 15:00 на площади", 0, WHEN_NOT_A_DATE},
		{"30 ию 15:00", 0, WHEN_NOT_A_DATE}, /* июня or июля? */
		{"30.11.202 15:00", 0, WHEN_NOT_A_DATE},
		{"1 2 3 4 5 6 7 8 9 10 11 12 13", 0, WHEN_NOT_A_DATE},
		{"31.02 15:00", 0, WHEN_INVALID},
		{"30.02.2028 15:00", 0, WHEN_INVALID},
		{"29.02.2027 10:00", 0, WHEN_INVALID},
		{"31 ноября 10:00", 0, WHEN_INVALID},
		{"32.01 10:00", 0, WHEN_INVALID},
		{"00.12 10:00", 0, WHEN_INVALID},
		{"30.13 10:00", 0, WHEN_INVALID},
		{"30.00 10:00", 0, WHEN_INVALID},
		{"30.11 25:00", 0, WHEN_INVALID},
		{"30.11 24:00", 0, WHEN_INVALID},
		{"30.11 15:60", 0, WHEN_INVALID},
		{"завтра 99:99", 0, WHEN_INVALID},
		/* Past: earlier today is not moved to next year. */
		{"сегодня 09:00", 0, WHEN_PAST},
		{"сегодня 10:00", 0, WHEN_PAST}, /* exactly now */
		{"28.11 09:59", 0, WHEN_PAST},
		{"28.11.2026 08:00", 0, WHEN_PAST},
		{"01.01.2020 10:00", 0, WHEN_PAST},
		{"30 ноября 2025 15:00", 0, WHEN_PAST},
		{"27.11.26 12:00", 0, WHEN_PAST},
	};

	(void)state;
	run_cases(NOW_SAT, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_when_tomorrow_across_month_end(void **state)
{
	const struct when_case cases[] = {
		{"завтра 10:00", ykt(2026, 12, 1, 10, 0), WHEN_OK},
		{"послезавтра 10:00", ykt(2026, 12, 2, 10, 0), WHEN_OK},
		{"сегодня 21:00", ykt(2026, 11, 30, 21, 0), WHEN_OK},
	};

	(void)state;
	run_cases(ykt(2026, 11, 30, 20, 0), cases,
	    sizeof(cases) / sizeof(cases[0]));
}

static void
test_when_tomorrow_across_year_end(void **state)
{
	const struct when_case cases[] = {
		{"завтра 00:30", ykt(2027, 1, 1, 0, 30), WHEN_OK},
		{"послезавтра 9:00", ykt(2027, 1, 2, 9, 0), WHEN_OK},
		{"01.01 12:00", ykt(2027, 1, 1, 12, 0), WHEN_OK},
		{"31.12 23:45", ykt(2026, 12, 31, 23, 45), WHEN_OK},
		{"31.12 23:00", 0, WHEN_PAST},
		{"30.12 23:00", ykt(2027, 12, 30, 23, 0), WHEN_OK},
	};

	(void)state;
	run_cases(ykt(2026, 12, 31, 23, 30), cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* "Today" is the local day, not the UTC one: at 08:00 on the 29th in
 * Yakutsk it is still the 28th in UTC. */
static void
test_when_local_day(void **state)
{
	const struct when_case morning[] = {
		{"сегодня 09:00", ykt(2026, 11, 29, 9, 0), WHEN_OK},
		{"завтра 09:00", ykt(2026, 11, 30, 9, 0), WHEN_OK},
		{"29.11 09:00", ykt(2026, 11, 29, 9, 0), WHEN_OK},
		{"28.11 23:00", ykt(2027, 11, 28, 23, 0), WHEN_OK},
	};
	const struct when_case night[] = {
		{"сегодня 23:45", ykt(2026, 11, 28, 23, 45), WHEN_OK},
		{"завтра 00:15", ykt(2026, 11, 29, 0, 15), WHEN_OK},
	};

	(void)state;
	run_cases(ykt(2026, 11, 29, 8, 0), morning,
	    sizeof(morning) / sizeof(morning[0]));
	run_cases(ykt(2026, 11, 28, 23, 30), night,
	    sizeof(night) / sizeof(night[0]));
}

static void
test_when_error_texts(void **state)
{
	(void)state;
	assert_string_equal(when_error_text(WHEN_OK, "ru"), "");
	for (int e = WHEN_EMPTY; e <= WHEN_PAST; e++) {
		const char *ru = when_error_text((enum when_error)e, "ru");
		const char *en = when_error_text((enum when_error)e, "en");

		assert_non_null(
		    strstr(ru, "например: 30.11 15:00 или завтра 15:00"));
		assert_non_null(
		    strstr(en, "for example: 30.11 15:00 or tomorrow 15:00"));
		assert_string_equal(when_error_text((enum when_error)e, NULL),
		    ru);
		for (int f = WHEN_EMPTY; f < e; f++)
			assert_string_not_equal(ru, when_error_text(
			    (enum when_error)f, "ru"));
	}
}

static void
check_format(time_t t, const char *lang, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(when_format(&b, t, lang), 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void
test_when_format(void **state)
{
	(void)state;
	check_format(ykt(2026, 11, 30, 15, 0), "ru", "30 ноября (пн), 15:00");
	check_format(ykt(2026, 11, 30, 15, 0), "en", "Mon 30 Nov, 15:00");
	check_format(ykt(2026, 11, 28, 9, 5), "ru", "28 ноября (сб), 09:05");
	check_format(ykt(2027, 1, 1, 0, 30), NULL, "1 января (пт), 00:30");
	check_format(ykt(2027, 1, 1, 0, 30), "en-US", "Fri 1 Jan, 00:30");
	check_format(ykt(2027, 5, 2, 12, 0), "ru", "2 мая (вс), 12:00");
}

/* What when_format shows in Russian, when_parse reads back. */
static void
test_when_round_trip(void **state)
{
	const time_t moments[] = {ykt(2026, 11, 30, 15, 0),
	    ykt(2027, 1, 1, 0, 30), ykt(2027, 8, 15, 9, 45)};

	(void)state;
	for (size_t i = 0; i < sizeof(moments) / sizeof(moments[0]); i++) {
		struct buf b = BUF_INIT;
		char *open_paren;
		time_t got = 0;
		enum when_error err;

		assert_int_equal(when_format(&b, moments[i], "ru"), 0);
		/* "30 ноября (пн), 15:00" without the weekday. */
		open_paren = strchr(b.data, '(');
		assert_non_null(open_paren);
		memset(open_paren, ' ', 4 + 1 + 1);
		assert_int_equal(
		    when_parse(buf_str(&b), NOW_SAT, &got, &err), 0);
		assert_int_equal(got, moments[i]);
		buf_release(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_timezone),
		cmocka_unit_test(test_when_accepted_forms),
		cmocka_unit_test(test_when_refused),
		cmocka_unit_test(test_when_tomorrow_across_month_end),
		cmocka_unit_test(test_when_tomorrow_across_year_end),
		cmocka_unit_test(test_when_local_day),
		cmocka_unit_test(test_when_error_texts),
		cmocka_unit_test(test_when_format),
		cmocka_unit_test(test_when_round_trip),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
