/* `dobrobot status`: what an operator (or Docker's HEALTHCHECK) asks first —
 * is the loop alive, and is anything piling up. Read-only. The report's
 * queries span several tables and serve only this report, so they live here
 * rather than in one table group's file. */
#include <sys/stat.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/store/updates.h"
#include "dobrobot/core/xalloc.h"

static const char *const outbox_states[] = {
    "pending",
    "sending",
    "sent",
    "failed",
    "cancelled",
};
#define N_STATES (sizeof outbox_states / sizeof *outbox_states)

/* "812 bytes", "40.2 KiB", "3.5 MiB": integers only. */
static void
format_size(int64_t bytes, char *out, size_t size)
{
	if (bytes < 10240) {
		snprintf(out, size, "%lld bytes", (long long)bytes);
	} else if (bytes < 10 * 1024 * 1024) {
		int64_t tenths = bytes * 10 / 1024;
		snprintf(out, size, "%lld.%lld KiB", (long long)(tenths / 10),
		    (long long)(tenths % 10));
	} else {
		int64_t tenths = bytes * 10 / (1024 * 1024);
		snprintf(out, size, "%lld.%lld MiB", (long long)(tenths / 10),
		    (long long)(tenths % 10));
	}
}

static int64_t
file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

static void
print_liveness(bool alive, int64_t age_s)
{
	char when[64];
	if (age_s < 0) {
		printf("dobrobot is NOT running: no heartbeat was ever written "
		       "(the daemon has not run against this database, or "
		       "has not reached Telegram yet)\n");
		return;
	}
	cli_format_time(clock_wall_s() - age_s, when, sizeof when);
	if (alive)
		printf("dobrobot is running: last heartbeat %lld s ago (%s)\n",
		    (long long)(age_s > 0 ? age_s : 0), when);
	else
		printf("dobrobot is NOT running: the last heartbeat was %lld s "
		       "ago (%s); the loop writes one every 10 s\n",
		    (long long)age_s, when);
}

static void
print_database(struct store *st, const struct config *cfg)
{
	char size[32], wal[32];
	struct buf wal_path = BUF_INIT;
	buf_printf(&wal_path, "%s-wal", cfg->db_path);
	int64_t wal_bytes = file_size(buf_str(&wal_path));
	buf_release(&wal_path);
	format_size(file_size(cfg->db_path), size, sizeof size);
	printf("database:      %s, schema %d, %s", cfg->db_path,
	    store_file_version(st), size);
	if (wal_bytes > 0) {
		format_size(wal_bytes, wal, sizeof wal);
		printf(" (+ %s write-ahead log)", wal);
	}
	printf("\n");
}

static void
print_outbox(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*), min(created_at) FROM outbox"
	    " WHERE state IN ('pending', 'sending') AND not_before <= ?");
	int64_t now = clock_wall_ms();
	sqlite3_bind_int64(s, 1, now);
	int64_t waiting = 0, oldest = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		waiting = sqlite3_column_int64(s, 0);
		oldest = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (waiting == 0)
		printf("outbox:        nothing waiting to be sent\n");
	else
		printf("outbox:        %lld waiting to be sent, the oldest for "
		       "%lld s\n",
		    (long long)waiting, (long long)((now - oldest) / 1000));

	s = store_stmt(st,
	    "SELECT kind, state, count(*) FROM outbox"
	    " GROUP BY kind, state ORDER BY kind");
	char *kind = NULL;
	int64_t counts[N_STATES] = {0};
	bool header = false;
	for (;;) {
		int rc = sqlite3_step(s);
		const char *k = rc == SQLITE_ROW
		    ? (const char *)sqlite3_column_text(s, 0)
		    : NULL;
		if (kind != NULL && (k == NULL || strcmp(k, kind) != 0)) {
			printf("  %-18s", kind);
			for (size_t i = 0; i < N_STATES; i++)
				printf(" %9lld", (long long)counts[i]);
			printf("\n");
			free(kind);
			kind = NULL;
			memset(counts, 0, sizeof counts);
		}
		if (k == NULL)
			break;
		if (!header) {
			printf("  %-18s", "kind");
			for (size_t i = 0; i < N_STATES; i++)
				printf(" %9s", outbox_states[i]);
			printf("\n");
			header = true;
		}
		if (kind == NULL)
			kind = xstrdup(k);
		const char *state = (const char *)sqlite3_column_text(s, 1);
		for (size_t i = 0; i < N_STATES; i++)
			if (state != NULL &&
			    strcmp(state, outbox_states[i]) == 0)
				counts[i] = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
}

static void
print_broadcasts(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, audience, total, delivered, blocked, failed, created_at"
	    " FROM broadcasts WHERE status = 'sending' ORDER BY id");
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char when[64];
		if (n++ == 0)
			printf("broadcasts being sent:\n");
		cli_format_time(sqlite3_column_int64(s, 6) / 1000, when,
		    sizeof when);
		printf("  #%lld to %s: %lld of %lld delivered, %lld blocked, "
		       "%lld failed (started %s)\n",
		    (long long)sqlite3_column_int64(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (long long)sqlite3_column_int64(s, 3),
		    (long long)sqlite3_column_int64(s, 2),
		    (long long)sqlite3_column_int64(s, 4),
		    (long long)sqlite3_column_int64(s, 5), when);
	}
	sqlite3_reset(s);
	if (n == 0)
		printf("broadcasts:    none being sent\n");
}

int
cli_status(const struct config *cfg, int argc, char **argv)
{
	bool quiet = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--quiet") == 0 ||
		    strcmp(argv[i], "-q") == 0) {
			quiet = true;
		} else {
			fprintf(stderr,
			    "dobrobot status: unexpected argument "
			    "\"%s\" (usage: dobrobot status [--quiet] "
			    "[--config FILE])\n",
			    argv[i]);
			return CLI_USAGE;
		}
	}
	char *cause = NULL;
	struct store *st = cli_open_store(cfg, &cause);
	if (st == NULL) {
		if (!quiet)
			fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		return CLI_FAILED;
	}
	int64_t age_s;
	bool alive = cli_daemon_alive(st, &age_s);
	if (!quiet) {
		print_liveness(alive, age_s);
		char *bot = store_state_get(st, "bot_username");
		char *last = store_state_get(st, "last_update_id");
		if (bot != NULL)
			printf("bot:           @%s\n", bot);
		else
			printf(
			    "bot:           not known yet (the daemon has not "
			    "reached Telegram)\n");
		print_database(st, cfg);
		printf("last update:   %s\n", last ? last : "none yet");
		free(bot);
		free(last);
		print_outbox(st);
		print_broadcasts(st);
		int64_t dead = dead_letter_count(st);
		if (dead == 0)
			printf("dead letters:  none\n");
		else
			printf("dead letters:  %lld waiting (see \"dobrobot "
			       "dead-letters list\")\n",
			    (long long)dead);
	}
	store_close(st);
	return alive ? CLI_OK : CLI_FAILED;
}
