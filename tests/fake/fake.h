/* fakeapi: a fake Telegram Bot API server for tests. This header holds the
 * types shared by its files and the contract of every cross-file function.
 *
 * Concurrency model: libmicrohttpd runs one thread per connection; all shared
 * state (update queue, chats, sent log, limits, faults, stats) lives behind one
 * mutex, fake_lock()/fake_unlock(). Functions documented "locked" must be
 * called with it held. Long polls wait on a condition variable of that mutex;
 * latency sleeps never hold it. */
#ifndef FAKEAPI_FAKE_H
#define FAKEAPI_FAKE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- util.c: memory, strings, time, JSON parameter access ---- */

void *fake_xmalloc(size_t n);
void *fake_xcalloc(size_t n, size_t size);
void *fake_xrealloc(void *p, size_t n);
char *fake_xstrdup(const char *s);
char *fake_xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated once something was added.
 * Appends past `max` (when max != 0) set `overflow` and are dropped. */
struct sbuf {
	char *p;
	size_t len, cap, max;
	bool overflow;
};
void sbuf_add(struct sbuf *b, const void *data, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);

/* CLOCK_MONOTONIC in milliseconds: the same clock as Python's
 * time.monotonic(), so tests may compare the two. */
double fake_now_ms(void);
int64_t fake_unix_time(void);
/* Sleeps `ms` milliseconds without holding the state lock; returns early when
 * the server shuts down. */
void fake_sleep_ms(double ms);
/* Makes every current and future fake_sleep_ms() return at once. */
void fake_sleep_stop(void);

bool utf8_valid(const char *s, size_t n);
/* Number of Unicode code points / UTF-16 code units of valid UTF-8. */
size_t utf8_codepoints(const char *s, size_t n);
size_t utf8_utf16_units(const char *s, size_t n);
/* Appends code point cp as UTF-8. */
void utf8_put(struct sbuf *b, uint32_t cp);
/* A JSON string from arbitrary bytes: invalid UTF-8 sequences become U+FFFD.
 * Sets *was_invalid when that happened. New reference. */
json_t *json_string_lossy(const char *s, size_t n, bool *was_invalid);

/* Parameter getters that accept both JSON values and form strings. */
bool param_int(const json_t *params, const char *key, int64_t *out);
const char *param_str(const json_t *params, const char *key);
bool param_bool(const json_t *params, const char *key);
bool param_has(const json_t *params, const char *key);
/* Strict decimal int64 parse of the whole string. */
bool parse_int64(const char *s, int64_t *out);

/* ---- photo.c: the picture every downloaded file is ---- */

extern const unsigned char fake_photo_jpeg[];
extern const size_t fake_photo_jpeg_len;

/* ---- reply: what a handler answers ---- */

struct reply {
	int status; /* HTTP status; equals error_code for errors */
	json_t *body; /* JSON answer (owned), or NULL for raw/huge */
	char *raw; /* raw body (owned), e.g. an nginx HTML page */
	size_t raw_len;
	const char *content_type; /* static string; for raw bodies */
	uint64_t huge_bytes; /* > 0: stream a huge JSON body of this size */
	int retry_after; /* > 0: add a Retry-After header */
	bool drop; /* close the connection without any answer */
	bool drop_after; /* answer was produced, then drop the connection */
	const char *fault; /* static name of the fault applied, or NULL */
	double latency_ms; /* sleep before answering (outside the lock) */
};
void reply_clear(struct reply *r);
void reply_ok(struct reply *r, json_t *result); /* steals result */
void reply_ok_desc(struct reply *r, json_t *result, const char *desc);
void reply_error(struct reply *r, int code, const char *desc);
/* Error with a "parameters" object (steals params). */
void reply_error_params(struct reply *r, int code, const char *desc,
    json_t *params);
void reply_errorf(struct reply *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void reply_too_many(struct reply *r, int retry_after);
void reply_raw(struct reply *r, int status, const char *ctype, const char *body,
    size_t len);

/* ---- html.c: parse_mode text parsing and Telegram's text checks ---- */

struct ftext {
	char *text; /* plain text after parsing and trimming (owned) */
	size_t len; /* bytes */
	size_t codepoints; /* what the 4096 / 1024 limits count */
	json_t *entities; /* array (owned), possibly empty */
};
/* Parses `raw` according to parse_mode (NULL or "" for plain text; "HTML",
 * "MarkdownV2", "Markdown" case-insensitively) and trims surrounding
 * whitespace as Telegram does. Returns 0, or -1 with the full Telegram
 * description ("Bad Request: ...") in err. */
int ftext_parse(struct ftext *out, const char *raw, size_t raw_len,
    const char *parse_mode, char *err, size_t errlen);
void ftext_free(struct ftext *t);

/* ---- markup.c: reply_markup and command list validation ---- */

/* Checks a reply_markup value; 0, or -1 with a description in err. */
int markup_check(const json_t *markup, char *err, size_t errlen);
/* Checks a setMyCommands command list; 0, or -1 with a description. */
int commands_check(const json_t *commands, char *err, size_t errlen);

/* ---- state.c: the shared state and its lock ---- */

struct update {
	int64_t id;
	json_t *json; /* full Update, update_id first */
	char *raw; /* or, when not NULL, its bytes as given (maybe not JSON) */
	size_t raw_len;
	char type[40]; /* its one field besides update_id */
	double queued_ms, delivered_ms, confirmed_ms; /* < 0: not yet */
	bool pending; /* not yet confirmed nor dropped */
	bool dropped; /* filtered out by allowed_updates */
};

struct message {
	int64_t message_id;
	bool outgoing; /* sent by the bot (else: from a queued update) */
	bool deleted;
	char kind[16]; /* "text", "document", "photo", "copy", "incoming" */
	char *text; /* plain text or caption, NULL when none */
	char *raw_text; /* as the bot sent it, NULL when none */
	char *parse_mode;
	json_t *entities; /* array or NULL */
	json_t *reply_markup; /* NULL when none */
	json_t *media; /* document / photo object or NULL */
	json_t *incoming; /* the queued Message object, for incoming ones */
	int64_t date, edit_date;
	int edits;
};

struct window { /* timestamps of recent events, oldest first */
	double *t;
	size_t cap, head, n;
};

struct chat {
	int64_t id;
	int64_t next_message_id;
	bool blocked, deactivated, kicked, not_found;
	int64_t migrate_to; /* 0: not migrated */
	json_t *info; /* Chat object seen in an update, or NULL */
	json_t *admins; /* array of user ids, or NULL */
	struct message *msgs; /* sorted by message_id */
	size_t nmsgs, capmsgs;
	int64_t sent_count; /* messages the bot sent here successfully */
	/* rate limiter */
	double tokens, tokens_ms;
	struct window group_win;
	struct chat *next; /* hash chain */
};

struct sent_entry {
	int64_t seq;
	double t_ms, done_ms;
	char *method;
	json_t *params;
	int status; /* 0: dropped before processing */
	json_t *response; /* NULL for raw/huge/dropped answers */
	const char *fault;
};

struct limits {
	bool enforce;
	double global_per_s, chat_per_s, chat_burst, group_per_min, paid_per_s;
	double callback_timeout_ms; /* 15000 unless set; 0: never expire */
	json_t *methods; /* counted methods (array of names) */
	struct window global_win, paid_win;
	int64_t n429_global, n429_chat, n429_group, n429_paid;
};

struct faults {
	uint64_t seed, rng;
	double latency_ms, poll_latency_ms;
	double rate_5xx, rate_html_502, rate_drop, rate_drop_after,
	    rate_malformed;
	json_t *methods; /* array of method names, or NULL: all */
	json_t *script; /* array of one-shot answers still to be used */
	unsigned alt_5xx;
	int64_t n_drop, n_drop_after, n_5xx, n_html_502, n_malformed, n_script,
	    n429_script;
};

struct fake_state {
	const char *token;
	int64_t bot_id;
	bool shutting_down;

	/* update queue: every update ever queued, in queue order */
	struct update *updates;
	size_t nupdates, capupdates, first_pending;
	int64_t next_update_id;
	int64_t pending_count, delivered_count, confirmed_offset;
	json_t *allowed_updates; /* array, or NULL: default set */
	uint64_t poll_serial, parked_poll;
	int64_t conflicts;
	uint64_t callback_serial, file_serial;

	/* chats by id */
	struct chat **chat_tab;
	size_t chat_tab_size, nchats;

	/* callback queries: id -> state */
	json_t *callbacks; /* object: id -> {"answered":bool,"t":ms} */
	json_t *commands; /* object: "<scope>|<lang>" -> entry */

	struct sent_entry *sent; /* seqs are consecutive */
	size_t nsent, capsent;
	int64_t next_seq;

	struct limits limits;
	struct faults faults;

	/* stats */
	json_t *req_count; /* object: method -> count */
	int64_t status_count[600];
	int64_t inflight, max_inflight;
};

extern struct fake_state G;

void fake_lock(void);
void fake_unlock(void);
/* Wakes every parked long poll (locked). */
void fake_wake_polls(void);
/* Waits on the poll condition until woken or until the monotonic deadline
 * (ms); returns false on timeout (locked). */
bool fake_wait_polls(double deadline_ms);
/* Sets the shutdown flag and wakes every waiter (takes the locks itself). */
void fake_shutdown(void);

void state_init(const char *token);
/* Forgets everything but the token (locked). */
void state_reset(void);
void state_free(void);

struct chat *chat_get(int64_t id); /* creates on demand (locked) */
struct chat *chat_find(int64_t id); /* NULL when unknown (locked) */
/* Finds a message; NULL when unknown (locked). */
struct message *chat_message(struct chat *c, int64_t message_id);
/* Adds a message with the next id, or with message_id when > 0 (locked). */
struct message *chat_add_message(struct chat *c, int64_t message_id);
void message_release(struct message *m);
/* The Chat object for a chat id (new reference, locked). */
json_t *chat_object(int64_t id);
/* The bot's User object (new reference). */
json_t *bot_user_object(void);
/* A Message object for a stored message (new reference, locked). */
json_t *message_object(const struct chat *c, const struct message *m);

/* Appends a sent-log entry; returns its seq (locked). Steals nothing:
 * params and the JSON answer are increfed. Seqs never restart, not even
 * after a reset. */
int64_t sent_log_add(const char *method, json_t *params, double t_ms,
    const struct reply *r);
/* Records when the answer went out; unknown seqs are ignored (locked). */
void sent_log_done(int64_t seq, double done_ms);

/* Queues one update from the control interface; returns its id or -1 with a
 * reason in err (locked). */
int64_t updates_queue(json_t *upd, char *err, size_t errlen);

/* Queues an update given as raw bytes, delivered as they are inside the
 * getUpdates result array (so a test can send what a JSON parser refuses,
 * or an update without update_id). `id` (> 0) is the id the queue uses for
 * offsets, or 0 for the next one; `type` is what allowed_updates filters
 * on. Returns the id (locked). */
int64_t updates_queue_raw(const char *raw, size_t len, int64_t id,
    const char *type);

/* ---- limits.c: rate-limit enforcement ---- */

void limits_defaults(struct limits *l);
void limits_release(struct limits *l);
/* Applies a /_ctl/limits body (locked); resets all counters. */
int limits_configure(const json_t *cfg, char *err, size_t errlen);
bool limits_counts_method(const char *method);
/* Checks and, when allowed, consumes budget for one send to chat_id.
 * Returns 0, or the retry_after seconds (>= 1) when over a limit (locked). */
int limits_take(int64_t chat_id, bool paid, double now);
void window_free(struct window *w);

/* ---- faults.c: injected faults and the scripted answers ---- */

void faults_defaults(struct faults *f);
void faults_release(struct faults *f);
int faults_configure(const json_t *cfg, char *err, size_t errlen);
/* Decides the fault for one request (locked). When a canned answer applies
 * it is written to r and true is returned; r->drop / r->drop_after /
 * r->latency_ms are set in every case. */
bool faults_plan(const char *method, const json_t *params, struct reply *r);
/* A huge JSON body generator for MHD (see http.c). */
void faults_huge_chunk(uint64_t pos, uint64_t total, char *buf, size_t n);

/* ---- api.c: the Bot API methods ---- */

struct api_call {
	const char *method; /* canonical name */
	json_t *params;
	double t_ms;
	bool bad_utf8; /* a parameter was not valid UTF-8 */
};
/* Canonical method name for a case-insensitive one, or NULL. */
const char *api_method_name(const char *name);
/* Runs a method, taking the lock as needed; fills r. */
void api_dispatch(struct api_call *c, struct reply *r);
/* Params holding JSON, integers and booleans, for normalisation. */
bool api_param_is_json(const char *key);
bool api_param_is_int(const char *key);
bool api_param_is_bool(const char *key);

/* ---- control.c: the /_ctl interface ---- */

/* Handles /_ctl/<path>; body may be NULL. Fills r. */
void control_handle(const char *path, const char *http_method,
    const json_t *query, const char *body, size_t body_len, struct reply *r);

/* ---- http.c: the HTTP server ---- */

/* Starts the daemon on addr:port (addr an IPv4 address in dotted form;
 * NULL means 127.0.0.1); returns the bound port or -1. */
int http_start(const char *addr, int port);
void http_stop(void);

#endif
