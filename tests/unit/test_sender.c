/* The sender's choice of what to send (queue heads on a real SQLite file:
 * one chat's backlog does not hide another chat, callback answers all go
 * at once), its refusal to start sends whose 'sending' marks did not
 * commit, and the per-user update budget's window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/store/budget.h"
#include "dobrobot/core/config.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/bot/sender.h"
#include "dobrobot/store/store.h"
#include "dobrobot/tg/tg.h"
#include "fixture.h"

/* The shared fixture, with limits out of the way of these tests. */
static int
setup(void **state)
{
	if (fixture_setup(state) < 0)
		return -1;
	struct fixture *f = *state;
	f->cfg.limits.chat_per_s = 100;
	f->cfg.limits.chat_burst = 100;
	f->cfg.limits.global_per_s = 1000;
	return 0;
}

static int64_t
enqueue(struct store *st, int64_t chat_id, const char *method, const char *kind,
    int priority)
{
	json_t *payload = json_pack("{s:s}", "text", "x");
	struct outbox_new m = {
	    .chat_id = chat_id,
	    .method = method,
	    .payload = payload,
	    .kind = kind,
	    .priority = priority,
	};
	int64_t id = outbox_enqueue(st, &m);
	json_decref(payload);
	assert_true(id > 0);
	return id;
}

static int64_t
reply(struct store *st, int64_t chat_id)
{
	return enqueue(st, chat_id, "sendMessage", "reply", PRIO_REPLY);
}

static int64_t
query_int(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0)
	                                          : -1;
	sqlite3_finalize(s);
	return n;
}

static const char *
state_of(struct store *st, int64_t id)
{
	static char buf[16];
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT state FROM outbox WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	buf[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, sizeof buf, "%s", sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return buf;
}

static void
ready(struct store *st, size_t limit, struct outbox_row **rows, size_t *n)
{
	assert_int_equal(outbox_ready(st, 1000, limit, rows, n), 0);
}

static void
release_rows(struct outbox_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outbox_row_release(&rows[i]);
	free(rows);
}

/* Issue 17: one citizen's 4,300 queued replies used to fill the bounded
 * scan, and another citizen's /help was not even a candidate. */
static void
test_backlog_of_one_chat_does_not_hide_another(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_begin(f->st), 0);
	int64_t first = reply(f->st, 501);
	for (int i = 1; i < 4300; i++)
		reply(f->st, 501);
	int64_t other = reply(f->st, 502);
	assert_int_equal(store_commit(f->st), 0);

	struct outbox_row *rows;
	size_t n;
	ready(f->st, 16, &rows, &n);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[1].id, other);
	assert_int_equal(rows[1].chat_id, 502);
	release_rows(rows, n);
}

/* The heads follow every change of state: sending moves the head on, a
 * retry brings it back, cancelling empties it, a move follows the chat. */
static void
test_heads_follow_the_rows(void **state)
{
	struct fixture *f = *state;
	int64_t a = reply(f->st, 601);
	int64_t b = reply(f->st, 601);
	int64_t c = enqueue(f->st, 601, "sendMessage", "broadcast",
	    PRIO_BROADCAST);
	int64_t d = reply(f->st, 602);
	struct outbox_row *rows;
	size_t n;

	/* One per chat and priority, replies before the broadcast. */
	ready(f->st, 16, &rows, &n);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[1].id, d);
	assert_int_equal(rows[2].id, c);
	release_rows(rows, n);

	assert_int_equal(outbox_mark_sending(f->st, a), 0);
	ready(f->st, 16, &rows, &n);
	assert_int_equal(rows[0].id, b);
	release_rows(rows, n);

	/* a fails to go and waits a minute: b, behind it, may go now. */
	assert_int_equal(outbox_mark_retry(f->st, a, 60000, "later", false,
	                     false),
	    0);
	assert_int_equal(query_int(f->st,
	                     "SELECT head_id FROM outbox_heads"
	                     " WHERE chat_id = 601 AND priority = ?",
	                     PRIO_REPLY),
	    a);
	ready(f->st, 16, &rows, &n);
	assert_int_equal(rows[0].id, b);
	release_rows(rows, n);

	assert_int_equal(outbox_move_chat(f->st, 602, -100602), 0);
	assert_int_equal(query_int(f->st,
	                     "SELECT head_id FROM outbox_heads"
	                     " WHERE chat_id = ?",
	                     -100602),
	    d);
	assert_int_equal(query_int(f->st,
	                     "SELECT count(*) FROM outbox_heads"
	                     " WHERE chat_id = ?",
	                     602),
	    0);

	assert_int_equal(outbox_cancel_chat(f->st, 601, "gone"), 3);
	assert_int_equal(query_int(f->st,
	                     "SELECT count(*) FROM outbox_heads"
	                     " WHERE chat_id = ?",
	                     601),
	    0);
	assert_int_equal(query_int(f->st,
	                     "DELETE FROM outbox WHERE id = ?"
	                     " RETURNING id",
	                     d),
	    d);
	assert_int_equal(query_int(f->st,
	                     "SELECT count(*) FROM outbox_heads"
	                     " WHERE head_id >= ?",
	                     0),
	    0);
}

/* Callback answers share chat 0; they are all candidates at once, not one
 * per look at the outbox. */
static void
test_callback_answers_all_at_once(void **state)
{
	struct fixture *f = *state;
	int64_t menu = enqueue(f->st, 0, "setMyCommands", "menu",
	    PRIO_BROADCAST);
	for (int i = 0; i < 300; i++)
		enqueue(f->st, 0, "answerCallbackQuery",
		    OUTBOX_KIND_CALLBACK_ANSWER, PRIO_REPLY);
	int64_t r = reply(f->st, 701);
	struct outbox_row *rows;
	size_t n;
	ready(f->st, 1000, &rows, &n);
	assert_int_equal(n, 302);
	for (size_t i = 0; i < 300; i++)
		assert_string_equal(rows[i].kind, OUTBOX_KIND_CALLBACK_ANSWER);
	assert_int_equal(rows[300].id, r);
	assert_int_equal(rows[301].id, menu);
	release_rows(rows, n);
}

static int
refuse_commit(void *arg)
{
	int *calls = arg;
	(*calls)++;
	return 1; /* turns the COMMIT into a ROLLBACK */
}

/* Issue 17: when the commit of the 'sending' marks failed, the transfers
 * started anyway; after a crash their rows came back as plain pending, and
 * a duplicate went uncounted. They must not start; the rows stay pending. */
static void
test_failed_commit_of_marks_starts_nothing(void **state)
{
	struct fixture *f = *state;
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = reply(f->st, 801 + i);
	/* Nothing listens there: nothing must be sent anyway. */
	struct tg_client *tg = tg_client_new("http://127.0.0.1:9", "1:x", 16);
	struct sender *s = sender_new(f->st, tg, &f->cfg);
	int calls = 0;
	sqlite3_commit_hook(store_db(f->st), refuse_commit, &calls);

	sender_tick(s);
	assert_true(calls > 0);
	assert_int_equal(sender_in_flight(s), 0);
	assert_int_equal(tg_client_in_flight(tg), 0);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(state_of(f->st, ids[i]), "pending");
		assert_int_equal(query_int(f->st,
		                     "SELECT attempts FROM outbox"
		                     " WHERE id = ?",
		                     ids[i]),
		    0);
	}

	/* The database recovers: the same rows go, marked first. */
	sqlite3_commit_hook(store_db(f->st), NULL, NULL);
	sender_tick(s);
	assert_int_equal(sender_in_flight(s), 3);
	assert_int_equal(tg_client_in_flight(tg), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(state_of(f->st, ids[i]), "sending");

	tg_client_free(tg); /* aborts the three: their answers wait in s */
	sender_free(s);
}

/* A user's updates are counted per minute from the first; the warning is
 * given once per window; a clock that went back starts a new window. */
static void
test_budget_window(void **state)
{
	struct fixture *f = *state;
	int64_t t = 1000000;
	assert_int_equal(budget_count(f->st, 42, t), 1);
	assert_int_equal(budget_count(f->st, 42, t + 100), 2);
	assert_int_equal(budget_count(f->st, 43, t + 100), 1);
	assert_int_equal(budget_count(f->st, 42, t + BUDGET_WINDOW_MS - 1), 3);
	assert_int_equal(budget_warn_once(f->st, 42), 1);
	assert_int_equal(budget_warn_once(f->st, 42), 0);
	assert_int_equal(budget_count(f->st, 42, t + BUDGET_WINDOW_MS), 1);
	assert_int_equal(budget_warn_once(f->st, 42), 1);
	assert_int_equal(budget_count(f->st, 42, t + BUDGET_WINDOW_MS + 5), 2);
	assert_int_equal(budget_count(f->st, 42, t), 1);
}

/* How many times `opcode` appears in the top-level program SQLite compiles
 * for `sql` (each trigger that may fire is one Program opcode in it).
 * EXPLAIN lists the trigger programs after it, each numbered from 0
 * again: the count stops where the numbering does. */
static int
opcodes_in(struct store *st, const char *sql, const char *opcode)
{
	char *explain = NULL;
	assert_true(asprintf(&explain, "EXPLAIN %s", sql) > 0);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), explain, -1, &s,
	                     NULL),
	    SQLITE_OK);
	int n = 0;
	int64_t last = -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t addr = sqlite3_column_int64(s, 0);
		if (addr <= last)
			break;
		last = addr;
		if (strcmp((const char *)sqlite3_column_text(s, 1), opcode) ==
		    0)
			n++;
	}
	sqlite3_finalize(s);
	free(explain);
	return n;
}

/* Every reply's row is inserted and changes state twice: none of those
 * statements may build a temporary b-tree (an IN list of more than two
 * constants in the state CHECK did, on every run), and a change of state
 * runs one trigger program, not seven (issue 21, migration 13). */
static void
test_outbox_writes_stay_cheap(void **state)
{
	struct fixture *f = *state;
	static const char *const hot[] = {
	    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
	    " WHERE id = 1",
	    "UPDATE outbox SET state = 'sent', message_id = 5, sent_at = 1,"
	    " last_error = NULL WHERE id = 1",
	    "INSERT INTO outbox(chat_id, method, payload, kind, priority,"
	    " not_before, coalesce_key, ref_type, ref_id, update_id,"
	    " created_at) VALUES (1, 'sendMessage', '{}', 'reply', 1, 0,"
	    " NULL, NULL, NULL, NULL, 1)",
	};
	for (size_t i = 0; i < sizeof hot / sizeof hot[0]; i++) {
		assert_int_equal(opcodes_in(f->st, hot[i], "OpenEphemeral"), 0);
		assert_int_equal(opcodes_in(f->st, hot[i], "Program"), 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_backlog_of_one_chat_does_not_hide_another, setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_heads_follow_the_rows, setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_callback_answers_all_at_once,
	        setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_failed_commit_of_marks_starts_nothing, setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_budget_window, setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_writes_stay_cheap,
	        setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
