/* SQL of organisations, their members and their followers (see orgs.h). */
#include "dobrobot/store/orgs.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

void
org_release(struct org *o)
{
	if (o == NULL)
		return;
	free(o->name);
	free(o->description);
	free(o->services);
	free(o->phone);
	free(o->address);
	free(o->link);
	free(o->directions);
	memset(o, 0, sizeof *o);
}

char *
org_name_key(const char *name)
{
	char *folded = utf8_casefold(name);
	struct buf b = BUF_INIT;
	bool space = false;
	size_t len = strlen(folded);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(folded + i, len - i, &cp);
		if (utf8_is_space(cp)) {
			space = b.len > 0;
		} else {
			if (space)
				buf_putc(&b, ' ');
			space = false;
			buf_append(&b, folded + i, k);
		}
		i += k;
	}
	free(folded);
	return buf_detach(&b);
}

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL && *v != '\0')
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Binds the fields in the order of ORG_FIELDS' assignments: ?1 name, ?2
 * name_key, ?3 description, ?4 services, ?5 phone, ?6 address, ?7 link,
 * ?8 directions, ?9 now. */
static void
bind_fields(sqlite3_stmt *s, const struct org *o, const char *key,
    int64_t now_ms)
{
	sqlite3_bind_text(s, 1, o->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	bind_text_or_null(s, 3, o->description);
	bind_text_or_null(s, 4, o->services);
	bind_text_or_null(s, 5, o->phone);
	bind_text_or_null(s, 6, o->address);
	bind_text_or_null(s, 7, o->link);
	sqlite3_bind_text(s, 8, o->directions ? o->directions : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 9, now_ms);
}

int64_t
orgs_find_by_name(struct store *st, const char *name)
{
	char *key = org_name_key(name);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM orgs WHERE name_key = ?");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0)
	    : rc == SQLITE_DONE       ? 0
	                              : -1;
	if (id < 0)
		log_error("orgs by name: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	free(key);
	return id;
}

int
orgs_upsert(struct store *st, struct org *o, int64_t now_ms, bool *created)
{
	int64_t id = orgs_find_by_name(st, o->name);
	if (id < 0)
		return -1;
	*created = id == 0;
	if (id > 0) {
		o->id = id;
		return orgs_update(st, o, now_ms) == 1 ? 0 : -1;
	}
	char *key = org_name_key(o->name);
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO orgs(name, name_key, description, services, phone,"
	    " address, link, directions, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
	bind_fields(s, o, key, now_ms);
	free(key);
	if (store_step_done(st, s) < 0)
		return -1;
	o->id = store_last_rowid(st);
	return 0;
}

int
orgs_update(struct store *st, const struct org *o, int64_t now_ms)
{
	char *key = org_name_key(o->name);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT EXISTS (SELECT 1 FROM orgs WHERE name_key = ? AND id != "
	    "?)");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, o->id);
	int rc = sqlite3_step(s);
	int taken = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	if (taken != 0) {
		free(key);
		return taken < 0 ? -1 : 0;
	}
	/* The organisation's name is part of its actions' announcements: when
	 * it changes, bump them so that the progress job edits the copies (a
	 * re-import of an unchanged list edits nothing). */
	s = store_stmt(st,
	    "UPDATE actions SET version = version + 1, updated_at = ?1"
	    " WHERE org_id = ?2 AND status = 'open' AND EXISTS"
	    " (SELECT 1 FROM orgs WHERE id = ?2 AND name IS NOT ?3)");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, o->id);
	sqlite3_bind_text(s, 3, o->name, -1, SQLITE_TRANSIENT);
	if (store_step_done(st, s) < 0) {
		free(key);
		return -1;
	}
	s = store_stmt(st,
	    "UPDATE orgs SET name = ?1, name_key = ?2, description = ?3,"
	    " services = ?4, phone = ?5, address = ?6, link = ?7,"
	    " directions = ?8, updated_at = ?9 WHERE id = ?10");
	bind_fields(s, o, key, now_ms);
	sqlite3_bind_int64(s, 10, o->id);
	free(key);
	return store_step_done(st, s) < 0 ? -1 : 1;
}

/* ?1 is the user whose following is asked (0: nobody). */
#define ORG_COLUMNS \
	"o.id, o.name, o.description, o.services, o.phone, o.address," \
	" o.link, o.directions, EXISTS (SELECT 1 FROM org_followers f" \
	" WHERE f.org_id = o.id AND f.user_id = ?1)"

static void
org_from_row(sqlite3_stmt *s, struct org *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->name = column_dup(s, 1);
	o->description = column_dup(s, 2);
	o->services = column_dup(s, 3);
	o->phone = column_dup(s, 4);
	o->address = column_dup(s, 5);
	o->link = column_dup(s, 6);
	o->directions = column_dup(s, 7);
	if (o->directions == NULL)
		o->directions = xstrdup("");
	o->followed = sqlite3_column_int(s, 8) != 0;
}

int
orgs_load(struct store *st, int64_t id, struct org *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT " ORG_COLUMNS " FROM orgs o WHERE o.id = ?2");
	sqlite3_bind_int64(s, 1, 0);
	sqlite3_bind_int64(s, 2, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		org_from_row(s, out);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Steps s to its end, collecting the rows into a new array. */
static int
collect_orgs(sqlite3_stmt *s, struct org **out, size_t *n)
{
	struct org *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		list = xgrow(list, count, &cap, 16, sizeof *list);
		org_from_row(s, &list[count++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < count; i++)
			org_release(&list[i]);
		free(list);
		list = NULL;
		count = 0;
	}
	*out = list;
	*n = count;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
orgs_list(struct store *st, int64_t member_of, struct org **out, size_t *n)
{
	sqlite3_stmt *s;
	if (member_of == 0) {
		s = store_stmt(st,
		    "SELECT " ORG_COLUMNS " FROM orgs o ORDER BY o.name_key");
	} else {
		s = store_stmt(st,
		    "SELECT " ORG_COLUMNS " FROM orgs o"
		    " JOIN org_members m ON m.org_id = o.id"
		    " WHERE m.user_id = ?2 ORDER BY o.name_key");
		sqlite3_bind_int64(s, 2, member_of);
	}
	sqlite3_bind_int64(s, 1, 0);
	return collect_orgs(s, out, n);
}

int
orgs_list_for_follower(struct store *st, int64_t user_id, struct org **out,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT " ORG_COLUMNS " FROM orgs o ORDER BY o.name_key");
	sqlite3_bind_int64(s, 1, user_id);
	return collect_orgs(s, out, n);
}

/* Adds or removes a (org, user) row of `table`'s statements. */
static int
set_pair(struct store *st, sqlite3_stmt *s, int64_t org_id, int64_t user_id)
{
	sqlite3_bind_int64(s, 1, org_id);
	sqlite3_bind_int64(s, 2, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
}

static int
has_pair(sqlite3_stmt *s, int64_t org_id, int64_t user_id)
{
	sqlite3_bind_int64(s, 1, org_id);
	sqlite3_bind_int64(s, 2, user_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
orgs_set_member(struct store *st, int64_t org_id, int64_t user_id, bool on)
{
	return set_pair(st,
	    on ? store_stmt(st,
	             "INSERT OR IGNORE INTO org_members(org_id,"
	             " user_id) VALUES (?, ?)")
	       : store_stmt(st,
	             "DELETE FROM org_members"
	             " WHERE org_id = ? AND user_id = ?"),
	    org_id, user_id);
}

int
orgs_is_member(struct store *st, int64_t org_id, int64_t user_id)
{
	return has_pair(store_stmt(st,
	                    "SELECT 1 FROM org_members"
	                    " WHERE org_id = ? AND user_id = ?"),
	    org_id, user_id);
}

int
orgs_set_follow(struct store *st, int64_t org_id, int64_t user_id, bool on)
{
	return set_pair(st,
	    on ? store_stmt(st,
	             "INSERT OR IGNORE INTO org_followers(org_id,"
	             " user_id) VALUES (?, ?)")
	       : store_stmt(st,
	             "DELETE FROM org_followers"
	             " WHERE org_id = ? AND user_id = ?"),
	    org_id, user_id);
}

int
orgs_is_following(struct store *st, int64_t org_id, int64_t user_id)
{
	return has_pair(store_stmt(st,
	                    "SELECT 1 FROM org_followers"
	                    " WHERE org_id = ? AND user_id = ?"),
	    org_id, user_id);
}

static int
delete_all(struct store *st, sqlite3_stmt *s, int64_t user_id)
{
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
orgs_leave_all(struct store *st, int64_t user_id)
{
	return delete_all(st,
	    store_stmt(st, "DELETE FROM org_members WHERE user_id = ?"),
	    user_id);
}

int
orgs_unfollow_all(struct store *st, int64_t user_id)
{
	return delete_all(st,
	    store_stmt(st, "DELETE FROM org_followers WHERE user_id = ?"),
	    user_id);
}

/* Collects the first column of every row into a new array. */
static int
collect_ids(struct store *st, sqlite3_stmt *s, int64_t **ids, size_t *n)
{
	int64_t *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out = xgrow(out, count, &cap, 16, sizeof *out);
		out[count++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		free(out);
		out = NULL;
		count = 0;
	}
	*ids = out;
	*n = count;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
orgs_followers(struct store *st, int64_t org_id, int64_t exclude_user,
    int64_t **ids, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT f.user_id FROM org_followers f JOIN users u"
	    " ON u.id = f.user_id WHERE f.org_id = ? AND u.blocked = 0"
	    " AND u.id != ? ORDER BY f.user_id");
	sqlite3_bind_int64(s, 1, org_id);
	sqlite3_bind_int64(s, 2, exclude_user);
	return collect_ids(st, s, ids, n);
}

int
orgs_open_actions(struct store *st, int64_t org_id, size_t limit, int64_t **ids,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM actions WHERE org_id = ? AND status = 'open'"
	    " ORDER BY id DESC LIMIT ?");
	sqlite3_bind_int64(s, 1, org_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	return collect_ids(st, s, ids, n);
}

bool
org_has_line(const char *lines, const char *entry)
{
	size_t len = strlen(entry);
	for (const char *p = lines; p != NULL && *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t k = nl ? (size_t)(nl - p) : strlen(p);
		if (k == len && memcmp(p, entry, len) == 0)
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

int
orgs_search(struct store *st, const char *words, int64_t *ids, char **names,
    size_t max)
{
	char *key = org_name_key(words);
	/* The key holds what the name holds, case-folded: a LIKE for it,
	 * with LIKE's own characters escaped. */
	struct buf pat = BUF_INIT;
	buf_putc(&pat, '%');
	for (const char *p = key; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&pat, '\\');
		buf_putc(&pat, *p);
	}
	buf_putc(&pat, '%');
	free(key);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, name FROM orgs WHERE name_key LIKE ? ESCAPE '\\'"
	    " ORDER BY name_key LIMIT ?");
	sqlite3_bind_text(s, 1, buf_str(&pat), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, (int64_t)max + 1);
	int n = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((size_t)n < max) {
			ids[n] = sqlite3_column_int64(s, 0);
			names[n] = xstrdup((const char *)sqlite3_column_text(s,
			    1));
		}
		n++;
	}
	sqlite3_reset(s);
	buf_release(&pat);
	if (rc != SQLITE_DONE) {
		for (int i = 0; i < n && (size_t)i < max; i++)
			free(names[i]);
		return -1;
	}
	return n;
}
