/* /subscribe and /unsubscribe: which directions' announcements a citizen
 * gets, chosen with toggle buttons (✅ on the chosen ones) and «все»; and
 * the one question /start asks a newcomer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "broadcast.h"
#include "dobrobot/text/html.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/subscriptions.h"

#define CHECK "\xe2\x9c\x85 " /* U+2705 and a space */
/* Organisations offered as toggles: all of them while the directory is
 * small, else only those followed (the rest are followed from /orgs). */
#define ORG_TOGGLES_MAX 30
#define ORG_LABEL_MAX_CHARS 40

I18N(T_SUB_MENU,
    "<b>Анонсы новых акций</b>\n"
    "Отметьте направления, о которых хотите узнавать первыми, и "
    "организации (🏢), за которыми хотите следить. Нажмите ещё раз, чтобы "
    "снять отметку.",
    "<b>Announcements of new actions</b>\n"
    "Tick the directions you want to hear about first, and the "
    "organisations (🏢) you want to follow. Tap again to untick.")
I18N(T_SUB_ORGS_WORD, "организации: %s", "organisations: %s")
I18N(T_SUB_BTN_ALL, "Все направления", "All directions")
I18N(T_SUB_BTN_DONE, "Готово", "Done")
I18N(T_SUB_ON, "Подписка включена: %s", "Subscribed: %s")
I18N(T_SUB_OFF, "Подписка снята: %s", "Unsubscribed: %s")
I18N(T_SUB_ALL_WORD, "все направления", "all directions")
I18N(T_SUB_BTN_GENERAL, "Общие рассылки совета",
    "The council's broadcasts to everyone")
I18N(T_SUB_GENERAL_WORD, "общие рассылки совета",
    "the council's broadcasts to everyone")
I18N(T_SUB_SUMMARY,
    "Готово! Буду присылать анонсы: %s.\n"
    "Изменить — /subscribe, отписаться от всего — /unsubscribe",
    "Done! I will send you announcements of: %s.\n"
    "Change — /subscribe, stop everything — /unsubscribe")
I18N(T_SUB_SUMMARY_NONE,
    "Вы не подписаны ни на одно направление. Подписаться — /subscribe",
    "You are not subscribed to any direction. Subscribe — /subscribe")
I18N(T_UNSUB_DONE,
    "Готово, больше не буду присылать анонсы. Если захотите вернуться — "
    "/subscribe",
    "Done, no more announcements. If you want them back — /subscribe")
I18N(T_UNSUB_NOTHING,
    "Вы и так не подписаны на анонсы. Подписаться — /subscribe",
    "You are not subscribed to announcements. Subscribe — /subscribe")
I18N(T_SUB_ASK,
    "Хотите получать анонсы новых акций — сборов, субботников, "
    "концертов? Пишу только когда появляется что-то новое, отписаться "
    "можно в любой момент.",
    "Would you like announcements of new actions — collections, clean-ups, "
    "concerts? I only write when there is something new, and you can stop "
    "at any time.")
I18N(T_SUB_ASK_ALL, "Да, все направления", "Yes, all directions")
I18N(T_SUB_ASK_PICK, "Выбрать направления", "Choose directions")
I18N(T_SUB_ASK_NO, "Нет, спасибо", "No, thanks")
I18N(T_SUB_ASK_NO_DONE, "Хорошо, не буду. Если передумаете — /subscribe",
    "All right, I won't. If you change your mind — /subscribe")
I18N(T_SUB_STALE, "Эта кнопка устарела — откройте /subscribe",
    "This button is out of date — open /subscribe")

/* A row per organisation, ✅ on the followed ones. */
static int
org_toggles(struct handler_ctx *ctx, json_t *rows)
{
	struct org *list = NULL;
	size_t n = 0;
	if (orgs_list_for_follower(ctx->st, ctx->user.id, &list, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool on = list[i].followed;
		if (on || n <= ORG_TOGGLES_MAX) {
			const char *name = list[i].name;
			size_t k = utf8_prefix_bytes(name, strlen(name),
			    ORG_LABEL_MAX_CHARS);
			char label[256], data[32];
			snprintf(label, sizeof label, "%s🏢 %.*s%s",
			    on ? CHECK : "", (int)k, name,
			    k < strlen(name) ? "…" : "");
			snprintf(data, sizeof data, "sub:o:%lld",
			    (long long)list[i].id);
			json_array_append_new(rows,
			    json_pack("[o]", callback_button(label, data)));
		}
		org_release(&list[i]);
	}
	free(list);
	return 0;
}

/* The toggle keyboard: the directions two to a row, ✅ on the chosen ones
 * (on all of them when the user takes everything), «все», «Готово». */
static int
toggle_keyboard(struct handler_ctx *ctx, json_t **out)
{
	int all = subscriptions_has(ctx->st, ctx->user.id, SUBSCRIPTIONS_ALL);
	if (all < 0)
		return -1;
	json_t *rows = json_array();
	json_t *choices = json_array();
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		const char *d = ctx->cfg->directions[i];
		int on = all ? 1 : subscriptions_has(ctx->st, ctx->user.id, d);
		if (on < 0) {
			json_decref(rows);
			json_decref(choices);
			return -1;
		}
		char label[128], data[32];
		snprintf(label, sizeof label, "%s%s", on ? CHECK : "",
		    config_direction_label(ctx->cfg, i, ctx->lang));
		snprintf(data, sizeof data, "sub:t:%zu", i);
		json_array_append_new(choices, callback_button(label, data));
	}
	buttons_two_per_row(rows, choices);
	char label[128];
	snprintf(label, sizeof label, "%s%s", all ? CHECK : "",
	    tr(ctx, &T_SUB_BTN_ALL));
	json_array_append_new(rows,
	    json_pack("[o]", callback_button(label, "sub:t:all")));
	/* The broadcasts to everyone who wrote to the bot: taken unless
	 * refused (a copy's stop button, or here). */
	int general = subscriptions_general(ctx->st, ctx->user.id);
	if (general < 0 || org_toggles(ctx, rows) < 0) {
		json_decref(rows);
		return -1;
	}
	snprintf(label, sizeof label, "%s%s", general ? CHECK : "",
	    tr(ctx, &T_SUB_BTN_GENERAL));
	json_array_append_new(rows,
	    json_pack("[o]", callback_button(label, "sub:g")));
	json_array_append_new(rows,
	    json_pack("[o]",
	        callback_button(tr(ctx, &T_SUB_BTN_DONE), "sub:ok")));
	*out = json_pack("{s:o}", "inline_keyboard", rows);
	return 0;
}

static int show_summary(struct handler_ctx *ctx, bool edit);

I18N(T_SUB_NO_SUCH,
    "Направления «%s» нет. Направления: %s.\nНапример: /subscribe %s — "
    "или отметьте нужные кнопками ниже.",
    "There is no direction «%s». Directions: %s.\nFor example: /subscribe "
    "%s — or tick the ones you want below.")

/* The configured direction a typed word names: its name or English label
 * (case and ё ignored), or one whose name starts with the word's stem of
 * at least five letters («социальные» for «социальное»). NULL when none
 * or several. */
static const char *
direction_named(const struct config *cfg, const char *word)
{
	int exact = config_direction_find(cfg, word);
	if (exact >= 0)
		return cfg->directions[exact];
	char *t = utf8_trim(word);
	char *q = utf8_casefold(t);
	free(t);
	const char *found = NULL;
	int partial = 0;
	size_t ql = utf8_length(q, strlen(q));
	for (size_t i = 0; i < cfg->n_directions; i++) {
		char *d = utf8_casefold(cfg->directions[i]);
		size_t dl = utf8_length(d, strlen(d));
		size_t shorter = ql < dl ? ql : dl;
		size_t stem = shorter > 0 ? shorter - 1 : 0;
		if (stem >= 5 &&
		    strncmp(d, q, utf8_prefix_bytes(d, strlen(d), stem)) == 0) {
			found = cfg->directions[i];
			partial++;
		}
		free(d);
	}
	free(q);
	return partial == 1 ? found : NULL;
}

/* "/subscribe социальное": that direction, at once. */
static int
subscribe_named(struct handler_ctx *ctx, const char *word)
{
	static const char *const everything[] = {
	    "все", "всё", "all", "все направления"};
	char *f = utf8_casefold(word);
	bool all = false;
	for (size_t i = 0; i < sizeof everything / sizeof everything[0]; i++)
		all = all || strcmp(f, everything[i]) == 0;
	free(f);
	const char *d = all ? NULL : direction_named(ctx->cfg, word);
	if (all || d != NULL) {
		int has_all = subscriptions_has(ctx->st, ctx->user.id,
		    SUBSCRIPTIONS_ALL);
		int rc = has_all < 0 ? -1 : 0;
		if (rc == 0 && all)
			rc = subscriptions_clear(ctx->st, ctx->user.id) < 0 ||
			        subscriptions_set(ctx->st, ctx->user.id,
			            SUBSCRIPTIONS_ALL, true) < 0
			    ? -1
			    : 0;
		else if (rc == 0 && !has_all)
			rc = subscriptions_set(ctx->st, ctx->user.id, d, true);
		if (rc < 0 ||
		    subscriptions_mark_asked(ctx->st, ctx->user.id) < 0)
			return handler_fail(ctx, "cannot subscribe");
		return show_summary(ctx, false);
	}
	struct buf w = BUF_INIT, list = BUF_INIT, ex = BUF_INIT;
	char *t = utf8_trim(word);
	html_escape(&w, t);
	free(t);
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		if (i > 0)
			buf_puts(&list, ", ");
		html_escape(&list,
		    config_direction_label(ctx->cfg, i, ctx->lang));
	}
	html_escape(&ex, config_direction_label(ctx->cfg, 0, ctx->lang));
	json_t *kb = NULL;
	int rc = toggle_keyboard(ctx, &kb);
	if (rc == 0)
		rc = reply_text(ctx, kb, &T_SUB_NO_SUCH, buf_str(&w),
		    buf_str(&list), buf_str(&ex));
	else
		rc = handler_fail(ctx, "cannot read subscriptions");
	json_decref(kb);
	buf_release(&w);
	buf_release(&list);
	buf_release(&ex);
	return rc;
}

int
handle_subscribe(struct handler_ctx *ctx)
{
	if (ctx->cmd.args != NULL && ctx->cmd.args[0] != '\0')
		return subscribe_named(ctx, ctx->cmd.args);
	json_t *kb;
	if (subscriptions_mark_asked(ctx->st, ctx->user.id) < 0 ||
	    toggle_keyboard(ctx, &kb) < 0)
		return handler_fail(ctx, "cannot read subscriptions");
	int rc = reply_text(ctx, kb, &T_SUB_MENU);
	json_decref(kb);
	return rc;
}

int
handle_unsubscribe(struct handler_ctx *ctx)
{
	int n = subscriptions_clear(ctx->st, ctx->user.id);
	int f = n < 0 ? -1 : orgs_unfollow_all(ctx->st, ctx->user.id);
	n = f < 0 ? -1 : n + f;
	if (n < 0 || subscriptions_mark_asked(ctx->st, ctx->user.id) < 0)
		return handler_fail(ctx, "cannot clear subscriptions");
	return reply_text(ctx, NULL, n > 0 ? &T_UNSUB_DONE : &T_UNSUB_NOTHING);
}

/* Does the user now have every configured direction, one by one? */
static int
has_every_direction(struct handler_ctx *ctx)
{
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		int on = subscriptions_has(ctx->st, ctx->user.id,
		    ctx->cfg->directions[i]);
		if (on <= 0)
			return on;
	}
	return 1;
}

int
subscribe_leave(struct handler_ctx *ctx, const char *direction, bool *was_on)
{
	struct store *st = ctx->st;
	int64_t u = ctx->user.id;
	int all = subscriptions_has(st, u, SUBSCRIPTIONS_ALL);
	int on = all < 0 ? -1 : subscriptions_has(st, u, direction);
	if (on < 0)
		return -1;
	*was_on = all || on;
	if (on && subscriptions_set(st, u, direction, false) < 0)
		return -1;
	if (!all)
		return 0;
	if (subscriptions_set(st, u, SUBSCRIPTIONS_ALL, false) < 0)
		return -1;
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		const char *d = ctx->cfg->directions[i];
		if (strcmp(d, direction) != 0 &&
		    subscriptions_set(st, u, d, true) < 0)
			return -1;
	}
	return 0;
}

/* One press of a toggle. "All" stands for every direction, including
 * future ones: unticking one direction of "all" keeps the others ticked,
 * and ticking the last missing one becomes "all" again. Sets *now_on to
 * whether the pressed button ends up ticked. */
static int
toggle(struct handler_ctx *ctx, const char *direction, bool *now_on)
{
	struct store *st = ctx->st;
	int64_t u = ctx->user.id;
	int all = subscriptions_has(st, u, SUBSCRIPTIONS_ALL);
	if (all < 0)
		return -1;
	if (direction == NULL) {
		*now_on = !all;
		if (subscriptions_clear(st, u) < 0)
			return -1;
		return all ? 0
		           : subscriptions_set(st, u, SUBSCRIPTIONS_ALL, true);
	}
	if (all) {
		bool was_on;
		*now_on = false;
		return subscribe_leave(ctx, direction, &was_on);
	}
	int on = subscriptions_has(st, u, direction);
	if (on < 0 || subscriptions_set(st, u, direction, !on) < 0)
		return -1;
	*now_on = !on;
	if (on)
		return 0;
	int every = has_every_direction(ctx);
	if (every < 0)
		return -1;
	if (every == 1 &&
	    (subscriptions_clear(st, u) < 0 ||
	        subscriptions_set(st, u, SUBSCRIPTIONS_ALL, true) < 0))
		return -1;
	return 0;
}

/* "спорт, туризм" or "все направления", escaped; empty when none. */
static int
subscribed_directions(struct handler_ctx *ctx, struct buf *out)
{
	int all = subscriptions_has(ctx->st, ctx->user.id, SUBSCRIPTIONS_ALL);
	if (all < 0)
		return -1;
	if (all)
		return buf_puts(out, tr(ctx, &T_SUB_ALL_WORD));
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		const char *d = ctx->cfg->directions[i];
		int on = subscriptions_has(ctx->st, ctx->user.id, d);
		if (on < 0)
			return -1;
		if (!on)
			continue;
		if (out->len > 0)
			buf_puts(out, ", ");
		html_escape(out,
		    config_direction_label(ctx->cfg, i, ctx->lang));
	}
	return 0;
}

/* The directions, then «организации: «Надежда», ...» the user follows. */
static int
subscribed_list(struct handler_ctx *ctx, struct buf *out)
{
	if (subscribed_directions(ctx, out) < 0)
		return -1;
	struct org *list = NULL;
	size_t n = 0;
	if (orgs_list_for_follower(ctx->st, ctx->user.id, &list, &n) < 0)
		return -1;
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (list[i].followed) {
			buf_puts(&names, names.len ? ", «" : "«");
			html_escape(&names, list[i].name);
			buf_puts(&names, "»");
		}
		org_release(&list[i]);
	}
	free(list);
	if (names.len > 0) {
		if (out->len > 0)
			buf_puts(out, "; ");
		i18n_appendp(out, ctx->lang, &T_SUB_ORGS_WORD, buf_str(&names));
	}
	buf_release(&names);
	return 0;
}

/* What the user is subscribed to now, in place of the pressed message
 * (edit) or as a new one. */
static int
show_summary(struct handler_ctx *ctx, bool edit)
{
	struct buf list = BUF_INIT, text = BUF_INIT;
	if (subscribed_list(ctx, &list) < 0) {
		buf_release(&list);
		return handler_fail(ctx, "cannot read subscriptions");
	}
	if (list.len == 0)
		buf_puts(&text, tr(ctx, &T_SUB_SUMMARY_NONE));
	else
		i18n_appendp(&text, ctx->lang, &T_SUB_SUMMARY, buf_str(&list));
	int rc = edit ? edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL)
	              : reply_html(ctx, buf_str(&text), NULL);
	buf_release(&list);
	buf_release(&text);
	return rc;
}

static int
show_menu(struct handler_ctx *ctx)
{
	json_t *kb;
	if (toggle_keyboard(ctx, &kb) < 0)
		return handler_fail(ctx, "cannot read subscriptions");
	int rc = edit_html(ctx, ctx->cb_message_id, tr(ctx, &T_SUB_MENU), kb);
	json_decref(kb);
	return rc;
}

int
subscribe_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	if (!ctx_is_private(ctx))
		return answer_callback(ctx, tr(ctx, &T_SUB_STALE), false);
	if (strncmp(a, "t:", 2) == 0) {
		const char *direction = NULL;
		if (strcmp(a + 2, "all") != 0) {
			char *end;
			unsigned long i = strtoul(a + 2, &end, 10);
			if (end == a + 2 || *end != '\0' ||
			    i >= ctx->cfg->n_directions)
				return answer_callback(ctx,
				    tr(ctx, &T_SUB_STALE), false);
			direction = ctx->cfg->directions[i];
		}
		bool on = false;
		if (toggle(ctx, direction, &on) < 0)
			return handler_fail(ctx, "cannot change subscriptions");
		int rc = show_menu(ctx);
		if (rc == 0) {
			struct buf note = BUF_INIT;
			i18n_appendp(&note, ctx->lang,
			    on ? &T_SUB_ON : &T_SUB_OFF,
			    direction ? direction : tr(ctx, &T_SUB_ALL_WORD));
			rc = answer_callback(ctx, buf_str(&note), false);
			buf_release(&note);
		}
		return rc;
	}
	if (strncmp(a, "o:", 2) == 0) {
		char *end;
		errno = 0;
		long long id = strtoll(a + 2, &end, 10);
		struct org o;
		int found = id > 0 && errno == 0 && *end == '\0'
		    ? orgs_load(ctx->st, id, &o)
		    : 0;
		if (found < 0)
			return handler_fail(ctx, "cannot load org %lld", id);
		if (found == 0)
			return answer_callback(ctx, tr(ctx, &T_SUB_STALE),
			    false);
		int on = orgs_is_following(ctx->st, id, ctx->user.id);
		int rc = on < 0 ||
		        orgs_set_follow(ctx->st, id, ctx->user.id, !on) < 0
		    ? handler_fail(ctx, "cannot change following")
		    : show_menu(ctx);
		if (rc == 0) {
			struct buf note = BUF_INIT;
			i18n_appendp(&note, ctx->lang,
			    on ? &T_SUB_OFF : &T_SUB_ON, o.name);
			rc = answer_callback(ctx, buf_str(&note), false);
			buf_release(&note);
		}
		org_release(&o);
		return rc;
	}
	if (strcmp(a, "g") == 0) {
		int on = subscriptions_general(ctx->st, ctx->user.id);
		int rc = on < 0 ||
		        subscriptions_set_general(ctx->st, ctx->user.id, !on) <
		            0
		    ? handler_fail(ctx, "cannot change broadcasts")
		    : show_menu(ctx);
		if (rc == 0) {
			struct buf note = BUF_INIT;
			i18n_appendp(&note, ctx->lang,
			    on ? &T_SUB_OFF : &T_SUB_ON,
			    tr(ctx, &T_SUB_GENERAL_WORD));
			rc = answer_callback(ctx, buf_str(&note), false);
			buf_release(&note);
		}
		return rc;
	}
	if (strcmp(a, "ok") == 0)
		return show_summary(ctx, true);
	if (strncmp(a, "ask:", 4) != 0)
		return answer_callback(ctx, tr(ctx, &T_SUB_STALE), false);
	if (drop_keyboard(ctx) < 0)
		return -1;
	if (strcmp(a, "ask:all") == 0) {
		if (subscriptions_clear(ctx->st, ctx->user.id) < 0 ||
		    subscriptions_set(ctx->st, ctx->user.id, SUBSCRIPTIONS_ALL,
		        true) < 0)
			return handler_fail(ctx, "cannot subscribe");
		return show_summary(ctx, false);
	}
	if (strcmp(a, "ask:pick") == 0)
		return handle_subscribe(ctx);
	return reply_text(ctx, NULL, &T_SUB_ASK_NO_DONE);
}

int
subscribe_offer_once(struct handler_ctx *ctx, struct buf *text, json_t **markup)
{
	if (!ctx_is_private(ctx))
		return 0;
	/* Someone writing to us in private has evidently not blocked us; if a
	 * 403 marked them blocked and no "unblocked" update came, undo it now
	 * (blocking again would be reported by the next 403). */
	if (ctx->user.blocked &&
	    users_set_blocked(ctx->st, ctx->user.id, false) < 0)
		return handler_fail(ctx, "cannot mark the user unblocked");
	int pending = subscriptions_ask_pending(ctx->st, ctx->user.id);
	if (pending < 0)
		return handler_fail(ctx, "cannot read subscribe_asked");
	if (pending == 0)
		return 0;
	if (subscriptions_mark_asked(ctx->st, ctx->user.id) < 0)
		return handler_fail(ctx, "cannot mark subscribe_asked");
	int n = subscriptions_count_user(ctx->st, ctx->user.id);
	if (n != 0)
		return n < 0 ? handler_fail(ctx, "cannot read subscriptions")
		             : 0;
	buf_puts(text, "\n\n");
	buf_puts(text, tr(ctx, &T_SUB_ASK));
	*markup = json_pack("{s:[[o], [o], [o]]}", "inline_keyboard",
	    callback_button(tr(ctx, &T_SUB_ASK_ALL), "sub:ask:all"),
	    callback_button(tr(ctx, &T_SUB_ASK_PICK), "sub:ask:pick"),
	    callback_button(tr(ctx, &T_SUB_ASK_NO), "sub:ask:no"));
	return 0;
}
