/* /grant, /revoke, /organisers, /setgroup and the leaders' group (see
 * handlers/roles.h). Admins are the ids in the configuration; they give and
 * take the organiser role, which is stored with a log of every change. */
#include "roles.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/handlers/menus.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

/* Longest name or argument echoed back, in characters. */
#define SHOWN_MAX_CHARS 64

I18N(T_GRANT_USAGE,
    "Кому выдать роль организатора? Ответьте командой /grant на сообщение "
    "этого человека в группе или напишите <code>/grant @имя</code> либо "
    "<code>/grant 123456789</code> (id в Telegram). Человек должен хотя бы "
    "раз написать мне или в группу, где я есть.\n\nЧтобы он представлял "
    "организацию, добавьте её номер или название: "
    "<code>/grant @имя Надежда</code> (список — /orgs).",
    "Whom should I make an organiser? Reply with /grant to the person's "
    "message in the group, or write <code>/grant @username</code> or "
    "<code>/grant 123456789</code> (their Telegram id). The person must have "
    "written to me, or in a group I am in, at least once.\n\nTo have them "
    "act for an organisation, add its number or name: "
    "<code>/grant @username Nadezhda</code> (the list — /orgs).")
I18N(T_REVOKE_USAGE,
    "У кого снять роль организатора? Ответьте командой /revoke на сообщение "
    "этого человека в группе или напишите <code>/revoke @имя</code> либо "
    "<code>/revoke 123456789</code>. Список организаторов — /organisers",
    "Whose organiser role should I take back? Reply with /revoke to the "
    "person's message in the group, or write <code>/revoke @username</code> "
    "or <code>/revoke 123456789</code>. The list of organisers — /organisers")
I18N(T_UNKNOWN_PERSON,
    "Я не знаю пользователя %s. Попросите его написать мне /start или "
    "ответьте командой на его сообщение в группе.",
    "I don't know the user %s. Ask them to send me /start, or reply with "
    "the command to their message in the group.")
I18N(T_NOT_A_PERSON, "Роль можно выдать только человеку, а не боту или каналу.",
    "Only a person can have a role, not a bot or a channel.")
I18N(T_GRANTED,
    "Готово: %s теперь организатор. Команды организатора появятся у него "
    "в меню.",
    "Done: %s is now an organiser. The organisers' commands will appear in "
    "their menu.")
I18N(T_GRANTED_NO_CHAT,
    "\n\nЭтот человек ещё не писал мне в личные сообщения, поэтому я не "
    "могу ему написать. Попросите его открыть чат со мной и нажать /start.",
    "\n\nThis person has not written to me in private yet, so I cannot "
    "message them. Ask them to open a chat with me and press /start.")
I18N(T_ALREADY_ORGANISER, "%s уже организатор.", "%s is an organiser already.")
I18N(T_IS_ADMIN,
    "%s — администратор бота (указан в файле настроек): у него и так есть "
    "все права, а изменить это можно только в настройках.",
    "%s is an admin of the bot (listed in the configuration file): they "
    "have every right already, and only the configuration can change that.")
I18N(T_REVOKED, "Готово: %s больше не организатор.",
    "Done: %s is no longer an organiser.")
I18N(T_NOT_ORGANISER,
    "%s не организатор — снимать нечего. Список организаторов — /organisers",
    "%s is not an organiser: there is nothing to take back. The list of "
    "organisers — /organisers")
I18N(T_YOU_ARE_ORGANISER,
    "Вам выдана роль организатора. Теперь вы можете объявлять акции, "
    "делать рассылки и отмечать полученную помощь. Ваши команды — /help",
    "You are now an organiser. You can announce actions, send broadcasts "
    "and mark help as received. Your commands — /help")
I18N(T_YOU_ARE_NOT_ORGANISER,
    "Роль организатора у вас снята. Если это ошибка, напишите "
    "администратору бота.",
    "Your organiser role has been taken back. If this is a mistake, write "
    "to the bot's admin.")
I18N(T_ORGANISERS_HEADER, "<b>Организаторы</b> — %zu:\n",
    "<b>Organisers</b> — %zu:\n")
I18N(T_ORGANISERS_NONE, "Организаторов пока нет. Выдать роль — /grant",
    "There are no organisers yet. To make someone an organiser — /grant")
I18N(T_ORGANISER_SINCE, " — с %s", " — since %s")
I18N(T_ORGANISER_NO_CHAT, " — ещё не писал(а) мне в личные сообщения",
    " — has not written to me in private yet")
I18N(T_ADMINS_LINE, "\nАдминистраторы (из файла настроек): %s",
    "\nAdmins (from the configuration file): %s")
I18N(T_GROUP_SET,
    "Готово: эта группа — группа руководителей НКО. Сюда будут приходить "
    "объявления об акциях, рассылки и отчёты.",
    "Done: this group is now the NGO leaders' group. Announcements of "
    "actions, broadcasts and reports will come here.")
I18N(T_GROUP_ALREADY,
    "Эта группа уже зарегистрирована как группа руководителей.",
    "This group is already registered as the leaders' group.")
I18N(T_GROUP_REPLACED,
    "\n\nПрежняя группа («%s») больше не получает объявления.",
    "\n\nThe previous group (“%s”) no longer receives announcements.")
I18N(T_BOT_REMOVED,
    "Меня удалили из группы руководителей «%s» (это сделал(а) %s). "
    "Объявления и рассылки туда больше не доходят.\n\n"
    "Верните меня в группу — и всё заработает снова. Или зарегистрируйте "
    "другую группу: добавьте меня туда и отправьте в ней /setgroup.",
    "I was removed from the leaders' group “%s” (by %s). Announcements and "
    "broadcasts no longer reach it.\n\n"
    "Add me back to the group and everything will work again. Or register "
    "another group: add me there and send /setgroup in it.")
I18N(T_SOMEONE, "кто-то", "someone")
I18N(T_ORG_UNKNOWN,
    "Не знаю организации «%s». Напишите её номер или название из списка "
    "/orgs, например: <code>/grant @имя 3</code>",
    "I don't know the organisation “%s”. Write its number or name from "
    "the list /orgs, for example: <code>/grant @username 3</code>")
I18N(T_ORG_AMBIGUOUS,
    "Под «%s» подходят несколько организаций — напишите номер:%s",
    "Several organisations match “%s” — write the number:%s")
I18N(T_JOINED,
    "Готово: %s — организатор организации «%s». Объявляя акцию, он сможет "
    "выбрать эту организацию.",
    "Done: %s is an organiser for “%s”. When announcing an action, they "
    "can choose this organisation.")
I18N(T_LEFT, "Готово: %s больше не представляет «%s».",
    "Done: %s no longer acts for “%s”.")
I18N(T_ALREADY_MEMBER, "%s уже представляет «%s».", "%s acts for “%s” already.")
I18N(T_NOT_MEMBER,
    "%s не представляет «%s» — убирать нечего. Список — /organisers",
    "%s does not act for “%s”: there is nothing to remove. The list — "
    "/organisers")
I18N(T_YOU_JOINED,
    "Теперь вы организатор организации «%s»: объявляйте акции от её имени "
    "— /announce",
    "You are now an organiser for “%s”: announce actions on its behalf — "
    "/announce")
I18N(T_YOU_LEFT, "Вы больше не представляете «%s» в боте.",
    "You no longer act for “%s” in the bot.")
I18N(T_ORGANISER_ORGS, " — %s", " — %s")

/* User text as shown back: valid UTF-8 without control characters, at most
 * SHOWN_MAX_CHARS characters, HTML-escaped. */
static void
append_shown(struct buf *b, const char *s)
{
	char *clean = utf8_sanitize(s, strlen(s));
	size_t n = utf8_prefix_bytes(clean, strlen(clean), SHOWN_MAX_CHARS);
	html_escape_n(b, clean, n);
	if (n < strlen(clean))
		buf_puts(b, "…");
	free(clean);
}

void
roles_append_person(struct buf *b, const char *first_name, const char *username,
    int64_t id)
{
	buf_puts(b, "<b>");
	append_shown(b, first_name != NULL && *first_name ? first_name : "—");
	buf_puts(b, "</b>");
	if (username != NULL && *username) {
		buf_puts(b, " @");
		append_shown(b, username);
	}
	buf_printf(b, " (id %lld)", (long long)id);
}

static char *
person(const struct user *u)
{
	struct buf b = BUF_INIT;
	roles_append_person(&b, u->first_name, u->username, u->id);
	return buf_detach(&b);
}

/* The first word of the arguments. */
static char *
first_word(const char *args)
{
	size_t n = strcspn(args, " \t\r\n");
	return xstrndup(args, n);
}

/* A user object from Telegram (the author of a replied-to message, or a
 * text mention) as a stored user: loaded when known, recorded when not.
 * Returns 1, or 0 after answering when it is not a person, or -1. */
static int
target_from_tg_user(struct handler_ctx *ctx, json_t *from, struct user *out)
{
	json_t *id = json_object_get(from, "id");
	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    json_is_true(json_object_get(from, "is_bot"))) {
		reply_text(ctx, NULL, &T_NOT_A_PERSON);
		return 0;
	}
	int rc = roles_load_user(ctx->st, json_integer_value(id), out);
	if (rc != 0)
		return rc;
	/* Not seen before: record them as Telegram shows them. Their own
	 * language is not known until they write. */
	if (users_upsert(ctx->st, from, ctx->cfg->locale, ctx->now_ms, out) < 0)
		return -1;
	return 1;
}

/* The person an admin means: the author of the message the command replies
 * to (in a group), a text mention (a person without a username picked from
 * the list), or "@username" / an id in the arguments. Returns 1 with *out,
 * 0 when the admin has been answered already, -1 on error. */
static int
find_target(struct handler_ctx *ctx, const struct i18n_pair *usage,
    struct user *out, const char **org_spec)
{
	memset(out, 0, sizeof *out);
	*org_spec = "";
	json_t *reply = json_object_get(ctx->message, "reply_to_message");
	json_t *from = json_object_get(reply, "from");
	/* Replying to the person's message, whatever follows the command
	 * names the organisation ("/grant Надежда", "/grant 3"), unless it is
	 * an @username, which names the person instead. */
	if (ctx->cmd.args[0] != '@' && !ctx_is_private(ctx) &&
	    json_is_object(from)) {
		if (json_is_object(json_object_get(reply, "sender_chat")))
			from = NULL; /* on behalf of a channel or the group */
		*org_spec = ctx->cmd.args;
		return target_from_tg_user(ctx, from, out);
	}
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx->message, "entities"), i, e)
	{
		const char *type = json_string_value(json_object_get(e,
		    "type"));
		json_t *u = json_object_get(e, "user");
		if (type != NULL && strcmp(type, "text_mention") == 0 &&
		    json_is_object(u))
			return target_from_tg_user(ctx, u, out);
	}
	if (ctx->cmd.args[0] == '\0') {
		reply_text(ctx, NULL, usage);
		return 0;
	}
	char *who = first_word(ctx->cmd.args);
	*org_spec = ctx->cmd.args + strlen(who);
	while (**org_spec == ' ' || **org_spec == '\t')
		(*org_spec)++;
	int rc = roles_find_user(ctx->st, who, out);
	if (rc == 0) {
		struct buf shown = BUF_INIT;
		buf_puts(&shown, "<code>");
		append_shown(&shown, who);
		buf_puts(&shown, "</code>");
		rc = reply_text(ctx, NULL, &T_UNKNOWN_PERSON, buf_str(&shown));
		buf_release(&shown);
	}
	free(who);
	return rc;
}

/* Tells the person about their new role, in their language, if the bot can
 * write to them. */
static int
notify_person(struct handler_ctx *ctx, const struct user *u,
    const struct i18n_pair *p)
{
	if (!roles_has_private_chat(ctx->st, u->id))
		return 0;
	return send_html(ctx->st, u->id, i18n_pick(u->lang, p), NULL, "notice",
	           PRIO_REPLY, ctx->update_id) < 0
	    ? -1
	    : 0;
}

/* The organisation an admin names after the person: its number, or (a
 * part of) its name that fits one organisation only. Returns 1 with *out,
 * 0 after answering, -1. */
static int
find_org(struct handler_ctx *ctx, const char *spec, struct org *out)
{
	struct org *list = NULL;
	size_t n = 0;
	if (orgs_list(ctx->st, 0, &list, &n) < 0)
		return handler_fail(ctx, "cannot list organisations");
	char *end;
	long long id = strtoll(spec, &end, 10);
	bool by_id = end != spec && *end == '\0';
	char *key = org_name_key(spec);
	size_t exact = n, found = n, matches = 0;
	for (size_t i = 0; i < n; i++) {
		char *k = org_name_key(list[i].name);
		if (by_id ? list[i].id == id : strcmp(k, key) == 0)
			exact = i;
		else if (!by_id && strstr(k, key) != NULL) {
			found = i;
			matches++;
		}
		free(k);
	}
	size_t pick = exact < n ? exact : matches == 1 ? found : n;
	int rc = 1;
	struct buf shown = BUF_INIT;
	append_shown(&shown, spec);
	if (pick < n) {
		*out = list[pick];
		memset(&list[pick], 0, sizeof list[pick]);
	} else if (matches > 1) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			char *k = org_name_key(list[i].name);
			if (strstr(k, key) != NULL) {
				buf_printf(&names, "\n%lld — ",
				    (long long)list[i].id);
				append_shown(&names, list[i].name);
			}
			free(k);
		}
		rc = reply_text(ctx, NULL, &T_ORG_AMBIGUOUS, buf_str(&shown),
		         buf_str(&names)) < 0
		    ? -1
		    : 0;
		buf_release(&names);
	} else {
		rc = reply_text(ctx, NULL, &T_ORG_UNKNOWN, buf_str(&shown)) < 0
		    ? -1
		    : 0;
	}
	buf_release(&shown);
	free(key);
	for (size_t i = 0; i < n; i++)
		org_release(&list[i]);
	free(list);
	return rc;
}

/* "/grant @user Org" and "/revoke @user Org": the person joins or leaves
 * the organisation; joining makes them an organiser if they were not. */
static int
change_membership(struct handler_ctx *ctx, const struct user *t,
    const char *who, const char *spec, bool join)
{
	struct org o;
	int rc = find_org(ctx, spec, &o);
	if (rc <= 0)
		return rc;
	struct buf name = BUF_INIT, b = BUF_INIT;
	/* The name goes inside quotes: its own become „“. */
	struct buf shown = BUF_INIT;
	append_shown(&shown, o.name);
	char *plain = html_to_plain(buf_str(&shown));
	html_escape_quoted(&name, plain);
	free(plain);
	buf_release(&shown);
	int role_changed = 0;
	if (join && !config_is_admin(ctx->cfg, t->id))
		role_changed = roles_set(ctx->st, t->id, ROLE_ORGANISER,
		    ctx->user.id, ctx->now_ms);
	int changed = role_changed < 0
	    ? -1
	    : orgs_set_member(ctx->st, o.id, t->id, join);
	if (changed < 0) {
		rc = handler_fail(ctx, "cannot change a membership");
		goto out;
	}
	if (changed == 0)
		i18n_appendp(&b, ctx->lang,
		    join ? &T_ALREADY_MEMBER : &T_NOT_MEMBER, who,
		    buf_str(&name));
	else
		i18n_appendp(&b, ctx->lang, join ? &T_JOINED : &T_LEFT, who,
		    buf_str(&name));
	if (role_changed == 1 && !roles_has_private_chat(ctx->st, t->id))
		i18n_appendp(&b, ctx->lang, &T_GRANTED_NO_CHAT);
	rc = reply_html(ctx, buf_str(&b), NULL);
	if (rc == 0 && changed == 1 && roles_has_private_chat(ctx->st, t->id)) {
		struct buf note = BUF_INIT;
		i18n_appendp(&note, t->lang, join ? &T_YOU_JOINED : &T_YOU_LEFT,
		    buf_str(&name));
		rc = send_html(ctx->st, t->id, buf_str(&note), NULL, "notice",
		         PRIO_REPLY, ctx->update_id) < 0
		    ? -1
		    : 0;
		buf_release(&note);
	}
	if (rc == 0 && role_changed == 1 &&
	    menus_refresh_chat(ctx->st, ctx->cfg, t->id) < 0)
		rc = handler_fail(ctx, "cannot refresh the command menu");
out:
	buf_release(&name);
	buf_release(&b);
	org_release(&o);
	return rc;
}

static int
change_role(struct handler_ctx *ctx, enum user_role role)
{
	struct user t;
	const bool grant = role == ROLE_ORGANISER;
	const char *spec;
	int rc = find_target(ctx, grant ? &T_GRANT_USAGE : &T_REVOKE_USAGE, &t,
	    &spec);
	if (rc <= 0)
		return rc;
	char *who = person(&t);
	if (*spec != '\0') {
		rc = change_membership(ctx, &t, who, spec, grant);
		goto out;
	}
	if (config_is_admin(ctx->cfg, t.id)) {
		rc = reply_text(ctx, NULL, &T_IS_ADMIN, who);
		goto out;
	}
	rc = roles_set(ctx->st, t.id, role, ctx->user.id, ctx->now_ms);
	/* Someone who is no longer an organiser acts for no organisation. */
	if (rc == 1 && !grant && orgs_leave_all(ctx->st, t.id) < 0)
		rc = -1;
	if (rc < 0) {
		rc = handler_fail(ctx, "cannot change a role");
		goto out;
	}
	if (rc == 0) {
		rc = reply_text(ctx, NULL,
		    grant ? &T_ALREADY_ORGANISER : &T_NOT_ORGANISER, who);
		goto out;
	}
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang, grant ? &T_GRANTED : &T_REVOKED, who);
	if (grant && !roles_has_private_chat(ctx->st, t.id))
		i18n_appendp(&b, ctx->lang, &T_GRANTED_NO_CHAT);
	rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	if (rc == 0)
		rc = notify_person(ctx, &t,
		    grant ? &T_YOU_ARE_ORGANISER : &T_YOU_ARE_NOT_ORGANISER);
	if (rc == 0 && menus_refresh_chat(ctx->st, ctx->cfg, t.id) < 0)
		rc = handler_fail(ctx, "cannot refresh the command menu");
out:
	free(who);
	user_release(&t);
	return rc;
}

int
handle_grant(struct handler_ctx *ctx)
{
	return change_role(ctx, ROLE_ORGANISER);
}

int
handle_revoke(struct handler_ctx *ctx)
{
	return change_role(ctx, ROLE_CITIZEN);
}

static void
append_date(struct buf *b, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char day[16];
	if (localtime_r(&t, &tm) != NULL &&
	    strftime(day, sizeof day, "%d.%m.%Y", &tm) > 0)
		buf_puts(b, day);
}

int
handle_organisers(struct handler_ctx *ctx)
{
	struct role_holder *v = NULL;
	size_t n = 0;
	if (roles_list(ctx->st, ROLE_ORGANISER, &v, &n) < 0)
		return handler_fail(ctx, "cannot list organisers");
	struct buf b = BUF_INIT;
	if (n == 0)
		i18n_appendp(&b, ctx->lang, &T_ORGANISERS_NONE);
	else
		i18n_appendp(&b, ctx->lang, &T_ORGANISERS_HEADER, n);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%zu. ", i + 1);
		roles_append_person(&b, v[i].first_name, v[i].username,
		    v[i].id);
		if (v[i].since_ms > 0) {
			struct buf day = BUF_INIT;
			append_date(&day, v[i].since_ms);
			i18n_appendp(&b, ctx->lang, &T_ORGANISER_SINCE,
			    buf_str(&day));
			buf_release(&day);
		}
		if (!v[i].has_private_chat)
			i18n_appendp(&b, ctx->lang, &T_ORGANISER_NO_CHAT);
		struct org *mine = NULL;
		size_t k = 0;
		if (orgs_list(ctx->st, v[i].id, &mine, &k) < 0) {
			buf_release(&b);
			roles_holders_free(v, n);
			return handler_fail(ctx, "cannot list memberships");
		}
		struct buf names = BUF_INIT;
		for (size_t j = 0; j < k; j++) {
			if (j > 0)
				buf_puts(&names, ", ");
			buf_puts(&names, "«");
			append_shown(&names, mine[j].name);
			buf_puts(&names, "»");
			org_release(&mine[j]);
		}
		free(mine);
		if (k > 0)
			i18n_appendp(&b, ctx->lang, &T_ORGANISER_ORGS,
			    buf_str(&names));
		buf_release(&names);
		buf_putc(&b, '\n');
	}
	if (ctx->cfg->n_admins > 0) {
		struct buf ids = BUF_INIT;
		for (size_t i = 0; i < ctx->cfg->n_admins; i++)
			buf_printf(&ids, "%s%lld", i ? ", " : "",
			    (long long)ctx->cfg->admins[i]);
		i18n_appendp(&b, ctx->lang, &T_ADMINS_LINE, buf_str(&ids));
		buf_release(&ids);
	}
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	roles_holders_free(v, n);
	return rc;
}

int
handle_setgroup(struct handler_ctx *ctx)
{
	/* The router lets only admins run this, and only in a group. */
	int64_t old = leaders_chat_id(ctx->st, ctx->cfg);
	if (leaders_chat_set(ctx->st, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot register the leaders' group");
	if (old == ctx->chat_id)
		return reply_text(ctx, NULL, &T_GROUP_ALREADY);
	log_info("leaders' group is now %lld (was %lld), set by %lld",
	    (long long)ctx->chat_id, (long long)old, (long long)ctx->user.id);
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang, &T_GROUP_SET);
	if (old != 0) {
		char *title = chats_title(ctx->st, old);
		struct buf shown = BUF_INIT;
		append_shown(&shown, *title ? title : "?");
		i18n_appendp(&b, ctx->lang, &T_GROUP_REPLACED, buf_str(&shown));
		buf_release(&shown);
		free(title);
	}
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	if (rc == 0 &&
	    (menus_refresh_chat(ctx->st, ctx->cfg, ctx->chat_id) < 0 ||
	        (old != 0 && menus_refresh_chat(ctx->st, ctx->cfg, old) < 0)))
		rc = handler_fail(ctx, "cannot refresh the command menus");
	return rc;
}

int
roles_bot_removed(struct handler_ctx *ctx, json_t *upd, int64_t chat_id)
{
	if (chat_id == 0 || chat_id != leaders_chat_id(ctx->st, ctx->cfg))
		return 0;
	log_warn("the bot was removed from the leaders' group %lld",
	    (long long)chat_id);
	char *title = chats_title(ctx->st, chat_id);
	struct buf shown_title = BUF_INIT;
	append_shown(&shown_title, *title ? title : "?");
	free(title);
	json_t *from = json_object_get(upd, "from");
	const char *name = json_string_value(json_object_get(from,
	    "first_name"));
	const char *uname = json_string_value(json_object_get(from,
	    "username"));
	json_t *from_id = json_object_get(from, "id");

	int rc = 0;
	for (size_t i = 0; i < ctx->cfg->n_admins && rc == 0; i++) {
		int64_t admin = ctx->cfg->admins[i];
		struct user a;
		if (!roles_has_private_chat(ctx->st, admin) ||
		    roles_load_user(ctx->st, admin, &a) != 1)
			continue;
		struct buf by = BUF_INIT, text = BUF_INIT;
		if (json_is_integer(from_id))
			roles_append_person(&by, name ? name : "", uname,
			    json_integer_value(from_id));
		else
			buf_puts(&by, i18n_pick(a.lang, &T_SOMEONE));
		i18n_appendp(&text, a.lang, &T_BOT_REMOVED,
		    buf_str(&shown_title), buf_str(&by));
		if (send_html(ctx->st, admin, buf_str(&text), NULL, "notice",
		        PRIO_REPLY, ctx->update_id) < 0)
			rc = -1;
		buf_release(&by);
		buf_release(&text);
		user_release(&a);
	}
	buf_release(&shown_title);
	return rc;
}

int
roles_group_migrated(struct handler_ctx *ctx, int64_t from, int64_t to)
{
	/* chats_migrate moved a stored leaders_chat_id already; a group named
	 * only in the configuration is recorded here under its new id. */
	int64_t stored = 0;
	if (store_state_get_int(ctx->st, "leaders_chat_id", &stored) == 0 &&
	    stored != 0)
		return 0;
	if (from == 0 || to == 0 || ctx->cfg->leaders_chat_id != from)
		return 0;
	log_info("the leaders' group %lld became supergroup %lld",
	    (long long)from, (long long)to);
	return leaders_chat_set(ctx->st, to);
}
