/* Configuration: the defaults, releasing it, and the lookups on a loaded
 * one (admins, directions); config_load.c reads and validates the file
 * (see config.h). */
#include "dobrobot/core/config.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

static const char *const default_directions[] = {
    "культура",
    "спорт",
    "социальное",
    "патриотическое",
    "туризм",
    "психология",
};
static const char *const default_directions_en[] = {
    "culture",
    "sport",
    "social",
    "patriotic",
    "tourism",
    "psychology",
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
	cfg->council_name = xstrdup("Совет некоммерческих организаций и "
	                            "добровольцев города");
	cfg->poll_timeout_s = 50;
	cfg->max_pledge_kopecks = (int64_t)10000000 *
	    100; /* 10 million rubles */
	cfg->pledge_expiry_days = 14;
	for (size_t i = 0;
	     i < sizeof default_directions / sizeof *default_directions; i++) {
		cfg->directions_en[i] = xstrdup(default_directions_en[i]);
		cfg->directions[cfg->n_directions++] =
		    xstrdup(default_directions[i]);
	}
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
	cfg->limits.backlog_replies = 500;
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
	free(cfg->site_dir);
	free(cfg->site_base_url);
	free(cfg->council_name);
	for (size_t i = 0; i < cfg->n_directions; i++) {
		free(cfg->directions[i]);
		free(cfg->directions_en[i]);
	}
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

const char *
config_direction_label(const struct config *cfg, size_t i, const char *lang)
{
	if (i >= cfg->n_directions)
		return "";
	if (lang != NULL && strcmp(lang, "en") == 0 &&
	    cfg->directions_en[i] != NULL)
		return cfg->directions_en[i];
	return cfg->directions[i];
}

const char *
config_direction_label_of(const struct config *cfg, const char *name,
    const char *lang)
{
	if (name == NULL)
		return "";
	for (size_t i = 0; i < cfg->n_directions; i++)
		if (strcmp(cfg->directions[i], name) == 0)
			return config_direction_label(cfg, i, lang);
	return name;
}

int
config_direction_find(const struct config *cfg, const char *name)
{
	char *t = utf8_trim(name);
	char *q = utf8_casefold(t);
	free(t);
	int found = -1;
	for (size_t i = 0; i < cfg->n_directions && found < 0; i++) {
		char *d = utf8_casefold(cfg->directions[i]);
		char *e = cfg->directions_en[i] != NULL
		    ? utf8_casefold(cfg->directions_en[i])
		    : NULL;
		if (strcmp(d, q) == 0 || (e != NULL && strcmp(e, q) == 0))
			found = (int)i;
		free(d);
		free(e);
	}
	free(q);
	return found;
}
