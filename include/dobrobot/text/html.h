/* Escaping of untrusted text for Telegram's HTML parse mode: every user
 * string that goes into a message passes through here (DESIGN invariant 6). */
#ifndef DOBROBOT_TEXT_HTML_H
#define DOBROBOT_TEXT_HTML_H

#include <stddef.h>

#include "dobrobot/core/buf.h"

/* Appends the NUL-terminated s to out with &, <, > and " replaced by &amp;,
 * &lt;, &gt; and &quot; (the only named entities Telegram knows; &quot; makes
 * the result safe inside a double-quoted attribute as well). Other bytes are
 * copied unchanged. Returns 0, or -1 when out's cap would be exceeded, in
 * which case out is left as it was. */
int html_escape(struct buf *out, const char *s);

/* As html_escape, for the len bytes at s (which may hold NUL bytes). */
int html_escape_n(struct buf *out, const char *s, size_t len);

/* As html_escape, for text that goes inside «…»: its own «» become „“, so
 * that «Скульптура „Детям войны“» reads right (Russian nested quotes).
 * Returns 0 or -1 as html_escape. */
int html_escape_quoted(struct buf *out, const char *s);

/* The reverse of html_escape, for text built as HTML that must go where
 * Telegram shows plain text (button labels): &amp;, &lt;, &gt; and &quot;
 * become the characters again, and tags (<b>...</b>) are dropped. A new
 * string the caller frees. */
char *html_to_plain(const char *html);

#endif
