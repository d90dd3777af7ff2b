/* Reminders of pledged time and goods. Citizens who pledged time hear from
 * us the evening before the action and two hours before it; those who
 * pledged goods, the evening before, with where and when to bring them.
 * Each reminder is an outbox row with a not_before (reminders.h), so it
 * survives restarts and is sent once.
 *
 * The rows are kept in step with pledges and actions by reconciling, not by
 * hooks in the pledge and action code: every few seconds a job computes the
 * reminders that should exist and makes the outbox agree — creates missing
 * rows, moves pending rows whose action's date changed, refreshes their
 * text, and cancels those of withdrawn pledges, closed or past actions and
 * blocked users. The features that change pledges and actions need not know
 * about reminders at all; they may call reminders_reconcile() for one action
 * to be exact at once instead of within a few seconds. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broadcast.h"
#include "dobrobot/store/actions.h"
#include "pledges.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/reminders.h"
#include "dobrobot/text/when.h"

/* The evening reminder goes out at this local hour the day before. */
#define EVENING_HOUR 18
#define SOON_BEFORE_S (2 * 3600)
/* A reminder whose time passed less than this ago is still created (the
 * job runs every few seconds); an older one is skipped, not sent late. */
#define GRACE_MS (5 * 60 * 1000)

I18N(T_RM_TIME_DAY,
    "<b>Напоминание</b>\nВы записались помочь: <b>%s</b>\n🗓 %s\n📍 "
    "%s\n\n"
    "Ждём вас! Если планы изменились, нажмите кнопку ниже — организаторы "
    "найдут замену.",
    "<b>Reminder</b>\nYou signed up to help: <b>%s</b>\n🗓 %s\n📍 %s\n\n"
    "See you there! If your plans have changed, press the button below so "
    "that the organisers can find someone else.")
I18N(T_RM_TIME_SOON,
    "<b>Скоро начало:</b> <b>%s</b>\n🗓 %s\n📍 %s\n\n"
    "До встречи! Если не получается прийти, нажмите кнопку ниже.",
    "<b>Starting soon:</b> <b>%s</b>\n🗓 %s\n📍 %s\n\n"
    "See you! If you cannot come, press the button below.")
I18N(T_RM_GOODS_DAY,
    "<b>Напоминание</b>\nВы обещали принести для акции <b>%s</b>: %s.\n"
    "🗓 Когда: %s\n📍 Куда: %s\n\n"
    "Спасибо! Если не получится, нажмите кнопку ниже.",
    "<b>Reminder</b>\nYou promised to bring for <b>%s</b>: %s.\n"
    "🗓 When: %s\n📍 Where: %s\n\n"
    "Thank you! If you cannot make it, press the button below.")
I18N(T_RM_NO_PLACE, "место уточнит организатор",
    "the organiser will tell you the place")
I18N(T_RM_BTN_CANT_COME, "Не смогу прийти", "I can't come")
I18N(T_RM_BTN_CANT_BRING, "Не смогу принести", "I can't bring it")
I18N(T_RM_WITHDRAWN,
    "Хорошо, я отменил ваше обещание для акции <b>%s</b>. Спасибо, что "
    "предупредили, — организаторы найдут замену.",
    "All right, I have withdrawn your pledge for <b>%s</b>. Thank you for "
    "letting us know — the organisers will find someone else.")
I18N(T_RM_WITHDRAWN_SHORT, "Обещание отменено", "Pledge withdrawn")
I18N(T_RM_NOT_ACTIVE, "Это обещание уже отменено, или акция завершена.",
    "This pledge is already withdrawn, or the action is over.")

I18N(T_RM_TO_ORGANISER_TIME,
    "🙅 %s не сможет прийти на акцию №%lld «%s» — обещание №%lld "
    "отменено. Волонтёров записано: %lld%s.",
    "🙅 %s cannot come to action #%lld «%s» — pledge #%lld is withdrawn. "
    "Volunteers signed up: %lld%s.")
I18N(T_RM_TO_ORGANISER_GOODS,
    "🙅 %s не сможет принести %s на акцию №%lld «%s» — обещание №%lld "
    "отменено.",
    "🙅 %s cannot bring %s to action #%lld «%s» — pledge #%lld is "
    "withdrawn.")
I18N(T_RM_OF_NEEDED, " из %lld", " of %lld")

/* Tells the action's author, in their language, that a volunteer or a
 * donor of goods pressed «Не смогу» under a reminder: they may need to
 * find someone else. */
static int
tell_author_cant(struct handler_ctx *ctx, const struct pledge *p)
{
	struct action a;
	int rc = actions_load(ctx->st, p->action_id, &a);
	if (rc <= 0)
		return rc;
	if (a.author_id == ctx->user.id) {
		action_release(&a);
		return 0;
	}
	char lang[3];
	if (actions_reader_lang(ctx->st, a.author_id, lang) < 0) {
		action_release(&a);
		return -1;
	}
	const char *l = lang[0] ? lang : ctx->cfg->locale;
	struct buf text = BUF_INIT, title = BUF_INIT, name = BUF_INIT;
	struct buf what = BUF_INIT, of = BUF_INIT;
	html_escape_quoted(&title, a.title);
	pledge_display_name(&name, p, l);
	if (p->kind == PLEDGE_TIME) {
		if (a.volunteers_needed > 0)
			i18n_appendp(&of, l, &T_RM_OF_NEEDED,
			    (long long)a.volunteers_needed);
		i18n_appendp(&text, l, &T_RM_TO_ORGANISER_TIME, buf_str(&name),
		    (long long)a.id, buf_str(&title), (long long)p->id,
		    (long long)a.volunteers_promised, buf_str(&of));
	} else {
		pledge_describe(&what, p, l);
		i18n_appendp(&text, l, &T_RM_TO_ORGANISER_GOODS, buf_str(&name),
		    buf_str(&what), (long long)a.id, buf_str(&title),
		    (long long)p->id);
	}
	rc = send_html(ctx->st, a.author_id, buf_str(&text), NULL, "notice",
	         PRIO_ANNOUNCE, ctx->update_id) < 0
	    ? -1
	    : 0;
	buf_release(&text);
	buf_release(&title);
	buf_release(&name);
	buf_release(&what);
	buf_release(&of);
	action_release(&a);
	return rc;
}

/* The evening before `starts_at`, local time. */
static int64_t
evening_before(int64_t starts_at)
{
	time_t t = (time_t)starts_at;
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL)
		return starts_at - 24 * 3600;
	tm.tm_mday -= 1;
	tm.tm_hour = EVENING_HOUR;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t r = mktime(&tm);
	return r == (time_t)-1 ? starts_at - 24 * 3600 : (int64_t)r;
}

/* "тёплые одеяла — 5 шт", escaped. */
static void
goods_what(struct buf *out, const struct reminder_pledge *p)
{
	html_escape(out, p->item ? p->item : "?");
	buf_printf(out, " — %lld", (long long)p->amount);
	if (p->unit != NULL && *p->unit != '\0') {
		buf_putc(out, ' ');
		html_escape(out, p->unit);
	}
}

/* The sendMessage payload of one reminder, in the pledger's language. */
static json_t *
reminder_payload(const struct reminder_pledge *p, bool soon)
{
	const char *lang = p->lang;
	struct buf text = BUF_INIT, title = BUF_INIT, when = BUF_INIT,
	           place = BUF_INIT, what = BUF_INIT;
	html_escape(&title, p->title ? p->title : "");
	when_format(&when, (time_t)p->starts_at, lang);
	if (p->place != NULL && *p->place != '\0')
		html_escape(&place, p->place);
	else
		buf_puts(&place, i18n_pick(lang, &T_RM_NO_PLACE));
	if (p->goods) {
		goods_what(&what, p);
		i18n_appendp(&text, lang, &T_RM_GOODS_DAY, buf_str(&title),
		    buf_str(&what), buf_str(&when), buf_str(&place));
	} else {
		i18n_appendp(&text, lang,
		    soon ? &T_RM_TIME_SOON : &T_RM_TIME_DAY, buf_str(&title),
		    buf_str(&when), buf_str(&place));
	}
	char data[48];
	snprintf(data, sizeof data, "rm:w:%lld", (long long)p->pledge_id);
	json_t *payload =
	    json_pack("{s:I, s:s, s:s, s:{s:b}, s:{s:[[{s:s, s:s}]]}}",
	        "chat_id", (json_int_t)p->user_id, "text", buf_str(&text),
	        "parse_mode", "HTML", "link_preview_options", "is_disabled", 1,
	        "reply_markup", "inline_keyboard", "text",
	        i18n_pick(lang,
	            p->goods ? &T_RM_BTN_CANT_BRING : &T_RM_BTN_CANT_COME),
	        "callback_data", data);
	buf_release(&text);
	buf_release(&title);
	buf_release(&when);
	buf_release(&place);
	buf_release(&what);
	return payload;
}

static bool
same_payload(const char *stored, json_t *payload)
{
	json_t *old = stored ? json_loads(stored, 0, NULL) : NULL;
	bool same = old != NULL && json_equal(old, payload);
	json_decref(old);
	return same;
}

/* Makes one slot of one pledge agree with the outbox. rows[i].id is set to
 * 0 once a row is accounted for, so that the caller can cancel the rest. */
static int
reconcile_slot(struct store *st, const struct reminder_pledge *p,
    const char *slot, int64_t due_s, struct reminder_row *rows, size_t n,
    int64_t now_ms)
{
	char key[96], prefix[64];
	snprintf(prefix, sizeof prefix,
	    "remind:%lld:%s:", (long long)p->pledge_id, slot);
	snprintf(key, sizeof key, "%s%lld", prefix, (long long)due_s);
	bool soon = strcmp(slot, "2h") == 0;
	int rc = 0;
	json_t *payload = reminder_payload(p, soon);

	/* Already there for this date (sent, in flight or waiting): at most
	 * refresh the text of a waiting one. */
	for (size_t i = 0; i < n; i++) {
		if (rows[i].id == 0 || strcmp(rows[i].key, key) != 0)
			continue;
		if (rows[i].pending && !same_payload(rows[i].payload, payload))
			rc = reminders_set_payload(st, rows[i].id, payload);
		rows[i].id = 0;
		goto out;
	}
	bool wanted = due_s * 1000 > now_ms - GRACE_MS;
	/* Waiting for another date: the action moved. */
	for (size_t i = 0; i < n; i++) {
		if (rows[i].id == 0 || !rows[i].pending ||
		    strncmp(rows[i].key, prefix, strlen(prefix)) != 0)
			continue;
		if (wanted) {
			rc = reminders_move(st, rows[i].id, key, due_s * 1000,
			    payload);
			log_info("reminder %s of pledge %lld moved to %lld",
			    slot, (long long)p->pledge_id, (long long)due_s);
		} else {
			rc = reminders_cancel_row(st, rows[i].id);
		}
		rows[i].id = 0;
		goto out;
	}
	if (wanted &&
	    reminders_add(st, p->pledge_id, p->user_id, key, due_s * 1000,
	        payload) < 0)
		rc = -1;
out:
	json_decref(payload);
	return rc;
}

static int
reconcile_pledge(struct store *st, const struct reminder_pledge *p,
    int64_t now_ms)
{
	struct reminder_row *rows = NULL;
	size_t n = 0;
	if (reminders_rows(st, p->pledge_id, &rows, &n) < 0)
		return -1;
	int rc = reconcile_slot(st, p, "day", evening_before(p->starts_at),
	    rows, n, now_ms);
	if (rc == 0 && !p->goods)
		rc = reconcile_slot(st, p, "2h", p->starts_at - SOON_BEFORE_S,
		    rows, n, now_ms);
	/* A waiting row no slot claimed (e.g. the pledge became one of goods,
	 * which gets no two-hour reminder) is not wanted any more. */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (rows[i].id != 0 && rows[i].pending)
			rc = reminders_cancel_row(st, rows[i].id);
	reminder_rows_free(rows, n);
	return rc;
}

int
reminders_reconcile(struct store *st, const struct config *cfg,
    int64_t action_id, int64_t now_ms)
{
	(void)cfg;
	int64_t now_s = now_ms / 1000;
	int cancelled = reminders_cancel_stale(st, now_s, action_id);
	if (cancelled < 0)
		return -1;
	if (cancelled > 0)
		log_info("%d reminders cancelled (pledge withdrawn, action "
		         "closed, moved or started)",
		    cancelled);
	struct reminder_pledge *p = NULL;
	size_t n = 0;
	if (reminders_active_pledges(st, now_s, action_id, &p, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = reconcile_pledge(st, &p[i], now_ms);
	reminder_pledges_free(p, n);
	return rc;
}

int
reminders_job(struct job_ctx *ctx)
{
	return reminders_reconcile(ctx->st, ctx->cfg, 0, ctx->now_ms);
}

/* "rm:w:<pledge>": the pledger cannot come (or bring) after all. The
 * withdrawal itself is the pledges feature's (pledges_withdraw: only the
 * author's own, only while 'pledged'; it bumps the action's version), and
 * the pledge's waiting reminders are cancelled in the same update. */
int
reminders_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	char *end;
	if (strncmp(a, "w:", 2) != 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	long long id = strtoll(a + 2, &end, 10);
	if (end == a + 2 || *end != '\0' || id <= 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct pledge p;
	int found = pledges_load(ctx->st, id, &p);
	if (found < 0)
		return handler_fail(ctx, "cannot load pledge %lld", id);
	int w = 0;
	if (found == 1 && p.user_id == ctx->user.id && !p.action_closed)
		w = pledges_withdraw(ctx->st, id, ctx->user.id, ctx->now_ms);
	if (w == 1 && reminders_cancel_pledge(ctx->st, id) < 0)
		w = -1;
	if (w == 1 && tell_author_cant(ctx, &p) < 0)
		w = -1;
	int rc;
	if (w < 0) {
		rc = handler_fail(ctx, "cannot withdraw pledge %lld", id);
	} else if (w == 0) {
		rc = answer_callback(ctx, tr(ctx, &T_RM_NOT_ACTIVE), true);
	} else {
		struct buf t = BUF_INIT, text = BUF_INIT;
		html_escape(&t, p.action_title ? p.action_title : "");
		i18n_appendp(&text, ctx->lang, &T_RM_WITHDRAWN, buf_str(&t));
		rc = edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL);
		if (rc == 0)
			rc = answer_callback(ctx,
			    tr(ctx, &T_RM_WITHDRAWN_SHORT), false);
		buf_release(&t);
		buf_release(&text);
		log_info("pledge %lld withdrawn from a reminder by %lld", id,
		    (long long)ctx->user.id);
	}
	pledge_release(&p);
	return rc;
}
