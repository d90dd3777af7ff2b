/* Who may manage an action, and the action a command names: the access
 * checks every organiser command shares (/edit, /close, /pledges,
 * /received, /report, documents, attendance). */
#include "actions.h"

#include "dobrobot/store/orgs.h"
#include "dobrobot/store/roles.h"

I18N(T_NOT_MANAGER,
    "Обещания по акции №%lld с их номерами и состоянием видят и отмечают "
    "её автор, организаторы её организации и администраторы. Кто помогает "
    "— /report %lld. Ваши акции — /actions",
    "The pledges of action #%lld, with their numbers and states, are seen "
    "and marked by its author, the organisers of its organisation and "
    "admins. Who helps — /report %lld. Your actions — /actions")
I18N(T_NO_SUCH_ACTION, "Акции №%lld нет. Открытые акции — /actions",
    "There is no action #%lld. Open actions — /actions")

bool
can_manage_action(const struct handler_ctx *ctx, const struct action *a)
{
	if (ctx->role >= ROLE_ADMIN || a->author_id == ctx->user.id)
		return true;
	/* An organisation's organisers share its actions: whoever is at the
	 * shelter when the blankets arrive marks them received. */
	return ctx->role >= ROLE_ORGANISER && a->org_id != 0 &&
	    orgs_is_member(ctx->st, a->org_id, ctx->user.id) == 1;
}

int
managed_action(struct handler_ctx *ctx, const struct action *a)
{
	if (can_manage_action(ctx, a))
		return 1;
	return reply_text(ctx, NULL, &T_NOT_MANAGER, (long long)a->id,
	           (long long)a->id) < 0
	    ? -1
	    : 0;
}

int
action_from_args(struct handler_ctx *ctx, const struct i18n_pair *usage,
    struct action *a, const char **rest)
{
	int64_t id;
	memset(a, 0, sizeof *a);
	if (parse_id(ctx->cmd.args, &id, rest) < 0)
		return reply_text(ctx, NULL, usage) < 0 ? -1 : 0;
	int rc = actions_load(ctx->st, id, a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action %lld",
		    (long long)id);
	if (rc == 0)
		return reply_text(ctx, NULL, &T_NO_SUCH_ACTION, (long long)id) <
		        0
		    ? -1
		    : 0;
	return 1;
}
