/* libFuzzer target for the whole update path: arbitrary bytes are read as
 * the "result" of a getUpdates answer (an array of updates, or one update)
 * and processed by bot_process_batch against a real SQLite database (the
 * router, every handler, the store, the outbox), then every periodic job
 * runs once. Nothing may crash, leak or trip a sanitizer, the batch must
 * commit, the database must stay consistent (foreign keys, integrity), and
 * every HTML message the bot would send must be well-formed in Telegram's
 * subset and within 4096 characters: user text that reached a message
 * unescaped shows up as a stray "<", ">" or "&".
 * The bytes are read as the client reads an answer (tg_parse_response:
 * NULs and lone surrogates let in); bytes it cannot read go the poller's
 * way for an unreadable one-update answer: tg_scan_update_id, then
 * bot_set_aside_unreadable, which must commit.
 * The database is emptied after each input, so that every input reproduces
 * alone. Admin: user 1; the configured leaders' group: -4001. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/core/config.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/split.h"
#include "dobrobot/store/store.h"
#include "dobrobot/tg/tg.h"
#include "dobrobot/core/xalloc.h"

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

static const char *const html_tags[] = {"b", "strong", "i", "em", "u", "ins",
    "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
    "blockquote", "tg-emoji", "tg-time", NULL};

static void
bad_html(const char *why, const char *text, const char *at)
{
	fprintf(stderr,
	    "fuzz_update: %s at byte %td of an outgoing message:\n%s\n", why,
	    at - text, text);
	abort();
}

/* Telegram's HTML as html_escape and the texts produce it: known tags,
 * balanced; only &lt; &gt; &amp; &quot; and numeric entities, with ';'; no
 * bare '>'. */
static void
check_html(const char *s)
{
	char stack[32][16];
	int depth = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '>')
			bad_html("a bare '>'", s, p);
		if (*p == '&') {
			static const char *const ents[] = {
			    "&lt;", "&gt;", "&amp;", "&quot;", NULL};
			size_t k = 0;
			for (; ents[k] != NULL; k++)
				if (strncmp(p, ents[k], strlen(ents[k])) == 0)
					break;
			if (ents[k] != NULL)
				continue;
			const char *q = p + 1;
			if (*q++ != '#')
				bad_html("an unknown entity or bare '&'", s, p);
			bool hex = *q == 'x';
			q += hex;
			const char *digits = q;
			while (hex ? isxdigit((unsigned char)*q)
			           : isdigit((unsigned char)*q))
				q++;
			if (q == digits || *q != ';')
				bad_html("a broken numeric entity", s, p);
			continue;
		}
		if (*p != '<')
			continue;
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing, *q = name;
		while ((*q >= 'a' && *q <= 'z') || *q == '-')
			q++;
		size_t n = (size_t)(q - name);
		size_t k = 0;
		for (; html_tags[k] != NULL; k++)
			if (strlen(html_tags[k]) == n &&
			    strncmp(html_tags[k], name, n) == 0)
				break;
		if (html_tags[k] == NULL || n == 0)
			bad_html("an unknown tag or a bare '<'", s, p);
		bool quoted = false;
		for (; *q != '\0' && (quoted || *q != '>'); q++)
			if (*q == '"')
				quoted = !quoted;
		if (*q != '>')
			bad_html("an unterminated tag", s, p);
		if (closing) {
			if (depth == 0 ||
			    strcmp(stack[depth - 1], html_tags[k]) != 0)
				bad_html("a closing tag that closes nothing", s,
				    p);
			depth--;
		} else {
			if (depth == 32)
				bad_html("tags nested too deep", s, p);
			snprintf(stack[depth++], sizeof stack[0], "%s",
			    html_tags[k]);
		}
		p = q;
	}
	if (depth != 0)
		bad_html("an unclosed tag", s, s + strlen(s));
	if (split_visible_length(s) > 4096)
		bad_html("over 4096 characters", s, s);
}

/* Every message about to be sent (text or caption in HTML). */
static void
check_outbox(void)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT payload FROM outbox");
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *p = json_loads((const char *)sqlite3_column_text(s, 0),
		    0, NULL);
		const char *mode = json_string_value(json_object_get(p,
		    "parse_mode"));
		if (p == NULL)
			abort(); /* the outbox holds only JSON */
		if (mode != NULL && strcmp(mode, "HTML") == 0) {
			const char *t = json_string_value(json_object_get(p,
			    "text"));
			const char *c = json_string_value(json_object_get(p,
			    "caption"));
			if (t != NULL)
				check_html(t);
			if (c != NULL)
				check_html(c);
		}
		json_decref(p);
	}
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
	/* As the client reads Telegram's answers: the input is the "result"
	 * of an answer. */
	static const char head[] = "{\"ok\":true,\"result\":";
	size_t len = sizeof head - 1 + size + 1;
	char *body = xmalloc(len);
	memcpy(body, head, sizeof head - 1);
	memcpy(body + sizeof head - 1, data, size);
	body[len - 1] = '}';
	struct tg_result res;
	tg_parse_response(200, body, len, 0, &res);
	free(body);
	int64_t id;
	if (res.outcome == TG_OK) {
		json_t *batch = json_incref(res.result);
		if (!json_is_array(batch)) {
			json_decref(batch);
			batch = json_array();
			json_array_append(batch, res.result);
		}
		int64_t next = 0;
		/* A batch that cannot commit would wedge the bot. */
		if (bot_process_batch(&env, batch, &next) < 0)
			abort();
		json_decref(batch);
	} else if (tg_scan_update_id((const char *)data, size, &id) &&
	    bot_set_aside_unreadable(&env, id, (const char *)data, size,
	        "unreadable") < 0) {
		abort(); /* nor may an unreadable update */
	}
	tg_result_release(&res);
	run_jobs();
	check_consistent();
	check_outbox();
	if (store_exec(st, "PRAGMA foreign_keys = OFF") < 0 ||
	    store_exec(st, empty_all) < 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") < 0)
		abort();
	return 0;
}
