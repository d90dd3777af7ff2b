/* `dobrobot backup FILE`: an online, consistent copy of the database.
 *
 * The copy goes through SQLite's backup API from a read-only connection of
 * its own, in a single step: in WAL mode that step reads one snapshot while
 * the daemon goes on writing (readers and the writer do not block each
 * other), so the copy is the database as of one commit, and a busy daemon
 * cannot make it restart over and over as a copy in small steps could. The
 * schema is not checked: backing up a database of an older or newer
 * dobrobot (before an upgrade, before a rollback) is what backups are for. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"

#define BACKUP_BUSY_RETRIES 100 /* x 100 ms */

static void
remove_partial(const char *dest)
{
	const char *suffixes[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		struct buf p = BUF_INIT;
		buf_printf(&p, "%s%s", dest, suffixes[i]);
		unlink(buf_str(&p));
		buf_release(&p);
	}
}

/* Runs one statement on `db` and returns its first column as text in `out`
 * ("" when there is no row). */
static int
query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		goto out;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		snprintf(out, size, "%s", v ? v : "");
	}
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

/* Copies src into the new file `dest`; returns 0, or -1 with a reason
 * printed. */
static int
copy_database(sqlite3 *src, const char *dest)
{
	sqlite3 *to = NULL;
	int rc = -1;
	char check[256], version[32], journal[32];

	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dobrobot: cannot open %s: %s\n", dest,
		    to ? sqlite3_errmsg(to) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", src, "main");
	if (b == NULL) {
		fprintf(stderr, "dobrobot: backup: %s\n", sqlite3_errmsg(to));
		goto out;
	}
	int step, tries = 0;
	do {
		step = sqlite3_backup_step(b, -1);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(100);
	} while ((step == SQLITE_BUSY || step == SQLITE_LOCKED) &&
	    ++tries < BACKUP_BUSY_RETRIES);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		fprintf(stderr, "dobrobot: backup: %s\n", sqlite3_errstr(step));
		goto out;
	}
	/* The copy carries the source's WAL flag; one self-contained file is
	 * what a backup should be (the daemon turns WAL on again when a
	 * restored copy is opened). */
	if (query_text(to, "PRAGMA journal_mode = DELETE", journal,
	        sizeof journal) < 0 ||
	    query_text(to, "PRAGMA quick_check", check, sizeof check) < 0 ||
	    query_text(to, "PRAGMA user_version", version, sizeof version) <
	        0) {
		fprintf(stderr, "dobrobot: cannot read the copy back: %s\n",
		    sqlite3_errmsg(to));
		goto out;
	}
	if (strcmp(check, "ok") != 0) {
		fprintf(stderr,
		    "dobrobot: the copy failed its integrity check: "
		    "%s\n",
		    check);
		goto out;
	}
	printf("backed up to %s (schema %s, integrity check ok)\n", dest,
	    version);
	rc = 0;
out:
	if (sqlite3_close(to) != SQLITE_OK)
		rc = -1;
	return rc;
}

int
cli_backup(const struct config *cfg, int argc, char **argv)
{
	if (argc != 1 || argv[0][0] == '-' || argv[0][0] == '\0') {
		fprintf(stderr,
		    "usage: dobrobot backup FILE [--config FILE]\n"
		    "FILE is the new copy; it must not exist yet.\n");
		return CLI_USAGE;
	}
	const char *dest = argv[0];
	struct stat sb;
	if (stat(cfg->db_path, &sb) != 0) {
		fprintf(stderr, "dobrobot: cannot back up %s: %s\n",
		    cfg->db_path, strerror(errno));
		return CLI_FAILED;
	}
	/* O_EXCL: an existing file, perhaps yesterday's good backup, is never
	 * overwritten. The copy holds personal data: owner only. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr,
			    "dobrobot: %s already exists; backup "
			    "never overwrites a file: choose a new name (e.g. "
			    "with the date) or remove the old one\n",
			    dest);
		else
			fprintf(stderr, "dobrobot: cannot create %s: %s\n",
			    dest, strerror(errno));
		return CLI_FAILED;
	}
	fchmod(fd, 0600);
	close(fd);

	sqlite3 *src = NULL;
	int rc = CLI_FAILED;
	if (sqlite3_open_v2(cfg->db_path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dobrobot: cannot open %s: %s\n", cfg->db_path,
		    src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (copy_database(src, dest) == 0)
		rc = CLI_OK;
out:
	sqlite3_close(src);
	if (rc != CLI_OK)
		remove_partial(dest);
	return rc;
}
