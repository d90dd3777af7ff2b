/* libFuzzer target for csv.c: whatever the bytes, csv_next ends, keeps its
 * caps, numbers lines in order within the file, and what it reads, written
 * back as CSV with every field quoted, reads back the same. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/csv.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line breaks in s[0..len): CRLF, LF or a lone CR each count one. */
static size_t
count_breaks(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' ||
		    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			n++;
	return n;
}

static void
write_field(struct buf *out, const char *s, size_t len)
{
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct csv_reader r, again;
	struct csv_record rec, rec2;
	struct buf out = BUF_INIT;
	size_t last_line = 0, records = 0, max_line;
	bool first = true, one_field_header = false;
	int rc;

	max_line = 1 + count_breaks(s, size);
	csv_init(&r, s, size);
	if (r.delimiter != ';' && r.delimiter != ',')
		abort();
	while ((rc = csv_next(&r, &rec)) == 1) {
		if (rec.n < 1 || rec.n > CSV_FIELDS_MAX)
			abort();
		if (rec.line <= last_line || rec.line > max_line)
			abort();
		last_line = rec.line;
		if (++records > size + 1)
			abort(); /* every record takes at least a byte */
		if (first)
			one_field_header = rec.n == 1;
		first = false;
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.len[i] > CSV_FIELD_MAX ||
			    rec.field[i][rec.len[i]] != '\0')
				abort();
			if (i > 0)
				buf_putc(&out, r.delimiter);
			write_field(&out, rec.field[i], rec.len[i]);
		}
		buf_puts(&out, "\r\n");
	}
	if (rc < 0) {
		if (r.err == CSV_OK || csv_error_text(r.err)[0] == '\0' ||
		    r.err_line < 1 || r.err_line > max_line ||
		    csv_next(&r, &rec) != -1)
			abort();
	} else if (r.err != CSV_OK || csv_next(&r, &rec) != 0) {
		abort();
	}

	/* Read back what was read. The header written back has its
	 * delimiter between quoted fields and no other outside quotes, so
	 * it is found again, but for a header of one field, where ';' is
	 * the default whatever the records use. */
	if (rc == 0) {
		csv_init(&again, buf_str(&out), out.len);
		if (one_field_header)
			again.delimiter = r.delimiter;
		else if (records > 0 && again.delimiter != r.delimiter)
			abort();
		csv_release(&r);
		csv_init(&r, s, size);
		while (csv_next(&r, &rec) == 1) {
			if (csv_next(&again, &rec2) != 1 || rec2.n != rec.n)
				abort();
			for (size_t i = 0; i < rec.n; i++)
				if (rec2.len[i] != rec.len[i] ||
				    memcmp(rec2.field[i], rec.field[i],
				        rec.len[i]) != 0)
					abort();
		}
		if (csv_next(&again, &rec2) != 0)
			abort();
		csv_release(&again);
	}
	csv_release(&r);
	buf_release(&out);
	return 0;
}
