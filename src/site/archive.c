/* The public site's directory of organisations (orgs.html) and its
 * archive of closed actions with the totals of each year (archive.html).
 * The other pages are pages.c. */
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

/* ---- the directory of organisations ---- */

static void
lines_list(struct buf *b, const char *lines)
{
	buf_puts(b, "<ul>\n");
	const char *p = lines;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0) {
			buf_puts(b, "<li>");
			html_escape_n(b, p, len);
			buf_puts(b, "</li>\n");
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	buf_puts(b, "</ul>\n");
}

static void
org_actions(struct buf *b, const struct site_gen *g, const struct org *o,
    bool closed)
{
	bool any = false;
	for (size_t i = 0; i < g->n_items; i++) {
		const struct action *a = &g->items[i].a;
		if (a->org_id != o->id || a->closed != closed)
			continue;
		if (!any)
			buf_printf(b, "<h4>%s</h4>\n<ul>\n",
			    closed ? "Прошедшие акции" : "Открытые акции");
		any = true;
		buf_printf(b, "<li><a href=\"actions/%lld.html\">",
		    (long long)a->id);
		site_esc(b, a->title);
		buf_puts(b, "</a>");
		if (closed) {
			buf_puts(b, " — завершена ");
			report_date(b, a->closed_at);
		} else if (a->starts_at > 0) {
			buf_puts(b, " — ");
			site_when_html(b, a->starts_at);
		}
		buf_puts(b, "</li>\n");
	}
	if (any)
		buf_puts(b, "</ul>\n");
}

void
site_orgs_page(struct buf *b, const struct site_gen *g)
{
	site_page_open(b, "", "Организации совета",
	    "Некоммерческие организации города: услуги, контакты, "
	    "направления и акции.");
	buf_puts(b, "<h1>Организации совета</h1>\n");
	if (g->n_orgs == 0) {
		buf_puts(b, "<p>Список организаций пока не заполнен.</p>\n");
	} else {
		buf_printf(b,
		    "<p>Организаций в совете: %zu. У каждой — услуги, "
		    "контакты и акции.</p>\n<nav "
		    "aria-label=\"Список организаций\"><ul>\n",
		    g->n_orgs);
		for (size_t i = 0; i < g->n_orgs; i++) {
			buf_printf(b, "<li><a href=\"#org-%lld\">",
			    (long long)g->orgs[i].id);
			site_esc(b, g->orgs[i].name);
			buf_puts(b, "</a></li>\n");
		}
		buf_puts(b, "</ul></nav>\n");
	}
	for (size_t i = 0; i < g->n_orgs; i++) {
		const struct org *o = &g->orgs[i];
		buf_printf(b,
		    "<article class=\"org\" id=\"org-%lld\" "
		    "aria-labelledby=\"org-%lld-name\">\n<h2 "
		    "id=\"org-%lld-name\">",
		    (long long)o->id, (long long)o->id, (long long)o->id);
		site_esc(b, o->name);
		buf_puts(b, "</h2>\n");
		site_paragraphs(b, o->description, NULL);
		if (o->services != NULL && *o->services != '\0') {
			buf_puts(b, "<h3>Услуги</h3>\n");
			lines_list(b, o->services);
		}
		if (o->directions != NULL && *o->directions != '\0') {
			buf_puts(b, "<h3>Направления</h3>\n");
			lines_list(b, o->directions);
		}
		if (o->phone != NULL || o->address != NULL || o->link != NULL) {
			buf_puts(b, "<h3>Контакты</h3>\n");
			site_contacts_html(b, o);
		}
		buf_puts(b, "<h3>Акции</h3>\n");
		size_t before = b->len;
		org_actions(b, g, o, false);
		org_actions(b, g, o, true);
		if (b->len == before)
			buf_puts(b, "<p>Акций пока не было.</p>\n");
		buf_puts(b, "</article>\n");
	}
	site_page_close(b, g, "");
}

/* ---- the archive ---- */

struct year_total {
	int year;
	int64_t actions, money, goods, volunteers, hours;
};

static int
cmp_closed(const void *x, const void *y)
{
	const struct site_item *a = *(const struct site_item *const *)x;
	const struct site_item *b = *(const struct site_item *const *)y;
	if (a->a.closed_at != b->a.closed_at)
		return a->a.closed_at > b->a.closed_at ? -1 : 1;
	return a->a.id > b->a.id ? -1 : a->a.id < b->a.id;
}

/* Closed actions, most recently closed first, in a new array. */
static const struct site_item **
closed_items(const struct site_gen *g, size_t *n)
{
	const struct site_item **c = xcalloc(g->n_items + 1, sizeof *c);
	*n = 0;
	for (size_t i = 0; i < g->n_items; i++)
		if (g->items[i].a.closed)
			c[(*n)++] = &g->items[i];
	qsort(c, *n, sizeof *c, cmp_closed);
	return c;
}

static void
add_to_year(struct year_total *y, const struct action *a)
{
	y->actions++;
	y->money += a->money_received;
	for (size_t i = 0; i < a->n_needs; i++)
		y->goods += a->needs[i].received;
	y->volunteers += a->volunteers_received;
	y->hours += a->hours_received;
}

void
site_archive_page(struct buf *b, const struct site_gen *g)
{
	site_page_open(b, "", "Архив и итоги",
	    "Завершённые акции совета НКО: итоги, фото и что собрано за "
	    "каждый год.");
	buf_puts(b, "<h1>Архив и итоги</h1>\n");
	size_t n;
	const struct site_item **c = closed_items(g, &n);
	if (n == 0) {
		buf_puts(b, "<p>Завершённых акций пока нет.</p>\n");
		free(c);
		site_page_close(b, g, "");
		return;
	}
	/* Totals per year, newest year first (c is sorted that way). */
	struct year_total *years = xcalloc(n, sizeof *years);
	size_t n_years = 0;
	for (size_t i = 0; i < n; i++) {
		int y = site_local_year(c[i]->a.closed_at);
		if (n_years == 0 || years[n_years - 1].year != y)
			years[n_years++].year = y;
		add_to_year(&years[n_years - 1], &c[i]->a);
	}
	buf_puts(b,
	    "<h2>Что собрано по годам</h2>\n<div class=\"table-wrap\">"
	    "<table>\n<thead><tr><th scope=\"col\">Год</th>"
	    "<th scope=\"col\" class=\"num\">Акций</th>"
	    "<th scope=\"col\" class=\"num\">Деньги</th>"
	    "<th scope=\"col\" class=\"num\">Вещи, единиц</th>"
	    "<th scope=\"col\" class=\"num\">Волонтёры</th>"
	    "<th scope=\"col\" class=\"num\">Часы</th></tr></thead>\n"
	    "<tbody>\n");
	for (size_t i = 0; i < n_years; i++) {
		const struct year_total *y = &years[i];
		buf_printf(b,
		    "<tr><th scope=\"row\">%d</th><td class=\"num\">"
		    "%lld</td><td class=\"num\">",
		    y->year, (long long)y->actions);
		site_money(b, y->money);
		buf_printf(b,
		    "</td><td class=\"num\">%lld</td><td class=\"num\">"
		    "%lld</td><td class=\"num\">%lld</td></tr>\n",
		    (long long)y->goods, (long long)y->volunteers,
		    (long long)y->hours);
	}
	buf_puts(b, "</tbody>\n</table></div>\n");
	int year = -1;
	for (size_t i = 0; i < n; i++) {
		const struct site_item *it = c[i];
		const struct action *a = &it->a;
		int y = site_local_year(a->closed_at);
		if (y != year) {
			if (year != -1)
				buf_puts(b, "</section>\n");
			buf_printf(b,
			    "<section aria-labelledby=\"y%d\">\n"
			    "<h2 id=\"y%d\">%d</h2>\n",
			    y, y, y);
			year = y;
		}
		buf_printf(b,
		    "<article class=\"org\">\n<h3><a href=\"actions/"
		    "%lld.html\">",
		    (long long)a->id);
		site_esc(b, a->title);
		buf_puts(b, "</a></h3>\n<p class=\"meta\">Завершена ");
		report_date(b, a->closed_at);
		if (a->org_name != NULL) {
			buf_puts(b, " · ");
			site_esc(b, a->org_name);
		}
		buf_printf(b, " · помогли: %lld</p>\n", (long long)it->gave);
		if (a->result != NULL && *a->result != '\0')
			site_paragraphs(b, a->result, NULL);
		site_progress_html(b, a);
		buf_puts(b, "</article>\n");
	}
	buf_puts(b, "</section>\n");
	free(years);
	free(c);
	site_page_close(b, g, "");
}
