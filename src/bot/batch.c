/* One getUpdates batch, processed exactly once (docs/ARCHITECTURE.md,
 * invariant 1): the batch is one transaction, each update a savepoint inside
 * it; its effects, its outbox rows, its id in processed_updates and the new
 * last_update_id commit together, before the next getUpdates confirms them
 * to Telegram. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/updates.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

/* A handler failed: its savepoint is rolled back; the raw update is kept in
 * dead_letters and the person gets a short apology. */
static void
dead_letter(const struct router_env *env, json_t *update, int64_t update_id,
    struct router_failure *fail, int64_t now)
{
	char *raw = json_dumps(update, JSON_COMPACT);
	log_warn("update %lld dead-lettered: %s", (long long)update_id,
	    fail->error);
	dead_letter_add(env->st, update_id, raw ? raw : "?", fail->error, now);
	free(raw);
	if (fail->chat_id != 0)
		send_html(env->st, fail->chat_id,
		    i18n_text(fail->lang, MSG_APOLOGY), NULL, "reply",
		    PRIO_REPLY, update_id);
	free(fail->error);
}

/* An update that cannot be confirmed (no update_id: the offset cannot
 * move past it) comes back with every getUpdates until a later one moves
 * the offset on. It is kept once, not once per fetch. */
static void
dead_letter_once(const struct router_env *env, json_t *update,
    const char *error, int64_t now)
{
	char *raw = json_dumps(update, JSON_COMPACT);
	if (raw == NULL || !dead_letter_has_raw(env->st, raw)) {
		log_warn("update dead-lettered: %s", error);
		dead_letter_add(env->st, 0, raw ? raw : "?", error, now);
	}
	free(raw);
}

static void
process_one(const struct router_env *env, json_t *update, int64_t update_id,
    int64_t now)
{
	struct router_failure fail;
	if (store_savepoint(env->st) < 0)
		return;
	if (router_handle(env, update, update_id, now, &fail) == 0) {
		store_release(env->st);
		return;
	}
	store_rollback_to(env->st);
	dead_letter(env, update, update_id, &fail, now);
}

int
bot_process_update(const struct router_env *env, json_t *update, char **error)
{
	struct router_failure fail;
	json_t *idv = json_object_get(update, "update_id");
	int64_t id = json_is_integer(idv) ? json_integer_value(idv) : 0;

	*error = NULL;
	if (store_savepoint(env->st) < 0) {
		*error = xstrdup("cannot open a savepoint");
		return -1;
	}
	if (router_handle(env, update, id, clock_wall_ms(), &fail) == 0) {
		if (store_release(env->st) == 0)
			return 0;
		store_rollback_to(env->st);
		*error = xstrdup("cannot release the savepoint");
		return -1;
	}
	store_rollback_to(env->st);
	*error = fail.error;
	return -1;
}

/* The crash guard. A handler that fails is dead-lettered above; one that
 * crashes the process would otherwise crash it again on every restart, as
 * Telegram redelivers the unconfirmed batch. So a batch is marked open
 * (bot_state "batch_open", committed without fsync) before it starts, and
 * the batch's own commit removes the mark. A start that finds the mark
 * processes the next batch carefully: one update per transaction, each
 * named first in "crash_suspect". An update that was the suspect when the
 * process died twice more is dead-lettered without being handled again.
 * (Handler crashes are bugs; this keeps one from taking the bot down.) */
#define CRASHES_BEFORE_POISON 2

/* Where to apologise for an update the router never saw. */
static void
apology_address(const struct router_env *env, json_t *u,
    struct router_failure *fail)
{
	json_t *msg = json_object_get(u, "message");
	json_t *cb = json_object_get(u, "callback_query");
	if (msg == NULL)
		msg = json_object_get(cb, "message");
	json_t *id = json_object_get(json_object_get(msg, "chat"), "id");
	json_t *from = json_object_get(cb ? cb : msg, "from");
	const char *code = json_string_value(json_object_get(from,
	    "language_code"));
	fail->chat_id = json_is_integer(id) ? json_integer_value(id) : 0;
	snprintf(fail->lang, sizeof fail->lang, "%s",
	    code != NULL && strncmp(code, "en", 2) == 0 ? "en"
	                                                : env->cfg->locale);
}

static int
set_state_relaxed(struct store *st, const char *key, int64_t value)
{
	if (store_begin_relaxed(st) < 0)
		return -1;
	if (store_state_set_int(st, key, value) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st);
}

static void
delete_state(struct store *st, const char *key)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM bot_state WHERE key = ?");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	store_step_done(st, s);
}

/* One update in a transaction of its own, with the suspect mark around it.
 * Returns 0, or -1 when a transaction could not commit. */
static int
process_carefully(const struct router_env *env, json_t *u, int64_t id,
    int64_t now)
{
	int64_t suspect = 0, crashes = 0;
	store_state_get_int(env->st, "crash_suspect", &suspect);
	store_state_get_int(env->st, "crash_count", &crashes);
	if (suspect != id)
		crashes = 0;
	if (crashes >= CRASHES_BEFORE_POISON) {
		struct router_failure fail = {
		    .error = xstrdup(
		        "the update "
		        "crashed dobrobot each time it was handled; not handled "
		        "again")};
		apology_address(env, u, &fail);
		if (store_begin(env->st) < 0)
			return -1;
		dead_letter(env, u, id, &fail, now);
		updates_mark(env->st, id, now);
		delete_state(env->st, "crash_suspect");
		delete_state(env->st, "crash_count");
		return store_commit(env->st);
	}
	if (set_state_relaxed(env->st, "crash_suspect", id) < 0 ||
	    set_state_relaxed(env->st, "crash_count", crashes + 1) < 0)
		return -1;
	if (store_begin(env->st) < 0)
		return -1;
	process_one(env, u, id, now);
	updates_mark(env->st, id, now);
	delete_state(env->st, "crash_suspect");
	delete_state(env->st, "crash_count");
	return store_commit(env->st);
}

/* What to do with an update whose id came earlier in the same batch (which
 * Telegram never sends): an identical copy is skipped; a different update
 * under the same id is set aside, not silently dropped. */
enum repeat { REPEAT_NONE, REPEAT_SAME, REPEAT_DIFFERENT };

static enum repeat *
find_repeats(json_t *updates)
{
	size_t n = json_array_size(updates);
	enum repeat *r = xcalloc(n, sizeof *r);
	for (size_t i = 1; i < n; i++) {
		json_t *idv = json_object_get(json_array_get(updates, i),
		    "update_id");
		if (!json_is_integer(idv))
			continue;
		for (size_t j = 0; j < i; j++) {
			json_t *u = json_array_get(updates, j);
			json_t *jv = json_object_get(u, "update_id");
			if (!json_is_integer(jv) ||
			    json_integer_value(jv) != json_integer_value(idv))
				continue;
			r[i] = json_equal(u, json_array_get(updates, i))
			    ? REPEAT_SAME
			    : REPEAT_DIFFERENT;
			if (r[i] == REPEAT_DIFFERENT)
				break;
		}
	}
	return r;
}

static void
dead_letter_repeat(const struct router_env *env, json_t *u, int64_t id,
    int64_t now)
{
	struct router_failure fail = {
	    .error = xstrdup(
	        "a second, different "
	        "update with the same update_id in one batch; the first was "
	        "handled")};
	apology_address(env, u, &fail);
	dead_letter(env, u, id, &fail, now);
}

int
bot_process_batch(const struct router_env *env, json_t *updates,
    int64_t *next_offset)
{
	int rc = -1;
	int64_t now = clock_wall_ms();
	bool have_max = false;
	int64_t max_id = 0;
	int64_t open = 0;
	size_t i;
	json_t *u;

	*next_offset = 0;
	if (json_array_size(updates) == 0)
		return 0;
	bool careful = store_state_get_int(env->st, "batch_open", &open) == 0;
	if (careful)
		log_warn("the last batch did not finish: processing this one "
		         "update by update");
	else if (set_state_relaxed(env->st, "batch_open", 1) < 0)
		return -1;
	if (!careful && store_begin(env->st) < 0)
		return -1;
	enum repeat *repeats = find_repeats(updates);
	json_array_foreach(updates, i, u)
	{
		json_t *idv = json_object_get(u, "update_id");
		if (!json_is_integer(idv)) {
			if (careful && store_begin(env->st) < 0)
				goto out;
			dead_letter_once(env, u, "update without an update_id",
			    now);
			if (careful && store_commit(env->st) < 0)
				goto out;
			continue;
		}
		int64_t id = json_integer_value(idv);
		/* The next offset comes from this batch, not from what we had:
		 * Telegram may restart ids at a lower value. */
		if (!have_max || id > max_id)
			max_id = id;
		have_max = true;
		if (repeats[i] == REPEAT_SAME) {
			log_debug("update %lld twice in one batch: the copy is "
			          "skipped",
			    (long long)id);
			continue;
		}
		if (repeats[i] == REPEAT_DIFFERENT) {
			if (careful && store_begin(env->st) < 0)
				goto out;
			dead_letter_repeat(env, u, id, now);
			if (careful && store_commit(env->st) < 0)
				goto out;
			continue;
		}
		if (careful) {
			if (updates_seen(env->st, id)) {
				log_debug("update %lld seen before: skipped",
				    (long long)id);
				continue;
			}
			if (process_carefully(env, u, id, now) < 0) {
				store_rollback(env->st);
				goto out;
			}
			continue;
		}
		/* Marked before it is handled, outside its savepoint: a
		 * handler that fails is rolled back and dead-lettered, and
		 * its update stays marked, as it would be marked after. */
		if (updates_claim(env->st, id, now) == 0) {
			log_debug("update %lld seen before: skipped",
			    (long long)id);
			continue;
		}
		process_one(env, u, id, now);
	}
	if (careful && store_begin(env->st) < 0)
		goto out;
	if (have_max)
		store_state_set_int(env->st, "last_update_id", max_id);
	delete_state(env->st, "batch_open");
	if (store_commit(env->st) < 0) {
		store_rollback(env->st);
		goto out;
	}
	if (have_max)
		*next_offset = max_id + 1;
	rc = 0;
out:
	free(repeats);
	return rc;
}

/* The bytes of an unreadable answer as text for dead_letters: valid UTF-8
 * as it is, every other byte (and NUL, and the C0 controls JSON forbids
 * raw) as \xNN, so that what Telegram sent can be read back exactly. */
static char *
unreadable_as_text(const char *body, size_t len)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(body + i, len - i, &cp);
		if (cp >= 0x20 && utf8_valid(body + i, n)) {
			buf_append(&b, body + i, n);
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			buf_putc(&b, (char)cp);
		} else {
			for (size_t k = 0; k < n; k++)
				buf_printf(&b, "\\x%02X",
				    (unsigned char)body[i + k]);
		}
		i += n;
	}
	return buf_detach(&b);
}

int
bot_set_aside_unreadable(const struct router_env *env, int64_t update_id,
    const char *body, size_t len, const char *why)
{
	int64_t now = clock_wall_ms();
	if (store_begin(env->st) < 0)
		return -1;
	if (!updates_seen(env->st, update_id)) {
		char *raw = unreadable_as_text(body, len);
		log_warn("update %lld dead-lettered: %s", (long long)update_id,
		    why);
		dead_letter_add(env->st, update_id, raw, why, now);
		free(raw);
		updates_mark(env->st, update_id, now);
	}
	store_state_set_int(env->st, "last_update_id", update_id);
	if (store_commit(env->st) < 0) {
		store_rollback(env->st);
		return -1;
	}
	return 0;
}
