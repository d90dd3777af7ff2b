/* UTF-8 validation, counting and cleanup of user text: what Telegram counts
 * (code points), what we store (valid UTF-8 without control characters) and
 * what we compare (case-folded Russian and English). */
#ifndef DOBROBOT_CORE_UTF8_H
#define DOBROBOT_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes the code point at the start of s[0..len) into *cp_out and returns
 * the number of bytes it takes (1 to 4); returns 0 only when len is 0. An
 * invalid sequence (stray continuation byte, overlong form, surrogate, beyond
 * U+10FFFF, truncated) yields U+FFFD and consumes its longest valid-looking
 * prefix, at least one byte (Unicode's "maximal subpart" practice), so a loop
 * over utf8_decode always advances and never reads past len. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp_out);

/* Writes the UTF-8 form of cp into out (no NUL) and returns its length (1 to
 * 4). Surrogates and values above U+10FFFF are written as U+FFFD. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* True when s[0..len) is well-formed UTF-8 (NUL bytes included as U+0000). */
bool utf8_valid(const char *s, size_t len);

/* The number of code points in s[0..len), which is how Telegram measures
 * text. Each invalid sequence counts as one (the U+FFFD it stands for). */
size_t utf8_length(const char *s, size_t len);

/* True for the code points that change how the text around them reads
 * without showing themselves, which we never keep in what people send:
 * U+0000, the zero-width and directional marks U+200B..U+200F, the bidi
 * embeddings and overrides U+202A..U+202E, the word joiner U+2060 and the
 * bidi isolates U+2066..U+2069. A name "\u202e₽ 000 05" would otherwise
 * make a 5 ₽ pledge read as 50 000 ₽ in someone else's list. */
bool utf8_is_invisible(uint32_t cp);

/* Removes every utf8_is_invisible code point from s[0..len) in place and
 * returns the new length (the bytes after it are left as they were; a NUL
 * is written at the new end when it is below len). Invalid sequences are
 * kept byte for byte; nothing else changes. */
size_t utf8_strip_invisible(char *s, size_t len);

/* Returns a new NUL-terminated string (the caller frees it) made from
 * s[0..len): invalid sequences become U+FFFD, "\r\n" and a lone "\r" become
 * "\n", and control characters (C0 other than "\n" and "\t", DEL, C1) and
 * invisible code points (utf8_is_invisible) are removed. The result is
 * always valid UTF-8. Never returns NULL. */
char *utf8_sanitize(const char *s, size_t len);

/* The byte length of the longest prefix of s[0..len) with at most
 * max_codepoints code points; a multi-byte sequence is never cut. */
size_t utf8_prefix_bytes(const char *s, size_t len, size_t max_codepoints);

/* The case-folded form of one code point for matching: ASCII and Cyrillic
 * (U+0400..U+042F) upper case become lower case, and ё/Ё become е, since
 * Russian writers use "е" for "ё" freely. Other code points are unchanged. */
uint32_t utf8_fold(uint32_t cp);

/* Returns a new string (the caller frees it): NUL-terminated s with every code
 * point passed through utf8_fold; invalid sequences become U+FFFD. Never
 * returns NULL for non-NULL s. */
char *utf8_casefold(const char *s);

/* True for the code points we treat as white space: ASCII space, \t \n \v \f
 * \r, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000 and U+FEFF (a stray byte-order mark). */
bool utf8_is_space(uint32_t cp);

/* Returns a new string (the caller frees it): NUL-terminated s without
 * leading and trailing white space in the sense of utf8_is_space. Inner
 * white space is kept. Never returns NULL for non-NULL s. */
char *utf8_trim(const char *s);

/* What a person typed, as we store it: utf8_sanitize, then utf8_trim; with
 * `one_line`, tabs and new lines become spaces first (a title, a phone
 * number, a place). Returns a new string (the caller frees it). */
char *utf8_clean_input(const char *text, bool one_line);

#endif
