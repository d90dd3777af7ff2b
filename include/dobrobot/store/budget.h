/* Each user's budget of updates (messages and button presses) per minute,
 * kept in user_budget and written in the batch's transaction, so that a
 * redelivered batch does not count twice. The router refuses what goes
 * over it (see router.c). */
#ifndef DOBROBOT_STORE_BUDGET_H
#define DOBROBOT_STORE_BUDGET_H

#include <stdint.h>

#include "dobrobot/store/store.h"

/* The budget's window: a fixed minute from the user's first update in it. */
#define BUDGET_WINDOW_MS 60000

/* Counts one update of the user at now_ms; returns how many the user sent
 * in the current window, this one included, or -1. A window older than
 * BUDGET_WINDOW_MS (or from a later clock) starts anew. */
int budget_count(struct store *st, int64_t user_id, int64_t now_ms);

/* Returns 1 the first time in the current window that the user is told to
 * slow down (and remembers it), 0 after that, -1 on error. */
int budget_warn_once(struct store *st, int64_t user_id);

#endif
