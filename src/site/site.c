/* The generator of the public website (see site.h): loads every published
 * action with its pledges and every organisation, renders the front page
 * and a page per action (pages.c), the directory of organisations and the
 * archive (archive.c) and the stylesheet, and hands the feeds to feeds.c;
 * the pieces of HTML they share are pieces.c. Pages are Russian, semantic
 * HTML5 with relative links (they work from any base path), and every
 * string a person typed goes through html_escape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dobrobot/core/log.h"
#include "dobrobot/store/store.h"
#include "dobrobot/core/xalloc.h"
#include "site_internal.h"
#include "dobrobot/view/view.h"

site_extra_fn site_extra_pages = NULL;

static const char stylesheet[] =
    "/* dobrobot: the public site's only stylesheet. */\n"
    ":root{--ink:#1b1f24;--muted:#4a525c;--accent:#0b5cad;"
    "--accent-ink:#fff;--line:#d5dae0;--bg:#fff;--card:#f6f8fa;"
    "--ok:#1d6b38}\n"
    "*{box-sizing:border-box}\n"
    "html{font-size:100%}\n"
    "body{margin:0;font-family:\"PT Sans\",\"Segoe UI\",Roboto,Arial,"
    "sans-serif;line-height:1.5;color:var(--ink);background:var(--bg)}\n"
    "main,footer{overflow-wrap:break-word}\n"
    ".skip{position:absolute;left:-999px}\n"
    ".skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\n"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    "header.site,main,footer{max-width:60rem;margin:0 auto;"
    "padding:0 1rem}\n"
    "header.site{display:flex;flex-wrap:wrap;align-items:baseline;"
    "justify-content:space-between;gap:.5rem;padding-top:1rem;"
    "padding-bottom:.5rem;border-bottom:2px solid var(--accent)}\n"
    ".brand{margin:0;font-size:1.25rem;font-weight:700}\n"
    ".brand a{color:var(--ink);text-decoration:none}\n"
    "nav ul{list-style:none;margin:0;padding:0;display:flex;"
    "flex-wrap:wrap;gap:1rem}\n"
    "a{color:var(--accent)}\n"
    "a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}\n"
    "h1{font-size:1.75rem;line-height:1.25;margin:1.25rem 0 .75rem}\n"
    "h2{font-size:1.35rem;margin:1.75rem 0 .75rem}\n"
    "h3{font-size:1.1rem;margin:0 0 .25rem}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(17rem,1fr));gap:1rem}\n"
    ".card{background:var(--card);border:1px solid var(--line);"
    "border-radius:.5rem;padding:1rem;display:flex;flex-direction:column;"
    "gap:.25rem}\n"
    ".card .help{margin-top:auto}\n"
    ".meta{color:var(--muted);margin:0}\n"
    ".progress{margin:.5rem 0}\n"
    ".progress dt{font-weight:700}\n"
    ".progress dd{margin:0 0 .5rem}\n"
    "progress{display:block;width:100%;height:.75rem;"
    "accent-color:var(--ok)}\n"
    "a.help{display:inline-block;background:var(--accent);"
    "color:var(--accent-ink);padding:.5rem 1.25rem;border-radius:.4rem;"
    "font-weight:700;text-decoration:none}\n"
    "a.help:hover{background:#084683}\n"
    ".helpers{padding-left:1.25rem}\n"
    ".st{font-size:.85rem;padding:0 .4rem;border-radius:.25rem;"
    "white-space:nowrap}\n"
    ".st.ok{background:#dcefe2;color:#14532d}\n"
    ".st.wait{background:#fdf0d5;color:#5c3d00}\n"
    ".facts{display:grid;grid-template-columns:max-content 1fr;"
    "gap:.15rem 1rem;margin:.75rem 0}\n"
    ".facts dt{font-weight:700}\n"
    ".facts dd{margin:0}\n"
    "article.action{max-width:44rem}\n"
    "figure{margin:1rem 0}\n"
    "figure img{max-width:100%;height:auto;border-radius:.4rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0}\n"
    "th,td{border:1px solid var(--line);padding:.4rem .5rem;"
    "text-align:left}\n"
    "td.num,th.num{text-align:right}\n"
    ".table-wrap{overflow-x:auto}\n"
    "footer{margin-top:2rem;padding-top:1rem;padding-bottom:2rem;"
    "border-top:1px solid var(--line);color:var(--muted)}\n"
    ".org{border-top:1px solid var(--line);padding-top:.5rem}\n"
    "@media (max-width:30rem){h1{font-size:1.45rem}"
    "th,td{padding:.3rem .3rem;font-size:.85rem}"
    "header.site{display:block}nav ul{margin-top:.5rem}}\n"
    "@media print{header.site nav,.skip,a.help,footer .feeds{display:none}"
    "body{font-size:11pt;color:#000}a{color:#000;text-decoration:none}"
    ".card{break-inside:avoid;border-color:#999;background:#fff}"
    "main a[href^=\"http\"]::after{content:\" (\" attr(href) \")\";"
    "font-size:9pt}progress{display:none}}\n";

/* ---- loading ---- */

static bool
file_exists(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT;
	struct stat sb;
	buf_printf(&p, "%s/%s", dir, rel);
	bool yes = stat(buf_str(&p), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > 0;
	buf_release(&p);
	return yes;
}

void
site_photo_name(const char *file_id, char out[40])
{
	/* FNV-1a, 64 bits: a stable short name; the file_id itself (which
	 * lets anyone holding the token fetch the file) never appears. */
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)file_id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(out, 40, "photos/%016llx.jpg", (unsigned long long)h);
}

/* A photo of the action (its poster, its closing photo) on disk,
 * fetching it the first time; `placed` gets its name when it is there. */
static void
place_photo(struct site_gen *g, struct site_item *it, const char *file_id,
    site_fetch_fn fetch, void *arg, char placed[40])
{
	char rel[40];
	site_photo_name(file_id, rel);
	if (!file_exists(g->dir, rel)) {
		if (fetch == NULL) {
			g->stats->photos_missing++;
			return;
		}
		struct buf dest = BUF_INIT, photos = BUF_INIT;
		buf_printf(&photos, "%s/photos", g->dir);
		if (site_make_dir(buf_str(&photos)) < 0)
			log_warn("cannot create %s: %s", buf_str(&photos),
			    strerror(errno));
		buf_printf(&dest, "%s/%s", g->dir, rel);
		char *cause = NULL;
		int rc = fetch(arg, file_id, buf_str(&dest), &cause);
		if (rc == 0)
			chmod(buf_str(&dest), 0644); /* a public file */
		if (rc < 0) {
			log_warn("site: the photo of action %lld could not be "
			         "fetched: %s",
			    (long long)it->a.id,
			    cause ? cause : "unknown error");
			g->stats->photos_missing++;
		} else {
			g->stats->photos_fetched++;
		}
		free(cause);
		buf_release(&dest);
		buf_release(&photos);
		if (rc < 0)
			return;
	}
	memcpy(placed, rel, 40);
}

static const struct org *
find_org(const struct site_gen *g, int64_t id)
{
	for (size_t i = 0; i < g->n_orgs; i++)
		if (g->orgs[i].id == id)
			return &g->orgs[i];
	return NULL;
}

static int
load_all(struct site_gen *g, site_fetch_fn fetch, void *arg)
{
	struct site_action_row *rows = NULL;
	size_t n = 0;
	if (orgs_list(g->st, 0, &g->orgs, &g->n_orgs) < 0 ||
	    site_action_rows(g->st, &rows, &n) < 0) {
		g->cause = xstrdup("cannot read the database");
		return -1;
	}
	g->items = xcalloc(n + 1, sizeof *g->items);
	for (size_t i = 0; i < n; i++) {
		struct site_item *it = &g->items[g->n_items];
		if (actions_load(g->st, rows[i].id, &it->a) != 1 ||
		    pledges_of_action(g->st, rows[i].id, &it->pledges,
		        &it->n_pledges) < 0) {
			action_release(&it->a);
			site_action_rows_free(rows, n);
			g->cause = xstrdup("cannot read an action");
			return -1;
		}
		g->n_items++;
		it->updated_at = rows[i].updated_at;
		it->org = it->a.org_id != 0 ? find_org(g, it->a.org_id) : NULL;
		it->gave = view_people_helped(it->pledges, it->n_pledges);
		if (it->a.closed && rows[i].result_photo != NULL)
			place_photo(g, it, rows[i].result_photo, fetch, arg,
			    it->photo);
		if (rows[i].poster != NULL)
			place_photo(g, it, rows[i].poster, fetch, arg,
			    it->poster);
	}
	site_action_rows_free(rows, n);
	g->stats->actions = g->n_items;
	g->stats->orgs = g->n_orgs;
	return 0;
}

static void
release_all(struct site_gen *g)
{
	for (size_t i = 0; i < g->n_items; i++) {
		action_release(&g->items[i].a);
		pledges_free(g->items[i].pledges, g->items[i].n_pledges);
	}
	free(g->items);
	for (size_t i = 0; i < g->n_orgs; i++)
		org_release(&g->orgs[i]);
	free(g->orgs);
	free(g->bot);
	free(g->cause);
}

int
site_put(struct site_gen *g, const char *rel, const struct buf *data)
{
	bool changed = false;
	char *cause = NULL;
	if (site_write_file(g->dir, rel, buf_str(data), data->len, &changed,
	        &cause) < 0) {
		free(g->cause);
		g->cause = cause;
		return -1;
	}
	g->stats->files++;
	if (changed)
		g->stats->files_written++;
	return 0;
}

/* ---- the whole site ---- */

/* mkdir -p. */
static int
make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (site_make_dir(p) < 0)
		rc = -1;
	free(p);
	return rc;
}

int
site_generate(struct store *st, const struct config *cfg, const char *dir,
    site_fetch_fn fetch, void *fetch_arg, struct site_stats *stats,
    char **cause)
{
	struct site_gen g;
	memset(&g, 0, sizeof g);
	memset(stats, 0, sizeof *stats);
	g.st = st;
	g.cfg = cfg;
	g.dir = dir;
	g.stats = stats;
	int rc = -1;
	if (make_dirs(dir) < 0) {
		struct buf why = BUF_INIT;
		buf_printf(&why, "cannot create %s: %s", dir, strerror(errno));
		g.cause = buf_detach(&why);
		goto out;
	}
	site_remove_stale_temps(dir);
	g.bot = store_state_get(st, "bot_username");
	if (g.bot != NULL && *g.bot == '\0') {
		free(g.bot);
		g.bot = NULL;
	}
	if (load_all(&g, fetch, fetch_arg) < 0)
		goto out;
	struct buf b = BUF_INIT;
	struct buf css = BUF_INIT;
	buf_puts(&css, stylesheet);
	if (site_put(&g, "style.css", &css) < 0) {
		buf_release(&css);
		goto out;
	}
	buf_release(&css);
	/* Pages that are linked to go first, the front page last: a crash
	 * midway leaves no link to a page that is not there yet. */
	for (size_t i = 0; i < g.n_items; i++) {
		char rel[48];
		buf_reset(&b);
		site_action_page(&b, &g, &g.items[i]);
		snprintf(rel, sizeof rel, "actions/%lld.html",
		    (long long)g.items[i].a.id);
		if (site_put(&g, rel, &b) < 0)
			goto out_buf;
	}
	buf_reset(&b);
	site_orgs_page(&b, &g);
	if (site_put(&g, "orgs.html", &b) < 0)
		goto out_buf;
	buf_reset(&b);
	site_archive_page(&b, &g);
	if (site_put(&g, "archive.html", &b) < 0)
		goto out_buf;
	if (site_extra_pages != NULL && site_extra_pages(&g, st, cfg) < 0)
		goto out_buf;
	if (site_write_feeds(&g) < 0)
		goto out_buf;
	buf_reset(&b);
	site_front_page(&b, &g);
	if (site_put(&g, "index.html", &b) < 0)
		goto out_buf;
	rc = 0;
out_buf:
	buf_release(&b);
out:
	if (rc < 0)
		*cause = xstrdup(g.cause ? g.cause : "cannot write the site");
	release_all(&g);
	return rc;
}
