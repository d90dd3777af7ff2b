/* Browsing actions: /actions by direction and page, /action and
 * start=a<id>, and the answer to free text in private. How an action looks
 * is text/view.c, publishing handlers/publish.c, closing handlers/close.c. */
#include "actions.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/text/split.h"
#include "dobrobot/store/subscriptions.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"

#define LIST_PAGE 8

I18N(T_NUMBER, "№%lld · ", "#%lld · ")
I18N(T_LIST_MONEY, "💰 получено %s, обещано %s из %s\n",
    "💰 %s received, %s promised of %s\n")

I18N(T_STALE_ACTION, "Эта акция уже завершена. Спасибо, что хотели помочь!",
    "This action is over. Thank you for wanting to help!")
I18N(T_GONE_ACTION, "Этой акции больше нет.", "This action no longer exists.")

I18N(T_ACTION_USAGE,
    "Напишите номер акции, например: /action 12\nОткрытые акции — /actions",
    "Please give the action's number, for example: /action 12\nOpen "
    "actions — /actions")
I18N(T_LIST_HEAD, "<b>Открытые акции</b> (%lld):\n\n",
    "<b>Open actions</b> (%lld):\n\n")
I18N(T_LIST_HEAD_DIR, "<b>Открытые акции — %s</b> (%lld):\n\n",
    "<b>Open actions — %s</b> (%lld):\n\n")
I18N(T_LIST_ITEM, "<b>№%lld</b> %s\n", "<b>#%lld</b> %s\n")
/* Each item ends with a blank line already: the foot needs no other. */
I18N(T_LIST_FOOT, "Подробнее и помочь — кнопкой ниже или /action <i>номер</i>",
    "Details and how to help — the buttons below or /action <i>number</i>")
I18N(T_LIST_EMPTY,
    "Сейчас открытых акций нет. Загляните позже — они появляются часто!",
    "There are no open actions right now. Come back later — new ones "
    "appear often!")
I18N(T_LIST_EMPTY_DIR,
    "По направлению «%s» сейчас нет открытых акций. Все акции — /actions",
    "There are no open actions in «%s» right now. All actions — /actions")
I18N(T_UNKNOWN_DIRECTION,
    "Такого направления нет. Направления: %s.\nНапример: /actions %s",
    "There is no such direction. Directions: %s.\nFor example: /actions %s")
I18N(T_PREV, "← Назад", "← Back")
I18N(T_NEXT, "Дальше →", "Next →")

/* ---- browsing ---- */

/* The index of a configured direction matching `name` (case and ё
 * ignored), or -1. */
static int
direction_index(const struct config *cfg, const char *name)
{
	return config_direction_find(cfg, name);
}

static void
directions_list(struct buf *b, const struct config *cfg, const char *lang)
{
	for (size_t i = 0; i < cfg->n_directions; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		html_escape(b, config_direction_label(cfg, i, lang));
	}
}

/* The list text and its buttons for one page. dir: an index into the
 * configured directions, or -1 for all. */
static int
list_page(struct handler_ctx *ctx, int dir, int offset, struct buf *out,
    json_t **markup)
{
	const char *direction = dir >= 0 ? ctx->cfg->directions[dir] : NULL;
	struct action *list = NULL;
	size_t n = 0;
	int64_t total = 0;
	*markup = NULL;
	if (offset < 0)
		offset = 0;
	if (actions_list_open(ctx->st, direction, offset, LIST_PAGE, &list, &n,
	        &total) < 0)
		return -1;
	if (total == 0) {
		struct buf d = BUF_INIT;
		html_escape(&d,
		    config_direction_label_of(ctx->cfg, direction, ctx->lang));
		if (direction != NULL)
			i18n_appendp(out, ctx->lang, &T_LIST_EMPTY_DIR,
			    buf_str(&d));
		else
			i18n_appendp(out, ctx->lang, &T_LIST_EMPTY);
		buf_release(&d);
		return 0;
	}
	if (direction != NULL) {
		struct buf d = BUF_INIT;
		html_escape(&d,
		    config_direction_label(ctx->cfg, (size_t)dir, ctx->lang));
		i18n_appendp(out, ctx->lang, &T_LIST_HEAD_DIR, buf_str(&d),
		    (long long)total);
		buf_release(&d);
	} else {
		i18n_appendp(out, ctx->lang, &T_LIST_HEAD, (long long)total);
	}
	bool group = !ctx_is_private(ctx);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		struct action *a = &list[i];
		struct buf t = BUF_INIT;
		html_escape(&t, a->title);
		i18n_appendp(out, ctx->lang, &T_LIST_ITEM, (long long)a->id,
		    buf_str(&t));
		buf_release(&t);
		buf_puts(out, "🏷 ");
		int di = config_direction_find(ctx->cfg, a->direction);
		html_escape(out,
		    di >= 0 ? config_direction_label(ctx->cfg, (size_t)di,
		                  ctx->lang)
		            : a->direction);
		buf_puts(out, " · 🗓 ");
		if (a->starts_at > 0)
			when_format(out, (time_t)a->starts_at, ctx->lang);
		else
			buf_puts(out,
			    strcmp(ctx->lang, "en") == 0 ? "ongoing"
			                                 : "постоянно");
		buf_putc(out, '\n');
		if (a->goal_kopecks > 0) {
			/* Both totals, as everywhere progress is shown: what
			 * was promised, and what of it actually came. */
			struct buf got = BUF_INIT, promised = BUF_INIT;
			struct buf goal = BUF_INIT;
			money_format(&got, a->money_received);
			money_format(&promised, a->money_promised);
			money_format(&goal, a->goal_kopecks);
			i18n_appendp(out, ctx->lang, &T_LIST_MONEY,
			    buf_str(&got), buf_str(&promised), buf_str(&goal));
			buf_release(&got);
			buf_release(&promised);
			buf_release(&goal);
		}
		buf_putc(out, '\n');

		/* The button: "№12 · Тёплые вещи для…" */
		struct buf label = BUF_INIT;
		size_t tl = strlen(a->title);
		size_t cut = utf8_prefix_bytes(a->title, tl, 40);
		i18n_appendp(&label, ctx->lang, &T_NUMBER, (long long)a->id);
		buf_append(&label, a->title, cut);
		if (cut < tl)
			buf_puts(&label, "…");
		char value[96];
		if (group) {
			snprintf(value, sizeof value,
			    "https://t.me/%s?start=a%lld", ctx->bot_username,
			    (long long)a->id);
			json_array_append_new(rows,
			    json_pack("[{s:s, s:s}]", "text", buf_str(&label),
			        "url", value));
		} else {
			snprintf(value, sizeof value, "ac:v:%lld",
			    (long long)a->id);
			json_array_append_new(rows,
			    json_pack("[{s:s, s:s}]", "text", buf_str(&label),
			        "callback_data", value));
		}
		buf_release(&label);
	}
	i18n_appendp(out, ctx->lang, &T_LIST_FOOT);
	if (!group && total > LIST_PAGE) {
		json_t *nav = json_array();
		char value[64];
		if (offset > 0) {
			snprintf(value, sizeof value, "ac:p:%d:%d",
			    offset - LIST_PAGE < 0 ? 0 : offset - LIST_PAGE,
			    dir);
			json_array_append_new(nav,
			    json_pack("{s:s, s:s}", "text", tr(ctx, &T_PREV),
			        "callback_data", value));
		}
		if (offset + LIST_PAGE < total) {
			snprintf(value, sizeof value, "ac:p:%d:%d",
			    offset + LIST_PAGE, dir);
			json_array_append_new(nav,
			    json_pack("{s:s, s:s}", "text", tr(ctx, &T_NEXT),
			        "callback_data", value));
		}
		if (json_array_size(nav) > 0)
			json_array_append_new(rows, nav);
		else
			json_decref(nav);
	}
	for (size_t i = 0; i < n; i++)
		action_release(&list[i]);
	free(list);
	if (json_array_size(rows) > 0)
		*markup = json_pack("{s:o}", "inline_keyboard", rows);
	else
		json_decref(rows);
	return 0;
}

int
handle_actions(struct handler_ctx *ctx)
{
	int dir = -1;
	if (ctx->cmd.args[0] != '\0') {
		dir = direction_index(ctx->cfg, ctx->cmd.args);
		if (dir < 0) {
			struct buf d = BUF_INIT;
			directions_list(&d, ctx->cfg, ctx->lang);
			struct buf ex = BUF_INIT;
			html_escape(&ex,
			    config_direction_label(ctx->cfg, 0, ctx->lang));
			int rc = reply_text(ctx, NULL, &T_UNKNOWN_DIRECTION,
			    buf_str(&d), buf_str(&ex));
			buf_release(&d);
			buf_release(&ex);
			return rc;
		}
	}
	struct buf b = BUF_INIT;
	json_t *markup = NULL;
	int rc = list_page(ctx, dir, 0, &b, &markup);
	if (rc == 0)
		rc = reply_html(ctx, buf_str(&b), markup);
	else
		rc = handler_fail(ctx, "cannot list actions");
	json_decref(markup);
	buf_release(&b);
	return rc;
}

I18N(T_FT_HELP,
    "Спасибо, что хотите помочь! Выберите акцию — кнопкой ниже; в ней "
    "можно пообещать деньги, вещи или время.\n\n",
    "Thank you for wanting to help! Choose an action with a button below; "
    "there you can pledge money, goods or your time.\n\n")
I18N(T_FT_VOLUNTEER,
    "Стать волонтёром просто: выберите акцию кнопкой ниже и нажмите в ней "
    "«🙋 Стать волонтёром» — я запишу вас и напомню накануне.\n\n",
    "Volunteering is simple: choose an action with a button below and tap "
    "«🙋 Volunteer» — I will sign you up and remind you the day before."
    "\n\n")
I18N(T_FT_SUBSCRIBE, "\nЧтобы узнавать о новых акциях первым — /subscribe",
    "\nTo hear of new actions first — /subscribe")

/* Words that say «I want to help» (case-folded stems). */
static bool
wants_to_help(const char *folded, bool *volunteer)
{
	static const char *const stems[] = {"помо", "помощ", "волонт",
	    "записат", "пожертв", "участв", "донат", "help", "volunt", "donat",
	    "pledge"};
	*volunteer = strstr(folded, "волонт") != NULL ||
	    strstr(folded, "volunt") != NULL;
	for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
		if (strstr(folded, stems[i]) != NULL)
			return true;
	return false;
}

int
actions_free_text(struct handler_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	bool volunteer = false;
	bool help = false;
	if (text != NULL) {
		char *f = utf8_casefold(text);
		help = wants_to_help(f, &volunteer);
		free(f);
	}
	if (!help)
		return reply_msg(ctx, MSG_NOT_A_COMMAND);
	struct buf b = BUF_INIT, list = BUF_INIT;
	json_t *markup = NULL;
	if (list_page(ctx, -1, 0, &list, &markup) < 0) {
		buf_release(&list);
		return handler_fail(ctx, "cannot list actions");
	}
	if (markup != NULL)
		i18n_appendp(&b, ctx->lang,
		    volunteer ? &T_FT_VOLUNTEER : &T_FT_HELP);
	buf_puts(&b, buf_str(&list));
	i18n_appendp(&b, ctx->lang, &T_FT_SUBSCRIBE);
	int rc = reply_html(ctx, buf_str(&b), markup);
	json_decref(markup);
	buf_release(&b);
	buf_release(&list);
	return rc;
}

/* Shows one action with its progress and pledge buttons. */
static int
show_action(struct handler_ctx *ctx, const struct action *a)
{
	struct buf b = BUF_INIT;
	action_render(&b, a, ctx->lang);
	json_t *markup = action_keyboard(a, ctx->lang, !ctx_is_private(ctx),
	    ctx->bot_username);
	int rc = reply_html(ctx, buf_str(&b), markup);
	json_decref(markup);
	buf_release(&b);
	return rc;
}

int
handle_action(struct handler_ctx *ctx)
{
	struct action a;
	int rc = action_from_args(ctx, &T_ACTION_USAGE, &a, NULL);
	if (rc <= 0)
		return rc;
	rc = show_action(ctx, &a);
	action_release(&a);
	return rc;
}

int
start_action(struct handler_ctx *ctx)
{
	return handle_action(ctx);
}

/* "p:<offset>:<direction index or -1>" from a list's page button. */
static int
parse_page_args(const char *args, int *offset, int *dir)
{
	if (strncmp(args, "p:", 2) != 0)
		return -1;
	errno = 0;
	char *end;
	long o = strtol(args + 2, &end, 10);
	if (errno != 0 || end == args + 2 || *end != ':' || o < 0 ||
	    o > 1000000)
		return -1;
	const char *d = end + 1;
	long v = strtol(d, &end, 10);
	if (errno != 0 || end == d || *end != '\0' || v < -1 || v > 1000)
		return -1;
	*offset = (int)o;
	*dir = (int)v;
	return 0;
}

int
actions_on_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	if (strncmp(args, "v:", 2) == 0) {
		int64_t id;
		struct action a;
		if (parse_id(args + 2, &id, NULL) < 0)
			return answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		int rc = actions_load(ctx->st, id, &a);
		if (rc < 0)
			return handler_fail(ctx, "cannot load action");
		if (rc == 0)
			return answer_callback(ctx, tr(ctx, &T_GONE_ACTION),
			    false);
		rc = show_action(ctx, &a);
		action_release(&a);
		return rc;
	}
	int offset = 0, dir = -1;
	if (parse_page_args(args, &offset, &dir) == 0 &&
	    dir < (int)ctx->cfg->n_directions && ctx->cb_message_id != 0) {
		struct buf b = BUF_INIT;
		json_t *markup = NULL;
		int rc = list_page(ctx, dir, offset, &b, &markup);
		if (rc == 0)
			rc = edit_html(ctx, ctx->cb_message_id, buf_str(&b),
			    markup);
		else
			rc = handler_fail(ctx, "cannot list actions");
		json_decref(markup);
		buf_release(&b);
		return rc;
	}
	return answer_callback(ctx, i18n_text(ctx->lang, MSG_BUTTON_STALE),
	    false);
}
