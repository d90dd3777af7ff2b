/* Trust and recognition: what each contributor's help achieved and what the
 * public can check. The closing report to the leaders' group and to every
 * contributor, and the public /report (handlers/report.c); exports for the
 * organisers (handlers/export.c); pledges that lapse when they never come,
 * with one reminder first (handlers/expiry.c); volunteers' hours
 * (handlers/receive.c); and a citizen's forwardable record of good
 * deeds (handlers/book.c). */
#ifndef DOBROBOT_HANDLERS_TRUST_H
#define DOBROBOT_HANDLERS_TRUST_H

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/view/view.h"

/* A photo caption may hold at most this many characters after parsing. */
#define CAPTION_MAX 1024

/* handlers/report.c */
int handle_report(struct handler_ctx *ctx);

/* Sends an HTML text to a chat, with a photo (a Telegram file_id; NULL for
 * none): one sendPhoto whose caption is the text when it fits in
 * CAPTION_MAX characters, else a sendPhoto with `short_html` as its caption
 * followed by the text as messages. Returns 0 or -1. */
int report_send(struct store *st, int64_t chat_id, const char *html,
    const char *short_html, const char *photo, const char *kind, int priority,
    int64_t update_id);

/* The closing report of a just-closed action `a` (loaded after closing):
 * `group_html` (the organisers' summary) to the leaders' group when there
 * is one, and a personal message to every citizen who pledged — once per
 * person, in their language — thanking those whose help arrived and telling
 * those whose pledge never arrived how the action ended, without thanks
 * for help not given. People who took back every pledge, blocked the bot
 * or asked to be forgotten hear nothing. `photo` (a file_id, or NULL) goes
 * with every copy. *to_group tells whether the group got it, *people how
 * many citizens. Returns 0 or -1. */
int report_closing(struct handler_ctx *ctx, const struct action *a,
    const char *group_html, const char *photo, bool *to_group, size_t *people);

/* Who the closing report of `a` would reach, counted before it is sent
 * (the preview /close shows): people, the citizens who get a personal
 * message; thanked, those of them with help that arrived; helped, everyone
 * whose help arrived (the «Помогли: N» of the report); unmarked, pledges
 * still waiting to be marked received. `leaders` is the leaders' group (0
 * for none), never written to as a person. Returns 0 or -1. */
struct closing_counts {
	int64_t people, thanked, helped, unmarked;
};
int report_closing_counts(struct store *st, const struct action *a,
    int64_t leaders, struct closing_counts *c);

/* The largest photo of a message (its file_id, borrowed), or NULL. */
const char *report_message_photo(json_t *message);

/* handlers/export.c */
int handle_export(struct handler_ctx *ctx);

/* handlers/expiry.c */
int expiry_job(struct job_ctx *ctx);
int expiry_on_button(struct handler_ctx *ctx); /* "ex:<c|w>:<pledge>" */

/* handlers/receive.c: /received on a volunteer without hours asks how
 * many hours they gave (buttons and a typed number), or that they did not
 * come. */
int attendance_ask(struct handler_ctx *ctx, const struct pledge *p);
int attendance_on_message(struct handler_ctx *ctx);
int attendance_on_button(struct handler_ctx *ctx); /* "at:<pledge>:<h|n>" */

/* handlers/book.c: "bk" sends the citizen's record of good deeds as a
 * clean message to forward. */
int book_on_button(struct handler_ctx *ctx);

#endif
