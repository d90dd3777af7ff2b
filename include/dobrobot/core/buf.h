/* A growable byte buffer, NUL-terminated so it can be used as a C string.
 *
 * Two kinds, by what fills them:
 * - BUF_INIT (or buf_init(b, 0)): no cap. The program composes these from
 *   pieces that are bounded already (a Telegram message is at most 4096
 *   characters, every field a user gives is validated, lists are paged), so
 *   an append cannot fail short of memory, which ends the process (xalloc).
 *   Callers need not check the results, and do not.
 * - buf_init(b, max): a hard cap, for sizes that come from outside (a Bot
 *   API answer, an import file, a CSV upload, an export that must fit in one
 *   Telegram document). Appending past `max` fails with -1 ("too large")
 *   instead of growing forever, as curl's dynbuf does, and the failure
 *   sticks: every later append fails too, so a caller may append a whole
 *   document unchecked and ask buf_failed once at the end; the contents stay
 *   what they were before the first failed append. */
#ifndef DOBROBOT_CORE_BUF_H
#define DOBROBOT_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* 0: no cap */
	bool failed; /* an append went past max; reset by buf_reset */
};

/* clang-format 14 splits a braced macro over four lines */
/* clang-format off */
#define BUF_INIT {NULL, 0, 0, 0, false}
/* clang-format on */

void buf_init(struct buf *b, size_t max);
/* Frees the memory; the buffer may be reused after buf_init. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its memory (and forgets a failure). */
void buf_reset(struct buf *b);
/* Each returns 0, or -1 when the cap would be exceeded or an earlier append
 * failed (the buffer is then unchanged). */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Whether an append failed since the buffer was last empty. */
bool buf_failed(const struct buf *b);
/* Returns the contents ("" when empty); the buffer keeps ownership. */
const char *buf_str(const struct buf *b);
/* Hands the contents to the caller (who frees them) and empties the buffer. */
char *buf_detach(struct buf *b);

/* A new NUL-terminated string formatted like printf (never NULL; free
 * it): the error messages handed back through a char **cause. */
char *buf_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Cuts the buffer back to `len` bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

#endif
