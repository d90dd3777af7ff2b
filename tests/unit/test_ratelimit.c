/* Unit tests for the send limiter (src/bot/ratelimit.c), on a fake clock:
 * every call takes the time in milliseconds, so simulated minutes cost
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dobrobot/bot/ratelimit.h"
#include "dobrobot/core/xalloc.h"

#define SECOND_MS (1000 + RATELIMIT_MARGIN_MS)
#define MINUTE_MS (60000 + RATELIMIT_MARGIN_MS)

static const struct ratelimit_config default_cfg = {
    .global_per_s = 30,
    .paid_per_s = 1000,
    .chat_per_s = 1,
    .chat_burst = 3,
    .group_per_min = 20,
};

/* A schedule of send times produced by sending "as fast as allowed". */
struct sends {
	int64_t *t;
	size_t n;
	size_t cap;
};

/* Chat ids for the simulation: a fixed chat, or a new private chat per
 * send (so that only the global or paid budget binds). */
#define NEW_CHAT_EACH_SEND 0

/* Sends as fast as the limiter allows during [0, duration_ms): whenever
 * ratelimit_wait says 0 the message goes out, otherwise the clock jumps by
 * exactly the wait, which must then be enough. */
static void
simulate(struct ratelimit *rl, int64_t chat_id, bool paid, int64_t duration_ms,
    struct sends *s)
{
	int64_t now = 0;
	int64_t next_id = 1;
	s->n = 0;
	while (now < duration_ms) {
		int64_t id = chat_id != NEW_CHAT_EACH_SEND ? chat_id : next_id;
		int64_t w = ratelimit_wait(rl, id, paid, now);
		assert_true(w >= 0);
		if (w > 0) {
			now += w;
			/* Waiting exactly the answer is enough. */
			assert_int_equal(ratelimit_wait(rl, id, paid, now), 0);
			continue;
		}
		ratelimit_take(rl, id, paid, now);
		next_id++;
		assert_true(s->n < s->cap);
		s->t[s->n++] = now;
	}
}

static void
sends_init(struct sends *s, size_t cap)
{
	s->t = xcalloc(cap, sizeof *s->t);
	s->n = 0;
	s->cap = cap;
}

/* No window of window_ms (half-open) holds more than limit sends, i.e.
 * send i and send i + limit are at least window_ms apart. */
static void
assert_window(const struct sends *s, size_t limit, int64_t window_ms)
{
	for (size_t i = 0; i + limit < s->n; i++)
		assert_true(s->t[i + limit] - s->t[i] >= window_ms);
}

static void
check_bulk_rate(bool paid, int per_s)
{
	struct ratelimit *rl = ratelimit_new(&default_cfg);
	struct sends s;
	sends_init(&s, (size_t)per_s * 11);

	simulate(rl, NEW_CHAT_EACH_SEND, paid, 10000, &s);
	/* (a) never more than per_s in any 1000 ms, with the margin on top */
	assert_window(&s, (size_t)per_s, 1000);
	assert_window(&s, (size_t)per_s, SECOND_MS);
	/* (b) at least 98% of the allowed rate over 10 s */
	assert_true(s.n * 100 >= (size_t)per_s * 10 * 98);

	free(s.t);
	ratelimit_free(rl);
}

static void
test_global_30_per_s(void **state)
{
	(void)state;
	check_bulk_rate(false, 30);
}

static void
test_paid_1000_per_s(void **state)
{
	(void)state;
	check_bulk_rate(true, 1000);
}

static void
test_paid_and_unpaid_independent(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);

	/* Exhaust the free budget: paid sends still go. */
	for (int64_t id = 1; id <= 30; id++)
		ratelimit_take(rl, id, false, 0);
	assert_int_equal(ratelimit_wait(rl, 100, false, 0), SECOND_MS);
	assert_int_equal(ratelimit_wait(rl, 100, true, 0), 0);

	/* Exhaust the paid budget: the free one is where it was. */
	for (int64_t id = 1001; id <= 2000; id++)
		ratelimit_take(rl, id, true, 5);
	assert_int_equal(ratelimit_wait(rl, 100, true, 5), SECOND_MS);
	assert_int_equal(ratelimit_wait(rl, 100, false, 5), SECOND_MS - 5);
	assert_int_equal(ratelimit_wait(rl, 100, false, SECOND_MS), 0);
	assert_int_equal(ratelimit_wait(rl, 100, true, SECOND_MS), 5);
	ratelimit_free(rl);

	/* Paid sends alone leave the whole free budget. */
	rl = ratelimit_new(&default_cfg);
	for (int64_t id = 1; id <= 500; id++)
		ratelimit_take(rl, id, true, 0);
	for (int64_t id = 501; id <= 529; id++) {
		assert_int_equal(ratelimit_wait(rl, id, false, 0), 0);
		ratelimit_take(rl, id, false, 0);
	}
	assert_int_equal(ratelimit_wait(rl, 600, false, 0), 0);
	ratelimit_free(rl);
}

static void
test_private_burst_then_1_per_s(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);
	struct sends s;
	sends_init(&s, 64);

	simulate(rl, 42, false, 10000, &s);
	/* Three at once, then one every second plus the margin. */
	assert_true(s.n >= 3 + 9);
	assert_int_equal(s.t[0], 0);
	assert_int_equal(s.t[1], 0);
	assert_int_equal(s.t[2], 0);
	for (size_t i = 3; i < s.n; i++)
		assert_int_equal(s.t[i] - s.t[i - 1], SECOND_MS);
	assert_int_equal(ratelimit_wait(rl, 42, false, s.t[s.n - 1]),
	    SECOND_MS);

	/* Another chat is untouched, apart from the global budget. */
	assert_int_equal(ratelimit_wait(rl, 43, false, s.t[s.n - 1]), 0);

	/* Idle for three intervals: the burst is back, and no more. */
	int64_t t = s.t[s.n - 1] + 3 * SECOND_MS;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ratelimit_wait(rl, 42, false, t), 0);
		ratelimit_take(rl, 42, false, t);
	}
	assert_int_equal(ratelimit_wait(rl, 42, false, t), SECOND_MS);

	/* A long silence does not store up more than the burst. */
	t += 600000;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ratelimit_wait(rl, 42, false, t), 0);
		ratelimit_take(rl, 42, false, t);
	}
	assert_int_equal(ratelimit_wait(rl, 42, false, t), SECOND_MS);

	free(s.t);
	ratelimit_free(rl);
}

static void
test_private_faster_chat_rate(void **state)
{
	(void)state;
	struct ratelimit_config cfg = default_cfg;
	cfg.chat_per_s = 3; /* 334 ms (rounded up) plus the margin */
	cfg.chat_burst = 1;
	struct ratelimit *rl = ratelimit_new(&cfg);

	ratelimit_take(rl, 7, false, 0);
	assert_int_equal(ratelimit_wait(rl, 7, false, 0),
	    334 + RATELIMIT_MARGIN_MS);
	ratelimit_free(rl);
}

static void
check_group(int group_per_min, size_t expect_min)
{
	struct ratelimit_config cfg = default_cfg;
	cfg.group_per_min = group_per_min;
	struct ratelimit *rl = ratelimit_new(&cfg);
	struct sends s;
	sends_init(&s, 512);

	simulate(rl, -1001234567890, false, 5 * 60000, &s);
	for (size_t i = 1; i < s.n; i++)
		assert_true(s.t[i] - s.t[i - 1] >= SECOND_MS);
	if ((size_t)group_per_min < s.n) {
		assert_window(&s, (size_t)group_per_min, 60000);
		assert_window(&s, (size_t)group_per_min, MINUTE_MS);
	}
	assert_true(s.n >= expect_min);

	free(s.t);
	ratelimit_free(rl);
}

static void
test_group_20_per_min_1s_apart(void **state)
{
	(void)state;
	/* 20 a minute for 5 minutes: 98% of 100 */
	check_group(20, 98);
}

static void
test_group_large_per_min_spacing_only(void **state)
{
	(void)state;
	/* A per-minute limit above 60 cannot bind: 1 s spacing is all. */
	check_group(1000, 5 * 60000 / SECOND_MS);
}

static void
test_hold_one_chat(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);

	ratelimit_hold(rl, 5, 5000);
	ratelimit_hold(rl, -100777, 7000);
	assert_int_equal(ratelimit_wait(rl, 5, false, 0), 5000);
	assert_int_equal(ratelimit_wait(rl, 5, true, 1000), 4000);
	assert_int_equal(ratelimit_wait(rl, -100777, false, 1000), 6000);
	/* Others are not delayed. */
	assert_int_equal(ratelimit_wait(rl, 6, false, 0), 0);
	assert_int_equal(ratelimit_wait(rl, -100778, false, 0), 0);
	ratelimit_take(rl, 6, false, 0);
	/* A hold never shortens: a shorter deadline leaves the longer. */
	ratelimit_hold(rl, 5, 3000);
	assert_int_equal(ratelimit_wait(rl, 5, false, 0), 5000);
	/* At the deadline the chat may send, with its whole burst. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ratelimit_wait(rl, 5, false, 5000), 0);
		ratelimit_take(rl, 5, false, 5000);
	}
	assert_int_equal(ratelimit_wait(rl, 5, false, 5000), SECOND_MS);
	assert_int_equal(ratelimit_wait(rl, -100777, false, 7000), 0);
	ratelimit_free(rl);
}

static void
test_global_hold(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);

	ratelimit_hold(rl, 0, 2000);
	assert_int_equal(ratelimit_wait(rl, 1, false, 0), 2000);
	assert_int_equal(ratelimit_wait(rl, 2, true, 500), 1500);
	assert_int_equal(ratelimit_wait(rl, -100123, false, 1999), 1);
	assert_int_equal(ratelimit_wait(rl, 0, false, 0), 2000);
	assert_int_equal(ratelimit_wait(rl, 1, false, 2000), 0);
	/* A later, shorter hold does not cut the current one short. */
	ratelimit_hold(rl, 0, 2500);
	ratelimit_hold(rl, 0, 2100);
	assert_int_equal(ratelimit_wait(rl, 1, false, 2000), 500);
	/* The global hold and a longer chat hold: the longer wins. */
	ratelimit_hold(rl, 0, 4000);
	ratelimit_hold(rl, 9, 6000);
	assert_int_equal(ratelimit_wait(rl, 9, false, 3000), 3000);
	assert_int_equal(ratelimit_wait(rl, 8, false, 3000), 1000);
	/* The global hold creates no per-chat state. */
	assert_int_equal(ratelimit_tracked_chats(rl), 1);
	ratelimit_free(rl);
}

/* Asking does not consume and creates nothing. */
static void
test_wait_is_read_only(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);
	for (int64_t id = 1; id <= 1000; id++) {
		assert_int_equal(ratelimit_wait(rl, id, false, 0), 0);
		assert_int_equal(ratelimit_wait(rl, -id, true, 0), 0);
	}
	assert_int_equal(ratelimit_tracked_chats(rl), 0);
	ratelimit_take(rl, 1, false, 0);
	ratelimit_take(rl, 1, false, 0);
	ratelimit_take(rl, 1, false, 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(ratelimit_wait(rl, 1, false, 10),
		    SECOND_MS - 10);
	assert_int_equal(ratelimit_tracked_chats(rl), 1);
	ratelimit_free(rl);
}

static uint64_t
test_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Collecting garbage changes no answer. */
static void
gc_changes_nothing(struct ratelimit *rl, const int64_t *chats, size_t n,
    int64_t now)
{
	int64_t before[2][16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		before[0][i] = ratelimit_wait(rl, chats[i], false, now);
		before[1][i] = ratelimit_wait(rl, chats[i], true, now);
	}
	ratelimit_gc(rl, now);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ratelimit_wait(rl, chats[i], false, now),
		    before[0][i]);
		assert_int_equal(ratelimit_wait(rl, chats[i], true, now),
		    before[1][i]);
	}
}

/* A random mix of chats, budgets, holds and clock steps: the answer is
 * always exact, i.e. enough and not a millisecond more than needed. */
static void
test_wait_exact(void **state)
{
	(void)state;
	struct ratelimit_config cfg = default_cfg;
	cfg.global_per_s = 5;
	cfg.paid_per_s = 8;
	cfg.group_per_min = 4;
	struct ratelimit *rl = ratelimit_new(&cfg);
	static const int64_t chats[] = {1, 2, 3, -10, -11, -1009999999999};
	uint64_t x = 12345;
	int64_t now = 1000000;

	for (int step = 0; step < 20000; step++) {
		int64_t id = chats[test_rand(&x) % 6];
		bool paid = test_rand(&x) % 4 == 0;
		int64_t w = ratelimit_wait(rl, id, paid, now);
		if (w > 0) {
			int64_t early = ratelimit_wait(rl, id, paid,
			    now + w - 1);
			assert_true(early > 0);
			assert_int_equal(ratelimit_wait(rl, id, paid, now + w),
			    0);
			if (test_rand(&x) % 2)
				now += w;
		} else {
			ratelimit_take(rl, id, paid, now);
		}
		switch (test_rand(&x) % 50) {
		case 0:
			ratelimit_hold(rl, id,
			    now + (int64_t)(test_rand(&x) % 5000));
			break;
		case 1:
			ratelimit_hold(rl, 0,
			    now + (int64_t)(test_rand(&x) % 3000));
			break;
		case 2:
			gc_changes_nothing(rl, chats, 6, now);
			break;
		default:
			now += (int64_t)(test_rand(&x) % 300);
			break;
		}
	}
	ratelimit_free(rl);
}

static void
test_gc_bounded_after_100000_chats(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);

	/* 100,000 distinct chats, a tenth of them groups. */
	for (int64_t i = 1; i <= 100000; i++) {
		int64_t id = i % 10 == 0 ? -1000000000000 - i : 500000000 + i;
		ratelimit_take(rl, id, true, i / 100);
	}
	assert_int_equal(ratelimit_tracked_chats(rl), 100000);

	/* Still within the minute: nothing goes. */
	ratelimit_gc(rl, 30000);
	assert_int_equal(ratelimit_tracked_chats(rl), 100000);

	/* Things that still matter at t = 100 s (sent in time order). */
	int64_t t = 100000;
	/* A private chat idle for 90 s, but 121 messages in debt. */
	for (int i = 0; i < 121; i++)
		ratelimit_take(rl, 44, false, 10000);
	/* A group whose one message is 60.005 s old: still in its window. */
	ratelimit_take(rl, -46, false, t - 60005);
	/* A group with 20 messages in the last minute. */
	for (int i = 0; i < 19; i++)
		ratelimit_take(rl, -47, false, t - 60005 + i * SECOND_MS);
	ratelimit_take(rl, -47, false, t - 20000);
	/* A group sent to 0.5 s ago, and a private chat whose burst was spent
	 * 0.5 s ago. */
	ratelimit_take(rl, -42, false, t - 500);
	for (int i = 0; i < 3; i++)
		ratelimit_take(rl, 43, false, t - 500);
	/* A chat on hold. */
	ratelimit_hold(rl, 45, t + 30000);

	ratelimit_gc(rl, t);
	assert_int_equal(ratelimit_tracked_chats(rl), 6);
	assert_int_equal(ratelimit_wait(rl, -42, false, t), SECOND_MS - 500);
	assert_int_equal(ratelimit_wait(rl, 43, false, t), SECOND_MS - 500);
	assert_int_equal(ratelimit_wait(rl, 44, false, t),
	    10000 + 121 * SECOND_MS - 2 * SECOND_MS - t);
	assert_int_equal(ratelimit_wait(rl, 45, false, t), 30000);
	assert_int_equal(ratelimit_wait(rl, -46, false, t), 0);
	/* -47 waits for its first message of the minute to leave the
	 * window. */
	assert_int_equal(ratelimit_wait(rl, -47, false, t),
	    RATELIMIT_MARGIN_MS - 5);

	/* Much later, everything is idle and fresh. */
	ratelimit_gc(rl, t + 300000);
	assert_int_equal(ratelimit_tracked_chats(rl), 0);
	assert_int_equal(ratelimit_wait(rl, -42, false, t + 300000), 0);

	ratelimit_free(rl);
}

/* A broadcast to 100,000 chats at the free rate, with gc every 10 s: the
 * tracked set stays around a minute's worth of recipients. */
static void
test_gc_during_broadcast(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);
	int64_t now = 0, next_gc = 10000;
	size_t peak = 0;

	for (int64_t id = 1; id <= 100000;) {
		int64_t w = ratelimit_wait(rl, id, false, now);
		if (w > 0) {
			now += w;
		} else {
			ratelimit_take(rl, id++, false, now);
		}
		if (now >= next_gc) {
			ratelimit_gc(rl, now);
			next_gc += 10000;
		}
		if (ratelimit_tracked_chats(rl) > peak)
			peak = ratelimit_tracked_chats(rl);
	}
	/* 30 per 1010 ms for 60 s of idleness plus 10 s between collections */
	assert_true(peak <= 30 * 72);
	assert_true(now >= 100000 / 30 * 1000);
	ratelimit_free(rl);
}

static void
test_backoff(void **state)
{
	(void)state;
	uint64_t rng = 1;
	const int64_t base = 1000, cap = 60000;

	for (int attempt = 1; attempt <= 12; attempt++) {
		int64_t ceiling = base << (attempt - 1);
		if (ceiling > cap)
			ceiling = cap;
		int64_t lo = INT64_MAX, hi = 0;
		for (int i = 0; i < 2000; i++) {
			int64_t d = backoff_delay_ms(attempt, base, cap, &rng);
			assert_true(d >= base / 2);
			assert_true(d <= ceiling);
			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		/* Grows with the attempt, is capped, and has jitter: the
		 * samples cover most of [base / 2, ceiling]. */
		assert_true(hi >= ceiling - (ceiling - base / 2) / 20);
		assert_true(lo <= base / 2 + (ceiling - base / 2) / 20);
	}
	/* Huge attempts neither overflow nor pass the cap. */
	for (int i = 0; i < 100; i++) {
		int64_t d = backoff_delay_ms(1 << 30, base, cap, &rng);
		assert_true(d >= base / 2 && d <= cap);
		d = backoff_delay_ms(64, 3000, INT64_MAX, &rng);
		assert_true(d >= 1500);
	}
	/* Attempt 0 or below counts as the first. */
	for (int i = 0; i < 100; i++)
		assert_true(backoff_delay_ms(0, base, cap, &rng) <= base);
	/* A cap below base / 2 yields to the floor. */
	assert_int_equal(backoff_delay_ms(5, base, 100, &rng), base / 2);
	assert_int_equal(backoff_delay_ms(1, 0, cap, &rng), 0);

	/* Deterministic for a seed; a zero seed works and moves on. */
	uint64_t a = 0, b = 0;
	int64_t first = backoff_delay_ms(10, base, cap, &a);
	assert_int_equal(first, backoff_delay_ms(10, base, cap, &b));
	assert_true(a != 0);
	int distinct = 0;
	int64_t prev = first;
	for (int i = 0; i < 50; i++) {
		int64_t d = backoff_delay_ms(10, base, cap, &a);
		assert_int_equal(d, backoff_delay_ms(10, base, cap, &b));
		if (d != prev)
			distinct++;
		prev = d;
	}
	assert_true(distinct >= 45);
}

static void
test_free_null(void **state)
{
	(void)state;
	ratelimit_free(NULL);
}

/* With pacing, 30/s leaves one message every 33 ms (a catch-up burst of
 * two at most), and any 1010 ms still holds at most 30. */
static void
test_paced_global(void **state)
{
	(void)state;
	struct ratelimit_config cfg = default_cfg;
	cfg.pace = true;
	struct ratelimit *rl = ratelimit_new(&cfg);
	int64_t times[400];
	int n = 0;
	for (int64_t now = 0; now < 10000 && n < 400; now++) {
		while (n < 400 && ratelimit_wait(rl, 0, false, now) == 0) {
			ratelimit_take(rl, 0, false, now);
			times[n++] = now;
		}
	}
	assert_true(n >= 294); /* >= 98% of 30/s over 10 s */
	/* Never three at once: a late send may be followed by one more. */
	for (int i = 2; i < n; i++)
		assert_true(times[i] - times[i - 2] >= 30);
	for (int i = 30; i < n; i++)
		assert_true(times[i] - times[i - 30] >= 1000);
	ratelimit_free(rl);
}

/* A 429 widens the global window by 10 ms, doubling on each further 429 a
 * second or more later, up to 80 ms; ten quiet minutes halve it. */
static void
test_widen_after_429(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(&default_cfg);
	for (int64_t id = 1; id <= 30; id++)
		ratelimit_take(rl, id, false, 0);
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS);
	assert_int_equal(ratelimit_wait(rl, 99, false, 0), SECOND_MS);

	assert_true(ratelimit_widen(rl, 0));
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 10);
	assert_int_equal(ratelimit_wait(rl, 99, false, 0), SECOND_MS + 10);
	/* A bunch of 429s within a second counts once. */
	assert_false(ratelimit_widen(rl, 999));
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 10);
	assert_true(ratelimit_widen(rl, 1000));
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 20);
	assert_true(ratelimit_widen(rl, 2000));
	assert_true(ratelimit_widen(rl, 3000));
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 80);
	assert_false(ratelimit_widen(rl, 4000)); /* the cap */
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 80);

	/* The paid budget and the pace follow the widened window. */
	struct ratelimit_config cfg = default_cfg;
	cfg.pace = true;
	struct ratelimit *paced = ratelimit_new(&cfg);
	ratelimit_widen(paced, 0);
	struct sends s;
	sends_init(&s, 1100 * 11);
	simulate(paced, NEW_CHAT_EACH_SEND, true, 10000, &s);
	assert_window(&s, 1000, SECOND_MS + 10);
	assert_true(s.n * 100 >= 1000 * 10 * 97);
	free(s.t);
	ratelimit_free(paced);

	/* Quiet since the last 429 (at 4000, capped but still counted): the
	 * next take after ten minutes halves the extra, the one after ten
	 * more halves it again. */
	ratelimit_take(rl, 1, false, 4000 + 599999);
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 80);
	ratelimit_take(rl, 1, false, 4000 + 600000);
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 40);
	ratelimit_take(rl, 1, false, 4000 + 1200000);
	assert_int_equal(ratelimit_window_ms(rl), SECOND_MS + 20);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paced_global),
	    cmocka_unit_test(test_widen_after_429),
	    cmocka_unit_test(test_global_30_per_s),
	    cmocka_unit_test(test_paid_1000_per_s),
	    cmocka_unit_test(test_paid_and_unpaid_independent),
	    cmocka_unit_test(test_private_burst_then_1_per_s),
	    cmocka_unit_test(test_private_faster_chat_rate),
	    cmocka_unit_test(test_group_20_per_min_1s_apart),
	    cmocka_unit_test(test_group_large_per_min_spacing_only),
	    cmocka_unit_test(test_hold_one_chat),
	    cmocka_unit_test(test_global_hold),
	    cmocka_unit_test(test_wait_is_read_only),
	    cmocka_unit_test(test_wait_exact),
	    cmocka_unit_test(test_gc_bounded_after_100000_chats),
	    cmocka_unit_test(test_gc_during_broadcast),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
