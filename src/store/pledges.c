/* SQL of the pledges table (see pledges.h). */
#include "dobrobot/store/pledges.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

static const char *const kind_names[] = {"money", "goods", "time"};
static const char *const status_names[] = {
    "pledged", "received", "withdrawn", "lapsed"};

const char *
pledge_kind_name(enum pledge_kind k)
{
	return kind_names[k];
}

const char *
pledge_status_name(enum pledge_status s)
{
	return status_names[s];
}

static enum pledge_kind
kind_from_name(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, kind_names[i]) == 0)
			return (enum pledge_kind)i;
	return PLEDGE_MONEY;
}

static enum pledge_status
status_from_name(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, status_names[i]) == 0)
			return (enum pledge_status)i;
	return PLEDGE_PLEDGED;
}

void
pledge_release(struct pledge *p)
{
	if (p == NULL)
		return;
	free(p->display_name);
	free(p->first_name);
	free(p->item);
	free(p->unit);
	free(p->action_title);
	memset(p, 0, sizeof *p);
}

void
pledges_free(struct pledge *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pledge_release(&p[i]);
	free(p);
}

#define PLEDGE_SELECT \
	"SELECT p.id, p.action_id, p.user_id, p.kind, p.need_id, p.amount," \
	" p.received_amount, p.anonymous, p.status, p.created_at," \
	" p.received_at, u.first_name, p.display_name, u.language, u.blocked," \
	" n.item, n.unit, a.title, a.status = 'closed'" \
	" FROM pledges p JOIN actions a ON a.id = p.action_id" \
	" LEFT JOIN users u ON u.id = p.user_id" \
	" LEFT JOIN needs n ON n.id = p.need_id"

static void
pledge_from_row(sqlite3_stmt *s, struct pledge *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(s, 0);
	p->action_id = sqlite3_column_int64(s, 1);
	p->user_id = sqlite3_column_int64(s, 2);
	p->kind = kind_from_name((const char *)sqlite3_column_text(s, 3));
	p->need_id = sqlite3_column_int64(s, 4);
	p->amount = sqlite3_column_int64(s, 5);
	p->received_amount = sqlite3_column_int64(s, 6);
	p->anonymous = sqlite3_column_int(s, 7) != 0;
	p->status = status_from_name((const char *)sqlite3_column_text(s, 8));
	p->created_at = sqlite3_column_int64(s, 9);
	p->received_at = sqlite3_column_int64(s, 10);
	p->first_name = column_dup(s, 11);
	p->display_name = column_dup(s, 12);
	const char *lang = (const char *)sqlite3_column_text(s, 13);
	snprintf(p->lang, sizeof p->lang, "%s", lang ? lang : "");
	p->user_blocked = sqlite3_column_int(s, 14) != 0;
	p->item = column_dup(s, 15);
	p->unit = column_dup(s, 16);
	p->action_title = column_dup(s, 17);
	p->action_closed = sqlite3_column_int(s, 18) != 0;
}

int64_t
pledges_insert(struct store *st, const struct pledge *p, int64_t update_id,
    int64_t now_ms, bool *duplicate)
{
	*duplicate = false;
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO pledges(action_id, user_id, kind, need_id, amount,"
	    " anonymous, update_id, created_at, updated_at, display_name)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT(update_id) DO NOTHING RETURNING id");
	sqlite3_bind_int64(s, 1, p->action_id);
	sqlite3_bind_int64(s, 2, p->user_id);
	sqlite3_bind_text(s, 3, kind_names[p->kind], -1, SQLITE_STATIC);
	if (p->need_id != 0)
		sqlite3_bind_int64(s, 4, p->need_id);
	sqlite3_bind_int64(s, 5, p->amount);
	sqlite3_bind_int(s, 6, p->anonymous);
	if (update_id != 0)
		sqlite3_bind_int64(s, 7, update_id);
	sqlite3_bind_int64(s, 8, now_ms);
	sqlite3_bind_int64(s, 9, now_ms);
	if (p->display_name != NULL)
		sqlite3_bind_text(s, 10, p->display_name, -1, SQLITE_TRANSIENT);
	int64_t id = -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		id = 0;
	else
		log_error("insert: %s", sqlite3_errmsg(store_db(st)));
	/* Step to the end so that the statement's write is complete. */
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (id < 0)
		return -1;
	if (id == 0) {
		/* This update already made a pledge: hand back that one. */
		s = store_stmt(st,
		    "SELECT id FROM pledges WHERE update_id = ?");
		sqlite3_bind_int64(s, 1, update_id);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		*duplicate = true;
		return id > 0 ? id : -1;
	}
	if (actions_bump(st, p->action_id, now_ms) < 0)
		return -1;
	return id;
}

int64_t
pledges_of_update(struct store *st, int64_t update_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM pledges WHERE update_id = ?");
	sqlite3_bind_int64(s, 1, update_id);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

int
pledges_load(struct store *st, int64_t id, struct pledge *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, PLEDGE_SELECT " WHERE p.id = ?");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		pledge_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
collect(sqlite3_stmt *s, struct pledge **out, size_t *n)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xgrow(*out, *n, &cap, 16, sizeof **out);
		pledge_from_row(s, &(*out)[(*n)++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		pledges_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
pledges_of_action(struct store *st, int64_t action_id, struct pledge **out,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    PLEDGE_SELECT " WHERE p.action_id = ? ORDER BY p.id");
	sqlite3_bind_int64(s, 1, action_id);
	return collect(s, out, n);
}

int
pledges_of_user(struct store *st, int64_t user_id, size_t limit,
    struct pledge **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    PLEDGE_SELECT " WHERE p.user_id = ? ORDER BY p.id DESC LIMIT ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	return collect(s, out, n);
}

/* The action of a pledge, for the version bump; 0 when none. */
static int64_t
action_of(struct store *st, int64_t pledge_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT action_id FROM pledges WHERE id = ?");
	sqlite3_bind_int64(s, 1, pledge_id);
	int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0)
	                                           : 0;
	sqlite3_reset(s);
	return id;
}

int
pledges_withdraw(struct store *st, int64_t id, int64_t user_id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET status = 'withdrawn', updated_at = ?"
	    " WHERE id = ? AND user_id = ? AND status = 'pledged'");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_int64(s, 3, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	if (store_changes(st) == 0)
		return 0;
	return actions_bump(st, action_of(st, id), now_ms) < 0 ? -1 : 1;
}

int
pledges_receive(struct store *st, int64_t id, int64_t actual, int64_t by_user,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET status = 'received', received_amount = ?,"
	    " received_at = ?, received_by = ?, updated_at = ?"
	    " WHERE id = ? AND status = 'pledged'");
	if (actual > 0)
		sqlite3_bind_int64(s, 1, actual);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, by_user);
	sqlite3_bind_int64(s, 4, now_ms);
	sqlite3_bind_int64(s, 5, id);
	if (store_step_done(st, s) < 0)
		return -1;
	if (store_changes(st) == 0)
		return 0;
	return actions_bump(st, action_of(st, id), now_ms) < 0 ? -1 : 1;
}

int
pledges_count_since(struct store *st, int64_t user_id, int64_t since_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM pledges WHERE user_id = ? AND created_at >= ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, since_ms);
	int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	return n;
}

int64_t
pledges_find_volunteer(struct store *st, int64_t action_id, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM pledges WHERE action_id = ? AND user_id = ?"
	    " AND kind = 'time' AND status IN ('pledged', 'received')"
	    " ORDER BY id LIMIT 1");
	sqlite3_bind_int64(s, 1, action_id);
	sqlite3_bind_int64(s, 2, user_id);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

int
pledges_record(struct store *st, int64_t user_id, struct pledge_record *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT kind, status, count(*),"
	    " sum(coalesce(received_amount, CASE WHEN kind = 'time' THEN 0"
	    "  ELSE amount END)), sum(amount)"
	    " FROM pledges WHERE user_id = ?"
	    " AND status IN ('pledged', 'received') GROUP BY kind, status");
	sqlite3_bind_int64(s, 1, user_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		enum pledge_kind k =
		    kind_from_name((const char *)sqlite3_column_text(s, 0));
		bool got = status_from_name((const char *)sqlite3_column_text(s,
		               1)) == PLEDGE_RECEIVED;
		int64_t count = sqlite3_column_int64(s, 2);
		int64_t came = sqlite3_column_int64(s, 3);
		int64_t promised = sqlite3_column_int64(s, 4);
		switch (k) {
		case PLEDGE_MONEY:
			if (got)
				out->money_given += came;
			else
				out->money_promised += promised;
			break;
		case PLEDGE_GOODS:
			if (got)
				out->goods_given += count;
			else
				out->goods_promised += count;
			break;
		case PLEDGE_TIME:
			if (got) {
				out->times_given += count;
				out->hours_given += came;
			} else {
				out->times_promised += count;
			}
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	s = store_stmt(st,
	    "SELECT count(DISTINCT action_id) FROM pledges"
	    " WHERE user_id = ? AND status = 'received'");
	sqlite3_bind_int64(s, 1, user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->actions_helped = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int64_t
pledges_find_repeat(struct store *st, int64_t action_id, int64_t user_id,
    const char *kind, int64_t need_id, int64_t amount, int64_t since_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM pledges WHERE action_id = ? AND user_id = ?"
	    " AND kind = ? AND coalesce(need_id, 0) = ? AND amount = ?"
	    " AND status = 'pledged' AND created_at >= ?"
	    " ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(s, 1, action_id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, need_id);
	sqlite3_bind_int64(s, 5, amount);
	sqlite3_bind_int64(s, 6, since_ms);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}
