/* Exactly-once processing of getUpdates batches on a real SQLite file:
 * duplicates recognised by id (not by order), poison updates dead-lettered,
 * schema versions checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/config.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/store.h"
#include "dobrobot/store/updates.h"

#include "fixture.h"

static json_t *
message(int64_t update_id, int64_t user, const char *text)
{
	return json_pack("{s:I, s:{s:i, s:i, s:{s:I, s:s}, s:{s:I, s:b, s:s,"
	                 " s:s}, s:s}}",
	    "update_id", (json_int_t)update_id, "message", "message_id", 1,
	    "date", 1700000000, "chat", "id", (json_int_t)user, "type",
	    "private", "from", "id", (json_int_t)user, "is_bot", 0,
	    "first_name", "Иван", "language_code", "ru", "text", text);
}

static int64_t
count(struct store *st, const char *sql)
{
	return fixture_scalar(st, sql);
}

static void
test_batch_once(void **state)
{
	struct fixture *f = *state;
	json_t *batch = json_array();
	for (int i = 0; i < 5; i++)
		json_array_append_new(batch,
		    message(100 + i, 10 + i, "/start"));
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(next, 105);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 5);
	assert_int_equal(count(f->st, "SELECT count(*) FROM users"), 5);
	/* Telegram redelivers the same batch (the confirming poll was lost). */
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(next, 105);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 5);
	int64_t last = 0;
	assert_int_equal(store_state_get_int(f->st, "last_update_id", &last),
	    0);
	assert_int_equal(last, 104);
	json_decref(batch);
}

static void
test_ids_restart_lower(void **state)
{
	struct fixture *f = *state;
	json_t *batch = json_array();
	json_array_append_new(batch, message(900000, 10, "/start"));
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	json_decref(batch);
	/* After a week of silence ids may restart at a lower random value:
	 * these are new updates, not old ones. */
	batch = json_array();
	json_array_append_new(batch, message(5000, 10, "/help"));
	json_array_append_new(batch, message(5001, 10, "/start"));
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(next, 5002);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 3);
	json_decref(batch);
}

static void
test_poison_update(void **state)
{
	struct fixture *f = *state;
	json_t *batch = json_array();
	json_array_append_new(batch, message(200, 10, "/start"));
	json_t *bad = message(201, 11, "/start");
	/* A sender whose id is not a number: the handler fails. */
	json_object_set_new(json_object_get(json_object_get(bad, "message"),
	                        "from"),
	    "id", json_string("eleven"));
	json_array_append_new(batch, bad);
	json_array_append_new(batch, message(202, 12, "/start"));
	json_array_append_new(batch, json_pack("{s:s}", "nonsense", "x"));
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(next, 203);
	assert_int_equal(count(f->st, "SELECT count(*) FROM dead_letters"), 2);
	assert_int_equal(
	    count(f->st,
	        "SELECT count(*) FROM dead_letters"
	        " WHERE update_id = 201 AND error LIKE '%malformed sender%'"),
	    1);
	/* Two greetings and one apology to the poisoned chat. */
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 3);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " chat_id = 11 AND payload LIKE '%Простите%'"),
	    1);
	/* The poisoned update's other effects were rolled back. */
	assert_int_equal(count(f->st, "SELECT count(*) FROM users"), 2);
	assert_true(updates_seen(f->st, 201));
	json_decref(batch);
}

/* Issue 17: an update without update_id cannot be confirmed, so it comes
 * back with every poll: one dead letter, however often it is fetched. */
static void
test_unconfirmable_kept_once(void **state)
{
	struct fixture *f = *state;
	json_t *batch = json_array();
	json_t *u = message(1, 10, "/start");
	json_object_del(u, "update_id");
	json_array_append_new(batch, u);
	for (int i = 0; i < 3; i++) {
		int64_t next = -1;
		assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
		assert_int_equal(next, 0);
	}
	assert_int_equal(
	    count(f->st,
	        "SELECT count(*) FROM dead_letters"
	        " WHERE update_id = 0 AND error = 'update without an update_id'"),
	    1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 0);
	json_decref(batch);
}

/* The same id twice in one batch: a copy is handled once; a different
 * update under it is dead-lettered with an apology, not dropped. */
static void
test_repeated_id_in_one_batch(void **state)
{
	struct fixture *f = *state;
	json_t *batch = json_array();
	json_array_append_new(batch, message(300, 20, "/start"));
	json_array_append_new(batch, message(300, 20, "/start"));
	json_array_append_new(batch, message(300, 21, "/help"));
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(next, 301);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox"
	                     " WHERE chat_id = 20"),
	    1);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " chat_id = 21 AND payload LIKE '%Простите%'"),
	    1);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM dead_letters"
	                     " WHERE update_id = 300 AND raw LIKE '%/help%'"
	                     " AND error LIKE '%same update_id%'"),
	    1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM users"), 1);
	json_decref(batch);
}

/* NUL and the bidi and zero-width marks leave every string of an update
 * before a handler sees it: names as stored, texts as read. */
static void
test_invisible_marks_stripped(void **state)
{
	struct fixture *f = *state;
	json_t *u = message(500, 30, "x");
	json_t *msg = json_object_get(u, "message");
	json_object_set_new(msg, "text",
	    json_stringn("/st\0art\xE2\x80\x8B", 10));
	json_object_set_new(json_object_get(msg, "from"), "first_name",
	    json_string("\xE2\x80\xAE\xE2\x82\xBD 000 05 \xE2\x81\xA6"));
	json_t *batch = json_array();
	json_array_append_new(batch, u);
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM users WHERE id = 30"
	                     " AND first_name = '\xE2\x82\xBD 000 05 '"),
	    1);
	/* The greeting of /start, with the name as stored. */
	assert_int_equal(
	    count(f->st,
	        "SELECT count(*) FROM outbox WHERE"
	        " chat_id = 30 AND payload LIKE '%\xE2\x82\xBD 000 05%'"
	        " AND payload NOT LIKE '%\xE2\x80\xAE%'"),
	    1);
	json_decref(batch);
}

/* An update the poller could not read at all: its bytes are kept readable
 * (\xNN for what is not text), its id processed and the offset's base. */
static void
test_set_aside_unreadable(void **state)
{
	struct fixture *f = *state;
	static const char body[] =
	    "{\"update_id\":400,\"t\":\"\0\xFF\xD0\x96\"";
	for (int i = 0; i < 2; i++)
		assert_int_equal(bot_set_aside_unreadable(&f->env, 400, body,
		                     sizeof body - 1, "unreadable"),
		    0);
	assert_int_equal(
	    count(f->st,
	        "SELECT count(*) FROM dead_letters WHERE"
	        " update_id = 400 AND error = 'unreadable' AND raw ="
	        " '{\"update_id\":400,\"t\":\"\\x00\\xFF\xD0\x96\"'"),
	    1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM dead_letters"), 1);
	assert_true(updates_seen(f->st, 400));
	int64_t last = 0;
	assert_int_equal(store_state_get_int(f->st, "last_update_id", &last),
	    0);
	assert_int_equal(last, 400);
}

static void
test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;
	assert_int_equal(store_exec(f->st, "PRAGMA user_version = 999"), 0);
	store_close(f->st);
	f->st = store_open(f->path, false, &cause);
	assert_null(f->st);
	assert_non_null(strstr(cause, "newer dobrobot"));
	free(cause);
	/* Not modified: still 999, and it opens again once "upgraded". */
	sqlite3 *db;
	sqlite3_open(f->path, &db);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	sqlite3_step(s);
	assert_int_equal(sqlite3_column_int(s, 0), 999);
	sqlite3_finalize(s);
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
	    store_schema_version());
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
	sqlite3_close(db);
	f->st = store_open(f->path, false, &cause);
	assert_non_null(f->st);
}

static void
test_outbox_order_and_coalesce(void **state)
{
	struct fixture *f = *state;
	json_t *p = json_pack("{s:s}", "text", "a");
	struct outbox_new m = {.chat_id = 5,
	    .method = "sendMessage",
	    .payload = p,
	    .kind = "broadcast",
	    .priority = PRIO_BROADCAST};
	int64_t first = outbox_enqueue(f->st, &m);
	m.chat_id = 6;
	m.kind = "reply";
	m.priority = PRIO_REPLY;
	int64_t reply = outbox_enqueue(f->st, &m);
	m.chat_id = 5;
	int64_t second = outbox_enqueue(f->st, &m);
	m.chat_id = 7;
	m.method = "editMessageText";
	m.kind = "edit";
	m.priority = PRIO_EDIT;
	m.coalesce_key = "edit:7:1";
	int64_t e1 = outbox_enqueue(f->st, &m);
	json_object_set_new(p, "text", json_string("b"));
	int64_t e2 = outbox_enqueue(f->st, &m);
	assert_int_equal(e1, e2);
	json_decref(p);

	struct outbox_row *rows;
	size_t n;
	assert_int_equal(outbox_ready(f->st, 1, 10, &rows, &n), 0);
	/* The first row of each chat and priority: the replies first (chat
	 * 5's reply does not wait behind its broadcast), then chat 5's
	 * broadcast, then the coalesced edit with the newer text. */
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, reply);
	assert_int_equal(rows[1].id, second);
	assert_int_equal(rows[2].id, first);
	assert_int_equal(rows[3].id, e1);
	assert_non_null(strstr(rows[3].payload, "\"b\""));
	for (size_t i = 0; i < n; i++)
		outbox_row_release(&rows[i]);
	free(rows);

	outbox_mark_sending(f->st, first);
	assert_int_equal(outbox_recover(f->st), 1);
	assert_int_equal(count(f->st,
	                     "SELECT uncertain FROM outbox WHERE id = 1"),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_batch_once, fixture_setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_ids_restart_lower,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_poison_update, fixture_setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_unconfirmable_kept_once,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_repeated_id_in_one_batch,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_invisible_marks_stripped,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_set_aside_unreadable,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_newer_schema_refused,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_order_and_coalesce,
	        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
