/* Configuration: defaults, JSON loading and validation (see config.h). */
#include "dobrobot/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dobrobot/buf.h"
#include "dobrobot/xalloc.h"

static const char *const default_directions[] = {
    "культура", "спорт", "социальное", "патриотическое", "туризм", "психология",
};

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->api_base = xstrdup("https://api.telegram.org");
	cfg->db_path = xstrdup("dobrobot.db");
	cfg->locale = xstrdup("ru");
	cfg->timezone = xstrdup("Asia/Yakutsk");
	cfg->currency = xstrdup("RUB");
	cfg->log_level = xstrdup("info");
	cfg->poll_timeout_s = 50;
	cfg->max_pledge_kopecks = (int64_t)10000000 * 100; /* 10 million rubles */
	cfg->pledge_expiry_days = 14;
	for (size_t i = 0; i < sizeof default_directions / sizeof *default_directions; i++)
		cfg->directions[cfg->n_directions++] = xstrdup(default_directions[i]);
	cfg->limits.global_per_s = 30;
	cfg->limits.chat_per_s = 1;
	cfg->limits.chat_burst = 3;
	cfg->limits.group_per_min = 20;
	cfg->limits.max_in_flight = 16;
	cfg->limits.paid_broadcast = false;
	cfg->limits.paid_per_s = 1000;
	cfg->limits.pledges_per_min = 10;
	cfg->limits.updates_per_min = 60;
	cfg->limits.pending_replies = 30;
	cfg->limits.retry_base_ms = 1000;
	cfg->limits.max_attempts = 8;
	cfg->limits.send_timeout_ms = 30000;
	cfg->digest.enabled = true;
	cfg->digest.weekday = 1;
	cfg->digest.hour = 10;
}

void
config_release(struct config *cfg)
{
	free(cfg->path);
	free(cfg->api_base);
	free(cfg->token_file);
	free(cfg->db_path);
	free(cfg->locale);
	free(cfg->timezone);
	free(cfg->currency);
	free(cfg->log_level);
	for (size_t i = 0; i < cfg->n_directions; i++)
		free(cfg->directions[i]);
	memset(cfg, 0, sizeof *cfg);
}

bool
config_is_admin(const struct config *cfg, int64_t user_id)
{
	for (size_t i = 0; i < cfg->n_admins; i++)
		if (cfg->admins[i] == user_id)
			return true;
	return false;
}

static int
fail(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(char **cause, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	buf_puts(&b, "config: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	*cause = buf_detach(&b);
	return -1;
}

/* Each key the file may hold, with how to read it. */
enum key_type { K_STRING, K_INT, K_BOOL };

struct int_range {
	long long min, max;
};

static int
get_string(json_t *v, const char *path, char **dst, char **cause)
{
	if (!json_is_string(v))
		return fail(cause, "%s: expected a string", path);
	if (json_string_length(v) == 0)
		return fail(cause, "%s: must not be empty", path);
	free(*dst);
	*dst = xstrdup(json_string_value(v));
	return 0;
}

static int
get_int(json_t *v, const char *path, long long min, long long max,
    long long *dst, char **cause)
{
	if (!json_is_integer(v)) {
		if (min > 0)
			return fail(cause, "%s: expected a positive integer", path);
		return fail(cause, "%s: expected an integer", path);
	}
	long long x = json_integer_value(v);
	if (x < min || x > max) {
		if (min == 1 && x < 1)
			return fail(cause, "%s: expected a positive integer", path);
		return fail(cause, "%s: %lld is out of range (%lld..%lld)", path,
		    x, min, max);
	}
	*dst = x;
	return 0;
}

static int
get_int_field(json_t *v, const char *path, long long min, long long max,
    int *dst, char **cause)
{
	long long x;
	if (get_int(v, path, min, max, &x, cause) < 0)
		return -1;
	*dst = (int)x;
	return 0;
}

static int
load_limits(struct config *cfg, json_t *obj, char **cause)
{
	struct config_limits *l = &cfg->limits;
	const char *key;
	json_t *v;
	char path[96];

	if (!json_is_object(obj))
		return fail(cause, "limits: expected an object");
	json_object_foreach(obj, key, v) {
		snprintf(path, sizeof path, "limits.%s", key);
		int rc;
		if (strcmp(key, "global_per_s") == 0)
			rc = get_int_field(v, path, 1, 100000, &l->global_per_s, cause);
		else if (strcmp(key, "chat_per_s") == 0)
			rc = get_int_field(v, path, 1, 100000, &l->chat_per_s, cause);
		else if (strcmp(key, "chat_burst") == 0)
			rc = get_int_field(v, path, 1, 100000, &l->chat_burst, cause);
		else if (strcmp(key, "group_per_min") == 0)
			rc = get_int_field(v, path, 1, 1000000, &l->group_per_min, cause);
		else if (strcmp(key, "max_in_flight") == 0)
			rc = get_int_field(v, path, 1, 256, &l->max_in_flight, cause);
		else if (strcmp(key, "paid_per_s") == 0)
			rc = get_int_field(v, path, 1, 100000, &l->paid_per_s, cause);
		else if (strcmp(key, "pledges_per_min") == 0)
			rc = get_int_field(v, path, 1, 10000, &l->pledges_per_min, cause);
		else if (strcmp(key, "updates_per_min") == 0)
			rc = get_int_field(v, path, 1, 100000,
			    &l->updates_per_min, cause);
		else if (strcmp(key, "pending_replies") == 0)
			rc = get_int_field(v, path, 1, 100000,
			    &l->pending_replies, cause);
		else if (strcmp(key, "retry_base_ms") == 0)
			rc = get_int_field(v, path, 10, 600000, &l->retry_base_ms, cause);
		else if (strcmp(key, "max_attempts") == 0)
			rc = get_int_field(v, path, 1, 100, &l->max_attempts, cause);
		else if (strcmp(key, "send_timeout_ms") == 0)
			rc = get_int_field(v, path, 100, 600000,
			    &l->send_timeout_ms, cause);
		else if (strcmp(key, "paid_broadcast") == 0) {
			if (!json_is_boolean(v))
				return fail(cause, "%s: expected true or false", path);
			l->paid_broadcast = json_is_true(v);
			rc = 0;
		} else if (key[0] == '_') {
			rc = 0; /* a comment */
		} else
			return fail(cause, "%s: unknown key", path);
		if (rc < 0)
			return -1;
	}
	/* Paid broadcasts run at up to paid_per_s, and each request takes a
	 * round trip of 50-200 ms to Telegram: unless the operator chose a
	 * number, keep enough in flight that 200 ms of latency does not cap
	 * the rate below the budget (1000/s needs 200). */
	if (l->paid_broadcast && json_object_get(obj, "max_in_flight") == NULL) {
		int want = l->paid_per_s / 5;
		l->max_in_flight = want > 256 ? 256
		    : want > l->max_in_flight ? want
		                              : l->max_in_flight;
	}
	return 0;
}

static int
load_digest(struct config *cfg, json_t *obj, char **cause)
{
	struct config_digest *d = &cfg->digest;
	const char *key;
	json_t *v;
	char path[96];

	if (!json_is_object(obj))
		return fail(cause, "digest: expected an object");
	json_object_foreach(obj, key, v) {
		snprintf(path, sizeof path, "digest.%s", key);
		int rc;
		if (strcmp(key, "weekday") == 0)
			rc = get_int_field(v, path, 1, 7, &d->weekday, cause);
		else if (strcmp(key, "hour") == 0)
			rc = get_int_field(v, path, 0, 23, &d->hour, cause);
		else if (strcmp(key, "enabled") == 0) {
			if (!json_is_boolean(v))
				return fail(cause, "%s: expected true or false", path);
			d->enabled = json_is_true(v);
			rc = 0;
		} else if (key[0] == '_') {
			rc = 0; /* a comment */
		} else
			return fail(cause, "%s: unknown key", path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* api_base must be https, except on loopback (the fake server in tests and
 * a local Bot API server): the token travels in the URL. */
static int
check_api_base(const char *url, char **cause)
{
	if (strncmp(url, "https://", 8) == 0)
		return 0;
	if (strncmp(url, "http://", 7) == 0) {
		const char *host = url + 7;
		if (strncmp(host, "127.0.0.1", 9) == 0 ||
		    strncmp(host, "localhost", 9) == 0 ||
		    strncmp(host, "[::1]", 5) == 0) {
			/* Only a port may follow: "localhost:1@evil.example"
			 * names the host evil.example. */
			const char *p = host + (host[0] == '[' ? 5 : 9);
			if (*p == ':')
				while (isdigit((unsigned char)*++p))
					;
			if (*p == '\0' || *p == '/')
				return 0;
		}
	}
	return fail(cause, "api_base: must start with https:// (plain http is "
	    "allowed only for 127.0.0.1, localhost or [::1])");
}

static int
check_timezone(const char *tz, char **cause)
{
	char path[512];
	struct stat st;
	if (strstr(tz, "..") != NULL || tz[0] == '/')
		return fail(cause, "timezone: \"%s\" is not a time zone name", tz);
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return fail(cause, "timezone: unknown time zone \"%s\" (expected "
		    "a name such as Asia/Yakutsk or Europe/Moscow; is tzdata "
		    "installed?)", tz);
	return 0;
}

static int
load_object(struct config *cfg, json_t *root, char **cause)
{
	const char *key;
	json_t *v;
	long long x;

	if (!json_is_object(root))
		return fail(cause, "expected a JSON object at the top level");
	json_object_foreach(root, key, v) {
		int rc = 0;
		if (strcmp(key, "api_base") == 0)
			rc = get_string(v, key, &cfg->api_base, cause);
		else if (strcmp(key, "token_file") == 0)
			rc = get_string(v, key, &cfg->token_file, cause);
		else if (strcmp(key, "db_path") == 0)
			rc = get_string(v, key, &cfg->db_path, cause);
		else if (strcmp(key, "locale") == 0) {
			rc = get_string(v, key, &cfg->locale, cause);
			if (rc == 0 && strcmp(cfg->locale, "ru") != 0 &&
			    strcmp(cfg->locale, "en") != 0)
				rc = fail(cause, "locale: expected \"ru\" or \"en\"");
		} else if (strcmp(key, "timezone") == 0) {
			rc = get_string(v, key, &cfg->timezone, cause);
			if (rc == 0)
				rc = check_timezone(cfg->timezone, cause);
		} else if (strcmp(key, "currency") == 0) {
			rc = get_string(v, key, &cfg->currency, cause);
			if (rc == 0 && strcmp(cfg->currency, "RUB") != 0)
				rc = fail(cause, "currency: only \"RUB\" is supported");
		} else if (strcmp(key, "log_level") == 0) {
			rc = get_string(v, key, &cfg->log_level, cause);
			if (rc == 0 && strcmp(cfg->log_level, "error") != 0 &&
			    strcmp(cfg->log_level, "warn") != 0 &&
			    strcmp(cfg->log_level, "info") != 0 &&
			    strcmp(cfg->log_level, "debug") != 0)
				rc = fail(cause, "log_level: expected one of "
				    "error, warn, info, debug");
		} else if (strcmp(key, "poll_timeout_s") == 0) {
			rc = get_int_field(v, key, 1, 50, &cfg->poll_timeout_s, cause);
		} else if (strcmp(key, "leaders_chat_id") == 0) {
			if (json_is_null(v))
				cfg->leaders_chat_id = 0;
			else if (json_is_integer(v) && json_integer_value(v) < 0)
				cfg->leaders_chat_id = json_integer_value(v);
			else
				rc = fail(cause, "leaders_chat_id: expected a "
				    "negative integer (a group's chat id) or null");
		} else if (strcmp(key, "max_pledge_rub") == 0) {
			rc = get_int(v, key, 1, 1000000000, &x, cause);
			cfg->max_pledge_kopecks = (int64_t)x * 100;
		} else if (strcmp(key, "pledge_expiry_days") == 0) {
			/* The reminder goes a day before the lapse: at least
			 * two days, or 0 for never. */
			rc = get_int_field(v, key, 0, 365,
			    &cfg->pledge_expiry_days, cause);
			if (rc == 0 && cfg->pledge_expiry_days == 1)
				rc = fail(cause, "pledge_expiry_days: expected 0 "
				    "(pledges never lapse) or 2 to 365 days");
		} else if (strcmp(key, "admins") == 0) {
			size_t i;
			json_t *id;
			if (!json_is_array(v))
				return fail(cause, "admins: expected an array of "
				    "Telegram user ids");
			if (json_array_size(v) > CONFIG_MAX_ADMINS)
				return fail(cause, "admins: at most %d ids",
				    CONFIG_MAX_ADMINS);
			cfg->n_admins = 0;
			json_array_foreach(v, i, id) {
				char path[48];
				snprintf(path, sizeof path, "admins[%zu]", i);
				if (get_int(id, path, 1, INT64_MAX, &x, cause) < 0)
					return -1;
				cfg->admins[cfg->n_admins++] = x;
			}
		} else if (strcmp(key, "directions") == 0) {
			size_t i;
			json_t *d;
			if (!json_is_array(v) || json_array_size(v) == 0)
				return fail(cause, "directions: expected a "
				    "non-empty array of names");
			if (json_array_size(v) > CONFIG_MAX_DIRECTIONS)
				return fail(cause, "directions: at most %d",
				    CONFIG_MAX_DIRECTIONS);
			for (i = 0; i < cfg->n_directions; i++)
				free(cfg->directions[i]);
			cfg->n_directions = 0;
			json_array_foreach(v, i, d) {
				char path[48];
				snprintf(path, sizeof path, "directions[%zu]", i);
				if (!json_is_string(d) || json_string_length(d) == 0 ||
				    json_string_length(d) > 40)
					return fail(cause, "%s: expected a name of "
					    "1 to 40 bytes", path);
				cfg->directions[cfg->n_directions++] =
				    xstrdup(json_string_value(d));
			}
		} else if (strcmp(key, "limits") == 0) {
			rc = load_limits(cfg, v, cause);
		} else if (strcmp(key, "digest") == 0) {
			rc = load_digest(cfg, v, cause);
		} else if (key[0] == '_') {
			/* "_comment" keys document the file. */
		} else {
			rc = fail(cause, "%s: unknown key", key);
		}
		if (rc < 0)
			return -1;
	}
	return check_api_base(cfg->api_base, cause);
}

static void
strip_trailing_slash(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
}

int
config_load_string(struct config *cfg, const char *text, char **cause)
{
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return fail(cause, "line %d, column %d: %s", jerr.line,
		    jerr.column, jerr.text);
	int rc = load_object(cfg, root, cause);
	json_decref(root);
	if (rc == 0)
		strip_trailing_slash(cfg->api_base);
	return rc;
}

int
config_load(struct config *cfg, const char *path, char **cause)
{
	json_error_t jerr;
	free(cfg->path);
	cfg->path = xstrdup(path);
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (jerr.line < 1)
			return fail(cause, "%s: %s", path, jerr.text);
		return fail(cause, "%s: line %d, column %d: %s", path,
		    jerr.line, jerr.column, jerr.text);
	}
	int rc = load_object(cfg, root, cause);
	json_decref(root);
	if (rc == 0)
		strip_trailing_slash(cfg->api_base);
	return rc;
}

/* A Bot API token is "<bot id>:<secret>", the secret of URL-safe base64
 * characters. Checking the shape catches a pasted quote or newline before
 * Telegram answers 401 or 404. */
static bool
token_looks_valid(const char *t)
{
	const char *p = t;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return false;
	size_t n = 0;
	for (; *p; p++, n++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return n >= 10 && n <= 80;
}

char *
config_read_token(const struct config *cfg, char **cause)
{
	char *token = NULL;
	const char *env = getenv("DOBROBOT_TOKEN");
	if (env != NULL && *env != '\0') {
		token = xstrdup(env);
	} else if (cfg->token_file != NULL) {
		FILE *f = fopen(cfg->token_file, "r");
		char line[256];
		if (f == NULL) {
			fail(cause, "token_file: cannot open %s: %s",
			    cfg->token_file, strerror(errno));
			return NULL;
		}
		if (fgets(line, sizeof line, f) == NULL)
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		token = xstrdup(line);
		memset(line, 0, sizeof line);
	} else {
		fail(cause, "no token: set DOBROBOT_TOKEN to the token "
		    "@BotFather gave you, or name a file with it in token_file");
		return NULL;
	}
	if (!token_looks_valid(token)) {
		free(token);
		fail(cause, "the token does not look like a Bot API token "
		    "(expected <digits>:<letters, digits, _ and ->)");
		return NULL;
	}
	return token;
}
