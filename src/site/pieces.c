/* The pieces of HTML and text that the site's pages and feeds share (see
 * site_internal.h): escaping, a person's text as paragraphs, money, times,
 * public names, the opening and the end of every page, the help button, an
 * action's date line and its goal and progress. The pages themselves are
 * pages.c and archive.c, the feeds feeds.c, the run site.c. */
#include <string.h>
#include <time.h>

#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/view/view.h"
#include "dobrobot/text/when.h"
#include "site_internal.h"

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
	buf_printf(out, "%s%c%02ld:%02ld", s, sign, off / 3600,
	    (off % 3600) / 60);
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
			bool space = *p == '\n' || *p == '\r' || *p == '\t' ||
			    *p == ' ';
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
site_help_link(struct buf *b, const struct site_gen *g, const struct action *a)
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
			    progress_percent(a->money_received,
			        a->goal_kopecks));
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
			buf_printf(b, " (%lld ч)",
			    (long long)a->hours_received);
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
