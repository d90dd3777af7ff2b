/* SQL of the documents table (see documents.h). */
#include "dobrobot/store/documents.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"

#define COLUMNS \
	" id, code, kind, user_id, chat_id, coalesce(action_id, 0)," \
	" coalesce(issued_by, 0), holder_name, name_chosen, show_money," \
	" state, org_name, actions, hours, times, goods, money, created_at," \
	" coalesce(issued_at, 0), coalesce(revoked_at, 0), revoke_reason"

static char *
column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static enum doc_state
state_from(const char *s)
{
	if (s != NULL && strcmp(s, "issued") == 0)
		return DOC_ISSUED;
	if (s != NULL && strcmp(s, "failed") == 0)
		return DOC_FAILED;
	return DOC_QUEUED;
}

static void
read_row(sqlite3_stmt *s, struct document *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	snprintf(d->code, sizeof d->code, "%s",
	    (const char *)sqlite3_column_text(s, 1));
	d->kind = strcmp((const char *)sqlite3_column_text(s, 2), "letter") == 0
	    ? DOC_LETTER
	    : DOC_RECORD;
	d->user_id = sqlite3_column_int64(s, 3);
	d->chat_id = sqlite3_column_int64(s, 4);
	d->action_id = sqlite3_column_int64(s, 5);
	d->issued_by = sqlite3_column_int64(s, 6);
	d->holder_name = column_dup(s, 7);
	d->name_chosen = sqlite3_column_int(s, 8) != 0;
	d->show_money = sqlite3_column_int(s, 9) != 0;
	d->state = state_from((const char *)sqlite3_column_text(s, 10));
	d->org_name = column_dup(s, 11);
	d->actions = sqlite3_column_int64(s, 12);
	d->hours = sqlite3_column_int64(s, 13);
	d->times = sqlite3_column_int64(s, 14);
	d->goods = sqlite3_column_int64(s, 15);
	d->money = sqlite3_column_int64(s, 16);
	d->created_at = sqlite3_column_int64(s, 17);
	d->issued_at = sqlite3_column_int64(s, 18);
	d->revoked_at = sqlite3_column_int64(s, 19);
	d->revoke_reason = column_dup(s, 20);
}

void
document_release(struct document *d)
{
	if (d == NULL)
		return;
	free(d->holder_name);
	free(d->org_name);
	free(d->revoke_reason);
	memset(d, 0, sizeof *d);
}

int64_t
documents_letter_of(struct store *st, int64_t action_id, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM documents WHERE kind = 'letter' AND action_id = ?1"
	    " AND user_id = ?2 AND revoked_at IS NULL");
	sqlite3_bind_int64(s, 1, action_id);
	sqlite3_bind_int64(s, 2, user_id);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return id;
}

int64_t
documents_insert(struct store *st, const struct document *d, int64_t now_ms)
{
	if (d->kind == DOC_LETTER) {
		int64_t have = documents_letter_of(st, d->action_id,
		    d->user_id);
		if (have != 0)
			return have < 0 ? -1 : 0;
	}
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO documents (code, kind, user_id, chat_id, action_id,"
	    " issued_by, holder_name, name_chosen, show_money, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), nullif(?6, 0), ?7, ?8, ?9,"
	    " ?10)");
	sqlite3_bind_text(s, 1, d->code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, d->kind == DOC_LETTER ? "letter" : "record", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, d->user_id);
	sqlite3_bind_int64(s, 4, d->chat_id);
	sqlite3_bind_int64(s, 5, d->action_id);
	sqlite3_bind_int64(s, 6, d->issued_by);
	sqlite3_bind_text(s, 7, d->holder_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 8, d->name_chosen);
	sqlite3_bind_int(s, 9, d->show_money);
	sqlite3_bind_int64(s, 10, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_last_rowid(st);
}

int
documents_load(struct store *st, int64_t id, struct document *out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT" COLUMNS " FROM documents WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	log_error("%s", sqlite3_errmsg(store_db(st)));
	return -1;
}

int
documents_queued(struct store *st, size_t limit, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id FROM documents WHERE state = 'queued' ORDER BY id"
	    " LIMIT ?1");
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	*ids = xcalloc(limit + 1, sizeof **ids);
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < limit)
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

int
documents_mark_issued(struct store *st, const struct document *d,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE documents SET state = 'issued', org_name = ?2,"
	    " actions = ?3, hours = ?4, times = ?5, goods = ?6, money = ?7,"
	    " issued_at = ?8, error = NULL WHERE id = ?1");
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_text(s, 2, d->org_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, d->actions);
	sqlite3_bind_int64(s, 4, d->hours);
	sqlite3_bind_int64(s, 5, d->times);
	sqlite3_bind_int64(s, 6, d->goods);
	sqlite3_bind_int64(s, 7, d->money);
	sqlite3_bind_int64(s, 8, now_ms);
	return store_step_done(st, s);
}

int
documents_mark_failed(struct store *st, int64_t id, const char *error)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE documents SET state = 'failed', error = ?2 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, error, -1, SQLITE_TRANSIENT);
	return store_step_done(st, s);
}

int
documents_revoke(struct store *st, int64_t id, int64_t by, const char *reason,
    int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE documents SET revoked_at = ?2, revoked_by = ?3,"
	    " revoke_reason = nullif(?4, '')"
	    " WHERE id = ?1 AND state = 'issued' AND revoked_at IS NULL");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, by);
	sqlite3_bind_text(s, 4, reason ? reason : "", -1, SQLITE_TRANSIENT);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st) > 0;
}

int
documents_set_revoke_reason(struct store *st, int64_t id, const char *reason)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE documents SET revoke_reason = ?2 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, reason, -1, SQLITE_TRANSIENT);
	return store_step_done(st, s);
}

char *
documents_default_name(struct store *st, int64_t user_id, bool *chosen)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT (SELECT holder_name FROM documents WHERE user_id = ?1"
	    "  AND name_chosen = 1 ORDER BY id DESC LIMIT 1),"
	    " trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))"
	    " FROM users WHERE id = ?1");
	sqlite3_bind_int64(s, 1, user_id);
	char *name = NULL;
	*chosen = false;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*chosen = sqlite3_column_type(s, 0) != SQLITE_NULL;
		name = column_dup(s, *chosen ? 0 : 1);
	}
	sqlite3_reset(s);
	if (name != NULL && *name == '\0') {
		free(name);
		name = NULL;
	}
	return name;
}

int
documents_codes_of_user(struct store *st, int64_t user_id, char ***codes,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT code FROM documents WHERE user_id = ?1 ORDER BY id");
	sqlite3_bind_int64(s, 1, user_id);
	size_t cap = 0;
	*codes = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*codes = xrealloc(*codes, cap * sizeof **codes);
		}
		(*codes)[(*n)++] = column_dup(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

int
documents_forget_user(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM documents WHERE user_id = ?1");
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	return store_changes(st);
}

int
documents_letters_of_action(struct store *st, int64_t action_id,
    struct document_brief **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT d.id, d.user_id, d.holder_name, d.state,"
	    " (SELECT o.state FROM outbox o WHERE o.ref_type = 'document'"
	    "  AND o.ref_id = d.id ORDER BY o.id DESC LIMIT 1)"
	    " FROM documents d WHERE d.kind = 'letter' AND d.action_id = ?1"
	    " AND d.revoked_at IS NULL ORDER BY d.id");
	sqlite3_bind_int64(s, 1, action_id);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct document_brief *b = &(*out)[(*n)++];
		b->id = sqlite3_column_int64(s, 0);
		b->user_id = sqlite3_column_int64(s, 1);
		b->holder_name = column_dup(s, 2);
		b->state = state_from((const char *)sqlite3_column_text(s, 3));
		const unsigned char *o = sqlite3_column_text(s, 4);
		snprintf(b->delivery, sizeof b->delivery, "%s",
		    o ? (const char *)o : "");
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

void
document_briefs_free(struct document_brief *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(b[i].holder_name);
	free(b);
}
