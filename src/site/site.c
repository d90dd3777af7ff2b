/* The generator of the public website (see site.h): loads every published
 * action with its pledges and every organisation, renders the front page
 * and a page per action (pages.c), the directory of organisations and the
 * archive (archive.c) and the stylesheet, and hands the feeds to feeds.c. Pages are Russian, semantic
 * HTML5 with relative links (they work from any base path), and every
 * string a person typed goes through html_escape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/text/money.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/store/store.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"
#include "site_internal.h"


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

/* ---- small pieces ---- */

void
site_esc(struct buf *b, const char *s)
{
	html_escape(b, s != NULL ? s : "");
}

/* Text a person typed, as paragraphs: a blank line starts a new one, a
 * single line break stays one. */
void
site_paragraphs(struct buf *b, const char *text, const char *cls)
{
	if (text == NULL || *text == '\0')
		return;
	const char *p = text;
	bool open = false;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool blank = true;
		for (size_t i = 0; i < len; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
				blank = false;
		if (blank) {
			if (open)
				buf_puts(b, "</p>\n");
			open = false;
		} else {
			if (!open) {
				if (cls != NULL)
					buf_printf(b, "<p class=\"%s\">", cls);
				else
					buf_puts(b, "<p>");
			} else {
				buf_puts(b, "<br>\n");
			}
			open = true;
			html_escape_n(b, p, len);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	if (open)
		buf_puts(b, "</p>\n");
}

void
site_money(struct buf *b, int64_t kopecks)
{
	money_format(b, kopecks);
}

void
site_iso_time(struct buf *out, int64_t unix_s)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	char s[32];
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return;
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	buf_printf(
	    out, "%s%c%02ld:%02ld", s, sign, off / 3600, (off % 3600) / 60);
}

void
site_ics_time(struct buf *out, int64_t unix_s)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	char s[32];
	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(s, sizeof s, "%Y%m%dT%H%M%SZ", &tm) != 0)
		buf_puts(out, s);
}

int
site_local_year(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return tm.tm_year + 1900;
}

void
site_unescape(struct buf *out, const char *s)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
	    {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
	while (*s != '\0') {
		size_t k;
		for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
			if (strncmp(s, ents[k].ent, strlen(ents[k].ent)) == 0)
				break;
		if (k < sizeof ents / sizeof ents[0]) {
			buf_putc(out, ents[k].c);
			s += strlen(ents[k].ent);
		} else {
			buf_putc(out, *s++);
		}
	}
}

void
site_public_name(struct buf *out, const struct pledge *p)
{
	struct buf h = BUF_INIT;
	pledge_display_name(&h, p, "ru");
	site_unescape(out, buf_str(&h));
	buf_release(&h);
}

void
site_given(struct buf *out, const struct pledge *p)
{
	struct buf h = BUF_INIT;
	report_describe_given(&h, p, "ru");
	site_unescape(out, buf_str(&h));
	buf_release(&h);
}

/* The opening of every page. `root` is "" for pages at the top and "../"
 * for those one folder down. */
void
site_page_open(struct buf *b, const char *root, const char *title_html,
    const char *description)
{
	buf_puts(b,
	    "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n");
	buf_printf(b, "<title>%s — " SITE_NAME "</title>\n", title_html);
	if (description != NULL) {
		/* One line of at most 200 bytes, cut between characters. */
		struct buf d = BUF_INIT;
		for (const char *p = description; *p != '\0'; p++) {
			bool space =
			    *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';
			if (space && (d.len == 0 || d.data[d.len - 1] == ' '))
				continue;
			if (d.len >= 200 && ((unsigned char)*p & 0xC0) != 0x80)
				break;
			buf_putc(&d, space ? ' ' : *p);
		}
		buf_puts(b, "<meta name=\"description\" content=\"");
		site_esc(b, buf_str(&d));
		buf_puts(b, "\">\n");
		buf_release(&d);
	}
	buf_printf(b,
	    "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n"
	    "<link rel=\"alternate\" type=\"application/atom+xml\" "
	    "title=\"Новые акции и итоги\" href=\"%sfeed.atom\">\n"
	    "</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">К содержанию</a>\n"
	    "<header class=\"site\">\n"
	    "<p class=\"brand\"><a href=\"%sindex.html\">" SITE_NAME
	    "</a></p>\n"
	    "<nav aria-label=\"Разделы сайта\"><ul>\n"
	    "<li><a href=\"%sindex.html\">Открытые акции</a></li>\n"
	    "<li><a href=\"%sorgs.html\">Организации</a></li>\n"
	    "<li><a href=\"%sarchive.html\">Архив и итоги</a></li>\n"
	    "</ul></nav>\n</header>\n<main id=\"main\">\n",
	    root, root, root, root, root, root);
}

void
site_page_close(struct buf *b, const struct site_gen *g, const char *root)
{
	buf_puts(b,
	    "</main>\n<footer>\n<p>Сайт совета некоммерческих "
	    "организаций и волонтёров города. Данные обновляются "
	    "сами, из бота");
	if (g->bot != NULL) {
		buf_puts(b, " <a href=\"https://t.me/");
		site_esc(b, g->bot);
		buf_puts(b, "\">@");
		site_esc(b, g->bot);
		buf_puts(b, "</a>");
	}
	buf_printf(b,
	    ".</p>\n<p class=\"feeds\">Для других сайтов: "
	    "<a href=\"%sfeed.atom\">лента Atom</a> · "
	    "<a href=\"%scalendar.ics\">календарь (.ics)</a> · "
	    "<a href=\"%sdata.json\">данные (JSON)</a></p>\n"
	    "</footer>\n</body>\n</html>\n",
	    root, root, root);
}

void
site_help_link(struct buf *b, const struct site_gen *g,
    const struct action *a)
{
	if (g->bot == NULL || a->closed)
		return;
	buf_puts(b, "<p><a class=\"help\" href=\"https://t.me/");
	site_esc(b, g->bot);
	buf_printf(b, "?start=p%lld\">Помочь<span class=\"vh\"> акции «",
	    (long long)a->id);
	site_esc(b, a->title);
	buf_puts(b, "»</span></a></p>\n");
}

void
site_when_html(struct buf *b, int64_t starts_at)
{
	buf_puts(b, "<time datetime=\"");
	site_iso_time(b, starts_at);
	buf_puts(b, "\">");
	when_format(b, (time_t)starts_at, "ru");
	buf_puts(b, "</time>");
}

static void
bar(struct buf *b, int64_t done, int64_t goal)
{
	int pct = progress_percent(done, goal);
	buf_printf(b, "<progress max=\"100\" value=\"%d\">%d%%</progress>",
	    pct > 100 ? 100 : pct, pct);
}

/* Goal and progress: money, each good, volunteers, as /report counts
 * them. */
void
site_progress_html(struct buf *b, const struct action *a)
{
	bool any = a->goal_kopecks > 0 || a->money_promised > 0 ||
	    a->n_needs > 0 || a->volunteers_needed > 0 ||
	    a->volunteers_promised > 0;
	if (!any)
		return;
	buf_puts(b, "<dl class=\"progress\">\n");
	if (a->goal_kopecks > 0 || a->money_promised > 0) {
		buf_puts(b, "<dt>Деньги</dt>\n<dd>");
		if (a->goal_kopecks > 0)
			bar(b, a->money_received, a->goal_kopecks);
		buf_puts(b, "Собрано ");
		site_money(b, a->money_received);
		if (a->goal_kopecks > 0) {
			buf_puts(b, " из ");
			site_money(b, a->goal_kopecks);
			buf_printf(b, " (%d%%)",
			    progress_percent(
			        a->money_received, a->goal_kopecks));
		}
		/* Once closed, nothing is awaited any more. */
		if (!a->closed && a->money_promised > a->money_received) {
			buf_puts(b, "; обещано ещё ");
			site_money(b, a->money_promised - a->money_received);
		}
		buf_puts(b, "</dd>\n");
	}
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct action_need *n = &a->needs[i];
		buf_puts(b, "<dt>");
		site_esc(b, n->item);
		buf_puts(b, "</dt>\n<dd>");
		bar(b, n->received, n->quantity);
		buf_printf(b, "Получено %lld из %lld", (long long)n->received,
		    (long long)n->quantity);
		if (n->unit != NULL && *n->unit != '\0') {
			buf_putc(b, ' ');
			site_esc(b, n->unit);
		}
		if (!a->closed && n->promised > n->received)
			buf_printf(b, "; ждём ещё %lld",
			    (long long)(n->promised - n->received));
		buf_puts(b, "</dd>\n");
	}
	if (a->volunteers_needed > 0 || a->volunteers_promised > 0) {
		buf_puts(b, "<dt>Волонтёры</dt>\n<dd>");
		if (a->volunteers_needed > 0) {
			bar(b, a->volunteers_promised, a->volunteers_needed);
			buf_printf(b, "Записались %lld из %lld",
			    (long long)a->volunteers_promised,
			    (long long)a->volunteers_needed);
		} else {
			buf_printf(b, "Записались %lld",
			    (long long)a->volunteers_promised);
		}
		if (a->volunteers_received > 0)
			buf_printf(b, "; пришли %lld",
			    (long long)a->volunteers_received);
		if (a->hours_received > 0)
			buf_printf(
			    b, " (%lld ч)", (long long)a->hours_received);
		buf_puts(b, "</dd>\n");
	}
	buf_puts(b, "</dl>\n");
}

/* Date, place and organisation in one line. */
void
site_meta_line(struct buf *b, const struct action *a, const char *root)
{
	bool sep = false;
	buf_puts(b, "<p class=\"meta\">");
	if (a->org_name != NULL) {
		buf_printf(b, "<a href=\"%sorgs.html#org-%lld\">", root,
		    (long long)a->org_id);
		site_esc(b, a->org_name);
		buf_puts(b, "</a>");
		sep = true;
	}
	if (a->starts_at > 0) {
		buf_puts(b, sep ? " · " : "");
		site_when_html(b, a->starts_at);
		sep = true;
	}
	if (a->place != NULL && *a->place != '\0') {
		buf_puts(b, sep ? " · " : "");
		site_esc(b, a->place);
		sep = true;
	}
	if (!sep)
		buf_puts(b, "Без даты, идёт постоянно");
	buf_puts(b, "</p>\n");
}

/* ---- loading ---- */

static int
cmp_int64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Distinct people whose help came, counted as /report counts them. */
static int64_t
people_who_gave(const struct pledge *list, size_t n)
{
	int64_t *ids = xcalloc(n + 1, sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == PLEDGE_RECEIVED)
			ids[k++] = list[i].user_id != 0 ? list[i].user_id
			                                : -list[i].id;
	qsort(ids, k, sizeof *ids, cmp_int64);
	int64_t people = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			people++;
	free(ids);
	return people;
}

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
		    pledges_of_action(
		        g->st, rows[i].id, &it->pledges, &it->n_pledges) < 0) {
			action_release(&it->a);
			site_action_rows_free(rows, n);
			g->cause = xstrdup("cannot read an action");
			return -1;
		}
		g->n_items++;
		it->updated_at = rows[i].updated_at;
		it->org = it->a.org_id != 0 ? find_org(g, it->a.org_id) : NULL;
		it->gave = people_who_gave(it->pledges, it->n_pledges);
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
	if (site_write_file(
	        g->dir, rel, buf_str(data), data->len, &changed, &cause) < 0) {
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
