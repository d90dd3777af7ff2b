/* Roles and the leaders' group: /grant, /revoke, /organisers, /setgroup,
 * and what the bot does when it is removed from the leaders' group. */
#ifndef DOBROBOT_HANDLERS_ROLES_H
#define DOBROBOT_HANDLERS_ROLES_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/handlers/handler.h"

int handle_grant(struct handler_ctx *ctx);
int handle_revoke(struct handler_ctx *ctx);
int handle_organisers(struct handler_ctx *ctx);
int handle_setgroup(struct handler_ctx *ctx);

/* my_chat_member: the bot was removed from group `chat_id` (status left or
 * kicked); `upd` is the ChatMemberUpdated (borrowed). When it was the
 * leaders' group, every admin who has a private chat with the bot is told.
 * Returns 0 or -1. */
int roles_bot_removed(struct handler_ctx *ctx, json_t *upd, int64_t chat_id);

/* A group became a supergroup (service message or Telegram's 400 answer):
 * when it was the leaders' group, even one set only in the configuration,
 * bot_state leaders_chat_id follows it. Returns 0 or -1. */
int roles_group_migrated(struct handler_ctx *ctx, int64_t from, int64_t to);

/* Appends a person as the bot shows them: the name (control characters
 * removed, at most 64 characters, HTML-escaped) in bold, the @username and
 * the Telegram id. */
void roles_append_person(struct buf *b, const char *first_name,
    const char *username, int64_t id);

#endif
