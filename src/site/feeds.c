/* The site's feeds for other sites: feed.atom (new actions and results,
 * RFC 4287), calendar.ics (upcoming actions, RFC 5545) and data.json (the
 * same public data as the pages; its fields are documented in
 * docs/SITE-DATA.md). Nothing here depends on the current time, so that an
 * unchanged database gives unchanged files. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/html.h"
#include "dobrobot/core/xalloc.h"
#include "site_internal.h"

#define FEED_ENTRIES_MAX 50

/* The address of a page: absolute under base_url when there is one (feed
 * readers and calendars need that), else relative to the site's root. */
static void
page_url(struct buf *b, const struct site_gen *g, const char *rel)
{
	if (g->cfg->site_base_url != NULL)
		buf_printf(b, "%s/", g->cfg->site_base_url);
	buf_puts(b, rel);
}

/* ---- Atom ---- */

struct feed_entry {
	const struct site_item *it;
	bool result; /* the closing result, else the announcement */
	int64_t at_ms; /* published */
};

static int
cmp_entry(const void *x, const void *y)
{
	const struct feed_entry *a = x, *b = y;
	if (a->at_ms != b->at_ms)
		return a->at_ms > b->at_ms ? -1 : 1;
	if (a->it->a.id != b->it->a.id)
		return a->it->a.id > b->it->a.id ? -1 : 1;
	return (int)b->result - (int)a->result;
}

static void
atom_time(struct buf *b, int64_t ms)
{
	site_iso_time(b, ms / 1000);
}

static int
write_atom(struct site_gen *g)
{
	struct feed_entry *e = xcalloc(2 * g->n_items + 1, sizeof *e);
	size_t n = 0;
	for (size_t i = 0; i < g->n_items; i++) {
		const struct site_item *it = &g->items[i];
		e[n++] = (struct feed_entry){it, false, it->a.created_at};
		if (it->a.closed)
			e[n++] = (struct feed_entry){it, true, it->a.closed_at};
	}
	qsort(e, n, sizeof *e, cmp_entry);
	if (n > FEED_ENTRIES_MAX)
		n = FEED_ENTRIES_MAX;
	struct buf b = BUF_INIT, url = BUF_INIT;
	buf_puts(&b,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xml:lang=\"ru\">\n<title>" SITE_NAME
	    ": новые акции и итоги</title>\n");
	page_url(&url, g, "index.html");
	buf_puts(&b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	html_escape(&b, buf_str(&url));
	buf_puts(&b, "\"/>\n<id>");
	if (g->cfg->site_base_url != NULL)
		html_escape(&b, buf_str(&url));
	else
		buf_puts(&b, "urn:dobrobot:site");
	buf_puts(&b, "</id>\n<updated>");
	atom_time(&b, n > 0 ? e[0].at_ms : 0);
	buf_puts(&b,
	    "</updated>\n<author><name>" SITE_NAME "</name></author>\n");
	for (size_t i = 0; i < n; i++) {
		const struct action *a = &e[i].it->a;
		char rel[48];
		snprintf(rel, sizeof rel, "actions/%lld.html",
		    (long long)a->id);
		buf_reset(&url);
		page_url(&url, g, rel);
		buf_puts(&b, "<entry>\n<title>");
		buf_puts(&b, e[i].result ? "Итоги: " : "Новая акция: ");
		html_escape(&b, a->title);
		buf_puts(&b,
		    "</title>\n<link rel=\"alternate\" "
		    "type=\"text/html\" href=\"");
		html_escape(&b, buf_str(&url));
		buf_puts(&b, "\"/>\n<id>");
		if (g->cfg->site_base_url != NULL) {
			html_escape(&b, buf_str(&url));
			buf_puts(&b, e[i].result ? "#result" : "");
		} else {
			buf_printf(&b, "urn:dobrobot:action:%lld%s",
			    (long long)a->id, e[i].result ? ":result" : "");
		}
		buf_puts(&b, "</id>\n<published>");
		atom_time(&b, e[i].at_ms);
		buf_puts(&b, "</published>\n<updated>");
		atom_time(&b, e[i].at_ms);
		buf_puts(&b, "</updated>\n<summary>");
		const char *text = e[i].result && a->result != NULL
		    ? a->result
		    : a->description;
		html_escape(&b, text != NULL ? text : "");
		buf_puts(&b, "</summary>\n");
		if (a->org_name != NULL) {
			buf_puts(&b, "<author><name>");
			html_escape(&b, a->org_name);
			buf_puts(&b, "</name></author>\n");
		}
		buf_puts(&b, "<category term=\"");
		html_escape(&b, a->direction);
		buf_puts(&b, "\"/>\n</entry>\n");
	}
	buf_puts(&b, "</feed>\n");
	int rc = site_put(g, "feed.atom", &b);
	buf_release(&b);
	buf_release(&url);
	free(e);
	return rc;
}

/* ---- iCalendar ---- */

/* A TEXT value: backslash, semicolon, comma and line breaks escaped. */
static void
ics_text(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s != '\r')
			buf_putc(b, *s);
	}
}

/* Appends one content line, folded at 75 octets without cutting a UTF-8
 * sequence, with CRLF. */
static void
ics_line(struct buf *out, const struct buf *line)
{
	const char *s = buf_str(line);
	size_t len = line->len, at = 0, width = 75;
	while (len - at > width) {
		size_t cut = at + width;
		while (cut > at && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		buf_append(out, s + at, cut - at);
		buf_puts(out, "\r\n ");
		at = cut;
		width = 74; /* the leading space counts */
	}
	buf_append(out, s + at, len - at);
	buf_puts(out, "\r\n");
}

static int
write_ics(struct site_gen *g)
{
	struct buf b = BUF_INIT, line = BUF_INIT, url = BUF_INIT;
	buf_puts(&b,
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//dobrobot//public site//RU\r\n"
	    "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	buf_puts(&line, "X-WR-CALNAME:" SITE_NAME);
	ics_line(&b, &line);
	for (size_t i = g->n_items; i-- > 0;) {
		const struct action *a = &g->items[i].a;
		if (a->closed || a->starts_at <= 0)
			continue;
		char rel[48];
		snprintf(rel, sizeof rel, "actions/%lld.html",
		    (long long)a->id);
		buf_reset(&url);
		page_url(&url, g, rel);
		buf_puts(&b, "BEGIN:VEVENT\r\n");
		buf_reset(&line);
		buf_printf(&line, "UID:action-%lld@dobrobot", (long long)a->id);
		ics_line(&b, &line);
		buf_reset(&line);
		buf_puts(&line, "DTSTAMP:");
		/* The announcement's time, not the last change: a pledge
		 * must not rewrite the calendar. */
		site_ics_time(&line, a->created_at / 1000);
		ics_line(&b, &line);
		buf_reset(&line);
		buf_puts(&line, "DTSTART:");
		site_ics_time(&line, a->starts_at);
		ics_line(&b, &line);
		buf_puts(&b, "DURATION:PT2H\r\n");
		buf_reset(&line);
		buf_puts(&line, "SUMMARY:");
		ics_text(&line, a->title);
		ics_line(&b, &line);
		if (a->place != NULL && *a->place != '\0') {
			buf_reset(&line);
			buf_puts(&line, "LOCATION:");
			ics_text(&line, a->place);
			ics_line(&b, &line);
		}
		buf_reset(&line);
		buf_puts(&line, "DESCRIPTION:");
		if (a->org_name != NULL) {
			ics_text(&line, a->org_name);
			buf_puts(&line, "\\n\\n");
		}
		ics_text(&line, a->description);
		buf_puts(&line, "\\n\\n");
		ics_text(&line, buf_str(&url));
		ics_line(&b, &line);
		buf_reset(&line);
		buf_puts(&line, "CATEGORIES:");
		ics_text(&line, a->direction);
		ics_line(&b, &line);
		if (g->cfg->site_base_url != NULL) {
			buf_reset(&line);
			buf_puts(&line, "URL:");
			buf_puts(&line, buf_str(&url));
			ics_line(&b, &line);
		}
		buf_puts(&b, "END:VEVENT\r\n");
	}
	buf_puts(&b, "END:VCALENDAR\r\n");
	int rc = site_put(g, "calendar.ics", &b);
	buf_release(&b);
	buf_release(&line);
	buf_release(&url);
	return rc;
}

/* ---- JSON ---- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static json_t *
lines_array(const char *lines)
{
	json_t *arr = json_array();
	const char *p = lines != NULL ? lines : "";
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0)
			json_array_append_new(arr, json_stringn(p, len));
		p += len;
		if (*p == '\n')
			p++;
	}
	return arr;
}

static json_t *
time_or_null(int64_t unix_s)
{
	if (unix_s <= 0)
		return json_null();
	struct buf b = BUF_INIT;
	site_iso_time(&b, unix_s);
	json_t *v = json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

static json_t *
helpers_json(const struct site_item *it)
{
	json_t *names = json_array();
	for (size_t i = 0; i < it->n_pledges; i++) {
		const struct pledge *p = &it->pledges[i];
		if (p->status != PLEDGE_PLEDGED && p->status != PLEDGE_RECEIVED)
			continue;
		struct buf name = BUF_INIT, gave = BUF_INIT;
		site_public_name(&name, p);
		site_given(&gave, p);
		json_array_append_new(names,
		    json_pack("{s:s, s:s, s:s}", "name", buf_str(&name), "gave",
		        buf_str(&gave), "status",
		        p->status == PLEDGE_RECEIVED ? "received" : "pledged"));
		buf_release(&name);
		buf_release(&gave);
	}
	return json_pack("{s:I, s:I, s:o}", "count", (json_int_t)it->a.helpers,
	    "gave", (json_int_t)it->gave, "list", names);
}

static json_t *
action_json(const struct site_gen *g, const struct site_item *it)
{
	const struct action *a = &it->a;
	char rel[48];
	snprintf(rel, sizeof rel, "actions/%lld.html", (long long)a->id);
	struct buf url = BUF_INIT;
	page_url(&url, g, rel);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)a->id, "url", buf_str(&url), "title", a->title,
	    "description", a->description, "direction", a->direction, "status",
	    a->closed ? "closed" : "open");
	json_object_set_new(o, "starts_at", time_or_null(a->starts_at));
	json_object_set_new(o, "place", str_or_null(a->place));
	json_object_set_new(o, "organisation_id",
	    a->org_id != 0 ? json_integer(a->org_id) : json_null());
	json_object_set_new(o, "organisation", str_or_null(a->org_name));
	if (g->bot != NULL && !a->closed) {
		struct buf h = BUF_INIT;
		buf_printf(&h, "https://t.me/%s?start=p%lld", g->bot,
		    (long long)a->id);
		json_object_set_new(o, "help_url", json_string(buf_str(&h)));
		buf_release(&h);
	} else {
		json_object_set_new(o, "help_url", json_null());
	}
	json_object_set_new(o, "money",
	    json_pack("{s:I, s:I, s:I}", "goal_kopecks",
	        (json_int_t)a->goal_kopecks, "received_kopecks",
	        (json_int_t)a->money_received, "promised_kopecks",
	        (json_int_t)a->money_promised));
	json_t *goods = json_array();
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct action_need *n = &a->needs[i];
		json_t *gd = json_pack("{s:s, s:I, s:I, s:I}", "item", n->item,
		    "quantity", (json_int_t)n->quantity, "received",
		    (json_int_t)n->received, "promised",
		    (json_int_t)n->promised);
		json_object_set_new(gd, "unit", str_or_null(n->unit));
		json_array_append_new(goods, gd);
	}
	json_object_set_new(o, "goods", goods);
	json_object_set_new(o, "volunteers",
	    json_pack("{s:I, s:I, s:I, s:I}", "needed",
	        (json_int_t)a->volunteers_needed, "signed_up",
	        (json_int_t)a->volunteers_promised, "came",
	        (json_int_t)a->volunteers_received, "hours",
	        (json_int_t)a->hours_received));
	json_object_set_new(o, "helpers", helpers_json(it));
	json_object_set_new(o, "result",
	    a->closed ? str_or_null(a->result) : json_null());
	json_object_set_new(o, "result_photo",
	    it->photo[0] != '\0' ? json_string(it->photo) : json_null());
	json_object_set_new(o, "poster",
	    it->poster[0] != '\0' ? json_string(it->poster) : json_null());
	json_object_set_new(o, "created_at",
	    time_or_null(a->created_at / 1000));
	json_object_set_new(o, "closed_at", time_or_null(a->closed_at / 1000));
	buf_release(&url);
	return o;
}

static json_t *
org_json(const struct site_gen *g, const struct org *org)
{
	json_t *open = json_array(), *past = json_array();
	for (size_t i = 0; i < g->n_items; i++) {
		const struct action *a = &g->items[i].a;
		if (a->org_id == org->id)
			json_array_append_new(a->closed ? past : open,
			    json_integer(a->id));
	}
	struct buf url = BUF_INIT;
	buf_printf(&url, "orgs.html#org-%lld", (long long)org->id);
	struct buf full = BUF_INIT;
	page_url(&full, g, buf_str(&url));
	json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)org->id,
	    "url", buf_str(&full), "name", org->name);
	json_object_set_new(o, "description", str_or_null(org->description));
	json_object_set_new(o, "services", lines_array(org->services));
	json_object_set_new(o, "phone", str_or_null(org->phone));
	json_object_set_new(o, "address", str_or_null(org->address));
	json_object_set_new(o, "link", str_or_null(org->link));
	json_object_set_new(o, "directions", lines_array(org->directions));
	json_object_set_new(o, "open_actions", open);
	json_object_set_new(o, "past_actions", past);
	buf_release(&url);
	buf_release(&full);
	return o;
}

static int
write_json(struct site_gen *g)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("dobrobot-site/1"));
	json_object_set_new(root, "base_url",
	    str_or_null(g->cfg->site_base_url));
	json_object_set_new(root, "bot", str_or_null(g->bot));
	json_object_set_new(root, "currency", json_string("RUB"));
	json_t *dirs = json_array();
	for (size_t i = 0; i < g->cfg->n_directions; i++)
		json_array_append_new(dirs, json_string(g->cfg->directions[i]));
	json_object_set_new(root, "directions", dirs);
	json_t *actions = json_array();
	for (size_t i = 0; i < g->n_items; i++)
		json_array_append_new(actions, action_json(g, &g->items[i]));
	json_object_set_new(root, "actions", actions);
	json_t *orgs = json_array();
	for (size_t i = 0; i < g->n_orgs; i++)
		json_array_append_new(orgs, org_json(g, &g->orgs[i]));
	json_object_set_new(root, "organisations", orgs);
	char *text = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	if (text == NULL)
		return -1;
	struct buf b = BUF_INIT;
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	free(text);
	int rc = site_put(g, "data.json", &b);
	buf_release(&b);
	return rc;
}

int
site_write_feeds(struct site_gen *g)
{
	if (write_atom(g) < 0 || write_ics(g) < 0 || write_json(g) < 0)
		return -1;
	return 0;
}
