/* What the public website (src/site/) reads of the database beyond the
 * other tables' own functions: the published actions with their closing
 * photos, and a fingerprint of everything the site shows. The SQL lives in
 * store/site.c. */
#ifndef DOBROBOT_STORE_SITE_H
#define DOBROBOT_STORE_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

/* An action as the site lists it, beyond what actions_load gives. */
struct site_action_row {
	int64_t id;
	char *result_photo; /* the closing photo's Telegram file_id, or NULL */
	char *poster; /* the announcement's poster's file_id, or NULL */
	int64_t updated_at; /* wall ms */
};

/* Every published action, newest first, into a new array *out of *n
 * (site_action_rows_free). Drafts live in conversations, never here.
 * Returns 0 or -1. */
int site_action_rows(struct store *st, struct site_action_row **out, size_t *n);
void site_action_rows_free(struct site_action_row *rows, size_t n);

/* A short string that changes whenever anything the site shows may have
 * changed (actions and their versions, pledges, organisations, the bot's
 * username), cheap enough to ask every few seconds. Returns a new string,
 * or NULL on error. */
char *site_fingerprint(struct store *st);

#endif
