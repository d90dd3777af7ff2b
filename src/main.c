/* dobrobot's command line: run | migrate | check-config | status | backup |
 * dead-letters | export | import-orgs | site | version | help.
 * Exit status: 0 ok, 1 runtime failure, 2 usage or configuration error. */
#include <curl/curl.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/config.h"
#include "dobrobot/doc/pdf.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/store.h"
#include "dobrobot/view/view.h"

#define DOBROBOT_VERSION "0.1.0"
#define DEFAULT_CONFIG "config/dobrobot.json"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

struct subcommand {
	const char *name;
	int (*run)(const struct config *cfg);
	bool needs_config;
	const char *summary;
	const char *help;
};

static int cmd_run(const struct config *cfg);
static int cmd_migrate(const struct config *cfg);
static int cmd_check_config(const struct config *cfg);
static int cmd_status(const struct config *cfg);
static int cmd_backup(const struct config *cfg);
static int cmd_dead_letters(const struct config *cfg);
static int cmd_export(const struct config *cfg);
static int cmd_import_orgs(const struct config *cfg);
static int cmd_site(const struct config *cfg);
static int cmd_commands(const struct config *cfg);

static const struct subcommand subcommands[] = {
    {"run", cmd_run, true, "run the bot (long polling) until SIGTERM",
        "Runs the bot: long-polls the Bot API, answers, sends the outbox.\n"
        "The token comes from $DOBROBOT_TOKEN or the file named by token_file;\n"
        "never from the command line. Stops cleanly on SIGTERM or SIGINT.\n"},
    {"migrate", cmd_migrate, true, "create or upgrade the database and exit",
        "Applies pending schema migrations to db_path (a backup of an existing\n"
        "database is written first as <db_path>.bak-v<old version>).\n"},
    {"check-config", cmd_check_config, true,
        "validate the configuration; exit 0 if it is good, 2 if not",
        "Reads and validates the configuration file and prints\n"
        "\"configuration OK\" or the first error with its key path.\n"},
    {"status", cmd_status, true, "is the bot running? exit 0 if so, 1 if not",
        "usage: dobrobot status [--quiet] [--config FILE]\n\n"
        "Tells whether the daemon's loop is alive (its heartbeat, written every\n"
        "10 s, is younger than 60 s), the last update processed, the outbox by\n"
        "kind and state, broadcasts being sent, dead letters waiting and the\n"
        "database's size. Exit status 0 when alive, 1 when not. --quiet prints\n"
        "nothing (for Docker's HEALTHCHECK). Never creates or migrates the\n"
        "database.\n"},
    {"backup", cmd_backup, true, "copy the database safely, even while running",
        "usage: dobrobot backup FILE [--config FILE]\n\n"
        "Writes a consistent copy of db_path to FILE through SQLite's online\n"
        "backup API, safe while the daemon runs. FILE must not exist (it is\n"
        "never overwritten); it is created readable by its owner only (0600).\n"
        "To restore: stop the daemon, copy FILE to db_path, start the daemon.\n"},
    {"dead-letters", cmd_dead_letters, true,
        "list, show or replay updates that failed",
        "usage: dobrobot dead-letters [list [--all] | show ID | replay ID |\n"
        "                              replay --all] [--config FILE]\n\n"
        "A dead letter is an update a handler could not process: it was rolled\n"
        "back and kept with its error, and the person got an apology.\n"
        "  list [--all]  the letters waiting (--all: replayed ones too)\n"
        "  show ID       one letter: its error(s) and the update's JSON\n"
        "  replay ID     process it again, as if it had just arrived, in one\n"
        "                transaction; on success it is marked replayed, if it\n"
        "                fails again it stays, with the new error added\n"
        "  replay --all  every letter waiting, each in its own transaction\n"
        "Replies go to the outbox; the running daemon sends them.\n"},
    {"export", cmd_export, true,
        "pledges as CSV or JSON for the NGO's records and annual reports",
        "usage: dobrobot export [--action ID] [--from YYYY-MM-DD]\n"
        "                       [--to YYYY-MM-DD] [--format csv|json]\n"
        "                       [--config FILE]\n\n"
        "Writes pledges to stdout: one action's (--action), those made in a\n"
        "period (--from, --to: local dates, both inclusive; every action), or\n"
        "both. CSV (the default) is what the bot's /export sends: UTF-8 with a\n"
        "BOM, \";\" separators, CRLF, rubles as 1500,50, for Russian-locale\n"
        "Excel and LibreOffice; a cell starting with = + - @ gets a leading '\n"
        "so that it is never run as a formula. JSON has money in kopecks.\n"
        "Contributors appear as the bot shows them: \"Иван П.\" or anonymous.\n"},
    {"import-orgs", cmd_import_orgs, true,
        "add or update organisations from the council's CSV list",
        "usage: dobrobot import-orgs FILE.csv [--config FILE]\n\n"
        "Reads a spreadsheet's CSV export (UTF-8, with or without a BOM; \";\"\n"
        "or \",\" separators, found from the header) and stores one organisation\n"
        "a row, in one transaction. The header names the columns, in Russian\n"
        "or English, in any case and order: название/name (required),\n"
        "описание/description, услуги/services (one a line, or separated by\n"
        "\";\" in a \",\" file), телефон/phone, адрес/address,\n"
        "ссылка/сайт/link/site, направления/directions (the configured ones,\n"
        "separated by commas). Other columns are ignored with a warning.\n"
        "Each cell is checked as /addorg checks it. An organisation that is\n"
        "there already (the same name, whatever the case) is updated in the\n"
        "columns the file has, so importing a list again does not duplicate it.\n"
        "A refused row is reported as \"line N: column: why\" and skipped, and\n"
        "so is a row repeating an earlier row's name; the good rows are stored.\n"
        "Exit status: 0 every row imported, 1 some refused (or the database\n"
        "failed), 2 the file cannot be read, is over 10 MiB, is not UTF-8 or\n"
        "not well-formed CSV, or has no name column: then nothing is written.\n"},
    {"site", cmd_site, true, "write the public website once",
        "usage: dobrobot site [--out DIR] [--no-photos] [--config FILE]\n\n"
        "Writes the council's public website (HTML pages, style.css,\n"
        "feed.atom, calendar.ics, data.json) from the database into DIR\n"
        "(default: site.dir from the configuration). Each file is replaced\n"
        "atomically and only when it changed. Closing photos not yet in\n"
        "DIR/photos are fetched once through the Bot API (needs the token;\n"
        "--no-photos skips them). The daemon keeps the site current by\n"
        "itself when site.dir is set.\n"},
    {"commands", cmd_commands, true,
        "print the chat commands and buttons (name, role, where) as JSON",
        "Prints the command table that drives authorisation, /help and the\n"
        "command menus, and the button prefixes with the role they need.\n"},
    {"version", NULL, false, "print the version", "Prints the version.\n"},
    {"help", NULL, false, "show this help", "Shows the list of commands.\n"},
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: dobrobot <command> [--config FILE]\n\n"
	    "dobrobot is a Telegram bot for a city's non-profits and "
	    "volunteers.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
		fprintf(out, "  %-13s %s\n", subcommands[i].name,
		    subcommands[i].summary);
	fprintf(out,
	    "\noptions:\n  --config FILE  configuration (default "
	    "$DOBROBOT_CONFIG, else " DEFAULT_CONFIG ")\n"
	    "  --help         help for a command\n\n"
	    "exit status: 0 ok, 1 runtime failure, 2 usage or configuration "
	    "error\n");
}

/* The arguments that followed a command's name, other than --config and
 * --help, for the commands that take some. */
#define MAX_OPERANDS 8
static char *operands[MAX_OPERANDS];
static int n_operands;

static int
cmd_status(const struct config *cfg)
{
	return cli_status(cfg, n_operands, operands);
}

static int
cmd_backup(const struct config *cfg)
{
	return cli_backup(cfg, n_operands, operands);
}

static int
cmd_dead_letters(const struct config *cfg)
{
	return cli_dead_letters(cfg, n_operands, operands);
}

static int
cmd_export(const struct config *cfg)
{
	return cli_export(cfg, n_operands, operands);
}

static int
cmd_import_orgs(const struct config *cfg)
{
	return cli_import_orgs(cfg, n_operands, operands);
}

static int
cmd_site(const struct config *cfg)
{
	return cli_site(cfg, n_operands, operands);
}

static bool
takes_operands(const struct subcommand *sub)
{
	return sub->run == cmd_status || sub->run == cmd_backup ||
	    sub->run == cmd_dead_letters || sub->run == cmd_export ||
	    sub->run == cmd_import_orgs || sub->run == cmd_site;
}

static int
cmd_check_config(const struct config *cfg)
{
	(void)cfg;
	printf("configuration OK\n");
	return EXIT_OK;
}

static int
cmd_migrate(const struct config *cfg)
{
	char *cause = NULL;
	struct store *st = store_open(cfg->db_path, true, &cause);
	if (st == NULL) {
		fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		return EXIT_RUNTIME;
	}
	printf("database %s is at schema %d\n", cfg->db_path,
	    store_file_version(st));
	store_close(st);
	return EXIT_OK;
}

static int
cmd_commands(const struct config *cfg)
{
	(void)cfg;
	json_t *cmds = json_array(), *cbs = json_array();
	for (size_t i = 0; i < command_table_len; i++) {
		const struct command_entry *c = &command_table[i];
		json_t *where = json_array();
		if (c->where & IN_PRIVATE)
			json_array_append_new(where, json_string("private"));
		if (c->where & IN_GROUP)
			json_array_append_new(where, json_string("group"));
		json_array_append_new(cmds,
		    json_pack("{s:s, s:s, s:o}", "name", c->name, "role",
		        user_role_name(c->role), "where", where));
	}
	for (size_t i = 0; i < callback_table_len; i++)
		if (callback_table[i].run != NULL)
			json_array_append_new(cbs,
			    json_pack("{s:s, s:s}", "prefix",
			        callback_table[i].prefix, "role",
			        user_role_name(callback_table[i].role)));
	json_t *all = json_pack("{s:o, s:o}", "commands", cmds, "callbacks",
	    cbs);
	char *text = json_dumps(all, JSON_INDENT(1));
	json_decref(all);
	printf("%s\n", text ? text : "{}");
	free(text);
	return EXIT_OK;
}

static int
cmd_run(const struct config *cfg)
{
	char *cause = NULL;
	char *token = config_read_token(cfg, &cause);
	if (token == NULL) {
		fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		return EXIT_USAGE;
	}
	/* No core file, and no /proc/<pid>/mem or environ for other users:
	 * the token is in this process's memory. */
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Keep the token out of the environment of anything we might start
	 * and out of /proc/<pid>/environ, which shows the environment the
	 * process started with: unsetenv alone leaves those bytes. */
	char *env_token = getenv("DOBROBOT_TOKEN");
	if (env_token != NULL)
		explicit_bzero(env_token, strlen(env_token));
	unsetenv("DOBROBOT_TOKEN");
	log_set_secret(token);
	int rc = bot_run(cfg, token);
	document_library_release();
	explicit_bzero(token, strlen(token));
	free(token);
	log_set_secret(NULL);
	return rc;
}

int
main(int argc, char **argv)
{
	/* $DOBROBOT_CONFIG saves typing --config on a server or in a
	 * container (the image sets it); --config wins. */
	const char *config_path = getenv("DOBROBOT_CONFIG");
	if (config_path == NULL || *config_path == '\0')
		config_path = DEFAULT_CONFIG;
	const struct subcommand *sub = NULL;
	bool want_help = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			want_help = true;
		} else if (strcmp(argv[i], "--config") == 0) {
			if (++i == argc) {
				fprintf(stderr,
				    "dobrobot: --config needs a file\n");
				return EXIT_USAGE;
			}
			config_path = argv[i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			config_path = argv[i] + 9;
		} else if (sub == NULL && argv[i][0] != '-') {
			for (size_t k = 0;
			     k < sizeof subcommands / sizeof *subcommands; k++)
				if (strcmp(argv[i], subcommands[k].name) == 0)
					sub = &subcommands[k];
			if (sub == NULL) {
				fprintf(stderr,
				    "dobrobot: unknown command \"%s\"\n\n",
				    argv[i]);
				usage(stderr);
				return EXIT_USAGE;
			}
		} else if (n_operands < MAX_OPERANDS) {
			operands[n_operands++] = argv[i];
		} else {
			fprintf(stderr, "dobrobot: too many arguments\n");
			return EXIT_USAGE;
		}
	}
	if (n_operands > 0 && (sub == NULL || !takes_operands(sub))) {
		fprintf(stderr, "dobrobot: unexpected argument \"%s\"\n\n",
		    operands[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (sub == NULL) {
		usage(want_help ? stdout : stderr);
		return want_help ? EXIT_OK : EXIT_USAGE;
	}
	if (want_help) {
		/* Commands with arguments spell out their own usage line. */
		if (strncmp(sub->help, "usage:", 6) == 0)
			printf("%s", sub->help);
		else
			printf("usage: dobrobot %s [--config FILE]\n\n%s",
			    sub->name, sub->help);
		return EXIT_OK;
	}
	if (strcmp(sub->name, "version") == 0) {
		printf("dobrobot " DOBROBOT_VERSION " (sqlite %s, %s)\n",
		    sqlite3_libversion(), curl_version());
		return EXIT_OK;
	}
	if (strcmp(sub->name, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}

	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	if (config_load(&cfg, config_path, &cause) < 0) {
		fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		config_release(&cfg);
		return EXIT_USAGE;
	}
	view_use_config(&cfg);
	enum log_level level = LOG_INFO;
	log_level_parse(cfg.log_level, &level);
	log_init(level);
	/* Dates users type and dates we show are in the city's time zone. */
	setenv("TZ", cfg.timezone, 1);
	tzset();
	/* Keep a little slack at the top of the heap: without it glibc grows
	 * and shrinks the heap with brk() several times per update. */
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = sub->run(&cfg);
	curl_global_cleanup();
	config_release(&cfg);
	return rc;
}
