/* What the weekly digest for the leaders' group reports, read from actions,
 * needs, pledges and users: the open actions with their progress, and what
 * happened in the week. Times in pledges, users and actions' closed_at /
 * created_at are Unix milliseconds; actions.starts_at is Unix seconds. */
#ifndef DOBROBOT_STORE_DIGEST_H
#define DOBROBOT_STORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* Goods: needed (`quantity`) and promised or brought (`pledged`); in the
 * week's list, `pledged` is what arrived and `quantity` is unused. */
struct digest_need {
	char *item;
	char *unit; /* may be NULL */
	int64_t quantity;
	int64_t pledged;
};

struct digest_action {
	int64_t id;
	char *title;
	char *direction;
	int64_t starts_at; /* Unix seconds; 0 for an ongoing action */
	int64_t goal_kopecks; /* 0: no money goal */
	int64_t money_kopecks; /* promised or received */
	int64_t received_kopecks; /* received */
	int64_t volunteers_needed; /* 0: none asked for */
	int64_t volunteers; /* time pledges, promised or received */
	struct digest_need *needs;
	size_t n_needs;
};

/* The open actions, the dated ones first by date. *out is a new array:
 * free with digest_actions_free. */
int digest_open_actions(struct store *st, struct digest_action **out,
    size_t *n);
void digest_actions_free(struct digest_action *a, size_t n);

struct digest_week {
	int64_t pledges_money, pledges_goods, pledges_time; /* made, kept */
	int64_t received; /* pledges marked received */
	int64_t received_kopecks; /* money among them */
	struct digest_need *arrived; /* goods received, by item */
	size_t n_arrived;
	int64_t volunteers; /* people who pledged time */
	int64_t new_users; /* people who started the bot */
	int64_t actions_opened, actions_closed;
};

/* The week's figures since since_ms. */
int digest_week_stats(struct store *st, int64_t since_ms,
    struct digest_week *out);
void digest_week_release(struct digest_week *w);

#endif
