/* Unit tests for goods.c: the lines organisers type and the words citizens
 * use for them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "dobrobot/text/goods.h"

#define MAX_QTY 100000

struct line_case {
	const char *line;
	const char *item; /* expected when err == GOODS_OK */
	int64_t quantity;
	const char *unit; /* NULL: none */
	enum goods_error err;
};

static const struct line_case line_cases[] = {
    {"тёплые одеяла — 20 шт", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"тёплые одеяла - 20 шт", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"тёплые одеяла – 20 шт", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"тёплые одеяла —20 шт", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"тёплые одеяла— 20 шт", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"крупа 50 кг", "крупа", 50, "кг", GOODS_OK},
    {"крупа 50кг", "крупа", 50, "кг", GOODS_OK},
    {"крупа гречневая: 50 кг", "крупа гречневая", 50, "кг", GOODS_OK},
    {"подгузники: 30 упаковок", "подгузники", 30, "упаковок", GOODS_OK},
    {"подгузники : 30 упаковок", "подгузники", 30, "упаковок", GOODS_OK},
    {"вода 10 л", "вода", 10, "л", GOODS_OK},
    {"носки 100", "носки", 100, NULL, GOODS_OK},
    {"мыло — 40 шт.", "мыло", 40, "шт.", GOODS_OK},
    {"  Мыло   хозяйственное\t—  40   шт.  ", "Мыло хозяйственное", 40, "шт.",
        GOODS_OK},
    {"20 шт тёплые одеяла", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"20шт тёплые одеяла", "тёплые одеяла", 20, "шт", GOODS_OK},
    {"20 одеял", "одеял", 20, NULL, GOODS_OK},
    {"5 кг. сахара", "сахара", 5, "кг.", GOODS_OK},
    {"тетради 48 листов — 20 шт", "тетради 48 листов", 20, "шт", GOODS_OK},
    {"вода 5 л 10 бутылок", "вода 5 л", 10, "бутылок", GOODS_OK},
    {"носки 1 000 пар", "носки", 1000, "пар", GOODS_OK},
    {"носки 1\xC2\xA0"
     "000",
        "носки", 1000, NULL, GOODS_OK},
    {"салфетки 12 500 шт", "салфетки", 12500, "шт", GOODS_OK},
    {"- крупа 50 кг", "крупа", 50, "кг", GOODS_OK},
    {"• крупа 50 кг", "крупа", 50, "кг", GOODS_OK},
    {"1. крупа 50 кг", "крупа", 50, "кг", GOODS_OK},
    {"2) носки — 100 пар", "носки", 100, "пар", GOODS_OK},
    {"крупа 050 кг", "крупа", 50, "кг", GOODS_OK},
    {"крупа 1,5 кг 3 пачки", "крупа 1,5 кг", 3, "пачки", GOODS_OK},
    {"одеяла 100000", "одеяла", 100000, NULL, GOODS_OK},
    {"одеяла\r\n — 3", "одеяла", 3, NULL, GOODS_OK},
    {"кофе\x01\x7F 2", "кофе", 2, NULL, GOODS_OK},
    {"bad\xFF 2", "bad\xEF\xBF\xBD", 2, NULL, GOODS_OK},

    {"", NULL, 0, NULL, GOODS_EMPTY},
    {"   \t ", NULL, 0, NULL, GOODS_EMPTY},
    {"тёплые одеяла", NULL, 0, NULL, GOODS_NO_QUANTITY},
    {"крупа 1,5 кг", NULL, 0, NULL, GOODS_NO_QUANTITY},
    {"крупа полтора кг", NULL, 0, NULL, GOODS_NO_QUANTITY},
    {"носки 0", NULL, 0, NULL, GOODS_ZERO},
    {"носки — 0 пар", NULL, 0, NULL, GOODS_ZERO},
    {"носки 100001", NULL, 0, NULL, GOODS_TOO_LARGE},
    {"носки 99999999999999999999999", NULL, 0, NULL, GOODS_TOO_LARGE},
    {"20 шт", NULL, 0, NULL, GOODS_EMPTY_ITEM},
    {"20", NULL, 0, NULL, GOODS_EMPTY_ITEM},
    {"— 20 шт", NULL, 0, NULL, GOODS_EMPTY_ITEM},
    {": 20", NULL, 0, NULL, GOODS_EMPTY_ITEM},
    {"одеяла 20 штук, лучше шерстяные, можно б/у, но чистые", NULL, 0, NULL,
        GOODS_UNIT_TOO_LONG},
};

static void
test_goods_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]);
	     i++) {
		const struct line_case *c = &line_cases[i];
		struct goods_line g = {NULL, -7, NULL};
		enum goods_error err = GOODS_OK;
		int rc = goods_parse_line(c->line, MAX_QTY, &g, &err);

		if (err != c->err)
			print_error("line \"%s\": err %d, want %d\n", c->line,
			    (int)err, (int)c->err);
		assert_int_equal(err, c->err);
		if (c->err != GOODS_OK) {
			assert_int_equal(rc, -1);
			assert_null(g.item); /* untouched */
			assert_int_equal(g.quantity, -7);
			continue;
		}
		assert_int_equal(rc, 0);
		if (strcmp(g.item, c->item) != 0 || g.quantity != c->quantity)
			print_error("line \"%s\": item \"%s\" qty %lld\n",
			    c->line, g.item, (long long)g.quantity);
		assert_string_equal(g.item, c->item);
		assert_int_equal(g.quantity, c->quantity);
		if (c->unit == NULL)
			assert_null(g.unit);
		else
			assert_string_equal(g.unit, c->unit);
		goods_line_release(&g);
		assert_null(g.item);
		assert_null(g.unit);
	}
}

static void
test_goods_item_length(void **state)
{
	char line[512];
	struct goods_line g;
	enum goods_error err;
	size_t o = 0;

	(void)state;
	/* 100 two-byte letters are fine, 101 are not. */
	for (int i = 0; i < 100; i++) {
		memcpy(line + o, "я", 2);
		o += 2;
	}
	memcpy(line + o, " 5", 3);
	assert_int_equal(goods_parse_line(line, MAX_QTY, &g, &err), 0);
	assert_int_equal(strlen(g.item), 200);
	goods_line_release(&g);
	memcpy(line + o, "я 5", 5);
	assert_int_equal(goods_parse_line(line, MAX_QTY, &g, &err), -1);
	assert_int_equal(err, GOODS_ITEM_TOO_LONG);
}

static void
test_goods_release_null(void **state)
{
	struct goods_line g = {NULL, 0, NULL};

	(void)state;
	goods_line_release(NULL);
	goods_line_release(&g);
}

static void
test_goods_error_texts(void **state)
{
	(void)state;
	assert_string_equal(goods_error_text(GOODS_OK, "ru"), "");
	for (int e = GOODS_EMPTY; e <= GOODS_UNIT_TOO_LONG; e++) {
		const char *ru = goods_error_text((enum goods_error)e, "ru");
		const char *en = goods_error_text((enum goods_error)e, "en");

		assert_non_null(strstr(ru, "например: тёплые одеяла"));
		assert_non_null(strstr(en, "for example: тёплые одеяла"));
		assert_string_equal(goods_error_text((enum goods_error)e, NULL),
		    ru);
		for (int f = GOODS_EMPTY; f < e; f++)
			assert_string_not_equal(ru,
			    goods_error_text((enum goods_error)f, "ru"));
	}
}

/* Every example in the error texts parses. */
static void
test_goods_error_examples_parse(void **state)
{
	struct goods_line g;
	enum goods_error err;

	(void)state;
	assert_int_equal(goods_parse_line("тёплые одеяла — 20 шт", MAX_QTY, &g,
	                     &err),
	    0);
	goods_line_release(&g);
	assert_int_equal(goods_parse_line("тёплые одеяла (двуспальные) — 20 шт",
	                     MAX_QTY, &g, &err),
	    0);
	assert_string_equal(g.item, "тёплые одеяла (двуспальные)");
	goods_line_release(&g);
}

static void
test_goods_match(void **state)
{
	const char *const items[] = {"тёплые одеяла", "крупа", "подгузники",
	    "мыло хозяйственное", "вода", "носки детские", "носки взрослые",
	    "Ёлочные игрушки", "тетради 48 листов"};
	const size_t n = sizeof(items) / sizeof(items[0]);

	(void)state;
	assert_int_equal(goods_match("одеял", items, n), 0);
	assert_int_equal(goods_match("Одеяла", items, n), 0);
	assert_int_equal(goods_match("ОДЕЯЛО", items, n), 0);
	assert_int_equal(goods_match("теплые одеяла", items, n), 0);
	assert_int_equal(goods_match("тёплые", items, n), 0);
	assert_int_equal(goods_match("  одеяла!  ", items, n), 0);
	assert_int_equal(goods_match("крупа", items, n), 1);
	assert_int_equal(goods_match("крупы", items, n), 1);
	assert_int_equal(goods_match("крупу", items, n), 1);
	assert_int_equal(goods_match("подгузн", items, n), 2);
	assert_int_equal(goods_match("мыла", items, n), 3);
	assert_int_equal(goods_match("мылом", items, n), 3);
	assert_int_equal(goods_match("хозяйственного мыла", items, n), 3);
	assert_int_equal(goods_match("тёплых одеял", items, n), 0);
	assert_int_equal(goods_match("теплое одеяло", items, n), 0);
	assert_int_equal(goods_match("воды", items, n), 4);
	assert_int_equal(goods_match("воду", items, n), 4);
	assert_int_equal(goods_match("детские носки", items, n), 5);
	assert_int_equal(goods_match("носки для взрослых", items, n), -1);
	assert_int_equal(goods_match("носки взрослым", items, n), 6);
	assert_int_equal(goods_match("носки", items, n), -2);
	assert_int_equal(goods_match("елочные", items, n), 7);
	assert_int_equal(goods_match("ёлочные игрушки", items, n), 7);
	assert_int_equal(goods_match("тетради 48", items, n), 8);
	assert_int_equal(goods_match("тетради 12", items, n), -1);
	/* Too short to be a prefix, and unrelated words. */
	assert_int_equal(goods_match("од", items, n), -1);
	assert_int_equal(goods_match("кру", items, n), -1);
	assert_int_equal(goods_match("сахар", items, n), -1);
	assert_int_equal(goods_match("одеяла сахар", items, n), -1);
	assert_int_equal(goods_match("", items, n), -1);
	assert_int_equal(goods_match(" — ", items, n), -1);
	assert_int_equal(goods_match("одеяла", items, 0), -1);
}

static void
test_goods_match_prefers_closer(void **state)
{
	const char *const items[] = {
	    "тёплые одеяла", "одеяла", "вода", "водка для растирания", NULL};

	(void)state;
	/* The whole item beats one with a word left over. */
	assert_int_equal(goods_match("одеяла", items, 5), 1);
	assert_int_equal(goods_match("тёплые одеяла", items, 5), 0);
	/* "воды" is «вода» with its ending changed, closer than «водка». */
	assert_int_equal(goods_match("воды", items, 5), 2);
	assert_int_equal(goods_match("водки", items, 5), 3);
}

/* Splits line and checks the parts and how it was treated. */
static void
check_split(const char *line, enum goods_split want, size_t n_want, ...)
{
	char **parts = NULL;
	size_t n = 0;
	va_list ap;

	assert_int_equal(goods_split_line(line, &parts, &n), want);
	assert_int_equal(n, n_want);
	va_start(ap, n_want);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(parts[i], va_arg(ap, const char *));
	va_end(ap);
	goods_parts_free(parts, n);
}

/* Issue 18: several goods on one line. */
static void
test_goods_split_line(void **state)
{
	struct goods_line g;
	enum goods_error err;
	char **parts = NULL;
	size_t n = 0;

	(void)state;
	check_split("одеяла 20 шт, крупа 50 кг", GOODS_SPLIT_DONE, 2,
	    "одеяла 20 шт", "крупа 50 кг");
	check_split("одеяла - 20 шт; крупа - 50 кг", GOODS_SPLIT_DONE, 2,
	    "одеяла - 20 шт", "крупа - 50 кг");
	check_split("мыло 10, шампунь 5; вода 20 л", GOODS_SPLIT_DONE, 3,
	    "мыло 10", "шампунь 5", "вода 20 л");
	/* Not split. */
	check_split("тёплые одеяла — 20 шт", GOODS_SPLIT_NONE, 1,
	    "тёплые одеяла — 20 шт");
	check_split("  крупа 1,5 кг  ", GOODS_SPLIT_NONE, 1, "крупа 1,5 кг");
	check_split("одеяла 20 шт,", GOODS_SPLIT_NONE, 1, "одеяла 20 шт");
	check_split("куртки, шапки", GOODS_SPLIT_NONE, 1, "куртки, шапки");
	/* Some parts with a number, some without: ask. */
	check_split("одеяла, подушки 20 шт", GOODS_SPLIT_UNSURE, 1,
	    "одеяла, подушки 20 шт");
	/* The parts read as goods lines. */
	assert_int_equal(goods_split_line("одеяла - 20 шт; крупа - 50 кг",
	                     &parts, &n),
	    GOODS_SPLIT_DONE);
	assert_int_equal(goods_parse_line(parts[1], 1000, &g, &err), 0);
	assert_string_equal(g.item, "крупа");
	assert_int_equal(g.quantity, 50);
	assert_string_equal(g.unit, "кг");
	goods_line_release(&g);
	goods_parts_free(parts, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_goods_parse_table),
	    cmocka_unit_test(test_goods_item_length),
	    cmocka_unit_test(test_goods_release_null),
	    cmocka_unit_test(test_goods_error_texts),
	    cmocka_unit_test(test_goods_error_examples_parse),
	    cmocka_unit_test(test_goods_match),
	    cmocka_unit_test(test_goods_match_prefers_closer),
	    cmocka_unit_test(test_goods_split_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
