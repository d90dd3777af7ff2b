/* fakeapi fault injection: a seeded PRNG drawing per-request faults (dropped
 * connections before or after processing, 5xx JSON or nginx HTML pages,
 * malformed JSON), per-request latency, and the script of one-shot answers
 * consumed in order by matching requests. */
#include "fake.h"

#include <strings.h>

static const char nginx_502[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0"
    "</center>\r\n</body>\r\n</html>\r\n";

static const char *const malformed_bodies[] = {
    "{\"ok\":true,\"result\":{\"message_id\":",
    "<<not json>>",
    "{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":{\"text\":\"\\ud83",
};

static const char huge_prefix[] =
    "{\"ok\":true,\"result\":[],\"description\":\"";
static const char huge_suffix[] = "\"}";

static unsigned malformed_next;

/* splitmix64: small, fast and reproducible from the seed. */
static uint64_t
rng_next(struct faults *f)
{
	uint64_t z = (f->rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double
rng_double(struct faults *f)
{
	return (double)(rng_next(f) >> 11) / 9007199254740992.0;
}

void
faults_defaults(struct faults *f)
{
	memset(f, 0, sizeof(*f));
	f->seed = f->rng = 1;
	f->script = json_array();
}

void
faults_release(struct faults *f)
{
	json_decref(f->methods);
	json_decref(f->script);
	f->methods = f->script = NULL;
}

int
faults_configure(const json_t *cfg, char *err, size_t errlen)
{
	static const char *const rates[] = {"latency_ms", "poll_latency_ms",
	    "rate_5xx", "rate_html_502", "rate_drop", "rate_drop_after",
	    "rate_malformed", NULL};
	struct faults *f = &G.faults;
	const char *key;
	json_t *v;

	if (!json_is_object(cfg)) {
		snprintf(err, errlen, "faults: expected a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)cfg, key, v)
	{
		bool known = false;

		for (size_t i = 0; rates[i]; i++)
			if (!strcmp(key, rates[i])) {
				known = true;
				if (!json_is_number(v) ||
				    json_number_value(v) < 0) {
					snprintf(err, errlen,
					    "faults: %s must be a number >= 0",
					    key);
					return -1;
				}
			}
		if (!strcmp(key, "seed")) {
			known = true;
			if (!json_is_integer(v)) {
				snprintf(err, errlen,
				    "faults: seed must be an integer");
				return -1;
			}
		} else if (!strcmp(key, "methods")) {
			known = true;
			if (!json_is_array(v) && !json_is_null(v)) {
				snprintf(err, errlen,
				    "faults: methods must be an array");
				return -1;
			}
		} else if (!strcmp(key, "clear_script")) {
			known = true;
		} else if (!strcmp(key, "script")) {
			size_t i;
			json_t *e;

			known = true;
			if (!json_is_array(v)) {
				snprintf(err, errlen,
				    "faults: script must be an array");
				return -1;
			}
			json_array_foreach(v, i, e)
			{
				if (!json_is_object(e)) {
					snprintf(err, errlen,
					    "faults: script[%zu] must be an "
					    "object",
					    i);
					return -1;
				}
			}
		}
		if (!known) {
			snprintf(err, errlen, "faults: unknown key \"%s\"",
			    key);
			return -1;
		}
	}
	/* The settings are replaced as a whole; the script is appended to. */
	json_t *script = json_incref(f->script);
	unsigned alt = f->alt_5xx;
	int64_t counters[6] = {f->n_drop, f->n_drop_after, f->n_5xx,
	    f->n_html_502, f->n_malformed, f->n_script};
	int64_t n429 = f->n429_script;

	faults_release(f);
	memset(f, 0, sizeof(*f));
	f->script = script;
	f->alt_5xx = alt;
	f->n_drop = counters[0];
	f->n_drop_after = counters[1];
	f->n_5xx = counters[2];
	f->n_html_502 = counters[3];
	f->n_malformed = counters[4];
	f->n_script = counters[5];
	f->n429_script = n429;
	f->seed = 1;
	if (json_is_true(json_object_get(cfg, "clear_script")))
		json_array_clear(f->script);
	json_object_foreach((json_t *)cfg, key, v)
	{
		double d = json_is_number(v) ? json_number_value(v) : 0;

		if (!strcmp(key, "seed"))
			f->seed = (uint64_t)json_integer_value(v);
		else if (!strcmp(key, "latency_ms"))
			f->latency_ms = d;
		else if (!strcmp(key, "poll_latency_ms"))
			f->poll_latency_ms = d;
		else if (!strcmp(key, "rate_5xx"))
			f->rate_5xx = d;
		else if (!strcmp(key, "rate_html_502"))
			f->rate_html_502 = d;
		else if (!strcmp(key, "rate_drop"))
			f->rate_drop = d;
		else if (!strcmp(key, "rate_drop_after"))
			f->rate_drop_after = d;
		else if (!strcmp(key, "rate_malformed"))
			f->rate_malformed = d;
		else if (!strcmp(key, "methods") && json_is_array(v))
			f->methods = json_deep_copy(v);
		else if (!strcmp(key, "script"))
			json_array_extend(f->script, v);
	}
	f->rng = f->seed;
	return 0;
}

static bool
method_selected(const struct faults *f, const char *method)
{
	size_t i;
	json_t *m;

	if (!f->methods)
		return true;
	json_array_foreach(f->methods, i, m)
	{
		if (json_is_string(m) &&
		    !strcasecmp(json_string_value(m), method))
			return true;
	}
	return false;
}

static void
reply_malformed(struct reply *r)
{
	const char *b = malformed_bodies[malformed_next++ %
	    (sizeof(malformed_bodies) / sizeof(malformed_bodies[0]))];

	reply_raw(r, 200, "application/json", b, strlen(b));
}

static const char *
default_description(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 409:
		return "Conflict";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Error";
	}
}

/* Applies one script entry; returns true when it is the whole answer. */
static bool
apply_script(struct faults *f, const json_t *e, struct reply *r)
{
	json_t *v;
	int status = 200;

	f->n_script++;
	r->fault = "script";
	v = json_object_get(e, "latency_ms");
	if (json_is_number(v))
		r->latency_ms = json_number_value(v);
	if (json_is_true(json_object_get(e, "drop"))) {
		r->drop = true;
		r->fault = "drop";
		return true;
	}
	if (json_is_true(json_object_get(e, "drop_after"))) {
		r->drop_after = true;
		r->fault = "drop_after";
		return false;
	}
	if (json_is_true(json_object_get(e, "malformed"))) {
		r->fault = "malformed";
		reply_malformed(r);
		return true;
	}
	v = json_object_get(e, "status");
	if (json_is_integer(v))
		status = (int)json_integer_value(v);
	if (status < 100 || status > 599)
		status = 500;
	int retry_after = 0;

	v = json_object_get(e, "retry_after");
	if (json_is_integer(v))
		retry_after = (int)json_integer_value(v);
	if (status == 429 && retry_after <= 0)
		retry_after = 1;

	v = json_object_get(e, "huge_bytes");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		uint64_t min = sizeof(huge_prefix) + sizeof(huge_suffix);
		uint64_t n = (uint64_t)json_integer_value(v);

		reply_ok(r, NULL);
		json_decref(r->body);
		r->body = NULL;
		r->status = status;
		r->huge_bytes = n < min ? min : n;
		return true;
	}
	v = json_object_get(e, "body");
	if (json_is_string(v)) {
		const char *body = json_string_value(v);
		const char *ct = json_string_value(json_object_get(e,
		    "content_type"));

		if (!ct)
			ct = (body[0] == '{' || body[0] == '[')
			    ? "application/json"
			    : "text/html";
		/* the content type must outlive the reply: keep static ones */
		ct = !strcmp(ct, "application/json") ? "application/json"
		    : !strcmp(ct, "text/plain")      ? "text/plain"
		                                     : "text/html";
		reply_raw(r, status, ct, body, json_string_length(v));
		if (status == 429) {
			r->retry_after = retry_after;
			f->n429_script++;
		}
		return true;
	}
	v = json_object_get(e, "result");
	if (v) {
		reply_ok(r, json_deep_copy(v));
		return true;
	}
	if (status < 400) {
		r->fault = "script_pass";
		return false;
	}
	json_t *params = json_object();
	char desc[512];
	const char *d = json_string_value(json_object_get(e, "description"));

	if (status == 429) {
		json_object_set_new(params, "retry_after",
		    json_integer(retry_after));
		if (!d) {
			snprintf(desc, sizeof(desc),
			    "Too Many Requests: retry after %d", retry_after);
			d = desc;
		}
		f->n429_script++;
	}
	v = json_object_get(e, "migrate_to_chat_id");
	if (json_is_integer(v))
		json_object_set(params, "migrate_to_chat_id", v);
	if (!d)
		d = default_description(status);
	if (!json_object_size(params)) {
		json_decref(params);
		params = NULL;
	}
	reply_error_params(r, status, d, params);
	if (status == 429)
		r->retry_after = retry_after;
	return true;
}

bool
faults_plan(const char *method, const json_t *params, struct reply *r)
{
	struct faults *f = &G.faults;
	bool selected = method_selected(f, method);
	size_t i;
	json_t *e;

	if (!strcasecmp(method, "getUpdates"))
		r->latency_ms = f->poll_latency_ms;
	else
		r->latency_ms = selected ? f->latency_ms : 0;

	json_array_foreach(f->script, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "method"));
		json_t *want = json_object_get(e, "chat_id");
		int64_t have;

		if (m && strcasecmp(m, method))
			continue;
		if (want &&
		    !(param_int(params, "chat_id", &have) &&
		        json_is_integer(want) &&
		        have == json_integer_value(want)))
			continue;
		json_incref(e);
		json_array_remove(f->script, i);
		bool whole = apply_script(f, e, r);

		json_decref(e);
		return whole;
	}

	if (!selected)
		return false;
	double total = f->rate_drop + f->rate_drop_after + f->rate_5xx +
	    f->rate_html_502 + f->rate_malformed;

	if (total <= 0)
		return false;
	double u = rng_double(f), acc = f->rate_drop;

	if (u < acc) {
		f->n_drop++;
		r->drop = true;
		r->fault = "drop";
		return true;
	}
	acc += f->rate_drop_after;
	if (u < acc) {
		f->n_drop_after++;
		r->drop_after = true;
		r->fault = "drop_after";
		return false;
	}
	acc += f->rate_5xx;
	if (u < acc) {
		f->n_5xx++;
		r->fault = "5xx";
		if (f->alt_5xx++ % 2 == 0)
			reply_error(r, 500, "Internal Server Error");
		else
			reply_raw(r, 502, "text/html", nginx_502,
			    sizeof(nginx_502) - 1);
		return true;
	}
	acc += f->rate_html_502;
	if (u < acc) {
		f->n_html_502++;
		r->fault = "html_502";
		reply_raw(r, 502, "text/html", nginx_502,
		    sizeof(nginx_502) - 1);
		return true;
	}
	acc += f->rate_malformed;
	if (u < acc) {
		f->n_malformed++;
		r->fault = "malformed";
		reply_malformed(r);
		return true;
	}
	return false;
}

void
faults_huge_chunk(uint64_t pos, uint64_t total, char *buf, size_t n)
{
	uint64_t plen = sizeof(huge_prefix) - 1, slen = sizeof(huge_suffix) - 1;

	for (size_t i = 0; i < n; i++) {
		uint64_t k = pos + i;

		if (k < plen)
			buf[i] = huge_prefix[k];
		else if (k >= total - slen)
			buf[i] = huge_suffix[k - (total - slen)];
		else
			buf[i] = 'x';
	}
}
