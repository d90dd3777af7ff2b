/* Shared by the action wizards (handlers/announce.c, handlers/edit.c,
 * handlers/announce_steps.c): the steps, their validators and prompts, the
 * draft. */
#ifndef DOBROBOT_HANDLERS_ANNOUNCE_INTERNAL_H
#define DOBROBOT_HANDLERS_ANNOUNCE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/text/i18n.h"
#include "wizard.h"

enum step_id {
	ST_TITLE,
	ST_DESCRIPTION,
	ST_DIRECTION,
	ST_WHEN,
	ST_PLACE,
	ST_GOAL,
	ST_GOODS,
	ST_VOLUNTEERS,
	/* Fields the wizard does not ask for (the preview's «Изменить» and
	 * /edit offer them): how to pay. */
	ST_PAYMENT,
	ST_COUNT
};
/* The questions the wizard asks, one after another. */
#define ST_ASKED ST_PAYMENT

/* The wizard's questions in order (announce_steps.c). */
extern const struct wizard_step announce_steps[ST_COUNT];
/* The /announce wizard over them (flow "announce", buttons "an:"). */
extern const struct wizard announce_wizard;

/* The step named `name`, or -1. */
int announce_step_index(const char *name);

/* handlers/announce_answers.c: the draft's string or integer field (NULL
 * or 0 when absent). */
const char *announce_draft_str(json_t *d, const char *key);
int64_t announce_draft_int(json_t *d, const char *key);

/* handlers/announce_answers.c: replaces a's fields with the draft's (a's
 * id, author and totals stay); an action as a new draft. */
void announce_draft_to_action(json_t *d, struct action *a);
json_t *announce_action_to_draft(const struct action *a);

/* handlers/announce_answers.c: the date and goods steps' validators
 * (wizard_accept_fn). */
int announce_accept_when(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why);
int announce_accept_goods(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why);

/* "Понял так: … Верно?" for a goods list with a line the parser was unsure
 * about; the list waits in the conversation ("goods_ask") for the answer.
 * Returns 2 (a yes/no question in why) or -1. */
int announce_goods_ask(struct handler_ctx *ctx, json_t *goods, struct buf *why);

/* Asks a step's question; `intro` (may be NULL) goes before it, and the
 * step number when `numbered`. */
int announce_ask_step(struct handler_ctx *ctx, int step, bool numbered,
    bool editing, const struct i18n_pair *intro);
/* Answers a refused step with `why` and the step's keyboard. */
int announce_refuse_step(struct handler_ctx *ctx, int step,
    const struct buf *why, bool editing);
/* A step's yes/no question: "an:wy" and "an:wn" answer it. */
int announce_ask_yes_no(struct handler_ctx *ctx, const struct buf *question);
/* Sends the list of fields to change, as buttons. */
int announce_send_change_menu(struct handler_ctx *ctx, const char *text,
    int64_t action_id);
/* Shows the draft exactly as it will be published, with the buttons that
 * publish, change or cancel it (the wizard's preview). */
int announce_preview(struct handler_ctx *ctx, json_t *d);

/* handlers/edit.c: a typed answer while changing one field of a published
 * action (flow "edit"). */
int edit_answer(struct handler_ctx *ctx, const char *text);

#endif
