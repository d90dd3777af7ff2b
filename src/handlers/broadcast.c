/* /broadcast and /broadcasts: an organiser picks an audience, sends the
 * message itself (any message Telegram can copy: formatted text, a photo
 * with a caption, a document), sees a preview with the number of recipients
 * and confirms; the broadcast and all its outbox rows are written in that
 * update's transaction and copied with copyMessage, so formatting and media
 * arrive as the organiser made them. /broadcasts and the reports of finished
 * broadcasts are in broadcast_report.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/store/broadcasts.h"
#include "broadcast.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/plural.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/store/subscriptions.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/when.h"
#include "wizard.h"

#define FLOW "broadcast"

I18N(T_BC_CHOOSE, "<b>Рассылка</b>\nКому её отправить?",
    "<b>Broadcast</b>\nWho should get it?")
I18N(T_BC_BTN_LEADERS, "Группе руководителей", "The leaders' group")
I18N(T_BC_BTN_SUBSCRIBERS, "Всем подписчикам (%s)", "All subscribers (%s)")
I18N(T_BC_BTN_DIRECTION, "Подписчикам направления…",
    "Subscribers of one direction…")
I18N(T_BC_BTN_ALL, "Всем, кто пользуется ботом (%s)",
    "Everyone who uses the bot (%s)")
I18N(T_BC_BTN_CANCEL, "Отменить", "Cancel")
I18N(T_BC_BTN_SEND, "Отправить", "Send")
I18N(T_BC_CHOOSE_DIRECTION, "<b>Рассылка</b>\nПодписчикам какого направления?",
    "<b>Broadcast</b>\nSubscribers of which direction?")
I18N(T_BC_AUD_LEADERS, "группа руководителей", "the leaders' group")
I18N(T_BC_AUD_SUBSCRIBERS, "все подписчики", "all subscribers")
I18N(T_BC_AUD_DIRECTION, "подписчики направления «%s»", "subscribers of «%s»")
I18N(T_BC_AUD_ALL, "все, кто пользуется ботом, и группа руководителей",
    "everyone who uses the bot, and the leaders' group")
I18N(T_BC_ASK_MESSAGE,
    "<b>Рассылка</b>\nКому: %s.\n\n"
    "Теперь пришлите сообщение, которое нужно разослать: текст, фото с "
    "подписью или документ. Оно уйдёт в точности таким, как вы его "
    "оформите. Передумали — /cancel",
    "<b>Broadcast</b>\nTo: %s.\n\n"
    "Now send the message to broadcast: text, a photo with a caption or a "
    "document. It will go out exactly as you format it. Changed your "
    "mind? /cancel")
I18N(T_BC_PREVIEW, "<b>Рассылка</b>\nКому: %s.\n\nОтправить %s %s?",
    "<b>Broadcast</b>\nTo: %s.\n\nSend it to %s %s?")
I18N(T_BC_CHOOSE_FOR_TEXT, "<b>Рассылка</b>\n«%s»\n\nКому её отправить?",
    "<b>Broadcast</b>\n«%s»\n\nWho should get it?")
I18N(T_BC_PREVIEW_TEXT, "<b>Рассылка</b>\nКому: %s.\n\n%s\n\nОтправить %s %s?",
    "<b>Broadcast</b>\nTo: %s.\n\n%s\n\nSend it to %s %s?")
I18N(T_BC_RECIPIENT_ONE, "получателю", "recipient")
I18N(T_BC_RECIPIENT_MANY, "получателям", "recipients")
I18N(T_BC_NOBODY,
    "Сейчас в этой аудитории никого нет (кому: %s). Выберите другую — "
    "/broadcast",
    "There is nobody in this audience yet (to: %s). Choose another one — "
    "/broadcast")
I18N(T_BC_NO_LEADERS,
    "Группа руководителей ещё не подключена: администратор может "
    "сделать это командой /setgroup в самой группе.",
    "The leaders' group is not connected yet: an admin can do it with "
    "/setgroup in that group.")
I18N(T_BC_STARTED,
    "<b>Рассылка №%lld</b> отправляется: %s %s.\n"
    "Когда закончу, пришлю отчёт. Как идёт — /broadcasts",
    "<b>Broadcast #%lld</b> is going out to %s %s.\n"
    "I will report when it is done. Progress — /broadcasts")
I18N(T_BC_CANCELLED, "Рассылка отменена.", "The broadcast is cancelled.")
I18N(T_BC_STALE, "Эта рассылка уже отправлена или отменена.",
    "This broadcast has already been sent or cancelled.")
I18N(T_BC_SENDING, "Отправляю", "Sending")
I18N(T_BC_NOT_NOW, "Сначала выберите, кому отправить, — /broadcast",
    "First choose who gets it — /broadcast")

/* Russian datives have two forms: 1, 21, 101 получателю; 2, 5, 11, 12
 * получателям. English: 1 recipient, 21 recipients. */
static const char *
recipients_word(const char *lang, int64_t n)
{
	return plural_pick(lang, n, &T_BC_RECIPIENT_ONE, &T_BC_RECIPIENT_MANY,
	    &T_BC_RECIPIENT_MANY);
}

void
broadcast_audience_label(struct buf *out, const struct config *cfg,
    const char *lang, enum broadcast_audience a, const char *direction)
{
	struct buf dir = BUF_INIT;
	switch (a) {
	case AUDIENCE_LEADERS:
		buf_puts(out, i18n_pick(lang, &T_BC_AUD_LEADERS));
		break;
	case AUDIENCE_SUBSCRIBERS:
		buf_puts(out, i18n_pick(lang, &T_BC_AUD_SUBSCRIBERS));
		break;
	case AUDIENCE_DIRECTION:
		html_escape(&dir,
		    direction ? config_direction_label_of(cfg, direction, lang)
		              : "?");
		i18n_appendp(out, lang, &T_BC_AUD_DIRECTION, buf_str(&dir));
		break;
	case AUDIENCE_ALL:
	default:
		buf_puts(out, i18n_pick(lang, &T_BC_AUD_ALL));
		break;
	}
	buf_release(&dir);
}

static json_t *
one_button_row(const char *text, const char *data)
{
	return json_pack("[o]", callback_button(text, data));
}

/* The audience menu, with the size of each audience on its button. */
static json_t *
audience_keyboard(struct handler_ctx *ctx)
{
	json_t *rows = json_array();
	struct buf b = BUF_INIT, n = BUF_INIT;
	if (leaders_chat_id(ctx->st, ctx->cfg) != 0)
		json_array_append_new(rows,
		    one_button_row(tr(ctx, &T_BC_BTN_LEADERS), "bc:a:leaders"));
	format_count(&n, subscriptions_count(ctx->st, NULL, ctx->user.id),
	    ctx->lang);
	i18n_appendp(&b, ctx->lang, &T_BC_BTN_SUBSCRIBERS, buf_str(&n));
	json_array_append_new(rows,
	    one_button_row(buf_str(&b), "bc:a:subscribers"));
	json_array_append_new(rows,
	    one_button_row(tr(ctx, &T_BC_BTN_DIRECTION), "bc:a:direction"));
	struct broadcast_target all = {
	    .audience = AUDIENCE_ALL,
	    .leaders_chat_id = leaders_chat_id(ctx->st, ctx->cfg),
	    .author = ctx->user.id,
	};
	buf_reset(&b);
	buf_reset(&n);
	format_count(&n, broadcasts_count(ctx->st, &all), ctx->lang);
	i18n_appendp(&b, ctx->lang, &T_BC_BTN_ALL, buf_str(&n));
	json_array_append_new(rows, one_button_row(buf_str(&b), "bc:a:all"));
	json_array_append_new(rows,
	    one_button_row(tr(ctx, &T_BC_BTN_CANCEL), "bc:x"));
	buf_release(&b);
	buf_release(&n);
	return json_pack("{s:o}", "inline_keyboard", rows);
}

/* Directions two to a row, each with its number of subscribers. */
static json_t *
direction_keyboard(struct handler_ctx *ctx)
{
	json_t *rows = json_array();
	json_t *choices = json_array();
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		char data[32], label[128];
		const char *d = ctx->cfg->directions[i];
		snprintf(data, sizeof data, "bc:d:%zu", i);
		snprintf(label, sizeof label, "%s (%lld)",
		    config_direction_label(ctx->cfg, i, ctx->lang),
		    (long long)subscriptions_count(ctx->st, d, ctx->user.id));
		json_array_append_new(choices, callback_button(label, data));
	}
	buttons_two_per_row(rows, choices);
	json_array_append_new(rows,
	    one_button_row(tr(ctx, &T_BC_BTN_CANCEL), "bc:x"));
	return json_pack("{s:o}", "inline_keyboard", rows);
}

int
handle_broadcast(struct handler_ctx *ctx)
{
	/* A fresh start forgets a half-made broadcast. The open menu is a
	 * conversation too, so that /cancel closes it. */
	json_t *draft = json_object();
	/* "/broadcast Сбор в субботу в 10, приходите!": that text is the
	 * message; after the audience comes the preview. */
	char *text = utf8_clean_input(ctx->cmd.args, false);
	json_t *mid = json_object_get(ctx->message, "message_id");
	if (text != NULL && *text != '\0' && json_is_integer(mid)) {
		json_object_set_new(draft, "text", json_string(text));
		json_object_set(draft, "message_id", mid);
	}
	int saved = wizard_save(ctx, FLOW, "audience", draft);
	json_decref(draft);
	if (saved < 0) {
		free(text);
		return -1;
	}
	json_t *kb = audience_keyboard(ctx);
	int rc;
	if (text != NULL && *text != '\0') {
		struct buf t = BUF_INIT;
		html_escape_quoted(&t, text);
		rc = reply_text(ctx, kb, &T_BC_CHOOSE_FOR_TEXT, buf_str(&t));
		buf_release(&t);
	} else {
		rc = reply_text(ctx, kb, &T_BC_CHOOSE);
	}
	json_decref(kb);
	free(text);
	return rc;
}

/* The target of the conversation's draft; false when it names none. */
static bool
draft_target(struct handler_ctx *ctx, json_t *draft, struct broadcast_target *t)
{
	memset(t, 0, sizeof *t);
	const char *a = json_string_value(json_object_get(draft, "audience"));
	if (broadcast_audience_parse(a, &t->audience) < 0)
		return false;
	t->direction = json_string_value(json_object_get(draft, "direction"));
	if (t->audience == AUDIENCE_DIRECTION && t->direction == NULL)
		return false;
	t->leaders_chat_id = leaders_chat_id(ctx->st, ctx->cfg);
	t->author = ctx->user.id;
	return true;
}

static json_t *
send_keyboard(struct handler_ctx *ctx, int64_t message_id)
{
	char go[40];
	snprintf(go, sizeof go, "bc:go:%lld", (long long)message_id);
	return json_pack("{s:[[o, o]]}", "inline_keyboard",
	    callback_button(tr(ctx, &T_BC_BTN_SEND), go),
	    callback_button(tr(ctx, &T_BC_BTN_CANCEL), "bc:x"));
}

/* The audience of a text typed after /broadcast was chosen: the menu
 * becomes the preview (the text is the message; there is nothing to ask).
 * Takes `draft`. */
static int
preview_typed(struct handler_ctx *ctx, json_t *draft, const char *typed)
{
	struct broadcast_target t;
	int64_t mid = json_integer_value(json_object_get(ctx->conv.draft,
	    "message_id"));
	json_object_set_new(draft, "text", json_string(typed));
	json_object_set_new(draft, "message_id", json_integer(mid));
	json_object_set_new(draft, "from_chat_id", json_integer(ctx->chat_id));
	int64_t count = draft_target(ctx, draft, &t)
	    ? broadcasts_count(ctx->st, &t)
	    : -1;
	struct buf label = BUF_INIT, text = BUF_INIT, n = BUF_INIT,
	           body = BUF_INIT;
	json_t *kb = NULL;
	int rc;
	if (count < 0) {
		rc = handler_fail(ctx, "cannot count the audience");
		goto out;
	}
	broadcast_audience_label(&label, ctx->cfg, ctx->lang, t.audience,
	    t.direction);
	if (count == 0) {
		i18n_appendp(&text, ctx->lang, &T_BC_NOBODY, buf_str(&label));
		rc = wizard_clear(ctx);
	} else {
		html_escape(&body, typed);
		format_count(&n, count, ctx->lang);
		i18n_appendp(&text, ctx->lang, &T_BC_PREVIEW_TEXT,
		    buf_str(&label), buf_str(&body), buf_str(&n),
		    recipients_word(ctx->lang, count));
		kb = send_keyboard(ctx, mid);
		rc = wizard_save(ctx, FLOW, "confirm", draft);
	}
	if (rc == 0)
		rc = edit_html(ctx, ctx->cb_message_id, buf_str(&text), kb);
out:
	json_decref(kb);
	json_decref(draft);
	buf_release(&label);
	buf_release(&text);
	buf_release(&n);
	buf_release(&body);
	return rc;
}

/* An audience was chosen: remember it and ask for the message. */
static int
choose_audience(struct handler_ctx *ctx, enum broadcast_audience a,
    const char *direction)
{
	if (a == AUDIENCE_LEADERS && leaders_chat_id(ctx->st, ctx->cfg) == 0)
		return answer_callback(ctx, tr(ctx, &T_BC_NO_LEADERS), true);
	json_t *draft = json_pack("{s:s}", "audience",
	    broadcast_audience_name(a));
	if (direction != NULL)
		json_object_set_new(draft, "direction", json_string(direction));
	const char *typed = ctx->conv.flow != NULL
	    ? json_string_value(json_object_get(ctx->conv.draft, "text"))
	    : NULL;
	if (typed != NULL)
		return preview_typed(ctx, draft, typed);
	int rc = wizard_save(ctx, FLOW, "message", draft);
	json_decref(draft);
	if (rc < 0)
		return -1;
	struct buf label = BUF_INIT, text = BUF_INIT;
	broadcast_audience_label(&label, ctx->cfg, ctx->lang, a, direction);
	i18n_appendp(&text, ctx->lang, &T_BC_ASK_MESSAGE, buf_str(&label));
	rc = edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL);
	buf_release(&label);
	buf_release(&text);
	return rc;
}

static int
confirm(struct handler_ctx *ctx, int64_t message_id)
{
	struct broadcast_target t;
	if (ctx->conv.flow == NULL || strcmp(ctx->conv.flow, FLOW) != 0 ||
	    strcmp(ctx->conv.step, "confirm") != 0 ||
	    json_integer_value(json_object_get(ctx->conv.draft,
	        "message_id")) != message_id ||
	    !draft_target(ctx, ctx->conv.draft, &t))
		return answer_callback(ctx, tr(ctx, &T_BC_STALE), false);
	int64_t from_chat = json_integer_value(json_object_get(ctx->conv.draft,
	    "from_chat_id"));
	char *footer_ru = broadcast_footer(ctx, t.audience, t.direction, "ru");
	char *footer_en = broadcast_footer(ctx, t.audience, t.direction, "en");
	/* The leaders' group gets the sender without a stop button: it is
	 * the council's working chat, and a member's press there would stop
	 * only that member. */
	char *footer_group = broadcast_footer(ctx, AUDIENCE_LEADERS, NULL,
	    "ru");
	t.markup_ru = footer_ru;
	t.markup_en = footer_en;
	t.markup_group = footer_group;
	t.text = json_string_value(json_object_get(ctx->conv.draft, "text"));
	int64_t total = 0;
	int64_t id = broadcasts_create(ctx->st, &t, from_chat, message_id,
	    ctx->now_ms, &total);
	free(footer_ru);
	free(footer_en);
	free(footer_group);
	if (id < 0)
		return handler_fail(ctx, "cannot create the broadcast");
	struct buf label = BUF_INIT, text = BUF_INIT, n = BUF_INIT;
	broadcast_audience_label(&label, ctx->cfg, ctx->lang, t.audience,
	    t.direction);
	int rc;
	if (id == 0) {
		i18n_appendp(&text, ctx->lang, &T_BC_NOBODY, buf_str(&label));
	} else {
		format_count(&n, total, ctx->lang);
		i18n_appendp(&text, ctx->lang, &T_BC_STARTED, (long long)id,
		    buf_str(&n), recipients_word(ctx->lang, total));
		log_info("broadcast %lld by %lld to %s: %lld recipients",
		    (long long)id, (long long)ctx->user.id,
		    broadcast_audience_name(t.audience), (long long)total);
	}
	rc = edit_html(ctx, ctx->cb_message_id, buf_str(&text), NULL);
	if (rc == 0 && wizard_clear(ctx) < 0)
		rc = -1;
	if (rc == 0 && id > 0)
		rc = answer_callback(ctx, tr(ctx, &T_BC_SENDING), false);
	buf_release(&label);
	buf_release(&text);
	buf_release(&n);
	return rc;
}

int
broadcast_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	if (!ctx_is_private(ctx))
		return answer_callback(ctx, tr(ctx, &T_BC_STALE), false);
	/* The audience menu works while its conversation is open (/cancel
	 * closes it). */
	bool open = ctx->conv.flow != NULL && strcmp(ctx->conv.flow, FLOW) == 0;
	if (!open && (strncmp(a, "a:", 2) == 0 || strncmp(a, "d:", 2) == 0))
		return answer_callback(ctx, tr(ctx, &T_BC_STALE), false);
	if (strncmp(a, "a:", 2) == 0) {
		enum broadcast_audience aud;
		if (broadcast_audience_parse(a + 2, &aud) < 0)
			return answer_callback(ctx, tr(ctx, &T_BC_STALE),
			    false);
		if (aud == AUDIENCE_DIRECTION) {
			json_t *kb = direction_keyboard(ctx);
			int rc = edit_html(ctx, ctx->cb_message_id,
			    tr(ctx, &T_BC_CHOOSE_DIRECTION), kb);
			json_decref(kb);
			return rc;
		}
		return choose_audience(ctx, aud, NULL);
	}
	if (strncmp(a, "d:", 2) == 0) {
		char *end;
		unsigned long i = strtoul(a + 2, &end, 10);
		if (end == a + 2 || *end != '\0' || i >= ctx->cfg->n_directions)
			return answer_callback(ctx, tr(ctx, &T_BC_STALE),
			    false);
		return choose_audience(ctx, AUDIENCE_DIRECTION,
		    ctx->cfg->directions[i]);
	}
	if (strncmp(a, "go:", 3) == 0) {
		char *end;
		long long mid = strtoll(a + 3, &end, 10);
		if (end == a + 3 || *end != '\0')
			return answer_callback(ctx, tr(ctx, &T_BC_STALE),
			    false);
		return confirm(ctx, mid);
	}
	if (strcmp(a, "x") == 0) {
		if (open && wizard_clear(ctx) < 0)
			return -1;
		return edit_html(ctx, ctx->cb_message_id,
		    tr(ctx, &T_BC_CANCELLED), NULL);
	}
	return answer_callback(ctx, tr(ctx, &T_BC_STALE), false);
}

/* The message to broadcast (or a replacement for it, before Send). */
int
broadcast_on_message(struct handler_ctx *ctx)
{
	struct broadcast_target t;
	json_t *mid = json_object_get(ctx->message, "message_id");
	if (!json_is_integer(mid) || !draft_target(ctx, ctx->conv.draft, &t)) {
		if (wizard_clear(ctx) < 0)
			return -1;
		return reply_text(ctx, NULL, &T_BC_NOT_NOW);
	}
	int64_t count = broadcasts_count(ctx->st, &t);
	if (count < 0)
		return handler_fail(ctx, "cannot count the audience");
	struct buf label = BUF_INIT, n = BUF_INIT;
	broadcast_audience_label(&label, ctx->cfg, ctx->lang, t.audience,
	    t.direction);
	int rc;
	if (count == 0) {
		rc = reply_text(ctx, NULL, &T_BC_NOBODY, buf_str(&label));
		if (rc == 0 && wizard_clear(ctx) < 0)
			rc = -1;
		goto out;
	}
	json_t *draft = json_deep_copy(ctx->conv.draft);
	json_object_del(draft, "text"); /* a message replaces a typed text */
	json_object_set_new(draft, "message_id",
	    json_integer(json_integer_value(mid)));
	json_object_set_new(draft, "from_chat_id", json_integer(ctx->chat_id));
	rc = wizard_save(ctx, FLOW, "confirm", draft);
	json_decref(draft);
	if (rc < 0)
		goto out;
	json_t *kb = send_keyboard(ctx, json_integer_value(mid));
	format_count(&n, count, ctx->lang);
	rc = reply_text(ctx, kb, &T_BC_PREVIEW, buf_str(&label), buf_str(&n),
	    recipients_word(ctx->lang, count));
	json_decref(kb);
out:
	buf_release(&label);
	buf_release(&n);
	return rc;
}
