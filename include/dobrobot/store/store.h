/* The SQLite store: opening (WAL, foreign keys, busy timeout, owner-only
 * permissions), numbered migrations tracked in PRAGMA user_version, a cache
 * of prepared statements, and transactions. The SQL of each table group
 * lives in its own file (store/outbox.c, store/users.c, ...), declared in
 * its own header. */
#ifndef DOBROBOT_STORE_STORE_H
#define DOBROBOT_STORE_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct store;

/* Opens (creating with mode 0600 in a 0700 directory if needed) and migrates
 * the database. An existing database, -wal or -shm file readable by others
 * is made owner-only first; secure_delete is on; old migration backups are
 * pruned (store_prune_backups). A database written by a newer dobrobot is
 * refused, not touched. Returns NULL with *cause set (caller frees) on failure. When
 * `backup_before_migrate` is true and migrations are pending on an existing
 * database, a copy "<path>.bak-v<old version>" is written first. */
struct store *store_open(const char *path, bool backup_before_migrate,
    char **cause);
void store_close(struct store *st);

/* The schema version this build writes, and the one the file has. */
int store_schema_version(void);
int store_file_version(struct store *st);

sqlite3 *store_db(struct store *st);

/* Returns a prepared statement for `sql`, cached by the address of the SQL
 * text. The statement is reset and its bindings cleared; the caller steps it
 * and must not finalize it. Preparation errors are programmer errors and end
 * the process.
 *
 * Because the cache key is the text's address, the text must be a string
 * literal (a buffer built at run time would be prepared anew on every call,
 * or worse, hit another statement's entry after reuse of its address): the
 * macro pastes "" around `sql`, which compiles only for a literal (or
 * literals and macros expanding to them, concatenated). Call store_stmt;
 * store_stmt_cached is its implementation. */
#define store_stmt(st, sql) store_stmt_cached((st), "" sql "")
sqlite3_stmt *store_stmt_cached(struct store *st, const char *sql);

/* Runs SQL without results; returns 0 or -1 (logged). */
int store_exec(struct store *st, const char *sql);

/* Transactions. store_begin uses BEGIN IMMEDIATE, so the write lock is
 * taken up front and a busy database is waited for by the busy timeout. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);
/* Like store_begin, for bookkeeping whose loss on a power cut is harmless
 * (the sender's records: a lost one means a message is sent again, counted
 * as uncertain): the commit does not wait for fsync. It is still durable
 * against a crash of the process. */
int store_begin_relaxed(struct store *st);
int store_savepoint(struct store *st);
int store_release(struct store *st);
void store_rollback_to(struct store *st);

/* Asks for the WAL to be checkpointed and truncated to zero bytes once the
 * current transaction commits (store_commit), so that rows deleted in it
 * (with secure_delete, their bytes zeroed in the database) leave no copy
 * in the WAL either. Cleared by a rollback. */
void store_checkpoint_after_commit(struct store *st);
/* Checkpoints now, outside any transaction (TRUNCATE: waits for readers
 * up to the busy timeout). Returns 0, or -1 (logged; the next checkpoint
 * does it). */
int store_checkpoint(struct store *st);

/* Copies the WAL into the database once it holds 1,000 frames or more
 * (SQLite's own threshold, whose automatic checkpoint is turned off by
 * store_open: it would run inside an arbitrary commit). The daemon calls
 * it between ticks. Returns 1 when it checkpointed, 0 when not due, -1 on
 * error. */
int store_checkpoint_due(struct store *st);

/* Steps a statement that returns no row; returns 0 on SQLITE_DONE, -1 on
 * error (logged with the SQL's first words). */
int store_step_done(struct store *st, sqlite3_stmt *stmt);

/* Rows changed by the last statement. */
int store_changes(struct store *st);
int64_t store_last_rowid(struct store *st);

/* Migration backups "<path>.bak-v<N>" kept next to the database: the
 * newest STORE_BACKUPS_KEPT (by N); store_open removes older ones. */
#define STORE_BACKUPS_KEPT 3

/* Removes all but the newest `keep` migration backups of the database at
 * `path` and makes the kept ones owner-only. Returns how many were removed,
 * or -1 when the folder cannot be read. */
int store_prune_backups(const char *path, size_t keep);

/* Makes an existing regular file at `path` owner-only (clears the group and
 * other bits) when it is not: 1 changed (logged), 0 nothing to do or no
 * such file, -1 chmod failed (logged). */
int store_tighten_mode(const char *path);

/* Online backup through SQLite's backup API into `dest` (a new file).
 * Returns 0 or -1 with *cause. */
int store_backup(struct store *st, const char *dest, char **cause);

/* bot_state key/value. store_state_get returns a new string or NULL. */
char *store_state_get(struct store *st, const char *key);
int store_state_set(struct store *st, const char *key, const char *value);
int store_state_get_int(struct store *st, const char *key, int64_t *out);
int store_state_set_int(struct store *st, const char *key, int64_t value);

#endif
