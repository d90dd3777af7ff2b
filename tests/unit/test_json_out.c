/* json_out writes what json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) writes,
 * byte for byte, and the outbox stores payloads so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/json_out.h"

static void
check_same(json_t *v)
{
	struct buf b = BUF_INIT;
	assert_int_equal(json_out(&b, v), 0);
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(want);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(buf_str(&b), want, b.len);
	free(want);
	buf_release(&b);
	json_decref(v);
}

static void
test_as_jansson_writes(void **state)
{
	(void)state;
	/* A message as the handlers build it. */
	check_same(json_pack("{s:I, s:s, s:s, s:{s:b}, s:{s:[[{s:s, s:s}]]}}",
	    "chat_id", (json_int_t)-1001234567890LL, "text",
	    "<b>Сбор «Тёплый дом»</b>\n— одеяла 20 шт, крупа 50 кг",
	    "parse_mode", "HTML", "link_preview_options", "is_disabled", 1,
	    "reply_markup", "inline_keyboard", "text", "Помочь",
	    "callback_data", "p:12"));
	/* Every byte a string may hold: the C0 controls, quote, backslash,
	 * slash, DEL, NUL, multi-byte forms and U+2028. */
	char all[160];
	size_t n = 0;
	for (int c = 0; c < 0x80; c++)
		all[n++] = (char)c;
	memcpy(all + n, "\xD0\xAF\xE2\x80\xA8\xF0\x9F\x98\x80", 9);
	n += 9;
	check_same(json_stringn(all, n));
	check_same(json_pack("{s:s%}", "k\"\\\n/", all, n));
	check_same(json_pack("[i, I, I, b, b, n, s, [], {}]", 0,
	    (json_int_t)INT64_MAX, (json_int_t)INT64_MIN, 1, 0, ""));
	check_same(json_object());
	check_same(json_array());
	json_t *deep = json_pack("{s:[{s:[{s:[i]}]}]}", "a", "b", "c", 1);
	check_same(deep);
}

static void
test_real_numbers_left_to_jansson(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	json_t *v = json_pack("{s:s, s:f}", "text", "x", "latitude", 62.03);
	assert_int_equal(json_out(&b, v), -1);
	json_decref(v);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_as_jansson_writes),
	    cmocka_unit_test(test_real_numbers_left_to_jansson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
