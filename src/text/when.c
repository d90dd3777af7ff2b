/* Parsing and formatting of the dates and times users type, in the
 * process's local time zone (see when.h). */
#include "dobrobot/when.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/utf8.h"

#define WHEN_MAX_TOKENS 12

struct when_token {
	const char *s;
	size_t len;
};

/* A day as typed: either relative to today or a calendar date. */
struct when_day {
	int rel_days; /* -1 for a calendar date */
	int day, month, year; /* year 0: not given */
};

static const char *const when_month_gen[12] = {"января", "февраля", "марта",
    "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
    "декабря"};
static const char *const when_month_nom[12] = {"январь", "февраль", "март",
    "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
    "декабрь"};
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

/* "15:00", "9:00", "15.00": hour of one or two digits, minutes of two.
 * Ranges are checked later, so that "25:00" is reported as invalid rather
 * than as not a time. */
static bool
when_time_token(
    const struct when_token *t, bool allow_dot, int *hour, int *minute)
{
	const char *sep = NULL;

	for (size_t i = 0; i < t->len; i++) {
		if (t->s[i] == ':' || (allow_dot && t->s[i] == '.')) {
			sep = t->s + i;
			break;
		}
	}
	if (sep == NULL)
		return false;
	size_t hl = (size_t)(sep - t->s);
	return when_number(t->s, hl, 1, 2, hour) &&
	    when_number(sep + 1, t->len - hl - 1, 2, 2, minute);
}

/* "30.11", "30.11.26", "30.11.2026", with an optional final dot. */
static bool
when_numeric_date(const struct when_token *t, struct when_day *d)
{
	const char *p = t->s, *end = t->s + t->len;
	const char *parts[3];
	size_t lens[3];
	int n = 0;

	if (end > p && end[-1] == '.')
		end--;
	while (p <= end) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *stop = dot != NULL ? dot : end;

		if (n == 3)
			return false;
		parts[n] = p;
		lens[n] = (size_t)(stop - p);
		n++;
		p = stop + 1;
	}
	if (n < 2 || !when_number(parts[0], lens[0], 1, 2, &d->day) ||
	    !when_number(parts[1], lens[1], 1, 2, &d->month))
		return false;
	d->rel_days = -1;
	d->year = 0;
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

/* A month name in the genitive ("ноября"), the nominative ("ноябрь"), the
 * first three or more letters of the genitive ("нояб", "ноя."), or an
 * English name or its first three or more letters ("nov", "November").
 * Returns the month 1..12, or 0. */
static int
when_month_name(const struct when_token *t)
{
	size_t len = t->len;

	if (len > 0 && t->s[len - 1] == '.')
		len--;
	for (int m = 0; m < 12; m++) {
		const char *nom = when_month_nom[m];

		if (when_abbreviates(t->s, len, when_month_gen[m]) ||
		    when_abbreviates(t->s, len, when_month_en[m]) ||
		    (len == strlen(nom) && memcmp(t->s, nom, len) == 0))
			return m + 1;
	}
	return 0;
}

/* Reads the day starting at toks[*k]; advances *k past it. */
static bool
when_parse_day(const struct when_token *toks, int n, int *k, struct when_day *d)
{
	static const struct {
		const char *word;
		int days;
	} rel[] = {{"сегодня", 0}, {"завтра", 1}, {"послезавтра", 2},
	    {"today", 0}, {"tomorrow", 1}};
	const struct when_token *t;

	if (*k >= n)
		return false;
	t = &toks[*k];
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (when_token_is(t, rel[i].word)) {
			d->rel_days = rel[i].days;
			(*k)++;
			return true;
		}
	}
	if (when_numeric_date(t, d)) {
		(*k)++;
		return true;
	}
	/* "30 ноября [2026 [г.|года]]" */
	if (*k + 1 < n && when_number(t->s, t->len, 1, 2, &d->day) &&
	    (d->month = when_month_name(&toks[*k + 1])) != 0) {
		d->rel_days = -1;
		d->year = 0;
		*k += 2;
		if (*k < n &&
		    when_number(toks[*k].s, toks[*k].len, 4, 4, &d->year)) {
			(*k)++;
			if (*k < n &&
			    (when_token_is(&toks[*k], "г") ||
			        when_token_is(&toks[*k], "г.") ||
			        when_token_is(&toks[*k], "года")))
				(*k)++;
		}
		return true;
	}
	return false;
}

static void
when_skip_preposition(const struct when_token *toks, int n, int *k)
{
	if (*k < n &&
	    (when_token_is(&toks[*k], "в") || when_token_is(&toks[*k], "во")))
		(*k)++;
}

static int
when_days_in_month(int year, int month)
{
	static const int days[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Parses the tokens into a day and a time; returns WHEN_OK or the error. */
static enum when_error
when_parse_tokens(const struct when_token *toks, int n, struct when_day *d,
    int *hour, int *minute)
{
	int k = 0;

	if (n == 0)
		return WHEN_EMPTY;

	/* The time first ("в 15:00 завтра") — only with a colon, since
	 * "15.10" first is a date. */
	when_skip_preposition(toks, n, &k);
	if (k < n && when_time_token(&toks[k], false, hour, minute)) {
		k++;
		when_skip_preposition(toks, n, &k);
		if (k == n)
			return WHEN_NO_DATE;
		if (!when_parse_day(toks, n, &k, d))
			return WHEN_NOT_A_DATE;
		return k == n ? WHEN_OK : WHEN_NOT_A_DATE;
	}

	/* The usual order: day, then time. */
	k = 0;
	if (!when_parse_day(toks, n, &k, d)) {
		/* A lone "15.00" is a time with no day. */
		if (when_time_token(&toks[0], true, hour, minute))
			return WHEN_NO_DATE;
		return WHEN_NOT_A_DATE;
	}
	if (d->rel_days < 0 && n == 1 && (d->month < 1 || d->month > 12) &&
	    when_time_token(&toks[0], true, hour, minute))
		return WHEN_NO_DATE; /* "15.00", "9.30" */
	when_skip_preposition(toks, n, &k);
	if (k == n || !when_time_token(&toks[k], true, hour, minute))
		return WHEN_NO_TIME;
	k++;
	return k == n ? WHEN_OK : WHEN_NOT_A_DATE;
}

int
when_parse(const char *s, time_t now, time_t *out, enum when_error *err)
{
	struct when_token toks[WHEN_MAX_TOKENS];
	struct when_day d = {-1, 0, 0, 0};
	struct tm tm_now, tm;
	int hour = -1, minute = -1, n;
	char *folded = utf8_casefold(s);
	time_t t;

	n = when_tokenize(folded, toks, WHEN_MAX_TOKENS);
	*err = n < 0 ? WHEN_NOT_A_DATE
	             : when_parse_tokens(toks, n, &d, &hour, &minute);
	if (*err != WHEN_OK)
		goto out;

	if (hour > 23 || minute > 59) {
		*err = WHEN_INVALID;
		goto out;
	}
	if (localtime_r(&now, &tm_now) == NULL) {
		*err = WHEN_INVALID;
		goto out;
	}
	if (d.rel_days >= 0) {
		tm = tm_now;
		tm.tm_mday += d.rel_days; /* mktime carries into the month */
	} else {
		if (d.month < 1 || d.month > 12 || d.day < 1) {
			*err = WHEN_INVALID;
			goto out;
		}
		if (d.year == 0) {
			/* This year, unless that day has already gone. */
			d.year = tm_now.tm_year + 1900;
			if (d.month < tm_now.tm_mon + 1 ||
			    (d.month == tm_now.tm_mon + 1 &&
			        d.day < tm_now.tm_mday))
				d.year++;
		}
		if (d.day > when_days_in_month(d.year, d.month)) {
			*err = WHEN_INVALID;
			goto out;
		}
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = d.year - 1900;
		tm.tm_mon = d.month - 1;
		tm.tm_mday = d.day;
	}
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1; /* let mktime decide, as the zone's rules say */
	t = mktime(&tm);
	if (t == (time_t)-1) {
		*err = WHEN_INVALID;
		goto out;
	}
	if (t <= now) {
		*err = WHEN_PAST;
		goto out;
	}
	*out = t;
out:
	free(folded);
	return *err == WHEN_OK ? 0 : -1;
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
	case WHEN_NOT_A_DATE:
	default:
		return en ? "I don't understand the date; please send the day "
		            "and the time, for example: 30.11 15:00 or "
		            "tomorrow 15:00"
		          : "Не понимаю дату, напишите день и время, например: "
		            "30.11 15:00 или завтра 15:00";
	}
}

int
when_format(struct buf *out, time_t t, const char *lang)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6)
		return -1;
	if (when_is_english(lang))
		return buf_printf(out, "%s %d %s, %02d:%02d",
		    when_wday_en[tm.tm_wday], tm.tm_mday,
		    when_month_en_short[tm.tm_mon], tm.tm_hour, tm.tm_min);
	return buf_printf(out, "%d %s (%s), %02d:%02d", tm.tm_mday,
	    when_month_gen[tm.tm_mon], when_wday_ru[tm.tm_wday], tm.tm_hour,
	    tm.tm_min);
}
