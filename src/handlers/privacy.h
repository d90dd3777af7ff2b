/* /privacy (what the bot stores and why) and /forgetme (delete it, after a
 * confirmation button). */
#ifndef DOBROBOT_HANDLERS_PRIVACY_H
#define DOBROBOT_HANDLERS_PRIVACY_H

#include "dobrobot/handler.h"

int handle_privacy(struct handler_ctx *ctx);
int handle_forgetme(struct handler_ctx *ctx);
/* The confirmation buttons: "fg:y" forgets, "fg:n" keeps everything. */
int privacy_forget_button(struct handler_ctx *ctx);
/* Text typed while the confirmation is pending. */
int privacy_forget_flow(struct handler_ctx *ctx);

#endif
