/* Which updates were processed (the dedup set) and the dead letters: raw
 * updates a handler could not process, kept with the error. */
#ifndef DOBROBOT_STORE_UPDATES_H
#define DOBROBOT_STORE_UPDATES_H

#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* How long processed ids are remembered: Telegram keeps an update at most
 * 24 hours, ids restart only after a week of silence; a week covers both. */
#define PROCESSED_KEEP_MS ((int64_t)7 * 24 * 3600 * 1000)

bool updates_seen(struct store *st, int64_t update_id);
int updates_mark(struct store *st, int64_t update_id, int64_t now_ms);
/* updates_seen and updates_mark in one statement: marks the update and
 * returns 1, or returns 0 when it was marked before; -1 on error. */
int updates_claim(struct store *st, int64_t update_id, int64_t now_ms);
/* Forgets ids older than PROCESSED_KEEP_MS; returns rows removed or -1. */
int updates_prune(struct store *st, int64_t now_ms);

int64_t dead_letter_add(struct store *st, int64_t update_id, const char *raw,
    const char *error, int64_t now_ms);
int64_t dead_letter_count(struct store *st);
/* True when a dead letter with exactly this raw text is kept (an update
 * that cannot be confirmed comes back with every getUpdates: one letter is
 * enough). */
bool dead_letter_has_raw(struct store *st, const char *raw);

/* One dead letter, as `dobrobot dead-letters` shows and replays it. */
struct dead_letter {
	int64_t id;
	int64_t update_id;
	char *raw; /* the update's JSON, as received */
	char *error; /* the first error, then one line per failed replay */
	int64_t created_at; /* wall ms */
	int64_t replayed_at; /* wall ms; 0 while it waits */
};

/* Frees the strings; accepts NULL. */
void dead_letter_release(struct dead_letter *dl);

/* The dead letter with the smallest id greater than `after_id` (only those
 * not replayed yet unless `include_replayed`): returns 1 and fills *dl
 * (release it), 0 when there is none, -1 on error. A cursor by id, so that a
 * caller may commit between rows. */
int dead_letter_next(struct store *st, int64_t after_id, bool include_replayed,
    struct dead_letter *dl);

/* Returns 1 and fills *dl (release it), 0 when there is no such id. */
int dead_letter_get(struct store *st, int64_t id, struct dead_letter *dl);

/* A replay succeeded: the letter keeps its row, with replayed_at set. */
int dead_letter_mark_replayed(struct store *st, int64_t id, int64_t now_ms);

/* A replay failed again: the letter stays waiting and a line
 * "replay <UTC time>: <error>" is appended to its error (older replay lines
 * are dropped past 4000 bytes; the first error is always kept). */
int dead_letter_note_failure(struct store *st, int64_t id, const char *error,
    int64_t now_ms);

#endif
