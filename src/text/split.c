/* Splitting of long HTML messages at paragraph, line and word boundaries
 * (see split.h). The HTML is first cut into tokens — one per visible
 * character (an entity is one), one per tag — and the parts are then built
 * from runs of tokens, so that no cut can fall inside a tag, an entity or a
 * UTF-8 sequence. Tag and entity rules follow Telegram's parser (tdlib's
 * MessageEntity.cpp, parse_html). */
#include "dobrobot/text/split.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

#define SPLIT_NONE SIZE_MAX

enum split_kind { SPLIT_CHAR, SPLIT_OPEN, SPLIT_CLOSE };

/* Cut classes, in order of preference (highest first). */
enum split_class { SPLIT_PARAGRAPH, SPLIT_LINE, SPLIT_SPACE, SPLIT_CLASSES };

struct split_tok {
	size_t start, end; /* the token's bytes in the html */
	size_t name_len; /* tags: the name's length, after "<" or "</" */
	uint32_t cp; /* characters: the code point, entities decoded */
	enum split_kind kind;
};

struct split_toks {
	struct split_tok *v;
	size_t n, cap;
};

/* A stack of the tags open at some point: indices of their SPLIT_OPEN
 * tokens. */
struct split_stack {
	size_t *v;
	size_t n, cap;
};

static void
split_push_tok(struct split_toks *t, enum split_kind kind, size_t start,
    size_t end, uint32_t cp, size_t name_len)
{
	t->v = xgrow(t->v, t->n, &t->cap, 256, sizeof *t->v);
	t->v[t->n].kind = kind;
	t->v[t->n].start = start;
	t->v[t->n].end = end;
	t->v[t->n].cp = cp;
	t->v[t->n].name_len = name_len;
	t->n++;
}

static void
split_stack_push(struct split_stack *s, size_t tok)
{
	s->v = xgrow(s->v, s->n, &s->cap, 16, sizeof *s->v);
	s->v[s->n++] = tok;
}

/* White space as Telegram's parser sees it inside tags. */
static bool
split_is_tag_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static bool
split_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
split_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
split_hex_value(char c)
{
	if (split_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the entity at s (s[0] == '&') as Telegram does: &lt; &gt; &amp;
 * &quot; and &#N; / &#xH; (the ";" optional, at most 9 bytes before it, the
 * value in 1..0x10FFFE). Returns its length, or 0 when it is not an entity
 * (the "&" is then a plain character). */
static size_t
split_entity(const char *s, size_t len, uint32_t *cp)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} names[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}};
	size_t e = 1;
	uint32_t v = 0;

	if (len > 1 && s[1] == '#') {
		bool hex = len > 2 && s[2] == 'x';
		int d;

		e = hex ? 3 : 2;
		while (e < len &&
		    (d = hex ? split_hex_value(s[e])
		             : (split_is_digit(s[e]) ? s[e] - '0' : -1)) >= 0) {
			if (e < 10)
				v = v * (hex ? 16 : 10) + (uint32_t)d;
			e++;
		}
		if (v == 0 || v >= 0x10FFFF || e >= 10)
			return 0;
	} else {
		bool found = false;

		while (e < len && split_is_alpha(s[e]))
			e++;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strlen(names[i].name) == e - 1 &&
			    memcmp(s + 1, names[i].name, e - 1) == 0) {
				v = names[i].cp;
				found = true;
			}
		}
		if (!found)
			return 0;
	}
	if (e < len && s[e] == ';')
		e++;
	*cp = v;
	return e;
}

static bool
split_is_name(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!split_is_alpha(s[i]) && !split_is_digit(s[i]) &&
		    s[i] != '-')
			return false;
	}
	return true;
}

/* Parses the tag at s (s[0] == '<'). Returns its length and sets *kind and
 * *name_len, or returns 0 when it is not a well-formed tag. */
static size_t
split_tag(const char *s, size_t len, enum split_kind *kind, size_t *name_len)
{
	size_t i = 1, name_start;
	bool closing = len > 1 && s[1] == '/';

	if (closing)
		i++;
	name_start = i;
	while (i < len && !split_is_tag_space(s[i]) && s[i] != '>')
		i++;
	*name_len = i - name_start;
	if (!split_is_name(s + name_start, *name_len))
		return 0;
	if (closing) {
		while (i < len && split_is_tag_space(s[i]))
			i++;
		if (i >= len || s[i] != '>')
			return 0;
		*kind = SPLIT_CLOSE;
		return i + 1;
	}
	if (*name_len == 0)
		return 0;
	/* Attributes: name, or name=value with the value quoted or a token of
	 * letters, digits, "." and "-". A quoted value may hold ">". */
	for (;;) {
		size_t attr;

		while (i < len && split_is_tag_space(s[i]))
			i++;
		if (i >= len)
			return 0;
		if (s[i] == '>')
			break;
		attr = i;
		while (i < len && !split_is_tag_space(s[i]) && s[i] != '=' &&
		    s[i] != '>')
			i++;
		if (i == attr)
			return 0;
		while (i < len && split_is_tag_space(s[i]))
			i++;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && split_is_tag_space(s[i]))
			i++;
		if (i >= len)
			return 0;
		if (s[i] == '"' || s[i] == '\'') {
			char quote = s[i++];

			while (i < len && s[i] != quote)
				i++;
			if (i >= len)
				return 0;
			i++;
		} else {
			while (i < len &&
			    (split_is_alpha(s[i]) || split_is_digit(s[i]) ||
			        s[i] == '.' || s[i] == '-'))
				i++;
			if (i < len && !split_is_tag_space(s[i]) && s[i] != '>')
				return 0;
		}
	}
	*kind = SPLIT_OPEN;
	return i + 1;
}

/* Cuts html into tokens. When strict, a "<" that starts no well-formed tag
 * makes it fail (-1); otherwise that "<" is a character. */
static int
split_tokenize(const char *html, bool strict, struct split_toks *t)
{
	size_t len = strlen(html);

	for (size_t i = 0; i < len;) {
		enum split_kind kind;
		uint32_t cp;
		size_t n, name_len = 0;

		if (html[i] == '&' &&
		    (n = split_entity(html + i, len - i, &cp)) > 0) {
			split_push_tok(t, SPLIT_CHAR, i, i + n, cp, 0);
		} else if (html[i] == '<' &&
		    (n = split_tag(html + i, len - i, &kind, &name_len)) > 0) {
			split_push_tok(t, kind, i, i + n, 0, name_len);
		} else if (html[i] == '<' && strict) {
			return -1;
		} else {
			n = utf8_decode(html + i, len - i, &cp);
			split_push_tok(t, SPLIT_CHAR, i, i + n, cp, 0);
		}
		i += n;
	}
	return 0;
}

/* The name of a tag token. */
static const char *
split_tag_name(const char *html, const struct split_tok *tok)
{
	return html + tok->start + (tok->kind == SPLIT_CLOSE ? 2 : 1);
}

/* Checks that the tags are properly nested and all closed. */
static bool
split_balanced(const char *html, const struct split_toks *t)
{
	struct split_stack st = {NULL, 0, 0};
	bool ok = true;

	for (size_t k = 0; k < t->n && ok; k++) {
		const struct split_tok *tok = &t->v[k];

		if (tok->kind == SPLIT_OPEN) {
			split_stack_push(&st, k);
		} else if (tok->kind == SPLIT_CLOSE) {
			const struct split_tok *open;

			if (st.n == 0) {
				ok = false;
				break;
			}
			open = &t->v[st.v[st.n - 1]];
			ok = tok->name_len == 0 ||
			    (tok->name_len == open->name_len &&
			        strncasecmp(split_tag_name(html, tok),
			            split_tag_name(html, open),
			            tok->name_len) == 0);
			st.n--;
		}
	}
	ok = ok && st.n == 0;
	free(st.v);
	return ok;
}

static void
split_track(struct split_stack *st, const struct split_tok *tok, size_t k)
{
	if (tok->kind == SPLIT_OPEN)
		split_stack_push(st, k);
	else if (tok->kind == SPLIT_CLOSE && st->n > 0)
		st->n--;
}

static bool
split_is_tag(const struct split_tok *tok)
{
	return tok->kind != SPLIT_CHAR;
}

/* White space that may be dropped at a cut. */
static bool
split_is_cut_space(const struct split_tok *tok)
{
	return tok->kind == SPLIT_CHAR &&
	    (tok->cp == ' ' || tok->cp == '\t' || tok->cp == '\n' ||
	        tok->cp == '\r');
}

struct split_out {
	char **v;
	size_t n, cap;
};

static void
split_out_push(struct split_out *o, char *part)
{
	o->v = xgrow(o->v, o->n, &o->cap, 4, sizeof *o->v);
	o->v[o->n++] = part;
}

/* Appends the part made of tokens [from, to): the tags open at `from`
 * reopened, the tokens' bytes, and the tags still open at `to` closed. The
 * stack goes from the state at `from` to the state at `to`. A part without
 * any visible character other than white space is not kept. Returns 0, or
 * -1 when the part would pass the buffer's cap (64 MB: only for inputs no
 * message could have). */
static int
split_emit(const char *html, const struct split_toks *t, size_t from, size_t to,
    struct split_stack *st, struct split_out *o)
{
	struct buf b = BUF_INIT;
	bool content = false;
	size_t run = to > from ? t->v[from].start : 0;
	int rc = -1;

	for (size_t s = 0; s < st->n; s++) {
		const struct split_tok *open = &t->v[st->v[s]];

		if (buf_append(&b, html + open->start,
		        open->end - open->start) < 0)
			goto out;
	}
	/* The tokens' bytes, in runs, except that a literal "&" (one that
	 * starts no entity) is written as "&amp;": once "&ltp;" is cut after
	 * "&lt", the rest would otherwise read as an entity. */
	for (size_t k = from; k < to; k++) {
		const struct split_tok *tok = &t->v[k];

		if (tok->kind == SPLIT_CHAR && tok->cp == '&' &&
		    tok->end - tok->start == 1) {
			if (buf_append(&b, html + run, tok->start - run) < 0 ||
			    buf_puts(&b, "&amp;") < 0)
				goto out;
			run = tok->end;
		}
		if (tok->kind == SPLIT_CHAR && !utf8_is_space(tok->cp))
			content = true;
		split_track(st, tok, k);
	}
	if (to > from && buf_append(&b, html + run, t->v[to - 1].end - run) < 0)
		goto out;
	for (size_t s = st->n; s-- > 0;) {
		const struct split_tok *open = &t->v[st->v[s]];
		const char *name = split_tag_name(html, open);

		if (buf_puts(&b, "</") < 0)
			goto out;
		for (size_t c = 0; c < open->name_len; c++) {
			char ch = name[c];

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + ('a' - 'A'));
			if (buf_putc(&b, ch) < 0)
				goto out;
		}
		if (buf_putc(&b, '>') < 0)
			goto out;
	}
	if (content)
		split_out_push(o, buf_detach(&b));
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* Chooses where the part starting at token i ends, given that token `over`
 * is the first character that does not fit. Sets [*a, *b) to the tokens
 * dropped at the cut (white space, and tags whose effect is carried by the
 * stack): the part is [i, *a) and the next one starts at *b. */
static void
split_choose_cut(const struct split_toks *t, size_t i, size_t over,
    size_t max_chars, size_t *a, size_t *b)
{
	size_t best[SPLIT_CLASSES], pos[SPLIT_CLASSES] = {0};
	size_t count = 0, cut = SPLIT_NONE;
	uint32_t last_nonblank = 0; /* the last character other than ' ', \t */
	bool content = false;

	for (int c = 0; c < SPLIT_CLASSES; c++)
		best[c] = SPLIT_NONE;
	for (size_t k = i; k <= over; k++) {
		const struct split_tok *tok = &t->v[k];
		uint32_t cp = tok->cp;

		if (tok->kind != SPLIT_CHAR)
			continue;
		if (content && (cp == ' ' || cp == '\t' || cp == '\n')) {
			enum split_class c = cp != '\n' ? SPLIT_SPACE
			    : last_nonblank == '\n'     ? SPLIT_PARAGRAPH
			                                : SPLIT_LINE;
			best[c] = k;
			pos[c] = count;
		}
		if (cp != ' ' && cp != '\t')
			last_nonblank = cp;
		if (!utf8_is_space(cp))
			content = true;
		count++;
	}

	/* The preferred kind of cut if it leaves the part at least half
	 * full; else the preferred kind there is. */
	for (int c = 0; c < SPLIT_CLASSES && cut == SPLIT_NONE; c++) {
		if (best[c] != SPLIT_NONE && pos[c] >= max_chars / 2)
			cut = best[c];
	}
	for (int c = 0; c < SPLIT_CLASSES && cut == SPLIT_NONE; c++)
		cut = best[c];

	if (cut != SPLIT_NONE) {
		/* Drop the white space around the cut; tags in it are
		 * carried over by the stack, except closing tags right
		 * after the text, which end this part as written. */
		*a = cut;
		while (*a > i &&
		    (split_is_tag(&t->v[*a - 1]) ||
		        split_is_cut_space(&t->v[*a - 1])))
			(*a)--;
		while (*a < cut && t->v[*a].kind == SPLIT_CLOSE)
			(*a)++;
		*b = cut + 1;
		while (*b < t->n &&
		    (split_is_tag(&t->v[*b]) || split_is_cut_space(&t->v[*b])))
			(*b)++;
		return;
	}
	/* No white space at all: cut right after the last character that
	 * fits, keeping the closing tags that follow it in this part and the
	 * opening ones for the next. */
	*a = over;
	while (*a > i && split_is_tag(&t->v[*a - 1]))
		(*a)--;
	while (*a < over && t->v[*a].kind == SPLIT_CLOSE)
		(*a)++;
	*b = *a;
}

int
split_html(const char *html, size_t max_chars, char ***parts_out, size_t *n_out)
{
	struct split_toks t = {NULL, 0, 0};
	struct split_stack st = {NULL, 0, 0};
	struct split_out o = {NULL, 0, 0};
	size_t visible = 0, i = 0;
	int rc = -1;

	*parts_out = NULL;
	*n_out = 0;
	if (max_chars == 0 || split_tokenize(html, true, &t) < 0 ||
	    !split_balanced(html, &t))
		goto out;

	for (size_t k = 0; k < t.n; k++)
		visible += t.v[k].kind == SPLIT_CHAR;
	if (visible <= max_chars) {
		split_out_push(&o, xstrdup(html));
		rc = 0;
		goto out;
	}

	while (i < t.n) {
		size_t over = SPLIT_NONE, count = 0, a, b;

		/* A part never starts with white space that could be cut;
		 * tags before the text are carried by the stack. */
		while (i < t.n &&
		    (split_is_tag(&t.v[i]) || split_is_cut_space(&t.v[i]))) {
			split_track(&st, &t.v[i], i);
			i++;
		}

		for (size_t k = i; k < t.n; k++) {
			if (t.v[k].kind != SPLIT_CHAR)
				continue;
			if (count == max_chars) {
				over = k;
				break;
			}
			count++;
		}
		if (over == SPLIT_NONE) {
			if (split_emit(html, &t, i, t.n, &st, &o) < 0)
				goto out;
			break;
		}
		split_choose_cut(&t, i, over, max_chars, &a, &b);
		if (split_emit(html, &t, i, a, &st, &o) < 0)
			goto out;
		for (size_t k = a; k < b; k++)
			split_track(&st, &t.v[k], k);
		i = b;
	}
	rc = 0;
out:
	if (rc == 0) {
		*parts_out = o.v;
		*n_out = o.n;
	} else {
		split_free(o.v, o.n);
	}
	free(t.v);
	free(st.v);
	return rc;
}

void
split_free(char **parts, size_t n)
{
	if (parts == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

size_t
split_visible_length(const char *html)
{
	struct split_toks t = {NULL, 0, 0};
	size_t visible = 0;

	split_tokenize(html, false, &t);
	for (size_t k = 0; k < t.n; k++)
		visible += t.v[k].kind == SPLIT_CHAR;
	free(t.v);
	return visible;
}
