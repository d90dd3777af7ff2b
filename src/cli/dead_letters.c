/* `dobrobot dead-letters`: the updates a handler could not process (see
 * docs/ARCHITECTURE.md, invariant 3), listed, shown, and replayed through
 * the same router as live updates once the cause is fixed. */
#include <errno.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/store/updates.h"
#include "dobrobot/core/utf8.h"

static const char usage_text[] =
    "usage: dobrobot dead-letters [list [--all] | show ID | replay ID | "
    "replay --all] [--config FILE]\n";

/* Untrusted text (errors may quote what someone typed) goes to a terminal:
 * control characters become '?'. */
static void
put_clean(struct buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

/* The first line of `s`, at most `max` characters. */
static void
put_first_line(struct buf *b, const char *s, size_t max)
{
	size_t len = strcspn(s, "\n");
	size_t cut = utf8_prefix_bytes(s, len, max);
	put_clean(b, s, cut);
	if (cut < len || s[len] == '\n')
		buf_puts(b, "…");
}

/* "message from 603", "button from 603", ...: what the update was, read
 * from its JSON. */
static void
put_what(struct buf *b, const char *raw)
{
	static const struct {
		const char *key, *name;
	} kinds[] = {
	    {"message", "message"},
	    {"callback_query", "button"},
	    {"my_chat_member", "membership change"},
	    {"edited_message", "edited message"},
	};
	json_t *u = json_loads(raw, JSON_ALLOW_NUL, NULL);
	const char *name = "update";
	json_t *from = NULL;
	for (size_t i = 0; u != NULL && i < sizeof kinds / sizeof *kinds; i++) {
		json_t *v = json_object_get(u, kinds[i].key);
		if (v != NULL) {
			name = kinds[i].name;
			from = json_object_get(json_object_get(v, "from"),
			    "id");
			break;
		}
	}
	if (u == NULL)
		name = "unreadable JSON";
	buf_puts(b, name);
	if (from != NULL) {
		char *id = json_dumps(from, JSON_ENCODE_ANY);
		buf_puts(b, " from ");
		put_first_line(b, id ? id : "?", 20);
		free(id);
	}
	json_decref(u);
}

static void
format_ms(int64_t ms, char *out, size_t size)
{
	cli_format_time(ms / 1000, out, size);
}

static int
list(struct store *st, bool include_replayed)
{
	struct dead_letter dl;
	int64_t after = 0, n = 0;
	int rc;
	while ((rc = dead_letter_next(st, after, include_replayed, &dl)) == 1) {
		struct buf line = BUF_INIT;
		char when[64];
		after = dl.id;
		if (n++ == 0)
			printf("%-5s %-12s %-25s %-24s %s\n", "ID", "UPDATE",
			    "RECEIVED", "WHAT", "ERROR");
		format_ms(dl.created_at, when, sizeof when);
		buf_printf(&line, "%-5lld %-12lld %-25s ", (long long)dl.id,
		    (long long)dl.update_id, when);
		size_t at = line.len;
		put_what(&line, dl.raw);
		for (size_t w = utf8_length(buf_str(&line) + at, line.len - at);
		     w < 24; w++)
			buf_putc(&line, ' ');
		buf_putc(&line, ' ');
		if (dl.replayed_at != 0)
			buf_puts(&line, "(replayed) ");
		put_first_line(&line, dl.error, 60);
		printf("%s\n", buf_str(&line));
		buf_release(&line);
		dead_letter_release(&dl);
	}
	if (rc < 0)
		return CLI_FAILED;
	if (n == 0)
		printf("no dead letters%s: every update was processed\n",
		    include_replayed ? "" : " waiting");
	else
		printf(
		    "\n\"dobrobot dead-letters show ID\" prints one in full; "
		    "\"dobrobot dead-letters replay ID\" processes it "
		    "again.\n");
	return CLI_OK;
}

static bool
parse_id(const char *s, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return false;
	*id = v;
	return true;
}

static int
show(struct store *st, int64_t id)
{
	struct dead_letter dl;
	int rc = dead_letter_get(st, id, &dl);
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr,
			    "dobrobot: there is no dead letter %lld "
			    "(\"dobrobot dead-letters list --all\" lists "
			    "them)\n",
			    (long long)id);
		return CLI_FAILED;
	}
	char when[64];
	struct buf b = BUF_INIT;
	format_ms(dl.created_at, when, sizeof when);
	printf("dead letter %lld\n  update id: %lld\n  received:  %s\n",
	    (long long)dl.id, (long long)dl.update_id, when);
	if (dl.replayed_at != 0) {
		format_ms(dl.replayed_at, when, sizeof when);
		printf("  replayed:  %s\n", when);
	} else {
		printf("  replayed:  no\n");
	}
	put_what(&b, dl.raw);
	printf("  what:      %s\n  error:\n", buf_str(&b));
	buf_reset(&b);
	for (const char *p = dl.error; *p != '\0';) {
		size_t len = strcspn(p, "\n");
		buf_puts(&b, "    ");
		put_clean(&b, p, len);
		buf_putc(&b, '\n');
		p += len + (p[len] == '\n');
	}
	printf("%s  update:\n", buf_str(&b));
	/* Re-encoded JSON escapes every control character inside strings:
	 * its only raw ones are the indentation's line breaks. */
	json_t *u = json_loads(dl.raw, 0, NULL);
	char *pretty = u ? json_dumps(u, JSON_INDENT(2)) : NULL;
	buf_reset(&b);
	if (pretty != NULL)
		buf_puts(&b, pretty);
	else
		put_clean(&b, dl.raw, strlen(dl.raw));
	printf("%s\n", buf_str(&b));
	free(pretty);
	json_decref(u);
	buf_release(&b);
	dead_letter_release(&dl);
	return CLI_OK;
}

/* Replays one letter in a transaction of its own. Returns 0 when it was
 * processed (and marked replayed), -1 when it failed again (and was kept,
 * with the new error noted) or could not be tried. */
static int
replay_one(const struct router_env *env, struct dead_letter *dl)
{
	char *error = NULL;
	json_error_t jerr;
	int rc = -1;

	if (dl->replayed_at != 0) {
		char when[64];
		format_ms(dl->replayed_at, when, sizeof when);
		fprintf(stderr,
		    "dobrobot: dead letter %lld was already replayed "
		    "(%s); not replaying it twice\n",
		    (long long)dl->id, when);
		return -1;
	}
	json_t *update = json_loads(dl->raw, JSON_ALLOW_NUL, &jerr);
	if (store_begin(env->st) < 0) {
		fprintf(stderr,
		    "dobrobot: cannot lock the database to replay "
		    "dead letter %lld\n",
		    (long long)dl->id);
		json_decref(update);
		return -1;
	}
	int64_t now = clock_wall_ms();
	if (update == NULL) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "the stored update is not JSON: %s", jerr.text);
		error = buf_detach(&b);
	} else if (bot_process_update(env, update, &error) == 0) {
		rc = 0;
	}
	if (rc == 0
	        ? dead_letter_mark_replayed(env->st, dl->id, now) < 0
	        : dead_letter_note_failure(env->st, dl->id, error, now) < 0) {
		store_rollback(env->st);
		fprintf(stderr,
		    "dobrobot: could not record the replay of dead "
		    "letter %lld; nothing changed\n",
		    (long long)dl->id);
		rc = -1;
		goto out;
	}
	if (store_commit(env->st) < 0) {
		store_rollback(env->st);
		fprintf(stderr,
		    "dobrobot: could not commit the replay of dead "
		    "letter %lld; nothing changed\n",
		    (long long)dl->id);
		rc = -1;
		goto out;
	}
	if (rc == 0) {
		printf("dead letter %lld (update %lld): replayed\n",
		    (long long)dl->id, (long long)dl->update_id);
	} else {
		struct buf b = BUF_INIT;
		put_first_line(&b, error ? error : "?", 200);
		fprintf(stderr,
		    "dobrobot: dead letter %lld (update %lld) "
		    "failed again: %s; it stays in the list\n",
		    (long long)dl->id, (long long)dl->update_id, buf_str(&b));
		buf_release(&b);
	}
out:
	free(error);
	json_decref(update);
	return rc;
}

static int
replay(struct store *st, const struct config *cfg, bool all, int64_t id)
{
	if (all && dead_letter_count(st) == 0) {
		printf("no dead letters waiting: nothing to replay\n");
		return CLI_OK;
	}
	char *username = store_state_get(st, "bot_username");
	if (username == NULL) {
		fprintf(stderr,
		    "dobrobot: the bot's username is not known yet "
		    "(the daemon stores it when it starts): start the daemon "
		    "once, then replay\n");
		return CLI_FAILED;
	}
	struct router_env env = {
	    .st = st, .cfg = cfg, .bot_username = username};
	struct dead_letter dl;
	int ok = 0, failed = 0, rc;
	clock_refresh_offset();
	if (all) {
		int64_t after = 0;
		while ((rc = dead_letter_next(st, after, false, &dl)) == 1) {
			after = dl.id;
			if (replay_one(&env, &dl) == 0)
				ok++;
			else
				failed++;
			dead_letter_release(&dl);
		}
		if (rc < 0)
			failed++;
		printf("replayed %d, %d failed again\n", ok, failed);
	} else {
		rc = dead_letter_get(st, id, &dl);
		if (rc == 0)
			fprintf(stderr,
			    "dobrobot: there is no dead letter %lld\n",
			    (long long)id);
		if (rc <= 0) {
			free(username);
			return CLI_FAILED;
		}
		if (replay_one(&env, &dl) == 0)
			ok++;
		else
			failed++;
		dead_letter_release(&dl);
	}
	free(username);
	if (ok > 0) {
		int64_t age;
		if (cli_daemon_alive(st, &age))
			printf("their replies are in the outbox: the running "
			       "daemon sends them\n");
		else
			printf("the daemon is not running: their replies wait "
			       "in the outbox until it starts\n");
	}
	return failed == 0 ? CLI_OK : CLI_FAILED;
}

int
cli_dead_letters(const struct config *cfg, int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : "list";
	bool all = argc == 2 && strcmp(argv[1], "--all") == 0;
	int64_t id = 0;
	enum { LIST, SHOW, REPLAY } what;

	if (strcmp(verb, "list") == 0 && (argc <= 1 || (argc == 2 && all)))
		what = LIST;
	else if (strcmp(verb, "show") == 0 && argc == 2 &&
	    parse_id(argv[1], &id))
		what = SHOW;
	else if (strcmp(verb, "replay") == 0 && argc == 2 &&
	    (all || parse_id(argv[1], &id)))
		what = REPLAY;
	else {
		fprintf(stderr,
		    "%sID is a number from \"dobrobot dead-letters "
		    "list\".\n",
		    usage_text);
		return CLI_USAGE;
	}

	char *cause = NULL;
	struct store *st = cli_open_store(cfg, &cause);
	if (st == NULL) {
		fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		return CLI_FAILED;
	}
	int rc;
	switch (what) {
	case LIST:
		rc = list(st, all);
		break;
	case SHOW:
		rc = show(st, id);
		break;
	default:
		rc = replay(st, cfg, all, id);
		break;
	}
	store_close(st);
	return rc;
}
