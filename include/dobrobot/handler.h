/* What a handler sees of one update, and how it answers. Handlers never talk
 * to the network: they read and write the store and enqueue outbox rows,
 * inside the update's savepoint, so that an update's effects and its replies
 * commit together or not at all. */
#ifndef DOBROBOT_HANDLER_H
#define DOBROBOT_HANDLER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/command.h"
#include "dobrobot/config.h"
#include "dobrobot/i18n.h"
#include "dobrobot/store.h"
#include "dobrobot/users.h"

struct handler_ctx {
	struct store *st;
	const struct config *cfg;
	const char *bot_username;
	int64_t now_ms;     /* wall clock */
	int64_t update_id;
	json_t *update;     /* borrowed, the whole update */
	json_t *message;    /* borrowed, or NULL */
	json_t *callback;   /* borrowed callback_query, or NULL */
	int64_t chat_id;
	const char *chat_type; /* "private", "group", "supergroup", ... */
	struct user user;
	const char *lang;   /* the user's language: "ru" or "en" */
	enum user_role role; /* effective: admins from the config win */
	struct command cmd;
	char *error;        /* set by handler_fail */
};

typedef int (*handler_fn)(struct handler_ctx *ctx);

bool ctx_is_private(const struct handler_ctx *ctx);

/* Records why the handler failed (the router dead-letters the update) and
 * returns -1. */
int handler_fail(struct handler_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Enqueues an HTML message to the update's chat as a reply (highest
 * priority). Texts over Telegram's 4096 characters are split into several
 * messages; `markup` (borrowed, may be NULL) goes with the last part.
 * Returns 0 or -1. */
int reply_html(struct handler_ctx *ctx, const char *html, json_t *markup);

/* Enqueues an i18n message in the user's language. */
int reply_msg(struct handler_ctx *ctx, enum i18n_msg msg, ...);

/* Enqueues an HTML message to any chat with the given kind and priority;
 * returns the last part's outbox id or -1. */
int64_t send_html(struct store *st, int64_t chat_id, const char *html,
    json_t *markup, const char *kind, int priority, int64_t update_id);

/* Where a command may run, and who may run it: one row per command drives
 * authorisation, /help and setMyCommands. */
enum command_where { IN_PRIVATE = 1, IN_GROUP = 2, IN_ANY = 3 };

struct command_entry {
	const char *name;
	enum user_role role; /* the least role allowed */
	unsigned where;
	handler_fn run;
	enum i18n_msg help;
};

extern const struct command_entry command_table[];
extern const size_t command_table_len;

const struct command_entry *commands_find(const char *name);

/* The handlers. */
int handle_start(struct handler_ctx *ctx);
int handle_help(struct handler_ctx *ctx);

#endif
