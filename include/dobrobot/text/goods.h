/* Goods an action needs, as organisers type them ("тёплые одеяла — 20 шт",
 * one per line), and finding which of them a citizen means ("одеял"). */
#ifndef DOBROBOT_TEXT_GOODS_H
#define DOBROBOT_TEXT_GOODS_H

#include <stddef.h>
#include <stdint.h>

/* The longest item name accepted, in code points. */
#define GOODS_ITEM_MAX 100
/* The longest unit accepted, in code points ("упаковок по 10 штук"). */
#define GOODS_UNIT_MAX 30

/* One parsed line. item and unit are owned by the struct (release with
 * goods_line_release); unit is NULL when the line has none. */
struct goods_line {
	char *item; /* trimmed, inner white space collapsed, valid UTF-8 */
	int64_t quantity; /* 1..max_qty */
	char *unit; /* as typed ("шт", "шт.", "кг", "упаковок"), or NULL */
};

/* Why goods_parse_line refused a line; each has its own sentence in
 * goods_error_text. */
enum goods_error {
	GOODS_OK = 0,
	GOODS_EMPTY, /* an empty line */
	GOODS_NO_QUANTITY, /* no number in the line */
	GOODS_ZERO, /* quantity 0 */
	GOODS_TOO_LARGE, /* more than max_qty (or than int64_t holds) */
	GOODS_EMPTY_ITEM, /* a quantity but no name ("20 шт") */
	GOODS_ITEM_TOO_LONG, /* name over GOODS_ITEM_MAX code points */
	GOODS_UNIT_TOO_LONG, /* text after the quantity over GOODS_UNIT_MAX */
};

/* Parses one line of a needs list:
 *   тёплые одеяла — 20 шт     тёплые одеяла - 20 шт     крупа 50 кг
 *   подгузники: 30 упаковок   вода 10 л   носки 100   мыло — 40 шт.
 *   крупа 50кг                20 шт тёплые одеяла       20 одеял
 * The quantity is the last number in the line (a number written in groups
 * of three, "1 000", is one number), and whatever follows it is the unit.
 * When the line starts with the number, the rest is the item, after a unit
 * word if it has one ("шт", "кг", "л", "пар", "упаковок" and the like).
 * Dashes (— – -) and colons between item and quantity are dropped, and so is
 * a list marker at the start ("- ", "• ", "1. ", "2) "). The line is
 * sanitised first (utf8_sanitize), so any bytes are safe.
 *
 * On success fills *out with new strings, sets *err to GOODS_OK and returns
 * 0; otherwise returns -1, sets *err and leaves *out untouched. */
int goods_parse_line(const char *line, int64_t max_qty, struct goods_line *out,
    enum goods_error *err);

/* How goods_split_line treated a line. */
enum goods_split {
	GOODS_SPLIT_NONE, /* no "," or ";" between parts: the line as it is */
	GOODS_SPLIT_DONE, /* split: every part has an item and a quantity */
	/* A "," or ";" and some parts without a quantity ("одеяла, подушки
	 * 20 шт"): one item or several? The line is kept whole; ask. */
	GOODS_SPLIT_UNSURE,
};

/* Several goods on one line, as people type them: «одеяла 20 шт, крупа 50
 * кг», «одеяла - 20 шт; крупа - 50 кг». The line is split at "," and ";"
 * when every non-empty part is a line goods_parse_line accepts (so "крупа
 * 1,5 кг" stays whole: "5 кг" names nothing). Stores the parts in *parts (a
 * new array of new strings, trimmed; free with goods_parts_free) and their
 * number in *n: the parts when split, else the line itself. Returns how the
 * line was treated. */
enum goods_split goods_split_line(const char *line, char ***parts, size_t *n);

/* Frees an array from goods_split_line; accepts NULL. */
void goods_parts_free(char **parts, size_t n);

/* Frees item and unit and sets them to NULL; accepts NULL. */
void goods_line_release(struct goods_line *g);

/* A full sentence for the user saying what is wrong with the line and giving
 * an example of a right one ("…, например: тёплые одеяла — 20 шт"). lang is a
 * Telegram language code: one starting with "en" gives English, anything else
 * (NULL included) Russian. The string is static; GOODS_OK gives "". */
const char *goods_error_text(enum goods_error err, const char *lang);

/* Finds which of items[0..n) a citizen means by query, ignoring case and
 * treating ё as е. Every word of the query must match some word of the item:
 * the same word; a prefix of it of at least 4 letters ("одеял" for
 * «одеяла»); a longer form of it of at least 4 letters ("мылом" for «мыло»);
 * the word with its last letter changed or dropped, when at least 3 letters
 * are left ("крупы" for «крупа», "мыла" for «мыло»); or a word with another
 * ending of up to two letters after at least 4 common ones ("тёплых" for
 * «тёплые»), which covers simple Russian inflection. Closer matches score
 * higher, and of two items that score the same, the one with fewer of its
 * own words left unmatched wins. The query is the item's name only: a
 * quantity in it ("одеяла 5") must match a word of the item too.
 *
 * Returns the index of the best item, -1 when none matches (or the query has
 * no words), -2 when several match equally well. NULL items are skipped. */
int goods_match(const char *query, const char *const *items, size_t n);

#endif
