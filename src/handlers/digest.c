/* The weekly digest for the leaders' group: the open actions with their
 * progress, and what the week brought — pledges, what arrived, who signed
 * up. Sent once per ISO week at the configured weekday and hour (local
 * time), remembered in bot_state "digest_week" in the same transaction as
 * its outbox row, so a restart never sends it twice. A fresh database starts
 * counting from the week it was created in: the first digest comes the
 * following week. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/store/digest.h"
#include "broadcast.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/when.h"

#define WEEK_MS ((int64_t)7 * 24 * 3600 * 1000)
#define STATE_KEY "digest_week"

I18N(T_DG_HEAD, "<b>Неделя добрых дел</b> · %s–%s",
    "<b>A week of good deeds</b> · %s–%s")
I18N(T_DG_OPEN, "\n\n<b>Открытые акции: %s</b>", "\n\n<b>Open actions: %s</b>")
I18N(T_DG_NO_OPEN, "\n\nОткрытых акций нет.", "\n\nNo open actions.")
I18N(T_DG_ONGOING, "без даты", "no date")
I18N(T_DG_MONEY_GOAL, "\n  💰 %s из %s %s", "\n  💰 %s of %s %s")
I18N(T_DG_MONEY, "\n  💰 %s", "\n  💰 %s")
I18N(T_DG_RECEIVED, " (получено %s)", " (received %s)")
I18N(T_DG_VOLUNTEERS_GOAL, "\n  🙋 Волонтёры: %s из %s",
    "\n  🙋 Volunteers: %s of %s")
I18N(T_DG_VOLUNTEERS, "\n  🙋 Волонтёры: %s", "\n  🙋 Volunteers: %s")
I18N(T_DG_GOODS, "\n  📦 ", "\n  📦 ")
I18N(T_DG_OF, " из ", " of ")
I18N(T_DG_WEEK, "\n\n<b>За неделю</b>", "\n\n<b>This week</b>")
I18N(T_DG_PLEDGES, "\nНовых обещаний: %s — деньгами %s, вещами %s, временем %s",
    "\nNew pledges: %s — money %s, goods %s, time %s")
I18N(T_DG_RECEIVED_WEEK, "\nПолучено обещаний: %s, из них деньгами %s",
    "\nPledges received: %s, money among them %s")
I18N(T_DG_ARRIVED, "\nПришло: ", "\nArrived: ")
I18N(T_DG_SIGNED_UP, "\nЗаписались волонтёрами: %s",
    "\nSigned up as volunteers: %s")
I18N(T_DG_NEW_USERS, "\nНовых людей в боте: %s", "\nNew people in the bot: %s")
I18N(T_DG_ACTIONS, "\nАкций начато: %s, завершено: %s",
    "\nActions started: %s, finished: %s")

static void
append_count(struct buf *b, int64_t n, const char *lang)
{
	format_count(b, n, lang);
}

/* "дд.мм" of a moment, local time. */
static void
day_month(char *out, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%d.%m", &tm) == 0)
		snprintf(out, len, "?");
}

static void
append_goods(struct buf *b, const struct digest_need *nd, size_t n,
    bool with_goal, const char *lang)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		html_escape(b, nd[i].item ? nd[i].item : "?");
		buf_puts(b, ": ");
		append_count(b, nd[i].pledged, lang);
		if (with_goal) {
			buf_puts(b, i18n_pick(lang, &T_DG_OF));
			append_count(b, nd[i].quantity, lang);
		}
		if (nd[i].unit != NULL && *nd[i].unit != '\0') {
			buf_putc(b, ' ');
			html_escape(b, nd[i].unit);
		}
	}
}

static void
append_action(struct buf *b, const struct digest_action *a, const char *lang)
{
	struct buf x = BUF_INIT, y = BUF_INIT, z = BUF_INIT;
	buf_puts(b, "\n• <b>");
	html_escape(b, a->title ? a->title : "");
	buf_puts(b, "</b> (");
	html_escape(b, a->direction ? a->direction : "");
	buf_puts(b, ") · ");
	if (a->starts_at > 0)
		when_format(b, (time_t)a->starts_at, lang);
	else
		buf_puts(b, i18n_pick(lang, &T_DG_ONGOING));
	if (a->goal_kopecks > 0) {
		money_format(&x, a->money_kopecks);
		money_format(&y, a->goal_kopecks);
		progress_bar(&z, a->money_kopecks, a->goal_kopecks, 10);
		i18n_appendp(b, lang, &T_DG_MONEY_GOAL, buf_str(&x),
		    buf_str(&y), buf_str(&z));
	} else if (a->money_kopecks > 0) {
		money_format(&x, a->money_kopecks);
		i18n_appendp(b, lang, &T_DG_MONEY, buf_str(&x));
	}
	if (a->received_kopecks > 0 &&
	    a->received_kopecks != a->money_kopecks) {
		buf_reset(&x);
		money_format(&x, a->received_kopecks);
		i18n_appendp(b, lang, &T_DG_RECEIVED, buf_str(&x));
	}
	buf_reset(&x);
	buf_reset(&y);
	format_count(&x, a->volunteers, lang);
	if (a->volunteers_needed > 0) {
		format_count(&y, a->volunteers_needed, lang);
		i18n_appendp(b, lang, &T_DG_VOLUNTEERS_GOAL, buf_str(&x),
		    buf_str(&y));
	} else if (a->volunteers > 0) {
		i18n_appendp(b, lang, &T_DG_VOLUNTEERS, buf_str(&x));
	}
	if (a->n_needs > 0) {
		buf_puts(b, i18n_pick(lang, &T_DG_GOODS));
		append_goods(b, a->needs, a->n_needs, true, lang);
	}
	buf_release(&x);
	buf_release(&y);
	buf_release(&z);
}

static void
append_week(struct buf *b, const struct digest_week *w, const char *lang)
{
	struct buf p = BUF_INIT, m = BUF_INIT, g = BUF_INIT, t = BUF_INIT;
	buf_puts(b, i18n_pick(lang, &T_DG_WEEK));
	format_count(&p, w->pledges_money + w->pledges_goods + w->pledges_time,
	    lang);
	format_count(&m, w->pledges_money, lang);
	format_count(&g, w->pledges_goods, lang);
	format_count(&t, w->pledges_time, lang);
	i18n_appendp(b, lang, &T_DG_PLEDGES, buf_str(&p), buf_str(&m),
	    buf_str(&g), buf_str(&t));
	buf_reset(&p);
	buf_reset(&m);
	format_count(&p, w->received, lang);
	money_format(&m, w->received_kopecks);
	i18n_appendp(b, lang, &T_DG_RECEIVED_WEEK, buf_str(&p), buf_str(&m));
	if (w->n_arrived > 0) {
		buf_puts(b, i18n_pick(lang, &T_DG_ARRIVED));
		append_goods(b, w->arrived, w->n_arrived, false, lang);
	}
	buf_reset(&p);
	format_count(&p, w->volunteers, lang);
	i18n_appendp(b, lang, &T_DG_SIGNED_UP, buf_str(&p));
	buf_reset(&p);
	format_count(&p, w->new_users, lang);
	i18n_appendp(b, lang, &T_DG_NEW_USERS, buf_str(&p));
	buf_reset(&p);
	buf_reset(&m);
	format_count(&p, w->actions_opened, lang);
	format_count(&m, w->actions_closed, lang);
	i18n_appendp(b, lang, &T_DG_ACTIONS, buf_str(&p), buf_str(&m));
	buf_release(&p);
	buf_release(&m);
	buf_release(&g);
	buf_release(&t);
}

static bool
quiet_week(const struct digest_week *w, size_t open_actions)
{
	return open_actions == 0 &&
	    w->pledges_money + w->pledges_goods + w->pledges_time +
	        w->received + w->new_users + w->actions_opened +
	        w->actions_closed ==
	    0;
}

/* Builds and enqueues the digest; *sent tells whether there was anything
 * to say. */
static int
send_digest(struct job_ctx *ctx, int64_t chat, bool *sent)
{
	const char *lang = ctx->cfg->locale;
	struct digest_action *acts = NULL;
	size_t n = 0;
	struct digest_week w;
	int rc = -1;
	*sent = false;
	memset(&w, 0, sizeof w);
	if (digest_open_actions(ctx->st, &acts, &n) < 0 ||
	    digest_week_stats(ctx->st, ctx->now_ms - WEEK_MS, &w) < 0)
		goto out;
	rc = 0;
	if (quiet_week(&w, n))
		goto out;
	char from[16], to[16];
	day_month(from, sizeof from, ctx->now_ms - WEEK_MS);
	day_month(to, sizeof to, ctx->now_ms);
	struct buf b = BUF_INIT, k = BUF_INIT;
	i18n_appendp(&b, lang, &T_DG_HEAD, from, to);
	if (n == 0) {
		buf_puts(&b, i18n_pick(lang, &T_DG_NO_OPEN));
	} else {
		format_count(&k, (int64_t)n, lang);
		i18n_appendp(&b, lang, &T_DG_OPEN, buf_str(&k));
	}
	for (size_t i = 0; i < n; i++)
		append_action(&b, &acts[i], lang);
	append_week(&b, &w, lang);
	if (send_html(ctx->st, chat, buf_str(&b), NULL, "digest",
	        PRIO_BROADCAST, 0) < 0)
		rc = -1;
	else
		*sent = true;
	buf_release(&b);
	buf_release(&k);
out:
	digest_actions_free(acts, n);
	digest_week_release(&w);
	return rc;
}

int
digest_job(struct job_ctx *ctx)
{
	if (!ctx->cfg->digest.enabled)
		return 0;
	time_t now = (time_t)(ctx->now_ms / 1000);
	struct tm tm;
	char week[16];
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(week, sizeof week, "%G-W%V", &tm) == 0)
		return -1;
	char *last = store_state_get(ctx->st, STATE_KEY);
	if (last == NULL) {
		/* A new database: this week is where counting starts. */
		return store_state_set(ctx->st, STATE_KEY, week);
	}
	bool done = strcmp(last, week) == 0;
	free(last);
	int weekday = tm.tm_wday == 0 ? 7 : tm.tm_wday; /* ISO: Monday = 1 */
	if (done || weekday != ctx->cfg->digest.weekday ||
	    tm.tm_hour < ctx->cfg->digest.hour)
		return 0;
	int64_t chat = leaders_chat_id(ctx->st, ctx->cfg);
	if (chat == 0)
		return 0; /* no group yet: the week stays open until there is */
	bool sent = false;
	if (send_digest(ctx, chat, &sent) < 0)
		return -1;
	log_info("weekly digest %s %s", week,
	    sent ? "sent to the leaders' "
	           "group"
	         : "skipped: a quiet week");
	return store_state_set(ctx->st, STATE_KEY, week);
}
