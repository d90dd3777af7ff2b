/* The daemon's log (see log.h). Lines go to stderr, which systemd's journal
 * and Docker collect; a timestamp is added because the journal is not the
 * only reader (make demo, tests). */
#include "dobrobot/core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dobrobot/core/xalloc.h"

static enum log_level current_level = LOG_INFO;
static char *secret_text;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void
log_init(enum log_level level)
{
	current_level = level;
}

void
log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level
log_get_level(void)
{
	return current_level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof level_names / sizeof level_names[0];
	     i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_set_secret(const char *secret)
{
	free(secret_text);
	secret_text = (secret && *secret) ? xstrdup(secret) : NULL;
}

char *
redact_in_place(char *s, const char *secret)
{
	if (s == NULL || secret == NULL || *secret == '\0')
		return s;
	size_t n = strlen(secret);
	char *p = s;
	while ((p = strstr(p, secret)) != NULL) {
		memset(p, '*', n);
		p += n;
	}
	return s;
}

static void log_vwrite(enum log_level level, const char *func, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

static void
log_vwrite(enum log_level level, const char *func, const char *fmt, va_list ap)
{
	int saved_errno = errno;
	char line[2048];
	int n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0)
		line[0] = '\0';
	redact_in_place(line, secret_text);

	struct timespec ts;
	struct tm tm;
	char stamp[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %-5s %s: %s\n", stamp, ts.tv_nsec / 1000000,
	    level_names[level], func, line);
	errno = saved_errno;
}

void
log_write(enum log_level level, const char *func, const char *fmt, ...)
{
	if (level > current_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(level, func, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(LOG_ERROR, "fatal", fmt, ap);
	va_end(ap);
	exit(1);
}
