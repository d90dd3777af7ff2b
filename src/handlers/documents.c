/* Recognition on paper: a citizen asks for a «Справка о волонтёрской
 * деятельности» (the button under /my, then their name as it should be
 * printed, and whether to show money); an organiser thanks every helper of
 * a closed action with a «Благодарственное письмо» in one step (/thank);
 * an admin revokes a document (/revoke_doc). Updates only queue documents:
 * the documents job (handlers/documents_make.c, with /revoke_doc and
 * forgetting) makes a few PDFs per tick (doc/pdf.c), writes their
 * verify pages (site/verify.c) and enqueues each as a document to its
 * holder's private chat at a low priority, so that 200 letters hold up no
 * one's replies. Only confirmed help counts: received pledges, attended
 * volunteers. */
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

#define DOC_FLOW "document"
/* A printed name: long enough for a full Russian name with patronymic. */
#define DOC_NAME_MAX 80

I18N(T_DC_NOTHING,
    "Справку пока не из чего составить: в неё попадает только помощь, "
    "которую организаторы отметили полученной.",
    "There is nothing to put in a record yet: it holds only the help that "
    "organisers have recorded as received.")
I18N(T_DC_ASK_NAME,
    "📄 <b>Справка о волонтёрской деятельности</b>\n\nКак написать ваше "
    "имя в справке? Напишите имя и фамилию (можно с отчеством) так, как они "
    "должны стоять в документе%s. Выйти — /cancel",
    "📄 <b>Record of volunteering</b>\n\nHow should your name be written "
    "on it? Type your first and last name as they should appear on the "
    "document%s. To leave — /cancel")
I18N(T_DC_ASK_FIX,
    "🏅 <b>Благодарственное письмо с верным именем</b>\n\nКак написать "
    "ваше имя? Напишите имя и фамилию так, как они должны стоять в "
    "письме%s. Прежнее письмо будет отозвано. Выйти — /cancel",
    "🏅 <b>The thank-you letter with the right name</b>\n\nHow should "
    "your name be written? Type your first and last name as they should "
    "appear on the letter%s. The old letter will be revoked. To leave — "
    "/cancel")
I18N(T_DC_FIXED,
    "Письмо № %lld отозвано; готовлю новое, № %lld, на имя «%s». Пришлю "
    "его сюда в течение минуты.",
    "Letter No. %lld is revoked; preparing a new one, No. %lld, in the "
    "name of «%s». I will send it here within a minute.")
I18N(T_DC_ASK_NAME_OR, ", или нажмите кнопку, если так верно",
    ", or press the button if this is right")
I18N(T_DC_NAME_BAD,
    "Имя должно быть от 2 до 80 символов, например: Анна Сергеевна "
    "Белова. Напишите его ещё раз или /cancel.",
    "The name must be 2 to 80 characters, for example: Anna Belova. Type "
    "it again, or /cancel.")
I18N(T_DC_ASK_MONEY,
    "Указать в справке ваши денежные пожертвования (%s)? Обычно в справке "
    "о волонтёрстве их не пишут.",
    "Show your money donations (%s) on the record? Records of volunteering "
    "usually leave them out.")
I18N(T_DC_MONEY_YES, "Да, указать", "Yes, show them")
I18N(T_DC_MONEY_NO, "Нет, без денег", "No, leave them out")
I18N(T_DC_QUEUED,
    "Готовлю справку № %lld на имя «%s». Пришлю её сюда PDF-файлом в "
    "течение минуты.",
    "Preparing record No. %lld in the name of «%s». I will send it here as "
    "a PDF within a minute.")
I18N(T_DC_PRESS, "Нажмите кнопку выше или напишите /cancel.",
    "Press a button above, or /cancel.")
I18N(T_TH_USAGE,
    "Напишите номер закрытой акции, например: /thank 12 — каждый, чья "
    "помощь по ней получена, получит благодарственное письмо (PDF) в "
    "личные сообщения.",
    "Please give the number of a closed action, for example: /thank 12 — "
    "everyone whose help for it was received gets a thank-you letter (PDF) "
    "in a private message.")
I18N(T_TH_OPEN,
    "Акция №%lld ещё открыта. Благодарственные письма выдаются по "
    "закрытой акции: сначала /close %lld.",
    "Action #%lld is still open. Thank-you letters are issued for a closed "
    "action: first /close %lld.")
I18N(T_TH_NOBODY,
    "По акции №%lld «%s» нет подтверждённой помощи: письма получают те, "
    "чью помощь вы отметили полученной (/received) или чьё участие "
    "подтвердили.",
    "Action #%lld «%s» has no confirmed help: letters go to those whose "
    "help you recorded as received (/received) or whose attendance you "
    "confirmed.")
I18N(T_TH_HEAD,
    "🏅 <b>Благодарственные письма по акции №%lld «%s»</b>\n",
    "🏅 <b>Thank-you letters for action #%lld «%s»</b>\n")
I18N(T_TH_NEW,
    "Выдаю сейчас: %zu. Каждый получит своё письмо в личные сообщения в "
    "ближайшие минуты.\n",
    "Issuing now: %zu. Each will get their letter in a private message "
    "within minutes.\n")
I18N(T_TH_NONE_NEW, "Новых писем нет: все уже выданы.\n",
    "No new letters: all have been issued.\n")
I18N(T_TH_LINE, "• %s — письмо № %lld %s\n", "• %s — letter No. %lld %s\n")
I18N(T_TH_SENT, "✅ получено", "✅ delivered")
I18N(T_TH_SENDING, "📤 отправляется", "📤 being sent")
I18N(T_TH_WAIT, "⏳ готовится", "⏳ being prepared")
I18N(T_TH_FAILED, "⚠️ не удалось составить",
    "⚠️ could not be made")
I18N(T_TH_UNDELIVERED,
    "⚠️ не доставлено (бот заблокирован или чат удалён)",
    "⚠️ not delivered (the bot is blocked or the chat is gone)")
I18N(T_TH_MORE, "…и ещё %zu\n", "…and %zu more\n")

/* --- the citizen's record: name, money, queue ------------------------ */

static int ask_money_or_queue(struct handler_ctx *ctx, const char *name);

/* "dc:r" under /my: asks for the name to print, offering the one they
 * chose last time (or their Telegram name) as a button. "dc:f:<letter>"
 * under a letter: the same, to print the letter again with the right
 * name (fix_id). */
static int
record_start(struct handler_ctx *ctx, int64_t fix_id)
{
	struct pledge_record r;
	if (pledges_record(ctx->st, ctx->user.id, &r) < 0)
		return handler_fail(ctx, "cannot read the record");
	if (fix_id > 0) {
		struct document d;
		int rc = documents_load(ctx->st, fix_id, &d);
		if (rc < 0)
			return handler_fail(ctx, "cannot load a document");
		bool own = rc == 1 && d.user_id == ctx->user.id &&
		    d.kind == DOC_LETTER && d.state == DOC_ISSUED &&
		    d.revoked_at == 0;
		document_release(&d);
		if (!own || !ctx_is_private(ctx) ||
		    ctx->chat_id != ctx->user.id)
			return answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	}
	answer_callback(ctx, NULL, false);
	if (r.actions_helped == 0)
		return reply_text(ctx, NULL, &T_DC_NOTHING);
	bool chosen = false;
	char *name = documents_default_name(ctx->st, ctx->user.id, &chosen);
	json_t *draft = json_object();
	if (name != NULL)
		json_object_set_new(draft, "suggest", json_string(name));
	if (fix_id > 0)
		json_object_set_new(draft, "fix", json_integer(fix_id));
	int rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id,
	    DOC_FLOW, "name", draft, ctx->now_ms);
	json_decref(draft);
	if (rc < 0) {
		free(name);
		return handler_fail(ctx, "cannot save the conversation");
	}
	json_t *kb = NULL;
	if (name != NULL) {
		struct buf label = BUF_INIT;
		buf_puts(&label, "✅ ");
		buf_append(&label, name,
		    utf8_prefix_bytes(name, strlen(name), 40));
		kb = json_pack("{s:[[o]]}", "inline_keyboard",
		    callback_button(buf_str(&label), "dc:n"));
		buf_release(&label);
	}
	rc = reply_text(ctx, kb, fix_id > 0 ? &T_DC_ASK_FIX : &T_DC_ASK_NAME,
	    name != NULL ? tr(ctx, &T_DC_ASK_NAME_OR) : "");
	json_decref(kb);
	free(name);
	return rc;
}

static bool
in_doc_flow(const struct handler_ctx *ctx, const char *step)
{
	return ctx->conv.flow != NULL &&
	    strcmp(ctx->conv.flow, DOC_FLOW) == 0 && ctx->conv.step != NULL &&
	    strcmp(ctx->conv.step, step) == 0;
}

/* Queues the record in the holder's own private chat: nobody can ask for
 * another person's document, as the holder is always the one asking. */
static int
queue_record(struct handler_ctx *ctx, const char *name, bool chosen,
    bool show_money)
{
	struct document d;
	memset(&d, 0, sizeof d);
	if (document_new_code(d.code) < 0)
		return handler_fail(ctx, "no random code");
	d.kind = DOC_RECORD;
	d.user_id = ctx->user.id;
	d.chat_id = ctx->user.id;
	d.holder_name = (char *)name;
	d.name_chosen = chosen;
	d.show_money = show_money;
	int64_t id = documents_insert(ctx->st, &d, ctx->now_ms);
	if (id <= 0)
		return handler_fail(ctx, "cannot queue a record");
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	struct buf shown = BUF_INIT;
	html_escape(&shown, name);
	int rc = reply_text(ctx, NULL, &T_DC_QUEUED, (long long)id,
	    buf_str(&shown));
	buf_release(&shown);
	return rc;
}

/* A letter printed with the wrong name: the holder typed the right one.
 * The old letter is revoked (its page says by what it was replaced) and a
 * new one queued for the same action. Only the holder's own letter. */
static int
queue_fixed_letter(struct handler_ctx *ctx, const char *name, int64_t old_id)
{
	struct document old;
	int rc = documents_load(ctx->st, old_id, &old);
	if (rc < 0)
		return handler_fail(ctx, "cannot load a document");
	if (rc == 0 || old.user_id != ctx->user.id || old.kind != DOC_LETTER ||
	    old.revoked_at != 0 || old.state != DOC_ISSUED) {
		document_release(&old);
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
		return reply_msg(ctx, MSG_BUTTON_STALE);
	}
	struct document d;
	memset(&d, 0, sizeof d);
	if (document_new_code(d.code) < 0) {
		document_release(&old);
		return handler_fail(ctx, "no random code");
	}
	struct buf reason = BUF_INIT;
	int64_t id = -1;
	if (documents_revoke(ctx->st, old_id, ctx->user.id, NULL,
	        ctx->now_ms) == 1) {
		d.kind = DOC_LETTER;
		d.user_id = ctx->user.id;
		d.chat_id = ctx->user.id;
		d.action_id = old.action_id;
		d.issued_by = old.issued_by;
		d.holder_name = (char *)name;
		d.name_chosen = true;
		id = documents_insert(ctx->st, &d, ctx->now_ms);
	}
	if (id > 0) {
		buf_printf(&reason, "заменён письмом № %lld", (long long)id);
		rc = documents_set_revoke_reason(ctx->st, old_id,
		    buf_str(&reason));
	}
	buf_release(&reason);
	if (id <= 0 || rc < 0) {
		document_release(&old);
		return handler_fail(ctx, "cannot replace a letter");
	}
	char *cause = NULL;
	struct document again;
	if (documents_load(ctx->st, old_id, &again) == 1) {
		if (documents_write_page(ctx->st, ctx->cfg, &again, &cause) <
		    0) {
			log_warn("verify page of %lld: %s", (long long)old_id,
			    cause);
			free(cause);
		}
		document_release(&again);
	}
	document_release(&old);
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	struct buf shown = BUF_INIT;
	html_escape(&shown, name);
	rc = reply_text(ctx, NULL, &T_DC_FIXED, (long long)old_id,
	    (long long)id, buf_str(&shown));
	buf_release(&shown);
	return rc;
}

/* The name is settled: money donations are printed only when the person
 * says so; without any, the record is queued at once. */
static int
ask_money_or_queue(struct handler_ctx *ctx, const char *name)
{
	json_int_t fix = json_integer_value(json_object_get(ctx->conv.draft,
	    "fix"));
	if (fix > 0)
		return queue_fixed_letter(ctx, name, fix);
	struct pledge_record r;
	if (pledges_record(ctx->st, ctx->user.id, &r) < 0)
		return handler_fail(ctx, "cannot read the record");
	if (r.money_given == 0)
		return queue_record(ctx, name, true, false);
	json_t *draft = json_pack("{s:s}", "name", name);
	int rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id,
	    DOC_FLOW, "money", draft, ctx->now_ms);
	json_decref(draft);
	if (rc < 0)
		return handler_fail(ctx, "cannot save the conversation");
	struct buf m = BUF_INIT;
	money_format(&m, r.money_given);
	json_t *kb = json_pack("{s:[[o, o]]}", "inline_keyboard",
	    callback_button(tr(ctx, &T_DC_MONEY_YES), "dc:m:1"),
	    callback_button(tr(ctx, &T_DC_MONEY_NO), "dc:m:0"));
	rc = reply_text(ctx, kb, &T_DC_ASK_MONEY, buf_str(&m));
	json_decref(kb);
	buf_release(&m);
	return rc;
}

int
documents_on_message(struct handler_ctx *ctx)
{
	if (!in_doc_flow(ctx, "name"))
		return reply_text(ctx, NULL, &T_DC_PRESS);
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	char *name = utf8_clean_input(text ? text : "", true);
	size_t n = utf8_length(name, strlen(name));
	int rc;
	if (n < 2 || n > DOC_NAME_MAX)
		rc = reply_text(ctx, NULL, &T_DC_NAME_BAD);
	else
		rc = ask_money_or_queue(ctx, name);
	free(name);
	return rc;
}

int
documents_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	if (strcmp(a, "r") == 0)
		return record_start(ctx, 0);
	if (strncmp(a, "f:", 2) == 0) {
		int64_t id = 0;
		char *end = NULL;
		long long v = strtoll(a + 2, &end, 10);
		if (end != a + 2 && *end == '\0' && v > 0)
			id = v;
		if (id > 0)
			return record_start(ctx, id);
	}
	bool own_chat = ctx_is_private(ctx) && ctx->chat_id == ctx->user.id;
	if (own_chat && strcmp(a, "n") == 0 && in_doc_flow(ctx, "name")) {
		const char *name =
		    json_string_value(json_object_get(ctx->conv.draft,
		        "suggest"));
		if (name != NULL) {
			answer_callback(ctx, NULL, false);
			char *copy = xstrdup(name);
			int rc = ask_money_or_queue(ctx, copy);
			free(copy);
			return rc;
		}
	}
	if (own_chat && strncmp(a, "m:", 2) == 0 &&
	    (a[2] == '0' || a[2] == '1') && a[3] == '\0' &&
	    in_doc_flow(ctx, "money")) {
		const char *name =
		    json_string_value(json_object_get(ctx->conv.draft, "name"));
		if (name != NULL) {
			answer_callback(ctx, NULL, false);
			char *copy = xstrdup(name);
			int rc = queue_record(ctx, copy, true, a[2] == '1');
			free(copy);
			return rc;
		}
	}
	return answer_callback(ctx, i18n_text(ctx->lang, MSG_BUTTON_STALE),
	    false);
}

/* --- the organiser's letters ----------------------------------------- */

/* The state of each letter of the action, for the organiser to see who
 * got one. */
static int
letters_status(struct handler_ctx *ctx, struct buf *b, int64_t action_id)
{
	struct document_brief *list = NULL;
	size_t n = 0;
	if (documents_letters_of_action(ctx->st, action_id, &list, &n) < 0)
		return -1;
	const size_t shown_max = 50;
	for (size_t i = 0; i < n && i < shown_max; i++) {
		struct buf name = BUF_INIT;
		html_escape(&name, list[i].holder_name);
		const char *o = list[i].delivery;
		const struct i18n_pair *st = &T_TH_WAIT;
		if (list[i].state == DOC_FAILED)
			st = &T_TH_FAILED;
		else if (strcmp(o, "sent") == 0)
			st = &T_TH_SENT;
		else if (strcmp(o, "failed") == 0 ||
		    strcmp(o, "cancelled") == 0)
			st = &T_TH_UNDELIVERED;
		else if (list[i].state == DOC_ISSUED)
			st = &T_TH_SENDING;
		i18n_appendp(b, ctx->lang, &T_TH_LINE, buf_str(&name),
		    (long long)list[i].id, tr(ctx, st));
		buf_release(&name);
	}
	if (n > shown_max)
		i18n_appendp(b, ctx->lang, &T_TH_MORE, n - shown_max);
	document_briefs_free(list, n);
	return 0;
}

int
handle_thank(struct handler_ctx *ctx)
{
	struct action a;
	memset(&a, 0, sizeof a);
	int rc = action_from_args(ctx, &T_TH_USAGE, &a, NULL);
	if (rc == 1)
		rc = managed_action(ctx, &a);
	if (rc <= 0) {
		action_release(&a);
		return rc;
	}
	struct buf title = BUF_INIT, b = BUF_INIT;
	html_escape_quoted(&title, a.title);
	struct pledge *list = NULL;
	size_t n = 0;
	int64_t *helpers = NULL;
	if (!a.closed) {
		rc = reply_text(ctx, NULL, &T_TH_OPEN, (long long)a.id,
		    (long long)a.id);
		goto out;
	}
	if (pledges_of_action(ctx->st, a.id, &list, &n) < 0) {
		rc = handler_fail(ctx, "cannot read pledges");
		goto out;
	}
	helpers = xcalloc(n + 1, sizeof *helpers);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == PLEDGE_RECEIVED && list[i].user_id != 0)
			helpers[k++] = list[i].user_id;
	if (k == 0) {
		rc = reply_text(ctx, NULL, &T_TH_NOBODY, (long long)a.id,
		    buf_str(&title));
		goto out;
	}
	qsort(helpers, k, sizeof *helpers, documents_cmp_id);
	size_t fresh = 0;
	for (size_t i = 0; i < k; i++) {
		if (i > 0 && helpers[i] == helpers[i - 1])
			continue;
		struct document d;
		memset(&d, 0, sizeof d);
		bool chosen = false;
		char *name = documents_default_name(ctx->st, helpers[i],
		    &chosen);
		if (name == NULL)
			continue; /* forgotten meanwhile, or nameless */
		if (document_new_code(d.code) < 0) {
			free(name);
			rc = handler_fail(ctx, "no random code");
			goto out;
		}
		d.kind = DOC_LETTER;
		d.user_id = helpers[i];
		d.chat_id = helpers[i];
		d.action_id = a.id;
		d.issued_by = ctx->user.id;
		d.holder_name = name;
		d.name_chosen = chosen;
		int64_t id = documents_insert(ctx->st, &d, ctx->now_ms);
		free(name);
		if (id < 0) {
			rc = handler_fail(ctx, "cannot queue a letter");
			goto out;
		}
		fresh += id > 0;
	}
	i18n_appendp(&b, ctx->lang, &T_TH_HEAD, (long long)a.id,
	    buf_str(&title));
	if (fresh > 0)
		i18n_appendp(&b, ctx->lang, &T_TH_NEW, fresh);
	else
		i18n_appendp(&b, ctx->lang, &T_TH_NONE_NEW);
	if (letters_status(ctx, &b, a.id) < 0) {
		rc = handler_fail(ctx, "cannot list letters");
		goto out;
	}
	rc = reply_html(ctx, buf_str(&b), NULL);
out:
	free(helpers);
	pledges_free(list, n);
	buf_release(&title);
	buf_release(&b);
	action_release(&a);
	return rc;
}
