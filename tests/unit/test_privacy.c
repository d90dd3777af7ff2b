/* Forgetting and retention on a real SQLite file (store/privacy.c): what
 * /forgetme deletes and keeps, the message in flight that goes once done,
 * the WAL emptied, and what the retention job deletes at which age. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/store/privacy.h"
#include "dobrobot/store/store.h"
#include "fixture.h"

#define DAY ((int64_t)24 * 3600 * 1000)
#define NOW ((int64_t)1800000000000)
#define MARIA 735501234
#define PAVEL 735509876

static void
exec_ok(struct store *st, const char *sql)
{
	assert_int_equal(store_exec(st, sql), 0);
}

static int64_t
count(struct store *st, const char *sql)
{
	return fixture_scalar(st, sql);
}

/* Maria with a pledge, a message done, one pending, one being sent, one
 * to Pavel naming her; Pavel with his own. */
static void
seed(struct store *st)
{
	exec_ok(st,
	    "INSERT INTO users(id, first_name, username, created_at,"
	    " updated_at) VALUES (735501234, 'Мария', 'maria_k', 1, 1),"
	    " (735509876, 'Павел', NULL, 1, 1)");
	exec_ok(st,
	    "INSERT INTO actions(id, author_id, title, description,"
	    " direction, created_at, updated_at) VALUES (1, 1, 't', 'd', 's',"
	    " 1, 1)");
	exec_ok(st,
	    "INSERT INTO pledges(action_id, user_id, kind, amount,"
	    " created_at, updated_at, display_name) VALUES"
	    " (1, 735501234, 'money', 100, 1, 1, 'Мария П.'),"
	    " (1, 735509876, 'money', 200, 1, 1, 'Павел')");
	exec_ok(st,
	    "INSERT INTO outbox(chat_id, method, payload, kind,"
	    " priority, state, created_at) VALUES"
	    " (735501234, 'sendMessage', '{}', 'reply', 0, 'sent', 1),"
	    " (735501234, 'sendMessage', '{}', 'reply', 0, 'pending', 1),"
	    " (735501234, 'sendMessage', '{}', 'broadcast', 0, 'sending', 1),"
	    " (1, 'sendMessage', '{\"text\":\"Мария П. — 1 ₽\"}', 'reply', 0,"
	    "  'sent', 1),"
	    " (1, 'sendMessage', '{\"text\":\"Павел — 2 ₽\"}', 'reply', 0,"
	    "  'sent', 1)");
}

static void
test_forget_in_flight_message_goes_once_done(void **state)
{
	struct fixture *f = *state;
	seed(f->st);
	struct forget_counts c;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_forget(f->st, MARIA, &c), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(c.pledges, 1);
	assert_int_equal(c.messages, 2);
	assert_int_equal(c.named, 1);
	/* The one in flight stays until done, then goes. */
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " chat_id = 735501234 AND kind = 'forgotten'"),
	    1);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " payload LIKE '%Мария%'"),
	    0);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " payload LIKE '%Павел%'"),
	    1);
	/* The WAL is emptied when the forgetting commits. */
	struct stat sb;
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	/* Not yet: her message is still in flight. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_after_forgotten(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	exec_ok(f->st,
	    "UPDATE outbox SET state = 'sent'"
	    " WHERE kind = 'forgotten'");
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " chat_id = 735501234"),
	    0);
	assert_true(stat(wal, &sb) == 0 && sb.st_size > 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_after_forgotten(f->st), 1);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	/* Done once: the mark is gone. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_after_forgotten(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(
	    count(f->st,
	        "SELECT count(*) FROM pledges WHERE"
	        " user_id IS NULL AND anonymous = 1 AND display_name IS NULL"),
	    1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM users"), 1);
}

static void
test_retention_by_age(void **state)
{
	struct fixture *f = *state;
	seed(f->st);
	sqlite3_stmt *s = store_stmt(f->st,
	    "INSERT INTO dead_letters(update_id, raw, error, created_at)"
	    " VALUES (?1, '{}', 'e', ?2)");
	sqlite3_bind_int64(s, 1, 1);
	sqlite3_bind_int64(s, 2, NOW - 31 * DAY);
	assert_int_equal(store_step_done(f->st, s), 0);
	s = store_stmt(f->st,
	    "INSERT INTO dead_letters(update_id, raw, error, created_at)"
	    " VALUES (?1, '{}', 'e', ?2)");
	sqlite3_bind_int64(s, 1, 2);
	sqlite3_bind_int64(s, 2, NOW - 29 * DAY);
	assert_int_equal(store_step_done(f->st, s), 0);
	/* Done rows sent 91 and 89 days ago, a pending one 100 days old, and
	 * an old reminder of a pledge still awaited. */
	s = store_stmt(f->st,
	    "UPDATE outbox SET sent_at = ?1, created_at = ?1");
	sqlite3_bind_int64(s, 1, NOW - 91 * DAY);
	assert_int_equal(store_step_done(f->st, s), 0);
	s = store_stmt(f->st, "UPDATE outbox SET sent_at = ?1 WHERE id = 5");
	sqlite3_bind_int64(s, 1, NOW - 89 * DAY);
	assert_int_equal(store_step_done(f->st, s), 0);
	exec_ok(f->st,
	    "UPDATE outbox SET ref_type = 'reminder', ref_id = 2"
	    " WHERE id = 4");
	struct prune_counts c;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_prune(f->st, NOW, &c), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(c.dead_letters, 1);
	assert_int_equal(count(f->st, "SELECT update_id FROM dead_letters"), 2);
	/* Row 1 (sent, 91 days) goes; 2 pending, 3 sending, 4 the awaited
	 * pledge's reminder and 5 (89 days) stay. */
	assert_int_equal(c.messages, 1);
	assert_int_equal(count(f->st,
	                     "SELECT group_concat(id) = '2,3,4,5'"
	                     " FROM (SELECT id FROM outbox ORDER BY id)"),
	    1);
	/* Once the pledge is no longer awaited, its reminder goes too. */
	exec_ok(f->st, "UPDATE pledges SET status = 'received' WHERE id = 2");
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(privacy_prune(f->st, NOW, &c), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(c.messages, 1);
	assert_int_equal(count(f->st,
	                     "SELECT count(*) FROM outbox"
	                     " WHERE id = 4"),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_forget_in_flight_message_goes_once_done, fixture_setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_retention_by_age,
	        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
