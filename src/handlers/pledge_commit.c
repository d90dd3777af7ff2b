/* Recording a pledge, shared by the /pledge command, the guided flow and
 * the «add it anyway» button: what the action asks for, the refusals
 * (closed, not wanted, too many pledges), the repeat check and the
 * confirmation with the action's progress. */
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

I18N(T_PC_KEPT_ONE, "Хорошо, оставил одно обещание. Ваши обещания — /my",
    "OK, I kept just one. Your pledges — /my")
I18N(T_P_CLOSED,
    "Акция «%s» уже завершена — спасибо, что хотели помочь! Открытые "
    "акции — /actions",
    "The action «%s» is over — thank you for wanting to help! Open "
    "actions — /actions")
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
		i18n_appendp(out, ctx->lang, &T_W_GOODS_HOW, id,
		    buf_str(&item));
		buf_release(&item);
	}
	if (action_wants(a, PLEDGE_TIME)) {
		if (out->len > 0)
			buf_puts(out, ", ");
		i18n_appendp(out, ctx->lang, &T_W_TIME_HOW, id);
	}
}

/* "• тёплые одеяла — 20 шт (обещано 12)" lines. */
void
pledge_needs_list(const struct action *a, struct buf *out)
{
	for (size_t i = 0; i < a->n_needs; i++) {
		buf_puts(out, "• ");
		html_escape(out, a->needs[i].item);
		buf_puts(out, " — ");
		quantity_append(out, a->needs[i].quantity, a->needs[i].unit);
		buf_putc(out, '\n');
	}
}

int
pledge_refuse_not_wanted(struct handler_ctx *ctx, const struct action *a,
    enum pledge_kind kind)
{
	const struct i18n_pair *what = kind == PLEDGE_MONEY ? &T_W_MONEY
	    : kind == PLEDGE_GOODS                          ? &T_W_GOODS
	                                                    : &T_W_TIME;
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

int
pledge_refuse_closed(struct handler_ctx *ctx, const struct action *a)
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

static int pledge_commit_checked(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous,
    bool ask_if_repeat);

/* Records the pledge and confirms it with the action's progress. The
 * action must be loaded, open, and want this kind of help. */
int
pledge_commit(struct handler_ctx *ctx, struct action *a, enum pledge_kind kind,
    int64_t need_id, int64_t amount, bool anonymous)
{
	return pledge_commit_checked(ctx, a, kind, need_id, amount, anonymous,
	    true);
}

/* As pledge_commit; with ask_if_repeat, the same pledge made minutes ago
 * is asked about first (handlers/pledge_care.c). */
static int
pledge_commit_checked(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous,
    bool ask_if_repeat)
{
	/* A redelivered update that already made its pledge hears so before
	 * any other check (the rate limit would count that very pledge). */
	int64_t made = ctx->update_id != 0
	    ? pledges_of_update(ctx->st, ctx->update_id)
	    : 0;
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
	int remembered = anonymous ? 0
	    : strcmp(ctx->cmd.name, "pledge") != 0
	    ? 1
	    : privacy_shown(ctx->st, ctx->user.id);
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
	p.display_name = pledge_public_name(ctx->callback
	        ? json_object_get(ctx->callback, "from")
	        : json_object_get(ctx->message, "from"));
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
	json_t *ask = remembered == -1 ? privacy_shown_keyboard(ctx, &stored)
	                               : NULL;
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
			i18n_appendp(&extra, ctx->lang, &T_P_WHERE,
			    buf_str(&w));
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
int
pledge_match_need(struct handler_ctx *ctx, const struct action *a,
    const char *query, size_t *idx)
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
	pledge_needs_list(a, &list);
	html_escape(&ex, a->needs[0].item);
	if (m == -2)
		reply_text(ctx, NULL, &T_P_AMBIGUOUS_ITEM, buf_str(&q),
		    buf_str(&list));
	else
		reply_text(ctx, NULL, &T_P_UNKNOWN_ITEM, buf_str(&t),
		    buf_str(&q), buf_str(&list), (long long)a->id,
		    buf_str(&ex));
	buf_release(&t);
	buf_release(&q);
	buf_release(&list);
	buf_release(&ex);
	return 1;
}

const struct action_need *
pledge_need_by_id(const struct action *a, int64_t id)
{
	for (size_t i = 0; i < a->n_needs; i++)
		if (a->needs[i].id == id)
			return &a->needs[i];
	return NULL;
}

int
pledge_commit_again(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous)
{
	if (a->closed)
		return pledge_refuse_closed(ctx, a);
	if (!action_wants(a, kind) ||
	    (kind == PLEDGE_GOODS && pledge_need_by_id(a, need_id) == NULL))
		return pledge_refuse_not_wanted(ctx, a, kind);
	return pledge_commit_checked(ctx, a, kind, need_id, amount, anonymous,
	    false);
}

static const char *const time_words[] = {"time", "время", "временем",
    "волонтер", "волонтером", "volunteer", "волонтерство", "приду"};
static const char *const anon_words[] = {
    "анонимно", "аноним", "anonymous", "anonymously", "anon", "инкогнито"};

bool
pledge_word_in(const char *folded, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(folded, words[i]) == 0)
			return true;
	return false;
}

bool
pledge_is_time_word(const char *folded)
{
	return pledge_word_in(folded, time_words,
	    sizeof time_words / sizeof *time_words);
}

bool
pledge_is_anonymous_word(const char *folded)
{
	return pledge_word_in(folded, anon_words,
	    sizeof anon_words / sizeof *anon_words);
}

/* The next number of "pd:" data and the ':' after it. */
static int
next_number(const char **s, long long *out)
{
	errno = 0;
	char *end;
	long long v = strtoll(*s, &end, 10);
	if (errno != 0 || end == *s || v < 0 || (*end != ':' && *end != '\0'))
		return -1;
	*out = v;
	*s = *end == ':' ? end + 1 : end;
	return 0;
}

/* "pd:..." on the repeat question (handlers/pledge_care.c): add it anyway
 * or keep one. */
int
pledge_repeat_on_button(struct handler_ctx *ctx)
{
	const char *s = ctx->cb_args;
	if (strcmp(s, "no") == 0)
		return reply_text(ctx, NULL, &T_PC_KEPT_ONE);
	long long id, need, amount, anon;
	char kind = 0;
	bool ok = next_number(&s, &id) == 0 && (*s == 'm' || *s == 'g') &&
	    s[1] == ':';
	if (ok) {
		kind = *s;
		s += 2;
		ok = next_number(&s, &need) == 0 &&
		    next_number(&s, &amount) == 0 &&
		    next_number(&s, &anon) == 0 && *s == '\0' && amount > 0 &&
		    anon <= 1;
	}
	if (!ok)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	/* The amount comes back from a button: the limits apply again. */
	if (kind == 'm' && amount > ctx->cfg->max_pledge_kopecks)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct action a;
	int rc = actions_load(ctx->st, id, &a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action");
	if (rc == 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	rc = pledge_commit_again(ctx, &a,
	    kind == 'g' ? PLEDGE_GOODS : PLEDGE_MONEY, kind == 'g' ? need : 0,
	    amount, anon == 1);
	action_release(&a);
	return rc;
}
