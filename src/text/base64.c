/* Base64 encoding and decoding (see base64.h). */
#include "dobrobot/text/base64.h"

#include <stdbool.h>
#include <stdint.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t start = out->len;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63],
		    i + 1 < len ? alphabet[(v >> 6) & 63] : '=',
		    i + 2 < len ? alphabet[v & 63] : '='};
		if (buf_append(out, q, 4) < 0) {
			buf_truncate(out, start);
			return -1;
		}
	}
	if (len == 0 && buf_append(out, "", 0) < 0)
		return -1;
	return 0;
}

static int
sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
base64_decode(struct buf *out, const char *s, size_t len)
{
	size_t start = out->len;
	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int pad = 0;
		uint32_t v = 0;
		for (size_t j = 0; j < 4; j++) {
			int x = sextet(s[i + j]);
			if (s[i + j] == '=' && last && j >= 2 &&
			    (j == 3 || s[i + 3] == '=')) {
				pad++;
				x = 0;
			} else if (x < 0 || pad > 0) {
				goto bad;
			}
			v = v << 6 | (uint32_t)x;
		}
		unsigned char b[3] = {(unsigned char)(v >> 16),
		    (unsigned char)(v >> 8), (unsigned char)v};
		if (buf_append(out, b, (size_t)(3 - pad)) < 0)
			goto bad;
	}
	return 0;
bad:
	buf_truncate(out, start);
	return -1;
}
