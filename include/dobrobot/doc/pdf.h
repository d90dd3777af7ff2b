/* Recognition documents as files: a thank-you letter («Благодарственное
 * письмо») or a record of volunteering («Справка о волонтёрской
 * деятельности») typeset as an A4 PDF with pango and cairo in PT Serif and
 * PT Sans, with a QR code (libqrencode) of its public verify address. This
 * layer knows nothing of the database or of Telegram: the documents job
 * (handlers/documents.c) gathers the facts, this draws them. Documents are
 * in Russian, the language of the papers they stand for. */
#ifndef DOBROBOT_DOC_PDF_H
#define DOBROBOT_DOC_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "dobrobot/core/buf.h"

enum doc_kind { DOC_LETTER = 0, DOC_RECORD = 1 };

/* The random part of a verify address: DOC_CODE_LEN lowercase base32
 * letters and digits, 5 bits each (60 bits: unguessable, short enough to
 * type). */
#define DOC_CODE_LEN 12

/* One line of a record: what was done, when, where. Plain text, never
 * markup; the strings are borrowed. */
struct doc_entry {
	const char *date; /* "05.12.2026" */
	const char *action; /* the action's title, with its organisation */
	const char *what; /* "волонтёр, 4 ч", "тёплые вещи — 3 шт." */
};

/* What a document says. Every string is plain text (user text included:
 * it is laid out with pango_layout_set_text, never parsed as markup) and
 * borrowed. */
struct doc_content {
	enum doc_kind kind;
	const char *issuer; /* the organisation, or the council */
	const char *holder; /* the person's name, as they chose it */
	int64_t number;
	const char *date; /* the date of issue, "05.12.2026" */
	const char *action; /* letters: the action's title */
	const char *action_date; /* letters: when it took place, or NULL */
	const char *contribution; /* letters: "4 часа волонтёрской работы" */
	const char *period; /* records: "с 01.11.2026 по 05.12.2026" */
	const struct doc_entry *entries; /* records */
	size_t n_entries;
	const char *totals; /* records: "акций — 3; часов — 12; ..." */
	const char *verify_url; /* NULL: no QR code (no public site) */
	const char *code;
	const char *bot_username; /* may be NULL */
};

/* Appends the PDF of `d` to out. Returns 0, or -1 with *cause set to a new
 * string (caller frees) when cairo fails, out's cap is exceeded or the
 * renderer cannot be loaded. The renderer (doc/pdf.c, with pango, cairo,
 * fontconfig and libqrencode) is a shared object of its own,
 * dobrobot-pdf.so, loaded by the first call (doc/loader.c): a daemon that
 * makes no document never maps those libraries (4 MiB of resident set).
 * It is looked for at $DOBROBOT_PDF_LIB when set, beside the running
 * executable, then in DOBROBOT_PKGLIBDIR (make install puts it there). */
int document_render_pdf(const struct doc_content *d, struct buf *out,
    char **cause);

/* Releases what pango, cairo and fontconfig keep for the whole process
 * once a document was made (the font map, the fonts, fontconfig's
 * configuration), so that a leak checker at exit sees only our leaks.
 * Call once, at exit, after the last document; harmless when none was
 * made (the renderer is not loaded for it). */
void document_library_release(void);

/* What dobrobot-pdf.so exports, found by name with dlsym: the same
 * contracts as document_render_pdf and document_library_release. */
#define DOC_PDF_EXPORT __attribute__((visibility("default")))
#define DOC_PDF_RENDER_SYMBOL "document_pdf_render"
#define DOC_PDF_RELEASE_SYMBOL "document_pdf_release"
DOC_PDF_EXPORT int document_pdf_render(const struct doc_content *d,
    struct buf *out, char **cause);
DOC_PDF_EXPORT void document_pdf_release(void);

/* Writes a new random code (DOC_CODE_LEN characters and a NUL) from the
 * kernel's random source. Returns 0, or -1 when getrandom fails. */
int document_new_code(char out[DOC_CODE_LEN + 1]);

/* Whether s has the shape of a code (so that it may name a file). */
int document_code_valid(const char *s);

#endif
