/* Progress of a collection ("▰▰▰▰▱▱▱▱▱▱ 40%") in integer arithmetic, exact
 * for any int64_t amounts, for announcements that are edited in place. */
#ifndef DOBROBOT_TEXT_PROGRESS_H
#define DOBROBOT_TEXT_PROGRESS_H

#include <stdint.h>

#include "dobrobot/core/buf.h"

/* The widest bar progress_bar draws; wider requests are drawn this wide. */
#define PROGRESS_MAX_WIDTH 100

/* floor(100 * done / total), exact for all int64_t values and not capped at
 * 100 (a collection may exceed its goal); results beyond INT_MAX are
 * returned as INT_MAX. A negative done counts as 0; total <= 0 gives 0. */
int progress_percent(int64_t done, int64_t total);

/* Appends a bar of `width` cells (U+25B0 filled, U+25B1 empty), a space and
 * the percent: width 10 and 40% give "▰▰▰▰▱▱▱▱▱▱ 40%". The filled cells are
 * floor(width * done / total), capped at width, while the percent shown is
 * the real one (e.g. "▰▰▰▰▰▰▰▰▰▰ 120%"). width <= 0 appends only the percent
 * ("40%"); width is capped at PROGRESS_MAX_WIDTH. total <= 0 (no goal)
 * appends nothing. Returns 0, or -1 when out's cap would be exceeded (out is
 * then left as it was). */
int progress_bar(struct buf *out, int64_t done, int64_t total, int width);

#endif
