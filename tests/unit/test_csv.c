/* Unit tests for csv.c: the records of spreadsheets' CSV exports, with the
 * lines they start on, and the errors a broken file gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/csv.h"

/* Reads every record of data[0..len) into a line of text each:
 * "LINE:field|field", with "\n" and "\r" inside fields written \n and \r
 * and a NUL as \0; "!E@LINE" ends it after an error. Returns a new
 * string. */
static char *
dump_n(const char *data, size_t len, char *delimiter)
{
	struct csv_reader r;
	struct csv_record rec;
	struct buf b = BUF_INIT;
	int rc;

	csv_init(&r, data, len);
	if (delimiter != NULL)
		*delimiter = r.delimiter;
	while ((rc = csv_next(&r, &rec)) == 1) {
		assert_true(rec.n >= 1 && rec.n <= CSV_FIELDS_MAX);
		buf_printf(&b, "%zu:", rec.line);
		for (size_t i = 0; i < rec.n; i++) {
			if (i > 0)
				buf_putc(&b, '|');
			/* Every field is NUL-terminated. */
			assert_int_equal(rec.field[i][rec.len[i]], '\0');
			for (size_t k = 0; k < rec.len[i]; k++) {
				char c = rec.field[i][k];
				if (c == '\n')
					buf_puts(&b, "\\n");
				else if (c == '\r')
					buf_puts(&b, "\\r");
				else if (c == '\0')
					buf_puts(&b, "\\0");
				else
					buf_putc(&b, c);
			}
		}
		buf_putc(&b, '\n');
	}
	if (rc < 0) {
		assert_int_not_equal(r.err, CSV_OK);
		assert_string_not_equal(csv_error_text(r.err), "");
		buf_printf(&b, "!%d@%zu", (int)r.err, r.err_line);
		/* The error is sticky. */
		assert_int_equal(csv_next(&r, &rec), -1);
	} else {
		assert_int_equal(r.err, CSV_OK);
		assert_int_equal(csv_next(&r, &rec), 0);
	}
	csv_release(&r);
	return buf_detach(&b);
}

static void
check(const char *data, const char *want)
{
	char *got = dump_n(data, strlen(data), NULL);
	assert_string_equal(got, want);
	free(got);
}

static void
test_csv_simple(void **state)
{
	(void)state;
	check("", "");
	check("a;b;c\n1;2;3\n", "1:a|b|c\n2:1|2|3\n");
	/* No newline at the end; CRLF. */
	check("a;b\r\n1;2", "1:a|b\n2:1|2\n");
	/* Empty fields, at the ends too. */
	check("a;b;c\n;x;\n;;\n", "1:a|b|c\n2:|x|\n3:||\n");
	/* One column. */
	check("Название\nНадежда\n", "1:Название\n2:Надежда\n");
	/* Spaces are kept: trimming is the caller's business. */
	check("a; b ;c \n", "1:a| b |c \n");
	/* A lone CR is a line break too (old Mac files). */
	check("a;b\r1;2\r", "1:a|b\n2:1|2\n");
}

static void
test_csv_quoted(void **state)
{
	(void)state;
	check("\"a;b\";\"c,d\"\n", "1:a;b|c,d\n");
	check("\"say \"\"hi\"\"\";x\n", "1:say \"hi\"|x\n");
	check("\"\";\"\"\"\"\n", "1:|\"\n");
	/* Quoted at the very end of the data. */
	check("a;\"b\"", "1:a|b\n");
	/* Lenient as spreadsheets are: a quote inside an unquoted field,
	 * and text after the closing quote. */
	check("5\" screen;x\n", "1:5\" screen|x\n");
	check("\"ab\"cd;x\n", "1:abcd|x\n");
}

static void
test_csv_newlines_and_lines(void **state)
{
	(void)state;
	/* A quoted cell of three lines: the next record starts on line 4. */
	check("name;services\n"
	      "\"Надежда\";\"Кормление\nПередержка\nПсихолог\"\n"
	      "Берег;Спорт\n",
	    "1:name|services\n2:Надежда|Кормление\\nПередержка\\nПсихолог\n"
	    "5:Берег|Спорт\n");
	/* CRLF inside quotes stays CRLF and counts one line. */
	check("a;b\r\n\"x\r\ny\";z\r\nlast;row\r\n",
	    "1:a|b\n2:x\\r\\ny|z\n4:last|row\n");
	/* A quoted field starting mid-record on a later line. */
	check("a;b\n1;\"2\n\n3\"\n4;5\n", "1:a|b\n2:1|2\\n\\n3\n5:4|5\n");
}

static void
test_csv_empty_lines(void **state)
{
	(void)state;
	/* Empty lines are skipped but counted. */
	check("\n\na;b\n\n1;2\r\n\r\n\r\n3;4\n\n", "3:a|b\n5:1|2\n8:3|4\n");
	check("\n\r\n\n", "");
	/* A line of white space is a record: the caller decides. */
	check("a\n \n", "1:a\n2: \n");
}

static void
test_csv_bom(void **state)
{
	char d;
	char *got;
	const char *data = "\xEF\xBB\xBFНазвание;Телефон\n1;2\n";

	(void)state;
	got = dump_n(data, strlen(data), &d);
	assert_string_equal(got, "1:Название|Телефон\n2:1|2\n");
	assert_int_equal(d, ';');
	free(got);
	/* Only at the start. */
	check("a;\xEF\xBB\xBF"
	      "b\n",
	    "1:a|\xEF\xBB\xBF"
	    "b\n");
	check("\xEF\xBB\xBF", "");
	/* A quoted first header right after the BOM. */
	check("\xEF\xBB\xBF\"Название\";x\n", "1:Название|x\n");
}

static void
check_delimiter(const char *data, char want)
{
	char d;
	char *got = dump_n(data, strlen(data), &d);
	assert_int_equal(d, want);
	free(got);
}

static void
test_csv_delimiter(void **state)
{
	(void)state;
	check_delimiter("name,phone,services\n1,2,3\n", ',');
	check_delimiter("name;phone;services\n1;2;3\n", ';');
	/* Commas inside quotes do not count. */
	check_delimiter("\"a,b,c\";d\n", ';');
	check_delimiter("\"a;b;c\",d\n", ',');
	/* Only the first record counts. */
	check_delimiter("a,b\n1;2;3;4\n", ',');
	/* A quoted header line with a new line in it is one record. */
	check_delimiter("\"a\n;;;\",b,c\nx;y\n", ',');
	/* Ties and a single column: what Russian Excel writes. */
	check_delimiter("a;b,c\n", ';');
	check_delimiter("Название\n", ';');
	check_delimiter("", ';');
	check_delimiter("\n\nname,phone\n", ',');
	/* The chosen delimiter splits; the other is text. */
	check("name,services\nНадежда,\"a;b\";c\n",
	    "1:name|services\n2:Надежда|a;b;c\n");
	check("a;b\n1,5;2\n", "1:a|b\n2:1,5|2\n");
}

/* The dump of an error: "!ERR@LINE" after the records before it. */
static void
check_error(const char *data, const char *records, enum csv_error err,
    size_t line)
{
	char want[256];

	snprintf(want, sizeof want, "%s!%d@%zu", records, (int)err, line);
	check(data, want);
}

static void
test_csv_unterminated(void **state)
{
	(void)state;
	check_error("\"abc", "", CSV_E_UNTERMINATED, 1);
	check_error("\"", "", CSV_E_UNTERMINATED, 1);
	/* The line the quote opened on, after the good records. */
	check_error("a;b\n1;2\nx;\"open\nmore\nstill\n", "1:a|b\n2:1|2\n",
	    CSV_E_UNTERMINATED, 3);
	/* A quote opened on a later line of a multi-line record. */
	check_error("a;b\n\"1\n2\";\"3\n", "1:a|b\n", CSV_E_UNTERMINATED, 3);
	/* A doubled quote at the end is no closing quote. */
	check_error("a\n\"x\"\"", "1:a\n", CSV_E_UNTERMINATED, 2);
}

static void
test_csv_caps(void **state)
{
	struct buf b = BUF_INIT;
	char *got;

	(void)state;
	/* A field of exactly the cap is read, one byte more is refused. */
	for (size_t i = 0; i < CSV_FIELD_MAX; i++)
		buf_putc(&b, 'x');
	buf_putc(&b, '\n');
	got = dump_n(buf_str(&b), b.len, NULL);
	assert_int_equal(strlen(got), 2 + CSV_FIELD_MAX + 1);
	free(got);
	buf_truncate(&b, b.len - 1);
	buf_puts(&b, "x\n");
	check_error(buf_str(&b), "", CSV_E_FIELD_TOO_LONG, 1);

	/* Quoted, starting on line 3: a doubled quote is one byte of the
	 * field, so the cap is reached by the last "". */
	buf_reset(&b);
	buf_puts(&b, "h\n\n\"");
	for (size_t i = 0; i < CSV_FIELD_MAX - 1; i++)
		buf_putc(&b, i % 100 == 0 ? '\n' : 'y');
	buf_puts(&b, "\"\"\"\n");
	got = dump_n(buf_str(&b), b.len, NULL);
	assert_int_equal(strlen(got),
	    4 + 2 + CSV_FIELD_MAX + (CSV_FIELD_MAX - 1 + 99) / 100 + 1);
	free(got);
	buf_truncate(&b, b.len - 2);
	buf_puts(&b, "\"\"\"\n");
	check_error(buf_str(&b), "1:h\n", CSV_E_FIELD_TOO_LONG, 3);

	/* At most CSV_FIELDS_MAX fields. */
	buf_reset(&b);
	buf_puts(&b, "h\n");
	for (int i = 1; i < CSV_FIELDS_MAX; i++)
		buf_putc(&b, ';');
	buf_putc(&b, '\n');
	got = dump_n(buf_str(&b), b.len, NULL);
	assert_int_equal(strlen(got), strlen("1:h\n2:") + CSV_FIELDS_MAX);
	free(got);
	buf_truncate(&b, b.len - 1);
	buf_puts(&b, ";\n");
	check_error(buf_str(&b), "1:h\n", CSV_E_TOO_MANY_FIELDS, 2);
	buf_release(&b);
}

static void
test_csv_nul_bytes(void **state)
{
	char *got;

	(void)state;
	got = dump_n("a\0b;c\n", 6, NULL);
	assert_string_equal(got, "1:a\\0b|c\n");
	free(got);
}

static void
test_csv_release_zeroed(void **state)
{
	struct csv_reader r;

	(void)state;
	memset(&r, 0, sizeof r);
	csv_release(&r);
	csv_release(NULL);
	assert_string_equal(csv_error_text(CSV_OK), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_simple),
	    cmocka_unit_test(test_csv_quoted),
	    cmocka_unit_test(test_csv_newlines_and_lines),
	    cmocka_unit_test(test_csv_empty_lines),
	    cmocka_unit_test(test_csv_bom),
	    cmocka_unit_test(test_csv_delimiter),
	    cmocka_unit_test(test_csv_unterminated),
	    cmocka_unit_test(test_csv_caps),
	    cmocka_unit_test(test_csv_nul_bytes),
	    cmocka_unit_test(test_csv_release_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
