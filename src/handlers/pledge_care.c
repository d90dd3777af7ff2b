/* What the bot says around a pledge besides «записал»: the same pledge made
 * again within minutes (a double tap, a resent message) is asked about
 * before it is recorded twice, and a pledge beyond what an action asked for
 * is taken with a word that the need is covered and what is still needed,
 * so that help goes where it is short. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "pledges.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"

/* A pledge like one made this long ago is asked about. */
#define REPEAT_WINDOW_MS (10 * 60 * 1000)

I18N(T_PC_REPEAT,
    "Вы только что обещали то же самое для акции «%s»: №%lld — %s.\n"
    "Добавить ещё или это повтор?",
    "You have just pledged the same to «%s»: #%lld — %s.\nAdd another one, "
    "or is it a repeat?")
I18N(T_PC_B_ADD, "➕ Добавить ещё", "➕ Add another")
I18N(T_PC_B_REPEAT, "Это повтор", "It's a repeat")
I18N(T_PC_COVERED_GOODS,
    "\nℹ️ «%s»: нужно %s, обещано уже %lld — этого хватает. Ваше обещание "
    "записано; если передумаете — /unpledge %lld.\n",
    "\nℹ️ «%s»: %s needed, %lld pledged already — that is enough. Your "
    "pledge is recorded; if you change your mind — /unpledge %lld.\n")
I18N(T_PC_COVERED_MONEY,
    "\nℹ️ Цель по деньгам уже собрана: обещано %s из %s. Ваше обещание "
    "записано; если передумаете — /unpledge %lld.\n",
    "\nℹ️ The money goal is met: %s pledged of %s. Your pledge is "
    "recorded; if you change your mind — /unpledge %lld.\n")
I18N(T_PC_COVERED_TIME,
    "\nℹ️ Волонтёров уже достаточно: записались %lld из %lld. Вы в "
    "списке; если передумаете — /unpledge %lld.\n",
    "\nℹ️ There are enough volunteers: %lld signed up of %lld. You are "
    "on the list; if you change your mind — /unpledge %lld.\n")
I18N(T_PC_STILL, "Ещё нужно: %s.\n", "Still needed: %s.\n")
I18N(T_PC_ALL_COVERED, "Остальное тоже собрано — спасибо!\n",
    "Everything else is covered too — thank you!\n")
I18N(T_PC_STILL_GOODS, "%s — ещё %s", "%s — %s more")
I18N(T_PC_STILL_MONEY, "деньги — ещё %s", "money — %s more")
I18N(T_PC_STILL_VOLUNTEERS, "волонтёры — ещё %lld", "volunteers — %lld more")

int
pledge_ask_if_repeat(struct handler_ctx *ctx, const struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous)
{
	int64_t same = pledges_find_repeat(ctx->st, a->id, ctx->user.id,
	    pledge_kind_name(kind), need_id, amount,
	    ctx->now_ms - REPEAT_WINDOW_MS);
	if (same <= 0)
		return same < 0 ? -1 : 0;
	struct pledge p;
	if (pledges_load(ctx->st, same, &p) != 1)
		return -1;
	struct buf t = BUF_INIT, what = BUF_INIT, b = BUF_INIT;
	html_escape_quoted(&t, a->title);
	pledge_describe(&what, &p, ctx->lang);
	i18n_appendp(&b, ctx->lang, &T_PC_REPEAT, buf_str(&t), (long long)same,
	    buf_str(&what));
	char add[64];
	snprintf(add, sizeof add, "pd:%lld:%c:%lld:%lld:%d", (long long)a->id,
	    kind == PLEDGE_GOODS ? 'g' : 'm', (long long)need_id,
	    (long long)amount, anonymous ? 1 : 0);
	json_t *kb = json_pack("{s:[[o, o]]}", "inline_keyboard",
	    callback_button(tr(ctx, &T_PC_B_ADD), add),
	    callback_button(tr(ctx, &T_PC_B_REPEAT), "pd:no"));
	int rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&t);
	buf_release(&what);
	buf_release(&b);
	pledge_release(&p);
	return rc < 0 ? -1 : 1;
}

/* "крупа — ещё 50 кг; деньги — ещё 30 000 ₽; волонтёры — ещё 3" */
static void
still_needed(struct buf *out, const struct action *a, const char *lang)
{
	size_t before = out->len;
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct action_need *n = &a->needs[i];
		if (n->promised >= n->quantity)
			continue;
		if (out->len > before)
			buf_puts(out, "; ");
		struct buf item = BUF_INIT, left = BUF_INIT;
		html_escape(&item, n->item);
		buf_printf(&left, "%lld",
		    (long long)(n->quantity - n->promised));
		if (n->unit != NULL && *n->unit != '\0') {
			buf_putc(&left, ' ');
			html_escape(&left, n->unit);
		}
		i18n_appendp(out, lang, &T_PC_STILL_GOODS, buf_str(&item),
		    buf_str(&left));
		buf_release(&item);
		buf_release(&left);
	}
	if (a->goal_kopecks > 0 && a->money_promised < a->goal_kopecks) {
		struct buf m = BUF_INIT;
		money_format(&m, a->goal_kopecks - a->money_promised);
		if (out->len > before)
			buf_puts(out, "; ");
		i18n_appendp(out, lang, &T_PC_STILL_MONEY, buf_str(&m));
		buf_release(&m);
	}
	if (a->volunteers_needed > 0 &&
	    a->volunteers_promised < a->volunteers_needed) {
		if (out->len > before)
			buf_puts(out, "; ");
		i18n_appendp(out, lang, &T_PC_STILL_VOLUNTEERS,
		    (long long)(a->volunteers_needed - a->volunteers_promised));
	}
}

void
pledge_covered_note(struct buf *out, const struct action *now,
    const struct pledge *p, const char *lang)
{
	long long id = (long long)p->id;
	size_t before = out->len;
	if (p->kind == PLEDGE_GOODS) {
		for (size_t i = 0; i < now->n_needs; i++) {
			const struct action_need *n = &now->needs[i];
			if (n->id != p->need_id || n->promised <= n->quantity)
				continue;
			struct buf item = BUF_INIT, need = BUF_INIT;
			html_escape(&item, n->item);
			buf_printf(&need, "%lld", (long long)n->quantity);
			if (n->unit != NULL && *n->unit != '\0') {
				buf_putc(&need, ' ');
				html_escape(&need, n->unit);
			}
			i18n_appendp(out, lang, &T_PC_COVERED_GOODS,
			    buf_str(&item), buf_str(&need),
			    (long long)n->promised, id);
			buf_release(&item);
			buf_release(&need);
		}
	} else if (p->kind == PLEDGE_MONEY && now->goal_kopecks > 0 &&
	    now->money_promised > now->goal_kopecks) {
		struct buf got = BUF_INIT, goal = BUF_INIT;
		money_format(&got, now->money_promised);
		money_format(&goal, now->goal_kopecks);
		i18n_appendp(out, lang, &T_PC_COVERED_MONEY, buf_str(&got),
		    buf_str(&goal), id);
		buf_release(&got);
		buf_release(&goal);
	} else if (p->kind == PLEDGE_TIME && now->volunteers_needed > 0 &&
	    now->volunteers_promised > now->volunteers_needed) {
		i18n_appendp(out, lang, &T_PC_COVERED_TIME,
		    (long long)now->volunteers_promised,
		    (long long)now->volunteers_needed, id);
	}
	if (out->len == before)
		return;
	struct buf still = BUF_INIT;
	still_needed(&still, now, lang);
	if (still.len > 0)
		i18n_appendp(out, lang, &T_PC_STILL, buf_str(&still));
	else
		i18n_appendp(out, lang, &T_PC_ALL_COVERED);
	buf_release(&still);
}
