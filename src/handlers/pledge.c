/* Pledges: a citizen promises money, goods or time with one command
 * (/pledge 12 500) or through the guided flow that the announcement's
 * buttons and deep links open (flow "pledge": kind → amount or good →
 * name or anonymous → confirmation). A citizen can take a pledge back
 * (/unpledge) until it is received; organisers list pledges (/pledges) and
 * record what came (/received), which thanks the citizen. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/actions.h"
#include "dobrobot/goods.h"
#include "dobrobot/handlers_actions.h"
#include "dobrobot/handlers_pledges.h"
#include "dobrobot/handlers_trust.h"
#include "dobrobot/html.h"
#include "dobrobot/money.h"
#include "dobrobot/orgs.h"
#include "dobrobot/outbox.h"
#include "dobrobot/privacy.h"
#include "dobrobot/utf8.h"
#include "dobrobot/when.h"
#include "dobrobot/xalloc.h"
#include "privacy.h"

/* Open actions of one organisation listed by /pledges without a number. */
#define PLEDGES_ORG_MAX 20

I18N(T_NUMBER, "№%lld · ", "#%lld · ")
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
I18N(T_P_NO_ACTION, "Акции №%lld нет. Открытые акции — /actions",
    "There is no action #%lld. Open actions — /actions")
I18N(T_P_CLOSED,
    "Акция «%s» уже завершена — спасибо, что хотели помочь! Открытые "
    "акции — /actions",
    "The action «%s» is over — thank you for wanting to help! Open "
    "actions — /actions")
I18N(T_P_CLOSED_SHORT, "Эта акция уже завершена. Спасибо, что хотели помочь!",
    "This action is over. Thank you for wanting to help!")
I18N(T_P_GONE_SHORT, "Этой акции больше нет.", "This action no longer exists.")
I18N(T_P_PRIVATE, "Напишите мне в личные сообщения, там и пообещаете помощь.",
    "Please write to me in a private chat to pledge help.")
I18N(T_P_NEEDS_NOTHING,
    "Акции «%s» не нужны пожертвования через бота — приходите и "
    "поддержите её лично!",
    "The action «%s» takes no pledges through the bot — come and support "
    "it in person!")
I18N(T_P_NOT_WANTED, "Акция «%s» не собирает %s. Ей нужно: %s.",
    "The action «%s» does not collect %s. It needs: %s.")
I18N(T_W_MONEY, "деньги", "money")
I18N(T_W_GOODS, "вещи", "goods")
I18N(T_W_TIME, "волонтёров", "volunteers")
I18N(T_W_MONEY_HOW, "деньги (/pledge %lld 500)", "money (/pledge %lld 500)")
I18N(T_W_GOODS_HOW, "вещи (/pledge %lld 5 %s)", "goods (/pledge %lld 5 %s)")
I18N(T_W_TIME_HOW, "волонтёры (/pledge %lld время)",
    "volunteers (/pledge %lld time)")
I18N(T_P_UNKNOWN_ITEM,
    "В акции «%s» нет «%s». Нужно:\n%sНапример: /pledge %lld 5 %s",
    "The action «%s» does not need «%s». It needs:\n%sFor example: "
    "/pledge %lld 5 %s")
I18N(T_P_AMBIGUOUS_ITEM,
    "«%s» подходит к нескольким вещам. Напишите точнее — нужно:\n%s",
    "«%s» matches several things. Please be more precise — it needs:\n%s")
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
I18N(T_P_TOO_MANY,
    "Слишком много обещаний за минуту (можно не больше %d). Передохните "
    "минутку и попробуйте снова 🙂",
    "Too many pledges in a minute (at most %d). Take a minute's rest and "
    "try again 🙂")
I18N(T_P_ALREADY_VOLUNTEER,
    "Вы уже записаны волонтёром на акцию «%s» (обещание №%lld). Спасибо! "
    "Ваши обещания — /my",
    "You have already signed up to volunteer for «%s» (pledge #%lld). "
    "Thank you! Your pledges — /my")
I18N(T_P_DUPLICATE, "Это обещание уже записано: №%lld. Ваши обещания — /my",
    "This pledge is already recorded: #%lld. Your pledges — /my")
I18N(T_P_DONE,
    "🙏 Спасибо, записал! Обещание №%lld для акции «%s»: %s.\n%s%s\n"
    "<b>Сейчас у акции</b>\n%s\nВаши обещания — /my, отменить это — "
    "/unpledge %lld",
    "🙏 Thank you, recorded! Pledge #%lld for «%s»: %s.\n%s%s\n"
    "<b>The action now</b>\n%s\nYour pledges — /my, take this one back — "
    "/unpledge %lld")
I18N(T_P_SHOWN_AS, "В списке помощников вы — «%s».\n",
    "In the list of helpers you are «%s».\n")
I18N(T_P_SHOWN_ANON, "Вы помогаете анонимно: имя никто не увидит.\n",
    "You help anonymously: nobody will see your name.\n")
I18N(T_P_WHERE, "📍 Куда прийти: %s\n", "📍 Where to come: %s\n")
I18N(T_P_WHEN, "🗓 Когда: %s\n", "🗓 When: %s\n")

I18N(T_ASK_KIND, "Как вы хотите помочь акции «%s»?",
    "How would you like to help «%s»?")
I18N(T_B_KIND_MONEY, "💰 Деньгами", "💰 With money")
I18N(T_B_KIND_GOODS, "📦 Вещами", "📦 With goods")
I18N(T_B_KIND_TIME, "🙋 Своим временем", "🙋 With my time")
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
I18N(T_E_QTY, "Напишите количество числом от 1 до %d, например: <i>3</i>.",
    "Please write the quantity as a number from 1 to %d, for example: "
    "<i>3</i>.")
I18N(T_E_NEED_BUTTONS,
    "Выберите вещь кнопкой или напишите её название, например: <i>%s</i>.",
    "Tap a button or write the thing's name, for example: <i>%s</i>.")
I18N(T_ASK_NAME,
    "Как показать вас в списке помощников? Организаторы и другие "
    "участники увидят только это.",
    "How should we show you in the list of helpers? Organisers and other "
    "participants will see only this.")
I18N(T_B_ANON, "🕶 Анонимно", "🕶 Anonymously")
I18N(T_E_NAME_BUTTONS,
    "Нажмите кнопку: с именем или анонимно. Можно и написать: "
    "<i>анонимно</i>.",
    "Tap a button: with your name or anonymously. You can also write: "
    "<i>anonymously</i>.")
I18N(T_E_AMOUNT_TEXT, "%s", "%s")

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
I18N(T_PLEDGES_TOTAL, "\n<b>Итого</b>\n%s",
    "\n<b>Totals</b>\n%s")
I18N(T_PLEDGES_FOOT,
    "\nОтметить полученное: /received <i>номер</i> [сколько пришло]",
    "\nRecord what came: /received <i>number</i> [how much came]")


/* ---- shared checks ---- */

/* What the action asks for, as a sentence part with examples. */
static void
wanted_list(struct handler_ctx *ctx, const struct action *a, struct buf *out)
{
	long long id = (long long)a->id;
	if (action_wants(a, PLEDGE_MONEY))
		i18n_appendp(out, ctx->lang, &T_W_MONEY_HOW, id);
	if (action_wants(a, PLEDGE_GOODS)) {
		if (out->len > 0)
			buf_puts(out, ", ");
		struct buf item = BUF_INIT;
		html_escape(&item, a->needs[0].item);
		i18n_appendp(out, ctx->lang, &T_W_GOODS_HOW, id, buf_str(&item));
		buf_release(&item);
	}
	if (action_wants(a, PLEDGE_TIME)) {
		if (out->len > 0)
			buf_puts(out, ", ");
		i18n_appendp(out, ctx->lang, &T_W_TIME_HOW, id);
	}
}

/* "• тёплые одеяла — 20 шт (обещано 12)" lines. */
static void
needs_list(const struct action *a, struct buf *out)
{
	for (size_t i = 0; i < a->n_needs; i++) {
		buf_puts(out, "• ");
		html_escape(out, a->needs[i].item);
		buf_puts(out, " — ");
		quantity_append(out, a->needs[i].quantity, a->needs[i].unit);
		buf_putc(out, '\n');
	}
}

static int
refuse_not_wanted(struct handler_ctx *ctx, const struct action *a,
    enum pledge_kind kind)
{
	const struct i18n_pair *what = kind == PLEDGE_MONEY ? &T_W_MONEY :
	    kind == PLEDGE_GOODS ? &T_W_GOODS : &T_W_TIME;
	struct buf t = BUF_INIT, w = BUF_INIT;
	html_escape_quoted(&t, a->title);
	wanted_list(ctx, a, &w);
	int rc;
	if (w.len == 0)
		rc = reply_text(ctx, NULL, &T_P_NEEDS_NOTHING, buf_str(&t));
	else
		rc = reply_text(ctx, NULL, &T_P_NOT_WANTED, buf_str(&t),
		    tr(ctx, what), buf_str(&w));
	buf_release(&t);
	buf_release(&w);
	return rc;
}

static int
refuse_closed(struct handler_ctx *ctx, const struct action *a)
{
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	int rc = reply_text(ctx, NULL, &T_P_CLOSED, buf_str(&t));
	buf_release(&t);
	return rc;
}

/* 1 when the citizen may pledge now; 0 when over the per-minute limit
 * (answered). */
static int
rate_ok(struct handler_ctx *ctx)
{
	int limit = ctx->cfg->limits.pledges_per_min;
	int n = pledges_count_since(ctx->st, ctx->user.id, ctx->now_ms - 60000);
	if (n < 0)
		return handler_fail(ctx, "cannot count pledges");
	if (limit > 0 && n >= limit)
		return reply_text(ctx, NULL, &T_P_TOO_MANY, limit) < 0 ? -1 : 0;
	return 1;
}

static int commit_pledge_checked(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous,
    bool ask_if_repeat);

/* Records the pledge and confirms it with the action's progress. The
 * action must be loaded, open, and want this kind of help. */
static int
commit_pledge(struct handler_ctx *ctx, struct action *a, enum pledge_kind kind,
    int64_t need_id, int64_t amount, bool anonymous)
{
	return commit_pledge_checked(ctx, a, kind, need_id, amount, anonymous,
	    true);
}

/* As commit_pledge; with ask_if_repeat, the same pledge made minutes ago
 * is asked about first (handlers/pledge_care.c). */
static int
commit_pledge_checked(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous,
    bool ask_if_repeat)
{
	/* A redelivered update that already made its pledge hears so before
	 * any other check (the rate limit would count that very pledge). */
	int64_t made = ctx->update_id != 0 ?
	    pledges_of_update(ctx->st, ctx->update_id) : 0;
	if (made < 0)
		return handler_fail(ctx, "cannot look up the pledge");
	if (made > 0)
		return reply_text(ctx, NULL, &T_P_DUPLICATE, (long long)made);
	int rc = rate_ok(ctx);
	if (rc <= 0)
		return rc;
	/* A quick /pledge that does not say «анонимно»: as the person chose
	 * once; «аноним» until they answer the question that comes with the
	 * confirmation (handlers/privacy.c). */
	int remembered = anonymous ? 0 :
	    strcmp(ctx->cmd.name, "pledge") != 0 ? 1 :
	    privacy_shown(ctx->st, ctx->user.id);
	if (remembered < -1)
		return handler_fail(ctx, "cannot read how to show a person");
	anonymous = remembered != 1;
	if (kind == PLEDGE_TIME) {
		int64_t existing = pledges_find_volunteer(ctx->st, a->id,
		    ctx->user.id);
		if (existing < 0)
			return handler_fail(ctx, "cannot look up volunteers");
		if (existing > 0) {
			struct buf t = BUF_INIT;
			html_escape_quoted(&t, a->title);
			rc = reply_text(ctx, NULL, &T_P_ALREADY_VOLUNTEER,
			    buf_str(&t), (long long)existing);
			buf_release(&t);
			return rc;
		}
	}
	if (ask_if_repeat && kind != PLEDGE_TIME) {
		rc = pledge_ask_if_repeat(ctx, a, kind, need_id, amount,
		    anonymous);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	struct pledge p;
	memset(&p, 0, sizeof p);
	p.action_id = a->id;
	p.user_id = ctx->user.id;
	p.kind = kind;
	p.need_id = need_id;
	p.amount = amount;
	p.anonymous = anonymous;
	p.display_name = pledge_public_name(ctx->callback ?
	    json_object_get(ctx->callback, "from") :
	    json_object_get(ctx->message, "from"));
	bool duplicate = false;
	int64_t id = pledges_insert(ctx->st, &p, ctx->update_id, ctx->now_ms,
	    &duplicate);
	free(p.display_name);
	if (id < 0)
		return handler_fail(ctx, "cannot record the pledge");
	if (duplicate)
		return reply_text(ctx, NULL, &T_P_DUPLICATE, (long long)id);

	struct pledge stored;
	struct action now;
	if (pledges_load(ctx->st, id, &stored) != 1)
		return handler_fail(ctx, "pledge %lld vanished", (long long)id);
	if (actions_load(ctx->st, a->id, &now) != 1) {
		pledge_release(&stored);
		return handler_fail(ctx, "action %lld vanished",
		    (long long)a->id);
	}
	struct buf what = BUF_INIT, title = BUF_INIT, shown = BUF_INIT;
	struct buf extra = BUF_INIT, progress = BUF_INIT;
	pledge_describe(&what, &stored, ctx->lang);
	html_escape_quoted(&title, now.title);
	json_t *ask = remembered == -1 ?
	    privacy_shown_keyboard(ctx, &stored) : NULL;
	if (ask != NULL) {
		privacy_shown_question(ctx, &shown);
	} else if (anonymous) {
		i18n_appendp(&shown, ctx->lang, &T_P_SHOWN_ANON);
	} else {
		struct buf name = BUF_INIT;
		pledge_display_name(&name, &stored, ctx->lang);
		i18n_appendp(&shown, ctx->lang, &T_P_SHOWN_AS, buf_str(&name));
		buf_release(&name);
	}
	if (kind == PLEDGE_MONEY) {
		action_money_how(&extra, &now, ctx->lang);
	} else {
		if (now.starts_at > 0) {
			struct buf w = BUF_INIT;
			when_format(&w, (time_t)now.starts_at, ctx->lang);
			i18n_appendp(&extra, ctx->lang, &T_P_WHEN, buf_str(&w));
			buf_release(&w);
		}
		if (now.place != NULL) {
			struct buf w = BUF_INIT;
			html_escape(&w, now.place);
			i18n_appendp(&extra, ctx->lang, &T_P_WHERE, buf_str(&w));
			buf_release(&w);
		}
	}
	pledge_covered_note(&extra, &now, &stored, ctx->lang);
	action_render_progress(&progress, &now, ctx->lang);
	rc = reply_text(ctx, ask, &T_P_DONE, (long long)id, buf_str(&title),
	    buf_str(&what), buf_str(&shown), buf_str(&extra),
	    buf_str(&progress), (long long)id);
	json_decref(ask);
	buf_release(&what);
	buf_release(&title);
	buf_release(&shown);
	buf_release(&extra);
	buf_release(&progress);
	pledge_release(&stored);
	action_release(&now);
	return rc;
}

/* Finds the need a citizen names: 0 found (*idx), 1 refused (answered). */
static int
match_need(struct handler_ctx *ctx, const struct action *a, const char *query,
    size_t *idx)
{
	const char **items = xcalloc(a->n_needs, sizeof *items);
	for (size_t i = 0; i < a->n_needs; i++)
		items[i] = a->needs[i].item;
	int m = goods_match(query, items, a->n_needs);
	free(items);
	if (m >= 0) {
		*idx = (size_t)m;
		return 0;
	}
	struct buf t = BUF_INIT, q = BUF_INIT, list = BUF_INIT, ex = BUF_INIT;
	html_escape_quoted(&t, a->title);
	html_escape(&q, query);
	needs_list(a, &list);
	html_escape(&ex, a->needs[0].item);
	if (m == -2)
		reply_text(ctx, NULL, &T_P_AMBIGUOUS_ITEM, buf_str(&q),
		    buf_str(&list));
	else
		reply_text(ctx, NULL, &T_P_UNKNOWN_ITEM, buf_str(&t), buf_str(&q),
		    buf_str(&list), (long long)a->id, buf_str(&ex));
	buf_release(&t);
	buf_release(&q);
	buf_release(&list);
	buf_release(&ex);
	return 1;
}

/* ---- /pledge <action> <what> ---- */

static bool
word_in(const char *folded, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(folded, words[i]) == 0)
			return true;
	return false;
}

static const char *const time_words[] = {"time", "время", "временем",
    "волонтер", "волонтером", "volunteer", "волонтерство", "приду"};
static const char *const anon_words[] = {"анонимно", "аноним", "anonymous",
    "anonymously", "anon", "инкогнито"};

/* Splits a trailing "анонимно" off the (trimmed, new) text. */
static bool
strip_anonymous(char *text)
{
	char *sp = strrchr(text, ' ');
	const char *last = sp ? sp + 1 : text;
	char *f = utf8_casefold(last);
	bool anon = word_in(f, anon_words, sizeof anon_words / sizeof *anon_words);
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

static int begin_flow(struct handler_ctx *ctx, struct action *a, char kind);

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
		if (match_need(ctx, a, g[parsed].item, &idx[parsed]) != 0)
			all_known = false;
	}
	int64_t update_id = ctx->update_id;
	int64_t made = update_id != 0 ? pledges_of_update(ctx->st, update_id) :
	    0;
	if (made < 0)
		*rc = handler_fail(ctx, "cannot look up the pledge");
	for (size_t i = 0; all_known && made >= 0 && i < n && *rc == 0; i++) {
		if (i > 0)
			ctx->update_id = 0;
		*rc = commit_pledge(ctx, a, PLEDGE_GOODS, a->needs[idx[i]].id,
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
		rc = begin_flow(ctx, a, 0);
	} else if (word_in(folded, time_words,
	    sizeof time_words / sizeof *time_words)) {
		rc = action_wants(a, PLEDGE_TIME) ?
		    commit_pledge(ctx, a, PLEDGE_TIME, 0, 1, anonymous) :
		    refuse_not_wanted(ctx, a, PLEDGE_TIME);
	} else if (money_parse(text, ctx->cfg->max_pledge_kopecks, &amount,
	    &merr) == 0) {
		rc = action_wants(a, PLEDGE_MONEY) ?
		    commit_pledge(ctx, a, PLEDGE_MONEY, 0, amount, anonymous) :
		    refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	} else if (merr != MONEY_NOT_A_NUMBER || money_looks_like(text)) {
		/* A money attempt ("50 тыщ руб") gets a money answer, never
		 * one about goods. */
		if (!action_wants(a, PLEDGE_MONEY)) {
			rc = refuse_not_wanted(ctx, a, PLEDGE_MONEY);
		} else {
			struct buf e = BUF_INIT;
			money_refusal(&e, merr, ctx->cfg->max_pledge_kopecks,
			    ctx->lang);
			rc = reply_text(ctx, NULL, &T_P_MONEY_ERROR, buf_str(&e),
			    (long long)a->id);
			buf_release(&e);
		}
	} else if (pledge_goods_list(ctx, a, text, anonymous, &rc)) {
		/* answered */
	} else if (goods_parse_line(text, ACTION_QUANTITY_MAX, &g, &gerr) == 0) {
		size_t idx;
		if (!action_wants(a, PLEDGE_GOODS))
			rc = refuse_not_wanted(ctx, a, PLEDGE_GOODS);
		else if (match_need(ctx, a, g.item, &idx) == 0)
			rc = commit_pledge(ctx, a, PLEDGE_GOODS, a->needs[idx].id,
			    g.quantity, anonymous);
		goods_line_release(&g);
	} else if (action_wants(a, PLEDGE_GOODS) &&
	    gerr != GOODS_NO_QUANTITY) {
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
		if (match_need(ctx, a, text, &idx) == 0) {
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
		rc = refuse_not_wanted(ctx, a, PLEDGE_MONEY);
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
	int rc = action_from_args(ctx, &T_PLEDGE_USAGE, &a, &rest);
	if (rc <= 0)
		return rc;
	if (a.closed)
		rc = refuse_closed(ctx, &a);
	else
		rc = pledge_command(ctx, &a, rest);
	action_release(&a);
	return rc;
}

/* ---- the guided flow ---- */

static int
flow_save(struct handler_ctx *ctx, const char *step, json_t *d)
{
	if (conversation_save(ctx->st, ctx->user.id, ctx->chat_id, "pledge",
	    step, d, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot save the conversation");
	return 0;
}

static int
ask_name(struct handler_ctx *ctx, json_t *d)
{
	if (flow_save(ctx, "name", d) < 0)
		return -1;
	/* The button shows the name as plain text (buttons are not HTML):
	 * what public views will show, "Иван П.". */
	json_t *from = ctx->callback ? json_object_get(ctx->callback, "from") :
	    json_object_get(ctx->message, "from");
	char *name = pledge_public_name(from);
	struct buf label = BUF_INIT;
	buf_puts(&label, "👤 ");
	buf_puts(&label, name ? name : "?");
	free(name);
	json_t *kb = json_pack("{s:[[{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", buf_str(&label), "callback_data", "pf:v:1",
	    "text", tr(ctx, &T_B_ANON), "callback_data", "pf:v:0");
	int rc = reply_text(ctx, kb, &T_ASK_NAME);
	json_decref(kb);
	buf_release(&label);
	return rc;
}

static int
ask_amount(struct handler_ctx *ctx, const struct action *a, json_t *d)
{
	if (flow_save(ctx, "amount", d) < 0)
		return -1;
	static const int64_t quick[] = {30000, 50000, 100000, 300000};
	json_t *row = json_array();
	for (size_t i = 0; i < sizeof quick / sizeof quick[0]; i++) {
		struct buf label = BUF_INIT;
		money_format(&label, quick[i]);
		char data[32];
		snprintf(data, sizeof data, "pf:a:%lld", (long long)quick[i]);
		json_array_append_new(row, json_pack("{s:s, s:s}", "text",
		    buf_str(&label), "callback_data", data));
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

static int
ask_quantity(struct handler_ctx *ctx, const struct action_need *n, json_t *d)
{
	json_object_set_new(d, "n", json_integer((json_int_t)n->id));
	if (flow_save(ctx, "qty", d) < 0)
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

static int
ask_need(struct handler_ctx *ctx, const struct action *a, json_t *d)
{
	if (a->n_needs == 1)
		return ask_quantity(ctx, &a->needs[0], d);
	if (flow_save(ctx, "need", d) < 0)
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
		json_array_append_new(rows, json_pack("[{s:s, s:s}]", "text",
		    buf_str(&label), "callback_data", data));
		buf_release(&label);
	}
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	struct buf t = BUF_INIT, list = BUF_INIT;
	html_escape_quoted(&t, a->title);
	buf_putc(&list, '\n');
	needs_list(a, &list);
	int rc = reply_text(ctx, kb, &T_ASK_NEED, buf_str(&t), buf_str(&list));
	buf_release(&t);
	buf_release(&list);
	json_decref(kb);
	return rc;
}

/* Goes on with a chosen kind ('m', 'g' or 't'). */
static int
flow_kind(struct handler_ctx *ctx, struct action *a, char kind)
{
	json_t *d = json_pack("{s:I, s:s#}", "a", (json_int_t)a->id, "k",
	    &kind, (int)1);
	int rc;
	if (kind == 'm') {
		rc = action_wants(a, PLEDGE_MONEY) ? ask_amount(ctx, a, d) :
		    refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	} else if (kind == 'g') {
		rc = action_wants(a, PLEDGE_GOODS) ? ask_need(ctx, a, d) :
		    refuse_not_wanted(ctx, a, PLEDGE_GOODS);
	} else if (!action_wants(a, PLEDGE_TIME)) {
		rc = refuse_not_wanted(ctx, a, PLEDGE_TIME);
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
			rc = ask_name(ctx, d);
		}
	}
	json_decref(d);
	return rc;
}

/* Starts the guided flow for an open action: asks the kind of help when
 * the action wants more than one (kind 0), else goes straight on. */
static int
begin_flow(struct handler_ctx *ctx, struct action *a, char kind)
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
		return refuse_not_wanted(ctx, a, PLEDGE_MONEY);
	if (n == 1)
		return flow_kind(ctx, a, kinds[0]);
	json_t *d = json_pack("{s:I}", "a", (json_int_t)a->id);
	int rc = flow_save(ctx, "kind", d);
	json_decref(d);
	if (rc < 0)
		return rc;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct i18n_pair *label = kinds[i] == 'm' ?
		    &T_B_KIND_MONEY : kinds[i] == 'g' ? &T_B_KIND_GOODS :
		    &T_B_KIND_TIME;
		char data[8];
		snprintf(data, sizeof data, "pf:k:%c", kinds[i]);
		json_array_append_new(rows, json_pack("[{s:s, s:s}]", "text",
		    tr(ctx, label), "callback_data", data));
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
		return handler_fail(ctx, "cannot load action %lld", (long long)id);
	if (rc == 1 && !a->closed)
		return 1;
	bool closed = rc == 1;
	if (rc == 1 && ctx->callback == NULL)
		rc = refuse_closed(ctx, a);
	else if (ctx->callback != NULL)
		rc = answer_callback(ctx, tr(ctx, closed ? &T_P_CLOSED_SHORT :
		    &T_P_GONE_SHORT), false);
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
		return reply_text(ctx, NULL, &T_PLEDGE_USAGE);
	struct action a;
	int rc = flow_action(ctx, id, &a);
	if (rc <= 0)
		return rc;
	rc = begin_flow(ctx, &a, kind);
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
		return answer_callback(ctx, i18n_text(ctx->lang,
		    MSG_BUTTON_STALE), false);
	memcpy(target, ctx->cb_args, n);
	target[n] = colon[1];
	target[n + 1] = '\0';
	int64_t id;
	char kind;
	if (parse_target(target, &id, &kind) < 0 || kind == 0)
		return answer_callback(ctx, i18n_text(ctx->lang,
		    MSG_BUTTON_STALE), false);
	struct action a;
	int rc = flow_action(ctx, id, &a);
	if (rc <= 0)
		return rc;
	rc = begin_flow(ctx, &a, kind);
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

static const struct action_need *
need_by_id(const struct action *a, int64_t id)
{
	for (size_t i = 0; i < a->n_needs; i++)
		if (a->needs[i].id == id)
			return &a->needs[i];
	return NULL;
}

/* The last step: records the pledge from the draft. */
static int
flow_finish(struct handler_ctx *ctx, struct action *a, bool anonymous)
{
	json_t *d = ctx->conv.draft;
	const char *k = json_string_value(json_object_get(d, "k"));
	int64_t amount = json_integer_value(json_object_get(d, "amt"));
	int64_t need = json_integer_value(json_object_get(d, "n"));
	enum pledge_kind kind = k == NULL ? PLEDGE_MONEY : *k == 'g' ?
	    PLEDGE_GOODS : *k == 't' ? PLEDGE_TIME : PLEDGE_MONEY;
	if (k == NULL || amount <= 0 ||
	    (kind == PLEDGE_GOODS && need_by_id(a, need) == NULL)) {
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
		return answer_callback(ctx, i18n_text(ctx->lang,
		    MSG_BUTTON_STALE), false);
	}
	if (!action_wants(a, kind)) {
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
		return refuse_not_wanted(ctx, a, kind);
	}
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	return commit_pledge(ctx, a, kind, kind == PLEDGE_GOODS ? need : 0,
	    amount, anonymous);
}

static int
flow_amount(struct handler_ctx *ctx, struct action *a, int64_t kopecks)
{
	json_t *d = ctx->conv.draft;
	json_object_set_new(d, "amt", json_integer((json_int_t)kopecks));
	(void)a;
	return ask_name(ctx, d);
}

/* "pf:k:<m|g|t>", "pf:a:<kopecks>", "pf:n:<need>", "pf:v:<1 named|0>". */
int
pledge_on_flow_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	const char *step = ctx->conv.step;
	if (ctx->conv.flow == NULL || strcmp(ctx->conv.flow, "pledge") != 0 ||
	    strlen(args) < 3 || args[1] != ':')
		return answer_callback(ctx, i18n_text(ctx->lang,
		    MSG_BUTTON_STALE), false);
	char what = args[0];
	const char *v = args + 2;
	static const char *const expected[] = {"k", "kind", "a", "amount",
	    "n", "need", "v", "name"};
	bool fits = false;
	for (size_t i = 0; i < 8; i += 2)
		fits = fits || (what == expected[i][0] &&
		    strcmp(step, expected[i + 1]) == 0);
	if (!fits)
		return answer_callback(ctx, i18n_text(ctx->lang,
		    MSG_BUTTON_STALE), false);
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
			rc = answer_callback(ctx, i18n_text(ctx->lang,
			    MSG_BUTTON_STALE), false);
		break;
	case 'a':
		if (number && n > 0 && n <= ctx->cfg->max_pledge_kopecks)
			rc = flow_amount(ctx, &a, n);
		else
			rc = answer_callback(ctx, i18n_text(ctx->lang,
			    MSG_BUTTON_STALE), false);
		break;
	case 'n': {
		const struct action_need *need = number ? need_by_id(&a, n) :
		    NULL;
		if (need != NULL)
			rc = ask_quantity(ctx, need, ctx->conv.draft);
		else
			rc = answer_callback(ctx, i18n_text(ctx->lang,
			    MSG_BUTTON_STALE), false);
		break;
	}
	default:
		if (number && (n == 0 || n == 1))
			rc = flow_finish(ctx, &a, n == 0);
		else
			rc = answer_callback(ctx, i18n_text(ctx->lang,
			    MSG_BUTTON_STALE), false);
		break;
	}
	action_release(&a);
	return rc;
}

static const char *const named_words[] = {"с именем", "имя", "да",
    "показать", "показывать", "name", "with my name", "yes"};

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
		if (money_parse(text, ctx->cfg->max_pledge_kopecks, &k, &err) == 0) {
			rc = flow_amount(ctx, &a, k);
		} else {
			struct buf e = BUF_INIT;
			money_refusal(&e, err, ctx->cfg->max_pledge_kopecks,
			    ctx->lang);
			rc = reply_text(ctx, NULL, &T_E_AMOUNT_TEXT, buf_str(&e));
			buf_release(&e);
		}
	} else if (strcmp(step, "need") == 0) {
		size_t idx;
		struct goods_line g;
		enum goods_error gerr;
		if (goods_parse_line(text, ACTION_QUANTITY_MAX, &g, &gerr) == 0) {
			/* "3 одеяла": the good and how many at once. */
			if (match_need(ctx, &a, g.item, &idx) == 0) {
				json_object_set_new(d, "n", json_integer(
				    (json_int_t)a.needs[idx].id));
				json_object_set_new(d, "amt", json_integer(
				    (json_int_t)g.quantity));
				rc = ask_name(ctx, d);
			}
			goods_line_release(&g);
		} else if (*text == '\0') {
			struct buf ex = BUF_INIT;
			html_escape(&ex, a.needs[0].item);
			rc = reply_text(ctx, NULL, &T_E_NEED_BUTTONS, buf_str(&ex));
			buf_release(&ex);
		} else if (match_need(ctx, &a, text, &idx) == 0) {
			rc = ask_quantity(ctx, &a.needs[idx], d);
		}
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
			rc = ask_name(ctx, d);
		} else {
			rc = reply_text(ctx, NULL, &T_E_QTY, ACTION_QUANTITY_MAX);
		}
	} else if (strcmp(step, "name") == 0) {
		if (word_in(folded, anon_words,
		    sizeof anon_words / sizeof *anon_words))
			rc = flow_finish(ctx, &a, true);
		else if (word_in(folded, named_words,
		    sizeof named_words / sizeof *named_words))
			rc = flow_finish(ctx, &a, false);
		else
			rc = reply_text(ctx, NULL, &T_E_NAME_BUTTONS);
	} else {
		/* "kind": the buttons, or words. */
		if (word_in(folded, time_words,
		    sizeof time_words / sizeof *time_words))
			rc = flow_kind(ctx, &a, 't');
		else if (strstr(folded, "деньг") != NULL ||
		    strcmp(folded, "money") == 0)
			rc = flow_kind(ctx, &a, 'm');
		else if (strstr(folded, "вещ") != NULL ||
		    strcmp(folded, "goods") == 0)
			rc = flow_kind(ctx, &a, 'g');
		else
			rc = begin_flow(ctx, &a, 0);
	}
	free(folded);
	free(text);
	action_release(&a);
	return rc;
}

/* ---- withdrawing ---- */

int
pledge_withdraw_own(struct handler_ctx *ctx, int64_t pledge_id,
    struct buf *why)
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
		i18n_appendp(b, ctx->lang, &T_PLEDGES_TOTAL, buf_str(&progress));
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
		if (orgs_open_actions(ctx->st, orgs[i].id, PLEDGES_ORG_MAX, &ids,
		        &n) < 0)
			rc = -1;
		struct buf name = BUF_INIT;
		html_escape(&name, orgs[i].name);
		if (rc == 0)
			i18n_appendp(&b, ctx->lang, &T_PLEDGES_ORG, buf_str(&name),
			    n);
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

int
pledge_commit_again(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous)
{
	if (a->closed)
		return refuse_closed(ctx, a);
	if (!action_wants(a, kind) ||
	    (kind == PLEDGE_GOODS && need_by_id(a, need_id) == NULL))
		return refuse_not_wanted(ctx, a, kind);
	return commit_pledge_checked(ctx, a, kind, need_id, amount, anonymous,
	    false);
}
