/* The guided pledge's goods step: reading the answer, one good or several
 * in one message («одеяла 20 шт, крупа 50 кг»), and recording such a list
 * as a pledge for each good. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/text/goods.h"
#include "dobrobot/text/html.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/view/view.h"
#include "dobrobot/core/xalloc.h"
#include "pledge_internal.h"

I18N(T_E_NEED_BUTTONS,
    "Выберите вещь кнопкой или напишите её название, например: <i>%s</i>.",
    "Tap a button or write the thing's name, for example: <i>%s</i>.")
I18N(T_E_GOODS_TEXT, "%s", "%s")
I18N(T_GOODS_UNSURE,
    "Не понял, одна это вещь или несколько. Я прочитал так:\n%s"
    "Напишите каждую вещь с количеством через запятую, например: "
    "<i>%s %s, %s %s</i>.",
    "I am not sure whether this is one thing or several. I read:\n%s"
    "Write each thing with its quantity, separated by commas, for example: "
    "<i>%s %s, %s %s</i>.")
I18N(T_GOODS_LIST_READ,
    "Понял так:\n%s\nКаждую вещь запишу отдельным обещанием. Если что-то "
    "не так — /cancel и напишите заново.",
    "I read it as:\n%s\nEach thing becomes a pledge of its own. If "
    "something is wrong — /cancel and write it again.")

/* "одеяла, подушки 20 шт": some parts have a quantity and some do not.
 * One need whose name has a comma in it is taken as it is (true); else
 * the parts are shown as read and the person is asked again. */
static bool
goods_unsure(struct handler_ctx *ctx, const struct action *a, const char *text,
    int *rc)
{
	struct goods_line g;
	enum goods_error gerr;
	if (goods_parse_line(text, ACTION_QUANTITY_MAX, &g, &gerr) == 0) {
		const char **items = xcalloc(a->n_needs, sizeof *items);
		for (size_t i = 0; i < a->n_needs; i++)
			items[i] = a->needs[i].item;
		int found = goods_match(g.item, items, a->n_needs);
		free(items);
		goods_line_release(&g);
		if (found >= 0)
			return true;
	}
	struct buf list = BUF_INIT, ex1 = BUF_INIT, ex2 = BUF_INIT,
	           q1 = BUF_INIT, q2 = BUF_INIT;
	/* The parts as goods_split_line saw them: at "," and ";". */
	char *copy = xstrdup(text);
	for (char *p = copy; p != NULL;) {
		char *next = p + strcspn(p, ",;");
		/* "1,5 кг": a decimal comma, as goods_split_line reads it. */
		while (*next == ',' && next > copy && next[-1] >= '0' &&
		    next[-1] <= '9' && next[1] >= '0' && next[1] <= '9')
			next += 1 + strcspn(next + 1, ",;");
		char *sep = *next != '\0' ? next : NULL;
		if (sep != NULL)
			*sep = '\0';
		char *t = utf8_trim(p);
		if (*t != '\0') {
			buf_puts(&list, "• ");
			html_escape(&list, t);
			buf_putc(&list, '\n');
		}
		free(t);
		p = sep != NULL ? sep + 1 : NULL;
	}
	free(copy);
	const struct action_need *n1 = &a->needs[0];
	const struct action_need *n2 = &a->needs[a->n_needs > 1 ? 1 : 0];
	html_escape(&ex1, n1->item);
	html_escape(&ex2, n2->item);
	quantity_append(&q1, 2, n1->unit);
	quantity_append(&q2, 5, n2->unit);
	*rc = reply_text(ctx, NULL, &T_GOODS_UNSURE, buf_str(&list),
	    buf_str(&ex1), buf_str(&q1), buf_str(&ex2), buf_str(&q2));
	buf_release(&q1);
	buf_release(&q2);
	buf_release(&list);
	buf_release(&ex1);
	buf_release(&ex2);
	return false;
}

/* Records the lines of a goods list, each its own pledge with its own
 * thanks. Only the first carries the update's id, as /pledge does with a
 * list: a redelivered update stops at it as a duplicate. */
int
pledge_commit_goods_lines(struct handler_ctx *ctx, struct action *a,
    json_t *lines, bool anonymous)
{
	int64_t update_id = ctx->update_id;
	int64_t made = update_id != 0 ? pledges_of_update(ctx->st, update_id)
	                              : 0;
	if (made < 0)
		return handler_fail(ctx, "cannot look up the pledge");
	int rc = 0;
	for (size_t i = 0; i < json_array_size(lines) && rc == 0; i++) {
		json_t *l = json_array_get(lines, i);
		int64_t need = json_integer_value(json_array_get(l, 0));
		int64_t qty = json_integer_value(json_array_get(l, 1));
		if (i > 0)
			ctx->update_id = 0;
		if (pledge_need_by_id(a, need) == NULL || qty <= 0)
			continue; /* the need was removed meanwhile */
		rc = pledge_commit(ctx, a, PLEDGE_GOODS, need, qty, anonymous);
		if (made > 0)
			break;
	}
	ctx->update_id = update_id;
	return rc;
}

/* "одеяла 20 шт, крупа 50 кг" at the goods step: every part must name one
 * of the action's needs (the first that does not is answered as a single
 * line would be); the list is shown as read, and each part becomes its own
 * pledge line once the person has chosen how to be shown. */
static int
flow_goods_list(struct handler_ctx *ctx, struct action *a, json_t *d,
    char **parts, size_t n)
{
	json_t *lines = json_array();
	struct buf list = BUF_INIT;
	int rc = 0;
	bool all = true;
	for (size_t i = 0; i < n && all; i++) {
		struct goods_line g;
		enum goods_error gerr;
		size_t idx;
		/* goods_split_line parsed every part already. */
		if (goods_parse_line(parts[i], ACTION_QUANTITY_MAX, &g, &gerr) <
		    0) {
			all = false;
			rc = reply_text(ctx, NULL, &T_E_GOODS_TEXT,
			    goods_error_text(gerr, ctx->lang));
			break;
		}
		if (pledge_match_need(ctx, a, g.item, &idx) != 0) {
			all = false;
		} else {
			const struct action_need *need = &a->needs[idx];
			json_array_append_new(lines,
			    json_pack("[I, I]", (json_int_t)need->id,
			        (json_int_t)g.quantity));
			buf_puts(&list, "• ");
			html_escape(&list, need->item);
			buf_puts(&list, " — ");
			quantity_append(&list, g.quantity,
			    g.unit != NULL && *g.unit != '\0' ? g.unit
			                                      : need->unit);
			buf_putc(&list, '\n');
		}
		goods_line_release(&g);
	}
	if (all) {
		json_t *first = json_array_get(lines, 0);
		json_object_set_new(d, "n",
		    json_integer(json_integer_value(json_array_get(first, 0))));
		json_object_set_new(d, "amt", json_integer(1));
		json_object_set(d, "lines", lines);
		rc = reply_text(ctx, NULL, &T_GOODS_LIST_READ, buf_str(&list));
		if (rc == 0)
			rc = pledge_ask_name(ctx, d);
	}
	json_decref(lines);
	buf_release(&list);
	return rc;
}

/* The answer at the goods step ("need"): a list, a good with how many at
 * once, or a good's name (then its quantity is asked). */
int
pledge_flow_goods_answer(struct handler_ctx *ctx, struct action *a, json_t *d,
    const char *text)
{
	int rc = 0;
	size_t idx;
	struct goods_line g;
	enum goods_error gerr;
	char **parts = NULL;
	size_t nparts = 0;
	enum goods_split split = goods_split_line(text, &parts, &nparts);
	if (split == GOODS_SPLIT_DONE) {
		rc = flow_goods_list(ctx, a, d, parts, nparts);
	} else if (split == GOODS_SPLIT_UNSURE &&
	    !goods_unsure(ctx, a, text, &rc)) {
		/* asked again */
	} else if (goods_parse_line(text, ACTION_QUANTITY_MAX, &g, &gerr) ==
	    0) {
		/* "3 одеяла": the good and how many at once. */
		if (pledge_match_need(ctx, a, g.item, &idx) == 0) {
			json_object_set_new(d, "n",
			    json_integer((json_int_t)a->needs[idx].id));
			json_object_set_new(d, "amt",
			    json_integer((json_int_t)g.quantity));
			rc = pledge_ask_name(ctx, d);
		}
		goods_line_release(&g);
	} else if (*text == '\0') {
		struct buf ex = BUF_INIT;
		html_escape(&ex, a->needs[0].item);
		rc = reply_text(ctx, NULL, &T_E_NEED_BUTTONS, buf_str(&ex));
		buf_release(&ex);
	} else if (pledge_match_need(ctx, a, text, &idx) == 0) {
		rc = pledge_ask_quantity(ctx, &a->needs[idx], d);
	}
	goods_parts_free(parts, nparts);
	return rc;
}
