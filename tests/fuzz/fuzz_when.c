/* libFuzzer target for when_parse and when_format: any bytes are either
 * refused with a reason and a sentence, or give a moment after "now" that
 * when_format can show. The first eight bytes pick "now". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/buf.h"
#include "dobrobot/when.h"
#include "dobrobot/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	/* 2020-01-01 .. about 2040, in the daemon's default zone. */
	time_t now = 1577836800;
	time_t t = 0;
	enum when_error err = WHEN_OK;
	struct buf b = BUF_INIT;
	char *s;

	if (!initialised) {
		setenv("TZ", "Asia/Yakutsk", 1);
		tzset();
		initialised = 1;
	}
	if (size >= 4) {
		uint32_t v;

		memcpy(&v, data, 4);
		now += (time_t)(v % (20u * 366 * 24 * 3600));
		data += 4;
		size -= 4;
	}
	s = xstrndup((const char *)data, size);
	if (when_parse(s, now, &t, &err) < 0) {
		if (err == WHEN_OK || t != 0 ||
		    when_error_text(err, "ru")[0] == '\0' ||
		    when_error_text(err, "en")[0] == '\0')
			abort();
	} else {
		if (err != WHEN_OK || t <= now)
			abort();
		/* Years have at most four digits, so any accepted moment
		 * can be shown. */
		if (when_format(&b, t, "ru") < 0 ||
		    when_format(&b, t, "en") < 0)
			abort();
		buf_release(&b);
	}
	free(s);
	return 0;
}
