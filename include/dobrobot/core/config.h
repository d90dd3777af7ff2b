/* The daemon's configuration: a JSON file validated key by key. Every error
 * names the key path ("config: limits.global_per_s: expected a positive
 * integer"), unknown keys are errors (a typo must not silently become a
 * default), and the token never comes from the file's text or argv: it is
 * read from $DOBROBOT_TOKEN or from the file named by token_file. */
#ifndef DOBROBOT_CORE_CONFIG_H
#define DOBROBOT_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_ADMINS 64
#define CONFIG_MAX_DIRECTIONS 16

struct config_limits {
	int global_per_s; /* bulk messages per second, all chats */
	int chat_per_s; /* messages per second to one private chat */
	int chat_burst; /* short burst allowed to one private chat */
	int group_per_min; /* messages per minute to one group */
	int max_in_flight; /* concurrent requests to the Bot API */
	bool paid_broadcast;
	int paid_per_s;
	int pledges_per_min; /* per citizen, anti-spam */
	int updates_per_min; /* messages and presses one user may send */
	int pending_replies; /* replies waiting in one chat before its
	                        updates are refused */
	int backlog_replies; /* replies waiting in all chats before no new
	                        updates are fetched */
	int retry_base_ms; /* first backoff after a transient failure */
	int max_attempts; /* before a message is given up */
	int send_timeout_ms; /* one send, connect to last byte of the answer */
};

/* The weekly digest for the leaders' group, in the configured time zone. */
struct config_digest {
	bool enabled;
	int weekday; /* 1 = Monday ... 7 = Sunday */
	int hour; /* 0..23 */
};

struct config {
	char *path;
	char *api_base; /* without a trailing slash */
	char *token_file; /* may be NULL */
	char *db_path;
	char *locale; /* "ru" or "en" */
	char *timezone; /* an IANA name, e.g. Asia/Yakutsk */
	char *currency; /* "RUB" */
	int64_t admins[CONFIG_MAX_ADMINS];
	size_t n_admins;
	int64_t leaders_chat_id; /* 0 when not configured */
	int poll_timeout_s;
	char *log_level;
	/* The directions' names (Russian; what is stored and matched) and
	 * their English labels (NULL: the name is shown in English too). A
	 * "directions" entry is a name or {"ru": name, "en": label}. */
	char *directions[CONFIG_MAX_DIRECTIONS];
	char *directions_en[CONFIG_MAX_DIRECTIONS];
	size_t n_directions;
	int64_t max_pledge_kopecks;
	/* A pledge not received this many days after it was made (or after
	 * its action's date, if later) lapses, with a reminder the day before;
	 * 0: pledges never lapse. */
	int pledge_expiry_days;
	struct config_limits limits;
	struct config_digest digest;
	/* The public site ("site": {"dir", "base_url"}): where the bot writes
	 * its pages (e.g. verify/<code>/index.html) and the address they are
	 * served at, without a trailing slash. NULL when absent. */
	char *site_dir;
	char *site_base_url;
	/* Who issues the records of volunteering that span organisations:
	 * "council_name", a default when absent. */
	char *council_name;
};

/* Fills `cfg` with the defaults (no file read). */
void config_defaults(struct config *cfg);

/* Reads and validates the file at `path` over the defaults. On error returns
 * -1 and sets *cause to a new string naming the key path (caller frees);
 * `cfg` then holds whatever was read and must still be released. */
int config_load(struct config *cfg, const char *path, char **cause);

/* Same, from JSON text (for tests). */
int config_load_string(struct config *cfg, const char *json, char **cause);

void config_release(struct config *cfg);

bool config_is_admin(const struct config *cfg, int64_t user_id);

/* Reads the Bot API token: $DOBROBOT_TOKEN first, then token_file. Returns a
 * new string, or NULL with *cause set. Checks the token's shape
 * (<digits>:<35ish url-safe chars>) without printing it. */
char *config_read_token(const struct config *cfg, char **cause);

/* How direction i is shown to a reader of `lang`: its English label for
 * "en" when configured, else its name. Borrowed. */
const char *config_direction_label(const struct config *cfg, size_t i,
    const char *lang);

/* How the stored direction `name` is shown to a reader of `lang`: its
 * label when it is a configured direction, else `name` itself ("" for
 * NULL). Borrowed. */
const char *config_direction_label_of(const struct config *cfg,
    const char *name, const char *lang);

/* The index of the direction named `name` (its name or its English label,
 * case and ё ignored), or -1. */
int config_direction_find(const struct config *cfg, const char *name);

#endif
