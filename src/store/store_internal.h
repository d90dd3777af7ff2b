/* Shared between the files of src/store only. */
#ifndef DOBROBOT_STORE_INTERNAL_H
#define DOBROBOT_STORE_INTERNAL_H

#include <sqlite3.h>

#include "dobrobot/store/store.h"

/* The SQL statements (NULL-terminated) that bring the schema to `version`
 * (1-based), or NULL. */
const char *const *store_migration(int version);

/* Column i of the current row as a new string (xstrdup: the caller frees
 * it), or NULL when the value is NULL. */
char *column_dup(sqlite3_stmt *s, int i);

/* Steps a bound statement that returns one integer (a count) and resets
 * it: the integer, or -1 when no row came. */
int step_int(sqlite3_stmt *s);

#endif
