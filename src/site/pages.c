/* The public site's pages of actions: one page per action (a/<id>.html,
 * with its helpers, contacts and photos) and the front page (index.html,
 * the open actions by direction). */
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

/* People named on an action's page; the rest are counted, as in /report. */
#define SITE_NAMES_MAX 30

/* ---- the page of one action ---- */

static void
helpers_html(struct buf *b, const struct site_item *it)
{
	const struct action *a = &it->a;
	buf_puts(b,
	    "<section aria-labelledby=\"helpers\">\n"
	    "<h2 id=\"helpers\">Кто помогает</h2>\n");
	if (a->helpers == 0) {
		buf_puts(b,
		    a->closed ? "<p>Никто не откликнулся.</p>\n"
		              : "<p>Пока никто не откликнулся — "
		                "станьте первым!</p>\n");
		buf_puts(b, "</section>\n");
		return;
	}
	buf_printf(b, "<p>Помогают: %lld (уже передали помощь: %lld)</p>\n",
	    (long long)a->helpers, (long long)it->gave);
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < it->n_pledges; i++) {
		const struct pledge *p = &it->pledges[i];
		if (p->status != PLEDGE_PLEDGED && p->status != PLEDGE_RECEIVED)
			continue;
		if (shown == SITE_NAMES_MAX) {
			more++;
			continue;
		}
		if (shown == 0)
			buf_puts(b, "<ul class=\"helpers\">\n");
		/* The name exactly as /report shows it: «аноним» unless the
		 * person let their name be shown, never a username or an
		 * id, gone with a person who asked to be forgotten. */
		buf_puts(b, "<li>");
		pledge_display_name(b, p, "ru");
		buf_puts(b, " — ");
		report_describe_given(b, p, "ru");
		/* /report's ✅ and ⏳ as words: not every computer that
		 * opens the site has an emoji font. */
		buf_puts(b,
		    p->status == PLEDGE_RECEIVED
		        ? " <span class=\"st ok\">получено</span>"
		        : " <span class=\"st wait\">ждём</span>");
		buf_puts(b, "</li>\n");
		shown++;
	}
	if (shown > 0)
		buf_puts(b, "</ul>\n");
	if (more > 0)
		buf_printf(b, "<p>…и ещё %zu</p>\n", more);
	buf_puts(b, "</section>\n");
}

static bool
web_link(const char *s)
{
	return s != NULL &&
	    (strncasecmp(s, "https://", 8) == 0 ||
	        strncasecmp(s, "http://", 7) == 0);
}

/* An organisation's contacts as a description list. */
void
site_contacts_html(struct buf *b, const struct org *o)
{
	if (o->phone == NULL && o->address == NULL && o->link == NULL)
		return;
	buf_puts(b, "<dl class=\"facts\">\n");
	if (o->phone != NULL) {
		buf_puts(b, "<dt>Телефон</dt><dd>");
		site_esc(b, o->phone);
		buf_puts(b, "</dd>\n");
	}
	if (o->address != NULL) {
		buf_puts(b, "<dt>Адрес</dt><dd>");
		site_esc(b, o->address);
		buf_puts(b, "</dd>\n");
	}
	if (o->link != NULL) {
		buf_puts(b, "<dt>Сайт</dt><dd>");
		if (web_link(o->link)) {
			buf_puts(b, "<a href=\"");
			site_esc(b, o->link);
			buf_puts(b, "\" rel=\"nofollow\">");
			site_esc(b, o->link);
			buf_puts(b, "</a>");
		} else {
			site_esc(b, o->link);
		}
		buf_puts(b, "</dd>\n");
	}
	buf_puts(b, "</dl>\n");
}

void
site_action_page(struct buf *b, const struct site_gen *g,
    const struct site_item *it)
{
	const struct action *a = &it->a;
	struct buf title = BUF_INIT;
	site_esc(&title, a->title);
	site_page_open(b, "../", buf_str(&title), a->description);
	buf_printf(b, "<article class=\"action\">\n<h1>%s</h1>\n",
	    buf_str(&title));
	if (a->closed) {
		buf_puts(b, "<p class=\"meta\">Акция завершена ");
		report_date(b, a->closed_at);
		buf_puts(b, "</p>\n");
	} else {
		buf_puts(b, "<p class=\"meta\">Сбор идёт</p>\n");
	}
	if (it->poster[0] != '\0')
		buf_printf(b,
		    "<figure class=\"poster\">\n<img src=\"../%s\" alt=\"Афиша "
		    "акции «%s»\">\n</figure>\n",
		    it->poster, buf_str(&title));
	buf_puts(b, "<dl class=\"facts\">\n<dt>Направление</dt><dd>");
	site_esc(b, a->direction);
	buf_puts(b, "</dd>\n");
	if (a->starts_at > 0) {
		buf_puts(b, "<dt>Когда</dt><dd>");
		site_when_html(b, a->starts_at);
		buf_puts(b, "</dd>\n");
	}
	if (a->place != NULL && *a->place != '\0') {
		buf_puts(b, "<dt>Где</dt><dd>");
		site_esc(b, a->place);
		buf_puts(b, "</dd>\n");
	}
	buf_puts(b, "</dl>\n");
	site_paragraphs(b, a->description, NULL);
	if (a->closed) {
		buf_puts(b,
		    "<section aria-labelledby=\"result\">\n"
		    "<h2 id=\"result\">Итог</h2>\n");
		if (a->result != NULL && *a->result != '\0')
			site_paragraphs(b, a->result, NULL);
		else
			buf_puts(b, "<p>Организаторы не написали итог.</p>\n");
		if (it->photo[0] != '\0') {
			buf_printf(b,
			    "<figure>\n<img src=\"../%s\" alt=\"Фото "
			    "с итогов акции «%s»\">\n"
			    "<figcaption>Фото организаторов с итогов "
			    "акции</figcaption>\n</figure>\n",
			    it->photo, buf_str(&title));
		}
		buf_puts(b, "</section>\n");
	}
	buf_puts(b,
	    "<section aria-labelledby=\"progress\">\n"
	    "<h2 id=\"progress\">");
	buf_puts(b, a->closed ? "Что собрали" : "Что нужно и сколько собрано");
	buf_puts(b, "</h2>\n");
	site_progress_html(b, a);
	if (a->goal_kopecks == 0 && a->money_promised == 0 && a->n_needs == 0 &&
	    a->volunteers_needed == 0 && a->volunteers_promised == 0)
		buf_puts(b, "<p>Помочь можно через бота.</p>\n");
	site_help_link(b, g, a);
	buf_puts(b, "</section>\n");
	helpers_html(b, it);
	buf_puts(b,
	    "<section aria-labelledby=\"contact\">\n"
	    "<h2 id=\"contact\">Кто проводит и как связаться</h2>\n");
	if (it->org != NULL) {
		buf_printf(b, "<p><a href=\"../orgs.html#org-%lld\">",
		    (long long)it->org->id);
		site_esc(b, it->org->name);
		buf_puts(b, "</a></p>\n");
		site_contacts_html(b, it->org);
	} else {
		buf_puts(b, "<p>Организатор из совета НКО города.</p>\n");
	}
	if (g->bot != NULL) {
		buf_puts(b,
		    "<p>Вопросы организаторам — через бота <a "
		    "href=\"https://t.me/");
		site_esc(b, g->bot);
		buf_puts(b, "\">@");
		site_esc(b, g->bot);
		buf_puts(b, "</a>.</p>\n");
	}
	buf_puts(b, "</section>\n</article>\n");
	site_page_close(b, g, "../");
	buf_release(&title);
}

/* ---- the front page ---- */

static void
card(struct buf *b, const struct site_gen *g, const struct site_item *it)
{
	const struct action *a = &it->a;
	buf_printf(b,
	    "<article class=\"card\">\n<h3><a href=\"actions/%lld"
	    ".html\">",
	    (long long)a->id);
	site_esc(b, a->title);
	buf_puts(b, "</a></h3>\n");
	site_meta_line(b, a, "");
	site_progress_html(b, a);
	if (a->helpers > 0)
		buf_printf(b, "<p class=\"meta\">Помогают: %lld</p>\n",
		    (long long)a->helpers);
	site_help_link(b, g, a);
	buf_puts(b, "</article>\n");
}

/* Open actions with a date come first, soonest first; then the ongoing
 * ones, newest first. */
static int
cmp_open(const void *x, const void *y)
{
	const struct site_item *a = *(const struct site_item *const *)x;
	const struct site_item *b = *(const struct site_item *const *)y;
	if ((a->a.starts_at > 0) != (b->a.starts_at > 0))
		return a->a.starts_at > 0 ? -1 : 1;
	if (a->a.starts_at != b->a.starts_at)
		return a->a.starts_at < b->a.starts_at ? -1 : 1;
	return a->a.id > b->a.id ? -1 : a->a.id < b->a.id;
}

/* The directions in the configured order, then any other an action has
 * (renamed in the configuration since), in a new array of borrowed
 * strings. */
static const char **
directions_of(const struct site_gen *g, size_t *n)
{
	const char **d = xcalloc(g->cfg->n_directions + g->n_items + 1,
	    sizeof *d);
	*n = 0;
	for (size_t i = 0; i < g->cfg->n_directions; i++)
		d[(*n)++] = g->cfg->directions[i];
	for (size_t i = 0; i < g->n_items; i++) {
		size_t k;
		for (k = 0; k < *n; k++)
			if (strcmp(d[k], g->items[i].a.direction) == 0)
				break;
		if (k == *n)
			d[(*n)++] = g->items[i].a.direction;
	}
	return d;
}

void
site_front_page(struct buf *b, const struct site_gen *g)
{
	site_page_open(b, "", "Открытые акции",
	    "Акции совета НКО и волонтёров города: что нужно, сколько "
	    "собрано, как помочь.");
	buf_puts(b,
	    "<h1>Открытые акции</h1>\n<p>Что сейчас собирают "
	    "организации совета, сколько уже собрано и как помочь. "
	    "Кнопка «Помочь» открывает бота в Telegram.</p>\n");
	const struct site_item **open = xcalloc(g->n_items + 1, sizeof *open);
	size_t n_open = 0;
	for (size_t i = 0; i < g->n_items; i++)
		if (!g->items[i].a.closed)
			open[n_open++] = &g->items[i];
	qsort(open, n_open, sizeof *open, cmp_open);
	if (n_open == 0)
		buf_puts(b,
		    "<p>Сейчас открытых акций нет. Итоги прошедших — "
		    "в <a href=\"archive.html\">архиве</a>.</p>\n");
	size_t n_dirs;
	const char **dirs = directions_of(g, &n_dirs);
	if (n_open > 0) {
		buf_puts(b, "<nav aria-label=\"Направления\"><ul>\n");
		for (size_t d = 0; d < n_dirs; d++) {
			size_t count = 0;
			for (size_t i = 0; i < n_open; i++)
				count += strcmp(open[i]->a.direction,
				             dirs[d]) == 0;
			if (count == 0)
				continue;
			buf_printf(b, "<li><a href=\"#dir-%zu\">", d + 1);
			site_esc(b, dirs[d]);
			buf_printf(b, "</a> (%zu)</li>\n", count);
		}
		buf_puts(b, "</ul></nav>\n");
	}
	for (size_t d = 0; d < n_dirs; d++) {
		bool any = false;
		for (size_t i = 0; i < n_open; i++) {
			if (strcmp(open[i]->a.direction, dirs[d]) != 0)
				continue;
			if (!any) {
				buf_printf(b,
				    "<section aria-labelledby=\"dir-"
				    "%zu\">\n<h2 id=\"dir-%zu\">",
				    d + 1, d + 1);
				site_esc(b, dirs[d]);
				buf_puts(b, "</h2>\n<div class=\"cards\">\n");
				any = true;
			}
			card(b, g, open[i]);
		}
		if (any)
			buf_puts(b, "</div>\n</section>\n");
	}
	free(dirs);
	free(open);
	site_page_close(b, g, "");
}
