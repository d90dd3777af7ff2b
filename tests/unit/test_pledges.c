/* Pledges on a real SQLite file: the totals of an action (promised and
 * received, in integer kopecks, withdrawn and lapsed ones nowhere), a
 * person's record, the rules of withdrawing and receiving, one pledge per
 * Telegram update however often it is delivered, and the goods matching the
 * /pledge command relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/bot/bot.h"
#include "dobrobot/core/config.h"
#include "dobrobot/text/goods.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/store.h"
#include "dobrobot/core/xalloc.h"

#include "fixture.h"

static int64_t
count(struct store *st, const char *sql)
{
	return fixture_scalar(st, sql);
}

/* An open action: 100 000 ₽, blankets and grain, 5 volunteers. */
static int64_t
new_action(struct store *st)
{
	struct action a;
	memset(&a, 0, sizeof a);
	a.author_id = 1;
	a.title = xstrdup("Тёплые вещи");
	a.description = xstrdup("Для приюта");
	a.direction = xstrdup("социальное");
	a.goal_kopecks = 10000000;
	a.volunteers_needed = 5;
	action_add_need(&a, "тёплые одеяла", "шт", 20);
	action_add_need(&a, "крупа", "кг", 50);
	assert_true(store_begin(st) == 0);
	int64_t id = actions_insert(st, &a, 1000);
	assert_true(store_commit(st) == 0);
	assert_true(id > 0);
	action_release(&a);
	return id;
}

static int64_t
need_id(struct store *st, int64_t action, int position)
{
	struct action a;
	assert_int_equal(actions_load(st, action, &a), 1);
	int64_t id = a.needs[position].id;
	action_release(&a);
	return id;
}

static int64_t
pledge(struct store *st, int64_t action, int64_t user, enum pledge_kind kind,
    int64_t need, int64_t amount, int64_t update_id)
{
	struct pledge p;
	memset(&p, 0, sizeof p);
	p.action_id = action;
	p.user_id = user;
	p.kind = kind;
	p.need_id = need;
	p.amount = amount;
	bool dup;
	int64_t id = pledges_insert(st, &p, update_id, 2000, &dup);
	assert_true(id > 0);
	assert_false(dup);
	return id;
}

static void
test_totals_in_kopecks(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	int64_t blankets = need_id(st, a, 0);
	store_begin(st);
	pledge(st, a, 1, PLEDGE_MONEY, 0, 150050, 101); /* 1 500,50 ₽ */
	pledge(st, a, 2, PLEDGE_MONEY, 0, 99, 102); /* 0,99 ₽ */
	int64_t got = pledge(st, a, 3, PLEDGE_MONEY, 0, 500000, 103);
	int64_t gone = pledge(st, a, 4, PLEDGE_MONEY, 0, 100000, 104);
	int64_t lapsed = pledge(st, a, 5, PLEDGE_MONEY, 0, 1, 105);
	pledge(st, a, 1, PLEDGE_GOODS, blankets, 5, 106);
	int64_t fewer = pledge(st, a, 6, PLEDGE_GOODS, blankets, 3, 107);
	int64_t came = pledge(st, a, 7, PLEDGE_TIME, 0, 1, 108);
	pledge(st, a, 8, PLEDGE_TIME, 0, 1, 109);
	int64_t quit = pledge(st, a, 9, PLEDGE_TIME, 0, 1, 110);
	/* What came differs from what was promised: 7 000 ₽ for 5 000 ₽, two
	 * blankets for three. */
	assert_int_equal(pledges_receive(st, got, 700000, 1, 3000), 1);
	assert_int_equal(pledges_receive(st, fewer, 2, 1, 3000), 1);
	assert_int_equal(pledges_receive(st, came, 4, 1, 3000), 1);
	assert_int_equal(pledges_withdraw(st, gone, 4, 3000), 1);
	assert_int_equal(pledges_withdraw(st, quit, 9, 3000), 1);
	char sql[96];
	snprintf(sql, sizeof sql,
	    "UPDATE pledges SET status = 'lapsed' WHERE id = %lld",
	    (long long)lapsed);
	assert_int_equal(store_exec(st, sql), 0);
	store_commit(st);

	struct action x;
	assert_int_equal(actions_load(st, a, &x), 1);
	assert_int_equal(x.money_promised, 150050 + 99 + 700000);
	assert_int_equal(x.money_received, 700000);
	assert_int_equal(x.needs[0].promised, 5 + 2);
	assert_int_equal(x.needs[0].received, 2);
	assert_int_equal(x.needs[1].promised, 0);
	assert_int_equal(x.volunteers_promised, 2);
	assert_int_equal(x.volunteers_received, 1);
	assert_int_equal(x.hours_received, 4);
	assert_int_equal(x.helpers, 6); /* users 1, 2, 3, 6, 7, 8 */
	/* Every change bumped the version: 10 pledges, 3 receipts, 2
	 * withdrawals (the lapse was written by hand). */
	assert_int_equal(x.version, 1 + 10 + 3 + 2);
	action_release(&x);

	struct pledge_record r;
	assert_int_equal(pledges_record(st, 1, &r), 0);
	assert_int_equal(r.money_promised, 150050);
	assert_int_equal(r.money_given, 0);
	assert_int_equal(r.goods_promised, 1);
	assert_int_equal(r.actions_helped, 0);
	assert_int_equal(pledges_record(st, 3, &r), 0);
	assert_int_equal(r.money_given, 700000);
	assert_int_equal(r.money_promised, 0);
	assert_int_equal(r.actions_helped, 1);
	assert_int_equal(pledges_record(st, 7, &r), 0);
	assert_int_equal(r.times_given, 1);
	assert_int_equal(r.hours_given, 4);
	assert_int_equal(pledges_record(st, 4, &r), 0);
	assert_int_equal(r.money_given + r.money_promised, 0);
}

/* Sums stay exact at the largest amounts a pledge may have. */
static void
test_totals_large(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	int64_t max = f->cfg.max_pledge_kopecks;
	store_begin(st);
	for (int i = 0; i < 1000; i++)
		pledge(st, a, 100 + i, PLEDGE_MONEY, 0, max - i, 5000 + i);
	store_commit(st);
	struct action x;
	assert_int_equal(actions_load(st, a, &x), 1);
	assert_int_equal(x.money_promised, 1000 * max - 999 * 1000 / 2);
	assert_int_equal(x.money_received, 0);
	action_release(&x);
}

static void
test_withdraw_and_receive_rules(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	store_begin(st);
	int64_t p = pledge(st, a, 10, PLEDGE_MONEY, 0, 50000, 201);
	/* Only its author withdraws. */
	assert_int_equal(pledges_withdraw(st, p, 11, 3000), 0);
	/* Received: no more withdrawing, no second receipt. */
	assert_int_equal(pledges_receive(st, p, 0, 1, 3000), 1);
	assert_int_equal(pledges_withdraw(st, p, 10, 3000), 0);
	assert_int_equal(pledges_receive(st, p, 0, 1, 3000), 0);
	/* Withdrawn: no receipt, no second withdrawal. */
	int64_t q = pledge(st, a, 10, PLEDGE_MONEY, 0, 100, 202);
	assert_int_equal(pledges_withdraw(st, q, 10, 3000), 1);
	assert_int_equal(pledges_withdraw(st, q, 10, 3000), 0);
	assert_int_equal(pledges_receive(st, q, 0, 1, 3000), 0);
	store_commit(st);
	struct pledge x;
	assert_int_equal(pledges_load(st, p, &x), 1);
	assert_int_equal(x.status, PLEDGE_RECEIVED);
	assert_int_equal(x.received_amount, 0);
	pledge_release(&x);
	assert_int_equal(pledges_load(st, 999, &x), 0);
	/* The per-minute count includes withdrawn pledges. */
	assert_int_equal(pledges_count_since(st, 10, 0), 2);
	assert_int_equal(pledges_count_since(st, 10, 2001), 0);
}

static void
test_one_pledge_per_update(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	store_begin(st);
	int64_t p = pledge(st, a, 10, PLEDGE_MONEY, 0, 50000, 777);
	struct pledge again;
	memset(&again, 0, sizeof again);
	again.action_id = a;
	again.user_id = 10;
	again.kind = PLEDGE_MONEY;
	again.amount = 90000;
	bool dup = false;
	assert_int_equal(pledges_insert(st, &again, 777, 3000, &dup), p);
	assert_true(dup);
	store_commit(st);
	assert_int_equal(count(st, "SELECT count(*) FROM pledges"), 1);
	assert_int_equal(count(st, "SELECT amount FROM pledges"), 50000);
	/* The duplicate did not bump the version either. */
	assert_int_equal(count(st, "SELECT version FROM actions"), 2);
}

static void
test_volunteer_once_and_forgetting(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	store_begin(st);
	assert_int_equal(pledges_find_volunteer(st, a, 10), 0);
	struct pledge p;
	memset(&p, 0, sizeof p);
	p.action_id = a;
	p.user_id = 10;
	p.kind = PLEDGE_TIME;
	p.amount = 1;
	p.display_name = "Иван П.";
	bool dup;
	int64_t id = pledges_insert(st, &p, 301, 3000, &dup);
	assert_int_equal(pledges_find_volunteer(st, a, 10), id);
	struct pledge x;
	assert_int_equal(pledges_load(st, id, &x), 1);
	assert_string_equal(x.display_name, "Иван П.");
	pledge_release(&x);
	/* Forgetting the person (privacy_forget) takes the name too. */
	assert_int_equal(
	    store_exec(st, "UPDATE pledges SET user_id = NULL, anonymous = 1"),
	    0);
	assert_int_equal(pledges_load(st, id, &x), 1);
	assert_null(x.display_name);
	assert_int_equal(x.user_id, 0);
	pledge_release(&x);
	store_commit(st);
}

/* The goods matching /pledge relies on ("/pledge 3 5 одеял" →
 * «тёплые одеяла»). */
static void
test_goods_matching(void **state)
{
	(void)state;
	const char *items[] = {"тёплые одеяла", "крупа", "подгузники",
	    "носки детские", "носки взрослые", "Мыло"};
	size_t n = sizeof items / sizeof items[0];
	assert_int_equal(goods_match("одеял", items, n), 0);
	assert_int_equal(goods_match("одеяла", items, n), 0);
	assert_int_equal(goods_match("Одеяло", items, n), 0);
	assert_int_equal(goods_match("теплых одеял", items, n), 0);
	assert_int_equal(goods_match("крупы", items, n), 1);
	assert_int_equal(goods_match("КРУПУ", items, n), 1);
	assert_int_equal(goods_match("подгузников", items, n), 2);
	assert_int_equal(goods_match("мыла", items, n), 5);
	assert_int_equal(goods_match("носки детские", items, n), 3);
	assert_int_equal(goods_match("носки", items, n), -2);
	assert_int_equal(goods_match("гречка", items, n), -1);
	assert_int_equal(goods_match("", items, n), -1);
}

static json_t *
message(int64_t update_id, int64_t user, const char *text)
{
	return json_pack("{s:I, s:{s:i, s:i, s:{s:I, s:s}, s:{s:I, s:b, s:s,"
	                 " s:s, s:s}, s:s}}",
	    "update_id", (json_int_t)update_id, "message", "message_id", 1,
	    "date", 1700000000, "chat", "id", (json_int_t)user, "type",
	    "private", "from", "id", (json_int_t)user, "is_bot", 0,
	    "first_name", "Иван", "last_name", "Петров", "language_code", "ru",
	    "text", text);
}

/* A pledge belongs to one update: Telegram delivering it again — after the
 * processed ids were forgotten, or a dead letter replayed — makes none. */
static void
test_redelivered_update(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	int64_t a = new_action(st);
	char text[64];
	snprintf(text, sizeof text, "/pledge %lld 1 500,50", (long long)a);
	json_t *batch = json_array();
	json_array_append_new(batch, message(4242, 10, text));
	int64_t next = 0;
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM pledges"), 1);
	assert_int_equal(count(st, "SELECT amount FROM pledges"), 150050);
	assert_int_equal(count(st,
	                     "SELECT count(*) FROM pledges WHERE"
	                     " update_id = 4242 AND display_name = 'Иван П.'"),
	    1);
	/* The same batch again: recognised by its id. */
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	/* A week later the id is forgotten; Telegram sends it once more. */
	assert_int_equal(store_exec(st, "DELETE FROM processed_updates"), 0);
	assert_int_equal(bot_process_batch(&f->env, batch, &next), 0);
	/* And an operator replays it as if it were a dead letter. */
	char *error = NULL;
	store_begin(st);
	assert_int_equal(bot_process_update(&f->env, json_array_get(batch, 0),
	                     &error),
	    0);
	store_commit(st);
	assert_null(error);
	assert_int_equal(count(st, "SELECT count(*) FROM pledges"), 1);
	assert_int_equal(count(st,
	                     "SELECT money FROM (SELECT sum(amount) AS"
	                     " money FROM pledges)"),
	    150050);
	assert_int_equal(count(st, "SELECT count(*) FROM dead_letters"), 0);
	/* The person heard "recorded" once and "already recorded" twice. */
	assert_int_equal(
	    count(st,
	        "SELECT count(*) FROM outbox WHERE"
	        " chat_id = 10 AND payload LIKE '%Спасибо, записал%'"),
	    1);
	assert_int_equal(count(st,
	                     "SELECT count(*) FROM outbox WHERE"
	                     " chat_id = 10 AND payload LIKE '%уже записано%'"),
	    2);
	json_decref(batch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_totals_in_kopecks,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_totals_large, fixture_setup,
	        fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_withdraw_and_receive_rules,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_one_pledge_per_update,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_volunteer_once_and_forgetting,
	        fixture_setup, fixture_teardown),
	    cmocka_unit_test(test_goods_matching),
	    cmocka_unit_test_setup_teardown(test_redelivered_update,
	        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
