/* The steps of an action's wizard, shared by /announce (handlers/announce.c)
 * and /edit (handlers/edit.c): the table of questions, each answer's
 * validator, the draft as JSON and as an action, and the prompts with
 * their keyboards. */
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

I18N(T_AN_STEP, "<b>Шаг %d из %d.</b> ", "<b>Step %d of %d.</b> ")
I18N(T_P_TITLE,
    "Как называется акция? Коротко, до 120 знаков. Например: <i>Тёплые "
    "вещи для приюта «Надежда»</i>",
    "What is the action called? Briefly, up to 120 characters. For "
    "example: <i>Warm clothes for the Nadezhda shelter</i>")
I18N(T_P_DESCRIPTION,
    "Расскажите об акции: кому и как помогаем, что взять с собой, к кому "
    "обращаться. До 3000 знаков.",
    "Tell people about the action: whom we help and how, what to bring, "
    "whom to contact. Up to 3000 characters.")
I18N(T_P_DIRECTION, "Выберите направление акции:",
    "Choose the action's direction:")
I18N(T_P_WHEN,
    "Когда? Напишите дату и время, например: <i>30.11 15:00</i>, "
    "<i>в субботу в 10</i> или <i>завтра утром</i>.\nЕсли сбор идёт "
    "постоянно — нажмите «Без даты».",
    "When? Write the date and time, for example: <i>30.11 15:00</i>, "
    "<i>Saturday 10am</i> or <i>tomorrow 3pm</i>.\nIf the collection "
    "is ongoing, tap «No date».")
I18N(T_P_PLACE,
    "Где? Адрес или место встречи, например: <i>ул. Ленина, 12, приют "
    "«Надежда»</i>.\nЕсли места нет — нажмите «Пропустить».",
    "Where? An address or a meeting point, for example: <i>12 Lenin "
    "Street, the Nadezhda shelter</i>.\nIf there is no place, tap «Skip».")
I18N(T_P_GOAL,
    "Сколько денег нужно собрать, в рублях? Например: <i>50 000</i>.\n"
    "Если деньги не собираете — нажмите «Пропустить».",
    "How much money do you need to raise, in rubles? For example: "
    "<i>50 000</i>.\nIf you are not raising money, tap «Skip».")
I18N(T_P_GOODS,
    "Какие вещи нужны? По одной на строке, с количеством, например:\n"
    "<i>тёплые одеяла — 20 шт\nкрупа 50 кг</i>\nЕсли вещи не нужны — "
    "нажмите «Пропустить».",
    "Which goods are needed? One per line, with the quantity, for "
    "example:\n<i>warm blankets — 20 pcs\nbuckwheat 50 kg</i>\nIf no goods "
    "are needed, tap «Skip».")
I18N(T_P_VOLUNTEERS,
    "Сколько нужно волонтёров? Напишите число, например: <i>10</i>.\n"
    "Если волонтёры не нужны — нажмите «Пропустить».",
    "How many volunteers are needed? Write a number, for example: "
    "<i>10</i>.\nIf no volunteers are needed, tap «Skip».")
I18N(T_P_PAYMENT,
    "Как перевести деньги? Реквизиты, номер для СБП или ссылка на оплату, "
    "до 500 знаков. Их увидит каждый, кто пообещает деньги.\nУбрать "
    "реквизиты — кнопка ниже.",
    "How can people transfer money? Bank details, a phone number for "
    "fast payments or a payment link, up to 500 characters. Everyone who "
    "pledges money will see them.\nTo remove them, tap the button below.")
I18N(T_L_PAYMENT, "Реквизиты", "Payment details")
I18N(T_E_PAYMENT_LONG,
    "Реквизиты длиннее %d знаков (сейчас %zu). Оставьте главное: номер "
    "для СБП или ссылку на оплату.",
    "The payment details are longer than %d characters (now %zu). Keep "
    "the essentials: a phone number or a payment link.")
I18N(T_L_TITLE, "Название", "Title")
I18N(T_L_DESCRIPTION, "Описание", "Description")
I18N(T_L_DIRECTION, "Направление", "Direction")
I18N(T_L_WHEN, "Дата и время", "Date and time")
I18N(T_L_PLACE, "Место", "Place")
I18N(T_L_GOAL, "Деньги", "Money")
I18N(T_L_GOODS, "Вещи", "Goods")
I18N(T_L_VOLUNTEERS, "Волонтёры", "Volunteers")
I18N(T_B_SKIP, "Пропустить", "Skip")
I18N(T_B_REMOVE, "Убрать", "Remove")
I18N(T_B_NO_DATE, "Без даты", "No date")
I18N(T_B_BACK, "← К объявлению", "← Back to the announcement")
I18N(T_B_PREV_STEP, "← Назад", "← Back")
I18N(T_E_TITLE_EMPTY,
    "Название не может быть пустым. Например: <i>Тёплые вещи для приюта "
    "«Надежда»</i>",
    "The title cannot be empty. For example: <i>Warm clothes for the "
    "Nadezhda shelter</i>")
I18N(T_E_TITLE_LONG,
    "Название длиннее %d знаков (сейчас %zu) — сократите его, пожалуйста. "
    "Например: <i>Тёплые вещи для приюта «Надежда»</i>",
    "The title is longer than %d characters (now %zu) — please shorten it. "
    "For example: <i>Warm clothes for the Nadezhda shelter</i>")
I18N(T_E_DESCRIPTION_EMPTY,
    "Описание не может быть пустым: расскажите хотя бы в паре предложений, "
    "кому и как помогаем.",
    "The description cannot be empty: say in a sentence or two whom we help "
    "and how.")
I18N(T_E_DESCRIPTION_LONG,
    "Описание длиннее %d знаков (сейчас %zu) — сократите его, пожалуйста.",
    "The description is longer than %d characters (now %zu) — please "
    "shorten it.")
I18N(T_E_DIRECTION,
    "Такого направления нет. Выберите кнопкой или напишите одно из: %s.",
    "There is no such direction. Tap a button or write one of: %s.")
I18N(T_B_YES, "Да", "Yes")
I18N(T_B_NO, "Нет", "No")
I18N(T_E_PLACE_LONG,
    "Место длиннее %d знаков (сейчас %zu). Напишите короче, например: "
    "<i>ул. Ленина, 12</i>",
    "The place is longer than %d characters (now %zu). Please make it "
    "shorter, for example: <i>12 Lenin Street</i>")
I18N(T_E_GOAL, "%s\nЦель — от 1 до 100 000 000 ₽.",
    "%s\nThe goal is from 1 to 100 000 000 ₽.")
I18N(T_E_VOLUNTEERS,
    "Напишите число волонтёров от 1 до %d, например: <i>10</i>.",
    "Please write a number of volunteers from 1 to %d, for example: "
    "<i>10</i>.")
I18N(T_E_REQUIRED, "Этот шаг нельзя пропустить.", "This step cannot be skipped.")

/* ---- the validators ---- */

static int
accept_title(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL)
		return i18n_appendp(why, ctx->lang, &T_E_REQUIRED), 1;
	char *t = utf8_clean_input(text, true);
	size_t n = utf8_length(t, strlen(t));
	int rc = 0;
	if (n == 0) {
		i18n_appendp(why, ctx->lang, &T_E_TITLE_EMPTY);
		rc = 1;
	} else if (n > ACTION_TITLE_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_TITLE_LONG, ACTION_TITLE_MAX, n);
		rc = 1;
	} else {
		json_object_set_new(d, "title", json_string(t));
	}
	free(t);
	return rc;
}

static int
accept_description(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL)
		return i18n_appendp(why, ctx->lang, &T_E_REQUIRED), 1;
	char *t = utf8_clean_input(text, false);
	size_t n = utf8_length(t, strlen(t));
	int rc = 0;
	if (n == 0) {
		i18n_appendp(why, ctx->lang, &T_E_DESCRIPTION_EMPTY);
		rc = 1;
	} else if (n > ACTION_DESCRIPTION_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_DESCRIPTION_LONG,
		    ACTION_DESCRIPTION_MAX, n);
		rc = 1;
	} else {
		json_object_set_new(d, "description", json_string(t));
	}
	free(t);
	return rc;
}

static int
accept_direction(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	int found = -1;
	if (text != NULL) {
		char *t = utf8_clean_input(text, true);
		char *q = utf8_casefold(t);
		free(t);
		free(q);
		/* Its name, or its English label. */
		char *w = utf8_clean_input(text, true);
		found = config_direction_find(ctx->cfg, w);
		free(w);
	}
	if (found < 0) {
		struct buf list = BUF_INIT;
		for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
			if (i > 0)
				buf_puts(&list, ", ");
			html_escape(&list, config_direction_label(ctx->cfg, i,
			    ctx->lang));
		}
		i18n_appendp(why, ctx->lang, &T_E_DIRECTION, buf_str(&list));
		buf_release(&list);
		return 1;
	}
	json_object_set_new(d, "direction",
	    json_string(ctx->cfg->directions[found]));
	return 0;
}

static int
accept_place(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "place", json_null());
		return 0;
	}
	char *t = utf8_clean_input(text, true);
	size_t n = utf8_length(t, strlen(t));
	int rc = 0;
	if (n == 0) {
		json_object_set_new(d, "place", json_null());
	} else if (n > ACTION_PLACE_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_PLACE_LONG, ACTION_PLACE_MAX, n);
		rc = 1;
	} else {
		json_object_set_new(d, "place", json_string(t));
	}
	free(t);
	return rc;
}

static int
accept_goal(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "goal", json_integer(0));
		return 0;
	}
	int64_t k;
	enum money_error err;
	if (money_parse(text, ACTION_GOAL_MAX_KOPECKS, &k, &err) < 0) {
		struct buf e = BUF_INIT;
		html_escape(&e, money_error_text(err, ctx->lang));
		i18n_appendp(why, ctx->lang, &T_E_GOAL, buf_str(&e));
		buf_release(&e);
		return 1;
	}
	json_object_set_new(d, "goal", json_integer((json_int_t)k));
	return 0;
}

/* "10", "10 человек"; no other numbers after it. */
static int
parse_count(const char *text, int64_t max, int64_t *out)
{
	char *t = utf8_trim(text);
	const char *p = t;
	int rc = -1;
	if (*p >= '0' && *p <= '9') {
		errno = 0;
		char *end;
		long long v = strtoll(p, &end, 10);
		bool rest_ok = *end == '\0' || *end == ' ';
		for (const char *q = end; *q && rest_ok; q++)
			rest_ok = !(*q >= '0' && *q <= '9');
		if (errno == 0 && rest_ok && v >= 1 && v <= max) {
			*out = v;
			rc = 0;
		}
	}
	free(t);
	return rc;
}

static int
accept_volunteers(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "volunteers", json_integer(0));
		return 0;
	}
	int64_t v;
	if (parse_count(text, ACTION_VOLUNTEERS_MAX, &v) < 0) {
		i18n_appendp(why, ctx->lang, &T_E_VOLUNTEERS,
		    ACTION_VOLUNTEERS_MAX);
		return 1;
	}
	json_object_set_new(d, "volunteers", json_integer((json_int_t)v));
	return 0;
}

static int
accept_payment(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "payment", json_null());
		return 0;
	}
	char *t = utf8_clean_input(text, false);
	size_t n = utf8_length(t, strlen(t));
	int rc = 0;
	if (n == 0) {
		json_object_set_new(d, "payment", json_null());
	} else if (n > ACTION_PAYMENT_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_PAYMENT_LONG,
		    ACTION_PAYMENT_MAX, n);
		rc = 1;
	} else {
		json_object_set_new(d, "payment", json_string(t));
	}
	free(t);
	return rc;
}

const struct step announce_steps[ST_COUNT] = {
    [ST_TITLE] = {"title", &T_P_TITLE, &T_L_TITLE, false, accept_title},
    [ST_DESCRIPTION] = {"description", &T_P_DESCRIPTION, &T_L_DESCRIPTION,
	false, accept_description},
    [ST_DIRECTION] = {"direction", &T_P_DIRECTION, &T_L_DIRECTION, false,
	accept_direction},
    [ST_WHEN] = {"when", &T_P_WHEN, &T_L_WHEN, true, announce_accept_when},
    [ST_PLACE] = {"place", &T_P_PLACE, &T_L_PLACE, true, accept_place},
    [ST_GOAL] = {"goal", &T_P_GOAL, &T_L_GOAL, true, accept_goal},
    [ST_GOODS] = {"goods", &T_P_GOODS, &T_L_GOODS, true,
	announce_accept_goods},
    [ST_VOLUNTEERS] = {"volunteers", &T_P_VOLUNTEERS, &T_L_VOLUNTEERS, true,
	accept_volunteers},
    [ST_PAYMENT] = {"payment", &T_P_PAYMENT, &T_L_PAYMENT, true,
	accept_payment},
};

int
announce_step_index(const char *name)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (name != NULL && strcmp(announce_steps[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- drafts and actions ---- */

/* Replaces a's fields with the draft's (a's id, author and totals stay). */
void
announce_draft_to_action(json_t *d, struct action *a)
{
	free(a->title);
	free(a->description);
	free(a->direction);
	free(a->place);
	free(a->org_name);
	a->org_id = announce_draft_int(d, "org_id");
	a->org_name = xstrdup(announce_draft_str(d, "org"));
	a->title = xstrdup(announce_draft_str(d, "title")
	        ? announce_draft_str(d, "title")
	        : "");
	a->description = xstrdup(announce_draft_str(d, "description") ?
	    announce_draft_str(d, "description") : "");
	a->direction = xstrdup(announce_draft_str(d, "direction") ?
	    announce_draft_str(d, "direction") : "");
	a->place = xstrdup(announce_draft_str(d, "place"));
	free(a->payment);
	a->payment = xstrdup(announce_draft_str(d, "payment"));
	free(a->poster_file_id);
	a->poster_file_id = xstrdup(announce_draft_str(d, "poster"));
	a->starts_at = announce_draft_int(d, "starts_at");
	a->goal_kopecks = announce_draft_int(d, "goal");
	a->volunteers_needed = announce_draft_int(d, "volunteers");
	for (size_t i = 0; i < a->n_needs; i++) {
		free(a->needs[i].item);
		free(a->needs[i].unit);
	}
	free(a->needs);
	a->needs = NULL;
	a->n_needs = 0;
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(d, "goods"), i, g) {
		struct action_need *n =
		    action_add_need(a, announce_draft_str(g, "item"),
		        announce_draft_str(g, "unit"),
		        announce_draft_int(g, "qty"));
		n->id = announce_draft_int(g, "id");
	}
}

json_t *
announce_action_to_draft(const struct action *a)
{
	json_t *goods = json_array();
	for (size_t i = 0; i < a->n_needs; i++)
		json_array_append_new(goods, json_pack("{s:s, s:s?, s:I, s:I}",
		    "item", a->needs[i].item, "unit", a->needs[i].unit, "qty",
		    (json_int_t)a->needs[i].quantity, "id",
		    (json_int_t)a->needs[i].id));
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?, s:I, s:o, s:I, s:I,"
	                 " s:s?, s:s?}",
	    "id", (json_int_t)a->id, "title", a->title, "description",
	    a->description, "direction", a->direction, "starts_at",
	    (json_int_t)a->starts_at, "place", a->place, "goal",
	    (json_int_t)a->goal_kopecks, "goods", goods, "volunteers",
	    (json_int_t)a->volunteers_needed, "org_id", (json_int_t)a->org_id,
	    "org", a->org_name, "payment", a->payment);
}

/* ---- prompts ---- */

/* The keyboard under a step's question: directions, or the skip button of
 * an optional step ("Убрать" when editing a published action). */
static json_t *
step_keyboard_rows(struct handler_ctx *ctx, int step, bool editing);

/* The keyboard under a wizard's question: the step's own buttons, and
 * «← Назад» to the previous question from the second one on (not while
 * changing one field of a finished draft, nor in /edit). */
static json_t *
step_keyboard(struct handler_ctx *ctx, int step, bool editing)
{
	json_t *kb = step_keyboard_rows(ctx, step, editing);
	bool back = !editing && step > 0 && step < ST_ASKED &&
	    ctx->conv.flow != NULL && strcmp(ctx->conv.flow, "announce") == 0 &&
	    !json_is_true(json_object_get(ctx->conv.draft, "ret"));
	if (!back)
		return kb;
	if (kb == NULL)
		kb = json_pack("{s:[]}", "inline_keyboard");
	char data[16];
	snprintf(data, sizeof data, "an:b:%d", step);
	json_array_append_new(json_object_get(kb, "inline_keyboard"),
	    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_B_PREV_STEP),
	    "callback_data", data));
	return kb;
}

static json_t *
step_keyboard_rows(struct handler_ctx *ctx, int step, bool editing)
{
	json_t *rows = json_array();
	if (step == ST_DIRECTION) {
		json_t *row = NULL;
		for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
			char data[32];
			snprintf(data, sizeof data, "an:d:%zu", i);
			if (row == NULL)
				row = json_array();
			json_array_append_new(row, json_pack("{s:s, s:s}",
			    "text", config_direction_label(ctx->cfg, i,
			    ctx->lang), "callback_data",
			    data));
			if (json_array_size(row) == 2) {
				json_array_append_new(rows, row);
				row = NULL;
			}
		}
		if (row != NULL)
			json_array_append_new(rows, row);
	} else if (announce_steps[step].optional) {
		/* The step is in the data: an older question's button must
		 * not skip the one being asked now. */
		const struct i18n_pair *label = step == ST_WHEN ? &T_B_NO_DATE :
		    editing ? &T_B_REMOVE : &T_B_SKIP;
		char data[16];
		snprintf(data, sizeof data, "an:s:%d", step);
		json_array_append_new(rows, json_pack("[{s:s, s:s}]", "text",
		    tr(ctx, label), "callback_data", data));
	}
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return NULL;
	}
	return json_pack("{s:o}", "inline_keyboard", rows);
}

/* Asks a step's question; `intro` (may be NULL) goes before it, and the
 * step number when `numbered`. */
int
announce_ask_step(struct handler_ctx *ctx, int step, bool numbered,
    bool editing, const struct i18n_pair *intro)
{
	struct buf b = BUF_INIT;
	if (intro != NULL)
		i18n_appendp(&b, ctx->lang, intro);
	if (numbered)
		i18n_appendp(&b, ctx->lang, &T_AN_STEP, step + 1, ST_ASKED);
	i18n_appendp(&b, ctx->lang, announce_steps[step].prompt);
	json_t *kb = step_keyboard(ctx, step, editing);
	int rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&b);
	return rc;
}

int
announce_refuse_step(struct handler_ctx *ctx, int step, const struct buf *why,
    bool editing)
{
	json_t *kb = step_keyboard(ctx, step, editing);
	int rc = reply_html(ctx, buf_str(why), kb);
	json_decref(kb);
	return rc;
}

/* A step's yes/no question (the date's "Вы имели в виду 1 декабря 2027?",
 * the goods' "Понял список так: … Верно?"): "an:wy" and "an:wn" answer it
 * as "да" and "нет" would. */
int
announce_ask_yes_no(struct handler_ctx *ctx, const struct buf *question)
{
	json_t *kb = json_pack("{s:[[{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", tr(ctx, &T_B_YES), "callback_data",
	    "an:wy", "text", tr(ctx, &T_B_NO), "callback_data", "an:wn");
	int rc = reply_html(ctx, buf_str(question), kb);
	json_decref(kb);
	return rc;
}

/* Sends the list of fields to change, as buttons. */
int
announce_send_change_menu(
    struct handler_ctx *ctx, const char *text, int64_t action_id)
{
	json_t *rows = json_array();
	json_t *row = NULL;
	for (int i = 0; i < ST_COUNT; i++) {
		char data[48];
		if (action_id > 0)
			snprintf(data, sizeof data, "ae:%lld:%d",
			    (long long)action_id, i);
		else
			snprintf(data, sizeof data, "an:f:%d", i);
		if (row == NULL)
			row = json_array();
		json_array_append_new(row, json_pack("{s:s, s:s}", "text",
		    tr(ctx, announce_steps[i].label), "callback_data", data));
		if (json_array_size(row) == 2) {
			json_array_append_new(rows, row);
			row = NULL;
		}
	}
	if (row != NULL)
		json_array_append_new(rows, row);
	if (action_id == 0)
		json_array_append_new(rows, json_pack("[{s:s, s:s}]", "text",
		    tr(ctx, &T_B_BACK), "callback_data", "an:pv"));
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	int rc = reply_html(ctx, text, kb);
	json_decref(kb);
	return rc;
}

int
announce_stale(struct handler_ctx *ctx)
{
	return answer_callback(ctx, i18n_text(ctx->lang, MSG_BUTTON_STALE),
	    false);
}
