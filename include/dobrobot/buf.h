/* A growable byte buffer with a hard cap: appending past `max` fails with -1
 * ("too large") instead of growing forever, as curl's dynbuf does. The data is
 * always NUL-terminated so it can be used as a C string. */
#ifndef DOBROBOT_BUF_H
#define DOBROBOT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* 0 means the default cap, BUF_DEFAULT_MAX */
};

#define BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)
#define BUF_INIT {NULL, 0, 0, 0}

void buf_init(struct buf *b, size_t max);
/* Frees the memory; the buffer may be reused after buf_init. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Each returns 0, or -1 when the cap would be exceeded (the buffer is then
 * unchanged). */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Returns the contents ("" when empty); the buffer keeps ownership. */
const char *buf_str(const struct buf *b);
/* Hands the contents to the caller (who frees them) and empties the buffer. */
char *buf_detach(struct buf *b);
/* Cuts the buffer back to `len` bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

#endif
