/* Parsing a chat command as Telegram delivers it: "/cmd", "/cmd args",
 * "/cmd@botname args". Names are Latin letters, digits and underscores, at
 * most 32; Telegram clients may send any case, so the name is lower-cased. */
#ifndef DOBROBOT_TEXT_COMMAND_H
#define DOBROBOT_TEXT_COMMAND_H

#include <stdbool.h>

#define COMMAND_NAME_MAX 32

struct command {
	char name[COMMAND_NAME_MAX + 1]; /* lower case, without '/' */
	const char *args; /* points into the text: the rest, leading
	                     whitespace skipped; "" when none */
	bool for_other_bot; /* "/cmd@otherbot": not ours, ignore */
};

/* Returns 0 and fills *out when `text` starts with a command, -1 otherwise
 * (plain text, "/" alone, an over-long or non-Latin name). `bot_username`
 * (without '@') is compared case-insensitively. */
int command_parse(const char *text, const char *bot_username,
    struct command *out);

#endif
