/* JSON values as compact text (see json_out.h). */
#include "dobrobot/core/json_out.h"

#include <string.h>

static int
out_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0; /* bytes copied as they are, not yet appended */
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		buf_append(b, s + i - run, run);
		run = 0;
		char esc[7] = {'\\', 0};
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_append(b, esc, 6);
			continue;
		}
		buf_append(b, esc, 2);
	}
	buf_append(b, s + len - run, run);
	return buf_putc(b, '"');
}

int
json_out(struct buf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *member;
		bool first = true;
		buf_putc(b, '{');
		/* jansson keeps members in insertion order, and so does
		 * json_dumps; so does this. */
		json_object_foreach((json_t *)v, key, member)
		{
			if (!first)
				buf_putc(b, ',');
			first = false;
			out_string(b, key, strlen(key));
			buf_putc(b, ':');
			if (json_out(b, member) < 0)
				return -1;
		}
		return buf_putc(b, '}');
	}
	case JSON_ARRAY: {
		buf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				buf_putc(b, ',');
			if (json_out(b, json_array_get(v, i)) < 0)
				return -1;
		}
		return buf_putc(b, ']');
	}
	case JSON_STRING:
		return out_string(b, json_string_value(v),
		    json_string_length(v));
	case JSON_INTEGER:
		return buf_printf(b, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	case JSON_TRUE:
		return buf_puts(b, "true");
	case JSON_FALSE:
		return buf_puts(b, "false");
	case JSON_NULL:
		return buf_puts(b, "null");
	case JSON_REAL:
		break;
	}
	return -1;
}
