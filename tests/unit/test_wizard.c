/* The step-table wizard (src/handlers/wizard.c) on a real SQLite file with
 * a toy wizard of three questions asked in order and one offered only
 * from the preview: the walk with «Шаг N из M», a refused answer, skip,
 * «← Назад», stale buttons and a step an older version saved, a field
 * changed from the preview, and cancel. What the user would see is read
 * back from the outbox; the conversation from its table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/handlers/handler.h"
#include "dobrobot/store/conversations.h"
#include "dobrobot/store/store.h"
#include "dobrobot/text/i18n.h"

#include "../../src/handlers/wizard.h"
#include "fixture.h"

#define USER 501
#define NOW ((int64_t)1700000000 * 1000)

I18N(T_TW_COUNTER, "<b>Шаг %d из %d.</b> ", "<b>Step %d of %d.</b> ")
I18N(T_TW_NAME, "Как вас зовут?", "Your name?")
I18N(T_TW_AGE, "Сколько вам лет?", "How old are you?")
I18N(T_TW_CITY, "Из какого вы города?", "Which city?")
I18N(T_TW_NOTE, "Заметка?", "A note?")
I18N(T_TW_LABEL, "Поле", "Field")
I18N(T_TW_SKIP, "Пропустить", "Skip")
I18N(T_TW_REMOVE, "Убрать", "Remove")
I18N(T_TW_BACK, "← Назад", "← Back")
I18N(T_TW_BUTTONS, "Нажмите кнопку под карточкой.", "Tap a button.")
I18N(T_TW_TEXT_ONLY, "Ответьте текстом. ", "Answer with text. ")
I18N(T_TW_CANCELLED, "Отменено.", "Cancelled.")

static int previews; /* how many times the toy preview ran */

/* Any text; "нет" is refused, to see a refusal. */
static int
accept_text(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)ctx;
	const char *key = step == 0 ? "name" : step == 2 ? "city" : "note";
	if (text != NULL && strcmp(text, "нет") == 0) {
		buf_puts(why, "Так нельзя: напишите слово.");
		return WIZARD_REFUSED;
	}
	json_object_set_new(d, key, json_string(text != NULL ? text : ""));
	return WIZARD_ACCEPTED;
}

/* A number from 1 to 150; the skip button leaves it out. */
static int
accept_age(struct handler_ctx *ctx, int step, json_t *d, const char *text,
    struct buf *why)
{
	(void)ctx;
	(void)step;
	if (text == NULL)
		return WIZARD_ACCEPTED;
	char *end;
	long n = strtol(text, &end, 10);
	if (end == text || *end != '\0' || n < 1 || n > 150) {
		buf_puts(why, "Напишите число, например: 30");
		return WIZARD_REFUSED;
	}
	json_object_set_new(d, "age", json_integer(n));
	return WIZARD_ACCEPTED;
}

static int
toy_preview(struct handler_ctx *ctx, json_t *d)
{
	previews++;
	const char *name = json_string_value(json_object_get(d, "name"));
	struct buf b = BUF_INIT;
	buf_printf(&b, "ПРЕДПРОСМОТР %s", name != NULL ? name : "?");
	int rc = reply_html(ctx, buf_str(&b), NULL);
	buf_release(&b);
	return rc;
}

static const struct wizard_step toy_steps[] = {
    {.name = "name",
        .prompt = &T_TW_NAME,
        .label = &T_TW_LABEL,
        .accept = accept_text},
    {.name = "age",
        .prompt = &T_TW_AGE,
        .label = &T_TW_LABEL,
        .optional = true,
        .accept = accept_age},
    {.name = "city",
        .prompt = &T_TW_CITY,
        .label = &T_TW_LABEL,
        .optional = true,
        .accept = accept_text},
    {.name = "note",
        .prompt = &T_TW_NOTE,
        .label = &T_TW_LABEL,
        .optional = true,
        .accept = accept_text},
};

static const struct wizard toy = {
    .flow = "toy",
    .prefix = "tw",
    .steps = toy_steps,
    .n_asked = 3,
    .n_steps = 4,
    .counter = &T_TW_COUNTER,
    .skip_verb = 's',
    .skip = &T_TW_SKIP,
    .remove = &T_TW_REMOVE,
    .back = &T_TW_BACK,
    .refuse_with_buttons = true,
    .preview = toy_preview,
    .use_buttons = &T_TW_BUTTONS,
    .text_only = &T_TW_TEXT_ONLY,
    .cancelled = &T_TW_CANCELLED,
};

/* A private chat's context over the fixture's store, with the user's
 * conversation loaded as the router loads it. */
static void
ctx_init(struct handler_ctx *ctx, struct fixture *f)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->st = f->st;
	ctx->cfg = &f->cfg;
	ctx->now_ms = NOW;
	ctx->chat_id = USER;
	ctx->chat_type = "private";
	ctx->user.id = USER;
	ctx->lang = "ru";
	assert_true(conversation_load(f->st, USER, USER, &ctx->conv) >= 0);
}

static void
ctx_done(struct handler_ctx *ctx)
{
	conversation_release(&ctx->conv);
	json_decref(ctx->callback);
	free(ctx->error);
}

/* The next update: the conversation as it is now stored. */
static void
ctx_reload(struct handler_ctx *ctx, struct fixture *f)
{
	ctx_done(ctx);
	ctx_init(ctx, f);
}

/* Makes ctx a press of the button "tw:<args>". */
static void
press(struct handler_ctx *ctx, const char *args)
{
	json_decref(ctx->callback);
	ctx->callback = json_pack("{s:s}", "id", "cb1");
	ctx->cb_args = args;
	ctx->cb_answered = false;
}

/* The payload of the last outbox row (new reference). */
static json_t *
last_sent(struct fixture *f)
{
	sqlite3_stmt *s = store_stmt(f->st,
	    "SELECT payload FROM outbox ORDER BY id DESC LIMIT 1");
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	json_t *p = json_loads((const char *)sqlite3_column_text(s, 0), 0,
	    NULL);
	sqlite3_reset(s);
	assert_non_null(p);
	return p;
}

static int64_t
outbox_rows(struct fixture *f)
{
	return fixture_scalar(f->st, "SELECT count(*) FROM outbox");
}

/* Whether the last message's text holds `part`. */
static bool
last_text_has(struct fixture *f, const char *part)
{
	json_t *p = last_sent(f);
	const char *t = json_string_value(json_object_get(p, "text"));
	bool has = t != NULL && strstr(t, part) != NULL;
	json_decref(p);
	return has;
}

/* The callback_data of the last message's buttons, joined with spaces. */
static void
last_buttons(struct fixture *f, char *out, size_t size)
{
	json_t *p = last_sent(f);
	json_t *rows = json_object_get(json_object_get(p, "reply_markup"),
	    "inline_keyboard");
	out[0] = '\0';
	size_t i, j;
	json_t *row, *b;
	json_array_foreach(rows, i, row)
	{
		json_array_foreach(row, j, b)
		{
			const char *d = json_string_value(json_object_get(b,
			    "callback_data"));
			if (out[0] != '\0')
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, d, size - strlen(out) - 1);
		}
	}
	json_decref(p);
}

/* Whether the last row answered a button as stale. */
static bool
last_is_stale(struct fixture *f)
{
	sqlite3_stmt *s = store_stmt(f->st,
	    "SELECT method FROM outbox ORDER BY id DESC LIMIT 1");
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	bool answer = strcmp((const char *)sqlite3_column_text(s, 0),
	                  "answerCallbackQuery") == 0;
	sqlite3_reset(s);
	return answer && last_text_has(f, i18n_text("ru", MSG_BUTTON_STALE));
}

static const char *
stored_step(struct fixture *f, struct handler_ctx *ctx)
{
	ctx_reload(ctx, f);
	return ctx->conv.step != NULL ? ctx->conv.step : "(none)";
}

/* Starts the toy wizard as a command would: saved at its first step and
 * asked, numbered. */
static void
start(struct fixture *f, struct handler_ctx *ctx)
{
	json_t *d = json_object();
	assert_int_equal(wizard_save(ctx, toy.flow, toy_steps[0].name, d), 0);
	json_decref(d);
	assert_int_equal(wizard_ask(ctx, &toy, 0, true, false, NULL), 0);
	ctx_reload(ctx, f);
}

static void
test_walk_through_the_steps(void **state)
{
	struct fixture *f = *state;
	struct handler_ctx ctx;
	char kb[256];
	previews = 0;
	ctx_init(&ctx, f);
	start(f, &ctx);
	assert_true(last_text_has(f, "Шаг 1 из 3."));
	assert_true(last_text_has(f, "Как вас зовут?"));
	/* The first question has nothing to skip and nothing to go back
	 * to. */
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "");

	assert_int_equal(wizard_on_text(&ctx, &toy, "Оля"), 0);
	assert_string_equal(stored_step(f, &ctx), "age");
	assert_true(last_text_has(f, "Шаг 2 из 3."));
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "tw:s:1 tw:b:1");

	/* Refused: the reason and the same buttons, the step unchanged. */
	assert_int_equal(wizard_on_text(&ctx, &toy, "много"), 0);
	assert_true(last_text_has(f, "Напишите число, например: 30"));
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "tw:s:1 tw:b:1");
	assert_string_equal(stored_step(f, &ctx), "age");

	/* Not text: the question again, unnumbered, after the wizard's
	 * hint. */
	assert_int_equal(wizard_on_text(&ctx, &toy, NULL), 0);
	assert_true(last_text_has(f, "Ответьте текстом. Сколько вам лет?"));
	assert_false(last_text_has(f, "Шаг"));

	press(&ctx, "s:1");
	assert_int_equal(wizard_on_button(&ctx, &toy, "s:1", false), 0);
	assert_string_equal(stored_step(f, &ctx), "city");
	assert_true(last_text_has(f, "Шаг 3 из 3."));
	assert_null(json_object_get(ctx.conv.draft, "age"));

	/* The last answer shows the preview; "note" is never asked in
	 * order. */
	assert_int_equal(wizard_on_text(&ctx, &toy, "Хабаровск"), 0);
	assert_int_equal(previews, 1);
	assert_true(last_text_has(f, "ПРЕДПРОСМОТР Оля"));
	assert_string_equal(stored_step(f, &ctx), WIZARD_PREVIEW);
	assert_true(wizard_at_preview(&ctx));
	assert_string_equal(json_string_value(json_object_get(ctx.conv.draft,
	                        "city")),
	    "Хабаровск");
	/* A message at the preview: the hint to use its buttons. */
	assert_int_equal(wizard_on_text(&ctx, &toy, "ещё"), 0);
	assert_true(last_text_has(f, "Нажмите кнопку под карточкой."));
	assert_int_equal(previews, 1);
	ctx_done(&ctx);
}

static void
test_back_keeps_the_answers(void **state)
{
	struct fixture *f = *state;
	struct handler_ctx ctx;
	char kb[256];
	ctx_init(&ctx, f);
	start(f, &ctx);
	assert_int_equal(wizard_on_text(&ctx, &toy, "Оля"), 0);
	ctx_reload(&ctx, f);
	assert_int_equal(wizard_on_text(&ctx, &toy, "30"), 0);
	assert_string_equal(stored_step(f, &ctx), "city");

	press(&ctx, "b:2");
	assert_int_equal(wizard_on_button(&ctx, &toy, "b:2", false), 0);
	assert_string_equal(stored_step(f, &ctx), "age");
	assert_true(last_text_has(f, "Шаг 2 из 3.</b> Сколько вам лет?"));
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "tw:s:1 tw:b:1");
	assert_int_equal(json_integer_value(json_object_get(ctx.conv.draft,
	                     "age")),
	    30);
	assert_string_equal(json_string_value(json_object_get(ctx.conv.draft,
	                        "name")),
	    "Оля");

	/* The «Назад» of the question before is stale now: a step back is
	 * taken from the question being asked only. */
	int64_t rows = outbox_rows(f);
	press(&ctx, "b:2");
	assert_int_equal(wizard_on_button(&ctx, &toy, "b:2", false), 0);
	assert_int_equal(outbox_rows(f), rows + 1);
	assert_true(last_is_stale(f));
	assert_string_equal(stored_step(f, &ctx), "age");

	press(&ctx, "b:1");
	assert_int_equal(wizard_on_button(&ctx, &toy, "b:1", false), 0);
	assert_string_equal(stored_step(f, &ctx), "name");
	assert_true(last_text_has(f, "Шаг 1 из 3."));
	/* Nothing before the first question. */
	press(&ctx, "b:0");
	assert_int_equal(wizard_on_button(&ctx, &toy, "b:0", false), 0);
	assert_true(last_is_stale(f));
	assert_string_equal(stored_step(f, &ctx), "name");
	ctx_done(&ctx);
}

static void
test_stale_buttons_and_old_steps(void **state)
{
	struct fixture *f = *state;
	struct handler_ctx ctx;
	ctx_init(&ctx, f);
	start(f, &ctx);
	/* A required step has no skip; an older question's skip does not
	 * skip this one; a change from a preview not shown; data not a
	 * whole index. */
	const char *stale[] = {
	    "s:0", "s:1", "f:0", "s:", "s:1x", "s:-1", "b:99999999999"};
	for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
		press(&ctx, stale[i]);
		assert_int_equal(wizard_on_button(&ctx, &toy, stale[i], false),
		    0);
		assert_true(last_is_stale(f));
		assert_string_equal(stored_step(f, &ctx), "name");
	}
	/* Not the wizard's button: left to the wizard's own code. */
	press(&ctx, "pub");
	assert_int_equal(wizard_on_button(&ctx, &toy, "pub", false), 1);

	/* A step an older version saved, which this one has no more: the
	 * message gets the hint, nothing crashes, nothing is stored. */
	json_t *d = json_object();
	assert_int_equal(wizard_save(&ctx, toy.flow, "zodiac", d), 0);
	json_decref(d);
	ctx_reload(&ctx, f);
	assert_int_equal(wizard_step_index(&toy, "zodiac"), -1);
	assert_int_equal(wizard_on_text(&ctx, &toy, "Лев"), 0);
	assert_true(last_text_has(f, "Нажмите кнопку под карточкой."));
	assert_string_equal(stored_step(f, &ctx), "zodiac");
	press(&ctx, "s:1");
	assert_int_equal(wizard_on_button(&ctx, &toy, "s:1", false), 0);
	assert_true(last_is_stale(f));

	/* Another flow's conversation: every wizard button is stale. */
	d = json_object();
	assert_int_equal(wizard_save(&ctx, "pledge", "amount", d), 0);
	json_decref(d);
	ctx_reload(&ctx, f);
	const char *other[] = {"s:1", "b:1", "f:0", "x"};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		press(&ctx, other[i]);
		assert_int_equal(wizard_on_button(&ctx, &toy, other[i], false),
		    0);
		assert_true(last_is_stale(f));
		assert_string_equal(stored_step(f, &ctx), "amount");
	}
	ctx_done(&ctx);
}

static void
test_change_from_the_preview(void **state)
{
	struct fixture *f = *state;
	struct handler_ctx ctx;
	char kb[256];
	previews = 0;
	ctx_init(&ctx, f);
	json_t *d = json_pack("{s:s, s:s}", "name", "Оля", "city", "Хабаровск");
	assert_int_equal(wizard_show_preview(&ctx, &toy, d), 0);
	json_decref(d);
	assert_int_equal(previews, 1);
	assert_string_equal(stored_step(f, &ctx), WIZARD_PREVIEW);

	/* Out of range, then the field offered only from the preview. */
	press(&ctx, "f:4");
	assert_int_equal(wizard_on_button(&ctx, &toy, "f:4", false), 0);
	assert_true(last_is_stale(f));
	press(&ctx, "f:3");
	assert_int_equal(wizard_on_button(&ctx, &toy, "f:3", true), 0);
	assert_string_equal(stored_step(f, &ctx), "note");
	assert_true(last_text_has(f, "Заметка?"));
	assert_false(last_text_has(f, "Шаг"));
	/* Changing a saved record: «Убрать», and no «Назад». */
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "tw:s:3");
	assert_true(last_text_has(f, "Заметка?"));
	assert_true(json_is_true(json_object_get(ctx.conv.draft,
	    WIZARD_RETURN)));

	/* The answer goes back to the preview, not on to the next step. */
	assert_int_equal(wizard_on_text(&ctx, &toy, "звонить вечером"), 0);
	assert_int_equal(previews, 2);
	assert_string_equal(stored_step(f, &ctx), WIZARD_PREVIEW);
	assert_null(json_object_get(ctx.conv.draft, WIZARD_RETURN));
	assert_string_equal(json_string_value(json_object_get(ctx.conv.draft,
	                        "note")),
	    "звонить вечером");

	/* A field asked in order, changed from the preview: no «Назад»
	 * while returning, even in a new draft. */
	press(&ctx, "f:1");
	assert_int_equal(wizard_on_button(&ctx, &toy, "f:1", false), 0);
	last_buttons(f, kb, sizeof kb);
	assert_string_equal(kb, "tw:s:1");
	ctx_reload(&ctx, f);
	assert_int_equal(wizard_on_text(&ctx, &toy, "нет"), 0);
	assert_true(last_text_has(f, "Напишите число"));
	assert_string_equal(stored_step(f, &ctx), "age");
	press(&ctx, "s:1");
	assert_int_equal(wizard_on_button(&ctx, &toy, "s:1", false), 0);
	assert_int_equal(previews, 3);
	assert_string_equal(stored_step(f, &ctx), WIZARD_PREVIEW);
	ctx_done(&ctx);
}

static void
test_cancel(void **state)
{
	struct fixture *f = *state;
	struct handler_ctx ctx;
	ctx_init(&ctx, f);
	start(f, &ctx);
	assert_int_equal(wizard_on_text(&ctx, &toy, "Оля"), 0);
	ctx_reload(&ctx, f);
	press(&ctx, "x");
	assert_int_equal(wizard_on_button(&ctx, &toy, "x", false), 0);
	assert_true(last_text_has(f, "Отменено."));
	assert_int_equal(fixture_scalar(f->st,
	                     "SELECT count(*) FROM conversations"),
	    0);
	/* The same button again: nothing left to cancel. */
	ctx_reload(&ctx, f);
	press(&ctx, "x");
	assert_int_equal(wizard_on_button(&ctx, &toy, "x", false), 0);
	assert_true(last_is_stale(f));
	ctx_done(&ctx);
}

static void
test_parse_index(void **state)
{
	(void)state;
	int i = -7;
	assert_int_equal(wizard_parse_index("0", 3, &i), 0);
	assert_int_equal(i, 0);
	assert_int_equal(wizard_parse_index("2", 3, &i), 0);
	assert_int_equal(i, 2);
	const char *bad[] = {
	    "3", "", "-1", "1 ", "+", "x1", "99999999999999999999"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		assert_int_equal(wizard_parse_index(bad[k], 3, &i), -1);
	assert_int_equal(i, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_walk_through_the_steps,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_back_keeps_the_answers,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_stale_buttons_and_old_steps,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_change_from_the_preview,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_cancel, fixture_setup,
	        fixture_teardown),
	    cmocka_unit_test(test_parse_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
