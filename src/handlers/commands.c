/* The dispatch tables: commands, buttons, conversations, deep links and
 * periodic jobs. One row per entry; features add their rows here. */
#include <string.h>

#include "dobrobot/handlers/handler.h"
#include "actions.h"
#include "broadcast.h"
#include "documents.h"
#include "orgs.h"
#include "pledges.h"
#include "trust.h"
#include "privacy.h"
#include "roles.h"

const struct command_entry command_table[] = {
    {"start", ROLE_CITIZEN, IN_ANY, handle_start, MSG_CMD_START},
    {"help", ROLE_CITIZEN, IN_ANY, handle_help, MSG_CMD_HELP},
    {"cancel", ROLE_CITIZEN, IN_PRIVATE, handle_cancel, MSG_CMD_CANCEL},
    {"actions", ROLE_CITIZEN, IN_ANY, handle_actions, MSG_CMD_ACTIONS},
    {"action", ROLE_CITIZEN, IN_ANY, handle_action, MSG_CMD_ACTION},
    {"report", ROLE_CITIZEN, IN_ANY, handle_report, MSG_CMD_REPORT},
    {"orgs", ROLE_CITIZEN, IN_ANY, handle_orgs, MSG_CMD_ORGS},
    {"org", ROLE_CITIZEN, IN_ANY, handle_org, MSG_CMD_ORG},
    {"pledge", ROLE_CITIZEN, IN_PRIVATE, handle_pledge, MSG_CMD_PLEDGE},
    {"my", ROLE_CITIZEN, IN_PRIVATE, handle_my, MSG_CMD_MY},
    {"unpledge", ROLE_CITIZEN, IN_PRIVATE, handle_unpledge, MSG_CMD_UNPLEDGE},
    {"announce", ROLE_ORGANISER, IN_PRIVATE, handle_announce, MSG_CMD_ANNOUNCE},
    {"edit", ROLE_ORGANISER, IN_PRIVATE, handle_edit, MSG_CMD_EDIT},
    {"close", ROLE_ORGANISER, IN_ANY, handle_close, MSG_CMD_CLOSE},
    {"pledges", ROLE_ORGANISER, IN_ANY, handle_pledges, MSG_CMD_PLEDGES},
    {"contact", ROLE_ORGANISER, IN_PRIVATE, handle_contact, MSG_CMD_CONTACT},
    {"received", ROLE_ORGANISER, IN_ANY, handle_received, MSG_CMD_RECEIVED},
    {"export", ROLE_ORGANISER, IN_PRIVATE, handle_export, MSG_CMD_EXPORT},
    {"thank", ROLE_ORGANISER, IN_PRIVATE, handle_thank, MSG_CMD_THANK},
    {"subscribe", ROLE_CITIZEN, IN_PRIVATE, handle_subscribe,
        MSG_CMD_SUBSCRIBE},
    {"unsubscribe", ROLE_CITIZEN, IN_PRIVATE, handle_unsubscribe,
        MSG_CMD_UNSUBSCRIBE},
    {"broadcast", ROLE_ORGANISER, IN_PRIVATE, handle_broadcast,
        MSG_CMD_BROADCAST},
    {"broadcasts", ROLE_ORGANISER, IN_PRIVATE, handle_broadcasts,
        MSG_CMD_BROADCASTS},
    {"privacy", ROLE_CITIZEN, IN_ANY, handle_privacy, MSG_CMD_PRIVACY},
    {"forgetme", ROLE_CITIZEN, IN_PRIVATE, handle_forgetme, MSG_CMD_FORGETME},
    {"organisers", ROLE_ADMIN, IN_ANY, handle_organisers, MSG_CMD_ORGANISERS},
    {"grant", ROLE_ADMIN, IN_ANY, handle_grant, MSG_CMD_GRANT},
    {"revoke", ROLE_ADMIN, IN_ANY, handle_revoke, MSG_CMD_REVOKE},
    {"revoke_doc", ROLE_ADMIN, IN_PRIVATE, handle_revoke_doc,
        MSG_CMD_REVOKE_DOC},
    {"setgroup", ROLE_ADMIN, IN_GROUP, handle_setgroup, MSG_CMD_SETGROUP},
    {"addorg", ROLE_ADMIN, IN_PRIVATE, handle_addorg, MSG_CMD_ADDORG},
    {"editorg", ROLE_ADMIN, IN_PRIVATE, handle_editorg, MSG_CMD_EDITORG},
};

const size_t command_table_len = sizeof command_table / sizeof command_table[0];

const struct callback_entry callback_table[] = {
    {"an", ROLE_ORGANISER, announce_on_button},
    {"ae", ROLE_ORGANISER, edit_on_button},
    {"ac", ROLE_CITIZEN, actions_on_button},
    {"cl", ROLE_ORGANISER, close_on_button},
    {"pl", ROLE_CITIZEN, pledge_on_start_button},
    {"pf", ROLE_CITIZEN, pledge_on_flow_button},
    {"pd", ROLE_CITIZEN, pledge_repeat_on_button},
    {"my", ROLE_CITIZEN, my_on_button},
    {"bc", ROLE_ORGANISER, broadcast_on_button},
    {"bu", ROLE_CITIZEN, broadcast_footer_on_button},
    {"sub", ROLE_CITIZEN, subscribe_on_button},
    {"rm", ROLE_CITIZEN, reminders_on_button},
    {"fg", ROLE_CITIZEN, privacy_forget_button},
    {"sn", ROLE_CITIZEN, privacy_shown_button},
    {"ex", ROLE_CITIZEN, expiry_on_button},
    {"at", ROLE_ORGANISER, attendance_on_button},
    {"bk", ROLE_CITIZEN, book_on_button},
    {"dc", ROLE_CITIZEN, documents_on_button},
    {"og", ROLE_CITIZEN, orgs_on_button},
    {"oa", ROLE_ADMIN, orgs_on_admin_button},
};

const size_t callback_table_len = sizeof callback_table /
    sizeof callback_table[0];

const handler_fn free_text_handler = actions_free_text;

const struct flow_entry flow_table[] = {
    {"announce", ROLE_ORGANISER, "announce", announce_on_message},
    {"edit", ROLE_ORGANISER, "edit", edit_on_message},
    {"close", ROLE_ORGANISER, "close", close_on_message},
    {"pledge", ROLE_CITIZEN, "pledge", pledge_on_message},
    {"broadcast", ROLE_ORGANISER, "broadcast", broadcast_on_message},
    {"forget", ROLE_CITIZEN, "forgetme", privacy_forget_flow},
    {"attendance", ROLE_ORGANISER, "received", attendance_on_message},
    {"org", ROLE_ADMIN, "addorg", orgs_on_message},
    {"document", ROLE_CITIZEN, "my", documents_on_message},
};

const size_t flow_table_len = sizeof flow_table / sizeof flow_table[0];

const struct start_entry start_table[] = {
    {'a', start_action},
    {'p', start_pledge},
    {'o', start_org},
};

const size_t start_table_len = sizeof start_table / sizeof start_table[0];

const struct job_entry job_table[] = {
    {"progress", 2000, actions_progress_job},
    {"broadcasts", 1000, broadcast_job},
    {"reminders", 5000, reminders_job},
    {"digest", 2000, digest_job},
    {"expiry", 5000, expiry_job},
    {"documents", 1000, documents_job},
    {"forget-checkpoint", 2000, privacy_checkpoint_job},
    {"retention", 3600 * 1000, privacy_retention_job},
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
