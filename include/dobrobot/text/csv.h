/* Reading CSV (RFC 4180) from a buffer in memory, as spreadsheets write it:
 * Excel's "CSV UTF-8" (a byte-order mark, ";" in a Russian locale, CRLF)
 * as well as LibreOffice's and Google Sheets' ("," and LF). Records come
 * one at a time with the line each starts on, so that whoever checks them
 * can say "line 12: ..." of a record whose quoted cells span lines. */
#ifndef DOBROBOT_TEXT_CSV_H
#define DOBROBOT_TEXT_CSV_H

#include <stddef.h>

#include "dobrobot/core/buf.h"

/* Hard caps: a file past them is refused with an error, never read into
 * unbounded memory. A field's cap is in bytes, after quotes are undone. */
#define CSV_FIELD_MAX ((size_t)64 * 1024)
#define CSV_FIELDS_MAX 64

enum csv_error {
	CSV_OK = 0,
	CSV_E_UNTERMINATED, /* a quoted field runs to the end of the data */
	CSV_E_FIELD_TOO_LONG, /* a field of more than CSV_FIELD_MAX bytes */
	CSV_E_TOO_MANY_FIELDS, /* a record of more than CSV_FIELDS_MAX */
};

/* One record. The fields are borrowed from the reader: they stay valid
 * until the next csv_next or csv_release on it. */
struct csv_record {
	size_t n; /* 1..CSV_FIELDS_MAX */
	/* NUL-terminated, but a field may hold NUL bytes of its own: len
	 * is its true length. */
	const char *field[CSV_FIELDS_MAX];
	size_t len[CSV_FIELDS_MAX];
	size_t line; /* the physical line (from 1) the record starts on */
};

/* The reader's state; treat as opaque but for delimiter, err and
 * err_line. */
struct csv_reader {
	const char *data; /* borrowed; after the byte-order mark */
	size_t len;
	size_t pos;
	size_t line; /* the physical line of data[pos] */
	char delimiter; /* ';' or ',' */
	enum csv_error err; /* sticky: once set, csv_next fails again */
	size_t err_line; /* where the failing field or record starts */
	struct buf text; /* the current record's fields, each NUL-ended */
};

/* Starts reading data[0..len), which the caller keeps alive and unchanged
 * until csv_release. A UTF-8 byte-order mark at the start is skipped. The
 * delimiter is chosen from the first record (the header line): ';' or
 * ',', whichever appears more often outside quotes; ';', what Russian
 * Excel writes, when they are equally many (none: a file of one column).
 * The bytes are not checked for being UTF-8: that is the caller's call. */
void csv_init(struct csv_reader *r, const char *data, size_t len);

/* Frees what the reader holds (not the data) and zeroes it; accepts a
 * zeroed reader. */
void csv_release(struct csv_reader *r);

/* Reads the next record into *rec (whose fields the reader owns, see
 * struct csv_record). Returns 1 for a record, 0 at the end of the data,
 * -1 on an error, with r->err and r->err_line set; every later call
 * returns -1 again.
 *
 * Records end at CRLF, LF or a lone CR outside quotes, and each of those
 * counts one line, inside quotes too; the end of the data ends the last
 * record, newline or not. A line with nothing on it is no record (it is
 * skipped, not read as one empty field); a line of delimiters only is a
 * record of empty fields. A quoted field keeps its new lines as they are
 * (CRLF stays CRLF) and reads "" as one quote. Being lenient as
 * spreadsheets are, a quote inside an unquoted field is an ordinary
 * character, and text between a closing quote and the next delimiter is
 * appended to the field. */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/* A sentence in English for an error (static; "" for CSV_OK). */
const char *csv_error_text(enum csv_error err);

#endif
