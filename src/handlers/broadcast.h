/* Handlers of broadcasts, subscriptions, reminders and the weekly digest
 * (src/handlers/broadcast.c, broadcast_report.c, broadcast_footer.c,
 * subscribe.c, reminders.c, digest.c), for the dispatch tables in
 * commands.c and for /start. */
#ifndef DOBROBOT_HANDLERS_BROADCAST_H
#define DOBROBOT_HANDLERS_BROADCAST_H

#include <stdint.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/broadcasts.h"

/* broadcast.c — /broadcast (organisers, private): audience, message,
 * preview, confirmation. Buttons "bc:...", conversation flow "broadcast". */
int handle_broadcast(struct handler_ctx *ctx);
int broadcast_on_button(struct handler_ctx *ctx);
int broadcast_on_message(struct handler_ctx *ctx);

/* broadcast.c — who a broadcast goes to, as its author reads it in `lang`
 * («подписчики направления «Экология»»), HTML-escaped, appended to `out`. */
void broadcast_audience_label(struct buf *out, const struct config *cfg,
    const char *lang, enum broadcast_audience a, const char *direction);

/* broadcast_report.c — /broadcasts: recent ones and progress; job
 * "broadcasts" (reports finished broadcasts to their authors, once). */
int handle_broadcasts(struct handler_ctx *ctx);
int broadcast_job(struct job_ctx *ctx);

/* broadcast_footer.c — what every copy of a broadcast carries under it:
 * the sender as the public may see them («— Иван, «Доброе сердце»», the
 * first name only when they chose to be shown) and, for subscribers, a
 * button that stops that direction (or all of them). broadcast_footer
 * returns the reply_markup as JSON text in `lang` (free() it), or NULL.
 * Its buttons "bu:w", "bu:s", "bu:d:<direction index>" may be pressed by
 * anyone; broadcast_footer_on_button answers them. */
char *broadcast_footer(struct handler_ctx *ctx,
    enum broadcast_audience audience, const char *direction, const char *lang);
int broadcast_footer_on_button(struct handler_ctx *ctx);

/* broadcast_report.c — a duration: "45 с", "5 мин 3 с", "2 ч 5 мин"
 * ("45 s", "5 min 3 s", "2 h 5 min"). */
int format_duration(struct buf *out, int64_t ms, const char *lang);

/* subscribe.c — /subscribe (toggle buttons per direction and "all"),
 * /unsubscribe; buttons "sub:...". */
int handle_subscribe(struct handler_ctx *ctx);
int handle_unsubscribe(struct handler_ctx *ctx);
int subscribe_on_button(struct handler_ctx *ctx);
/* Leaves one direction (a copy's stop button, a toggle): a subscriber of
 * "all" keeps every other one. *was_on: whether it was taken. 0 or -1. */
int subscribe_leave(struct handler_ctx *ctx, const char *direction,
    bool *was_on);

/* Called by /start in a private chat: a citizen is asked once whether to
 * send them announcements (and again after they blocked and unblocked the
 * bot). When the question is due, appends it to the greeting in `text` and
 * sets *markup to its buttons (a new reference); otherwise leaves both
 * alone. Returns 0 or -1 (handler_fail). */
int subscribe_offer_once(struct handler_ctx *ctx, struct buf *text,
    json_t **markup);

/* reminders.c — reminders of pledged time and goods: outbox rows (ref_type
 * "reminder", ref_id = the pledge) with a not_before, kept in step with the
 * pledges and actions by a reconciling job; button "rm:w:<pledge>" withdraws
 * the pledge. */
int reminders_job(struct job_ctx *ctx);
int reminders_on_button(struct handler_ctx *ctx);

/* Brings the reminders of one action (action_id > 0) or of all actions (0)
 * in step at once: creates the missing ones, moves those whose action's
 * date changed, cancels those of closed actions and withdrawn pledges. The
 * job does this every few seconds anyway; the actions and pledges features
 * MAY call it in their own transaction after a pledge, a withdrawal, an
 * edited date or a closing, so that the outbox is right from that commit
 * on. Idempotent. Returns 0 or -1. */
int reminders_reconcile(struct store *st, const struct config *cfg,
    int64_t action_id, int64_t now_ms);

/* digest.c — the weekly summary for the leaders' group (job "digest"). */
int digest_job(struct job_ctx *ctx);

#endif
