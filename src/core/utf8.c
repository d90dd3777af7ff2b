/* UTF-8 decoding, validation, sanitising, case folding and trimming of user
 * text (see utf8.h). Strict decoding as Unicode 15 §3.9 defines it: no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
#include "dobrobot/core/utf8.h"

#include <string.h>

#include "dobrobot/core/xalloc.h"

static bool
utf8_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp_out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
	uint32_t cp;

	if (len == 0) {
		*cp_out = UTF8_REPLACEMENT;
		return 0;
	}
	if (p[0] < 0x80) {
		*cp_out = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		cp = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0; /* overlong below */
		else if (p[0] == 0xED)
			hi = 0x9F; /* surrogates above */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		cp = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF above */
	} else {
		*cp_out = UTF8_REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		bool ok = i < len &&
		    (i == 1 ? p[i] >= lo && p[i] <= hi : utf8_is_cont(p[i]));
		if (!ok) {
			*cp_out = UTF8_REPLACEMENT;
			return i;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*cp_out = cp;
	return need + 1;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Like utf8_decode, but tells a real U+FFFD in the text apart from a
 * decoding error. */
static size_t
utf8_decode_checked(const char *s, size_t len, uint32_t *cp, bool *valid)
{
	size_t n = utf8_decode(s, len, cp);

	*valid = *cp != UTF8_REPLACEMENT ||
	    (n == 3 && memcmp(s, "\xEF\xBF\xBD", 3) == 0);
	return n;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		bool valid;

		i += utf8_decode_checked(s + i, len - i, &cp, &valid);
		if (!valid)
			return false;
	}
	return true;
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; n++) {
		uint32_t cp;

		i += utf8_decode(s + i, len - i, &cp);
	}
	return n;
}

bool
utf8_is_invisible(uint32_t cp)
{
	return cp == 0 || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

size_t
utf8_strip_invisible(char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		bool valid;
		size_t n = utf8_decode_checked(s + i, len - i, &cp, &valid);

		if (!(valid && utf8_is_invisible(cp))) {
			memmove(s + o, s + i, n);
			o += n;
		}
		i += n;
	}
	if (o < len)
		s[o] = '\0';
	return o;
}

char *
utf8_sanitize(const char *s, size_t len)
{
	/* Each input byte yields at most the three bytes of U+FFFD. */
	if (len > (SIZE_MAX - 1) / 3)
		len = (SIZE_MAX - 1) / 3;
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		i += n;
		if (cp == '\r') {
			/* "\r\n" and a lone "\r" (old Mac files) are both one
			 * line break. */
			if (i < len && s[i] == '\n')
				continue;
			cp = '\n';
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
		    (cp >= 0x80 && cp <= 0x9F) || utf8_is_invisible(cp))
			continue;
		o += utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return xrealloc(out, o + 1);
}

size_t
utf8_prefix_bytes(const char *s, size_t len, size_t max_codepoints)
{
	size_t i = 0;

	for (size_t n = 0; n < max_codepoints && i < len; n++) {
		uint32_t cp;

		i += utf8_decode(s + i, len - i, &cp);
	}
	return i;
}

uint32_t
utf8_fold(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + ('a' - 'A');
	if (cp >= 0x0410 && cp <= 0x042F) /* А..Я */
		return cp + 0x20;
	if (cp == 0x0401 || cp == 0x0451) /* Ё, ё */
		return 0x0435; /* е */
	if (cp >= 0x0400 && cp <= 0x040F) /* Ѐ..Џ (Ukrainian, Belarusian) */
		return cp + 0x50;
	return cp;
}

char *
utf8_casefold(const char *s)
{
	size_t len = strlen(s);
	/* Folding never lengthens a valid sequence; an invalid byte may
	 * become the three bytes of U+FFFD. */
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += utf8_decode(s + i, len - i, &cp);
		o += utf8_encode(utf8_fold(cp), out + o);
	}
	out[o] = '\0';
	return xrealloc(out, o + 1);
}

bool
utf8_is_space(uint32_t cp)
{
	switch (cp) {
	case ' ':
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case 0x0085:
	case 0x00A0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202F:
	case 0x205F:
	case 0x3000:
	case 0xFEFF:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

char *
utf8_trim(const char *s)
{
	size_t len = strlen(s);
	size_t start = 0, end = 0; /* [start, end) is the kept part */
	bool seen = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!utf8_is_space(cp)) {
			if (!seen)
				start = i;
			seen = true;
			end = i + n;
		}
		i += n;
	}
	return xstrndup(s + start, end - start);
}

char *
utf8_clean_input(const char *text, bool one_line)
{
	char *s = utf8_sanitize(text, strlen(text));
	if (one_line)
		for (char *p = s; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
	char *t = utf8_trim(s);
	free(s);
	return t;
}
