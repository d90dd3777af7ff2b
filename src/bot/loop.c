/* The event loop (see bot.h): start-up checks, the long poll, the sender,
 * signals and a clean stop. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/bot/bot.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/handlers/handler.h"
#include "dobrobot/core/log.h"
#include "dobrobot/handlers/menus.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/bot/ratelimit.h"
#include "dobrobot/bot/sender.h"
#include "dobrobot/site/site.h"
#include "dobrobot/tg/tg.h"
#include "dobrobot/store/updates.h"
#include "dobrobot/core/xalloc.h"

#define SHUTDOWN_GRACE_MS 5000
#define HEARTBEAT_EVERY_MS 10000
#define PRUNE_EVERY_MS (3600 * 1000)
#define POLL_BACKOFF_BASE_MS 1000
#define POLL_BACKOFF_CAP_MS 60000
#define CONFLICT_BACKOFF_MS 5000
/* The public site is looked at this often and regenerated when what it
 * shows changed: a burst of pledges makes one regeneration, not one each. */
#define SITE_DEBOUNCE_MS 3000
#define SITE_RETRY_MS 60000
/* A closing photo that could not be fetched is tried again this late, not
 * at every change: a photo Telegram will not serve must not hold the rest
 * of the site back. */
#define SITE_PHOTO_RETRY_MS (10 * 60000)
/* A batch that moved the offset nowhere (updates without update_id, which
 * cannot be confirmed) comes back at once: polls back off, but no further
 * than this, since everyone else's updates wait behind it. */
#define STUCK_BACKOFF_CAP_MS 8000
/* After an unreadable getUpdates answer, at most this many polls fetch
 * one update each (a batch holds at most 100), to find the bad one. */
#define ISOLATE_POLLS 100
/* An unreadable one-update answer is asked for once more before its
 * update is set aside: a one-off garbled answer must not cost an update. */
#define ISOLATE_RETRY_MS 200
/* While limits.backlog_replies replies wait, the poll is looked at again
 * this often: the sender frees room a reply at a time. */
#define BACKLOG_RECHECK_MS 20
/* A paused intake is logged at most this often: under a long flood it
 * pauses again after every batch. */
#define BACKLOG_LOG_EVERY_MS 60000

static const char allowed_updates[] =
    "[\"message\",\"callback_query\",\"my_chat_member\"]";

struct bot {
	const struct config *cfg;
	struct store *st;
	struct tg_client *tg;
	struct sender *sender;
	struct router_env env;
	char *username;
	struct tg_call *poll;
	int64_t
	    offset; /* 0: let Telegram start from the earliest unconfirmed */
	int poll_failures;
	int64_t poll_at; /* monotonic ms: do not poll before */
	/* > 0 after an unreadable answer: polls left that fetch one update
	 * each (limit=1) to isolate the update that made it unreadable. */
	int isolating;
	bool have_suspect; /* an unreadable one-update answer named... */
	int64_t suspect_id; /* ...this update_id; once more and it goes */
	uint64_t rng;
	bool stopping;
	int exit_code;
	int64_t last_heartbeat;
	int64_t last_prune;
	int64_t *job_last; /* per job_table row, monotonic ms */
	char *site_seen; /* the fingerprint the site was last written at */
	int64_t site_next; /* monotonic ms: do not look before */
	int64_t site_photos_at; /* monotonic ms: retry missing photos; 0 none */
	bool intake_paused; /* limits.backlog_replies replies wait */
	int64_t intake_logged; /* monotonic ms of the last pause logged */
};

static int wake_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;
	if (write(wake_pipe[1], &c, 1) < 0) {
		/* The pipe is full: a wake-up is already pending. */
	}
	errno = saved;
}

static int
install_signals(void)
{
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

static bool
signal_pending(void)
{
	char c;
	bool got = false;
	while (read(wake_pipe[0], &c, 1) == 1)
		got = true;
	return got;
}

static void
poll_backoff(struct bot *b, int64_t min_ms)
{
	b->poll_failures++;
	int64_t d = backoff_delay_ms(b->poll_failures, POLL_BACKOFF_BASE_MS,
	    POLL_BACKOFF_CAP_MS, &b->rng);
	if (d < min_ms)
		d = min_ms;
	b->poll_at = clock_mono_ms() + d;
}

static void
poll_soon(struct bot *b, int64_t delay_ms)
{
	b->poll_at = clock_mono_ms() + delay_ms;
}

/* A getUpdates answer that no parser reads (issue 17: one update made the
 * whole batch unreadable, and it was fetched again forever). The bad update
 * is isolated by fetching one update at a time; a one-update answer that is
 * still unreadable, twice, with an update_id that can be read from its
 * bytes, is set aside (bot_set_aside_unreadable) and the offset moves past
 * it. Without an update_id nothing can be confirmed: polls back off. */
static void
on_unreadable(struct bot *b, struct tg_result *res)
{
	int64_t id = 0;
	if (b->isolating == 0) {
		log_warn("a getUpdates answer could not be read (%s): fetching "
		         "updates one by one to find the one that makes it so",
		    res->err.description);
		b->isolating = ISOLATE_POLLS;
		b->have_suspect = false;
		poll_soon(b, 0);
		return;
	}
	if (!tg_scan_update_id(res->body, res->body_len, &id)) {
		log_warn("an unreadable getUpdates answer names no update_id; "
		         "retrying");
		b->have_suspect = false;
		poll_backoff(b, 0);
		return;
	}
	if (!b->have_suspect || b->suspect_id != id) {
		b->have_suspect = true;
		b->suspect_id = id;
		poll_soon(b, ISOLATE_RETRY_MS);
		return;
	}
	if (bot_set_aside_unreadable(&b->env, id, res->body, res->body_len,
	        "the getUpdates answer with this update could not be read as "
	        "JSON") < 0) {
		log_error("could not set aside unreadable update %lld; it will "
		          "be fetched again",
		    (long long)id);
		poll_backoff(b, 0);
		return;
	}
	b->offset = id + 1;
	b->isolating = 0;
	b->have_suspect = false;
	b->poll_failures = 0;
	poll_soon(b, 0);
}

static void
on_updates(void *arg, struct tg_result *res)
{
	struct bot *b = arg;
	b->poll = NULL;
	if (res->outcome == TG_OK && json_is_array(res->result)) {
		int64_t next = 0;
		int64_t asked = b->offset;
		size_t n = json_array_size(res->result);
		if (bot_process_batch(&b->env, res->result, &next) == 0) {
			if (next != 0)
				b->offset = next;
			sender_kick(b->sender);
			b->have_suspect = false;
			if (b->isolating > 0 && (n == 0 || --b->isolating == 0))
				b->isolating = 0;
			if (n > 0 && b->offset == asked) {
				/* Nothing confirmable: the same batch would
				 * come back at once, forever. */
				b->poll_failures++;
				poll_soon(b,
				    backoff_delay_ms(b->poll_failures,
				        POLL_BACKOFF_BASE_MS,
				        STUCK_BACKOFF_CAP_MS, &b->rng));
			} else {
				b->poll_failures = 0;
			}
		} else {
			log_error(
			    "could not commit a batch; it will be fetched "
			    "again");
			poll_backoff(b, 0);
		}
	} else if (res->outcome == TG_API_ERROR && res->err.code == 401) {
		log_error(
		    "Telegram rejected the token (401 %s): check "
		    "DOBROBOT_TOKEN; it may have been revoked in @BotFather",
		    res->err.description);
		b->stopping = true;
		b->exit_code = 1;
	} else if (res->outcome == TG_API_ERROR && res->err.code == 409) {
		log_error(
		    "409 Conflict: %s. Another dobrobot (or another "
		    "program) is polling with this token, or a webhook is set; "
		    "retrying in a few seconds",
		    res->err.description);
		poll_backoff(b, CONFLICT_BACKOFF_MS);
	} else if (res->outcome == TG_API_ERROR && res->err.code == 429) {
		poll_backoff(b, (int64_t)res->err.retry_after * 1000);
	} else if (res->outcome == TG_BAD_RESPONSE && res->body != NULL &&
	    !b->stopping) {
		on_unreadable(b, res);
	} else if (!b->stopping) {
		log_warn("getUpdates failed: %s",
		    res->err.description ? res->err.description
		                         : "result is not an array");
		poll_backoff(b, 0);
	}
	tg_result_release(res);
}

static void
start_poll(struct bot *b)
{
	/* Isolating: one update per answer, and no waiting, so that an empty
	 * answer ends the search at once. */
	json_t *params = json_pack("{s:i, s:i}", "timeout",
	    b->isolating > 0 ? 0 : b->cfg->poll_timeout_s, "limit",
	    b->isolating > 0 ? 1 : 100);
	if (b->offset != 0)
		json_object_set_new(params, "offset", json_integer(b->offset));
	json_object_set_new(params, "allowed_updates",
	    json_loads(allowed_updates, 0, NULL));
	/* The read timeout outlasts the poll timeout, so that an idle poll is
	 * answered by Telegram, not cut by us. */
	long timeout_ms = ((long)b->cfg->poll_timeout_s + 15) * 1000;
	b->poll = tg_call_start(b->tg, "getUpdates", params, timeout_ms,
	    on_updates, b);
	json_decref(params);
	if (b->poll == NULL)
		poll_backoff(b, 0);
}

/* The bot takes in no faster than it answers: while limits.backlog_replies
 * replies wait to be sent, no new updates are fetched. They wait at
 * Telegram, unconfirmed (it keeps them a day), rather than in the outbox,
 * where every reply of the backlog would make each new update's work
 * dearer (a chat's waiting replies are counted at each of its updates) and
 * the database larger. A chat's own replies are capped far lower
 * (limits.pending_replies), so the backlog is many chats'. Returns whether
 * a poll may start now. */
static bool
intake_open(struct bot *b)
{
	int limit = b->cfg->limits.backlog_replies;
	int waiting = outbox_replies_waiting(b->st, limit);
	bool full = waiting >= limit;
	int64_t now = clock_mono_ms();
	if (full && !b->intake_paused &&
	    (b->intake_logged == 0 ||
	        now - b->intake_logged >= BACKLOG_LOG_EVERY_MS)) {
		log_info("%d replies wait to be sent: new updates wait at "
		         "Telegram until fewer do (limits.backlog_replies)",
		    waiting);
		b->intake_logged = now;
	}
	b->intake_paused = full;
	if (full)
		poll_soon(b, BACKLOG_RECHECK_MS);
	return !full;
}

/* getMe: learns the bot's username (for /cmd@name and deep links) and checks
 * the token. Network trouble at start is waited out; 401 is fatal. */
static int
identify(struct bot *b)
{
	for (int attempt = 1; !b->stopping; attempt++) {
		struct tg_result res;
		if (tg_call_sync(b->tg, "getMe", NULL, 15000, &res) < 0)
			return -1;
		if (res.outcome == TG_OK) {
			const char *u =
			    json_string_value(json_object_get(res.result,
			        "username"));
			b->username = xstrdup(u ? u : "");
			tg_result_release(&res);
			return 0;
		}
		if (res.outcome == TG_API_ERROR &&
		    (res.err.code == 401 || res.err.code == 404)) {
			log_error("Telegram rejected the token (%d %s): check "
			          "DOBROBOT_TOKEN; it may have been revoked in "
			          "@BotFather",
			    res.err.code, res.err.description);
			tg_result_release(&res);
			return -1;
		}
		int64_t d = backoff_delay_ms(attempt, POLL_BACKOFF_BASE_MS,
		    POLL_BACKOFF_CAP_MS, &b->rng);
		log_warn("getMe failed (%s); retrying in %lld ms",
		    res.err.description, (long long)d);
		tg_result_release(&res);
		int64_t until = clock_mono_ms() + d;
		while (clock_mono_ms() < until && !b->stopping) {
			tg_client_run(b->tg, (int)(until - clock_mono_ms()),
			    wake_pipe[0]);
			if (signal_pending())
				b->stopping = true;
		}
	}
	return -1;
}

/* Best effort: a webhook left from another deployment would make every
 * getUpdates fail with 409. Pending updates are kept. */
static void
delete_webhook(struct bot *b)
{
	struct tg_result res;
	if (tg_call_sync(b->tg, "deleteWebhook", NULL, 15000, &res) == 0)
		tg_result_release(&res);
}

/* The command menus (menus.c), computed afresh at every start: they go out
 * through the outbox like everything the bot says. */
static void
set_commands(struct bot *b)
{
	if (store_begin(b->st) < 0)
		return;
	if (menus_refresh_all(b->st, b->cfg) < 0 || store_commit(b->st) < 0) {
		log_warn("could not prepare the command menus");
		store_rollback(b->st);
	}
}

static void
housekeeping(struct bot *b)
{
	int64_t now = clock_mono_ms();
	if (now - b->last_heartbeat >= HEARTBEAT_EVERY_MS) {
		store_state_set_int(b->st, "heartbeat", clock_wall_ms() / 1000);
		b->last_heartbeat = now;
	}
	if (now - b->last_prune >= PRUNE_EVERY_MS) {
		int n = updates_prune(b->st, clock_wall_ms());
		if (n > 0)
			log_info("forgot %d processed update ids older than a "
			         "week",
			    n);
		n = outbox_forget_payloads(b->st, clock_wall_ms());
		if (n > 0)
			log_info("emptied %d sent messages older than a week",
			    n);
		b->last_prune = now;
	}
}

/* Periodic jobs (progress edits, reminders, reports), each in a
 * transaction of its own, so that one failing job rolls back alone. */
static void
run_jobs(struct bot *b)
{
	int64_t now = clock_mono_ms();
	struct job_ctx ctx = {
	    .st = b->st,
	    .cfg = b->cfg,
	    .bot_username = b->username,
	};
	for (size_t i = 0; i < job_table_len; i++) {
		const struct job_entry *j = &job_table[i];
		if (j->run == NULL || now - b->job_last[i] < j->every_ms)
			continue;
		b->job_last[i] = now;
		ctx.now_ms = clock_wall_ms();
		int before = sqlite3_total_changes(store_db(b->st));
		if (store_begin(b->st) < 0)
			return;
		if (j->run(&ctx) < 0) {
			log_error("job %s failed; rolled back", j->name);
			store_rollback(b->st);
			continue;
		}
		if (store_commit(b->st) < 0)
			store_rollback(b->st);
		/* Most runs find nothing to do: only a job that wrote rows (an
		 * outbox row among them, maybe) makes the sender look again. */
		else if (sqlite3_total_changes(store_db(b->st)) != before)
			sender_kick(b->sender);
	}
}

/* Regenerates the public site (site.dir) when the data it shows changed
 * since it was last written, at most every SITE_DEBOUNCE_MS, between
 * batches: never inside the transaction of a batch or a job. Only the
 * files whose bytes changed are rewritten. */
static void
site_refresh(struct bot *b)
{
	if (b->cfg->site_dir == NULL || clock_mono_ms() < b->site_next)
		return;
	b->site_next = clock_mono_ms() + SITE_DEBOUNCE_MS;
	char *now = site_fingerprint(b->st);
	bool photos_due = b->site_photos_at != 0 &&
	    clock_mono_ms() >= b->site_photos_at;
	if (now == NULL ||
	    (b->site_seen != NULL && !photos_due &&
	        strcmp(now, b->site_seen) == 0)) {
		free(now);
		return;
	}
	struct site_stats stats;
	char *cause = NULL;
	int64_t t0 = clock_mono_ms();
	/* While a photo is being waited out, none is fetched (a slow
	 * Telegram would stall the loop at every change): a new one waits
	 * for the retry too. */
	bool fetch = b->site_photos_at == 0 || photos_due;
	if (site_generate(b->st, b->cfg, b->cfg->site_dir,
	        fetch ? site_fetch_photo : NULL, b->tg, &stats, &cause) < 0) {
		log_error("could not write the site to %s: %s; trying again "
		          "in a minute",
		    b->cfg->site_dir, cause);
		free(cause);
		free(now);
		b->site_next = clock_mono_ms() + SITE_RETRY_MS;
		return;
	}
	log_info("site: %zu of %zu files rewritten in %lld ms",
	    stats.files_written, stats.files,
	    (long long)(clock_mono_ms() - t0));
	free(b->site_seen);
	b->site_seen = now;
	if (stats.photos_missing == 0)
		b->site_photos_at = 0;
	else if (fetch)
		b->site_photos_at = clock_mono_ms() + SITE_PHOTO_RETRY_MS;
}

static void
run_loop(struct bot *b)
{
	int64_t stop_deadline = 0;
	for (;;) {
		clock_refresh_offset();
		if (signal_pending() && !b->stopping) {
			log_info("stopping: finishing messages in flight");
			b->stopping = true;
		}
		if (sender_unauthorized(b->sender) && !b->stopping) {
			log_error("Telegram rejected the token (401) while "
			          "sending; stopping");
			b->stopping = true;
			b->exit_code = 1;
		}
		if (b->stopping) {
			if (stop_deadline == 0) {
				stop_deadline = clock_mono_ms() +
				    SHUTDOWN_GRACE_MS;
				sender_drain_only(b->sender);
				if (b->poll != NULL)
					tg_call_abort(b->tg, b->poll);
			}
			if (sender_in_flight(b->sender) == 0 ||
			    clock_mono_ms() >= stop_deadline)
				break;
		}
		if (!b->stopping && b->poll == NULL &&
		    clock_mono_ms() >= b->poll_at && intake_open(b))
			start_poll(b);
		housekeeping(b);
		/* Before the sender reads the clock, never between its
		 * decision and the requests leaving. */
		store_checkpoint_due(b->st);
		if (!b->stopping) {
			run_jobs(b);
			site_refresh(b);
		}
		int64_t wait = sender_tick(b->sender);
		if (b->poll == NULL && !b->stopping) {
			int64_t until_poll = b->poll_at - clock_mono_ms();
			if (wait < 0 || until_poll < wait)
				wait = until_poll;
		}
		if (wait < 0 || wait > 1000)
			wait = 1000;
		if (wait < 1)
			wait = 1;
		if (tg_client_run(b->tg, (int)wait, wake_pipe[0]) < 0) {
			b->exit_code = 1;
			break;
		}
	}
	/* Whatever is still in flight may or may not arrive: record it as
	 * pending and uncertain, then write what we know. */
	tg_client_abort_all(b->tg);
	sender_tick(b->sender);
}

int
bot_run(const struct config *cfg, const char *token)
{
	struct bot b;
	char *cause = NULL;
	memset(&b, 0, sizeof b);
	b.cfg = cfg;
	b.rng = (uint64_t)clock_wall_ms() | 1;
	if (install_signals() < 0) {
		log_error("cannot set up signal handling: %s", strerror(errno));
		return 1;
	}
	b.st = store_open(cfg->db_path, true, &cause);
	if (b.st == NULL) {
		log_error("%s", cause);
		free(cause);
		return 1;
	}
	int uncertain = outbox_recover(b.st);
	if (uncertain > 0)
		log_warn(
		    "%d messages were in flight at the last stop; they will "
		    "be sent again and may arrive twice",
		    uncertain);
	int64_t last = 0;
	if (store_state_get_int(b.st, "last_update_id", &last) == 0)
		b.offset = last + 1;

	b.tg = tg_client_new(cfg->api_base, token, cfg->limits.max_in_flight);
	if (identify(&b) < 0) {
		b.exit_code = b.stopping ? 0 : 1;
		goto out;
	}
	store_state_set(b.st, "bot_username", b.username);
	log_info("dobrobot started as @%s, api %s, database %s", b.username,
	    cfg->api_base, cfg->db_path);
	delete_webhook(&b);
	set_commands(&b);
	b.env.st = b.st;
	b.env.cfg = cfg;
	b.env.bot_username = b.username;
	b.sender = sender_new(b.st, b.tg, cfg);
	/* Every job and the pruning run at once: the monotonic clock counts
	 * from boot, which may be less than an hour ago. */
	b.job_last = xcalloc(job_table_len, sizeof *b.job_last);
	for (size_t i = 0; i < job_table_len; i++)
		b.job_last[i] = clock_mono_ms() - job_table[i].every_ms;
	b.last_prune = clock_mono_ms() - PRUNE_EVERY_MS;
	run_loop(&b);
	log_info("stopped");
out:
	sender_free(b.sender);
	tg_client_free(b.tg);
	store_close(b.st);
	free(b.username);
	free(b.job_last);
	free(b.site_seen);
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	return b.exit_code;
}
