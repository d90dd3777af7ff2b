/* Exports of pledges for the NGOs' own records and annual reports: one
 * action's pledges, or every pledge made in a period, as CSV that opens
 * correctly in Russian-locale Excel and LibreOffice, or as JSON. The bot's
 * /export (handlers/export.c) and `dobrobot export` (cli/export.c) write
 * the same bytes; the SQL and both writers live in store/export.c.
 *
 * Contributors appear as public views show them ("Иван П.", «аноним» when
 * the person chose so or asked to be forgotten): never a username or a
 * Telegram id. */
#ifndef DOBROBOT_STORE_EXPORT_H
#define DOBROBOT_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/store.h"

/* Which pledges: of one action (0: every action), made in [from_ms, to_ms)
 * (wall ms; 0: no bound). */
struct export_filter {
	int64_t action_id;
	int64_t from_ms;
	int64_t to_ms;
	/* 0, or a user: only the open actions of the organisations they are
	 * an organiser of (an organisation's /export without a number). */
	int64_t open_of_member;
};

/* One exported pledge. Strings are owned. */
struct export_row {
	int64_t pledge_id;
	int64_t created_at; /* wall ms */
	int64_t action_id;
	char *action_title;
	char *org_name; /* the action's organisation, or NULL */
	/* The public name ("Иван П."), or NULL: anonymous or forgotten. */
	char *contributor;
	enum pledge_kind kind;
	char *item; /* goods: the need; else NULL */
	char *unit; /* goods: its unit, may be NULL */
	int64_t amount; /* kopecks, quantity, or 1 for a volunteer */
	/* Once received: kopecks, quantity, or hours (0 when no hours were
	 * given); 0 otherwise. */
	int64_t received_amount;
	enum pledge_status status;
	int64_t received_at; /* wall ms; 0 unless received */
};

/* The pledges the filter selects, oldest first, into a new array *out of
 * *n (export_rows_free). Returns 0 or -1. */
int export_rows(struct store *st, const struct export_filter *f,
    struct export_row **out, size_t *n);
void export_rows_free(struct export_row *rows, size_t n);

/* Appends the rows as CSV: UTF-8 with a byte order mark, ';' between
 * fields, CRLF line ends, a header row in `lang` ("en" English, anything
 * else Russian), fields quoted per RFC 4180, money in rubles with a comma
 * decimal ("1500,50"), dates as dd.mm.yyyy hh:mm in the local time zone.
 * Columns: pledge, date, action, action title, contributor, kind, what,
 * promised, received, unit, status, received on, organisation. A volunteer's "promised"
 * is empty and "received" holds the hours. Returns 0, or -1 when out's cap
 * is hit. */
int export_csv(struct buf *out, const struct export_row *rows, size_t n,
    const char *lang);

/* The largest export the bot sends: Telegram takes documents of up to 50 MB
 * from bots (sendDocument). The buffer is capped at it (buf.h). */
#define EXPORT_DOCUMENT_MAX ((size_t)50 * 1000 * 1000)

/* Appends the rows as a JSON document: {"generated_at", "filter",
 * "money_unit": "kopecks", "pledges": [{"id", "created_at", "action_id",
 * "action", "contributor" (null: anonymous), "kind", "item", "unit",
 * "promised", "received", "status", "received_at"}]} with times in ISO
 * 8601 local time with the offset, kinds and statuses as stored. Returns 0
 * or -1. */
int export_json(struct buf *out, const struct export_row *rows, size_t n,
    const struct export_filter *f, int64_t now_ms);

/* One CSV field, quoted when it holds ';', '"', CR or LF (quotes doubled).
 * A field that a spreadsheet would take for a formula — starting with '=',
 * '+', '-', '@', a tab or CR — gets a leading apostrophe first, so that a
 * name like "=HYPERLINK(...)" stays text (CSV formula injection). */
int csv_field(struct buf *out, const char *s);

/* Rubles for a spreadsheet: "1500,50", "1500,00", no digit grouping. */
int csv_rubles(struct buf *out, int64_t kopecks);

#endif
