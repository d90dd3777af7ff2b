/* SQL of the public website (see site.h): the list of published actions
 * and a fingerprint of everything the site shows. */
#include "dobrobot/store/site.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/xalloc.h"

int
site_action_rows(struct store *st, struct site_action_row **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, result_photo, updated_at, poster_file_id FROM actions"
	    " ORDER BY id DESC");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct site_action_row *r = &(*out)[(*n)++];
		r->id = sqlite3_column_int64(s, 0);
		const char *photo = (const char *)sqlite3_column_text(s, 1);
		r->result_photo = photo != NULL && *photo != '\0'
		    ? xstrdup(photo)
		    : NULL;
		r->updated_at = sqlite3_column_int64(s, 2);
		const char *poster = (const char *)sqlite3_column_text(s, 3);
		r->poster = poster != NULL && *poster != '\0' ? xstrdup(poster)
		                                              : NULL;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		site_action_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
site_action_rows_free(struct site_action_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].result_photo);
		free(rows[i].poster);
	}
	free(rows);
}

char *
site_fingerprint(struct store *st)
{
	/* Every change of a pledge bumps its action's version; forgetting a
	 * person clears pledges' user_id; organisations keep updated_at. */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT (SELECT count(*) || ':' || total(version) || ':' ||"
	    "   ifnull(max(updated_at), 0) || ':' || count(result_photo) ||"
	    "   ':' || count(poster_file_id)"
	    "   FROM actions),"
	    " (SELECT count(*) || ':' || ifnull(max(updated_at), 0) ||"
	    "   ':' || count(user_id) || ':' || total(anonymous)"
	    "   FROM pledges),"
	    " (SELECT count(*) || ':' || ifnull(max(updated_at), 0) ||"
	    "   ':' || total(length(name) + ifnull(length(services), 0) +"
	    "   ifnull(length(description), 0) + length(directions))"
	    "   FROM orgs),"
	    " (SELECT value FROM bot_state WHERE key = 'bot_username')");
	char *out = NULL;
	if (sqlite3_step(s) == SQLITE_ROW) {
		struct buf b = BUF_INIT;
		for (int i = 0; i < 4; i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			buf_printf(&b, "%s|", v ? v : "");
		}
		out = buf_detach(&b);
	}
	sqlite3_reset(s);
	return out;
}
