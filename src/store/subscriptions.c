/* SQL of subscriptions and of users.subscribe_asked (see subscriptions.h). */
#include "dobrobot/store/subscriptions.h"

#include <stdlib.h>

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

int
subscriptions_for_direction(struct store *st, const char *direction,
    int64_t exclude_user, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT DISTINCT s.user_id FROM subscriptions s"
	    " JOIN users u ON u.id = s.user_id"
	    " WHERE s.direction IN (?1, '*') AND u.blocked = 0 AND u.id != ?2"
	    " ORDER BY s.user_id");
	sqlite3_bind_text(s, 1, direction, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, exclude_user);
	size_t cap = 0, count = 0;
	int64_t *out = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out = xgrow(out, count, &cap, 64, sizeof *out);
		out[count++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("subscribers of %s: %s", direction,
		    sqlite3_errmsg(store_db(st)));
		free(out);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	*ids = out;
	*n = count;
	return 0;
}

int64_t
subscriptions_count(struct store *st, const char *direction,
    int64_t exclude_user)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(DISTINCT s.user_id) FROM subscriptions s"
	    " JOIN users u ON u.id = s.user_id"
	    " WHERE (?1 IS NULL OR s.direction IN (?1, '*'))"
	    " AND u.blocked = 0 AND u.id != ?2");
	if (direction != NULL)
		sqlite3_bind_text(s, 1, direction, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, exclude_user);
	int64_t count = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		count = sqlite3_column_int64(s, 0);
	else
		log_error("%s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return count;
}

int
subscriptions_has(struct store *st, int64_t user_id, const char *direction)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT 1 FROM subscriptions WHERE user_id = ? AND direction = ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, direction, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
subscriptions_general(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT general_broadcasts FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	int on = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) != 0
	    : rc == SQLITE_DONE   ? 1
	                          : -1;
	sqlite3_reset(s);
	return on;
}

int
subscriptions_set_general(struct store *st, int64_t user_id, bool on)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET general_broadcasts = ? WHERE id = ?");
	sqlite3_bind_int(s, 1, on);
	sqlite3_bind_int64(s, 2, user_id);
	return store_step_done(st, s);
}

int
subscriptions_count_user(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM subscriptions WHERE user_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	return step_int(s);
}

int
subscriptions_set(struct store *st, int64_t user_id, const char *direction,
    bool on)
{
	sqlite3_stmt *s;
	if (on)
		s = store_stmt(st,
		    "INSERT OR IGNORE INTO subscriptions(user_id, direction)"
		    " VALUES (?, ?)");
	else
		s = store_stmt(st,
		    "DELETE FROM subscriptions WHERE user_id = ? AND"
		    " direction = ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, direction, -1, SQLITE_TRANSIENT);
	return store_step_done(st, s);
}

int
subscriptions_clear(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM subscriptions WHERE user_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
subscriptions_ask_pending(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT subscribe_asked FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	int pending = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) == 0 : -1;
	sqlite3_reset(s);
	return pending;
}

int
subscriptions_mark_asked(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET subscribe_asked = 1 WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	return store_step_done(st, s);
}
