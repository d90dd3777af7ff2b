/* Chat command parsing (see command.h). */
#include "dobrobot/text/command.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

int
command_parse(const char *text, const char *bot_username, struct command *out)
{
	if (text == NULL || text[0] != '/')
		return -1;
	const char *p = text + 1;
	size_t n = 0;
	while (is_name_char(p[n]))
		n++;
	if (n == 0 || n > COMMAND_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		out->name[i] = (char)tolower((unsigned char)p[i]);
	out->name[n] = '\0';
	p += n;
	out->for_other_bot = false;
	if (*p == '@') {
		const char *at = ++p;
		while (is_name_char(*p))
			p++;
		size_t len = (size_t)(p - at);
		out->for_other_bot = bot_username == NULL ||
		    len != strlen(bot_username) ||
		    strncasecmp(at, bot_username, len) != 0;
	}
	/* "/start123abc" is not "/start": the name must end the word. */
	if (*p != '\0' && !is_space(*p))
		return -1;
	while (is_space(*p))
		p++;
	out->args = p;
	return 0;
}
