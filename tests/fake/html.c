/* fakeapi text parsing: parse_mode=HTML as TDLib's parse_html does it (same
 * tag whitelist, same error texts with UTF-8 byte offsets, same entity
 * decoding), entity extraction with UTF-16 offsets, and the whitespace trim
 * Telegram applies before counting a message's length in code points. */
#include "fake.h"

#include <ctype.h>
#include <strings.h>

struct open_tag {
	char *name;
	char *arg;
	size_t utf16_off;
	size_t byte_off;
	char *pre_language; /* set on a <pre> by a nested <code class=...> */
};

static unsigned char
at(const char *s, size_t n, size_t i)
{
	return i < n ? (unsigned char)s[i] : 0;
}

/* TDLib's is_space: the NUL that ends a C string counts as space. */
static bool
is_sp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 ||
	    c == '\v';
}

/* Decodes an HTML entity at s[*pos] ('&'); returns the code point and
 * advances *pos past it, or returns 0 when it is not one Telegram knows. */
static uint32_t
decode_entity(const char *s, size_t n, size_t *pos)
{
	size_t p = *pos, end = p + 1;
	uint32_t res = 0;

	if (at(s, n, p) != '&')
		return 0;
	if (at(s, n, p + 1) == '#') {
		end++;
		if (at(s, n, p + 2) == 'x') {
			end++;
			while (isxdigit(at(s, n, end))) {
				unsigned char c = at(s, n, end++);
				res = res * 16 +
				    (uint32_t)(isdigit(c)
				            ? c - '0'
				            : tolower(c) - 'a' + 10);
				if (res >= 0x10FFFF)
					return 0;
			}
		} else {
			while (isdigit(at(s, n, end))) {
				res = res * 10 +
				    (uint32_t)(at(s, n, end++) - '0');
				if (res >= 0x10FFFF)
					return 0;
			}
		}
		if (res == 0 || res >= 0x10FFFF || end - p >= 10 ||
		    (res >= 0xD800 && res <= 0xDFFF))
			return 0;
	} else {
		while (isalpha(at(s, n, end)))
			end++;
		size_t len = end - p - 1;
		const char *name = s + p + 1;

		if (len == 2 && memcmp(name, "lt", 2) == 0)
			res = '<';
		else if (len == 2 && memcmp(name, "gt", 2) == 0)
			res = '>';
		else if (len == 3 && memcmp(name, "amp", 3) == 0)
			res = '&';
		else if (len == 4 && memcmp(name, "quot", 4) == 0)
			res = '"';
		else
			return 0;
	}
	*pos = at(s, n, end) == ';' ? end + 1 : end;
	return res;
}

static char *
lower_dup(const char *s, size_t n)
{
	char *p = fake_xstrndup(s, n);

	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

static bool
tag_supported(const char *t)
{
	static const char *const tags[] = {"a", "b", "strong", "i", "em", "s",
	    "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "tg-time",
	    "span", "pre", "code", "blockquote", NULL};

	for (size_t i = 0; tags[i]; i++)
		if (strcmp(t, tags[i]) == 0)
			return true;
	return false;
}

static void
add_entity(json_t *ents, const char *type, size_t off, size_t len)
{
	json_array_append_new(ents,
	    json_pack("{s:s,s:I,s:I}", "type", type, "offset", (json_int_t)off,
	        "length", (json_int_t)len));
}

/* Emits the entity for a closed tag spanning [t->utf16_off, utf16). */
static void
close_entity(json_t *ents, struct open_tag *t, struct open_tag *parent,
    size_t utf16, const char *out, size_t out_len)
{
	size_t off = t->utf16_off, len = utf16 - t->utf16_off;
	const char *n = t->name;

	if (!strcmp(n, "b") || !strcmp(n, "strong"))
		add_entity(ents, "bold", off, len);
	else if (!strcmp(n, "i") || !strcmp(n, "em"))
		add_entity(ents, "italic", off, len);
	else if (!strcmp(n, "u") || !strcmp(n, "ins"))
		add_entity(ents, "underline", off, len);
	else if (!strcmp(n, "s") || !strcmp(n, "strike") || !strcmp(n, "del"))
		add_entity(ents, "strikethrough", off, len);
	else if (!strcmp(n, "tg-spoiler") || !strcmp(n, "span"))
		add_entity(ents, "spoiler", off, len);
	else if (!strcmp(n, "blockquote"))
		add_entity(ents,
		    t->arg[0] ? "expandable_blockquote" : "blockquote", off,
		    len);
	else if (!strcmp(n, "tg-emoji")) {
		add_entity(ents, "custom_emoji", off, len);
		json_object_set_new(json_array_get(ents,
		                        json_array_size(ents) - 1),
		    "custom_emoji_id", json_string(t->arg));
	} else if (!strcmp(n, "code")) {
		if (t->arg[0] && parent && !strcmp(parent->name, "pre")) {
			free(parent->pre_language);
			parent->pre_language = fake_xstrdup(t->arg);
		} else {
			add_entity(ents, "code", off, len);
		}
	} else if (!strcmp(n, "pre")) {
		add_entity(ents, "pre", off, len);
		if (t->pre_language)
			json_object_set_new(json_array_get(ents,
			                        json_array_size(ents) - 1),
			    "language", json_string(t->pre_language));
	} else if (!strcmp(n, "a")) {
		const char *url = t->arg;
		char *own = NULL;

		if (!url[0]) {
			own = fake_xstrndup(out + t->byte_off,
			    out_len - t->byte_off);
			url = own;
		}
		if (!strncmp(url, "tg://user?id=", 13)) {
			int64_t uid;

			if (parse_int64(url + 13, &uid)) {
				add_entity(ents, "text_mention", off, len);
				json_object_set_new(json_array_get(ents,
				                        json_array_size(ents) -
				                            1),
				    "user",
				    json_pack("{s:I,s:b,s:s}", "id",
				        (json_int_t)uid, "is_bot", 0,
				        "first_name", "User"));
			}
		} else if (url[0]) {
			json_t *u = json_string(url);

			if (u) {
				add_entity(ents, "text_link", off, len);
				json_object_set_new(json_array_get(ents,
				                        json_array_size(ents) -
				                            1),
				    "url", u);
			}
		}
		free(own);
	}
	/* tg-time: a date_time entity in newer Telegram; not modelled. */
}

/* The parser's state: the input, the position, the output text and the
 * stack of open tags. Errors are written to err (TDLib's wording). */
struct html_parser {
	const char *s;
	size_t n, i;
	struct sbuf *out;
	json_t *ents;
	struct open_tag *tags;
	size_t ntags, captags;
	size_t utf16; /* output length in UTF-16 units */
	char *err;
	size_t errlen;
};

static unsigned char
cur(const struct html_parser *p)
{
	return at(p->s, p->n, p->i);
}

static void
skip_spaces(struct html_parser *p)
{
	while (cur(p) != 0 && is_sp(cur(p)))
		p->i++;
}

/* An attribute value: a quoted string (entities decoded) or a name token
 * (lower-cased). Returns 0, or -1 with err set. */
static int
parse_attr_value(struct html_parser *p, struct sbuf *val)
{
	sbuf_add(val, "", 0);
	if (cur(p) != '\'' && cur(p) != '"') {
		size_t tb = p->i;

		while (isalnum(cur(p)) || cur(p) == '.' || cur(p) == '-')
			sbuf_addc(val, (char)tolower(at(p->s, p->n, p->i++)));
		if (!is_sp(cur(p)) && cur(p) != '>') {
			snprintf(p->err, p->errlen,
			    "Unexpected end of name token at byte offset %zu",
			    tb);
			return -1;
		}
		return 0;
	}
	unsigned char q = at(p->s, p->n, p->i++);

	while (cur(p) != q && cur(p) != 0) {
		if (cur(p) == '&') {
			size_t pos = p->i;
			uint32_t cp = decode_entity(p->s, p->n, &pos);

			if (cp) {
				utf8_put(val, cp);
				p->i = pos;
				continue;
			}
		}
		sbuf_addc(val, (char)at(p->s, p->n, p->i++));
	}
	if (cur(p) == q)
		p->i++;
	return 0;
}

static bool
attr_is(const char *attr, size_t len, const char *name)
{
	return len == strlen(name) && !memcmp(attr, name, len);
}

/* The argument an attribute gives a tag, or NULL when it gives none. */
static char *
tag_argument(const char *tag, const char *attr, size_t len, const char *v)
{
	if (!strcmp(tag, "a") && attr_is(attr, len, "href"))
		return fake_xstrdup(v);
	if (!strcmp(tag, "code") && attr_is(attr, len, "class") &&
	    !strncmp(v, "language-", 9))
		return fake_xstrdup(v + 9);
	if (!strcmp(tag, "span") && attr_is(attr, len, "class") &&
	    !strncmp(v, "tg-", 3))
		return fake_xstrdup(v + 3);
	if (!strcmp(tag, "tg-emoji") && attr_is(attr, len, "emoji-id"))
		return fake_xstrdup(v);
	if (!strcmp(tag, "blockquote") && attr_is(attr, len, "expandable"))
		return fake_xstrdup("1");
	return NULL;
}

/* A start tag; p->i is just after '<'. Pushes it on the stack. */
static int
parse_start_tag(struct html_parser *p, size_t begin)
{
	size_t tag_begin = p->i;
	char *name, *arg;

	while (!is_sp(cur(p)) && cur(p) != '>')
		p->i++;
	if (cur(p) == 0) {
		snprintf(p->err, p->errlen,
		    "Unclosed start tag at byte offset %zu", begin);
		return -1;
	}
	name = lower_dup(p->s + tag_begin, p->i - tag_begin);
	if (!tag_supported(name)) {
		snprintf(p->err, p->errlen,
		    "Unsupported start tag \"%s\" at byte offset %zu", name,
		    begin);
		free(name);
		return -1;
	}
	arg = fake_xstrdup("");
	while (cur(p) != '>') {
		skip_spaces(p);
		if (cur(p) == '>')
			break;
		size_t attr_begin = p->i;

		while (!is_sp(cur(p)) && cur(p) != '=' && cur(p) != '>')
			p->i++;
		const char *attr = p->s + attr_begin;
		size_t attr_len = p->i - attr_begin;

		if (attr_len == 0) {
			snprintf(p->err, p->errlen,
			    "Empty attribute name in the tag \"%s\" at byte "
			    "offset %zu",
			    name, begin);
			goto fail;
		}
		skip_spaces(p);
		if (cur(p) != '=') {
			if (!strcmp(name, "blockquote") &&
			    attr_is(attr, attr_len, "expandable")) {
				free(arg);
				arg = fake_xstrdup("1");
				continue;
			}
			snprintf(p->err, p->errlen,
			    "Expected equal sign in declaration of an "
			    "attribute "
			    "of the tag \"%s\" at byte offset %zu",
			    name, begin);
			goto fail;
		}
		p->i++;
		skip_spaces(p);
		if (cur(p) == 0) {
			snprintf(p->err, p->errlen,
			    "Unclosed start tag at byte offset %zu", begin);
			goto fail;
		}
		struct sbuf val = {0};

		if (parse_attr_value(p, &val)) {
			sbuf_free(&val);
			goto fail;
		}
		if (cur(p) == 0) {
			sbuf_free(&val);
			snprintf(p->err, p->errlen,
			    "Unclosed start tag at byte offset %zu", begin);
			goto fail;
		}
		char *newarg = tag_argument(name, attr, attr_len, val.p);

		sbuf_free(&val);
		if (newarg) {
			free(arg);
			arg = newarg;
		}
	}
	if (!strcmp(name, "span") && strcmp(arg, "spoiler")) {
		snprintf(p->err, p->errlen,
		    "Tag \"span\" must have class \"tg-spoiler\" at byte "
		    "offset %zu",
		    begin);
		goto fail;
	}
	if (p->ntags == p->captags) {
		p->captags = p->captags ? p->captags * 2 : 8;
		p->tags = fake_xrealloc(p->tags, p->captags * sizeof(*p->tags));
	}
	p->tags[p->ntags++] = (struct open_tag){
	    name, arg, p->utf16, p->out->len, NULL};
	return 0;
fail:
	free(name);
	free(arg);
	return -1;
}

/* An end tag; p->i is just after '<' (at the '/'). Closes the innermost
 * open tag and records its entity. */
static int
parse_end_tag(struct html_parser *p, size_t begin)
{
	if (p->ntags == 0) {
		snprintf(p->err, p->errlen,
		    "Unexpected end tag at byte offset %zu", begin);
		return -1;
	}
	while (!is_sp(cur(p)) && cur(p) != '>')
		p->i++;
	const char *end_name = p->s + begin + 2;
	size_t end_len = p->i - begin - 2;

	skip_spaces(p);
	if (cur(p) != '>') {
		snprintf(p->err, p->errlen,
		    "Unclosed end tag at byte offset %zu", begin);
		return -1;
	}
	struct open_tag *t = &p->tags[p->ntags - 1];

	if (end_len && !attr_is(end_name, end_len, t->name)) {
		snprintf(p->err, p->errlen,
		    "Unmatched end tag at byte offset %zu, expected \"</%s>\", "
		    "found \"</%.*s>\"",
		    begin, t->name, (int)end_len, end_name);
		return -1;
	}
	if (p->utf16 > t->utf16_off)
		close_entity(p->ents, t, p->ntags > 1 ? t - 1 : NULL, p->utf16,
		    p->out->p, p->out->len);
	free(t->name);
	free(t->arg);
	free(t->pre_language);
	p->ntags--;
	return 0;
}

/* TDLib's parse_html: text to out, entities to ents. Returns 0, or -1 with
 * the detail in err. */
static int
parse_html(const char *s, size_t n, struct sbuf *out, json_t *ents, char *err,
    size_t errlen)
{
	struct html_parser p = {.s = s,
	    .n = n,
	    .out = out,
	    .ents = ents,
	    .err = err,
	    .errlen = errlen};
	int rc = -1;

	sbuf_add(out, "", 0);
	for (p.i = 0; p.i < n; p.i++) {
		unsigned char c = cur(&p);

		if (c == '&') {
			size_t pos = p.i;
			uint32_t cp = decode_entity(s, n, &pos);

			if (cp) {
				p.utf16 += cp > 0xFFFF ? 2 : 1;
				utf8_put(out, cp);
				p.i = pos - 1;
				continue;
			}
		}
		if (c != '<') {
			sbuf_addc(out, (char)c);
			if ((c & 0xC0) != 0x80)
				p.utf16 += c >= 0xF0 ? 2 : 1;
			continue;
		}
		size_t begin = p.i++;

		if (cur(&p) != '/' ? parse_start_tag(&p, begin)
		                   : parse_end_tag(&p, begin))
			goto out;
	}
	if (p.ntags) {
		snprintf(err, errlen,
		    "Can't find end tag corresponding to start tag \"%s\"",
		    p.tags[p.ntags - 1].name);
		goto out;
	}
	rc = 0;
out:
	for (size_t k = 0; k < p.ntags; k++) {
		free(p.tags[k].name);
		free(p.tags[k].arg);
		free(p.tags[k].pre_language);
	}
	free(p.tags);
	return rc;
}

static int
entity_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t xo = json_integer_value(json_object_get(x, "offset"));
	json_int_t yo = json_integer_value(json_object_get(y, "offset"));
	json_int_t xl = json_integer_value(json_object_get(x, "length"));
	json_int_t yl = json_integer_value(json_object_get(y, "length"));

	if (xo != yo)
		return xo < yo ? -1 : 1;
	if (xl != yl)
		return xl > yl ? -1 : 1;
	return 0;
}

/* Trims ASCII whitespace around the text and moves the entities with it,
 * then sorts them by offset as Telegram returns them. */
static void
trim_and_sort(struct ftext *t)
{
	size_t lead = 0, trail = 0;

	while (lead < t->len && isspace((unsigned char)t->text[lead]))
		lead++;
	while (trail < t->len - lead &&
	    isspace((unsigned char)t->text[t->len - 1 - trail]))
		trail++;
	size_t total16 = utf8_utf16_units(t->text, t->len);
	json_t *kept = json_array();
	size_t nents = json_array_size(t->entities);

	for (size_t i = 0; i < nents; i++) {
		json_t *e = json_array_get(t->entities, i);
		json_int_t off = json_integer_value(json_object_get(e,
		    "offset"));
		json_int_t end = off +
		    json_integer_value(json_object_get(e, "length"));

		/* leading/trailing whitespace is ASCII: 1 byte = 1 unit */
		off -= (json_int_t)lead;
		if (end > (json_int_t)(total16 - trail))
			end = (json_int_t)(total16 - trail);
		end -= (json_int_t)lead;
		if (off < 0)
			off = 0;
		if (end <= off)
			continue;
		json_object_set_new(e, "offset", json_integer(off));
		json_object_set_new(e, "length", json_integer(end - off));
		json_array_append(kept, e);
	}
	json_decref(t->entities);
	t->entities = kept;
	memmove(t->text, t->text + lead, t->len - lead - trail);
	t->len -= lead + trail;
	t->text[t->len] = '\0';

	size_t k = json_array_size(kept);

	if (k > 1) {
		json_t **v = fake_xmalloc(k * sizeof(*v));

		for (size_t i = 0; i < k; i++)
			v[i] = json_incref(json_array_get(kept, i));
		qsort(v, k, sizeof(*v), entity_cmp);
		json_array_clear(kept);
		for (size_t i = 0; i < k; i++)
			json_array_append_new(kept, v[i]);
		free(v);
	}
}

int
ftext_parse(struct ftext *out, const char *raw, size_t raw_len,
    const char *parse_mode, char *err, size_t errlen)
{
	char detail[512];
	struct sbuf b = {0};

	memset(out, 0, sizeof(*out));
	if (raw_len > (1u << 15)) {
		snprintf(err, errlen, "Bad Request: text is too long");
		return -1;
	}
	if (!utf8_valid(raw, raw_len)) {
		snprintf(err, errlen,
		    "Bad Request: strings must be encoded in UTF-8");
		return -1;
	}
	out->entities = json_array();
	if (parse_mode && parse_mode[0] && !strcasecmp(parse_mode, "HTML")) {
		if (parse_html(raw, raw_len, &b, out->entities, detail,
		        sizeof(detail))) {
			snprintf(err, errlen,
			    "Bad Request: can't parse entities: %s", detail);
			sbuf_free(&b);
			ftext_free(out);
			return -1;
		}
	} else if (parse_mode && parse_mode[0] &&
	    strcasecmp(parse_mode, "MarkdownV2") &&
	    strcasecmp(parse_mode, "Markdown")) {
		snprintf(err, errlen, "Bad Request: unsupported parse_mode");
		ftext_free(out);
		return -1;
	} else {
		/* Plain text; Markdown modes are accepted unchecked. */
		sbuf_add(&b, raw, raw_len);
	}
	out->text = b.p ? b.p : fake_xstrdup("");
	out->len = b.len;
	trim_and_sort(out);
	out->codepoints = utf8_codepoints(out->text, out->len);
	return 0;
}

void
ftext_free(struct ftext *t)
{
	free(t->text);
	json_decref(t->entities);
	memset(t, 0, sizeof(*t));
}
