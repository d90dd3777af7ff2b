/* The outbox table: everything the bot says is a row here first, written in
 * the same transaction as the state change that caused it, and sent later by
 * the sender (bot/sender.c). Rows to one chat leave in the order they were
 * written. */
#ifndef DOBROBOT_STORE_OUTBOX_H
#define DOBROBOT_STORE_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* Lower is sent first. */
enum outbox_priority {
	PRIO_URGENT = -1, /* "slow down": must not wait behind the very
	                       replies that caused it */
	PRIO_REPLY = 0, /* an answer to a person's command */
	PRIO_ANNOUNCE = 1, /* announcements of actions */
	PRIO_BROADCAST = 2, /* organisers' broadcasts, reminders, digests */
	PRIO_EDIT = 3, /* progress edits of published messages */
};

struct outbox_new {
	int64_t chat_id;
	const char *method; /* "sendMessage", "editMessageText", ... */
	json_t *payload; /* borrowed; chat_id is added if missing. An
	                         "_upload": {"field", "filename", "content"}
	                         member makes it a multipart upload */
	const char *kind; /* "reply", "announce", "broadcast", "edit", ... */
	int priority;
	int64_t not_before; /* wall ms; 0 = now */
	const char *coalesce_key; /* a newer pending row with the same key
	                             replaces the older one's payload */
	const char *ref_type; /* what the row belongs to, e.g. "broadcast" */
	int64_t ref_id;
	int64_t update_id; /* the update that caused it, or 0 */
};

/* Adds a row (or replaces a pending row's payload with the same
 * coalesce_key). Returns the row id, or -1. */
int64_t outbox_enqueue(struct store *st, const struct outbox_new *msg);

struct outbox_row {
	int64_t id;
	int64_t chat_id;
	char *method;
	char *payload;
	char *kind;
	int priority;
	int attempts;
	int uncertain; /* attempts that may have reached Telegram unrecorded */
	char *ref_type;
	int64_t ref_id;
};

void outbox_row_release(struct outbox_row *row);

/* Answers to button presses (chat 0, kind OUTBOX_KIND_CALLBACK_ANSWER) are
 * no chat's queue: every ready one is a candidate at once. */
#define OUTBOX_KIND_CALLBACK_ANSWER "callback_answer"

/* The candidates to send now, at most `limit`: every ready callback answer
 * (oldest first), then the first ready row (pending, not_before <= now_ms)
 * of each chat and priority, in the order of priority, then the chat's
 * oldest pending row of that priority. The cost is that of the rows
 * returned, not of the backlog (see outbox_heads, migration 9). *rows is a
 * new array of *n rows (release each, then free the array). */
int outbox_ready(struct store *st, int64_t now_ms, size_t limit,
    struct outbox_row **rows, size_t *n);

/* The earliest not_before of a pending row later than now_ms, or 0. */
int64_t outbox_next_due(struct store *st, int64_t now_ms);

/* State changes of one row. */
int outbox_mark_sending(struct store *st, int64_t id);
int outbox_mark_sent(struct store *st, int64_t id, int64_t message_id,
    int64_t now_ms);
int outbox_mark_failed(struct store *st, int64_t id, const char *error,
    int64_t now_ms);
/* Back to pending, to be sent again from not_before. `refund` takes back the
 * attempt counted by outbox_mark_sending (a 429 or a migration is not the
 * message's fault). */
int outbox_mark_retry(struct store *st, int64_t id, int64_t not_before,
    const char *error, bool uncertain, bool refund);

/* How many replies (PRIO_REPLY rows) wait in the chat; -1 on error. A
 * range of an index that holds what it counts (migration 15), and stays
 * short: a chat's updates are refused once limits.pending_replies of them
 * wait (router.c). */
int outbox_pending_replies(struct store *st, int64_t chat_id);

/* How many replies wait across all chats, counted no further than `limit`
 * (the poller asks whether limits.backlog_replies wait); -1 on error. */
int outbox_replies_waiting(struct store *st, int limit);

/* At start-up: rows left in 'sending' by a crash may or may not have reached
 * Telegram; they go back to 'pending' and their uncertain count grows (a
 * duplicate, if any, is then visible). Returns how many. */
int outbox_recover(struct store *st);

/* A chat that blocked the bot or left: its pending rows are cancelled. */
int outbox_cancel_chat(struct store *st, int64_t chat_id, const char *why);

/* A group became a supergroup: pending rows follow it. */
int outbox_move_chat(struct store *st, int64_t from, int64_t to);

/* How long the text of a message stays in the outbox once it is done. */
#define OUTBOX_KEEP_PAYLOAD_MS ((int64_t)7 * 24 * 3600 * 1000)

/* Messages are personal data: a reply to an organiser's /pledges names
 * people. Once a row is done (sent, failed, cancelled) and older than
 * OUTBOX_KEEP_PAYLOAD_MS, its payload becomes "{}"; what was sent to whom,
 * when, and Telegram's message_id stay, which is what the record needs.
 * Reminders keep theirs (their rows are compared when a date moves).
 * Returns how many rows were emptied, or -1. */
int outbox_forget_payloads(struct store *st, int64_t now_ms);

struct outbox_counts {
	int64_t pending, sending, sent, failed, cancelled, uncertain;
};
int outbox_count(struct store *st, struct outbox_counts *c);

#endif
