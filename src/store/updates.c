/* SQL of processed_updates and dead_letters (see updates_store.h). */
#include "dobrobot/updates_store.h"

#include "dobrobot/log.h"

bool
updates_seen(struct store *st, int64_t update_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT 1 FROM processed_updates WHERE update_id = ?");
	sqlite3_bind_int64(s, 1, update_id);
	bool seen = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return seen;
}

int
updates_mark(struct store *st, int64_t update_id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT OR IGNORE INTO processed_updates(update_id, processed_at)"
	    " VALUES (?, ?)");
	sqlite3_bind_int64(s, 1, update_id);
	sqlite3_bind_int64(s, 2, now_ms);
	return store_step_done(st, s);
}

int
updates_prune(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM processed_updates WHERE processed_at < ?");
	sqlite3_bind_int64(s, 1, now_ms - PROCESSED_KEEP_MS);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int64_t
dead_letter_add(struct store *st, int64_t update_id, const char *raw,
    const char *error, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO dead_letters(update_id, raw, error, created_at)"
	    " VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, update_id);
	sqlite3_bind_text(s, 2, raw, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_last_rowid(st);
}

int64_t
dead_letter_count(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL");
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}
