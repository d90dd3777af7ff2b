/* One getUpdates batch, processed exactly once (DESIGN.md, invariant 1): the
 * batch is one transaction, each update a savepoint inside it; its effects,
 * its outbox rows, its id in processed_updates and the new last_update_id
 * commit together, before the next getUpdates confirms them to Telegram. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/bot.h"
#include "dobrobot/clock.h"
#include "dobrobot/handler.h"
#include "dobrobot/i18n.h"
#include "dobrobot/log.h"
#include "dobrobot/outbox.h"
#include "dobrobot/updates_store.h"
#include "dobrobot/xalloc.h"

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

int
bot_process_batch(const struct router_env *env, json_t *updates,
    int64_t *next_offset)
{
	int64_t now = clock_wall_ms();
	bool have_max = false;
	int64_t max_id = 0;
	size_t i;
	json_t *u;

	*next_offset = 0;
	if (json_array_size(updates) == 0)
		return 0;
	if (store_begin(env->st) < 0)
		return -1;
	json_array_foreach(updates, i, u) {
		json_t *idv = json_object_get(u, "update_id");
		if (!json_is_integer(idv)) {
			struct router_failure fail = {
			    .error = xstrdup("update without an update_id")};
			dead_letter(env, u, 0, &fail, now);
			continue;
		}
		int64_t id = json_integer_value(idv);
		/* The next offset comes from this batch, not from what we had:
		 * Telegram may restart ids at a lower value. */
		if (!have_max || id > max_id)
			max_id = id;
		have_max = true;
		if (updates_seen(env->st, id)) {
			log_debug("update %lld seen before: skipped", (long long)id);
			continue;
		}
		process_one(env, u, id, now);
		updates_mark(env->st, id, now);
	}
	if (have_max)
		store_state_set_int(env->st, "last_update_id", max_id);
	if (store_commit(env->st) < 0) {
		store_rollback(env->st);
		return -1;
	}
	if (have_max)
		*next_offset = max_id + 1;
	return 0;
}
