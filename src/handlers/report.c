/* What help achieved, for everyone to see. /report <action>: the public
 * progress of an action — goal, received, promised but not yet received,
 * each good, volunteers and their hours, and who helps, named only as each
 * contributor allowed. And the closing report: when an organiser closes an
 * action, the leaders' group and every citizen who pledged hear how it
 * ended, with the final totals and, if the organiser sent one, a photo. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/text/split.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"

#define BAR_WIDTH 10
/* Contributors listed by name in /report; the rest are counted. */
#define REPORT_NAMES_MAX 30

I18N(T_REPORT_USAGE,
    "Напишите номер акции, например: /report 12 — покажу, сколько собрано "
    "и кто помогает.\nОткрытые акции — /actions",
    "Please give the action's number, for example: /report 12 — I will show "
    "what has been collected and who helps.\nOpen actions — /actions")
I18N(T_RP_HEAD, "📊 <b>Отчёт по акции №%lld</b>\n«%s»\n",
    "📊 <b>Report on action #%lld</b>\n«%s»\n")
I18N(T_RP_ORG, "🏢 Проводит: %s\n", "🏢 Run by: %s\n")
I18N(T_RP_OPEN, "🟢 Сбор идёт", "🟢 Collecting now")
I18N(T_RP_CLOSED, "✅ Акция завершена %s\n", "✅ The action ended on %s\n")
I18N(T_RP_RESULT, "Итог: %s\n", "Result: %s\n")
I18N(T_RP_MONEY_GOAL, "\n💰 <b>Деньги</b> — цель %s\n",
    "\n💰 <b>Money</b> — goal %s\n")
I18N(T_RP_MONEY, "\n💰 <b>Деньги</b>\n", "\n💰 <b>Money</b>\n")
I18N(T_RP_MONEY_GOT, "✅ получено: %s", "✅ received: %s")
I18N(T_RP_MONEY_WAIT, "⏳ обещано, ещё не получено: %s\n",
    "⏳ pledged, not yet received: %s\n")
I18N(T_RP_GOODS, "\n📦 <b>Вещи</b>\n", "\n📦 <b>Goods</b>\n")
I18N(T_RP_NEED, "• %s — нужно %s: получено %lld, ждём ещё %lld\n",
    "• %s — %s needed: %lld received, %lld more awaited\n")
I18N(T_RP_VOLUNTEERS_GOAL, "\n🙋 <b>Волонтёры</b> — нужно %lld: ",
    "\n🙋 <b>Volunteers</b> — %lld needed: ")
I18N(T_RP_VOLUNTEERS, "\n🙋 <b>Волонтёры</b>: ", "\n🙋 <b>Volunteers</b>: ")
I18N(T_RP_CAME, "пришли %lld", "%lld came")
I18N(T_RP_HOURS, " (%lld ч)", " (%lld h)")
I18N(T_RP_SIGNED, ", записаны ещё %lld", ", %lld more signed up")
I18N(T_RP_PEOPLE, "\n👥 <b>Помогают: %lld</b> (уже передали помощь: %lld)\n",
    "\n👥 <b>Helping: %lld</b> (help already handed over: %lld)\n")
I18N(T_RP_PEOPLE_CLOSED, "\n👥 <b>Помогли: %lld</b> (обещали помощь: %lld)\n",
    "\n👥 <b>Helped: %lld</b> (pledged help: %lld)\n")
I18N(T_RP_NOBODY_CLOSED, "\n👥 Никто не откликнулся.\n",
    "\n👥 Nobody responded.\n")
I18N(T_RP_NOBODY, "\n👥 Пока никто не откликнулся — станьте первым!\n",
    "\n👥 Nobody has responded yet — be the first!\n")
I18N(T_RP_MORE, "…и ещё %zu\n", "…and %zu more\n")
I18N(T_RP_LEGEND, "<i>✅ получено · ⏳ ждём</i>\n",
    "<i>✅ received · ⏳ awaited</i>\n")
I18N(T_RP_HOW, "\nПомочь — /action %lld", "\nHow to help — /action %lld")

I18N(T_CR_THANKS,
    "🙏 <b>%s, спасибо!</b> Акция «%s» завершена.\n%s\n"
    "Ваш вклад: %s.\n\n<b>Итоги акции</b>\n%s"
    "Помогли: %lld.\n\nВаши добрые дела — /my",
    "🙏 <b>%s, thank you!</b> The action «%s» is over.\n%s\n"
    "Your contribution: %s.\n\n<b>The action's totals</b>\n%s"
    "People who helped: %lld.\n\nYour good deeds — /my")
I18N(T_CR_THANKS_SHORT, "🙏 <b>Спасибо!</b> Акция «%s» завершена — итоги ниже.",
    "🙏 <b>Thank you!</b> The action «%s» is over — the totals follow.")
I18N(T_CR_MISSED,
    "<b>Акция «%s» завершена</b> — рассказываем, чем всё закончилось.\n%s\n"
    "<b>Итоги акции</b>\n%s"
    "Помогли: %lld.\n\n"
    "Организаторы не отметили получение: %s. Если вы передали помощь, "
    "напишите организаторам — они отметят.%s Будем рады вам в новых "
    "акциях — /actions",
    "<b>The action «%s» is over</b> — here is how it ended.\n%s\n"
    "<b>The action's totals</b>\n%s"
    "People who helped: %lld.\n\n"
    "The organisers have not marked this as received: %s. If you handed "
    "it over, please write to the organisers — they will record it.%s You "
    "are welcome in new actions — /actions")
I18N(T_CR_CONTACT, " Связь с ними: %s.", " How to reach them: %s.")
I18N(T_CR_MISSED_SHORT, "<b>Акция «%s» завершена</b> — итоги ниже.",
    "<b>The action «%s» is over</b> — the totals follow.")
I18N(T_CR_RESULT, "Итог: %s\n", "Result: %s\n")
I18N(T_CR_GROUP_SHORT, "🏁 <b>Акция №%lld завершена</b> — итоги ниже.",
    "🏁 <b>Action #%lld is over</b> — the totals follow.")
I18N(T_CR_FRIEND, "Друг", "Friend")

const char *
report_message_photo(json_t *message)
{
	json_t *sizes = json_object_get(message, "photo");
	size_t n = json_array_size(sizes);
	if (n == 0)
		return NULL;
	/* Telegram lists the sizes smallest first. */
	const char *id = json_string_value(json_object_get(json_array_get(sizes,
	                                                       n - 1),
	    "file_id"));
	return id != NULL && *id != '\0' && strlen(id) < 256 ? id : NULL;
}

int
report_send(struct store *st, int64_t chat_id, const char *html,
    const char *short_html, const char *photo, const char *kind, int priority,
    int64_t update_id)
{
	if (photo == NULL)
		return send_html(st, chat_id, html, NULL, kind, priority,
		           update_id) < 0
		    ? -1
		    : 0;
	bool fits = split_visible_length(html) <= CAPTION_MAX;
	json_t *payload = json_pack("{s:I, s:s, s:s, s:s}", "chat_id",
	    (json_int_t)chat_id, "photo", photo, "caption",
	    fits ? html : short_html, "parse_mode", "HTML");
	struct outbox_new m = {
	    .chat_id = chat_id,
	    .method = "sendPhoto",
	    .payload = payload,
	    .kind = kind,
	    .priority = priority,
	    .update_id = update_id,
	};
	int rc = outbox_enqueue(st, &m) < 0 ? -1 : 0;
	json_decref(payload);
	/* Too long for a caption: the text follows the photo (the outbox
	 * keeps a chat's messages of one priority in order). */
	if (rc == 0 && !fits)
		rc = send_html(st, chat_id, html, NULL, kind, priority,
		         update_id) < 0
		    ? -1
		    : 0;
	return rc;
}

/* ---- /report ---- */

static void
money_block(struct buf *b, const struct action *a, const char *lang)
{
	if (a->goal_kopecks <= 0 && a->money_promised <= 0)
		return;
	struct buf m = BUF_INIT;
	if (a->goal_kopecks > 0) {
		money_format(&m, a->goal_kopecks);
		i18n_appendp(b, lang, &T_RP_MONEY_GOAL, buf_str(&m));
	} else {
		i18n_appendp(b, lang, &T_RP_MONEY);
	}
	buf_reset(&m);
	money_format(&m, a->money_received);
	i18n_appendp(b, lang, &T_RP_MONEY_GOT, buf_str(&m));
	if (a->goal_kopecks > 0) {
		buf_putc(b, ' ');
		progress_bar(b, a->money_received, a->goal_kopecks, BAR_WIDTH);
	}
	buf_putc(b, '\n');
	buf_reset(&m);
	money_format(&m, a->money_promised - a->money_received);
	i18n_appendp(b, lang, &T_RP_MONEY_WAIT, buf_str(&m));
	buf_release(&m);
}

static void
goods_block(struct buf *b, const struct action *a, const char *lang)
{
	if (a->n_needs == 0)
		return;
	i18n_appendp(b, lang, &T_RP_GOODS);
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct action_need *n = &a->needs[i];
		struct buf item = BUF_INIT, need = BUF_INIT;
		html_escape(&item, n->item);
		buf_printf(&need, "%lld", (long long)n->quantity);
		if (n->unit != NULL && *n->unit != '\0') {
			buf_putc(&need, ' ');
			html_escape(&need, n->unit);
		}
		i18n_appendp(b, lang, &T_RP_NEED, buf_str(&item),
		    buf_str(&need), (long long)n->received,
		    (long long)(n->promised - n->received));
		buf_release(&item);
		buf_release(&need);
	}
}

static void
volunteers_block(struct buf *b, const struct action *a, const char *lang)
{
	if (a->volunteers_needed <= 0 && a->volunteers_promised <= 0)
		return;
	if (a->volunteers_needed > 0)
		i18n_appendp(b, lang, &T_RP_VOLUNTEERS_GOAL,
		    (long long)a->volunteers_needed);
	else
		i18n_appendp(b, lang, &T_RP_VOLUNTEERS);
	i18n_appendp(b, lang, &T_RP_CAME, (long long)a->volunteers_received);
	if (a->hours_received > 0)
		i18n_appendp(b, lang, &T_RP_HOURS,
		    (long long)a->hours_received);
	int64_t waiting = a->volunteers_promised - a->volunteers_received;
	if (waiting > 0)
		i18n_appendp(b, lang, &T_RP_SIGNED, (long long)waiting);
	buf_putc(b, '\n');
}

static int
cmp_int64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static void
people_block(struct buf *b, const struct action *a, const struct pledge *list,
    size_t n, const char *lang)
{
	/* An action that is over speaks in the past tense, and «Помогли»
	 * counts those whose help arrived. */
	if (a->helpers == 0) {
		i18n_appendp(b, lang,
		    a->closed ? &T_RP_NOBODY_CLOSED : &T_RP_NOBODY);
		return;
	}
	if (a->closed)
		i18n_appendp(b, lang, &T_RP_PEOPLE_CLOSED,
		    (long long)view_people_helped(list, n),
		    (long long)a->helpers);
	else
		i18n_appendp(b, lang, &T_RP_PEOPLE, (long long)a->helpers,
		    (long long)view_people_helped(list, n));
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = &list[i];
		if (!pledge_publicly_listed(p))
			continue;
		if (shown == REPORT_NAMES_MAX) {
			more++;
			continue;
		}
		/* «аноним» unless the person let their name be shown; never
		 * a username or an id. */
		pledge_display_name(b, p, lang);
		buf_puts(b, " — ");
		report_describe_given(b, p, lang);
		buf_puts(b, p->status == PLEDGE_RECEIVED ? " ✅\n" : " ⏳\n");
		shown++;
	}
	if (more > 0)
		i18n_appendp(b, lang, &T_RP_MORE, more);
	if (shown > 0)
		i18n_appendp(b, lang, &T_RP_LEGEND);
}

/* The whole public report of an action. */
static void
render_report(struct buf *b, const struct action *a, const struct pledge *list,
    size_t n, const char *lang)
{
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	i18n_appendp(b, lang, &T_RP_HEAD, (long long)a->id, buf_str(&t));
	buf_release(&t);
	if (a->org_name != NULL) {
		struct buf o = BUF_INIT;
		html_escape(&o, a->org_name);
		i18n_appendp(b, lang, &T_RP_ORG, buf_str(&o));
		buf_release(&o);
	}
	if (a->closed) {
		struct buf d = BUF_INIT;
		report_date(&d, a->closed_at);
		i18n_appendp(b, lang, &T_RP_CLOSED, buf_str(&d));
		buf_release(&d);
		if (a->result != NULL && *a->result != '\0') {
			struct buf r = BUF_INIT;
			html_escape(&r, a->result);
			i18n_appendp(b, lang, &T_RP_RESULT, buf_str(&r));
			buf_release(&r);
		}
	} else {
		i18n_appendp(b, lang, &T_RP_OPEN);
		if (a->starts_at > 0) {
			buf_puts(b, " · 🗓 ");
			when_format(b, (time_t)a->starts_at, lang);
		}
		buf_putc(b, '\n');
	}
	money_block(b, a, lang);
	goods_block(b, a, lang);
	volunteers_block(b, a, lang);
	people_block(b, a, list, n, lang);
	if (!a->closed)
		i18n_appendp(b, lang, &T_RP_HOW, (long long)a->id);
}

int
handle_report(struct handler_ctx *ctx)
{
	struct action a;
	int rc = action_from_args(ctx, &T_REPORT_USAGE, &a, NULL);
	if (rc <= 0)
		return rc;
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(ctx->st, a.id, &list, &n) < 0) {
		action_release(&a);
		return handler_fail(ctx, "cannot list pledges");
	}
	struct buf b = BUF_INIT;
	render_report(&b, &a, list, n, ctx->lang);
	rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	pledges_free(list, n);
	action_release(&a);
	return rc;
}

/* ---- the closing report ---- */

static int
cmp_by_person(const void *x, const void *y)
{
	const struct pledge *a = *(const struct pledge *const *)x;
	const struct pledge *b = *(const struct pledge *const *)y;
	if (a->user_id != b->user_id)
		return a->user_id < b->user_id ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* One person's message: thanks for what came, or, when nothing of theirs
 * came, how the action ended and what did not arrive. `mine` holds their
 * pledges (n > 0). Sends nothing to someone who took every pledge back.
 * Returns 1 sent, 0 not, -1 error. */
static int
tell_person(struct handler_ctx *ctx, const struct action *a,
    struct pledge **mine, size_t n, const char *photo, int64_t helped)
{
	const struct pledge *first = mine[0];
	const char *lang = first->lang[0] ? first->lang : ctx->cfg->locale;
	struct buf given = BUF_INIT, missed = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = mine[i];
		struct buf *to = p->status == PLEDGE_RECEIVED ? &given
		    : p->status == PLEDGE_WITHDRAWN           ? NULL
		                                              : &missed;
		if (to == NULL)
			continue;
		if (to->len > 0)
			buf_puts(to, "; ");
		report_describe_given(to, p, lang);
	}
	int rc = 0;
	if (given.len == 0 && missed.len == 0)
		goto out;
	struct buf title = BUF_INIT, result = BUF_INIT, totals = BUF_INIT;
	struct buf text = BUF_INIT, shorter = BUF_INIT, name = BUF_INIT;
	html_escape_quoted(&title, a->title);
	if (a->result != NULL && *a->result != '\0') {
		struct buf r = BUF_INIT;
		html_escape(&r, a->result);
		i18n_appendp(&result, lang, &T_CR_RESULT, buf_str(&r));
		buf_release(&r);
	}
	action_render_progress(&totals, a, lang);
	if (given.len > 0) {
		if (first->first_name != NULL && *first->first_name != '\0')
			html_escape(&name, first->first_name);
		else
			buf_puts(&name, i18n_pick(lang, &T_CR_FRIEND));
		i18n_appendp(&text, lang, &T_CR_THANKS, buf_str(&name),
		    buf_str(&title), buf_str(&result), buf_str(&given),
		    buf_str(&totals), (long long)helped);
		i18n_appendp(&shorter, lang, &T_CR_THANKS_SHORT,
		    buf_str(&title));
	} else {
		struct buf reach = BUF_INIT, c = BUF_INIT;
		if (action_contact(&c, a) > 0)
			i18n_appendp(&reach, lang, &T_CR_CONTACT, buf_str(&c));
		i18n_appendp(&text, lang, &T_CR_MISSED, buf_str(&title),
		    buf_str(&result), buf_str(&totals), (long long)helped,
		    buf_str(&missed), buf_str(&reach));
		buf_release(&reach);
		buf_release(&c);
		i18n_appendp(&shorter, lang, &T_CR_MISSED_SHORT,
		    buf_str(&title));
	}
	rc = report_send(ctx->st, first->user_id, buf_str(&text),
	         buf_str(&shorter), photo, "closing", PRIO_BROADCAST,
	         ctx->update_id) < 0
	    ? -1
	    : 1;
	buf_release(&title);
	buf_release(&result);
	buf_release(&totals);
	buf_release(&text);
	buf_release(&shorter);
	buf_release(&name);
out:
	buf_release(&given);
	buf_release(&missed);
	return rc;
}

int
report_closing(struct handler_ctx *ctx, const struct action *a,
    const char *group_html, const char *photo, bool *to_group, size_t *people)
{
	*to_group = false;
	*people = 0;
	int64_t leaders = leaders_chat_id(ctx->st, ctx->cfg);
	if (leaders != 0) {
		struct buf s = BUF_INIT;
		i18n_appendp(&s, ctx->cfg->locale, &T_CR_GROUP_SHORT,
		    (long long)a->id);
		int rc = report_send(ctx->st, leaders, group_html, buf_str(&s),
		    photo, "announce", PRIO_ANNOUNCE, ctx->update_id);
		buf_release(&s);
		if (rc < 0)
			return -1;
		*to_group = true;
	}
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(ctx->st, a->id, &list, &n) < 0)
		return -1;
	/* One message per person, however many pledges they made. */
	struct pledge **by = xcalloc(n + 1, sizeof *by);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (list[i].user_id != 0 && !list[i].user_blocked &&
		    list[i].user_id != leaders)
			by[k++] = &list[i];
	qsort(by, k, sizeof *by, cmp_by_person);
	int64_t helped = view_people_helped(list, n);
	int rc = 0;
	for (size_t i = 0; i < k && rc >= 0;) {
		size_t j = i;
		while (j < k && by[j]->user_id == by[i]->user_id)
			j++;
		rc = tell_person(ctx, a, by + i, j - i, photo, helped);
		if (rc > 0)
			(*people)++;
		i = j;
	}
	free(by);
	pledges_free(list, n);
	return rc < 0 ? -1 : 0;
}

int
report_closing_counts(struct store *st, const struct action *a, int64_t leaders,
    struct closing_counts *c)
{
	memset(c, 0, sizeof *c);
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(st, a->id, &list, &n) < 0)
		return -1;
	c->helped = view_people_helped(list, n);
	/* The same people report_closing writes to, and of them those it
	 * thanks: someone with at least one pledge that came. */
	int64_t *told = xcalloc(n + 1, sizeof *told);
	int64_t *thanked = xcalloc(n + 1, sizeof *thanked);
	size_t nt = 0, nth = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = &list[i];
		if (p->status == PLEDGE_PLEDGED)
			c->unmarked++;
		if (p->user_id == 0 || p->user_blocked ||
		    p->user_id == leaders || p->status == PLEDGE_WITHDRAWN)
			continue;
		told[nt++] = p->user_id;
		if (p->status == PLEDGE_RECEIVED)
			thanked[nth++] = p->user_id;
	}
	qsort(told, nt, sizeof *told, cmp_int64);
	qsort(thanked, nth, sizeof *thanked, cmp_int64);
	for (size_t i = 0; i < nt; i++)
		c->people += i == 0 || told[i] != told[i - 1];
	for (size_t i = 0; i < nth; i++)
		c->thanked += i == 0 || thanked[i] != thanked[i - 1];
	free(told);
	free(thanked);
	pledges_free(list, n);
	return 0;
}
