/* Pledge expiry on a real SQLite file, with times given, not waited for:
 * the reminder a day before the deadline (max of made and the action's
 * date, plus the days), the lapse at the deadline and never sooner than a
 * day after the reminder, claimed pledges never lapsing, people who cannot
 * be reminded lapsing at the deadline, and the action's version bumped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/store/expiry.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/store.h"
#include "dobrobot/core/xalloc.h"

#include "fixture.h"

#define DAY EXPIRY_DAY_MS
#define T0 ((int64_t)1700000000 * 1000)
#define DAYS 3

static void
user(struct store *st, int64_t id, bool blocked)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO users(id, first_name, blocked, created_at, updated_at)"
	    " VALUES (?, 'x', ?, 0, 0)");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, blocked);
	assert_int_equal(store_step_done(st, s), 0);
}

static int64_t
action(struct store *st, int64_t starts_at_s)
{
	struct action a;
	memset(&a, 0, sizeof a);
	a.author_id = 1;
	a.title = xstrdup("t");
	a.description = xstrdup("d");
	a.direction = xstrdup("социальное");
	a.goal_kopecks = 100000;
	a.volunteers_needed = 3;
	a.starts_at = starts_at_s;
	int64_t id = actions_insert(st, &a, T0);
	action_release(&a);
	assert_true(id > 0);
	return id;
}

static int64_t
pledge(struct store *st, int64_t act, int64_t uid, enum pledge_kind kind,
    int64_t at_ms)
{
	static int64_t update = 1;
	struct pledge p;
	memset(&p, 0, sizeof p);
	p.action_id = act;
	p.user_id = uid;
	p.kind = kind;
	p.amount = kind == PLEDGE_TIME ? 1 : 500;
	bool dup;
	int64_t id = pledges_insert(st, &p, update++, at_ms, &dup);
	assert_true(id > 0);
	return id;
}

static const char *
status(struct store *st, int64_t id)
{
	static char out[16];
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT status FROM pledges WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, sizeof out, "%s", sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return out;
}

/* How many pledges are due for a reminder at now; *first gets the first
 * one's id (0 when none). */
static size_t
due(struct store *st, int64_t now, int64_t *first)
{
	int64_t *ids = NULL;
	size_t n = 0;
	assert_int_equal(expiry_due_reminders(st, now, DAYS, 10, &ids, &n), 0);
	*first = n > 0 ? ids[0] : 0;
	free(ids);
	return n;
}

static void
test_remind_then_lapse(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t first;
	assert_int_equal(store_begin(st), 0);
	user(st, 10, false);
	int64_t a = action(st, 0);
	int64_t p = pledge(st, a, 10, PLEDGE_MONEY, T0);
	/* The reminder a day before the deadline, not sooner. */
	assert_int_equal(due(st, T0 + 2 * DAY - 1, &first), 0);
	assert_int_equal(due(st, T0 + 2 * DAY, &first), 1);
	assert_int_equal(first, p);
	assert_int_equal(expiry_mark_reminded(st, p, T0 + 2 * DAY), 0);
	assert_int_equal(due(st, T0 + 2 * DAY + 1, &first), 0);
	/* The lapse at the deadline. */
	assert_int_equal(expiry_lapse_due(st, T0 + 3 * DAY - 1, DAYS, 10), 0);
	struct action before;
	assert_int_equal(actions_load(st, a, &before), 1);
	assert_int_equal(before.money_promised, 500);
	assert_int_equal(expiry_lapse_due(st, T0 + 3 * DAY, DAYS, 10), 1);
	assert_string_equal(status(st, p), "lapsed");
	struct action after;
	assert_int_equal(actions_load(st, a, &after), 1);
	assert_int_equal(after.money_promised, 0);
	assert_true(after.version > before.version);
	action_release(&before);
	action_release(&after);
	assert_int_equal(expiry_lapse_due(st, T0 + 9 * DAY, DAYS, 10), 0);
	assert_int_equal(store_commit(st), 0);
}

static void
test_late_reminder_claims_and_dates(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t first;
	assert_int_equal(store_begin(st), 0);
	user(st, 20, false);
	user(st, 21, true);
	user(st, 22, false);
	int64_t open = action(st, 0);
	/* The action is ten days after the pledge: the deadline counts from
	 * its date. */
	int64_t dated = action(st, (T0 + 10 * DAY) / 1000);
	int64_t late = pledge(st, open, 20, PLEDGE_GOODS, T0);
	int64_t blocked = pledge(st, open, 21, PLEDGE_MONEY, T0);
	int64_t claimed = pledge(st, open, 22, PLEDGE_MONEY, T0);
	int64_t future = pledge(st, dated, 22, PLEDGE_TIME, T0);
	assert_int_equal(expiry_claim(st, claimed, 99, T0), 0); /* not theirs */
	assert_int_equal(expiry_claim(st, claimed, 22, T0 + DAY), 1);
	assert_int_equal(expiry_claim(st, claimed, 22, T0 + DAY), 0);
	assert_int_equal(expiry_claimed_at(st, claimed), T0 + DAY);
	assert_int_equal(expiry_claimed_at(st, late), 0);
	/* The daemon was down: at day 5 only `late` is due (the blocked one
	 * cannot be reminded, the claimed one waits for the organiser, the
	 * dated one is not due yet). */
	assert_int_equal(due(st, T0 + 5 * DAY, &first), 1);
	assert_int_equal(first, late);
	/* Who cannot be reminded lapses at the deadline; the late reminder
	 * still gives its day. */
	assert_int_equal(expiry_mark_reminded(st, late, T0 + 5 * DAY), 0);
	assert_int_equal(expiry_lapse_due(st, T0 + 5 * DAY, DAYS, 10), 1);
	assert_string_equal(status(st, blocked), "lapsed");
	assert_string_equal(status(st, late), "pledged");
	assert_int_equal(expiry_lapse_due(st, T0 + 6 * DAY - 1, DAYS, 10), 0);
	assert_int_equal(expiry_lapse_due(st, T0 + 6 * DAY, DAYS, 10), 1);
	assert_string_equal(status(st, late), "lapsed");
	/* The dated one: reminded at date + 2 days, never before. */
	assert_int_equal(due(st, T0 + 12 * DAY - 1, &first), 0);
	assert_int_equal(due(st, T0 + 12 * DAY, &first), 1);
	assert_int_equal(first, future);
	/* Someone who can be reminded never lapses unreminded. */
	assert_int_equal(expiry_lapse_due(st, T0 + 100 * DAY, DAYS, 10), 0);
	assert_int_equal(expiry_mark_reminded(st, future, T0 + 12 * DAY), 0);
	/* The claimed one never lapses, and the limit is honoured. */
	assert_int_equal(expiry_lapse_due(st, T0 + 100 * DAY, DAYS, 0), 0);
	assert_int_equal(expiry_lapse_due(st, T0 + 100 * DAY, DAYS, 10), 1);
	assert_string_equal(status(st, future), "lapsed");
	assert_string_equal(status(st, claimed), "pledged");
	/* A volunteer who did not come: only a live pledge. */
	assert_int_equal(expiry_lapse_one(st, claimed, T0), 1);
	assert_int_equal(expiry_lapse_one(st, claimed, T0), 0);
	assert_int_equal(expiry_lapse_one(st, 999, T0), 0);
	assert_int_equal(store_commit(st), 0);
}

/* Once an action is closed, its closing report has told everyone how it
 * ended: a pledge that never came gets no "it lapses tomorrow" after that. */
static void
test_no_reminder_after_closing(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t first;
	assert_int_equal(store_begin(st), 0);
	user(st, 11, false);
	int64_t a = action(st, 0);
	int64_t p = pledge(st, a, 11, PLEDGE_MONEY, T0);
	assert_int_equal(due(st, T0 + 2 * DAY, &first), 1);
	assert_int_equal(first, p);
	assert_int_equal(actions_close(st, a, "итог", T0 + DAY), 1);
	assert_int_equal(due(st, T0 + 2 * DAY, &first), 0);
	assert_int_equal(store_commit(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_remind_then_lapse,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_late_reminder_claims_and_dates,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_no_reminder_after_closing,
	        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
