/* Pledges that never come (see expiry.h for the rules). A job every few
 * seconds reminds the pledger a day before a pledge lapses — with the
 * buttons «Уже передал(а)» (the pledge is claimed, never lapses, and the
 * action's author hears of it) and «Не смогу» (the pledge is withdrawn) —
 * and lapses the pledges whose day has come, so that they stop counting as
 * promised. The job is restart-safe: what it did is in the pledges table
 * (reminded_at, status), written in the same transaction as its messages. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/expiry.h"
#include "actions.h"
#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/reminders.h"

/* Pledges reminded and lapsed per run at most; the rest wait a few
 * seconds for the next run. */
#define EXPIRY_BATCH 200

I18N(T_EX_REMIND,
    "⏳ <b>Напоминание об обещании</b>\n"
    "%s вы обещали помочь акции «%s»: %s (обещание №%lld).\n\n"
    "Организаторы пока не отметили, что получили его. Если вы уже "
    "передали — нажмите «Уже передал(а)», и я сообщу организатору. Если "
    "не получается — ничего страшного, нажмите «Не смогу».\n\n"
    "Если ответа не будет, завтра обещание перестанет учитываться в сборе.",
    "⏳ <b>A reminder about your pledge</b>\n"
    "On %s you promised to help «%s»: %s (pledge #%lld).\n\n"
    "The organisers have not recorded it as received yet. If you have "
    "already handed it over, press «Already handed over» and I will tell "
    "the organiser. If you cannot, that is all right — press «I can't».\n\n"
    "Without an answer, tomorrow the pledge will stop counting towards the "
    "collection.")
I18N(T_EX_REMIND_TIME,
    "⏳ <b>Напоминание об обещании</b>\n"
    "%s вы записались волонтёром на акцию «%s» (обещание №%lld).\n\n"
    "Организаторы пока не отметили, что вы помогли. Если вы уже помогли — "
    "нажмите «Уже помог(ла)», и я сообщу организатору. Если не получается "
    "— ничего страшного, нажмите «Не смогу».\n\n"
    "Если ответа не будет, завтра запись перестанет учитываться.",
    "⏳ <b>A reminder about your pledge</b>\n"
    "On %s you signed up to volunteer for «%s» (pledge #%lld).\n\n"
    "The organisers have not recorded your help yet. If you have already "
    "helped, press «Already helped» and I will tell the organiser. If you "
    "cannot, that is all right — press «I can't».\n\n"
    "Without an answer, tomorrow your sign-up will stop counting.")
I18N(T_EX_B_GAVE, "✅ Уже передал(а)", "✅ Already handed over")
I18N(T_EX_B_HELPED, "✅ Уже помог(ла)", "✅ Already helped")
I18N(T_EX_B_CANT, "🙅 Не смогу", "🙅 I can't")

I18N(T_EX_CLAIMED,
    "Спасибо! Я сообщил организатору акции «%s», что вы уже передали: %s. "
    "Обещание больше не снимется; когда организатор отметит получение, я "
    "напишу.",
    "Thank you! I have told the organiser of «%s» that you have already "
    "handed it over: %s. The pledge will not lapse now; I will write when "
    "the organiser records it.")
I18N(T_EX_CLAIMED_TIME,
    "Спасибо! Я сообщил организатору акции «%s», что вы уже помогли. "
    "Когда организатор отметит ваше участие, я напишу.",
    "Thank you! I have told the organiser of «%s» that you have already "
    "helped. I will write when the organiser records it.")
I18N(T_EX_CLAIMED_SHORT, "Сообщил организатору", "The organiser is told")
I18N(T_EX_CLAIMED_ALREADY,
    "Я уже сообщил организатору — спасибо! Осталось дождаться отметки.",
    "I have already told the organiser — thank you! It only remains to wait "
    "for the record.")
I18N(T_EX_TO_ORGANISER,
    "📬 <b>Участник говорит, что уже передал(а) помощь</b>\n"
    "Акция №%lld «%s»: %s — %s (обещание №%lld).\n"
    "Если всё пришло, отметьте: /received %lld",
    "📬 <b>A contributor says they have handed their help over</b>\n"
    "Action #%lld «%s»: %s — %s (pledge #%lld).\n"
    "If it came, record it: /received %lld")
I18N(T_EX_TO_ORGANISER_TIME,
    "📬 <b>Волонтёр говорит, что уже помог(ла)</b>\n"
    "Акция №%lld «%s»: %s (обещание №%lld).\n"
    "Если так, отметьте и укажите часы: /received %lld",
    "📬 <b>A volunteer says they have already helped</b>\n"
    "Action #%lld «%s»: %s (pledge #%lld).\n"
    "If so, record it with the hours: /received %lld")
I18N(T_EX_WITHDRAWN,
    "Хорошо, обещание №%lld для акции «%s» отменено. Спасибо, что "
    "предупредили! Другие акции — /actions",
    "All right, pledge #%lld for «%s» is taken back. Thank you for letting "
    "us know! Other actions — /actions")
I18N(T_EX_WITHDRAWN_SHORT, "Обещание отменено", "Pledge taken back")
I18N(T_EX_CLOSED_ALREADY,
    "Это обещание уже закрыто: получено, отменено или снято.",
    "This pledge is already settled: received, taken back or lapsed.")

/* The reminder of one pledge, in the pledger's language. */
static int
remind(struct job_ctx *ctx, const struct pledge *p)
{
	const char *lang = p->lang[0] ? p->lang : ctx->cfg->locale;
	struct buf text = BUF_INIT, day = BUF_INIT, title = BUF_INIT;
	struct buf what = BUF_INIT;
	report_date(&day, p->created_at);
	html_escape_quoted(&title, p->action_title ? p->action_title : "");
	bool volunteer = p->kind == PLEDGE_TIME;
	if (volunteer) {
		i18n_appendp(&text, lang, &T_EX_REMIND_TIME, buf_str(&day),
		    buf_str(&title), (long long)p->id);
	} else {
		pledge_describe(&what, p, lang);
		i18n_appendp(&text, lang, &T_EX_REMIND, buf_str(&day),
		    buf_str(&title), buf_str(&what), (long long)p->id);
	}
	char claim[40], cant[40];
	snprintf(claim, sizeof claim, "ex:c:%lld", (long long)p->id);
	snprintf(cant, sizeof cant, "ex:w:%lld", (long long)p->id);
	json_t *kb = json_pack("{s:[[{s:s, s:s}], [{s:s, s:s}]]}",
	    "inline_keyboard", "text",
	    i18n_pick(lang, volunteer ? &T_EX_B_HELPED : &T_EX_B_GAVE),
	    "callback_data", claim, "text", i18n_pick(lang, &T_EX_B_CANT),
	    "callback_data", cant);
	int rc = send_html(ctx->st, p->user_id, buf_str(&text), kb, "expiry",
	             PRIO_BROADCAST, 0) < 0
	    ? -1
	    : 0;
	if (rc == 0)
		rc = expiry_mark_reminded(ctx->st, p->id, ctx->now_ms);
	json_decref(kb);
	buf_release(&text);
	buf_release(&day);
	buf_release(&title);
	buf_release(&what);
	return rc;
}

int
expiry_job(struct job_ctx *ctx)
{
	int days = ctx->cfg->pledge_expiry_days;
	if (days <= 0)
		return 0;
	int64_t *ids = NULL;
	size_t n = 0;
	if (expiry_due_reminders(ctx->st, ctx->now_ms, days, EXPIRY_BATCH, &ids,
	        &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct pledge p;
		int found = pledges_load(ctx->st, ids[i], &p);
		if (found < 0)
			rc = -1;
		else if (found == 1)
			rc = remind(ctx, &p);
		pledge_release(&p);
	}
	free(ids);
	if (rc < 0)
		return -1;
	if (n > 0)
		log_info("%zu pledges reminded before they lapse", n);
	int lapsed = expiry_lapse_due(ctx->st, ctx->now_ms, days, EXPIRY_BATCH);
	if (lapsed < 0)
		return -1;
	if (lapsed > 0)
		log_info("%d pledges lapsed (not received in %d days)", lapsed,
		    days);
	return 0;
}

/* Tells the action's author, in their language, that the pledge was handed
 * over according to its author. */
static int
tell_organiser(struct handler_ctx *ctx, const struct pledge *p)
{
	struct action a;
	int rc = actions_load(ctx->st, p->action_id, &a);
	if (rc <= 0)
		return rc;
	char lang[3];
	if (actions_reader_lang(ctx->st, a.author_id, lang) < 0) {
		action_release(&a);
		return -1;
	}
	const char *l = lang[0] ? lang : ctx->cfg->locale;
	struct buf text = BUF_INIT, title = BUF_INIT, name = BUF_INIT;
	struct buf what = BUF_INIT;
	html_escape_quoted(&title, a.title);
	pledge_display_name(&name, p, l);
	long long id = (long long)p->id;
	if (p->kind == PLEDGE_TIME) {
		i18n_appendp(&text, l, &T_EX_TO_ORGANISER_TIME, (long long)a.id,
		    buf_str(&title), buf_str(&name), id, id);
	} else {
		pledge_describe(&what, p, l);
		i18n_appendp(&text, l, &T_EX_TO_ORGANISER, (long long)a.id,
		    buf_str(&title), buf_str(&name), buf_str(&what), id, id);
	}
	rc = send_html(ctx->st, a.author_id, buf_str(&text), NULL, "expiry",
	         PRIO_ANNOUNCE, ctx->update_id) < 0
	    ? -1
	    : 1;
	buf_release(&text);
	buf_release(&title);
	buf_release(&name);
	buf_release(&what);
	action_release(&a);
	return rc;
}

static int
on_claim(struct handler_ctx *ctx, const struct pledge *p)
{
	int rc = expiry_claim(ctx->st, p->id, ctx->user.id, ctx->now_ms);
	if (rc < 0)
		return handler_fail(ctx, "cannot claim pledge %lld",
		    (long long)p->id);
	if (rc == 0) {
		int64_t at = expiry_claimed_at(ctx->st, p->id);
		if (at < 0)
			return handler_fail(ctx, "cannot read pledge");
		return answer_callback(ctx,
		    tr(ctx,
		        at > 0 && p->status == PLEDGE_PLEDGED
		            ? &T_EX_CLAIMED_ALREADY
		            : &T_EX_CLOSED_ALREADY),
		    true);
	}
	if (tell_organiser(ctx, p) < 0)
		return handler_fail(ctx, "cannot tell the organiser");
	struct buf text = BUF_INIT, title = BUF_INIT, what = BUF_INIT;
	html_escape_quoted(&title, p->action_title ? p->action_title : "");
	if (p->kind == PLEDGE_TIME) {
		i18n_appendp(&text, ctx->lang, &T_EX_CLAIMED_TIME,
		    buf_str(&title));
	} else {
		pledge_describe(&what, p, ctx->lang);
		i18n_appendp(&text, ctx->lang, &T_EX_CLAIMED, buf_str(&title),
		    buf_str(&what));
	}
	rc = ctx->cb_message_id != 0
	    ? edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL)
	    : reply_html(ctx, buf_str(&text), NULL);
	if (rc == 0)
		rc = answer_callback(ctx, tr(ctx, &T_EX_CLAIMED_SHORT), false);
	buf_release(&text);
	buf_release(&title);
	buf_release(&what);
	log_info("pledge %lld claimed as handed over by its author",
	    (long long)p->id);
	return rc;
}

static int
on_cant(struct handler_ctx *ctx, const struct pledge *p)
{
	int rc = pledges_withdraw(ctx->st, p->id, ctx->user.id, ctx->now_ms);
	if (rc == 1 && reminders_cancel_pledge(ctx->st, p->id) < 0)
		rc = -1;
	if (rc < 0)
		return handler_fail(ctx, "cannot withdraw pledge %lld",
		    (long long)p->id);
	if (rc == 0)
		return answer_callback(ctx, tr(ctx, &T_EX_CLOSED_ALREADY),
		    true);
	struct buf text = BUF_INIT, title = BUF_INIT;
	html_escape_quoted(&title, p->action_title ? p->action_title : "");
	i18n_appendp(&text, ctx->lang, &T_EX_WITHDRAWN, (long long)p->id,
	    buf_str(&title));
	rc = ctx->cb_message_id != 0
	    ? edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL)
	    : reply_html(ctx, buf_str(&text), NULL);
	if (rc == 0)
		rc = answer_callback(ctx, tr(ctx, &T_EX_WITHDRAWN_SHORT),
		    false);
	buf_release(&text);
	buf_release(&title);
	log_info("pledge %lld withdrawn from its expiry reminder",
	    (long long)p->id);
	return rc;
}

/* "ex:c:<pledge>" (already handed over) and "ex:w:<pledge>" (can't). */
int
expiry_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	char *end = NULL;
	long long id = 0;
	if ((a[0] == 'c' || a[0] == 'w') && a[1] == ':')
		id = strtoll(a + 2, &end, 10);
	if (id <= 0 || end == a + 2 || *end != '\0')
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct pledge p;
	int found = pledges_load(ctx->st, id, &p);
	if (found < 0)
		return handler_fail(ctx, "cannot load pledge %lld", id);
	int rc;
	if (found == 0 || p.user_id != ctx->user.id)
		rc = answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	else if (a[0] == 'c')
		rc = on_claim(ctx, &p);
	else
		rc = on_cant(ctx, &p);
	pledge_release(&p);
	return rc;
}
