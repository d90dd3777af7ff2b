/* Roles and the leaders' group: /grant, /revoke, /organisers, /setgroup,
 * and what the bot does when it is removed from the leaders' group. */
#ifndef DOBROBOT_HANDLERS_ROLES_H
#define DOBROBOT_HANDLERS_ROLES_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/handlers/chat_events.h"
#include "dobrobot/handlers/handler.h"

int handle_grant(struct handler_ctx *ctx);
int handle_revoke(struct handler_ctx *ctx);
int handle_organisers(struct handler_ctx *ctx);
int handle_setgroup(struct handler_ctx *ctx);

/* Appends a person as the bot shows them: the name (control characters
 * removed, at most 64 characters, HTML-escaped) in bold, the @username and
 * the Telegram id. */
void roles_append_person(struct buf *b, const char *first_name,
    const char *username, int64_t id);

#endif
