/* The random codes of recognition documents (see document.h): no pango
 * here, so the daemon has them without loading dobrobot-pdf.so. */
#include "dobrobot/doc/pdf.h"

#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

int
document_new_code(char out[DOC_CODE_LEN + 1])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	unsigned char r[DOC_CODE_LEN];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	for (size_t i = 0; i < DOC_CODE_LEN; i++)
		out[i] = alphabet[r[i] & 31];
	out[DOC_CODE_LEN] = '\0';
	return 0;
}

int
document_code_valid(const char *s)
{
	if (s == NULL || strlen(s) != DOC_CODE_LEN)
		return 0;
	for (const char *c = s; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '2' && *c <= '9')))
			return 0;
	return 1;
}
