/* SQL of processed_updates and dead_letters (see updates.h). */
#include "dobrobot/store/updates.h"

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"

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
updates_claim(struct store *st, int64_t update_id, int64_t now_ms)
{
	if (updates_mark(st, update_id, now_ms) < 0)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
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

bool
dead_letter_has_raw(struct store *st, const char *raw)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT 1 FROM dead_letters WHERE raw = ? LIMIT 1");
	sqlite3_bind_text(s, 1, raw, -1, SQLITE_TRANSIENT);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

int64_t
dead_letter_count(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL");
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0)
	                                          : 0;
	sqlite3_reset(s);
	return n;
}

void
dead_letter_release(struct dead_letter *dl)
{
	if (dl == NULL)
		return;
	free(dl->raw);
	free(dl->error);
	dl->raw = dl->error = NULL;
}

static void
dead_letter_read(sqlite3_stmt *s, struct dead_letter *dl)
{
	const char *raw = (const char *)sqlite3_column_text(s, 2);
	const char *error = (const char *)sqlite3_column_text(s, 3);
	dl->id = sqlite3_column_int64(s, 0);
	dl->update_id = sqlite3_column_int64(s, 1);
	dl->raw = xstrdup(raw ? raw : "");
	dl->error = xstrdup(error ? error : "");
	dl->created_at = sqlite3_column_int64(s, 4);
	dl->replayed_at = sqlite3_column_int64(s, 5);
}

static int
dead_letter_fetch(struct store *st, sqlite3_stmt *s, struct dead_letter *dl)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		dead_letter_read(s, dl);
		sqlite3_reset(s);
		return 1;
	}
	if (rc != SQLITE_DONE)
		log_error("dead_letters: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
dead_letter_next(struct store *st, int64_t after_id, bool include_replayed,
    struct dead_letter *dl)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, coalesce(update_id, 0), raw, error, created_at,"
	    " coalesce(replayed_at, 0) FROM dead_letters"
	    " WHERE id > ?1 AND (?2 OR replayed_at IS NULL)"
	    " ORDER BY id LIMIT 1");
	sqlite3_bind_int64(s, 1, after_id);
	sqlite3_bind_int(s, 2, include_replayed);
	return dead_letter_fetch(st, s, dl);
}

int
dead_letter_get(struct store *st, int64_t id, struct dead_letter *dl)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, coalesce(update_id, 0), raw, error, created_at,"
	    " coalesce(replayed_at, 0) FROM dead_letters WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	return dead_letter_fetch(st, s, dl);
}

int
dead_letter_mark_replayed(struct store *st, int64_t id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE dead_letters SET replayed_at = ? WHERE id = ?");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s);
}

int
dead_letter_note_failure(struct store *st, int64_t id, const char *error,
    int64_t now_ms)
{
	/* The first line (the original error) always stays; the replay lines
	 * after it are dropped when the text would pass 4000 bytes. */
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE dead_letters SET error = CASE"
	    " WHEN length(CAST(error AS BLOB)) + length(CAST(?1 AS BLOB)) < 4000"
	    "  THEN error"
	    "  ELSE substr(error, 1, instr(error || char(10), char(10)) - 1)"
	    "   || char(10) || '(earlier replays dropped)' END"
	    " || char(10) || 'replay '"
	    " || strftime('%Y-%m-%d %H:%M:%S UTC', ?2 / 1000, 'unixepoch')"
	    " || ': ' || ?1"
	    " WHERE id = ?3");
	sqlite3_bind_text(s, 1, error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, id);
	return store_step_done(st, s);
}
