/* The guided pledge flow that the announcement's buttons and deep links
 * open (flow "pledge": kind → amount or good → name or anonymous →
 * confirmation); the questions are asked in pledge_ask.c, the goods step's
 * answer is read in pledge_goods.c. */
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

I18N(T_PLEDGE_USAGE,
    "Как пообещать помощь:\n"
    "/pledge 12 500 — деньгами, 500 ₽\n"
    "/pledge 12 5 одеял — вещами\n"
    "/pledge 12 время — стать волонтёром\n"
    "/pledge 12 — я спрошу по шагам\n"
    "Добавьте «анонимно», чтобы не показывать имя. Номер акции — в "
    "объявлении; открытые акции — /actions",
    "How to pledge help:\n"
    "/pledge 12 500 — money, 500 ₽\n"
    "/pledge 12 5 blankets — goods\n"
    "/pledge 12 time — volunteer\n"
    "/pledge 12 — I will ask step by step\n"
    "Add «anonymously» to hide your name. The action's number is in its "
    "announcement; open actions — /actions")
const struct i18n_pair *
pledge_usage_text(void)
{
	return &T_PLEDGE_USAGE;
}

I18N(T_P_NO_ACTION, "Акции №%lld нет. Открытые акции — /actions",
    "There is no action #%lld. Open actions — /actions")
I18N(T_P_CLOSED_SHORT, "Эта акция уже завершена. Спасибо, что хотели помочь!",
    "This action is over. Thank you for wanting to help!")
I18N(T_P_GONE_SHORT, "Этой акции больше нет.", "This action no longer exists.")
I18N(T_P_PRIVATE, "Напишите мне в личные сообщения, там и пообещаете помощь.",
    "Please write to me in a private chat to pledge help.")
I18N(T_P_ALREADY_VOLUNTEER,
    "Вы уже записаны волонтёром на акцию «%s» (обещание №%lld). Спасибо! "
    "Ваши обещания — /my",
    "You have already signed up to volunteer for «%s» (pledge #%lld). "
    "Thank you! Your pledges — /my")
I18N(T_ASK_KIND, "Как вы хотите помочь акции «%s»?",
    "How would you like to help «%s»?")
I18N(T_B_KIND_MONEY, "💰 Деньгами", "💰 With money")
I18N(T_B_KIND_GOODS, "📦 Вещами", "📦 With goods")
I18N(T_B_KIND_TIME, "🙋 Своим временем", "🙋 With my time")
I18N(T_E_QTY, "Напишите количество числом от 1 до %d, например: <i>3</i>.",
    "Please write the quantity as a number from 1 to %d, for example: "
    "<i>3</i>.")
I18N(T_E_NAME_BUTTONS,
    "Нажмите кнопку: с именем или анонимно. Можно и написать: "
    "<i>анонимно</i>.",
    "Tap a button: with your name or anonymously. You can also write: "
    "<i>anonymously</i>.")
I18N(T_E_AMOUNT_TEXT, "%s", "%s")

/* ---- the guided flow ---- */

/* Goes on with a chosen kind ('m', 'g' or 't'). */
static int
flow_kind(struct handler_ctx *ctx, struct action *a, char kind)
{
	json_t *d = json_pack("{s:I, s:s#}", "a", (json_int_t)a->id, "k", &kind,
	    (int)1);
	int rc;
	if (kind == 'm') {
		rc = action_wants(a, PLEDGE_MONEY)
		    ? pledge_ask_amount(ctx, a, d)
		    : pledge_refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	} else if (kind == 'g') {
		rc = action_wants(a, PLEDGE_GOODS)
		    ? pledge_ask_need(ctx, a, d)
		    : pledge_refuse_not_wanted(ctx, a, PLEDGE_GOODS);
	} else if (!action_wants(a, PLEDGE_TIME)) {
		rc = pledge_refuse_not_wanted(ctx, a, PLEDGE_TIME);
	} else {
		int64_t existing = pledges_find_volunteer(ctx->st, a->id,
		    ctx->user.id);
		if (existing < 0) {
			rc = handler_fail(ctx, "cannot look up volunteers");
		} else if (existing > 0) {
			struct buf t = BUF_INIT;
			html_escape_quoted(&t, a->title);
			rc = reply_text(ctx, NULL, &T_P_ALREADY_VOLUNTEER,
			    buf_str(&t), (long long)existing);
			buf_release(&t);
		} else {
			json_object_set_new(d, "amt", json_integer(1));
			rc = pledge_ask_name(ctx, d);
		}
	}
	json_decref(d);
	return rc;
}

/* Starts the guided flow for an open action: asks the kind of help when
 * the action wants more than one (kind 0), else goes straight on. */
int
pledge_begin_flow(struct handler_ctx *ctx, struct action *a, char kind)
{
	if (kind != 0)
		return flow_kind(ctx, a, kind);
	char kinds[3];
	size_t n = 0;
	if (action_wants(a, PLEDGE_MONEY))
		kinds[n++] = 'm';
	if (action_wants(a, PLEDGE_GOODS))
		kinds[n++] = 'g';
	if (action_wants(a, PLEDGE_TIME))
		kinds[n++] = 't';
	if (n == 0)
		return pledge_refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	if (n == 1)
		return flow_kind(ctx, a, kinds[0]);
	json_t *d = json_pack("{s:I}", "a", (json_int_t)a->id);
	int rc = pledge_flow_save(ctx, "kind", d);
	json_decref(d);
	if (rc < 0)
		return rc;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct i18n_pair *label = kinds[i] == 'm'
		    ? &T_B_KIND_MONEY
		    : kinds[i] == 'g' ? &T_B_KIND_GOODS
		                      : &T_B_KIND_TIME;
		char data[8];
		snprintf(data, sizeof data, "pf:k:%c", kinds[i]);
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text", tr(ctx, label),
		        "callback_data", data));
	}
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	rc = reply_text(ctx, kb, &T_ASK_KIND, buf_str(&t));
	buf_release(&t);
	json_decref(kb);
	return rc;
}

/* "12", "12m", "12g", "12t": the action and the kind of help. */
static int
parse_target(const char *s, int64_t *id, char *kind)
{
	errno = 0;
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || v <= 0)
		return -1;
	*kind = 0;
	if (*end == 'm' || *end == 'g' || *end == 't')
		*kind = *end++;
	if (*end != '\0')
		return -1;
	*id = v;
	return 0;
}

/* Loads an open action for the flow; otherwise answers: 1 loaded, 0
 * answered, -1 error. Buttons get a short notice instead of a message. */
static int
flow_action(struct handler_ctx *ctx, int64_t id, struct action *a)
{
	int rc = actions_load(ctx->st, id, a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action %lld",
		    (long long)id);
	if (rc == 1 && !a->closed)
		return 1;
	bool closed = rc == 1;
	if (rc == 1 && ctx->callback == NULL)
		rc = pledge_refuse_closed(ctx, a);
	else if (ctx->callback != NULL)
		rc = answer_callback(ctx,
		    tr(ctx, closed ? &T_P_CLOSED_SHORT : &T_P_GONE_SHORT),
		    false);
	else
		rc = reply_text(ctx, NULL, &T_P_NO_ACTION, (long long)id);
	if (closed)
		action_release(a);
	if (ctx->conv.flow != NULL && strcmp(ctx->conv.flow, "pledge") == 0)
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
	return rc < 0 ? -1 : 0;
}

int
start_pledge(struct handler_ctx *ctx)
{
	int64_t id;
	char kind;
	if (parse_target(ctx->cmd.args, &id, &kind) < 0)
		return reply_text(ctx, NULL, pledge_usage_text());
	struct action a;
	int rc = flow_action(ctx, id, &a);
	if (rc <= 0)
		return rc;
	rc = pledge_begin_flow(ctx, &a, kind);
	action_release(&a);
	return rc;
}

/* "pl:<action>:<kind>" from an announcement in a private chat. */
int
pledge_on_start_button(struct handler_ctx *ctx)
{
	if (!ctx_is_private(ctx))
		return answer_callback(ctx, tr(ctx, &T_P_PRIVATE), true);
	char target[40];
	const char *colon = strchr(ctx->cb_args, ':');
	size_t n = colon ? (size_t)(colon - ctx->cb_args) : 0;
	if (colon == NULL || n == 0 || n >= sizeof target - 2 ||
	    strlen(colon + 1) != 1)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	memcpy(target, ctx->cb_args, n);
	target[n] = colon[1];
	target[n + 1] = '\0';
	int64_t id;
	char kind;
	if (parse_target(target, &id, &kind) < 0 || kind == 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct action a;
	int rc = flow_action(ctx, id, &a);
	if (rc <= 0)
		return rc;
	rc = pledge_begin_flow(ctx, &a, kind);
	action_release(&a);
	return rc;
}

/* The flow's action, still open; answers otherwise (1, 0, -1). */
static int
flow_current(struct handler_ctx *ctx, struct action *a)
{
	int64_t id = json_integer_value(json_object_get(ctx->conv.draft, "a"));
	return flow_action(ctx, id, a);
}

/* The last step: records the pledge from the draft. */
static int
flow_finish(struct handler_ctx *ctx, struct action *a, bool anonymous)
{
	json_t *d = ctx->conv.draft;
	const char *k = json_string_value(json_object_get(d, "k"));
	int64_t amount = json_integer_value(json_object_get(d, "amt"));
	int64_t need = json_integer_value(json_object_get(d, "n"));
	enum pledge_kind kind = k == NULL ? PLEDGE_MONEY
	    : *k == 'g'                   ? PLEDGE_GOODS
	    : *k == 't'                   ? PLEDGE_TIME
	                                  : PLEDGE_MONEY;
	if (k == NULL || amount <= 0 ||
	    (kind == PLEDGE_GOODS && pledge_need_by_id(a, need) == NULL)) {
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	}
	if (!action_wants(a, kind)) {
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
		return pledge_refuse_not_wanted(ctx, a, kind);
	}
	json_t *lines = json_incref(json_object_get(d, "lines"));
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0) {
		json_decref(lines);
		return handler_fail(ctx, "cannot clear the conversation");
	}
	int rc = kind == PLEDGE_GOODS && json_array_size(lines) > 0
	    ? pledge_commit_goods_lines(ctx, a, lines, anonymous)
	    : pledge_commit(ctx, a, kind, kind == PLEDGE_GOODS ? need : 0,
	          amount, anonymous);
	json_decref(lines);
	return rc;
}

static int
flow_amount(struct handler_ctx *ctx, struct action *a, int64_t kopecks)
{
	json_t *d = ctx->conv.draft;
	json_object_set_new(d, "amt", json_integer((json_int_t)kopecks));
	(void)a;
	return pledge_ask_name(ctx, d);
}

/* "pf:k:<m|g|t>", "pf:a:<kopecks>", "pf:n:<need>", "pf:v:<1 named|0>". */
int
pledge_on_flow_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	const char *step = ctx->conv.step;
	if (ctx->conv.flow == NULL || strcmp(ctx->conv.flow, "pledge") != 0 ||
	    strlen(args) < 3 || args[1] != ':')
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	char what = args[0];
	const char *v = args + 2;
	static const char *const expected[] = {
	    "k", "kind", "a", "amount", "n", "need", "v", "name"};
	bool fits = false;
	for (size_t i = 0; i < 8; i += 2)
		fits = fits ||
		    (what == expected[i][0] &&
		        strcmp(step, expected[i + 1]) == 0);
	if (!fits)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct action a;
	int rc = flow_current(ctx, &a);
	if (rc <= 0)
		return rc;
	errno = 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	bool number = errno == 0 && end != v && *end == '\0';
	switch (what) {
	case 'k':
		if (strlen(v) == 1 && strchr("mgt", *v) != NULL)
			rc = flow_kind(ctx, &a, *v);
		else
			rc = answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		break;
	case 'a':
		if (number && n > 0 && n <= ctx->cfg->max_pledge_kopecks)
			rc = flow_amount(ctx, &a, n);
		else
			rc = answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		break;
	case 'n': {
		const struct action_need *need = number
		    ? pledge_need_by_id(&a, n)
		    : NULL;
		if (need != NULL)
			rc = pledge_ask_quantity(ctx, need, ctx->conv.draft);
		else
			rc = answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		break;
	}
	default:
		if (number && (n == 0 || n == 1))
			rc = flow_finish(ctx, &a, n == 0);
		else
			rc = answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		break;
	}
	action_release(&a);
	return rc;
}

static const char *const named_words[] = {"с именем", "имя", "да", "показать",
    "показывать", "name", "with my name", "yes"};

int
pledge_on_message(struct handler_ctx *ctx)
{
	struct action a;
	int rc = flow_current(ctx, &a);
	if (rc <= 0)
		return rc;
	rc = 0;
	const char *step = ctx->conv.step;
	json_t *d = ctx->conv.draft;
	const char *raw = json_string_value(json_object_get(ctx->message,
	    "text"));
	char *clean = raw ? utf8_sanitize(raw, strlen(raw)) : xstrdup("");
	char *text = utf8_trim(clean);
	free(clean);
	char *folded = utf8_casefold(text);

	if (strcmp(step, "amount") == 0) {
		int64_t k;
		enum money_error err;
		if (money_parse(text, ctx->cfg->max_pledge_kopecks, &k, &err) ==
		    0) {
			rc = flow_amount(ctx, &a, k);
		} else {
			struct buf e = BUF_INIT;
			money_refusal(&e, err, ctx->cfg->max_pledge_kopecks,
			    ctx->lang);
			rc = reply_text(ctx, NULL, &T_E_AMOUNT_TEXT,
			    buf_str(&e));
			buf_release(&e);
		}
	} else if (strcmp(step, "need") == 0) {
		rc = pledge_flow_goods_answer(ctx, &a, d, text);
	} else if (strcmp(step, "qty") == 0) {
		char *end;
		errno = 0;
		long long q = strtoll(text, &end, 10);
		bool ok = errno == 0 && end != text && q >= 1 &&
		    q <= ACTION_QUANTITY_MAX;
		/* "3" or "3 шт"; no second number. */
		for (const char *p = end; ok && *p; p++)
			ok = !(*p >= '0' && *p <= '9');
		if (ok && *end != '\0' && *end != ' ')
			ok = false;
		if (ok) {
			json_object_set_new(d, "amt", json_integer(q));
			rc = pledge_ask_name(ctx, d);
		} else {
			rc = reply_text(ctx, NULL, &T_E_QTY,
			    ACTION_QUANTITY_MAX);
		}
	} else if (strcmp(step, "name") == 0) {
		if (pledge_is_anonymous_word(folded))
			rc = flow_finish(ctx, &a, true);
		else if (pledge_word_in(folded, named_words,
		             sizeof named_words / sizeof *named_words))
			rc = flow_finish(ctx, &a, false);
		else
			rc = reply_text(ctx, NULL, &T_E_NAME_BUTTONS);
	} else {
		/* "kind": the buttons, or words. */
		if (pledge_is_time_word(folded))
			rc = flow_kind(ctx, &a, 't');
		else if (strstr(folded, "деньг") != NULL ||
		    strcmp(folded, "money") == 0)
			rc = flow_kind(ctx, &a, 'm');
		else if (strstr(folded, "вещ") != NULL ||
		    strcmp(folded, "goods") == 0)
			rc = flow_kind(ctx, &a, 'g');
		else
			rc = pledge_begin_flow(ctx, &a, 0);
	}
	free(folded);
	free(text);
	action_release(&a);
	return rc;
}
