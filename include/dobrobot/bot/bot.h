/* The daemon: one thread, one event loop. It keeps exactly one getUpdates
 * long poll in flight, processes each batch in one transaction (each update
 * in its own savepoint, duplicates recognised by id), and lets the sender
 * drain the outbox between polls. */
#ifndef DOBROBOT_BOT_BOT_H
#define DOBROBOT_BOT_BOT_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/bot/router.h"
#include "dobrobot/store/store.h"

/* Runs until SIGTERM/SIGINT (returns 0) or a fatal error such as a revoked
 * token (returns 1). `token` is borrowed and never logged. */
int bot_run(const struct config *cfg, const char *token);

/* Processes one getUpdates batch (an array, borrowed) in one transaction.
 * On success returns 0 and sets *next_offset (0 when the batch was empty);
 * -1 when the transaction could not commit (nothing was confirmed). */
int bot_process_batch(const struct router_env *env, json_t *updates,
    int64_t *next_offset);

/* Sets aside an update that the poller could not read at all: a getUpdates
 * answer of this one update (limit=1) that is not JSON even to a lenient
 * parser, whose update_id was read from the bytes (tg_scan_update_id). In
 * one transaction, unless the id was processed before: the bytes go to
 * dead_letters (invalid UTF-8 and control bytes written as \xNN), the id is
 * marked processed and becomes last_update_id. Invariant 3 at the level of
 * the transport: the offset moves past it and nobody waits behind it.
 * Returns 0, or -1 when the transaction could not commit. */
int bot_set_aside_unreadable(const struct router_env *env, int64_t update_id,
    const char *body, size_t len, const char *why);

/* Processes one update (borrowed) again, for replaying a dead letter: in a
 * savepoint of the caller's transaction, through the same router as live
 * updates, but without the processed_updates check (a dead letter's id was
 * processed, as a failure, so the dedup would skip it), without recording
 * the id and without touching last_update_id. Returns 0, or -1 with *error
 * set to a new string (caller frees): the savepoint is rolled back, and
 * nothing is dead-lettered and no apology is sent (the person had one). */
int bot_process_update(const struct router_env *env, json_t *update,
    char **error);

#endif
