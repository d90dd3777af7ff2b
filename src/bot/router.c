/* Update routing (see router.h). */
#include "dobrobot/bot/router.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/handlers/chat_events.h"
#include "dobrobot/store/budget.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/users.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

static enum user_role
effective_role(const struct config *cfg, const struct user *u)
{
	if (config_is_admin(cfg, u->id))
		return ROLE_ADMIN;
	return u->role;
}

static int
refuse(struct handler_ctx *ctx, const struct command_entry *c)
{
	if (!(c->where & IN_GROUP) && !ctx_is_private(ctx))
		return reply_msg(ctx, MSG_PRIVATE_ONLY, c->name,
		    ctx->bot_username);
	if (!(c->where & IN_PRIVATE) && ctx_is_private(ctx))
		return reply_msg(ctx, MSG_GROUP_ONLY, c->name);
	return reply_msg(ctx,
	    c->role == ROLE_ADMIN ? MSG_NOT_ALLOWED_ADMIN
	                          : MSG_NOT_ALLOWED_ORGANISER,
	    c->name);
}

I18N(T_SLOW_DOWN,
    "Слишком много сообщений подряд — я не успеваю отвечать. Подождите "
    "минуту и напишите снова: до тех пор я не отвечу.",
    "Too many messages in a row; I cannot keep up. Please wait a minute "
    "and write again: until then I will not answer.")

/* 1 when the update may be handled. 0 when it is refused: its user sent
 * more than limits.updates_per_min updates this minute, or the chat already
 * has limits.pending_replies replies waiting (a private chat drains at one
 * message a second, so more would only arrive minutes late and hold up
 * nobody else but make this chat's next answer later still). A refused
 * update changes nothing, so nothing it would have confirmed can be lost;
 * the user is told once per minute (a pressed button is answered each
 * time, as Telegram requires, with the same words), ahead of the replies
 * already waiting. */
static int
within_budget(struct handler_ctx *ctx)
{
	int n = budget_count(ctx->st, ctx->user.id, ctx->now_ms);
	if (n < 0)
		return handler_fail(ctx, "cannot count the user's updates");
	int cap = ctx->cfg->limits.pending_replies;
	bool flood = n > ctx->cfg->limits.updates_per_min;
	int waiting = 0;
	if (!flood && ctx->chat_id != 0) {
		waiting = outbox_pending_replies(ctx->st, ctx->chat_id);
		if (waiting < 0)
			return handler_fail(ctx,
			    "cannot count waiting replies");
	}
	if (!flood && waiting < cap)
		return 1;
	if (ctx->callback != NULL)
		return answer_callback(ctx, tr(ctx, &T_SLOW_DOWN), false) < 0
		    ? -1
		    : 0;
	int first = budget_warn_once(ctx->st, ctx->user.id);
	if (first < 0)
		return handler_fail(ctx, "cannot record the warning");
	if (first == 0)
		return 0;
	log_info("user %lld in chat %lld: %s; updates refused for the rest of "
	         "the minute",
	    (long long)ctx->user.id, (long long)ctx->chat_id,
	    flood ? "over the update budget" : "too many replies waiting");
	return send_html(ctx->st, ctx->chat_id, tr(ctx, &T_SLOW_DOWN), NULL,
	           "reply", PRIO_URGENT, ctx->update_id) < 0
	    ? -1
	    : 0;
}

I18N(T_FLOW_ORGANISER_GONE,
    "У вас больше нет роли организатора, поэтому начатое командой /%s не "
    "продолжить: разговор закрыт. Если это ошибка, попросите "
    "администратора бота снова выдать вам роль.",
    "You no longer have the organiser role, so what you began with /%s "
    "cannot go on: the conversation is closed. If this is a mistake, ask "
    "the bot's admin to grant you the role again.")
I18N(T_FLOW_ADMIN_GONE,
    "У вас больше нет роли администратора, поэтому начатое командой /%s не "
    "продолжить: разговор закрыт.",
    "You are no longer an admin, so what you began with /%s cannot go on: "
    "the conversation is closed.")

/* The flow named by a stored conversation, or NULL when this version no
 * longer knows it. */
static const struct flow_entry *
flow_find(const char *name)
{
	for (size_t i = 0; i < flow_table_len; i++) {
		const struct flow_entry *f = &flow_table[i];
		if (f->on_message != NULL && strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

/* Someone whose role was revoked in the middle of a flow that needs it:
 * the conversation ends, and a sentence says why. */
static int
flow_role_gone(struct handler_ctx *ctx, const struct flow_entry *f)
{
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	return reply_text(ctx, NULL,
	    f->role >= ROLE_ADMIN ? &T_FLOW_ADMIN_GONE : &T_FLOW_ORGANISER_GONE,
	    f->command);
}

/* A private message that is not a command goes to the user's conversation,
 * if there is one. */
static int
route_to_flow(struct handler_ctx *ctx)
{
	if (!ctx_is_private(ctx))
		return 0;
	if (ctx->conv.flow != NULL) {
		const struct flow_entry *f = flow_find(ctx->conv.flow);
		if (f != NULL && ctx->role < f->role)
			return flow_role_gone(ctx, f);
		if (f != NULL)
			return f->on_message(ctx);
		/* A flow this version no longer knows: forget it. */
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
	}
	return free_text_handler(ctx);
}

/* Fault injection for the crash-guard test (tests/integration): a message
 * with exactly this text makes the process abort, as a handler bug would.
 * Only build/dobrobot-test has it (make compiles it with
 * -DDOBROBOT_TEST_HOOKS); in the release binary it is nothing. */
static void
maybe_crash_for_test(const char *text)
{
#ifdef DOBROBOT_TEST_HOOKS
	const char *boom = getenv("DOBROBOT_TEST_CRASH_ON");
	if (boom != NULL && *boom != '\0' && strcmp(text, boom) == 0)
		abort();
#else
	(void)text;
#endif
}

static int
route_command(struct handler_ctx *ctx, const char *text)
{
	maybe_crash_for_test(text);
	if (command_parse(text, ctx->bot_username, &ctx->cmd) < 0)
		return route_to_flow(ctx);
	if (ctx->cmd.for_other_bot)
		return 0;
	if (!ctx_is_private(ctx)) {
		int budget = within_budget(ctx);
		if (budget <= 0)
			return budget;
	}
	const struct command_entry *c = commands_find(ctx->cmd.name);
	if (c == NULL) {
		/* In a group an unknown command is most likely another bot's. */
		if (ctx_is_private(ctx))
			return reply_msg(ctx, MSG_UNKNOWN_COMMAND,
			    ctx->cmd.name);
		return 0;
	}
	unsigned here = ctx_is_private(ctx) ? IN_PRIVATE : IN_GROUP;
	if (!(c->where & here) || ctx->role < c->role)
		return refuse(ctx, c);
	return c->run(ctx);
}

/* Service messages that move a group to a supergroup: the old chat gets
 * migrate_to_chat_id, the new one migrate_from_chat_id. Both lead to the
 * same idempotent move. */
static int
route_migration(struct handler_ctx *ctx)
{
	json_t *to = json_object_get(ctx->message, "migrate_to_chat_id");
	json_t *from = json_object_get(ctx->message, "migrate_from_chat_id");
	int64_t old_id = ctx->chat_id, new_id = ctx->chat_id;
	if (json_is_integer(to))
		new_id = json_integer_value(to);
	else if (json_is_integer(from))
		old_id = json_integer_value(from);
	else
		return 1;
	/* Only groups move, and never onto themselves. */
	if (old_id >= 0 || new_id >= 0 || old_id == new_id)
		return 0;
	if (chats_migrate(ctx->st, old_id, new_id, ctx->now_ms) < 0 ||
	    roles_group_migrated(ctx, old_id, new_id) < 0)
		return handler_fail(ctx, "cannot follow a group migration");
	return 0;
}

static int
route_message(struct handler_ctx *ctx)
{
	json_t *chat = json_object_get(ctx->message, "chat");
	json_t *chat_id = json_object_get(chat, "id");
	ctx->chat_type = json_string_value(json_object_get(chat, "type"));
	if (!json_is_integer(chat_id) || ctx->chat_type == NULL)
		return handler_fail(ctx, "message without a valid chat");
	ctx->chat_id = json_integer_value(chat_id);
	if (chats_upsert(ctx->st, chat, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot record chat");

	int migrated = route_migration(ctx);
	if (migrated <= 0)
		return migrated;

	json_t *from = json_object_get(ctx->message, "from");
	if (from == NULL)
		return 0; /* channel posts, anonymous group admins */
	if (!json_is_integer(json_object_get(from, "id")))
		return handler_fail(ctx, "message with a malformed sender");
	if (users_upsert(ctx->st, from, ctx->cfg->locale, ctx->now_ms,
	        &ctx->user) < 0)
		return handler_fail(ctx, "cannot record user");
	ctx->lang = ctx->user.lang;
	ctx->role = effective_role(ctx->cfg, &ctx->user);
	if (json_is_true(json_object_get(from, "is_bot")))
		return 0;
	/* In a group only commands to the bot count (see route_command):
	 * people talking among themselves are none of its business. */
	if (ctx_is_private(ctx)) {
		int budget = within_budget(ctx);
		if (budget <= 0)
			return budget;
	}

	if (ctx_is_private(ctx) &&
	    conversation_load(ctx->st, ctx->user.id, ctx->chat_id, &ctx->conv) <
	        0)
		return handler_fail(ctx, "cannot load the conversation");
	json_t *text = json_object_get(ctx->message, "text");
	if (text == NULL)
		return route_to_flow(ctx);
	if (!json_is_string(text))
		return handler_fail(ctx, "message text is not a string");
	return route_command(ctx, json_string_value(text));
}

/* my_chat_member: in a private chat, the user blocked or unblocked the bot;
 * in a group, the bot was added or removed. */
static int
route_member(struct handler_ctx *ctx, json_t *upd)
{
	json_t *chat = json_object_get(upd, "chat");
	json_t *id = json_object_get(chat, "id");
	const char *status = json_string_value(
	    json_object_get(json_object_get(upd, "new_chat_member"), "status"));
	if (!json_is_integer(id) || status == NULL)
		return handler_fail(ctx,
		    "my_chat_member without chat or status");
	if (chats_upsert(ctx->st, chat, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot record chat");
	bool gone = strcmp(status, "kicked") == 0 ||
	    strcmp(status, "left") == 0;
	int64_t chat_id = json_integer_value(id);
	if (chats_set_active(ctx->st, chat_id, !gone) < 0)
		return -1;
	if (chat_id > 0)
		return users_set_blocked(ctx->st, chat_id, gone);
	if (gone)
		return roles_bot_removed(ctx, upd, chat_id);
	return 0;
}

static const struct callback_entry *
callback_find(const char *data, const char **args)
{
	for (size_t i = 0; i < callback_table_len; i++) {
		const struct callback_entry *c = &callback_table[i];
		size_t n = strlen(c->prefix);
		if (c->run != NULL && strncmp(data, c->prefix, n) == 0 &&
		    (data[n] == ':' || data[n] == '\0')) {
			*args = data[n] == ':' ? data + n + 1 : data + n;
			return c;
		}
	}
	return NULL;
}

/* A pressed inline button. Its data is untrusted: the prefix must be known,
 * the presser's role sufficient, and the handler checks the ids. */
static int
route_callback(struct handler_ctx *ctx, json_t *cb)
{
	json_t *from = json_object_get(cb, "from");
	const char *data = json_string_value(json_object_get(cb, "data"));
	if (!json_is_integer(json_object_get(from, "id")) ||
	    !json_is_string(json_object_get(cb, "id")))
		return handler_fail(ctx, "callback_query without sender or id");
	ctx->callback = cb;
	json_t *msg = json_object_get(cb, "message");
	json_t *chat = json_object_get(msg, "chat");
	if (json_is_integer(json_object_get(chat, "id"))) {
		ctx->message = msg;
		ctx->chat_id = json_integer_value(json_object_get(chat, "id"));
		ctx->chat_type = json_string_value(json_object_get(chat,
		    "type"));
		json_t *mid = json_object_get(msg, "message_id");
		ctx->cb_message_id = json_is_integer(mid)
		    ? json_integer_value(mid)
		    : 0;
	}
	if (users_upsert(ctx->st, from, ctx->cfg->locale, ctx->now_ms,
	        &ctx->user) < 0)
		return handler_fail(ctx, "cannot record user");
	ctx->lang = ctx->user.lang;
	ctx->role = effective_role(ctx->cfg, &ctx->user);
	int budget = within_budget(ctx);
	if (budget <= 0)
		return budget;
	if (ctx->chat_id != 0 && ctx_is_private(ctx) &&
	    conversation_load(ctx->st, ctx->user.id, ctx->chat_id, &ctx->conv) <
	        0)
		return handler_fail(ctx, "cannot load the conversation");

	int rc = 0;
	const char *args = NULL;
	const struct callback_entry *c = data ? callback_find(data, &args)
	                                      : NULL;
	if (c == NULL || ctx->chat_id == 0)
		rc = answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	else if (ctx->role < c->role) {
		rc = answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_NOT_ALLOWED), true);
		/* A button of a flow whose role was revoked in the middle: the
		 * flow ends here too, as for a typed answer. */
		const struct flow_entry *f = ctx->conv.flow != NULL
		    ? flow_find(ctx->conv.flow)
		    : NULL;
		if (rc == 0 && f != NULL && ctx->role < f->role)
			rc = flow_role_gone(ctx, f);
	} else {
		ctx->cb_args = args;
		rc = c->run(ctx);
	}
	if (rc == 0 && !ctx->cb_answered)
		rc = answer_callback(ctx, NULL, false);
	return rc;
}

/* The one door of everything people send: every string of the update (a
 * text, a name, a chat title, a caption) loses NULs, which would cut it
 * short where C reads it, and the invisible marks of utf8_is_invisible,
 * which could make it read differently to the others it is shown to.
 * Strings only shrink; the depth is bounded by jansson's parser. */
static void
strip_invisible(json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_string(v)) {
		size_t len = json_string_length(v);
		const char *text = json_string_value(v);
		/* Most strings hold none: every mark but NUL starts with the
		 * byte 0xE2 in UTF-8. */
		if (strlen(text) == len && memchr(text, 0xE2, len) == NULL)
			return;
		char *s = xmalloc(len + 1);
		memcpy(s, text, len + 1);
		size_t n = utf8_strip_invisible(s, len);
		if (n != len)
			json_string_setn_nocheck(v, s, n);
		free(s);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, item) strip_invisible(item);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) strip_invisible(item);
	}
}

int
router_handle(const struct router_env *env, json_t *update, int64_t update_id,
    int64_t now_ms, struct router_failure *fail)
{
	struct handler_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.st = env->st;
	ctx.cfg = env->cfg;
	ctx.bot_username = env->bot_username;
	ctx.now_ms = now_ms;
	ctx.update_id = update_id;
	ctx.update = update;
	ctx.lang = env->cfg->locale;
	strip_invisible(update);

	int rc = 0;
	json_t *v;
	if ((v = json_object_get(update, "message")) != NULL) {
		ctx.message = v;
		rc = json_is_object(v)
		    ? route_message(&ctx)
		    : handler_fail(&ctx, "message is not an object");
	} else if ((v = json_object_get(update, "callback_query")) != NULL) {
		rc = json_is_object(v)
		    ? route_callback(&ctx, v)
		    : handler_fail(&ctx, "callback_query is not an object");
	} else if ((v = json_object_get(update, "my_chat_member")) != NULL) {
		rc = route_member(&ctx, v);
	}
	/* Other update types (edited messages, channel posts, reactions) are
	 * not for this bot: ignored. */

	if (rc < 0) {
		memset(fail, 0, sizeof *fail);
		fail->error = ctx.error ? ctx.error : xstrdup("handler failed");
		ctx.error = NULL;
		fail->chat_id = ctx.chat_id;
		snprintf(fail->lang, sizeof fail->lang, "%s", ctx.lang);
	}
	free(ctx.error);
	conversation_release(&ctx.conv);
	user_release(&ctx.user);
	return rc < 0 ? -1 : 0;
}
