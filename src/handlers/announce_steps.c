/* The steps of an action's wizard, shared by /announce (handlers/announce.c)
 * and /edit (handlers/edit.c): the table of questions and the /announce
 * wizard over it (handlers/wizard.c walks it), each answer's validator, the
 * direction's buttons, and the preview (here, beside the wizard that points
 * to it). */
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
I18N(T_P_DIRECTION,
    "Выберите направление акции:", "Choose the action's direction:")
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
I18N(T_E_REQUIRED, "Этот шаг нельзя пропустить.",
    "This step cannot be skipped.")
I18N(T_PV_POSTER,
    "\n📷 С афишей: в группе объявление придёт фотографией с подписью.",
    "\n📷 With the poster: the group gets the announcement as a photo with "
    "a caption.")
I18N(T_PV_PAYMENT_HINT,
    "\nРеквизиты для перевода можно добавить: «Изменить» → «Реквизиты» — "
    "их увидит каждый, кто пообещает деньги.",
    "\nYou can add payment details: «Change» → «Payment details» — "
    "everyone who pledges money will see them.")
I18N(T_B_PUBLISH, "✅ Опубликовать", "✅ Publish")
I18N(T_B_CHANGE, "✏️ Изменить", "✏️ Change")
I18N(T_B_CANCEL, "✖️ Отменить", "✖️ Cancel")
I18N(T_E_TEXT_ONLY, "Пожалуйста, ответьте текстом.\n",
    "Please answer with text.\n")
I18N(T_PV_HEAD,
    "Проверьте объявление — так его увидят группа руководителей и "
    "подписчики направления. Номер акции появится после публикации.",
    "Please check the announcement — this is how the leaders' group and the "
    "direction's subscribers will see it. The action gets its number when "
    "published.")
I18N(T_PV_SHORTENED,
    "\n\n⚠️ Объявление не помещается в одно сообщение Telegram, поэтому "
    "описание сокращено. Лучше сократите его сами: «Изменить» → "
    "«Описание».",
    "\n\n⚠️ The announcement does not fit in one Telegram message, so the "
    "description is shortened. Better shorten it yourself: «Change» → "
    "«Description».")
I18N(T_PV_BUTTONS,
    "Нажмите кнопку под объявлением: «Опубликовать», «Изменить» или "
    "«Отменить».",
    "Please tap a button under the announcement: «Publish», «Change» or "
    "«Cancel».")
I18N(T_DRAFT_CANCELLED,
    "Хорошо, объявление не опубликовано. Начать заново — /announce",
    "OK, the announcement was not published. Start again — /announce")

/* ---- the validators ---- */

static int
accept_title(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)step;
	if (text == NULL)
		return i18n_appendp(why, ctx->lang, &T_E_REQUIRED), 1;
	char *t = utf8_clean_input(text, true);
	size_t n = utf8_length(t, strlen(t));
	int rc = 0;
	if (n == 0) {
		i18n_appendp(why, ctx->lang, &T_E_TITLE_EMPTY);
		rc = 1;
	} else if (n > ACTION_TITLE_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_TITLE_LONG, ACTION_TITLE_MAX,
		    n);
		rc = 1;
	} else {
		json_object_set_new(d, "title", json_string(t));
	}
	free(t);
	return rc;
}

static int
accept_description(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why)
{
	(void)step;
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
accept_direction(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)step;
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
			html_escape(&list,
			    config_direction_label(ctx->cfg, i, ctx->lang));
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
accept_place(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)step;
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
		i18n_appendp(why, ctx->lang, &T_E_PLACE_LONG, ACTION_PLACE_MAX,
		    n);
		rc = 1;
	} else {
		json_object_set_new(d, "place", json_string(t));
	}
	free(t);
	return rc;
}

static int
accept_goal(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)step;
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
accept_volunteers(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why)
{
	(void)step;
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
accept_payment(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)step;
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

/* The direction's buttons, two to a row: "an:d:<i>". */
static void direction_buttons(struct handler_ctx *ctx, json_t *rows);

const struct wizard_step announce_steps[ST_COUNT] = {
    [ST_TITLE] = {.name = "title",
        .prompt = &T_P_TITLE,
        .label = &T_L_TITLE,
        .accept = accept_title},
    [ST_DESCRIPTION] = {.name = "description",
        .prompt = &T_P_DESCRIPTION,
        .label = &T_L_DESCRIPTION,
        .accept = accept_description},
    [ST_DIRECTION] = {.name = "direction",
        .prompt = &T_P_DIRECTION,
        .label = &T_L_DIRECTION,
        .accept = accept_direction,
        .buttons = direction_buttons},
    [ST_WHEN] = {.name = "when",
        .prompt = &T_P_WHEN,
        .label = &T_L_WHEN,
        .optional = true,
        .accept = announce_accept_when,
        .skip_label = &T_B_NO_DATE},
    [ST_PLACE] = {.name = "place",
        .prompt = &T_P_PLACE,
        .label = &T_L_PLACE,
        .optional = true,
        .accept = accept_place},
    [ST_GOAL] = {.name = "goal",
        .prompt = &T_P_GOAL,
        .label = &T_L_GOAL,
        .optional = true,
        .accept = accept_goal},
    [ST_GOODS] = {.name = "goods",
        .prompt = &T_P_GOODS,
        .label = &T_L_GOODS,
        .optional = true,
        .accept = announce_accept_goods},
    [ST_VOLUNTEERS] = {.name = "volunteers",
        .prompt = &T_P_VOLUNTEERS,
        .label = &T_L_VOLUNTEERS,
        .optional = true,
        .accept = accept_volunteers},
    [ST_PAYMENT] = {.name = "payment",
        .prompt = &T_P_PAYMENT,
        .label = &T_L_PAYMENT,
        .optional = true,
        .accept = accept_payment},
};

const struct wizard announce_wizard = {
    .flow = "announce",
    .prefix = "an",
    .steps = announce_steps,
    .n_asked = ST_ASKED,
    .n_steps = ST_COUNT,
    .counter = &T_AN_STEP,
    .skip_verb = 's',
    .skip = &T_B_SKIP,
    .remove = &T_B_REMOVE,
    .back = &T_B_PREV_STEP,
    .refuse_with_buttons = true,
    .preview = announce_preview,
    .yes_no = announce_ask_yes_no,
    .use_buttons = &T_PV_BUTTONS,
    .text_only = &T_E_TEXT_ONLY,
    .cancelled = &T_DRAFT_CANCELLED,
};

int
announce_step_index(const char *name)
{
	return wizard_step_index(&announce_wizard, name);
}

/* ---- prompts ---- */

static void
direction_buttons(struct handler_ctx *ctx, json_t *rows)
{
	json_t *choices = json_array();
	for (size_t i = 0; i < ctx->cfg->n_directions; i++) {
		char data[32];
		snprintf(data, sizeof data, "an:d:%zu", i);
		json_array_append_new(choices,
		    callback_button(config_direction_label(ctx->cfg, i,
		                        ctx->lang),
		        data));
	}
	buttons_two_per_row(rows, choices);
}

int
announce_ask_step(struct handler_ctx *ctx, int step, bool numbered,
    bool editing, const struct i18n_pair *intro)
{
	return wizard_ask(ctx, &announce_wizard, step, numbered, editing,
	    intro);
}

int
announce_refuse_step(struct handler_ctx *ctx, int step, const struct buf *why,
    bool editing)
{
	return wizard_refuse(ctx, &announce_wizard, step, why, editing);
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
announce_send_change_menu(struct handler_ctx *ctx, const char *text,
    int64_t action_id)
{
	json_t *rows = json_array();
	json_t *fields = json_array();
	for (int i = 0; i < ST_COUNT; i++) {
		char data[48];
		if (action_id > 0)
			snprintf(data, sizeof data, "ae:%lld:%d",
			    (long long)action_id, i);
		else
			snprintf(data, sizeof data, "an:f:%d", i);
		json_array_append_new(fields,
		    callback_button(tr(ctx, announce_steps[i].label), data));
	}
	buttons_two_per_row(rows, fields);
	if (action_id == 0)
		json_array_append_new(rows,
		    json_pack("[{s:s, s:s}]", "text", tr(ctx, &T_B_BACK),
		        "callback_data", "an:pv"));
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	int rc = reply_html(ctx, text, kb);
	json_decref(kb);
	return rc;
}

/* ---- the preview ---- */

/* Shows the draft exactly as it will be published, with the buttons that
 * publish, change or cancel it. */
int
announce_preview(struct handler_ctx *ctx, json_t *d)
{
	struct action a;
	memset(&a, 0, sizeof a);
	announce_draft_to_action(d, &a);
	a.author_id = ctx->user.id;
	if (actions_fill_contact(ctx->st, &a) < 0) {
		action_release(&a);
		return handler_fail(ctx, "cannot load the contacts");
	}
	struct buf b = BUF_INIT;
	int shortened = action_render(&b, &a, ctx->lang);
	action_release(&a);
	struct buf head = BUF_INIT;
	i18n_appendp(&head, ctx->lang, &T_PV_HEAD);
	if (shortened == 1)
		i18n_appendp(&head, ctx->lang, &T_PV_SHORTENED);
	if (announce_draft_int(d, "goal") > 0 &&
	    announce_draft_str(d, "payment") == NULL)
		i18n_appendp(&head, ctx->lang, &T_PV_PAYMENT_HINT);
	if (announce_draft_str(d, "poster") != NULL)
		i18n_appendp(&head, ctx->lang, &T_PV_POSTER);
	json_t *kb = json_pack("{s:[[{s:s, s:s}], [{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", tr(ctx, &T_B_PUBLISH), "callback_data",
	    "an:pub", "text", tr(ctx, &T_B_CHANGE), "callback_data", "an:chg",
	    "text", tr(ctx, &T_B_CANCEL), "callback_data", "an:x");
	int rc = reply_html(ctx, buf_str(&head), NULL);
	if (rc == 0)
		rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&head);
	buf_release(&b);
	return rc;
}
