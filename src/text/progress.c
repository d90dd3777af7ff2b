/* Progress bars and percentages in exact integer arithmetic (see
 * progress.h). */
#include "dobrobot/text/progress.h"

#include <limits.h>

#define PROGRESS_FILLED "\xE2\x96\xB0" /* U+25B0 ▰ */
#define PROGRESS_EMPTY "\xE2\x96\xB1" /* U+25B1 ▱ */

/* floor(done * m / total) for done, total <= INT64_MAX, 0 < total and
 * m <= 100, without overflow: the quotient of done / total is scaled
 * directly (a result beyond UINT64_MAX / 100 is returned as UINT64_MAX), and
 * the remainder r < total is multiplied by repeated addition modulo total,
 * whose sums stay below 2 * INT64_MAX < UINT64_MAX. */
static uint64_t
progress_muldiv(uint64_t done, uint64_t total, unsigned m)
{
	uint64_t q = done / total, r = done % total;
	uint64_t acc = 0, extra = 0;

	if (q > UINT64_MAX / 100 - 100)
		return UINT64_MAX;

	for (unsigned i = 0; i < m; i++) {
		/* acc + r, modulo total, counting the wraps. */
		if (acc >= total - r) {
			acc -= total - r;
			extra++;
		} else {
			acc += r;
		}
	}
	return q * m + extra;
}

int
progress_percent(int64_t done, int64_t total)
{
	if (total <= 0)
		return 0;
	if (done < 0)
		done = 0;
	uint64_t p = progress_muldiv((uint64_t)done, (uint64_t)total, 100);
	return p > INT_MAX ? INT_MAX : (int)p;
}

int
progress_bar(struct buf *out, int64_t done, int64_t total, int width)
{
	size_t old_len = out->len;
	int rc = -1;

	if (total <= 0)
		return 0;
	if (done < 0)
		done = 0;
	if (width > PROGRESS_MAX_WIDTH)
		width = PROGRESS_MAX_WIDTH;
	if (width > 0) {
		uint64_t filled =
		    progress_muldiv((uint64_t)(done < total ? done : total),
		        (uint64_t)total, (unsigned)width);

		for (int i = 0; i < width; i++) {
			if (buf_puts(out,
			        (uint64_t)i < filled ? PROGRESS_FILLED
			                             : PROGRESS_EMPTY) < 0)
				goto out;
		}
		if (buf_putc(out, ' ') < 0)
			goto out;
	}
	if (buf_printf(out, "%d%%", progress_percent(done, total)) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		buf_truncate(out, old_len);
	return rc;
}
