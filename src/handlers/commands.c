/* The command table: one row per command (see handler.h). Later features add
 * their rows here. */
#include <string.h>

#include "dobrobot/handler.h"

const struct command_entry command_table[] = {
    {"start", ROLE_CITIZEN, IN_ANY, handle_start, MSG_CMD_START},
    {"help", ROLE_CITIZEN, IN_ANY, handle_help, MSG_CMD_HELP},
};

const size_t command_table_len = sizeof command_table / sizeof command_table[0];

const struct command_entry *
commands_find(const char *name)
{
	for (size_t i = 0; i < command_table_len; i++)
		if (strcmp(command_table[i].name, name) == 0)
			return &command_table[i];
	return NULL;
}
