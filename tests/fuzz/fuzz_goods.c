/* libFuzzer target for goods_parse_line, goods_split_line and goods_match.
 * The input is lines: every line is split at "," and ";" (a split line's
 * parts must each parse) and parsed as a needs line, the first is also used
 * as a citizen's query against the items parsed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/goods.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_QTY 100000

static bool
has_ascii_alnum(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z'))
			return true;
	}
	return false;
}

static void
check_line(const struct goods_line *g)
{
	size_t len = strlen(g->item);

	if (len == 0 || !utf8_valid(g->item, len) ||
	    utf8_length(g->item, len) > GOODS_ITEM_MAX)
		abort();
	if (g->quantity < 1 || g->quantity > FUZZ_MAX_QTY)
		abort();
	if (g->unit != NULL &&
	    (g->unit[0] == '\0' || !utf8_valid(g->unit, strlen(g->unit)) ||
	        utf8_length(g->unit, strlen(g->unit)) > GOODS_UNIT_MAX))
		abort();
	/* An item with a word in it is found by its own name. */
	if (has_ascii_alnum(g->item)) {
		const char *const one[] = {g->item};

		if (goods_match(g->item, one, 1) != 0)
			abort();
	}
}

/* A split line has several parts, each a needs line; otherwise one. */
static void
check_split(const char *line)
{
	char **parts = NULL;
	size_t n = 0;
	enum goods_split how = goods_split_line(line, &parts, &n);

	if (parts == NULL || n == 0 || (how == GOODS_SPLIT_DONE) != (n > 1))
		abort();
	for (size_t i = 0; how == GOODS_SPLIT_DONE && i < n; i++) {
		struct goods_line g = {NULL, 0, NULL};
		enum goods_error err;

		if (goods_parse_line(parts[i], INT64_MAX, &g, &err) < 0)
			abort();
		goods_line_release(&g);
	}
	goods_parts_free(parts, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	char *items[64];
	size_t n = 0;
	const char *query = text;
	char *line = text;
	int m;

	for (;;) {
		char *nl = strchr(line, '\n');
		struct goods_line g = {NULL, 0, NULL};
		enum goods_error err = GOODS_OK;

		if (nl != NULL)
			*nl = '\0';
		check_split(line);
		if (goods_parse_line(line, FUZZ_MAX_QTY, &g, &err) == 0) {
			if (err != GOODS_OK)
				abort();
			check_line(&g);
			if (n < 64)
				items[n++] = xstrdup(g.item);
			goods_line_release(&g);
		} else if (err == GOODS_OK || g.item != NULL ||
		    goods_error_text(err, "ru")[0] == '\0') {
			abort();
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	m = goods_match(query, (const char *const *)items, n);
	if (m < -2 || m >= (int)n)
		abort();
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(text);
	return 0;
}
