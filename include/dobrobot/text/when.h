/* Dates and times as Russian users type them ("30.11 15:00", "завтра в
 * 15:00", "30 ноября 2026 в 15:00") and as we show them, in the process's
 * local time zone: the daemon sets TZ to its configured zone (default
 * Asia/Yakutsk) and calls tzset() at start, and everything here goes through
 * mktime and localtime_r. */
#ifndef DOBROBOT_TEXT_WHEN_H
#define DOBROBOT_TEXT_WHEN_H

#include <stdbool.h>
#include <time.h>

#include "dobrobot/core/buf.h"

/* Why when_parse refused a date; each has its own sentence in
 * when_error_text. */
enum when_error {
	WHEN_OK = 0,
	WHEN_EMPTY, /* nothing but white space */
	WHEN_NOT_A_DATE, /* no date we recognise, or words after the time */
	WHEN_NO_DATE, /* a time without a day ("15:00", "в 10") */
	WHEN_NO_TIME, /* a day without a time ("30.11", "в субботу") */
	WHEN_INVALID, /* no such day or time ("31.02", "25:00") */
	WHEN_PAST, /* not after now */
	WHEN_PAST_DATE, /* a day without a year that has gone this year */
};

/* What when_read understood. The day is a calendar day in local time,
 * already resolved against "now" (завтра, в субботу); the time is a wall
 * clock time on it. */
struct when_parts {
	bool has_day;
	int year, month, day; /* 2026, 1..12, 1..31, when has_day */
	bool has_time;
	int hour, minute; /* 0..23, 0..59, when has_time */
	/* The hour is the one the bot assumes for a part of the day: утром
	 * 10:00, днём 14:00, вечером 18:00 (morning, afternoon, evening); the
	 * bot must say so. */
	bool default_hour;
	/* WHEN_PAST_DATE: the day had no year and has gone this year less
	 * than half a year ago; year is the next one, as the question to ask
	 * ("1 декабря уже прошло. Вы имели в виду 1 декабря 2027?"). */
	bool year_moved;
};

/* Reads a day and/or a time, case-insensitively, in either order:
 *   day:  30.11 | 30/11 | 30-11 | 30.11.2026 | 30.11.26 | 30 ноября
 *         | 30 ноября 2026 [г.|года] | сегодня | завтра | послезавтра
 *         | [в] субботу | в сб | суббота | в следующую субботу | в эту субботу
 *         (month names in any grammatical case or their first three or
 *         more letters: "30 нояб.", "1 мая", "в декабре" is not a day;
 *         English: today, tomorrow, [next] saturday, sat, 30 November)
 *   time: 15:00 | 9:00 | 15.00 | 10-00 | [в] 10 | 10 утра | 7 вечера
 *         | 3 дня | 2 ночи | 10 часов | 10am | 7 pm | 10:30pm
 *   part of the day: утром (10:00), днём (14:00), вечером (18:00) — alone
 *         they give that hour (default_hour); with a bare hour they place
 *         it ("вечером в 7" is 19:00)
 *   words between them: "в", "во", "к", "на", "at", "on", "in", "the", ","
 * A weekday is the next such day after today ("в субботу" on a Saturday is a
 * week later); "следующую" adds a week to it. A day without a year means
 * this year; if it has gone by more than half a year, next year; if less,
 * the answer is WHEN_PAST_DATE with next year's day in *p, to be confirmed
 * by the person (so "1 декабря" typed on 5 December is a question, and
 * "10.01" typed in December is January). A two-digit year is 20YY. A bare
 * number is an hour only after "в"/"к"/"at", before утра/вечера/часов/am/pm,
 * or after a day ("суббота 10").
 *
 * Fills *p with what was read and sets *err: WHEN_OK (both a day and a
 * time, and the moment is after now), WHEN_NO_TIME (only a day: p's day),
 * WHEN_NO_DATE (only a time: p's time), WHEN_PAST_DATE (see above; p's day,
 * and p's time when one was given), or a refusal (EMPTY, NOT_A_DATE,
 * INVALID, PAST). Returns 0 on WHEN_OK, -1 otherwise. */
int when_read(const char *s, time_t now, struct when_parts *p,
    enum when_error *err);

/* The moment of p's day and time (both must be set) in local time. Returns
 * 0 with *out set, or -1 with *err WHEN_INVALID (no such local time) or
 * WHEN_PAST (not after now); *out is then left alone. */
int when_combine(const struct when_parts *p, time_t now, time_t *out,
    enum when_error *err);

/* when_read and when_combine in one: a day and a time in one text. On
 * success stores the moment in *out, sets *err to WHEN_OK and returns 0;
 * otherwise returns -1, sets *err and leaves *out alone. */
int when_parse(const char *s, time_t now, time_t *out, enum when_error *err);

/* True for the words that answer a yes/no question: 1 yes ("да", "yes",
 * "ага", "верно", "конечно"), 0 no ("нет", "no", "не"), -1 neither. */
int when_yes_no(const char *s);

/* A full sentence for the user saying what is wrong and giving an example of
 * a right answer ("…, например: 30.11 15:00 или завтра 15:00"). lang is a
 * Telegram language code: one starting with "en" gives English, anything else
 * (NULL included) Russian. The string is static; WHEN_OK gives "". */
const char *when_error_text(enum when_error err, const char *lang);

/* Appends t in local time: «30 ноября (пн), 15:00» for Russian, "Mon 30 Nov,
 * 15:00" for English (lang as in when_error_text), with the year after the
 * month when it is not the year of `now` («1 января 2027 (пт), 10:00», "Fri
 * 1 Jan 2027, 10:00"). Returns 0, or -1 when t cannot be converted or out's
 * cap would be exceeded (out is then left as it was). */
int when_format_at(struct buf *out, time_t t, time_t now, const char *lang);

/* when_format_at with now from the daemon's wall clock (clock_wall_s). */
int when_format(struct buf *out, time_t t, const char *lang);

/* Appends a day without a time: «25 декабря (пт)», "Fri 25 Dec", with the
 * year when it is not now's; without `weekday` just «25 декабря», "25 Dec".
 * Returns as when_format_at. */
int when_format_day(struct buf *out, int year, int month, int day, time_t now,
    bool weekday, const char *lang);

#endif
