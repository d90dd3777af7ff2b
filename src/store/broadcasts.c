/* SQL of broadcasts and their outbox rows (see broadcasts.h). */
#include "dobrobot/store/broadcasts.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/core/xalloc.h"

static const char *const audience_names[] = {
    [AUDIENCE_LEADERS] = "leaders",
    [AUDIENCE_SUBSCRIBERS] = "subscribers",
    [AUDIENCE_DIRECTION] = "direction",
    [AUDIENCE_ALL] = "all",
};

const char *
broadcast_audience_name(enum broadcast_audience a)
{
	return audience_names[a];
}

int
broadcast_audience_parse(const char *name, enum broadcast_audience *out)
{
	for (size_t i = 0; i < sizeof audience_names / sizeof *audience_names;
	     i++) {
		if (name != NULL && strcmp(name, audience_names[i]) == 0) {
			*out = (enum broadcast_audience)i;
			return 0;
		}
	}
	return -1;
}

/* The recipients of each audience, as one column `chat_id`. Parameters:
 * ?1 the leaders' group (0: none), ?2 the author (left out), ?3 the
 * direction (NULL: any). A group the bot was removed from (chats.active = 0)
 * is skipped; a group never seen in an update is trusted, as configured. */
#define LEADERS_SQL \
	"SELECT ?1 AS chat_id WHERE ?1 != 0 AND NOT EXISTS" \
	" (SELECT 1 FROM chats WHERE id = ?1 AND active = 0)"
#define SUBSCRIBERS_SQL \
	"SELECT DISTINCT s.user_id AS chat_id FROM subscriptions s" \
	" JOIN users u ON u.id = s.user_id" \
	" WHERE u.blocked = 0 AND u.id != ?2" \
	" AND (?3 IS NULL OR s.direction IN (?3, '*'))"
/* Everyone who has a private chat with the bot (people only seen in a
 * group cannot be written to first) and has not refused the council-wide
 * broadcasts, and the leaders' group. */
#define ALL_SQL \
	"SELECT u.id AS chat_id FROM users u JOIN chats c ON c.id = u.id" \
	" WHERE c.type = 'private' AND c.active = 1 AND u.blocked = 0" \
	" AND u.general_broadcasts = 1 AND u.id != ?2 UNION " LEADERS_SQL

#define COUNT_SQL(recipients) "SELECT count(*) FROM (" recipients ")"
/* ?4 from_chat_id, ?5 message_id, ?6 broadcast id, ?7 now, ?8 priority,
 * ?9 / ?10 the footer's markup for Russian / English readers and ?12 for
 * a group (a chat with no user row) (JSON text), ?11 the text to send
 * instead of a copy (NULL: copy the message). */
#define INSERT_SQL(recipients) \
	"INSERT INTO outbox(chat_id, method, payload, kind, priority," \
	" not_before, ref_type, ref_id, created_at)" \
	" SELECT r.chat_id," \
	" CASE WHEN ?11 IS NULL THEN 'copyMessage' ELSE 'sendMessage' END," \
	" json_patch(CASE WHEN ?11 IS NULL THEN json_object('chat_id'," \
	" r.chat_id, 'from_chat_id', ?4, 'message_id', ?5) ELSE" \
	" json_object('chat_id', r.chat_id, 'text', ?11) END," \
	" json_object('reply_markup', json(CASE WHEN u.id IS NULL THEN ?12" \
	" WHEN u.language = 'en' THEN ?10 ELSE ?9 END)))," \
	" 'broadcast', ?8, 0, 'broadcast', ?6, ?7" \
	" FROM (" recipients ") r LEFT JOIN users u ON u.id = r.chat_id" \
	" ORDER BY r.chat_id"

static sqlite3_stmt *
recipients_stmt(struct store *st, const struct broadcast_target *t, bool insert)
{
	sqlite3_stmt *s;
	switch (t->audience) {
	case AUDIENCE_LEADERS:
		s = insert ? store_stmt(st, INSERT_SQL(LEADERS_SQL))
		           : store_stmt(st, COUNT_SQL(LEADERS_SQL));
		break;
	case AUDIENCE_ALL:
		s = insert ? store_stmt(st, INSERT_SQL(ALL_SQL))
		           : store_stmt(st, COUNT_SQL(ALL_SQL));
		break;
	case AUDIENCE_SUBSCRIBERS:
	case AUDIENCE_DIRECTION:
	default:
		s = insert ? store_stmt(st, INSERT_SQL(SUBSCRIBERS_SQL))
		           : store_stmt(st, COUNT_SQL(SUBSCRIBERS_SQL));
		break;
	}
	if (t->audience == AUDIENCE_LEADERS || t->audience == AUDIENCE_ALL)
		sqlite3_bind_int64(s, 1, t->leaders_chat_id);
	if (t->audience != AUDIENCE_LEADERS)
		sqlite3_bind_int64(s, 2, t->author);
	if (t->audience == AUDIENCE_DIRECTION && t->direction != NULL)
		sqlite3_bind_text(s, 3, t->direction, -1, SQLITE_TRANSIENT);
	return s;
}

int64_t
broadcasts_count(struct store *st, const struct broadcast_target *t)
{
	sqlite3_stmt *s = recipients_stmt(st, t, false);
	int64_t n = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		log_error("%s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return n;
}

int64_t
broadcasts_create(struct store *st, const struct broadcast_target *t,
    int64_t from_chat_id, int64_t message_id, int64_t now_ms, int64_t *total)
{
	*total = 0;
	int64_t n = broadcasts_count(st, t);
	if (n <= 0)
		return n;
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO broadcasts(author_id, audience, direction,"
	    " from_chat_id, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, t->author);
	sqlite3_bind_text(s, 2, broadcast_audience_name(t->audience), -1,
	    SQLITE_STATIC);
	if (t->audience == AUDIENCE_DIRECTION && t->direction != NULL)
		sqlite3_bind_text(s, 3, t->direction, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, from_chat_id);
	sqlite3_bind_int64(s, 5, message_id);
	sqlite3_bind_int64(s, 6, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	int64_t id = store_last_rowid(st);

	s = recipients_stmt(st, t, true);
	sqlite3_bind_int64(s, 4, from_chat_id);
	sqlite3_bind_int64(s, 5, message_id);
	sqlite3_bind_int64(s, 6, id);
	sqlite3_bind_int64(s, 7, now_ms);
	sqlite3_bind_int(s, 8, PRIO_BROADCAST);
	sqlite3_bind_text(s, 9, t->markup_ru ? t->markup_ru : "null", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 10, t->markup_en ? t->markup_en : "null", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 12, t->markup_group ? t->markup_group : "null", -1,
	    SQLITE_TRANSIENT);
	if (t->text != NULL)
		sqlite3_bind_text(s, 11, t->text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 11);
	if (store_step_done(st, s) < 0)
		return -1;
	*total = store_changes(st);

	s = store_stmt(st, "UPDATE broadcasts SET total = ? WHERE id = ?");
	sqlite3_bind_int64(s, 1, *total);
	sqlite3_bind_int64(s, 2, id);
	if (store_step_done(st, s) < 0)
		return -1;
	return id;
}

void
broadcast_info_release(struct broadcast_info *b)
{
	free(b->direction);
	memset(b, 0, sizeof *b);
}

#define INFO_COLUMNS \
	"b.id, b.author_id, coalesce(u.language, 'ru'), b.audience," \
	" b.direction, b.total, b.delivered, b.blocked, b.failed," \
	" b.status = 'done', b.created_at, coalesce(b.finished_at, 0)" \
	" FROM broadcasts b LEFT JOIN users u ON u.id = b.author_id"

static void
info_from_row(sqlite3_stmt *s, struct broadcast_info *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(s, 0);
	b->author_id = sqlite3_column_int64(s, 1);
	snprintf(b->author_lang, sizeof b->author_lang, "%s",
	    (const char *)sqlite3_column_text(s, 2));
	if (broadcast_audience_parse((const char *)sqlite3_column_text(s, 3),
	        &b->audience) < 0)
		b->audience = AUDIENCE_ALL;
	const unsigned char *dir = sqlite3_column_text(s, 4);
	b->direction = dir ? xstrdup((const char *)dir) : NULL;
	b->total = sqlite3_column_int64(s, 5);
	b->delivered = sqlite3_column_int64(s, 6);
	b->blocked = sqlite3_column_int64(s, 7);
	b->failed = sqlite3_column_int64(s, 8);
	b->done = sqlite3_column_int(s, 9);
	b->created_at = sqlite3_column_int64(s, 10);
	b->finished_at = sqlite3_column_int64(s, 11);
	/* Every row ends in exactly one of the three counters (the trigger of
	 * migration 2), so what is left is still pending or in flight. */
	b->pending = b->total - b->delivered - b->blocked - b->failed;
	if (b->pending < 0)
		b->pending = 0;
}

int
broadcasts_get(struct store *st, int64_t id, struct broadcast_info *out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT " INFO_COLUMNS " WHERE b.id = ?");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		info_from_row(s, out);
	else
		memset(out, 0, sizeof *out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
broadcasts_recent(struct store *st, size_t limit, struct broadcast_info **out,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT " INFO_COLUMNS " ORDER BY b.id DESC LIMIT ?");
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	struct broadcast_info *arr = xcalloc(limit ? limit : 1, sizeof *arr);
	size_t count = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && count < limit)
		info_from_row(s, &arr[count++]);
	sqlite3_reset(s);
	*out = arr;
	*n = count;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

int
broadcasts_failure_reasons(struct store *st, int64_t id, size_t limit,
    struct broadcast_reason **out, size_t *n)
{
	/* The same split as the counting trigger: "Forbidden..." is blocked. */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT coalesce(last_error, '?'), count(*) AS k FROM outbox"
	    " WHERE ref_type = 'broadcast' AND ref_id = ?1 AND state = 'failed'"
	    " AND coalesce(last_error, '') NOT LIKE 'Forbidden%'"
	    " GROUP BY 1 ORDER BY k DESC, 1 LIMIT ?2");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	struct broadcast_reason *arr = xcalloc(limit ? limit : 1, sizeof *arr);
	size_t count = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && count < limit) {
		arr[count].error = xstrdup((const char *)sqlite3_column_text(s,
		    0));
		arr[count].count = sqlite3_column_int64(s, 1);
		count++;
	}
	sqlite3_reset(s);
	*out = arr;
	*n = count;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}

void
broadcast_reasons_free(struct broadcast_reason *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].error);
	free(r);
}

int
broadcasts_finish_settled(struct store *st, int64_t now_ms, int64_t **ids,
    size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE broadcasts SET status = 'done', finished_at = ?1"
	    " WHERE status = 'sending' AND NOT EXISTS (SELECT 1 FROM outbox o"
	    "  WHERE o.ref_type = 'broadcast' AND o.ref_id = broadcasts.id"
	    "  AND o.state IN ('pending', 'sending'))"
	    " RETURNING id");
	sqlite3_bind_int64(s, 1, now_ms);
	size_t cap = 0, count = 0;
	int64_t *out = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out = xgrow(out, count, &cap, 4, sizeof *out);
		out[count++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	*ids = out;
	*n = count;
	if (rc != SQLITE_DONE) {
		log_error("%s", sqlite3_errmsg(store_db(st)));
		return -1;
	}
	return 0;
}
