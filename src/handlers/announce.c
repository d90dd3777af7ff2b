/* /announce: the guided conversation in which an organiser writes an action
 * — title, description, direction, date, place, money goal, goods,
 * volunteers — then sees it exactly as it will be published and publishes
 * it. /edit (handlers/edit.c) changes one field of a published action with
 * the same steps (handlers/announce_steps.c). The state lives in the
 * conversations table (flows "announce" and "edit"), so a restart in the
 * middle loses nothing. */
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

I18N(T_AN_INTRO,
    "Создаём новую акцию: восемь коротких вопросов, потом я покажу "
    "объявление целиком, и вы решите, публиковать ли его. Афишу можно "
    "прислать фотографией на любом шаге. Выйти на любом шаге — /cancel\n\n",
    "Let's create a new action: eight short questions, then I will show you "
    "the whole announcement and you decide whether to publish it. You may "
    "send a poster as a photo at any step. Leave at any step — /cancel\n\n")
I18N(T_AN_POSTER_KEPT, "Афиша есть 📷 — она будет в объявлении. Продолжим.\n\n",
    "Got the poster 📷 — it goes with the announcement. Let's go on.\n\n")
I18N(T_AN_WHICH_ORG,
    "От имени какой организации объявляем акцию? Её название будет в "
    "объявлении, а её подписчики получат анонс.",
    "On behalf of which organisation is this action? Its name will be in "
    "the announcement, and its followers will get it.")
I18N(T_AN_ORG_PICK, "Выберите организацию кнопкой под вопросом.",
    "Please choose the organisation with a button under the question.")

I18N(T_CHANGE_WHAT, "Что изменить?", "What would you like to change?")
I18N(T_DATE_PASSED,
    "Дата акции уже прошла, пока объявление ждало публикации. Укажите "
    "новую.",
    "The action's date passed while the announcement was waiting. Please "
    "give a new one.")
I18N(T_PUBLISHED,
    "✅ Опубликовано! Акция №%lld. %s\nОбъявления будут обновляться по мере "
    "обещаний.\n\nОбещания — /pledges %lld\nИзменить — /edit %lld\n"
    "Завершить — /close %lld",
    "✅ Published! Action #%lld. %s\nThe announcements will update as "
    "pledges come.\n\nPledges — /pledges %lld\nChange — /edit %lld\n"
    "Close — /close %lld")
I18N(T_WENT_GROUP,
    "Объявление ушло в группу руководителей и подписчикам направления: %zu.",
    "The announcement went to the leaders' group and to the direction's "
    "subscribers: %zu.")
I18N(T_WENT_SUBSCRIBERS,
    "Группа руководителей ещё не назначена (это делает администратор), "
    "поэтому объявление ушло только подписчикам направления: %zu.",
    "No leaders' group is registered yet (an admin does that), so the "
    "announcement went only to the direction's subscribers: %zu.")

/* Who may edit: can_manage_action (access.c; close.c's T_NOT_YOURS). */

/* Puts the organisation into the draft. */
static void
draft_set_org(json_t *d, const struct org *o)
{
	json_object_set_new(d, "org_id", json_integer((json_int_t)o->id));
	json_object_set_new(d, "org", json_string(o->name));
}

/* An organiser of several organisations first says for which one the
 * action is; of one, it is that one; of none, the action is their own. */
int
handle_announce(struct handler_ctx *ctx)
{
	struct org *orgs = NULL;
	size_t n = 0;
	if (orgs_list(ctx->st, ctx->user.id, &orgs, &n) < 0)
		return handler_fail(ctx, "cannot list the organiser's orgs");
	json_t *d = json_object();
	if (n == 1)
		draft_set_org(d, &orgs[0]);
	int rc = wizard_save(ctx, announce_wizard.flow,
	    n > 1 ? "org" : announce_steps[ST_TITLE].name, d);
	json_decref(d);
	if (rc == 0 && n > 1) {
		json_t *rows = json_array();
		for (size_t i = 0; i < n; i++) {
			char data[32];
			snprintf(data, sizeof data, "an:o:%lld",
			    (long long)orgs[i].id);
			json_array_append_new(rows,
			    json_pack("[{s:s, s:s}]", "text", orgs[i].name,
			        "callback_data", data));
		}
		json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
		struct buf b = BUF_INIT;
		i18n_appendp(&b, ctx->lang, &T_AN_INTRO);
		i18n_appendp(&b, ctx->lang, &T_AN_WHICH_ORG);
		rc = reply_html(ctx, buf_str(&b), kb);
		buf_release(&b);
		json_decref(kb);
	} else if (rc == 0) {
		rc = announce_ask_step(ctx, ST_TITLE, true, false, &T_AN_INTRO);
	}
	for (size_t i = 0; i < n; i++)
		org_release(&orgs[i]);
	free(orgs);
	return rc;
}

/* "an:o:<org>": the organisation chosen; it must still be one of theirs. */
static int
announce_choose_org(struct handler_ctx *ctx, const char *arg)
{
	char *end;
	errno = 0;
	long long id = strtoll(arg, &end, 10);
	if (strcmp(ctx->conv.step, "org") != 0 || errno != 0 || *end != '\0' ||
	    end == arg || id <= 0)
		return wizard_stale(ctx);
	int member = orgs_is_member(ctx->st, id, ctx->user.id);
	if (member < 0)
		return handler_fail(ctx, "cannot check membership");
	struct org o;
	int found = member ? orgs_load(ctx->st, id, &o) : 0;
	if (found < 0)
		return handler_fail(ctx, "cannot load org %lld", id);
	if (found == 0)
		return wizard_stale(ctx);
	json_t *d = ctx->conv.draft;
	draft_set_org(d, &o);
	org_release(&o);
	if (wizard_save(ctx, announce_wizard.flow,
	        announce_steps[ST_TITLE].name, d) < 0)
		return -1;
	return announce_ask_step(ctx, ST_TITLE, true, false, NULL);
}

int
announce_on_message(struct handler_ctx *ctx)
{
	const struct wizard *w = &announce_wizard;
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	/* A poster, at whatever step it comes: kept in the draft; its
	 * caption, if any, answers the step. */
	const char *poster = report_message_photo(ctx->message);
	if (poster != NULL) {
		json_object_set_new(ctx->conv.draft, "poster",
		    json_string(poster));
		if (wizard_save(ctx, w->flow, ctx->conv.step, ctx->conv.draft) <
		    0)
			return -1;
		text = json_string_value(json_object_get(ctx->message,
		    "caption"));
		int step = announce_step_index(ctx->conv.step);
		if (wizard_at_preview(ctx))
			return wizard_show_preview(ctx, w, ctx->conv.draft);
		if (text == NULL && step >= 0)
			return announce_ask_step(ctx, step, false, false,
			    &T_AN_POSTER_KEPT);
	}
	if (ctx->conv.step != NULL && strcmp(ctx->conv.step, "org") == 0)
		return reply_text(ctx, NULL, &T_AN_ORG_PICK);
	return wizard_on_text(ctx, w, text);
}

/* Publishes the previewed draft. */
static int
announce_publish(struct handler_ctx *ctx)
{
	json_t *d = ctx->conv.draft;
	int64_t starts = announce_draft_int(d, "starts_at");
	if (starts > 0 && starts <= ctx->now_ms / 1000) {
		json_object_set_new(d, WIZARD_RETURN, json_true());
		if (wizard_save(ctx, announce_wizard.flow,
		        announce_steps[ST_WHEN].name, d) < 0)
			return -1;
		return announce_ask_step(ctx, ST_WHEN, false, false,
		    &T_DATE_PASSED);
	}
	struct action a;
	memset(&a, 0, sizeof a);
	announce_draft_to_action(d, &a);
	a.author_id = ctx->user.id;
	bool to_group = false;
	size_t subscribers = 0;
	int rc = 0;
	if (actions_insert(ctx->st, &a, ctx->now_ms) < 0 ||
	    actions_fill_contact(ctx->st, &a) < 0)
		rc = handler_fail(ctx, "cannot store the action");
	else if (action_publish(ctx->st, ctx->cfg, ctx->bot_username, &a,
	             ctx->update_id, ctx->now_ms, &to_group, &subscribers) < 0)
		rc = handler_fail(ctx, "cannot publish action %lld",
		    (long long)a.id);
	else if (wizard_clear(ctx) < 0)
		rc = -1;
	/* The preview on the organiser's screen becomes their copy of the
	 * announcement: the progress job gives it the number, the pledge
	 * buttons, and then the live totals. */
	else if (ctx->cb_message_id != 0 &&
	    announcements_add(ctx->st, a.id, ctx->chat_id, ctx->cb_message_id,
	        0, ctx->now_ms) < 0)
		rc = handler_fail(ctx, "cannot record the preview");
	if (rc == 0) {
		struct buf where = BUF_INIT;
		i18n_appendp(&where, ctx->lang,
		    to_group ? &T_WENT_GROUP : &T_WENT_SUBSCRIBERS,
		    subscribers);
		long long id = (long long)a.id;
		rc = reply_text(ctx, NULL, &T_PUBLISHED, id, buf_str(&where),
		    id, id, id);
		buf_release(&where);
	}
	action_release(&a);
	return rc;
}

/* "an:o:<org>" organisation, "an:s:<step>" skip, "an:d:<i>" direction,
 * "an:wy"/"an:wn" yes/no to the date's or the goods' question (these in
 * /edit too); the wizard's "an:b:<step>" back, "an:f:<i>" change a field,
 * "an:x" cancel; "an:pub", "an:chg", "an:pv". */
int
announce_on_button(struct handler_ctx *ctx)
{
	const struct wizard *w = &announce_wizard;
	const char *args = ctx->cb_args;
	const char *flow = ctx->conv.flow;
	bool wizard = wizard_is_open(ctx, w);
	bool editing = flow != NULL && strcmp(flow, "edit") == 0;
	if (!wizard && !editing)
		return wizard_stale(ctx);
	int step = announce_step_index(ctx->conv.step);

	if (strncmp(args, "s:", 2) == 0 || strncmp(args, "d:", 2) == 0) {
		const char *text = NULL;
		int i;
		int n = args[0] == 'd' ? (int)ctx->cfg->n_directions : ST_COUNT;
		if (step < 0 || wizard_parse_index(args + 2, n, &i) < 0)
			return wizard_stale(ctx);
		if (args[0] == 'd') {
			if (step != ST_DIRECTION)
				return wizard_stale(ctx);
			text = ctx->cfg->directions[i];
		} else if (i != step || !announce_steps[step].optional) {
			return wizard_stale(ctx);
		}
		return editing ? edit_answer(ctx, text)
		               : wizard_answer(ctx, w, step, text);
	}
	if (strcmp(args, "wy") == 0 || strcmp(args, "wn") == 0) {
		/* The answer to the date's or the goods' yes/no question. */
		if (!(step == ST_WHEN &&
		        json_is_object(json_object_get(ctx->conv.draft,
		            "when_ask"))) &&
		    !(step == ST_GOODS &&
		        json_is_array(json_object_get(ctx->conv.draft,
		            "goods_ask"))))
			return wizard_stale(ctx);
		const char *yes_no = args[1] == 'y' ? "да" : "нет";
		return editing ? edit_answer(ctx, yes_no)
		               : wizard_answer(ctx, w, step, yes_no);
	}
	if (!wizard)
		return wizard_stale(ctx);
	if (strncmp(args, "o:", 2) == 0)
		return announce_choose_org(ctx, args + 2);
	int rc = wizard_on_button(ctx, w, args, false);
	if (rc != 1)
		return rc;
	json_t *d = ctx->conv.draft;
	bool at_preview = wizard_at_preview(ctx);
	if (strcmp(args, "pub") == 0) {
		if (!at_preview)
			return wizard_stale(ctx);
		return announce_publish(ctx);
	}
	if (strcmp(args, "chg") == 0) {
		if (!at_preview)
			return wizard_stale(ctx);
		return announce_send_change_menu(ctx, tr(ctx, &T_CHANGE_WHAT),
		    0);
	}
	if (strcmp(args, "pv") == 0) {
		if (!at_preview &&
		    !json_is_true(json_object_get(d, WIZARD_RETURN)))
			return wizard_stale(ctx);
		return wizard_show_preview(ctx, w, d);
	}
	return wizard_stale(ctx);
}
