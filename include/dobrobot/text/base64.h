/* Base64 (RFC 4648, with padding): binary files (a PDF) travel inside the
 * outbox's JSON payloads as text. */
#ifndef DOBROBOT_TEXT_BASE64_H
#define DOBROBOT_TEXT_BASE64_H

#include <stddef.h>

#include "dobrobot/core/buf.h"

/* Appends the encoding of the len bytes at data. Returns 0, or -1 when out's
 * cap would be exceeded (out is then left as it was). */
int base64_encode(struct buf *out, const void *data, size_t len);

/* Appends the bytes encoded by the len characters at s. Returns 0, or -1 on
 * anything but canonical padded base64 (no white space) or when out's cap
 * would be exceeded; out is then left as it was. */
int base64_decode(struct buf *out, const char *s, size_t len);

#endif
