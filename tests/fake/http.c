/* fakeapi HTTP layer on libmicrohttpd: one thread per connection (long polls
 * and latency sleeps block only their own connection), request parsing
 * (query string, urlencoded and multipart bodies via MHD's post processor,
 * JSON bodies via jansson), routing of /bot<token>/<method> and /_ctl/...,
 * fault application (drops, latency) and answers with Telegram's headers. */
#include "fake.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#define BODY_MAX ((size_t)64 * 1024 * 1024)
#define TEXT_CONTENT_MAX ((size_t)1024 * 1024)

enum req_kind { REQ_EARLY, REQ_BOT, REQ_CTL };

struct req {
	enum req_kind kind;
	double t_ms;
	char *ctl_path;
	const char *method; /* canonical Bot API method name */
	char *unknown_method; /* as requested, when not a known one */
	struct reply early; /* answer decided from the URL alone */
	struct MHD_PostProcessor *pp;
	bool json_body;
	json_t *params; /* query + body parameters */
	json_t *query; /* query parameters only (control) */
	struct sbuf body;
	/* the post field being assembled */
	bool field_open;
	char *field_key, *field_filename, *field_ctype;
	struct sbuf field;
	bool bad_utf8;
	bool counted; /* counted in G.inflight */
};

static struct MHD_Daemon *daemon_handle;

/* A new JSON string of the n bytes at p in base64. */
static json_t *
base64_string(const char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = (const unsigned char *)p;
	struct sbuf b = {0};

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)u[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)u[i + 1] << 8;
		if (i + 2 < n)
			v |= u[i + 2];
		sbuf_addc(&b, abc[(v >> 18) & 63]);
		sbuf_addc(&b, abc[(v >> 12) & 63]);
		sbuf_addc(&b, i + 1 < n ? abc[(v >> 6) & 63] : '=');
		sbuf_addc(&b, i + 2 < n ? abc[v & 63] : '=');
	}
	json_t *s = json_stringn(b.p ? b.p : "", b.len);
	sbuf_free(&b);
	return s;
}

static void
field_finish(struct req *q)
{
	if (!q->field_open)
		return;
	if (q->field_filename) {
		json_t *f = json_object();
		const char *ct = q->field_ctype ? q->field_ctype
		                                : "application/octet-stream";
		const char *data = q->field.p ? q->field.p : "";

		json_object_set_new(f, "filename",
		    json_string_lossy(q->field_filename,
		        strlen(q->field_filename), NULL));
		json_object_set_new(f, "size",
		    json_integer((json_int_t)q->field.len));
		json_object_set_new(f, "content_type",
		    json_string_lossy(ct, strlen(ct), NULL));
		/* Files are recorded so that tests can read them: text as
		 * it is (exports), anything else in base64 (PDFs). */
		if (q->field.len <= TEXT_CONTENT_MAX &&
		    utf8_valid(data, q->field.len) &&
		    !memchr(data, '\0', q->field.len))
			json_object_set_new(f, "content",
			    json_stringn(data, q->field.len));
		else if (q->field.len <= TEXT_CONTENT_MAX)
			json_object_set_new(f, "content_base64",
			    base64_string(data, q->field.len));
		if (q->field.overflow)
			json_object_set_new(f, "truncated", json_true());
		json_object_set_new(q->params, q->field_key, f);
	} else {
		json_object_set_new(q->params, q->field_key,
		    json_string_lossy(q->field.p ? q->field.p : "",
		        q->field.len, &q->bad_utf8));
	}
	free(q->field_key);
	free(q->field_filename);
	free(q->field_ctype);
	q->field_key = q->field_filename = q->field_ctype = NULL;
	sbuf_free(&q->field);
	q->field_open = false;
}

static enum MHD_Result
post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	struct req *q = cls;

	(void)kind;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;
	if (off == 0 || !q->field_open || strcmp(key, q->field_key)) {
		field_finish(q);
		q->field_open = true;
		q->field_key = fake_xstrdup(key);
		q->field_filename = filename ? fake_xstrdup(filename) : NULL;
		q->field_ctype = content_type ? fake_xstrdup(content_type)
		                              : NULL;
		q->field.max = BODY_MAX;
	}
	if (size)
		sbuf_add(&q->field, data, size);
	return MHD_YES;
}

static enum MHD_Result
query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct req *q = cls;

	(void)kind;
	if (!key)
		return MHD_YES;
	if (!value)
		value = "";
	json_object_set_new(q->params, key,
	    json_string_lossy(value, strlen(value), &q->bad_utf8));
	json_object_set_new(q->query, key,
	    json_string_lossy(value, strlen(value), NULL));
	return MHD_YES;
}

/* GET /file/bot<token>/<file_path>: Telegram's file download. Every path
 * getFile hands out ("photos/file_<n>.jpg") serves the same small JPEG;
 * downloads are counted in the stats under "_download". */
static void
file_download(struct req *q, const char *rest, size_t tlen)
{
	if (strlen(rest) <= tlen || memcmp(rest, G.token, tlen) ||
	    rest[tlen] != '/') {
		reply_error(&q->early, 401, "Unauthorized");
		return;
	}
	const char *path = rest + tlen + 1;
	if (strncmp(path, "photos/file_", 12) || strstr(path, "..")) {
		reply_error(&q->early, 404, "Not Found");
		return;
	}
	fake_lock();
	json_t *cnt = json_object_get(G.req_count, "_download");
	json_object_set_new(G.req_count, "_download",
	    json_integer(json_integer_value(cnt) + 1));
	fake_unlock();
	reply_raw(&q->early, 200, "image/jpeg", (const char *)fake_photo_jpeg,
	    fake_photo_jpeg_len);
}

static struct req *
req_new(struct MHD_Connection *conn, const char *url)
{
	struct req *q = fake_xcalloc(1, sizeof(*q));
	size_t tlen = strlen(G.token);

	q->t_ms = fake_now_ms();
	q->params = json_object();
	q->query = json_object();
	q->body.max = BODY_MAX;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_iter, q);

	if (!strncmp(url, "/_ctl/", 6)) {
		q->kind = REQ_CTL;
		q->ctl_path = fake_xstrdup(url + 6);
		return q;
	}
	q->kind = REQ_EARLY;
	if (!strncmp(url, "/file/bot", 9)) {
		file_download(q, url + 9, tlen);
		return q;
	}
	if (strncmp(url, "/bot", 4)) {
		reply_error(&q->early, 404, "Not Found");
		return q;
	}
	const char *tok = url + 4;
	const char *slash = strchr(tok, '/');

	if (!slash || strchr(slash + 1, '/')) {
		reply_error(&q->early, 404, "Not Found");
		return q;
	}
	if ((size_t)(slash - tok) != tlen || memcmp(tok, G.token, tlen)) {
		reply_error(&q->early, 401, "Unauthorized");
		return q;
	}
	q->method = api_method_name(slash + 1);
	if (!q->method) {
		/* Logged too: a misspelt method is a bot bug worth seeing. */
		q->unknown_method = fake_xstrdup(slash + 1);
		reply_error(&q->early, 404, "Not Found: method not found");
		return q;
	}
	q->kind = REQ_BOT;

	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);

	if (ct && !strncasecmp(ct, "application/json", 16))
		q->json_body = true;
	else if (ct &&
	    (!strncasecmp(ct, "application/x-www-form-urlencoded", 33) ||
	        !strncasecmp(ct, "multipart/form-data", 19)))
		q->pp = MHD_create_post_processor(conn, 64 * 1024, post_iter,
		    q);

	fake_lock();
	q->counted = true;
	G.inflight++;
	if (G.inflight > G.max_inflight)
		G.max_inflight = G.inflight;
	fake_unlock();
	return q;
}

static void
req_free(struct req *q)
{
	if (q->pp)
		MHD_destroy_post_processor(q->pp);
	free(q->field_key);
	free(q->field_filename);
	free(q->field_ctype);
	sbuf_free(&q->field);
	sbuf_free(&q->body);
	json_decref(q->params);
	json_decref(q->query);
	reply_clear(&q->early);
	free(q->ctl_path);
	free(q->unknown_method);
	if (q->counted) {
		fake_lock();
		G.inflight--;
		fake_unlock();
	}
	free(q);
}

struct huge {
	uint64_t total;
};

static ssize_t
huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct huge *h = cls;

	if (pos >= h->total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > h->total - pos)
		max = (size_t)(h->total - pos);
	faults_huge_chunk(pos, h->total, buf, max);
	return (ssize_t)max;
}

static enum MHD_Result
respond(struct MHD_Connection *conn, const struct reply *r)
{
	struct MHD_Response *resp;
	const char *ctype = "application/json";

	if (r->huge_bytes) {
		struct huge *h = fake_xmalloc(sizeof(*h));

		h->total = r->huge_bytes;
		resp = MHD_create_response_from_callback(h->total, 64 * 1024,
		    huge_reader, h, free);
	} else if (r->body) {
		char *s = json_dumps(r->body,
		    JSON_COMPACT | JSON_REAL_PRECISION(15));

		if (!s)
			s = fake_xstrdup("{}");
		resp = MHD_create_response_from_buffer(strlen(s), s,
		    MHD_RESPMEM_MUST_FREE);
	} else {
		resp = MHD_create_response_from_buffer(r->raw_len,
		    r->raw ? r->raw : (char *)"", MHD_RESPMEM_MUST_COPY);
		if (r->content_type)
			ctype = r->content_type;
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (r->retry_after > 0) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	enum MHD_Result ret = MHD_queue_response(conn,
	    (unsigned)(r->status ? r->status : 200), resp);

	MHD_destroy_response(resp);
	return ret;
}

/* Form values of JSON-typed parameters are parsed; integers and booleans
 * that arrived as strings become JSON numbers and booleans, so the sent log
 * looks the same whatever encoding the client used. */
static void
normalise_params(json_t *params)
{
	const char *key;
	json_t *v;

	json_object_foreach(params, key, v)
	{
		if (!json_is_string(v))
			continue;
		const char *s = json_string_value(v);
		int64_t n;

		if (api_param_is_json(key)) {
			json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);

			if (j)
				json_object_set_new(params, key, j);
		} else if (api_param_is_int(key)) {
			if (parse_int64(s, &n))
				json_object_set_new(params, key,
				    json_integer(n));
		} else if (api_param_is_bool(key)) {
			if (!strcasecmp(s, "true") || !strcmp(s, "1"))
				json_object_set_new(params, key, json_true());
			else if (!strcasecmp(s, "false") || !strcmp(s, "0"))
				json_object_set_new(params, key, json_false());
		}
	}
}

static bool
method_logged(const char *m)
{
	return strcmp(m, "getUpdates") && strcmp(m, "getMe");
}

static enum MHD_Result
finish_bot(struct MHD_Connection *conn, struct req *q)
{
	struct reply r = {0};
	bool canned;

	if (q->json_body && q->body.len) {
		json_t *j = json_loadb(q->body.p, q->body.len, 0, NULL);

		if (json_is_object(j))
			json_object_update(q->params, j);
		else
			reply_error(&r, 400,
			    "Bad Request: can't parse JSON object");
		json_decref(j);
	}
	if (q->body.overflow || q->field.overflow)
		reply_error(&r, 413, "Request Entity Too Large");
	normalise_params(q->params);

	fake_lock();
	json_t *cnt = json_object_get(G.req_count, q->method);

	json_object_set_new(G.req_count, q->method,
	    json_integer(json_integer_value(cnt) + 1));
	canned = faults_plan(q->method, q->params, &r);
	if (r.drop) {
		if (method_logged(q->method))
			sent_log_done(sent_log_add(q->method, q->params,
			                  q->t_ms, &r),
			    fake_now_ms());
		fake_unlock();
		reply_clear(&r);
		return MHD_NO;
	}
	fake_unlock();

	if (!canned && !r.status) {
		struct api_call call = {
		    q->method, q->params, q->t_ms, q->bad_utf8};

		api_dispatch(&call, &r);
	}

	int64_t seq = 0;

	fake_lock();
	if (method_logged(q->method))
		seq = sent_log_add(q->method, q->params, q->t_ms, &r);
	fake_unlock();

	/* Latency is slept without the state lock so that concurrent requests
	 * overlap as they would over a real network. */
	fake_sleep_ms(r.latency_ms);

	fake_lock();
	if (seq)
		sent_log_done(seq, fake_now_ms());
	if (!r.drop_after && r.status > 0 && r.status < 600)
		G.status_count[r.status]++;
	fake_unlock();

	enum MHD_Result ret = r.drop_after ? MHD_NO : respond(conn, &r);

	reply_clear(&r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *http_method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct req *q = *con_cls;

	(void)cls;
	(void)version;
	if (!q) {
		*con_cls = req_new(conn, url);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (q->pp) {
			if (MHD_post_process(q->pp, upload_data,
			        *upload_data_size) != MHD_YES)
				q->body.overflow = true;
		} else if (q->kind != REQ_EARLY) {
			sbuf_add(&q->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (q->pp) {
		MHD_destroy_post_processor(q->pp);
		q->pp = NULL;
	}
	field_finish(q);

	if (q->kind == REQ_EARLY) {
		fake_lock();
		if (q->early.status < 600)
			G.status_count[q->early.status]++;
		if (q->unknown_method) {
			int64_t seq = sent_log_add(q->unknown_method, q->params,
			    q->t_ms, &q->early);

			sent_log_done(seq, fake_now_ms());
		}
		fake_unlock();
		return respond(conn, &q->early);
	}
	if (q->kind == REQ_CTL) {
		struct reply r = {0};

		control_handle(q->ctl_path, http_method, q->query, q->body.p,
		    q->body.len, &r);
		enum MHD_Result ret = respond(conn, &r);

		reply_clear(&r);
		return ret;
	}
	return finish_bot(conn, q);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	if (*con_cls)
		req_free(*con_cls);
	*con_cls = NULL;
}

int
http_start(const char *addr, int port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (addr && inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	daemon_handle = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	        MHD_USE_POLL_INTERNAL_THREAD,
	    (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!daemon_handle)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_handle,
	    MHD_DAEMON_INFO_BIND_PORT);

	return info ? (int)info->port : port;
}

void
http_stop(void)
{
	if (daemon_handle)
		MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
}
