/* Actions in chat: the /announce wizard (handlers/announce.c, its steps
 * handlers/announce_steps.c) and /edit (handlers/edit.c);
 * publishing and the live progress of announcements (handlers/publish.c);
 * browsing (handlers/actions.c); access checks (handlers/access.c); /close
 * (handlers/close.c). How an action looks: dobrobot/view.h. */
#ifndef DOBROBOT_HANDLERS_ACTIONS_H
#define DOBROBOT_HANDLERS_ACTIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/words.h"

/* handlers/publish.c */

/* Sends a freshly stored action to the leaders' group and to the citizens
 * subscribed to its direction (not to its author), recording each copy in
 * announcements. *to_group tells whether a leaders' group got it,
 * *subscribers how many citizens. Returns 0 or -1. */
int action_publish(struct store *st, const struct config *cfg,
    const char *bot_username, const struct action *a, int64_t update_id,
    int64_t now_ms, bool *to_group, size_t *subscribers);

/* handlers/access.c: who may manage an action, the action a command names. */

/* The author of an action, an organiser of its organisation, or an admin. */
bool can_manage_action(const struct handler_ctx *ctx, const struct action *a);

/* For commands that show or change an action's pledges (/pledges,
 * /received, /export, attendance): 1 when the user may manage the action,
 * else answers why not and returns 0 (or -1). */
int managed_action(struct handler_ctx *ctx, const struct action *a);

/* Loads the action named by the command's first argument, answering the
 * user when there is none (usage, or no such action): 1 loaded (release
 * it), 0 answered, -1 error. *rest gets the text after the id. */
int action_from_args(struct handler_ctx *ctx, const struct i18n_pair *usage,
    struct action *a, const char **rest);

/* handlers/announce.c */
int handle_announce(struct handler_ctx *ctx);
int announce_on_message(struct handler_ctx *ctx);
int announce_on_button(struct handler_ctx *ctx); /* "an:..." */
/* handlers/edit.c */
int handle_edit(struct handler_ctx *ctx);
int edit_on_message(struct handler_ctx *ctx);
int edit_on_button(struct handler_ctx *ctx); /* "ae:<action>:<field>" */

/* handlers/actions.c */
int handle_actions(struct handler_ctx *ctx);
int handle_action(struct handler_ctx *ctx);
int actions_on_button(struct handler_ctx *ctx); /* "ac:..." */
int start_action(struct handler_ctx *ctx); /* start=a<id> */
/* handlers/contact.c: "/contact да|нет" shows or hides the organiser's
 * @username on their actions; "/contact" says which it is now. */
int handle_contact(struct handler_ctx *ctx);

/* Free text in private («хочу помочь», «как записаться волонтёром?»): a
 * wish to help gets the open actions with their buttons and how to
 * subscribe; anything else, what the bot is for and where to start. */
int actions_free_text(struct handler_ctx *ctx);

/* handlers/close.c */
int handle_close(struct handler_ctx *ctx);
int close_on_message(struct handler_ctx *ctx);
/* "cl:..." on /close's preview (publish, change, cancel, mark pledges
 * received) */
int close_on_button(struct handler_ctx *ctx);
int actions_progress_job(struct job_ctx *ctx);

#endif
