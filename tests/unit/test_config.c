/* Configuration validation: defaults, key paths in errors, the token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/core/config.h"

static char *
load_error(const char *json)
{
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	int rc = config_load_string(&cfg, json, &cause);
	config_release(&cfg);
	if (rc == 0) {
		free(cause);
		return NULL;
	}
	assert_non_null(cause);
	return cause;
}

static void
expect_error(const char *json, const char *message)
{
	char *cause = load_error(json);
	if (cause == NULL)
		fail_msg("accepted %s", json);
	if (strstr(cause, message) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", cause,
		    message);
	free(cause);
}

static void
test_defaults(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_int_equal(config_load_string(&cfg, "{}", &cause), 0);
	assert_string_equal(cfg.api_base, "https://api.telegram.org");
	assert_string_equal(cfg.locale, "ru");
	assert_string_equal(cfg.timezone, "Asia/Yakutsk");
	assert_string_equal(cfg.currency, "RUB");
	assert_int_equal(cfg.limits.global_per_s, 30);
	assert_int_equal(cfg.limits.chat_per_s, 1);
	assert_int_equal(cfg.limits.group_per_min, 20);
	assert_int_equal(cfg.limits.send_timeout_ms, 30000);
	assert_int_equal(cfg.n_directions, 6);
	assert_string_equal(cfg.directions[0], "культура");
	config_release(&cfg);
}

static void
test_full(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_int_equal(
	    config_load_string(&cfg,
	        "{\"api_base\": \"http://127.0.0.1:8081/\", \"locale\": \"en\","
	        " \"timezone\": \"Europe/Moscow\", \"admins\": [42, 7],"
	        " \"leaders_chat_id\": -100123, \"poll_timeout_s\": 25,"
	        " \"limits\": {\"global_per_s\": 20, \"paid_broadcast\": true}}",
	        &cause),
	    0);
	assert_string_equal(cfg.api_base, "http://127.0.0.1:8081");
	assert_true(config_is_admin(&cfg, 42));
	assert_true(config_is_admin(&cfg, 7));
	assert_false(config_is_admin(&cfg, 8));
	assert_int_equal(cfg.leaders_chat_id, -100123);
	assert_int_equal(cfg.limits.global_per_s, 20);
	assert_true(cfg.limits.paid_broadcast);
	assert_int_equal(cfg.limits.chat_per_s, 1);
	/* Paid mode keeps enough requests in flight for 1000/s at 200 ms. */
	assert_int_equal(cfg.limits.max_in_flight, 200);
	config_release(&cfg);
}

static void
test_in_flight_follows_paid_budget(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_int_equal(cfg.limits.max_in_flight, 16);
	/* The operator's own number wins. */
	assert_int_equal(
	    config_load_string(&cfg,
	        "{\"limits\": {\"paid_broadcast\": true, \"max_in_flight\": 32}}",
	        &cause),
	    0);
	assert_int_equal(cfg.limits.max_in_flight, 32);
	config_release(&cfg);
	config_defaults(&cfg);
	assert_int_equal(
	    config_load_string(&cfg,
	        "{\"limits\": {\"paid_broadcast\": true, \"paid_per_s\": 5000}}",
	        &cause),
	    0);
	assert_int_equal(cfg.limits.max_in_flight, 256);
	config_release(&cfg);
	config_defaults(&cfg);
	assert_int_equal(config_load_string(&cfg,
	                     "{\"limits\": {\"paid_broadcast\": false}}",
	                     &cause),
	    0);
	assert_int_equal(cfg.limits.max_in_flight, 16);
	config_release(&cfg);
}

static void
test_digest(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_true(cfg.digest.enabled);
	assert_int_equal(cfg.digest.weekday, 1);
	assert_int_equal(cfg.digest.hour, 10);
	assert_int_equal(config_load_string(&cfg,
	                     "{\"digest\": {\"enabled\": false, \"weekday\": 7,"
	                     " \"hour\": 0}}",
	                     &cause),
	    0);
	assert_false(cfg.digest.enabled);
	assert_int_equal(cfg.digest.weekday, 7);
	assert_int_equal(cfg.digest.hour, 0);
	config_release(&cfg);
	expect_error("{\"digest\": {\"weekday\": 0}}", "digest.weekday:");
	expect_error("{\"digest\": {\"weekday\": 8}}",
	    "digest.weekday: 8 is out of range (1..7)");
	expect_error("{\"digest\": {\"hour\": 24}}",
	    "digest.hour: 24 is out of range (0..23)");
	expect_error("{\"digest\": {\"hour\": -1}}", "digest.hour:");
	expect_error("{\"digest\": {\"enabled\": 1}}",
	    "digest.enabled: expected true or false");
	expect_error("{\"digest\": {\"day\": 1}}", "digest.day: unknown key");
	expect_error("{\"digest\": true}", "digest: expected an object");
}

/* The public website: "site": {"dir", "base_url"}; absent, both NULL. */
static void
test_site(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_null(cfg.site_dir);
	assert_null(cfg.site_base_url);
	assert_int_equal(config_load_string(&cfg,
	                     "{\"site\": {\"dir\": \"/srv/site\", \"base_url\":"
	                     " \"https://dobro.example.org/sovet//\"}}",
	                     &cause),
	    0);
	assert_string_equal(cfg.site_dir, "/srv/site");
	assert_string_equal(cfg.site_base_url,
	    "https://dobro.example.org/sovet");
	config_release(&cfg);
	expect_error("{\"site\": {\"dir\": \"\"}}",
	    "site.dir: must not be empty");
	expect_error("{\"site\": {\"base_url\": \"dobro.example.org\"}}",
	    "site.base_url: expected an http:// or https:// address");
	expect_error("{\"site\": {\"path\": \"/x\"}}",
	    "site.path: unknown key");
	expect_error("{\"site\": \"/srv/site\"}", "site: expected an object");
	expect_error("{\"site\": {\"dir\": \"/srv/site\"}}",
	    "site: give both dir and base_url");
}

/* How long an unreceived pledge lives: 14 days by default, 0 for ever,
 * never 1 (the reminder goes a day before the lapse). */
static void
test_pledge_expiry(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	assert_int_equal(cfg.pledge_expiry_days, 14);
	assert_int_equal(config_load_string(&cfg, "{\"pledge_expiry_days\": 0}",
	                     &cause),
	    0);
	assert_int_equal(cfg.pledge_expiry_days, 0);
	assert_int_equal(config_load_string(&cfg,
	                     "{\"pledge_expiry_days\": 30}", &cause),
	    0);
	assert_int_equal(cfg.pledge_expiry_days, 30);
	config_release(&cfg);
	expect_error("{\"pledge_expiry_days\": 1}",
	    "pledge_expiry_days: expected 0 (pledges never lapse) or 2 to 365");
	expect_error("{\"pledge_expiry_days\": 366}",
	    "pledge_expiry_days: 366 is out of range (0..365)");
	expect_error("{\"pledge_expiry_days\": -1}", "pledge_expiry_days:");
	expect_error("{\"pledge_expiry_days\": \"7\"}",
	    "pledge_expiry_days: expected an integer");
}

static void
test_errors_name_the_key(void **state)
{
	(void)state;
	expect_error("{\"limits\": {\"global_per_s\": 0}}",
	    "config: limits.global_per_s: expected a positive integer");
	expect_error("{\"limits\": {\"global_per_s\": \"30\"}}",
	    "config: limits.global_per_s: expected a positive integer");
	expect_error("{\"limits\": {\"max_in_flight\": 100000}}",
	    "limits.max_in_flight: 100000 is out of range");
	expect_error("{\"limits\": {\"send_timeout_ms\": 50}}",
	    "limits.send_timeout_ms: 50 is out of range");
	expect_error("{\"limits\": {\"speed\": 1}}",
	    "limits.speed: unknown key");
	expect_error("{\"limits\": []}", "limits: expected an object");
	expect_error("{\"tokne_file\": \"x\"}", "tokne_file: unknown key");
	expect_error("{\"locale\": \"de\"}",
	    "locale: expected \"ru\" or \"en\"");
	expect_error("{\"timezone\": \"Mars/Olympus\"}", "timezone: unknown");
	expect_error("{\"timezone\": \"../../etc/passwd\"}", "timezone:");
	expect_error("{\"admins\": [1, \"x\"]}", "admins[1]:");
	expect_error("{\"admins\": 5}", "admins: expected an array");
	expect_error("{\"leaders_chat_id\": 5}", "leaders_chat_id:");
	expect_error("{\"poll_timeout_s\": 51}", "poll_timeout_s:");
	expect_error("{\"currency\": \"USD\"}", "currency:");
	expect_error("{\"log_level\": \"loud\"}", "log_level:");
	expect_error("{\"directions\": []}", "directions:");
	expect_error("{\"db_path\": \"\"}", "db_path: must not be empty");
	expect_error("[1]", "expected a JSON object");
	expect_error("{\"a\": ", "line 1");
	expect_error("{\"locale\": \"ru\", \"locale\": \"en\"}", "duplicate");
}

static void
test_api_base_must_be_https(void **state)
{
	(void)state;
	expect_error("{\"api_base\": \"http://api.telegram.org\"}",
	    "api_base: must start with https://");
	expect_error("{\"api_base\": \"http://127.0.0.1.evil.com\"}",
	    "api_base: must start with https://");
	expect_error("{\"api_base\": \"ftp://x\"}", "api_base");
	assert_null(load_error("{\"api_base\": \"http://localhost:9/\"}"));
	assert_null(load_error("{\"api_base\": \"http://[::1]:9\"}"));
	assert_null(load_error("{\"api_base\": \"https://tg.example.org\"}"));
}

static void
test_token_sources(void **state)
{
	(void)state;
	struct config cfg;
	char *cause = NULL;
	config_defaults(&cfg);
	setenv("DOBROBOT_TOKEN", "123:abcdefghijklmnopqrstuvwxyz", 1);
	char *t = config_read_token(&cfg, &cause);
	assert_string_equal(t, "123:abcdefghijklmnopqrstuvwxyz");
	free(t);

	setenv("DOBROBOT_TOKEN", "123:abc def ghijklmnopqrstu", 1);
	assert_null(config_read_token(&cfg, &cause));
	assert_null(strstr(cause, "abc def"));
	free(cause);

	unsetenv("DOBROBOT_TOKEN");
	assert_null(config_read_token(&cfg, &cause));
	assert_non_null(strstr(cause, "DOBROBOT_TOKEN"));
	free(cause);

	char path[] = "/tmp/dobrobot-token-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("987:ZYXWVUTSRQPONMLKJIHGFEDCBA_-\n", f);
	fclose(f);
	cfg.token_file = strdup(path);
	t = config_read_token(&cfg, &cause);
	assert_string_equal(t, "987:ZYXWVUTSRQPONMLKJIHGFEDCBA_-");
	free(t);
	unlink(path);
	config_release(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_in_flight_follows_paid_budget),
	    cmocka_unit_test(test_digest),
	    cmocka_unit_test(test_site),
	    cmocka_unit_test(test_pledge_expiry),
	    cmocka_unit_test(test_errors_name_the_key),
	    cmocka_unit_test(test_api_base_must_be_https),
	    cmocka_unit_test(test_token_sources),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
