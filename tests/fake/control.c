/* fakeapi control interface, /_ctl/...: queue updates, read back what the
 * bot sent (sent log, message states, update timings, stats), and configure
 * limits, faults, chat states and update ids. JSON in, JSON out. */
#include "fake.h"

#include <math.h>
#include <stdarg.h>
#include <strings.h>

static json_t *
ms_json(double ms)
{
	if (ms < 0)
		return json_null();
	return json_real(round(ms * 1000.0) / 1000.0);
}

static void ctl_error(struct reply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ctl_error(struct reply *r, int status, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	reply_clear(r);
	r->status = status;
	r->body = json_pack("{s:b,s:s}", "ok", 0, "error", buf);
}

static void
ctl_ok(struct reply *r, json_t *body)
{
	json_t *o = json_pack("{s:b}", "ok", 1);

	if (body)
		json_object_update(o, body);
	json_decref(body);
	reply_clear(r);
	r->status = 200;
	r->body = o;
}

static bool
query_int(const json_t *q, const char *key, int64_t *out)
{
	return param_int(q, key, out);
}

static void
ctl_updates(const json_t *in, struct reply *r)
{
	json_t *list = NULL;
	json_t *ids = json_array();
	char err[256];
	size_t i;
	json_t *u;

	if (json_is_array(in))
		list = json_incref((json_t *)in);
	else if (json_is_array(json_object_get(in, "updates")))
		list = json_incref(json_object_get(in, "updates"));
	else if (json_is_object(in))
		list = json_pack("[O]", in);
	if (!list) {
		json_decref(ids);
		ctl_error(r, 400, "expected {\"updates\":[...]}");
		return;
	}
	fake_lock();
	json_array_foreach(list, i, u)
	{
		int64_t id = updates_queue(u, err, sizeof(err));

		if (id < 0) {
			fake_wake_polls();
			fake_unlock();
			ctl_error(r, 400, "updates[%zu]: %s", i, err);
			json_object_set_new(r->body, "ids", ids);
			json_decref(list);
			return;
		}
		json_array_append_new(ids, json_integer(id));
	}
	fake_wake_polls();
	fake_unlock();
	json_decref(list);
	ctl_ok(r, json_pack("{s:o}", "ids", ids));
}

/* {"raw": "<bytes of one update>", "update_id": N (optional), "type":
 * "message" (optional)}: the bytes go into getUpdates answers as they are
 * (see updates_queue_raw). */
static void
ctl_raw_update(const json_t *in, struct reply *r)
{
	json_t *raw = json_object_get(in, "raw");
	json_t *idv = json_object_get(in, "update_id");
	const char *type = param_str(in, "type");

	if (!json_is_string(raw) || (idv && !json_is_integer(idv))) {
		ctl_error(r, 400,
		    "expected {\"raw\":\"...\", \"update_id\":N}");
		return;
	}
	fake_lock();
	int64_t id = updates_queue_raw(json_string_value(raw),
	    json_string_length(raw), idv ? json_integer_value(idv) : 0,
	    type && *type ? type : "message");

	fake_wake_polls();
	fake_unlock();
	ctl_ok(r, json_pack("{s:I}", "update_id", (json_int_t)id));
}

static json_t *
sent_json(const struct sent_entry *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "seq", json_integer(e->seq));
	json_object_set_new(o, "t_ms", ms_json(e->t_ms));
	json_object_set_new(o, "done_ms", ms_json(e->done_ms));
	json_object_set_new(o, "method", json_string(e->method));
	json_object_set(o, "params", e->params);
	json_object_set_new(o, "status", json_integer(e->status));
	json_object_set_new(o, "response",
	    e->response ? json_incref(e->response) : json_null());
	if (e->fault)
		json_object_set_new(o, "fault", json_string(e->fault));
	return o;
}

static void
ctl_sent(const json_t *q, struct reply *r)
{
	int64_t since = 0;
	const char *method = param_str(q, "method");
	json_t *arr = json_array();

	query_int(q, "since", &since);
	fake_lock();
	size_t start = 0;

	if (G.nsent && since >= G.sent[0].seq)
		start = (size_t)(since - G.sent[0].seq + 1);
	for (size_t i = start; i < G.nsent; i++) {
		const struct sent_entry *e = &G.sent[i];

		if (method && *method && strcasecmp(method, e->method))
			continue;
		json_array_append_new(arr, sent_json(e));
	}
	int64_t next = G.next_seq - 1;

	fake_unlock();
	if (next < since)
		next = since;
	ctl_ok(r,
	    json_pack("{s:o,s:I}", "sent", arr, "next", (json_int_t)next));
}

static void
ctl_updates_log(struct reply *r)
{
	json_t *arr = json_array();

	fake_lock();
	for (size_t i = 0; i < G.nupdates; i++) {
		const struct update *u = &G.updates[i];
		json_t *o = json_object();

		json_object_set_new(o, "update_id", json_integer(u->id));
		json_object_set_new(o, "type", json_string(u->type));
		json_object_set_new(o, "queued_ms", ms_json(u->queued_ms));
		json_object_set_new(o, "delivered_ms",
		    ms_json(u->delivered_ms));
		json_object_set_new(o, "confirmed_ms",
		    ms_json(u->confirmed_ms));
		json_object_set_new(o, "pending", json_boolean(u->pending));
		json_object_set_new(o, "dropped", json_boolean(u->dropped));
		json_array_append_new(arr, o);
	}
	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", "updates", arr));
}

static void
ctl_stats(struct reply *r)
{
	json_t *o = json_object();
	json_t *status = json_object();
	json_t *msgs = json_object();
	char key[32];

	fake_lock();
	json_object_set_new(o, "requests", json_deep_copy(G.req_count));
	for (int i = 0; i < 600; i++)
		if (G.status_count[i]) {
			snprintf(key, sizeof(key), "%d", i);
			json_object_set_new(status, key,
			    json_integer(G.status_count[i]));
		}
	json_object_set_new(o, "status", status);
	json_object_set_new(o, "pending_updates",
	    json_integer(G.pending_count));
	json_object_set_new(o, "delivered_updates",
	    json_integer(G.delivered_count));
	json_object_set_new(o, "queued_updates",
	    json_integer((json_int_t)G.nupdates));
	json_object_set_new(o, "next_update_id",
	    json_integer(G.next_update_id));
	json_object_set_new(o, "confirmed_offset",
	    json_integer(G.confirmed_offset));
	json_object_set_new(o, "conflicts", json_integer(G.conflicts));
	json_object_set_new(o, "too_many_requests",
	    json_integer(G.status_count[429]));
	json_object_set_new(o, "too_many_requests_by_kind",
	    json_pack("{s:I,s:I,s:I,s:I,s:I}", "global",
	        (json_int_t)G.limits.n429_global, "chat",
	        (json_int_t)G.limits.n429_chat, "group",
	        (json_int_t)G.limits.n429_group, "paid",
	        (json_int_t)G.limits.n429_paid, "script",
	        (json_int_t)G.faults.n429_script));
	json_object_set_new(o, "max_concurrent", json_integer(G.max_inflight));
	json_object_set_new(o, "in_flight", json_integer(G.inflight));
	for (size_t i = 0; i < G.chat_tab_size; i++)
		for (struct chat *c = G.chat_tab[i]; c; c = c->next)
			if (c->sent_count) {
				snprintf(key, sizeof(key), "%lld",
				    (long long)c->id);
				json_object_set_new(msgs, key,
				    json_integer(c->sent_count));
			}
	json_object_set_new(o, "messages", msgs);
	json_object_set_new(o, "faults",
	    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "drop",
	        (json_int_t)G.faults.n_drop, "drop_after",
	        (json_int_t)G.faults.n_drop_after, "5xx",
	        (json_int_t)G.faults.n_5xx, "html_502",
	        (json_int_t)G.faults.n_html_502, "malformed",
	        (json_int_t)G.faults.n_malformed, "script",
	        (json_int_t)G.faults.n_script));
	json_object_set_new(o, "script_pending",
	    json_integer((json_int_t)json_array_size(G.faults.script)));
	json_object_set_new(o, "sent_log", json_integer((json_int_t)G.nsent));
	fake_unlock();
	ctl_ok(r, o);
}

static json_t *
limits_json(void)
{
	const struct limits *l = &G.limits;

	return json_pack("{s:b,s:f,s:f,s:f,s:f,s:f,s:f,s:O}", "enforce",
	    l->enforce, "global_per_s", l->global_per_s, "chat_per_s",
	    l->chat_per_s, "chat_burst", l->chat_burst, "group_per_min",
	    l->group_per_min, "paid_per_s", l->paid_per_s,
	    "callback_timeout_ms", l->callback_timeout_ms, "methods",
	    l->methods);
}

static json_t *
faults_json(void)
{
	const struct faults *f = &G.faults;

	return json_pack("{s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:O?,s:O}", "seed",
	    (json_int_t)f->seed, "latency_ms", f->latency_ms, "poll_latency_ms",
	    f->poll_latency_ms, "rate_5xx", f->rate_5xx, "rate_html_502",
	    f->rate_html_502, "rate_drop", f->rate_drop, "rate_drop_after",
	    f->rate_drop_after, "rate_malformed", f->rate_malformed, "methods",
	    f->methods, "script", f->script);
}

static void
ctl_config(const char *what, const json_t *in, bool write, struct reply *r)
{
	char err[256];
	bool limits = !strcmp(what, "limits");

	fake_lock();
	if (write &&
	    (limits ? limits_configure(in, err, sizeof(err))
	            : faults_configure(in, err, sizeof(err)))) {
		fake_unlock();
		ctl_error(r, 400, "%s", err);
		return;
	}
	json_t *cur = limits ? limits_json() : faults_json();

	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", what, cur));
}

static void
ctl_chat(const json_t *in, struct reply *r)
{
	static const char *const flags[] = {
	    "blocked", "deactivated", "kicked", "not_found", NULL};
	json_t *idv = json_object_get(in, "chat_id");
	const char *key;
	json_t *v;

	if (!json_is_integer(idv) || json_integer_value(idv) == 0) {
		ctl_error(r, 400,
		    "chat: chat_id (a non-zero integer) is required");
		return;
	}
	json_object_foreach((json_t *)in, key, v)
	{
		bool ok = !strcmp(key, "chat_id");

		for (size_t i = 0; flags[i]; i++)
			if (!strcmp(key, flags[i]))
				ok = json_is_boolean(v);
		if (!strcmp(key, "clear"))
			ok = json_is_boolean(v);
		if (!strcmp(key, "migrate_to"))
			ok = json_is_integer(v) || json_is_null(v);
		if (!strcmp(key, "admins"))
			ok = json_is_array(v) || json_is_null(v);
		if (!strcmp(key, "info"))
			ok = json_is_object(v) || json_is_null(v);
		if (!ok) {
			ctl_error(r, 400, "chat: bad or unknown key \"%s\"",
			    key);
			return;
		}
	}
	fake_lock();
	struct chat *c = chat_get(json_integer_value(idv));

	if (json_is_true(json_object_get(in, "clear"))) {
		c->blocked = c->deactivated = c->kicked = c->not_found = false;
		c->migrate_to = 0;
		json_decref(c->admins);
		c->admins = NULL;
	}
	json_object_foreach((json_t *)in, key, v)
	{
		if (!strcmp(key, "blocked"))
			c->blocked = json_is_true(v);
		else if (!strcmp(key, "deactivated"))
			c->deactivated = json_is_true(v);
		else if (!strcmp(key, "kicked"))
			c->kicked = json_is_true(v);
		else if (!strcmp(key, "not_found"))
			c->not_found = json_is_true(v);
		else if (!strcmp(key, "migrate_to"))
			c->migrate_to = json_is_integer(v)
			    ? json_integer_value(v)
			    : 0;
		else if (!strcmp(key, "admins")) {
			json_decref(c->admins);
			c->admins = json_is_array(v) ? json_deep_copy(v) : NULL;
		} else if (!strcmp(key, "info")) {
			json_decref(c->info);
			c->info = json_is_object(v) ? json_deep_copy(v) : NULL;
		}
	}
	json_t *out = json_pack("{s:I,s:b,s:b,s:b,s:b,s:I}", "chat_id",
	    (json_int_t)c->id, "blocked", c->blocked, "deactivated",
	    c->deactivated, "kicked", c->kicked, "not_found", c->not_found,
	    "migrate_to", (json_int_t)c->migrate_to);

	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", "chat", out));
}

static void
ctl_messages(const json_t *q, struct reply *r)
{
	int64_t chat_id;
	json_t *arr = json_array();

	if (!query_int(q, "chat_id", &chat_id)) {
		json_decref(arr);
		ctl_error(r, 400, "messages: chat_id is required");
		return;
	}
	fake_lock();
	struct chat *c = chat_find(chat_id);

	for (size_t i = 0; c && i < c->nmsgs; i++) {
		const struct message *m = &c->msgs[i];

		if (!m->outgoing)
			continue;
		json_t *o = json_object();

		json_object_set_new(o, "message_id",
		    json_integer(m->message_id));
		json_object_set_new(o, "kind", json_string(m->kind));
		json_object_set_new(o, "text",
		    m->text ? json_string(m->text) : json_null());
		json_object_set_new(o, "raw_text",
		    m->raw_text ? json_string(m->raw_text) : json_null());
		json_object_set_new(o, "parse_mode",
		    m->parse_mode ? json_string(m->parse_mode) : json_null());
		json_object_set_new(o, "entities",
		    m->entities ? json_incref(m->entities) : json_array());
		json_object_set_new(o, "reply_markup",
		    m->reply_markup ? json_incref(m->reply_markup)
		                    : json_null());
		if (m->media)
			json_object_set(o,
			    !strcmp(m->kind, "photo") ? "photo" : "document",
			    m->media);
		json_object_set_new(o, "edits", json_integer(m->edits));
		json_object_set_new(o, "date", json_integer(m->date));
		json_object_set_new(o, "edit_date",
		    m->edit_date ? json_integer(m->edit_date) : json_null());
		json_object_set_new(o, "deleted", json_boolean(m->deleted));
		json_array_append_new(arr, o);
	}
	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", "messages", arr));
}

static void
ctl_commands(struct reply *r)
{
	json_t *arr = json_array();
	const char *key;
	json_t *v;

	fake_lock();
	json_object_foreach(G.commands, key, v)
	{
		json_array_append_new(arr, json_deep_copy(v));
	}
	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", "commands", arr));
}

static void
ctl_callbacks(struct reply *r)
{
	fake_lock();
	json_t *all = json_deep_copy(G.callbacks);

	fake_unlock();
	ctl_ok(r, json_pack("{s:o}", "callbacks", all));
}

void
control_handle(const char *path, const char *http_method, const json_t *query,
    const char *body, size_t body_len, struct reply *r)
{
	json_t *in = NULL;
	json_error_t jerr;
	bool post = !strcasecmp(http_method, "POST") ||
	    !strcasecmp(http_method, "PUT");
	char p[64];
	size_t n = strlen(path);

	while (n && path[n - 1] == '/')
		n--;
	snprintf(p, sizeof(p), "%.*s", (int)(n < 63 ? n : 63), path);

	if (body && body_len) {
		in = json_loadb(body, body_len,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		if (!in) {
			ctl_error(r, 400, "invalid JSON: %s", jerr.text);
			return;
		}
	}
	if (post && !in)
		in = json_object();

	if (!strcmp(p, "updates") && post) {
		ctl_updates(in, r);
	} else if (!strcmp(p, "raw_update") && post) {
		ctl_raw_update(in, r);
	} else if (!strcmp(p, "sent")) {
		ctl_sent(query, r);
	} else if (!strcmp(p, "updates_log")) {
		ctl_updates_log(r);
	} else if (!strcmp(p, "stats")) {
		ctl_stats(r);
	} else if (!strcmp(p, "limits") || !strcmp(p, "faults")) {
		ctl_config(p, in, post, r);
	} else if (!strcmp(p, "chat") && post) {
		ctl_chat(in, r);
	} else if (!strcmp(p, "next_update_id") && post) {
		json_t *v = json_object_get(in, "id");

		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			ctl_error(r, 400,
			    "next_update_id: id must be a positive "
			    "integer");
		} else {
			fake_lock();
			G.next_update_id = json_integer_value(v);
			fake_unlock();
			ctl_ok(r, json_pack("{s:O}", "id", v));
		}
	} else if (!strcmp(p, "reset") && post) {
		fake_lock();
		state_reset();
		fake_unlock();
		ctl_ok(r, NULL);
	} else if (!strcmp(p, "messages")) {
		ctl_messages(query, r);
	} else if (!strcmp(p, "commands")) {
		ctl_commands(r);
	} else if (!strcmp(p, "callbacks")) {
		ctl_callbacks(r);
	} else if (!strcmp(p, "health")) {
		ctl_ok(r, NULL);
	} else {
		ctl_error(r, 404, "unknown control endpoint %s /_ctl/%s",
		    http_method, p);
	}
	json_decref(in);
}
