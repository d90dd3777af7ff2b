/* Mapping of Bot API answers to results (see tg.h). Telegram's answers are
 * data: anything that is not the documented JSON envelope becomes
 * TG_BAD_RESPONSE, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/tg/tg.h"
#include "dobrobot/core/xalloc.h"

void
tg_result_release(struct tg_result *r)
{
	json_decref(r->result);
	free(r->err.description);
	free(r->body);
	memset(r, 0, sizeof *r);
}

static void
set_error(struct tg_result *out, enum tg_outcome outcome, int code,
    const char *description)
{
	out->outcome = outcome;
	out->err.code = code;
	free(out->err.description);
	out->err.description = xstrdup(description);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The value of the "\uXXXX" escape at s[i], or -1 when there is none. */
static long
escape_at(const char *s, size_t len, size_t i)
{
	if (i + 6 > len || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	long v = 0;
	for (size_t k = 2; k < 6; k++) {
		int h = hex_value(s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* jansson refuses a whole answer for one "\ud800" that lacks its pair;
 * such an escape is rewritten, in a copy, as "\ufffd" (the same six
 * bytes). Escapes are read in order, so "\\ud800" (an escaped backslash,
 * then text) is left alone. Returns the copy, or NULL when nothing needed
 * rewriting. */
static char *
repair_lone_surrogates(const char *body, size_t len)
{
	char *copy = NULL;

	for (size_t i = 0; i < len;) {
		if (body[i] != '\\') {
			i++;
			continue;
		}
		long v = escape_at(body, len, i);
		if (v < 0) {
			i += 2; /* "\\", "\"", "\n"...: the next byte is not
				 * an escape of its own */
			continue;
		}
		long next = escape_at(body, len, i + 6);
		if (v >= 0xD800 && v <= 0xDBFF && next >= 0xDC00 &&
		    next <= 0xDFFF) {
			i += 12; /* a well-formed pair */
			continue;
		}
		if (v >= 0xD800 && v <= 0xDFFF) {
			if (copy == NULL) {
				copy = xmalloc(len);
				memcpy(copy, body, len);
			}
			memcpy(copy + i, "\\ufffd", 6);
		}
		i += 6;
	}
	return copy;
}

static size_t
skip_json_space(const char *s, size_t len, size_t j)
{
	while (j < len &&
	    (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
		j++;
	return j;
}

/* The integer after `"update_id"` at s[i], if ": <integer>" follows. */
static bool
member_integer(const char *s, size_t len, size_t j, int64_t *id)
{
	j = skip_json_space(s, len, j);
	if (j >= len || s[j] != ':')
		return false;
	j = skip_json_space(s, len, j + 1);
	bool neg = j < len && s[j] == '-';
	if (neg)
		j++;
	int64_t v = 0;
	size_t digits = 0;
	for (; j < len && s[j] >= '0' && s[j] <= '9'; j++, digits++) {
		if (digits == 18)
			return false; /* beyond any id; not ours to guess */
		v = v * 10 + (s[j] - '0');
	}
	if (digits == 0)
		return false;
	*id = neg ? -v : v;
	return true;
}

bool
tg_scan_update_id(const char *body, size_t len, int64_t *id)
{
	static const char key[] = "\"update_id\"";
	const size_t klen = sizeof key - 1;

	for (size_t i = 0; i < len; i++) {
		if (body[i] != '"')
			continue;
		if (i + klen <= len && memcmp(body + i, key, klen) == 0 &&
		    member_integer(body, len, i + klen, id))
			return true;
		/* Skip this string, whatever it holds. */
		for (i++; i < len && body[i] != '"'; i++)
			if (body[i] == '\\')
				i++;
	}
	return false;
}

void
tg_parse_response(long http_status, const char *body, size_t len,
    long retry_after_header, struct tg_result *out)
{
	memset(out, 0, sizeof *out);
	out->http_status = http_status;
	json_error_t jerr;
	char *repaired = len > 0 ? repair_lone_surrogates(body, len) : NULL;
	json_t *root = len > 0
	    ? json_loadb(repaired ? repaired : body, len,
	          JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr)
	    : NULL;
	free(repaired);
	json_t *ok = json_object_get(root, "ok");
	if (root == NULL || !json_is_object(root) || !json_is_boolean(ok)) {
		char what[96];
		if (http_status >= 500 || http_status == 0)
			snprintf(what, sizeof what,
			    "HTTP %ld with a body that is "
			    "not Bot API JSON",
			    http_status);
		else
			snprintf(what, sizeof what,
			    "malformed answer (HTTP %ld)", http_status);
		set_error(out, TG_BAD_RESPONSE, (int)http_status, what);
		out->err.retry_after = (int)retry_after_header;
		json_decref(root);
		return;
	}
	if (json_is_true(ok)) {
		json_t *result = json_object_get(root, "result");
		if (result == NULL) {
			set_error(out, TG_BAD_RESPONSE, (int)http_status,
			    "answer with ok=true but no result");
		} else {
			out->outcome = TG_OK;
			out->result = json_incref(result);
			json_t *id = json_object_get(result, "message_id");
			if (json_is_integer(id))
				out->message_id = json_integer_value(id);
		}
		json_decref(root);
		return;
	}
	json_t *code = json_object_get(root, "error_code");
	const char *desc = json_string_value(json_object_get(root,
	    "description"));
	set_error(out, TG_API_ERROR,
	    json_is_integer(code) ? (int)json_integer_value(code)
	                          : (int)http_status,
	    desc ? desc : "no description");
	json_t *params = json_object_get(root, "parameters");
	json_t *ra = json_object_get(params, "retry_after");
	json_t *mig = json_object_get(params, "migrate_to_chat_id");
	if (json_is_integer(ra) && json_integer_value(ra) >= 0 &&
	    json_integer_value(ra) < 86400)
		out->err.retry_after = (int)json_integer_value(ra);
	else if (retry_after_header > 0 && retry_after_header < 86400)
		out->err.retry_after = (int)retry_after_header;
	if (json_is_integer(mig))
		out->err.migrate_to = json_integer_value(mig);
	json_decref(root);
}

bool
tg_error_is_blocked(const struct tg_result *r)
{
	return r->outcome == TG_API_ERROR && r->err.code == 403;
}

bool
tg_error_is_not_modified(const struct tg_result *r)
{
	return r->outcome == TG_API_ERROR && r->err.code == 400 &&
	    r->err.description != NULL &&
	    strstr(r->err.description, "message is not modified") != NULL;
}

bool
tg_error_is_retryable(const struct tg_result *r)
{
	switch (r->outcome) {
	case TG_TRANSPORT:
	case TG_BAD_RESPONSE:
		return true;
	case TG_API_ERROR:
		return r->err.code >= 500 || r->err.code == 429;
	case TG_OK:
		break;
	}
	return false;
}
