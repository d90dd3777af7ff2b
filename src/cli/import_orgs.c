/* `dobrobot import-orgs FILE.csv`: the council's list of its NGOs, exported
 * from its spreadsheet, into the orgs table — every good row in one
 * transaction, matched by name (org_name_key) so that a second import of
 * the list updates the organisations instead of adding them again. Each
 * cell is checked by text/orgfields.c exactly as /addorg checks what an
 * admin types; reading CSV is text/csv.c's, the SQL store/orgs.c's. */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/cli/cli.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/text/csv.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/view/orgfields.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/words.h"
#include "dobrobot/core/xalloc.h"

/* A council's list is a few hundred rows; ten megabytes is a mistake. */
#define IMPORT_FILE_MAX ((size_t)10 * 1024 * 1024)

#define IMPORT_USAGE "usage: dobrobot import-orgs FILE.csv [--config FILE]\n"

/* The reasons a row is refused that are not about one field's value, in
 * the configured language like orgfield_check's. HTML, as those are: the
 * report turns both into plain text the same way. */
I18N(T_IMP_NO_NAME, "Нет названия, а без него организацию не добавить.",
    "There is no name, and an organisation cannot be added without one.")
I18N(T_IMP_REPEATED,
    "«%s» уже есть в строке %zu: одна организация — одна строка.",
    "“%s” is on line %zu already: one organisation, one row.")
I18N(T_IMP_EXTRA,
    "Ячеек в строке: %zu, а столбцов в заголовке: %zu, и лишние не пусты.",
    "The row has %zu cells but the header only %zu columns, and the extra "
    "ones are not empty.")

/* Header names, case-folded (utf8_casefold), in Russian and English. */
static const struct {
	const char *name;
	enum org_field field;
} import_columns[] = {
    {"название", ORG_F_NAME},
    {"name", ORG_F_NAME},
    {"описание", ORG_F_DESCRIPTION},
    {"description", ORG_F_DESCRIPTION},
    {"услуги", ORG_F_SERVICES},
    {"services", ORG_F_SERVICES},
    {"телефон", ORG_F_PHONE},
    {"phone", ORG_F_PHONE},
    {"адрес", ORG_F_ADDRESS},
    {"address", ORG_F_ADDRESS},
    {"ссылка", ORG_F_LINK},
    {"сайт", ORG_F_LINK},
    {"link", ORG_F_LINK},
    {"site", ORG_F_LINK},
    {"направления", ORG_F_DIRECTIONS},
    {"directions", ORG_F_DIRECTIONS},
};

/* The names seen so far in the file (org_name_key) with the line of their
 * row: open addressing, at most half full. */
struct import_name {
	char *key;
	size_t line;
};

struct import_names {
	struct import_name *slot;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

/* One import: the columns found in the header and what was done. */
struct import {
	const struct config *cfg;
	struct store *st;
	char delimiter;
	int col[ORG_F_COUNT]; /* the field's column, -1 when absent */
	char *heading[ORG_F_COUNT]; /* the column's name as written */
	size_t n_columns; /* the header's cells */
	struct import_names names;
	int64_t now_ms;
	size_t created, updated, refused;
};

static uint64_t
import_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static void
import_names_put(struct import_names *set, char *key, size_t line)
{
	size_t mask = set->cap - 1, i = (size_t)import_hash(key) & mask;
	while (set->slot[i].key != NULL)
		i = (i + 1) & mask;
	set->slot[i].key = key;
	set->slot[i].line = line;
	set->n++;
}

/* Records `key` (stolen) as the name of the row on `line`. Returns 0 when
 * it is new, else the line of the earlier row that has it (and frees
 * key). */
static size_t
import_names_add(struct import_names *set, char *key, size_t line)
{
	if (set->cap > 0) {
		size_t mask = set->cap - 1;
		for (size_t i = (size_t)import_hash(key) & mask;
		     set->slot[i].key != NULL; i = (i + 1) & mask)
			if (strcmp(set->slot[i].key, key) == 0) {
				free(key);
				return set->slot[i].line;
			}
	}
	if (2 * (set->n + 1) > set->cap) {
		struct import_names grown = {
		    NULL, set->cap ? set->cap * 2 : 64, 0};
		grown.slot = xcalloc(grown.cap, sizeof *grown.slot);
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i].key != NULL)
				import_names_put(&grown, set->slot[i].key,
				    set->slot[i].line);
		free(set->slot);
		*set = grown;
	}
	import_names_put(set, key, line);
	return 0;
}

static void
import_names_release(struct import_names *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i].key);
	free(set->slot);
	memset(set, 0, sizeof *set);
}

static void
import_release(struct import *imp)
{
	for (int f = 0; f < ORG_F_COUNT; f++)
		free(imp->heading[f]);
	import_names_release(&imp->names);
}

/* Appends a byte of text for a terminal: what came from the file may hold
 * anything, and escape sequences must not reach the operator's screen. */
static void
put_terminal_char(struct buf *b, char c)
{
	unsigned char u = (unsigned char)c;
	if (c == '\n' || c == '\t')
		buf_putc(b, ' ');
	else
		buf_putc(b, u < 0x20 || u == 0x7f ? '?' : c);
}

/* Appends a sentence written in Telegram's HTML (orgfield_check's, ours)
 * as plain text: tags dropped, the entities html_escape writes decoded. */
static void
put_plain(struct buf *b, const char *html)
{
	static const struct {
		const char *entity;
		char c;
	} entities[] = {
	    {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&amp;", '&'}};

	for (const char *p = html; *p != '\0';) {
		if (*p == '<' && strchr(p, '>') != NULL) {
			p = strchr(p, '>') + 1;
			continue;
		}
		size_t k = 0;
		for (size_t i = 0; *p == '&' &&
		     i < sizeof entities / sizeof *entities && k == 0;
		     i++) {
			size_t n = strlen(entities[i].entity);
			if (strncmp(p, entities[i].entity, n) == 0) {
				buf_putc(b, entities[i].c);
				k = n;
			}
		}
		if (k == 0)
			put_terminal_char(b, *p++);
		else
			p += k;
	}
}

/* Reports a refused cell or row: "line N: heading: why" on stderr; why is
 * HTML and is freed. */
static void
report(struct import *imp, size_t line, int field, char *why)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "line %zu: ", line);
	if (field >= 0) {
		for (const char *p = imp->heading[field]; *p != '\0'; p++)
			put_terminal_char(&b, *p);
		buf_puts(&b, ": ");
	}
	put_plain(&b, why);
	fprintf(stderr, "%s\n", buf_str(&b));
	buf_release(&b);
	free(why);
}

/* One of our reasons, formatted in the configured language (new string). */
static char *
import_text(const struct import *imp, const struct i18n_pair *p, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, p);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	buf_vprintf(&b, i18n_pick(imp->cfg->locale, p), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return buf_detach(&b);
}

/* True when s is nothing but white space. */
static bool
is_blank(const char *s)
{
	char *t = utf8_trim(s);
	bool blank = *t == '\0';
	free(t);
	return blank;
}

/* Reads the whole file into *out (capped at IMPORT_FILE_MAX). Returns 0,
 * or -1 with the reason printed. */
static int
read_csv_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "dobrobot import-orgs: cannot open %s: %s\n",
		    path, strerror(errno));
		return -1;
	}
	buf_init(out, IMPORT_FILE_MAX);
	char chunk[64 * 1024];
	size_t n;
	int rc = 0;
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(out, chunk, n) < 0) {
			fprintf(stderr,
			    "dobrobot import-orgs: %s is larger than 10 MiB: "
			    "that is no list of organisations\n",
			    path);
			rc = -1;
		}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "dobrobot import-orgs: cannot read %s: %s\n",
		    path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* Checks the whole file's CSV before anything is written, so that a quote
 * left open on line 40 refuses the file instead of importing half of it.
 * Returns 0, or -1 with the reason printed. */
static int
check_syntax(const char *path, const struct buf *file)
{
	struct csv_reader r;
	struct csv_record rec;
	int rc;
	csv_init(&r, buf_str(file), file->len);
	while ((rc = csv_next(&r, &rec)) == 1)
		;
	if (rc < 0)
		fprintf(stderr,
		    "dobrobot import-orgs: %s: line %zu: %s; nothing was "
		    "imported\n",
		    path, r.err_line, csv_error_text(r.err));
	csv_release(&r);
	return rc;
}

/* Finds the columns in the header. Returns 0, or -1 (a usage error) with
 * the reason printed: no name column, or a field named twice. */
static int
read_header(struct import *imp, const char *path, const struct csv_record *rec)
{
	struct buf unknown = BUF_INIT, all = BUF_INIT;
	int rc = 0;
	imp->n_columns = rec->n;
	for (size_t i = 0; i < rec->n; i++) {
		char *clean = utf8_sanitize(rec->field[i], rec->len[i]);
		char *heading = utf8_trim(clean);
		char *folded = utf8_casefold(heading);
		free(clean);
		int field = -1;
		for (size_t k = 0;
		     k < sizeof import_columns / sizeof *import_columns; k++)
			if (strcmp(folded, import_columns[k].name) == 0)
				field = (int)import_columns[k].field;
		free(folded);
		if (*heading != '\0') {
			buf_puts(&all, all.len ? ", \"" : "\"");
			for (const char *p = heading; *p != '\0'; p++)
				put_terminal_char(&all, *p);
			buf_putc(&all, '"');
		}
		if (field < 0) {
			/* A column without a name holds nothing we know. */
			if (*heading != '\0') {
				buf_puts(&unknown, unknown.len ? ", \"" : "\"");
				for (const char *p = heading; *p != '\0'; p++)
					put_terminal_char(&unknown, *p);
				buf_putc(&unknown, '"');
			}
			free(heading);
			continue;
		}
		if (imp->col[field] >= 0 && rc == 0) {
			fprintf(stderr,
			    "dobrobot import-orgs: %s: columns %d and %zu both "
			    "hold the %s: keep one of them\n",
			    path, imp->col[field] + 1, i + 1,
			    orgfield_name((enum org_field)field));
			rc = -1;
		}
		if (imp->col[field] < 0) {
			imp->col[field] = (int)i;
			imp->heading[field] = heading;
		} else {
			free(heading);
		}
	}
	if (rc == 0 && imp->col[ORG_F_NAME] < 0) {
		fprintf(stderr,
		    "dobrobot import-orgs: %s has no name column: its first "
		    "line must name the columns, one of them \"название\" (or "
		    "\"name\"); it has %s\n",
		    path, all.len ? buf_str(&all) : "none");
		rc = -1;
	}
	if (rc == 0 && unknown.len > 0)
		fprintf(stderr,
		    "dobrobot import-orgs: warning: columns ignored (not "
		    "known): %s\n",
		    buf_str(&unknown));
	buf_release(&unknown);
	buf_release(&all);
	return rc;
}

/* The cell of `field` in the record ("" when the row is short). */
static const char *
cell_of(const struct import *imp, const struct csv_record *rec, int field)
{
	size_t c = (size_t)imp->col[field];
	return c < rec->n ? rec->field[c] : "";
}

/* Checks one row's cells and reports each that is refused. Fills value[]
 * (new strings) for the columns the file has. Returns true when every
 * check passed. */
static bool
check_row(struct import *imp, const struct csv_record *rec,
    char *value[ORG_F_COUNT])
{
	bool good = true;
	for (size_t i = imp->n_columns; i < rec->n; i++)
		if (!is_blank(rec->field[i])) {
			report(imp, rec->line, -1,
			    import_text(imp, &T_IMP_EXTRA, rec->n,
			        imp->n_columns));
			good = false;
			break;
		}
	for (int f = 0; f < ORG_F_COUNT; f++) {
		if (imp->col[f] < 0)
			continue;
		const char *cell = cell_of(imp, rec, f);
		char *services = NULL, *why = NULL;
		if (f == ORG_F_NAME && is_blank(cell)) {
			report(imp, rec->line, f,
			    import_text(imp, &T_IMP_NO_NAME));
			good = false;
			continue;
		}
		/* The words that skip a step of /addorg leave a cell empty. */
		if (orgfield_optional((enum org_field)f) && is_skip_word(cell))
			cell = "";
		/* In a ","-separated file a services cell may list them
		 * with ";" as well as one a line. */
		if (f == ORG_F_SERVICES && imp->delimiter == ',') {
			services = xstrdup(cell);
			for (char *p = services; *p != '\0'; p++)
				if (*p == ';')
					*p = '\n';
			cell = services;
		}
		value[f] = orgfield_check((enum org_field)f, cell, imp->cfg,
		    imp->cfg->locale, &why);
		free(services);
		if (value[f] == NULL) {
			report(imp, rec->line, f, why);
			good = false;
		}
	}
	if (value[ORG_F_NAME] != NULL) {
		/* A name is claimed by the first row that has it, even one
		 * refused for another cell: which of two rows is meant is
		 * the admin's call, not ours. */
		size_t first = import_names_add(&imp->names,
		    org_name_key(value[ORG_F_NAME]), rec->line);
		if (first > 0) {
			struct buf shown = BUF_INIT;
			html_escape(&shown, value[ORG_F_NAME]);
			report(imp, rec->line, ORG_F_NAME,
			    import_text(imp, &T_IMP_REPEATED, buf_str(&shown),
			        first));
			buf_release(&shown);
			good = false;
		}
	}
	return good;
}

/* Imports one row. Fields whose column the file lacks keep what the bot
 * has (an update does not wipe the link an admin set in /editorg); an
 * empty cell in a column it has empties the field. Returns 1 when stored,
 * 0 when refused (reported), -1 on a database error. */
static int
import_row(struct import *imp, const struct csv_record *rec)
{
	char *value[ORG_F_COUNT] = {NULL};
	struct org o;
	int rc = 0;
	memset(&o, 0, sizeof o);
	if (!check_row(imp, rec, value)) {
		imp->refused++;
		goto out;
	}
	int64_t id = orgs_find_by_name(imp->st, value[ORG_F_NAME]);
	if (id < 0 || (id > 0 && orgs_load(imp->st, id, &o) != 1)) {
		rc = -1;
		goto out;
	}
	for (int f = 0; f < ORG_F_COUNT; f++)
		if (imp->col[f] >= 0)
			orgfield_set(&o, (enum org_field)f, value[f]);
	bool created;
	if (orgs_upsert(imp->st, &o, imp->now_ms, &created) < 0) {
		rc = -1;
		goto out;
	}
	if (created)
		imp->created++;
	else
		imp->updated++;
	rc = 1;
out:
	for (int f = 0; f < ORG_F_COUNT; f++)
		free(value[f]);
	org_release(&o);
	return rc;
}

/* Every row after the header, in one transaction. Returns 0, or -1 when
 * the database failed (rolled back, reported). */
static int
import_rows(struct import *imp, const struct buf *file)
{
	struct csv_reader r;
	struct csv_record rec;
	int rc = 0, got;
	if (store_begin(imp->st) < 0) {
		fprintf(stderr,
		    "dobrobot import-orgs: cannot start writing "
		    "to the database\n");
		return -1;
	}
	csv_init(&r, buf_str(file), file->len);
	got = csv_next(&r, &rec); /* the header, read before */
	assert(got == 1);
	while (rc == 0 && (got = csv_next(&r, &rec)) == 1) {
		bool blank = true;
		for (size_t i = 0; i < rec.n && blank; i++)
			blank = is_blank(rec.field[i]);
		/* Spreadsheets end with rows of empty cells. */
		if (!blank && import_row(imp, &rec) < 0)
			rc = -1;
	}
	csv_release(&r);
	/* check_syntax read the same bytes without an error. */
	assert(rc < 0 || got == 0);
	if (rc == 0 && store_commit(imp->st) < 0)
		rc = -1;
	if (rc < 0) {
		store_rollback(imp->st);
		fprintf(stderr,
		    "dobrobot import-orgs: cannot write to the "
		    "database: nothing was imported\n");
	}
	return rc;
}

int
cli_import_orgs(const struct config *cfg, int argc, char **argv)
{
	if (argc != 1 || (argv[0][0] == '-' && argv[0][1] != '\0')) {
		fprintf(stderr, "dobrobot import-orgs: %s\n\n" IMPORT_USAGE,
		    argc == 0       ? "which file? Name the CSV to import"
		        : argc == 1 ? "unknown option"
		                    : "one file at a time, please");
		return CLI_USAGE;
	}
	const char *path = argv[0];
	struct import imp;
	struct buf file = BUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	char *cause = NULL;
	size_t done;
	int rc = CLI_USAGE;

	memset(&imp, 0, sizeof imp);
	memset(&r, 0, sizeof r);
	imp.cfg = cfg;
	for (int f = 0; f < ORG_F_COUNT; f++)
		imp.col[f] = -1;
	if (read_csv_file(path, &file) < 0)
		goto out;
	/* Russian Excel's plain "CSV" is Windows-1251: it would be stored
	 * as U+FFFD, so refuse it while the admin can still save again. */
	if (memchr(buf_str(&file), '\0', file.len) != NULL ||
	    !utf8_valid(buf_str(&file), file.len)) {
		fprintf(stderr,
		    "dobrobot import-orgs: %s is not UTF-8 text: save it "
		    "again as \"CSV UTF-8\" (Excel) or with the UTF-8 "
		    "character set (LibreOffice)\n",
		    path);
		goto out;
	}
	if (check_syntax(path, &file) < 0)
		goto out;
	csv_init(&r, buf_str(&file), file.len);
	imp.delimiter = r.delimiter;
	if (csv_next(&r, &rec) != 1) {
		fprintf(stderr,
		    "dobrobot import-orgs: %s is empty: it needs a header "
		    "line naming the columns, then one organisation a row\n",
		    path);
		goto out;
	}
	if (read_header(&imp, path, &rec) < 0)
		goto out;
	csv_release(&r);

	imp.st = cli_open_store(cfg, &cause);
	if (imp.st == NULL) {
		fprintf(stderr, "dobrobot import-orgs: %s\n", cause);
		free(cause);
		rc = CLI_FAILED;
		goto out;
	}
	clock_refresh_offset();
	imp.now_ms = clock_wall_ms();
	if (import_rows(&imp, &file) < 0) {
		rc = CLI_FAILED;
		goto out;
	}
	done = imp.created + imp.updated;
	printf("imported %zu organisation%s: %zu new, %zu updated", done,
	    done == 1 ? "" : "s", imp.created, imp.updated);
	if (imp.refused > 0)
		printf("; %zu row%s refused", imp.refused,
		    imp.refused == 1 ? "" : "s");
	printf("\n");
	rc = imp.refused > 0 ? CLI_FAILED : CLI_OK;
out:
	csv_release(&r);
	store_close(imp.st);
	import_release(&imp);
	buf_release(&file);
	return rc;
}
