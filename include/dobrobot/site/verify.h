/* The public verify pages of recognition documents, in the public site's
 * folder (config site_dir): <site_dir>/verify/<code>/index.html, so that
 * <site_base_url>/verify/<code> works on a plain static server (nginx and
 * Caddy answer a folder with its index.html), and verify/index.html and
 * verify/404.html, which say what a missing page means («не найдено»).
 * A page shows the number, date, issuer, the holder's masked name and the
 * totals, or that the document was revoked. Every file is written whole
 * or not at all (a temporary file renamed over the old one), so a reader
 * never sees half a page. Callable from the site generator. */
#ifndef DOBROBOT_SITE_VERIFY_H
#define DOBROBOT_SITE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"

/* What a verify page says; strings borrowed, plain text (escaped here). */
struct verify_page {
	const char *code;
	int64_t number;
	const char *title; /* "Благодарственное письмо", "Справка ..." */
	const char *date; /* of issue, "05.12.2026" */
	const char *issuer;
	const char *holder; /* the full name: only its mask is written */
	const char *action; /* letters: the action, or NULL */
	const char *totals; /* "акций — 3; часов — 12", or NULL */
	bool revoked;
	const char *revoked_date; /* when revoked */
	const char *revoke_reason; /* may be NULL */
};

/* Writes data to path atomically, mode 0644 whatever the umask: a hidden
 * temporary file (".tmp-") in the same folder, flushed to disk, then
 * renamed over path. Returns 0, or -1 with *cause set to a new string. */
int site_write_atomic(const char *path, const char *data, size_t len,
    char **cause);

/* "Иван Петров" -> "И*** П***": the first letter of each word. */
void verify_mask_name(struct buf *out, const char *name);

/* Writes (or rewrites) the page of one document, and the folder's index
 * and 404 pages when missing. Returns 0, or -1 with *cause set. */
int verify_write(const char *site_dir, const struct verify_page *p,
    char **cause);

/* Removes the page of the document with this code (a missing one is not
 * an error): its address then answers «не найдено». Returns 0 or -1. */
int verify_remove(const char *site_dir, const char *code);

#endif
