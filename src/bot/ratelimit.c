/* Telegram's send limits applied before sending (see ratelimit.h): sliding
 * logs for the global and paid budgets and for groups, a token bucket per
 * private chat, holds after a 429, and the backoff used between retries. */
#include "dobrobot/bot/ratelimit.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "dobrobot/core/xalloc.h"

/* One second and one minute, each stretched by the safety margin. */
#define SECOND_WINDOW_MS (1000 + RATELIMIT_MARGIN_MS)
#define MINUTE_WINDOW_MS (60000 + RATELIMIT_MARGIN_MS)
/* Two messages to one group are at least this far apart. */
#define GROUP_SPACING_MS (1000 + RATELIMIT_MARGIN_MS)
/* Per-chat state that has had nothing to do for this long, and that would
 * behave exactly like a fresh entry, is forgotten by ratelimit_gc. */
#define IDLE_MS 60000
/* With sends at least GROUP_SPACING_MS apart, one MINUTE_WINDOW_MS window
 * holds at most ceil(60010 / 1010) = 60 of them, so a group_per_min above
 * that can never bind. A group's log therefore keeps at most this many
 * times, and the per-minute check is skipped when group_per_min exceeds it
 * (the configuration accepts up to a million). */
#define GROUP_LOG_MAX 64
/* A 429 that got past the limiter means requests reach the server closer
 * together than they left (a loaded machine, a jittery network): the global
 * and paid windows then widen by WIDEN_STEP_MS, doubling on each further 429
 * up to WIDEN_MAX_MS, at most once a second so that one bunch of 429s counts
 * once. Each WIDEN_DECAY_MS without one halves the extra again. */
#define WIDEN_STEP_MS 10
#define WIDEN_MAX_MS 80
#define WIDEN_DECAY_MS 600000
#define TABLE_MIN_CAP 16

/* Times of the last `cap` sends, oldest first from `next` once full. */
struct timelog {
	int cap;
	int len;
	int next;
	int64_t times[];
};

/* One tracked chat; id 0 marks an empty slot (Telegram has no chat 0). */
struct chat_state {
	int64_t id;
	int64_t last_ms; /* the last send, or the end of a hold */
	int64_t hold_until; /* INT64_MIN when never held */
	union {
		/* Private chats: the token bucket in its "virtual scheduling"
		 * (GCRA) form. tat is the time at which the bucket will be
		 * full again; a send is allowed while tat - now <= (burst - 1)
		 * * interval, and consumes one interval. The bucket is full
		 * whenever tat <= now. */
		int64_t tat;
		/* Groups: their recent send times, allocated on first send. */
		struct timelog *log;
	} u;
};

struct ratelimit {
	struct ratelimit_config cfg;
	int64_t chat_interval_ms; /* one token per this many ms */
	int group_log_cap;
	bool group_minute_checked;
	struct timelog *global;
	struct timelog *paid;
	/* Pacing: the sliding window alone would let a whole second's budget
	 * go in one burst whenever the window empties. A GCRA bucket (times
	 * in microseconds) spreads sends evenly, allowing bursts of at most
	 * 50 ms worth, so 30/s goes out one every 33 ms and 1000/s in small
	 * batches that the sender can start in one pass. */
	int64_t global_tat_us, paid_tat_us;
	int64_t global_interval_us, paid_interval_us;
	int64_t global_burst, paid_burst;
	int64_t global_hold_until;
	/* The global and paid window: SECOND_WINDOW_MS plus what 429s added
	 * (see WIDEN_STEP_MS), and when that last changed. */
	int64_t window_ms;
	int64_t extra_ms;
	int64_t widened_at;
	/* Open addressing with linear probing. Nothing is ever deleted in
	 * place: ratelimit_gc rebuilds the table, so no tombstones. */
	struct chat_state *slots;
	size_t cap; /* a power of two */
	size_t count;
};

static struct timelog *
timelog_new(int cap)
{
	assert(cap > 0);
	struct timelog *log = xmalloc(sizeof *log +
	    (size_t)cap * sizeof log->times[0]);
	log->cap = cap;
	log->len = 0;
	log->next = 0;
	return log;
}

static void
timelog_push(struct timelog *log, int64_t now_ms)
{
	log->times[log->next] = now_ms;
	log->next = (log->next + 1) % log->cap;
	if (log->len < log->cap)
		log->len++;
}

/* Milliseconds until fewer than log->cap sends lie in the last window_ms:
 * the oldest of the last cap sends must be window_ms old. */
static int64_t
timelog_wait(const struct timelog *log, int64_t window_ms, int64_t now_ms)
{
	if (log->len < log->cap)
		return 0;
	int64_t w = log->times[log->next] + window_ms - now_ms;
	return w > 0 ? w : 0;
}

static int64_t
timelog_newest(const struct timelog *log)
{
	assert(log->len > 0);
	return log->times[(log->next + log->cap - 1) % log->cap];
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* Milliseconds from now_ms to deadline_ms, 0 once it has passed. Compares
 * before subtracting: an unset hold is INT64_MIN. */
static int64_t
until(int64_t deadline_ms, int64_t now_ms)
{
	return deadline_ms > now_ms ? deadline_ms - now_ms : 0;
}

/* splitmix64's finaliser: chat ids are far from uniform (groups share the
 * -100 prefix), so the low bits need mixing before masking. */
static size_t
chat_hash(int64_t id)
{
	uint64_t x = (uint64_t)id;
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return (size_t)x;
}

/* The slot holding id, or the empty slot where it would go. */
static struct chat_state *
table_slot(struct chat_state *slots, size_t cap, int64_t id)
{
	size_t mask = cap - 1;
	size_t i = chat_hash(id) & mask;
	while (slots[i].id != 0 && slots[i].id != id)
		i = (i + 1) & mask;
	return &slots[i];
}

/* Moves every entry into a fresh table of new_cap slots (a power of two,
 * comfortably above count). */
static void
table_rebuild(struct ratelimit *rl, size_t new_cap)
{
	struct chat_state *slots = xcalloc(new_cap, sizeof *slots);
	for (size_t i = 0; i < rl->cap; i++) {
		if (rl->slots[i].id != 0)
			*table_slot(slots, new_cap,
			    rl->slots[i].id) = rl->slots[i];
	}
	free(rl->slots);
	rl->slots = slots;
	rl->cap = new_cap;
}

static struct chat_state *
chat_find(const struct ratelimit *rl, int64_t id)
{
	struct chat_state *e = table_slot(rl->slots, rl->cap, id);
	return e->id != 0 ? e : NULL;
}

/* The entry for id, created fresh (bucket full, no log, no hold) if
 * needed. The table stays at most 70% full. */
static struct chat_state *
chat_get(struct ratelimit *rl, int64_t id, int64_t now_ms)
{
	assert(id != 0);
	struct chat_state *e = table_slot(rl->slots, rl->cap, id);
	if (e->id != 0)
		return e;
	if ((rl->count + 1) * 10 > rl->cap * 7) {
		table_rebuild(rl, rl->cap * 2);
		e = table_slot(rl->slots, rl->cap, id);
	}
	e->id = id;
	e->last_ms = now_ms;
	e->hold_until = INT64_MIN;
	if (id > 0)
		e->u.tat = now_ms;
	else
		e->u.log = NULL;
	rl->count++;
	return e;
}

static void
chat_release(struct chat_state *e)
{
	if (e->id < 0)
		free(e->u.log);
}

/* The per-chat part of ratelimit_wait: hold, then bucket or group log. */
static int64_t
chat_wait(const struct ratelimit *rl, const struct chat_state *e,
    int64_t now_ms)
{
	int64_t w = until(e->hold_until, now_ms);
	if (e->id > 0) {
		int64_t slack = (int64_t)(rl->cfg.chat_burst - 1) *
		    rl->chat_interval_ms;
		w = max64(w, e->u.tat - slack - now_ms);
	} else if (e->u.log != NULL && e->u.log->len > 0) {
		const struct timelog *log = e->u.log;
		w = max64(w, timelog_newest(log) + GROUP_SPACING_MS - now_ms);
		if (rl->group_minute_checked)
			w = max64(w,
			    timelog_wait(log, MINUTE_WINDOW_MS, now_ms));
	}
	return w > 0 ? w : 0;
}

/* True when e behaves exactly like an entry created now, so dropping it
 * changes no answer: hold over, bucket full, group log out of its window. */
static bool
chat_is_fresh(const struct chat_state *e, int64_t now_ms)
{
	if (e->hold_until > now_ms)
		return false;
	if (e->id > 0)
		return e->u.tat <= now_ms;
	return e->u.log == NULL || e->u.log->len == 0 ||
	    now_ms - timelog_newest(e->u.log) >= MINUTE_WINDOW_MS;
}

/* The pace matches the (stretched) window, so that an even stream never has
 * to wait for the window and bunch up behind it. */
static void
set_window(struct ratelimit *rl, int64_t extra_ms)
{
	rl->extra_ms = extra_ms;
	rl->window_ms = SECOND_WINDOW_MS + extra_ms;
	rl->global_interval_us = rl->window_ms * 1000 / rl->cfg.global_per_s;
	rl->paid_interval_us = rl->window_ms * 1000 / rl->cfg.paid_per_s;
}

struct ratelimit *
ratelimit_new(const struct ratelimit_config *cfg)
{
	assert(cfg->global_per_s > 0 && cfg->paid_per_s > 0);
	assert(cfg->chat_per_s > 0 && cfg->chat_burst > 0);
	assert(cfg->group_per_min > 0);

	struct ratelimit *rl = xcalloc(1, sizeof *rl);
	rl->cfg = *cfg;
	/* Rounded up, so that the bucket never refills faster than
	 * chat_per_s. */
	rl->chat_interval_ms = (1000 + cfg->chat_per_s - 1) / cfg->chat_per_s +
	    RATELIMIT_MARGIN_MS;
	rl->group_minute_checked = cfg->group_per_min <= GROUP_LOG_MAX;
	rl->group_log_cap = rl->group_minute_checked ? cfg->group_per_min
	                                             : GROUP_LOG_MAX;
	rl->global = timelog_new(cfg->global_per_s);
	rl->paid = timelog_new(cfg->paid_per_s);
	rl->global_hold_until = INT64_MIN;
	rl->widened_at = INT64_MIN;
	set_window(rl, 0);
	/* At least 2, so that a send that went out a few ms late (the loop was
	 * busy) does not push every later one back: the schedule catches up,
	 * and the sliding window still caps any second at the budget. */
	rl->global_burst = cfg->global_per_s / 20 > 2 ? cfg->global_per_s / 20
	                                              : 2;
	rl->paid_burst = cfg->paid_per_s / 20 > 2 ? cfg->paid_per_s / 20 : 2;
	rl->cap = TABLE_MIN_CAP;
	rl->slots = xcalloc(rl->cap, sizeof *rl->slots);
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	for (size_t i = 0; i < rl->cap; i++) {
		if (rl->slots[i].id != 0)
			chat_release(&rl->slots[i]);
	}
	free(rl->slots);
	free(rl->global);
	free(rl->paid);
	free(rl);
}

/* Every condition is of the form "now >= some deadline", so the answer is
 * the latest deadline minus now: waiting exactly that long satisfies all of
 * them, and waiting one millisecond less does not. */
static int64_t
pace_wait_ms(int64_t tat_us, int64_t interval_us, int64_t burst, int64_t now_ms)
{
	int64_t early_us = tat_us - now_ms * 1000 - (burst - 1) * interval_us;
	return early_us > 0 ? (early_us + 999) / 1000 : 0;
}

static void
pace_take(int64_t *tat_us, int64_t interval_us, int64_t now_ms)
{
	*tat_us = max64(*tat_us, now_ms * 1000) + interval_us;
}

int64_t
ratelimit_wait(struct ratelimit *rl, int64_t chat_id, bool paid, int64_t now_ms)
{
	int64_t w = until(rl->global_hold_until, now_ms);
	if (rl->cfg.pace && paid)
		w = max64(w,
		    pace_wait_ms(rl->paid_tat_us, rl->paid_interval_us,
		        rl->paid_burst, now_ms));
	else if (rl->cfg.pace)
		w = max64(w,
		    pace_wait_ms(rl->global_tat_us, rl->global_interval_us,
		        rl->global_burst, now_ms));
	w = max64(w,
	    timelog_wait(paid ? rl->paid : rl->global, rl->window_ms, now_ms));
	if (chat_id != 0) {
		const struct chat_state *e = chat_find(rl, chat_id);
		if (e != NULL)
			w = max64(w, chat_wait(rl, e, now_ms));
	}
	return w > 0 ? w : 0;
}

void
ratelimit_take(struct ratelimit *rl, int64_t chat_id, bool paid, int64_t now_ms)
{
	if (rl->extra_ms > 0 && now_ms - rl->widened_at >= WIDEN_DECAY_MS) {
		set_window(rl, rl->extra_ms / 2);
		rl->widened_at = now_ms;
	}
	timelog_push(paid ? rl->paid : rl->global, now_ms);
	if (paid)
		pace_take(&rl->paid_tat_us, rl->paid_interval_us, now_ms);
	else
		pace_take(&rl->global_tat_us, rl->global_interval_us, now_ms);
	if (chat_id == 0)
		return;
	struct chat_state *e = chat_get(rl, chat_id, now_ms);
	e->last_ms = max64(e->last_ms, now_ms);
	if (chat_id > 0) {
		e->u.tat = max64(e->u.tat, now_ms) + rl->chat_interval_ms;
	} else {
		if (e->u.log == NULL)
			e->u.log = timelog_new(rl->group_log_cap);
		timelog_push(e->u.log, now_ms);
	}
}

void
ratelimit_hold(struct ratelimit *rl, int64_t chat_id, int64_t until_ms)
{
	if (chat_id == 0) {
		rl->global_hold_until = max64(rl->global_hold_until, until_ms);
		return;
	}
	/* A new entry's bucket starts full at until_ms: by the time the hold
	 * ends it would have refilled anyway. */
	struct chat_state *e = chat_get(rl, chat_id, until_ms);
	e->hold_until = max64(e->hold_until, until_ms);
	e->last_ms = max64(e->last_ms, until_ms);
}

bool
ratelimit_widen(struct ratelimit *rl, int64_t now_ms)
{
	if (rl->widened_at != INT64_MIN && now_ms - rl->widened_at < 1000)
		return false;
	rl->widened_at = now_ms;
	int64_t extra = rl->extra_ms == 0 ? WIDEN_STEP_MS : rl->extra_ms * 2;
	if (extra > WIDEN_MAX_MS)
		extra = WIDEN_MAX_MS;
	if (extra == rl->extra_ms)
		return false;
	set_window(rl, extra);
	return true;
}

int64_t
ratelimit_window_ms(const struct ratelimit *rl)
{
	return rl->window_ms;
}

/* Drops the entries that are fresh and idle, then rebuilds the table at a
 * size fitting what is left, so that memory shrinks back after a broadcast.
 * O(table size): meant to be called every few seconds, not per send. */
void
ratelimit_gc(struct ratelimit *rl, int64_t now_ms)
{
	size_t removed = 0;
	for (size_t i = 0; i < rl->cap; i++) {
		struct chat_state *e = &rl->slots[i];
		if (e->id == 0 || now_ms - e->last_ms <= IDLE_MS ||
		    !chat_is_fresh(e, now_ms))
			continue;
		chat_release(e);
		e->id = 0;
		removed++;
	}
	if (removed == 0)
		return;
	rl->count -= removed;
	/* Leave the rebuilt table at most half full: room to grow a little
	 * before the next doubling. */
	size_t cap = TABLE_MIN_CAP;
	while (cap < rl->count * 2)
		cap *= 2;
	table_rebuild(rl, cap);
}

size_t
ratelimit_tracked_chats(const struct ratelimit *rl)
{
	return rl->count;
}

/* xorshift64* (Vigna): small, fast and good enough to spread retries; it
 * never leaves the zero state, hence the fixed seed for a zero state. */
static uint64_t
xorshift64star(uint64_t *state)
{
	uint64_t x = *state;
	if (x == 0)
		x = UINT64_C(0x9e3779b97f4a7c15);
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

/* "Full jitter" with a floor: the ceiling is base_ms * 2^(attempt - 1)
 * capped at cap_ms (attempt 1 -> base_ms; attempts below 1 count as 1),
 * and the delay is uniform on [base_ms / 2, ceiling]. The floor keeps a
 * retry storm from hammering the server with near-zero delays, the jitter
 * keeps many clients from retrying in lockstep. Should cap_ms lie below
 * base_ms / 2, the floor wins. Non-positive base_ms gives 0. The modulo
 * bias is negligible for any realistic range (far below 2^64). */
int64_t
backoff_delay_ms(int attempt, int64_t base_ms, int64_t cap_ms,
    uint64_t *rng_state)
{
	if (base_ms <= 0)
		return 0;
	int64_t lo = base_ms / 2;
	int64_t hi = base_ms < cap_ms ? base_ms : cap_ms;
	/* Doubling stops once the cap is reached, so this loop is short even
	 * for a huge attempt, and hi never overflows. */
	for (int i = 1; i < attempt && hi < cap_ms; i++)
		hi = hi > cap_ms / 2 ? cap_ms : hi * 2;
	if (hi < lo)
		hi = lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(xorshift64star(rng_state) % span);
}
