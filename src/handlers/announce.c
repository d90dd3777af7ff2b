/* /announce: the guided conversation in which an organiser writes an action
 * — title, description, direction, date, place, money goal, goods,
 * volunteers — then sees it exactly as it will be published and publishes
 * it. /edit changes one field of a published action with the same step
 * validators. The state lives in the conversations table (flows "announce"
 * and "edit"), so a restart in the middle loses nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/goods.h"
#include "dobrobot/handlers_actions.h"
#include "dobrobot/handlers_trust.h"
#include "dobrobot/html.h"
#include "dobrobot/money.h"
#include "dobrobot/orgs.h"
#include "dobrobot/outbox.h"
#include "dobrobot/pledges.h"
#include "dobrobot/utf8.h"
#include "dobrobot/when.h"
#include "dobrobot/xalloc.h"

I18N(T_AN_INTRO,
    "Создаём новую акцию: восемь коротких вопросов, потом я покажу "
    "объявление целиком, и вы решите, публиковать ли его. Афишу можно "
    "прислать фотографией на любом шаге. Выйти на любом шаге — /cancel\n\n",
    "Let's create a new action: eight short questions, then I will show you "
    "the whole announcement and you decide whether to publish it. You may "
    "send a poster as a photo at any step. Leave at any step — /cancel\n\n")
I18N(T_AN_POSTER_KEPT,
    "Афиша есть 📷 — она будет в объявлении. Продолжим.\n\n",
    "Got the poster 📷 — it goes with the announcement. Let's go on.\n\n")
I18N(T_PV_POSTER,
    "\n📷 С афишей: в группе объявление придёт фотографией с подписью.",
    "\n📷 With the poster: the group gets the announcement as a photo with "
    "a caption.")
I18N(T_AN_WHICH_ORG,
    "От имени какой организации объявляем акцию? Её название будет в "
    "объявлении, а её подписчики получат анонс.",
    "On behalf of which organisation is this action? Its name will be in "
    "the announcement, and its followers will get it.")
I18N(T_AN_ORG_PICK, "Выберите организацию кнопкой под вопросом.",
    "Please choose the organisation with a button under the question.")
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
I18N(T_PV_PAYMENT_HINT,
    "\nРеквизиты для перевода можно добавить: «Изменить» → «Реквизиты» — "
    "их увидит каждый, кто пообещает деньги.",
    "\nYou can add payment details: «Change» → «Payment details» — "
    "everyone who pledges money will see them.")
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
I18N(T_B_PUBLISH, "✅ Опубликовать", "✅ Publish")
I18N(T_B_CHANGE, "✏️ Изменить", "✏️ Change")
I18N(T_B_CANCEL, "✖️ Отменить", "✖️ Cancel")
I18N(T_B_BACK, "← К объявлению", "← Back to the announcement")
I18N(T_B_PREV_STEP, "← Назад", "← Back")

I18N(T_E_TEXT_ONLY, "Пожалуйста, ответьте текстом.\n",
    "Please answer with text.\n")
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
I18N(T_E_WHEN, "%s\nЕсли даты нет — нажмите «Без даты».",
    "%s\nIf there is no date, tap «No date».")
I18N(T_WHEN_ASK_TIME,
    "Записал день: %s. Во сколько начало? Например: <i>10:00</i> или "
    "<i>в 10</i>.",
    "Got the day: %s. What time does it start? For example: <i>10:00</i> "
    "or <i>10am</i>.")
I18N(T_WHEN_ASK_DAY,
    "Время — %02d:%02d. А какого числа? Например: <i>25.12</i> или "
    "<i>в субботу</i>.",
    "The time is %02d:%02d. And which day? For example: <i>25.12</i> or "
    "<i>Saturday</i>.")
I18N(T_WHEN_PAST_ASK, "%s уже прошло. Вы имели в виду %s?",
    "%s has already passed. Did you mean %s?")
I18N(T_WHEN_AGAIN,
    "Хорошо. Напишите дату ещё раз, например: <i>30.11 15:00</i> или "
    "<i>завтра в 10</i>.",
    "OK. Please send the date again, for example: <i>30.11 15:00</i> or "
    "<i>tomorrow 10am</i>.")
I18N(T_WHEN_DEFAULT_HOUR,
    "🗓 Записал: %s — точное время не указано, поставил %02d:%02d. Если "
    "нужно другое, измените дату в конце («Изменить»).",
    "🗓 Noted: %s — no exact time was given, so I put %02d:%02d. If you "
    "need another, change the date at the end («Change»).")
I18N(T_WHEN_TAKEN, "🗓 Записал: %s.", "🗓 Noted: %s.")
I18N(T_GOODS_ASK_HEAD, "Понял список так:\n", "I read the list as:\n")
I18N(T_GOODS_ASK_TAIL,
    "Верно? Если через запятую — разные вещи, нажмите «Нет» и напишите "
    "каждую на своей строке с количеством.",
    "Is that right? If the commas separate different things, tap «No» and "
    "write each on its own line with its quantity.")
I18N(T_GOODS_AGAIN,
    "Хорошо. Напишите список ещё раз: по одной вещи на строке, с "
    "количеством, например:\n<i>тёплые одеяла — 20 шт\nкрупа 50 кг</i>",
    "OK. Please send the list again: one thing per line, with the "
    "quantity, for example:\n<i>тёплые одеяла — 20 шт\nкрупа 50 кг</i>")
I18N(T_B_YES, "Да", "Yes")
I18N(T_B_NO, "Нет", "No")
I18N(T_E_PLACE_LONG,
    "Место длиннее %d знаков (сейчас %zu). Напишите короче, например: "
    "<i>ул. Ленина, 12</i>",
    "The place is longer than %d characters (now %zu). Please make it "
    "shorter, for example: <i>12 Lenin Street</i>")
I18N(T_E_GOAL, "%s\nЦель — от 1 до 100 000 000 ₽.",
    "%s\nThe goal is from 1 to 100 000 000 ₽.")
I18N(T_E_GOODS_LINE,
    "Строка %zu («%s»): %s\nИсправьте её и пришлите весь список ещё раз.",
    "Line %zu («%s»): %s\nPlease fix it and send the whole list again.")
I18N(T_E_GOODS_MANY,
    "Слишком много позиций — не больше %d. Объедините похожие вещи или "
    "оставьте самое нужное.",
    "Too many items — at most %d. Please merge similar things or keep the "
    "most needed.")
I18N(T_E_GOODS_DUP,
    "«%s» в списке дважды — объедините эти строки в одну.",
    "«%s» is in the list twice — please merge those lines into one.")
I18N(T_E_VOLUNTEERS,
    "Напишите число волонтёров от 1 до %d, например: <i>10</i>.",
    "Please write a number of volunteers from 1 to %d, for example: "
    "<i>10</i>.")
I18N(T_E_REQUIRED, "Этот шаг нельзя пропустить.", "This step cannot be skipped.")

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
I18N(T_CHANGE_WHAT, "Что изменить?", "What would you like to change?")
I18N(T_DATE_PASSED,
    "Дата акции уже прошла, пока объявление ждало публикации. Укажите "
    "новую.",
    "The action's date passed while the announcement was waiting. Please "
    "give a new one.")
I18N(T_DRAFT_CANCELLED,
    "Хорошо, объявление не опубликовано. Начать заново — /announce",
    "OK, the announcement was not published. Start again — /announce")
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
/* Who may edit: can_manage_action (access.c; close.c's T_NOT_YOURS). */
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
I18N(T_MOVED_TOLD,
    "\nОб изменении я написал всем, кто обещал помощь: %zu.",
    "\nI told everyone who pledged about the change: %zu.")
I18N(T_EDIT_NO_ACTION, "Акции №%lld нет.", "There is no action #%lld.")

enum step_id {
	ST_TITLE,
	ST_DESCRIPTION,
	ST_DIRECTION,
	ST_WHEN,
	ST_PLACE,
	ST_GOAL,
	ST_GOODS,
	ST_VOLUNTEERS,
	/* Fields the wizard does not ask for (the preview's «Изменить» and
	 * /edit offer them): how to pay. */
	ST_PAYMENT,
	ST_COUNT
};
/* The questions the wizard asks, one after another. */
#define ST_ASKED ST_PAYMENT

/* Checks an answer and stores it in the draft: 0 accepted, 1 refused (why
 * says why, with an example, or asks for the rest of a half answer), 2 a
 * yes/no question in why. text NULL: the skip button. */
typedef int (*step_accept_fn)(struct handler_ctx *ctx, json_t *draft,
    const char *text, struct buf *why);

struct step {
	const char *name;
	const struct i18n_pair *prompt;
	const struct i18n_pair *label;
	bool optional;
	step_accept_fn accept;
};

static int save(struct handler_ctx *ctx, const char *flow, const char *step,
    json_t *d);
static const char *draft_str(json_t *d, const char *key);
static int64_t draft_int(json_t *d, const char *key);

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

/* The date step remembers, in the conversation's draft, a day given
 * without a time ("when_day"), a time given without a day ("when_time"),
 * and a day gone this year that it asked about ("when_ask"), so that "25
 * декабря" then "10:00" make one date. In /edit the draft under `d` is
 * rebuilt from the action for every answer, so these live in ctx->conv. */
static void
when_forget(struct handler_ctx *ctx)
{
	json_object_del(ctx->conv.draft, "when_day");
	json_object_del(ctx->conv.draft, "when_time");
	json_object_del(ctx->conv.draft, "when_ask");
}

static int
when_keep(struct handler_ctx *ctx, const char *key, const struct when_parts *p)
{
	json_t *v = json_pack("{s:i, s:i, s:i, s:b, s:i, s:i, s:b}", "y",
	    p->year, "m", p->month, "d", p->day, "t", p->has_time, "h",
	    p->hour, "min", p->minute, "def", p->default_hour);
	json_object_set_new(ctx->conv.draft, key, v);
	return save(ctx, ctx->conv.flow, ctx->conv.step, ctx->conv.draft);
}

/* What when_keep stored under key, if anything. */
static bool
when_kept(struct handler_ctx *ctx, const char *key, struct when_parts *p)
{
	json_t *v = json_object_get(ctx->conv.draft, key);
	if (!json_is_object(v))
		return false;
	memset(p, 0, sizeof *p);
	p->year = (int)json_integer_value(json_object_get(v, "y"));
	p->month = (int)json_integer_value(json_object_get(v, "m"));
	p->day = (int)json_integer_value(json_object_get(v, "d"));
	p->has_day = p->month >= 1 && p->month <= 12 && p->day >= 1;
	p->has_time = json_is_true(json_object_get(v, "t"));
	p->hour = (int)json_integer_value(json_object_get(v, "h"));
	p->minute = (int)json_integer_value(json_object_get(v, "min"));
	p->default_hour = json_is_true(json_object_get(v, "def"));
	return true;
}

static void
when_refusal(struct handler_ctx *ctx, enum when_error err, struct buf *why)
{
	struct buf e = BUF_INIT;
	html_escape(&e, when_error_text(err, ctx->lang));
	i18n_appendp(why, ctx->lang, &T_E_WHEN, buf_str(&e));
	buf_release(&e);
}

/* A day and a time, both known: the date is taken, and the organiser told
 * what the bot understood when it assumed an hour («утром» is 10:00) or,
 * with `stated`, put it together from two answers. */
static int
when_accept_parts(struct handler_ctx *ctx, json_t *d,
    const struct when_parts *p, bool stated, struct buf *why)
{
	time_t t;
	enum when_error err;
	if (when_combine(p, (time_t)(ctx->now_ms / 1000), &t, &err) < 0) {
		when_forget(ctx);
		if (save(ctx, ctx->conv.flow, ctx->conv.step,
		    ctx->conv.draft) < 0)
			return -1;
		when_refusal(ctx, err, why);
		return 1;
	}
	when_forget(ctx);
	json_object_set_new(d, "starts_at", json_integer((json_int_t)t));
	if (p->default_hour || stated) {
		struct buf when = BUF_INIT;
		when_format_at(&when, t, (time_t)(ctx->now_ms / 1000),
		    ctx->lang);
		int rc = p->default_hour ?
		    reply_text(ctx, NULL, &T_WHEN_DEFAULT_HOUR, buf_str(&when),
			p->hour, p->minute) :
		    reply_text(ctx, NULL, &T_WHEN_TAKEN, buf_str(&when));
		buf_release(&when);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Asks "1 декабря уже прошло. Вы имели в виду 1 декабря 2027?" with yes and
 * no buttons; p holds next year's day. */
static int
when_ask_year(struct handler_ctx *ctx, const struct when_parts *p,
    struct buf *why)
{
	struct buf gone = BUF_INIT, meant = BUF_INIT;
	time_t now = (time_t)(ctx->now_ms / 1000);
	struct when_parts this_year = *p;
	/* The day as typed (this year's, so shown without a year), then
	 * next year's, with it. */
	this_year.year--;
	when_format_day(&gone, this_year.year, p->month, p->day, now, false,
	    ctx->lang);
	when_format_day(&meant, p->year, p->month, p->day, now, false,
	    ctx->lang);
	i18n_appendp(why, ctx->lang, &T_WHEN_PAST_ASK, buf_str(&gone),
	    buf_str(&meant));
	buf_release(&gone);
	buf_release(&meant);
	return when_keep(ctx, "when_ask", p) < 0 ? -1 : 2;
}

static int
accept_when(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	struct when_parts p, kept;
	enum when_error err;
	time_t now = (time_t)(ctx->now_ms / 1000);
	bool combined = false;

	/* The answer to "Вы имели в виду 1 декабря 2027?" ("нет" there is
	 * not the skip word). */
	if (text != NULL && when_kept(ctx, "when_ask", &kept)) {
		int yes = when_yes_no(text);
		if (yes >= 0) {
			json_object_del(ctx->conv.draft, "when_ask");
			if (yes == 0) {
				if (save(ctx, ctx->conv.flow, ctx->conv.step,
				    ctx->conv.draft) < 0)
					return -1;
				i18n_appendp(why, ctx->lang, &T_WHEN_AGAIN);
				return 1;
			}
			p = kept;
			combined = true;
			goto have_parts;
		}
		json_object_del(ctx->conv.draft, "when_ask");
	}
	if (text == NULL || is_skip_word(text)) {
		when_forget(ctx);
		json_object_set_new(d, "starts_at", json_integer(0));
		return 0;
	}
	when_read(text, now, &p, &err);
	switch (err) {
	case WHEN_OK:
		break;
	case WHEN_PAST_DATE:
		return when_ask_year(ctx, &p, why);
	case WHEN_NO_DATE:
		/* A time after a day given alone: "25 декабря", "10:00". */
		if (when_kept(ctx, "when_day", &kept) && kept.has_day) {
			kept.has_time = true;
			kept.hour = p.hour;
			kept.minute = p.minute;
			kept.default_hour = p.default_hour;
			p = kept;
			combined = true;
			break;
		}
		json_object_del(ctx->conv.draft, "when_day");
		if (when_keep(ctx, "when_time", &p) < 0)
			return -1;
		i18n_appendp(why, ctx->lang, &T_WHEN_ASK_DAY, p.hour, p.minute);
		return 1;
	case WHEN_NO_TIME:
		goto have_parts;
	default:
		when_refusal(ctx, err, why);
		return 1;
	}
have_parts:
	if (p.has_day && !p.has_time && when_kept(ctx, "when_time", &kept) &&
	    kept.has_time) {
		/* A day after a time given alone: "в 10", "в субботу". */
		p.has_time = true;
		p.hour = kept.hour;
		p.minute = kept.minute;
		p.default_hour = kept.default_hour;
		combined = true;
	}
	if (!p.has_time) {
		struct buf day = BUF_INIT;
		json_object_del(ctx->conv.draft, "when_time");
		if (when_keep(ctx, "when_day", &p) < 0) {
			buf_release(&day);
			return -1;
		}
		when_format_day(&day, p.year, p.month, p.day, now, true,
		    ctx->lang);
		i18n_appendp(why, ctx->lang, &T_WHEN_ASK_TIME, buf_str(&day));
		buf_release(&day);
		return 1;
	}
	return when_accept_parts(ctx, d, &p, combined, why);
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

/* Adds one good (a line, or a part of one) to the list: 0 added, 1
 * refused with why. */
static int
goods_add(struct handler_ctx *ctx, json_t *goods, const char *t,
    size_t line_no, struct buf *why)
{
	struct goods_line g;
	enum goods_error err;
	int rc = 0;
	if (goods_parse_line(t, ACTION_QUANTITY_MAX, &g, &err) < 0) {
		struct buf l = BUF_INIT, e = BUF_INIT;
		char *shown = utf8_sanitize(t, utf8_prefix_bytes(t, strlen(t),
		    60));
		html_escape(&l, shown);
		html_escape(&e, goods_error_text(err, ctx->lang));
		i18n_appendp(why, ctx->lang, &T_E_GOODS_LINE, line_no,
		    buf_str(&l), buf_str(&e));
		free(shown);
		buf_release(&l);
		buf_release(&e);
		return 1;
	}
	if (json_array_size(goods) >= ACTION_NEEDS_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_GOODS_MANY, ACTION_NEEDS_MAX);
		goods_line_release(&g);
		return 1;
	}
	char *folded = utf8_casefold(g.item);
	size_t i;
	json_t *prev;
	json_array_foreach(goods, i, prev) {
		char *pf = utf8_casefold(json_string_value(
		    json_object_get(prev, "item")));
		bool same = strcmp(pf, folded) == 0;
		free(pf);
		if (same) {
			struct buf e = BUF_INIT;
			html_escape(&e, g.item);
			i18n_appendp(why, ctx->lang, &T_E_GOODS_DUP,
			    buf_str(&e));
			buf_release(&e);
			rc = 1;
			break;
		}
	}
	free(folded);
	if (rc == 0)
		json_array_append_new(goods, json_pack("{s:s, s:s?, s:I}",
		    "item", g.item, "unit", g.unit, "qty",
		    (json_int_t)g.quantity));
	goods_line_release(&g);
	return rc;
}

/* "Понял так: • одеяла, подушки — 20 шт. Верно?" for a list with a line
 * goods_split_line was unsure about; the list waits in the conversation
 * ("goods_ask") for the answer. Returns 2 (a yes/no question) or -1. */
static int
goods_ask(struct handler_ctx *ctx, json_t *goods, struct buf *why)
{
	size_t i;
	json_t *g;
	i18n_appendp(why, ctx->lang, &T_GOODS_ASK_HEAD);
	json_array_foreach(goods, i, g) {
		const char *unit = draft_str(g, "unit");
		buf_puts(why, "• ");
		html_escape(why, draft_str(g, "item"));
		buf_printf(why, " — %lld", (long long)draft_int(g, "qty"));
		if (unit != NULL) {
			buf_putc(why, ' ');
			html_escape(why, unit);
		}
		buf_putc(why, '\n');
	}
	i18n_appendp(why, ctx->lang, &T_GOODS_ASK_TAIL);
	json_object_set(ctx->conv.draft, "goods_ask", goods);
	return save(ctx, ctx->conv.flow, ctx->conv.step, ctx->conv.draft) < 0 ?
	    -1 : 2;
}

static int
accept_goods(struct handler_ctx *ctx, json_t *d, const char *text,
    struct buf *why)
{
	/* The answer to "Понял так: … Верно?". */
	json_t *asked = json_object_get(ctx->conv.draft, "goods_ask");
	if (text != NULL && json_is_array(asked)) {
		int yes = when_yes_no(text);
		if (yes == 1)
			json_object_set(d, "goods", asked);
		json_object_del(ctx->conv.draft, "goods_ask");
		if (yes == 1)
			return 0;
		if (yes == 0) {
			if (save(ctx, ctx->conv.flow, ctx->conv.step,
			    ctx->conv.draft) < 0)
				return -1;
			i18n_appendp(why, ctx->lang, &T_GOODS_AGAIN);
			return 1;
		}
	}
	json_object_del(ctx->conv.draft, "goods_ask");
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "goods", json_array());
		return 0;
	}
	json_t *goods = json_array();
	char *all = xstrdup(text);
	char *save_ptr = NULL;
	size_t line_no = 0;
	bool unsure = false;
	int rc = 0;
	for (char *line = strtok_r(all, "\n", &save_ptr);
	    line != NULL && rc == 0; line = strtok_r(NULL, "\n", &save_ptr)) {
		line_no++;
		char **parts;
		size_t n;
		/* «одеяла 20 шт, крупа 50 кг»: two goods on one line. */
		if (goods_split_line(line, &parts, &n) == GOODS_SPLIT_UNSURE)
			unsure = true;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (*parts[i] != '\0')
				rc = goods_add(ctx, goods, parts[i], line_no,
				    why);
		}
		goods_parts_free(parts, n);
	}
	free(all);
	if (rc == 0 && unsure && json_array_size(goods) > 0)
		rc = goods_ask(ctx, goods, why);
	else if (rc == 0)
		json_object_set(d, "goods", goods);
	json_decref(goods);
	return rc;
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

static const struct step steps[ST_COUNT] = {
    [ST_TITLE] = {"title", &T_P_TITLE, &T_L_TITLE, false, accept_title},
    [ST_DESCRIPTION] = {"description", &T_P_DESCRIPTION, &T_L_DESCRIPTION,
	false, accept_description},
    [ST_DIRECTION] = {"direction", &T_P_DIRECTION, &T_L_DIRECTION, false,
	accept_direction},
    [ST_WHEN] = {"when", &T_P_WHEN, &T_L_WHEN, true, accept_when},
    [ST_PLACE] = {"place", &T_P_PLACE, &T_L_PLACE, true, accept_place},
    [ST_GOAL] = {"goal", &T_P_GOAL, &T_L_GOAL, true, accept_goal},
    [ST_GOODS] = {"goods", &T_P_GOODS, &T_L_GOODS, true, accept_goods},
    [ST_VOLUNTEERS] = {"volunteers", &T_P_VOLUNTEERS, &T_L_VOLUNTEERS, true,
	accept_volunteers},
    [ST_PAYMENT] = {"payment", &T_P_PAYMENT, &T_L_PAYMENT, true,
	accept_payment},
};

static int
step_index(const char *name)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (name != NULL && strcmp(steps[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- drafts and actions ---- */

static const char *
draft_str(json_t *d, const char *key)
{
	return json_string_value(json_object_get(d, key));
}

static int64_t
draft_int(json_t *d, const char *key)
{
	return json_integer_value(json_object_get(d, key));
}

/* Replaces a's fields with the draft's (a's id, author and totals stay). */
static void
draft_to_action(json_t *d, struct action *a)
{
	free(a->title);
	free(a->description);
	free(a->direction);
	free(a->place);
	free(a->org_name);
	a->org_id = draft_int(d, "org_id");
	a->org_name = xstrdup(draft_str(d, "org"));
	a->title = xstrdup(draft_str(d, "title") ? draft_str(d, "title") : "");
	a->description = xstrdup(draft_str(d, "description") ?
	    draft_str(d, "description") : "");
	a->direction = xstrdup(draft_str(d, "direction") ?
	    draft_str(d, "direction") : "");
	a->place = xstrdup(draft_str(d, "place"));
	free(a->payment);
	a->payment = xstrdup(draft_str(d, "payment"));
	free(a->poster_file_id);
	a->poster_file_id = xstrdup(draft_str(d, "poster"));
	a->starts_at = draft_int(d, "starts_at");
	a->goal_kopecks = draft_int(d, "goal");
	a->volunteers_needed = draft_int(d, "volunteers");
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
		struct action_need *n = action_add_need(a,
		    draft_str(g, "item"), draft_str(g, "unit"),
		    draft_int(g, "qty"));
		n->id = draft_int(g, "id");
	}
}

static json_t *
action_to_draft(const struct action *a)
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
	} else if (steps[step].optional) {
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
static int
ask_step(struct handler_ctx *ctx, int step, bool numbered, bool editing,
    const struct i18n_pair *intro)
{
	struct buf b = BUF_INIT;
	if (intro != NULL)
		i18n_appendp(&b, ctx->lang, intro);
	if (numbered)
		i18n_appendp(&b, ctx->lang, &T_AN_STEP, step + 1, ST_ASKED);
	i18n_appendp(&b, ctx->lang, steps[step].prompt);
	json_t *kb = step_keyboard(ctx, step, editing);
	int rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&b);
	return rc;
}

static int
refuse_step(struct handler_ctx *ctx, int step, const struct buf *why,
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
static int
ask_yes_no(struct handler_ctx *ctx, const struct buf *question)
{
	json_t *kb = json_pack("{s:[[{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", tr(ctx, &T_B_YES), "callback_data",
	    "an:wy", "text", tr(ctx, &T_B_NO), "callback_data", "an:wn");
	int rc = reply_html(ctx, buf_str(question), kb);
	json_decref(kb);
	return rc;
}

static int
save(struct handler_ctx *ctx, const char *flow, const char *step, json_t *d)
{
	if (conversation_save(ctx->st, ctx->user.id, ctx->chat_id, flow, step,
	    d, ctx->now_ms) < 0)
		return handler_fail(ctx, "cannot save the conversation");
	return 0;
}

/* Shows the draft exactly as it will be published, with the buttons that
 * publish, change or cancel it. */
static int
show_preview(struct handler_ctx *ctx, json_t *d)
{
	json_object_del(d, "ret");
	if (save(ctx, "announce", "preview", d) < 0)
		return -1;
	struct action a;
	memset(&a, 0, sizeof a);
	draft_to_action(d, &a);
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
	if (draft_int(d, "goal") > 0 && draft_str(d, "payment") == NULL)
		i18n_appendp(&head, ctx->lang, &T_PV_PAYMENT_HINT);
	if (draft_str(d, "poster") != NULL)
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

/* After an accepted answer: the next question, or the preview when the
 * organiser was changing one field of a finished draft. */
static int
announce_next(struct handler_ctx *ctx, json_t *d, int step)
{
	if (json_is_true(json_object_get(d, "ret")) || step + 1 >= ST_ASKED)
		return show_preview(ctx, d);
	if (save(ctx, "announce", steps[step + 1].name, d) < 0)
		return -1;
	return ask_step(ctx, step + 1, true, false, NULL);
}

/* An answer (text, or NULL for the skip button) to the wizard's current
 * step. */
static int
announce_answer(struct handler_ctx *ctx, const char *text)
{
	int step = step_index(ctx->conv.step);
	if (step < 0)
		return reply_text(ctx, NULL, &T_PV_BUTTONS);
	json_t *d = ctx->conv.draft;
	struct buf why = BUF_INIT;
	int rc = steps[step].accept(ctx, d, text, &why);
	if (rc == 1)
		rc = refuse_step(ctx, step, &why, false);
	else if (rc == 2)
		rc = ask_yes_no(ctx, &why);
	else if (rc == 0)
		rc = announce_next(ctx, d, step);
	buf_release(&why);
	return rc;
}

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
	int rc = save(ctx, "announce", n > 1 ? "org" : steps[ST_TITLE].name, d);
	json_decref(d);
	if (rc == 0 && n > 1) {
		json_t *rows = json_array();
		for (size_t i = 0; i < n; i++) {
			char data[32];
			snprintf(data, sizeof data, "an:o:%lld",
			    (long long)orgs[i].id);
			json_array_append_new(rows, json_pack("[{s:s, s:s}]",
			    "text", orgs[i].name, "callback_data", data));
		}
		json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
		struct buf b = BUF_INIT;
		i18n_appendp(&b, ctx->lang, &T_AN_INTRO);
		i18n_appendp(&b, ctx->lang, &T_AN_WHICH_ORG);
		rc = reply_html(ctx, buf_str(&b), kb);
		buf_release(&b);
		json_decref(kb);
	} else if (rc == 0) {
		rc = ask_step(ctx, ST_TITLE, true, false, &T_AN_INTRO);
	}
	for (size_t i = 0; i < n; i++)
		org_release(&orgs[i]);
	free(orgs);
	return rc;
}

static int stale(struct handler_ctx *ctx);

/* "an:o:<org>": the organisation chosen; it must still be one of theirs. */
static int
announce_choose_org(struct handler_ctx *ctx, const char *arg)
{
	char *end;
	errno = 0;
	long long id = strtoll(arg, &end, 10);
	if (strcmp(ctx->conv.step, "org") != 0 || errno != 0 || *end != '\0' ||
	    end == arg || id <= 0)
		return stale(ctx);
	int member = orgs_is_member(ctx->st, id, ctx->user.id);
	if (member < 0)
		return handler_fail(ctx, "cannot check membership");
	struct org o;
	int found = member ? orgs_load(ctx->st, id, &o) : 0;
	if (found < 0)
		return handler_fail(ctx, "cannot load org %lld", id);
	if (found == 0)
		return stale(ctx);
	json_t *d = ctx->conv.draft;
	draft_set_org(d, &o);
	org_release(&o);
	if (save(ctx, "announce", steps[ST_TITLE].name, d) < 0)
		return -1;
	return ask_step(ctx, ST_TITLE, true, false, NULL);
}

int
announce_on_message(struct handler_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	/* A poster, at whatever step it comes: kept in the draft; its
	 * caption, if any, answers the step. */
	const char *poster = report_message_photo(ctx->message);
	if (poster != NULL) {
		json_object_set_new(ctx->conv.draft, "poster",
		    json_string(poster));
		if (save(ctx, "announce", ctx->conv.step, ctx->conv.draft) < 0)
			return -1;
		text = json_string_value(json_object_get(ctx->message,
		    "caption"));
		int step = step_index(ctx->conv.step);
		if (ctx->conv.step != NULL &&
		    strcmp(ctx->conv.step, "preview") == 0)
			return show_preview(ctx, ctx->conv.draft);
		if (text == NULL && step >= 0)
			return ask_step(ctx, step, false, false,
			    &T_AN_POSTER_KEPT);
	}
	if (ctx->conv.step != NULL && strcmp(ctx->conv.step, "org") == 0)
		return reply_text(ctx, NULL, &T_AN_ORG_PICK);
	if (text == NULL) {
		int step = step_index(ctx->conv.step);
		if (step < 0)
			return reply_text(ctx, NULL, &T_PV_BUTTONS);
		return ask_step(ctx, step, false, false, &T_E_TEXT_ONLY);
	}
	return announce_answer(ctx, text);
}

/* Publishes the previewed draft. */
static int
announce_publish(struct handler_ctx *ctx)
{
	json_t *d = ctx->conv.draft;
	int64_t starts = draft_int(d, "starts_at");
	if (starts > 0 && starts <= ctx->now_ms / 1000) {
		json_object_set_new(d, "ret", json_true());
		if (save(ctx, "announce", steps[ST_WHEN].name, d) < 0)
			return -1;
		return ask_step(ctx, ST_WHEN, false, false, &T_DATE_PASSED);
	}
	struct action a;
	memset(&a, 0, sizeof a);
	draft_to_action(d, &a);
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
	else if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
		rc = handler_fail(ctx, "cannot clear the conversation");
	/* The preview on the organiser's screen becomes their copy of the
	 * announcement: the progress job gives it the number, the pledge
	 * buttons, and then the live totals. */
	else if (ctx->cb_message_id != 0 && announcements_add(ctx->st, a.id,
	    ctx->chat_id, ctx->cb_message_id, 0, ctx->now_ms) < 0)
		rc = handler_fail(ctx, "cannot record the preview");
	if (rc == 0) {
		struct buf where = BUF_INIT;
		i18n_appendp(&where, ctx->lang, to_group ? &T_WENT_GROUP :
		    &T_WENT_SUBSCRIBERS, subscribers);
		long long id = (long long)a.id;
		rc = reply_text(ctx, NULL, &T_PUBLISHED, id, buf_str(&where), id,
		    id, id);
		buf_release(&where);
	}
	action_release(&a);
	return rc;
}

/* Sends the list of fields to change, as buttons. */
static int
send_change_menu(struct handler_ctx *ctx, const char *text, int64_t action_id)
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
		    tr(ctx, steps[i].label), "callback_data", data));
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

static int edit_answer(struct handler_ctx *ctx, const char *text);

/* "an:o:<org>" organisation, "an:s:<step>" skip, "an:d:<i>" direction,
 * "an:wy"/"an:wn" yes/no to the date's or the goods' question,
 * "an:pub", "an:chg", "an:f:<i>", "an:pv", "an:x". */
int
announce_on_button(struct handler_ctx *ctx)
{
	const char *args = ctx->cb_args;
	const char *flow = ctx->conv.flow;
	bool wizard = flow != NULL && strcmp(flow, "announce") == 0;
	bool editing = flow != NULL && strcmp(flow, "edit") == 0;
	if (!wizard && !editing)
		return stale(ctx);
	int step = step_index(ctx->conv.step);

	if (strncmp(args, "s:", 2) == 0 || strncmp(args, "d:", 2) == 0) {
		const char *text = NULL;
		if (step < 0)
			return stale(ctx);
		char *end;
		errno = 0;
		long i = strtol(args + 2, &end, 10);
		if (args[0] == 's' && (errno != 0 || *end != '\0' ||
		    end == args + 2 || i != step))
			return stale(ctx);
		if (args[0] == 'd') {
			if (step != ST_DIRECTION || errno != 0 || *end != '\0' ||
			    end == args + 2 || i < 0 ||
			    i >= (long)ctx->cfg->n_directions)
				return stale(ctx);
			text = ctx->cfg->directions[i];
		} else if (!steps[step].optional) {
			return stale(ctx);
		}
		return editing ? edit_answer(ctx, text) :
		    announce_answer(ctx, text);
	}
	if (strcmp(args, "wy") == 0 || strcmp(args, "wn") == 0) {
		/* The answer to the date's or the goods' yes/no question. */
		if (!(step == ST_WHEN && json_is_object(json_object_get(
		    ctx->conv.draft, "when_ask"))) &&
		    !(step == ST_GOODS && json_is_array(json_object_get(
		    ctx->conv.draft, "goods_ask"))))
			return stale(ctx);
		const char *yes_no = args[1] == 'y' ? "да" : "нет";
		return editing ? edit_answer(ctx, yes_no) :
		    announce_answer(ctx, yes_no);
	}
	if (!wizard)
		return stale(ctx);
	if (strncmp(args, "o:", 2) == 0)
		return announce_choose_org(ctx, args + 2);
	if (strncmp(args, "b:", 2) == 0) {
		/* «← Назад»: the previous question again, answers kept. */
		char *end;
		errno = 0;
		long i = strtol(args + 2, &end, 10);
		if (step < 1 || errno != 0 || *end != '\0' || end == args + 2 ||
		    i != step || step >= ST_ASKED)
			return stale(ctx);
		if (save(ctx, "announce", steps[step - 1].name,
		    ctx->conv.draft) < 0)
			return -1;
		free(ctx->conv.step);
		ctx->conv.step = xstrdup(steps[step - 1].name);
		return ask_step(ctx, step - 1, true, false, NULL);
	}
	json_t *d = ctx->conv.draft;
	bool at_preview = strcmp(ctx->conv.step, "preview") == 0;
	if (strcmp(args, "pub") == 0) {
		if (!at_preview)
			return stale(ctx);
		return announce_publish(ctx);
	}
	if (strcmp(args, "chg") == 0) {
		if (!at_preview)
			return stale(ctx);
		return send_change_menu(ctx, tr(ctx, &T_CHANGE_WHAT), 0);
	}
	if (strncmp(args, "f:", 2) == 0) {
		char *end;
		errno = 0;
		long i = strtol(args + 2, &end, 10);
		if (!at_preview || errno != 0 || *end != '\0' || i < 0 ||
		    i >= ST_COUNT)
			return stale(ctx);
		json_object_set_new(d, "ret", json_true());
		if (save(ctx, "announce", steps[i].name, d) < 0)
			return -1;
		return ask_step(ctx, (int)i, false, false, NULL);
	}
	if (strcmp(args, "pv") == 0) {
		if (!at_preview && !json_is_true(json_object_get(d, "ret")))
			return stale(ctx);
		return show_preview(ctx, d);
	}
	if (strcmp(args, "x") == 0) {
		if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
			return handler_fail(ctx, "cannot clear the conversation");
		return reply_text(ctx, NULL, &T_DRAFT_CANCELLED);
	}
	return stale(ctx);
}

static int
stale(struct handler_ctx *ctx)
{
	return answer_callback(ctx, i18n_text(ctx->lang, MSG_BUTTON_STALE),
	    false);
}

/* ---- /edit ---- */

/* Loads the action being edited and checks that it may be: 1 loaded, 0
 * answered (and the conversation cleared), -1 error. */
static int
edit_target(struct handler_ctx *ctx, int64_t id, struct action *a,
    bool from_button)
{
	int rc = actions_load(ctx->st, id, a);
	if (rc < 0)
		return handler_fail(ctx, "cannot load action %lld", (long long)id);
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
	html_escape(&t, a.title);
	i18n_appendp(&b, ctx->lang, &T_EDIT_MENU, (long long)id, buf_str(&t));
	rc = send_change_menu(ctx, buf_str(&b), id);
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
		return stale(ctx);
	const char *f = end + 1;
	long field = strtol(f, &end, 10);
	if (errno != 0 || end == f || *end != '\0' || field < 0 ||
	    field >= ST_COUNT)
		return stale(ctx);
	struct action a;
	int rc = edit_target(ctx, id, &a, true);
	if (rc <= 0)
		return rc;
	action_release(&a);
	json_t *d = json_pack("{s:I}", "id", (json_int_t)id);
	rc = save(ctx, "edit", steps[field].name, d);
	json_decref(d);
	if (rc < 0)
		return rc;
	return ask_step(ctx, (int)field, false, true, NULL);
}

/* The new goods list keeps the ids of the needs it names again (so their
 * pledges stay with them); needs it drops that already have pledges are
 * kept, and their names listed in *kept. */
static int
merge_needs(struct handler_ctx *ctx, const struct action *old,
    struct action *a, struct buf *kept)
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
		html_escape(&t, a->title);
		moved_value(&was, step, old_starts, old_place, lang);
		moved_value(&now, step, a->starts_at, a->place, lang);
		i18n_appendp(&b, lang, step == ST_WHEN ? &T_MOVED_WHEN :
		    &T_MOVED_PLACE, buf_str(&t), buf_str(&was), buf_str(&now),
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
static int
edit_answer(struct handler_ctx *ctx, const char *text)
{
	int step = step_index(ctx->conv.step);
	int64_t id = draft_int(ctx->conv.draft, "id");
	if (step < 0)
		return stale(ctx);
	struct action a;
	int rc = edit_target(ctx, id, &a, false);
	if (rc <= 0)
		return rc;
	json_t *d = action_to_draft(&a);
	struct buf why = BUF_INIT, kept = BUF_INIT;
	rc = steps[step].accept(ctx, d, text, &why);
	if (rc == 1 || rc == 2) {
		rc = rc == 2 ? ask_yes_no(ctx, &why) :
		    refuse_step(ctx, step, &why, true);
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
	draft_to_action(d, &a);
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
	    (step == ST_PLACE && strcmp(a.place ? a.place : "",
	    old_place ? old_place : "") != 0);
	size_t told = 0;
	rc = moved ? tell_pledgers_moved(ctx, &a, step, old_starts, old_place,
	    &told) : 0;
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
		int step = step_index(ctx->conv.step);
		if (step < 0)
			return stale(ctx);
		return ask_step(ctx, step, false, true, &T_E_TEXT_ONLY);
	}
	return edit_answer(ctx, text);
}
