/* Writing JSON values as text, for the outbox: every message is stored as
 * its Bot API request body, and jansson's json_dumps spent about 90
 * instructions a byte on it (callgrind, make bench BENCH_ARGS=peers). */
#ifndef DOBROBOT_CORE_JSON_OUT_H
#define DOBROBOT_CORE_JSON_OUT_H

#include <jansson.h>

#include "dobrobot/core/buf.h"

/* Appends v to b exactly as json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)
 * writes it: members in their order, no spaces, strings as UTF-8 with '"',
 * '\\' and the C0 controls escaped (\b \f \n \r \t, else \u00XX).
 * Returns 0, or -1 (b then holds a partial text) for a value it leaves to
 * jansson: a real number, whose digits are jansson's to choose. */
int json_out(struct buf *b, const json_t *v);

#endif
