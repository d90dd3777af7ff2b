/* The step-table wizard (handlers/wizard.h): what /announce, /addorg and
 * /editorg, and /broadcast share — the draft in the conversation, the walk
 * through the steps, skip, «← Назад», a field changed from the preview,
 * stale buttons and cancel. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/xalloc.h"
#include "dobrobot/store/conversations.h"
#include "wizard.h"

int
wizard_step_index(const struct wizard *w, const char *name)
{
	for (int i = 0; i < w->n_steps; i++)
		if (name != NULL && strcmp(w->steps[i].name, name) == 0)
			return i;
	return -1;
}

bool
wizard_is_open(const struct handler_ctx *ctx, const struct wizard *w)
{
	return ctx->conv.flow != NULL && strcmp(ctx->conv.flow, w->flow) == 0;
}

bool
wizard_at_preview(const struct handler_ctx *ctx)
{
	return ctx->conv.step != NULL &&
	    strcmp(ctx->conv.step, WIZARD_PREVIEW) == 0;
}

int
wizard_parse_index(const char *arg, int n, int *out)
{
	char *end;
	errno = 0;
	long i = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || i < 0 || i >= n)
		return -1;
	*out = (int)i;
	return 0;
}

int
wizard_save(struct handler_ctx *ctx, const char *flow, const char *step,
    json_t *draft)
{
	if (conversation_save(ctx->st, ctx->user.id, ctx->chat_id, flow, step,
	        draft, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot save the conversation");
	return 0;
}

int
wizard_clear(struct handler_ctx *ctx)
{
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	return 0;
}

int
wizard_stale(struct handler_ctx *ctx)
{
	return answer_callback(ctx, i18n_text(ctx->lang, MSG_BUTTON_STALE),
	    false);
}

/* Whether the draft is finished and one field of it is being changed. */
static bool
returning(json_t *draft)
{
	return json_is_true(json_object_get(draft, WIZARD_RETURN));
}

json_t *
wizard_keyboard(struct handler_ctx *ctx, const struct wizard *w, int step,
    bool editing)
{
	const struct wizard_step *s = &w->steps[step];
	json_t *rows = json_array();
	if (s->buttons != NULL) {
		s->buttons(ctx, rows);
	} else if (s->optional) {
		/* The step is in the data: an older question's button must
		 * not skip the one being asked now. */
		const struct i18n_pair *label = s->skip_label != NULL
		    ? s->skip_label
		    : editing ? w->remove
		              : w->skip;
		char data[32];
		snprintf(data, sizeof data, "%s:%c:%d", w->prefix, w->skip_verb,
		    step);
		json_array_append_new(rows,
		    json_pack("[o]", callback_button(tr(ctx, label), data)));
	}
	/* Back to the previous question only while writing in order: not
	 * while changing one field of a finished draft or a saved record. */
	if (w->back != NULL && !editing && step > 0 && step < w->n_asked &&
	    wizard_is_open(ctx, w) && !returning(ctx->conv.draft)) {
		char data[32];
		snprintf(data, sizeof data, "%s:b:%d", w->prefix, step);
		json_array_append_new(rows,
		    json_pack("[o]", callback_button(tr(ctx, w->back), data)));
	}
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return NULL;
	}
	return json_pack("{s:o}", "inline_keyboard", rows);
}

int
wizard_ask(struct handler_ctx *ctx, const struct wizard *w, int step,
    bool numbered, bool editing, const struct i18n_pair *intro)
{
	const struct wizard_step *s = &w->steps[step];
	struct buf b = BUF_INIT;
	if (intro != NULL)
		i18n_appendp(&b, ctx->lang, intro);
	if (numbered && w->counter != NULL)
		i18n_appendp(&b, ctx->lang, w->counter, step + 1, w->n_asked);
	if (s->render != NULL)
		s->render(ctx, &b);
	else
		i18n_appendp(&b, ctx->lang, s->prompt);
	json_t *kb = wizard_keyboard(ctx, w, step, editing);
	int rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&b);
	return rc;
}

int
wizard_refuse(struct handler_ctx *ctx, const struct wizard *w, int step,
    const struct buf *why, bool editing)
{
	json_t *kb = w->refuse_with_buttons
	    ? wizard_keyboard(ctx, w, step, editing)
	    : NULL;
	int rc = reply_html(ctx, buf_str(why), kb);
	json_decref(kb);
	return rc;
}

int
wizard_show_preview(struct handler_ctx *ctx, const struct wizard *w,
    json_t *draft)
{
	json_object_del(draft, WIZARD_RETURN);
	if (wizard_save(ctx, w->flow, WIZARD_PREVIEW, draft) < 0)
		return -1;
	return w->preview(ctx, draft);
}

int
wizard_next(struct handler_ctx *ctx, const struct wizard *w, json_t *draft,
    int step)
{
	if (returning(draft) || step + 1 >= w->n_asked)
		return wizard_show_preview(ctx, w, draft);
	if (wizard_save(ctx, w->flow, w->steps[step + 1].name, draft) < 0)
		return -1;
	return wizard_ask(ctx, w, step + 1, true, false, NULL);
}

int
wizard_answer(struct handler_ctx *ctx, const struct wizard *w, int step,
    const char *text)
{
	json_t *d = ctx->conv.draft;
	struct buf why = BUF_INIT;
	int rc = w->steps[step].accept(ctx, step, d, text, &why);
	if (rc == WIZARD_REFUSED)
		rc = wizard_refuse(ctx, w, step, &why, false);
	else if (rc == WIZARD_QUESTION)
		rc = w->yes_no(ctx, &why);
	else if (rc == WIZARD_ACCEPTED)
		rc = wizard_next(ctx, w, d, step);
	else if (rc == WIZARD_ANSWERED)
		rc = 0;
	buf_release(&why);
	return rc;
}

int
wizard_on_text(struct handler_ctx *ctx, const struct wizard *w,
    const char *text)
{
	int step = wizard_step_index(w, ctx->conv.step);
	if (step < 0)
		return reply_text(ctx, NULL, w->use_buttons);
	if (text == NULL)
		return wizard_ask(ctx, w, step, false, false, w->text_only);
	return wizard_answer(ctx, w, step, text);
}

/* "b:<i>": the question before i again, its answer kept. */
static int
go_back(struct handler_ctx *ctx, const struct wizard *w, const char *arg)
{
	int step = wizard_step_index(w, ctx->conv.step);
	int i;
	if (step < 1 || step >= w->n_asked ||
	    wizard_parse_index(arg, w->n_asked, &i) < 0 || i != step)
		return wizard_stale(ctx);
	const char *prev = w->steps[step - 1].name;
	if (wizard_save(ctx, w->flow, prev, ctx->conv.draft) < 0)
		return -1;
	/* The question is asked from the step now saved: the keyboard's
	 * «← Назад» depends on it. */
	free(ctx->conv.step);
	ctx->conv.step = xstrdup(prev);
	return wizard_ask(ctx, w, step - 1, true, false, NULL);
}

/* "f:<i>": one field of the previewed draft changed, then the preview
 * again. */
static int
change_field(struct handler_ctx *ctx, const struct wizard *w, const char *arg,
    bool editing)
{
	int i;
	if (!wizard_at_preview(ctx) ||
	    wizard_parse_index(arg, w->n_steps, &i) < 0)
		return wizard_stale(ctx);
	json_t *d = ctx->conv.draft;
	json_object_set_new(d, WIZARD_RETURN, json_true());
	if (wizard_save(ctx, w->flow, w->steps[i].name, d) < 0)
		return -1;
	return wizard_ask(ctx, w, i, false, editing, NULL);
}

/* "<skip_verb>:<i>": only the question being asked now may be skipped. */
static int
skip_step(struct handler_ctx *ctx, const struct wizard *w, const char *arg)
{
	int i;
	if (wizard_parse_index(arg, w->n_steps, &i) < 0 ||
	    i != wizard_step_index(w, ctx->conv.step) || !w->steps[i].optional)
		return wizard_stale(ctx);
	return wizard_answer(ctx, w, i, NULL);
}

int
wizard_on_button(struct handler_ctx *ctx, const struct wizard *w,
    const char *args, bool editing)
{
	bool verb = args[0] != '\0' && args[1] == ':';
	if (verb && args[0] == w->skip_verb)
		return wizard_is_open(ctx, w) ? skip_step(ctx, w, args + 2)
		                              : wizard_stale(ctx);
	if (verb && args[0] == 'b' && w->back != NULL)
		return wizard_is_open(ctx, w) ? go_back(ctx, w, args + 2)
		                              : wizard_stale(ctx);
	if (verb && args[0] == 'f')
		return wizard_is_open(ctx, w)
		    ? change_field(ctx, w, args + 2, editing)
		    : wizard_stale(ctx);
	if (strcmp(args, "x") == 0) {
		if (!wizard_is_open(ctx, w))
			return wizard_stale(ctx);
		if (wizard_clear(ctx) < 0)
			return -1;
		return reply_text(ctx, NULL, w->cancelled);
	}
	return 1;
}
