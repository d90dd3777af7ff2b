/* Update routing (see router.h). */
#include "dobrobot/router.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/handler.h"
#include "dobrobot/log.h"
#include "dobrobot/users.h"
#include "dobrobot/xalloc.h"

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
	return reply_msg(ctx, c->role == ROLE_ADMIN ? MSG_NOT_ALLOWED_ADMIN :
	    MSG_NOT_ALLOWED_ORGANISER, c->name);
}

static int
route_command(struct handler_ctx *ctx, const char *text)
{
	if (command_parse(text, ctx->bot_username, &ctx->cmd) < 0) {
		if (ctx_is_private(ctx))
			return reply_msg(ctx, MSG_NOT_A_COMMAND);
		return 0;
	}
	if (ctx->cmd.for_other_bot)
		return 0;
	const struct command_entry *c = commands_find(ctx->cmd.name);
	if (c == NULL) {
		/* In a group an unknown command is most likely another bot's. */
		if (ctx_is_private(ctx))
			return reply_msg(ctx, MSG_UNKNOWN_COMMAND, ctx->cmd.name);
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
	if (json_is_integer(to))
		return chats_migrate(ctx->st, ctx->chat_id,
		    json_integer_value(to), ctx->now_ms);
	if (json_is_integer(from))
		return chats_migrate(ctx->st, json_integer_value(from),
		    ctx->chat_id, ctx->now_ms);
	return 1;
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

	json_t *text = json_object_get(ctx->message, "text");
	if (text == NULL) {
		if (ctx_is_private(ctx))
			return reply_msg(ctx, MSG_NOT_A_COMMAND);
		return 0;
	}
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
	const char *status = json_string_value(json_object_get(
	    json_object_get(upd, "new_chat_member"), "status"));
	if (!json_is_integer(id) || status == NULL)
		return handler_fail(ctx, "my_chat_member without chat or status");
	if (chats_upsert(ctx->st, chat, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot record chat");
	bool gone = strcmp(status, "kicked") == 0 || strcmp(status, "left") == 0;
	int64_t chat_id = json_integer_value(id);
	if (chats_set_active(ctx->st, chat_id, !gone) < 0)
		return -1;
	if (chat_id > 0)
		return users_set_blocked(ctx->st, chat_id, gone);
	return 0;
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

	int rc = 0;
	json_t *v;
	if ((v = json_object_get(update, "message")) != NULL) {
		ctx.message = v;
		rc = json_is_object(v) ? route_message(&ctx) :
		    handler_fail(&ctx, "message is not an object");
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
	user_release(&ctx.user);
	return rc < 0 ? -1 : 0;
}
