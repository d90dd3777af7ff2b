/* Parsing of the dates and times users type into a moment, in the
 * process's local time zone (see when.h): the scan over the words that
 * when_words.c recognises, and resolving the day and the time against now.
 * Showing dates is when_format.c's. */
#include "dobrobot/text/when.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"
#include "when_internal.h"

static const char *const when_prepositions[] = {
    "в", "во", "к", "на", "at", "on", "in", "the", "by"};
static const char *const when_next_words[] = {"следующую", "следующий",
    "следующее", "следующая", "след", "след.", "next"};
static const char *const when_this_words[] = {"эту", "этот", "это", "эта",
    "ближайшую", "ближайший", "ближайшее", "ближайшая", "this"};
static const char *const when_hour_words[] = {
    "часов", "час", "часа", "ч", "ч.", "o'clock", "h"};

/* Everything read from the tokens, before it is resolved against now. */
struct when_scan {
	struct when_day day;
	bool has_clock, bare_hour;
	int hour, minute;
	char suffix; /* 'm' утра, 'd' дня, 'e' вечера, 'n' ночи, 'a', 'p' */
	char daypart; /* 'm' утром, 'd' днём, 'e' вечером */
};

/* Parses the tokens into *sc; returns WHEN_OK or the error. */
static enum when_error
when_scan_tokens(const struct when_token *toks, int n, struct when_scan *sc)
{
	bool after_prep = false;
	int week_word = 0; /* 1 "следующую", 2 "эту": a weekday must follow */

	if (n == 0)
		return WHEN_EMPTY;
	for (int k = 0; k < n;) {
		const struct when_token *t = &toks[k];
		bool prep = false;
		int wday, v;
		char suffix, part;
		struct when_day d;

		if (week_word != 0 && when_weekday_name(t) < 0)
			return WHEN_NOT_A_DATE;
		if (WHEN_IN(t, when_prepositions)) {
			prep = true;
			k++;
		} else if (WHEN_IN(t, when_next_words) ||
		    WHEN_IN(t, when_this_words)) {
			if (sc->day.kind != WHEN_DAY_NONE)
				return WHEN_NOT_A_DATE;
			week_word = WHEN_IN(t, when_next_words) ? 1 : 2;
			k++;
		} else if ((wday = when_weekday_name(t)) >= 0) {
			if (sc->day.kind != WHEN_DAY_NONE)
				return WHEN_NOT_A_DATE;
			sc->day.kind = WHEN_DAY_WEEKDAY;
			sc->day.wday = wday;
			sc->day.next_week = week_word == 1;
			week_word = 0;
			k++;
		} else if ((suffix = when_hour_suffix(t)) != 0) {
			if (!sc->has_clock || sc->suffix != 0)
				return WHEN_NOT_A_DATE;
			sc->suffix = suffix;
			k++;
		} else if (WHEN_IN(t, when_hour_words)) {
			if (!sc->has_clock)
				return WHEN_NOT_A_DATE;
			k++;
		} else if ((part = when_daypart(t)) != 0) {
			if (sc->daypart != 0)
				return WHEN_NOT_A_DATE;
			sc->daypart = part;
			k++;
		} else if (sc->day.kind == WHEN_DAY_NONE &&
		    when_relative_day(t, &sc->day)) {
			k++;
		} else if (sc->day.kind == WHEN_DAY_NONE &&
		    when_named_date(toks, n, &k, &sc->day)) {
			/* k advanced */
		} else if (!sc->has_clock &&
		    when_clock_token(t, sc->day.kind != WHEN_DAY_NONE,
		        &sc->hour, &sc->minute, &suffix)) {
			sc->has_clock = true;
			sc->suffix = suffix == 'h' ? 0 : suffix;
			k++;
		} else if (sc->day.kind == WHEN_DAY_NONE &&
		    when_numeric_date(t, &d)) {
			/* "15.00" or "9.30" alone is a time: no month 0 or
			 * above 12, but it reads as hours and minutes. */
			char sfx;
			int h, m;
			if ((d.month < 1 || d.month > 12) && !sc->has_clock &&
			    when_clock_token(t, true, &h, &m, &sfx) &&
			    h <= 23) {
				sc->hour = h;
				sc->minute = m;
				sc->has_clock = true;
			} else {
				sc->day = d;
			}
			k++;
		} else if (!sc->has_clock &&
		    when_number(t->s, t->len, 1, 2, &v) &&
		    (after_prep || sc->day.kind != WHEN_DAY_NONE ||
		        (k + 1 < n &&
		            (when_hour_suffix(&toks[k + 1]) != 0 ||
		                WHEN_IN(&toks[k + 1], when_hour_words))))) {
			sc->has_clock = true;
			sc->bare_hour = true;
			sc->hour = v;
			sc->minute = 0;
			k++;
		} else {
			return WHEN_NOT_A_DATE;
		}
		after_prep = prep;
	}
	if (week_word != 0)
		return WHEN_NOT_A_DATE;
	if (sc->day.kind == WHEN_DAY_NONE && !sc->has_clock && sc->daypart == 0)
		return WHEN_NOT_A_DATE;
	return WHEN_OK;
}

static int
when_days_in_month(int year, int month)
{
	static const int days[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to the civil date (proleptic Gregorian), for
 * counting how long ago a day was without time zones getting in. */
static int64_t
when_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The local calendar day `days` after today (mktime carries). */
static bool
when_day_after(const struct tm *today, int days, struct when_parts *p)
{
	struct tm tm = *today;

	tm.tm_mday += days;
	tm.tm_hour = 12; /* away from any DST jump at midnight */
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return false;
	p->year = tm.tm_year + 1900;
	p->month = tm.tm_mon + 1;
	p->day = tm.tm_mday;
	return true;
}

/* Puts the hour into 0..23 from its suffix or the part of the day, or
 * takes the part of the day's default hour. */
static enum when_error
when_resolve_time(const struct when_scan *sc, struct when_parts *p)
{
	static const struct {
		char part;
		int hour;
	} defaults[] = {{'m', 10}, {'d', 14}, {'e', 18}};
	int h = sc->hour;

	if (!sc->has_clock) {
		if (sc->daypart == 0)
			return WHEN_OK;
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]);
		     i++) {
			if (defaults[i].part == sc->daypart)
				p->hour = defaults[i].hour;
		}
		p->minute = 0;
		p->has_time = true;
		p->default_hour = true;
		return WHEN_OK;
	}
	switch (sc->suffix) {
	case 'm': /* 10 утра */
	case 'a':
		if (h > 12 || h == 0)
			return WHEN_INVALID;
		h = h == 12 ? 0 : h;
		break;
	case 'd': /* 3 дня, 12 дня */
		if (h == 0 || h > 18)
			return WHEN_INVALID;
		h = h < 12 ? h + 12 : h;
		break;
	case 'e': /* 7 вечера */
	case 'p':
		if (h == 0 || h > 23)
			return WHEN_INVALID;
		h = h < 12 ? h + 12 : h;
		break;
	case 'n': /* 2 ночи, 12 ночи */
		if (h > 12 || (h > 5 && h < 12))
			return WHEN_INVALID;
		h = h == 12 ? 0 : h;
		break;
	default:
		/* "вечером в 7": the part of the day places a bare hour. */
		if (sc->bare_hour && h >= 1 && h < 12 &&
		    (sc->daypart == 'e' || (sc->daypart == 'd' && h <= 6)))
			h += 12;
		break;
	}
	if (h > 23 || sc->minute > 59)
		return WHEN_INVALID;
	p->hour = h;
	p->minute = sc->minute;
	p->has_time = true;
	return WHEN_OK;
}

/* Resolves the day against today (the local date of now). */
static enum when_error
when_resolve_day(const struct when_day *d, const struct tm *today,
    struct when_parts *p)
{
	switch (d->kind) {
	case WHEN_DAY_NONE:
		return WHEN_OK;
	case WHEN_DAY_RELATIVE:
		p->has_day = true;
		return when_day_after(today, d->rel_days, p) ? WHEN_OK
		                                             : WHEN_INVALID;
	case WHEN_DAY_WEEKDAY: {
		int ahead = (d->wday - today->tm_wday + 7) % 7;

		if (ahead == 0)
			ahead = 7;
		if (d->next_week)
			ahead += 7;
		p->has_day = true;
		return when_day_after(today, ahead, p) ? WHEN_OK : WHEN_INVALID;
	}
	case WHEN_DAY_DATE:
	default:
		break;
	}
	if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31)
		return WHEN_INVALID;
	p->has_day = true;
	p->month = d->month;
	p->day = d->day;
	p->year = d->year;
	if (d->year == 0) {
		int y = today->tm_year + 1900;
		int64_t t0 = when_days_from_civil(y, today->tm_mon + 1,
		    today->tm_mday);
		/* 29.02 in a year without it: the question is about next
		 * year's, which may not have it either (checked below). */
		int dd = d->day > when_days_in_month(y, d->month)
		    ? when_days_in_month(y, d->month)
		    : d->day;
		int64_t gone = t0 - when_days_from_civil(y, d->month, dd);

		p->year = y;
		if (gone > 0) {
			p->year = y + 1;
			p->year_moved = gone <= 183;
		}
	}
	if (p->day > when_days_in_month(p->year, p->month))
		return WHEN_INVALID;
	return WHEN_OK;
}

int
when_combine(const struct when_parts *p, time_t now, time_t *out,
    enum when_error *err)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = p->year - 1900;
	tm.tm_mon = p->month - 1;
	tm.tm_mday = p->day;
	tm.tm_hour = p->hour;
	tm.tm_min = p->minute;
	tm.tm_isdst = -1; /* let mktime decide, as the zone's rules say */
	t = mktime(&tm);
	if (!p->has_day || !p->has_time || t == (time_t)-1) {
		*err = WHEN_INVALID;
		return -1;
	}
	if (t <= now) {
		*err = WHEN_PAST;
		return -1;
	}
	*err = WHEN_OK;
	*out = t;
	return 0;
}

int
when_read(const char *s, time_t now, struct when_parts *p, enum when_error *err)
{
	struct when_token toks[WHEN_MAX_TOKENS];
	struct when_scan sc;
	struct tm today;
	char *folded = utf8_casefold(s);
	time_t t;
	int n;

	memset(&sc, 0, sizeof(sc));
	memset(p, 0, sizeof(*p));
	n = when_tokenize(folded, toks, WHEN_MAX_TOKENS);
	*err = n < 0 ? WHEN_NOT_A_DATE : when_scan_tokens(toks, n, &sc);
	if (*err == WHEN_OK)
		*err = when_resolve_time(&sc, p);
	if (*err == WHEN_OK && localtime_r(&now, &today) == NULL)
		*err = WHEN_INVALID;
	if (*err == WHEN_OK)
		*err = when_resolve_day(&sc.day, &today, p);
	if (*err != WHEN_OK)
		goto out;
	if (!p->has_day)
		*err = p->has_time ? WHEN_NO_DATE : WHEN_NOT_A_DATE;
	else if (p->year_moved)
		*err = WHEN_PAST_DATE;
	else if (!p->has_time)
		*err = WHEN_NO_TIME;
	else
		when_combine(p, now, &t, err);
out:
	free(folded);
	return *err == WHEN_OK ? 0 : -1;
}

int
when_parse(const char *s, time_t now, time_t *out, enum when_error *err)
{
	struct when_parts p;

	if (when_read(s, now, &p, err) < 0)
		return -1;
	return when_combine(&p, now, out, err);
}

int
when_yes_no(const char *s)
{
	static const char *const yes[] = {
	    "да", "yes", "ага", "верно", "конечно", "угу", "y", "да!", "да."};
	static const char *const no[] = {
	    "нет", "no", "не", "n", "нет.", "нет!"};
	struct when_token toks[WHEN_MAX_TOKENS];
	char *folded = utf8_casefold(s);
	int n = when_tokenize(folded, toks, WHEN_MAX_TOKENS), rc = -1;

	/* The first word decides: "да, 2027", "нет, в этом году". */
	if (n > 0 && WHEN_IN(&toks[0], yes))
		rc = 1;
	else if (n > 0 && WHEN_IN(&toks[0], no))
		rc = 0;
	free(folded);
	return rc;
}
