/* /export <action>: the action's pledges (without a number, those of the
 * open actions of the organiser's organisations) as a CSV document for the
 * organiser's own records (sendDocument, uploaded from the outbox row's
 * "_upload" member). The file is what `dobrobot export --action` writes
 * (store/export.c). */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/export.h"
#include "actions.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"

I18N(T_EXPORT_USAGE,
    "Напишите номер акции, например: /export 12 — пришлю таблицу её "
    "обещаний (CSV для Excel и LibreOffice). Организатор организации может "
    "написать просто /export — будут все её открытые акции.",
    "Please give the action's number, for example: /export 12 — I will send "
    "a table of its pledges (CSV for Excel and LibreOffice). An "
    "organisation's organiser can write just /export for all its open "
    "actions.")
I18N(T_EXPORT_ORGS_EMPTY,
    "По открытым акциям ваших организаций пока нет обещаний — выгружать "
    "нечего. Одна акция — /export 12",
    "The open actions of your organisations have no pledges yet — nothing "
    "to export. One action — /export 12")
I18N(T_EXPORT_ORGS_CAPTION,
    "📄 Обещания по открытым акциям ваших организаций: %zu.\nТаблица для "
    "Excel и LibreOffice (UTF-8, разделитель «;»), организация — в "
    "последнем столбце.",
    "📄 Pledges for the open actions of your organisations: %zu.\nA table "
    "for Excel and LibreOffice (UTF-8, separated by «;»), the "
    "organisation in the last column.")
I18N(T_EXPORT_EMPTY,
    "По акции №%lld «%s» пока нет обещаний — выгружать нечего.",
    "Action #%lld «%s» has no pledges yet — nothing to export.")
I18N(T_EXPORT_CAPTION,
    "📄 Обещания по акции №%lld «%s»: %zu.\nТаблица для Excel и "
    "LibreOffice (UTF-8, разделитель «;»). Участники названы так, как "
    "разрешили сами; анонимные — «аноним».",
    "📄 Pledges for action #%lld «%s»: %zu.\nA table for Excel and "
    "LibreOffice (UTF-8, separated by «;»). Contributors are named as they "
    "allowed; anonymous ones as «anonymous».")

/* Without a number: the open actions of the organiser's organisations.
 * 1 with *f set, 0 answered (they act for none), -1. */
static int
orgs_filter(struct handler_ctx *ctx, struct export_filter *f)
{
	struct org *orgs = NULL;
	size_t n = 0;
	if (orgs_list(ctx->st, ctx->user.id, &orgs, &n) < 0)
		return handler_fail(ctx, "cannot list the organiser's orgs");
	for (size_t i = 0; i < n; i++)
		org_release(&orgs[i]);
	free(orgs);
	if (n == 0)
		return reply_text(ctx, NULL, &T_EXPORT_USAGE) < 0 ? -1 : 0;
	f->open_of_member = ctx->user.id;
	return 1;
}

int
handle_export(struct handler_ctx *ctx)
{
	struct action a;
	memset(&a, 0, sizeof a);
	struct export_filter f = {0};
	bool whole_orgs = ctx->cmd.args[0] == '\0';
	int rc = whole_orgs ? orgs_filter(ctx, &f)
	                    : action_from_args(ctx, &T_EXPORT_USAGE, &a, NULL);
	if (rc == 1 && !whole_orgs)
		rc = managed_action(ctx, &a);
	if (rc <= 0) {
		action_release(&a);
		return rc;
	}
	f.action_id = a.id;
	struct export_row *rows = NULL;
	size_t n = 0;
	if (export_rows(ctx->st, &f, &rows, &n) < 0) {
		action_release(&a);
		return handler_fail(ctx, "cannot read pledges to export");
	}
	struct buf title = BUF_INIT, caption = BUF_INIT, csv = BUF_INIT;
	buf_init(&csv, EXPORT_DOCUMENT_MAX);
	html_escape(&title, whole_orgs ? "" : a.title);
	if (n == 0) {
		rc = whole_orgs ? reply_text(ctx, NULL, &T_EXPORT_ORGS_EMPTY)
		                : reply_text(ctx, NULL, &T_EXPORT_EMPTY,
		                      (long long)a.id, buf_str(&title));
		goto out;
	}
	if (export_csv(&csv, rows, n, ctx->lang) < 0) {
		rc = handler_fail(ctx, "export of action %lld too large",
		    (long long)a.id);
		goto out;
	}
	char filename[64];
	if (whole_orgs) {
		i18n_appendp(&caption, ctx->lang, &T_EXPORT_ORGS_CAPTION, n);
		snprintf(filename, sizeof filename,
		    "dobrobot-open-actions.csv");
	} else {
		i18n_appendp(&caption, ctx->lang, &T_EXPORT_CAPTION,
		    (long long)a.id, buf_str(&title), n);
		snprintf(filename, sizeof filename, "dobrobot-action-%lld.csv",
		    (long long)a.id);
	}
	json_t *payload = json_pack("{s:I, s:s, s:s, s:{s:s, s:s, s:s%}}",
	    "chat_id", (json_int_t)ctx->chat_id, "caption", buf_str(&caption),
	    "parse_mode", "HTML", "_upload", "field", "document", "filename",
	    filename, "content", buf_str(&csv), csv.len);
	struct outbox_new m = {
	    .chat_id = ctx->chat_id,
	    .method = "sendDocument",
	    .payload = payload,
	    .kind = "export",
	    .priority = PRIO_REPLY,
	    .update_id = ctx->update_id,
	};
	rc = payload != NULL && outbox_enqueue(ctx->st, &m) >= 0
	    ? 0
	    : handler_fail(ctx, "cannot enqueue the export");
	json_decref(payload);
out:
	buf_release(&title);
	buf_release(&caption);
	buf_release(&csv);
	export_rows_free(rows, n);
	action_release(&a);
	return rc;
}
