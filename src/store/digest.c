/* SQL of the weekly digest (see digest.h). */
#include "dobrobot/store/digest.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

static int
step_error(struct store *st, int rc)
{
	if (rc == SQLITE_DONE)
		return 0;
	log_error("%s", sqlite3_errmsg(store_db(st)));
	return -1;
}

static int
load_needs(struct store *st, struct digest_action *a)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT nd.item, nd.unit, nd.quantity, coalesce(sum(CASE"
	    "  WHEN p.status = 'received' THEN coalesce(p.received_amount,"
	    "   p.amount)"
	    "  WHEN p.status = 'pledged' THEN p.amount END), 0)"
	    " FROM needs nd LEFT JOIN pledges p ON p.need_id = nd.id"
	    "  AND p.kind = 'goods'"
	    " WHERE nd.action_id = ? GROUP BY nd.id ORDER BY nd.position, "
	    "nd.id");
	sqlite3_bind_int64(s, 1, a->id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a->needs = xgrow(a->needs, a->n_needs, &cap, 4,
		    sizeof *a->needs);
		struct digest_need *nd = &a->needs[a->n_needs++];
		nd->item = column_dup(s, 0);
		nd->unit = column_dup(s, 1);
		nd->quantity = sqlite3_column_int64(s, 2);
		nd->pledged = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	return step_error(st, rc);
}

int
digest_open_actions(struct store *st, struct digest_action **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT a.id, a.title, a.direction, coalesce(a.starts_at, 0),"
	    " coalesce(a.goal_kopecks, 0), coalesce(a.volunteers_needed, 0),"
	    " (SELECT coalesce(sum(CASE WHEN p.status = 'received'"
	    "   THEN coalesce(p.received_amount, p.amount) ELSE p.amount END), "
	    "0)"
	    "  FROM pledges p WHERE p.action_id = a.id AND p.kind = 'money'"
	    "  AND p.status IN ('pledged', 'received')),"
	    " (SELECT coalesce(sum(coalesce(p.received_amount, p.amount)), 0)"
	    "  FROM pledges p WHERE p.action_id = a.id AND p.kind = 'money'"
	    "  AND p.status = 'received'),"
	    " (SELECT count(*) FROM pledges p WHERE p.action_id = a.id"
	    "  AND p.kind = 'time' AND p.status IN ('pledged', 'received'))"
	    " FROM actions a WHERE a.status = 'open'"
	    " ORDER BY a.starts_at IS NULL, a.starts_at, a.id");
	size_t cap = 0, count = 0;
	struct digest_action *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		arr = xgrow(arr, count, &cap, 8, sizeof *arr);
		struct digest_action *a = &arr[count++];
		memset(a, 0, sizeof *a);
		a->id = sqlite3_column_int64(s, 0);
		a->title = column_dup(s, 1);
		a->direction = column_dup(s, 2);
		a->starts_at = sqlite3_column_int64(s, 3);
		a->goal_kopecks = sqlite3_column_int64(s, 4);
		a->volunteers_needed = sqlite3_column_int64(s, 5);
		a->money_kopecks = sqlite3_column_int64(s, 6);
		a->received_kopecks = sqlite3_column_int64(s, 7);
		a->volunteers = sqlite3_column_int64(s, 8);
	}
	sqlite3_reset(s);
	*out = arr;
	*n = count;
	if (step_error(st, rc) < 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (load_needs(st, &arr[i]) < 0)
			return -1;
	return 0;
}

static void
needs_free(struct digest_need *nd, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(nd[i].item);
		free(nd[i].unit);
	}
	free(nd);
}

void
digest_actions_free(struct digest_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].title);
		free(a[i].direction);
		needs_free(a[i].needs, a[i].n_needs);
	}
	free(a);
}

static int64_t
single_int(struct store *st, sqlite3_stmt *s)
{
	int64_t v = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		step_error(st, rc);
	sqlite3_reset(s);
	return v;
}

int
digest_week_stats(struct store *st, int64_t since_ms, struct digest_week *w)
{
	memset(w, 0, sizeof *w);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT kind, count(*) FROM pledges WHERE created_at >= ?"
	    " AND status != 'withdrawn' GROUP BY kind");
	sqlite3_bind_int64(s, 1, since_ms);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		int64_t k = sqlite3_column_int64(s, 1);
		if (strcmp(kind, "money") == 0)
			w->pledges_money = k;
		else if (strcmp(kind, "goods") == 0)
			w->pledges_goods = k;
		else if (strcmp(kind, "time") == 0)
			w->pledges_time = k;
	}
	sqlite3_reset(s);
	if (step_error(st, rc) < 0)
		return -1;

	s = store_stmt(st,
	    "SELECT count(*), coalesce(sum(CASE WHEN kind = 'money'"
	    " THEN coalesce(received_amount, amount) END), 0)"
	    " FROM pledges WHERE status = 'received' AND received_at >= ?");
	sqlite3_bind_int64(s, 1, since_ms);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		w->received = sqlite3_column_int64(s, 0);
		w->received_kopecks = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);

	s = store_stmt(st,
	    "SELECT nd.item, nd.unit, sum(coalesce(p.received_amount,"
	    " p.amount)) AS k FROM pledges p JOIN needs nd ON nd.id = p.need_id"
	    " WHERE p.kind = 'goods' AND p.status = 'received'"
	    " AND p.received_at >= ? GROUP BY nd.item, nd.unit"
	    " ORDER BY k DESC, nd.item LIMIT 20");
	sqlite3_bind_int64(s, 1, since_ms);
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		w->arrived = xgrow(w->arrived, w->n_arrived, &cap, 4,
		    sizeof *w->arrived);
		struct digest_need *nd = &w->arrived[w->n_arrived++];
		nd->item = column_dup(s, 0);
		nd->unit = column_dup(s, 1);
		nd->quantity = 0;
		nd->pledged = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (step_error(st, rc) < 0)
		return -1;

	s = store_stmt(st,
	    "SELECT count(DISTINCT user_id) FROM pledges WHERE kind = 'time'"
	    " AND created_at >= ? AND status != 'withdrawn'");
	sqlite3_bind_int64(s, 1, since_ms);
	w->volunteers = single_int(st, s);
	s = store_stmt(st, "SELECT count(*) FROM users WHERE created_at >= ?");
	sqlite3_bind_int64(s, 1, since_ms);
	w->new_users = single_int(st, s);
	s = store_stmt(st,
	    "SELECT count(*) FROM actions WHERE created_at >= ?");
	sqlite3_bind_int64(s, 1, since_ms);
	w->actions_opened = single_int(st, s);
	s = store_stmt(st,
	    "SELECT count(*) FROM actions WHERE status = 'closed'"
	    " AND closed_at >= ?");
	sqlite3_bind_int64(s, 1, since_ms);
	w->actions_closed = single_int(st, s);
	return 0;
}

void
digest_week_release(struct digest_week *w)
{
	needs_free(w->arrived, w->n_arrived);
	memset(w, 0, sizeof *w);
}
