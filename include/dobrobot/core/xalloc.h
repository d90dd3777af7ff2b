/* Allocation that never returns NULL: out of memory ends the process, and the
 * supervisor (systemd, Docker) restarts it. Every other failure is a value. */
#ifndef DOBROBOT_CORE_XALLOC_H
#define DOBROBOT_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a new copy of s (NULL stays NULL). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Room for element n of a growing array v of *cap elements of `size` bytes:
 * when n < *cap returns v as it is; otherwise doubles *cap (or sets it to
 * `first` when it is 0) and returns v reallocated to that many elements,
 * the old ones kept. A capacity whose size in bytes overflows is out of
 * memory. Usage: arr = xgrow(arr, n, &cap, 16, sizeof *arr); arr[n++] = x; */
void *xgrow(void *v, size_t n, size_t *cap, size_t first, size_t size);

#endif
