/* Shared by handlers/documents.c (requests) and handlers/documents_make.c
 * (the job that makes them). */
#ifndef DOBROBOT_HANDLERS_DOCUMENTS_INTERNAL_H
#define DOBROBOT_HANDLERS_DOCUMENTS_INTERNAL_H

#include "dobrobot/core/config.h"
#include "dobrobot/store/documents.h"
#include "dobrobot/store/store.h"

/* The verify address of a code (new string), or NULL without a site. */
char *documents_verify_url(const struct config *cfg, const char *code);

/* Writes the document's verify page from what the row holds (a revoked
 * one says so). Without a configured site there is none. 0 or -1 with a
 * new *cause. */
int documents_write_page(struct store *st, const struct config *cfg,
    const struct document *d, char **cause);

/* qsort's order of int64_t ids, ascending. */
int documents_cmp_id(const void *x, const void *y);

#endif
