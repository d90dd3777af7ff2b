/* libFuzzer target for when_read, when_parse and the formatting: any bytes
 * are either refused with a reason and a sentence, or give a moment after
 * "now" that when_format can show; the parts when_read keeps agree with its
 * answer. The first four bytes pick "now". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* when_read's parts agree with its answer, are in range, and can be
 * shown and put together. */
static void
check_parts(const char *s, time_t now)
{
	struct when_parts p;
	enum when_error err = WHEN_OK;
	struct buf b = BUF_INIT;
	time_t t = 0;
	int rc = when_read(s, now, &p, &err);

	if ((rc == 0) != (err == WHEN_OK))
		abort();
	if ((err == WHEN_OK && !(p.has_day && p.has_time)) ||
	    (err == WHEN_NO_TIME && (!p.has_day || p.has_time)) ||
	    (err == WHEN_NO_DATE && (p.has_day || !p.has_time)) ||
	    (err == WHEN_PAST_DATE && (!p.has_day || !p.year_moved)))
		abort();
	if (p.has_time &&
	    (p.hour < 0 || p.hour > 23 || p.minute < 0 || p.minute > 59))
		abort();
	if (err == WHEN_OK || err == WHEN_NO_TIME || err == WHEN_PAST_DATE) {
		if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 ||
		    when_format_day(&b, p.year, p.month, p.day, now, true,
		        "ru") < 0)
			abort();
		if (p.has_time && err != WHEN_OK &&
		    when_combine(&p, now, &t, &err) == 0 && t <= now)
			abort();
	}
	buf_release(&b);
}

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
	check_parts(s, now);
	(void)when_yes_no(s);
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
		    when_format_at(&b, t, now, "en") < 0)
			abort();
		buf_release(&b);
	}
	free(s);
	return 0;
}
