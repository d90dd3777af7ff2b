/* Shared between the files of src/store only. */
#ifndef DOBROBOT_STORE_INTERNAL_H
#define DOBROBOT_STORE_INTERNAL_H

#include "dobrobot/store.h"

/* The SQL statements (NULL-terminated) that bring the schema to `version`
 * (1-based), or NULL. */
const char *const *store_migration(int version);

#endif
