/* The footer of broadcast copies: who sent the broadcast and how to stop
 * getting it, as inline buttons under every copy (copyMessage cannot add a
 * line to a copied text, but it does take reply_markup, for texts, photos
 * and documents alike), in each recipient's language; and its buttons
 * ("bu:..."), which any citizen may press. */
#include <stdlib.h>
#include <string.h>

#include "broadcast.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/html.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/privacy.h"
#include "dobrobot/store/subscriptions.h"

I18N(T_BF_FROM, "— %s", "— %s")
I18N(T_BF_FROM_ORG, "— %s, «%s»", "— %s, «%s»")
I18N(T_BF_ORG_ONLY, "— «%s»", "— «%s»")
I18N(T_BF_ORGANISER, "организатор", "an organiser")
I18N(T_BF_STOP_ALL, "Отписаться от рассылок", "Unsubscribe")
I18N(T_BF_STOP_DIRECTION, "Отписаться от «%s»", "Unsubscribe from «%s»")
I18N(T_BF_STOP_GENERAL, "Не получать общие рассылки",
    "Stop the council-wide broadcasts")
I18N(T_BF_STOPPED_GENERAL,
    "Общие рассылки совета вам больше не придут. Анонсы и рассылки "
    "направлений, на которые вы подписаны, останутся. Вернуть общие — "
    "/subscribe",
    "The council-wide broadcasts will no longer reach you. Announcements "
    "and broadcasts of the directions you follow stay. To take them again "
    "— /subscribe")
I18N(T_BF_WHO,
    "Рассылку отправил организатор совета НКО через этого бота. "
    "Отписаться от направлений — /unsubscribe",
    "An organiser of the NGO council sent this through the bot. "
    "Stop directions — /unsubscribe")
I18N(T_BF_STOPPED_ALL,
    "Вы отписались от рассылок и анонсов всех направлений. Подписаться "
    "снова — /subscribe",
    "You are unsubscribed from the broadcasts and announcements of every "
    "direction. Subscribe again — /subscribe")
I18N(T_BF_STOPPED_DIRECTION,
    "Вы отписались от направления «%s»: его рассылок и анонсов больше не "
    "будет. Подписки — /subscribe",
    "You are unsubscribed from «%s»: no more of its broadcasts and "
    "announcements. Your subscriptions — /subscribe")
I18N(T_BF_NOT_SUBSCRIBED, "Вы и так не подписаны. Подписки — /subscribe",
    "You are not subscribed anyway. Your subscriptions — /subscribe")

/* The sender as the public sees them: the first name only when they chose
 * to be shown by name (users.show_name, docs/SECURITY.md), and the name of
 * their organisation; «организатор» when neither may be said. */
static void
sender_label(struct handler_ctx *ctx, const char *lang, struct buf *out)
{
	char *name = NULL;
	if (privacy_shown(ctx->st, ctx->user.id) == 1 &&
	    ctx->user.first_name != NULL) {
		char *t = utf8_trim(ctx->user.first_name);
		if (*t != '\0')
			name = t;
		else
			free(t);
	}
	struct org *orgs = NULL;
	size_t n = 0;
	const char *org = NULL;
	if (orgs_list(ctx->st, ctx->user.id, &orgs, &n) == 0 && n > 0)
		org = orgs[0].name;
	if (name != NULL && org != NULL)
		i18n_appendp(out, lang, &T_BF_FROM_ORG, name, org);
	else if (org != NULL)
		i18n_appendp(out, lang, &T_BF_ORG_ONLY, org);
	else
		i18n_appendp(out, lang, &T_BF_FROM,
		    name ? name : i18n_pick(lang, &T_BF_ORGANISER));
	for (size_t i = 0; i < n; i++)
		org_release(&orgs[i]);
	free(orgs);
	free(name);
}

char *
broadcast_footer(struct handler_ctx *ctx, enum broadcast_audience audience,
    const char *direction, const char *lang)
{
	/* Button texts are plain text: nothing to escape. */
	struct buf who = BUF_INIT, stop = BUF_INIT;
	sender_label(ctx, lang, &who);
	json_t *rows = json_array();
	json_array_append_new(rows,
	    json_pack("[o]", callback_button(buf_str(&who), "bu:w")));
	if (audience == AUDIENCE_SUBSCRIBERS) {
		json_array_append_new(rows,
		    json_pack("[o]",
		        callback_button(i18n_pick(lang, &T_BF_STOP_ALL),
		            "bu:s")));
	} else if (audience == AUDIENCE_ALL) {
		/* Everyone who ever wrote to the bot gets these, subscribed or
		 * not: so each copy says how to stop them. */
		json_array_append_new(rows,
		    json_pack("[o]",
		        callback_button(i18n_pick(lang, &T_BF_STOP_GENERAL),
		            "bu:g")));
	} else if (audience == AUDIENCE_DIRECTION && direction != NULL) {
		int i = config_direction_find(ctx->cfg, direction);
		if (i >= 0) {
			char data[32];
			snprintf(data, sizeof data, "bu:d:%d", i);
			i18n_appendp(&stop, lang, &T_BF_STOP_DIRECTION,
			    config_direction_label(ctx->cfg, (size_t)i, lang));
			json_array_append_new(rows,
			    json_pack("[o]",
			        callback_button(buf_str(&stop), data)));
		}
	}
	json_t *markup = json_pack("{s:o}", "inline_keyboard", rows);
	char *s = json_dumps(markup, JSON_COMPACT);
	json_decref(markup);
	buf_release(&who);
	buf_release(&stop);
	return s;
}

int
broadcast_footer_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	if (strcmp(a, "w") == 0)
		return answer_callback(ctx, tr(ctx, &T_BF_WHO), true);
	if (strcmp(a, "s") == 0) {
		int n = subscriptions_clear(ctx->st, ctx->user.id);
		if (n < 0 ||
		    subscriptions_mark_asked(ctx->st, ctx->user.id) < 0)
			return handler_fail(ctx, "cannot clear subscriptions");
		int rc = reply_text(ctx, NULL,
		    n > 0 ? &T_BF_STOPPED_ALL : &T_BF_NOT_SUBSCRIBED);
		return rc < 0 ? rc : answer_callback(ctx, NULL, false);
	}
	if (strcmp(a, "g") == 0) {
		if (subscriptions_set_general(ctx->st, ctx->user.id, false) < 0)
			return handler_fail(ctx, "cannot refuse broadcasts");
		int rc = reply_text(ctx, NULL, &T_BF_STOPPED_GENERAL);
		return rc < 0 ? rc : answer_callback(ctx, NULL, false);
	}
	if (strncmp(a, "d:", 2) == 0) {
		char *end;
		unsigned long i = strtoul(a + 2, &end, 10);
		if (end == a + 2 || *end != '\0' || i >= ctx->cfg->n_directions)
			return answer_callback(ctx, NULL, false);
		bool was_on = false;
		if (subscribe_leave(ctx, ctx->cfg->directions[i], &was_on) < 0)
			return handler_fail(ctx, "cannot unsubscribe");
		struct buf d = BUF_INIT;
		html_escape(&d, config_direction_label(ctx->cfg, i, ctx->lang));
		int rc = was_on ? reply_text(ctx, NULL, &T_BF_STOPPED_DIRECTION,
		                      buf_str(&d))
		                : reply_text(ctx, NULL, &T_BF_NOT_SUBSCRIBED);
		buf_release(&d);
		return rc < 0 ? rc : answer_callback(ctx, NULL, false);
	}
	return answer_callback(ctx, NULL, false);
}
