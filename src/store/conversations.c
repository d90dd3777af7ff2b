/* SQL of the conversations table (see conversations.h). */
#include "dobrobot/store/conversations.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/xalloc.h"

void
conversation_release(struct conversation *c)
{
	free(c->flow);
	free(c->step);
	json_decref(c->draft);
	memset(c, 0, sizeof *c);
}

int
conversation_load(struct store *st, int64_t user_id, int64_t chat_id,
    struct conversation *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT flow, step, draft FROM conversations"
	    " WHERE user_id = ? AND chat_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, chat_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->flow = xstrdup((const char *)sqlite3_column_text(s, 0));
		out->step = xstrdup((const char *)sqlite3_column_text(s, 1));
		out->draft = json_loads((const char *)sqlite3_column_text(s, 2),
		    0, NULL);
		if (!json_is_object(out->draft)) {
			json_decref(out->draft);
			out->draft = json_object();
		}
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
conversation_save(struct store *st, int64_t user_id, int64_t chat_id,
    const char *flow, const char *step, json_t *draft, int64_t now_ms)
{
	char *text = draft ? json_dumps(draft, JSON_COMPACT) : NULL;
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT OR REPLACE INTO conversations(user_id, chat_id, flow, step,"
	    " draft, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, chat_id);
	sqlite3_bind_text(s, 3, flow, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, step, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, text ? text : "{}", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, now_ms);
	int rc = store_step_done(st, s);
	free(text);
	return rc;
}

int
conversation_clear(struct store *st, int64_t user_id, int64_t chat_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM conversations WHERE user_id = ? AND chat_id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, chat_id);
	return store_step_done(st, s);
}
