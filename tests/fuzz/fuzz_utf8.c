/* libFuzzer target for utf8.c: whatever the bytes, utf8_sanitize gives
 * valid UTF-8 without control characters or invisible marks (zero-width
 * and direction marks, utf8_is_invisible), and the other functions agree
 * with each other. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *clean = utf8_sanitize(s, size);
	size_t clen = strlen(clean), total = utf8_length(s, size);
	char *folded, *trimmed;

	/* Sanitised: valid, no C0 but \n and \t, no DEL, no C1, no \r, no
	 * invisible marks. */
	if (!utf8_valid(clean, clen))
		abort();
	for (size_t i = 0; i < clen;) {
		uint32_t cp;

		i += utf8_decode(clean + i, clen - i, &cp);
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
		    (cp >= 0x80 && cp <= 0x9F) || utf8_is_invisible(cp))
			abort();
	}
	if (utf8_length(clean, clen) > total)
		abort();

	/* Valid input without control characters or invisible marks comes
	 * back unchanged. */
	if (utf8_valid(s, size)) {
		bool plain = memchr(s, '\0', size) == NULL;

		for (size_t i = 0; i < size && plain;) {
			uint32_t cp;

			i += utf8_decode(s + i, size - i, &cp);
			plain = !((cp < 0x20 && cp != '\n' && cp != '\t') ||
			    cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
			    utf8_is_invisible(cp));
		}
		if (plain && (clen != size || memcmp(clean, s, size) != 0))
			abort();
	}

	/* Prefixes never cut a sequence. */
	for (size_t max = 0; max <= 8; max++) {
		size_t pb = utf8_prefix_bytes(s, size, max);
		size_t head = utf8_length(s, pb);

		if (pb > size || head > max || (head < max && pb != size) ||
		    head + utf8_length(s + pb, size - pb) != total)
			abort();
	}

	/* Folding and trimming keep valid text valid. */
	folded = utf8_casefold(clean);
	trimmed = utf8_trim(clean);
	if (!utf8_valid(folded, strlen(folded)) ||
	    !utf8_valid(trimmed, strlen(trimmed)) ||
	    utf8_length(folded, strlen(folded)) != utf8_length(clean, clen) ||
	    strlen(trimmed) > clen)
		abort();
	free(folded);
	free(trimmed);
	free(clean);
	return 0;
}
