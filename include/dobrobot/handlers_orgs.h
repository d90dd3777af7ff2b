/* Organisations in the chat (handlers/orgs.c): the directory /orgs, one
 * organisation's card (/org N, deep link start=o<N>) with the button that
 * follows it, and the admins' guided conversations /addorg and /editorg. */
#ifndef DOBROBOT_HANDLERS_ORGS_H
#define DOBROBOT_HANDLERS_ORGS_H

#include "dobrobot/handler.h"

int handle_orgs(struct handler_ctx *ctx);
int handle_org(struct handler_ctx *ctx);
int start_org(struct handler_ctx *ctx);
int handle_addorg(struct handler_ctx *ctx);
int handle_editorg(struct handler_ctx *ctx);

/* "og:f:<id>" follow or unfollow (anyone, in private). */
int orgs_on_button(struct handler_ctx *ctx);
/* "oa:..." the buttons of the admins' conversation. */
int orgs_on_admin_button(struct handler_ctx *ctx);
/* Typed answers in the "org" conversation. */
int orgs_on_message(struct handler_ctx *ctx);

#endif
