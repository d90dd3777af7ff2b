/* The sender's answers read without building them (see tg.h,
 * tg_answer_brief). Each message sent comes back as a copy of the whole
 * Message, the bot's own profile and the text included, and the sender
 * needs one number of it: parsing it with jansson was a fifth of the
 * daemon's instructions per reply (callgrind, make bench BENCH_ARGS=peers).
 * This checks the same grammar jansson would, in one pass and without
 * allocating, and gives up (the caller then parses with jansson) on
 * anything whose verdict it does not want to reproduce: real numbers,
 * integers near the 64-bit limit, escaped or duplicate-looking keys, deep
 * nesting. A body it accepts is one tg_parse_response reads as TG_OK with
 * the same message_id; fuzz_answer checks that on arbitrary bytes. */
#include <string.h>

#include "dobrobot/core/utf8.h"
#include "dobrobot/tg/tg.h"

/* Deeper answers are left to jansson; Telegram's go three levels deep. */
#define MAX_DEPTH 16
/* Keys per object compared for duplicates; a longer object goes to jansson,
 * which rejects duplicates (JSON_REJECT_DUPLICATES). */
#define MAX_KEYS 32

struct scan {
	const char *s;
	size_t len;
	size_t i;
	int depth;
};

struct span {
	const char *p;
	size_t n;
};

static void
skip_space(struct scan *sc)
{
	while (sc->i < sc->len &&
	    (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
	        sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* A string at sc->i (its opening quote). Its raw bytes between the quotes
 * go to *out; *escaped tells whether any escape was among them. Raw control
 * characters and ill-formed UTF-8 are refused, as jansson refuses them;
 * every \u escape of four hex digits is let through, lone surrogates
 * included, because the client repairs those before jansson sees them. */
static bool
scan_string(struct scan *sc, struct span *out, bool *escaped)
{
	size_t start = ++sc->i;
	const unsigned char *p = (const unsigned char *)sc->s;
	unsigned char high = 0; /* the OR of every byte: 0x80 set = not ASCII */
	*escaped = false;
	for (;;) {
		/* The plain bytes, which are nearly all of them, in a tight
		 * loop: neither a quote, a backslash nor a control. */
		size_t i = sc->i;
		while (i < sc->len && p[i] >= 0x20 && p[i] != '"' &&
		    p[i] != '\\')
			high |= p[i++];
		sc->i = i;
		if (sc->i >= sc->len)
			return false;
		unsigned char c = p[sc->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		*escaped = true;
		if (sc->i + 1 >= sc->len)
			return false;
		char e = sc->s[sc->i + 1];
		if (e == 'u') {
			if (sc->i + 6 > sc->len)
				return false;
			for (size_t k = 2; k < 6; k++)
				if (!is_hex(sc->s[sc->i + k]))
					return false;
			sc->i += 6;
		} else if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
			sc->i += 2;
		} else {
			return false;
		}
	}
	out->p = sc->s + start;
	out->n = sc->i - start;
	sc->i++; /* the closing quote */
	return (high & 0x80) == 0 || utf8_valid(out->p, out->n);
}

/* An integer; *value is set when the caller wants it. Real numbers and
 * integers of 19 digits or more are not ours to judge (jansson's range and
 * rounding are): false, and the caller falls back. */
static bool
scan_number(struct scan *sc, int64_t *value)
{
	bool neg = false;
	if (sc->s[sc->i] == '-') {
		neg = true;
		sc->i++;
	}
	size_t first = sc->i;
	int64_t v = 0;
	while (sc->i < sc->len && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9') {
		if (sc->i - first == 18)
			return false;
		v = v * 10 + (sc->s[sc->i] - '0');
		sc->i++;
	}
	size_t digits = sc->i - first;
	if (digits == 0 || (digits > 1 && sc->s[first] == '0'))
		return false;
	if (sc->i < sc->len &&
	    (sc->s[sc->i] == '.' || sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E'))
		return false;
	if (value != NULL)
		*value = neg ? -v : v;
	return true;
}

static bool
scan_word(struct scan *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0)
		return false;
	sc->i += n;
	return true;
}

/* What a caller wants to learn of the value it scans. */
struct want;

struct member {
	const char *key;
	struct want *want; /* what to learn of this member's value */
	int seen;
};

struct want {
	bool is_true; /* the literal true */
	bool is_object;
	bool is_integer;
	int64_t integer;
	struct member *members; /* in an object: the members looked for */
	size_t n_members;
};

static bool scan_value(struct scan *sc, struct want *w);

/* Closes an object or array at sc->i when `close` is there: 0. */
static int
list_close(struct scan *sc, char close)
{
	if (sc->i < sc->len && sc->s[sc->i] == close) {
		sc->i++;
		sc->depth--;
		return 0;
	}
	return -1;
}

/* Enters the object or array at sc->i (its opening bracket): 1 when an
 * element follows, 0 when it is empty and closed, -1 when it is not
 * well-formed or nested too deep. */
static int
list_open(struct scan *sc, char close)
{
	if (++sc->depth > MAX_DEPTH)
		return -1;
	sc->i++;
	skip_space(sc);
	return list_close(sc, close) == 0 ? 0 : 1;
}

/* After an element: 1 when a comma says another follows, 0 when `close`
 * ends the list, -1 otherwise. */
static int
list_next(struct scan *sc, char close)
{
	skip_space(sc);
	if (sc->i < sc->len && sc->s[sc->i] == ',') {
		sc->i++;
		skip_space(sc);
		return 1;
	}
	return list_close(sc, close);
}

static bool
same_key(const struct span *a, const struct span *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

static bool
scan_object(struct scan *sc, struct want *w)
{
	struct span keys[MAX_KEYS];
	size_t n_keys = 0;
	int more = list_open(sc, '}');
	while (more > 0) {
		struct span key;
		bool escaped;
		if (sc->i >= sc->len || sc->s[sc->i] != '"' ||
		    !scan_string(sc, &key, &escaped) || escaped ||
		    n_keys == MAX_KEYS)
			return false;
		for (size_t k = 0; k < n_keys; k++)
			if (same_key(&keys[k], &key))
				return false;
		keys[n_keys++] = key;
		skip_space(sc);
		if (sc->i >= sc->len || sc->s[sc->i] != ':')
			return false;
		sc->i++;
		skip_space(sc);
		struct want *member = NULL;
		for (size_t m = 0; w != NULL && m < w->n_members; m++) {
			struct member *mb = &w->members[m];
			if (key.n == strlen(mb->key) &&
			    memcmp(key.p, mb->key, key.n) == 0) {
				member = mb->want;
				mb->seen++;
			}
		}
		if (!scan_value(sc, member))
			return false;
		more = list_next(sc, '}');
	}
	return more == 0;
}

static bool
scan_array(struct scan *sc)
{
	int more = list_open(sc, ']');
	while (more > 0) {
		if (!scan_value(sc, NULL))
			return false;
		more = list_next(sc, ']');
	}
	return more == 0;
}

static bool
scan_value(struct scan *sc, struct want *w)
{
	if (sc->i >= sc->len)
		return false;
	struct span str;
	bool escaped;
	switch (sc->s[sc->i]) {
	case '{':
		if (w != NULL)
			w->is_object = true;
		return scan_object(sc, w);
	case '[':
		return scan_array(sc);
	case '"':
		return scan_string(sc, &str, &escaped);
	case 't':
		if (w != NULL)
			w->is_true = true;
		return scan_word(sc, "true");
	case 'f':
		return scan_word(sc, "false");
	case 'n':
		return scan_word(sc, "null");
	default:
		if (w != NULL)
			w->is_integer = true;
		return scan_number(sc, w != NULL ? &w->integer : NULL);
	}
}

bool
tg_answer_brief(const char *body, size_t len, int64_t *message_id)
{
	struct want ok = {0}, id = {0};
	struct member in_result[] = {{"message_id", &id, 0}};
	struct want result = {.members = in_result, .n_members = 1};
	struct member in_top[] = {{"ok", &ok, 0}, {"result", &result, 0}};
	struct want top = {.members = in_top, .n_members = 2};
	struct scan sc = {.s = body, .len = len};

	skip_space(&sc);
	if (sc.i >= len || body[sc.i] != '{' || !scan_value(&sc, &top))
		return false;
	skip_space(&sc);
	/* Duplicate keys were refused above, so each was seen at most once. */
	if (sc.i != len || in_top[0].seen != 1 || !ok.is_true ||
	    in_top[1].seen != 1)
		return false;
	*message_id = result.is_object && in_result[0].seen == 1 &&
	        id.is_integer
	    ? id.integer
	    : 0;
	return true;
}
