/* The daemon's log: one line per event on stderr, with a level and the
 * function that logged it. Untrusted text is escaped by the caller with
 * log_escape; the Bot API token is redacted here, from every line, whatever
 * the caller passed (see log_set_secret). */
#ifndef DOBROBOT_CORE_LOG_H
#define DOBROBOT_CORE_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "error", "warn", "info", "debug"; returns -1 on anything else. */
int log_level_parse(const char *name, enum log_level *out);
/* Every occurrence of `secret` in a log line is printed as "<redacted>".
 * The string is copied; NULL clears it. */
void log_set_secret(const char *secret);

void log_write(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(...) log_write(LOG_ERROR, __func__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __func__, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __func__, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_get_level() >= LOG_DEBUG) \
			log_write(LOG_DEBUG, __func__, __VA_ARGS__); \
	} while (0)

/* Ends the process with exit status 1 after logging. */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Replaces every occurrence of `secret` in `s` (in place) by a same-length
 * run of '*'; used wherever a string may carry the token (URLs, curl errors).
 * Returns s. */
char *redact_in_place(char *s, const char *secret);

#endif
