/* Subscriptions: which directions of actions ("спорт", "социальное", ...) a
 * citizen wants to hear about. One row per (user, direction); the direction
 * "*" (SUBSCRIPTIONS_ALL) means every direction, including ones added to the
 * configuration later. Someone who blocks the bot loses every subscription
 * (users_set_blocked deletes them) and is offered them again on the next
 * /start. Recipients are users' private chats: a user's chat id is their
 * user id. */
#ifndef DOBROBOT_STORE_SUBSCRIPTIONS_H
#define DOBROBOT_STORE_SUBSCRIPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

#define SUBSCRIPTIONS_ALL "*"

/* FOR ANNOUNCEMENTS (the actions feature calls this when an action is
 * published): the user ids (= private chat ids) of everyone who should hear
 * about a new action in `direction`: subscribed to that direction or to "*",
 * not blocked, each once, in ascending order. `exclude_user` (0 for none) is
 * left out — pass the author, who knows already. *ids is a new array of *n
 * ids (free() it; NULL when *n is 0). Runs inside the caller's transaction;
 * enqueue one outbox row per id (kind "announce", PRIO_ANNOUNCE). Returns 0,
 * or -1 on a database error (logged). */
int subscriptions_for_direction(struct store *st, const char *direction,
    int64_t exclude_user, int64_t **ids, size_t *n);

/* How many people would be reached: as subscriptions_for_direction, without
 * building the list. direction NULL counts everyone subscribed to anything.
 * Returns the count, or -1. */
int64_t subscriptions_count(struct store *st, const char *direction,
    int64_t exclude_user);

/* 1 when the user has a row for `direction` exactly ("*" is not expanded
 * here: ask for "*" to know whether they take everything), 0 when not, -1
 * on error. */
int subscriptions_has(struct store *st, int64_t user_id, const char *direction);

/* How many rows the user has (0: subscribed to nothing), or -1. */
int subscriptions_count_user(struct store *st, int64_t user_id);

/* Adds (on) or removes (!on) one row; idempotent. Returns 0 or -1. */
int subscriptions_set(struct store *st, int64_t user_id, const char *direction,
    bool on);

/* Whether the user takes the council-wide broadcasts (audience "all"):
 * 1 or 0 (refused), or -1. An unknown user reads 1. */
int subscriptions_general(struct store *st, int64_t user_id);

/* Takes (on) or refuses (!on) the council-wide broadcasts. 0 or -1. */
int subscriptions_set_general(struct store *st, int64_t user_id, bool on);

/* Removes every subscription of the user; returns how many were removed, or
 * -1. */
int subscriptions_clear(struct store *st, int64_t user_id);

/* The "would you like announcements?" question that /start asks a citizen
 * once: 1 when it has not been asked yet (users.subscribe_asked = 0), 0 when
 * it has, -1 on error. Blocking the bot resets it (a trigger of migration
 * 3), so that someone who comes back is asked again. */
int subscriptions_ask_pending(struct store *st, int64_t user_id);
int subscriptions_mark_asked(struct store *st, int64_t user_id);

#endif
