/* The outbox sender (see sender.h). */
#include "dobrobot/bot/sender.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/base64.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/core/clock.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/bot/ratelimit.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/store/users.h"
#include "dobrobot/core/xalloc.h"

/* How long a fetched list of candidates is trusted before it is read again:
 * rows written by other paths (a CLI, a restart) show up within this. */
#define CANDIDATES_TTL_MS 250
/* Answers are recorded, and freed slots refilled, in batches: at most this
 * long after the first answer of a batch arrived. One commit (one fsync)
 * then covers many messages instead of one each. */
#define BATCH_MS 10
#define RETRY_CAP_MS (5 * 60 * 1000)

struct flight {
	struct sender *s;
	struct outbox_row row;
	struct tg_call *call; /* while active */
	bool paid;
	bool active;
	/* Started, its 'sending' mark not yet committed: until then the
	 * transfer must not begin (see withdraw_unmarked). */
	bool unmarked;
};

struct finished {
	struct outbox_row row;
	struct tg_result res;
};

struct sender {
	struct store *st;
	struct tg_client *tg;
	const struct config *cfg;
	struct ratelimit *rl;
	struct flight *flights; /* max_in_flight slots */
	size_t n_flights;
	struct finished *done; /* answers not yet recorded */
	size_t n_done, cap_done;
	struct outbox_row *cand;
	size_t n_cand;
	bool dirty;
	int64_t fetched_at;
	bool drain_only;
	bool unauthorized;
	uint64_t rng;
	int64_t last_429_chat;
	int64_t last_429_at;
	int64_t last_gc;
	int64_t next_due; /* wall ms of the next row not yet due, 0: none */
	int64_t first_done_at; /* mono ms the oldest unrecorded answer came */
	struct sender_stats stats;
};

struct sender *
sender_new(struct store *st, struct tg_client *tg, const struct config *cfg)
{
	struct sender *s = xcalloc(1, sizeof *s);
	s->st = st;
	s->tg = tg;
	s->cfg = cfg;
	struct ratelimit_config rc = {
	    .global_per_s = cfg->limits.global_per_s,
	    .paid_per_s = cfg->limits.paid_per_s,
	    .chat_per_s = cfg->limits.chat_per_s,
	    .chat_burst = cfg->limits.chat_burst,
	    .group_per_min = cfg->limits.group_per_min,
	    .pace = true,
	};
	s->rl = ratelimit_new(&rc);
	s->flights = xcalloc((size_t)cfg->limits.max_in_flight,
	    sizeof *s->flights);
	s->dirty = true;
	s->rng = (uint64_t)clock_wall_ms() | 1;
	return s;
}

static void
drop_candidates(struct sender *s)
{
	for (size_t i = 0; i < s->n_cand; i++)
		outbox_row_release(&s->cand[i]);
	free(s->cand);
	s->cand = NULL;
	s->n_cand = 0;
}

void
sender_free(struct sender *s)
{
	if (s == NULL)
		return;
	drop_candidates(s);
	for (size_t i = 0; i < s->n_done; i++) {
		outbox_row_release(&s->done[i].row);
		tg_result_release(&s->done[i].res);
	}
	free(s->done);
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++)
		outbox_row_release(&s->flights[i].row);
	free(s->flights);
	ratelimit_free(s->rl);
	free(s);
}

void
sender_kick(struct sender *s)
{
	s->dirty = true;
}

void
sender_drain_only(struct sender *s)
{
	s->drain_only = true;
}

size_t
sender_in_flight(const struct sender *s)
{
	return s->n_flights;
}

bool
sender_unauthorized(const struct sender *s)
{
	return s->unauthorized;
}

const struct sender_stats *
sender_stats(const struct sender *s)
{
	return &s->stats;
}

static void
on_answer(void *arg, struct tg_result *res)
{
	struct flight *f = arg;
	struct sender *s = f->s;
	s->done = xgrow(s->done, s->n_done, &s->cap_done, 16, sizeof *s->done);
	s->done[s->n_done].row = f->row;
	s->done[s->n_done].res = *res;
	if (s->n_done++ == 0)
		s->first_done_at = clock_mono_ms();
	memset(&f->row, 0, sizeof f->row);
	f->call = NULL;
	f->active = false;
	s->n_flights--;
	/* The chat's next row is read on the next refetch: when the list
	 * runs out, when it is older than CANDIDATES_TTL_MS, or when
	 * recording this answer changed the queue (see record). */
	if (s->n_cand == 0)
		s->dirty = true;
}

static bool
chat_in_flight(const struct sender *s, int64_t chat_id)
{
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++)
		if (s->flights[i].active &&
		    s->flights[i].row.chat_id == chat_id)
			return true;
	return false;
}

static struct flight *
free_slot(struct sender *s)
{
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++)
		if (!s->flights[i].active)
			return &s->flights[i];
	return NULL;
}

/* A 429 usually concerns one chat. Two different chats limited within a
 * second mean the bot's global budget is exhausted: then everyone waits. */
static void
obey_retry_after(struct sender *s, int64_t chat_id, int retry_after)
{
	int64_t now = clock_mono_ms();
	int64_t until = now +
	    (int64_t)(retry_after > 0 ? retry_after : 1) * 1000;
	bool global = s->last_429_chat != 0 && s->last_429_chat != chat_id &&
	    now - s->last_429_at < 1000;
	ratelimit_hold(s->rl, global ? 0 : chat_id, until);
	s->last_429_chat = chat_id;
	s->last_429_at = now;
	log_warn("429 for chat %lld: waiting %d s%s", (long long)chat_id,
	    retry_after, global ? " (all chats)" : "");
	/* The limiter let this through, so requests arrive closer together
	 * than they leave: leave more room between them for a while. */
	if (ratelimit_widen(s->rl, now))
		log_warn("sending window widened to %lld ms per %d messages",
		    (long long)ratelimit_window_ms(s->rl),
		    s->cfg->limits.global_per_s);
}

/* The recipient is gone (blocked the bot, deactivated, kicked it out of the
 * group): stop writing to that chat. */
static void
chat_gone(struct sender *s, int64_t chat_id, const char *why)
{
	chats_set_active(s->st, chat_id, false);
	if (chat_id > 0)
		users_set_blocked(s->st, chat_id, true);
	int n = outbox_cancel_chat(s->st, chat_id, why);
	log_info("chat %lld is gone (%s); %d pending messages cancelled",
	    (long long)chat_id, why, n);
}

static void
record(struct sender *s, struct finished *f)
{
	struct outbox_row *row = &f->row;
	struct tg_result *r = &f->res;
	int64_t now = clock_wall_ms();

	if (r->outcome == TG_OK || tg_error_is_not_modified(r)) {
		outbox_mark_sent(s->st, row->id, r->message_id, now);
		s->stats.sent++;
		return;
	}
	const char *desc = r->err.description ? r->err.description : "?";
	/* Every outcome but a plain success changes the queue (a row comes
	 * back, or a chat's rows are cancelled or moved). */
	s->dirty = true;
	if (r->outcome == TG_API_ERROR && r->err.code == 429) {
		obey_retry_after(s, row->chat_id, r->err.retry_after);
		outbox_mark_retry(s->st, row->id, 0, desc, false, true);
		s->stats.rate_limited++;
		return;
	}
	if (r->outcome == TG_API_ERROR && r->err.migrate_to != 0) {
		log_info("chat %lld became supergroup %lld",
		    (long long)row->chat_id, (long long)r->err.migrate_to);
		outbox_mark_retry(s->st, row->id, 0, desc, false, true);
		chats_migrate(s->st, row->chat_id, r->err.migrate_to, now);
		/* A leaders' group named only in the configuration is recorded
		 * under its new id, so that later messages go there directly
		 * instead of drawing a 400 each. */
		int64_t stored = 0;
		if (s->cfg->leaders_chat_id == row->chat_id &&
		    (store_state_get_int(s->st, "leaders_chat_id", &stored) <
		            0 ||
		        stored == 0))
			leaders_chat_set(s->st, r->err.migrate_to);
		s->stats.migrated++;
		return;
	}
	if (r->outcome == TG_API_ERROR && r->err.code == 401) {
		s->unauthorized = true;
		outbox_mark_retry(s->st, row->id, 0, desc, false, true);
		return;
	}
	if (tg_error_is_blocked(r)) {
		outbox_mark_failed(s->st, row->id, desc, now);
		chat_gone(s, row->chat_id, desc);
		s->stats.blocked++;
		return;
	}
	if (tg_error_is_retryable(r) &&
	    row->attempts + 1 < s->cfg->limits.max_attempts) {
		/* row->attempts was read before this attempt was counted. */
		int64_t delay = backoff_delay_ms(row->attempts + 1,
		    s->cfg->limits.retry_base_ms, RETRY_CAP_MS, &s->rng);
		if (r->err.retry_after > 0 && r->err.retry_after * 1000 > delay)
			delay = (int64_t)r->err.retry_after * 1000;
		bool uncertain = r->maybe_delivered ||
		    (r->outcome == TG_BAD_RESPONSE && r->http_status == 200);
		outbox_mark_retry(s->st, row->id, now + delay, desc, uncertain,
		    false);
		s->stats.retried++;
		log_warn("outbox %lld to %lld: %s; retry in %lld ms",
		    (long long)row->id, (long long)row->chat_id, desc,
		    (long long)delay);
		return;
	}
	log_warn("outbox %lld to %lld failed: %s", (long long)row->id,
	    (long long)row->chat_id, desc);
	outbox_mark_failed(s->st, row->id, desc, now);
	s->stats.failed++;
}

static bool
is_paid(const struct sender *s, const struct outbox_row *row)
{
	return s->cfg->limits.paid_broadcast &&
	    strcmp(row->kind, "broadcast") == 0;
}

/* A row whose payload holds "_upload": {"field", "filename", "content"}
 * is sent as a multipart upload (sendDocument with a CSV export, say); the
 * rest of the payload becomes the form's fields. A binary file (a PDF)
 * comes as "content_base64" instead, JSON strings being UTF-8 text. */
static struct tg_call *
start_upload(struct sender *s, struct flight *f, json_t *payload,
    json_t *upload)
{
	const char *field = json_string_value(json_object_get(upload, "field"));
	const char *name = json_string_value(json_object_get(upload,
	    "filename"));
	json_t *content = json_object_get(upload, "content");
	json_t *b64 = json_object_get(upload, "content_base64");
	struct buf bytes = BUF_INIT;
	if (json_is_string(b64) && !json_is_string(content)) {
		if (base64_decode(&bytes, json_string_value(b64),
		        json_string_length(b64)) < 0)
			return NULL;
	} else if (json_is_string(content)) {
		buf_append(&bytes, json_string_value(content),
		    json_string_length(content));
	} else {
		return NULL;
	}
	if (field == NULL || name == NULL) {
		buf_release(&bytes);
		return NULL;
	}
	json_t *fields = json_copy(payload);
	json_object_del(fields, "_upload");
	struct tg_call *call = tg_call_start_upload(s->tg, f->row.method,
	    fields, field, name, buf_str(&bytes), bytes.len,
	    s->cfg->limits.send_timeout_ms, on_answer, f);
	json_decref(fields);
	buf_release(&bytes);
	return call;
}

static void
start_send(struct sender *s, struct flight *f, struct outbox_row *row)
{
	f->s = s;
	f->row = *row;
	memset(row, 0, sizeof *row);
	f->paid = is_paid(s, &f->row);
	f->active = true;
	f->unmarked = true;
	s->n_flights++;
	struct tg_call *call = NULL;
	json_t *payload = NULL;
	json_t *upload = NULL;
	if (f->paid || strstr(f->row.payload, "\"_upload\"") != NULL) {
		payload = json_loads(f->row.payload, 0, NULL);
		upload = json_object_get(payload, "_upload");
	}
	if (f->paid)
		json_object_set_new(payload, "allow_paid_broadcast",
		    json_true());
	if (upload != NULL) {
		call = start_upload(s, f, payload, upload);
	} else if (payload != NULL) {
		char *body = json_dumps(payload, JSON_COMPACT);
		call = tg_call_start_raw(s->tg, f->row.method, body,
		    s->cfg->limits.send_timeout_ms, on_answer, f);
		free(body);
	} else {
		call = tg_call_start_raw(s->tg, f->row.method, f->row.payload,
		    s->cfg->limits.send_timeout_ms, on_answer, f);
	}
	json_decref(payload);
	f->call = call;
	if (call != NULL) {
		tg_call_brief(call);
		return;
	}
	struct tg_result res;
	memset(&res, 0, sizeof res);
	res.outcome = TG_TRANSPORT;
	res.err.description = xstrdup("cannot start the request");
	on_answer(f, &res);
}

static int64_t
min_wait(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Reads the candidates again: the first ready row of each chat, and when
 * the next row that is not ready yet falls due. */
static void
refetch(struct sender *s, int64_t now)
{
	drop_candidates(s);
	size_t limit = (size_t)s->cfg->limits.max_in_flight * 4;
	if (limit < 256)
		limit = 256;
	int64_t wall = clock_wall_ms();
	outbox_ready(s->st, wall, limit, &s->cand, &s->n_cand);
	s->next_due = outbox_next_due(s->st, wall);
	s->dirty = false;
	s->fetched_at = now;
}

/* Starts what the limiter allows now; returns the wait until more may go
 * (-1: nothing waits on the limiter). The transfers begin only in the
 * next tg_client_run, after sender_tick has recorded them as 'sending'. */
static int64_t
start_allowed(struct sender *s, int64_t now, int *started)
{
	int64_t wake = -1;
	size_t kept = 0;
	for (size_t i = 0; i < s->n_cand; i++) {
		struct outbox_row *row = &s->cand[i];
		struct flight *slot = free_slot(s);
		int64_t w;
		if (slot == NULL)
			w = -1;
		else if (row->chat_id == 0)
			w = 0; /* callback answers: no chat, no limit */
		else if (chat_in_flight(s, row->chat_id))
			w = -1;
		else
			w = ratelimit_wait(s->rl, row->chat_id, is_paid(s, row),
			    now);
		if (w != 0) {
			if (w > 0)
				wake = min_wait(wake, w);
			s->cand[kept++] = *row;
			continue;
		}
		if (row->chat_id != 0)
			ratelimit_take(s->rl, row->chat_id, is_paid(s, row),
			    now);
		start_send(s, slot, row);
		(*started)++;
	}
	s->n_cand = kept;
	return wake;
}

/* Takes back a send whose 'sending' mark could not be written or
 * committed: its transfer has not begun (that happens only in the next
 * tg_client_run), so the row simply stays pending. Were it sent, a crash
 * would bring the row back as plain pending, and a duplicate would go
 * uncounted. */
static void
withdraw(struct sender *s, struct flight *f)
{
	log_warn("outbox %lld to %lld: not recorded as sending; not sent now",
	    (long long)f->row.id, (long long)f->row.chat_id);
	tg_call_cancel(s->tg, f->call);
	outbox_row_release(&f->row);
	f->call = NULL;
	f->active = false;
	f->unmarked = false;
	s->n_flights--;
	s->dirty = true;
}

static void
withdraw_unmarked(struct sender *s)
{
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++)
		if (s->flights[i].active && s->flights[i].unmarked)
			withdraw(s, &s->flights[i]);
}

/* Writes the 'sending' marks of the sends just started (in the open
 * transaction); a send whose mark fails is withdrawn at once. */
static void
mark_started(struct sender *s)
{
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++) {
		struct flight *f = &s->flights[i];
		if (f->active && f->unmarked &&
		    outbox_mark_sending(s->st, f->row.id) < 0)
			withdraw(s, f);
	}
}

/* The marks are committed: the transfers may begin. */
static void
marks_committed(struct sender *s)
{
	for (int i = 0; i < s->cfg->limits.max_in_flight; i++)
		s->flights[i].unmarked = false;
}

int64_t
sender_tick(struct sender *s)
{
	int64_t now = clock_mono_ms();
	int64_t wake = -1;
	int started = 0;
	bool sending = !s->drain_only && !s->unauthorized;
	bool in_tx = false;
	/* More answers are on their way: wait a little and take them all in
	 * one transaction. */
	if (s->n_done > 0 && s->n_flights > 0 && sending &&
	    now - s->first_done_at < BATCH_MS)
		return BATCH_MS - (now - s->first_done_at);
	/* Answers are recorded before anything new starts: a 403 must cancel
	 * the chat's next message before it could be picked. They stay in
	 * s->done until their transaction commits: if it does not, they are
	 * recorded again on the next tick (the counters are put back, so that
	 * each is counted once). */
	size_t recorded = 0;
	struct sender_stats stats_before = s->stats;
	if (s->n_done > 0) {
		if (store_begin_relaxed(s->st) < 0)
			return 1000;
		in_tx = true;
		recorded = s->n_done;
		for (size_t i = 0; i < recorded; i++)
			record(s, &s->done[i]);
		sending = !s->drain_only && !s->unauthorized;
		/* Recording can take a while; the limiter is told the time the
		 * new sends actually leave, or their spacing would shrink by
		 * however long this took. */
		now = clock_mono_ms();
	}
	if (sending) {
		if (s->dirty || now - s->fetched_at > CANDIDATES_TTL_MS ||
		    (s->next_due > 0 && clock_wall_ms() >= s->next_due)) {
			refetch(s, now);
			/* As after recording: the limiter gets the time the
			 * sends leave, not the time before the query. */
			now = clock_mono_ms();
		}
		wake = start_allowed(s, now, &started);
		if (s->next_due > 0)
			wake = min_wait(wake, s->next_due - clock_wall_ms());
		if (s->n_cand > 0 && s->n_flights == 0)
			wake = min_wait(wake, CANDIDATES_TTL_MS);
	}
	/* The sends just started are recorded as 'sending' before their
	 * transfers begin (in the next tg_client_run). */
	if (started > 0 && !in_tx) {
		if (store_begin_relaxed(s->st) < 0) {
			withdraw_unmarked(s);
			return 1000;
		}
		in_tx = true;
	}
	if (in_tx) {
		mark_started(s);
		if (store_commit(s->st) < 0) {
			/* Nothing of this transaction happened: the sends it
			 * marked do not start, the answers it recorded wait. */
			store_rollback(s->st);
			withdraw_unmarked(s);
			s->stats = stats_before;
			s->dirty = true;
			wake = min_wait(wake, 1000);
		} else {
			marks_committed(s);
			/* Answers that came in meanwhile are not in it. */
			size_t later = s->n_done - recorded;
			for (size_t i = 0; i < recorded; i++) {
				outbox_row_release(&s->done[i].row);
				tg_result_release(&s->done[i].res);
			}
			if (later > 0)
				memmove(s->done, s->done + recorded,
				    later * sizeof *s->done);
			s->n_done = later;
		}
	}
	if (now - s->last_gc > 60000) {
		ratelimit_gc(s->rl, now);
		s->last_gc = now;
	}
	return wake;
}
