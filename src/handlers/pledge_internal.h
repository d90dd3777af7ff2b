/* Shared inside the pledge handlers (pledge.c, pledge_flow.c, pledge_ask.c,
 * pledge_goods.c, pledge_commit.c): recording a pledge and the refusals,
 * the words a citizen types, and the way into the guided flow and its
 * steps. */
#ifndef DOBROBOT_HANDLERS_PLEDGE_INTERNAL_H
#define DOBROBOT_HANDLERS_PLEDGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/pledges.h"

/* handlers/pledge_commit.c */

/* Records a confirmed pledge and answers with the thanks and the action's
 * progress; a repeat of the citizen's own pledge is asked about first. The
 * action must be loaded, open, and want this kind of help. */
int pledge_commit(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous);

/* The answers to a pledge the action cannot take: it does not ask for this
 * kind of help, or it is closed. Return what reply_text returns. */
int pledge_refuse_not_wanted(struct handler_ctx *ctx, const struct action *a,
    enum pledge_kind kind);
int pledge_refuse_closed(struct handler_ctx *ctx, const struct action *a);

/* "• тёплые одеяла — 20 шт (обещано 12)" lines. */
void pledge_needs_list(const struct action *a, struct buf *out);

/* Finds the need a citizen names: 0 found (*idx), 1 refused (answered). */
int pledge_match_need(struct handler_ctx *ctx, const struct action *a,
    const char *query, size_t *idx);

/* The action's need with this id, or NULL. */
const struct action_need *pledge_need_by_id(const struct action *a, int64_t id);

/* Whether the case-folded word is one of `words`; one of the words that
 * mean giving time («волонтёр», «приду»); one that asks to stay anonymous. */
bool pledge_word_in(const char *folded, const char *const *words, size_t n);
bool pledge_is_time_word(const char *folded);
bool pledge_is_anonymous_word(const char *folded);

/* handlers/pledge_flow.c: how to write /pledge, said when a pledge cannot be
 * understood (the command and the guided flow say the same). */
const struct i18n_pair *pledge_usage_text(void);

/* handlers/pledge_flow.c: opens the guided flow on an action for one kind
 * of help ('m', 'g', 't', or 0 to ask which). */
int pledge_begin_flow(struct handler_ctx *ctx, struct action *a, char kind);

/* handlers/pledge_ask.c: saves the draft `d` of the flow "pledge" at
 * `step`; 0, or -1 (handler_fail). */
int pledge_flow_save(struct handler_ctx *ctx, const char *step, json_t *d);

/* handlers/pledge_ask.c: the flow's questions. Each saves the draft `d` at
 * its step first, then asks: how much money for `a` (step "amount"), which
 * of its needs (step "need"; straight to the quantity when it has one), how
 * many of the need `n` (step "qty", the need's id put in `d`), how to show
 * the pledger (step "name"). Return 0 or -1. */
int pledge_ask_amount(struct handler_ctx *ctx, const struct action *a,
    json_t *d);
int pledge_ask_need(struct handler_ctx *ctx, const struct action *a, json_t *d);
int pledge_ask_quantity(struct handler_ctx *ctx, const struct action_need *n,
    json_t *d);
int pledge_ask_name(struct handler_ctx *ctx, json_t *d);

/* handlers/pledge_goods.c: the answer at the goods step (a list «одеяла 20
 * шт, крупа 50 кг», a good with how many, or a good's name), answered and
 * the flow moved on; and the recording of such a list at the end, a pledge
 * for each of `lines` ([need id, quantity] pairs). Return 0 or -1. */
int pledge_flow_goods_answer(struct handler_ctx *ctx, struct action *a,
    json_t *d, const char *text);
int pledge_commit_goods_lines(struct handler_ctx *ctx, struct action *a,
    json_t *lines, bool anonymous);

#endif
