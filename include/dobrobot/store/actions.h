/* Actions — collections, fundraisers, calls for volunteers — with the goods
 * they need, the totals of their pledges, where their announcements were
 * posted, and who hears of a new one. The SQL of the tables actions, needs
 * and announcements lives in store/actions.c. */
#ifndef DOBROBOT_STORE_ACTIONS_H
#define DOBROBOT_STORE_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"

/* What an organiser may type, in code points or units. The description's cap
 * leaves room in Telegram's 4096 characters for the rest of an announcement;
 * the renderer still shortens it if a long list of goods does not fit. */
#define ACTION_TITLE_MAX 120
#define ACTION_DESCRIPTION_MAX 3000
#define ACTION_PLACE_MAX 200
#define ACTION_RESULT_MAX 1000
#define ACTION_PAYMENT_MAX 500
#define ACTION_GOAL_MAX_KOPECKS ((int64_t)100000000 * 100) /* 100 million ₽ */
#define ACTION_NEEDS_MAX 15
#define ACTION_QUANTITY_MAX 1000000
#define ACTION_VOLUNTEERS_MAX 10000

/* One good an action needs, with the totals of its pledges. */
struct action_need {
	int64_t id; /* 0 until stored */
	char *item;
	char *unit; /* NULL when the organiser gave none */
	int64_t quantity;
	int64_t promised; /* live pledges; what came, for received ones */
	int64_t received; /* what came */
};

/* An action as stored, with its needs and the totals of its pledges.
 * Strings are owned (action_release frees them). */
struct action {
	int64_t id; /* 0 for a draft */
	int64_t author_id;
	int64_t org_id; /* 0: announced by an organiser for no organisation */
	char *org_name; /* loaded with the action; NULL when org_id is 0 */
	char *title;
	char *description;
	char *direction;
	char *place; /* NULL: no place */
	int64_t starts_at; /* Unix seconds; 0: ongoing, no date */
	int64_t goal_kopecks; /* 0: money is not collected */
	int64_t volunteers_needed; /* 0: no volunteers asked for */
	bool closed;
	char *result; /* the organiser's closing words, or NULL */
	char *payment; /* how to pay (реквизиты, an СБП link), or NULL */
	char *poster_file_id; /* the poster (a Telegram file_id), or NULL */
	/* How to reach who runs it, loaded with the action: the
	 * organisation's phone and link, and the author's @username when
	 * they let it be shown (users.contact_public). NULL when none. */
	char *org_phone, *org_link, *author_username;
	int64_t version;
	int64_t created_at, closed_at; /* wall ms; closed_at 0 while open */
	struct action_need *needs;
	size_t n_needs;
	/* Totals of the pledges. Withdrawn and lapsed pledges count nowhere;
	 * "promised" counts every live pledge (for a received one, what
	 * actually came), "received" only what came. Money in kopecks. */
	int64_t money_promised, money_received;
	int64_t volunteers_promised, volunteers_received;
	int64_t hours_received; /* hours volunteered, where recorded */
	int64_t helpers; /* distinct people with a live pledge */
};

/* Frees the strings and needs and zeroes the struct; accepts a zeroed one. */
void action_release(struct action *a);

/* Appends a need (copies item and unit; unit may be NULL) and returns it. */
struct action_need *action_add_need(struct action *a, const char *item,
    const char *unit, int64_t quantity);

/* Stores a new open action with its needs (a->needs' ids are filled in) and
 * returns its id, or -1. author_id, title, description and direction must be
 * set; org_id may be. */
int64_t actions_insert(struct store *st, struct action *a, int64_t now_ms);

/* Loads an action with its needs (in the organiser's order) and its totals.
 * Returns 1 when found, 0 when there is no such action, -1 on error. */
int actions_load(struct store *st, int64_t id, struct action *out);

/* Fills a draft's org_phone, org_link and author_username (as
 * actions_load does) from a->org_id and a->author_id, so that a preview
 * shows the contacts the published action will. Returns 0 or -1. */
int actions_fill_contact(struct store *st, struct action *a);

/* Rewrites an action's text fields, date, goals and needs from *a (which
 * must have been loaded and then changed) and bumps its version, so that
 * its announcements are edited. Needs with an id are updated, needs with id
 * 0 are added (their ids filled in), and stored needs that a->needs no
 * longer lists are deleted, unless a pledge refers to them (callers check
 * with actions_need_has_pledges and keep those). Returns 0 or -1. */
int actions_update(struct store *st, struct action *a, int64_t now_ms);

/* 1 when any pledge, in whatever state, refers to the need; 0; -1. */
int actions_need_has_pledges(struct store *st, int64_t need_id);

/* Closes an open action with the organiser's result (NULL for none) and
 * bumps its version. Returns 1 when closed, 0 when it was not open, -1. */
int actions_close(struct store *st, int64_t id, const char *result,
    int64_t now_ms);

/* Keeps the photo (a Telegram file_id) the organiser sent with the closing
 * report. Returns 0 or -1. */
int actions_set_result_photo(struct store *st, int64_t id, const char *photo);

/* Bumps the version of what an action's announcements show (called by every
 * change of its pledges). Returns 0 or -1. */
int actions_bump(struct store *st, int64_t id, int64_t now_ms);

/* Open actions, newest first, optionally of one direction (NULL for all):
 * `limit` of them from `offset` on, loaded as actions_load does, into a new
 * array *out of *n (release each, then free). *total gets how many there are
 * in all. Returns 0 or -1. */
int actions_list_open(struct store *st, const char *direction, int offset,
    int limit, struct action **out, size_t *n, int64_t *total);

/* The language a person reads ("ru", "en"; "" when unknown) into lang. */
int actions_reader_lang(struct store *st, int64_t user_id, char lang[3]);

/* Where an announcement was posted. Adds a row for a copy about to be sent
 * (message_id 0: the sender's trigger fills it in once Telegram answers) or
 * already on screen (message_id known), showing the action's `version` (0:
 * edit it as soon as possible); returns its id or -1. */
int64_t announcements_add(struct store *st, int64_t action_id, int64_t chat_id,
    int64_t message_id, int64_t version, int64_t now_ms);
/* Links the copy to the outbox row that sends it. */
int announcements_set_outbox(struct store *st, int64_t id, int64_t outbox_id);

/* A posted copy that shows an older version of its action than the current
 * one. lang is the reader's language (the group's: the configured locale). */
struct announcement_stale {
	int64_t id;
	int64_t action_id;
	int64_t chat_id;
	int64_t message_id;
	int64_t version; /* the action's current version */
	char lang[3];
	bool gone; /* the reader blocked the bot, or the group is gone */
	bool caption; /* posted as a photo's caption: edit the caption */
};

/* Up to `limit` stale copies whose message_id is known: groups first, then
 * the copies that lag furthest behind (so that, while pledges keep coming,
 * the same first copies are not edited over and over while the rest wait),
 * in a new array *out of *n (free it). default_lang applies to groups and to
 * readers we know no language of. Returns 0 or -1. */
int announcements_stale(struct store *st, const char *default_lang,
    size_t limit, struct announcement_stale **out, size_t *n);
/* Marks a copy as posted as the poster's caption. Returns 0 or -1. */
int announcements_set_caption(struct store *st, int64_t id);
/* Records that the copy now shows `version`. */
int announcements_set_shown(struct store *st, int64_t id, int64_t version);

#endif
