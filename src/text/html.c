/* HTML escaping for Telegram's parse mode (see html.h). */
#include "dobrobot/text/html.h"

#include <stdbool.h>
#include <string.h>

#include "dobrobot/core/xalloc.h"

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

char *
html_to_plain(const char *html)
{
	static const struct {
		const char *entity;
		char c;
	} entities[] = {
	    {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
	size_t len = strlen(html);
	char *out = xmalloc(len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		if (html[i] == '<') {
			const char *end = strchr(html + i, '>');
			i = end != NULL ? (size_t)(end - html) + 1 : len;
			continue;
		}
		bool replaced = false;
		for (size_t e = 0; e < 4 && !replaced && html[i] == '&'; e++) {
			size_t n = strlen(entities[e].entity);
			if (strncmp(html + i, entities[e].entity, n) == 0) {
				out[k++] = entities[e].c;
				i += n;
				replaced = true;
			}
		}
		if (!replaced)
			out[k++] = html[i++];
	}
	out[k] = '\0';
	return out;
}

int
html_escape_quoted(struct buf *out, const char *s)
{
	size_t old_len = out->len;
	const char *run = s;
	for (const char *p = s; *p;) {
		bool open = strncmp(p, "«", strlen("«")) == 0;
		bool close = strncmp(p, "»", strlen("»")) == 0;
		if (!open && !close) {
			p++;
			continue;
		}
		if (html_escape_n(out, run, (size_t)(p - run)) < 0 ||
		    buf_puts(out, open ? "„" : "“") < 0) {
			buf_truncate(out, old_len);
			return -1;
		}
		p += strlen(open ? "«" : "»");
		run = p;
	}
	if (html_escape(out, run) < 0) {
		buf_truncate(out, old_len);
		return -1;
	}
	return 0;
}
