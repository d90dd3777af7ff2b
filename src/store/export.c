/* Exports of pledges (see export.h): the query, and the CSV and JSON
 * writers that /export and `dobrobot export` share. */
#include "dobrobot/store/export.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "dobrobot/text/i18n.h"
#include "dobrobot/core/log.h"
#include "dobrobot/core/xalloc.h"
#include "store_internal.h"

I18N(T_X_HEADER,
    "№ обещания;Дата;№ акции;Акция;Участник;Вид помощи;Что;Обещано;"
    "Получено;Ед.;Статус;Дата получения;Организация",
    "Pledge;Date;Action;Action title;Contributor;Kind;What;Promised;"
    "Received;Unit;Status;Received on;Organisation")
I18N(T_X_ANONYMOUS, "аноним", "anonymous")
I18N(T_X_MONEY, "деньги", "money")
I18N(T_X_GOODS, "вещи", "goods")
I18N(T_X_TIME, "время", "time")
I18N(T_X_VOLUNTEER, "волонтёр", "volunteer")
I18N(T_X_RUB, "руб.", "RUB")
I18N(T_X_HOURS, "ч", "h")
I18N(T_X_PLEDGED, "ждём", "awaited")
I18N(T_X_RECEIVED, "получено", "received")
I18N(T_X_WITHDRAWN, "отменено", "withdrawn")
I18N(T_X_LAPSED, "не пришло", "lapsed")

static enum pledge_kind
kind_of(const char *name)
{
	if (name != NULL && strcmp(name, "goods") == 0)
		return PLEDGE_GOODS;
	if (name != NULL && strcmp(name, "time") == 0)
		return PLEDGE_TIME;
	return PLEDGE_MONEY;
}

static enum pledge_status
status_of(const char *name)
{
	static const enum pledge_status all[] = {
	    PLEDGE_PLEDGED, PLEDGE_RECEIVED, PLEDGE_WITHDRAWN, PLEDGE_LAPSED};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (name != NULL &&
		    strcmp(name, pledge_status_name(all[i])) == 0)
			return all[i];
	return PLEDGE_PLEDGED;
}

int
export_rows(struct store *st, const struct export_filter *f,
    struct export_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* The name goes out only when the person allowed it: the same rule
	 * as every public view (pledge_display_name). */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT p.id, p.created_at, p.action_id, a.title,"
	    " CASE WHEN p.anonymous = 0 AND p.user_id IS NOT NULL"
	    "  THEN p.display_name END,"
	    " p.kind, n.item, n.unit, p.amount, coalesce(p.received_amount, 0),"
	    " p.status, coalesce(p.received_at, 0), o.name"
	    " FROM pledges p JOIN actions a ON a.id = p.action_id"
	    " LEFT JOIN needs n ON n.id = p.need_id"
	    " LEFT JOIN orgs o ON o.id = a.org_id"
	    " WHERE (?1 = 0 OR p.action_id = ?1)"
	    " AND (?2 = 0 OR p.created_at >= ?2)"
	    " AND (?3 = 0 OR p.created_at < ?3)"
	    " AND (?4 = 0 OR (a.status = 'open' AND a.org_id IN"
	    "  (SELECT org_id FROM org_members WHERE user_id = ?4)))"
	    " ORDER BY p.id");
	sqlite3_bind_int64(s, 1, f->action_id);
	sqlite3_bind_int64(s, 2, f->from_ms);
	sqlite3_bind_int64(s, 3, f->to_ms);
	sqlite3_bind_int64(s, 4, f->open_of_member);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xgrow(*out, *n, &cap, 64, sizeof **out);
		struct export_row *r = &(*out)[(*n)++];
		memset(r, 0, sizeof *r);
		r->pledge_id = sqlite3_column_int64(s, 0);
		r->created_at = sqlite3_column_int64(s, 1);
		r->action_id = sqlite3_column_int64(s, 2);
		r->action_title = column_dup(s, 3);
		r->contributor = column_dup(s, 4);
		r->kind = kind_of((const char *)sqlite3_column_text(s, 5));
		r->item = column_dup(s, 6);
		r->unit = column_dup(s, 7);
		r->amount = sqlite3_column_int64(s, 8);
		r->received_amount = sqlite3_column_int64(s, 9);
		r->status = status_of((const char *)sqlite3_column_text(s, 10));
		r->received_at = sqlite3_column_int64(s, 11);
		r->org_name = column_dup(s, 12);
		if (r->contributor != NULL && *r->contributor == '\0') {
			free(r->contributor);
			r->contributor = NULL;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("export: %s", sqlite3_errmsg(store_db(st)));
		export_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
export_rows_free(struct export_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].action_title);
		free(rows[i].org_name);
		free(rows[i].contributor);
		free(rows[i].item);
		free(rows[i].unit);
	}
	free(rows);
}

/* ---- CSV ---- */

int
csv_field(struct buf *out, const char *s)
{
	if (s == NULL)
		s = "";
	bool guard = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = strpbrk(s, ";\"\r\n") != NULL;
	int rc = 0;
	if (quote)
		rc |= buf_putc(out, '"');
	if (guard)
		rc |= buf_putc(out, '\'');
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			rc |= buf_putc(out, '"');
		rc |= buf_putc(out, *p);
	}
	if (quote)
		rc |= buf_putc(out, '"');
	return rc < 0 ? -1 : 0;
}

int
csv_rubles(struct buf *out, int64_t kopecks)
{
	const char *sign = kopecks < 0 ? "-" : "";
	/* Negative amounts never reach an export; still no overflow. */
	uint64_t k = kopecks < 0 ? (uint64_t)0 - (uint64_t)kopecks
	                         : (uint64_t)kopecks;
	return buf_printf(out, "%s%llu,%02llu", sign,
	    (unsigned long long)(k / 100), (unsigned long long)(k % 100));
}

/* "28.11.2026 14:05" in local time; "" for 0. */
static void
csv_time(struct buf *out, int64_t ms)
{
	if (ms <= 0)
		return;
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[32];
	if (localtime_r(&t, &tm) != NULL &&
	    strftime(s, sizeof s, "%d.%m.%Y %H:%M", &tm) > 0)
		buf_puts(out, s);
}

static void
csv_int(struct buf *out, int64_t v)
{
	buf_printf(out, "%lld", (long long)v);
}

static const char *
status_text(enum pledge_status s, const char *lang)
{
	switch (s) {
	case PLEDGE_PLEDGED:
		return i18n_pick(lang, &T_X_PLEDGED);
	case PLEDGE_RECEIVED:
		return i18n_pick(lang, &T_X_RECEIVED);
	case PLEDGE_WITHDRAWN:
		return i18n_pick(lang, &T_X_WITHDRAWN);
	case PLEDGE_LAPSED:
		return i18n_pick(lang, &T_X_LAPSED);
	}
	return "";
}

/* One data row, without its line end. Fields are written by the program
 * (numbers, dates, fixed words) except the title, the name, the item and
 * the unit, which go through csv_field. */
static void
csv_row(struct buf *b, const struct export_row *r, const char *lang)
{
	bool got = r->status == PLEDGE_RECEIVED;
	csv_int(b, r->pledge_id);
	buf_putc(b, ';');
	csv_time(b, r->created_at);
	buf_putc(b, ';');
	csv_int(b, r->action_id);
	buf_putc(b, ';');
	csv_field(b, r->action_title);
	buf_putc(b, ';');
	csv_field(b,
	    r->contributor != NULL ? r->contributor
	                           : i18n_pick(lang, &T_X_ANONYMOUS));
	buf_putc(b, ';');
	switch (r->kind) {
	case PLEDGE_MONEY:
		buf_puts(b, i18n_pick(lang, &T_X_MONEY));
		buf_puts(b, ";;");
		csv_rubles(b, r->amount);
		buf_putc(b, ';');
		if (got)
			csv_rubles(b,
			    r->received_amount > 0 ? r->received_amount
			                           : r->amount);
		buf_putc(b, ';');
		buf_puts(b, i18n_pick(lang, &T_X_RUB));
		break;
	case PLEDGE_GOODS:
		buf_puts(b, i18n_pick(lang, &T_X_GOODS));
		buf_putc(b, ';');
		csv_field(b, r->item);
		buf_putc(b, ';');
		csv_int(b, r->amount);
		buf_putc(b, ';');
		if (got)
			csv_int(b,
			    r->received_amount > 0 ? r->received_amount
			                           : r->amount);
		buf_putc(b, ';');
		csv_field(b, r->unit);
		break;
	case PLEDGE_TIME:
		/* A volunteer promises to come; what is recorded is the
		 * hours they gave. */
		buf_puts(b, i18n_pick(lang, &T_X_TIME));
		buf_putc(b, ';');
		buf_puts(b, i18n_pick(lang, &T_X_VOLUNTEER));
		buf_puts(b, ";;");
		if (got && r->received_amount > 0)
			csv_int(b, r->received_amount);
		buf_putc(b, ';');
		buf_puts(b, i18n_pick(lang, &T_X_HOURS));
		break;
	}
	buf_putc(b, ';');
	buf_puts(b, status_text(r->status, lang));
	buf_putc(b, ';');
	if (got)
		csv_time(b, r->received_at);
	buf_putc(b, ';');
	csv_field(b, r->org_name);
}

int
export_csv(struct buf *out, const struct export_row *rows, size_t n,
    const char *lang)
{
	/* The byte order mark makes Excel read UTF-8 instead of the ANSI
	 * code page; LibreOffice takes it too. */
	buf_puts(out, "\xEF\xBB\xBF");
	buf_puts(out, i18n_pick(lang, &T_X_HEADER));
	if (buf_puts(out, "\r\n") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		csv_row(out, &rows[i], lang);
		if (buf_puts(out, "\r\n") < 0)
			return -1;
	}
	/* A field that did not fit fails every append after it (buf.h), so
	 * no row is ever cut short unnoticed. */
	return buf_failed(out) ? -1 : 0;
}

/* ---- JSON ---- */

/* "2026-11-28T14:05:09+09:00" in local time, or null for 0. */
static json_t *
iso_time(int64_t ms)
{
	if (ms <= 0)
		return json_null();
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[40];
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return json_null();
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	size_t len = strlen(s);
	snprintf(s + len, sizeof s - len, "%c%02ld:%02ld", sign, off / 3600,
	    off % 3600 / 60);
	return json_string(s);
}

static json_t *
string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

int
export_json(struct buf *out, const struct export_row *rows, size_t n,
    const struct export_filter *f, int64_t now_ms)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct export_row *r = &rows[i];
		bool got = r->status == PLEDGE_RECEIVED;
		json_t *received = json_null();
		if (got && r->kind == PLEDGE_TIME)
			received = r->received_amount > 0
			    ? json_integer(r->received_amount)
			    : json_null();
		else if (got)
			received = json_integer(r->received_amount > 0
			        ? r->received_amount
			        : r->amount);
		json_array_append_new(list,
		    json_pack("{s:I, s:o, s:I, s:o, s:o, s:o, s:s, s:o, s:o, "
		              "s:I, s:o, s:s, s:o}",
		        "id", (json_int_t)r->pledge_id, "created_at",
		        iso_time(r->created_at), "action_id",
		        (json_int_t)r->action_id, "action",
		        string_or_null(r->action_title), "org",
		        string_or_null(r->org_name), "contributor",
		        string_or_null(r->contributor), "kind",
		        pledge_kind_name(r->kind), "item",
		        string_or_null(r->item), "unit",
		        string_or_null(r->unit), "promised",
		        (json_int_t)r->amount, "received", received, "status",
		        pledge_status_name(r->status), "received_at",
		        got ? iso_time(r->received_at) : json_null()));
	}
	json_t *filter = json_object();
	json_object_set_new(filter, "action_id",
	    f->action_id > 0 ? json_integer(f->action_id) : json_null());
	json_object_set_new(filter, "from", iso_time(f->from_ms));
	json_object_set_new(filter, "to", iso_time(f->to_ms));
	json_t *doc = json_pack("{s:o, s:o, s:s, s:s, s:o}", "generated_at",
	    iso_time(now_ms), "filter", filter, "money_unit", "kopecks",
	    "units",
	    "money: kopecks; goods: the need's unit; time: promised "
	    "1 volunteer, received hours",
	    "pledges", list);
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL)
		return -1;
	int rc = buf_puts(out, text);
	if (rc == 0)
		rc = buf_putc(out, '\n');
	free(text);
	return rc;
}
