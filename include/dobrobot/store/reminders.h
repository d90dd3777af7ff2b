/* Reminders of pledged time and goods, as outbox rows: ref_type "reminder",
 * ref_id = the pledge, kind "reminder", a not_before, and a coalesce_key
 * "remind:<pledge>:<slot>:<due unix seconds>" that names what the row is
 * for (slot "day": the evening before the action, "2h": two hours before).
 * Because the due time is part of the key, a row that was sent is never
 * made again for the same date, and a new date gets a new row. The SQL
 * here serves the reconciling job in handlers/reminders.c, which owns the
 * rules (see src/handlers/broadcast.h: reminders_reconcile). */
#ifndef DOBROBOT_STORE_REMINDERS_H
#define DOBROBOT_STORE_REMINDERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* A pledge that is to be reminded of: kind time or goods, still 'pledged',
 * of an open action with a date in the future, by someone who has not
 * blocked the bot. */
struct reminder_pledge {
	int64_t pledge_id;
	int64_t user_id;
	int64_t action_id;
	bool goods; /* else time */
	int64_t amount; /* goods: the quantity */
	int64_t starts_at; /* Unix seconds */
	char *title;
	char *place; /* NULL when the action has none */
	char *item; /* goods: what; NULL otherwise */
	char *unit; /* goods: "шт", "кг"...; may be NULL */
	char lang[3];
};

/* Every such pledge (of one action when action_id > 0) at now_s. *out is a
 * new array of *n entries: free with reminder_pledges_free. */
int reminders_active_pledges(struct store *st, int64_t now_s, int64_t action_id,
    struct reminder_pledge **out, size_t *n);
void reminder_pledges_free(struct reminder_pledge *p, size_t n);

/* Cancels the pending reminder rows (of one action's pledges when
 * action_id > 0) whose pledge is no longer to be reminded of (see above).
 * Returns how many, or -1. */
int reminders_cancel_stale(struct store *st, int64_t now_s, int64_t action_id);

/* A reminder row of a pledge, not cancelled. */
struct reminder_row {
	int64_t id;
	char *key;
	char *payload;
	bool pending; /* else in flight, sent or failed: left alone */
};

/* The pledge's rows that are not cancelled, oldest first. */
int reminders_rows(struct store *st, int64_t pledge_id,
    struct reminder_row **out, size_t *n);
void reminder_rows_free(struct reminder_row *r, size_t n);

/* Adds a row (payload borrowed; a sendMessage to user_id). Returns its id or
 * -1. */
int64_t reminders_add(struct store *st, int64_t pledge_id, int64_t user_id,
    const char *key, int64_t not_before_ms, json_t *payload);

/* A pending row gets a new key, due time and payload (the action moved).
 * Returns 0 or -1. */
int reminders_move(struct store *st, int64_t row_id, const char *key,
    int64_t not_before_ms, json_t *payload);

/* A pending row's text changes (e.g. the place was edited). */
int reminders_set_payload(struct store *st, int64_t row_id, json_t *payload);

/* Cancels one pending row, or every pending row of a pledge. */
int reminders_cancel_row(struct store *st, int64_t row_id);
int reminders_cancel_pledge(struct store *st, int64_t pledge_id);

#endif
