/* Dates and times as Russian users type them ("30.11 15:00", "завтра в
 * 15:00", "30 ноября 2026 в 15:00") and as we show them, in the process's
 * local time zone: the daemon sets TZ to its configured zone (default
 * Asia/Yakutsk) and calls tzset() at start, and everything here goes through
 * mktime and localtime_r. */
#ifndef DOBROBOT_WHEN_H
#define DOBROBOT_WHEN_H

#include <time.h>

#include "dobrobot/buf.h"

/* Why when_parse refused a date; each has its own sentence in
 * when_error_text. */
enum when_error {
	WHEN_OK = 0,
	WHEN_EMPTY, /* nothing but white space */
	WHEN_NOT_A_DATE, /* no date we recognise, or words after the time */
	WHEN_NO_DATE, /* a time without a day ("15:00") */
	WHEN_NO_TIME, /* a day without a time ("30.11") */
	WHEN_INVALID, /* no such day or time ("31.02", "25:00") */
	WHEN_PAST, /* not after now */
};

/* Parses a day followed by a time, case-insensitively:
 *   day:  30.11 | 30.11.2026 | 30.11.26 | 30 ноября | 30 ноября 2026 [г.|года]
 *         | сегодня | завтра | послезавтра
 *         (month names in the genitive, or their first three or more
 *         letters: "30 нояб.", "1 мая"; the day and month may have one or
 *         two digits)
 *   then: optionally "," and/or "в"/"во"
 *   time: 15:00 | 9:00 | 09:00 | 15.00
 * A day without a year means this year, or next year if that day is already
 * before today (so in December "10.01" is next January). A two-digit year is
 * 20YY. The result must be later than `now`.
 *
 * On success stores the moment in *out, sets *err to WHEN_OK and returns 0;
 * otherwise returns -1, sets *err and leaves *out alone. */
int when_parse(const char *s, time_t now, time_t *out, enum when_error *err);

/* A full sentence for the user saying what is wrong and giving an example of
 * a right answer ("…, например: 30.11 15:00 или завтра 15:00"). lang is a
 * Telegram language code: one starting with "en" gives English, anything else
 * (NULL included) Russian. The string is static; WHEN_OK gives "". */
const char *when_error_text(enum when_error err, const char *lang);

/* Appends t in local time: «30 ноября (пн), 15:00» for Russian, "Mon 30 Nov,
 * 15:00" for English (lang as in when_error_text). Returns 0, or -1 when t
 * cannot be converted or out's cap would be exceeded (out is then left as it
 * was). */
int when_format(struct buf *out, time_t t, const char *lang);

#endif
