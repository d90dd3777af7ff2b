/* What a handler sees of one update, and how it answers. Handlers never talk
 * to the network: they read and write the store and enqueue outbox rows,
 * inside the update's savepoint, so that an update's effects and its replies
 * commit together or not at all. */
#ifndef DOBROBOT_HANDLERS_HANDLER_H
#define DOBROBOT_HANDLERS_HANDLER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/text/command.h"
#include "dobrobot/core/config.h"
#include "dobrobot/store/conversations.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/store/store.h"
#include "dobrobot/store/users.h"

struct handler_ctx {
	struct store *st;
	const struct config *cfg;
	const char *bot_username;
	int64_t now_ms; /* wall clock */
	int64_t update_id;
	json_t *update; /* borrowed, the whole update */
	json_t *message; /* borrowed, or NULL */
	json_t *callback; /* borrowed callback_query, or NULL */
	int64_t chat_id;
	const char *chat_type; /* "private", "group", "supergroup", ... */
	struct user user;
	const char *lang; /* the user's language: "ru" or "en" */
	enum user_role role; /* effective: admins from the config win */
	struct command cmd;
	/* Callback queries: the data after "prefix:" and the message the
	 * button was on (0 when inaccessible). */
	const char *cb_args;
	int64_t cb_message_id;
	bool cb_answered; /* answer_callback was called */
	/* The user's conversation in this chat (flow NULL when none); loaded
	 * for private chats before the handler runs. */
	struct conversation conv;
	char *error; /* set by handler_fail */
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

/* Enqueues a feature text (see I18N in i18n.h) in the user's language,
 * formatted with the arguments, with an optional keyboard (borrowed). */
int reply_text(struct handler_ctx *ctx, json_t *markup,
    const struct i18n_pair *p, ...);

/* The text of a pair in the user's language. */
const char *tr(const struct handler_ctx *ctx, const struct i18n_pair *p);

/* Answers the pressed button (the spinner stops); `text` may be NULL, or a
 * short notice (at most 200 characters), shown as an alert when `alert`.
 * The router answers with no text if the handler did not. */
int answer_callback(struct handler_ctx *ctx, const char *text, bool alert);

/* Appends `buttons` (an array of buttons; the reference is stolen) to an
 * inline keyboard's `rows` two to a row, the last alone when odd: how the
 * bot lays out a list of choices so that phones show their labels whole. */
void buttons_two_per_row(json_t *rows, json_t *buttons);

/* A new inline button {text, callback_data} (strings copied). */
json_t *callback_button(const char *text, const char *data);

/* Takes the buttons off the message whose button was just pressed: a
 * question's keyboard goes, its text stays, and the answer comes as a new
 * message. 0 when there is no such message; -1 (handler_fail called). */
int drop_keyboard(struct handler_ctx *ctx);

/* Edits a message the bot sent earlier in this chat (e.g. the one with the
 * button just pressed); coalesced so that the last edit wins. */
int edit_html(struct handler_ctx *ctx, int64_t message_id, const char *html,
    json_t *markup);

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

/* Inline buttons carry "prefix:args" in callback_data (at most 64 bytes:
 * ids only, never names). The presser's role is checked against `role`,
 * and the handler checks the ids against the database. */
struct callback_entry {
	const char *prefix;
	enum user_role role;
	handler_fn run;
};

extern const struct callback_entry callback_table[];
extern const size_t callback_table_len;

/* Guided conversations: when a user with a conversation in a private chat
 * sends something that is not a command, the flow's handler gets it (text,
 * photo or document: ctx->message). The router checks `role` first, as it
 * does for commands and buttons: someone whose role was revoked in the
 * middle of a flow has the conversation cleared and is told the role is
 * gone (naming `command`, the one that began the flow), so a flow's
 * handler never re-checks the role by hand. A button pressed in the flow
 * by someone below its role clears the conversation the same way. */
struct flow_entry {
	const char *name;
	enum user_role role; /* the least role allowed */
	const char *command; /* the command that begins it, for the refusal */
	handler_fn on_message;
};

/* A private message that is neither a command nor part of a conversation
 * («хочу помочь»): answered by this handler (commands.c). */
extern const handler_fn free_text_handler;

extern const struct flow_entry flow_table[];
extern const size_t flow_table_len;

/* Deep links t.me/<bot>?start=<payload>: the payload's first letter picks
 * the handler, which gets the rest in ctx->cmd.args. */
struct start_entry {
	char prefix;
	handler_fn run;
};

extern const struct start_entry start_table[];
extern const size_t start_table_len;

/* Periodic work (progress edits, reminders, reports), run by the loop in a
 * transaction of its own every `every_ms`. Jobs enqueue outbox rows. */
struct job_ctx {
	struct store *st;
	const struct config *cfg;
	const char *bot_username;
	int64_t now_ms; /* wall clock */
};

struct job_entry {
	const char *name;
	int64_t every_ms;
	int (*run)(struct job_ctx *ctx);
};

extern const struct job_entry job_table[];
extern const size_t job_table_len;

/* The handlers of the skeleton; each feature declares its own in its header
 * (handlers/<feature>.h). */
int handle_start(struct handler_ctx *ctx);
int handle_help(struct handler_ctx *ctx);
int handle_cancel(struct handler_ctx *ctx);

#endif
