/* The dispatch tables: commands, buttons, conversations, deep links and
 * periodic jobs. One row per entry; features add their rows here. */
#include <string.h>

#include "dobrobot/handler.h"

const struct command_entry command_table[] = {
    {"start", ROLE_CITIZEN, IN_ANY, handle_start, MSG_CMD_START},
    {"help", ROLE_CITIZEN, IN_ANY, handle_help, MSG_CMD_HELP},
    {"cancel", ROLE_CITIZEN, IN_PRIVATE, handle_cancel, MSG_CMD_CANCEL},
};

const size_t command_table_len = sizeof command_table / sizeof command_table[0];

const struct callback_entry callback_table[] = {
    {"noop", ROLE_CITIZEN, NULL},
};

const size_t callback_table_len =
    sizeof callback_table / sizeof callback_table[0];

const struct flow_entry flow_table[] = {
    {"none", NULL},
};

const size_t flow_table_len = sizeof flow_table / sizeof flow_table[0];

const struct start_entry start_table[] = {
    {'\0', NULL},
};

const size_t start_table_len = sizeof start_table / sizeof start_table[0];

const struct job_entry job_table[] = {
    {"none", 0, NULL},
};

const size_t job_table_len = sizeof job_table / sizeof job_table[0];

const struct command_entry *
commands_find(const char *name)
{
	for (size_t i = 0; i < command_table_len; i++)
		if (strcmp(command_table[i].name, name) == 0)
			return &command_table[i];
	return NULL;
}
