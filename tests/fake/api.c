/* fakeapi Bot API methods: getUpdates long polling with Telegram's offset
 * rules and 409 Conflict, the send/edit/delete methods with Telegram's
 * validation and error texts, chat access errors (blocked, kicked,
 * migrated), callback answers, and bot commands. */
#include "fake.h"

#include <inttypes.h>
#include <strings.h>

typedef void (*api_fn)(struct api_call *c, struct reply *r);

/* ---- shared checks (all locked) ---- */

static bool
need_chat_id(struct api_call *c, struct reply *r, const char *key, int64_t *id)
{
	json_t *v = json_object_get(c->params, key);

	if (!v || json_is_null(v) ||
	    (json_is_string(v) && !*json_string_value(v))) {
		if (!strcmp(key, "chat_id"))
			reply_error(r, 400, "Bad Request: chat_id is empty");
		else
			reply_errorf(r, 400,
			    "Bad Request: parameter \"%s\" is required", key);
		return false;
	}
	if (!param_int(c->params, key, id) || *id == 0) {
		reply_error(r, 400, "Bad Request: chat not found");
		return false;
	}
	return true;
}

static bool
need_message_id(struct api_call *c, struct reply *r, int64_t *id)
{
	if (!param_int(c->params, "message_id", id) || *id <= 0) {
		reply_error(r, 400,
		    "Bad Request: message identifier is not specified");
		return false;
	}
	return true;
}

static const char *
chat_type_of(int64_t id)
{
	struct chat *ch = chat_find(id);
	const char *t = ch && ch->info
	    ? json_string_value(json_object_get(ch->info, "type"))
	    : NULL;

	if (t)
		return t;
	if (id > 0)
		return "private";
	return id < -1000000000000LL ? "supergroup" : "group";
}

/* Telegram's access errors for sending into a chat. */
static bool
chat_writable(struct reply *r, int64_t chat_id)
{
	struct chat *ch = chat_find(chat_id);

	if (!ch)
		return true;
	if (ch->not_found) {
		reply_error(r, 400, "Bad Request: chat not found");
		return false;
	}
	if (ch->migrate_to) {
		reply_error_params(r, 400,
		    "Bad Request: group chat was upgraded to a supergroup chat",
		    json_pack("{s:I}", "migrate_to_chat_id",
		        (json_int_t)ch->migrate_to));
		return false;
	}
	if (ch->blocked) {
		reply_error(r, 403, "Forbidden: bot was blocked by the user");
		return false;
	}
	if (ch->deactivated) {
		reply_error(r, 403, "Forbidden: user is deactivated");
		return false;
	}
	if (ch->kicked) {
		const char *t = chat_type_of(chat_id);

		reply_errorf(r, 403,
		    "Forbidden: bot was kicked from the %s chat",
		    !strcmp(t, "private") ? "group" : t);
		return false;
	}
	return true;
}

/* reply_markup: absent, or valid. *out is borrowed. */
static bool
markup_param(struct api_call *c, struct reply *r, json_t **out)
{
	json_t *v = json_object_get(c->params, "reply_markup");
	char err[512];

	*out = NULL;
	if (!v || json_is_null(v) ||
	    (json_is_string(v) && !*json_string_value(v)))
		return true;
	if (markup_check(v, err, sizeof(err))) {
		reply_error(r, 400, err);
		return false;
	}
	*out = v;
	return true;
}

static bool
rate_ok(struct api_call *c, struct reply *r, int64_t chat_id)
{
	if (!limits_counts_method(c->method))
		return true;
	int wait = limits_take(chat_id,
	    param_bool(c->params, "allow_paid_broadcast"), fake_now_ms());

	if (wait) {
		reply_too_many(r, wait);
		return false;
	}
	return true;
}

/* Parses text or caption with its parse_mode and checks its length. */
static bool
text_param(struct api_call *c, struct reply *r, const char *key, size_t max,
    bool allow_empty, struct ftext *ft)
{
	const char *raw = param_str(c->params, key);
	bool caption = strcmp(key, "text") != 0;
	char err[700];

	if (!raw)
		raw = "";
	if (ftext_parse(ft, raw, strlen(raw),
	        param_str(c->params, "parse_mode"), err, sizeof(err))) {
		reply_error(r, 400, err);
		return false;
	}
	if (!allow_empty && ft->len == 0) {
		ftext_free(ft);
		reply_error(r, 400, "Bad Request: message text is empty");
		return false;
	}
	if (ft->codepoints > max) {
		ftext_free(ft);
		reply_error(r, 400,
		    caption ? "Bad Request: message caption is too long"
		            : "Bad Request: message is too long");
		return false;
	}
	json_t *ents = json_object_get(c->params,
	    caption ? "caption_entities" : "entities");

	if (json_is_array(ents) && json_array_size(ft->entities) == 0) {
		json_decref(ft->entities);
		ft->entities = json_deep_copy(ents);
	}
	return true;
}

/* The message a send replies to: 0 when none (or missing but allowed). */
static bool
reply_target(struct api_call *c, struct reply *r, int64_t chat_id,
    int64_t *target)
{
	int64_t id = 0;
	bool allow = param_bool(c->params, "allow_sending_without_reply");
	json_t *rp = json_object_get(c->params, "reply_parameters");

	*target = 0;
	if (json_is_object(rp)) {
		json_t *v = json_object_get(rp, "message_id");

		if (json_is_integer(v))
			id = json_integer_value(v);
		if (json_is_true(json_object_get(rp,
		        "allow_sending_without_reply")))
			allow = true;
	} else {
		param_int(c->params, "reply_to_message_id", &id);
	}
	if (id <= 0)
		return true;
	struct message *m = chat_message(chat_find(chat_id), id);

	if (!m || m->deleted) {
		if (allow)
			return true;
		reply_error(r, 400,
		    "Bad Request: message to be replied not found");
		return false;
	}
	*target = id;
	return true;
}

static bool
markup_equal(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return a == b;
	return json_equal((json_t *)a, (json_t *)b);
}

static void
store_text(struct message *m, struct api_call *c, struct ftext *ft,
    const char *key)
{
	const char *raw = param_str(c->params, key);
	const char *pm = param_str(c->params, "parse_mode");

	free(m->text);
	free(m->raw_text);
	free(m->parse_mode);
	json_decref(m->entities);
	m->text = ft->text;
	m->entities = ft->entities;
	ft->text = NULL;
	ft->entities = NULL;
	m->raw_text = fake_xstrdup(raw ? raw : "");
	m->parse_mode = pm && *pm ? fake_xstrdup(pm) : NULL;
}

static void
store_markup(struct message *m, json_t *markup)
{
	json_decref(m->reply_markup);
	m->reply_markup = markup ? json_incref(markup) : NULL;
}

/* ---- methods ---- */

static void
m_get_me(struct api_call *c, struct reply *r)
{
	json_t *u = bot_user_object();

	(void)c;
	json_object_set_new(u, "can_join_groups", json_true());
	json_object_set_new(u, "can_read_all_group_messages", json_false());
	json_object_set_new(u, "supports_inline_queries", json_false());
	json_object_set_new(u, "can_connect_to_business", json_false());
	json_object_set_new(u, "has_main_web_app", json_false());
	reply_ok(r, u);
}

static bool
update_allowed(const char *type)
{
	json_t *a = G.allowed_updates;
	size_t i;
	json_t *v;

	if (!a || !json_array_size(a))
		return strcmp(type, "chat_member") &&
		    strcmp(type, "message_reaction") &&
		    strcmp(type, "message_reaction_count");
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && !strcmp(json_string_value(v), type))
			return true;
	}
	return false;
}

static void
update_confirm(struct update *u, double now)
{
	u->pending = false;
	u->confirmed_ms = now;
	G.pending_count--;
}

/* Telegram's TQueue semantics: ids below offset are confirmed and
 * forgotten; offset <= 0 or too far ahead reads from the head. */
static json_t *
updates_select(int64_t offset, int64_t limit, double now)
{
	int64_t last_id = G.next_update_id - 1;
	bool from_head = offset <= 0 || offset > last_id + 10;
	json_t *arr = json_array();

	if (offset < 0 && G.pending_count > -offset) {
		int64_t drop = G.pending_count - (-offset);

		for (size_t i = G.first_pending; i < G.nupdates && drop > 0;
		     i++)
			if (G.updates[i].pending) {
				update_confirm(&G.updates[i], now);
				drop--;
			}
	}
	if (!from_head) {
		for (size_t i = G.first_pending; i < G.nupdates; i++)
			if (G.updates[i].pending && G.updates[i].id < offset)
				update_confirm(&G.updates[i], now);
		G.confirmed_offset = offset;
	}
	while (G.first_pending < G.nupdates &&
	    !G.updates[G.first_pending].pending)
		G.first_pending++;
	for (size_t i = G.first_pending;
	     i < G.nupdates && (int64_t)json_array_size(arr) < limit; i++) {
		struct update *u = &G.updates[i];

		if (!u->pending)
			continue;
		if (!update_allowed(u->type)) {
			u->pending = false;
			u->dropped = true;
			G.pending_count--;
			continue;
		}
		if (u->raw)
			json_array_append_new(arr,
			    json_pack("{s:s%}", "raw update", u->raw,
			        u->raw_len));
		else
			json_array_append(arr, u->json);
		if (u->delivered_ms < 0) {
			u->delivered_ms = now;
			G.delivered_count++;
			if (!strcmp(u->type, "callback_query")) {
				json_t *cq = json_object_get(u->json,
				    "callback_query");
				json_t *st = json_object_get(G.callbacks,
				    json_string_value(json_object_get(cq,
				        "id")));

				if (st)
					json_object_set_new(st, "delivered_ms",
					    json_real(now));
			}
		}
	}
	return arr;
}

/* The answer to getUpdates: JSON, unless a raw update is in it; then the
 * body is written by hand, raw updates as their bytes (steals arr). */
static void
reply_updates(struct reply *r, json_t *arr)
{
	size_t i;
	json_t *u;
	bool raw = false;

	json_array_foreach(arr, i, u)
	{
		if (json_object_get(u, "raw update"))
			raw = true;
	}
	if (!raw) {
		reply_ok(r, arr);
		return;
	}
	struct sbuf b = {0};

	sbuf_addf(&b, "{\"ok\":true,\"result\":[");
	json_array_foreach(arr, i, u)
	{
		json_t *rv = json_object_get(u, "raw update");

		if (i > 0)
			sbuf_addc(&b, ',');
		if (rv) {
			sbuf_add(&b, json_string_value(rv),
			    json_string_length(rv));
		} else {
			char *d = json_dumps(u, JSON_COMPACT);

			sbuf_add(&b, d, strlen(d));
			free(d);
		}
	}
	sbuf_addf(&b, "]}");
	reply_raw(r, 200, "application/json", b.p, b.len);
	sbuf_free(&b);
	json_decref(arr);
}

static void
m_get_updates(struct api_call *c, struct reply *r)
{
	int64_t offset = 0, limit = 100, timeout = 0;
	json_t *au = json_object_get(c->params, "allowed_updates");
	json_t *arr;

	param_int(c->params, "offset", &offset);
	if (!param_int(c->params, "limit", &limit))
		limit = 100;
	limit = limit < 1 ? 1 : limit > 100 ? 100 : limit;
	if (!param_int(c->params, "timeout", &timeout))
		timeout = 0;
	timeout = timeout < 0 ? 0 : timeout > 50 ? 50 : timeout;

	fake_lock();
	if (json_is_array(au)) {
		json_decref(G.allowed_updates);
		G.allowed_updates = json_deep_copy(au);
	}
	uint64_t me = ++G.poll_serial;

	/* A newer getUpdates terminates the one still waiting. */
	if (G.parked_poll) {
		G.parked_poll = 0;
		G.conflicts++;
		fake_wake_polls();
	}
	double deadline = fake_now_ms() + (double)timeout * 1000.0;

	for (;;) {
		double now = fake_now_ms();

		arr = updates_select(offset, limit, now);
		if (json_array_size(arr) || timeout == 0 || G.shutting_down ||
		    now >= deadline)
			break;
		json_decref(arr);
		G.parked_poll = me;
		fake_wait_polls(deadline);
		if (G.parked_poll != me) {
			fake_unlock();
			reply_error(r, 409,
			    "Conflict: terminated by other getUpdates "
			    "request; make sure that only one bot instance "
			    "is running");
			return;
		}
		G.parked_poll = 0;
	}
	fake_unlock();
	reply_updates(r, arr);
}

static void
m_delete_webhook(struct api_call *c, struct reply *r)
{
	if (param_bool(c->params, "drop_pending_updates")) {
		double now = fake_now_ms();

		for (size_t i = G.first_pending; i < G.nupdates; i++)
			if (G.updates[i].pending)
				update_confirm(&G.updates[i], now);
	}
	reply_ok_desc(r, json_true(), "Webhook is already deleted");
}

static void
m_get_webhook_info(struct api_call *c, struct reply *r)
{
	(void)c;
	reply_ok(r,
	    json_pack("{s:s,s:b,s:I}", "url", "", "has_custom_certificate", 0,
	        "pending_update_count", (json_int_t)G.pending_count));
}

static void
m_send_message(struct api_call *c, struct reply *r)
{
	int64_t chat_id, reply_to;
	json_t *markup;
	struct ftext ft;

	if (!markup_param(c, r, &markup) ||
	    !need_chat_id(c, r, "chat_id", &chat_id))
		return;
	if (!text_param(c, r, "text", 4096, false, &ft))
		return;
	if (!chat_writable(r, chat_id) ||
	    !reply_target(c, r, chat_id, &reply_to) ||
	    !rate_ok(c, r, chat_id)) {
		ftext_free(&ft);
		return;
	}
	struct chat *ch = chat_get(chat_id);
	struct message *m = chat_add_message(ch, 0);

	m->outgoing = true;
	snprintf(m->kind, sizeof(m->kind), "text");
	store_text(m, c, &ft, "text");
	store_markup(m, markup);
	ch->sent_count++;
	json_t *res = message_object(ch, m);

	if (reply_to) {
		struct message *t = chat_message(ch, reply_to);

		if (t)
			json_object_set_new(res, "reply_to_message",
			    message_object(ch, t));
	}
	reply_ok(r, res);
	ftext_free(&ft);
}

/* Finds the bot's message to edit, with Telegram's errors. */
static struct message *
editable(struct reply *r, int64_t chat_id, int64_t message_id)
{
	struct message *m = chat_message(chat_find(chat_id), message_id);

	if (!m || m->deleted) {
		reply_error(r, 400, "Bad Request: message to edit not found");
		return NULL;
	}
	if (!m->outgoing) {
		reply_error(r, 400, "Bad Request: message can't be edited");
		return NULL;
	}
	return m;
}

static const char not_modified[] =
    "Bad Request: message is not modified: specified new message content "
    "and reply markup are exactly the same as a current content and reply "
    "markup of the message";

static void
m_edit_message_text(struct api_call *c, struct reply *r)
{
	int64_t chat_id, mid;
	json_t *markup;
	struct ftext ft;

	if (!markup_param(c, r, &markup))
		return;
	if (param_has(c->params, "inline_message_id")) {
		if (text_param(c, r, "text", 4096, false, &ft)) {
			ftext_free(&ft);
			reply_ok(r, json_true());
		}
		return;
	}
	if (!need_chat_id(c, r, "chat_id", &chat_id) ||
	    !need_message_id(c, r, &mid))
		return;
	if (!text_param(c, r, "text", 4096, false, &ft))
		return;
	struct message *m = NULL;

	if (!chat_writable(r, chat_id) || !(m = editable(r, chat_id, mid)))
		goto out;
	if (m->media) {
		reply_error(r, 400,
		    "Bad Request: there is no text in the message to edit");
		goto out;
	}
	json_t *old_ents = m->entities ? m->entities : NULL;
	bool same_ents = old_ents ? json_equal(old_ents, ft.entities)
	                          : json_array_size(ft.entities) == 0;

	if (m->text && !strcmp(m->text, ft.text) && same_ents &&
	    markup_equal(m->reply_markup, markup)) {
		reply_error(r, 400, not_modified);
		goto out;
	}
	if (!rate_ok(c, r, chat_id))
		goto out;
	store_text(m, c, &ft, "text");
	store_markup(m, markup);
	m->edits++;
	m->edit_date = fake_unix_time();
	reply_ok(r, message_object(chat_find(chat_id), m));
out:
	ftext_free(&ft);
}

/* editMessageCaption: as editMessageText, for a photo or document; the
 * caption may be left out (it is then removed). */
static void
m_edit_message_caption(struct api_call *c, struct reply *r)
{
	int64_t chat_id, mid;
	json_t *markup;
	struct ftext ft;

	if (!markup_param(c, r, &markup))
		return;
	if (param_has(c->params, "inline_message_id")) {
		if (text_param(c, r, "caption", 1024, true, &ft)) {
			ftext_free(&ft);
			reply_ok(r, json_true());
		}
		return;
	}
	if (!need_chat_id(c, r, "chat_id", &chat_id) ||
	    !need_message_id(c, r, &mid))
		return;
	if (!text_param(c, r, "caption", 1024, true, &ft))
		return;
	struct message *m = NULL;

	if (!chat_writable(r, chat_id) || !(m = editable(r, chat_id, mid)))
		goto out;
	if (!m->media) {
		reply_error(r, 400,
		    "Bad Request: there is no caption in the message to edit");
		goto out;
	}
	json_t *old_ents = m->entities ? m->entities : NULL;
	bool same_ents = old_ents ? json_equal(old_ents, ft.entities)
	                          : json_array_size(ft.entities) == 0;

	if (!strcmp(m->text ? m->text : "", ft.text ? ft.text : "") &&
	    same_ents && markup_equal(m->reply_markup, markup)) {
		reply_error(r, 400, not_modified);
		goto out;
	}
	if (!rate_ok(c, r, chat_id))
		goto out;
	store_text(m, c, &ft, "caption");
	store_markup(m, markup);
	m->edits++;
	m->edit_date = fake_unix_time();
	reply_ok(r, message_object(chat_find(chat_id), m));
out:
	ftext_free(&ft);
}

static void
m_edit_message_reply_markup(struct api_call *c, struct reply *r)
{
	int64_t chat_id, mid;
	json_t *markup;
	struct message *m;

	if (!markup_param(c, r, &markup))
		return;
	if (param_has(c->params, "inline_message_id")) {
		reply_ok(r, json_true());
		return;
	}
	if (!need_chat_id(c, r, "chat_id", &chat_id) ||
	    !need_message_id(c, r, &mid) || !chat_writable(r, chat_id) ||
	    !(m = editable(r, chat_id, mid)))
		return;
	if (markup_equal(m->reply_markup, markup)) {
		reply_error(r, 400, not_modified);
		return;
	}
	if (!rate_ok(c, r, chat_id))
		return;
	store_markup(m, markup);
	m->edits++;
	m->edit_date = fake_unix_time();
	reply_ok(r, message_object(chat_find(chat_id), m));
}

static void
m_delete_message(struct api_call *c, struct reply *r)
{
	int64_t chat_id, mid;
	struct chat *ch;

	if (!need_chat_id(c, r, "chat_id", &chat_id) ||
	    !need_message_id(c, r, &mid))
		return;
	ch = chat_find(chat_id);
	if (ch && ch->not_found) {
		reply_error(r, 400, "Bad Request: chat not found");
		return;
	}
	struct message *m = chat_message(ch, mid);

	if (!m || m->deleted) {
		reply_error(r, 400, "Bad Request: message to delete not found");
		return;
	}
	m->deleted = true;
	reply_ok(r, json_true());
}

static void
m_copy_message(struct api_call *c, struct reply *r)
{
	int64_t chat_id, from_id, mid;
	json_t *markup;
	struct ftext cap = {0};
	bool has_caption = param_has(c->params, "caption");

	if (!markup_param(c, r, &markup) ||
	    !need_chat_id(c, r, "chat_id", &chat_id) ||
	    !need_chat_id(c, r, "from_chat_id", &from_id) ||
	    !need_message_id(c, r, &mid))
		return;
	if (has_caption && !text_param(c, r, "caption", 1024, true, &cap))
		return;
	if (!chat_writable(r, chat_id))
		goto out;
	struct message *src = chat_message(chat_find(from_id), mid);

	if (!src || src->deleted) {
		reply_error(r, 400, "Bad Request: message to copy not found");
		goto out;
	}
	if (!rate_ok(c, r, chat_id))
		goto out;

	/* Copy what is needed first: adding a message may move src. */
	char kind[16] = "copy";
	char *text = src->text ? fake_xstrdup(src->text) : NULL;
	json_t *ents = src->entities ? json_deep_copy(src->entities) : NULL;
	json_t *media = NULL;

	if (src->outgoing && src->media) {
		media = json_incref(src->media);
		snprintf(kind, sizeof(kind), "%s", src->kind);
	} else if (src->incoming) {
		json_t *p = json_object_get(src->incoming, "photo");
		json_t *d = json_object_get(src->incoming, "document");
		json_t *e = json_object_get(src->incoming, "entities");

		if (!e)
			e = json_object_get(src->incoming, "caption_entities");
		if (e && !ents)
			ents = json_deep_copy(e);
		if (p) {
			media = json_incref(p);
			snprintf(kind, sizeof(kind), "photo");
		} else if (d) {
			media = json_incref(d);
			snprintf(kind, sizeof(kind), "document");
		}
	}
	struct chat *ch = chat_get(chat_id);
	struct message *m = chat_add_message(ch, 0);

	m->outgoing = true;
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	m->media = media;
	if (has_caption) {
		store_text(m, c, &cap, "caption");
		free(text);
		json_decref(ents);
	} else {
		m->text = text;
		m->raw_text = text ? fake_xstrdup(text) : NULL;
		m->entities = ents;
	}
	store_markup(m, markup);
	ch->sent_count++;
	reply_ok(r,
	    json_pack("{s:I}", "message_id", (json_int_t)m->message_id));
out:
	ftext_free(&cap);
}

/* sendDocument and sendPhoto: the file is an upload (recorded by http.c as
 * {"filename","size","content_type"[,"content"]}) or a file_id / URL. */
static void
send_file(struct api_call *c, struct reply *r, const char *field)
{
	int64_t chat_id;
	json_t *markup;
	struct ftext cap;
	json_t *f = json_object_get(c->params, field);
	const char *name = "file";
	const char *mime = "application/octet-stream";
	json_int_t size = 0;

	if (!markup_param(c, r, &markup) ||
	    !need_chat_id(c, r, "chat_id", &chat_id))
		return;
	if (!f || json_is_null(f) ||
	    (json_is_string(f) && !*json_string_value(f))) {
		reply_errorf(r, 400,
		    "Bad Request: parameter \"%s\" is required", field);
		return;
	}
	if (json_is_object(f)) {
		size = json_integer_value(json_object_get(f, "size"));
		if (size == 0) {
			reply_error(r, 400,
			    "Bad Request: file must be non-empty");
			return;
		}
		if (json_is_string(json_object_get(f, "filename")))
			name = json_string_value(json_object_get(f,
			    "filename"));
		if (json_is_string(json_object_get(f, "content_type")))
			mime = json_string_value(json_object_get(f,
			    "content_type"));
	} else if (json_is_string(f)) {
		const char *slash = strrchr(json_string_value(f), '/');

		name = slash && slash[1] ? slash + 1 : json_string_value(f);
		size = 1024;
	}
	if (!text_param(c, r, "caption", 1024, true, &cap))
		return;
	if (!chat_writable(r, chat_id) || !rate_ok(c, r, chat_id)) {
		ftext_free(&cap);
		return;
	}
	char fid[64], fuid[32];
	uint64_t serial = G.file_serial++;

	snprintf(fid, sizeof(fid), "BQACAgIAAxkBAAI%08" PRIu64 "FakeFile",
	    serial);
	snprintf(fuid, sizeof(fuid), "AgAD%08" PRIu64, serial);

	struct chat *ch = chat_get(chat_id);
	struct message *m = chat_add_message(ch, 0);

	m->outgoing = true;
	if (!strcmp(field, "photo")) {
		char fid2[80];

		snprintf(m->kind, sizeof(m->kind), "photo");
		snprintf(fid2, sizeof(fid2), "%s_m", fid);
		m->media =
		    json_pack("[{s:s,s:s,s:I,s:i,s:i},{s:s,s:s,s:I,s:i,s:i}]",
		        "file_id", fid, "file_unique_id", fuid, "file_size",
		        size / 10 + 1, "width", 90, "height", 68, "file_id",
		        fid2, "file_unique_id", fuid, "file_size", size,
		        "width", 800, "height", 600);
	} else {
		snprintf(m->kind, sizeof(m->kind), "document");
		m->media = json_pack("{s:s,s:s,s:s,s:s,s:I}", "file_name", name,
		    "mime_type", mime, "file_id", fid, "file_unique_id", fuid,
		    "file_size", size);
	}
	store_text(m, c, &cap, "caption");
	store_markup(m, markup);
	ch->sent_count++;
	reply_ok(r, message_object(ch, m));
	ftext_free(&cap);
}

static void
m_send_document(struct api_call *c, struct reply *r)
{
	send_file(c, r, "document");
}

static void
m_send_photo(struct api_call *c, struct reply *r)
{
	send_file(c, r, "photo");
}

static void
m_answer_callback_query(struct api_call *c, struct reply *r)
{
	const char *id = param_str(c->params, "callback_query_id");
	const char *text = param_str(c->params, "text");
	json_t *st;

	if (!id || !*id) {
		reply_error(r, 400,
		    "Bad Request: parameter \"callback_query_id\" is "
		    "required");
		return;
	}
	if (text && utf8_codepoints(text, strlen(text)) > 200) {
		reply_error(r, 400, "Bad Request: MESSAGE_TOO_LONG");
		return;
	}
	st = json_object_get(G.callbacks, id);
	double now = fake_now_ms();
	json_t *dv = json_object_get(st, "delivered_ms");
	bool expired = G.limits.callback_timeout_ms > 0 && json_is_real(dv) &&
	    now - json_real_value(dv) > G.limits.callback_timeout_ms;

	if (!st || json_is_true(json_object_get(st, "answered")) || expired) {
		reply_error(r, 400,
		    "Bad Request: query is too old and response timeout "
		    "expired or query ID is invalid");
		return;
	}
	json_object_set_new(st, "answered", json_true());
	json_object_set_new(st, "answered_ms", json_real(now));
	json_object_set_new(st, "text", text ? json_string(text) : json_null());
	json_object_set_new(st, "show_alert",
	    json_boolean(param_bool(c->params, "show_alert")));
	reply_ok(r, json_true());
}

/* The storage key of a command list: its scope and language. */
static char *
commands_key(struct api_call *c, struct reply *r, json_t **scope_out)
{
	static const char *const types[] = {"default", "all_private_chats",
	    "all_group_chats", "all_chat_administrators", "chat",
	    "chat_administrators", "chat_member", NULL};
	json_t *scope = json_object_get(c->params, "scope");
	const char *lang = param_str(c->params, "language_code");
	bool ok = false;

	if (!scope || json_is_null(scope) ||
	    (json_is_string(scope) && !*json_string_value(scope)))
		scope = json_pack("{s:s}", "type", "default");
	else
		json_incref(scope);
	const char *type = json_string_value(json_object_get(scope, "type"));

	for (size_t i = 0; type && types[i]; i++)
		ok |= !strcmp(type, types[i]);
	if (!json_is_object(scope) || !ok) {
		json_decref(scope);
		reply_error(r, 400,
		    "Bad Request: can't parse BotCommandScope JSON object");
		return NULL;
	}
	char *dump = json_dumps(scope, JSON_COMPACT | JSON_SORT_KEYS);
	struct sbuf k = {0};

	sbuf_addf(&k, "%s|%s", dump, lang ? lang : "");
	free(dump);
	*scope_out = scope;
	return k.p;
}

static void
m_set_my_commands(struct api_call *c, struct reply *r)
{
	json_t *cmds = json_object_get(c->params, "commands");
	json_t *scope;
	char err[300];

	if (!cmds || json_is_null(cmds)) {
		reply_error(r, 400,
		    "Bad Request: parameter \"commands\" is required");
		return;
	}
	if (commands_check(cmds, err, sizeof(err))) {
		reply_error(r, 400, err);
		return;
	}
	char *key = commands_key(c, r, &scope);

	if (!key)
		return;
	if (json_array_size(cmds) == 0) {
		json_object_del(G.commands, key);
	} else {
		const char *lang = param_str(c->params, "language_code");

		json_object_set_new(G.commands, key,
		    json_pack("{s:O,s:s,s:o}", "scope", scope, "language_code",
		        lang ? lang : "", "commands", json_deep_copy(cmds)));
	}
	json_decref(scope);
	free(key);
	reply_ok(r, json_true());
}

static void
m_delete_my_commands(struct api_call *c, struct reply *r)
{
	json_t *scope;
	char *key = commands_key(c, r, &scope);

	if (!key)
		return;
	json_object_del(G.commands, key);
	json_decref(scope);
	free(key);
	reply_ok(r, json_true());
}

static void
m_get_my_commands(struct api_call *c, struct reply *r)
{
	json_t *scope;
	char *key = commands_key(c, r, &scope);

	if (!key)
		return;
	json_t *e = json_object_get(G.commands, key);

	reply_ok(r,
	    e ? json_deep_copy(json_object_get(e, "commands")) : json_array());
	json_decref(scope);
	free(key);
}

static void
m_get_chat(struct api_call *c, struct reply *r)
{
	int64_t chat_id;

	if (!need_chat_id(c, r, "chat_id", &chat_id))
		return;
	struct chat *ch = chat_find(chat_id);

	if (ch && ch->not_found) {
		reply_error(r, 400, "Bad Request: chat not found");
		return;
	}
	json_t *co = chat_object(chat_id);
	json_t *o = json_deep_copy(co); /* ours to extend */

	json_decref(co);
	if (!json_object_get(o, "type"))
		json_object_set_new(o, "type",
		    json_string(chat_type_of(chat_id)));
	json_object_set_new(o, "accent_color_id", json_integer(0));
	json_object_set_new(o, "max_reaction_count", json_integer(11));
	reply_ok(r, o);
}

static void
m_send_chat_action(struct api_call *c, struct reply *r)
{
	int64_t chat_id;

	if (!need_chat_id(c, r, "chat_id", &chat_id))
		return;
	if (!param_str(c->params, "action")) {
		reply_error(r, 400,
		    "Bad Request: parameter \"action\" is required");
		return;
	}
	if (!chat_writable(r, chat_id))
		return;
	reply_ok(r, json_true());
}

static bool
is_admin(const struct chat *ch, int64_t user_id)
{
	size_t i;
	json_t *v;

	if (!ch || !ch->admins)
		return false;
	json_array_foreach(ch->admins, i, v)
	{
		if (json_is_integer(v) && json_integer_value(v) == user_id)
			return true;
	}
	return false;
}

static json_t *
member_object(int64_t user_id, const char *status)
{
	return json_pack("{s:{s:I,s:b,s:s},s:s}", "user", "id",
	    (json_int_t)user_id, "is_bot", user_id == G.bot_id, "first_name",
	    user_id == G.bot_id ? "Dobrobot" : "User", "status", status);
}

static void
m_get_chat_member(struct api_call *c, struct reply *r)
{
	int64_t chat_id, user_id;

	if (!need_chat_id(c, r, "chat_id", &chat_id))
		return;
	if (!param_int(c->params, "user_id", &user_id) || user_id <= 0) {
		reply_error(r, 400, "Bad Request: invalid user_id specified");
		return;
	}
	struct chat *ch = chat_find(chat_id);

	if (ch && ch->not_found) {
		reply_error(r, 400, "Bad Request: chat not found");
		return;
	}
	reply_ok(r,
	    member_object(user_id,
	        is_admin(ch, user_id) ? "administrator" : "member"));
}

static void
m_get_chat_administrators(struct api_call *c, struct reply *r)
{
	int64_t chat_id;
	json_t *arr = json_array();
	size_t i;
	json_t *v;

	if (!need_chat_id(c, r, "chat_id", &chat_id)) {
		json_decref(arr);
		return;
	}
	struct chat *ch = chat_find(chat_id);

	if (ch && ch->admins)
		json_array_foreach(ch->admins, i, v)
		{
			if (json_is_integer(v))
				json_array_append_new(arr,
				    member_object(json_integer_value(v),
				        "administrator"));
		}
	reply_ok(r, arr);
}

/* getFile: any file_id names the fake's one picture, at a path derived
 * from the id; ids starting "bad" are refused as Telegram refuses an
 * unknown one. */
static void
m_get_file(struct api_call *c, struct reply *r)
{
	const char *id = param_str(c->params, "file_id");
	if (!id || !*id || !strncmp(id, "bad", 3)) {
		reply_error(r, 400, "Bad Request: invalid file_id");
		return;
	}
	uint32_t h = 2166136261u;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	char path[48], unique[24];
	snprintf(path, sizeof path, "photos/file_%u.jpg", h % 100000u);
	snprintf(unique, sizeof unique, "AQAD%08x", h);
	reply_ok(r,
	    json_pack("{s:s, s:s, s:I, s:s}", "file_id", id, "file_unique_id",
	        unique, "file_size", (json_int_t)fake_photo_jpeg_len,
	        "file_path", path));
}

static void
m_true(struct api_call *c, struct reply *r)
{
	(void)c;
	reply_ok(r, json_true());
}

static const struct api_method {
	const char *name;
	api_fn fn;
	bool locks_itself;
} methods[] = {
    {"getMe", m_get_me, false},
    {"getUpdates", m_get_updates, true},
    {"deleteWebhook", m_delete_webhook, false},
    {"getWebhookInfo", m_get_webhook_info, false},
    {"sendMessage", m_send_message, false},
    {"editMessageText", m_edit_message_text, false},
    {"editMessageCaption", m_edit_message_caption, false},
    {"editMessageReplyMarkup", m_edit_message_reply_markup, false},
    {"deleteMessage", m_delete_message, false},
    {"copyMessage", m_copy_message, false},
    {"sendDocument", m_send_document, false},
    {"sendPhoto", m_send_photo, false},
    {"answerCallbackQuery", m_answer_callback_query, false},
    {"setMyCommands", m_set_my_commands, false},
    {"deleteMyCommands", m_delete_my_commands, false},
    {"getMyCommands", m_get_my_commands, false},
    {"getChat", m_get_chat, false},
    {"sendChatAction", m_send_chat_action, false},
    {"getChatMember", m_get_chat_member, false},
    {"getChatAdministrators", m_get_chat_administrators, false},
    {"leaveChat", m_true, false},
    {"getFile", m_get_file, false},
    {NULL, NULL, false},
};

static const struct api_method *
method_find(const char *name)
{
	for (size_t i = 0; methods[i].name; i++)
		if (!strcasecmp(methods[i].name, name))
			return &methods[i];
	return NULL;
}

const char *
api_method_name(const char *name)
{
	const struct api_method *m = method_find(name);

	return m ? m->name : NULL;
}

void
api_dispatch(struct api_call *c, struct reply *r)
{
	const struct api_method *m = method_find(c->method);

	if (!m) {
		reply_error(r, 404, "Not Found: method not found");
		return;
	}
	if (c->bad_utf8) {
		reply_error(r, 400,
		    "Bad Request: strings must be encoded in UTF-8");
		return;
	}
	if (m->locks_itself) {
		m->fn(c, r);
		return;
	}
	fake_lock();
	m->fn(c, r);
	fake_unlock();
}

static bool
in_list(const char *const *list, const char *key)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], key))
			return true;
	return false;
}

bool
api_param_is_json(const char *key)
{
	static const char *const keys[] = {"reply_markup", "allowed_updates",
	    "commands", "scope", "reply_parameters", "entities",
	    "caption_entities", "link_preview_options", "media", "permissions",
	    NULL};

	return in_list(keys, key);
}

bool
api_param_is_int(const char *key)
{
	static const char *const keys[] = {"chat_id", "from_chat_id",
	    "message_id", "offset", "limit", "timeout", "reply_to_message_id",
	    "message_thread_id", "cache_time", "user_id", "until_date",
	    "duration", "width", "height", NULL};

	return in_list(keys, key);
}

bool
api_param_is_bool(const char *key)
{
	static const char *const keys[] = {"disable_notification",
	    "protect_content", "allow_paid_broadcast", "show_alert",
	    "drop_pending_updates", "disable_web_page_preview",
	    "allow_sending_without_reply", "has_spoiler",
	    "disable_content_type_detection", "return_bots",
	    "show_caption_above_media", NULL};

	return in_list(keys, key);
}
