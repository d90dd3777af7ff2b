/* SQL of forgetting a person (see privacy.h). */
#include "dobrobot/privacy.h"

#include <string.h>

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

int
privacy_forget(struct store *st, int64_t user_id, struct forget_counts *out)
{
	struct forget_counts c;
	memset(&c, 0, sizeof c);
	/* Dead letters hold raw updates: any that names the person's id as a
	 * user or chat ("id":N followed by , or }) goes. */
	if (run(st, store_stmt(st,
	    "UPDATE pledges SET user_id = NULL, anonymous = 1"
	    " WHERE user_id = ?1"), user_id, &c.pledges) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM subscriptions WHERE user_id = ?1"), user_id,
	    &c.subscriptions) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM org_followers WHERE user_id = ?1"), user_id,
	    &c.follows) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM conversations WHERE user_id = ?1 OR chat_id = ?1"),
	    user_id, NULL) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM org_members WHERE user_id = ?1"), user_id, NULL) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM role_log WHERE user_id = ?1"), user_id, NULL) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM outbox WHERE chat_id = ?1 AND state != 'sending'"),
	    user_id, &c.messages) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM dead_letters"
	    " WHERE instr(raw, '\"id\":' || ?1 || ',') > 0"
	    " OR instr(raw, '\"id\":' || ?1 || '}') > 0"), user_id, NULL) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM chats WHERE id = ?1"), user_id, NULL) < 0 ||
	    run(st, store_stmt(st,
	    "DELETE FROM users WHERE id = ?1"), user_id, NULL) < 0)
		return -1;
	c.subscriptions += c.follows;
	if (out != NULL)
		*out = c;
	return 0;
}
