/* SQL of reminders: outbox rows with ref_type 'reminder', and the pledges
 * and actions they follow (see reminders.h). */
#include "dobrobot/store/reminders.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

/* The one definition of "to be reminded of", shared by the two queries
 * below so that they cannot drift apart. ?1 is now (Unix seconds). */
#define ELIGIBLE \
	" p.status = 'pledged' AND p.kind IN ('time', 'goods')" \
	" AND a.status = 'open' AND a.starts_at IS NOT NULL" \
	" AND a.starts_at > ?1 AND u.blocked = 0"

int
reminders_active_pledges(struct store *st, int64_t now_s, int64_t action_id,
    struct reminder_pledge **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT p.id, p.user_id, p.action_id, p.kind = 'goods', p.amount,"
	    " a.starts_at, a.title, a.place, nd.item, nd.unit,"
	    " coalesce(u.language, 'ru')"
	    " FROM pledges p JOIN actions a ON a.id = p.action_id"
	    " JOIN users u ON u.id = p.user_id"
	    " LEFT JOIN needs nd ON nd.id = p.need_id"
	    " WHERE" ELIGIBLE " AND (?2 = 0 OR p.action_id = ?2)"
	    " ORDER BY p.id");
	sqlite3_bind_int64(s, 1, now_s);
	sqlite3_bind_int64(s, 2, action_id);
	size_t cap = 0, count = 0;
	struct reminder_pledge *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		arr = xgrow(arr, count, &cap, 16, sizeof *arr);
		struct reminder_pledge *p = &arr[count++];
		memset(p, 0, sizeof *p);
		p->pledge_id = sqlite3_column_int64(s, 0);
		p->user_id = sqlite3_column_int64(s, 1);
		p->action_id = sqlite3_column_int64(s, 2);
		p->goods = sqlite3_column_int(s, 3) != 0;
		p->amount = sqlite3_column_int64(s, 4);
		p->starts_at = sqlite3_column_int64(s, 5);
		p->title = column_dup(s, 6);
		p->place = column_dup(s, 7);
		p->item = column_dup(s, 8);
		p->unit = column_dup(s, 9);
		snprintf(p->lang, sizeof p->lang, "%s",
		    (const char *)sqlite3_column_text(s, 10));
	}
	sqlite3_reset(s);
	*out = arr;
	*n = count;
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

void
reminder_pledges_free(struct reminder_pledge *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].title);
		free(p[i].place);
		free(p[i].item);
		free(p[i].unit);
	}
	free(p);
}

int
reminders_cancel_stale(struct store *st, int64_t now_s, int64_t action_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'cancelled',"
	    " last_error = 'reminder no longer needed'"
	    " WHERE ref_type = 'reminder' AND state = 'pending'"
	    " AND (?2 = 0 OR ref_id IN"
	    "  (SELECT id FROM pledges WHERE action_id = ?2))"
	    " AND NOT EXISTS (SELECT 1 FROM pledges p"
	    "  JOIN actions a ON a.id = p.action_id"
	    "  JOIN users u ON u.id = p.user_id"
	    "  WHERE p.id = outbox.ref_id AND" ELIGIBLE ")");
	sqlite3_bind_int64(s, 1, now_s);
	sqlite3_bind_int64(s, 2, action_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
reminders_rows(struct store *st, int64_t pledge_id, struct reminder_row **out,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, coalesce(coalesce_key, ''), payload, state = 'pending'"
	    " FROM outbox WHERE ref_type = 'reminder' AND ref_id = ?"
	    " AND state != 'cancelled' ORDER BY id");
	sqlite3_bind_int64(s, 1, pledge_id);
	size_t cap = 0, count = 0;
	struct reminder_row *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		arr = xgrow(arr, count, &cap, 4, sizeof *arr);
		struct reminder_row *r = &arr[count++];
		r->id = sqlite3_column_int64(s, 0);
		r->key = column_dup(s, 1);
		r->payload = column_dup(s, 2);
		r->pending = sqlite3_column_int(s, 3) != 0;
	}
	sqlite3_reset(s);
	*out = arr;
	*n = count;
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

void
reminder_rows_free(struct reminder_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].key);
		free(r[i].payload);
	}
	free(r);
}

int64_t
reminders_add(struct store *st, int64_t pledge_id, int64_t user_id,
    const char *key, int64_t not_before_ms, json_t *payload)
{
	struct outbox_new m = {
	    .chat_id = user_id,
	    .method = "sendMessage",
	    .payload = payload,
	    .kind = "reminder",
	    .priority = PRIO_BROADCAST,
	    .not_before = not_before_ms,
	    .coalesce_key = key,
	    .ref_type = "reminder",
	    .ref_id = pledge_id,
	};
	return outbox_enqueue(st, &m);
}

int
reminders_move(struct store *st, int64_t row_id, const char *key,
    int64_t not_before_ms, json_t *payload)
{
	char *text = json_dumps(payload, JSON_COMPACT);
	if (text == NULL)
		return -1;
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET coalesce_key = ?2, not_before = ?3, payload = ?4"
	    " WHERE id = ?1 AND state = 'pending'");
	sqlite3_bind_int64(s, 1, row_id);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, not_before_ms);
	sqlite3_bind_text(s, 4, text, -1, free);
	return store_step_done(st, s);
}

int
reminders_set_payload(struct store *st, int64_t row_id, json_t *payload)
{
	char *text = json_dumps(payload, JSON_COMPACT);
	if (text == NULL)
		return -1;
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET payload = ?2 WHERE id = ?1 AND state = "
	    "'pending'");
	sqlite3_bind_int64(s, 1, row_id);
	sqlite3_bind_text(s, 2, text, -1, free);
	return store_step_done(st, s);
}

int
reminders_cancel_row(struct store *st, int64_t row_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'cancelled',"
	    " last_error = 'reminder no longer needed'"
	    " WHERE id = ? AND state = 'pending'");
	sqlite3_bind_int64(s, 1, row_id);
	return store_step_done(st, s);
}

int
reminders_cancel_pledge(struct store *st, int64_t pledge_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'cancelled',"
	    " last_error = 'reminder no longer needed'"
	    " WHERE ref_type = 'reminder' AND ref_id = ? AND state = "
	    "'pending'");
	sqlite3_bind_int64(s, 1, pledge_id);
	return store_step_done(st, s);
}
