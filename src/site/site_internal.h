/* Shared between the files of src/site only: the data a generation walks
 * and the pieces of HTML and text its pages and feeds share. */
#ifndef DOBROBOT_SITE_INTERNAL_H
#define DOBROBOT_SITE_INTERNAL_H

#include "dobrobot/store/actions.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/site/site.h"

/* One published action with everything its page shows. */
struct site_item {
	struct action a;
	struct pledge *pledges; /* oldest first */
	size_t n_pledges;
	int64_t updated_at; /* wall ms */
	const struct org *org; /* NULL when run by no organisation */
	char photo[40]; /* "photos/<hash>.jpg" when on disk, else "" */
	char poster[40]; /* the same for the announcement's poster */
	int64_t gave; /* distinct people whose help came */
};

struct site_gen {
	struct store *st;
	const struct config *cfg;
	const char *dir;
	struct site_stats *stats;
	char *cause;
	char *bot; /* the bot's username, or NULL when not known yet */
	struct site_item *items; /* newest first */
	size_t n_items;
	struct org *orgs; /* alphabetical */
	size_t n_orgs;
};

#define SITE_NAME "Добрые дела города"

/* The public name of a pledge's author as /report shows it, plain text. */
void site_public_name(struct buf *out, const struct pledge *p);
/* What a pledge gave, as /report says it, plain text. */
void site_given(struct buf *out, const struct pledge *p);
/* Undoes html_escape on s into out (for feeds that escape their own way). */
void site_unescape(struct buf *out, const char *s);

/* "2026-11-30T15:00:00+09:00" (local) or, with utc, "20261130T060000Z". */
void site_iso_time(struct buf *out, int64_t unix_s);
void site_ics_time(struct buf *out, int64_t unix_s);
/* The year of a wall-ms moment in local time. */
int site_local_year(int64_t ms);

/* Pieces every page uses (pieces.c): escaped text (NULL as ""); a person's
 * text as paragraphs; money; the opening and the end of a page (`root` ""
 * at the top, "../" one folder down); a date; an action's goal and
 * progress; an organisation's contacts. */
void site_esc(struct buf *b, const char *s);
void site_paragraphs(struct buf *b, const char *text, const char *cls);
void site_money(struct buf *b, int64_t kopecks);
void site_page_open(struct buf *b, const char *root, const char *title_html,
    const char *description);
void site_page_close(struct buf *b, const struct site_gen *g, const char *root);
void site_when_html(struct buf *b, int64_t starts_at);
void site_progress_html(struct buf *b, const struct action *a);
/* The button that leads into the bot for an action; date, place and
 * organisation in one line. */
void site_help_link(struct buf *b, const struct site_gen *g,
    const struct action *a);
void site_meta_line(struct buf *b, const struct action *a, const char *root);

/* pages.c: an action's page, and the front page. site_contacts_html is
 * there too (an organisation's contacts as a description list). */
void site_action_page(struct buf *b, const struct site_gen *g,
    const struct site_item *it);
void site_front_page(struct buf *b, const struct site_gen *g);
void site_contacts_html(struct buf *b, const struct org *o);

/* archive.c: orgs.html, the directory of organisations, and archive.html,
 * the closed actions with each year's totals. */
void site_orgs_page(struct buf *b, const struct site_gen *g);
void site_archive_page(struct buf *b, const struct site_gen *g);

/* feeds.c: feed.atom, calendar.ics, data.json. */
int site_write_feeds(struct site_gen *g);

#endif
