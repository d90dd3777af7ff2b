/* `dobrobot export`: pledges for the NGO's own records, on stdout — one
 * action's (--action ID), a period's (--from/--to, every action, for
 * annual reports), or both — as the CSV the bot's /export sends or as JSON.
 * Read-only; the writers are store/export.c's. */
#include <errno.h>
#include <time.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/store/export.h"

#define EXPORT_USAGE \
	"usage: dobrobot export [--action ID] [--from YYYY-MM-DD]\n" \
	"                       [--to YYYY-MM-DD] [--format csv|json]\n" \
	"                       [--config FILE]\n"

/* Local midnight of "YYYY-MM-DD" (plus `days`), in wall ms. Returns 0 or
 * -1 when the text is not such a date. */
static int
parse_day(const char *s, int days, int64_t *out_ms)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	struct tm check = tm;
	if (mktime(&check) == (time_t)-1 || check.tm_mday != d ||
	    check.tm_mon != m - 1)
		return -1; /* 31.02 */
	tm.tm_mday += days;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out_ms = (int64_t)t * 1000;
	return 0;
}

static int
parse_action(const char *s, int64_t *id)
{
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: the value, or NULL when
 * argv[*i] is not this option. *missing is set when the value is absent. */
static const char *
option(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int
cli_export(const struct config *cfg, int argc, char **argv)
{
	struct export_filter f = {0};
	const char *format = "csv", *from = NULL, *to = NULL;
	for (int i = 0; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = option(argc, argv, &i, "--action", &missing)) !=
		    NULL) {
			if (parse_action(v, &f.action_id) < 0) {
				fprintf(stderr,
				    "dobrobot export: --action needs "
				    "an action's number, not \"%s\"\n",
				    v);
				return CLI_USAGE;
			}
		} else if ((v = option(argc, argv, &i, "--format", &missing)) !=
		    NULL) {
			format = v;
		} else if ((v = option(argc, argv, &i, "--from", &missing)) !=
		    NULL) {
			from = v;
		} else if ((v = option(argc, argv, &i, "--to", &missing)) !=
		    NULL) {
			to = v;
		} else {
			fprintf(stderr,
			    "dobrobot export: %s \"%s\"\n\n" EXPORT_USAGE,
			    missing ? "a value is missing after"
			            : "unexpected argument",
			    argv[i]);
			return CLI_USAGE;
		}
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr,
		    "dobrobot export: --format is csv or json, not "
		    "\"%s\"\n",
		    format);
		return CLI_USAGE;
	}
	/* --to is inclusive: the whole of that day. */
	if ((from != NULL && parse_day(from, 0, &f.from_ms) < 0) ||
	    (to != NULL && parse_day(to, 1, &f.to_ms) < 0)) {
		fprintf(stderr,
		    "dobrobot export: dates are written YYYY-MM-DD, "
		    "e.g. --from 2025-01-01 --to 2025-12-31\n");
		return CLI_USAGE;
	}
	if (f.from_ms != 0 && f.to_ms != 0 && f.to_ms <= f.from_ms) {
		fprintf(stderr, "dobrobot export: --to is before --from\n");
		return CLI_USAGE;
	}

	char *cause = NULL;
	struct store *st = cli_open_store(cfg, &cause);
	if (st == NULL) {
		fprintf(stderr, "dobrobot export: %s\n", cause);
		free(cause);
		return CLI_FAILED;
	}
	int rc = CLI_OK;
	struct export_row *rows = NULL;
	size_t n = 0;
	struct buf out = BUF_INIT;
	if (f.action_id > 0) {
		struct action a;
		int found = actions_load(st, f.action_id, &a);
		action_release(&a);
		if (found <= 0) {
			fprintf(stderr, "dobrobot export: %s\n",
			    found < 0 ? "cannot read the database"
			              : "there is no such action");
			rc = CLI_FAILED;
			goto out;
		}
	}
	if (export_rows(st, &f, &rows, &n) < 0) {
		fprintf(stderr, "dobrobot export: cannot read the pledges\n");
		rc = CLI_FAILED;
		goto out;
	}
	clock_refresh_offset();
	int w = strcmp(format, "json") == 0
	    ? export_json(&out, rows, n, &f, clock_wall_ms())
	    : export_csv(&out, rows, n, cfg->locale);
	if (w < 0 || fwrite(buf_str(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "dobrobot export: cannot write the export\n");
		rc = CLI_FAILED;
	}
out:
	buf_release(&out);
	export_rows_free(rows, n);
	store_close(st);
	return rc;
}
