/* Opening the database, migrations, the statement cache and transactions
 * (see store.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

struct cached_stmt {
	const char *sql; /* the caller's literal: compared by address */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	/* Open addressing on the literal's address: cap_cache slots, a power
	 * of two (or 0), at most half of them used. */
	struct cached_stmt *cache;
	size_t n_cache, cap_cache;
	bool relaxed; /* synchronous = NORMAL until the transaction ends */
	bool checkpoint; /* empty the WAL once the transaction commits */
	int wal_frames; /* frames in the WAL after the last commit */
};

/* SQLite's automatic checkpoint runs inside whichever COMMIT crosses its
 * threshold, and with the fsyncs it does that commit can take tens of
 * milliseconds. When it is the sender's commit of 'sending' marks, the
 * stall falls between the rate limiter's decision and the request leaving,
 * and bunches requests on the wire. So the WAL's size is only noted here,
 * and the daemon checkpoints between ticks (store_checkpoint_due). */
#define STORE_CHECKPOINT_FRAMES 1000

static int
note_wal_frames(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	((struct store *)arg)->wal_frames = frames;
	return SQLITE_OK;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

int
store_tighten_mode(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 0077) == 0)
		return 0;
	if (chmod(path, sb.st_mode & 0700) != 0) {
		log_warn("cannot make %s owner-only", path);
		return -1;
	}
	log_info("%s was readable by others (mode %04o): now %04o", path,
	    (unsigned)(sb.st_mode & 07777), (unsigned)(sb.st_mode & 0700));
	return 1;
}

/* One "<base>.bak-v<N>" backup of the database, found in its folder. */
struct backup_file {
	long version;
	char *name;
};

static int
cmp_backup_newest_first(const void *x, const void *y)
{
	const struct backup_file *a = x, *b = y;
	return a->version > b->version ? -1 : a->version < b->version;
}

/* The version in a name "<base>.bak-v<digits>", or -1 for any other name. */
static long
backup_version(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".bak-v", 6) != 0)
		return -1;
	const char *digits = name + n + 6;
	if (*digits < '0' || *digits > '9')
		return -1;
	char *end;
	errno = 0;
	long v = strtol(digits, &end, 10);
	return errno == 0 && *end == '\0' ? v : -1;
}

int
store_prune_backups(const char *path, size_t keep)
{
	char *copy_dir = xstrdup(path), *copy_base = xstrdup(path);
	const char *dir = dirname(copy_dir);
	const char *base = basename(copy_base);
	struct backup_file *found = NULL;
	size_t n = 0, cap = 0;
	int removed = 0;
	DIR *d = opendir(dir);
	if (d == NULL) {
		removed = -1;
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		long v = backup_version(e->d_name, base);
		if (v < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			found = xrealloc(found, cap * sizeof *found);
		}
		found[n].version = v;
		found[n].name = buf_strf("%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(found, n, sizeof *found, cmp_backup_newest_first);
	for (size_t i = 0; i < n; i++) {
		if (i < keep) {
			store_tighten_mode(found[i].name);
		} else if (unlink(found[i].name) == 0) {
			log_info("removed the old backup %s (the newest %zu "
			         "are kept)",
			    found[i].name, keep);
			removed++;
		} else {
			log_warn("cannot remove the old backup %s",
			    found[i].name);
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(found[i].name);
	free(found);
	free(copy_dir);
	free(copy_base);
	return removed;
}

/* The database holds personal data (names, pledges): its folder and file are
 * readable by the owner only. */
static int
prepare_files(const char *path, char **cause)
{
	char *copy = xstrdup(path);
	char *dir = dirname(copy);
	struct stat sb;
	int rc = 0;
	if (stat(dir, &sb) != 0) {
		if (mkdir(dir, 0700) != 0) {
			*cause = buf_strf("cannot create %s: %s", dir,
			    strerror(errno));
			rc = -1;
		}
	}
	free(copy);
	if (rc < 0)
		return -1;
	/* A file restored from a copy, or created by an older build or by
	 * hand, keeps whatever mode it came with: tighten it before SQLite
	 * opens it (the -wal and -shm too; SQLite gives them the database's
	 * mode). */
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		char *f = buf_strf("%s%s", path, suffixes[i]);
		store_tighten_mode(f);
		free(f);
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*cause = buf_strf("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int
store_exec(struct store *st, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("%.60s: %s", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
store_file_version(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "PRAGMA user_version");
	int v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	return v;
}

static int
migrate(struct store *st, bool backup_first, char **cause)
{
	int have = store_file_version(st);
	int want = store_schema_version();
	if (have > want) {
		*cause = buf_strf(
		    "%s was written by a newer dobrobot (schema %d; "
		    "this build knows %d): upgrade dobrobot, or restore a "
		    "backup; the file was not modified",
		    st->path, have, want);
		return -1;
	}
	if (have == want)
		return 0;
	if (have > 0 && backup_first) {
		char *dest = buf_strf("%s.bak-v%d", st->path, have);
		char *why = NULL;
		unlink(dest);
		if (store_backup(st, dest, &why) < 0) {
			*cause = buf_strf("backup before migration failed: %s",
			    why);
			free(why);
			free(dest);
			return -1;
		}
		log_info("backed up schema %d to %s before migrating", have,
		    dest);
		free(dest);
	}
	if (store_exec(st, "BEGIN IMMEDIATE") < 0) {
		*cause = buf_strf("cannot lock %s for migration", st->path);
		return -1;
	}
	for (int v = have + 1; v <= want; v++) {
		char pragma[48];
		const char *const *sql = store_migration(v);
		for (; *sql != NULL; sql++) {
			if (store_exec(st, *sql) < 0) {
				store_exec(st, "ROLLBACK");
				*cause =
				    buf_strf("migration to schema %d failed",
				        v);
				return -1;
			}
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
		store_exec(st, pragma);
	}
	if (store_exec(st, "COMMIT") < 0) {
		*cause = buf_strf("cannot commit the migration");
		return -1;
	}
	if (have > 0)
		log_info("database migrated from schema %d to %d", have, want);
	return 0;
}

/* dobrobot uses SQLite from one thread (the daemon's loop, or a CLI
 * command): no mutexes, and no memory statistics, which take a global
 * mutex on every allocation (4 % of the instructions of an UPDATE with its
 * trigger, callgrind). This must come before SQLite initialises itself; a
 * later call is refused and changes nothing. */
static void
configure_sqlite(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *path, bool backup_before_migrate, char **cause)
{
	configure_sqlite();
	struct store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	umask(077);
	if (prepare_files(path, cause) < 0)
		goto fail;
	if (sqlite3_open_v2(path, &st->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		*cause = buf_strf("cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	/* FULL: a commit is on disk before the next getUpdates confirms the
	 * batch to Telegram, so a power cut cannot lose a confirmed update. */
	if (store_exec(st, "PRAGMA journal_mode = WAL") < 0 ||
	    store_exec(st, "PRAGMA synchronous = FULL") < 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") < 0 ||
	    store_exec(st, "PRAGMA trusted_schema = OFF") < 0 ||
	    /* Deleted rows are overwritten with zeros, not left in free
	     * space: forgotten means forgotten, in the file's bytes too. */
	    store_exec(st, "PRAGMA secure_delete = ON") < 0) {
		*cause = buf_strf("%s is not a usable SQLite database", path);
		goto fail;
	}
	if (migrate(st, backup_before_migrate, cause) < 0)
		goto fail;
	store_prune_backups(path, STORE_BACKUPS_KEPT);
	sqlite3_wal_hook(st->db, note_wal_frames, st);
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->cap_cache; i++)
		if (st->cache[i].sql != NULL)
			sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
step_int(sqlite3_stmt *s)
{
	int n = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

/* The slot of `sql` in a table of `cap` slots: where it is, or the empty
 * one where it would go. */
static size_t
cache_slot(const struct cached_stmt *cache, size_t cap, const char *sql)
{
	uint64_t h = (uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15u;
	size_t i = (size_t)(h >> 32) & (cap - 1);
	while (cache[i].sql != NULL && cache[i].sql != sql)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Doubles the table (from 64 slots) and puts every statement back. */
static void
cache_grow(struct store *st)
{
	size_t cap = st->cap_cache ? st->cap_cache * 2 : 64;
	struct cached_stmt *cache = xcalloc(cap, sizeof *cache);
	for (size_t i = 0; i < st->cap_cache; i++)
		if (st->cache[i].sql != NULL)
			cache[cache_slot(cache, cap, st->cache[i].sql)] =
			    st->cache[i];
	free(st->cache);
	st->cache = cache;
	st->cap_cache = cap;
}

/* Every statement the program runs is a literal, prepared once and kept:
 * a few hundred of them, looked up about fifteen times per update, so by
 * address in a hash table rather than along a list. */
sqlite3_stmt *
store_stmt_cached(struct store *st, const char *sql)
{
	if (st->cap_cache > 0) {
		struct cached_stmt *c =
		    &st->cache[cache_slot(st->cache, st->cap_cache, sql)];
		if (c->sql == sql) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
	        NULL) != SQLITE_OK)
		fatal("cannot prepare \"%.80s\": %s", sql,
		    sqlite3_errmsg(st->db));
	if (2 * (st->n_cache + 1) > st->cap_cache)
		cache_grow(st);
	struct cached_stmt *c =
	    &st->cache[cache_slot(st->cache, st->cap_cache, sql)];
	c->sql = sql;
	c->stmt = s;
	st->n_cache++;
	return s;
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(stmt);
		return 0;
	}
	log_error("%.60s: %s", sqlite3_sql(stmt), sqlite3_errmsg(st->db));
	sqlite3_reset(stmt);
	return -1;
}

int
store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

int64_t
store_last_rowid(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int
store_begin(struct store *st)
{
	return store_step_done(st, store_stmt(st, "BEGIN IMMEDIATE"));
}

int
store_begin_relaxed(struct store *st)
{
	if (store_step_done(st, store_stmt(st, "PRAGMA synchronous = NORMAL")) <
	    0)
		return -1;
	st->relaxed = true;
	return store_begin(st);
}

/* Ends a relaxed transaction's exception: the next one is FULL again. */
static void
store_restore_sync(struct store *st)
{
	if (st->relaxed) {
		store_step_done(st,
		    store_stmt(st, "PRAGMA synchronous = FULL"));
		st->relaxed = false;
	}
}

void
store_checkpoint_after_commit(struct store *st)
{
	st->checkpoint = true;
}

int
store_checkpoint_due(struct store *st)
{
	if (st->wal_frames < STORE_CHECKPOINT_FRAMES)
		return 0;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	st->wal_frames = 0;
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		log_warn("checkpoint: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 1;
}

int
store_checkpoint(struct store *st)
{
	int wal_frames = -1, done = -1;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &wal_frames, &done);
	if (rc != SQLITE_OK) {
		log_warn("the WAL could not be emptied (%s); it will be at the "
		         "next checkpoint",
		    sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

int
store_commit(struct store *st)
{
	int rc = store_step_done(st, store_stmt(st, "COMMIT"));
	if (rc == 0) {
		store_restore_sync(st);
		if (st->checkpoint) {
			st->checkpoint = false;
			store_checkpoint(st);
		}
	}
	return rc;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		store_step_done(st, store_stmt(st, "ROLLBACK"));
	store_restore_sync(st);
	st->checkpoint = false;
}

int
store_savepoint(struct store *st)
{
	return store_step_done(st, store_stmt(st, "SAVEPOINT item"));
}

int
store_release(struct store *st)
{
	return store_step_done(st, store_stmt(st, "RELEASE item"));
}

void
store_rollback_to(struct store *st)
{
	store_step_done(st, store_stmt(st, "ROLLBACK TO item"));
	store_step_done(st, store_stmt(st, "RELEASE item"));
}

int
store_backup(struct store *st, const char *dest, char **cause)
{
	sqlite3 *to = NULL;
	int rc = -1;
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*cause = buf_strf("cannot create %s: %s", dest,
		    strerror(errno));
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		*cause = buf_strf("cannot open %s: %s", dest,
		    sqlite3_errmsg(to));
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", st->db, "main");
	if (b == NULL) {
		*cause = buf_strf("backup: %s", sqlite3_errmsg(to));
		goto out;
	}
	/* Copy in steps so that a running daemon is blocked only briefly. */
	int step;
	do {
		step = sqlite3_backup_step(b, 256);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (step == SQLITE_OK || step == SQLITE_BUSY ||
	    step == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		*cause = buf_strf("backup: %s", sqlite3_errstr(step));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(to);
	return rc;
}

char *
store_state_get(struct store *st, const char *key)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT value FROM bot_state WHERE key = ?");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	char *v = NULL;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return v;
}

int
store_state_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO bot_state(key, value) VALUES (?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return store_step_done(st, s);
}

int
store_state_get_int(struct store *st, const char *key, int64_t *out)
{
	char *v = store_state_get(st, key);
	if (v == NULL)
		return -1;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	int rc = (errno == 0 && end != v && *end == '\0') ? 0 : -1;
	if (rc == 0)
		*out = x;
	free(v);
	return rc;
}

char *
column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t != NULL ? xstrdup((const char *)t) : NULL;
}

int
store_state_set_int(struct store *st, const char *key, int64_t value)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)value);
	return store_state_set(st, key, text);
}
