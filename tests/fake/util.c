/* fakeapi utilities: allocation that aborts on failure, a growable buffer,
 * clocks, UTF-8 helpers, reply constructors and parameter getters. */
#include "fake.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <strings.h>

void *
fake_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("fakeapi: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
fake_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fputs("fakeapi: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
fake_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("fakeapi: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *
fake_xstrndup(const char *s, size_t n)
{
	char *p = fake_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
fake_xstrdup(const char *s)
{
	return fake_xstrndup(s, strlen(s));
}

void
sbuf_add(struct sbuf *b, const void *data, size_t n)
{
	if (b->max && b->len + n > b->max) {
		b->overflow = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = fake_xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void
sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sbuf_add(b, small, (size_t)n);
		return;
	}
	char *big = fake_xmalloc((size_t)n + 1);

	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sbuf_add(b, big, (size_t)n);
	free(big);
}

void
sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->overflow = false;
}

double
fake_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int64_t
fake_unix_time(void)
{
	return (int64_t)time(NULL);
}

/* Sleeps wait on their own mutex and condition so that they neither hold
 * nor contend for the state lock; fake_shutdown() broadcasts here too. */
static pthread_mutex_t sleep_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cv;
static pthread_once_t sleep_once = PTHREAD_ONCE_INIT;
static bool sleep_stop;

static void
sleep_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&sleep_cv, &a);
	pthread_condattr_destroy(&a);
}

void
fake_sleep_ms(double ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	pthread_once(&sleep_once, sleep_init);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t ns = (int64_t)ts.tv_nsec + (int64_t)(ms * 1e6);
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	pthread_mutex_lock(&sleep_mu);
	while (!sleep_stop) {
		if (pthread_cond_timedwait(&sleep_cv, &sleep_mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&sleep_mu);
}

void
fake_sleep_stop(void)
{
	pthread_once(&sleep_once, sleep_init);
	pthread_mutex_lock(&sleep_mu);
	sleep_stop = true;
	pthread_cond_broadcast(&sleep_cv);
	pthread_mutex_unlock(&sleep_mu);
}

/* Decodes one UTF-8 sequence at s[0..n); returns its length, or 0 when it is
 * invalid (overlong, surrogate, > U+10FFFF, truncated). */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;

	if ((s[0] & 0xE0) == 0xC0) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		size_t l = utf8_decode(u + i, n - i, &cp);

		if (l == 0)
			return false;
		i += l;
	}
	return true;
}

size_t
utf8_codepoints(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

size_t
utf8_utf16_units(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xC0) != 0x80)
			count += c >= 0xF0 ? 2 : 1;
	}
	return count;
}

void
utf8_put(struct sbuf *b, uint32_t cp)
{
	char o[4];

	if (cp < 0x80) {
		o[0] = (char)cp;
		sbuf_add(b, o, 1);
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		sbuf_add(b, o, 2);
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		sbuf_add(b, o, 3);
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		sbuf_add(b, o, 4);
	}
}

json_t *
json_string_lossy(const char *s, size_t n, bool *was_invalid)
{
	if (utf8_valid(s, n) && !memchr(s, '\0', n))
		return json_stringn(s, n);
	struct sbuf b = {0};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	if (was_invalid && !utf8_valid(s, n))
		*was_invalid = true;
	while (i < n) {
		size_t l = utf8_decode(u + i, n - i, &cp);

		if (l == 0) {
			utf8_put(&b, 0xFFFD);
			i++;
		} else {
			sbuf_add(&b, u + i, l);
			i += l;
		}
	}
	json_t *j = json_stringn(b.p ? b.p : "", b.len);
	sbuf_free(&b);
	return j;
}

bool
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return false;
	*out = (int64_t)v;
	return true;
}

bool
param_int(const json_t *params, const char *key, int64_t *out)
{
	json_t *v = json_object_get(params, key);

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return true;
	}
	if (json_is_real(v)) {
		*out = (int64_t)json_real_value(v);
		return true;
	}
	if (json_is_string(v))
		return parse_int64(json_string_value(v), out);
	return false;
}

const char *
param_str(const json_t *params, const char *key)
{
	json_t *v = json_object_get(params, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool
param_bool(const json_t *params, const char *key)
{
	json_t *v = json_object_get(params, key);

	if (json_is_true(v))
		return true;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcasecmp(json_string_value(v), "true") == 0 ||
		    strcmp(json_string_value(v), "1") == 0;
	return false;
}

bool
param_has(const json_t *params, const char *key)
{
	json_t *v = json_object_get(params, key);

	return v && !json_is_null(v);
}

void
reply_clear(struct reply *r)
{
	json_decref(r->body);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

/* Replaces the answer, keeping the fault plan fields. */
static void
reply_reset_body(struct reply *r)
{
	json_decref(r->body);
	free(r->raw);
	r->body = NULL;
	r->raw = NULL;
	r->raw_len = 0;
	r->content_type = NULL;
	r->huge_bytes = 0;
	r->retry_after = 0;
}

void
reply_ok(struct reply *r, json_t *result)
{
	reply_ok_desc(r, result, NULL);
}

void
reply_ok_desc(struct reply *r, json_t *result, const char *desc)
{
	reply_reset_body(r);
	r->status = 200;
	r->body = json_object();
	json_object_set_new(r->body, "ok", json_true());
	json_object_set_new(r->body, "result", result ? result : json_true());
	if (desc)
		json_object_set_new(r->body, "description", json_string(desc));
}

void
reply_error_params(struct reply *r, int code, const char *desc, json_t *params)
{
	reply_reset_body(r);
	r->status = code;
	r->body = json_object();
	json_object_set_new(r->body, "ok", json_false());
	json_object_set_new(r->body, "error_code", json_integer(code));
	json_object_set_new(r->body, "description", json_string(desc));
	if (params)
		json_object_set_new(r->body, "parameters", params);
}

void
reply_error(struct reply *r, int code, const char *desc)
{
	reply_error_params(r, code, desc, NULL);
}

void
reply_errorf(struct reply *r, int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	reply_error(r, code, buf);
}

void
reply_too_many(struct reply *r, int retry_after)
{
	char desc[80];

	if (retry_after < 1)
		retry_after = 1;
	snprintf(desc, sizeof(desc), "Too Many Requests: retry after %d",
	    retry_after);
	reply_error_params(r, 429, desc,
	    json_pack("{s:i}", "retry_after", retry_after));
	r->retry_after = retry_after;
}

void
reply_raw(struct reply *r, int status, const char *ctype, const char *body,
    size_t len)
{
	reply_reset_body(r);
	r->status = status;
	r->content_type = ctype;
	r->raw = fake_xstrndup(body, len);
	r->raw_len = len;
}
