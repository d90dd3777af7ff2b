/* A guided conversation driven by a table of steps (handlers/wizard.c),
 * shared by /announce (announce.c, with /edit asking the same questions),
 * /addorg and /editorg (orgs_admin.c) and /broadcast (broadcast.c): the
 * draft saved in the conversation after each answer, the questions asked in
 * order with «Шаг N из M», the skip and «← Назад» buttons, a field changed
 * from the preview, buttons that no longer match the conversation (stale),
 * cancel, and the hand-off to the wizard's own preview. The role needed is
 * the router's business (flow_table), never the wizard's. */
#ifndef DOBROBOT_HANDLERS_WIZARD_H
#define DOBROBOT_HANDLERS_WIZARD_H

#include <jansson.h>
#include <stdbool.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/text/i18n.h"

/* What a step's accept function made of an answer. */
enum wizard_verdict {
	WIZARD_ACCEPTED = 0, /* stored in the draft: on to the next step */
	WIZARD_REFUSED = 1, /* `why` says why, with an example */
	WIZARD_QUESTION = 2, /* `why` holds a yes/no question (wizard.yes_no) */
	WIZARD_ANSWERED = 3, /* the function answered the user itself */
};

/* Checks an answer to step `step` and stores it in the draft: a
 * wizard_verdict, or -1 (failed, handler_fail called). text NULL: the
 * skip button. */
typedef int (*wizard_accept_fn)(struct handler_ctx *ctx, int step,
    json_t *draft, const char *text, struct buf *why);

struct wizard_step {
	const char *name; /* the conversation's step */
	const struct i18n_pair *prompt; /* the question */
	const struct i18n_pair *label; /* its button in a change menu */
	bool optional; /* has a skip button */
	wizard_accept_fn accept;
	/* Optional: appends the question instead of `prompt` (a question
	 * with arguments). */
	void (*render)(struct handler_ctx *ctx, struct buf *out);
	/* Optional: appends the step's own rows of buttons (choices). */
	void (*buttons)(struct handler_ctx *ctx, json_t *rows);
	/* Optional: the skip button's label instead of the wizard's. */
	const struct i18n_pair *skip_label;
};

struct wizard {
	const char *flow; /* the conversation's flow, as in flow_table */
	const char *prefix; /* of its buttons' callback_data: "an" */
	const struct wizard_step *steps;
	int n_asked; /* steps[0..n_asked) are asked one after another */
	int n_steps; /* and the rest only from the preview */
	/* "Шаг %d из %d. " before a question asked in order, or NULL. */
	const struct i18n_pair *counter;
	/* The skip button: "<prefix>:<skip_verb>:<step>", labelled `skip`
	 * while writing a new draft and `remove` while changing a saved
	 * record. */
	char skip_verb;
	const struct i18n_pair *skip;
	const struct i18n_pair *remove;
	/* «← Назад» under the second question on ("<prefix>:b:<step>"), or
	 * NULL for none. */
	const struct i18n_pair *back;
	/* Whether a refused answer comes with the step's buttons again. */
	bool refuse_with_buttons;
	/* Shows the finished draft (after the step is saved as "preview"). */
	int (*preview)(struct handler_ctx *ctx, json_t *draft);
	/* Asks a step's yes/no question (WIZARD_QUESTION); may be NULL when
	 * no step asks one. */
	int (*yes_no)(struct handler_ctx *ctx, const struct buf *question);
	/* The answer to a message while the preview waits for a button, to
	 * a message that is not text, and to cancel. */
	const struct i18n_pair *use_buttons;
	const struct i18n_pair *text_only;
	const struct i18n_pair *cancelled;
};

/* The draft's flag "ret": the organiser is changing one field of a
 * finished draft, so an accepted answer goes back to the preview. */
#define WIZARD_RETURN "ret"
/* The step of a draft waiting at its preview. */
#define WIZARD_PREVIEW "preview"

/* The index of the step named `name`, or -1 (none, the preview, or a step
 * an older version had). */
int wizard_step_index(const struct wizard *w, const char *name);

/* Whether the conversation is this wizard's, and at its preview. */
bool wizard_is_open(const struct handler_ctx *ctx, const struct wizard *w);
bool wizard_at_preview(const struct handler_ctx *ctx);

/* Parses the decimal index in a button's data ("3"): 0 and *out when it is
 * whole and in [0, n), else -1. */
int wizard_parse_index(const char *arg, int n, int *out);

/* Saves the conversation at `step` of `flow` with the draft (borrowed).
 * 0, or -1 (handler_fail called). */
int wizard_save(struct handler_ctx *ctx, const char *flow, const char *step,
    json_t *draft);
/* Ends the conversation. 0, or -1 (handler_fail called). */
int wizard_clear(struct handler_ctx *ctx);
/* Answers a button that no longer matches the conversation. */
int wizard_stale(struct handler_ctx *ctx);

/* The keyboard under step's question (new reference, or NULL for none):
 * the step's buttons, its skip button, and «← Назад» from the second
 * question on while writing in order. */
json_t *wizard_keyboard(struct handler_ctx *ctx, const struct wizard *w,
    int step, bool editing);
/* Asks step's question: `intro` (may be NULL) first, then «Шаг N из M»
 * when `numbered`. */
int wizard_ask(struct handler_ctx *ctx, const struct wizard *w, int step,
    bool numbered, bool editing, const struct i18n_pair *intro);
/* Answers a refused answer with `why` (and the step's buttons when the
 * wizard wants them). */
int wizard_refuse(struct handler_ctx *ctx, const struct wizard *w, int step,
    const struct buf *why, bool editing);

/* Saves the draft at its preview (forgetting "ret") and shows it. */
int wizard_show_preview(struct handler_ctx *ctx, const struct wizard *w,
    json_t *draft);
/* After an accepted answer to `step`: the next question (saved and
 * numbered), or the preview after the last one or when the draft was
 * finished already. */
int wizard_next(struct handler_ctx *ctx, const struct wizard *w, json_t *draft,
    int step);
/* An answer (text, or NULL for the skip button) to `step` of the
 * conversation's draft: accepted (and on), refused, or a question. */
int wizard_answer(struct handler_ctx *ctx, const struct wizard *w, int step,
    const char *text);
/* A message in the conversation: the preview's hint when no step is
 * asked, the question again when it is not text, else the answer. */
int wizard_on_text(struct handler_ctx *ctx, const struct wizard *w,
    const char *text);

/* The buttons every wizard has, `args` after "<prefix>:": "<skip_verb>:<i>"
 * skips the question being asked, "b:<i>" goes back to the one before
 * (answers kept), "f:<i>" changes one field from the preview, "x" cancels.
 * `editing`: the draft is a saved record ("Убрать" instead of
 * "Пропустить"). Returns the handler's result, or 1 when `args` is none of
 * them (the wizard's own button). */
int wizard_on_button(struct handler_ctx *ctx, const struct wizard *w,
    const char *args, bool editing);

#endif
