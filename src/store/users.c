/* SQL of users and chats (see users.h). */
#include "dobrobot/store/users.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/core/xalloc.h"

static const char *const role_names[] = {"citizen", "organiser", "admin"};

const char *
user_role_name(enum user_role role)
{
	return role_names[role];
}

static enum user_role
role_from_name(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (name != NULL && strcmp(name, role_names[i]) == 0)
			return (enum user_role)i;
	return ROLE_CITIZEN;
}

void
user_release(struct user *u)
{
	free(u->first_name);
	free(u->username);
	memset(u, 0, sizeof *u);
}

/* Telegram sends an IETF tag ("ru", "en-US", "uk"); we speak ru and en. */
static const char *
pick_language(const char *code, const char *default_lang)
{
	if (code != NULL && strncmp(code, "en", 2) == 0)
		return "en";
	if (code != NULL && strncmp(code, "ru", 2) == 0)
		return "ru";
	return default_lang;
}

/* Reads the stored row into `out`; 1 found, 0 not, -1 error. */
static int
users_read(struct store *st, int64_t id, struct user *out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT first_name, username, language, role, blocked"
	    " FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *fn = (const char *)sqlite3_column_text(s, 0);
		const char *un = (const char *)sqlite3_column_text(s, 1);
		const char *lang = (const char *)sqlite3_column_text(s, 2);
		out->first_name = xstrdup(fn ? fn : "");
		out->username = un ? xstrdup(un) : NULL;
		snprintf(out->lang, sizeof out->lang, "%s", lang ? lang : "");
		out->role = role_from_name((const char *)sqlite3_column_text(s,
		    3));
		out->blocked = sqlite3_column_int(s, 4) != 0;
	} else if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every update names its sender, so this runs once per update. It reads
 * first and writes only a new person or a changed name or language: an
 * unchanged row is not rewritten (updated_at is when the name or language
 * last changed), and no RETURNING clause, which makes SQLite build a
 * temporary table on every call. */
int
users_upsert(struct store *st, json_t *tg_user, const char *default_lang,
    int64_t now_ms, struct user *out)
{
	memset(out, 0, sizeof *out);
	json_t *id = json_object_get(tg_user, "id");
	if (!json_is_integer(id))
		return -1;
	out->id = json_integer_value(id);
	const char *lang =
	    pick_language(json_string_value(json_object_get(tg_user,
	                      "language_code")),
	        default_lang);
	const char *first = json_string_value(json_object_get(tg_user,
	    "first_name"));
	const char *username = json_string_value(json_object_get(tg_user,
	    "username"));
	int found = users_read(st, out->id, out);
	if (found < 0)
		return -1;
	if (found && same_text(out->first_name, first ? first : "") &&
	    same_text(out->username, username) && strcmp(out->lang, lang) == 0)
		return 0;
	sqlite3_stmt *s = found
	    ? store_stmt(st,
	          "UPDATE users SET first_name = ?2, username = ?3, language = ?4,"
	          " updated_at = ?5 WHERE id = ?1")
	    : store_stmt(st,
	          "INSERT INTO users(id, first_name, username, language, created_at,"
	          " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
	sqlite3_bind_int64(s, 1, out->id);
	sqlite3_bind_text(s, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	if (found) {
		/* Role and blocked are as read; the rest is what was written. */
		free(out->first_name);
		free(out->username);
		out->first_name = xstrdup(first ? first : "");
		out->username = username ? xstrdup(username) : NULL;
		snprintf(out->lang, sizeof out->lang, "%s", lang);
		return 0;
	}
	/* A new row: its role and blocked flag are the schema's defaults,
	 * read back rather than repeated here. */
	out->is_new = true;
	return users_read(st, out->id, out) == 1 ? 0 : -1;
}

int
users_set_blocked(struct store *st, int64_t user_id, bool blocked)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET blocked = ? WHERE id = ?");
	sqlite3_bind_int(s, 1, blocked);
	sqlite3_bind_int64(s, 2, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	if (!blocked)
		return 0;
	/* Someone who blocked the bot hears nothing more; after unblocking
	 * they may subscribe again. */
	s = store_stmt(st, "DELETE FROM subscriptions WHERE user_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	s = store_stmt(st, "DELETE FROM org_followers WHERE user_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	return store_step_done(st, s);
}

int
users_set_role(struct store *st, int64_t user_id, enum user_role role)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET role = ? WHERE id = ?");
	sqlite3_bind_text(s, 1, role_names[role], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	return store_step_done(st, s);
}

int
chats_upsert(struct store *st, json_t *chat, int64_t now_ms)
{
	json_t *id = json_object_get(chat, "id");
	const char *type = json_string_value(json_object_get(chat, "type"));
	if (!json_is_integer(id) || type == NULL)
		return -1;
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO chats(id, type, title, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(id) DO UPDATE SET"
	    " type = excluded.type, title = excluded.title,"
	    " updated_at = excluded.updated_at"
	    " WHERE type IS NOT excluded.type OR title IS NOT excluded.title");
	sqlite3_bind_int64(s, 1, json_integer_value(id));
	sqlite3_bind_text(s, 2, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3,
	    json_string_value(json_object_get(chat, "title")), -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, now_ms);
	return store_step_done(st, s);
}

int
chats_set_active(struct store *st, int64_t chat_id, bool active)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE chats SET active = ? WHERE id = ?");
	sqlite3_bind_int(s, 1, active);
	sqlite3_bind_int64(s, 2, chat_id);
	return store_step_done(st, s);
}

int
chats_migrate(struct store *st, int64_t from, int64_t to, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO chats(id, type, title, is_leaders_group, active,"
	    " created_at, updated_at)"
	    " SELECT ?2, 'supergroup', title, is_leaders_group, 1, ?3, ?3"
	    " FROM chats WHERE id = ?1"
	    " ON CONFLICT(id) DO UPDATE SET"
	    " is_leaders_group = excluded.is_leaders_group, active = 1");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int64(s, 3, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	s = store_stmt(st,
	    "UPDATE chats SET active = 0, is_leaders_group = 0, migrated_to = ?2,"
	    " updated_at = ?3 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int64(s, 3, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	s = store_stmt(st,
	    "UPDATE bot_state SET value = ?2 WHERE key = 'leaders_chat_id'"
	    " AND value = ?1");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	if (store_step_done(st, s) < 0)
		return -1;
	return outbox_move_chat(st, from, to);
}

int
users_set_contact_public(struct store *st, int64_t user_id, bool shown)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET contact_public = ? WHERE id = ?");
	sqlite3_bind_int(s, 1, shown ? 1 : 0);
	sqlite3_bind_int64(s, 2, user_id);
	return store_step_done(st, s);
}

int
users_contact_public(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT contact_public FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) != 0
	    : rc == SQLITE_DONE  ? 0
	                         : -1;
	sqlite3_reset(s);
	return v;
}
