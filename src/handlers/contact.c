/* /contact: an organiser lets their Telegram @username be shown on their
 * actions (the announcement, the pledge confirmation, the closing report)
 * as the way to reach them, or stops it. Off by default: a username is
 * personal, and an organisation's own phone and link are shown anyway. */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "dobrobot/text/html.h"
#include "dobrobot/store/users.h"
#include "dobrobot/core/utf8.h"

I18N(T_CONTACT_ON,
    "Готово: в ваших акциях теперь есть ссылка на вас в Telegram — "
    "@%s. Убрать её — /contact нет",
    "Done: your actions now show a link to you on Telegram — @%s. To "
    "remove it — /contact off")
I18N(T_CONTACT_OFF,
    "Готово: ссылки на ваш Telegram в акциях больше нет. Показать её — "
    "/contact да",
    "Done: your actions no longer show your Telegram link. To show it — "
    "/contact on")
I18N(T_CONTACT_NO_USERNAME,
    "У вас в Telegram нет имени пользователя (@username), и ссылку на вас "
    "показать нельзя. Задайте его в настройках Telegram и повторите "
    "/contact да — или пусть люди звонят по телефону вашей организации.",
    "You have no Telegram username, so there is no link to show. Set one "
    "in Telegram's settings and repeat /contact on — or let people call "
    "your organisation's phone.")
I18N(T_CONTACT_STATUS_ON,
    "Сейчас в ваших акциях показана ссылка на вас в Telegram: @%s.\n"
    "Убрать — /contact нет",
    "Your actions now show a link to you on Telegram: @%s.\nTo remove "
    "it — /contact off")
I18N(T_CONTACT_STATUS_OFF,
    "Сейчас в ваших акциях нет ссылки на вас в Telegram: люди видят "
    "только телефон и сайт организации. Чтобы с вами могли связаться "
    "напрямую — /contact да",
    "Your actions show no link to you on Telegram now: people see only "
    "the organisation's phone and site. To let them reach you directly — "
    "/contact on")

static bool
word_is(const char *folded, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(folded, words[i]) == 0)
			return true;
	return false;
}

int
handle_contact(struct handler_ctx *ctx)
{
	static const char *const yes[] = {"да", "вкл", "включить", "показать",
	    "показывать", "on", "yes", "show"};
	static const char *const no[] = {"нет", "выкл", "выключить", "убрать",
	    "скрыть", "off", "no", "hide"};
	char *t = utf8_trim(ctx->cmd.args);
	char *f = utf8_casefold(t);
	free(t);
	bool on = word_is(f, yes, sizeof yes / sizeof yes[0]);
	bool off = word_is(f, no, sizeof no / sizeof no[0]);
	free(f);
	const char *username = ctx->user.username;
	bool has_name = username != NULL && *username != '\0';
	struct buf u = BUF_INIT;
	html_escape(&u, has_name ? username : "");
	int rc;
	if (on && !has_name) {
		rc = reply_text(ctx, NULL, &T_CONTACT_NO_USERNAME);
	} else if (on || off) {
		if (users_set_contact_public(ctx->st, ctx->user.id, on) < 0)
			rc = handler_fail(ctx, "cannot set contact_public");
		else
			rc = on
			    ? reply_text(ctx, NULL, &T_CONTACT_ON, buf_str(&u))
			    : reply_text(ctx, NULL, &T_CONTACT_OFF);
	} else {
		int shown = users_contact_public(ctx->st, ctx->user.id);
		if (shown < 0)
			rc = handler_fail(ctx, "cannot read contact_public");
		else if (shown && has_name)
			rc = reply_text(ctx, NULL, &T_CONTACT_STATUS_ON,
			    buf_str(&u));
		else
			rc = reply_text(ctx, NULL, &T_CONTACT_STATUS_OFF);
	}
	buf_release(&u);
	return rc;
}
