/* Organisations: the council's NGOs — name, description, the social
 * services they provide, contacts, directions — the organisers who act for
 * them (org_members) and the citizens who follow them (org_followers). The
 * SQL lives in store/orgs.c; checking what people type into these fields is
 * text/orgfields.c. */
#ifndef DOBROBOT_STORE_ORGS_H
#define DOBROBOT_STORE_ORGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* What an admin may type, in code points. */
#define ORG_NAME_MAX 120
#define ORG_DESCRIPTION_MAX 1000
#define ORG_SERVICES_MAX 1500
#define ORG_ADDRESS_MAX 200
#define ORG_PHONE_MAX 80
#define ORG_LINK_MAX 200

/* An organisation. Strings are owned (org_release frees them); the optional
 * ones are NULL when not given. services and directions hold one entry per
 * line ("\n" between entries, none at the end); directions are the
 * configured names, in the configured order. */
struct org {
	int64_t id; /* 0 until stored */
	char *name;
	char *description;
	char *services;
	char *phone;
	char *address;
	char *link;
	char *directions; /* "" when none */
	bool followed; /* by the user orgs_list_for_follower was asked for */
};

/* Frees the strings and zeroes the struct; accepts a zeroed one. */
void org_release(struct org *o);

/* The key organisations are told apart by: the case-folded name with runs
 * of white space made one space (new string, caller frees). */
char *org_name_key(const char *name);

/* Organisations whose name holds `words` (compared as org_name_key
 * compares): up to `max` ids and names (new strings, the caller frees) in
 * name order. Returns how many there are (may exceed max), or -1. */
int orgs_search(struct store *st, const char *words, int64_t *ids, char **names,
    size_t max);

/* Stores a new organisation (o->id is filled in) or, when one with the same
 * name key exists, rewrites that one's fields from *o (o->id is set to its
 * id). *created tells which. Returns 0 or -1. */
int orgs_upsert(struct store *st, struct org *o, int64_t now_ms, bool *created);

/* Rewrites the organisation o->id from *o. Returns 1 when done, 0 when
 * another organisation has that name already (nothing changed), -1. */
int orgs_update(struct store *st, const struct org *o, int64_t now_ms);

/* Loads one organisation. Returns 1 found, 0 not found, -1 on error. */
int orgs_load(struct store *st, int64_t id, struct org *out);

/* The id of the organisation with this name (compared by org_name_key), 0
 * when there is none, or -1. */
int64_t orgs_find_by_name(struct store *st, const char *name);

/* Every organisation (member_of 0), or those the user is a member of, in
 * alphabetical order of their names, into a new array *out of *n (release
 * each, then free; NULL when *n is 0). Returns 0 or -1. */
int orgs_list(struct store *st, int64_t member_of, struct org **out, size_t *n);

/* Every organisation as orgs_list gives them, with `followed` set for
 * those the user follows: one query for a menu of toggles. */
int orgs_list_for_follower(struct store *st, int64_t user_id, struct org **out,
    size_t *n);

/* Membership: adds (on) or removes (!on) the user from the organisation;
 * returns 1 when it changed, 0 when it was so already, -1. */
int orgs_set_member(struct store *st, int64_t org_id, int64_t user_id, bool on);
/* 1 when the user is a member of the organisation, 0 when not, -1. */
int orgs_is_member(struct store *st, int64_t org_id, int64_t user_id);
/* Removes the user from every organisation; returns how many, or -1. */
int orgs_leave_all(struct store *st, int64_t user_id);

/* Following: as for membership. */
int orgs_set_follow(struct store *st, int64_t org_id, int64_t user_id, bool on);
int orgs_is_following(struct store *st, int64_t org_id, int64_t user_id);
/* Removes every organisation the user follows; returns how many, or -1. */
int orgs_unfollow_all(struct store *st, int64_t user_id);

/* The followers of an organisation who have not blocked the bot, except
 * `exclude_user`, in ascending order, into a new array *ids of *n (free
 * it). Returns 0 or -1. */
int orgs_followers(struct store *st, int64_t org_id, int64_t exclude_user,
    int64_t **ids, size_t *n);

/* The ids of an organisation's open actions, newest first (at most
 * `limit`), into a new array *ids of *n (free it). Returns 0 or -1. */
int orgs_open_actions(struct store *st, int64_t org_id, size_t limit,
    int64_t **ids, size_t *n);

/* True when the line list `lines` ("a\nb") has `entry` as one of its lines. */
bool org_has_line(const char *lines, const char *entry);

#endif
