/* The Bot API client: requests over one libcurl multi handle (one connection
 * pool, kept alive, many transfers at once), JSON in and out through
 * jansson, and every answer mapped to a result or an error that keeps
 * Telegram's error_code, description, retry_after and migrate_to_chat_id.
 * It knows nothing of the bot's domain. The token is part of each URL and is
 * redacted from every error string this layer produces. */
#ifndef DOBROBOT_TG_TG_H
#define DOBROBOT_TG_TG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bodies larger than this are refused as errors: a getUpdates batch is at
 * most about 4 MiB (Telegram cuts it there), any other answer far less. */
#define TG_MAX_BODY ((size_t)16 * 1024 * 1024)

enum tg_outcome {
	TG_OK = 0, /* "ok": true; result holds "result" */
	TG_API_ERROR, /* "ok": false: Telegram refused; see error */
	TG_TRANSPORT, /* no answer: connect/timeout/dropped connection */
	TG_BAD_RESPONSE, /* an answer that is not Bot API JSON (an nginx
	                    502 page, a truncated or oversized body) */
};

struct tg_error {
	int code; /* Telegram's error_code, or the HTTP status */
	char *description; /* new string; never contains the token */
	int retry_after; /* seconds, from parameters (or Retry-After) */
	int64_t migrate_to; /* parameters.migrate_to_chat_id, or 0 */
};

struct tg_result {
	enum tg_outcome outcome;
	long http_status; /* 0 when no answer arrived */
	json_t *result; /* new reference on TG_OK, else NULL; NULL too
	                   for a brief call (tg_call_brief) */
	int64_t message_id; /* on TG_OK: result.message_id, else 0 */
	struct tg_error err; /* filled unless TG_OK */
	/* For TG_TRANSPORT: the request may have reached Telegram (the
	 * connection broke after it was sent), so a retry may duplicate it.
	 * libcurl never re-sends a request by itself (the client refuses a
	 * second attempt in the pre-request callback): a kept-alive connection
	 * that breaks with no answer ends the transfer here, so that every
	 * copy is the caller's own retry and is counted by it. */
	bool maybe_delivered;
	/* For TG_BAD_RESPONSE with an HTTP 2xx status: the answer's bytes
	 * (new, not NUL-terminated, body_len bytes), so that the poller can
	 * set aside the one update that made a getUpdates answer unreadable
	 * (loop.c). NULL otherwise. */
	char *body;
	size_t body_len;
};

void tg_result_release(struct tg_result *r);

/* Maps one HTTP answer to a result (pure; unit-tested). `body` need not be
 * NUL-terminated. What JSON may carry but a strict parser refuses is let
 * in: "\u0000" (a string may then hold NUL bytes: read it with
 * json_string_length), and a lone surrogate escape ("\ud800" without its
 * pair, which Telegram can pass on from a client), read as U+FFFD. */
void tg_parse_response(long http_status, const char *body, size_t len,
    long retry_after_header, struct tg_result *out);

/* True when body is a well-formed JSON text that tg_parse_response would
 * read as TG_OK (an object with "ok": true and a "result"); *message_id is
 * then result.message_id, or 0 when result is not an object with an
 * integer one. Checks without building anything. False also for some
 * well-formed answers it leaves to jansson (real numbers, escaped keys,
 * deep nesting): false says only "parse it". */
bool tg_answer_brief(const char *body, size_t len, int64_t *message_id);

/* Reads the first "update_id" member of a JSON text that may not parse
 * (an unreadable getUpdates answer of one update): strings are skipped as
 * JSON reads them, so a text that merely contains the words does not
 * count. Returns true and sets *id when a key "update_id" is followed by
 * ':' and an integer. */
bool tg_scan_update_id(const char *body, size_t len, int64_t *id);

/* Error classes the sender and the poller act on. */
bool tg_error_is_blocked(const struct tg_result *r); /* 403 */
bool tg_error_is_not_modified(const struct tg_result *r); /* 400 edit */
bool tg_error_is_retryable(const struct tg_result *r); /* 5xx, transport */

struct tg_client;
struct tg_call;

typedef void (*tg_done_fn)(void *arg, struct tg_result *res);

/* Creates a client for `api_base` (e.g. https://api.telegram.org) and the
 * token (copied; the copy is wiped on free). TLS peer and host verification
 * are always on. `max_connections` caps concurrent connections. */
struct tg_client *tg_client_new(const char *api_base, const char *token,
    int max_connections);
void tg_client_free(struct tg_client *c);

/* Starts METHOD with `params` (borrowed; NULL = no parameters) as a JSON
 * POST. `done` is called exactly once from tg_client_run, with a result it
 * must release. timeout_ms bounds the whole transfer. Returns a handle valid
 * until `done` runs, or NULL if the request could not be started (then `done`
 * is not called). */
struct tg_call *tg_call_start(struct tg_client *c, const char *method,
    json_t *params, long timeout_ms, tg_done_fn done, void *arg);

/* Same with a pre-serialised JSON body (borrowed, copied). */
struct tg_call *tg_call_start_raw(struct tg_client *c, const char *method,
    const char *json_body, long timeout_ms, tg_done_fn done, void *arg);

/* Starts METHOD as a multipart/form-data upload (sendDocument, sendPhoto):
 * every member of `params` (borrowed) becomes a form field (objects and
 * arrays as JSON text), and `data` (len bytes, copied) is uploaded as the
 * file field `file_field` named `filename`. */
struct tg_call *tg_call_start_upload(struct tg_client *c, const char *method,
    json_t *params, const char *file_field, const char *filename,
    const char *data, size_t len, long timeout_ms, tg_done_fn done, void *arg);

/* The caller of this request needs only its outcome and the message_id
 * of its result: a well-formed TG_OK answer is then checked by
 * tg_answer_brief rather than built (its result stays NULL). Any other
 * answer is parsed in full as usual. */
void tg_call_brief(struct tg_call *call);

/* Aborts one request in flight: its `done` runs at once with TG_TRANSPORT
 * "aborted" (maybe_delivered set). */
void tg_call_abort(struct tg_client *c, struct tg_call *call);

/* Withdraws a request started since the last tg_client_run: transfers
 * begin only there, so nothing of it has left. It is freed and its `done`
 * is not called. */
void tg_call_cancel(struct tg_client *c, struct tg_call *call);

/* Waits up to timeout_ms for network activity or for `wake_fd` (may be -1)
 * to become readable, performs transfers, and calls `done` for every
 * finished one. Returns 0, or -1 on a multi-handle error. */
int tg_client_run(struct tg_client *c, int timeout_ms, int wake_fd);

/* Number of requests in flight. */
size_t tg_client_in_flight(const struct tg_client *c);

/* Aborts every request in flight; each gets its `done` with TG_TRANSPORT
 * "aborted" and maybe_delivered set. */
void tg_client_abort_all(struct tg_client *c);

/* Downloads a file the bot received (a photo's file_id): getFile, then
 * <api_base>/file/bot<token>/<file_path>, on a connection of its own, so
 * that transfers in flight on the client are not touched; it blocks for at
 * most about 2 * timeout_ms. The file goes to a temporary name beside
 * `dest` and is renamed into place once complete; a file over max_bytes
 * (by getFile's file_size or by what arrives) is refused. Returns 0, or -1
 * with *cause (a new string that never holds the token). */
int tg_fetch_file(struct tg_client *c, const char *file_id, const char *dest,
    size_t max_bytes, long timeout_ms, char **cause);

/* Runs one request to completion (for start-up calls such as getMe). */
int tg_call_sync(struct tg_client *c, const char *method, json_t *params,
    long timeout_ms, struct tg_result *out);

#endif
