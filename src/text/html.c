/* HTML escaping for Telegram's parse mode (see html.h). */
#include "dobrobot/html.h"

#include <string.h>

int
html_escape(struct buf *out, const char *s)
{
	return html_escape_n(out, s, strlen(s));
}

int
html_escape_n(struct buf *out, const char *s, size_t len)
{
	size_t old_len = out->len;
	size_t run = 0; /* start of the pending run of unescaped bytes */
	int rc = -1;

	for (size_t i = 0; i < len; i++) {
		const char *entity;

		switch (s[i]) {
		case '&':
			entity = "&amp;";
			break;
		case '<':
			entity = "&lt;";
			break;
		case '>':
			entity = "&gt;";
			break;
		case '"':
			entity = "&quot;";
			break;
		default:
			continue;
		}
		if (buf_append(out, s + run, i - run) < 0)
			goto out;
		if (buf_puts(out, entity) < 0)
			goto out;
		run = i + 1;
	}
	if (buf_append(out, s + run, len - run) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		buf_truncate(out, old_len);
	return rc;
}
