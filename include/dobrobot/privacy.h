/* Forgetting a person (/forgetme), across the tables that hold something of
 * them. Totals must stay right, so pledges are kept but anonymised. */
#ifndef DOBROBOT_PRIVACY_H
#define DOBROBOT_PRIVACY_H

#include <stdint.h>

#include "dobrobot/store.h"

struct forget_counts {
	int pledges;       /* anonymised */
	int subscriptions; /* deleted, organisations followed included */
	int follows;       /* of which organisations followed */
	int messages;      /* outbox rows to their chat deleted */
};

/* Deletes what the bot stores about the person `user_id`: their users row
 * (name, username, language, role), their private chat, subscriptions
 * and organisations followed, conversations (every chat), organisation memberships, the role changes
 * made to them, the messages to their chat kept in the outbox (those being
 * sent right now excepted) and the failed updates they sent (dead letters);
 * their pledges stay, with user_id NULL and anonymous = 1. What they did as
 * an organiser (actions they announced, pledges they marked received) is the
 * organisation's record and is not touched. Runs inside the caller's
 * transaction. Returns 0 and fills *out (may be NULL), or -1. */
int privacy_forget(struct store *st, int64_t user_id, struct forget_counts *out);

#endif
