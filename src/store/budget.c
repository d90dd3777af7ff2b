/* SQL of the per-user update budget (see budget.h). */
#include "dobrobot/store/budget.h"

#include "dobrobot/core/log.h"

int
budget_count(struct store *st, int64_t user_id, int64_t now_ms)
{
	/* Every SET expression sees the old row, so the window is judged
	 * once for all three. */
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO user_budget(user_id, window_start, updates, warned)"
	    " VALUES (?1, ?2, 1, 0)"
	    " ON CONFLICT(user_id) DO UPDATE SET"
	    "  updates = CASE WHEN ?2 - window_start >= ?3"
	    "   OR ?2 < window_start THEN 1 ELSE updates + 1 END,"
	    "  warned = CASE WHEN ?2 - window_start >= ?3"
	    "   OR ?2 < window_start THEN 0 ELSE warned END,"
	    "  window_start = CASE WHEN ?2 - window_start >= ?3"
	    "   OR ?2 < window_start THEN ?2 ELSE window_start END");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, BUDGET_WINDOW_MS);
	if (store_step_done(st, s) < 0)
		return -1;
	/* Read back rather than RETURNING, which makes SQLite build a
	 * temporary table on every call (this runs for every update). */
	s = store_stmt(st, "SELECT updates FROM user_budget WHERE user_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int n = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	else
		log_error("user_budget: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return n;
}

int
budget_warn_once(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE user_budget SET warned = 1"
	    " WHERE user_id = ? AND warned = 0");
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
}
