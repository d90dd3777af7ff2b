/* Reading the configuration: the JSON file's keys, each checked against
 * its table entry and validated, over the defaults; and the Bot API token
 * (see config.h). config.c owns the defaults and the lookups. */
#include "dobrobot/core/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/xalloc.h"

static int fail(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

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
			return fail(cause, "%s: expected a positive integer",
			    path);
		return fail(cause, "%s: expected an integer", path);
	}
	long long x = json_integer_value(v);
	if (x < min || x > max) {
		if (min == 1 && x < 1)
			return fail(cause, "%s: expected a positive integer",
			    path);
		return fail(cause, "%s: %lld is out of range (%lld..%lld)",
		    path, x, min, max);
	}
	*dst = x;
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
	return fail(cause,
	    "api_base: must start with https:// (plain http is "
	    "allowed only for 127.0.0.1, localhost or [::1])");
}

/* ---- what a key may hold beyond its type ---- */

static int
check_locale(struct config *cfg, char **cause)
{
	if (strcmp(cfg->locale, "ru") != 0 && strcmp(cfg->locale, "en") != 0)
		return fail(cause, "locale: expected \"ru\" or \"en\"");
	return 0;
}

static int
check_timezone(struct config *cfg, char **cause)
{
	const char *tz = cfg->timezone;
	char file[512];
	struct stat st;
	if (strstr(tz, "..") != NULL || tz[0] == '/')
		return fail(cause, "timezone: \"%s\" is not a time zone name",
		    tz);
	snprintf(file, sizeof file, "/usr/share/zoneinfo/%s", tz);
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		return fail(cause,
		    "timezone: unknown time zone \"%s\" (expected "
		    "a name such as Asia/Yakutsk or Europe/Moscow; is tzdata "
		    "installed?)",
		    tz);
	return 0;
}

static int
check_currency(struct config *cfg, char **cause)
{
	if (strcmp(cfg->currency, "RUB") != 0)
		return fail(cause, "currency: only \"RUB\" is supported");
	return 0;
}

static int
check_log_level(struct config *cfg, char **cause)
{
	static const char *const levels[] = {"error", "warn", "info", "debug"};
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		if (strcmp(cfg->log_level, levels[i]) == 0)
			return 0;
	return fail(cause,
	    "log_level: expected one of error, warn, info, debug");
}

/* The reminder goes a day before the lapse: at least two days, or 0 for
 * never. */
static int
check_expiry_days(struct config *cfg, char **cause)
{
	if (cfg->pledge_expiry_days == 1)
		return fail(cause,
		    "pledge_expiry_days: expected 0 (pledges never "
		    "lapse) or 2 to 365 days");
	return 0;
}

/* Paid broadcasts run at up to paid_per_s, and each request takes a round
 * trip of 50-200 ms to Telegram: unless the operator chose a number, keep
 * enough in flight that 200 ms of latency does not cap the rate below the
 * budget (1000/s needs 200). */
static int
limits_in_flight(struct config *cfg, json_t *obj, const char *path,
    char **cause)
{
	(void)path;
	(void)cause;
	struct config_limits *l = &cfg->limits;
	if (l->paid_broadcast &&
	    json_object_get(obj, "max_in_flight") == NULL) {
		int want = l->paid_per_s / 5;
		l->max_in_flight = want > 256 ? 256
		    : want > l->max_in_flight ? want
		                              : l->max_in_flight;
	}
	return 0;
}

static void strip_trailing_slash(char *s);

/* "site": {"dir": "/var/www/dobro", "base_url": "https://dobro.example"}.
 * Both or neither: a page written where nobody serves it, or an address
 * with no pages behind it, is a mistake to catch at start-up. */
static int
site_complete(struct config *cfg, json_t *obj, const char *path, char **cause)
{
	(void)obj;
	(void)path;
	if (cfg->site_base_url != NULL &&
	    strncmp(cfg->site_base_url, "https://", 8) != 0 &&
	    strncmp(cfg->site_base_url, "http://", 7) != 0)
		return fail(cause,
		    "site.base_url: expected an http:// or "
		    "https:// address");
	if ((cfg->site_dir == NULL) != (cfg->site_base_url == NULL))
		return fail(cause, "site: give both dir and base_url");
	if (cfg->site_base_url != NULL)
		strip_trailing_slash(cfg->site_base_url);
	return 0;
}

/* ---- keys read by their own code ---- */

static int
read_leaders_chat(struct config *cfg, json_t *v, const char *path, char **cause)
{
	(void)path;
	if (json_is_null(v))
		cfg->leaders_chat_id = 0;
	else if (json_is_integer(v) && json_integer_value(v) < 0)
		cfg->leaders_chat_id = json_integer_value(v);
	else
		return fail(cause,
		    "leaders_chat_id: expected a negative integer "
		    "(a group's chat id) or null");
	return 0;
}

static int
read_max_pledge(struct config *cfg, json_t *v, const char *path, char **cause)
{
	long long x = 0;
	if (get_int(v, path, 1, 1000000000, &x, cause) < 0)
		return -1;
	cfg->max_pledge_kopecks = (int64_t)x * 100;
	return 0;
}

static int
read_admins(struct config *cfg, json_t *v, const char *path, char **cause)
{
	(void)path;
	size_t i;
	json_t *id;
	if (!json_is_array(v))
		return fail(cause,
		    "admins: expected an array of Telegram user ids");
	if (json_array_size(v) > CONFIG_MAX_ADMINS)
		return fail(cause, "admins: at most %d ids", CONFIG_MAX_ADMINS);
	cfg->n_admins = 0;
	json_array_foreach(v, i, id)
	{
		char item[48];
		long long x;
		snprintf(item, sizeof item, "admins[%zu]", i);
		if (get_int(id, item, 1, INT64_MAX, &x, cause) < 0)
			return -1;
		cfg->admins[cfg->n_admins++] = x;
	}
	return 0;
}

static int
read_directions(struct config *cfg, json_t *v, const char *path, char **cause)
{
	(void)path;
	size_t i;
	json_t *d;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(cause,
		    "directions: expected a non-empty array of "
		    "names");
	if (json_array_size(v) > CONFIG_MAX_DIRECTIONS)
		return fail(cause, "directions: at most %d",
		    CONFIG_MAX_DIRECTIONS);
	for (i = 0; i < cfg->n_directions; i++) {
		free(cfg->directions[i]);
		free(cfg->directions_en[i]);
		cfg->directions_en[i] = NULL;
	}
	cfg->n_directions = 0;
	json_array_foreach(v, i, d)
	{
		char item[48];
		snprintf(item, sizeof item, "directions[%zu]", i);
		/* A name, or {"ru": name, "en": label}. */
		json_t *name = json_is_object(d) ? json_object_get(d, "ru") : d;
		json_t *en = json_is_object(d) ? json_object_get(d, "en")
		                               : NULL;
		if (!json_is_string(name) || json_string_length(name) == 0 ||
		    json_string_length(name) > 40 ||
		    (en != NULL &&
		        (!json_is_string(en) || json_string_length(en) == 0 ||
		            json_string_length(en) > 40)))
			return fail(cause,
			    "%s: expected a name of 1 to 40 bytes, "
			    "or {\"ru\": name, \"en\": label}",
			    item);
		cfg->directions_en[cfg->n_directions] = en != NULL
		    ? xstrdup(json_string_value(en))
		    : NULL;
		cfg->directions[cfg->n_directions++] =
		    xstrdup(json_string_value(name));
	}
	return 0;
}

/* ---- the keys ---- */

/* How a key's value is read into its field of struct config: K_STRING a
 * non-empty string (char *, replaced), K_INT an integer in min..max (int),
 * K_BOOL true or false (bool), K_OBJECT an object whose keys are the `keys`
 * table, K_CUSTOM by `read` alone. `check`, when there is one, runs after
 * the value is stored and may refuse it; a K_OBJECT's `read` runs after all
 * its keys (it sees the object). Keys starting with '_' are comments; any
 * other key not in the table is an error, so that a typo never silently
 * becomes a default. */
enum key_type { K_STRING, K_INT, K_BOOL, K_OBJECT, K_CUSTOM };

struct config_key {
	const char *name;
	enum key_type type;
	size_t offset; /* of the field in struct config */
	long long min, max; /* K_INT */
	int (*check)(struct config *cfg, char **cause);
	int (*read)(struct config *cfg, json_t *v, const char *path,
	    char **cause);
	const struct config_key *keys; /* K_OBJECT, ends with a NULL name */
};

#define FIELD(f) offsetof(struct config, f)

static const struct config_key limits_keys[] = {
    {"global_per_s", K_INT, FIELD(limits.global_per_s), 1, 100000, NULL, NULL,
        NULL},
    {"chat_per_s", K_INT, FIELD(limits.chat_per_s), 1, 100000, NULL, NULL,
        NULL},
    {"chat_burst", K_INT, FIELD(limits.chat_burst), 1, 100000, NULL, NULL,
        NULL},
    {"group_per_min", K_INT, FIELD(limits.group_per_min), 1, 1000000, NULL,
        NULL, NULL},
    {"max_in_flight", K_INT, FIELD(limits.max_in_flight), 1, 256, NULL, NULL,
        NULL},
    {"paid_per_s", K_INT, FIELD(limits.paid_per_s), 1, 100000, NULL, NULL,
        NULL},
    {"pledges_per_min", K_INT, FIELD(limits.pledges_per_min), 1, 10000, NULL,
        NULL, NULL},
    {"updates_per_min", K_INT, FIELD(limits.updates_per_min), 1, 100000, NULL,
        NULL, NULL},
    {"pending_replies", K_INT, FIELD(limits.pending_replies), 1, 100000, NULL,
        NULL, NULL},
    {"backlog_replies", K_INT, FIELD(limits.backlog_replies), 1, 1000000, NULL,
        NULL, NULL},
    {"retry_base_ms", K_INT, FIELD(limits.retry_base_ms), 10, 600000, NULL,
        NULL, NULL},
    {"max_attempts", K_INT, FIELD(limits.max_attempts), 1, 100, NULL, NULL,
        NULL},
    {"send_timeout_ms", K_INT, FIELD(limits.send_timeout_ms), 100, 600000, NULL,
        NULL, NULL},
    {"paid_broadcast", K_BOOL, FIELD(limits.paid_broadcast), 0, 0, NULL, NULL,
        NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct config_key digest_keys[] = {
    {"weekday", K_INT, FIELD(digest.weekday), 1, 7, NULL, NULL, NULL},
    {"hour", K_INT, FIELD(digest.hour), 0, 23, NULL, NULL, NULL},
    {"enabled", K_BOOL, FIELD(digest.enabled), 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct config_key site_keys[] = {
    {"dir", K_STRING, FIELD(site_dir), 0, 0, NULL, NULL, NULL},
    {"base_url", K_STRING, FIELD(site_base_url), 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct config_key top_keys[] = {
    {"api_base", K_STRING, FIELD(api_base), 0, 0, NULL, NULL, NULL},
    {"token_file", K_STRING, FIELD(token_file), 0, 0, NULL, NULL, NULL},
    {"db_path", K_STRING, FIELD(db_path), 0, 0, NULL, NULL, NULL},
    {"locale", K_STRING, FIELD(locale), 0, 0, check_locale, NULL, NULL},
    {"timezone", K_STRING, FIELD(timezone), 0, 0, check_timezone, NULL, NULL},
    {"currency", K_STRING, FIELD(currency), 0, 0, check_currency, NULL, NULL},
    {"log_level", K_STRING, FIELD(log_level), 0, 0, check_log_level, NULL,
        NULL},
    {"poll_timeout_s", K_INT, FIELD(poll_timeout_s), 1, 50, NULL, NULL, NULL},
    {"leaders_chat_id", K_CUSTOM, 0, 0, 0, NULL, read_leaders_chat, NULL},
    {"max_pledge_rub", K_CUSTOM, 0, 0, 0, NULL, read_max_pledge, NULL},
    {"pledge_expiry_days", K_INT, FIELD(pledge_expiry_days), 0, 365,
        check_expiry_days, NULL, NULL},
    {"admins", K_CUSTOM, 0, 0, 0, NULL, read_admins, NULL},
    {"directions", K_CUSTOM, 0, 0, 0, NULL, read_directions, NULL},
    {"limits", K_OBJECT, 0, 0, 0, NULL, limits_in_flight, limits_keys},
    {"digest", K_OBJECT, 0, 0, 0, NULL, NULL, digest_keys},
    {"site", K_OBJECT, 0, 0, 0, NULL, site_complete, site_keys},
    {"council_name", K_STRING, FIELD(council_name), 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static int load_keys(struct config *cfg, const struct config_key *keys,
    json_t *obj, const char *prefix, char **cause);

static int
load_key(struct config *cfg, const struct config_key *k, json_t *v,
    const char *path, char **cause)
{
	void *field = (char *)cfg + k->offset;
	long long x = 0;
	switch (k->type) {
	case K_STRING:
		if (get_string(v, path, field, cause) < 0)
			return -1;
		break;
	case K_INT:
		if (get_int(v, path, k->min, k->max, &x, cause) < 0)
			return -1;
		*(int *)field = (int)x;
		break;
	case K_BOOL:
		if (!json_is_boolean(v))
			return fail(cause, "%s: expected true or false", path);
		*(bool *)field = json_is_true(v);
		break;
	case K_OBJECT:
		if (!json_is_object(v))
			return fail(cause, "%s: expected an object", path);
		if (load_keys(cfg, k->keys, v, path, cause) < 0)
			return -1;
		break;
	case K_CUSTOM:
		break;
	}
	if (k->read != NULL && k->read(cfg, v, path, cause) < 0)
		return -1;
	return k->check != NULL ? k->check(cfg, cause) : 0;
}

static int
load_keys(struct config *cfg, const struct config_key *keys, json_t *obj,
    const char *prefix, char **cause)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		char nested[96];
		const char *path = key;
		if (prefix != NULL) {
			snprintf(nested, sizeof nested, "%s.%s", prefix, key);
			path = nested;
		}
		const struct config_key *k = keys;
		while (k->name != NULL && strcmp(k->name, key) != 0)
			k++;
		if (k->name != NULL) {
			if (load_key(cfg, k, v, path, cause) < 0)
				return -1;
		} else if (key[0] !=
		    '_') { /* "_comment" keys document the file */
			return fail(cause, "%s: unknown key", path);
		}
	}
	return 0;
}

static int
load_object(struct config *cfg, json_t *root, char **cause)
{
	if (!json_is_object(root))
		return fail(cause, "expected a JSON object at the top level");
	if (load_keys(cfg, top_keys, root, NULL, cause) < 0)
		return -1;
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
		fail(cause,
		    "no token: set DOBROBOT_TOKEN to the token "
		    "@BotFather gave you, or name a file with it in token_file");
		return NULL;
	}
	if (!token_looks_valid(token)) {
		free(token);
		fail(cause,
		    "the token does not look like a Bot API token "
		    "(expected <digits>:<letters, digits, _ and ->)");
		return NULL;
	}
	return token;
}
