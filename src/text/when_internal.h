/* Shared inside the date parser (when.c, when_words.c, when_format.c): the
 * tokens of what was typed and the recognisers of one token or two, which
 * when_words.c defines. */
#ifndef DOBROBOT_TEXT_WHEN_INTERNAL_H
#define DOBROBOT_TEXT_WHEN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#define WHEN_MAX_TOKENS 12

/* One word of the case-folded text; borrowed from it. */
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

/* The months in the genitive ("января"), as read and as shown. */
extern const char *const when_month_gen[12];

/* Splits the folded text into words at white space and commas. Returns the
 * number of tokens, or -1 when there are more than `max`. */
int when_tokenize(const char *s, struct when_token *toks, int max);

/* Whether the token is one of the n `words`; WHEN_IN for an array. */
bool when_token_in(const struct when_token *t, const char *const *words,
    size_t n);

#define WHEN_IN(t, words) \
	when_token_in(t, words, sizeof(words) / sizeof(words[0]))

/* Reads a number of min_digits to max_digits ASCII digits from s[0..len). */
bool when_number(const char *s, size_t len, size_t min_digits,
    size_t max_digits, int *out);

/* A clock time in one token ("15:00", "10am", "10ч"; "15.00" with `loose`);
 * *suffix is 'a', 'p', 'h' or 0. Ranges are left to the caller. */
bool when_clock_token(const struct when_token *t, bool loose, int *hour,
    int *minute, char *suffix);

/* A numeric date in one token ("30.11", "30/11/2026", "2026-11-30") into
 * *d, unchecked. */
bool when_numeric_date(const struct when_token *t, struct when_day *d);

/* A weekday name: 0 Sunday .. 6 Saturday, or -1. */
int when_weekday_name(const struct when_token *t);

/* After an hour, the half of the day ('m' утра, 'd' дня, 'e' вечера,
 * 'n' ночи, 'a', 'p'), or 0. */
char when_hour_suffix(const struct when_token *t);

/* A part of the day ('m' утром, 'd' днём, 'e' вечером), or 0. */
char when_daypart(const struct when_token *t);

/* сегодня, завтра, послезавтра, today, tomorrow into *d. */
bool when_relative_day(const struct when_token *t, struct when_day *d);

/* Reads "30 ноября [2026 [г.|года]]" at toks[*k]; advances *k past it. */
bool when_named_date(const struct when_token *toks, int n, int *k,
    struct when_day *d);

#endif
