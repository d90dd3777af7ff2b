/* What the operator's commands share (see cli.h): opening the existing
 * database without creating or migrating it, the heartbeat, and times. */
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/clock.h"

/* PRAGMA user_version through a read-only connection of our own: looking
 * must not create, convert or lock anything. Returns -1 with *cause. */
static int
peek_schema(const char *path, char **cause)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int version = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		*cause = buf_strf("cannot open %s: %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		*cause = buf_strf("%s is not a usable SQLite database: %s",
		    path, sqlite3_errmsg(db));
		goto out;
	}
	version = sqlite3_column_int(s, 0);
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return version;
}

struct store *
cli_open_store(const struct config *cfg, char **cause)
{
	struct stat sb;
	if (stat(cfg->db_path, &sb) != 0) {
		if (errno == ENOENT)
			*cause = buf_strf(
			    "there is no database at %s yet: the "
			    "daemon creates it when it first starts (or run "
			    "\"dobrobot migrate\")",
			    cfg->db_path);
		else
			*cause = buf_strf("cannot read %s: %s", cfg->db_path,
			    strerror(errno));
		return NULL;
	}
	int have = peek_schema(cfg->db_path, cause);
	if (have < 0)
		return NULL;
	int want = store_schema_version();
	if (have > want) {
		*cause =
		    buf_strf("%s was written by a newer dobrobot (schema %d; "
		             "this one knows %d): use the newer dobrobot",
		        cfg->db_path, have, want);
		return NULL;
	}
	if (have < want) {
		*cause = buf_strf(
		    "%s is at schema %d and this dobrobot writes "
		    "schema %d: start the daemon (it migrates, with a backup "
		    "first) or run \"dobrobot migrate\"",
		    cfg->db_path, have, want);
		return NULL;
	}
	/* The schema is current, so store_open has nothing to migrate. */
	return store_open(cfg->db_path, false, cause);
}

bool
cli_daemon_alive(struct store *st, int64_t *age_s)
{
	int64_t beat;
	clock_refresh_offset();
	if (store_state_get_int(st, "heartbeat", &beat) < 0) {
		*age_s = -1;
		return false;
	}
	*age_s = clock_wall_s() - beat;
	/* A beat from the future means the clock was set back: the daemon
	 * wrote it, so it is alive. */
	return *age_s < CLI_HEARTBEAT_FRESH_S;
}

void
cli_format_time(int64_t unix_s, char *out, size_t size)
{
	struct tm tm;
	time_t t = (time_t)unix_s;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(out, size, "@%lld", (long long)unix_s);
}
