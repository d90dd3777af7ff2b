/* The operator's commands: `dobrobot status`, `backup`, `dead-letters`,
 * `export`, `import-orgs` and `site`. Each gets the loaded configuration and its
 * own arguments (what followed its name on the command line, without
 * --config and --help), prints for a person on stdout (errors on stderr) and returns
 * the exit status: 0 ok, 1 runtime failure, 2 usage error. None of them
 * creates or migrates the database: that is `dobrobot migrate`'s and the
 * daemon's job, done with a backup first. */
#ifndef DOBROBOT_CLI_CLI_H
#define DOBROBOT_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* The daemon writes bot_state 'heartbeat' (Unix seconds) every 10 s; one
 * older than this means the loop is not running. */
#define CLI_HEARTBEAT_FRESH_S 60

/* `status [--quiet]`: is the loop alive, the last update, the outbox by kind
 * and state, broadcasts being sent, dead letters, the database's size.
 * Returns 0 when the heartbeat is fresh, 1 when it is not (or the database
 * cannot be read). --quiet prints nothing but usage errors: for Docker's
 * HEALTHCHECK. */
int cli_status(const struct config *cfg, int argc, char **argv);

/* `backup FILE`: a consistent copy of the live database through SQLite's
 * online backup API, safe while the daemon runs. FILE must not exist; it is
 * created with mode 0600. */
int cli_backup(const struct config *cfg, int argc, char **argv);

/* `dead-letters [list [--all] | show ID | replay ID | replay --all]`. */
int cli_dead_letters(const struct config *cfg, int argc, char **argv);

/* `export [--action ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 * [--format csv|json]`: pledges on stdout, as the bot's /export writes
 * them (see export.h); --to is inclusive, dates are local. */
int cli_export(const struct config *cfg, int argc, char **argv);

/* `import-orgs FILE.csv`: the council's list of organisations, as its
 * spreadsheet exports it (UTF-8, ";" or ",", a header line naming the
 * columns in Russian or English: название/name, описание/description,
 * услуги/services, телефон/phone, адрес/address, ссылка/сайт/link/site,
 * направления/directions; others are ignored with a warning). Every row
 * whose cells pass orgfield_check is stored in one transaction, by name: an
 * organisation already there (same org_name_key) is updated in the
 * columns the file has, so importing twice does not duplicate. A refused
 * row is reported on stderr as "line N: column: why" and skipped; so is a
 * row repeating an earlier row's name. The file is refused whole (exit 2,
 * nothing written) when it cannot be read, is over 10 MiB, is not UTF-8,
 * is not well-formed CSV or has no name column. Returns 0 when every row
 * was imported, 1 when some were refused (the rest are committed) or the
 * database failed, 2 on those usage errors. */
int cli_import_orgs(const struct config *cfg, int argc, char **argv);

/* `site [--out DIR] [--no-photos]`: writes the public website (site.h)
 * into DIR (default: site.dir), fetching closing photos it does not have
 * yet through the Bot API when a token is at hand. Returns 0 when written,
 * 1 on failure, 2 on usage errors. */
int cli_site(const struct config *cfg, int argc, char **argv);

/* Opens the existing database at cfg->db_path for the operator's commands:
 * never creates it, and refuses (returns NULL with *cause, caller frees) a
 * database whose schema is not the one this build writes, rather than
 * migrating it behind the daemon's back. */
struct store *cli_open_store(const struct config *cfg, char **cause);

/* The heartbeat's age in seconds (now minus the last beat, by the wall clock
 * shifted by $DOBROBOT_CLOCK_OFFSET_FILE as the daemon's is). Returns true
 * when the daemon's loop is alive; *age_s is -1 when there was never a
 * heartbeat. */
bool cli_daemon_alive(struct store *st, int64_t *age_s);

/* Formats Unix seconds in the configured time zone (main sets TZ), e.g.
 * "2025-03-08 14:05:09 +09". */
void cli_format_time(int64_t unix_s, char *out, size_t size);

#endif
