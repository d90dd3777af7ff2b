/* How handlers answer: outbox rows with Telegram's HTML, split when too long
 * (see handler.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/text/split.h"
#include "dobrobot/core/xalloc.h"

/* Telegram counts 4096 characters after entity parsing. */
#define MESSAGE_MAX_CHARS 4096

bool
ctx_is_private(const struct handler_ctx *ctx)
{
	return ctx->chat_type != NULL && strcmp(ctx->chat_type, "private") == 0;
}

int
handler_fail(struct handler_ctx *ctx, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(ctx->error);
	ctx->error = buf_detach(&b);
	return -1;
}

int64_t
send_html(struct store *st, int64_t chat_id, const char *html, json_t *markup,
    const char *kind, int priority, int64_t update_id)
{
	char **parts = NULL;
	size_t n = 0;
	int64_t id = -1;
	if (split_html(html, MESSAGE_MAX_CHARS, &parts, &n) < 0 || n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		json_t *payload = json_pack("{s:I, s:s, s:s, s:{s:b}}",
		    "chat_id", (json_int_t)chat_id, "text", parts[i],
		    "parse_mode", "HTML", "link_preview_options", "is_disabled",
		    1);
		if (markup != NULL && i == n - 1)
			json_object_set(payload, "reply_markup", markup);
		struct outbox_new m = {
		    .chat_id = chat_id,
		    .method = "sendMessage",
		    .payload = payload,
		    .kind = kind,
		    .priority = priority,
		    .update_id = update_id,
		};
		id = outbox_enqueue(st, &m);
		json_decref(payload);
		if (id < 0)
			break;
	}
	split_free(parts, n);
	return id;
}

int
reply_html(struct handler_ctx *ctx, const char *html, json_t *markup)
{
	return send_html(ctx->st, ctx->chat_id, html, markup, "reply",
	           PRIO_REPLY, ctx->update_id) < 0
	    ? -1
	    : 0;
}

int
reply_msg(struct handler_ctx *ctx, enum i18n_msg msg, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, msg);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	buf_vprintf(&b, i18n_text(ctx->lang, msg), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	return rc;
}

const char *
tr(const struct handler_ctx *ctx, const struct i18n_pair *p)
{
	return i18n_pick(ctx->lang, p);
}

int
reply_text(struct handler_ctx *ctx, json_t *markup, const struct i18n_pair *p,
    ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, p);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	buf_vprintf(&b, i18n_pick(ctx->lang, p), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	int rc = reply_html(ctx, buf_str(&b), markup);
	buf_release(&b);
	return rc;
}

/* Callback answers are not messages: they go out at once, outside any
 * chat's queue and rate limit (chat 0 is no chat; see sender.c). */
int
answer_callback(struct handler_ctx *ctx, const char *text, bool alert)
{
	json_t *id = json_object_get(ctx->callback, "id");
	if (ctx->callback == NULL || !json_is_string(id) || ctx->cb_answered)
		return 0;
	json_t *payload = json_pack("{s:O}", "callback_query_id", id);
	if (text != NULL && *text != '\0') {
		json_object_set_new(payload, "text", json_string(text));
		if (alert)
			json_object_set_new(payload, "show_alert", json_true());
	}
	struct outbox_new m = {
	    .chat_id = 0,
	    .method = "answerCallbackQuery",
	    .payload = payload,
	    .kind = OUTBOX_KIND_CALLBACK_ANSWER,
	    .priority = PRIO_REPLY,
	    .update_id = ctx->update_id,
	};
	int64_t rc = outbox_enqueue(ctx->st, &m);
	json_decref(payload);
	ctx->cb_answered = true;
	return rc < 0 ? -1 : 0;
}

int
edit_html(struct handler_ctx *ctx, int64_t message_id, const char *html,
    json_t *markup)
{
	char key[64];
	json_t *payload = json_pack("{s:I, s:I, s:s, s:s, s:{s:b}}", "chat_id",
	    (json_int_t)ctx->chat_id, "message_id", (json_int_t)message_id,
	    "text", html, "parse_mode", "HTML", "link_preview_options",
	    "is_disabled", 1);
	if (markup != NULL)
		json_object_set(payload, "reply_markup", markup);
	snprintf(key, sizeof key, "edit:%lld:%lld", (long long)ctx->chat_id,
	    (long long)message_id);
	struct outbox_new m = {
	    .chat_id = ctx->chat_id,
	    .method = "editMessageText",
	    .payload = payload,
	    .kind = "edit",
	    .priority = PRIO_REPLY,
	    .coalesce_key = key,
	    .update_id = ctx->update_id,
	};
	int64_t rc = outbox_enqueue(ctx->st, &m);
	json_decref(payload);
	return rc < 0 ? -1 : 0;
}

int
drop_keyboard(struct handler_ctx *ctx)
{
	char key[64];
	if (ctx->cb_message_id == 0)
		return 0;
	json_t *payload = json_pack("{s:I, s:I}", "chat_id",
	    (json_int_t)ctx->chat_id, "message_id",
	    (json_int_t)ctx->cb_message_id);
	snprintf(key, sizeof key, "markup:%lld:%lld", (long long)ctx->chat_id,
	    (long long)ctx->cb_message_id);
	struct outbox_new m = {
	    .chat_id = ctx->chat_id,
	    .method = "editMessageReplyMarkup",
	    .payload = payload,
	    .kind = "edit",
	    .priority = PRIO_REPLY,
	    .coalesce_key = key,
	    .update_id = ctx->update_id,
	};
	int64_t id = outbox_enqueue(ctx->st, &m);
	json_decref(payload);
	return id < 0 ? handler_fail(ctx, "cannot enqueue an edit") : 0;
}

void
buttons_two_per_row(json_t *rows, json_t *buttons)
{
	size_t n = json_array_size(buttons);
	for (size_t i = 0; i < n; i += 2) {
		json_t *row = json_array();
		json_array_append(row, json_array_get(buttons, i));
		if (i + 1 < n)
			json_array_append(row, json_array_get(buttons, i + 1));
		json_array_append_new(rows, row);
	}
	json_decref(buttons);
}

json_t *
callback_button(const char *text, const char *data)
{
	return json_pack("{s:s, s:s}", "text", text, "callback_data", data);
}
