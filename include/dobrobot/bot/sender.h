/* The sender drains the outbox: the first ready row of each chat, highest
 * priority first, only what the rate limiter allows now, up to
 * max_in_flight requests at once. It records every answer in the outbox and
 * acts on Telegram's errors (retry_after, blocked users, group migrations,
 * "not modified", permanent failures, retries with backoff). */
#ifndef DOBROBOT_BOT_SENDER_H
#define DOBROBOT_BOT_SENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"
#include "dobrobot/tg/tg.h"

struct sender;

struct sender_stats {
	int64_t sent, failed, retried, rate_limited, blocked, migrated;
};

struct sender *sender_new(struct store *st, struct tg_client *tg,
    const struct config *cfg);
void sender_free(struct sender *s);

/* The outbox changed (new rows, cancellations): look again. */
void sender_kick(struct sender *s);

/* Records finished sends and starts new ones. Returns the number of
 * milliseconds after which it wants to run again even if nothing happens
 * (a rate-limit window opens, a retry falls due), or -1 for "not before
 * something happens". */
int64_t sender_tick(struct sender *s);

/* Stops starting new sends (shutdown); finished ones are still recorded by
 * sender_tick. */
void sender_drain_only(struct sender *s);

size_t sender_in_flight(const struct sender *s);

/* True once Telegram answered 401: the token was revoked. */
bool sender_unauthorized(const struct sender *s);

const struct sender_stats *sender_stats(const struct sender *s);

#endif
