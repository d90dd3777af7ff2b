/* Forgetting a person (/forgetme), across the tables that hold something of
 * them (totals must stay right, so pledges are kept but anonymised); how a
 * person chose to be shown in the lists of helpers; and how long the bot
 * keeps what it keeps only for a while (dead letters, sent messages). */
#ifndef DOBROBOT_STORE_PRIVACY_H
#define DOBROBOT_STORE_PRIVACY_H

#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* Retention (docs/OPERATIONS.md, "Retention"). A dead letter (a raw update
 * a handler could not process: names, texts) is deleted this many days
 * after it was stored, replayed or not: long enough for an operator to look
 * at it and replay it once the cause is fixed. */
#define DEAD_LETTERS_KEEP_DAYS 30
/* A message done (sent, failed, cancelled) is deleted this many days after
 * it was sent (its text is emptied after a week already, outbox.h). The
 * counts that reports need live elsewhere: broadcasts keep delivered /
 * blocked / failed in their own row, announcements their message_id. */
#define OUTBOX_KEEP_DAYS 90

/* bot_state key: a forgotten person's last message may still be in the
 * outbox; the WAL is to be emptied again once it is gone. */
#define PRIVACY_CHECKPOINT_KEY "forget_checkpoint"

struct forget_counts {
	int pledges; /* anonymised */
	int subscriptions; /* deleted, organisations followed included */
	int follows; /* of which organisations followed */
	int messages; /* outbox rows to their chat deleted */
	int named; /* texts of done messages to others, emptied */
};

/* Deletes what the bot stores about the person `user_id`: their users row
 * (name, username, language, role, how they chose to be shown), their
 * private chat, subscriptions and organisations followed, conversations
 * (every chat), organisation memberships, the role changes made to them,
 * the messages to their chat kept in the outbox (one being sent right now is
 * deleted as soon as it is done: it becomes kind 'forgotten'), the actions shown in their chat (announcements, which the
 * progress job would edit), the failed updates they sent (dead letters),
 * and the text of any message already done, to anyone, that holds one of
 * their names (first name, username, a pledge's public name; at least 3
 * bytes). Their pledges stay, with user_id NULL and anonymous = 1. What
 * they did as an organiser (actions they announced, pledges they marked
 * received) is the organisation's record and is not touched. Runs inside
 * the caller's transaction and asks for the WAL to be checkpointed and
 * truncated when it commits (the database's secure_delete zeroes the
 * deleted bytes). Returns 0 and fills *out (may be NULL), or -1. */
int privacy_forget(struct store *st, int64_t user_id,
    struct forget_counts *out);

/* After a forgetting: once no 'forgotten' outbox row is left (the last
 * message names the chat until it is sent), clears the mark and asks for
 * the WAL to be emptied when the caller's transaction commits. Returns 1
 * done, 0 nothing (yet) to do, -1 error. */
int privacy_after_forgotten(struct store *st);

struct prune_counts {
	int dead_letters; /* deleted */
	int messages; /* outbox rows deleted */
};

/* Deletes the dead letters older than DEAD_LETTERS_KEEP_DAYS and the done
 * outbox rows sent more than OUTBOX_KEEP_DAYS before `now_ms` (reminders of
 * a pledge still awaited excepted). Inside the caller's transaction.
 * Returns 0 and fills *out, or -1. */
int privacy_prune(struct store *st, int64_t now_ms, struct prune_counts *out);

/* How the person chose to be shown when a quick /pledge does not say:
 * 1 their public name, 0 anonymous, -1 not asked yet (or no such user),
 * -2 error. */
int privacy_shown(struct store *st, int64_t user_id);

/* Remembers the person's answer and applies it to their pledge
 * `pledge_id` (which must be theirs: someone else's is not touched).
 * Returns 1 done, 0 no such user, -1 error. */
int privacy_set_shown(struct store *st, int64_t user_id, int64_t pledge_id,
    bool named, int64_t now_ms);

#endif
