/* /privacy (what the bot stores and why), /forgetme (delete it, after a
 * confirmation button), how a person chose to be shown in the lists of
 * helpers, and the retention jobs. */
#ifndef DOBROBOT_HANDLERS_PRIVACY_H
#define DOBROBOT_HANDLERS_PRIVACY_H

#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/pledges.h"

int handle_privacy(struct handler_ctx *ctx);
int handle_forgetme(struct handler_ctx *ctx);
/* The confirmation buttons: "fg:y" forgets, "fg:n" keeps everything. */
int privacy_forget_button(struct handler_ctx *ctx);
/* Text typed while the confirmation is pending. */
int privacy_forget_flow(struct handler_ctx *ctx);

/* A quick /pledge that did not say how to show the person, who was never
 * asked, is recorded anonymous and confirmed with a one-time question:
 * privacy_shown_question appends its line to the confirmation and
 * privacy_shown_keyboard makes its buttons, "sn:<pledge>:1" (show the
 * pledge's public name) and "sn:<pledge>:0" (anonymous): a new reference,
 * or NULL when the pledge has no name to show (then nothing is asked). */
json_t *privacy_shown_keyboard(struct handler_ctx *ctx, const struct pledge *p);
int privacy_shown_question(struct handler_ctx *ctx, struct buf *out);
/* The answer: remembered for the person's next quick pledges and applied
 * to that pledge (privacy_set_shown); the buttons go and a short message
 * confirms. Only the pledge's own person, in their private chat. */
int privacy_shown_button(struct handler_ctx *ctx);

/* Jobs. Empties the WAL once a forgotten person's last message is gone. */
int privacy_checkpoint_job(struct job_ctx *ctx);
/* Deletes old dead letters and done outbox rows (privacy.h, retention). */
int privacy_retention_job(struct job_ctx *ctx);

#endif
