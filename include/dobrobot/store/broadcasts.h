/* Broadcasts: an organiser's message copied (copyMessage) to an audience —
 * the leaders' group, the subscribers (of one direction or of any), or
 * everyone who talks to the bot. A broadcast is one row in `broadcasts` and
 * one outbox row per recipient (kind "broadcast", PRIO_BROADCAST, ref_type
 * "broadcast", ref_id = the broadcast's id), written in one transaction;
 * a trigger of migration 2 counts delivered / blocked / failed as the
 * sender settles the rows, so the counters survive restarts. A broadcast is
 * 'sending' until none of its rows is pending or in flight, then 'done'. */
#ifndef DOBROBOT_STORE_BROADCASTS_H
#define DOBROBOT_STORE_BROADCASTS_H

#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

enum broadcast_audience {
	AUDIENCE_LEADERS, /* the leaders' group: one chat */
	AUDIENCE_SUBSCRIBERS, /* everyone subscribed to anything */
	AUDIENCE_DIRECTION, /* subscribers of one direction (and of "*") */
	AUDIENCE_ALL, /* every private chat with the bot + the group */
};

/* "leaders", "subscribers", "direction", "all" (stored in
 * broadcasts.audience), and back; broadcast_audience_parse returns -1 for
 * an unknown name. */
const char *broadcast_audience_name(enum broadcast_audience a);
int broadcast_audience_parse(const char *name, enum broadcast_audience *out);

/* Who a broadcast goes to. `leaders_chat_id` is the group's chat (0: none,
 * then the group is left out); `author` is never a recipient (they have the
 * message already). */
struct broadcast_target {
	enum broadcast_audience audience;
	const char *direction; /* AUDIENCE_DIRECTION only */
	int64_t leaders_chat_id;
	int64_t author;
	/* The footer every copy carries: reply_markup JSON for Russian and
	 * for English readers (NULL: none). */
	const char *markup_ru, *markup_en;
	/* ... and for a group (no user row) */
	const char *markup_group;
	/* A plain text sent with sendMessage instead of copying the message
	 * (what the organiser typed after /broadcast), or NULL. */
	const char *text;
};

/* The number of recipients the target reaches now, or -1. Blocked users,
 * inactive chats and the author are not counted. */
int64_t broadcasts_count(struct store *st, const struct broadcast_target *t);

/* Creates the broadcast of message `message_id` in chat `from_chat_id` and
 * its outbox rows (copyMessage), inside the caller's transaction. Returns
 * the new broadcast id and sets *total, or -1. With no recipient, returns 0
 * and creates nothing. */
int64_t broadcasts_create(struct store *st, const struct broadcast_target *t,
    int64_t from_chat_id, int64_t message_id, int64_t now_ms, int64_t *total);

struct broadcast_info {
	int64_t id;
	int64_t author_id;
	char author_lang[3]; /* the author's language, "ru" when unknown */
	enum broadcast_audience audience;
	char *direction; /* NULL unless AUDIENCE_DIRECTION */
	int64_t total, delivered, blocked, failed;
	int64_t pending; /* rows not yet settled (pending or in flight) */
	int done; /* status = 'done' */
	int64_t created_at,
	    finished_at; /* wall ms; finished_at 0 while sending */
};

void broadcast_info_release(struct broadcast_info *b);

/* Loads one broadcast. Returns 1 (found), 0 (no such id) or -1. */
int broadcasts_get(struct store *st, int64_t id, struct broadcast_info *out);

/* The `limit` most recent broadcasts, newest first; *out is a new array of
 * *n entries (release each, then free the array). */
int broadcasts_recent(struct store *st, size_t limit,
    struct broadcast_info **out, size_t *n);

/* Why rows failed (blocked ones apart): last_error and how many rows had it,
 * most frequent first, at most `limit` reasons. */
struct broadcast_reason {
	char *error;
	int64_t count;
};
int broadcasts_failure_reasons(struct store *st, int64_t id, size_t limit,
    struct broadcast_reason **out, size_t *n);
void broadcast_reasons_free(struct broadcast_reason *r, size_t n);

/* Marks 'done' (finished_at = now_ms) every broadcast still 'sending' whose
 * rows are all settled, and returns their ids in *ids (new array of *n).
 * Each id is returned by exactly one call ever, so the caller enqueues the
 * report in the same transaction and it is sent once. Returns 0 or -1. */
int broadcasts_finish_settled(struct store *st, int64_t now_ms, int64_t **ids,
    size_t *n);

#endif
