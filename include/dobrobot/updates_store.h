/* Which updates were processed (the dedup set) and the dead letters: raw
 * updates a handler could not process, kept with the error. */
#ifndef DOBROBOT_UPDATES_STORE_H
#define DOBROBOT_UPDATES_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store.h"

/* How long processed ids are remembered: Telegram keeps an update at most
 * 24 hours, ids restart only after a week of silence; a week covers both. */
#define PROCESSED_KEEP_MS ((int64_t)7 * 24 * 3600 * 1000)

bool updates_seen(struct store *st, int64_t update_id);
int updates_mark(struct store *st, int64_t update_id, int64_t now_ms);
/* Forgets ids older than PROCESSED_KEEP_MS; returns rows removed or -1. */
int updates_prune(struct store *st, int64_t now_ms);

int64_t dead_letter_add(struct store *st, int64_t update_id, const char *raw,
    const char *error, int64_t now_ms);
int64_t dead_letter_count(struct store *st);

#endif
