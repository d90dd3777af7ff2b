/* libFuzzer target for money_parse and money_format: any bytes are either
 * refused with a reason and a sentence, or give a positive amount within the
 * limit that money_format prints and money_parse reads back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/money.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *s, int64_t max)
{
	int64_t kopecks = -1, again = -1;
	enum money_error err = MONEY_OK;
	struct buf b = BUF_INIT;

	if (money_parse(s, max, &kopecks, &err) < 0) {
		if (err == MONEY_OK || kopecks != -1 ||
		    money_error_text(err, "ru")[0] == '\0' ||
		    money_error_text(err, "en")[0] == '\0')
			abort();
		return;
	}
	if (err != MONEY_OK || kopecks <= 0 || kopecks > max)
		abort();
	if (money_format(&b, kopecks) < 0 ||
	    money_parse(buf_str(&b), max, &again, &err) < 0 || again != kopecks)
		abort();
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);

	(void)money_looks_like(s); /* any bytes: no crash, no leak */
	check(s, INT64_MAX);
	check(s, 100000000); /* a million rubles */
	free(s);
	return 0;
}
