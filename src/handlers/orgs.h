/* Organisations in the chat (handlers/orgs.c): the directory /orgs, one
 * organisation's card (/org N, deep link start=o<N>) with the button that
 * follows it; and the admins' guided conversations /addorg and /editorg
 * (handlers/orgs_admin.c). */
#ifndef DOBROBOT_HANDLERS_ORGS_H
#define DOBROBOT_HANDLERS_ORGS_H

#include "dobrobot/core/buf.h"
#include "dobrobot/core/config.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/orgs.h"

int handle_orgs(struct handler_ctx *ctx);
int handle_org(struct handler_ctx *ctx);
int start_org(struct handler_ctx *ctx);

/* The full card: name, description, directions, services, contacts and
 * (when `st` is given) open actions. The admins' preview shows it too. */
int orgs_render_card(struct buf *b, struct store *st, const struct org *o,
    const char *lang);

/* The configured directions, comma-separated, escaped. */
void orgs_direction_names(struct buf *b, const struct config *cfg);

/* handlers/orgs_admin.c */
int handle_addorg(struct handler_ctx *ctx);
int handle_editorg(struct handler_ctx *ctx);

/* "og:f:<id>" follow or unfollow (anyone, in private). */
int orgs_on_button(struct handler_ctx *ctx);
/* "oa:..." the buttons of the admins' conversation. */
int orgs_on_admin_button(struct handler_ctx *ctx);
/* Typed answers in the "org" conversation. */
int orgs_on_message(struct handler_ctx *ctx);

#endif
