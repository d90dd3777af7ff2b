/* The command menus Telegram shows by the input field (setMyCommands),
 * generated from the command table (handler.h):
 *
 *   all_private_chats   the citizens' commands that work in private;
 *   all_group_chats     the citizens' commands that work in groups;
 *   chat <user id>      an organiser's or admin's own list, in their private
 *                       chat with the bot;
 *   chat <group id>     the leaders' group: the organisers' group commands,
 *                       when there are any beyond the citizens' ones.
 *
 * Each list goes out twice: in Russian without a language_code (everyone's
 * default) and in English with language_code "en". The menus are outbox rows
 * (kind "menu", chat 0: no chat's rate limit), written in the same
 * transaction as the role change that caused them, so that they survive a
 * restart and are sent in the order they were decided. */
#ifndef DOBROBOT_HANDLERS_MENUS_H
#define DOBROBOT_HANDLERS_MENUS_H

#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"

/* At start, inside a transaction: menu rows still pending from an earlier
 * run are cancelled, then every menu is enqueued afresh from the database:
 * the shared lists, one list per organiser and admin who has a private chat
 * with the bot, the leaders' group's; chats whose own list is no longer
 * wanted (a revoked organiser, an admin removed from the configuration, a
 * former leaders' group) get deleteMyCommands. Returns 0 or -1. */
int menus_refresh_all(struct store *st, const struct config *cfg);

/* After a change that concerns one chat (a role granted or revoked, a group
 * registered or replaced): enqueues that chat's own list when it should have
 * one, or deleteMyCommands for it when it had one and should not any more
 * (Telegram then shows the shared list). Returns 0 or -1. */
int menus_refresh_chat(struct store *st, const struct config *cfg,
    int64_t chat_id);

#endif
