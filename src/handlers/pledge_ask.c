/* The guided pledge flow's questions: each saves the draft at its step and
 * asks (the amount, the good, how many of it, how to show the pledger). */
#include <stdlib.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/view/view.h"
#include "pledge_internal.h"

I18N(T_ASK_AMOUNT,
    "Сколько рублей вы готовы пожертвовать на «%s»? Нажмите кнопку или "
    "напишите сумму, например: <i>500</i> или <i>1 500,50</i>.\nВыйти — "
    "/cancel",
    "How many rubles would you like to give to «%s»? Tap a button or write "
    "the amount, for example: <i>500</i> or <i>1 500.50</i>.\nLeave — "
    "/cancel")
I18N(T_ASK_NEED, "Что вы принесёте для «%s»?%s\nВыйти — /cancel",
    "What will you bring for «%s»?%s\nLeave — /cancel")
I18N(T_ASK_QTY,
    "Сколько вы принесёте? Нужно: %s, %s; уже обещано %lld. Напишите "
    "число, например: <i>3</i>.\nВыйти — /cancel",
    "How many will you bring? Needed: %s, %s; already pledged: %lld. "
    "Write a number, for example: <i>3</i>.\nLeave — /cancel")
I18N(T_ASK_NAME,
    "Как показать вас в списке помощников? Организаторы и другие "
    "участники увидят только это.",
    "How should we show you in the list of helpers? Organisers and other "
    "participants will see only this.")
I18N(T_B_ANON, "🕶 Анонимно", "🕶 Anonymously")

int
pledge_flow_save(struct handler_ctx *ctx, const char *step, json_t *d)
{
	if (conversation_save(ctx->st, ctx->user.id, ctx->chat_id, "pledge",
	        step, d, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot save the conversation");
	return 0;
}

int
pledge_ask_name(struct handler_ctx *ctx, json_t *d)
{
	if (pledge_flow_save(ctx, "name", d) < 0)
		return -1;
	/* The button shows the name as plain text (buttons are not HTML):
	 * what public views will show, "Иван П.". */
	json_t *from = ctx->callback ? json_object_get(ctx->callback, "from")
	                             : json_object_get(ctx->message, "from");
	char *name = pledge_public_name(from);
	struct buf label = BUF_INIT;
	buf_puts(&label, "👤 ");
	buf_puts(&label, name ? name : "?");
	free(name);
	json_t *kb = json_pack("{s:[[{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", buf_str(&label), "callback_data",
	    "pf:v:1", "text", tr(ctx, &T_B_ANON), "callback_data", "pf:v:0");
	int rc = reply_text(ctx, kb, &T_ASK_NAME);
	json_decref(kb);
	buf_release(&label);
	return rc;
}

int
pledge_ask_amount(struct handler_ctx *ctx, const struct action *a, json_t *d)
{
	if (pledge_flow_save(ctx, "amount", d) < 0)
		return -1;
	static const int64_t quick[] = {30000, 50000, 100000, 300000};
	json_t *row = json_array();
	for (size_t i = 0; i < sizeof quick / sizeof quick[0]; i++) {
		struct buf label = BUF_INIT;
		money_format(&label, quick[i]);
		char data[32];
		snprintf(data, sizeof data, "pf:a:%lld", (long long)quick[i]);
		json_array_append_new(row,
		    json_pack("{s:s, s:s}", "text", buf_str(&label),
		        "callback_data", data));
		buf_release(&label);
	}
	json_t *kb = json_pack("{s:[o]}", "inline_keyboard", row);
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	int rc = reply_text(ctx, kb, &T_ASK_AMOUNT, buf_str(&t));
	buf_release(&t);
	json_decref(kb);
	return rc;
}

int
pledge_ask_quantity(struct handler_ctx *ctx, const struct action_need *n,
    json_t *d)
{
	json_object_set_new(d, "n", json_integer((json_int_t)n->id));
	if (pledge_flow_save(ctx, "qty", d) < 0)
		return -1;
	struct buf item = BUF_INIT, need = BUF_INIT;
	html_escape(&item, n->item);
	quantity_append(&need, n->quantity, n->unit);
	int rc = reply_text(ctx, NULL, &T_ASK_QTY, buf_str(&item),
	    buf_str(&need), (long long)n->promised);
	buf_release(&item);
	buf_release(&need);
	return rc;
}

int
pledge_ask_need(struct handler_ctx *ctx, const struct action *a, json_t *d)
{
	if (a->n_needs == 1)
		return pledge_ask_quantity(ctx, &a->needs[0], d);
	if (pledge_flow_save(ctx, "need", d) < 0)
		return -1;
	json_t *rows = json_array();
	for (size_t i = 0; i < a->n_needs; i++) {
		struct buf label = BUF_INIT;
		buf_puts(&label, a->needs[i].item);
		int64_t left = a->needs[i].quantity - a->needs[i].promised;
		if (left > 0)
			buf_printf(&label, " (%lld)", (long long)left);
		char data[40];
		snprintf(data, sizeof data, "pf:n:%lld",
		    (long long)a->needs[i].id);
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text", buf_str(&label),
		        "callback_data", data));
		buf_release(&label);
	}
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	struct buf t = BUF_INIT, list = BUF_INIT;
	html_escape_quoted(&t, a->title);
	buf_putc(&list, '\n');
	pledge_needs_list(a, &list);
	int rc = reply_text(ctx, kb, &T_ASK_NEED, buf_str(&t), buf_str(&list));
	buf_release(&t);
	buf_release(&list);
	json_decref(kb);
	return rc;
}
