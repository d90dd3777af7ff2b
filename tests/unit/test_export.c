/* Exports: RFC 4180 fields with ';', the formula-injection guard, rubles
 * with a comma, the CSV document (BOM, header, CRLF, columns per kind),
 * the query on a real SQLite file (privacy of names, the action and period
 * filters), and the JSON document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/store/export.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/store.h"
#include "dobrobot/core/xalloc.h"

#include "fixture.h"

static char *
field(const char *s)
{
	struct buf b = BUF_INIT;
	assert_int_equal(csv_field(&b, s), 0);
	return buf_detach(&b);
}

static void
expect_field(const char *in, const char *out)
{
	char *got = field(in);
	if (got == NULL)
		got = xstrdup("");
	if (strcmp(got, out) != 0)
		fail_msg("csv_field(%s) = [%s], want [%s]", in, got, out);
	free(got);
}

static void
test_fields(void **state)
{
	(void)state;
	expect_field("Иван П.", "Иван П.");
	expect_field("", "");
	expect_field(NULL, "");
	expect_field("Ольга; Мария", "\"Ольга; Мария\"");
	expect_field("Иван \"Ваня\"", "\"Иван \"\"Ваня\"\"\"");
	expect_field("Анна\nБелова", "\"Анна\nБелова\"");
	expect_field("a\r\nb", "\"a\r\nb\"");
	/* Formula starters become text. */
	expect_field("=1+2", "'=1+2");
	expect_field("+79001234567", "'+79001234567");
	expect_field("-Пётр", "'-Пётр");
	expect_field("@SUM(A1)", "'@SUM(A1)");
	expect_field("\tx", "'\tx");
	expect_field("=HYPERLINK(\"http://x\";\"a\")",
	    "\"'=HYPERLINK(\"\"http://x\"\";\"\"a\"\")\"");
	/* Only at the start. */
	expect_field("a=b-c", "a=b-c");
	expect_field("'quoted'", "'quoted'");
}

static void
test_rubles(void **state)
{
	(void)state;
	static const struct {
		int64_t k;
		const char *s;
	} cases[] = {{150050, "1500,50"}, {150000, "1500,00"}, {1, "0,01"},
	    {0, "0,00"}, {99, "0,99"}, {1000000000000, "10000000000,00"},
	    {-250, "-2,50"}, {INT64_MAX, "92233720368547758,07"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(csv_rubles(&b, cases[i].k), 0);
		assert_string_equal(buf_str(&b), cases[i].s);
		buf_release(&b);
	}
}

/* 2026-11-28 14:05 in Asia/Yakutsk (UTC+9). */
#define T0 ((int64_t)1795842300 * 1000)

static void
test_csv_document(void **state)
{
	(void)state;
	struct export_row rows[] = {
	    {.pledge_id = 1,
	        .created_at = T0,
	        .action_id = 7,
	        .action_title = "Сбор; \"Тепло\"",
	        .contributor = "Иван П.",
	        .kind = PLEDGE_MONEY,
	        .amount = 150050,
	        .received_amount = 100000,
	        .status = PLEDGE_RECEIVED,
	        .received_at = T0 + 3600000},
	    {.pledge_id = 2,
	        .created_at = T0,
	        .action_id = 7,
	        .action_title = "Сбор; \"Тепло\"",
	        .contributor = NULL,
	        .kind = PLEDGE_GOODS,
	        .item = "одеяла",
	        .unit = "шт",
	        .amount = 5,
	        .status = PLEDGE_PLEDGED},
	    {.pledge_id = 3,
	        .created_at = T0,
	        .action_id = 7,
	        .action_title = "Сбор; \"Тепло\"",
	        .contributor = "=cmd",
	        .kind = PLEDGE_TIME,
	        .amount = 1,
	        .received_amount = 3,
	        .status = PLEDGE_RECEIVED,
	        .received_at = T0},
	    {.pledge_id = 4,
	        .created_at = T0,
	        .action_id = 7,
	        .action_title = "x",
	        .contributor = "Ян",
	        .kind = PLEDGE_MONEY,
	        .amount = 500,
	        .status = PLEDGE_LAPSED,
	        .org_name = "Приют «Надежда»; филиал"},
	};
	struct buf b = BUF_INIT;
	assert_int_equal(export_csv(&b, rows, 4, "ru"), 0);
	assert_string_equal(buf_str(&b),
	    "\xEF\xBB\xBF№ обещания;Дата;№ акции;Акция;Участник;Вид помощи;"
	    "Что;Обещано;Получено;Ед.;Статус;Дата получения;Организация\r\n"
	    "1;28.11.2026 14:05;7;\"Сбор; \"\"Тепло\"\"\";Иван П.;деньги;;"
	    "1500,50;1000,00;руб.;получено;28.11.2026 15:05;\r\n"
	    "2;28.11.2026 14:05;7;\"Сбор; \"\"Тепло\"\"\";аноним;вещи;одеяла;"
	    "5;;шт;ждём;;\r\n"
	    "3;28.11.2026 14:05;7;\"Сбор; \"\"Тепло\"\"\";'=cmd;время;"
	    "волонтёр;;3;ч;получено;28.11.2026 14:05;\r\n"
	    "4;28.11.2026 14:05;7;x;Ян;деньги;;5,00;;руб.;не пришло;;"
	    "\"Приют «Надежда»; филиал\"\r\n");
	buf_reset(&b);
	assert_int_equal(export_csv(&b, rows, 1, "en"), 0);
	assert_non_null(strstr(buf_str(&b),
	    "Pledge;Date;Action;Action title;"
	    "Contributor;Kind;What;Promised;Received;Unit;Status;Received on;"
	    "Organisation\r\n"
	    "1;28.11.2026 14:05;7;"));
	assert_non_null(strstr(buf_str(&b),
	    ";money;;1500,50;1000,00;RUB;"
	    "received;"));
	/* An empty export is the header alone. */
	buf_reset(&b);
	assert_int_equal(export_csv(&b, NULL, 0, "ru"), 0);
	assert_int_equal(strlen(buf_str(&b)),
	    3 +
	        strlen(
	            "№ обещания;Дата;"
	            "№ акции;Акция;Участник;Вид помощи;Что;Обещано;Получено;Ед.;"
	            "Статус;Дата получения;Организация\r\n"));
	/* The cap is honoured. */
	struct buf small;
	buf_init(&small, 64);
	assert_int_equal(export_csv(&small, rows, 4, "ru"), -1);
	buf_release(&small);
	/* Wherever the cap falls, even inside a row after which the line end
	 * would still fit, the export says it did not fit; one byte more
	 * than the whole and it does. */
	buf_reset(&b);
	assert_int_equal(export_csv(&b, rows, 4, "ru"), 0);
	size_t whole = b.len;
	for (size_t cap = 1; cap < whole; cap++) {
		buf_init(&small, cap);
		if (export_csv(&small, rows, 4, "ru") != -1)
			fail_msg(
			    "a cap of %zu (of %zu) gave a short export:\n%s",
			    cap, whole, buf_str(&small));
		buf_release(&small);
	}
	buf_init(&small, whole);
	assert_int_equal(export_csv(&small, rows, 4, "ru"), 0);
	assert_string_equal(buf_str(&small), buf_str(&b));
	buf_release(&small);
	buf_release(&b);
}

static int64_t
new_action(struct store *st, const char *title)
{
	struct action a;
	memset(&a, 0, sizeof a);
	a.author_id = 1;
	a.title = xstrdup(title);
	a.description = xstrdup("d");
	a.direction = xstrdup("социальное");
	a.goal_kopecks = 100000;
	action_add_need(&a, "одеяла", NULL, 20);
	int64_t id = actions_insert(st, &a, 1000);
	assert_true(id > 0);
	action_release(&a);
	return id;
}

static int64_t
pledge(struct store *st, int64_t action, int64_t user, const char *name,
    bool anonymous, int64_t amount, int64_t at_ms, int64_t update_id)
{
	struct pledge p;
	memset(&p, 0, sizeof p);
	p.action_id = action;
	p.user_id = user;
	p.kind = PLEDGE_MONEY;
	p.amount = amount;
	p.anonymous = anonymous;
	p.display_name = (char *)name;
	bool dup;
	int64_t id = pledges_insert(st, &p, update_id, at_ms, &dup);
	assert_true(id > 0);
	return id;
}

static void
test_rows_privacy_and_filters(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	assert_int_equal(store_begin(st), 0);
	int64_t a1 = new_action(st, "Первая");
	int64_t a2 = new_action(st, "Вторая");
	int64_t named = pledge(st, a1, 11, "Иван П.", false, 100, T0, 1);
	int64_t anon = pledge(st, a1, 12, "Тайна С.", true, 200, T0 + 10, 2);
	int64_t gone = pledge(st, a2, 13, "Забытый", false, 300, T0 + 20, 3);
	int64_t late = pledge(st, a2, 14, "Поздний", false, 400, T0 + 30, 4);
	/* Forgetting someone takes their name from every export. */
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE pledges SET user_id = NULL WHERE id = ?");
	sqlite3_bind_int64(s, 1, gone);
	assert_int_equal(store_step_done(st, s), 0);
	assert_int_equal(pledges_receive(st, named, 90, 1, T0 + 100), 1);
	assert_int_equal(store_commit(st), 0);

	struct export_row *r = NULL;
	size_t n = 0;
	struct export_filter all = {0};
	assert_int_equal(export_rows(st, &all, &r, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(r[0].pledge_id, named);
	assert_string_equal(r[0].contributor, "Иван П.");
	assert_string_equal(r[0].action_title, "Первая");
	assert_int_equal(r[0].status, PLEDGE_RECEIVED);
	assert_int_equal(r[0].received_amount, 90);
	assert_int_equal(r[0].received_at, T0 + 100);
	assert_int_equal(r[1].pledge_id, anon);
	assert_null(r[1].contributor);
	assert_int_equal(r[2].pledge_id, gone);
	assert_null(r[2].contributor);
	assert_int_equal(r[3].pledge_id, late);
	export_rows_free(r, n);

	struct export_filter one = {.action_id = a2};
	assert_int_equal(export_rows(st, &one, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].action_id, a2);
	export_rows_free(r, n);

	/* [from, to): the upper bound is exclusive. */
	struct export_filter period = {.from_ms = T0 + 10, .to_ms = T0 + 30};
	assert_int_equal(export_rows(st, &period, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].pledge_id, anon);
	assert_int_equal(r[1].pledge_id, gone);
	export_rows_free(r, n);

	struct export_filter both = {.action_id = a1, .from_ms = T0 + 5};
	assert_int_equal(export_rows(st, &both, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].pledge_id, anon);

	/* JSON: parsed back. */
	struct buf b = BUF_INIT;
	assert_int_equal(export_json(&b, r, n, &both, T0), 0);
	json_error_t err;
	json_t *doc = json_loads(buf_str(&b), 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc,
	                        "generated_at")),
	    "2026-11-28T14:05:00+09:00");
	assert_string_equal(json_string_value(json_object_get(doc,
	                        "money_unit")),
	    "kopecks");
	json_t *filter = json_object_get(doc, "filter");
	assert_int_equal(json_integer_value(json_object_get(filter,
	                     "action_id")),
	    a1);
	assert_true(json_is_null(json_object_get(filter, "to")));
	json_t *p = json_array_get(json_object_get(doc, "pledges"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "id")), anon);
	assert_true(json_is_null(json_object_get(p, "contributor")));
	assert_int_equal(json_integer_value(json_object_get(p, "promised")),
	    200);
	assert_true(json_is_null(json_object_get(p, "received")));
	assert_string_equal(json_string_value(json_object_get(p, "status")),
	    "pledged");
	assert_string_equal(json_string_value(json_object_get(p, "kind")),
	    "money");
	json_decref(doc);
	buf_release(&b);
	export_rows_free(r, n);
}

int
main(void)
{
	setenv("TZ", "Asia/Yakutsk", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_rubles),
	    cmocka_unit_test(test_csv_document),
	    cmocka_unit_test_setup_teardown(test_rows_privacy_and_filters,
	        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
