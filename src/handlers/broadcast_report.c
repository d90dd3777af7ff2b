/* /broadcasts (the recent broadcasts, each with its progress or its
 * outcome) and the job that reports a finished broadcast to its author,
 * exactly once, restarts included. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/store/broadcasts.h"
#include "broadcast.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/when.h"

#define RECENT_SHOWN 10
#define REASONS_SHOWN 5

I18N(T_BC_REPORT,
    "<b>Рассылка №%lld завершена</b>\nКому: %s.\n\n"
    "Доставлено: %s из %s\nЗаблокировали бота: %s\nНе доставлено: %s\n"
    "Заняло: %s",
    "<b>Broadcast #%lld is done</b>\nTo: %s.\n\n"
    "Delivered: %s of %s\nBlocked the bot: %s\nNot delivered: %s\n"
    "Took: %s")
I18N(T_BC_REASONS, "\n\nПочему не доставлено:", "\n\nWhy not delivered:")
I18N(T_BC_LIST_HEAD, "<b>Последние рассылки</b>", "<b>Recent broadcasts</b>")
I18N(T_BC_LIST_EMPTY, "Рассылок пока не было. Начать — /broadcast",
    "There have been no broadcasts yet. Start one — /broadcast")
I18N(T_BC_LIST_ITEM, "\n\n<b>№%lld</b> · %s\nКому: %s\n",
    "\n\n<b>#%lld</b> · %s\nTo: %s\n")
I18N(T_BC_LIST_RUNNING, "Идёт: %s из %s %s", "In progress: %s of %s %s")
I18N(T_BC_LIST_DONE,
    "Доставлено %s из %s · заблокировали %s · не доставлено %s · за %s",
    "Delivered %s of %s · blocked %s · not delivered %s · took %s")

static bool
is_english(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0;
}

int
format_duration(struct buf *out, int64_t ms, const char *lang)
{
	bool en = is_english(lang);
	int64_t s = ms < 0 ? 0 : (ms + 500) / 1000;
	if (s < 60)
		return buf_printf(out, en ? "%lld s" : "%lld с", (long long)s);
	if (s < 3600)
		return buf_printf(out,
		    en ? "%lld min %lld s" : "%lld мин %lld с",
		    (long long)(s / 60), (long long)(s % 60));
	return buf_printf(out, en ? "%lld h %lld min" : "%lld ч %lld мин",
	    (long long)(s / 3600), (long long)(s % 3600 / 60));
}

static void
append_progress(struct buf *b, const struct broadcast_info *bi,
    const char *lang)
{
	struct buf x = BUF_INIT, y = BUF_INIT, bar = BUF_INIT;
	int64_t settled = bi->total - bi->pending;
	format_count(&x, settled, lang);
	format_count(&y, bi->total, lang);
	progress_bar(&bar, settled, bi->total, 10);
	i18n_appendp(b, lang, &T_BC_LIST_RUNNING, buf_str(&x), buf_str(&y),
	    buf_str(&bar));
	buf_release(&x);
	buf_release(&y);
	buf_release(&bar);
}

static void
append_outcome(struct buf *b, const struct broadcast_info *bi, const char *lang)
{
	struct buf d = BUF_INIT, t = BUF_INIT, k = BUF_INIT, f = BUF_INIT,
	           dur = BUF_INIT;
	format_count(&d, bi->delivered, lang);
	format_count(&t, bi->total, lang);
	format_count(&k, bi->blocked, lang);
	format_count(&f, bi->failed, lang);
	format_duration(&dur, bi->finished_at - bi->created_at, lang);
	i18n_appendp(b, lang, &T_BC_LIST_DONE, buf_str(&d), buf_str(&t),
	    buf_str(&k), buf_str(&f), buf_str(&dur));
	buf_release(&d);
	buf_release(&t);
	buf_release(&k);
	buf_release(&f);
	buf_release(&dur);
}

int
handle_broadcasts(struct handler_ctx *ctx)
{
	struct broadcast_info *list = NULL;
	size_t n = 0;
	if (broadcasts_recent(ctx->st, RECENT_SHOWN, &list, &n) < 0) {
		free(list);
		return handler_fail(ctx, "cannot list broadcasts");
	}
	struct buf b = BUF_INIT;
	if (n == 0)
		buf_puts(&b, tr(ctx, &T_BC_LIST_EMPTY));
	else
		buf_puts(&b, tr(ctx, &T_BC_LIST_HEAD));
	for (size_t i = 0; i < n; i++) {
		struct broadcast_info *bi = &list[i];
		struct buf when = BUF_INIT, label = BUF_INIT;
		when_format(&when, (time_t)(bi->created_at / 1000), ctx->lang);
		broadcast_audience_label(&label, ctx->cfg, ctx->lang,
		    bi->audience, bi->direction);
		i18n_appendp(&b, ctx->lang, &T_BC_LIST_ITEM, (long long)bi->id,
		    buf_str(&when), buf_str(&label));
		if (bi->done)
			append_outcome(&b, bi, ctx->lang);
		else
			append_progress(&b, bi, ctx->lang);
		buf_release(&when);
		buf_release(&label);
		broadcast_info_release(bi);
	}
	free(list);
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	return rc;
}

/* The report of a finished broadcast, in its author's language. */
static int
report(struct job_ctx *ctx, int64_t id)
{
	struct broadcast_info bi;
	if (broadcasts_get(ctx->st, id, &bi) <= 0)
		return -1;
	const char *lang = bi.author_lang;
	struct buf b = BUF_INIT, label = BUF_INIT, d = BUF_INIT, t = BUF_INIT,
	           k = BUF_INIT, f = BUF_INIT, dur = BUF_INIT;
	broadcast_audience_label(&label, ctx->cfg, lang, bi.audience,
	    bi.direction);
	format_count(&d, bi.delivered, lang);
	format_count(&t, bi.total, lang);
	format_count(&k, bi.blocked, lang);
	format_count(&f, bi.failed, lang);
	format_duration(&dur, bi.finished_at - bi.created_at, lang);
	i18n_appendp(&b, lang, &T_BC_REPORT, (long long)bi.id, buf_str(&label),
	    buf_str(&d), buf_str(&t), buf_str(&k), buf_str(&f), buf_str(&dur));
	struct broadcast_reason *reasons = NULL;
	size_t nr = 0;
	int rc = 0;
	if (bi.failed > 0 &&
	    broadcasts_failure_reasons(ctx->st, id, REASONS_SHOWN, &reasons,
	        &nr) < 0)
		rc = -1;
	if (nr > 0)
		buf_puts(&b, i18n_pick(lang, &T_BC_REASONS));
	for (size_t i = 0; i < nr; i++) {
		struct buf c = BUF_INIT;
		format_count(&c, reasons[i].count, lang);
		buf_puts(&b, "\n• ");
		html_escape(&b, reasons[i].error);
		buf_printf(&b, " — %s", buf_str(&c));
		buf_release(&c);
	}
	broadcast_reasons_free(reasons, nr);
	if (rc == 0 &&
	    send_html(ctx->st, bi.author_id, buf_str(&b), NULL, "report",
	        PRIO_REPLY, 0) < 0)
		rc = -1;
	if (rc == 0)
		log_info("broadcast %lld done: %lld delivered, %lld blocked, "
		         "%lld failed of %lld",
		    (long long)bi.id, (long long)bi.delivered,
		    (long long)bi.blocked, (long long)bi.failed,
		    (long long)bi.total);
	buf_release(&b);
	buf_release(&label);
	buf_release(&d);
	buf_release(&t);
	buf_release(&k);
	buf_release(&f);
	buf_release(&dur);
	broadcast_info_release(&bi);
	return rc;
}

/* Broadcasts whose rows are all settled become 'done' and their reports
 * are enqueued in the same transaction: a restart between the two cannot
 * lose the report or send it twice. */
int
broadcast_job(struct job_ctx *ctx)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = broadcasts_finish_settled(ctx->st, ctx->now_ms, &ids, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = report(ctx, ids[i]);
	free(ids);
	return rc;
}
