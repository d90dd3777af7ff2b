/* Splitting long messages written in Telegram's HTML subset into parts that
 * Telegram accepts: at most 4096 code points each, counted after HTML
 * parsing (tags count nothing, an entity such as &amp; counts one), each
 * part valid HTML on its own. */
#ifndef DOBROBOT_TEXT_SPLIT_H
#define DOBROBOT_TEXT_SPLIT_H

#include <stddef.h>

/* The most characters Telegram takes in one text message (sendMessage,
 * editMessageText). Captions take 1024. */
#define SPLIT_MESSAGE_MAX 4096
#define SPLIT_CAPTION_MAX 1024

/* Splits html into parts of at most max_chars visible code points each.
 *
 * A text that fits is returned unchanged as one part. Otherwise each part is
 * cut, by preference, at a blank line (a paragraph), else at a line break,
 * else at a space — choosing the preferred kind only if it leaves the part at
 * least half full, and otherwise the best cut there is — and only when
 * there is none, between any two characters. A cut is never made inside a
 * tag or an entity. The white space at a cut is dropped (Telegram would trim
 * it anyway), and a part left with nothing but white space is dropped too.
 * Tags open at a cut are closed at the end of the part (as </name>, lower
 * case) and opened again, with the same attributes, at the start of the
 * next, so that bold stays bold and a link stays a link. In parts that were
 * cut, a literal "&" (one that starts no entity) is written "&amp;", so that
 * a cut cannot turn "&ltp;" into an entity; the text is the same.
 *
 * The input must be well-formed in the way Telegram's parser wants: every
 * "<" starts a tag, tags are properly nested and all closed ("</>" closes
 * whichever tag is open), attribute values are quoted or simple tokens.
 * Entities are decoded as Telegram does: &lt; &gt; &amp; &quot; and numeric
 * ones, with or without the final ";". Tag names are not checked against
 * Telegram's list.
 *
 * On success returns 0 and stores in *parts_out a new array of *n_out new
 * strings (free them with split_free); n_out is 0 only for a text of nothing
 * but white space that does not fit. Returns -1, with *parts_out NULL and
 * *n_out 0, when html is malformed or max_chars is 0 (or, for inputs no
 * message could have, when a part would pass buf's 64 MB cap). */
int split_html(const char *html, size_t max_chars, char ***parts_out,
    size_t *n_out);

/* Frees the parts and the array split_html returned; accepts NULL. */
void split_free(char **parts, size_t n);

/* The number of code points Telegram counts in html: text and entities, not
 * tags. Exact for well-formed input; for malformed input a best effort (a
 * "<" that starts no tag counts as a character). */
size_t split_visible_length(const char *html);

#endif
