/* How handlers answer: outbox rows with Telegram's HTML, split when too long
 * (see handler.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/buf.h"
#include "dobrobot/handler.h"
#include "dobrobot/outbox.h"
#include "dobrobot/split.h"
#include "dobrobot/xalloc.h"

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
		    "parse_mode", "HTML", "link_preview_options",
		    "is_disabled", 1);
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
	    PRIO_REPLY, ctx->update_id) < 0 ? -1 : 0;
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
