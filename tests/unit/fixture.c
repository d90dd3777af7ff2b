/* The unit tests' temporary database (see fixture.h). */
#include "fixture.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

int
fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char *cause = NULL;
	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/dobrobot-unit-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		perror("mkdtemp");
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/db/test.db", f->dir);
	config_defaults(&f->cfg);
	f->st = store_open(f->path, false, &cause);
	if (f->st == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		config_release(&f->cfg);
		free(f);
		return -1;
	}
	f->env.st = f->st;
	f->env.cfg = &f->cfg;
	f->env.bot_username = "dobro_test_bot";
	*state = f;
	return 0;
}

static int
remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	if (remove(path) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	config_release(&f->cfg);
	/* Children first (FTW_DEPTH), symbolic links not followed. */
	int rc = nftw(f->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc == 0 ? 0 : -1;
}

int64_t
fixture_scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(store_db(st)));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}
