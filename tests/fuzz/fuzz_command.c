/* libFuzzer target for command_parse and the command table lookup. The
 * first byte picks the bot's username (ours, none, empty); the rest is a
 * message text. Whatever it is, a parsed command has a lower-case Latin name
 * of 1 to 32 characters, its arguments lie inside the text and start with no
 * white space, "/name args" parses back to the same command, and the lookup
 * in the command table never fails for a parsed name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/command.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const usernames[] = {"dobro_test_bot", NULL, "", "A_b0t"};

static void
check(const char *text, const char *bot)
{
	struct command c, again;
	if (command_parse(text, bot, &c) < 0)
		return;
	size_t n = strlen(c.name);
	if (n == 0 || n > COMMAND_NAME_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!((c.name[i] >= 'a' && c.name[i] <= 'z') ||
		        (c.name[i] >= '0' && c.name[i] <= '9') ||
		        c.name[i] == '_'))
			abort();
	if (c.args < text || c.args > text + strlen(text))
		abort();
	if (strchr(" \t\r\n", c.args[0]) != NULL && c.args[0] != '\0')
		abort();
	/* The lookup takes any parsed name. */
	const struct command_entry *e = commands_find(c.name);
	if (e != NULL && strcmp(e->name, c.name) != 0)
		abort();
	/* "/name args" says the same thing (for our bot). */
	if (!c.for_other_bot) {
		size_t len = n + strlen(c.args) + 3;
		char *re = xmalloc(len);
		snprintf(re, len, "/%s%s%s", c.name, *c.args ? " " : "",
		    c.args);
		if (command_parse(re, bot, &again) < 0 ||
		    strcmp(again.name, c.name) != 0 || again.for_other_bot ||
		    strcmp(again.args, c.args) != 0)
			abort();
		free(re);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *bot = usernames[data[0] % 4];
	char *text = xstrndup((const char *)data + 1, size - 1);
	check(text, bot);
	free(text);
	return 0;
}
