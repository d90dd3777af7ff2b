/* A recognition document as an A4 PDF: pango lays out the text (PT Serif
 * for the letter's voice, PT Sans for the table and the small print),
 * cairo's PDF surface writes it, libqrencode computes the QR code that
 * cairo fills module by module. User text goes through
 * pango_layout_set_text only, so "<b>" in a name is printed as typed.
 * This file alone is built into dobrobot-pdf.so, which doc/loader.c opens
 * for the first document: the daemon does not map pango, cairo and their
 * thirty libraries until it makes one. */
#include "dobrobot/doc/pdf.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdbool.h>

#include "dobrobot/core/xalloc.h"

/* A4 in points, and the margins of a Russian business letter (ГОСТ Р
 * 7.0.97: 20 mm left at least, 10 mm right; a little more looks better). */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define LEFT 70.0
#define RIGHT 50.0
#define TOP 50.0
#define BOTTOM 70.0
#define TEXT_W (PAGE_W - LEFT - RIGHT)
#define QR_SIZE 86.0

/* Whether pango's font map was made (by the first layout). */
static bool fonts_loaded;

struct page {
	cairo_t *cr;
	double y; /* where the next block starts */
	int pages;
};

static cairo_status_t
write_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *out = closure;
	return buf_append(out, data, length) < 0 ? CAIRO_STATUS_WRITE_ERROR
	                                         : CAIRO_STATUS_SUCCESS;
}

/* A layout of plain text in the given font ("PT Serif Bold 20"), width and
 * alignment; new reference. */
static PangoLayout *
text_layout(cairo_t *cr, const char *text, const char *font, double width,
    PangoAlignment align, double letter_spacing)
{
	/* Body text is justified, as letters are; bold lines and narrow
	 * columns are not (wide gaps would show). */
	bool justify = align == PANGO_ALIGN_LEFT && width > 300 &&
	    strstr(font, "Bold") == NULL;
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	if (justify)
		pango_layout_set_justify(l, true);
	if (letter_spacing > 0) {
		PangoAttrList *attrs = pango_attr_list_new();
		pango_attr_list_insert(attrs,
		    pango_attr_letter_spacing_new((int)(letter_spacing *
		        PANGO_SCALE)));
		pango_layout_set_attributes(l, attrs);
		pango_attr_list_unref(attrs);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

static double
layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws text at (x, y); returns its height. */
static double
draw_text_at(cairo_t *cr, double x, double y, const char *text,
    const char *font, double width, PangoAlignment align)
{
	PangoLayout *l = text_layout(cr, text, font, width, align, 0);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	double h = layout_height(l);
	g_object_unref(l);
	return h;
}

/* Starts a new page when a block of height h would run into the bottom
 * margin. */
static void
need_room(struct page *p, double h)
{
	if (p->y + h <= PAGE_H - BOTTOM)
		return;
	cairo_show_page(p->cr);
	p->pages++;
	p->y = TOP;
}

/* A paragraph across the text width, then `after` points of space. */
static void
paragraph(struct page *p, const char *text, const char *font,
    PangoAlignment align, double spacing, double after)
{
	PangoLayout *l = text_layout(p->cr, text, font, TEXT_W, align, spacing);
	double h = layout_height(l);
	need_room(p, h);
	cairo_move_to(p->cr, LEFT, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + after;
}

static void
rule(cairo_t *cr, double x0, double x1, double y, double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

/* The QR code of `url` with its top-left corner at (x, y), `size` points
 * wide including the quiet zone libqrencode leaves to us (2 modules here:
 * the page around it is white). Dark modules are filled as horizontal runs
 * so that no seam shows between neighbours. Returns 0 or -1. */
static int
draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return -1;
	int n = qr->width, quiet = 2;
	double m = size / (n + 2 * quiet);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int row = 0; row < n; row++) {
		for (int col = 0; col < n;) {
			if (!(qr->data[row * n + col] & 1)) {
				col++;
				continue;
			}
			int start = col;
			while (col < n && (qr->data[row * n + col] & 1))
				col++;
			cairo_rectangle(cr, x + (quiet + start) * m,
			    y + (quiet + row) * m, (col - start) * m, m);
		}
	}
	cairo_fill(cr);
	cairo_restore(cr);
	QRcode_free(qr);
	return 0;
}

/* The letterhead: the issuer top left, the number and date under a rule,
 * the QR code and the short address in the top right corner. */
static int
letterhead(struct page *p, const struct doc_content *d)
{
	cairo_t *cr = p->cr;
	double head_w = TEXT_W - QR_SIZE - 20;
	double h = draw_text_at(cr, LEFT, TOP, d->issuer, "PT Serif Bold 13",
	    head_w, PANGO_ALIGN_LEFT);
	double y = TOP + h + 4;
	h = draw_text_at(cr, LEFT, y, "добровольческие акции города",
	    "PT Sans Italic 9", head_w, PANGO_ALIGN_LEFT);
	y += h;
	double qr_bottom = TOP;
	if (d->verify_url != NULL) {
		double qx = PAGE_W - RIGHT - QR_SIZE;
		if (draw_qr(cr, d->verify_url, qx, TOP - 8, QR_SIZE) < 0)
			return -1;
		qr_bottom = TOP - 8 + QR_SIZE;
		const char *u = d->verify_url;
		const char *scheme = strstr(u, "://");
		if (scheme != NULL)
			u = scheme + 3;
		char caption[512];
		snprintf(caption, sizeof caption, "Проверить подлинность:\n%s",
		    u);
		cairo_save(cr);
		cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
		qr_bottom += draw_text_at(cr, qx - 50, qr_bottom, caption,
		    "PT Sans 7", QR_SIZE + 50, PANGO_ALIGN_RIGHT);
		cairo_restore(cr);
	}
	if (y < qr_bottom + 6)
		y = qr_bottom + 6;
	rule(cr, LEFT, PAGE_W - RIGHT, y, 1.2);
	rule(cr, LEFT, PAGE_W - RIGHT, y + 2.5, 0.4);
	y += 12;
	char number[96];
	snprintf(number, sizeof number, "Исх. № %lld от %s",
	    (long long)d->number, d->date);
	y += draw_text_at(cr, LEFT, y, number, "PT Serif 11", TEXT_W,
	    PANGO_ALIGN_LEFT);
	p->y = y + 42;
	return 0;
}

static void
letter_body(struct page *p, const struct doc_content *d)
{
	paragraph(p, "БЛАГОДАРСТВЕННОЕ ПИСЬМО", "PT Serif Bold 22",
	    PANGO_ALIGN_CENTER, 1, 30);
	paragraph(p, d->holder, "PT Serif Bold Italic 20", PANGO_ALIGN_CENTER,
	    0, 26);
	char *text = g_strdup_printf("%s выражает Вам искреннюю благодарность "
	                             "за участие в акции «%s»%s%s%s.",
	    d->issuer, d->action, d->action_date ? " (" : "",
	    d->action_date ? d->action_date : "", d->action_date ? ")" : "");
	paragraph(p, text, "PT Serif 13", PANGO_ALIGN_LEFT, 0, 10);
	g_free(text);
	if (d->contribution != NULL && *d->contribution != '\0') {
		text = g_strdup_printf("Организаторы акции подтверждают "
		                       "Ваш вклад: %s.",
		    d->contribution);
		paragraph(p, text, "PT Serif 13", PANGO_ALIGN_LEFT, 0, 10);
		g_free(text);
	}
	paragraph(p,
	    "Ваши время, силы и неравнодушие помогают тем, кто "
	    "оказался в трудной ситуации, и делают наш город добрее. Спасибо!",
	    "PT Serif 13", PANGO_ALIGN_LEFT, 0, 10);
}

/* One row of the record's table: date, action, contribution; returns its
 * height (drawn only when `draw`). */
static double
table_row(struct page *p, const char *c1, const char *c2, const char *c3,
    const char *font, bool draw)
{
	const double w1 = 70, w3 = 150, gap = 10;
	double w2 = TEXT_W - w1 - w3 - 2 * gap;
	PangoLayout *l[3] = {
	    text_layout(p->cr, c1, font, w1, PANGO_ALIGN_LEFT, 0),
	    text_layout(p->cr, c2, font, w2, PANGO_ALIGN_LEFT, 0),
	    text_layout(p->cr, c3, font, w3, PANGO_ALIGN_LEFT, 0)};
	double x[3] = {LEFT, LEFT + w1 + gap, LEFT + w1 + w2 + 2 * gap};
	double h = 0;
	for (int i = 0; i < 3; i++) {
		double hi = layout_height(l[i]);
		if (hi > h)
			h = hi;
	}
	if (draw) {
		for (int i = 0; i < 3; i++) {
			cairo_move_to(p->cr, x[i], p->y);
			pango_cairo_show_layout(p->cr, l[i]);
		}
	}
	for (int i = 0; i < 3; i++)
		g_object_unref(l[i]);
	return h;
}

static void
record_body(struct page *p, const struct doc_content *d)
{
	paragraph(p, "СПРАВКА", "PT Serif Bold 22", PANGO_ALIGN_CENTER, 1, 4);
	paragraph(p, "о волонтёрской (добровольческой) деятельности",
	    "PT Serif 14", PANGO_ALIGN_CENTER, 0, 26);
	char *text = g_strdup_printf("Выдана: %s", d->holder);
	paragraph(p, text, "PT Serif Bold 14", PANGO_ALIGN_LEFT, 0, 10);
	g_free(text);
	text = g_strdup_printf(
	    "Настоящая справка подтверждает участие в "
	    "добровольческой (волонтёрской) деятельности (%s). Учтены только "
	    "помощь, получение которой отметили организаторы акций, и участие, "
	    "которое они подтвердили; обещания, ещё не исполненные, в справку "
	    "не входят.",
	    d->period ? d->period : "");
	paragraph(p, text, "PT Serif 12", PANGO_ALIGN_LEFT, 0, 14);
	g_free(text);
	double h = table_row(p, "Дата", "Акция, организация", "Вклад",
	    "PT Sans Bold 10", false);
	need_room(p, h + 30);
	table_row(p, "Дата", "Акция, организация", "Вклад", "PT Sans Bold 10",
	    true);
	p->y += h + 3;
	rule(p->cr, LEFT, PAGE_W - RIGHT, p->y, 0.6);
	p->y += 4;
	for (size_t i = 0; i < d->n_entries; i++) {
		const struct doc_entry *e = &d->entries[i];
		h = table_row(p, e->date, e->action, e->what, "PT Sans 10",
		    false);
		need_room(p, h + 4);
		table_row(p, e->date, e->action, e->what, "PT Sans 10", true);
		p->y += h + 3;
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.7);
		rule(p->cr, LEFT, PAGE_W - RIGHT, p->y, 0.3);
		cairo_restore(p->cr);
		p->y += 4;
	}
	p->y += 8;
	text = g_strdup_printf("Итого: %s.", d->totals ? d->totals : "");
	paragraph(p, text, "PT Serif Bold 12", PANGO_ALIGN_LEFT, 0, 10);
	g_free(text);
}

/* The signature line (for the organisation's head to sign and stamp when
 * the paper is printed), then the small print at the foot of the page. */
static void
signature(struct page *p, const struct doc_content *d)
{
	cairo_t *cr = p->cr;
	need_room(p, 90);
	p->y += 36;
	double y = p->y;
	draw_text_at(cr, LEFT, y,
	    d->kind == DOC_LETTER ? "Руководитель" : "Уполномоченное лицо",
	    "PT Serif 12", 175, PANGO_ALIGN_LEFT);
	double x1 = LEFT + 180, x2 = x1 + 130, x3 = x2 + 15,
	       x4 = PAGE_W - RIGHT;
	rule(cr, x1, x2, y + 15, 0.5);
	rule(cr, x3, x4, y + 15, 0.5);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	draw_text_at(cr, x1, y + 17, "(подпись)", "PT Sans 7", x2 - x1,
	    PANGO_ALIGN_CENTER);
	draw_text_at(cr, x3, y + 17, "(фамилия, инициалы)", "PT Sans 7",
	    x4 - x3, PANGO_ALIGN_CENTER);
	cairo_restore(cr);
	draw_text_at(cr, LEFT, y + 34, "М. П.", "PT Serif 11", 100,
	    PANGO_ALIGN_LEFT);
	p->y = y + 60;
}

static void
footer(struct page *p, const struct doc_content *d)
{
	char *text;
	if (d->verify_url != NULL)
		text = g_strdup_printf(
		    "Документ № %lld от %s сформирован "
		    "ботом%s%s. Подлинность и отзыв документа проверяются по "
		    "QR-коду или по адресу %s",
		    (long long)d->number, d->date, d->bot_username ? " @" : "",
		    d->bot_username ? d->bot_username : "", d->verify_url);
	else
		text = g_strdup_printf("Документ № %lld от %s сформирован "
		                       "ботом%s%s; код проверки %s.",
		    (long long)d->number, d->date, d->bot_username ? " @" : "",
		    d->bot_username ? d->bot_username : "", d->code);
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	rule(p->cr, LEFT, PAGE_W - RIGHT, PAGE_H - BOTTOM + 18, 0.3);
	draw_text_at(p->cr, LEFT, PAGE_H - BOTTOM + 24, text, "PT Sans 8",
	    TEXT_W, PANGO_ALIGN_CENTER);
	cairo_restore(p->cr);
	g_free(text);
}

DOC_PDF_EXPORT int
document_pdf_render(const struct doc_content *d, struct buf *out, char **cause)
{
	size_t start = out->len;
	fonts_loaded = true;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_to_buf,
	    out, PAGE_W, PAGE_H);
	char title[128];
	snprintf(title, sizeof title, "%s № %lld",
	    d->kind == DOC_LETTER ? "Благодарственное письмо"
	                          : "Справка о волонтёрской деятельности",
	    (long long)d->number);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->issuer);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
	    "dobrobot");
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0, 0, 0);
	struct page p = {.cr = cr, .y = TOP, .pages = 1};
	int rc = letterhead(&p, d);
	if (rc == 0) {
		cairo_set_source_rgb(cr, 0, 0, 0);
		if (d->kind == DOC_LETTER)
			letter_body(&p, d);
		else
			record_body(&p, d);
		signature(&p, d);
		footer(&p, d);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (rc < 0 || st != CAIRO_STATUS_SUCCESS) {
		buf_truncate(out, start);
		if (cause != NULL)
			*cause = xstrdup(rc < 0 ? "cannot make the QR code"
			                        : cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

DOC_PDF_EXPORT void
document_pdf_release(void)
{
	if (!fonts_loaded)
		return;
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
	fonts_loaded = false;
}
