/* Making the documents that handlers/documents.c queues: the documents
 * job (the PDF of each, its verify page, the copy to its holder's chat),
 * /revoke_doc, and forgetting a person's documents. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/text/base64.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/doc/pdf.h"
#include "dobrobot/store/documents.h"
#include "actions.h"
#include "documents.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/site/verify.h"
#include "dobrobot/core/xalloc.h"
#include "documents_internal.h"

/* Per tick of the documents job: a PDF takes some tens of milliseconds,
 * and the loop waits meanwhile; a few per second keep replies prompt. */
#define DOC_PER_TICK 3
#define DOC_TICK_BUDGET_MS 200
/* Pledges read for a record. */
#define DOC_PLEDGES_MAX 500
/* The PDF of a long record stays well under Telegram's 50 MB. */
#define DOC_PDF_MAX ((size_t)8 * 1024 * 1024)

I18N(T_DC_B_FIX, "✏️ Исправить имя", "✏️ Correct the name")
I18N(T_RD_USAGE,
    "Напишите номер документа и, если нужно, причину: /revoke_doc 12 "
    "выдан по ошибке",
    "Please give the document's number and, if you like, the reason: "
    "/revoke_doc 12 issued by mistake")
I18N(T_RD_NONE, "Документа № %lld нет или он уже отозван.",
    "There is no document No. %lld, or it is revoked already.")
I18N(T_RD_DONE, "Документ № %lld отозван.%s", "Document No. %lld is revoked.%s")
I18N(T_RD_PAGE, " Страница проверки теперь говорит об этом: %s",
    " Its verify page now says so: %s")
I18N(T_DOC_CAPTION_LETTER,
    "🏅 Благодарственное письмо № %lld — спасибо за помощь в акции «%s»!",
    "🏅 Thank-you letter No. %lld — thank you for helping with «%s»!")
I18N(T_DOC_CAPTION_RECORD, "📄 Справка № %lld о волонтёрской деятельности.",
    "📄 Record of volunteering No. %lld.")
I18N(T_DOC_CAPTION_VERIFY, "\nПроверка подлинности: %s", "\nVerification: %s")
I18N(T_DOC_CAPTION_NAME,
    "\nИмя написано не так? Нажмите «Исправить имя» — пришлю новое письмо.",
    "\nIs the name wrong? Press «Correct the name» for a new letter.")

/* The verify address of a code (new string), or NULL without a site. */
char *
documents_verify_url(const struct config *cfg, const char *code)
{
	if (cfg->site_base_url == NULL)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/verify/%s", cfg->site_base_url, code);
	return buf_detach(&b);
}

/* qsort's order of ids. */
int
documents_cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* --- making a document: the job --------------------------------------- */

/* What a person gave to one pledge, in words for paper. */
static void
describe_given(struct buf *out, const struct pledge *p)
{
	int64_t got = p->received_amount > 0 ? p->received_amount : p->amount;
	if (p->kind == PLEDGE_MONEY) {
		buf_puts(out, "пожертвование ");
		money_format(out, got);
	} else if (p->kind == PLEDGE_GOODS) {
		buf_puts(out, p->item ? p->item : "вещи");
		buf_printf(out, " — %lld", (long long)got);
		if (p->unit != NULL && *p->unit != '\0')
			buf_printf(out, " %s", p->unit);
	} else if (p->received_amount > 0) {
		buf_printf(out, "волонтёрская работа — %lld ч",
		    (long long)p->received_amount);
	} else {
		buf_puts(out, "участие волонтёром");
	}
}

/* What the verify page and the PDF share, in words. */
static void
totals_from(struct buf *out, const struct document *d)
{
	buf_printf(out, "акций — %lld", (long long)d->actions);
	if (d->hours > 0)
		buf_printf(out, "; часов волонтёрской работы — %lld",
		    (long long)d->hours);
	if (d->times > 0)
		buf_printf(out, "; участий волонтёром — %lld",
		    (long long)d->times);
	if (d->goods > 0)
		buf_printf(out, "; передач вещей — %lld", (long long)d->goods);
	if (d->money > 0) {
		buf_puts(out, "; пожертвовано — ");
		money_format(out, d->money);
	}
}

struct gathered {
	struct doc_entry *entries;
	size_t n;
	struct buf *texts; /* the entries' strings, owned */
	int64_t first_ms, last_ms;
};

static void
gathered_release(struct gathered *g)
{
	for (size_t i = 0; i < g->n * 2; i++)
		buf_release(&g->texts[i]);
	free(g->texts);
	free(g->entries);
	memset(g, 0, sizeof *g);
}

/* The confirmed help of the document's holder (for a letter: in its
 * action), oldest first, and the totals printed and kept. */
static int
gather(struct store *st, struct document *d, struct gathered *g,
    struct buf *totals, struct buf *contribution)
{
	struct pledge *list = NULL;
	size_t n = 0;
	int rc = d->kind == DOC_LETTER
	    ? pledges_of_action(st, d->action_id, &list, &n)
	    : pledges_of_user(st, d->user_id, DOC_PLEDGES_MAX, &list, &n);
	if (rc < 0)
		return -1;
	memset(g, 0, sizeof *g);
	g->entries = xcalloc(n + 1, sizeof *g->entries);
	g->texts = xcalloc(2 * n + 1, sizeof *g->texts);
	int64_t *actions = xcalloc(n + 1, sizeof *actions);
	size_t k = 0;
	d->hours = d->times = d->goods = d->money = 0;
	/* Letters read an action's pledges oldest first; a person's are
	 * newest first. */
	for (size_t j = 0; j < n; j++) {
		const struct pledge *p =
		    &list[d->kind == DOC_LETTER ? j : n - 1 - j];
		if (p->status != PLEDGE_RECEIVED || p->user_id != d->user_id)
			continue;
		if (p->kind == PLEDGE_MONEY && !d->show_money)
			continue;
		actions[k++] = p->action_id;
		if (p->kind == PLEDGE_MONEY)
			d->money += p->received_amount > 0 ? p->received_amount
			                                   : p->amount;
		else if (p->kind == PLEDGE_GOODS)
			d->goods++;
		else {
			d->times++;
			d->hours += p->received_amount;
		}
		int64_t when = p->received_at > 0 ? p->received_at
		                                  : p->created_at;
		if (g->first_ms == 0 || when < g->first_ms)
			g->first_ms = when;
		if (when > g->last_ms)
			g->last_ms = when;
		struct buf *date = &g->texts[2 * g->n];
		struct buf *what = &g->texts[2 * g->n + 1];
		report_date(date, when);
		describe_given(what, p);
		if (d->kind == DOC_LETTER) {
			if (contribution->len > 0)
				buf_puts(contribution, "; ");
			buf_puts(contribution, buf_str(what));
		}
		g->entries[g->n].date = buf_str(date);
		g->entries[g->n].action = NULL; /* set below: titles live in
		                                   the pledges */
		g->entries[g->n].what = buf_str(what);
		g->n++;
	}
	/* The titles: copied, as the pledges go. */
	size_t e = 0;
	for (size_t j = 0; j < n && e < g->n; j++) {
		const struct pledge *p =
		    &list[d->kind == DOC_LETTER ? j : n - 1 - j];
		if (p->status != PLEDGE_RECEIVED || p->user_id != d->user_id ||
		    (p->kind == PLEDGE_MONEY && !d->show_money))
			continue;
		g->entries[e++].action = xstrdup(p->action_title
		        ? p->action_title
		        : "");
	}
	qsort(actions, k, sizeof *actions, documents_cmp_id);
	d->actions = 0;
	for (size_t i = 0; i < k; i++)
		d->actions += i == 0 || actions[i] != actions[i - 1];
	free(actions);
	pledges_free(list, n);
	totals_from(totals, d);
	return 0;
}

static void
entries_free_titles(struct gathered *g)
{
	for (size_t i = 0; i < g->n; i++)
		free((char *)g->entries[i].action);
}

/* The PDF goes to the holder's chat as a document, after the replies. */
static int
enqueue_pdf(struct job_ctx *ctx, const struct document *d,
    const char *action_title, const struct buf *pdf, const char *url)
{
	char lang[3] = "ru";
	struct buf caption = BUF_INIT, b64 = BUF_INIT, title = BUF_INIT;
	if (d->kind == DOC_LETTER) {
		const char *t = action_title ? action_title : "";
		html_escape_n(&title, t, utf8_prefix_bytes(t, strlen(t), 100));
		i18n_appendp(&caption, lang, &T_DOC_CAPTION_LETTER,
		    (long long)d->id, buf_str(&title));
	} else {
		i18n_appendp(&caption, lang, &T_DOC_CAPTION_RECORD,
		    (long long)d->id);
	}
	if (url != NULL)
		i18n_appendp(&caption, lang, &T_DOC_CAPTION_VERIFY, url);
	if (d->kind == DOC_LETTER && !d->name_chosen)
		i18n_appendp(&caption, lang, &T_DOC_CAPTION_NAME);
	char filename[64];
	snprintf(filename, sizeof filename, "%s-%lld.pdf",
	    d->kind == DOC_LETTER ? "blagodarstvennoe-pismo" : "spravka",
	    (long long)d->id);
	int rc = -1;
	if (base64_encode(&b64, pdf->data, pdf->len) == 0) {
		json_t *payload = json_pack("{s:I, s:s, s:s, s:{s:s, s:s, "
		                            "s:s}}",
		    "chat_id", (json_int_t)d->chat_id, "caption",
		    buf_str(&caption), "parse_mode", "HTML", "_upload", "field",
		    "document", "filename", filename, "content_base64",
		    buf_str(&b64));
		if (payload != NULL && d->kind == DOC_LETTER &&
		    !d->name_chosen) {
			char data[40];
			snprintf(data, sizeof data, "dc:f:%lld",
			    (long long)d->id);
			json_object_set_new(payload, "reply_markup",
			    json_pack("{s:[[o]]}", "inline_keyboard",
			        callback_button(i18n_pick(lang, &T_DC_B_FIX),
			            data)));
		}
		struct outbox_new m = {
		    .chat_id = d->chat_id,
		    .method = "sendDocument",
		    .payload = payload,
		    .kind = "document",
		    .priority = PRIO_BROADCAST,
		    .ref_type = "document",
		    .ref_id = d->id,
		};
		rc = payload != NULL && outbox_enqueue(ctx->st, &m) >= 0 ? 0
		                                                         : -1;
		json_decref(payload);
	}
	buf_release(&caption);
	buf_release(&b64);
	buf_release(&title);
	return rc;
}

static void
page_from(struct verify_page *v, const struct document *d, const char *date,
    const char *action, const char *totals)
{
	memset(v, 0, sizeof *v);
	v->code = d->code;
	v->number = d->id;
	v->title = d->kind == DOC_LETTER
	    ? "Благодарственное письмо"
	    : "Справка о волонтёрской деятельности";
	v->date = date;
	v->issuer = d->org_name;
	v->holder = d->holder_name;
	v->action = action;
	v->totals = totals;
}

int
documents_make(struct store *st, const struct config *cfg,
    const char *bot_username, struct document *d, int64_t now_ms,
    struct buf *pdf, char **cause)
{
	struct action a;
	memset(&a, 0, sizeof a);
	if (d->kind == DOC_LETTER && actions_load(st, d->action_id, &a) != 1) {
		*cause = xstrdup("the action is gone");
		return -1;
	}
	free(d->org_name);
	d->org_name = xstrdup(d->kind == DOC_LETTER && a.org_name != NULL
	        ? a.org_name
	        : cfg->council_name);
	struct gathered g;
	struct buf totals = BUF_INIT, contribution = BUF_INIT, date = BUF_INIT,
	           period = BUF_INIT, action_date = BUF_INIT;
	if (gather(st, d, &g, &totals, &contribution) < 0) {
		action_release(&a);
		*cause = xstrdup("cannot read pledges");
		return -1;
	}
	int rc = 0;
	if (g.n == 0) {
		*cause = xstrdup("no confirmed help");
		rc = -1;
		goto out;
	}
	report_date(&date, now_ms);
	struct buf first = BUF_INIT, last = BUF_INIT;
	report_date(&first, g.first_ms);
	report_date(&last, g.last_ms);
	if (strcmp(buf_str(&first), buf_str(&last)) == 0)
		buf_printf(&period, "%s", buf_str(&first));
	else
		buf_printf(&period, "с %s по %s", buf_str(&first),
		    buf_str(&last));
	buf_release(&first);
	buf_release(&last);
	if (d->kind == DOC_LETTER) {
		if (a.starts_at > 0)
			report_date(&action_date, a.starts_at * 1000);
		else if (a.closed_at > 0)
			report_date(&action_date, a.closed_at);
	}
	char *url = documents_verify_url(cfg, d->code);
	struct doc_content c = {
	    .kind = d->kind,
	    .issuer = d->org_name,
	    .holder = d->holder_name,
	    .number = d->id,
	    .date = buf_str(&date),
	    .action = a.title,
	    .action_date = action_date.len > 0 ? buf_str(&action_date) : NULL,
	    .contribution = buf_str(&contribution),
	    .period = buf_str(&period),
	    .entries = g.entries,
	    .n_entries = g.n,
	    .totals = buf_str(&totals),
	    .verify_url = url,
	    .code = d->code,
	    .bot_username = bot_username,
	};
	rc = document_render_pdf(&c, pdf, cause);
	free(url);
out:
	entries_free_titles(&g);
	gathered_release(&g);
	buf_release(&totals);
	buf_release(&contribution);
	buf_release(&date);
	buf_release(&period);
	buf_release(&action_date);
	action_release(&a);
	return rc;
}

/* Writes the document's verify page from what the row holds (a revoked
 * one says so). Without a configured site there is none. */
int
documents_write_page(struct store *st, const struct config *cfg,
    const struct document *d, char **cause)
{
	if (cfg->site_dir == NULL)
		return 0;
	struct buf date = BUF_INIT, revoked = BUF_INIT, totals = BUF_INIT;
	struct action a;
	memset(&a, 0, sizeof a);
	if (d->kind == DOC_LETTER)
		actions_load(st, d->action_id, &a);
	report_date(&date, d->issued_at);
	totals_from(&totals, d);
	struct verify_page v;
	page_from(&v, d, buf_str(&date), a.title, buf_str(&totals));
	if (d->revoked_at > 0) {
		report_date(&revoked, d->revoked_at);
		v.revoked = true;
		v.revoked_date = buf_str(&revoked);
		v.revoke_reason = d->revoke_reason;
	}
	int rc = verify_write(cfg->site_dir, &v, cause);
	buf_release(&date);
	buf_release(&revoked);
	buf_release(&totals);
	action_release(&a);
	return rc;
}

static int
issue_one(struct job_ctx *ctx, int64_t id)
{
	struct document d;
	if (documents_load(ctx->st, id, &d) != 1)
		return -1;
	struct buf pdf;
	buf_init(&pdf, DOC_PDF_MAX);
	char *cause = NULL;
	int64_t t0 = clock_mono_ms();
	int rc = documents_make(ctx->st, ctx->cfg, ctx->bot_username, &d,
	    ctx->now_ms, &pdf, &cause);
	if (rc == 0) {
		d.issued_at = ctx->now_ms;
		rc = documents_write_page(ctx->st, ctx->cfg, &d, &cause);
	}
	if (rc < 0) {
		log_warn("document %lld not made: %s", (long long)id,
		    cause ? cause : "?");
		rc = documents_mark_failed(ctx->st, id, cause ? cause : "?");
		goto out;
	}
	struct action a;
	memset(&a, 0, sizeof a);
	if (d.kind == DOC_LETTER)
		actions_load(ctx->st, d.action_id, &a);
	char *url = documents_verify_url(ctx->cfg, d.code);
	rc = enqueue_pdf(ctx, &d, a.title, &pdf, url);
	free(url);
	action_release(&a);
	if (rc == 0)
		rc = documents_mark_issued(ctx->st, &d, ctx->now_ms);
	log_info("document %lld made: %zu bytes in %lld ms", (long long)id,
	    pdf.len, (long long)(clock_mono_ms() - t0));
out:
	free(cause);
	buf_release(&pdf);
	document_release(&d);
	return rc;
}

int
documents_job(struct job_ctx *ctx)
{
	int64_t *ids = NULL;
	size_t n = 0;
	if (documents_queued(ctx->st, DOC_PER_TICK, &ids, &n) < 0)
		return -1;
	int64_t start = clock_mono_ms();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = issue_one(ctx, ids[i]);
		if (clock_mono_ms() - start > DOC_TICK_BUDGET_MS)
			break;
	}
	free(ids);
	return rc;
}

/* --- the admin's revocation ------------------------------------------- */

int
handle_revoke_doc(struct handler_ctx *ctx)
{
	int64_t id = 0;
	const char *rest = NULL;
	if (parse_id(ctx->cmd.args, &id, &rest) < 0 || id <= 0)
		return reply_text(ctx, NULL, &T_RD_USAGE);
	char *reason = utf8_clean_input(rest ? rest : "", true);
	size_t cut = utf8_prefix_bytes(reason, strlen(reason), 200);
	reason[cut] = '\0';
	int rc = documents_revoke(ctx->st, id, ctx->user.id, reason,
	    ctx->now_ms);
	free(reason);
	if (rc < 0)
		return handler_fail(ctx, "cannot revoke a document");
	if (rc == 0)
		return reply_text(ctx, NULL, &T_RD_NONE, (long long)id);
	struct document d;
	if (documents_load(ctx->st, id, &d) != 1)
		return handler_fail(ctx, "revoked document vanished");
	char *cause = NULL;
	if (documents_write_page(ctx->st, ctx->cfg, &d, &cause) < 0) {
		log_warn("verify page of document %lld: %s", (long long)id,
		    cause);
		free(cause);
		document_release(&d);
		return handler_fail(ctx, "cannot rewrite the verify page");
	}
	char *url = documents_verify_url(ctx->cfg, d.code);
	struct buf page = BUF_INIT;
	if (url != NULL)
		i18n_appendp(&page, ctx->lang, &T_RD_PAGE, url);
	rc = reply_text(ctx, NULL, &T_RD_DONE, (long long)id, buf_str(&page));
	buf_release(&page);
	free(url);
	document_release(&d);
	return rc;
}

/* --- forgetting ------------------------------------------------------- */

int
documents_forget(struct store *st, const struct config *cfg, int64_t user_id)
{
	char **codes = NULL;
	size_t n = 0;
	if (documents_codes_of_user(st, user_id, &codes, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (cfg->site_dir != NULL &&
		    verify_remove(cfg->site_dir, codes[i]) < 0) {
			log_warn("cannot remove a verify page");
			rc = -1;
		}
		free(codes[i]);
	}
	free(codes);
	if (rc == 0 && documents_forget_user(st, user_id) < 0)
		rc = -1;
	return rc;
}
