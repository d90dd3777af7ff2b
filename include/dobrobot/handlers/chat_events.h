/* What happens to a chat itself, which the router hands the handlers
 * besides commands and buttons: the bot removed from a group, a group
 * become a supergroup. Defined in src/handlers/roles.c, which owns the
 * leaders' group. */
#ifndef DOBROBOT_HANDLERS_CHAT_EVENTS_H
#define DOBROBOT_HANDLERS_CHAT_EVENTS_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/handlers/handler.h"

/* my_chat_member: the bot was removed from group `chat_id` (status left or
 * kicked); `upd` is the ChatMemberUpdated (borrowed). When it was the
 * leaders' group, every admin who has a private chat with the bot is told.
 * Returns 0 or -1. */
int roles_bot_removed(struct handler_ctx *ctx, json_t *upd, int64_t chat_id);

/* A group became a supergroup (service message or Telegram's 400 answer):
 * when it was the leaders' group, even one set only in the configuration,
 * bot_state leaders_chat_id follows it. Returns 0 or -1. */
int roles_group_migrated(struct handler_ctx *ctx, int64_t from, int64_t to);

#endif
