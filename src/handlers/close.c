/* /close: the organiser's closing of an action — its result and photo, a
 * preview to publish, change or cancel, the pledges still unmarked — and
 * the closing report it sends (handlers/report.c). */
#include "actions.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/text/split.h"
#include "dobrobot/store/subscriptions.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"

I18N(T_R_RESULT, "Итог: %s\n", "Result: %s\n")
I18N(T_NO_SUCH_ACTION, "Акции №%lld нет. Открытые акции — /actions",
    "There is no action #%lld. Open actions — /actions")
I18N(T_NOT_YOURS,
    "Изменять и завершать акцию №%lld могут её автор, организаторы её "
    "организации и администраторы.",
    "Only the author of action #%lld, the organisers of its organisation "
    "and admins can change or close it.")
I18N(T_ALREADY_CLOSED, "Акция №%lld уже завершена.",
    "Action #%lld is already over.")
I18N(T_CLOSE_USAGE,
    "Напишите номер акции, например: /close 12\nМожно сразу добавить "
    "итог: /close 12 Собрали всё, спасибо!",
    "Please give the action's number, for example: /close 12\nYou may add "
    "the result: /close 12 We collected everything, thank you!")
I18N(T_CLOSE_ASK,
    "Завершаем акцию №%lld «%s». Напишите коротко, чем она закончилась — "
    "это увидят группа руководителей и все, кто обещал помощь, вместе с "
    "итоговыми цифрами. Например: <i>Передали 40 одеял в приют «Надежда». "
    "Спасибо!</i>\n\nМожно прислать фото с подписью — подпись станет "
    "итогом, а фото уйдёт вместе с ним. Если писать нечего — отправьте "
    "«-». Передумали — /cancel",
    "Closing action #%lld «%s». Please write briefly how it ended — the "
    "leaders' group and everyone who pledged will see it, with the final "
    "totals. For example: <i>We took 40 blankets to the «Nadezhda» "
    "shelter. Thank you!</i>\n\nYou may send a photo with a caption — the "
    "caption becomes the result, and the photo goes with it. If there is "
    "nothing to say, send «-». Changed your mind? /cancel")
I18N(T_CLOSE_TEXT_ONLY,
    "Напишите итог текстом (можно фото с подписью) или отправьте «-», "
    "чтобы завершить без него.",
    "Please write the result as text (a photo with a caption will do), or "
    "send «-» to close without one.")
I18N(T_CLOSE_PHOTO_KEPT,
    "Фото есть 📷 Теперь напишите итог текстом — или «-», чтобы отправить "
    "фото без слов.",
    "Got the photo 📷 Now please write the result as text — or «-» to send "
    "the photo without words.")
I18N(T_CLOSED_PEOPLE_SENT,
    "Итоги и благодарность получат лично те, кто обещал помощь: %s. ",
    "Everyone who pledged gets the results and thanks in person: %s. ")
I18N(T_CLOSE_TOO_LONG,
    "Итог длиннее %d знаков (сейчас %zu). Сократите его, пожалуйста.",
    "The result is longer than %d characters (now %zu). Please shorten it.")
I18N(T_CLOSED_DONE,
    "Акция №%lld завершена, обещания больше не принимаются. %s%s"
    "Объявления обновятся в течение нескольких секунд.\nОбещания, которые "
    "ещё не отмечены полученными, — /pledges %lld",
    "Action #%lld is closed; no more pledges are taken. %s%s"
    "The announcements will update within a few seconds.\nPledges not yet "
    "marked received — /pledges %lld")
I18N(T_CLOSED_SUMMARY_SENT, "Итоги ушли в группу руководителей. ",
    "The summary went to the leaders' group. ")
I18N(T_CLOSE_PREVIEW_HEAD,
    "👀 <b>Проверьте итог акции №%lld</b> — пока ничего не отправлено.\n"
    "Группа руководителей увидит:\n\n",
    "👀 <b>Check the result of action #%lld</b> — nothing has been sent "
    "yet.\nThe leaders' group will see:\n\n")
I18N(T_CLOSE_PREVIEW_NO_GROUP,
    "👀 <b>Проверьте итог акции №%lld</b> — пока ничего не отправлено. "
    "Группа руководителей не подключена, итог увидят только те, кто "
    "обещал помощь:\n\n",
    "👀 <b>Check the result of action #%lld</b> — nothing has been sent "
    "yet. No leaders' group is set up; only those who pledged will see "
    "it:\n\n")
I18N(T_CLOSE_PREVIEW_PHOTO, "\n📷 С фото.", "\n📷 With the photo.")
I18N(T_CLOSE_PREVIEW_PEOPLE,
    "\n\nЛично итоги получат все, кто обещал помощь: %lld, из них "
    "с благодарностью — те, чья помощь отмечена полученной: %lld.",
    "\n\nEveryone who pledged gets the results in person: %lld; with "
    "thanks those whose help is marked received: %lld.")
I18N(T_CLOSE_PREVIEW_NOBODY, "\n\nЛично писать некому: обещаний нет.",
    "\n\nNobody to write to in person: there are no pledges.")
I18N(T_CLOSE_PREVIEW_UNMARKED,
    "\n\n⚠️ %lld %s — отметить сейчас? Тем, чьё обещание не "
    "отмечено, я напишу, что организаторы не отметили получение, без "
    "благодарности.",
    "\n\n⚠️ %lld %s — mark them now? Those whose pledge is not marked "
    "will hear that the organisers have not marked it received, without "
    "thanks.")
I18N(T_UNMARKED_ONE, "обещание не отмечено полученным",
    "pledge is not marked received")
I18N(T_UNMARKED_FEW, "обещания не отмечены полученными",
    "pledges are not marked received")
I18N(T_UNMARKED_MANY, "обещаний не отмечены полученными",
    "pledges are not marked received")
I18N(T_CLOSE_PREVIEW_FOOT,
    "\n\nМожно прислать фото — оно уйдёт вместе с итогом.",
    "\n\nYou may send a photo — it goes with the result.")
I18N(T_CLOSE_B_PUBLISH, "✅ Опубликовать", "✅ Publish")
I18N(T_CLOSE_B_CHANGE, "✏️ Изменить", "✏️ Change")
I18N(T_CLOSE_B_CANCEL, "Отмена", "Cancel")
I18N(T_CLOSE_B_MARK, "☑️ Отметить полученные",
    "☑️ Mark received")
I18N(T_CLOSE_B_RECEIVED, "№%lld получено: %s", "#%lld received: %s")
I18N(T_CLOSE_MARK_HEAD,
    "Не отмечены полученными (%lld). Нажмите на то, что пришло; количество "
    "или сумму, если пришло не всё, — /received <i>номер</i> "
    "<i>сколько</i>. Потом вернитесь к итогу — /close %lld",
    "Not marked received (%lld). Tap what came; for a different quantity "
    "or sum — /received <i>number</i> <i>how much</i>. Then back to the "
    "result — /close %lld")
I18N(T_CLOSE_KEPT_OPEN,
    "Хорошо, ничего не отправил — акция №%lld остаётся открытой.",
    "OK, nothing was sent — action #%lld stays open.")
I18N(T_CLOSE_ASK_AGAIN,
    "Напишите итог заново (можно фото с подписью) или «-», чтобы "
    "завершить без него. Передумали — /cancel",
    "Please write the result again (a photo with a caption will do), or "
    "«-» to close without one. Changed your mind? /cancel")
I18N(T_CLOSE_IN_PRIVATE,
    "Итог акции №%lld я показал вам в личном чате: там его можно "
    "проверить и опубликовать.",
    "I have shown you the result of action #%lld in our private chat: "
    "check and publish it there.")
I18N(T_SUMMARY_HEAD, "🏁 <b>Акция №%lld завершена</b>\n«%s»\n",
    "🏁 <b>Action #%lld is over</b>\n«%s»\n")
I18N(T_SUMMARY_HELPERS, "\nПомогли: %lld. Спасибо каждому!",
    "\nPeople who helped: %lld. Thank you, everyone!")

static char *
xstrdup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* ---- closing ---- */

/* The closing report for the leaders' group. */
static void
closing_summary(struct buf *b, const struct action *a, int64_t helped,
    const char *lang)
{
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	i18n_appendp(b, lang, &T_SUMMARY_HEAD, (long long)a->id, buf_str(&t));
	buf_release(&t);
	if (a->result != NULL && *a->result != '\0') {
		struct buf r = BUF_INIT;
		html_escape(&r, a->result);
		i18n_appendp(b, lang, &T_R_RESULT, buf_str(&r));
		buf_release(&r);
	}
	struct buf p = BUF_INIT;
	if (action_render_progress(&p, a, lang) > 0) {
		buf_putc(b, '\n');
		buf_puts(b, buf_str(&p));
	}
	buf_release(&p);
	i18n_appendp(b, lang, &T_SUMMARY_HELPERS, (long long)helped);
}

/* Closes the action with `result` (NULL for none) and `photo` (a file_id,
 * NULL for none), reports to the leaders' group and to everyone who pledged
 * (handlers/report.c) and answers the organiser. */
static int
close_action(struct handler_ctx *ctx, int64_t id, const char *result,
    const char *photo)
{
	int rc = actions_close(ctx->st, id, result, ctx->now_ms);
	if (rc < 0)
		return handler_fail(ctx, "cannot close action %lld",
		    (long long)id);
	if (rc == 0)
		return reply_text(ctx, NULL, &T_ALREADY_CLOSED, (long long)id);
	if (photo != NULL && actions_set_result_photo(ctx->st, id, photo) < 0)
		return handler_fail(ctx, "cannot keep the closing photo");
	struct action a;
	if (actions_load(ctx->st, id, &a) != 1)
		return handler_fail(ctx, "closed action %lld vanished",
		    (long long)id);
	int64_t leaders = leaders_chat_id(ctx->st, ctx->cfg);
	struct closing_counts counts;
	if (report_closing_counts(ctx->st, &a, leaders, &counts) < 0) {
		action_release(&a);
		return handler_fail(ctx, "cannot count the closing report");
	}
	struct buf b = BUF_INIT;
	closing_summary(&b, &a, counts.helped, ctx->cfg->locale);
	rc = 0;
	bool to_group = false;
	size_t people = 0;
	if (report_closing(ctx, &a, buf_str(&b), photo, &to_group, &people) < 0)
		rc = handler_fail(ctx, "cannot enqueue the closing report");
	struct buf sent = BUF_INIT;
	if (people > 0) {
		char count[24];
		snprintf(count, sizeof count, "%zu", people);
		i18n_appendp(&sent, ctx->lang, &T_CLOSED_PEOPLE_SENT, count);
	}
	if (rc == 0 && leaders != ctx->chat_id)
		rc = reply_text(ctx, NULL, &T_CLOSED_DONE, (long long)id,
		    to_group ? tr(ctx, &T_CLOSED_SUMMARY_SENT) : "",
		    buf_str(&sent), (long long)id);
	buf_release(&sent);
	buf_release(&b);
	action_release(&a);
	return rc;
}

/* The organiser's result, checked: sanitised, trimmed, at most
 * ACTION_RESULT_MAX characters; "-" means none. Returns 0 with *out (NULL
 * for none; caller frees), or 1 when refused (answered). */
static int
close_result(struct handler_ctx *ctx, const char *text, char **out)
{
	*out = NULL;
	char *clean = utf8_sanitize(text, strlen(text));
	char *t = utf8_trim(clean);
	free(clean);
	if (*t == '\0' || strcmp(t, "-") == 0 || strcmp(t, "—") == 0) {
		free(t);
		return 0;
	}
	size_t len = utf8_length(t, strlen(t));
	if (len > ACTION_RESULT_MAX) {
		free(t);
		reply_text(ctx, NULL, &T_CLOSE_TOO_LONG, ACTION_RESULT_MAX,
		    len);
		return 1;
	}
	*out = t;
	return 0;
}

/* Russian plural forms: 1 обещание, 2 обещания, 5 обещаний. */
static const char *
unmarked_words(const char *lang, int64_t n)
{
	int64_t d = n % 10, h = n % 100;
	if (d == 1 && h != 11)
		return i18n_pick(lang, &T_UNMARKED_ONE);
	if (strcmp(lang, "en") != 0 && d >= 2 && d <= 4 && (h < 12 || h > 14))
		return i18n_pick(lang, &T_UNMARKED_FEW);
	return i18n_pick(lang, &T_UNMARKED_MANY);
}

static json_t *
close_preview_keyboard(struct handler_ctx *ctx, int64_t id, bool unmarked)
{
	char pub[32], change[32], mark[32];
	snprintf(pub, sizeof pub, "cl:pub:%lld", (long long)id);
	snprintf(change, sizeof change, "cl:edit:%lld", (long long)id);
	snprintf(mark, sizeof mark, "cl:mark:%lld", (long long)id);
	json_t *rows = json_array();
	if (unmarked)
		json_array_append_new(rows,
		    json_pack("[o]",
		        callback_button(tr(ctx, &T_CLOSE_B_MARK), mark)));
	json_array_append_new(rows,
	    json_pack("[o]",
	        callback_button(tr(ctx, &T_CLOSE_B_PUBLISH), pub)));
	json_array_append_new(rows,
	    json_pack("[o, o]",
	        callback_button(tr(ctx, &T_CLOSE_B_CHANGE), change),
	        callback_button(tr(ctx, &T_CLOSE_B_CANCEL), "cl:no")));
	return json_pack("{s:o}", "inline_keyboard", rows);
}

/* Nothing goes out at once: the organiser sees what the group will read,
 * how many people will get it, and which pledges are still unmarked, and
 * then publishes, changes or cancels. The draft (result, photo) waits in
 * the organiser's private conversation; a preview asked for in the group
 * goes to the private chat. Returns 0 or -1. */
static int
close_preview(struct handler_ctx *ctx, int64_t id, const char *result,
    const char *photo)
{
	struct action a;
	int rc = actions_load(ctx->st, id, &a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action %lld",
		    (long long)id);
	if (rc == 0)
		return reply_text(ctx, NULL, &T_NO_SUCH_ACTION, (long long)id);
	if (a.closed) {
		action_release(&a);
		return reply_text(ctx, NULL, &T_ALREADY_CLOSED, (long long)id);
	}
	json_t *draft = json_pack("{s:I}", "id", (json_int_t)id);
	if (result != NULL)
		json_object_set_new(draft, "result", json_string(result));
	if (photo != NULL)
		json_object_set_new(draft, "photo", json_string(photo));
	rc = conversation_save(ctx->st, ctx->user.id, ctx->user.id, "close",
	    "confirm", draft, ctx->now_ms);
	json_decref(draft);
	int64_t leaders = leaders_chat_id(ctx->st, ctx->cfg);
	struct closing_counts c;
	if (rc < 0 || report_closing_counts(ctx->st, &a, leaders, &c) < 0) {
		action_release(&a);
		return handler_fail(ctx, "cannot prepare the closing preview");
	}
	free(a.result);
	a.result = result != NULL ? xstrdup(result) : NULL;
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang,
	    leaders != 0 ? &T_CLOSE_PREVIEW_HEAD : &T_CLOSE_PREVIEW_NO_GROUP,
	    (long long)id);
	closing_summary(&b, &a, c.helped, ctx->cfg->locale);
	if (photo != NULL)
		i18n_appendp(&b, ctx->lang, &T_CLOSE_PREVIEW_PHOTO);
	if (c.people > 0)
		i18n_appendp(&b, ctx->lang, &T_CLOSE_PREVIEW_PEOPLE,
		    (long long)c.people, (long long)c.thanked);
	else
		i18n_appendp(&b, ctx->lang, &T_CLOSE_PREVIEW_NOBODY);
	if (c.unmarked > 0)
		i18n_appendp(&b, ctx->lang, &T_CLOSE_PREVIEW_UNMARKED,
		    (long long)c.unmarked,
		    unmarked_words(ctx->lang, c.unmarked));
	if (photo == NULL)
		i18n_appendp(&b, ctx->lang, &T_CLOSE_PREVIEW_FOOT);
	json_t *markup = close_preview_keyboard(ctx, id, c.unmarked > 0);
	if (ctx_is_private(ctx)) {
		rc = reply_html(ctx, buf_str(&b), markup);
	} else {
		rc = send_html(ctx->st, ctx->user.id, buf_str(&b), markup,
		         "reply", PRIO_REPLY, ctx->update_id) < 0
		    ? -1
		    : 0;
		if (rc == 0)
			rc = reply_text(ctx, NULL, &T_CLOSE_IN_PRIVATE,
			    (long long)id);
	}
	json_decref(markup);
	buf_release(&b);
	action_release(&a);
	return rc;
}

static int
ask_result(struct handler_ctx *ctx, const struct action *a)
{
	json_t *draft = json_pack("{s:I}", "id", (json_int_t)a->id);
	int rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id, "close",
	    "result", draft, ctx->now_ms);
	json_decref(draft);
	if (rc < 0)
		return handler_fail(ctx, "cannot save the conversation");
	struct buf t = BUF_INIT;
	html_escape_quoted(&t, a->title);
	rc = reply_text(ctx, NULL, &T_CLOSE_ASK, (long long)a->id, buf_str(&t));
	buf_release(&t);
	return rc;
}

int
handle_close(struct handler_ctx *ctx)
{
	struct action a;
	const char *rest = "";
	int rc = action_from_args(ctx, &T_CLOSE_USAGE, &a, &rest);
	if (rc <= 0)
		return rc;
	int64_t id = a.id;
	if (!can_manage_action(ctx, &a))
		rc = reply_text(ctx, NULL, &T_NOT_YOURS, (long long)id);
	else if (a.closed)
		rc = reply_text(ctx, NULL, &T_ALREADY_CLOSED, (long long)id);
	else if (*rest != '\0' || !ctx_is_private(ctx)) {
		char *result = NULL;
		rc = close_result(ctx, rest, &result);
		if (rc == 0)
			rc = close_preview(ctx, id, result, NULL);
		else
			rc = 0;
		free(result);
	} else {
		rc = ask_result(ctx, &a);
	}
	action_release(&a);
	return rc;
}

/* A message at the preview: a photo (its caption, if any, the new result)
 * joins the draft, a text replaces the result; then the preview again. */
static int
close_revise(struct handler_ctx *ctx, const char *text, const char *photo)
{
	json_t *d = ctx->conv.draft;
	int64_t id = json_integer_value(json_object_get(d, "id"));
	const char *kept = json_string_value(json_object_get(d, "result"));
	const char *kept_photo = json_string_value(json_object_get(d, "photo"));
	char *result = NULL;
	if (text != NULL) {
		if (close_result(ctx, text, &result) != 0)
			return 0; /* refused and answered */
	} else if (kept != NULL) {
		result = xstrdup(kept);
	}
	char *p = xstrdup_or_null(photo != NULL ? photo : kept_photo);
	int rc = close_preview(ctx, id, result, p);
	free(result);
	free(p);
	return rc;
}

int
close_on_message(struct handler_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	/* A photo: its caption is the result; without one, the photo waits
	 * in the draft for the text. */
	const char *sent_photo = report_message_photo(ctx->message);
	if (sent_photo != NULL && text == NULL)
		text = json_string_value(json_object_get(ctx->message,
		    "caption"));
	if (strcmp(ctx->conv.step, "confirm") == 0) {
		if (text == NULL && sent_photo == NULL)
			return reply_text(ctx, NULL, &T_CLOSE_TEXT_ONLY);
		return close_revise(ctx, text, sent_photo);
	}
	if (sent_photo != NULL && text == NULL) {
		json_object_set_new(ctx->conv.draft, "photo",
		    json_string(sent_photo));
		if (conversation_save(ctx->st, ctx->user.id, ctx->chat_id,
		        "close", "result", ctx->conv.draft, ctx->now_ms) < 0)
			return handler_fail(ctx,
			    "cannot save the conversation");
		return reply_text(ctx, NULL, &T_CLOSE_PHOTO_KEPT);
	}
	if (text == NULL)
		return reply_text(ctx, NULL, &T_CLOSE_TEXT_ONLY);
	const char *kept = json_string_value(json_object_get(ctx->conv.draft,
	    "photo"));
	char *photo = xstrdup_or_null(sent_photo != NULL ? sent_photo : kept);
	int64_t id = json_integer_value(json_object_get(ctx->conv.draft, "id"));
	struct action a;
	int rc = actions_load(ctx->st, id, &a);
	if (rc < 0) {
		free(photo);
		return handler_fail(ctx, "cannot load action");
	}
	bool found = rc == 1, closed = a.closed;
	bool allowed = found && can_manage_action(ctx, &a);
	action_release(&a);
	char *result = NULL;
	if (found && allowed && !closed &&
	    close_result(ctx, text, &result) != 0) {
		free(photo);
		return 0; /* refused and answered: the question stays open */
	}
	if (!found || !allowed || closed) {
		if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
			rc = handler_fail(ctx, "cannot clear the conversation");
		else if (!found)
			rc = reply_text(ctx, NULL, &T_NO_SUCH_ACTION,
			    (long long)id);
		else if (!allowed)
			rc = reply_text(ctx, NULL, &T_NOT_YOURS, (long long)id);
		else
			rc = reply_text(ctx, NULL, &T_ALREADY_CLOSED,
			    (long long)id);
	} else {
		rc = close_preview(ctx, id, result, photo);
	}
	free(result);
	free(photo);
	return rc;
}

/* The pledges still unmarked, each a button that marks it received as
 * /received would. */
static int
close_show_unmarked(struct handler_ctx *ctx, int64_t id)
{
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(ctx->st, id, &list, &n) < 0)
		return handler_fail(ctx, "cannot list pledges");
	json_t *rows = json_array();
	int64_t waiting = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pledge *p = &list[i];
		if (p->status != PLEDGE_PLEDGED)
			continue;
		waiting++;
		if (json_array_size(rows) >= 40)
			continue;
		struct buf what = BUF_INIT, label = BUF_INIT;
		pledge_display_name(&what, p, ctx->lang);
		buf_puts(&what, ", ");
		pledge_describe(&what, p, ctx->lang);
		/* Button labels are plain text, not HTML. */
		char *plain = html_to_plain(buf_str(&what));
		i18n_appendp(&label, ctx->lang, &T_CLOSE_B_RECEIVED,
		    (long long)p->id, plain);
		free(plain);
		char data[40];
		snprintf(data, sizeof data, "cl:r:%lld", (long long)p->id);
		size_t cut = utf8_prefix_bytes(buf_str(&label), label.len, 60);
		char *shown = xstrndup(buf_str(&label), cut);
		json_array_append_new(rows,
		    json_pack("[o]", callback_button(shown, data)));
		free(shown);
		buf_release(&what);
		buf_release(&label);
	}
	pledges_free(list, n);
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang, &T_CLOSE_MARK_HEAD, (long long)waiting,
	    (long long)id);
	json_t *markup = json_array_size(rows) > 0
	    ? json_pack("{s:o}", "inline_keyboard", rows)
	    : NULL;
	if (markup == NULL)
		json_decref(rows);
	int rc = reply_html(ctx, buf_str(&b), markup);
	json_decref(markup);
	buf_release(&b);
	return rc;
}

/* "cl:pub:<id>", "cl:edit:<id>", "cl:mark:<id>", "cl:no" on the preview;
 * "cl:r:<pledge>" on the list of unmarked pledges. */
int
close_on_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	if (strncmp(args, "r:", 2) == 0) {
		int64_t pid;
		if (parse_id(args + 2, &pid, NULL) < 0)
			return answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		/* The same checks and thanks as the command. */
		return pledge_receive(ctx, pid, "");
	}
	bool ours = ctx->conv.flow != NULL &&
	    strcmp(ctx->conv.flow, "close") == 0 &&
	    strcmp(ctx->conv.step, "confirm") == 0;
	int64_t id = json_integer_value(json_object_get(ctx->conv.draft, "id"));
	if (strcmp(args, "no") == 0) {
		if (!ours)
			return answer_callback(ctx,
			    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
		if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
			return handler_fail(ctx,
			    "cannot clear the conversation");
		return reply_text(ctx, NULL, &T_CLOSE_KEPT_OPEN, (long long)id);
	}
	const char *verb = args;
	const char *colon = strchr(args, ':');
	int64_t pressed = 0;
	if (colon == NULL || parse_id(colon + 1, &pressed, NULL) < 0 || !ours ||
	    pressed != id)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	size_t vlen = (size_t)(colon - verb);
	if (vlen == 4 && strncmp(verb, "mark", 4) == 0)
		return close_show_unmarked(ctx, id);
	struct action a;
	int rc = actions_load(ctx->st, id, &a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action");
	bool found = rc == 1, allowed = found && can_manage_action(ctx, &a);
	bool closed = found && a.closed;
	if (found && allowed && !closed && vlen == 4 &&
	    strncmp(verb, "edit", 4) == 0) {
		json_t *d = json_pack("{s:I}", "id", (json_int_t)id);
		const char *photo =
		    json_string_value(json_object_get(ctx->conv.draft,
		        "photo"));
		if (photo != NULL)
			json_object_set_new(d, "photo", json_string(photo));
		rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id,
		    "close", "result", d, ctx->now_ms);
		json_decref(d);
		action_release(&a);
		if (rc < 0)
			return handler_fail(ctx,
			    "cannot save the conversation");
		return reply_text(ctx, NULL, &T_CLOSE_ASK_AGAIN);
	}
	action_release(&a);
	if (!(vlen == 3 && strncmp(verb, "pub", 3) == 0))
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	char *result =
	    xstrdup_or_null(json_string_value(json_object_get(ctx->conv.draft,
	        "result")));
	char *photo =
	    xstrdup_or_null(json_string_value(json_object_get(ctx->conv.draft,
	        "photo")));
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		rc = handler_fail(ctx, "cannot clear the conversation");
	else if (!found)
		rc = reply_text(ctx, NULL, &T_NO_SUCH_ACTION, (long long)id);
	else if (!allowed)
		rc = reply_text(ctx, NULL, &T_NOT_YOURS, (long long)id);
	else if (closed)
		rc = reply_text(ctx, NULL, &T_ALREADY_CLOSED, (long long)id);
	else
		rc = close_action(ctx, id, result, photo);
	free(result);
	free(photo);
	return rc;
}
