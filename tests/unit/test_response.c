/* Mapping Bot API answers to results, and token redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/log.h"
#include "dobrobot/tg/tg.h"

static void
parse(long status, const char *body, struct tg_result *r)
{
	tg_parse_response(status, body, strlen(body), 0, r);
}

static void
test_ok(void **state)
{
	(void)state;
	struct tg_result r;
	parse(200, "{\"ok\":true,\"result\":{\"message_id\":7}}", &r);
	assert_int_equal(r.outcome, TG_OK);
	assert_int_equal(json_integer_value(json_object_get(r.result,
	                     "message_id")),
	    7);
	tg_result_release(&r);
	parse(200, "{\"ok\":true,\"result\":[]}", &r);
	assert_int_equal(r.outcome, TG_OK);
	assert_true(json_is_array(r.result));
	tg_result_release(&r);
}

static void
test_errors(void **state)
{
	(void)state;
	struct tg_result r;
	parse(429,
	    "{\"ok\":false,\"error_code\":429,\"description\":\"Too "
	    "Many Requests: retry after 35\",\"parameters\":{\"retry_after\":35}}",
	    &r);
	assert_int_equal(r.outcome, TG_API_ERROR);
	assert_int_equal(r.err.code, 429);
	assert_int_equal(r.err.retry_after, 35);
	assert_true(tg_error_is_retryable(&r));
	tg_result_release(&r);

	parse(400,
	    "{\"ok\":false,\"error_code\":400,\"description\":\"Bad "
	    "Request: group chat was upgraded to a supergroup chat\","
	    "\"parameters\":{\"migrate_to_chat_id\":-1001234567890123}}",
	    &r);
	assert_int_equal(r.err.code, 400);
	assert_true(r.err.migrate_to == -1001234567890123LL);
	assert_false(tg_error_is_retryable(&r));
	tg_result_release(&r);

	parse(403,
	    "{\"ok\":false,\"error_code\":403,\"description\":"
	    "\"Forbidden: bot was blocked by the user\"}",
	    &r);
	assert_true(tg_error_is_blocked(&r));
	assert_false(tg_error_is_retryable(&r));
	tg_result_release(&r);

	parse(400,
	    "{\"ok\":false,\"error_code\":400,\"description\":\"Bad "
	    "Request: message is not modified: specified new message content "
	    "and reply markup are exactly the same\"}",
	    &r);
	assert_true(tg_error_is_not_modified(&r));
	tg_result_release(&r);

	parse(401,
	    "{\"ok\":false,\"error_code\":401,\"description\":"
	    "\"Unauthorized\"}",
	    &r);
	assert_int_equal(r.err.code, 401);
	assert_string_equal(r.err.description, "Unauthorized");
	assert_false(tg_error_is_retryable(&r));
	tg_result_release(&r);

	parse(500,
	    "{\"ok\":false,\"error_code\":500,\"description\":"
	    "\"Internal Server Error: restart\"}",
	    &r);
	assert_true(tg_error_is_retryable(&r));
	tg_result_release(&r);
}

static void
test_hostile_bodies(void **state)
{
	(void)state;
	struct tg_result r;
	const char *bodies[] = {
	    "<html><head><title>502 Bad Gateway</title></head></html>",
	    "{\"ok\":true,\"result\":[",
	    "",
	    "null",
	    "[]",
	    "{\"ok\":\"yes\"}",
	    "{\"ok\":true}",
	    "{\"ok\":false,\"error_code\":\"x\",\"parameters\":5}",
	    "{\"ok\":false,\"parameters\":{\"retry_after\":-5}}",
	    "{\"ok\":false,\"parameters\":{\"retry_after\":99999999999}}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		parse(i == 0 ? 502 : 200, bodies[i], &r);
		assert_int_not_equal(r.outcome, TG_OK);
		assert_non_null(r.err.description);
		assert_true(r.err.retry_after >= 0 &&
		    r.err.retry_after < 86400);
		tg_result_release(&r);
	}
	parse(502, bodies[0], &r);
	assert_int_equal(r.outcome, TG_BAD_RESPONSE);
	assert_true(tg_error_is_retryable(&r));
	tg_result_release(&r);
	/* The Retry-After header stands in for missing parameters. */
	tg_parse_response(429, "{\"ok\":false,\"error_code\":429}", 28, 7, &r);
	assert_int_equal(r.err.retry_after, 7);
	tg_result_release(&r);
}

/* The text of result[0].message.text in an OK answer. */
static const char *
first_text(const struct tg_result *r, size_t *len)
{
	json_t *t = json_object_get(json_object_get(json_array_get(r->result,
	                                                0),
	                                "message"),
	    "text");
	*len = json_string_length(t);
	return json_string_value(t);
}

/* Issue 17: one "\u0000" or lone "\ud800" in one update made the whole
 * getUpdates answer unreadable, and polling fetched it forever. */
static void
test_nul_and_lone_surrogates(void **state)
{
	(void)state;
	struct tg_result r;
	size_t len;

	parse(200,
	    "{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":"
	    "{\"text\":\"a\\u0000b\"}}]}",
	    &r);
	assert_int_equal(r.outcome, TG_OK);
	const char *t = first_text(&r, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(t, "a\0b", 3);
	tg_result_release(&r);

	const char *lone[][2] = {
	    {"\\ud800", "\xEF\xBF\xBD"}, {"x\\udfffy", "x\xEF\xBF\xBDy"},
	    {"\\ud800\\ud800\\udc00", "\xEF\xBF\xBD\xF0\x90\x80\x80"},
	    {"\\udbff\\u0041",
	        "\xEF\xBF\xBD"
	        "A"},
	    {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"}, /* a pair stays */
	    {"\\\\ud800", "\\ud800"}, /* an escaped backslash, then text */
	    {"\\ud800\\", NULL}, /* broken anyway: refused */
	};
	for (size_t i = 0; i < sizeof lone / sizeof *lone; i++) {
		char body[128];
		snprintf(body, sizeof body,
		    "{\"ok\":true,\"result\":"
		    "[{\"message\":{\"text\":\"%s\"}}]}",
		    lone[i][0]);
		parse(200, body, &r);
		if (lone[i][1] == NULL) {
			assert_int_equal(r.outcome, TG_BAD_RESPONSE);
		} else {
			assert_int_equal(r.outcome, TG_OK);
			t = first_text(&r, &len);
			assert_string_equal(t, lone[i][1]);
		}
		tg_result_release(&r);
	}
}

static void
check_scan(const char *body, bool found, int64_t want)
{
	int64_t id = 12345;
	assert_int_equal(tg_scan_update_id(body, strlen(body), &id), found);
	if (found)
		assert_true(id == want);
}

static void
test_scan_update_id(void **state)
{
	(void)state;
	check_scan("{\"ok\":true,\"result\":[{\"update_id\":805,\"message\":"
	           "{\"text\":\"\\ud800\"} ",
	    true, 805);
	check_scan("{\"result\":[{\"update_id\" :\n -7 ,", true, -7);
	/* The words inside a string are not the member. */
	check_scan("[{\"message\":{\"text\":\"\\\"update_id\\\":1\"}}]", false,
	    0);
	check_scan("[{\"message\":{\"text\":\"\\\"update_id\\\":1\"},"
	           "\"update_id\":9}]",
	    true, 9);
	check_scan("[{\"message\":{\"text\":\"x\"}}]", false, 0);
	check_scan("{\"update_id\":\"9\"}", false, 0);
	check_scan("{\"update_id\":1234567890123456789012}", false, 0);
	check_scan("{\"update_id\":", false, 0);
	check_scan("", false, 0);
}

/* tg_answer_brief says yes only where the full parse says TG_OK with the
 * same message_id; where it says no, the full parse decides. */
static void
check_brief(const char *body, bool accepted, int64_t want_id)
{
	int64_t id = 12345;
	size_t len = strlen(body);
	bool got = tg_answer_brief(body, len, &id);
	assert_int_equal(got, accepted);
	if (!got)
		return;
	assert_true(id == want_id);
	struct tg_result r;
	tg_parse_response(200, body, len, 0, &r);
	assert_int_equal(r.outcome, TG_OK);
	assert_true(r.message_id == want_id);
	tg_result_release(&r);
}

static void
test_answer_brief(void **state)
{
	(void)state;
	/* What Telegram sends back for a message: all of it is checked. */
	check_brief("{\"ok\":true,\"result\":{\"message_id\":1000001,\"from\":"
	            "{\"id\":666,\"is_bot\":true,\"first_name\":\"Бот\"},"
	            "\"chat\":{\"id\":-1001234567890,\"type\":\"supergroup\"},"
	            "\"date\":1733435000,\"text\":\"«привет» \\u00ab\\n\","
	            "\"entities\":[{\"offset\":0,\"length\":8,\"type\":"
	            "\"bold\"}],\"has_protected_content\":false,\"x\":null}}",
	    true, 1000001);
	check_brief(" {\"result\" : {\"message_id\" : 7} , \"ok\" : true}\n",
	    true, 7);
	check_brief("{\"ok\":true,\"result\":true}", true, 0);
	check_brief("{\"ok\":true,\"result\":{\"message_id\":\"7\"}}", true, 0);
	check_brief("{\"ok\":true,\"result\":{\"x\":{\"message_id\":5}}}", true,
	    0);
	check_brief("{\"ok\":true,\"result\":[{\"message_id\":5}]}", true, 0);
	/* A lone surrogate is what the client repairs: accepted as the full
	 * parse accepts it. */
	check_brief("{\"ok\":true,\"result\":{\"message_id\":3,\"text\":"
	            "\"\\ud800\"}}",
	    true, 3);
	/* Errors, envelopes that are not TG_OK, and malformed JSON: no. */
	const char *refused[] = {
	    "",
	    "   ",
	    "[]",
	    "null",
	    "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden\"}",
	    "{\"ok\":true}",
	    "{\"ok\":\"true\",\"result\":1}",
	    "{\"ok\":true,\"result\":1,\"ok\":true}",
	    "{\"ok\":true,\"result\":{\"message_id\":1,\"message_id\":2}}",
	    "{\"ok\":true,\"result\":{\"a\":1,\"b\":{\"c\":1,\"c\":1}}}",
	    "{\"ok\":true,\"result\":{\"message_id\":1}",
	    "{\"ok\":true,\"result\":{\"message_id\":1}}x",
	    "{\"ok\":true,\"result\":{\"message_id\":01}}",
	    "{\"ok\":true,\"result\":{\"message_id\":-}}",
	    "{\"ok\":true,\"result\":{\"message_id\":1,}}",
	    "{\"ok\":true,\"result\":[1,]}",
	    "{\"ok\":true,\"result\":{\"t\":\"a\tb\"}}",
	    "{\"ok\":true,\"result\":{\"t\":\"\\x\"}}",
	    "{\"ok\":true,\"result\":{\"t\":\"\\u12g4\"}}",
	    "{\"ok\":true,\"result\":{\"t\":\"\xC3\x28\"}}",
	    "{\"ok\":true,\"result\":{\"t\":\"\xED\xA0\x80\"}}",
	    "{\"ok\":true,\"result\":{\"t\":tru}}",
	    "{'ok':true,'result':1}",
	    /* Left to jansson: its verdict, not ours. */
	    "{\"ok\":true,\"result\":{\"message_id\":1.5}}",
	    "{\"ok\":true,\"result\":{\"message_id\":1e3}}",
	    "{\"ok\":true,\"result\":{\"message_id\":12345678901234567890}}",
	    "{\"ok\":true,\"result\":{\"m\\u0065ssage_id\":1}}",
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		check_brief(refused[i], false, 0);
	/* NUL bytes: inside a string only as an escape. */
	static const char raw_nul[] =
	    "{\"ok\":true,\"result\":{\"t\":\"a\0b\"}}";
	int64_t id;
	assert_false(tg_answer_brief(raw_nul, sizeof raw_nul - 1, &id));
	/* Nesting past the scanner's depth is jansson's to judge. */
	char deep[256];
	int n = snprintf(deep, sizeof deep, "{\"ok\":true,\"result\":");
	memset(deep + n, '[', 40);
	memset(deep + n + 40, ']', 40);
	snprintf(deep + n + 80, sizeof deep - (size_t)n - 80, "}");
	assert_false(tg_answer_brief(deep, strlen(deep), &id));
	struct tg_result r;
	parse(200, deep, &r);
	assert_int_equal(r.outcome, TG_OK);
	tg_result_release(&r);
}

static void
test_redaction(void **state)
{
	(void)state;
	const char *token = "123456:SECRET-token_xyz";
	char line[] = "GET https://api.telegram.org/bot123456:SECRET-token_xyz"
	              "/getMe failed; again 123456:SECRET-token_xyz";
	redact_in_place(line, token);
	assert_null(strstr(line, "SECRET"));
	assert_non_null(strstr(line, "/bot***********************/getMe"));
	char untouched[] = "nothing here";
	redact_in_place(untouched, token);
	assert_string_equal(untouched, "nothing here");
	redact_in_place(untouched, NULL);
	redact_in_place(untouched, "");
	assert_string_equal(untouched, "nothing here");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_hostile_bodies),
	    cmocka_unit_test(test_nul_and_lone_surrogates),
	    cmocka_unit_test(test_scan_update_id),
	    cmocka_unit_test(test_answer_brief),
	    cmocka_unit_test(test_redaction),
	};
	return cmocka_run_group_tests_name("tg response", tests, NULL, NULL);
}
