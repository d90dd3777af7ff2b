/* libFuzzer target for split_html. The first byte picks the limit, the
 * second the mode: raw bytes as HTML (which split_html may refuse), or
 * text escaped with html_escape and wrapped in generated tags (which it must
 * accept). Whenever it succeeds, an independent reading of the parts checks
 * that every part is well-formed on its own, fits the limit, and that the
 * parts together hold the original's visible text, except for white space
 * at the cuts. Any violation aborts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/split.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct text {
	uint32_t *cp;
	size_t n, cap;
};

static void
text_push(struct text *t, uint32_t cp)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cp = xrealloc(t->cp, t->cap * sizeof(*t->cp));
	}
	t->cp[t->n++] = cp;
}

/* Telegram's entities: &lt; &gt; &amp; &quot; and &#N; / &#xH; with the
 * ";" optional. Returns the bytes taken, 0 for a plain "&". */
static size_t
read_entity(const char *p, uint32_t *cp)
{
	static const char *const names[] = {"lt", "gt", "amp", "quot"};
	static const uint32_t values[] = {'<', '>', '&', '"'};
	size_t e;

	if (p[1] == '#') {
		uint64_t v = 0;
		bool hex = p[2] == 'x';

		for (e = hex ? 3 : 2;; e++) {
			char c = p[e];
			int d = c >= '0' && c <= '9'      ? c - '0'
			    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
			                                  : -1;
			if (d < 0)
				break;
			if (v < 0x1000000)
				v = v * (hex ? 16 : 10) + (uint64_t)d;
		}
		if (v == 0 || v >= 0x10FFFF || e >= 10)
			return 0;
		*cp = (uint32_t)v;
	} else {
		size_t i;

		for (e = 1; (p[e] >= 'a' && p[e] <= 'z') ||
		     (p[e] >= 'A' && p[e] <= 'Z');
		     e++)
			;
		for (i = 0; i < 4; i++) {
			if (strlen(names[i]) == e - 1 &&
			    strncmp(p + 1, names[i], e - 1) == 0)
				break;
		}
		if (i == 4)
			return 0;
		*cp = values[i];
	}
	return p[e] == ';' ? e + 1 : e;
}

static bool
is_tag_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* Reads html: its visible code points into *t; returns false when a tag is
 * unterminated or the tags are not balanced. */
static bool
read_html(const char *html, struct text *t)
{
	const char **names = NULL;
	size_t *name_lens = NULL, depth = 0, cap = 0, len = strlen(html);
	bool ok = true;

	for (size_t i = 0; i < len && ok;) {
		uint32_t cp;
		size_t n;

		if (html[i] == '<') {
			bool closing = html[i + 1] == '/';
			size_t start = i + (closing ? 2 : 1), nl = 0;

			while (html[start + nl] != '\0' &&
			    html[start + nl] != '>' &&
			    !is_tag_space(html[start + nl]))
				nl++;
			/* To the ">", skipping quoted attribute values. */
			for (i = start + nl; html[i] != '\0' && html[i] != '>';
			     i++) {
				if (html[i] != '=')
					continue;
				for (i++; is_tag_space(html[i]); i++)
					;
				if (html[i] == '"' || html[i] == '\'') {
					const char *q = strchr(html + i + 1,
					    html[i]);

					if (q == NULL)
						break; /* unterminated */
					i = (size_t)(q - html);
				} else if (html[i] == '>' || html[i] == '\0') {
					break;
				}
			}
			if (html[i] != '>') {
				ok = false;
				break;
			}
			i++;
			if (closing) {
				ok = depth > 0 &&
				    (nl == 0 ||
				        (name_lens[depth - 1] == nl &&
				            strncasecmp(names[depth - 1],
				                html + start, nl) == 0));
				depth -= depth > 0;
			} else {
				if (depth == cap) {
					cap = cap ? cap * 2 : 16;
					names = xrealloc(names,
					    cap * sizeof(*names));
					name_lens = xrealloc(name_lens,
					    cap * sizeof(*name_lens));
				}
				ok = nl > 0;
				names[depth] = html + start;
				name_lens[depth++] = nl;
			}
			continue;
		}
		if (html[i] == '&' && (n = read_entity(html + i, &cp)) > 0) {
			text_push(t, cp);
			i += n;
			continue;
		}
		i += utf8_decode(html + i, len - i, &cp);
		text_push(t, cp);
	}
	free(names);
	free(name_lens);
	return ok && depth == 0;
}

/* Whether the parts, in order, are the original with only white space
 * removed before, between and after them. Tracks every position the
 * original may have reached, since a part may itself start with white space
 * that the original has more of (U+00A0 is kept, not cut). */
static bool
parts_cover(const struct text *orig, struct text *parts, size_t n)
{
	bool *at = xcalloc(orig->n + 1, sizeof(*at));
	bool *next = xcalloc(orig->n + 1, sizeof(*next));
	bool ok = false;

	at[0] = true;
	for (size_t k = 0; k <= n; k++) {
		/* Extend every reachable position over white space. */
		for (size_t q = 1; q <= orig->n; q++) {
			if (at[q - 1] && utf8_is_space(orig->cp[q - 1]))
				at[q] = true;
		}
		if (k == n) {
			ok = at[orig->n];
			break;
		}
		memset(next, 0, (orig->n + 1) * sizeof(*next));
		for (size_t q = 0; q + parts[k].n <= orig->n; q++) {
			if (at[q] &&
			    (parts[k].n == 0 ||
			        memcmp(orig->cp + q, parts[k].cp,
			            parts[k].n * sizeof(uint32_t)) == 0))
				next[q + parts[k].n] = true;
		}
		memcpy(at, next, (orig->n + 1) * sizeof(*at));
	}
	free(at);
	free(next);
	return ok;
}

static void
check(const char *html, size_t max, bool must_accept)
{
	char **parts = NULL;
	size_t n = 0;
	struct text orig = {NULL, 0, 0};
	struct text *got;

	if (split_html(html, max, &parts, &n) < 0) {
		if (must_accept || parts != NULL || n != 0)
			abort();
		return;
	}
	if (!read_html(html, &orig))
		abort(); /* accepted what is not well-formed */
	if (split_visible_length(html) != orig.n)
		abort();
	if (orig.n <= max && (n != 1 || strcmp(parts[0], html) != 0))
		abort(); /* a text that fits comes back as it was */
	got = xcalloc(n + 1, sizeof(*got));
	for (size_t i = 0; i < n; i++) {
		if (!read_html(parts[i], &got[i]) || got[i].n > max ||
		    split_visible_length(parts[i]) != got[i].n)
			abort();
	}
	if (!parts_cover(&orig, got, n))
		abort();
	for (size_t i = 0; i < n; i++)
		free(got[i].cp);
	free(got);
	free(orig.cp);
	split_free(parts, n);
}

/* Builds well-formed HTML: low bytes open or close tags, the rest is text
 * escaped with html_escape. */
static char *
generate(const uint8_t *data, size_t size)
{
	static const char *const opens[] = {"<b>", "<i>",
	    "<a href=\"https://example.org/?a=1&amp;b=>\">", "<pre>",
	    "<code class=\"language-c\">", "<blockquote expandable>",
	    "<span class=\"tg-spoiler\">"};
	static const char *const closes[] = {"</b>", "</i>", "</a>", "</pre>",
	    "</code>", "</blockquote>", "</span>"};
	struct buf b = BUF_INIT;
	int stack[32];
	size_t depth = 0;

	for (size_t i = 0; i < size; i++) {
		if (data[i] < 7) {
			if (depth < 32) {
				stack[depth++] = data[i];
				buf_puts(&b, opens[data[i]]);
			}
		} else if (data[i] == 7) {
			if (depth > 0)
				buf_puts(&b, closes[stack[--depth]]);
		} else {
			html_escape_n(&b, (const char *)data + i, 1);
		}
	}
	while (depth > 0)
		buf_puts(&b, closes[stack[--depth]]);
	return buf_detach(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max;
	char *html;

	if (size < 2)
		return 0;
	max = 1 + data[0] % 64;
	if (data[1] & 1) {
		html = xstrndup((const char *)data + 2, size - 2);
		check(html, max, false);
	} else {
		/* Escaping single bytes may split a UTF-8 sequence between
		 * two calls, which is harmless: the bytes stay in order. */
		html = generate(data + 2, size - 2);
		check(html, max, true);
	}
	free(html);
	return 0;
}
