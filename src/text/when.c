/* Parsing and formatting of the dates and times users type, in the
 * process's local time zone (see when.h). */
#include "dobrobot/text/when.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/clock.h"
#include "dobrobot/core/utf8.h"

#define WHEN_MAX_TOKENS 12

struct when_token {
	const char *s;
	size_t len;
};

/* A day as typed: relative to today, a weekday, or a calendar date. */
struct when_day {
	enum {
		WHEN_DAY_NONE = 0,
		WHEN_DAY_RELATIVE,
		WHEN_DAY_WEEKDAY,
		WHEN_DAY_DATE
	} kind;
	int rel_days; /* WHEN_DAY_RELATIVE */
	int wday; /* WHEN_DAY_WEEKDAY: 0 Sunday .. 6 Saturday */
	bool next_week; /* "в следующую субботу" */
	int day, month, year; /* WHEN_DAY_DATE; year 0: not given */
};

static const char *const when_month_gen[12] = {"января", "февраля", "марта",
    "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
    "декабря"};
static const char *const when_month_en[12] = {"january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october",
    "november", "december"};
static const char *const when_month_en_short[12] = {"Jan", "Feb", "Mar", "Apr",
    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const when_wday_ru[7] = {
    "вс", "пн", "вт", "ср", "чт", "пт", "сб"};
static const char *const when_wday_en[7] = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

static bool
when_is_english(const char *lang)
{
	return lang != NULL && strncmp(lang, "en", 2) == 0;
}

static bool
when_token_is(const struct when_token *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

/* Splits the folded text into words at white space and commas. Returns the
 * number of tokens, or -1 when there are more than `max`. */
static int
when_tokenize(const char *s, struct when_token *toks, int max)
{
	size_t len = strlen(s), start = 0;
	bool in_word = false;
	int n = 0;

	for (size_t i = 0; i <= len;) {
		uint32_t cp = 0;
		size_t step = i < len ? utf8_decode(s + i, len - i, &cp) : 1;
		bool sep = i == len || cp == ',' || utf8_is_space(cp);

		if (sep && in_word) {
			if (n == max)
				return -1;
			toks[n].s = s + start;
			toks[n].len = i - start;
			n++;
			in_word = false;
		} else if (!sep && !in_word) {
			start = i;
			in_word = true;
		}
		i += step;
	}
	return n;
}

/* Reads a number of min_digits to max_digits ASCII digits from s[0..len). */
static bool
when_number(
    const char *s, size_t len, size_t min_digits, size_t max_digits, int *out)
{
	int v = 0;

	if (len < min_digits || len > max_digits)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* A clock time in one token: "15:00", "9:00", and with `loose` also
 * "15.00" and "10-00"; an "am"/"pm" may be attached ("10am", "10:30pm",
 * "10ч"), and then the minutes may be left out. Sets *suffix to 'a', 'p' or
 * 0. Ranges are checked later, so that "25:00" is reported as invalid rather
 * than as not a time. */
static bool
when_clock_token(const struct when_token *t, bool loose, int *hour, int *minute,
    char *suffix)
{
	size_t len = t->len, hl = 0;

	*suffix = 0;
	if (len > 2 &&
	    (memcmp(t->s + len - 2, "am", 2) == 0 ||
	        memcmp(t->s + len - 2, "pm", 2) == 0)) {
		*suffix = t->s[len - 2];
		len -= 2;
	} else if (len > 2 && memcmp(t->s + len - 2, "ч", 2) == 0) {
		len -= 2;
		*suffix = 'h';
	}
	while (hl < len && t->s[hl] >= '0' && t->s[hl] <= '9')
		hl++;
	if (*suffix != 0 && hl == len) {
		*minute = 0;
		return when_number(t->s, hl, 1, 2, hour);
	}
	if (hl == len ||
	    !(t->s[hl] == ':' ||
	        (loose && (t->s[hl] == '.' || t->s[hl] == '-'))))
		return false;
	return when_number(t->s, hl, 1, 2, hour) &&
	    when_number(t->s + hl + 1, len - hl - 1, 2, 2, minute);
}

/* "30.11", "30.11.26", "30.11.2026", "30/11", "30-11-2026", with an optional
 * final dot; the separator is the same throughout. Also "2026-11-30". */
static bool
when_numeric_date(const struct when_token *t, struct when_day *d)
{
	const char *p = t->s, *end = t->s + t->len;
	const char *parts[3];
	size_t lens[3];
	char sep = 0;
	int n = 0;

	for (const char *q = p; q < end && sep == 0; q++) {
		if (*q == '.' || *q == '/' || *q == '-')
			sep = *q;
	}
	if (sep == 0)
		return false;
	if (sep == '.' && end > p && end[-1] == '.')
		end--;
	while (p <= end) {
		const char *dot = memchr(p, sep, (size_t)(end - p));
		const char *stop = dot != NULL ? dot : end;

		if (n == 3)
			return false;
		parts[n] = p;
		lens[n] = (size_t)(stop - p);
		n++;
		p = stop + 1;
	}
	d->kind = WHEN_DAY_DATE;
	d->year = 0;
	if (n == 3 && sep == '-' && lens[0] == 4) {
		/* ISO: 2026-11-30 */
		return when_number(parts[0], 4, 4, 4, &d->year) &&
		    when_number(parts[1], lens[1], 1, 2, &d->month) &&
		    when_number(parts[2], lens[2], 1, 2, &d->day);
	}
	if (n < 2 || !when_number(parts[0], lens[0], 1, 2, &d->day) ||
	    !when_number(parts[1], lens[1], 1, 2, &d->month))
		return false;
	if (n == 3) {
		if (lens[2] != 2 && lens[2] != 4)
			return false;
		if (!when_number(parts[2], lens[2], 2, 4, &d->year))
			return false;
		if (lens[2] == 2)
			d->year += 2000;
	}
	return true;
}

/* True when s[0..len) is the first three or more letters of word. */
static bool
when_abbreviates(const char *s, size_t len, const char *word)
{
	return len <= strlen(word) && memcmp(s, word, len) == 0 &&
	    utf8_length(s, len) >= 3;
}

/* True when s[0..len) is stem followed by at most two more letters (a
 * Russian ending: "декабрь", "декабре", "декабрём"). */
static bool
when_stem_form(const char *s, size_t len, const char *stem)
{
	size_t sl = strlen(stem);

	return len >= sl && memcmp(s, stem, sl) == 0 &&
	    utf8_length(s + sl, len - sl) <= 2;
}

/* A month name in any grammatical case ("ноября", "ноябрь", "ноябре"), the
 * first three or more letters of the genitive ("нояб", "ноя."), or an
 * English name or its first three or more letters ("nov", "November").
 * Returns the month 1..12, or 0. */
static int
when_month_name(const struct when_token *t)
{
	static const char *const stems[12] = {"январ", "феврал", "март",
	    "апрел", "", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
	    "декабр"};
	static const char *const may[] = {"май", "мая", "мае", "маю", "маем"};
	size_t len = t->len;

	if (len > 0 && t->s[len - 1] == '.')
		len--;
	for (size_t i = 0; i < sizeof(may) / sizeof(may[0]); i++) {
		if (len == strlen(may[i]) && memcmp(t->s, may[i], len) == 0)
			return 5;
	}
	for (int m = 0; m < 12; m++) {
		if (when_abbreviates(t->s, len, when_month_gen[m]) ||
		    when_abbreviates(t->s, len, when_month_en[m]) ||
		    (stems[m][0] != '\0' &&
		        when_stem_form(t->s, len, stems[m])))
			return m + 1;
	}
	return 0;
}

/* A weekday name: 0 Sunday .. 6 Saturday, or -1. Russian in the accusative
 * ("субботу", "в среду") or the nominative ("суббота"), two-letter
 * abbreviations ("сб", "сб."), English names and three-letter ones. */
static int
when_weekday_name(const struct when_token *t)
{
	static const struct {
		const char *word;
		int wday;
	} names[] = {{"воскресенье", 0}, {"вс", 0}, {"понедельник", 1},
	    {"пн", 1}, {"вторник", 2}, {"вт", 2}, {"среду", 3}, {"среда", 3},
	    {"ср", 3}, {"четверг", 4}, {"чт", 4}, {"пятницу", 5},
	    {"пятница", 5}, {"пт", 5}, {"субботу", 6}, {"суббота", 6},
	    {"сб", 6}, {"sunday", 0}, {"sun", 0}, {"monday", 1}, {"mon", 1},
	    {"tuesday", 2}, {"tue", 2}, {"wednesday", 3}, {"wed", 3},
	    {"thursday", 4}, {"thu", 4}, {"friday", 5}, {"fri", 5},
	    {"saturday", 6}, {"sat", 6}};
	size_t len = t->len;

	if (len > 0 && t->s[len - 1] == '.')
		len--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (len == strlen(names[i].word) &&
		    memcmp(t->s, names[i].word, len) == 0)
			return names[i].wday;
	}
	return -1;
}

static bool
when_token_in(const struct when_token *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (when_token_is(t, words[i]))
			return true;
	}
	return false;
}

#define WHEN_IN(t, words) \
	when_token_in(t, words, sizeof(words) / sizeof(words[0]))

static const char *const when_prepositions[] = {
    "в", "во", "к", "на", "at", "on", "in", "the", "by"};
static const char *const when_next_words[] = {"следующую", "следующий",
    "следующее", "следующая", "след", "след.", "next"};
static const char *const when_this_words[] = {"эту", "этот", "это", "эта",
    "ближайшую", "ближайший", "ближайшее", "ближайшая", "this"};
static const char *const when_year_words[] = {"г", "г.", "года", "год"};
static const char *const when_hour_words[] = {
    "часов", "час", "часа", "ч", "ч.", "o'clock", "h"};

/* Words after an hour that say which half of the day it is in. */
static char
when_hour_suffix(const struct when_token *t)
{
	static const struct {
		const char *word;
		char suffix;
	} words[] = {{"утра", 'm'}, {"дня", 'd'}, {"вечера", 'e'},
	    {"ночи", 'n'}, {"am", 'a'}, {"a.m.", 'a'}, {"pm", 'p'},
	    {"p.m.", 'p'}};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (when_token_is(t, words[i].word))
			return words[i].suffix;
	}
	return 0;
}

/* Words for a part of the day, alone or with a bare hour. */
static char
when_daypart(const struct when_token *t)
{
	static const struct {
		const char *word;
		char part;
	} words[] = {{"утром", 'm'}, {"днем", 'd'}, {"вечером", 'e'},
	    {"morning", 'm'}, {"afternoon", 'd'}, {"evening", 'e'}};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (when_token_is(t, words[i].word))
			return words[i].part;
	}
	return 0;
}

/* Everything read from the tokens, before it is resolved against now. */
struct when_scan {
	struct when_day day;
	bool has_clock, bare_hour;
	int hour, minute;
	char suffix; /* 'm' утра, 'd' дня, 'e' вечера, 'n' ночи, 'a', 'p' */
	char daypart; /* 'm' утром, 'd' днём, 'e' вечером */
};

/* сегодня, завтра, послезавтра, today, tomorrow. */
static bool
when_relative_day(const struct when_token *t, struct when_day *d)
{
	static const struct {
		const char *word;
		int days;
	} rel[] = {{"сегодня", 0}, {"завтра", 1}, {"послезавтра", 2},
	    {"today", 0}, {"tomorrow", 1}};

	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (when_token_is(t, rel[i].word)) {
			d->kind = WHEN_DAY_RELATIVE;
			d->rel_days = rel[i].days;
			return true;
		}
	}
	return false;
}

/* Reads "30 ноября [2026 [г.|года]]" at toks[*k]; advances *k past it. */
static bool
when_named_date(
    const struct when_token *toks, int n, int *k, struct when_day *d)
{
	const struct when_token *t = &toks[*k];

	if (*k + 1 >= n || !when_number(t->s, t->len, 1, 2, &d->day) ||
	    (d->month = when_month_name(&toks[*k + 1])) == 0)
		return false;
	d->kind = WHEN_DAY_DATE;
	d->year = 0;
	*k += 2;
	if (*k < n && when_number(toks[*k].s, toks[*k].len, 4, 4, &d->year)) {
		(*k)++;
		if (*k < n && WHEN_IN(&toks[*k], when_year_words))
			(*k)++;
	}
	return true;
}

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
when_resolve_day(
    const struct when_day *d, const struct tm *today, struct when_parts *p)
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
		int64_t t0 =
		    when_days_from_civil(y, today->tm_mon + 1, today->tm_mday);
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
when_combine(
    const struct when_parts *p, time_t now, time_t *out, enum when_error *err)
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

const char *
when_error_text(enum when_error err, const char *lang)
{
	bool en = when_is_english(lang);

	switch (err) {
	case WHEN_OK:
		return "";
	case WHEN_EMPTY:
		return en ? "Please send the day and the time, for example: "
		            "30.11 15:00 or tomorrow 15:00"
		          : "Напишите день и время, например: 30.11 15:00 или "
		            "завтра 15:00";
	case WHEN_NO_DATE:
		return en ? "Please add the day, not only the time, for "
		            "example: 30.11 15:00 or tomorrow 15:00"
		          : "Укажите не только время, но и день, например: "
		            "30.11 15:00 или завтра 15:00";
	case WHEN_NO_TIME:
		return en ? "Please add the starting time, for example: "
		            "30.11 15:00 or tomorrow 15:00"
		          : "Нужно время начала, например: 30.11 15:00 или "
		            "завтра 15:00";
	case WHEN_INVALID:
		return en
		    ? "There is no such day or time; please check the "
		      "day, the month and the hours, for example: "
		      "30.11 15:00 or tomorrow 15:00"
		    : "Такого дня или времени нет, проверьте число, месяц "
		      "и часы, например: 30.11 15:00 или завтра 15:00";
	case WHEN_PAST:
		return en ? "That time has already passed; please send a time "
		            "in the future, for example: 30.11 15:00 or "
		            "tomorrow 15:00"
		          : "Это время уже прошло, укажите время в будущем, "
		            "например: 30.11 15:00 или завтра 15:00";
	case WHEN_PAST_DATE:
		return en ? "That day has already passed this year; add the "
		            "year (30.11.2027 15:00) or send another day, for "
		            "example: 30.11 15:00 or tomorrow 15:00"
		          : "Этот день в этом году уже прошёл; добавьте год "
		            "(30.11.2027 15:00) или напишите другой день, "
		            "например: 30.11 15:00 или завтра 15:00";
	case WHEN_NOT_A_DATE:
	default:
		return en ? "I don't understand the date; please send the day "
		            "and the time, for example: 30.11 15:00 or "
		            "tomorrow 15:00"
		          : "Не понимаю дату, напишите день и время, например: "
		            "30.11 15:00 или завтра 15:00";
	}
}

/* Appends the day of tm, with its year when it is not now_year and its
 * weekday when asked. */
static int
when_append_day(
    struct buf *out, const struct tm *tm, int now_year, bool weekday, bool en)
{
	size_t old_len = out->len;
	int rc;

	if (en && weekday)
		rc = buf_printf(out, "%s ", when_wday_en[tm->tm_wday]);
	else
		rc = 0;
	if (rc == 0)
		rc = en ? buf_printf(out, "%d %s", tm->tm_mday,
		              when_month_en_short[tm->tm_mon])
		        : buf_printf(out, "%d %s", tm->tm_mday,
		              when_month_gen[tm->tm_mon]);
	if (rc == 0 && tm->tm_year + 1900 != now_year)
		rc = buf_printf(out, " %d", tm->tm_year + 1900);
	if (rc == 0 && !en && weekday)
		rc = buf_printf(out, " (%s)", when_wday_ru[tm->tm_wday]);
	if (rc < 0)
		buf_truncate(out, old_len);
	return rc;
}

int
when_format_at(struct buf *out, time_t t, time_t now, const char *lang)
{
	struct tm tm, tm_now;
	size_t old_len = out->len;

	if (localtime_r(&t, &tm) == NULL || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    localtime_r(&now, &tm_now) == NULL)
		return -1;
	if (when_append_day(out, &tm, tm_now.tm_year + 1900, true,
	        when_is_english(lang)) < 0 ||
	    buf_printf(out, ", %02d:%02d", tm.tm_hour, tm.tm_min) < 0) {
		buf_truncate(out, old_len);
		return -1;
	}
	return 0;
}

int
when_format(struct buf *out, time_t t, const char *lang)
{
	return when_format_at(out, t, (time_t)clock_wall_s(), lang);
}

int
when_format_day(struct buf *out, int year, int month, int day, time_t now,
    bool weekday, const char *lang)
{
	struct tm tm, tm_now;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    localtime_r(&now, &tm_now) == NULL)
		return -1;
	return when_append_day(
	    out, &tm, tm_now.tm_year + 1900, weekday, when_is_english(lang));
}
