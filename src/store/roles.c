/* SQL of roles, the role log, the leaders' group and the menu bookkeeping
 * (see roles.h). */
#include "dobrobot/store/roles.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"

static enum user_role
role_parse(const char *name)
{
	if (name != NULL && strcmp(name, "organiser") == 0)
		return ROLE_ORGANISER;
	if (name != NULL && strcmp(name, "admin") == 0)
		return ROLE_ADMIN;
	return ROLE_CITIZEN;
}

int
roles_set(struct store *st, int64_t user_id, enum user_role role,
    int64_t changed_by, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET role = ?2 WHERE id = ?1 AND role IS NOT ?2");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, user_role_name(role), -1, SQLITE_STATIC);
	if (store_step_done(st, s) < 0)
		return -1;
	if (store_changes(st) == 0)
		return 0;
	s = store_stmt(st,
	    "INSERT INTO role_log(user_id, role, changed_by, at)"
	    " VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, user_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, changed_by);
	sqlite3_bind_int64(s, 4, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	log_info("role: user %lld is now %s (changed by %lld)",
	    (long long)user_id, user_role_name(role), (long long)changed_by);
	return 1;
}

static int
user_from_row(sqlite3_stmt *s, struct user *out)
{
	const char *fn = (const char *)sqlite3_column_text(s, 1);
	const char *un = (const char *)sqlite3_column_text(s, 2);
	const char *lang = (const char *)sqlite3_column_text(s, 3);
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->first_name = xstrdup(fn ? fn : "");
	out->username = un ? xstrdup(un) : NULL;
	snprintf(out->lang, sizeof out->lang, "%s",
	    lang != NULL && strcmp(lang, "en") == 0 ? "en" : "ru");
	out->role = role_parse((const char *)sqlite3_column_text(s, 4));
	out->blocked = sqlite3_column_int(s, 5) != 0;
	return 1;
}

int
roles_load_user(struct store *st, int64_t user_id, struct user *out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, first_name, username, language, role, blocked"
	    " FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	int found = 0;
	if (rc == SQLITE_ROW)
		found = user_from_row(s, out);
	else if (rc != SQLITE_DONE)
		found = -1;
	sqlite3_reset(s);
	return found;
}

/* Telegram usernames: 5 to 32 Latin letters, digits and underscores. */
static bool
username_shaped(const char *s)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		        (s[n] >= 'A' && s[n] <= 'Z') ||
		        (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n >= 1 && n <= 32;
}

int
roles_find_user(struct store *st, const char *who, struct user *out)
{
	memset(out, 0, sizeof *out);
	if (who == NULL)
		return 0;
	if (who[0] >= '0' && who[0] <= '9') {
		char *end;
		errno = 0;
		long long id = strtoll(who, &end, 10);
		if (errno != 0 || *end != '\0' || id <= 0)
			return 0;
		return roles_load_user(st, id, out);
	}
	if (who[0] == '@')
		who++;
	if (!username_shaped(who))
		return 0;
	/* A username can move from one account to another: the account that
	 * showed it most recently wins. */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, first_name, username, language, role, blocked"
	    " FROM users WHERE lower(username) = lower(?)"
	    " ORDER BY updated_at DESC LIMIT 1");
	sqlite3_bind_text(s, 1, who, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	int found = 0;
	if (rc == SQLITE_ROW)
		found = user_from_row(s, out);
	else if (rc != SQLITE_DONE)
		found = -1;
	sqlite3_reset(s);
	return found;
}

bool
roles_has_private_chat(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT 1 FROM chats c JOIN users u ON u.id = c.id"
	    " WHERE c.id = ? AND c.type = 'private' AND c.active = 1"
	    " AND u.blocked = 0");
	sqlite3_bind_int64(s, 1, user_id);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

bool
roles_chat_reachable(struct store *st, int64_t chat_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT 1 FROM chats WHERE id = ?"
	    " AND (active = 0 OR migrated_to IS NOT NULL)");
	sqlite3_bind_int64(s, 1, chat_id);
	bool gone = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return !gone;
}

int
roles_list(struct store *st, enum user_role role, struct role_holder **out,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT u.id, u.first_name, u.username,"
	    " (SELECT max(at) FROM role_log l WHERE l.user_id = u.id"
	    "  AND l.role = u.role),"
	    " EXISTS (SELECT 1 FROM chats c WHERE c.id = u.id"
	    "  AND c.type = 'private' AND c.active = 1) AND u.blocked = 0"
	    " FROM users u WHERE u.role = ? ORDER BY 4, u.id");
	sqlite3_bind_text(s, 1, user_role_name(role), -1, SQLITE_STATIC);
	size_t cap = 8, count = 0;
	struct role_holder *v = xcalloc(cap, sizeof *v);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		struct role_holder *h = &v[count++];
		const char *fn = (const char *)sqlite3_column_text(s, 1);
		const char *un = (const char *)sqlite3_column_text(s, 2);
		h->id = sqlite3_column_int64(s, 0);
		h->first_name = xstrdup(fn ? fn : "");
		h->username = un ? xstrdup(un) : NULL;
		h->since_ms = sqlite3_column_int64(s, 3);
		h->has_private_chat = sqlite3_column_int(s, 4) != 0;
	}
	sqlite3_reset(s);
	*out = v;
	*n = count;
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

void
roles_holders_free(struct role_holder *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].first_name);
		free(v[i].username);
	}
	free(v);
}

int64_t
leaders_chat_id(struct store *st, const struct config *cfg)
{
	int64_t id = 0;
	if (store_state_get_int(st, "leaders_chat_id", &id) < 0 || id == 0)
		id = cfg != NULL ? cfg->leaders_chat_id : 0;
	/* A group that became a supergroup lives on under its new id (a
	 * group named only in the configuration is not moved in bot_state
	 * when Telegram's 400 answer, not a service message, told us). */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT migrated_to FROM chats WHERE id = ?"
	    " AND migrated_to IS NOT NULL");
	for (int hops = 0; id != 0 && hops < 4; hops++) {
		sqlite3_bind_int64(s, 1, id);
		int64_t next = 0;
		if (sqlite3_step(s) == SQLITE_ROW)
			next = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (next == 0)
			break;
		id = next;
	}
	return id;
}

int
leaders_chat_set(struct store *st, int64_t chat_id)
{
	if (store_state_set_int(st, "leaders_chat_id", chat_id) < 0)
		return -1;
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE chats SET is_leaders_group = (id = ?1)"
	    " WHERE is_leaders_group != (id = ?1)");
	sqlite3_bind_int64(s, 1, chat_id);
	return store_step_done(st, s);
}

char *
chats_title(struct store *st, int64_t chat_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT title FROM chats WHERE id = ?");
	sqlite3_bind_int64(s, 1, chat_id);
	char *t = NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		t = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return t ? t : xstrdup("");
}

int
roles_menu_chats_get(struct store *st, int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char *text = store_state_get(st, "menu_chats");
	if (text == NULL)
		return 0;
	json_t *a = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_array(a)) {
		json_decref(a);
		return 0; /* unreadable: treated as none */
	}
	size_t i;
	json_t *v;
	*out = xcalloc(json_array_size(a) + 1, sizeof **out);
	json_array_foreach(a, i, v)
	{
		if (json_is_integer(v))
			(*out)[(*n)++] = json_integer_value(v);
	}
	json_decref(a);
	return 0;
}

int
roles_menu_chats_put(struct store *st, const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (text == NULL)
		return -1;
	int rc = store_state_set(st, "menu_chats", text);
	free(text);
	return rc;
}

int
roles_menu_rows_supersede(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'cancelled', last_error = 'superseded'"
	    " WHERE kind = 'menu' AND state = 'pending'");
	return store_step_done(st, s);
}
