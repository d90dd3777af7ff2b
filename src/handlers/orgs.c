/* Organisations in the chat (see orgs.h): the directory by
 * direction, an organisation's card with its services, contacts and open
 * actions, following an organisation, and the admins' conversation that
 * adds or edits one — a step per field, then a preview of the card. */
#include "orgs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "actions.h"
#include "dobrobot/text/html.h"
#include "dobrobot/view/orgfields.h"
#include "dobrobot/view/view.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

/* Open actions shown on a card and in the directory. */
#define CARD_ACTIONS_MAX 5

I18N(T_OG_HEAD, "🏢 <b>Организации города</b> — %zu\n",
    "🏢 <b>The city's organisations</b> — %zu\n")
I18N(T_OG_HEAD_DIR, "🏢 <b>Организации: %s</b> — %zu\n",
    "🏢 <b>Organisations: %s</b> — %zu\n")
I18N(T_OG_EMPTY,
    "В справочнике пока нет организаций. Администратор может добавить их "
    "командой /addorg или загрузить список из таблицы на сервере: "
    "<code>dobrobot import-orgs список.csv</code>",
    "There are no organisations in the directory yet. An admin can add "
    "them with /addorg, or load a spreadsheet on the server: "
    "<code>dobrobot import-orgs list.csv</code>")
I18N(T_OG_EMPTY_DIR,
    "В направлении «%s» пока нет организаций. Все организации — /orgs",
    "No organisations in “%s” yet. All organisations — /orgs")
I18N(T_OG_UNKNOWN_DIR,
    "Не знаю направления «%s». Направления: %s. Например: "
    "<code>/orgs социальное</code>, или просто /orgs — все сразу.",
    "I don't know the direction “%s”. The directions: %s. Write "
    "<code>/orgs</code> and one of them, or just /orgs for all of them.")
I18N(T_OG_OTHER, "\n<b>Без направления</b>\n", "\n<b>No direction</b>\n")
I18N(T_OG_DIR, "\n<b>%s</b>\n", "\n<b>%s</b>\n")
I18N(T_OG_MORE, "подробнее и подписка", "details and following")
I18N(T_OG_SERVICES_INLINE, "   Услуги: %s\n", "   Services: %s\n")
I18N(T_OG_ACTIONS_INLINE, "   Акции: %s\n", "   Actions: %s\n")
I18N(T_OG_SERVICES, "\n<b>Услуги</b>\n", "\n<b>Services</b>\n")
I18N(T_OG_ACTIONS, "\n<b>Открытые акции</b>\n", "\n<b>Open actions</b>\n")
I18N(T_OG_NO_ACTIONS, "\nОткрытых акций сейчас нет.\n",
    "\nNo open actions at the moment.\n")
I18N(T_OG_USAGE,
    "Какую организацию показать? Напишите её номер, например "
    "<code>/org 3</code>. Список — /orgs",
    "Which organisation should I show? Write its number, for example "
    "<code>/org 3</code>. The list — /orgs")
I18N(T_OG_NO_SUCH, "Организации №%lld нет. Список — /orgs",
    "There is no organisation no. %lld. The list — /orgs")
I18N(T_OG_FOLLOW, "🔔 Следить за новыми акциями", "🔔 Follow its new actions")
I18N(T_OG_UNFOLLOW, "🔕 Больше не следить", "🔕 Stop following")
I18N(T_OG_FOLLOWING, "Готово: пришлю анонс, когда «%s» объявит новую акцию.",
    "Done: I will tell you when “%s” announces a new action.")
I18N(T_OG_UNFOLLOWED, "Больше не слежу за «%s».", "No longer following “%s”.")
I18N(T_OG_OPEN_PRIVATE, "Открыть в личном чате", "Open in a private chat")
I18N(T_OG_EDIT, "✏️ Изменить", "✏️ Edit")

I18N(T_OA_GONE, "Этой организации больше нет. Список — /orgs",
    "This organisation no longer exists. The list — /orgs")

/* ---- rendering ---- */

static void
put_lines_joined(struct buf *b, const char *lines, const char *sep)
{
	char *copy = xstrdup(lines);
	for (char *p = copy; *p; p++)
		if (*p == '\n')
			*p = '\x1f';
	for (char *p = copy; p != NULL;) {
		char *next = strchr(p, '\x1f');
		if (next != NULL)
			*next = '\0';
		html_escape(b, p);
		if (next != NULL)
			buf_puts(b, sep);
		p = next ? next + 1 : NULL;
	}
	free(copy);
}

/* An organisation's directions (one per line, as stored) on one line,
 * each as a reader of `lang` knows it. */
static void
put_directions(struct buf *b, const char *lines, const char *lang)
{
	char *copy = xstrdup(lines);
	bool first = true;
	for (char *p = copy; p != NULL;) {
		char *next = strchr(p, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*p != '\0') {
			if (!first)
				buf_puts(b, ", ");
			html_escape(b, view_direction_label(p, lang));
			first = false;
		}
		p = next;
	}
	free(copy);
}

/* ☎ phone · 📍 address · 🔗 link, those that are given, on one line. */
static void
put_contacts(struct buf *b, const struct org *o, const char *indent)
{
	const char *parts[3][2] = {
	    {"☎ ", o->phone}, {"📍 ", o->address}, {"🔗 ", o->link}};
	bool any = false;
	for (int i = 0; i < 3; i++) {
		if (parts[i][1] == NULL || *parts[i][1] == '\0')
			continue;
		buf_puts(b, any ? " · " : indent);
		buf_puts(b, parts[i][0]);
		html_escape(b, parts[i][1]);
		any = true;
	}
	if (any)
		buf_putc(b, '\n');
}

/* «Title» — /action N, for the organisation's open actions (at most
 * `max`), separated by `sep`. Returns how many, or -1. */
static int
put_open_actions(struct buf *b, struct store *st, const struct org *o,
    size_t max, const char *sep)
{
	int64_t *ids = NULL;
	size_t n = 0;
	if (orgs_open_actions(st, o->id, max, &ids, &n) < 0)
		return -1;
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		struct action a;
		int r = actions_load(st, ids[i], &a);
		if (r < 0) {
			free(ids);
			return -1;
		}
		if (r == 0)
			continue;
		if (shown > 0)
			buf_puts(b, sep);
		buf_puts(b, "«");
		html_escape_quoted(b, a.title);
		buf_printf(b, "» — /action %lld", (long long)a.id);
		action_release(&a);
		shown++;
	}
	free(ids);
	return shown;
}

/* The full card: name, description, directions, services, contacts and
 * (when `st` is given) open actions. */
int
orgs_render_card(struct buf *b, struct store *st, const struct org *o,
    const char *lang)
{
	buf_puts(b, "🏢 <b>");
	html_escape(b, o->name);
	buf_puts(b, "</b>");
	if (o->id > 0)
		buf_printf(b, " · №%lld", (long long)o->id);
	buf_putc(b, '\n');
	if (o->description != NULL) {
		html_escape(b, o->description);
		buf_putc(b, '\n');
	}
	if (o->directions != NULL && *o->directions != '\0') {
		buf_puts(b, "🏷 ");
		put_directions(b, o->directions, lang);
		buf_putc(b, '\n');
	}
	if (o->services != NULL) {
		i18n_appendp(b, lang, &T_OG_SERVICES);
		buf_puts(b, "• ");
		put_lines_joined(b, o->services, "\n• ");
		buf_putc(b, '\n');
	}
	if ((o->phone && *o->phone) || (o->address && *o->address) ||
	    (o->link && *o->link)) {
		buf_putc(b, '\n');
		put_contacts(b, o, "");
	}
	if (st == NULL)
		return 0;
	struct buf acts = BUF_INIT;
	int n = put_open_actions(&acts, st, o, CARD_ACTIONS_MAX, "\n• ");
	if (n > 0) {
		i18n_appendp(b, lang, &T_OG_ACTIONS);
		buf_puts(b, "• ");
		buf_puts(b, buf_str(&acts));
		buf_putc(b, '\n');
	} else if (n == 0) {
		i18n_appendp(b, lang, &T_OG_NO_ACTIONS);
	}
	buf_release(&acts);
	return n < 0 ? -1 : 0;
}

/* One entry of the directory. */
static int
render_entry(struct handler_ctx *ctx, struct buf *b, const struct org *o)
{
	buf_puts(b, "• <b>");
	html_escape(b, o->name);
	buf_puts(b, "</b>");
	if (ctx->bot_username != NULL && *ctx->bot_username != '\0')
		buf_printf(b,
		    " — <a href=\"https://t.me/%s?start=o%lld\">%s</a>",
		    ctx->bot_username, (long long)o->id, tr(ctx, &T_OG_MORE));
	buf_printf(b, " (/org %lld)\n", (long long)o->id);
	if (o->services != NULL) {
		struct buf s = BUF_INIT;
		put_lines_joined(&s, o->services, "; ");
		i18n_appendp(b, ctx->lang, &T_OG_SERVICES_INLINE, buf_str(&s));
		buf_release(&s);
	}
	put_contacts(b, o, "   ");
	struct buf acts = BUF_INIT;
	int n = put_open_actions(&acts, ctx->st, o, CARD_ACTIONS_MAX, "; ");
	if (n > 0)
		i18n_appendp(b, ctx->lang, &T_OG_ACTIONS_INLINE,
		    buf_str(&acts));
	buf_release(&acts);
	return n < 0 ? -1 : 0;
}

static void
release_list(struct org *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		org_release(&list[i]);
	free(list);
}

void
orgs_direction_names(struct buf *b, const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_directions; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		html_escape(b, cfg->directions[i]);
	}
}

/* /orgs [direction]: the directory, grouped by the configured directions
 * (an organisation of several appears under each), then those of none. */
int
handle_orgs(struct handler_ctx *ctx)
{
	const struct config *cfg = ctx->cfg;
	int only = -1;
	if (ctx->cmd.args[0] != '\0') {
		only = config_direction_find(cfg, ctx->cmd.args);
		if (only < 0) {
			struct buf shown = BUF_INIT, list = BUF_INIT;
			char *clean = utf8_sanitize(ctx->cmd.args,
			    strlen(ctx->cmd.args));
			html_escape_n(&shown, clean,
			    utf8_prefix_bytes(clean, strlen(clean), 40));
			free(clean);
			orgs_direction_names(&list, cfg);
			int rc = reply_text(ctx, NULL, &T_OG_UNKNOWN_DIR,
			    buf_str(&shown), buf_str(&list));
			buf_release(&shown);
			buf_release(&list);
			return rc;
		}
	}
	struct org *list = NULL;
	size_t n = 0;
	if (orgs_list(ctx->st, 0, &list, &n) < 0)
		return handler_fail(ctx, "cannot list organisations");
	struct buf b = BUF_INIT, body = BUF_INIT;
	size_t shown = 0;
	int rc = 0;
	for (size_t d = 0; d <= cfg->n_directions && rc == 0; d++) {
		bool other = d == cfg->n_directions;
		if ((only >= 0 && (int)d != only) || (other && only >= 0))
			continue;
		bool header = false;
		for (size_t i = 0; i < n && rc == 0; i++) {
			bool in = other ? *list[i].directions == '\0'
			                : org_has_line(list[i].directions,
			                      cfg->directions[d]);
			if (!in)
				continue;
			if (!header && only < 0) {
				if (other) {
					i18n_appendp(&body, ctx->lang,
					    &T_OG_OTHER);
				} else {
					struct buf dn = BUF_INIT;
					html_escape(&dn,
					    config_direction_label(cfg, d,
					        ctx->lang));
					i18n_appendp(&body, ctx->lang,
					    &T_OG_DIR, buf_str(&dn));
					buf_release(&dn);
				}
				header = true;
			}
			rc = render_entry(ctx, &body, &list[i]);
			shown++;
		}
	}
	if (rc < 0) {
		rc = handler_fail(ctx, "cannot render the directory");
	} else if (shown == 0 && only >= 0) {
		struct buf dn = BUF_INIT;
		html_escape(&dn,
		    config_direction_label(cfg, (size_t)only, ctx->lang));
		rc = reply_text(ctx, NULL, &T_OG_EMPTY_DIR, buf_str(&dn));
		buf_release(&dn);
	} else if (shown == 0) {
		rc = reply_text(ctx, NULL, &T_OG_EMPTY);
	} else {
		if (only >= 0) {
			struct buf dn = BUF_INIT;
			html_escape(&dn, cfg->directions[only]);
			i18n_appendp(&b, ctx->lang, &T_OG_HEAD_DIR,
			    buf_str(&dn), shown);
			buf_release(&dn);
		} else {
			i18n_appendp(&b, ctx->lang, &T_OG_HEAD, n);
		}
		buf_puts(&b, buf_str(&body));
		while (b.len > 0 && b.data[b.len - 1] == '\n')
			buf_truncate(&b, b.len - 1);
		rc = reply_html(ctx, buf_str(&b), NULL);
	}
	buf_release(&b);
	buf_release(&body);
	release_list(list, n);
	return rc;
}

/* The card's buttons: follow / unfollow (in private), edit (admins), or a
 * link to the private chat (in a group). */
static int
card_keyboard(struct handler_ctx *ctx, const struct org *o, json_t **out)
{
	json_t *rows = json_array();
	char data[48];
	if (ctx_is_private(ctx)) {
		int on = orgs_is_following(ctx->st, o->id, ctx->user.id);
		if (on < 0) {
			json_decref(rows);
			return -1;
		}
		snprintf(data, sizeof data, "og:f:%lld", (long long)o->id);
		json_array_append_new(rows,
		    json_pack("[o]",
		        callback_button(tr(ctx,
		                            on ? &T_OG_UNFOLLOW : &T_OG_FOLLOW),
		            data)));
		if (ctx->role >= ROLE_ADMIN) {
			snprintf(data, sizeof data, "oa:e:%lld",
			    (long long)o->id);
			json_array_append_new(rows,
			    json_pack("[o]",
			        callback_button(tr(ctx, &T_OG_EDIT), data)));
		}
	} else if (ctx->bot_username != NULL && *ctx->bot_username != '\0') {
		char url[160];
		snprintf(url, sizeof url, "https://t.me/%s?start=o%lld",
		    ctx->bot_username, (long long)o->id);
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text",
		        tr(ctx, &T_OG_OPEN_PRIVATE), "url", url));
	}
	*out = json_pack("{s:o}", "inline_keyboard", rows);
	return 0;
}

/* Renders the card of organisation `id` with its keyboard; 1 done, 0 no
 * such organisation, -1. */
static int
card(struct handler_ctx *ctx, int64_t id, struct buf *text, json_t **kb,
    struct org *o)
{
	int r = orgs_load(ctx->st, id, o);
	if (r <= 0)
		return r;
	if (orgs_render_card(text, ctx->st, o, ctx->lang) < 0 ||
	    card_keyboard(ctx, o, kb) < 0) {
		org_release(o);
		return -1;
	}
	return 1;
}

I18N(T_OG_NOT_FOUND,
    "Организации со словами «%s» не нашёл. Все организации — /orgs",
    "I found no organisation named «%s». All organisations — /orgs")
I18N(T_OG_SEVERAL, "Нашёл несколько организаций:\n%s",
    "I found several organisations:\n%s")

#define ORG_SEARCH_MAX 10

/* "/org Надежда": the organisation whose name holds the words; 0 with *id
 * when there is exactly one, 1 when answered (none or several). */
static int
org_by_words(struct handler_ctx *ctx, const char *words, int64_t *id)
{
	int64_t ids[ORG_SEARCH_MAX];
	char *names[ORG_SEARCH_MAX];
	int n = orgs_search(ctx->st, words, ids, names, ORG_SEARCH_MAX);
	if (n < 0)
		return handler_fail(ctx, "cannot search orgs");
	if (n == 1) {
		*id = ids[0];
		free(names[0]);
		return 0;
	}
	int rc;
	if (n == 0) {
		struct buf w = BUF_INIT;
		char *t = utf8_trim(words);
		html_escape(&w, t);
		free(t);
		rc = reply_text(ctx, NULL, &T_OG_NOT_FOUND, buf_str(&w));
		buf_release(&w);
	} else {
		struct buf list = BUF_INIT;
		for (int i = 0; i < n && i < ORG_SEARCH_MAX; i++) {
			buf_puts(&list, "• ");
			html_escape(&list, names[i]);
			buf_printf(&list, " — /org %lld\n", (long long)ids[i]);
		}
		rc = reply_text(ctx, NULL, &T_OG_SEVERAL, buf_str(&list));
		buf_release(&list);
	}
	for (int i = 0; i < n && i < ORG_SEARCH_MAX; i++)
		free(names[i]);
	return rc < 0 ? -1 : 1;
}

int
handle_org(struct handler_ctx *ctx)
{
	int64_t id;
	const char *rest;
	if (parse_id(ctx->cmd.args, &id, &rest) < 0 || *rest != '\0') {
		if (ctx->cmd.args == NULL || ctx->cmd.args[0] == '\0' ||
		    (ctx->cmd.args[0] >= '0' && ctx->cmd.args[0] <= '9'))
			return reply_text(ctx, NULL, &T_OG_USAGE);
		int r = org_by_words(ctx, ctx->cmd.args, &id);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	struct buf b = BUF_INIT;
	json_t *kb = NULL;
	struct org o;
	int r = card(ctx, id, &b, &kb, &o);
	int rc;
	if (r < 0)
		rc = handler_fail(ctx, "cannot show org %lld", (long long)id);
	else if (r == 0)
		rc = reply_text(ctx, NULL, &T_OG_NO_SUCH, (long long)id);
	else
		rc = reply_html(ctx, buf_str(&b), kb);
	if (r == 1)
		org_release(&o);
	json_decref(kb);
	buf_release(&b);
	return rc;
}

int
start_org(struct handler_ctx *ctx)
{
	return handle_org(ctx);
}

int
orgs_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	char *end;
	errno = 0;
	long long id = strncmp(a, "f:", 2) == 0 ? strtoll(a + 2, &end, 10) : 0;
	if (id <= 0 || errno != 0 || *end != '\0' || !ctx_is_private(ctx))
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	int on = orgs_is_following(ctx->st, id, ctx->user.id);
	struct org o;
	int found = on < 0 ? -1 : orgs_load(ctx->st, id, &o);
	if (found < 0)
		return handler_fail(ctx, "cannot read org %lld", id);
	if (found == 0)
		return answer_callback(ctx, tr(ctx, &T_OA_GONE), false);
	int rc = 0;
	if (orgs_set_follow(ctx->st, id, ctx->user.id, !on) < 0)
		rc = handler_fail(ctx, "cannot change following");
	struct buf text = BUF_INIT, note = BUF_INIT;
	json_t *kb = NULL;
	if (rc == 0 &&
	    (orgs_render_card(&text, ctx->st, &o, ctx->lang) < 0 ||
	        card_keyboard(ctx, &o, &kb) < 0))
		rc = handler_fail(ctx, "cannot render org %lld", id);
	if (rc == 0 && ctx->cb_message_id != 0)
		rc = edit_html(ctx, ctx->cb_message_id, buf_str(&text), kb);
	if (rc == 0) {
		/* A notice is plain text: the name goes in unescaped. */
		i18n_appendp(&note, ctx->lang,
		    on ? &T_OG_UNFOLLOWED : &T_OG_FOLLOWING, o.name);
		rc = answer_callback(ctx, buf_str(&note), false);
	}
	json_decref(kb);
	buf_release(&text);
	buf_release(&note);
	org_release(&o);
	return rc;
}
