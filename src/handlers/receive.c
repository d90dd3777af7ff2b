/* Receiving pledges: /received records what came (pledge_receive, also
 * behind /close's «received» buttons), thanks the person and answers the
 * organiser. Volunteers' attendance lives here too, as the time pledge's
 * way of receiving: `/received <pledge>` on a time pledge without the
 * hours asks the organiser how many hours the volunteer gave — quick
 * buttons, a typed number, «без часов» — or that they did not come (the
 * pledge then lapses: only confirmed help counts in anyone's record). The
 * answer goes through pledge_receive with the hours, so the receipt, the
 * thank-you and the reply are the same as for
 * `/received <pledge> <hours>`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/expiry.h"
#include "actions.h"
#include "pledges.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/reminders.h"
#include "dobrobot/core/utf8.h"

#define RECEIVE_HOURS_MAX 1000
#define HOURS_MAX 1000

I18N(T_AT_ASK,
    "Сколько часов помогал(а) %s на акции «%s» (обещание №%lld)? Нажмите "
    "кнопку или напишите число, например: <i>3</i>.\n"
    "Если часы неизвестны — «Без часов». Если волонтёр не пришёл(ла) — «Не "
    "пришёл(ла)»: тогда обещание перестанет учитываться.",
    "How many hours did %s help at «%s» (pledge #%lld)? Tap a button or "
    "write a number, for example: <i>3</i>.\n"
    "If you do not know the hours — «No hours». If the volunteer did not "
    "come — «Did not come»: the pledge then stops counting.")
I18N(T_AT_ASK_GROUP_TAIL, "\nИли сразу: /received %lld <i>часы</i>",
    "\nOr at once: /received %lld <i>hours</i>")
I18N(T_AT_B_HOURS, "%d ч", "%d h")
I18N(T_AT_B_NONE, "Без часов", "No hours")
I18N(T_AT_B_ABSENT, "🙅 Не пришёл(ла)", "🙅 Did not come")
I18N(T_AT_AGAIN,
    "Напишите число часов от 1 до %d, например: <i>3</i>, или «-», если "
    "часы неизвестны. Выйти — /cancel",
    "Please write the hours as a number from 1 to %d, for example: "
    "<i>3</i>, or «-» if you do not know them. Leave — /cancel")
I18N(T_AT_ABSENT,
    "Отметил: %s не пришёл(ла) — обещание №%lld больше не учитывается. "
    "Все обещания акции — /pledges %lld",
    "Recorded: %s did not come — pledge #%lld no longer counts. All the "
    "action's pledges — /pledges %lld")
I18N(T_AT_DONE_SHORT, "Записано", "Recorded")
I18N(T_AT_ANSWERED, "⏱ Обещание №%lld: ответ записан.",
    "⏱ Pledge #%lld: the answer is recorded.")
I18N(T_AT_SETTLED, "Это обещание уже отмечено или отменено.",
    "This pledge is already recorded or taken back.")

I18N(T_RECEIVED_USAGE,
    "Напишите номер обещания и, если пришло другое количество, сколько "
    "пришло, например: /received 15 или /received 15 700",
    "Please give the pledge's number and, if a different amount came, how "
    "much, for example: /received 15 or /received 15 700")
I18N(T_NO_PLEDGE, "Обещания №%lld нет.", "There is no pledge #%lld.")
I18N(T_RECEIVE_WITHDRAWN,
    "Обещание №%lld отменено его автором — отметить его полученным нельзя.",
    "Pledge #%lld was taken back by its author — it cannot be marked "
    "received.")
I18N(T_RECEIVE_LAPSED,
    "Обещание №%lld помечено как не пришедшее — отметить его полученным "
    "нельзя.",
    "Pledge #%lld is marked as never having come — it cannot be marked "
    "received.")
I18N(T_RECEIVE_ALREADY, "Обещание №%lld уже отмечено полученным: %s.",
    "Pledge #%lld is already marked received: %s.")
I18N(T_RECEIVE_QTY,
    "Количество — целое число от 1 до %d, например: /received %lld 4",
    "The quantity is a whole number from 1 to %d, for example: /received "
    "%lld 4")
I18N(T_RECEIVE_HOURS,
    "Для волонтёра можно указать часы — целое число от 1 до %d, например: "
    "/received %lld 3",
    "For a volunteer you may give the hours — a whole number from 1 to %d, "
    "for example: /received %lld 3")
I18N(T_RECEIVE_MONEY, "%s\nКак написать: /received %lld 700",
    "%s\nHow to write it: /received %lld 700")
I18N(T_RECEIVED_OK, "✅ Обещание №%lld отмечено полученным: %s, %s%s. %s",
    "✅ Pledge #%lld is recorded as received: %s, %s%s. %s")
I18N(T_RECEIVED_CAME, " → пришло %s", " → came %s")
I18N(T_RECEIVED_HOURS, " → %lld ч", " → %lld h")
I18N(T_RECEIVED_THANKED, "Я поблагодарил участника.",
    "I thanked the participant.")
I18N(T_RECEIVED_NOT_THANKED,
    "Поблагодарить участника в чате не получится: он остановил бота.",
    "I cannot thank the participant in chat: they stopped the bot.")
I18N(T_THANKS_MONEY,
    "🙏 %s, спасибо! Организаторы акции «%s» получили ваше пожертвование: "
    "%s. Ваш вклад в добрые дела — /my",
    "🙏 %s, thank you! The organisers of «%s» received your donation: %s. "
    "Your good deeds — /my")
I18N(T_THANKS_GOODS,
    "🙏 %s, спасибо! Организаторы акции «%s» получили то, что вы принесли: "
    "%s. Ваш вклад в добрые дела — /my",
    "🙏 %s, thank you! The organisers of «%s» received what you brought: "
    "%s. Your good deeds — /my")
I18N(T_THANKS_TIME,
    "🙏 %s, спасибо, что пришли помочь акции «%s»! Ваш вклад в добрые дела "
    "— /my",
    "🙏 %s, thank you for coming to help «%s»! Your good deeds — /my")
I18N(T_FRIEND, "друг", "friend")

int
attendance_ask(struct handler_ctx *ctx, const struct pledge *p)
{
	long long id = (long long)p->id;
	if (ctx_is_private(ctx)) {
		json_t *draft = json_pack("{s:I}", "p", (json_int_t)p->id);
		int rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id,
		    "attendance", "hours", draft, ctx->now_ms);
		json_decref(draft);
		if (rc < 0)
			return handler_fail(ctx,
			    "cannot save the conversation");
	}
	static const int quick[] = {1, 2, 3, 4, 6, 8};
	json_t *rows = json_array(), *row = json_array();
	char data[48];
	for (size_t i = 0; i < sizeof quick / sizeof quick[0]; i++) {
		struct buf label = BUF_INIT;
		i18n_appendp(&label, ctx->lang, &T_AT_B_HOURS, quick[i]);
		snprintf(data, sizeof data, "at:%lld:%d", id, quick[i]);
		json_array_append_new(row,
		    json_pack("{s:s, s:s}", "text", buf_str(&label),
		        "callback_data", data));
		buf_release(&label);
		if (json_array_size(row) == 3) {
			json_array_append_new(rows, row);
			row = json_array();
		}
	}
	json_decref(row);
	snprintf(data, sizeof data, "at:%lld:0", id);
	json_array_append_new(rows,
	    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_AT_B_NONE),
	        "callback_data", data));
	snprintf(data, sizeof data, "at:%lld:n", id);
	json_array_append_new(rows,
	    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_AT_B_ABSENT),
	        "callback_data", data));
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	struct buf text = BUF_INIT, name = BUF_INIT, title = BUF_INIT;
	pledge_display_name(&name, p, ctx->lang);
	html_escape_quoted(&title, p->action_title ? p->action_title : "");
	i18n_appendp(&text, ctx->lang, &T_AT_ASK, buf_str(&name),
	    buf_str(&title), id);
	if (!ctx_is_private(ctx))
		i18n_appendp(&text, ctx->lang, &T_AT_ASK_GROUP_TAIL, id);
	int rc = reply_html(ctx, buf_str(&text), kb);
	json_decref(kb);
	buf_release(&text);
	buf_release(&name);
	buf_release(&title);
	return rc;
}

/* Records the receipt as /received does: the hours, "-" for no hours. */
static int
receive_with_hours(struct handler_ctx *ctx, int64_t pledge_id, int hours)
{
	char what[24];
	if (hours > 0)
		snprintf(what, sizeof what, "%d", hours);
	else
		snprintf(what, sizeof what, "-");
	return pledge_receive(ctx, pledge_id, what);
}

/* The volunteer did not come: the pledge lapses. 1 done (answered), 0 not
 * in a state for it, -1. */
static int
mark_absent(struct handler_ctx *ctx, int64_t pledge_id)
{
	struct pledge p;
	int rc = pledges_load(ctx->st, pledge_id, &p);
	if (rc < 0)
		return handler_fail(ctx, "cannot load pledge");
	if (rc == 1 && p.kind == PLEDGE_TIME)
		rc = expiry_lapse_one(ctx->st, pledge_id, ctx->now_ms);
	else
		rc = 0;
	if (rc == 1 && reminders_cancel_pledge(ctx->st, pledge_id) < 0)
		rc = -1;
	if (rc < 0) {
		pledge_release(&p);
		return handler_fail(ctx, "cannot lapse pledge");
	}
	if (rc == 1) {
		struct buf name = BUF_INIT;
		pledge_display_name(&name, &p, ctx->lang);
		if (reply_text(ctx, NULL, &T_AT_ABSENT, buf_str(&name),
		        (long long)pledge_id, (long long)p.action_id) < 0)
			rc = -1;
		buf_release(&name);
	}
	pledge_release(&p);
	return rc;
}

static bool
is_absent_word(const char *folded)
{
	static const char *const words[] = {"не пришел", "не пришла",
	    "не пришел(ла)", "не пришёл", "не был", "не была", "не пришли",
	    "did not come", "absent", "no show"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(folded, words[i]) == 0)
			return true;
	return false;
}

int
attendance_on_message(struct handler_ctx *ctx)
{
	int64_t id = json_integer_value(json_object_get(ctx->conv.draft, "p"));
	if (id <= 0) {
		if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
			return handler_fail(ctx,
			    "cannot clear the conversation");
		return reply_msg(ctx, MSG_NOT_ALLOWED_ORGANISER, "received");
	}
	const char *raw = json_string_value(json_object_get(ctx->message,
	    "text"));
	if (raw == NULL)
		return reply_text(ctx, NULL, &T_AT_AGAIN, HOURS_MAX);
	char *clean = utf8_sanitize(raw, strlen(raw));
	char *text = utf8_trim(clean);
	free(clean);
	char *folded = utf8_casefold(text);
	/* "3", "3 ч", "3 часа": the number first. */
	errno = 0;
	char *end;
	long long h = strtoll(text, &end, 10);
	bool number = errno == 0 && end != text && h >= 1 && h <= HOURS_MAX &&
	    (*end == '\0' || *end == ' ');
	for (const char *q = end; number && *q; q++)
		number = !(*q >= '0' && *q <= '9');
	int rc;
	if (!number && !is_absent_word(folded) && !is_skip_word(text)) {
		rc = reply_text(ctx, NULL, &T_AT_AGAIN, HOURS_MAX);
	} else if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) <
	    0) {
		rc = handler_fail(ctx, "cannot clear the conversation");
	} else if (number) {
		rc = receive_with_hours(ctx, id, (int)h);
	} else if (is_absent_word(folded)) {
		rc = mark_absent(ctx, id);
		if (rc == 0)
			rc = reply_text(ctx, NULL, &T_AT_SETTLED);
	} else {
		rc = receive_with_hours(ctx, id, 0);
	}
	free(folded);
	free(text);
	return rc < 0 ? -1 : 0;
}

/* "at:<pledge>:<hours>", "at:<pledge>:0" (no hours), "at:<pledge>:n" (did
 * not come). */
int
attendance_on_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	errno = 0;
	char *end;
	long long id = strtoll(a, &end, 10);
	long long h = -1;
	bool absent = false;
	if (errno == 0 && end != a && id > 0 && *end == ':') {
		const char *v = end + 1;
		if (strcmp(v, "n") == 0) {
			absent = true;
		} else {
			h = strtoll(v, &end, 10);
			if (end == v || *end != '\0' || h < 0 || h > HOURS_MAX)
				h = -1;
		}
	}
	if (id <= 0 || (!absent && h < 0))
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct pledge p;
	int found = pledges_load(ctx->st, id, &p);
	if (found < 0)
		return handler_fail(ctx, "cannot load pledge");
	bool open = found == 1 && p.kind == PLEDGE_TIME &&
	    p.status == PLEDGE_PLEDGED;
	int64_t action_id = found == 1 ? p.action_id : 0;
	pledge_release(&p);
	if (!open)
		return answer_callback(ctx, tr(ctx, &T_AT_SETTLED), true);
	/* The buttons sit in the organiser's chat, but a forwarded or stale
	 * keyboard must not let another organisation's organiser decide. */
	struct action owner;
	int mine = actions_load(ctx->st, action_id, &owner);
	if (mine == 1)
		mine = can_manage_action(ctx, &owner);
	action_release(&owner);
	if (mine < 0)
		return handler_fail(ctx, "cannot check the action");
	if (mine == 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_NOT_ALLOWED), true);
	/* The question is answered: a typed answer is no longer awaited. */
	if (ctx->conv.flow != NULL &&
	    strcmp(ctx->conv.flow, "attendance") == 0 &&
	    json_integer_value(json_object_get(ctx->conv.draft, "p")) == id &&
	    conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		return handler_fail(ctx, "cannot clear the conversation");
	int rc = absent ? mark_absent(ctx, id)
	                : receive_with_hours(ctx, id, (int)h);
	if (rc < 0)
		return -1;
	if (ctx->cb_message_id != 0) {
		struct buf t = BUF_INIT;
		i18n_appendp(&t, ctx->lang, &T_AT_ANSWERED, id);
		rc = edit_html(ctx, ctx->cb_message_id, buf_str(&t), NULL);
		buf_release(&t);
	}
	if (rc == 0)
		rc = answer_callback(ctx, tr(ctx, &T_AT_DONE_SHORT), false);
	return rc;
}

/* The organiser's "actual" after the pledge id: 0 with *actual (0: as
 * promised), 1 refused (answered). */
static int
received_actual(struct handler_ctx *ctx, const struct pledge *p,
    const char *text, int64_t *actual)
{
	*actual = 0;
	if (*text == '\0')
		return 0;
	long long id = (long long)p->id;
	if (p->kind == PLEDGE_MONEY) {
		enum money_error err;
		if (money_parse(text, ctx->cfg->max_pledge_kopecks, actual,
		        &err) == 0)
			return 0;
		struct buf e = BUF_INIT;
		money_refusal(&e, err, ctx->cfg->max_pledge_kopecks, ctx->lang);
		reply_text(ctx, NULL, &T_RECEIVE_MONEY, buf_str(&e), id);
		buf_release(&e);
		return 1;
	}
	/* A volunteer who came, hours unknown ("-"; see attendance below). */
	if (p->kind == PLEDGE_TIME && is_skip_word(text))
		return 0;
	int max = p->kind == PLEDGE_GOODS ? ACTION_QUANTITY_MAX
	                                  : RECEIVE_HOURS_MAX;
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	bool ok = errno == 0 && end != text && v >= 1 && v <= max;
	for (const char *q = end; ok && *q; q++)
		ok = !(*q >= '0' && *q <= '9');
	if (ok && *end != '\0' && *end != ' ')
		ok = false;
	if (ok) {
		*actual = v;
		return 0;
	}
	reply_text(ctx, NULL,
	    p->kind == PLEDGE_GOODS ? &T_RECEIVE_QTY : &T_RECEIVE_HOURS, max,
	    id);
	return 1;
}

/* The thank-you to the person whose pledge came, in their language. */
static int
send_thanks(struct handler_ctx *ctx, const struct pledge *p)
{
	const char *lang = p->lang[0] ? p->lang : ctx->cfg->locale;
	struct buf name = BUF_INIT, title = BUF_INIT, what = BUF_INIT;
	struct buf b = BUF_INIT;
	if (p->first_name != NULL && *p->first_name != '\0')
		html_escape(&name, p->first_name);
	else
		buf_puts(&name, i18n_pick(lang, &T_FRIEND));
	html_escape_quoted(&title, p->action_title ? p->action_title : "");
	struct pledge shown = *p;
	if (p->received_amount > 0 && p->kind != PLEDGE_TIME)
		shown.amount = p->received_amount;
	pledge_describe(&what, &shown, lang);
	const struct i18n_pair *text = p->kind == PLEDGE_MONEY ? &T_THANKS_MONEY
	    : p->kind == PLEDGE_GOODS                          ? &T_THANKS_GOODS
	                                                       : &T_THANKS_TIME;
	if (p->kind == PLEDGE_TIME)
		i18n_appendp(&b, lang, text, buf_str(&name), buf_str(&title));
	else
		i18n_appendp(&b, lang, text, buf_str(&name), buf_str(&title),
		    buf_str(&what));
	int64_t id = send_html(ctx->st, p->user_id, buf_str(&b), NULL, "thanks",
	    PRIO_ANNOUNCE, ctx->update_id);
	buf_release(&name);
	buf_release(&title);
	buf_release(&what);
	buf_release(&b);
	return id < 0 ? -1 : 0;
}

/* " → пришло 700 ₽" when what came differs from what was promised;
 * " → 3 ч" for a volunteer's hours. */
static void
received_difference(struct buf *out, const struct pledge *p, const char *lang)
{
	if (p->received_amount <= 0)
		return;
	if (p->kind == PLEDGE_TIME) {
		i18n_appendp(out, lang, &T_RECEIVED_HOURS,
		    (long long)p->received_amount);
		return;
	}
	if (p->received_amount == p->amount)
		return;
	struct buf c = BUF_INIT;
	if (p->kind == PLEDGE_MONEY)
		money_format(&c, p->received_amount);
	else
		quantity_append(&c, p->received_amount, p->unit);
	i18n_appendp(out, lang, &T_RECEIVED_CAME, buf_str(&c));
	buf_release(&c);
}

int
handle_received(struct handler_ctx *ctx)
{
	int64_t id;
	const char *rest = "";
	if (parse_id(ctx->cmd.args, &id, &rest) < 0)
		return reply_text(ctx, NULL, &T_RECEIVED_USAGE);
	return pledge_receive(ctx, id, rest);
}

int
pledge_receive(struct handler_ctx *ctx, int64_t id, const char *what)
{
	struct pledge p;
	int rc = pledges_load(ctx->st, id, &p);
	if (rc < 0)
		return handler_fail(ctx, "cannot load pledge");
	if (rc == 0)
		return reply_text(ctx, NULL, &T_NO_PLEDGE, (long long)id);
	struct action owner;
	rc = actions_load(ctx->st, p.action_id, &owner);
	if (rc == 1)
		rc = managed_action(ctx, &owner);
	else if (rc == 0)
		rc = reply_text(ctx, NULL, &T_NO_PLEDGE, (long long)id) < 0 ? -1
		                                                            : 0;
	action_release(&owner);
	if (rc <= 0) {
		pledge_release(&p);
		return rc < 0 ? handler_fail(ctx, "cannot check the action")
		              : 0;
	}
	int64_t actual = 0;
	if (p.status == PLEDGE_WITHDRAWN) {
		rc = reply_text(ctx, NULL, &T_RECEIVE_WITHDRAWN, (long long)id);
	} else if (p.status == PLEDGE_LAPSED) {
		rc = reply_text(ctx, NULL, &T_RECEIVE_LAPSED, (long long)id);
	} else if (p.status == PLEDGE_RECEIVED) {
		struct buf s = BUF_INIT;
		pledge_describe_status(&s, &p, ctx->lang);
		rc = reply_text(ctx, NULL, &T_RECEIVE_ALREADY, (long long)id,
		    buf_str(&s));
		buf_release(&s);
	} else if (p.kind == PLEDGE_TIME && *what == '\0') {
		/* Attendance: how many hours, or did they not come? */
		rc = attendance_ask(ctx, &p);
	} else if (received_actual(ctx, &p, what, &actual) == 0) {
		if (actual == 0 && p.kind != PLEDGE_TIME)
			actual = p.amount;
		rc = pledges_receive(ctx->st, id, actual, ctx->user.id,
		    ctx->now_ms);
		if (rc < 0) {
			rc = handler_fail(ctx, "cannot record receipt");
		} else {
			struct pledge now;
			if (pledges_load(ctx->st, id, &now) != 1) {
				pledge_release(&p);
				return handler_fail(ctx, "pledge vanished");
			}
			bool thank = now.user_id != 0 && !now.user_blocked;
			rc = thank ? send_thanks(ctx, &now) : 0;
			if (rc < 0) {
				rc = handler_fail(ctx, "cannot send thanks");
			} else {
				struct buf name = BUF_INIT, s = BUF_INIT;
				struct buf came = BUF_INIT;
				pledge_display_name(&name, &now, ctx->lang);
				pledge_describe(&s, &now, ctx->lang);
				received_difference(&came, &now, ctx->lang);
				rc = reply_text(ctx, NULL, &T_RECEIVED_OK,
				    (long long)id, buf_str(&name), buf_str(&s),
				    buf_str(&came),
				    tr(ctx,
				        thank ? &T_RECEIVED_THANKED
				              : &T_RECEIVED_NOT_THANKED));
				buf_release(&name);
				buf_release(&s);
				buf_release(&came);
			}
			pledge_release(&now);
		}
	}
	pledge_release(&p);
	return rc;
}
