/* /my: a citizen's record of good deeds — what they gave (only what an
 * organiser recorded as received counts as given), what is still promised,
 * how many actions they helped — and their pledges, each not yet received
 * with a button to take it back. */
#include <stdlib.h>
#include <string.h>

#include "pledges.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/text/plural.h"
#include "dobrobot/core/utf8.h"

#define MY_LIST_MAX 20
#define MY_BUTTONS_MAX 10

I18N(T_NUMBER, "№%lld · ", "#%lld · ")
I18N(T_MY_EMPTY,
    "У вас пока нет обещаний. Посмотрите открытые акции — /actions — и "
    "выберите, чем помочь.",
    "You have no pledges yet. Have a look at the open actions — /actions — "
    "and choose how to help.")
I18N(T_MY_HEAD, "<b>Ваши добрые дела</b>\n", "<b>Your good deeds</b>\n")
I18N(T_MY_GIVEN, "✅ Передано: ", "✅ Given: ")
I18N(T_MY_PROMISED, "⏳ Обещано: ", "⏳ Promised: ")
I18N(T_MY_GOODS, "вещи — %lld %s", "goods — %lld %s")
I18N(T_MY_TIME, "волонтёром — %lld %s", "volunteered — %lld %s")
I18N(T_MY_HOURS, " (%lld ч)", " (%lld h)")
I18N(T_MY_HELPED,
    "❤️ Акций, которым вы помогли: %lld. Спасибо!\n",
    "❤️ Actions you have helped: %lld. Thank you!\n")
I18N(T_MY_NOTHING_YET,
    "Пока ничего не передано — организаторы отметят, когда получат ваше.\n",
    "Nothing handed over yet — the organisers will record it when yours "
    "arrives.\n")
I18N(T_MY_LIST, "\n<b>Обещания</b>\n", "\n<b>Pledges</b>\n")
I18N(T_MY_FOOT, "\nОтменить обещание — кнопкой или /unpledge <i>номер</i>",
    "\nTake a pledge back — with a button or /unpledge <i>number</i>")
I18N(T_B_WITHDRAW, "Отменить №%lld", "Take back #%lld")
I18N(T_B_BOOK, "📗 Моя книжка добрых дел", "📗 My record of good deeds")
I18N(T_B_DOCUMENT, "📄 Получить справку", "📄 Get a certificate")
I18N(T_MY_WITHDRAWN_SHORT, "Обещание №%lld отменено.",
    "Pledge #%lld is taken back.")
I18N(T_TIMES_ONE, "раз", "time")
I18N(T_TIMES_FEW, "раза", "times")
I18N(T_TIMES_MANY, "раз", "times")

/* 1 раз, 2 раза, 5 раз (English: 1 time, 2 times). */
static const char *
times_word(const char *lang, int64_t n)
{
	return plural_pick(lang, n, &T_TIMES_ONE, &T_TIMES_FEW, &T_TIMES_MANY);
}

/* "700 ₽; вещи — 1 раз; волонтёром — 2 раза (4 ч)": the non-zero parts. */
static void
record_line(struct buf *b, const struct i18n_pair *head, int64_t money,
    int64_t goods, int64_t times, int64_t hours, const char *lang)
{
	if (money == 0 && goods == 0 && times == 0)
		return;
	i18n_appendp(b, lang, head);
	const char *sep = "";
	if (money > 0) {
		money_format(b, money);
		sep = "; ";
	}
	if (goods > 0) {
		buf_puts(b, sep);
		i18n_appendp(b, lang, &T_MY_GOODS, (long long)goods,
		    times_word(lang, goods));
		sep = "; ";
	}
	if (times > 0) {
		buf_puts(b, sep);
		i18n_appendp(b, lang, &T_MY_TIME, (long long)times,
		    times_word(lang, times));
		if (hours > 0)
			i18n_appendp(b, lang, &T_MY_HOURS, (long long)hours);
	}
	buf_putc(b, '\n');
}

static void
record_text(struct buf *b, const struct pledge_record *r, const char *lang)
{
	i18n_appendp(b, lang, &T_MY_HEAD);
	record_line(b, &T_MY_GIVEN, r->money_given, r->goods_given,
	    r->times_given, r->hours_given, lang);
	record_line(b, &T_MY_PROMISED, r->money_promised, r->goods_promised,
	    r->times_promised, 0, lang);
	if (r->actions_helped > 0)
		i18n_appendp(b, lang, &T_MY_HELPED,
		    (long long)r->actions_helped);
	else
		i18n_appendp(b, lang, &T_MY_NOTHING_YET);
}

/* The whole /my message and its buttons; *markup may stay NULL. Returns
 * 1 when the person has pledges, 0 when none, -1 on error. */
static int
my_page(struct handler_ctx *ctx, struct buf *b, json_t **markup)
{
	struct pledge_record r;
	struct pledge *list = NULL;
	size_t n = 0;
	*markup = NULL;
	if (pledges_record(ctx->st, ctx->user.id, &r) < 0 ||
	    pledges_of_user(ctx->st, ctx->user.id, MY_LIST_MAX, &list, &n) < 0)
		return -1;
	if (n == 0) {
		i18n_appendp(b, ctx->lang, &T_MY_EMPTY);
		return 0;
	}
	record_text(b, &r, ctx->lang);
	i18n_appendp(b, ctx->lang, &T_MY_LIST);
	json_t *rows = json_array();
	json_t *withdraw = json_array();
	size_t buttons = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = &list[i];
		i18n_appendp(b, ctx->lang, &T_NUMBER, (long long)p->id);
		buf_puts(b, "«");
		const char *t = p->action_title ? p->action_title : "";
		size_t tl = strlen(t), cut = utf8_prefix_bytes(t, tl, 40);
		html_escape_n(b, t, cut);
		buf_puts(b, cut < tl ? "…» — " : "» — ");
		pledge_describe(b, p, ctx->lang);
		buf_puts(b, " — ");
		pledge_describe_status(b, p, ctx->lang);
		buf_putc(b, '\n');
		if (p->status != PLEDGE_PLEDGED || buttons >= MY_BUTTONS_MAX)
			continue;
		struct buf label = BUF_INIT;
		i18n_appendp(&label, ctx->lang, &T_B_WITHDRAW,
		    (long long)p->id);
		char data[40];
		snprintf(data, sizeof data, "my:w:%lld", (long long)p->id);
		json_array_append_new(withdraw,
		    callback_button(buf_str(&label), data));
		buf_release(&label);
		buttons++;
	}
	buttons_two_per_row(rows, withdraw);
	if (buttons > 0)
		i18n_appendp(b, ctx->lang, &T_MY_FOOT);
	/* Confirmed help: a clean summary to forward (handlers/book.c). */
	if (r.actions_helped > 0)
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_B_BOOK),
		        "callback_data", "bk"));
	/* The same, on paper: a PDF anyone can verify
	 * (handlers/documents.c). */
	if (r.actions_helped > 0)
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_B_DOCUMENT),
		        "callback_data", "dc:r"));
	if (json_array_size(rows) > 0)
		*markup = json_pack("{s:o}", "inline_keyboard", rows);
	else
		json_decref(rows);
	pledges_free(list, n);
	return 1;
}

int
handle_my(struct handler_ctx *ctx)
{
	struct buf b = BUF_INIT;
	json_t *markup = NULL;
	int rc = my_page(ctx, &b, &markup);
	if (rc < 0)
		rc = handler_fail(ctx, "cannot read pledges");
	else
		rc = reply_html(ctx, buf_str(&b), markup);
	json_decref(markup);
	buf_release(&b);
	return rc;
}

I18N(T_MY_CONFIRM, "Отменить обещание №%lld для акции «%s»: %s?",
    "Take back pledge #%lld for «%s»: %s?")
I18N(T_B_YES_WITHDRAW, "Да, отменить", "Yes, take it back")
I18N(T_B_NO_KEEP, "Нет, оставить", "No, keep it")

/* The list as it is now, in place of the message with the button. */
static int
refresh_page(struct handler_ctx *ctx)
{
	struct buf b = BUF_INIT;
	json_t *markup = NULL;
	int rc = my_page(ctx, &b, &markup);
	if (rc < 0)
		rc = handler_fail(ctx, "cannot read pledges");
	else
		rc = edit_html(ctx, ctx->cb_message_id, buf_str(&b), markup);
	json_decref(markup);
	buf_release(&b);
	return rc;
}

/* One tap must not take a pledge back: "my:w" asks, "my:y" does it. */
static int
ask_to_confirm(struct handler_ctx *ctx, int64_t id)
{
	struct pledge p;
	int rc = pledges_load(ctx->st, id, &p);
	if (rc < 0)
		return handler_fail(ctx, "cannot load pledge");
	if (rc == 0 || p.user_id != ctx->user.id ||
	    p.status != PLEDGE_PLEDGED || ctx->cb_message_id == 0) {
		if (rc == 1)
			pledge_release(&p);
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	}
	struct buf t = BUF_INIT, what = BUF_INIT, b = BUF_INIT;
	html_escape_quoted(&t, p.action_title ? p.action_title : "");
	pledge_describe(&what, &p, ctx->lang);
	i18n_appendp(&b, ctx->lang, &T_MY_CONFIRM, (long long)id, buf_str(&t),
	    buf_str(&what));
	char yes[40];
	snprintf(yes, sizeof yes, "my:y:%lld", (long long)id);
	json_t *kb = json_pack("{s:[[o, o]]}", "inline_keyboard",
	    callback_button(tr(ctx, &T_B_YES_WITHDRAW), yes),
	    callback_button(tr(ctx, &T_B_NO_KEEP), "my:n"));
	rc = edit_html(ctx, ctx->cb_message_id, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&t);
	buf_release(&what);
	buf_release(&b);
	pledge_release(&p);
	return rc;
}

/* "my:w:<pledge>" asks to confirm, "my:y:<pledge>" takes the pledge back
 * and refreshes the list, "my:n" shows the list again. */
int
my_on_button(struct handler_ctx *ctx)
{
	int64_t id = 0;
	const char *a = ctx->cb_args;
	char *end = NULL;
	if (strcmp(a, "n") == 0 && ctx->cb_message_id != 0)
		return refresh_page(ctx);
	bool confirmed = strncmp(a, "y:", 2) == 0;
	if (strncmp(a, "w:", 2) == 0 || confirmed) {
		long long v = strtoll(a + 2, &end, 10);
		if (end != a + 2 && *end == '\0' && v > 0)
			id = v;
	}
	if (id == 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	if (!confirmed)
		return ask_to_confirm(ctx, id);
	struct buf why = BUF_INIT;
	int rc = pledge_withdraw_own(ctx, id, &why);
	if (rc < 0) {
		buf_release(&why);
		return rc;
	}
	if (rc == 0) {
		rc = answer_callback(ctx, buf_str(&why), true);
		buf_release(&why);
		return rc;
	}
	buf_reset(&why);
	i18n_appendp(&why, ctx->lang, &T_MY_WITHDRAWN_SHORT, (long long)id);
	rc = answer_callback(ctx, buf_str(&why), false);
	buf_release(&why);
	if (rc < 0 || ctx->cb_message_id == 0)
		return rc;
	return refresh_page(ctx);
}
