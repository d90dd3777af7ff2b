/* Pledges in chat: /pledge (one-shot, handlers/pledge.c), the guided
 * pledge flow (handlers/pledge_flow.c), recording (handlers/pledge_commit.c),
 * withdrawing (/unpledge) and the organisers' /pledges
 * (handlers/pledge_list.c), /received with the thank-you
 * (handlers/receive.c), and a citizen's record, /my (handlers/my.c). */
#ifndef DOBROBOT_HANDLERS_PLEDGES_H
#define DOBROBOT_HANDLERS_PLEDGES_H

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/view/view.h"

/* handlers/pledge_commit.c */
/* Records a pledge the citizen confirmed is not a repeat («Добавить
 * ещё»): the same checks as /pledge (open, wanted, rate) but no question.
 * Returns 0 or -1. */
int pledge_commit_again(struct handler_ctx *ctx, struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous);
/* "pd:<action>:<m|g>:<need>:<amount>:<anonymous 0|1>" on the repeat
 * question adds it anyway, "pd:no" leaves it at one. */
int pledge_repeat_on_button(struct handler_ctx *ctx);

/* handlers/pledge_care.c. The same pledge (kind, need, amount) made by the
 * same person for the action in the last minutes: asks «добавить ещё или
 * это повтор?» with buttons and returns 1; 0 when it is no repeat; -1. */
int pledge_ask_if_repeat(struct handler_ctx *ctx, const struct action *a,
    enum pledge_kind kind, int64_t need_id, int64_t amount, bool anonymous);

/* After a pledge `p` that takes its need (goods, money or volunteers of
 * `now`, loaded after it) beyond what was asked: appends that the need is
 * covered, and what is still needed. Nothing otherwise. */
void pledge_covered_note(struct buf *out, const struct action *now,
    const struct pledge *p, const char *lang);

/* handlers/pledge.c, handlers/pledge_flow.c, handlers/pledge_list.c */
int handle_pledge(struct handler_ctx *ctx);
int pledge_on_message(struct handler_ctx *ctx);
int pledge_on_start_button(struct handler_ctx *ctx); /* "pl:<action>:<m|g|t>" */
int pledge_on_flow_button(struct handler_ctx *ctx); /* "pf:..." */
int start_pledge(struct handler_ctx *ctx); /* start=p<action>[mgt] */
int handle_unpledge(struct handler_ctx *ctx);
int handle_pledges(struct handler_ctx *ctx);

/* handlers/receive.c */
int handle_received(struct handler_ctx *ctx);

/* Records that pledge `id` came, as `/received <id> <what>` does: checks
 * that the caller may manage its action and that it waits, takes `what`
 * ("" as promised; an amount, a quantity or hours; "-" for a volunteer
 * whose hours are unknown), thanks the person and answers the caller. A
 * time pledge with `what` empty asks for the hours instead (attendance).
 * Returns 0 (answered) or -1. */
int pledge_receive(struct handler_ctx *ctx, int64_t id, const char *what);

/* handlers/my.c */
int handle_my(struct handler_ctx *ctx);
int my_on_button(struct handler_ctx *ctx); /* "my:w:<pledge>" */

/* Withdraws the caller's own pledge and bumps its action: 1 withdrawn, 0
 * refused (answered in *why), -1 error. Shared by /unpledge and /my's
 * buttons. */
int pledge_withdraw_own(struct handler_ctx *ctx, int64_t pledge_id,
    struct buf *why);

#endif
