/* Users and chats as Telegram shows them to us. Only what the features need
 * is kept: the name to address a person, the language for replies, the role,
 * and whether they blocked the bot. */
#ifndef DOBROBOT_STORE_USERS_H
#define DOBROBOT_STORE_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

enum user_role { ROLE_CITIZEN = 0, ROLE_ORGANISER = 1, ROLE_ADMIN = 2 };

struct user {
	int64_t id;
	char *first_name;
	char *username;
	char lang[3]; /* "ru" or "en" */
	enum user_role role;
	bool blocked;
	bool is_new; /* first seen in this update */
};

void user_release(struct user *u);

/* Inserts or refreshes the user from a Telegram User object (borrowed) and
 * loads the stored row into *out. `default_lang` applies when Telegram gives
 * no usable language_code. */
int users_upsert(struct store *st, json_t *tg_user, const char *default_lang,
    int64_t now_ms, struct user *out);

int users_set_blocked(struct store *st, int64_t user_id, bool blocked);
int users_set_role(struct store *st, int64_t user_id, enum user_role role);
const char *user_role_name(enum user_role role);

/* Whether an organiser's Telegram @username is shown on their actions as
 * the way to reach them (/contact). The getter returns 1 shown, 0 not (or
 * no such user), -1 on error; the setter 0 or -1. */
int users_set_contact_public(struct store *st, int64_t user_id, bool shown);
int users_contact_public(struct store *st, int64_t user_id);

/* Records a chat from a Telegram Chat object (borrowed). */
int chats_upsert(struct store *st, json_t *tg_chat, int64_t now_ms);
int chats_set_active(struct store *st, int64_t chat_id, bool active);
/* A group became a supergroup: the chat row and every reference follow. */
int chats_migrate(struct store *st, int64_t from, int64_t to, int64_t now_ms);

#endif
