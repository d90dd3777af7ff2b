/* Transfers to the Bot API over one curl multi handle (see tg.h). */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/log.h"
#include "dobrobot/tg/tg.h"
#include "dobrobot/core/xalloc.h"
#include "client_internal.h"

struct tg_call {
	CURL *easy;
	struct tg_client *client;
	struct curl_slist *headers;
	curl_mime *mime;
	char *body; /* the JSON body, or the upload's file data */
	size_t body_len;
	size_t body_pos; /* how much of an upload's file curl has read */
	int requests; /* attempts that reached the pre-request callback */
	struct buf response;
	long retry_after_header;
	bool brief; /* see tg_call_brief */
	char errbuf[CURL_ERROR_SIZE];
	tg_done_fn done;
	void *arg;
	struct tg_call *next; /* in the client's in-flight list */
	struct tg_call *prev;
};

struct tg_client *
tg_client_new(const char *api_base, const char *token, int max_connections)
{
	struct tg_client *c = xcalloc(1, sizeof *c);
	c->multi = curl_multi_init();
	if (c->multi == NULL)
		fatal("curl_multi_init failed");
	c->api_base = xstrdup(api_base);
	c->token = xstrdup(token);
	/* One extra connection for the long poll, which is always open. */
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)max_connections + 1);
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
	    (long)max_connections + 1);
	return c;
}

static void
call_free(struct tg_call *call)
{
	struct tg_client *c = call->client;
	curl_slist_free_all(call->headers);
	curl_mime_free(call->mime);
	free(call->body);
	buf_release(&call->response);
	if (call->easy != NULL) {
		c->idle = xgrow(c->idle, c->n_idle, &c->cap_idle, 8,
		    sizeof *c->idle);
		curl_easy_reset(call->easy);
		c->idle[c->n_idle++] = call->easy;
	}
	free(call);
}

void
tg_client_free(struct tg_client *c)
{
	if (c == NULL)
		return;
	tg_client_abort_all(c);
	for (size_t i = 0; i < c->n_idle; i++)
		curl_easy_cleanup(c->idle[i]);
	free(c->idle);
	curl_multi_cleanup(c->multi);
	free(c->api_base);
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c);
}

size_t
tg_client_in_flight(const struct tg_client *c)
{
	return c->n_calls;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct tg_call *call = userp;
	size_t n = size * nmemb;
	if (buf_append(&call->response, data, n) < 0)
		return 0; /* over TG_MAX_BODY: curl stops with a write error */
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct tg_call *call = userp;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";
	if (n > sizeof name && strncasecmp(data, name, sizeof name - 1) == 0) {
		char value[16] = {0};
		size_t vlen = n - (sizeof name - 1);
		if (vlen >= sizeof value)
			vlen = sizeof value - 1;
		memcpy(value, data + sizeof name - 1, vlen);
		long v = strtol(value, NULL, 10);
		if (v > 0 && v < 86400)
			call->retry_after_header = v;
	}
	return n;
}

/* libcurl re-sends a request by itself when a kept-alive connection died
 * with no answer, which it takes for stale (Curl_retry_request: on another
 * connection, maybe several times in one transfer). Each such copy may have
 * reached Telegram unrecorded, and libcurl 7.88 has no switch to turn this
 * off (CURLOPT_FORBID_RETRY_ON_REUSE came in 8.16). Every attempt passes
 * the pre-request callback, right before its request goes out: the first
 * goes, a second is refused. The transfer then fails ("maybe delivered")
 * and the sender's own retry, which counts every copy, sends it again. */
static int
on_prereq(void *userp, char *conn_primary_ip, char *conn_local_ip,
    int conn_primary_port, int conn_local_port)
{
	(void)conn_primary_ip;
	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	struct tg_call *call = userp;
	return call->requests++ == 0 ? CURL_PREREQFUNC_OK
	                             : CURL_PREREQFUNC_ABORT;
}

/* An upload's file part is read through a callback. A rewind before
 * anything was read is curl preparing the first send; a rewind after it
 * would be a re-send, which the pre-request callback above has already
 * refused, and is refused here too. */
static size_t
on_read_body(char *dest, size_t size, size_t nitems, void *userp)
{
	struct tg_call *call = userp;
	size_t n = size * nitems;
	if (n > call->body_len - call->body_pos)
		n = call->body_len - call->body_pos;
	memcpy(dest, call->body + call->body_pos, n);
	call->body_pos += n;
	return n;
}

static int
on_seek_body(void *userp, curl_off_t offset, int origin)
{
	struct tg_call *call = userp;
	if (origin != SEEK_SET || offset < 0 ||
	    (curl_off_t)call->body_len < offset)
		return CURL_SEEKFUNC_FAIL;
	if (call->body_pos > 0)
		return CURL_SEEKFUNC_CANTSEEK;
	call->body_pos = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

static void
link_call(struct tg_client *c, struct tg_call *call)
{
	call->next = c->calls;
	if (c->calls != NULL)
		c->calls->prev = call;
	c->calls = call;
	c->n_calls++;
}

static void
unlink_call(struct tg_client *c, struct tg_call *call)
{
	if (call->prev != NULL)
		call->prev->next = call->next;
	else
		c->calls = call->next;
	if (call->next != NULL)
		call->next->prev = call->prev;
	c->n_calls--;
}

static struct tg_call *
call_new(struct tg_client *c, tg_done_fn done, void *arg)
{
	struct tg_call *call = xcalloc(1, sizeof *call);
	call->client = c;
	call->done = done;
	call->arg = arg;
	buf_init(&call->response, TG_MAX_BODY);
	call->easy = c->n_idle > 0 ? c->idle[--c->n_idle] : curl_easy_init();
	if (call->easy == NULL) {
		free(call);
		return NULL;
	}
	return call;
}

/* The options every request shares; the body is set by the caller. */
static struct tg_call *
call_start(struct tg_client *c, struct tg_call *call, const char *method,
    long timeout_ms)
{
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/bot%s/%s", c->api_base, c->token, method);
	call->headers = curl_slist_append(call->headers, "Expect:");

	CURL *e = call->easy;
	curl_easy_setopt(e, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, call->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, call);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, call);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, call->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, call);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, call);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* TLS verification is not configurable: the token rides in the URL. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dobrobot");
	buf_release(&url);

	if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		call_free(call);
		return NULL;
	}
	link_call(c, call);
	return call;
}

struct tg_call *
tg_call_start_raw(struct tg_client *c, const char *method,
    const char *json_body, long timeout_ms, tg_done_fn done, void *arg)
{
	struct tg_call *call = call_new(c, done, arg);
	if (call == NULL)
		return NULL;
	call->body = xstrdup(json_body ? json_body : "{}");
	call->body_len = strlen(call->body);
	call->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	/* Handed to curl in place (the call keeps it until the transfer is
	 * over): curl then sends the request line, the headers and a body of
	 * up to 64 KiB in one write, where a body read through a callback
	 * went in a second (one system call, and one TCP segment to
	 * Telegram, more per message). */
	CURL *e = call->easy;
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)call->body_len);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, call->body);
	return call_start(c, call, method, timeout_ms);
}

struct tg_call *
tg_call_start_upload(struct tg_client *c, const char *method, json_t *params,
    const char *file_field, const char *filename, const char *data, size_t len,
    long timeout_ms, tg_done_fn done, void *arg)
{
	struct tg_call *call = call_new(c, done, arg);
	if (call == NULL)
		return NULL;
	call->mime = curl_mime_init(call->easy);
	const char *key;
	json_t *v;
	json_object_foreach(params, key, v)
	{
		curl_mimepart *part = curl_mime_addpart(call->mime);
		char *text = json_is_string(v)
		    ? xstrdup(json_string_value(v))
		    : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		curl_mime_name(part, key);
		curl_mime_data(part, text ? text : "", CURL_ZERO_TERMINATED);
		free(text);
	}
	curl_mimepart *file = curl_mime_addpart(call->mime);
	curl_mime_name(file, file_field);
	curl_mime_filename(file, filename);
	/* The file part is read through the same callbacks as a JSON body,
	 * so curl cannot re-send it by itself either; it rewinds the whole
	 * form before its first send, when nothing has been read yet. */
	call->body = xmalloc(len > 0 ? len : 1);
	memcpy(call->body, data, len);
	call->body_len = len;
	curl_mime_data_cb(file, (curl_off_t)len, on_read_body, on_seek_body,
	    NULL, call);
	curl_easy_setopt(call->easy, CURLOPT_MIMEPOST, call->mime);
	return call_start(c, call, method, timeout_ms);
}

struct tg_call *
tg_call_start(struct tg_client *c, const char *method, json_t *params,
    long timeout_ms, tg_done_fn done, void *arg)
{
	char *body = params ? json_dumps(params, JSON_COMPACT) : NULL;
	struct tg_call *call = tg_call_start_raw(c, method, body, timeout_ms,
	    done, arg);
	free(body);
	return call;
}

/* Whether a failed transfer may have delivered the request: only failures
 * before anything was sent are certain not to have. */
static bool
may_have_reached_server(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return false;
	default:
		return true;
	}
}

static void
finish(struct tg_client *c, struct tg_call *call, CURLcode code)
{
	struct tg_result res;
	long status = 0;
	curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(c->multi, call->easy);
	unlink_call(c, call);
	int64_t message_id;
	if (code == CURLE_OK && call->brief && status == 200 &&
	    tg_answer_brief(call->response.data, call->response.len,
	        &message_id)) {
		memset(&res, 0, sizeof res);
		res.outcome = TG_OK;
		res.http_status = status;
		res.message_id = message_id;
	} else if (code == CURLE_OK) {
		tg_parse_response(status, call->response.data,
		    call->response.len, call->retry_after_header, &res);
		if (res.outcome == TG_BAD_RESPONSE && status >= 200 &&
		    status < 300 && call->response.len > 0) {
			res.body_len = call->response.len;
			res.body = buf_detach(&call->response);
		}
	} else {
		memset(&res, 0, sizeof res);
		res.http_status = status;
		if (code == CURLE_WRITE_ERROR) {
			res.outcome = TG_BAD_RESPONSE;
			res.err.description = xstrdup("answer larger than the "
			                              "16 MiB cap");
		} else {
			/* curl wanted to re-send and on_prereq (or, for an
			 * upload, on_seek_body) refused; its own text names
			 * the callback, which tells an operator nothing. */
			bool resend = code == CURLE_SEND_FAIL_REWIND ||
			    (code == CURLE_ABORTED_BY_CALLBACK &&
			        call->requests > 1);
			const char *why = resend
			    ? "the connection closed with no answer after the "
			      "request went out"
			    : call->errbuf[0] ? call->errbuf
			                      : curl_easy_strerror(code);
			res.outcome = TG_TRANSPORT;
			res.err.description = redact_in_place(xstrdup(why),
			    c->token);
			res.maybe_delivered = may_have_reached_server(code);
		}
	}
	tg_done_fn done = call->done;
	void *arg = call->arg;
	call_free(call);
	done(arg, &res);
}

int
tg_client_run(struct tg_client *c, int timeout_ms, int wake_fd)
{
	struct curl_waitfd extra = {.fd = wake_fd, .events = CURL_WAIT_POLLIN};
	int running = 0;
	CURLMcode mc = curl_multi_poll(c->multi, wake_fd >= 0 ? &extra : NULL,
	    wake_fd >= 0 ? 1 : 0, timeout_ms, NULL);
	if (mc != CURLM_OK && mc != CURLM_UNRECOVERABLE_POLL) {
		log_error("curl_multi_poll: %s", curl_multi_strerror(mc));
		return -1;
	}
	mc = curl_multi_perform(c->multi, &running);
	if (mc != CURLM_OK) {
		log_error("curl_multi_perform: %s", curl_multi_strerror(mc));
		return -1;
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct tg_call *call = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &call);
		finish(c, call, msg->data.result);
	}
	return 0;
}

void
tg_call_brief(struct tg_call *call)
{
	call->brief = true;
}

void
tg_call_abort(struct tg_client *c, struct tg_call *call)
{
	struct tg_result res;
	curl_multi_remove_handle(c->multi, call->easy);
	unlink_call(c, call);
	memset(&res, 0, sizeof res);
	res.outcome = TG_TRANSPORT;
	res.err.description = xstrdup("aborted");
	res.maybe_delivered = true;
	tg_done_fn done = call->done;
	void *arg = call->arg;
	call_free(call);
	done(arg, &res);
}

void
tg_call_cancel(struct tg_client *c, struct tg_call *call)
{
	curl_multi_remove_handle(c->multi, call->easy);
	unlink_call(c, call);
	call_free(call);
}

void
tg_client_abort_all(struct tg_client *c)
{
	while (c->calls != NULL)
		tg_call_abort(c, c->calls);
}

struct sync_state {
	bool done;
	struct tg_result *out;
};

static void
on_sync_done(void *arg, struct tg_result *res)
{
	struct sync_state *s = arg;
	*s->out = *res;
	s->done = true;
}

int
tg_call_sync(struct tg_client *c, const char *method, json_t *params,
    long timeout_ms, struct tg_result *out)
{
	struct sync_state s = {false, out};
	if (tg_call_start(c, method, params, timeout_ms, on_sync_done, &s) ==
	    NULL)
		return -1;
	while (!s.done)
		if (tg_client_run(c, 1000, -1) < 0)
			return -1;
	return 0;
}
