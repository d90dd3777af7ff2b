/* libFuzzer target for the whole update path: arbitrary bytes are read as
 * the "result" of a getUpdates answer (an array of updates, or one update)
 * and processed by bot_process_batch against a real SQLite database (the
 * router, every handler, the store, the outbox), then every periodic job
 * runs once. Nothing may crash, leak or trip a sanitizer, the batch must
 * commit, and the database must stay consistent (foreign keys, integrity).
 * The database is emptied after each input, so that every input reproduces
 * alone. Admin: user 1; the configured leaders' group: -4001. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/bot.h"
#include "dobrobot/buf.h"
#include "dobrobot/clock.h"
#include "dobrobot/config.h"
#include "dobrobot/handler.h"
#include "dobrobot/log.h"
#include "dobrobot/store.h"
#include "dobrobot/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static struct config cfg;
static struct router_env env;
static char *empty_all; /* "DELETE FROM t1; DELETE FROM t2; ..." */
static char dir[] = "/tmp/dobrobot-fuzz-XXXXXX";
static char path[64];

static void
cleanup(void)
{
	store_close(st);
	config_release(&cfg);
	free(empty_all);
	unlink(path);
	rmdir(dir);
}

static void
init(void)
{
	char *cause = NULL;

	log_init(LOG_ERROR);
	setenv("TZ", "Asia/Yakutsk", 1);
	tzset();
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/db", dir);
	st = store_open(path, false, &cause);
	if (st == NULL)
		abort();
	/* Speed over durability: nothing here must survive a crash. */
	store_exec(st, "PRAGMA journal_mode = MEMORY");
	store_exec(st, "PRAGMA synchronous = OFF");
	config_defaults(&cfg);
	cfg.admins[0] = 1;
	cfg.n_admins = 1;
	cfg.leaders_chat_id = -4001;
	env.st = st;
	env.cfg = &cfg;
	env.bot_username = "dobro_test_bot";

	struct buf b = BUF_INIT;
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT name FROM sqlite_master WHERE type = 'table'"
	    " AND name NOT LIKE 'sqlite_%'");
	while (sqlite3_step(s) == SQLITE_ROW)
		buf_printf(&b, "DELETE FROM \"%s\";",
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	empty_all = buf_detach(&b);
	atexit(cleanup);
}

static void
check_consistent(void)
{
	sqlite3_stmt *s = store_stmt(st, "PRAGMA foreign_key_check");
	if (sqlite3_step(s) == SQLITE_ROW)
		abort(); /* a row points at nothing */
	sqlite3_reset(s);
	s = store_stmt(st, "PRAGMA quick_check");
	if (sqlite3_step(s) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
		abort();
	sqlite3_reset(s);
}

static void
run_jobs(void)
{
	struct job_ctx ctx = {
	    .st = st,
	    .cfg = &cfg,
	    .bot_username = env.bot_username,
	    .now_ms = clock_wall_ms(),
	};
	for (size_t i = 0; i < job_table_len; i++) {
		if (job_table[i].run == NULL)
			continue;
		if (store_begin(st) < 0)
			abort();
		if (job_table[i].run(&ctx) < 0)
			store_rollback(st);
		else if (store_commit(st) < 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (st == NULL)
		init();
	/* As the client reads Telegram's answers, and NUL bytes in strings
	 * too: handlers must cope with text cut short. */
	json_t *v = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	if (v == NULL)
		return 0;
	json_t *batch = v;
	if (!json_is_array(v)) {
		batch = json_array();
		json_array_append_new(batch, v);
	}
	int64_t next = 0;
	if (bot_process_batch(&env, batch, &next) < 0)
		abort(); /* a batch that cannot commit would wedge the bot */
	json_decref(batch);
	run_jobs();
	check_consistent();
	if (store_exec(st, "PRAGMA foreign_keys = OFF") < 0 ||
	    store_exec(st, empty_all) < 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") < 0)
		abort();
	return 0;
}
