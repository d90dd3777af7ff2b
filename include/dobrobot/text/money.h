/* Money as users type it and as we show it. Amounts are integer kopecks
 * (int64_t) from the first keystroke on: no floating point anywhere (DESIGN
 * invariant 5). */
#ifndef DOBROBOT_TEXT_MONEY_H
#define DOBROBOT_TEXT_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"

/* Why money_parse refused an amount; each has its own sentence in
 * money_error_text. */
enum money_error {
	MONEY_OK = 0,
	MONEY_EMPTY, /* nothing but white space */
	MONEY_NOT_A_NUMBER, /* letters, "1.2.3", "10$", a bad digit group */
	MONEY_ZERO, /* "0", "0,00" */
	MONEY_NEGATIVE, /* "-5" */
	MONEY_TOO_MANY_DECIMALS, /* "10.555": kopecks have two digits */
	MONEY_ABOVE_MAX, /* more than the caller's max_kopecks */
	MONEY_OVERFLOW, /* does not fit in int64_t kopecks */
	MONEY_AMBIGUOUS, /* "1,500": a thousand and a half, or 1.50? */
};

/* Parses an amount of rubles written the way Russians write it:
 *   500   1500.50   1500,5 (= 1500.50)   1 500   1 500,50   1 500 000
 *   50.000   1.500.000,50 (a dot between groups of three: thousands)
 *   50 тыс   50 тыс.   50к   50k   50 т.р.   100 тысяч   1,5 млн   1,5 тыс
 *   две тысячи   пятьсот рублей   полторы тысячи   сто двадцать пять
 * Digit groups may be separated by a space, U+00A0, U+202F or U+2009, and
 * then every group after the first has exactly three digits. The decimal
 * separator is "," or "." with one or two digits after it; before a
 * multiplier (тыс, тысяч[а|и|у], тыщ, т, к, k, млн, миллион[а|ов]) any
 * number of digits, as long as the result is whole kopecks ("1,5 тыс" is
 * 1 500 ₽). "1,500" (a comma and three digits) is MONEY_AMBIGUOUS; a dot
 * and three digits is thousands. A currency may follow, with or without a
 * space, in any letter case: руб, руб., рубль, рубля, рублей, р, р., ₽,
 * rub, RUB. White space around is ignored; a leading "+" is allowed. All
 * arithmetic is on integers.
 *
 * On success stores the amount in *kopecks_out, sets *err to MONEY_OK and
 * returns 0. Otherwise returns -1, sets *err to the reason and leaves
 * *kopecks_out alone. When several reasons apply, the first of NOT_A_NUMBER,
 * AMBIGUOUS, TOO_MANY_DECIMALS, OVERFLOW, NEGATIVE, ZERO, ABOVE_MAX wins.
 * max_kopecks is the largest amount accepted (INT64_MAX for no limit). */
int money_parse(const char *s, int64_t max_kopecks, int64_t *kopecks_out,
    enum money_error *err);

/* True when s, which money_parse refused, is still plainly meant as money:
 * a number with a ruble word or sign, a multiplier ("50 тыщ руб", "5кк"), or
 * Russian number words. The /pledge command answers those with a money
 * sentence, never with one about goods. */
bool money_looks_like(const char *s);

/* A full sentence for the user saying what is wrong with the amount and
 * giving an example of a right one. lang is a Telegram language code: one
 * starting with "en" gives English, anything else (NULL included) Russian.
 * The string is static. MONEY_OK gives "". */
const char *money_error_text(enum money_error err, const char *lang);

/* Appends the amount the Russian way: "1 500 ₽", "1 500,50 ₽", "0 ₽",
 * "-20 ₽", with U+00A0 between digit groups and before the ruble sign;
 * kopecks are shown, always as two digits, only when there are some.
 * Returns 0, or -1 when out's cap would be exceeded (out is then left as it
 * was). */
int money_format(struct buf *out, int64_t kopecks);

#endif
