/* How an action reads: the one renderer behind the preview, the published
 * announcements, /action and every progress edit — byte for byte, with
 * every user string HTML-escaped, progress in integer kopecks, the pledge
 * buttons, and a description shortened to fit one Telegram message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/store/actions.h"
#include "../../src/handlers/actions.h"
#include "dobrobot/text/split.h"
#include "dobrobot/core/xalloc.h"
#include "dobrobot/view/view.h"

#define NBSP "\xc2\xa0"

static time_t
local_time(int year, int month, int day, int hour, int min)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The action of the examples: every field set, some pledges. */
static void
sample(struct action *a)
{
	memset(a, 0, sizeof *a);
	a->id = 12;
	a->title = xstrdup("<b>Акция & «сбор»</b>");
	a->description = xstrdup("Собираем <вещи> & деньги");
	a->direction = xstrdup("социальное");
	a->place = xstrdup("ул. Ленина, 12");
	a->starts_at = local_time(2030, 11, 30, 15, 0);
	a->goal_kopecks = 5000000;
	a->money_promised = 2500000;
	a->money_received = 1000000;
	struct action_need *n = action_add_need(a, "тёплые одеяла", "шт", 20);
	n->id = 1;
	n->promised = 12;
	n->received = 5;
	n = action_add_need(a, "крупа", "кг", 50);
	n->id = 2;
	a->volunteers_needed = 10;
	a->volunteers_promised = 3;
	a->volunteers_received = 1;
}

static char *
render(const struct action *a, const char *lang, int *rc)
{
	struct buf b = BUF_INIT;
	*rc = action_render(&b, a, lang);
	return buf_detach(&b);
}

static void
test_render_whole(void **state)
{
	(void)state;
	struct action a;
	sample(&a);
	int rc;
	char *html = render(&a, "ru", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(html,
	    "📣 <b>&lt;b&gt;Акция &amp; «сбор»&lt;/b&gt;</b>\n"
	    "🏷 социальное\n"
	    "🗓 30 ноября 2030 (сб), 15:00\n"
	    "📍 ул. Ленина, 12\n"
	    "\n"
	    "Собираем &lt;вещи&gt; &amp; деньги\n"
	    "\n"
	    "💰 <b>Деньги</b> — цель 50" NBSP "000" NBSP "₽\n"
	    "обещано 25" NBSP "000" NBSP
	    "₽ ▰▰▰▰▰▱▱▱▱▱ 50%\n"
	    "получено 10" NBSP "000" NBSP
	    "₽ ▰▰▱▱▱▱▱▱▱▱ 20%\n"
	    "📦 <b>Вещи</b>\n"
	    "• тёплые одеяла: 20 шт — обещано 12, получено 5\n"
	    "• крупа: 50 кг — обещано 0, получено 0\n"
	    "🙋 <b>Волонтёры</b> — нужно 10: записались 3, пришли 1\n"
	    "\n"
	    "<i>Акция №12</i>");
	free(html);
	html = render(&a, "en", &rc);
	assert_non_null(strstr(html,
	    "💰 <b>Money</b> — goal 50" NBSP "000" NBSP "₽\npledged 25" NBSP
	    "000" NBSP "₽ ▰▰▰▰▰▱▱▱▱▱ 50%\n"));
	assert_non_null(strstr(html,
	    "🙋 <b>Volunteers</b> — 10 needed: 3 "
	    "signed up, 1 came\n"));
	assert_non_null(strstr(html, "🗓 Sat 30 Nov 2030, 15:00\n"));
	assert_non_null(strstr(html, "<i>Action #12</i>"));
	free(html);
	action_release(&a);
}

/* Every user string is escaped: the title, description, place, direction,
 * goods, units and the closing result. */
static void
test_render_escapes(void **state)
{
	(void)state;
	struct action a;
	memset(&a, 0, sizeof a);
	a.id = 3;
	a.title = xstrdup("<b>Акция & «сбор»</b>");
	a.description = xstrdup("<script>alert(1)</script> \"q\"");
	a.direction = xstrdup("<i>спорт</i>");
	a.place = xstrdup("<a href=\"x\">тут</a>");
	a.closed = true;
	a.result = xstrdup("Собрали <всё> & даже больше");
	action_add_need(&a, "<одеяла>", "<шт>", 2);
	int rc;
	char *html = render(&a, "ru", &rc);
	assert_non_null(strstr(html, "&lt;b&gt;Акция &amp; «сбор»&lt;/b&gt;"));
	assert_null(strstr(html, "<b>Акция &"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<i>спорт"));
	assert_null(strstr(html, "<a "));
	assert_null(strstr(html, "<одеяла"));
	assert_null(strstr(html, "<шт"));
	assert_non_null(strstr(html,
	    "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&quot;q&quot;"));
	assert_non_null(strstr(html, "• &lt;одеяла&gt;: 2 &lt;шт&gt;"));
	assert_non_null(strstr(html,
	    "✅ <b>Акция завершена.</b>\nИтог: "
	    "Собрали &lt;всё&gt; &amp; даже больше\n"));
	/* The result is well-formed HTML for Telegram. */
	char **parts = NULL;
	size_t n = 0;
	assert_int_equal(split_html(html, SPLIT_MESSAGE_MAX, &parts, &n), 0);
	assert_int_equal(n, 1);
	split_free(parts, n);
	free(html);
	action_release(&a);
}

static void
test_progress_variants(void **state)
{
	(void)state;
	struct action a;
	memset(&a, 0, sizeof a);
	struct buf b = BUF_INIT;
	/* Asks for nothing: no progress block at all. */
	assert_int_equal(action_render_progress(&b, &a, "ru"), 0);
	assert_string_equal(buf_str(&b), "");
	/* Kopecks shown, bars floor, over 100% shown as is. */
	a.goal_kopecks = 100000; /* 1 000 ₽ */
	a.money_promised = 123456;
	a.money_received = 50;
	assert_int_equal(action_render_progress(&b, &a, "ru"), 1);
	assert_string_equal(buf_str(&b),
	    "💰 <b>Деньги</b> — цель 1" NBSP "000" NBSP "₽\n"
	    "обещано 1" NBSP "234,56" NBSP
	    "₽ ▰▰▰▰▰▰▰▰▰▰ 123%\n"
	    "получено 0,50" NBSP "₽ ▱▱▱▱▱▱▱▱▱▱ 0%\n");
	buf_reset(&b);
	/* Money without a goal (the goal was removed after pledges came),
	 * volunteers without a number asked: totals only. */
	a.goal_kopecks = 0;
	a.volunteers_promised = 2;
	assert_int_equal(action_render_progress(&b, &a, "ru"), 1);
	assert_string_equal(buf_str(&b),
	    "💰 <b>Деньги</b>\n"
	    "обещано 1" NBSP "234,56" NBSP "₽\n"
	    "получено 0,50" NBSP "₽\n"
	    "🙋 <b>Волонтёры</b>: записались 2, пришли 0\n");
	buf_reset(&b);
	/* A good without a unit. */
	memset(&a, 0, sizeof a);
	struct action_need *n = action_add_need(&a, "носки", NULL, 100);
	n->promised = 7;
	assert_int_equal(action_render_progress(&b, &a, "ru"), 1);
	assert_string_equal(buf_str(&b),
	    "📦 <b>Вещи</b>\n• носки: 100 — обещано 7, получено 0\n");
	buf_release(&b);
	action_release(&a);
}

/* Without a date: "без даты"; without a place: no line; no id (the
 * preview): no number. */
static void
test_render_draft(void **state)
{
	(void)state;
	struct action a;
	memset(&a, 0, sizeof a);
	a.title = xstrdup("Сбор");
	a.description = xstrdup("Текст");
	a.direction = xstrdup("культура");
	int rc;
	char *html = render(&a, "ru", &rc);
	assert_string_equal(html,
	    "📣 <b>Сбор</b>\n🏷 культура\n"
	    "🗓 без даты — сбор идёт постоянно\n\nТекст\n");
	free(html);
	assert_null(action_keyboard(&a, "ru", true, "bot"));
	action_release(&a);
}

/* A description too long for one message is cut with "…", and the whole
 * stays within ACTION_RENDER_MAX characters whatever the goods. */
static void
test_render_shortens(void **state)
{
	(void)state;
	struct action a;
	memset(&a, 0, sizeof a);
	a.id = 99;
	a.title = xstrdup("Длинная акция");
	a.direction = xstrdup("социальное");
	struct buf d = BUF_INIT;
	for (int i = 0; i < ACTION_DESCRIPTION_MAX / 5; i++)
		buf_puts(&d, "ё & <");
	a.description = buf_detach(&d);
	a.goal_kopecks = 100;
	for (int i = 0; i < ACTION_NEEDS_MAX; i++) {
		char item[256];
		snprintf(item, sizeof item,
		    "%02d очень длинное название "
		    "нужной вещи, чтобы место кончилось быстрее, чем хочется",
		    i);
		action_add_need(&a, item, "упаковок по десять штук", 1000000);
	}
	int rc;
	char *html = render(&a, "ru", &rc);
	assert_int_equal(rc, 1);
	size_t visible = split_visible_length(html);
	assert_true(visible <= ACTION_RENDER_MAX);
	assert_true(visible > ACTION_RENDER_MAX - 10);
	assert_non_null(strstr(html, "…\n"));
	assert_non_null(strstr(html, "<i>Акция №99</i>"));
	/* Never cut inside an entity or a character. */
	char **parts = NULL;
	size_t n = 0;
	assert_int_equal(split_html(html, SPLIT_MESSAGE_MAX, &parts, &n), 0);
	assert_int_equal(n, 1);
	split_free(parts, n);
	free(html);
	action_release(&a);
}

static void
test_keyboard(void **state)
{
	(void)state;
	struct action a;
	sample(&a);
	json_t *kb = action_keyboard(&a, "ru", true, "dobro_test_bot");
	char *s = json_dumps(kb, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_t *want = json_pack("{s:[[{s:s,s:s}],[{s:s,s:s}],[{s:s,s:s}]]}",
	    "inline_keyboard", "text", "💰 Помочь деньгами", "url",
	    "https://t.me/dobro_test_bot?start=p12m", "text", "📦 Принести вещи",
	    "url", "https://t.me/dobro_test_bot?start=p12g", "text",
	    "🙋 Стать волонтёром", "url",
	    "https://t.me/dobro_test_bot?start=p12t");
	assert_true(json_equal(kb, want));
	free(s);
	json_decref(kb);
	json_decref(want);

	/* In a private chat: callback buttons; only the kinds it needs. */
	a.goal_kopecks = 0;
	a.volunteers_needed = 0;
	kb = action_keyboard(&a, "en", false, "dobro_test_bot");
	want = json_pack("{s:[[{s:s,s:s}]]}", "inline_keyboard", "text",
	    "📦 Bring goods", "callback_data", "pl:12:g");
	assert_true(json_equal(kb, want));
	json_decref(kb);
	json_decref(want);

	/* Closed, or asking for nothing: no buttons. */
	a.closed = true;
	assert_null(action_keyboard(&a, "ru", false, "b"));
	a.closed = false;
	for (size_t i = 0; i < a.n_needs; i++) {
		free(a.needs[i].item);
		free(a.needs[i].unit);
	}
	a.n_needs = 0;
	assert_null(action_keyboard(&a, "ru", true, "b"));
	action_release(&a);
}

static void
test_parse_id_and_skip(void **state)
{
	(void)state;
	int64_t id = 0;
	const char *rest = NULL;
	assert_int_equal(parse_id("12", &id, &rest), 0);
	assert_int_equal(id, 12);
	assert_string_equal(rest, "");
	assert_int_equal(parse_id("  №7  1 500 руб", &id, &rest), 0);
	assert_int_equal(id, 7);
	assert_string_equal(rest, "1 500 руб");
	assert_int_equal(parse_id("#3 время", &id, &rest), 0);
	assert_int_equal(id, 3);
	assert_int_equal(parse_id("", &id, &rest), -1);
	assert_int_equal(parse_id("abc", &id, &rest), -1);
	assert_int_equal(parse_id("0", &id, &rest), -1);
	assert_int_equal(parse_id("-4", &id, &rest), -1);
	assert_int_equal(parse_id("12abc", &id, &rest), -1);
	assert_int_equal(parse_id("99999999999999999999999", &id, &rest), -1);
	assert_true(is_skip_word("нет"));
	assert_true(is_skip_word(" Пропустить "));
	assert_true(is_skip_word("Без даты"));
	assert_true(is_skip_word("-"));
	assert_true(is_skip_word("Нет."));
	assert_true(is_skip_word("skip"));
	assert_false(is_skip_word("нет 5"));
	assert_false(is_skip_word("10"));
}

/* /report and the site count people, not pledges: one person's two
 * received pledges count once, a pending one not at all, a forgotten
 * person's pledges (user 0) one each. */
static void
test_people_helped(void **state)
{
	(void)state;
	struct pledge list[] = {
	    {.id = 1, .user_id = 10, .status = PLEDGE_RECEIVED},
	    {.id = 2, .user_id = 11, .status = PLEDGE_PLEDGED},
	    {.id = 3, .user_id = 10, .status = PLEDGE_RECEIVED},
	    {.id = 4, .user_id = 0, .status = PLEDGE_RECEIVED},
	    {.id = 5, .user_id = 0, .status = PLEDGE_RECEIVED},
	    {.id = 6, .user_id = 12, .status = PLEDGE_RECEIVED},
	};
	assert_int_equal(view_people_helped(list, 6), 4);
	assert_int_equal(view_people_helped(list, 2), 1);
	assert_int_equal(view_people_helped(list, 0), 0);
}

int
main(void)
{
	setenv("TZ", "Asia/Yakutsk", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_render_whole),
	    cmocka_unit_test(test_render_escapes),
	    cmocka_unit_test(test_progress_variants),
	    cmocka_unit_test(test_render_draft),
	    cmocka_unit_test(test_render_shortens),
	    cmocka_unit_test(test_keyboard),
	    cmocka_unit_test(test_parse_id_and_skip),
	    cmocka_unit_test(test_people_helped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
