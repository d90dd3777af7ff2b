/* The words of the dates and times users type: splitting the text into
 * tokens and recognising one token or two (numbers, clock times, numeric
 * and named dates, month and weekday names, parts of the day); when.c
 * builds the moment from them. */
#include "when_internal.h"

#include <stdbool.h>
#include <string.h>

#include "dobrobot/core/utf8.h"

const char *const when_month_gen[12] = {"января", "февраля", "марта", "апреля",
    "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
    "декабря"};
static const char *const when_month_en[12] = {"january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october",
    "november", "december"};

static bool
when_token_is(const struct when_token *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

/* Splits the folded text into words at white space and commas. Returns the
 * number of tokens, or -1 when there are more than `max`. */
int
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
bool
when_number(const char *s, size_t len, size_t min_digits, size_t max_digits,
    int *out)
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
bool
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
bool
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
int
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

bool
when_token_in(const struct when_token *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (when_token_is(t, words[i]))
			return true;
	}
	return false;
}

static const char *const when_year_words[] = {"г", "г.", "года", "год"};

/* Words after an hour that say which half of the day it is in. */
char
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
char
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

/* сегодня, завтра, послезавтра, today, tomorrow. */
bool
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
bool
when_named_date(const struct when_token *toks, int n, int *k,
    struct when_day *d)
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
