/* Reading CSV records from a buffer in memory (see csv.h). */
#include "dobrobot/text/csv.h"

#include <stdbool.h>
#include <string.h>

#define CSV_BOM "\xEF\xBB\xBF"

/* The delimiter of the first record that is not an empty line: ';' or ','
 * by count outside quotes, ';' on a tie. */
static char
csv_detect_delimiter(const char *s, size_t len)
{
	size_t i = 0, semicolons = 0, commas = 0;
	bool quoted = false;

	while (i < len && (s[i] == '\n' || s[i] == '\r'))
		i++;
	for (; i < len; i++) {
		char c = s[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ';')
			semicolons++;
		else if (c == ',')
			commas++;
	}
	return commas > semicolons ? ',' : ';';
}

void
csv_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof *r);
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0) {
		data += 3;
		len -= 3;
	}
	r->data = data;
	r->len = len;
	r->line = 1;
	r->delimiter = csv_detect_delimiter(data, len);
	/* Every field at its cap, each with its NUL, fits. */
	buf_init(&r->text, CSV_FIELDS_MAX * (CSV_FIELD_MAX + 1));
}

void
csv_release(struct csv_reader *r)
{
	if (r == NULL)
		return;
	buf_release(&r->text);
	memset(r, 0, sizeof *r);
}

static int
csv_fail(struct csv_reader *r, enum csv_error err, size_t line)
{
	r->err = err;
	r->err_line = line;
	return -1;
}

/* The number of line breaks in data[from..to): CRLF, LF or a lone CR. */
static size_t
csv_count_lines(const struct csv_reader *r, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		if (r->data[i] == '\n')
			n++;
		else if (r->data[i] == '\r' &&
		    (i + 1 >= r->len || r->data[i + 1] != '\n'))
			n++;
	}
	return n;
}

/* Skips the line break at r->pos (CRLF, LF or CR), if there is one. */
static void
csv_skip_newline(struct csv_reader *r)
{
	if (r->pos < r->len && r->data[r->pos] == '\r') {
		r->pos++;
		if (r->pos < r->len && r->data[r->pos] == '\n')
			r->pos++;
		r->line++;
	} else if (r->pos < r->len && r->data[r->pos] == '\n') {
		r->pos++;
		r->line++;
	}
}

/* Appends s[0..n) to the field that starts at offset `start` of the
 * record's text, within the field's cap. */
static int
csv_put(struct csv_reader *r, size_t start, const char *s, size_t n)
{
	if (r->text.len - start + n > CSV_FIELD_MAX)
		return -1;
	return buf_append(&r->text, s, n);
}

/* Reads the quoted part of a field, r->pos being just after its opening
 * quote, up to and past its closing quote. */
static int
csv_read_quoted(struct csv_reader *r, size_t start, size_t field_line)
{
	for (;;) {
		const char *q = memchr(r->data + r->pos, '"', r->len - r->pos);
		size_t end = q != NULL ? (size_t)(q - r->data) : r->len;

		if (csv_put(r, start, r->data + r->pos, end - r->pos) < 0)
			return csv_fail(r, CSV_E_FIELD_TOO_LONG, field_line);
		r->line += csv_count_lines(r, r->pos, end);
		r->pos = end;
		if (q == NULL)
			return csv_fail(r, CSV_E_UNTERMINATED, field_line);
		if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
			if (csv_put(r, start, "\"", 1) < 0)
				return csv_fail(r, CSV_E_FIELD_TOO_LONG,
				    field_line);
			r->pos += 2;
			continue;
		}
		r->pos++;
		return 0;
	}
}

int
csv_next(struct csv_reader *r, struct csv_record *rec)
{
	size_t start[CSV_FIELDS_MAX];

	if (r->err != CSV_OK)
		return -1;
	while (r->pos < r->len &&
	    (r->data[r->pos] == '\n' || r->data[r->pos] == '\r'))
		csv_skip_newline(r);
	if (r->pos >= r->len)
		return 0;

	buf_reset(&r->text);
	rec->n = 0;
	rec->line = r->line;
	for (;;) {
		size_t field_line = r->line, end;

		if (rec->n == CSV_FIELDS_MAX)
			return csv_fail(r, CSV_E_TOO_MANY_FIELDS, rec->line);
		start[rec->n] = r->text.len;
		if (r->pos < r->len && r->data[r->pos] == '"') {
			r->pos++;
			if (csv_read_quoted(r, start[rec->n], field_line) < 0)
				return -1;
		}
		/* The unquoted field, or what follows a closing quote. */
		for (end = r->pos; end < r->len; end++) {
			char c = r->data[end];

			if (c == r->delimiter || c == '\n' || c == '\r')
				break;
		}
		if (csv_put(r, start[rec->n], r->data + r->pos, end - r->pos) <
		    0)
			return csv_fail(r, CSV_E_FIELD_TOO_LONG, field_line);
		r->pos = end;
		rec->len[rec->n] = r->text.len - start[rec->n];
		if (buf_putc(&r->text, '\0') < 0)
			return csv_fail(r, CSV_E_FIELD_TOO_LONG, field_line);
		rec->n++;
		if (r->pos < r->len && r->data[r->pos] == r->delimiter) {
			r->pos++;
			continue;
		}
		csv_skip_newline(r);
		break;
	}
	/* The buffer no longer moves: point into it. */
	for (size_t i = 0; i < rec->n; i++)
		rec->field[i] = r->text.data + start[i];
	return 1;
}

const char *
csv_error_text(enum csv_error err)
{
	switch (err) {
	case CSV_OK:
		return "";
	case CSV_E_UNTERMINATED:
		return "a quoted field is never closed (a \" is missing)";
	case CSV_E_FIELD_TOO_LONG:
		return "a field is longer than 64 KiB";
	case CSV_E_TOO_MANY_FIELDS:
		return "a record has more than 64 fields";
	}
	return "unknown error";
}
