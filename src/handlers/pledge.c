/* Pledges: a citizen promises money, goods or time with one command
 * (/pledge 12 500, /pledge 12 одеяла 5 шт, крупа 10 кг). The guided flow
 * the announcement's buttons open is handlers/pledge_flow.c, recording a
 * pledge handlers/pledge_commit.c, /unpledge and /pledges
 * handlers/pledge_list.c, /received handlers/receive.c. */
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
#include "pledge_internal.h"

I18N(T_P_GOODS_ERROR, "%s\nКак написать: /pledge %lld 5 %s",
    "%s\nHow to write it: /pledge %lld 5 %s")
/* The item is the organiser's own text ("тёплые одеяла (двуспальные)"),
 * which no small declension gets right, so questions name it after a
 * colon, where it stays as typed: no "Сколько «тёплые одеяла»". */
I18N(T_P_HOW_MANY,
    "Сколько вы принесёте? Нужно: %s. Напишите число перед названием, "
    "например: /pledge %lld 5 %s",
    "How many will you bring? Needed: %s. Put the number before the name, "
    "for example: /pledge %lld 5 %s")
I18N(T_P_MONEY_ERROR, "%s\nКак написать: /pledge %lld 500",
    "%s\nHow to write it: /pledge %lld 500")

/* ---- /pledge <action> <what> ---- */

/* Splits a trailing "анонимно" off the (trimmed, new) text. */
static bool
strip_anonymous(char *text)
{
	char *sp = strrchr(text, ' ');
	const char *last = sp ? sp + 1 : text;
	char *f = utf8_casefold(last);
	bool anon = pledge_is_anonymous_word(f);
	free(f);
	if (anon) {
		if (sp != NULL) {
			while (sp > text && sp[-1] == ' ')
				sp--;
			*sp = '\0';
		} else {
			*text = '\0';
		}
	}
	return anon;
}

/* "/pledge 12 одеяла 5 шт, крупа 10 кг": several goods in one command.
 * Each becomes its own pledge with its own thanks (and /unpledge), and
 * nothing is recorded unless every part names one of the action's needs.
 * Only the first pledge carries the update's id: the update is processed
 * once (one transaction), and a redelivered one stops at that first pledge
 * as a duplicate. Returns true when the text was such a list (*rc then
 * holds the result). */
static bool
pledge_goods_list(struct handler_ctx *ctx, struct action *a, const char *text,
    bool anonymous, int *rc)
{
	char **parts = NULL;
	size_t n = 0, parsed = 0;
	if (!action_wants(a, PLEDGE_GOODS) ||
	    goods_split_line(text, &parts, &n) != GOODS_SPLIT_DONE) {
		goods_parts_free(parts, n);
		return false;
	}
	struct goods_line *g = xcalloc(n, sizeof *g);
	size_t *idx = xcalloc(n, sizeof *idx);
	bool all_known = true;
	*rc = 0;
	for (; parsed < n && all_known; parsed++) {
		enum goods_error gerr;
		/* Every part parsed in goods_split_line. */
		if (goods_parse_line(parts[parsed], ACTION_QUANTITY_MAX,
		        &g[parsed], &gerr) < 0) {
			struct buf e = BUF_INIT, ex = BUF_INIT;
			html_escape(&e, goods_error_text(gerr, ctx->lang));
			html_escape(&ex, a->needs[0].item);
			*rc = reply_text(ctx, NULL, &T_P_GOODS_ERROR,
			    buf_str(&e), (long long)a->id, buf_str(&ex));
			buf_release(&e);
			buf_release(&ex);
			all_known = false;
			break;
		}
		if (pledge_match_need(ctx, a, g[parsed].item, &idx[parsed]) !=
		    0)
			all_known = false;
	}
	int64_t update_id = ctx->update_id;
	int64_t made = update_id != 0 ? pledges_of_update(ctx->st, update_id)
	                              : 0;
	if (made < 0)
		*rc = handler_fail(ctx, "cannot look up the pledge");
	for (size_t i = 0; all_known && made >= 0 && i < n && *rc == 0; i++) {
		if (i > 0)
			ctx->update_id = 0;
		*rc = pledge_commit(ctx, a, PLEDGE_GOODS, a->needs[idx[i]].id,
		    g[i].quantity, anonymous);
		if (made > 0)
			break; /* a redelivery: "already recorded" said once */
	}
	ctx->update_id = update_id;
	for (size_t i = 0; i < parsed && i < n; i++)
		goods_line_release(&g[i]);
	free(g);
	free(idx);
	goods_parts_free(parts, n);
	return true;
}

static int
pledge_command(struct handler_ctx *ctx, struct action *a, const char *rest)
{
	char *clean = utf8_sanitize(rest, strlen(rest));
	char *text = utf8_trim(clean);
	free(clean);
	bool anonymous = strip_anonymous(text);
	char *folded = utf8_casefold(text);
	int rc = 0;
	int64_t amount;
	enum money_error merr;
	struct goods_line g;
	enum goods_error gerr;

	if (*text == '\0') {
		rc = pledge_begin_flow(ctx, a, 0);
	} else if (pledge_is_time_word(folded)) {
		rc = action_wants(a, PLEDGE_TIME)
		    ? pledge_commit(ctx, a, PLEDGE_TIME, 0, 1, anonymous)
		    : pledge_refuse_not_wanted(ctx, a, PLEDGE_TIME);
	} else if (money_parse(text, ctx->cfg->max_pledge_kopecks, &amount,
	               &merr) == 0) {
		rc = action_wants(a, PLEDGE_MONEY)
		    ? pledge_commit(ctx, a, PLEDGE_MONEY, 0, amount, anonymous)
		    : pledge_refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	} else if (merr != MONEY_NOT_A_NUMBER || money_looks_like(text)) {
		/* A money attempt ("50 тыщ руб") gets a money answer, never
		 * one about goods. */
		if (!action_wants(a, PLEDGE_MONEY)) {
			rc = pledge_refuse_not_wanted(ctx, a, PLEDGE_MONEY);
		} else {
			struct buf e = BUF_INIT;
			money_refusal(&e, merr, ctx->cfg->max_pledge_kopecks,
			    ctx->lang);
			rc = reply_text(ctx, NULL, &T_P_MONEY_ERROR,
			    buf_str(&e), (long long)a->id);
			buf_release(&e);
		}
	} else if (pledge_goods_list(ctx, a, text, anonymous, &rc)) {
		/* answered */
	} else if (goods_parse_line(text, ACTION_QUANTITY_MAX, &g, &gerr) ==
	    0) {
		size_t idx;
		if (!action_wants(a, PLEDGE_GOODS))
			rc = pledge_refuse_not_wanted(ctx, a, PLEDGE_GOODS);
		else if (pledge_match_need(ctx, a, g.item, &idx) == 0)
			rc = pledge_commit(ctx, a, PLEDGE_GOODS,
			    a->needs[idx].id, g.quantity, anonymous);
		goods_line_release(&g);
	} else if (action_wants(a, PLEDGE_GOODS) && gerr != GOODS_NO_QUANTITY) {
		struct buf e = BUF_INIT, ex = BUF_INIT;
		html_escape(&e, goods_error_text(gerr, ctx->lang));
		html_escape(&ex, a->needs[0].item);
		rc = reply_text(ctx, NULL, &T_P_GOODS_ERROR, buf_str(&e),
		    (long long)a->id, buf_str(&ex));
		buf_release(&e);
		buf_release(&ex);
	} else if (action_wants(a, PLEDGE_GOODS)) {
		/* Only a name ("одеяла"): which good, but how many? */
		size_t idx;
		if (pledge_match_need(ctx, a, text, &idx) == 0) {
			struct buf item = BUF_INIT;
			html_escape(&item, a->needs[idx].item);
			struct buf need = BUF_INIT;
			buf_puts(&need, buf_str(&item));
			buf_puts(&need, ", ");
			quantity_append(&need, a->needs[idx].quantity,
			    a->needs[idx].unit);
			rc = reply_text(ctx, NULL, &T_P_HOW_MANY,
			    buf_str(&need), (long long)a->id, buf_str(&item));
			buf_release(&need);
			buf_release(&item);
		}
	} else if (action_wants(a, PLEDGE_MONEY)) {
		struct buf e = BUF_INIT;
		money_refusal(&e, merr, ctx->cfg->max_pledge_kopecks,
		    ctx->lang);
		rc = reply_text(ctx, NULL, &T_P_MONEY_ERROR, buf_str(&e),
		    (long long)a->id);
		buf_release(&e);
	} else {
		rc = pledge_refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	}
	free(folded);
	free(text);
	return rc;
}

int
handle_pledge(struct handler_ctx *ctx)
{
	struct action a;
	const char *rest = "";
	int rc = action_from_args(ctx, pledge_usage_text(), &a, &rest);
	if (rc <= 0)
		return rc;
	if (a.closed)
		rc = pledge_refuse_closed(ctx, &a);
	else
		rc = pledge_command(ctx, &a, rest);
	action_release(&a);
	return rc;
}
