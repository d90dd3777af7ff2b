/* Roles and the leaders' group, as stored. Admins are not stored: they are
 * the user ids in the configuration, and the router gives them ROLE_ADMIN.
 * The organiser role lives in users.role, and every change of it is a row in
 * role_log (who, what, by whom, when). The leaders' group is the one an admin
 * registered with /setgroup (bot_state leaders_chat_id and
 * chats.is_leaders_group), else the configuration's leaders_chat_id. */
#ifndef DOBROBOT_STORE_ROLES_H
#define DOBROBOT_STORE_ROLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"
#include "dobrobot/store/users.h"

/* Sets a known user's stored role to `role` (citizen or organiser) and logs
 * the change in role_log with `changed_by`. Returns 1 when the role changed,
 * 0 when the user already had it or is unknown (nothing is logged), -1 on
 * error. */
int roles_set(struct store *st, int64_t user_id, enum user_role role,
    int64_t changed_by, int64_t now_ms);

/* Loads a user the bot has seen, by "@username", "username" (Telegram
 * usernames are case-insensitive) or a numeric Telegram id. Returns 1 and
 * fills *out (release with user_release), 0 when nobody matches or `who` is
 * neither form, -1 on error. */
int roles_find_user(struct store *st, const char *who, struct user *out);

/* Loads a user by id: 1 found, 0 not, -1 error. */
int roles_load_user(struct store *st, int64_t user_id, struct user *out);

struct role_holder {
	int64_t id;
	char *first_name; /* never NULL */
	char *username; /* NULL when none */
	int64_t since_ms; /* when the role was last given, 0 if unknown */
	bool has_private_chat; /* wrote to the bot in private, not blocked */
};

/* Users whose stored role is `role`, oldest first. *out is a new array of
 * *n entries (free with roles_holders_free). Returns 0 or -1. */
int roles_list(struct store *st, enum user_role role, struct role_holder **out,
    size_t *n);
void roles_holders_free(struct role_holder *v, size_t n);

/* Whether the user has a private chat with the bot that is not blocked:
 * only then can the bot write to them or set their command menu. */
bool roles_has_private_chat(struct store *st, int64_t user_id);

/* Whether the bot may still be in a group: false when it was removed
 * (chats.active = 0) or the group moved on to a supergroup; true when the
 * chat is unknown. */
bool roles_chat_reachable(struct store *st, int64_t chat_id);

/* The leaders' group: bot_state leaders_chat_id (set by /setgroup and moved
 * by group -> supergroup migrations) when present, else the configuration's
 * leaders_chat_id, followed through chats.migrated_to; 0 when there is
 * none. Features that post to the leaders' group ask here. */
int64_t leaders_chat_id(struct store *st, const struct config *cfg);

/* Registers `chat_id` as the leaders' group: bot_state leaders_chat_id, and
 * chats.is_leaders_group set for it alone. Returns 0 or -1. */
int leaders_chat_set(struct store *st, int64_t chat_id);

/* The title of a chat as last seen ("" when unknown); a new string. */
char *chats_title(struct store *st, int64_t chat_id);

/* The chat ids whose command menu was set for them alone (organisers, admins,
 * the leaders' group), kept in bot_state menu_chats so that menus can be
 * withdrawn later. *out is a new array (free()). Returns 0 or -1. */
int roles_menu_chats_get(struct store *st, int64_t **out, size_t *n);
int roles_menu_chats_put(struct store *st, const int64_t *ids, size_t n);

/* Cancels the menu rows (kind "menu") still pending in the outbox: at start
 * the menus are computed afresh from the database. Returns 0 or -1. */
int roles_menu_rows_supersede(struct store *st);

#endif
