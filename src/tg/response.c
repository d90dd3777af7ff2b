/* Mapping of Bot API answers to results (see tg.h). Telegram's answers are
 * data: anything that is not the documented JSON envelope becomes
 * TG_BAD_RESPONSE, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "dobrobot/tg.h"
#include "dobrobot/xalloc.h"

void
tg_result_release(struct tg_result *r)
{
	json_decref(r->result);
	free(r->err.description);
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

void
tg_parse_response(long http_status, const char *body, size_t len,
    long retry_after_header, struct tg_result *out)
{
	memset(out, 0, sizeof *out);
	out->http_status = http_status;
	json_error_t jerr;
	json_t *root = len > 0 ? json_loadb(body, len, JSON_REJECT_DUPLICATES,
	    &jerr) : NULL;
	json_t *ok = json_object_get(root, "ok");
	if (root == NULL || !json_is_object(root) || !json_is_boolean(ok)) {
		char what[96];
		if (http_status >= 500 || http_status == 0)
			snprintf(what, sizeof what, "HTTP %ld with a body that is "
			    "not Bot API JSON", http_status);
		else
			snprintf(what, sizeof what, "malformed answer (HTTP %ld)",
			    http_status);
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
		}
		json_decref(root);
		return;
	}
	json_t *code = json_object_get(root, "error_code");
	const char *desc = json_string_value(json_object_get(root, "description"));
	set_error(out, TG_API_ERROR,
	    json_is_integer(code) ? (int)json_integer_value(code) : (int)http_status,
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
