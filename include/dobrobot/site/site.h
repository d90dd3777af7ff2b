/* The council's public website: static HTML pages, a stylesheet, an Atom
 * feed, an iCalendar file and one JSON document, generated from the
 * database into a directory that any web server serves (src/site/). Only
 * what is public goes out: published actions, their totals, the names
 * /report shows (pledge_display_name), organisations' cards and closing
 * results with their photos; never a Telegram id, a username or a draft.
 * The SQL it needs lives in store/site.c (dobrobot/store/site.h). */
#ifndef DOBROBOT_SITE_SITE_H
#define DOBROBOT_SITE_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/config.h"
#include "dobrobot/store/site.h"
#include "dobrobot/store/store.h"

/* ---- site/write.c: files that a reader never sees half-written ---- */

/* Writes len bytes to dir/rel (rel may hold one level of subdirectory,
 * created as needed) atomically, mode 0644 whatever the umask: a temporary file beside it, fsync, rename.
 * When the file already holds exactly these bytes nothing is written and
 * *changed is false. Returns 0, or -1 with *cause (new string). */
int site_write_file(const char *dir, const char *rel, const char *data,
    size_t len, bool *changed, char **cause);

/* mkdir with mode 0755 whatever the umask (the site is public); an
 * existing directory is fine. Returns 0 or -1 (errno set). */
int site_make_dir(const char *path);

/* Removes the temporary files a killed writer left in dir and its
 * subdirectories (names starting ".tmp-"). */
void site_remove_stale_temps(const char *dir);

/* ---- site/site.c: the generator ---- */

/* Fetches a Telegram file (by file_id) into the file at `dest`, which must
 * not be left half-written. Returns 0, or -1 with *cause. */
typedef int (*site_fetch_fn)(void *arg, const char *file_id, const char *dest,
    char **cause);

/* ---- site/fetch.c ---- */

/* The site's photo fetcher (a site_fetch_fn) through the Bot API: arg is a
 * struct tg_client. A photo over 10 MB is refused. */
int site_fetch_photo(void *arg, const char *file_id, const char *dest,
    char **cause);

/* What one generation did. */
struct site_stats {
	size_t files; /* files the site consists of */
	size_t files_written; /* of which rewritten because they changed */
	size_t photos_fetched; /* photos downloaded this time */
	size_t photos_missing; /* photos that could not be fetched */
	size_t actions, orgs;
};

/* The hook another part of the site adds its pages through (the issue 20
 * verify pages): called once per generation after the pages and before the
 * front page, with site_put to write each file. NULL: none. */
struct site_gen;
typedef int (*site_extra_fn)(struct site_gen *g, struct store *st,
    const struct config *cfg);
extern site_extra_fn site_extra_pages;

/* Writes one file of the site being generated (through site_write_file,
 * counted in the stats). Returns 0 or -1. */
int site_put(struct site_gen *g, const char *rel, const struct buf *data);

/* Generates the whole site into `dir` (created if missing). Every file is
 * rendered from the database; only files whose bytes changed are
 * rewritten, each atomically, the action and organisation pages before the
 * pages that link to them, so that a reader (or a crash) never meets a
 * half-written file or a link to a page that is not there yet. Closing
 * photos not yet in dir/photos are fetched through `fetch` (NULL: not
 * fetched; the page then shows no photo), once: a photo on disk is never
 * fetched again. Returns 0, or -1 with *cause (new string). */
int site_generate(struct store *st, const struct config *cfg, const char *dir,
    site_fetch_fn fetch, void *fetch_arg, struct site_stats *stats,
    char **cause);

/* The name a photo is stored under, "photos/<16 hex digits>.jpg": a hash
 * of its file_id, which never reveals the token (nor the file_id). */
void site_photo_name(const char *file_id, char out[40]);

#endif
