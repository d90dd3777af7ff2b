/* «Моя книжка добрых дел»: the button under /my sends the citizen a clean
 * message without buttons — their confirmed help, by date, and the totals —
 * that they can forward to a school, an employer or a volunteer centre.
 * Only what organisers recorded as received counts. */
#include <stdlib.h>
#include <string.h>

#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/text/plural.h"
#include "dobrobot/core/xalloc.h"

/* Pledges read for the book, newest first; a record longer than this shows
 * the most recent ones and says so. */
#define BOOK_MAX 500

I18N(T_BK_EMPTY,
    "В книжке пока пусто: сюда попадает помощь, которую организаторы "
    "отметили полученной.",
    "The record is empty so far: it holds the help that organisers have "
    "recorded as received.")
I18N(T_BK_HEAD, "📗 <b>Книжка добрых дел</b>\n%s\n\n",
    "📗 <b>Record of good deeds</b>\n%s\n\n")
I18N(T_BK_LINE, "• %s — «%s»: %s\n", "• %s — «%s»: %s\n")
I18N(T_BK_OLDER, "<i>…и ещё более ранние дела</i>\n",
    "<i>…and earlier deeds</i>\n")
I18N(T_BK_TOTAL, "\n<b>Итого</b>\n", "\n<b>In total</b>\n")
I18N(T_BK_ACTIONS, "Акций: %lld\n", "Actions helped: %lld\n")
I18N(T_BK_MONEY, "Пожертвовано: %s\n", "Donated: %s\n")
I18N(T_BK_GOODS, "Передано вещей: %s\n", "Goods handed over: %s\n")
I18N(T_BK_TIME, "Волонтёром: %lld %s", "Volunteered: %lld %s")
I18N(T_BK_HOURS, ", %lld ч", ", %lld h")
I18N(T_BK_FOOT,
    "\n<i>Помощь подтверждена организаторами акций. Выписка от %s, "
    "@%s</i>",
    "\n<i>The help is confirmed by the actions' organisers. Issued on %s "
    "by @%s</i>")
I18N(T_BK_ONE, "раз", "time")
I18N(T_BK_FEW, "раза", "times")
I18N(T_BK_MANY, "раз", "times")
I18N(T_BK_SENT, "Книжка — в сообщении ниже: его можно переслать",
    "The record is in the message below: you can forward it")

/* "1 раз", "2 раза", "5 раз". */
static const char *
times_word(const char *lang, int64_t n)
{
	return plural_pick(lang, n, &T_BK_ONE, &T_BK_FEW, &T_BK_MANY);
}

/* Goods summed by item and unit. */
struct goods_sum {
	const char *item, *unit; /* borrowed from the pledges */
	int64_t quantity;
};

static bool
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static void
goods_add(struct goods_sum **sums, size_t *n, const struct pledge *p)
{
	int64_t q = p->received_amount > 0 ? p->received_amount : p->amount;
	for (size_t i = 0; i < *n; i++) {
		if (same((*sums)[i].item, p->item) &&
		    same((*sums)[i].unit, p->unit)) {
			(*sums)[i].quantity += q;
			return;
		}
	}
	*sums = xrealloc(*sums, (*n + 1) * sizeof **sums);
	(*sums)[(*n)++] = (struct goods_sum){p->item, p->unit, q};
}

static int
cmp_int64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* The whole book; 0 when nothing was received yet (b untouched). */
static int
render_book(struct handler_ctx *ctx, struct buf *b, const struct pledge *list,
    size_t n, bool truncated)
{
	const char *lang = ctx->lang;
	int64_t money = 0, hours = 0, times = 0;
	int64_t *actions = xcalloc(n + 1, sizeof *actions);
	size_t k = 0, n_goods = 0;
	struct goods_sum *goods = NULL;
	struct buf lines = BUF_INIT;
	/* Oldest first: a record reads as a story. */
	for (size_t i = n; i-- > 0;) {
		const struct pledge *p = &list[i];
		if (p->status != PLEDGE_RECEIVED)
			continue;
		actions[k++] = p->action_id;
		if (p->kind == PLEDGE_MONEY)
			money += p->received_amount > 0 ? p->received_amount
			                                : p->amount;
		else if (p->kind == PLEDGE_GOODS)
			goods_add(&goods, &n_goods, p);
		else {
			times++;
			hours += p->received_amount;
		}
		struct buf day = BUF_INIT, title = BUF_INIT, what = BUF_INIT;
		report_date(&day,
		    p->received_at > 0 ? p->received_at : p->created_at);
		html_escape_quoted(&title,
		    p->action_title ? p->action_title : "");
		report_describe_given(&what, p, lang);
		i18n_appendp(&lines, lang, &T_BK_LINE, buf_str(&day),
		    buf_str(&title), buf_str(&what));
		buf_release(&day);
		buf_release(&title);
		buf_release(&what);
	}
	int rc = 0;
	if (k == 0)
		goto out;
	rc = 1;
	struct buf name = BUF_INIT;
	html_escape(&name, ctx->user.first_name ? ctx->user.first_name : "");
	i18n_appendp(b, lang, &T_BK_HEAD, buf_str(&name));
	buf_release(&name);
	if (truncated)
		i18n_appendp(b, lang, &T_BK_OLDER);
	buf_puts(b, buf_str(&lines));
	qsort(actions, k, sizeof *actions, cmp_int64);
	int64_t distinct = 0;
	for (size_t i = 0; i < k; i++)
		distinct += i == 0 || actions[i] != actions[i - 1];
	i18n_appendp(b, lang, &T_BK_TOTAL);
	i18n_appendp(b, lang, &T_BK_ACTIONS, (long long)distinct);
	if (money > 0) {
		struct buf m = BUF_INIT;
		money_format(&m, money);
		i18n_appendp(b, lang, &T_BK_MONEY, buf_str(&m));
		buf_release(&m);
	}
	if (n_goods > 0) {
		struct buf g = BUF_INIT;
		for (size_t i = 0; i < n_goods; i++) {
			if (i > 0)
				buf_puts(&g, "; ");
			html_escape(&g, goods[i].item ? goods[i].item : "?");
			buf_printf(&g, ", %lld", (long long)goods[i].quantity);
			if (goods[i].unit != NULL && *goods[i].unit != '\0') {
				buf_putc(&g, ' ');
				html_escape(&g, goods[i].unit);
			}
		}
		i18n_appendp(b, lang, &T_BK_GOODS, buf_str(&g));
		buf_release(&g);
	}
	if (times > 0) {
		i18n_appendp(b, lang, &T_BK_TIME, (long long)times,
		    times_word(lang, times));
		if (hours > 0)
			i18n_appendp(b, lang, &T_BK_HOURS, (long long)hours);
		buf_putc(b, '\n');
	}
	struct buf today = BUF_INIT;
	report_date(&today, ctx->now_ms);
	i18n_appendp(b, lang, &T_BK_FOOT, buf_str(&today),
	    ctx->bot_username ? ctx->bot_username : "");
	buf_release(&today);
out:
	free(actions);
	free(goods);
	buf_release(&lines);
	return rc;
}

int
book_on_button(struct handler_ctx *ctx)
{
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_user(ctx->st, ctx->user.id, BOOK_MAX, &list, &n) < 0)
		return handler_fail(ctx, "cannot read pledges");
	struct buf b = BUF_INIT;
	int rc = render_book(ctx, &b, list, n, n == BOOK_MAX);
	if (rc == 0) {
		rc = answer_callback(ctx, tr(ctx, &T_BK_EMPTY), true);
	} else {
		rc = reply_html(ctx, buf_str(&b), NULL);
		if (rc == 0)
			rc = answer_callback(ctx, tr(ctx, &T_BK_SENT), false);
	}
	buf_release(&b);
	pledges_free(list, n);
	return rc;
}
