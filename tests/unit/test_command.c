/* Command parsing as Telegram delivers commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dobrobot/text/command.h"

static void
parses(const char *text, const char *name, const char *args, bool other)
{
	struct command c;
	assert_int_equal(command_parse(text, "Dobro_Test_Bot", &c), 0);
	assert_string_equal(c.name, name);
	assert_string_equal(c.args, args);
	assert_int_equal(c.for_other_bot, other);
}

static void
refuses(const char *text)
{
	struct command c;
	assert_int_equal(command_parse(text, "dobro_test_bot", &c), -1);
}

static void
test_plain_and_args(void **state)
{
	(void)state;
	parses("/start", "start", "", false);
	parses("/help   ", "help", "", false);
	parses("/pledge 12 500", "pledge", "12 500", false);
	parses("/pledge\n12", "pledge", "12", false);
	parses("/START", "start", "", false);
	parses("/my_pledges x", "my_pledges", "x", false);
}

static void
test_addressed(void **state)
{
	(void)state;
	parses("/start@dobro_test_bot", "start", "", false);
	parses("/start@DOBRO_TEST_BOT arg", "start", "arg", false);
	parses("/start@other_bot", "start", "", true);
	parses("/start@dobro_test_bot2", "start", "", true);
	parses("/start@", "start", "", true);
}

static void
test_not_commands(void **state)
{
	(void)state;
	refuses("");
	refuses("hello");
	refuses("/");
	refuses(" /start");
	refuses("/старт");
	refuses("/start-now");
	refuses("/abcdefghijklmnopqrstuvwxyz0123456"); /* 33 characters */
	struct command c;
	assert_int_equal(command_parse(NULL, "x", &c), -1);
}

static void
test_name_limit(void **state)
{
	(void)state;
	parses("/abcdefghijklmnopqrstuvwxyz012345", /* 32 characters */
	    "abcdefghijklmnopqrstuvwxyz012345", "", false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_args),
	    cmocka_unit_test(test_addressed),
	    cmocka_unit_test(test_not_commands),
	    cmocka_unit_test(test_name_limit),
	};
	return cmocka_run_group_tests_name("command", tests, NULL, NULL);
}
