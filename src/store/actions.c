/* SQL of actions, needs and announcements (see actions.h). */
#include "dobrobot/store/actions.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

void
action_release(struct action *a)
{
	if (a == NULL)
		return;
	free(a->org_name);
	free(a->title);
	free(a->description);
	free(a->direction);
	free(a->place);
	free(a->result);
	free(a->payment);
	free(a->poster_file_id);
	free(a->org_phone);
	free(a->org_link);
	free(a->author_username);
	for (size_t i = 0; i < a->n_needs; i++) {
		free(a->needs[i].item);
		free(a->needs[i].unit);
	}
	free(a->needs);
	memset(a, 0, sizeof *a);
}

struct action_need *
action_add_need(struct action *a, const char *item, const char *unit,
    int64_t quantity)
{
	a->needs = xrealloc(a->needs, (a->n_needs + 1) * sizeof *a->needs);
	struct action_need *n = &a->needs[a->n_needs++];
	memset(n, 0, sizeof *n);
	n->item = xstrdup(item);
	n->unit = unit != NULL && *unit != '\0' ? xstrdup(unit) : NULL;
	n->quantity = quantity;
	return n;
}

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void
bind_positive_or_null(sqlite3_stmt *s, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static int
need_insert(struct store *st, int64_t action_id, int position,
    struct action_need *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO needs(action_id, position, item, unit, quantity)"
	    " VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, action_id);
	sqlite3_bind_int(s, 2, position);
	sqlite3_bind_text(s, 3, n->item, -1, SQLITE_TRANSIENT);
	bind_text_or_null(s, 4, n->unit);
	sqlite3_bind_int64(s, 5, n->quantity);
	if (store_step_done(st, s) < 0)
		return -1;
	n->id = store_last_rowid(st);
	return 0;
}

int64_t
actions_insert(struct store *st, struct action *a, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO actions(author_id, title, description, direction,"
	    " starts_at, place, goal_kopecks, volunteers_needed, created_at,"
	    " updated_at, org_id, payment, poster_file_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, a->author_id);
	sqlite3_bind_text(s, 2, a->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, a->description, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, a->direction, -1, SQLITE_TRANSIENT);
	bind_positive_or_null(s, 5, a->starts_at);
	bind_text_or_null(s, 6, a->place);
	bind_positive_or_null(s, 7, a->goal_kopecks);
	bind_positive_or_null(s, 8, a->volunteers_needed);
	sqlite3_bind_int64(s, 9, now_ms);
	sqlite3_bind_int64(s, 10, now_ms);
	bind_positive_or_null(s, 11, a->org_id);
	bind_text_or_null(s, 12, a->payment);
	bind_text_or_null(s, 13, a->poster_file_id);
	if (store_step_done(st, s) < 0)
		return -1;
	a->id = store_last_rowid(st);
	a->version = 1;
	a->created_at = now_ms;
	for (size_t i = 0; i < a->n_needs; i++)
		if (need_insert(st, a->id, (int)i, &a->needs[i]) < 0)
			return -1;
	return a->id;
}

/* The totals of an action's live pledges, by kind and need. */
static int
load_totals(struct store *st, struct action *a)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT kind, need_id, count(*), sum(status = 'received'),"
	    " sum(CASE WHEN status = 'received'"
	    "  THEN coalesce(received_amount, amount) ELSE amount END),"
	    " sum(CASE WHEN status = 'received'"
	    "  THEN coalesce(received_amount, amount) ELSE 0 END),"
	    " sum(CASE WHEN status = 'received'"
	    "  THEN coalesce(received_amount, 0) ELSE 0 END)"
	    " FROM pledges WHERE action_id = ?"
	    " AND status IN ('pledged', 'received') GROUP BY kind, need_id");
	sqlite3_bind_int64(s, 1, a->id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		int64_t need_id = sqlite3_column_int64(s, 1);
		if (kind == NULL)
			continue;
		if (strcmp(kind, "money") == 0) {
			a->money_promised += sqlite3_column_int64(s, 4);
			a->money_received += sqlite3_column_int64(s, 5);
		} else if (strcmp(kind, "time") == 0) {
			a->volunteers_promised += sqlite3_column_int64(s, 2);
			a->volunteers_received += sqlite3_column_int64(s, 3);
			a->hours_received += sqlite3_column_int64(s, 6);
		} else {
			for (size_t i = 0; i < a->n_needs; i++) {
				if (a->needs[i].id != need_id)
					continue;
				a->needs[i].promised += sqlite3_column_int64(s,
				    4);
				a->needs[i].received += sqlite3_column_int64(s,
				    5);
			}
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	s = store_stmt(st,
	    "SELECT count(DISTINCT coalesce(user_id, -id)) FROM pledges"
	    " WHERE action_id = ? AND status IN ('pledged', 'received')");
	sqlite3_bind_int64(s, 1, a->id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		a->helpers = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
load_needs(struct store *st, struct action *a)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, item, unit, quantity FROM needs WHERE action_id = ?"
	    " ORDER BY position, id");
	sqlite3_bind_int64(s, 1, a->id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct action_need *n = action_add_need(a,
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    sqlite3_column_int64(s, 3));
		n->id = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
action_from_row(sqlite3_stmt *s, struct action *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(s, 0);
	a->author_id = sqlite3_column_int64(s, 1);
	a->title = column_dup(s, 2);
	a->description = column_dup(s, 3);
	a->direction = column_dup(s, 4);
	a->starts_at = sqlite3_column_int64(s, 5);
	a->place = column_dup(s, 6);
	a->goal_kopecks = sqlite3_column_int64(s, 7);
	a->volunteers_needed = sqlite3_column_int64(s, 8);
	const char *status = (const char *)sqlite3_column_text(s, 9);
	a->closed = status != NULL && strcmp(status, "closed") == 0;
	a->result = column_dup(s, 10);
	a->version = sqlite3_column_int64(s, 11);
	a->created_at = sqlite3_column_int64(s, 12);
	a->closed_at = sqlite3_column_int64(s, 13);
	a->org_id = sqlite3_column_int64(s, 14);
	a->org_name = column_dup(s, 15);
	a->payment = column_dup(s, 16);
	a->poster_file_id = column_dup(s, 17);
	a->org_phone = column_dup(s, 18);
	a->org_link = column_dup(s, 19);
	a->author_username = column_dup(s, 20);
}

#define ACTION_COLUMNS \
	"id, author_id, title, description, direction, starts_at, place," \
	" goal_kopecks, volunteers_needed, status, result, version," \
	" created_at, closed_at, org_id," \
	" (SELECT name FROM orgs WHERE orgs.id = actions.org_id)," \
	" payment, poster_file_id," \
	" (SELECT phone FROM orgs WHERE orgs.id = actions.org_id)," \
	" (SELECT link FROM orgs WHERE orgs.id = actions.org_id)," \
	" (SELECT username FROM users WHERE users.id = actions.author_id" \
	"  AND users.contact_public = 1)"

int
actions_load(struct store *st, int64_t id, struct action *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT " ACTION_COLUMNS " FROM actions WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		action_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	if (load_needs(st, out) < 0 || load_totals(st, out) < 0) {
		action_release(out);
		return -1;
	}
	return 1;
}

int
actions_need_has_pledges(struct store *st, int64_t need_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT EXISTS (SELECT 1 FROM pledges WHERE need_id = ?)");
	sqlite3_bind_int64(s, 1, need_id);
	int rc = sqlite3_step(s);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	return v;
}

/* Deletes the action's needs that are not in a->needs and that no pledge
 * refers to. */
static int
delete_dropped_needs(struct store *st, const struct action *a)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM needs WHERE action_id = ?");
	sqlite3_bind_int64(s, 1, a->id);
	int64_t *drop = NULL;
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		bool kept = false;
		for (size_t i = 0; i < a->n_needs; i++)
			kept = kept || a->needs[i].id == id;
		if (!kept) {
			drop = xrealloc(drop, (n + 1) * sizeof *drop);
			drop[n++] = id;
		}
	}
	sqlite3_reset(s);
	int result = rc == SQLITE_DONE ? 0 : -1;
	for (size_t i = 0; i < n && result == 0; i++) {
		s = store_stmt(st,
		    "DELETE FROM needs WHERE id = ? AND NOT EXISTS"
		    " (SELECT 1 FROM pledges WHERE need_id = needs.id)");
		sqlite3_bind_int64(s, 1, drop[i]);
		result = store_step_done(st, s);
	}
	free(drop);
	return result;
}

int
actions_update(struct store *st, struct action *a, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE actions SET title = ?, description = ?, direction = ?,"
	    " starts_at = ?, place = ?, goal_kopecks = ?, volunteers_needed = ?,"
	    " version = version + 1, updated_at = ?, payment = ? WHERE id = ?");
	sqlite3_bind_text(s, 1, a->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, a->description, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, a->direction, -1, SQLITE_TRANSIENT);
	bind_positive_or_null(s, 4, a->starts_at);
	bind_text_or_null(s, 5, a->place);
	bind_positive_or_null(s, 6, a->goal_kopecks);
	bind_positive_or_null(s, 7, a->volunteers_needed);
	sqlite3_bind_int64(s, 8, now_ms);
	bind_text_or_null(s, 9, a->payment);
	sqlite3_bind_int64(s, 10, a->id);
	if (store_step_done(st, s) < 0)
		return -1;
	if (delete_dropped_needs(st, a) < 0)
		return -1;
	for (size_t i = 0; i < a->n_needs; i++) {
		struct action_need *n = &a->needs[i];
		if (n->id == 0) {
			if (need_insert(st, a->id, (int)i, n) < 0)
				return -1;
			continue;
		}
		s = store_stmt(st,
		    "UPDATE needs SET position = ?, item = ?, unit = ?,"
		    " quantity = ? WHERE id = ? AND action_id = ?");
		sqlite3_bind_int(s, 1, (int)i);
		sqlite3_bind_text(s, 2, n->item, -1, SQLITE_TRANSIENT);
		bind_text_or_null(s, 3, n->unit);
		sqlite3_bind_int64(s, 4, n->quantity);
		sqlite3_bind_int64(s, 5, n->id);
		sqlite3_bind_int64(s, 6, a->id);
		if (store_step_done(st, s) < 0)
			return -1;
	}
	return 0;
}

int
actions_close(struct store *st, int64_t id, const char *result, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE actions SET status = 'closed', result = ?, closed_at = ?,"
	    " updated_at = ?, version = version + 1"
	    " WHERE id = ? AND status = 'open'");
	bind_text_or_null(s, 1, result);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, now_ms);
	sqlite3_bind_int64(s, 4, id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
}

int
actions_set_result_photo(struct store *st, int64_t id, const char *photo)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE actions SET result_photo = ? WHERE id = ?");
	bind_text_or_null(s, 1, photo);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s);
}

int
actions_bump(struct store *st, int64_t id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE actions SET version = version + 1, updated_at = ?"
	    " WHERE id = ?");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s);
}

int
actions_list_open(struct store *st, const char *direction, int offset,
    int limit, struct action **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM actions WHERE status = 'open'"
	    " AND (?1 IS NULL OR direction = ?1)");
	bind_text_or_null(s, 1, direction);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return -1;

	/* Ids first: loading each one steps other cached statements. */
	s = store_stmt(st,
	    "SELECT id FROM actions WHERE status = 'open'"
	    " AND (?1 IS NULL OR direction = ?1)"
	    " ORDER BY id DESC LIMIT ?2 OFFSET ?3");
	bind_text_or_null(s, 1, direction);
	sqlite3_bind_int(s, 2, limit);
	sqlite3_bind_int(s, 3, offset);
	int64_t *ids = NULL;
	size_t k = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xrealloc(ids, (k + 1) * sizeof *ids);
		ids[k++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return -1;
	}
	struct action *list = k > 0 ? xcalloc(k, sizeof *list) : NULL;
	size_t got = 0;
	for (size_t i = 0; i < k; i++) {
		int r = actions_load(st, ids[i], &list[got]);
		if (r < 0) {
			for (size_t j = 0; j < got; j++)
				action_release(&list[j]);
			free(list);
			free(ids);
			return -1;
		}
		if (r == 1)
			got++;
	}
	free(ids);
	*out = list;
	*n = got;
	return 0;
}

int
actions_reader_lang(struct store *st, int64_t user_id, char lang[3])
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT language FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	const char *l = rc == SQLITE_ROW
	    ? (const char *)sqlite3_column_text(s, 0)
	    : NULL;
	snprintf(lang, 3, "%s", l ? l : "");
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int64_t
announcements_add(struct store *st, int64_t action_id, int64_t chat_id,
    int64_t message_id, int64_t version, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO announcements(action_id, chat_id, message_id,"
	    " shown_version, created_at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, action_id);
	sqlite3_bind_int64(s, 2, chat_id);
	bind_positive_or_null(s, 3, message_id);
	sqlite3_bind_int64(s, 4, version);
	sqlite3_bind_int64(s, 5, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_last_rowid(st);
}

int
announcements_set_caption(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE announcements SET caption = 1 WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s);
}

int
announcements_set_outbox(struct store *st, int64_t id, int64_t outbox_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE announcements SET outbox_id = ? WHERE id = ?");
	sqlite3_bind_int64(s, 1, outbox_id);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s);
}

int
announcements_stale(struct store *st, const char *default_lang, size_t limit,
    struct announcement_stale **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT an.id, an.action_id, an.chat_id, an.message_id, a.version,"
	    " u.language, coalesce(u.blocked, 0) OR NOT coalesce(c.active, 1),"
	    " an.caption"
	    /* CROSS JOIN keeps actions the outer loop: each action's stale
	     * copies are one range of the announcements_stale index, instead of
	     * a scan of every copy ever posted. */
	    " FROM actions a"
	    " CROSS JOIN announcements an ON an.action_id = a.id"
	    "  AND an.shown_version < a.version AND an.message_id IS NOT NULL"
	    " LEFT JOIN users u ON u.id = an.chat_id"
	    " LEFT JOIN chats c ON c.id = an.chat_id"
	    " ORDER BY an.chat_id < 0 DESC, an.shown_version, an.action_id,"
	    " an.id LIMIT ?");
	sqlite3_bind_int64(s, 1, (int64_t)limit);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xgrow(*out, *n, &cap, 16, sizeof **out);
		struct announcement_stale *a = &(*out)[(*n)++];
		a->id = sqlite3_column_int64(s, 0);
		a->action_id = sqlite3_column_int64(s, 1);
		a->chat_id = sqlite3_column_int64(s, 2);
		a->message_id = sqlite3_column_int64(s, 3);
		a->version = sqlite3_column_int64(s, 4);
		const char *lang = (const char *)sqlite3_column_text(s, 5);
		snprintf(a->lang, sizeof a->lang, "%s",
		    a->chat_id > 0 && lang != NULL ? lang : default_lang);
		a->gone = sqlite3_column_int(s, 6) != 0;
		a->caption = sqlite3_column_int(s, 7) != 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
announcements_set_shown(struct store *st, int64_t id, int64_t version)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE announcements SET shown_version = ? WHERE id = ?");
	sqlite3_bind_int64(s, 1, version);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s);
}

int
actions_fill_contact(struct store *st, struct action *a)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT (SELECT phone FROM orgs WHERE id = ?1),"
	    " (SELECT link FROM orgs WHERE id = ?1),"
	    " (SELECT username FROM users WHERE id = ?2"
	    "  AND contact_public = 1)");
	sqlite3_bind_int64(s, 1, a->org_id);
	sqlite3_bind_int64(s, 2, a->author_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		free(a->org_phone);
		free(a->org_link);
		free(a->author_username);
		a->org_phone = column_dup(s, 0);
		a->org_link = column_dup(s, 1);
		a->author_username = column_dup(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}
