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

#include "dobrobot/core/buf.h"
#include "dobrobot/text/when.h"

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
	assert_int_equal(when_parse("30.11.2026 15:00", NOW_SAT, &got, &err),
	    0);
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
	    {"30.11\xC2\xA0"
	     "15:00",
	        mon15, WHEN_OK},
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
	    {"10.01 12:00", ykt(2027, 1, 10, 12, 0), WHEN_OK},
	    {"10 января 12:00", ykt(2027, 1, 10, 12, 0), WHEN_OK},
	    /* Forms that were refused before issue 18. */
	    {"завтра утром", ykt(2026, 11, 29, 10, 0), WHEN_OK},
	    {"30.11 15", mon15, WHEN_OK},
	    {"30/11 15:00", mon15, WHEN_OK},
	    {"30-11 15:00", mon15, WHEN_OK},
	    {"2026-11-30 15:00", mon15, WHEN_OK},
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
	    {"завтра в", 0, WHEN_NO_TIME},
	    {"15:00", 0, WHEN_NO_DATE},
	    {"в 15:00", 0, WHEN_NO_DATE},
	    {"15.00", 0, WHEN_NO_DATE},
	    {"abc", 0, WHEN_NOT_A_DATE},
	    {"когда-нибудь 15:00", 0, WHEN_NOT_A_DATE},
	    {"30.11 15 16", 0, WHEN_NOT_A_DATE},
	    {"в следующую 10:00", 0, WHEN_NOT_A_DATE},
	    {"в декабре", 0, WHEN_NOT_A_DATE},
	    {"утром вечером", 0, WHEN_NOT_A_DATE},
	    {"15 утра", 0, WHEN_INVALID},
	    {"завтра 15 утра", 0, WHEN_INVALID},
	    {"завтра 9 ночи", 0, WHEN_INVALID},
	    {"в субботу в 25", 0, WHEN_INVALID},
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
	    /* A day without a year gone by less than half a year: a
		 * question, not a silent move to next year. */
	    {"27.11 12:00", 0, WHEN_PAST_DATE},
	    {"1 июля 12:00", 0, WHEN_PAST_DATE},
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
	    {"30.12 23:00", 0, WHEN_PAST_DATE},
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
	    {"28.11 23:00", 0, WHEN_PAST_DATE},
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
	for (int e = WHEN_EMPTY; e <= WHEN_PAST_DATE; e++) {
		const char *ru = when_error_text((enum when_error)e, "ru");
		const char *en = when_error_text((enum when_error)e, "en");

		assert_non_null(strstr(ru,
		    "например: 30.11 15:00 или завтра 15:00"));
		assert_non_null(strstr(en,
		    "for example: 30.11 15:00 or tomorrow 15:00"));
		assert_string_equal(when_error_text((enum when_error)e, NULL),
		    ru);
		for (int f = WHEN_EMPTY; f < e; f++)
			assert_string_not_equal(ru,
			    when_error_text((enum when_error)f, "ru"));
	}
}

static void
check_format(time_t t, const char *lang, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(when_format_at(&b, t, NOW_SAT, lang), 0);
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
	/* Another year than now's is shown. */
	check_format(ykt(2027, 1, 1, 0, 30), NULL, "1 января 2027 (пт), 00:30");
	check_format(ykt(2027, 1, 1, 0, 30), "en-US", "Fri 1 Jan 2027, 00:30");
	check_format(ykt(2027, 5, 2, 12, 0), "ru", "2 мая 2027 (вс), 12:00");
	check_format(ykt(2025, 12, 31, 9, 0), "ru",
	    "31 декабря 2025 (ср), 09:00");
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

		assert_int_equal(when_format_at(&b, moments[i], NOW_SAT, "ru"),
		    0);
		/* "30 ноября (пн), 15:00" without the weekday. */
		open_paren = strchr(b.data, '(');
		assert_non_null(open_paren);
		memset(open_paren, ' ', 4 + 1 + 1);
		assert_int_equal(when_parse(buf_str(&b), NOW_SAT, &got, &err),
		    0);
		assert_int_equal(got, moments[i]);
		buf_release(&b);
	}
}

/* Thursday 3 December 2026, 09:00 in Yakutsk: the issue's "now". */
#define NOW_THU ykt(2026, 12, 3, 9, 0)

/* Issue 18: what organisers type, verbatim. */
static void
test_when_issue18_full(void **state)
{
	const struct when_case cases[] = {
	    {"в субботу в 10", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"суббота 10:00", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"в воскресенье в 11:00", ykt(2026, 12, 6, 11, 0), WHEN_OK},
	    {"15/12 14:00", ykt(2026, 12, 15, 14, 0), WHEN_OK},
	    {"завтра в 10", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"завтра утром", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"20.12 10-00", ykt(2026, 12, 20, 10, 0), WHEN_OK},
	    {"в сб 10:00", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"в сб. в 10", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"в следующую субботу в 10", ykt(2026, 12, 12, 10, 0), WHEN_OK},
	    {"в эту субботу в 10", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"В Субботу В 10", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"в четверг в 10", ykt(2026, 12, 10, 10, 0), WHEN_OK},
	    {"в пятницу 7 вечера", ykt(2026, 12, 4, 19, 0), WHEN_OK},
	    {"завтра 10 утра", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"завтра в 3 дня", ykt(2026, 12, 4, 15, 0), WHEN_OK},
	    {"завтра в 2 ночи", ykt(2026, 12, 4, 2, 0), WHEN_OK},
	    {"завтра в 10 часов", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"завтра в 10ч", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"завтра днём", ykt(2026, 12, 4, 14, 0), WHEN_OK},
	    {"завтра днем", ykt(2026, 12, 4, 14, 0), WHEN_OK},
	    {"завтра вечером", ykt(2026, 12, 4, 18, 0), WHEN_OK},
	    {"завтра вечером в 7", ykt(2026, 12, 4, 19, 0), WHEN_OK},
	    {"в субботу утром", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"10 утра в субботу", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"25 декабря 10:00", ykt(2026, 12, 25, 10, 0), WHEN_OK},
	    {"25 ДЕКАБРЯ 10:00", ykt(2026, 12, 25, 10, 0), WHEN_OK},
	    {"25 Декабрь 10:00", ykt(2026, 12, 25, 10, 0), WHEN_OK},
	    {"25 дек. в 10", ykt(2026, 12, 25, 10, 0), WHEN_OK},
	    {"15-12 14:00", ykt(2026, 12, 15, 14, 0), WHEN_OK},
	    {"15/12/2026 14:00", ykt(2026, 12, 15, 14, 0), WHEN_OK},
	    {"15.12 14.00", ykt(2026, 12, 15, 14, 0), WHEN_OK},
	    /* English. */
	    {"tomorrow 10am", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"tomorrow at 7 pm", ykt(2026, 12, 4, 19, 0), WHEN_OK},
	    {"tomorrow 10:30pm", ykt(2026, 12, 4, 22, 30), WHEN_OK},
	    {"Saturday 10:00", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"on Saturday at 10", ykt(2026, 12, 5, 10, 0), WHEN_OK},
	    {"next saturday 10am", ykt(2026, 12, 12, 10, 0), WHEN_OK},
	    {"tomorrow morning", ykt(2026, 12, 4, 10, 0), WHEN_OK},
	    {"25 December 10:00", ykt(2026, 12, 25, 10, 0), WHEN_OK},
	    /* Only a day, only a time. */
	    {"в 10", 0, WHEN_NO_DATE},
	    {"10 утра", 0, WHEN_NO_DATE},
	    {"7 вечера", 0, WHEN_NO_DATE},
	    {"утром", 0, WHEN_NO_DATE},
	    {"10:00", 0, WHEN_NO_DATE},
	    {"25 декабря", 0, WHEN_NO_TIME},
	    {"в субботу", 0, WHEN_NO_TIME},
	    {"в сб", 0, WHEN_NO_TIME},
	    {"в следующую субботу", 0, WHEN_NO_TIME},
	    {"15/12", 0, WHEN_NO_TIME},
	    /* Gone this year. */
	    {"1 декабря", 0, WHEN_PAST_DATE},
	    {"1 декабря 10:00", 0, WHEN_PAST_DATE},
	    {"1.12 10:00", 0, WHEN_PAST_DATE},
	    {"сегодня в 8", 0, WHEN_PAST},
	    {"1 декабря 2026 10:00", 0, WHEN_PAST},
	    /* Gone more than half a year ago: next year, no question. */
	    {"10.01 10:00", ykt(2027, 1, 10, 10, 0), WHEN_OK},
	};

	(void)state;
	run_cases(NOW_THU, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
check_parts(const char *input, enum when_error want_err, bool has_day, int y,
    int mo, int d, bool has_time, int h, int mi, bool default_hour)
{
	struct when_parts p;
	enum when_error err;

	when_read(input, NOW_THU, &p, &err);
	if (err != want_err)
		print_error("input \"%s\": err %d (want %d)\n", input, (int)err,
		    (int)want_err);
	assert_int_equal(err, want_err);
	assert_int_equal(p.has_day, has_day);
	if (has_day) {
		assert_int_equal(p.year, y);
		assert_int_equal(p.month, mo);
		assert_int_equal(p.day, d);
	}
	assert_int_equal(p.has_time, has_time);
	if (has_time) {
		assert_int_equal(p.hour, h);
		assert_int_equal(p.minute, mi);
	}
	assert_int_equal(p.default_hour, default_hour);
}

/* What when_read keeps of a day alone or a time alone, so that the wizard
 * can put "25 декабря" and then "10:00" together. */
static void
test_when_issue18_parts(void **state)
{
	struct when_parts day, time;
	enum when_error err;
	time_t t = 0;

	(void)state;
	check_parts("в 10", WHEN_NO_DATE, false, 0, 0, 0, true, 10, 0, false);
	check_parts("10 утра", WHEN_NO_DATE, false, 0, 0, 0, true, 10, 0,
	    false);
	check_parts("7 вечера", WHEN_NO_DATE, false, 0, 0, 0, true, 19, 0,
	    false);
	check_parts("25 декабря", WHEN_NO_TIME, true, 2026, 12, 25, false, 0, 0,
	    false);
	check_parts("в следующую субботу", WHEN_NO_TIME, true, 2026, 12, 12,
	    false, 0, 0, false);
	check_parts("завтра утром", WHEN_OK, true, 2026, 12, 4, true, 10, 0,
	    true);
	check_parts("завтра в 10", WHEN_OK, true, 2026, 12, 4, true, 10, 0,
	    false);
	/* The question's suggestion is next year's day. */
	check_parts("1 декабря", WHEN_PAST_DATE, true, 2027, 12, 1, false, 0, 0,
	    false);
	check_parts("1 декабря 10:00", WHEN_PAST_DATE, true, 2027, 12, 1, true,
	    10, 0, false);
	assert_true(when_read("1 декабря", NOW_THU, &day, &err) < 0);
	assert_true(day.year_moved);

	assert_int_equal(when_read("25 декабря", NOW_THU, &day, &err), -1);
	assert_int_equal(err, WHEN_NO_TIME);
	assert_int_equal(when_read("10:00", NOW_THU, &time, &err), -1);
	assert_int_equal(err, WHEN_NO_DATE);
	day.has_time = true;
	day.hour = time.hour;
	day.minute = time.minute;
	assert_int_equal(when_combine(&day, NOW_THU, &t, &err), 0);
	assert_int_equal(t, ykt(2026, 12, 25, 10, 0));
	/* A kept day that has passed by the time the time comes. */
	assert_int_equal(when_combine(&day, ykt(2026, 12, 26, 0, 0), &t, &err),
	    -1);
	assert_int_equal(err, WHEN_PAST);
}

static void
test_when_yes_no(void **state)
{
	(void)state;
	assert_int_equal(when_yes_no("да"), 1);
	assert_int_equal(when_yes_no("Да, 2027"), 1);
	assert_int_equal(when_yes_no("yes"), 1);
	assert_int_equal(when_yes_no("нет"), 0);
	assert_int_equal(when_yes_no("Нет, в этом году"), 0);
	assert_int_equal(when_yes_no("1 декабря 2027"), -1);
	assert_int_equal(when_yes_no(""), -1);
}

static void
test_when_format_day(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(when_format_day(&b, 2026, 12, 25, NOW_THU, true, "ru"),
	    0);
	assert_string_equal(buf_str(&b), "25 декабря (пт)");
	buf_truncate(&b, 0);
	assert_int_equal(when_format_day(&b, 2027, 12, 1, NOW_THU, true, "ru"),
	    0);
	assert_string_equal(buf_str(&b), "1 декабря 2027 (ср)");
	buf_truncate(&b, 0);
	assert_int_equal(when_format_day(&b, 2027, 12, 1, NOW_THU, false, "ru"),
	    0);
	assert_string_equal(buf_str(&b), "1 декабря 2027");
	buf_truncate(&b, 0);
	assert_int_equal(when_format_day(&b, 2026, 12, 1, NOW_THU, false, "ru"),
	    0);
	assert_string_equal(buf_str(&b), "1 декабря");
	buf_truncate(&b, 0);
	assert_int_equal(when_format_day(&b, 2027, 12, 1, NOW_THU, true, "en"),
	    0);
	assert_string_equal(buf_str(&b), "Wed 1 Dec 2027");
	buf_release(&b);
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
	    cmocka_unit_test(test_when_issue18_full),
	    cmocka_unit_test(test_when_issue18_parts),
	    cmocka_unit_test(test_when_yes_no),
	    cmocka_unit_test(test_when_format_day),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
