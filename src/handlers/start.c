/* /start and /help: the greeting and the list of commands. */
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "broadcast.h"
#include "dobrobot/text/html.h"
#include "dobrobot/handlers/menus.h"

/* "/start p12" from a deep link: the payload's first letter picks the
 * handler, which reads the rest from ctx->cmd.args. */
static int
start_payload(struct handler_ctx *ctx)
{
	char prefix = ctx->cmd.args[0];
	for (size_t i = 0; i < start_table_len; i++) {
		if (start_table[i].run != NULL &&
		    start_table[i].prefix == prefix) {
			ctx->cmd.args++;
			return start_table[i].run(ctx);
		}
	}
	return 1; /* unknown payload: greet as usual */
}

int
handle_start(struct handler_ctx *ctx)
{
	/* An organiser's own command menu needs their private chat, which may
	 * only begin now (menus.c). */
	if (ctx_is_private(ctx) && ctx->role >= ROLE_ORGANISER &&
	    menus_refresh_chat(ctx->st, ctx->cfg, ctx->user.id) < 0)
		return handler_fail(ctx, "cannot refresh the command menu");
	if (ctx_is_private(ctx) && ctx->cmd.args[0] != '\0') {
		int rc = start_payload(ctx);
		if (rc <= 0)
			return rc;
	}
	if (!ctx_is_private(ctx))
		return reply_msg(ctx, MSG_START_GROUP, ctx->bot_username);
	struct buf name = BUF_INIT;
	html_escape(&name,
	    ctx->user.first_name && *ctx->user.first_name
	        ? ctx->user.first_name
	        : (strcmp(ctx->lang, "en") == 0 ? "friend" : "друг"));
	/* A newcomer is asked once, in the greeting, whether they want
	 * announcements (subscribe.c). */
	struct buf text = BUF_INIT;
	json_t *markup = NULL;
	i18n_append(&text, ctx->lang, MSG_START_GREETING, buf_str(&name));
	buf_release(&name);
	int rc = subscribe_offer_once(ctx, &text, &markup);
	if (rc == 0)
		rc = reply_html(ctx, buf_str(&text), markup);
	json_decref(markup);
	buf_release(&text);
	return rc;
}

I18N(T_HELP_MOST, "<b>Чаще всего</b>\n", "<b>Most often</b>\n")
I18N(T_HELP_REST, "\n<b>Остальные команды</b>\n", "\n<b>Other commands</b>\n")
I18N(T_HELP_SETGROUP,
    "/setgroup — подключить группу руководителей: напишите эту команду в "
    "самой группе, куда добавлен бот\n",
    "/setgroup — connect the leaders' group: write this command in the "
    "group itself, once the bot is in it\n")

/* What an organiser does most, first in their /help. */
static const char *const organiser_first[] = {"announce", "received", "close"};

static bool
is_first(const char *name)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(name, organiser_first[i]) == 0)
			return true;
	return false;
}

int
handle_help(struct handler_ctx *ctx)
{
	struct buf b = BUF_INIT;
	unsigned here = ctx_is_private(ctx) ? IN_PRIVATE : IN_GROUP;
	bool organiser = ctx->role >= ROLE_ORGANISER && ctx_is_private(ctx);
	if (organiser) {
		i18n_appendp(&b, ctx->lang, &T_HELP_MOST);
		for (size_t k = 0; k < 3; k++) {
			const struct command_entry *c =
			    commands_find(organiser_first[k]);
			if (c != NULL)
				buf_printf(&b, "/%s — %s\n", c->name,
				    i18n_text(ctx->lang, c->help));
		}
		i18n_appendp(&b, ctx->lang, &T_HELP_REST);
	} else {
		i18n_append(&b, ctx->lang, MSG_HELP_HEADER);
	}
	for (size_t i = 0; i < command_table_len; i++) {
		const struct command_entry *c = &command_table[i];
		if (!(c->where & here) || c->role > ctx->role ||
		    (organiser && is_first(c->name)))
			continue;
		buf_printf(&b, "/%s — %s\n", c->name,
		    i18n_text(ctx->lang, c->help));
	}
	/* The admin's group command cannot be run here, but must be known. */
	if (ctx->role >= ROLE_ADMIN && ctx_is_private(ctx))
		i18n_appendp(&b, ctx->lang, &T_HELP_SETGROUP);
	i18n_append(&b, ctx->lang, MSG_HELP_FOOTER);
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	return rc;
}

int
handle_cancel(struct handler_ctx *ctx)
{
	if (ctx->conv.flow == NULL)
		return reply_msg(ctx, MSG_NOTHING_TO_CANCEL);
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	return reply_msg(ctx, MSG_CANCELLED);
}
