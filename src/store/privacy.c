/* SQL of forgetting a person, of how they chose to be shown, and of the
 * retention of what the bot keeps only for a while (see privacy.h). */
#include "dobrobot/store/privacy.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/xalloc.h"

#define DAY_MS ((int64_t)24 * 3600 * 1000)

static int
run(struct store *st, sqlite3_stmt *s, int64_t user_id, int *changed)
{
	sqlite3_bind_int64(s, 1, user_id);
	if (store_step_done(st, s) < 0)
		return -1;
	if (changed != NULL)
		*changed = store_changes(st);
	return 0;
}

/* Empties the texts of messages already done (sent, failed, cancelled)
 * that hold `needle`, in any chat: an organiser's /pledges list or someone's
 * /report named the person. What went where and when stays. */
static int
empty_done_messages_naming(struct store *st, const char *needle, int *n)
{
	/* Shorter strings would match in unrelated texts. */
	if (needle == NULL || strlen(needle) < 3)
		return 0;
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE outbox SET payload = '{}'"
	    " WHERE state IN ('sent', 'failed', 'cancelled')"
	    " AND instr(payload, ?1) > 0");
	sqlite3_bind_text(s, 1, needle, -1, SQLITE_TRANSIENT);
	if (store_step_done(st, s) < 0)
		return -1;
	*n += store_changes(st);
	return 0;
}

/* Every name the bot knows the person by (their users row, the public names
 * their pledges keep), as typed and as HTML shows it. */
static int
empty_messages_naming(struct store *st, int64_t user_id, int *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT first_name FROM users WHERE id = ?1"
	    " UNION SELECT username FROM users WHERE id = ?1"
	    " UNION SELECT display_name FROM pledges WHERE user_id = ?1");
	sqlite3_bind_int64(s, 1, user_id);
	char **names = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		if (v == NULL)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 4;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[count++] = xstrdup(v);
	}
	sqlite3_reset(s);
	int result = rc == SQLITE_DONE ? 0 : -1;
	for (size_t i = 0; i < count && result == 0; i++) {
		struct buf escaped = BUF_INIT;
		html_escape(&escaped, names[i]);
		if (empty_done_messages_naming(st, names[i], n) < 0 ||
		    (strcmp(buf_str(&escaped), names[i]) != 0 &&
		        empty_done_messages_naming(st, buf_str(&escaped), n) <
		            0))
			result = -1;
		buf_release(&escaped);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return result;
}

int
privacy_forget(struct store *st, int64_t user_id, struct forget_counts *out)
{
	struct forget_counts c;
	memset(&c, 0, sizeof c);
	/* The names first: the rows that hold them go below. */
	if (empty_messages_naming(st, user_id, &c.named) < 0)
		return -1;
	/* Dead letters hold raw updates: any that names the person's id as a
	 * user or chat ("id":N followed by , or }) goes. */
	if (run(st,
	        store_stmt(st,
	            "UPDATE pledges SET user_id = NULL, anonymous = 1"
	            " WHERE user_id = ?1"),
	        user_id, &c.pledges) < 0 ||
	    run(st,
	        store_stmt(st, "DELETE FROM subscriptions WHERE user_id = ?1"),
	        user_id, &c.subscriptions) < 0 ||
	    run(st,
	        store_stmt(st, "DELETE FROM org_followers WHERE user_id = ?1"),
	        user_id, &c.follows) < 0 ||
	    run(st,
	        store_stmt(st,
	            "DELETE FROM conversations WHERE user_id = ?1 OR chat_id = ?1"),
	        user_id, NULL) < 0 ||
	    run(st,
	        store_stmt(st, "DELETE FROM org_members WHERE user_id = ?1"),
	        user_id, NULL) < 0 ||
	    run(st, store_stmt(st, "DELETE FROM role_log WHERE user_id = ?1"),
	        user_id, NULL) < 0 ||
	    run(st,
	        store_stmt(st, "DELETE FROM user_budget WHERE user_id = ?1"),
	        user_id, NULL) < 0 ||
	    run(st,
	        store_stmt(st,
	            "DELETE FROM outbox WHERE chat_id = ?1 AND state != 'sending'"),
	        user_id, &c.messages) < 0 ||
	    /* One being sent right now finishes, then goes as the last
	     * message does (migration 4's trigger on kind 'forgotten'). */
	    run(st,
	        store_stmt(st,
	            "UPDATE outbox SET kind = 'forgotten'"
	            " WHERE chat_id = ?1 AND state = 'sending'"),
	        user_id, NULL) < 0 ||
	    /* Actions shown in their private chat: the progress job would
	     * go on editing them there. */
	    run(st,
	        store_stmt(st, "DELETE FROM announcements WHERE chat_id = ?1"),
	        user_id, NULL) < 0 ||
	    run(st,
	        store_stmt(st,
	            "DELETE FROM dead_letters"
	            " WHERE instr(raw, '\"id\":' || ?1 || ',') > 0"
	            " OR instr(raw, '\"id\":' || ?1 || '}') > 0"
	            " OR instr(raw, '\"id\":\"' || ?1 || '\"') > 0"),
	        user_id, NULL) < 0 ||
	    run(st, store_stmt(st, "DELETE FROM chats WHERE id = ?1"), user_id,
	        NULL) < 0 ||
	    run(st, store_stmt(st, "DELETE FROM users WHERE id = ?1"), user_id,
	        NULL) < 0)
		return -1;
	/* The last message to them (outbox kind 'forgotten') still names
	 * their chat until it is sent: privacy_after_forgotten empties the
	 * WAL again once it is gone. */
	if (store_state_set(st, PRIVACY_CHECKPOINT_KEY, "1") < 0)
		return -1;
	store_checkpoint_after_commit(st);
	c.subscriptions += c.follows;
	if (out != NULL)
		*out = c;
	return 0;
}

int
privacy_after_forgotten(struct store *st)
{
	char *due = store_state_get(st, PRIVACY_CHECKPOINT_KEY);
	if (due == NULL)
		return 0;
	free(due);
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'forgotten')");
	int waiting = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0)
	                                            : -1;
	sqlite3_reset(s);
	if (waiting != 0)
		return waiting < 0 ? -1 : 0;
	sqlite3_stmt *d = store_stmt(st, "DELETE FROM bot_state WHERE key = ?");
	sqlite3_bind_text(d, 1, PRIVACY_CHECKPOINT_KEY, -1, SQLITE_STATIC);
	if (store_step_done(st, d) < 0)
		return -1;
	store_checkpoint_after_commit(st);
	return 1;
}

int
privacy_prune(struct store *st, int64_t now_ms, struct prune_counts *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM dead_letters WHERE created_at < ?");
	sqlite3_bind_int64(s, 1, now_ms - DEAD_LETTERS_KEEP_DAYS * DAY_MS);
	if (store_step_done(st, s) < 0)
		return -1;
	out->dead_letters = store_changes(st);
	/* A reminder's row is compared when its action's date moves: it
	 * stays while its pledge is still awaited. Broadcasts keep their
	 * counts in their own row; announcements have their message_id. */
	s = store_stmt(st,
	    "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'cancelled')"
	    " AND coalesce(sent_at, created_at) < ?1"
	    " AND (coalesce(ref_type, '') != 'reminder' OR NOT EXISTS"
	    "  (SELECT 1 FROM pledges p WHERE p.id = outbox.ref_id"
	    "   AND p.status = 'pledged'))");
	sqlite3_bind_int64(s, 1, now_ms - OUTBOX_KEEP_DAYS * DAY_MS);
	if (store_step_done(st, s) < 0)
		return -1;
	out->messages = store_changes(st);
	return 0;
}

int
privacy_shown(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT show_name FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	int v = -1;
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int(s, 0) != 0;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		v = -2;
	sqlite3_reset(s);
	return v;
}

int
privacy_set_shown(struct store *st, int64_t user_id, int64_t pledge_id,
    bool named, int64_t now_ms)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET show_name = ?2, updated_at = ?3 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, named);
	sqlite3_bind_int64(s, 3, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	if (store_changes(st) == 0)
		return 0;
	s = store_stmt(st,
	    "UPDATE pledges SET anonymous = ?3, updated_at = ?4"
	    " WHERE id = ?1 AND user_id = ?2");
	sqlite3_bind_int64(s, 1, pledge_id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int(s, 3, !named);
	sqlite3_bind_int64(s, 4, now_ms);
	if (store_step_done(st, s) < 0)
		return -1;
	return 1;
}
