/* /edit: an organiser changes one field of a published action through
 * the wizard's steps (handlers/announce_steps.c); the announcements are
 * edited in place and pledgers told when the date or place moves. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/goods.h"
#include "actions.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"
#include "announce_internal.h"

I18N(T_E_TEXT_ONLY, "Пожалуйста, ответьте текстом.\n",
    "Please answer with text.\n")
I18N(T_EDIT_USAGE, "Напишите номер акции, например: /edit 12",
    "Please give the action's number, for example: /edit 12")
I18N(T_EDIT_MENU, "Что изменить в акции №%lld «%s»?",
    "What would you like to change in action #%lld «%s»?")
I18N(T_EDIT_DONE,
    "Готово: акция №%lld обновлена. Объявления обновятся в течение "
    "нескольких секунд.\nИзменить ещё — /edit %lld",
    "Done: action #%lld is updated. The announcements will update within a "
    "few seconds.\nChange more — /edit %lld")
I18N(T_EDIT_KEPT,
    "\n\nНа %s уже есть обещания, поэтому они остались в списке. Чтобы "
    "больше не собирать, укажите количество, которое уже обещано.",
    "\n\n%s already have pledges, so they stay in the list. To stop "
    "collecting them, give the quantity already pledged.")
I18N(T_NOT_YOURS_EDIT,
    "Изменять акцию №%lld могут её автор, организаторы её организации и "
    "администраторы.",
    "Only the author of action #%lld, the organisers of its organisation "
    "and admins can change it.")
I18N(T_EDIT_CLOSED, "Акция №%lld уже завершена — её нельзя изменить.",
    "Action #%lld is over — it cannot be changed.")
I18N(T_MOVED_WHEN,
    "🗓 <b>Акция «%s» переносится</b>\nБыло: %s\nСтало: %s\n\n"
    "Ваше обещание в силе. Если теперь не получится — его можно отменить "
    "в /my. Акция — /action %lld",
    "🗓 <b>The action «%s» is rescheduled</b>\nWas: %s\nNow: %s\n\n"
    "Your pledge stands. If you cannot make it now, you can take it back "
    "in /my. The action — /action %lld")
I18N(T_MOVED_PLACE,
    "📍 <b>У акции «%s» новое место</b>\nБыло: %s\nСтало: %s\n\n"
    "Ваше обещание в силе. Если теперь не получится — его можно отменить "
    "в /my. Акция — /action %lld",
    "📍 <b>The action «%s» has a new place</b>\nWas: %s\nNow: %s\n\n"
    "Your pledge stands. If you cannot make it now, you can take it back "
    "in /my. The action — /action %lld")
I18N(T_MOVED_NO_DATE, "без даты", "no date")
I18N(T_MOVED_NO_PLACE, "место не указано", "no place given")
I18N(T_MOVED_TOLD, "\nОб изменении я написал всем, кто обещал помощь: %zu.",
    "\nI told everyone who pledged about the change: %zu.")
I18N(T_EDIT_NO_ACTION, "Акции №%lld нет.", "There is no action #%lld.")

/* ---- /edit ---- */

/* Loads the action being edited and checks that it may be: 1 loaded, 0
 * answered (and the conversation cleared), -1 error. */
static int
edit_target(struct handler_ctx *ctx, int64_t id, struct action *a,
    bool from_button)
{
	int rc = actions_load(ctx->st, id, a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action %lld",
		    (long long)id);
	const struct i18n_pair *why = NULL;
	if (rc == 0)
		why = &T_EDIT_NO_ACTION;
	else if (!can_manage_action(ctx, a))
		why = &T_NOT_YOURS_EDIT;
	else if (a->closed)
		why = &T_EDIT_CLOSED;
	if (why == NULL)
		return 1;
	action_release(a);
	if (ctx->conv.flow != NULL && strcmp(ctx->conv.flow, "edit") == 0 &&
	    conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	if (from_button) {
		struct buf b = BUF_INIT;
		i18n_appendp(&b, ctx->lang, why, (long long)id);
		rc = answer_callback(ctx, buf_str(&b), true);
		buf_release(&b);
		return rc < 0 ? -1 : 0;
	}
	return reply_text(ctx, NULL, why, (long long)id) < 0 ? -1 : 0;
}

int
handle_edit(struct handler_ctx *ctx)
{
	int64_t id;
	if (parse_id(ctx->cmd.args, &id, NULL) < 0)
		return reply_text(ctx, NULL, &T_EDIT_USAGE);
	struct action a;
	int rc = edit_target(ctx, id, &a, false);
	if (rc <= 0)
		return rc;
	struct buf b = BUF_INIT, t = BUF_INIT;
	html_escape_quoted(&t, a.title);
	i18n_appendp(&b, ctx->lang, &T_EDIT_MENU, (long long)id, buf_str(&t));
	rc = announce_send_change_menu(ctx, buf_str(&b), id);
	buf_release(&b);
	buf_release(&t);
	action_release(&a);
	return rc;
}

/* "ae:<action>:<field>": asks for the new value. */
int
edit_on_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	char *end;
	errno = 0;
	long long id = strtoll(args, &end, 10);
	if (errno != 0 || end == args || *end != ':' || id <= 0)
		return wizard_stale(ctx);
	const char *f = end + 1;
	long field = strtol(f, &end, 10);
	if (errno != 0 || end == f || *end != '\0' || field < 0 ||
	    field >= ST_COUNT)
		return wizard_stale(ctx);
	struct action a;
	int rc = edit_target(ctx, id, &a, true);
	if (rc <= 0)
		return rc;
	action_release(&a);
	json_t *d = json_pack("{s:I}", "id", (json_int_t)id);
	rc = wizard_save(ctx, "edit", announce_steps[field].name, d);
	json_decref(d);
	if (rc < 0)
		return rc;
	return announce_ask_step(ctx, (int)field, false, true, NULL);
}

/* The new goods list keeps the ids of the needs it names again (so their
 * pledges stay with them); needs it drops that already have pledges are
 * kept, and their names listed in *kept. */
static int
merge_needs(struct handler_ctx *ctx, const struct action *old, struct action *a,
    struct buf *kept)
{
	for (size_t i = 0; i < a->n_needs; i++) {
		char *fi = utf8_casefold(a->needs[i].item);
		for (size_t j = 0; j < old->n_needs; j++) {
			char *fj = utf8_casefold(old->needs[j].item);
			if (strcmp(fi, fj) == 0)
				a->needs[i].id = old->needs[j].id;
			free(fj);
		}
		free(fi);
	}
	for (size_t j = 0; j < old->n_needs; j++) {
		bool named = false;
		for (size_t i = 0; i < a->n_needs; i++)
			named = named || a->needs[i].id == old->needs[j].id;
		if (named)
			continue;
		int has = actions_need_has_pledges(ctx->st, old->needs[j].id);
		if (has < 0)
			return -1;
		if (has == 0)
			continue;
		struct action_need *n = action_add_need(a, old->needs[j].item,
		    old->needs[j].unit, old->needs[j].quantity);
		n->id = old->needs[j].id;
		if (kept->len > 0)
			buf_puts(kept, ", ");
		buf_puts(kept, "«");
		html_escape(kept, old->needs[j].item);
		buf_puts(kept, "»");
	}
	return 0;
}

static void
moved_value(struct buf *out, int step, int64_t starts_at, const char *place,
    const char *lang)
{
	if (step == ST_WHEN && starts_at > 0)
		when_format(out, (time_t)starts_at, lang);
	else if (step == ST_WHEN)
		i18n_appendp(out, lang, &T_MOVED_NO_DATE);
	else if (place != NULL && *place != '\0')
		html_escape(out, place);
	else
		i18n_appendp(out, lang, &T_MOVED_NO_PLACE);
}

/* A new date or place reaches everyone whose pledge is still to be kept
 * (one message per person, in their language, with the old and the new
 * value). *told gets how many. Returns 0 or -1. */
static int
tell_pledgers_moved(struct handler_ctx *ctx, const struct action *a, int step,
    int64_t old_starts, const char *old_place, size_t *told)
{
	*told = 0;
	struct pledge *list = NULL;
	size_t n = 0;
	if (pledges_of_action(ctx->st, a->id, &list, &n) < 0)
		return -1;
	int64_t *seen = xcalloc(n + 1, sizeof *seen);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct pledge *p = &list[i];
		if (p->status != PLEDGE_PLEDGED || p->user_id == 0 ||
		    p->user_blocked || p->user_id == ctx->user.id)
			continue;
		bool dup = false;
		for (size_t j = 0; j < *told && !dup; j++)
			dup = seen[j] == p->user_id;
		if (dup)
			continue;
		seen[(*told)++] = p->user_id;
		const char *lang = p->lang[0] ? p->lang : ctx->cfg->locale;
		struct buf t = BUF_INIT, was = BUF_INIT, now = BUF_INIT;
		struct buf b = BUF_INIT;
		html_escape_quoted(&t, a->title);
		moved_value(&was, step, old_starts, old_place, lang);
		moved_value(&now, step, a->starts_at, a->place, lang);
		i18n_appendp(&b, lang,
		    step == ST_WHEN ? &T_MOVED_WHEN : &T_MOVED_PLACE,
		    buf_str(&t), buf_str(&was), buf_str(&now),
		    (long long)a->id);
		if (send_html(ctx->st, p->user_id, buf_str(&b), NULL, "notice",
		        PRIO_ANNOUNCE, ctx->update_id) < 0)
			rc = -1;
		buf_release(&t);
		buf_release(&was);
		buf_release(&now);
		buf_release(&b);
	}
	free(seen);
	pledges_free(list, n);
	return rc;
}

/* A new value for the field being edited: checked by the wizard's
 * validator, then written to the action, whose announcements follow. */
int
edit_answer(struct handler_ctx *ctx, const char *text)
{
	int step = announce_step_index(ctx->conv.step);
	int64_t id = announce_draft_int(ctx->conv.draft, "id");
	if (step < 0)
		return wizard_stale(ctx);
	struct action a;
	int rc = edit_target(ctx, id, &a, false);
	if (rc <= 0)
		return rc;
	json_t *d = announce_action_to_draft(&a);
	struct buf why = BUF_INIT, kept = BUF_INIT;
	rc = announce_steps[step].accept(ctx, step, d, text, &why);
	if (rc == 1 || rc == 2) {
		rc = rc == 2 ? announce_ask_yes_no(ctx, &why)
		             : announce_refuse_step(ctx, step, &why, true);
		goto out;
	}
	if (rc < 0)
		goto out;
	struct action old;
	memset(&old, 0, sizeof old);
	int64_t old_starts = a.starts_at;
	char *old_place = a.place != NULL ? xstrdup(a.place) : NULL;
	old.needs = a.needs;
	old.n_needs = a.n_needs;
	a.needs = NULL;
	a.n_needs = 0;
	announce_draft_to_action(d, &a);
	rc = step == ST_GOODS ? merge_needs(ctx, &old, &a, &kept) : 0;
	if (step != ST_GOODS) {
		/* Other fields leave the needs as they were, ids and all. */
		for (size_t i = 0; i < a.n_needs; i++) {
			free(a.needs[i].item);
			free(a.needs[i].unit);
		}
		free(a.needs);
		a.needs = old.needs;
		a.n_needs = old.n_needs;
		old.needs = NULL;
		old.n_needs = 0;
	}
	action_release(&old);
	if (rc < 0 || actions_update(ctx->st, &a, ctx->now_ms) < 0) {
		free(old_place);
		rc = handler_fail(ctx, "cannot update action %lld",
		    (long long)id);
		goto out;
	}
	bool moved = (step == ST_WHEN && a.starts_at != old_starts) ||
	    (step == ST_PLACE &&
	        strcmp(a.place ? a.place : "", old_place ? old_place : "") !=
	            0);
	size_t told = 0;
	rc = moved
	    ? tell_pledgers_moved(ctx, &a, step, old_starts, old_place, &told)
	    : 0;
	free(old_place);
	if (rc < 0) {
		rc = handler_fail(ctx, "cannot tell the pledgers");
		goto out;
	}
	if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0) {
		rc = handler_fail(ctx, "cannot clear the conversation");
		goto out;
	}
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang, &T_EDIT_DONE, (long long)id, (long long)id);
	if (kept.len > 0)
		i18n_appendp(&b, ctx->lang, &T_EDIT_KEPT, buf_str(&kept));
	if (told > 0)
		i18n_appendp(&b, ctx->lang, &T_MOVED_TOLD, told);
	rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
out:
	buf_release(&why);
	buf_release(&kept);
	json_decref(d);
	action_release(&a);
	return rc;
}

int
edit_on_message(struct handler_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	if (text == NULL) {
		int step = announce_step_index(ctx->conv.step);
		if (step < 0)
			return wizard_stale(ctx);
		return announce_ask_step(ctx, step, false, true,
		    &T_E_TEXT_ONLY);
	}
	return edit_answer(ctx, text);
}
