/* The unit tests' temporary database: a fresh directory under /tmp with a
 * migrated SQLite file, the default configuration and a router environment
 * over it; removed again afterwards. Linked into every tests/unit/test_*. */
#ifndef DOBROBOT_TEST_FIXTURE_H
#define DOBROBOT_TEST_FIXTURE_H

#include <stdint.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"

struct fixture {
	char dir[64]; /* the temporary directory */
	char path[128]; /* dir/db/test.db */
	struct config cfg; /* config_defaults */
	struct store *st;
	struct router_env env; /* st, cfg, bot "dobro_test_bot" */
};

/* cmocka group or test setup: *state becomes a new fixture. Returns 0, or
 * -1 (with the reason on stderr). */
int fixture_setup(void **state);

/* cmocka teardown: closes the store, removes the directory and all in it,
 * frees the fixture. Returns 0 or -1. */
int fixture_teardown(void **state);

/* The first column of the first row of `sql` (e.g. a count), or -1 when
 * there is no row. Prepared afresh each time: unlike store_stmt, `sql` may
 * be any string. */
int64_t fixture_scalar(struct store *st, const char *sql);

#endif
