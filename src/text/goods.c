/* Parsing organisers' lines of needed goods and matching citizens' words
 * against them (see goods.h). */
#include "dobrobot/text/goods.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

/* A word of the sanitised line: bytes [s, s + len). */
struct goods_token {
	const char *s;
	size_t len;
};

struct goods_tokens {
	struct goods_token *v;
	size_t n, cap;
};

/* Splits s at white space. */
static void
goods_tokenize(const char *s, struct goods_tokens *t)
{
	size_t len = strlen(s), start = 0;
	bool in_word = false;

	for (size_t i = 0; i <= len;) {
		uint32_t cp = ' ';
		size_t step = i < len ? utf8_decode(s + i, len - i, &cp) : 1;
		bool space = i == len || utf8_is_space(cp);

		if (space && in_word) {
			t->v = xgrow(t->v, t->n, &t->cap, 16, sizeof *t->v);
			t->v[t->n].s = s + start;
			t->v[t->n].len = i - start;
			t->n++;
			in_word = false;
		} else if (!space && !in_word) {
			start = i;
			in_word = true;
		}
		i += step;
	}
}

/* The byte length of a dash (— – -) or colon at p, 0 if there is none. */
static size_t
goods_separator_at(const char *p, size_t avail)
{
	if (avail >= 1 && (*p == '-' || *p == ':'))
		return 1;
	if (avail >= 3 &&
	    (memcmp(p, "\xE2\x80\x94", 3) == 0 || /* — */
	        memcmp(p, "\xE2\x80\x93", 3) == 0)) /* – */
		return 3;
	return 0;
}

static bool
goods_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t
goods_count_digits(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && goods_is_digit(s[n]))
		n++;
	return n;
}

static bool
goods_all_digits(const struct goods_token *t)
{
	return goods_count_digits(t->s, t->len) == t->len;
}

/* A token holding the quantity: optional dashes or colons (when allowed),
 * digits, then optionally an attached unit without digits ("50кг").
 * Sets *digits to the digits and *rest to the attached unit. */
static bool
goods_quantity_token(const struct goods_token *t, bool allow_separator,
    struct goods_token *digits, struct goods_token *rest)
{
	const char *p = t->s, *end = t->s + t->len;
	size_t n;

	while (allow_separator &&
	    (n = goods_separator_at(p, (size_t)(end - p))) > 0)
		p += n;
	n = goods_count_digits(p, (size_t)(end - p));
	if (n == 0)
		return false;
	digits->s = p;
	digits->len = n;
	rest->s = p + n;
	rest->len = (size_t)(end - p) - n;
	for (size_t i = 0; i < rest->len; i++) {
		if (goods_is_digit(rest->s[i]))
			return false; /* "1.5", "4x5": not a count */
	}
	return true;
}

/* A list marker at the start of the line: "-", "—", "–", "•", "*", "·",
 * "1.", "2)". */
static bool
goods_is_list_marker(const struct goods_token *t)
{
	static const char *const marks[] = {"-", "\xE2\x80\x94", "\xE2\x80\x93",
	    "\xE2\x80\xA2", "*", "\xC2\xB7"};
	size_t d;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (t->len == strlen(marks[i]) &&
		    memcmp(t->s, marks[i], t->len) == 0)
			return true;
	}
	d = goods_count_digits(t->s, t->len);
	return d > 0 && d <= 3 && t->len == d + 1 &&
	    (t->s[d] == '.' || t->s[d] == ')');
}

/* Words that name a unit when the line starts with the quantity ("20 шт
 * тёплые одеяла"), compared case-folded and without a final dot. */
static bool
goods_is_unit_word(const struct goods_token *t)
{
	static const char *const units[] = {"шт", "штук", "штуки", "штука",
	    "кг", "г", "гр", "л", "литр", "литра", "литров", "мл", "м", "пар",
	    "пара", "пары", "упак", "уп", "упаковка", "упаковки", "упаковок",
	    "пачка", "пачки", "пачек", "мешок", "мешка", "мешков", "коробка",
	    "коробки", "коробок", "бутылка", "бутылки", "бутылок", "банка",
	    "банки", "банок", "комплект", "комплекта", "комплектов", "набор",
	    "набора", "наборов", "рулон", "рулона", "рулонов", "pcs", "kg",
	    "l"};
	char *word = xstrndup(t->s, t->len);
	char *folded = utf8_casefold(word);
	size_t len = strlen(folded);
	bool found = false;

	if (len > 0 && folded[len - 1] == '.')
		folded[--len] = '\0';
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !found; i++)
		found = strcmp(folded, units[i]) == 0;
	free(word);
	free(folded);
	return found;
}

/* Joins tokens [from, to) with single spaces, after `prefix` if any, and
 * trims dashes, colons and white space from both ends. Returns a new string,
 * or NULL when nothing is left. */
static char *
goods_join(const struct goods_tokens *t, size_t from, size_t to,
    const struct goods_token *prefix)
{
	struct buf b = BUF_INIT;
	const char *s, *end;
	size_t n;
	char *res = NULL;

	if (prefix != NULL && prefix->len > 0)
		buf_append(&b, prefix->s, prefix->len);
	for (size_t i = from; i < to; i++) {
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_append(&b, t->v[i].s, t->v[i].len);
	}
	s = buf_str(&b);
	end = s + b.len;
	for (;;) {
		if ((n = goods_separator_at(s, (size_t)(end - s))) > 0)
			s += n;
		else if (s < end && *s == ' ')
			s++;
		else
			break;
	}
	for (;;) {
		if (end > s &&
		    (end[-1] == ' ' || end[-1] == '-' || end[-1] == ':'))
			end--;
		else if (end - s >= 3 &&
		    (memcmp(end - 3, "\xE2\x80\x94", 3) == 0 ||
		        memcmp(end - 3, "\xE2\x80\x93", 3) == 0))
			end -= 3;
		else
			break;
	}
	if (end > s)
		res = xstrndup(s, (size_t)(end - s));
	buf_release(&b);
	return res;
}

int
goods_parse_line(const char *line, int64_t max_qty, struct goods_line *out,
    enum goods_error *err)
{
	char *clean = utf8_sanitize(line, strlen(line));
	struct goods_tokens t = {NULL, 0, 0};
	struct goods_token digits = {NULL, 0}, attached = {NULL, 0};
	size_t first = 0, qty_start = 0, qty_end = 0; /* [qty_start, qty_end] */
	char *item = NULL, *unit = NULL;
	int64_t qty = 0;
	bool found = false, overflow = false;

	goods_tokenize(clean, &t);
	if (t.n == 0) {
		*err = GOODS_EMPTY;
		goto out;
	}
	if (t.n > 1 && goods_is_list_marker(&t.v[0]))
		first = 1;

	/* The quantity is the last number in the line. */
	for (size_t i = t.n; i-- > first;) {
		if (goods_quantity_token(&t.v[i], i > first, &digits,
		        &attached)) {
			qty_end = i;
			found = true;
			break;
		}
	}
	if (!found) {
		*err = GOODS_NO_QUANTITY;
		goto out;
	}
	/* "1 000": earlier groups of the same number. */
	qty_start = qty_end;
	if (digits.len == 3 && digits.s == t.v[qty_end].s) {
		while (qty_start > first &&
		    goods_all_digits(&t.v[qty_start - 1]) &&
		    t.v[qty_start - 1].len <= 3) {
			qty_start--;
			if (t.v[qty_start].len < 3)
				break; /* the leading group */
		}
	}
	for (size_t i = qty_start; i <= qty_end; i++) {
		const struct goods_token *g = i == qty_end ? &digits : &t.v[i];

		for (size_t j = 0; j < g->len; j++) {
			int d = g->s[j] - '0';

			if (overflow || qty > (INT64_MAX - d) / 10)
				overflow = true;
			else
				qty = qty * 10 + d;
		}
	}

	if (qty_start > first) {
		/* "тёплые одеяла — 20 шт": the item, the number, the unit. */
		item = goods_join(&t, first, qty_start, NULL);
		unit = goods_join(&t, qty_end + 1, t.n, &attached);
	} else if (attached.len > 0) {
		/* "20шт тёплые одеяла" */
		unit = goods_join(&t, 0, 0, &attached);
		item = goods_join(&t, qty_end + 1, t.n, NULL);
	} else if (qty_end + 1 < t.n && goods_is_unit_word(&t.v[qty_end + 1])) {
		/* "20 шт тёплые одеяла" */
		unit = goods_join(&t, qty_end + 1, qty_end + 2, NULL);
		item = goods_join(&t, qty_end + 2, t.n, NULL);
	} else {
		/* "20 одеял" */
		item = goods_join(&t, qty_end + 1, t.n, NULL);
	}

	if (qty == 0 && !overflow)
		*err = GOODS_ZERO;
	else if (overflow || qty > max_qty)
		*err = GOODS_TOO_LARGE;
	else if (item == NULL)
		*err = GOODS_EMPTY_ITEM;
	else if (utf8_length(item, strlen(item)) > GOODS_ITEM_MAX)
		*err = GOODS_ITEM_TOO_LONG;
	else if (unit != NULL &&
	    utf8_length(unit, strlen(unit)) > GOODS_UNIT_MAX)
		*err = GOODS_UNIT_TOO_LONG;
	else
		*err = GOODS_OK;
	if (*err == GOODS_OK) {
		out->item = item;
		out->quantity = qty;
		out->unit = unit;
		item = unit = NULL;
	}
out:
	free(item);
	free(unit);
	free(t.v);
	free(clean);
	return *err == GOODS_OK ? 0 : -1;
}

enum goods_split
goods_split_line(const char *line, char ***parts, size_t *n)
{
	char **v = NULL;
	size_t count = 0, with_qty = 0, start = 0, len = strlen(line);
	bool separated = false;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != ',' && line[i] != ';')
			continue;
		/* "1,5 кг": a decimal comma, not a separator. */
		if (i < len && line[i] == ',' && i > 0 && i + 1 < len &&
		    goods_is_digit(line[i - 1]) && goods_is_digit(line[i + 1]))
			continue;
		separated = separated || i < len;
		char *piece = xstrndup(line + start, i - start);
		char *t = utf8_trim(piece);
		free(piece);
		start = i + 1;
		if (*t == '\0') {
			free(t);
			continue;
		}
		struct goods_line g;
		enum goods_error err;
		if (goods_parse_line(t, INT64_MAX, &g, &err) == 0) {
			with_qty++;
			goods_line_release(&g);
		}
		v = xrealloc(v, (count + 1) * sizeof(*v));
		v[count++] = t;
	}
	if (count > 0 && with_qty == count && (count > 1 || separated)) {
		/* Split, or one good with a stray "," at the end. */
		*parts = v;
		*n = count;
		return count > 1 ? GOODS_SPLIT_DONE : GOODS_SPLIT_NONE;
	}
	goods_parts_free(v, count);
	*parts = xmalloc(sizeof(**parts));
	(*parts)[0] = utf8_trim(line);
	*n = 1;
	/* Some parts with a number and some without: maybe several goods,
	 * maybe one name with a comma in it. */
	return separated && count > 1 && with_qty > 0 ? GOODS_SPLIT_UNSURE
	                                              : GOODS_SPLIT_NONE;
}

void
goods_parts_free(char **parts, size_t n)
{
	for (size_t i = 0; parts != NULL && i < n; i++)
		free(parts[i]);
	free(parts);
}

void
goods_line_release(struct goods_line *g)
{
	if (g == NULL)
		return;
	free(g->item);
	free(g->unit);
	g->item = NULL;
	g->unit = NULL;
}

const char *
goods_error_text(enum goods_error err, const char *lang)
{
	bool en = lang != NULL && strncmp(lang, "en", 2) == 0;

	switch (err) {
	case GOODS_OK:
		return "";
	case GOODS_EMPTY:
		return en ? "Please write what is needed and how much, one "
		            "thing per line, for example: тёплые одеяла — 20 шт"
		          : "Напишите, что нужно и сколько, по одной вещи на "
		            "строке, например: тёплые одеяла — 20 шт";
	case GOODS_ZERO:
		return en ? "The quantity must be more than zero, for example: "
		            "тёплые одеяла — 20 шт"
		          : "Количество должно быть больше нуля, например: "
		            "тёплые одеяла — 20 шт";
	case GOODS_TOO_LARGE:
		return en ? "That quantity is too large; please check the "
		            "number, for example: тёплые одеяла — 20 шт"
		          : "Слишком большое количество, проверьте число, "
		            "например: тёплые одеяла — 20 шт";
	case GOODS_EMPTY_ITEM:
		return en ? "Please say what is needed, not only how much, for "
		            "example: тёплые одеяла — 20 шт"
		          : "Напишите не только количество, но и что нужно, "
		            "например: тёплые одеяла — 20 шт";
	case GOODS_ITEM_TOO_LONG:
		return en ? "The name is too long; please keep it under 100 "
		            "characters, for example: тёплые одеяла — 20 шт"
		          : "Слишком длинное название, уложитесь в 100 знаков, "
		            "например: тёплые одеяла — 20 шт";
	case GOODS_UNIT_TOO_LONG:
		return en
		    ? "Please put only the unit after the number and the "
		      "details in the name, for example: тёплые одеяла "
		      "(двуспальные) — 20 шт"
		    : "После числа напишите только единицу, а подробности "
		      "— в названии, например: тёплые одеяла "
		      "(двуспальные) — 20 шт";
	case GOODS_NO_QUANTITY:
	default:
		return en ? "Please add how many are needed as a whole number, "
		            "for example: тёплые одеяла — 20 шт"
		          : "Укажите количество целым числом, например: тёплые "
		            "одеяла — 20 шт";
	}
}

/* Words of a case-folded string as code points, for goods_match. */
struct goods_words {
	uint32_t *cps;
	size_t *start, *len;
	size_t n;
};

/* Letters and digits make words; white space and punctuation (ASCII, «»,
 * dashes, quotes, №) separate them. */
static bool
goods_is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z');
	if (utf8_is_space(cp) || cp == 0xAB || cp == 0xBB || cp == 0xB7 ||
	    cp == 0x2116 || cp == UTF8_REPLACEMENT)
		return false;
	return !(cp >= 0x2010 && cp <= 0x2027);
}

static void
goods_words_split(const char *s, struct goods_words *w)
{
	char *folded = utf8_casefold(s);
	size_t len = strlen(folded), ncp = 0;
	bool in_word = false;

	/* At most one code point and one word per byte. */
	w->cps = xmalloc((len + 1) * sizeof(*w->cps));
	w->start = xmalloc((len + 1) * sizeof(*w->start));
	w->len = xmalloc((len + 1) * sizeof(*w->len));
	w->n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += utf8_decode(folded + i, len - i, &cp);
		if (goods_is_word_char(cp)) {
			if (!in_word) {
				w->start[w->n] = ncp;
				w->len[w->n] = 0;
				w->n++;
			}
			w->cps[ncp++] = cp;
			w->len[w->n - 1]++;
			in_word = true;
		} else {
			in_word = false;
		}
	}
	free(folded);
}

static void
goods_words_release(struct goods_words *w)
{
	free(w->cps);
	free(w->start);
	free(w->len);
}

/* How well query word q matches item word w:
 *   4  the same word;
 *   3  the last letter changed, at least 3 kept (крупы/крупа, мыла/мыло);
 *   2  one a prefix of the other, the shorter with at least 4 letters
 *      (одеял/одеяла, мылом/мыло);
 *   1  the query without its last letter a prefix of the item word, at
 *      least 3 letters kept (воды/водка), or both differing only in endings
 *      of up to two letters after at least 4 common ones (тёплых/тёплые,
 *      хозяйственного/хозяйственное);
 *   0  no match. */
static int
goods_word_score(const uint32_t *q, size_t lq, const uint32_t *w, size_t lw)
{
	size_t p = 0;

	while (p < lq && p < lw && q[p] == w[p])
		p++;
	if (p == lq && p == lw)
		return 4;
	if (lq == lw && p + 1 == lq && p >= 3)
		return 3;
	if ((p == lq && lq >= 4) || (p == lw && lw >= 4))
		return 2;
	if ((p + 1 == lq && p >= 3) || (p >= 4 && lq - p <= 2 && lw - p <= 2))
		return 1;
	return 0;
}

int
goods_match(const char *query, const char *const *items, size_t n)
{
	struct goods_words q;
	int best = -1, best_score = 0;
	size_t best_unmatched = 0;
	bool tie = false;

	goods_words_split(query, &q);
	for (size_t i = 0; i < n && q.n > 0; i++) {
		struct goods_words w;
		int score = 0;
		size_t unmatched = 0;

		if (items[i] == NULL)
			continue;
		goods_words_split(items[i], &w);
		bool *used = xcalloc(w.n + 1, sizeof(*used));
		for (size_t a = 0; a < q.n && score >= 0; a++) {
			int word_best = 0;

			for (size_t b = 0; b < w.n; b++) {
				int s = goods_word_score(q.cps + q.start[a],
				    q.len[a], w.cps + w.start[b], w.len[b]);

				if (s > 0)
					used[b] = true;
				if (s > word_best)
					word_best = s;
			}
			score = word_best > 0 ? score + word_best : -1;
		}
		for (size_t b = 0; b < w.n; b++)
			unmatched += !used[b];
		free(used);
		goods_words_release(&w);
		if (score <= 0)
			continue;
		if (best < 0 || score > best_score ||
		    (score == best_score && unmatched < best_unmatched)) {
			best = (int)i;
			best_score = score;
			best_unmatched = unmatched;
			tie = false;
		} else if (score == best_score && unmatched == best_unmatched) {
			tie = true;
		}
	}
	goods_words_release(&q);
	return tie ? -2 : best;
}
