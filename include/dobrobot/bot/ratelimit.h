/* Telegram's published send limits, applied before sending (so that a
 * broadcast draws no 429s instead of learning the limits from them):
 *   - global: at most global_per_s messages in any sliding 1-second window
 *     (bulk notifications);
 *     and, with `pace`, spread evenly in bursts of at most 50 ms worth;
 *   - paid: messages with allow_paid_broadcast use their own budget of
 *     paid_per_s in any 1-second window instead of the global one;
 *   - a private chat (id > 0): a token bucket of chat_per_s per second with
 *     a burst of chat_burst;
 *   - a group (id < 0): at most group_per_min in any sliding 60-second
 *     window, and at least 1 s between two messages;
 *   - holds: a 429's retry_after pauses one chat (or everything, when the
 *     answer concerns the bot as a whole) until a deadline.
 * All times are monotonic milliseconds passed in by the caller, so tests run
 * on a fake clock. A small safety margin (RATELIMIT_MARGIN_MS per window) keeps
 * us under a server that measures arrival times with a little jitter, and a
 * 429 widens the global window further (ratelimit_widen). */
#ifndef DOBROBOT_BOT_RATELIMIT_H
#define DOBROBOT_BOT_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_MARGIN_MS 10

struct ratelimit_config {
	int global_per_s;
	int paid_per_s;
	int chat_per_s;
	int chat_burst;
	int group_per_min;
	bool pace; /* spread global and paid sends evenly (see above) */
};

struct ratelimit;

struct ratelimit *ratelimit_new(const struct ratelimit_config *cfg);
void ratelimit_free(struct ratelimit *rl);

/* Returns 0 when a message to chat_id may be sent at now_ms, else the number
 * of milliseconds to wait (> 0) before it may. Does not consume budget and
 * allocates nothing. Exact: at now_ms + the answer the send is allowed, one
 * millisecond earlier it is not. chat_id 0 checks only the global (or paid)
 * budget and the global hold. The object is not thread-safe, and now_ms must
 * not go backwards between calls. */
int64_t ratelimit_wait(struct ratelimit *rl, int64_t chat_id, bool paid,
    int64_t now_ms);

/* Records that a message to chat_id was sent at now_ms (consumes budget). */
void ratelimit_take(struct ratelimit *rl, int64_t chat_id, bool paid,
    int64_t now_ms);

/* Holds one chat, or every chat (chat_id == 0), until until_ms: sending is
 * allowed again at until_ms. A hold is only ever extended, never shortened by
 * a later, earlier deadline. The global hold applies to paid sends too. */
void ratelimit_hold(struct ratelimit *rl, int64_t chat_id, int64_t until_ms);

/* A 429 got past the limiter: widens the global and paid windows (10 ms more,
 * doubling on each further call up to 80 ms more, at most once a second).
 * Ten minutes without a call halve the extra again, on the next take (a
 * call at the cap still restarts those ten minutes). Returns true when the
 * window changed. */
bool ratelimit_widen(struct ratelimit *rl, int64_t now_ms);

/* The global and paid window in ms: 1000 + RATELIMIT_MARGIN_MS + widening. */
int64_t ratelimit_window_ms(const struct ratelimit *rl);

/* Forgets per-chat state idle for more than a minute; call now and then so
 * that memory stays bounded after a broadcast to many chats. Only state that
 * no longer affects any answer is dropped. Costs O(chats tracked): every few
 * seconds, not per send. */
void ratelimit_gc(struct ratelimit *rl, int64_t now_ms);

/* Number of chats tracked (for tests and status). */
size_t ratelimit_tracked_chats(const struct ratelimit *rl);

/* Exponential backoff with "full jitter" on a deterministic PRNG state:
 * attempt 1 -> up to base_ms, doubling, capped at cap_ms; never below
 * base_ms / 2 (uniform on [base_ms / 2, min(cap_ms, base_ms * 2^(attempt-1))];
 * the floor wins over a smaller cap). *rng_state is any value (0 included),
 * advanced on every call. */
int64_t backoff_delay_ms(int attempt, int64_t base_ms, int64_t cap_ms,
    uint64_t *rng_state);

#endif
