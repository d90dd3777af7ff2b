/* A citizen takes a pledge back (/unpledge, and /my's button through
 * pledge_withdraw_own); organisers list an action's pledges (/pledges). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/text/goods.h"
#include "actions.h"
#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/privacy.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"
#include "privacy.h"

/* Open actions of one organisation listed by /pledges without a number. */
#define PLEDGES_ORG_MAX 20

I18N(T_NUMBER, "№%lld · ", "#%lld · ")
I18N(T_UNPLEDGE_USAGE,
    "Напишите номер обещания, например: /unpledge 15\nВаши обещания — /my",
    "Please give the pledge's number, for example: /unpledge 15\nYour "
    "pledges — /my")
I18N(T_UNPLEDGED,
    "Обещание №%lld отменено. Ничего страшного — спасибо, что были готовы "
    "помочь! Если передумаете — /pledge %lld",
    "Pledge #%lld is taken back. No problem — thank you for being ready to "
    "help! If you change your mind — /pledge %lld")
I18N(T_NOT_YOUR_PLEDGE, "Обещания №%lld у вас нет. Ваши обещания — /my",
    "You have no pledge #%lld. Your pledges — /my")
I18N(T_PLEDGE_RECEIVED_ALREADY,
    "Обещание №%lld уже получено организаторами — его нельзя отменить. "
    "Спасибо за помощь!",
    "Pledge #%lld has already been received by the organisers — it cannot "
    "be taken back. Thank you for your help!")
I18N(T_PLEDGE_WITHDRAWN_ALREADY, "Обещание №%lld уже отменено.",
    "Pledge #%lld is already taken back.")
I18N(T_PLEDGES_USAGE, "Напишите номер акции, например: /pledges 12",
    "Please give the action's number, for example: /pledges 12")
I18N(T_PLEDGES_ORG, "🏢 <b>%s</b> — открытых акций: %zu\n\n",
    "🏢 <b>%s</b> — open actions: %zu\n\n")
I18N(T_PLEDGES_HEAD, "<b>Обещания по акции №%lld</b> «%s»\n\n",
    "<b>Pledges for action #%lld</b> «%s»\n\n")
I18N(T_PLEDGES_NONE, "Пока обещаний нет.\n", "No pledges yet.\n")
I18N(T_PLEDGES_TOTAL, "\n<b>Итого</b>\n%s", "\n<b>Totals</b>\n%s")
I18N(T_PLEDGES_FOOT,
    "\nОтметить полученное: /received <i>номер</i> [сколько пришло]",
    "\nRecord what came: /received <i>number</i> [how much came]")

/* ---- withdrawing ---- */

int
pledge_withdraw_own(struct handler_ctx *ctx, int64_t pledge_id, struct buf *why)
{
	struct pledge p;
	int rc = pledges_load(ctx->st, pledge_id, &p);
	if (rc < 0)
		return handler_fail(ctx, "cannot load pledge");
	if (rc == 0 || p.user_id != ctx->user.id) {
		i18n_appendp(why, ctx->lang, &T_NOT_YOUR_PLEDGE,
		    (long long)pledge_id);
		pledge_release(&p);
		return 0;
	}
	rc = 0;
	if (p.status == PLEDGE_RECEIVED)
		i18n_appendp(why, ctx->lang, &T_PLEDGE_RECEIVED_ALREADY,
		    (long long)pledge_id);
	else if (p.status != PLEDGE_PLEDGED)
		i18n_appendp(why, ctx->lang, &T_PLEDGE_WITHDRAWN_ALREADY,
		    (long long)pledge_id);
	else
		rc = pledges_withdraw(ctx->st, pledge_id, ctx->user.id,
		    ctx->now_ms);
	if (rc < 0)
		rc = handler_fail(ctx, "cannot withdraw pledge");
	else if (rc == 1)
		i18n_appendp(why, ctx->lang, &T_UNPLEDGED, (long long)pledge_id,
		    (long long)p.action_id);
	pledge_release(&p);
	return rc;
}

int
handle_unpledge(struct handler_ctx *ctx)
{
	int64_t id;
	if (parse_id(ctx->cmd.args, &id, NULL) < 0)
		return reply_text(ctx, NULL, &T_UNPLEDGE_USAGE);
	struct buf why = BUF_INIT;
	int rc = pledge_withdraw_own(ctx, id, &why);
	if (rc >= 0)
		rc = reply_html(ctx, buf_str(&why), NULL);
	buf_release(&why);
	return rc;
}

/* ---- organisers: /pledges and /received ---- */

/* One action's pledges, numbered, with its totals. */
static int
pledges_block(struct handler_ctx *ctx, const struct action *a, struct buf *b)
{
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(ctx->st, a->id, &list, &n) < 0)
		return -1;
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	i18n_appendp(b, ctx->lang, &T_PLEDGES_HEAD, (long long)a->id,
	    buf_str(&t));
	if (n == 0)
		i18n_appendp(b, ctx->lang, &T_PLEDGES_NONE);
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = &list[i];
		bool dead = p->status == PLEDGE_WITHDRAWN ||
		    p->status == PLEDGE_LAPSED;
		buf_puts(b, dead ? "<s>" : "");
		i18n_appendp(b, ctx->lang, &T_NUMBER, (long long)p->id);
		pledge_display_name(b, p, ctx->lang);
		buf_puts(b, " — ");
		pledge_describe(b, p, ctx->lang);
		buf_puts(b, dead ? "</s> — " : " — ");
		pledge_describe_status(b, p, ctx->lang);
		buf_putc(b, '\n');
	}
	struct buf progress = BUF_INIT;
	if (action_render_progress(&progress, a, ctx->lang) > 0)
		i18n_appendp(b, ctx->lang, &T_PLEDGES_TOTAL,
		    buf_str(&progress));
	buf_release(&progress);
	buf_release(&t);
	pledges_free(list, n);
	return 0;
}

/* /pledges without a number: every open action of the organisations the
 * organiser acts for, one after another. */
static int
pledges_of_my_orgs(struct handler_ctx *ctx)
{
	struct org *orgs = NULL;
	size_t n_orgs = 0;
	if (orgs_list(ctx->st, ctx->user.id, &orgs, &n_orgs) < 0)
		return handler_fail(ctx, "cannot list the organiser's orgs");
	if (n_orgs == 0) {
		free(orgs);
		return reply_text(ctx, NULL, &T_PLEDGES_USAGE);
	}
	struct buf b = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n_orgs && rc == 0; i++) {
		int64_t *ids = NULL;
		size_t n = 0;
		if (orgs_open_actions(ctx->st, orgs[i].id, PLEDGES_ORG_MAX,
		        &ids, &n) < 0)
			rc = -1;
		struct buf name = BUF_INIT;
		html_escape(&name, orgs[i].name);
		if (rc == 0)
			i18n_appendp(&b, ctx->lang, &T_PLEDGES_ORG,
			    buf_str(&name), n);
		buf_release(&name);
		for (size_t j = 0; j < n && rc == 0; j++) {
			struct action a;
			int r = actions_load(ctx->st, ids[j], &a);
			if (r < 0 || (r == 1 && pledges_block(ctx, &a, &b) < 0))
				rc = -1;
			buf_putc(&b, '\n');
			action_release(&a);
		}
		free(ids);
	}
	for (size_t i = 0; i < n_orgs; i++)
		org_release(&orgs[i]);
	free(orgs);
	if (rc < 0) {
		buf_release(&b);
		return handler_fail(ctx, "cannot list the orgs' pledges");
	}
	i18n_appendp(&b, ctx->lang, &T_PLEDGES_FOOT);
	rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	return rc;
}

int
handle_pledges(struct handler_ctx *ctx)
{
	if (ctx->cmd.args[0] == '\0')
		return pledges_of_my_orgs(ctx);
	struct action a;
	int rc = action_from_args(ctx, &T_PLEDGES_USAGE, &a, NULL);
	if (rc <= 0)
		return rc;
	rc = managed_action(ctx, &a);
	if (rc <= 0) {
		action_release(&a);
		return rc;
	}
	struct buf b = BUF_INIT;
	if (pledges_block(ctx, &a, &b) < 0) {
		rc = handler_fail(ctx, "cannot list pledges");
	} else {
		i18n_appendp(&b, ctx->lang, &T_PLEDGES_FOOT);
		rc = reply_html(ctx, buf_str(&b), NULL);
	}
	buf_release(&b);
	action_release(&a);
	return rc;
}
