/* Pledges: a citizen's promise of money, goods or time to one action, and
 * what became of it (received, withdrawn, lapsed). The SQL of the pledges
 * table lives in store/pledges.c; every change bumps the action's version so
 * that its announcements show the new totals. Money is integer kopecks. */
#ifndef DOBROBOT_STORE_PLEDGES_H
#define DOBROBOT_STORE_PLEDGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

enum pledge_kind { PLEDGE_MONEY = 0, PLEDGE_GOODS, PLEDGE_TIME };

enum pledge_status {
	PLEDGE_PLEDGED = 0, /* promised, not yet arrived */
	PLEDGE_RECEIVED, /* an organiser recorded that it came */
	PLEDGE_WITHDRAWN, /* its author took it back */
	PLEDGE_LAPSED, /* never came; counts nowhere */
};

/* One pledge, with what the views need joined in. Strings are owned. */
struct pledge {
	int64_t id;
	int64_t action_id;
	int64_t user_id; /* 0 once the person asked to be forgotten */
	enum pledge_kind kind;
	int64_t need_id; /* goods: the need; else 0 */
	/* money: kopecks; goods: quantity; time: 1 (one volunteer) */
	int64_t amount;
	/* once received: kopecks, quantity, or hours volunteered (0 when the
	 * organiser gave no hours) */
	int64_t received_amount;
	bool anonymous;
	enum pledge_status status;
	int64_t created_at, received_at; /* wall ms */
	/* The name public views show, taken from Telegram when the pledge
	 * was made: first name and the initial of the last name ("Иван П.");
	 * NULL once the person is forgotten. Shown only when !anonymous. */
	char *display_name;
	/* Joined: the person (NULL when forgotten), the need, the action. */
	char *first_name;
	char lang[3];
	bool user_blocked;
	char *item;
	char *unit;
	char *action_title;
	bool action_closed;
};

void pledge_release(struct pledge *p);
/* Releases n pledges and frees the array; accepts NULL. */
void pledges_free(struct pledge *p, size_t n);

const char *pledge_kind_name(enum pledge_kind k);
const char *pledge_status_name(enum pledge_status s);

/* Records a pledge made by the update `update_id` and bumps the action's
 * version. The update id is UNIQUE: a redelivered update that already made
 * a pledge makes none, and then the existing pledge's id is returned with
 * *duplicate set. Returns the id, or -1 on error. */
int64_t pledges_insert(struct store *st, const struct pledge *p,
    int64_t update_id, int64_t now_ms, bool *duplicate);

/* The id of the pledge the update made, 0 when none, -1 on error. */
int64_t pledges_of_update(struct store *st, int64_t update_id);

/* Loads one pledge with its joins: 1 found, 0 none, -1 error. */
int pledges_load(struct store *st, int64_t id, struct pledge *out);

/* Every pledge of an action, oldest first; *out is a new array of *n
 * (pledges_free). Returns 0 or -1. */
int pledges_of_action(struct store *st, int64_t action_id, struct pledge **out,
    size_t *n);

/* A person's pledges, newest first, at most `limit`. */
int pledges_of_user(struct store *st, int64_t user_id, size_t limit,
    struct pledge **out, size_t *n);

/* The author takes a pledge back: only their own, only while it is
 * 'pledged'. Returns 1 when withdrawn, 0 when not allowed, -1. */
int pledges_withdraw(struct store *st, int64_t id, int64_t user_id,
    int64_t now_ms);

/* An organiser records that a pledge came, with what actually came
 * (kopecks, quantity, or hours; 0 for time without hours). Only 'pledged'
 * pledges. Returns 1 when recorded, 0 when not in that state, -1. */
int pledges_receive(struct store *st, int64_t id, int64_t actual,
    int64_t by_user, int64_t now_ms);

/* How many pledges the person made since since_ms (any state: taking one
 * back does not refund the rate limit), or -1. */
int pledges_count_since(struct store *st, int64_t user_id, int64_t since_ms);

/* The id of the person's newest pledge for the action just like this one
 * (kind "money" or "goods", the need (0 for none), the amount), still
 * awaited and made since since_ms: a repeat of the same message, maybe.
 * 0 when none, -1 on error. */
int64_t pledges_find_repeat(struct store *st, int64_t action_id,
    int64_t user_id, const char *kind, int64_t need_id, int64_t amount,
    int64_t since_ms);

/* The id of the person's live time pledge for the action, 0 when none, -1. */
int64_t pledges_find_volunteer(struct store *st, int64_t action_id,
    int64_t user_id);

/* A person's record of good deeds: what came (given) and what is still
 * promised, by kind; money in kopecks, goods and time as counts of
 * pledges. */
struct pledge_record {
	int64_t money_given, money_promised;
	int64_t goods_given, goods_promised;
	int64_t times_given, times_promised;
	int64_t hours_given;
	int64_t actions_helped; /* distinct actions with something received */
};

int pledges_record(struct store *st, int64_t user_id,
    struct pledge_record *out);

#endif
