/* Allocation wrappers that end the process on out-of-memory. */
#include "dobrobot/core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
out_of_memory(size_t size)
{
	fprintf(stderr, "dobrobot: out of memory (%zu bytes)\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		out_of_memory(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		out_of_memory(size);
	return p;
}

char *
xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
xgrow(void *v, size_t n, size_t *cap, size_t first, size_t size)
{
	if (n < *cap)
		return v;
	size_t want = *cap != 0 ? *cap * 2 : first;
	if (want <= n)
		want = n + 1;
	if (size != 0 && want > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	*cap = want;
	return xrealloc(v, want * size);
}
