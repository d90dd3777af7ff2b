/* `dobrobot site --out DIR`: the public website built once from the
 * database (see site.h), for a first deployment or a cron job on a machine
 * where the daemon does not write it itself. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/cli/cli.h"
#include "dobrobot/site/site.h"
#include "dobrobot/tg/tg.h"

#define SITE_USAGE \
	"usage: dobrobot site [--out DIR] [--no-photos] [--config FILE]\n"

int
cli_site(const struct config *cfg, int argc, char **argv)
{
	const char *out = cfg->site_dir;
	bool photos = true;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--no-photos") == 0) {
			photos = false;
		} else {
			fprintf(stderr,
			    "dobrobot: site: unexpected \"%s\"\n" SITE_USAGE,
			    argv[i]);
			return CLI_USAGE;
		}
	}
	if (out == NULL || *out == '\0') {
		fprintf(stderr,
		    "dobrobot: site: where should the site go? "
		    "Give --out DIR or set site.dir in the "
		    "configuration\n" SITE_USAGE);
		return CLI_USAGE;
	}
	char *cause = NULL;
	struct store *st = cli_open_store(cfg, &cause);
	if (st == NULL) {
		fprintf(stderr, "dobrobot: %s\n", cause);
		free(cause);
		return CLI_FAILED;
	}
	/* Photos need the token; without one the pages go out without the
	 * photos not fetched yet, and say so. */
	struct tg_client *tg = NULL;
	if (photos) {
		char *token = config_read_token(cfg, &cause);
		if (token != NULL) {
			tg = tg_client_new(cfg->api_base, token, 1);
			explicit_bzero(token, strlen(token));
			free(token);
		} else {
			fprintf(stderr,
			    "dobrobot: site: photos not fetched: "
			    "%s\n",
			    cause);
			free(cause);
			cause = NULL;
		}
	}
	struct site_stats stats;
	int rc = site_generate(st, cfg, out, tg ? site_fetch_photo : NULL, tg,
	    &stats, &cause);
	if (rc < 0) {
		fprintf(stderr, "dobrobot: site: %s\n", cause);
		free(cause);
	} else {
		printf("site written to %s: %zu files (%zu changed), %zu "
		       "actions, %zu organisations",
		    out, stats.files, stats.files_written, stats.actions,
		    stats.orgs);
		if (stats.photos_fetched > 0 || stats.photos_missing > 0)
			printf(", photos: %zu fetched, %zu missing",
			    stats.photos_fetched, stats.photos_missing);
		printf("\nopen %s/index.html in a browser, or serve %s with "
		       "any web server\n",
		    out, out);
	}
	tg_client_free(tg);
	store_close(st);
	return rc < 0 ? CLI_FAILED : CLI_OK;
}
