/* SQL of the outbox table (see outbox.h). */
#include "dobrobot/store/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/core/json_out.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* The row's payload: the request body as json_dumps(JSON_COMPACT) would
 * write it, with chat_id added last when the payload lacks it (as
 * json_object_set_new on a copy would put it). json_out writes it at a
 * fraction of jansson's cost; a payload it leaves to jansson (one with a
 * real number) takes jansson's way. */
static char *
payload_text(const struct outbox_new *m)
{
	struct buf b = BUF_INIT;
	if (json_is_object(m->payload) && json_out(&b, m->payload) == 0) {
		if (json_object_get(m->payload, "chat_id") == NULL) {
			buf_truncate(&b, b.len - 1); /* the closing brace */
			buf_printf(&b, "%s\"chat_id\":%lld}",
			    json_object_size(m->payload) > 0 ? "," : "",
			    (long long)m->chat_id);
		}
		return buf_detach(&b);
	}
	buf_release(&b);
	json_t *payload = json_copy(m->payload);
	if (json_object_get(payload, "chat_id") == NULL)
		json_object_set_new(payload, "chat_id",
		    json_integer(m->chat_id));
	char *text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	return text;
}

int64_t
outbox_enqueue(struct store *st, const struct outbox_new *m)
{
	char *text = payload_text(m);
	if (text == NULL)
		return -1;

	/* Most rows coalesce with nothing: a plain INSERT, its id from
	 * last_insert_rowid. Only a row with a coalesce key takes the upsert,
	 * whose RETURNING makes SQLite build a temporary table on every call
	 * (a tenth of the CPU per update, measured with callgrind). */
	sqlite3_stmt *s = m->coalesce_key == NULL
	    ? store_stmt(st,
	          "INSERT INTO outbox(chat_id, method, payload, kind, priority,"
	          " not_before, coalesce_key, ref_type, ref_id, update_id, created_at)"
	          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	    : store_stmt(st,
	          "INSERT INTO outbox(chat_id, method, payload, kind, priority,"
	          " not_before, coalesce_key, ref_type, ref_id, update_id, created_at)"
	          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	          " ON CONFLICT(coalesce_key) WHERE state = 'pending'"
	          "  AND coalesce_key IS NOT NULL"
	          " DO UPDATE SET payload = excluded.payload,"
	          "  not_before = excluded.not_before"
	          " RETURNING id");
	int64_t now = clock_wall_ms();
	sqlite3_bind_int64(s, 1, m->chat_id);
	sqlite3_bind_text(s, 2, m->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, text, -1, free);
	sqlite3_bind_text(s, 4, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, m->priority);
	sqlite3_bind_int64(s, 6, m->not_before);
	bind_text_or_null(s, 7, m->coalesce_key);
	bind_text_or_null(s, 8, m->ref_type);
	if (m->ref_type != NULL)
		sqlite3_bind_int64(s, 9, m->ref_id);
	if (m->update_id != 0)
		sqlite3_bind_int64(s, 10, m->update_id);
	sqlite3_bind_int64(s, 11, now);
	int64_t id = -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE && m->coalesce_key == NULL)
		id = sqlite3_last_insert_rowid(store_db(st));
	else
		log_error("insert: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return id;
}

void
outbox_row_release(struct outbox_row *r)
{
	free(r->method);
	free(r->payload);
	free(r->kind);
	free(r->ref_type);
	memset(r, 0, sizeof *r);
}

static void
read_row(sqlite3_stmt *s, struct outbox_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->chat_id = sqlite3_column_int64(s, 1);
	r->method = column_dup(s, 2);
	r->payload = column_dup(s, 3);
	r->kind = column_dup(s, 4);
	r->priority = sqlite3_column_int(s, 5);
	r->attempts = sqlite3_column_int(s, 6);
	r->uncertain = sqlite3_column_int(s, 7);
	r->ref_type = column_dup(s, 8);
	r->ref_id = sqlite3_column_int64(s, 9);
}

/* Appends what `s` yields, up to `limit` rows in all, skipping callback
 * answers when `skip_answers` (they were read first). */
static int
read_rows(struct store *st, sqlite3_stmt *s, size_t limit, bool skip_answers,
    struct outbox_row **out, size_t *count, size_t *cap)
{
	int rc;
	while (*count < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (skip_answers &&
		    strcmp((const char *)sqlite3_column_text(s, 4),
		        OUTBOX_KIND_CALLBACK_ANSWER) == 0)
			continue;
		*out = xgrow(*out, *count, cap, 16, sizeof **out);
		read_row(s, &(*out)[(*count)++]);
	}
	rc = sqlite3_errcode(store_db(st));
	sqlite3_reset(s);
	if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

/* Callback answers first, all of them (they are not a chat's queue: each
 * must go out within seconds of the press). Then the queue heads
 * (outbox_heads, kept by triggers) in (priority, head_id) order: for each,
 * that chat's first ready row of that priority. The walk stops at `limit`,
 * so its cost is the candidates read (one index seek each) plus the heads
 * skipped for having nothing ready, whatever the backlog. A head's place
 * is its oldest pending row: a chat whose first row waits for a retry
 * keeps its turn. */
int
outbox_ready(struct store *st, int64_t now_ms, size_t limit,
    struct outbox_row **rows, size_t *n)
{
	sqlite3_stmt *answers = store_stmt(st,
	    "SELECT id, chat_id, method, payload, kind, priority, attempts,"
	    " uncertain, ref_type, ref_id FROM outbox"
	    " WHERE chat_id = 0 AND priority = ?3 AND state = 'pending'"
	    " AND kind = ?4 AND not_before <= ?1 ORDER BY id LIMIT ?2");
	sqlite3_stmt *heads = store_stmt(st,
	    "SELECT o.id, o.chat_id, o.method, o.payload, o.kind, o.priority,"
	    " o.attempts, o.uncertain, o.ref_type, o.ref_id"
	    " FROM outbox_heads h JOIN outbox o ON o.id = ("
	    "  SELECT id FROM outbox WHERE chat_id = h.chat_id"
	    "  AND priority = h.priority AND state = 'pending'"
	    "  AND not_before <= ?1 ORDER BY id LIMIT 1)"
	    " ORDER BY h.priority, h.head_id");
	size_t cap = 16, count = 0;
	struct outbox_row *out = xcalloc(cap, sizeof *out);
	sqlite3_bind_int64(answers, 1, now_ms);
	sqlite3_bind_int64(answers, 2, (int64_t)limit);
	sqlite3_bind_int(answers, 3, PRIO_REPLY);
	sqlite3_bind_text(answers, 4, OUTBOX_KIND_CALLBACK_ANSWER, -1,
	    SQLITE_STATIC);
	int rc = read_rows(st, answers, limit, false, &out, &count, &cap);
	if (rc == 0) {
		sqlite3_bind_int64(heads, 1, now_ms);
		rc = read_rows(st, heads, limit, true, &out, &count, &cap);
	}
	*rows = out;
	*n = count;
	return rc;
}

int
outbox_pending_replies(struct store *st, int64_t chat_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM outbox WHERE chat_id = ?1"
	    " AND priority = ?2 AND state = 'pending'");
	sqlite3_bind_int64(s, 1, chat_id);
	sqlite3_bind_int(s, 2, PRIO_REPLY);
	return step_int(s);
}

int
outbox_replies_waiting(struct store *st, int limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM (SELECT 1 FROM outbox"
	    " WHERE state = 'pending' AND priority = ?1 LIMIT ?2)");
	sqlite3_bind_int(s, 1, PRIO_REPLY);
	sqlite3_bind_int(s, 2, limit);
	return step_int(s);
}

int64_t
outbox_next_due(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT min(not_before) FROM outbox"
	    " WHERE state = 'pending' AND not_before > 0 AND not_before > ?");
	sqlite3_bind_int64(s, 1, now_ms);
	int64_t due = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		due = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return due;
}

int
outbox_mark_sending(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
	    " WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s);
}

int
outbox_mark_sent(struct store *st, int64_t id, int64_t message_id,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'sent', message_id = ?2, sent_at = ?3,"
	    " last_error = NULL WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	if (message_id != 0)
		sqlite3_bind_int64(s, 2, message_id);
	sqlite3_bind_int64(s, 3, now_ms);
	return store_step_done(st, s);
}

int
outbox_mark_failed(struct store *st, int64_t id, const char *error,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'failed', last_error = ?2, sent_at = ?3"
	    " WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now_ms);
	return store_step_done(st, s);
}

int
outbox_mark_retry(struct store *st, int64_t id, int64_t not_before,
    const char *error, bool uncertain, bool refund)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'pending', not_before = ?2,"
	    " last_error = ?3, uncertain = uncertain + ?4,"
	    " attempts = max(0, attempts - ?5) WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, not_before);
	sqlite3_bind_text(s, 3, error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 4, uncertain);
	sqlite3_bind_int(s, 5, refund);
	return store_step_done(st, s);
}

int
outbox_recover(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'pending', uncertain = uncertain + 1"
	    " WHERE state = 'sending'");
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
outbox_cancel_chat(struct store *st, int64_t chat_id, const char *why)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET state = 'cancelled', last_error = ?2"
	    " WHERE chat_id = ?1 AND state = 'pending'");
	sqlite3_bind_int64(s, 1, chat_id);
	sqlite3_bind_text(s, 2, why, -1, SQLITE_TRANSIENT);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
outbox_move_chat(struct store *st, int64_t from, int64_t to)
{
	/* The payload names the chat too; json_set keeps it consistent. */
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET chat_id = ?2,"
	    " payload = json_set(payload, '$.chat_id', ?2)"
	    " WHERE chat_id = ?1 AND state IN ('pending', 'sending')");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_step_done(st, s);
}

int
outbox_count(struct store *st, struct outbox_counts *c)
{
	memset(c, 0, sizeof *c);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT state, count(*), sum(uncertain) FROM outbox GROUP BY state");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(s, 0);
		int64_t n = sqlite3_column_int64(s, 1);
		c->uncertain += sqlite3_column_int64(s, 2);
		if (strcmp(state, "pending") == 0)
			c->pending = n;
		else if (strcmp(state, "sending") == 0)
			c->sending = n;
		else if (strcmp(state, "sent") == 0)
			c->sent = n;
		else if (strcmp(state, "failed") == 0)
			c->failed = n;
		else if (strcmp(state, "cancelled") == 0)
			c->cancelled = n;
	}
	sqlite3_reset(s);
	return 0;
}

int
outbox_forget_payloads(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET payload = '{}'"
	    " WHERE state IN ('sent', 'failed', 'cancelled')"
	    " AND coalesce(sent_at, created_at) < ? AND payload != '{}'"
	    " AND coalesce(ref_type, '') != 'reminder'");
	sqlite3_bind_int64(s, 1, now_ms - OUTBOX_KEEP_PAYLOAD_MS);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}
