/* Pledges that never come. A pledge still 'pledged' some days after it was
 * made — or after its action's date, whichever is later — gets one reminder
 * a day before it lapses, and then lapses (status 'lapsed': it counts
 * nowhere any more). A citizen who answers that they already handed it
 * over "claims" it: a claimed pledge waits for the organiser and never
 * lapses. The rules are the job's in handlers/expiry.c; the SQL is here.
 *
 *   deadline  = max(created_at, action's starts_at) + days
 *   reminder  at deadline - 1 day (pledges.reminded_at records it)
 *   lapse     at deadline, and at least a day after the reminder; at the
 *             deadline for someone who cannot be reminded (blocked the
 *             bot, or forgotten) */
#ifndef DOBROBOT_STORE_EXPIRY_H
#define DOBROBOT_STORE_EXPIRY_H

#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

#define EXPIRY_DAY_MS ((int64_t)24 * 3600 * 1000)

/* Up to `limit` pledges of open actions whose reminder is due at now_ms
 * with a lapse after `days`, oldest first, as a new array of pledge ids
 * (free it). A closed action's closing report has said how it ended, so its
 * pledges get no reminder. Returns 0 or -1. */
int expiry_due_reminders(struct store *st, int64_t now_ms, int days,
    size_t limit, int64_t **ids, size_t *n);

/* Records that the pledge's reminder was enqueued. */
int expiry_mark_reminded(struct store *st, int64_t pledge_id, int64_t now_ms);

/* Lapses up to `limit` pledges that are due, bumping their actions'
 * versions. Returns how many lapsed, or -1. */
int expiry_lapse_due(struct store *st, int64_t now_ms, int days, size_t limit);

/* The pledger says it was handed over: only their own, only while
 * 'pledged' and not yet claimed. Returns 1 claimed, 0 not allowed, -1. */
int expiry_claim(struct store *st, int64_t pledge_id, int64_t user_id,
    int64_t now_ms);

/* When the pledger claimed it (wall ms), 0 when not, -1 on error. */
int64_t expiry_claimed_at(struct store *st, int64_t pledge_id);

/* An organiser records that a volunteer did not come: a 'pledged' time
 * pledge lapses at once, and its action's version is bumped. Returns 1,
 * 0 when not in that state, -1. */
int expiry_lapse_one(struct store *st, int64_t pledge_id, int64_t now_ms);

#endif
