/* Allocation that never returns NULL: out of memory ends the process, and the
 * supervisor (systemd, Docker) restarts it. Every other failure is a value. */
#ifndef DOBROBOT_XALLOC_H
#define DOBROBOT_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a new copy of s (NULL stays NULL). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
