/* SQL of pledge expiry (see expiry.h). The queries first narrow by
 * created_at through the partial index pledges_live (migration 6): a pledge
 * cannot be due before `days - 1` days after it was made, whatever its
 * action's date. */
#include "dobrobot/store/expiry.h"

#include <stdlib.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"

/* The deadline of pledge p of action a, in wall ms; ?2 is the days in ms. */
#define DEADLINE " (max(p.created_at, coalesce(a.starts_at, 0) * 1000) + ?2)"

int
expiry_due_reminders(struct store *st, int64_t now_ms, int days, size_t limit,
    int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT p.id FROM pledges p JOIN actions a ON a.id = p.action_id"
	    " JOIN users u ON u.id = p.user_id"
	    " WHERE p.status = 'pledged' AND p.created_at <= ?1 - ?2 + ?3"
	    " AND a.status = 'open'"
	    " AND p.reminded_at IS NULL AND p.claimed_at IS NULL"
	    " AND u.blocked = 0"
	    " AND" DEADLINE " - ?3 <= ?1"
	    " ORDER BY p.id LIMIT ?4");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, (int64_t)days * EXPIRY_DAY_MS);
	sqlite3_bind_int64(s, 3, EXPIRY_DAY_MS);
	sqlite3_bind_int64(s, 4, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("expiry: %s", sqlite3_errmsg(store_db(st)));
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
expiry_mark_reminded(struct store *st, int64_t pledge_id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET reminded_at = ? WHERE id = ?");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, pledge_id);
	return store_step_done(st, s);
}

/* Bumps each distinct action of the lapsed pledges (ids sorted or not). */
static int
bump_actions(struct store *st, int64_t *actions, size_t n, int64_t now_ms)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = actions[j] == actions[i];
		if (!seen && actions_bump(st, actions[i], now_ms) < 0)
			return -1;
	}
	return 0;
}

int
expiry_lapse_due(struct store *st, int64_t now_ms, int days, size_t limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET status = 'lapsed', updated_at = ?1"
	    " WHERE id IN (SELECT p.id FROM pledges p"
	    "  JOIN actions a ON a.id = p.action_id"
	    "  LEFT JOIN users u ON u.id = p.user_id"
	    "  WHERE p.status = 'pledged' AND p.created_at <= ?1 - ?2"
	    "  AND p.claimed_at IS NULL AND" DEADLINE " <= ?1"
	    "  AND (p.reminded_at <= ?1 - ?3 OR (p.reminded_at IS NULL"
	    "   AND (p.user_id IS NULL OR coalesce(u.blocked, 1) != 0)))"
	    "  ORDER BY p.id LIMIT ?4)"
	    " RETURNING action_id");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, (int64_t)days * EXPIRY_DAY_MS);
	sqlite3_bind_int64(s, 3, EXPIRY_DAY_MS);
	sqlite3_bind_int64(s, 4, (int64_t)limit);
	int64_t *actions = NULL;
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		actions = xrealloc(actions, (n + 1) * sizeof *actions);
		actions[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	int result = (int)n;
	if (rc != SQLITE_DONE) {
		log_error("expiry: %s", sqlite3_errmsg(store_db(st)));
		result = -1;
	} else if (bump_actions(st, actions, n, now_ms) < 0) {
		result = -1;
	}
	free(actions);
	return result;
}

int
expiry_claim(struct store *st, int64_t pledge_id, int64_t user_id,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET claimed_at = ?, updated_at = ?"
	    " WHERE id = ? AND user_id = ? AND status = 'pledged'"
	    " AND claimed_at IS NULL");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, pledge_id);
	sqlite3_bind_int64(s, 4, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
}

int64_t
expiry_claimed_at(struct store *st, int64_t pledge_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT coalesce(claimed_at, 0) FROM pledges WHERE id = ?");
	sqlite3_bind_int64(s, 1, pledge_id);
	int rc = sqlite3_step(s);
	int64_t at = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? at : -1;
}

int
expiry_lapse_one(struct store *st, int64_t pledge_id, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET status = 'lapsed', updated_at = ?"
	    " WHERE id = ? AND status = 'pledged' RETURNING action_id");
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int64(s, 2, pledge_id);
	int rc = sqlite3_step(s);
	int64_t action = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	if (action == 0)
		return 0;
	return actions_bump(st, action, now_ms) < 0 ? -1 : 1;
}
