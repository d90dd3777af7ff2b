/* fakeapi shared state: the lock and the long-poll condition, the update
 * queue (ids, fill-in of queued updates), chats and their messages, the sent
 * log, and lifecycle (init, reset, free). */
#include "fake.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>

struct fake_state G;

static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t poll_cv;

void
fake_lock(void)
{
	pthread_mutex_lock(&state_mu);
}

void
fake_unlock(void)
{
	pthread_mutex_unlock(&state_mu);
}

void
fake_wake_polls(void)
{
	pthread_cond_broadcast(&poll_cv);
}

bool
fake_wait_polls(double deadline_ms)
{
	struct timespec ts;
	double s = deadline_ms / 1000.0;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	return pthread_cond_timedwait(&poll_cv, &state_mu, &ts) != ETIMEDOUT;
}

void
fake_shutdown(void)
{
	fake_lock();
	G.shutting_down = true;
	fake_wake_polls();
	fake_unlock();
	fake_sleep_stop();
}

static void
state_clear_data(void)
{
	for (size_t i = 0; i < G.nupdates; i++) {
		json_decref(G.updates[i].json);
		free(G.updates[i].raw);
	}
	free(G.updates);
	G.updates = NULL;
	G.nupdates = G.capupdates = G.first_pending = 0;

	for (size_t i = 0; i < G.chat_tab_size; i++) {
		struct chat *c = G.chat_tab[i];

		while (c) {
			struct chat *next = c->next;

			for (size_t k = 0; k < c->nmsgs; k++)
				message_release(&c->msgs[k]);
			free(c->msgs);
			json_decref(c->info);
			json_decref(c->admins);
			window_free(&c->group_win);
			free(c);
			c = next;
		}
	}
	free(G.chat_tab);
	G.chat_tab = NULL;
	G.chat_tab_size = G.nchats = 0;

	for (size_t i = 0; i < G.nsent; i++) {
		free(G.sent[i].method);
		json_decref(G.sent[i].params);
		json_decref(G.sent[i].response);
	}
	free(G.sent);
	G.sent = NULL;
	G.nsent = G.capsent = 0;

	json_decref(G.callbacks);
	json_decref(G.commands);
	json_decref(G.allowed_updates);
	json_decref(G.req_count);
	G.callbacks = G.commands = G.allowed_updates = G.req_count = NULL;
	limits_release(&G.limits);
	faults_release(&G.faults);
}

static void
state_fresh(void)
{
	G.next_update_id = 100000;
	G.pending_count = G.delivered_count = G.confirmed_offset = 0;
	G.conflicts = 0;
	G.callbacks = json_object();
	G.commands = json_object();
	G.req_count = json_object();
	memset(G.status_count, 0, sizeof(G.status_count));
	G.max_inflight = G.inflight;
	limits_defaults(&G.limits);
	faults_defaults(&G.faults);
}

void
state_init(const char *token)
{
	pthread_condattr_t a;
	int64_t id = 0;
	const char *colon = strchr(token, ':');

	memset(&G, 0, sizeof(G));
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&poll_cv, &a);
	pthread_condattr_destroy(&a);
	G.token = token;
	if (colon) {
		char *digits = fake_xstrndup(token, (size_t)(colon - token));

		if (!parse_int64(digits, &id) || id <= 0)
			id = 0;
		free(digits);
	}
	G.bot_id = id ? id : 1234567890;
	G.next_seq = 1;
	G.callback_serial = G.file_serial = 1;
	state_fresh();
}

void
state_reset(void)
{
	state_clear_data();
	state_fresh();
	/* Parked polls re-read the (now empty) queue. */
	fake_wake_polls();
}

void
state_free(void)
{
	state_clear_data();
	pthread_cond_destroy(&poll_cv);
}

/* ---- chats ---- */

static size_t
chat_hash(int64_t id, size_t size)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 17) & (size - 1);
}

struct chat *
chat_find(int64_t id)
{
	if (!G.chat_tab_size)
		return NULL;
	for (struct chat *c = G.chat_tab[chat_hash(id, G.chat_tab_size)]; c;
	     c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static void
chat_tab_grow(void)
{
	size_t size = G.chat_tab_size ? G.chat_tab_size * 2 : 256;
	struct chat **tab = fake_xcalloc(size, sizeof(*tab));

	for (size_t i = 0; i < G.chat_tab_size; i++) {
		struct chat *c = G.chat_tab[i];

		while (c) {
			struct chat *next = c->next;
			size_t h = chat_hash(c->id, size);

			c->next = tab[h];
			tab[h] = c;
			c = next;
		}
	}
	free(G.chat_tab);
	G.chat_tab = tab;
	G.chat_tab_size = size;
}

struct chat *
chat_get(int64_t id)
{
	struct chat *c = chat_find(id);

	if (c)
		return c;
	if (G.nchats + 1 > G.chat_tab_size * 3 / 4)
		chat_tab_grow();
	c = fake_xcalloc(1, sizeof(*c));
	c->id = id;
	c->next_message_id = 1;
	size_t h = chat_hash(id, G.chat_tab_size);

	c->next = G.chat_tab[h];
	G.chat_tab[h] = c;
	G.nchats++;
	return c;
}

struct message *
chat_message(struct chat *c, int64_t message_id)
{
	size_t lo = 0, hi;

	if (!c)
		return NULL;
	hi = c->nmsgs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->msgs[mid].message_id < message_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nmsgs && c->msgs[lo].message_id == message_id)
		return &c->msgs[lo];
	return NULL;
}

struct message *
chat_add_message(struct chat *c, int64_t message_id)
{
	struct message *m;

	if (message_id > 0) {
		m = chat_message(c, message_id);
		if (m)
			return m;
	} else {
		message_id = c->next_message_id;
	}
	if (message_id >= c->next_message_id)
		c->next_message_id = message_id + 1;
	if (c->nmsgs == c->capmsgs) {
		c->capmsgs = c->capmsgs ? c->capmsgs * 2 : 8;
		c->msgs = fake_xrealloc(c->msgs, c->capmsgs * sizeof(*c->msgs));
	}
	size_t pos = c->nmsgs;

	while (pos > 0 && c->msgs[pos - 1].message_id > message_id)
		pos--;
	memmove(&c->msgs[pos + 1], &c->msgs[pos],
	    (c->nmsgs - pos) * sizeof(*c->msgs));
	c->nmsgs++;
	m = &c->msgs[pos];
	memset(m, 0, sizeof(*m));
	m->message_id = message_id;
	m->date = fake_unix_time();
	return m;
}

void
message_release(struct message *m)
{
	free(m->text);
	free(m->raw_text);
	free(m->parse_mode);
	json_decref(m->entities);
	json_decref(m->reply_markup);
	json_decref(m->media);
	json_decref(m->incoming);
	memset(m, 0, sizeof(*m));
}

json_t *
bot_user_object(void)
{
	return json_pack("{s:I,s:b,s:s,s:s}", "id", (json_int_t)G.bot_id,
	    "is_bot", 1, "first_name", "Dobrobot", "username",
	    "dobro_test_bot");
}

json_t *
chat_object(int64_t id)
{
	struct chat *c = chat_find(id);

	if (c && c->info)
		return json_incref(c->info);
	if (id > 0)
		return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id,
		    "first_name", "User", "type", "private");
	if (id < -1000000000000LL)
		return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "title",
		    "Supergroup", "type", "supergroup");
	return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "title",
	    "Group", "type", "group");
}

json_t *
message_object(const struct chat *c, const struct message *m)
{
	if (!m->outgoing && m->incoming)
		return json_incref(m->incoming);
	json_t *o = json_object();
	bool media = m->media != NULL;

	json_object_set_new(o, "message_id", json_integer(m->message_id));
	json_object_set_new(o, "from", bot_user_object());
	json_object_set_new(o, "chat", chat_object(c->id));
	json_object_set_new(o, "date", json_integer(m->date));
	if (m->edit_date)
		json_object_set_new(o, "edit_date", json_integer(m->edit_date));
	if (media && !strcmp(m->kind, "photo"))
		json_object_set(o, "photo", m->media);
	else if (media)
		json_object_set(o, "document", m->media);
	if (m->text && (m->text[0] || !media))
		json_object_set_new(o, media ? "caption" : "text",
		    json_string(m->text));
	if (m->entities && json_array_size(m->entities))
		json_object_set(o, media ? "caption_entities" : "entities",
		    m->entities);
	if (m->reply_markup)
		json_object_set(o, "reply_markup", m->reply_markup);
	return o;
}

/* ---- sent log ---- */

int64_t
sent_log_add(const char *method, json_t *params, double t_ms,
    const struct reply *r)
{
	struct sent_entry *e;

	if (G.nsent == G.capsent) {
		G.capsent = G.capsent ? G.capsent * 2 : 256;
		G.sent = fake_xrealloc(G.sent, G.capsent * sizeof(*G.sent));
	}
	e = &G.sent[G.nsent++];
	e->seq = G.next_seq++;
	e->t_ms = t_ms;
	e->done_ms = -1;
	e->method = fake_xstrdup(method);
	e->params = json_incref(params);
	e->status = r->drop ? 0 : r->status;
	e->response = r->drop ? NULL : json_incref(r->body);
	e->fault = r->fault;
	return e->seq;
}

void
sent_log_done(int64_t seq, double done_ms)
{
	if (!G.nsent || seq < G.sent[0].seq)
		return;
	size_t idx = (size_t)(seq - G.sent[0].seq);

	if (idx < G.nsent && G.sent[idx].seq == seq)
		G.sent[idx].done_ms = done_ms;
}

/* ---- update queue ---- */

static bool
is_message_type(const char *t)
{
	return !strcmp(t, "message") || !strcmp(t, "edited_message") ||
	    !strcmp(t, "channel_post") || !strcmp(t, "edited_channel_post") ||
	    !strcmp(t, "business_message") ||
	    !strcmp(t, "edited_business_message");
}

/* The chat of a Message: its "chat", or the private chat of its sender,
 * which is then written into the message. */
static bool
message_chat_id(json_t *msg, int64_t *chat_id)
{
	json_t *chat = json_object_get(msg, "chat");

	if (json_is_object(chat) &&
	    json_is_integer(json_object_get(chat, "id"))) {
		*chat_id = json_integer_value(json_object_get(chat, "id"));
		return true;
	}
	json_t *from = json_object_get(msg, "from");

	if (json_is_object(from) &&
	    json_is_integer(json_object_get(from, "id"))) {
		*chat_id = json_integer_value(json_object_get(from, "id"));
		json_t *fn = json_object_get(from, "first_name");
		json_t *pc = json_pack("{s:I,s:s}", "id", (json_int_t)*chat_id,
		    "type", "private");

		if (json_is_string(fn))
			json_object_set(pc, "first_name", fn);
		json_object_set_new(msg, "chat", pc);
		return true;
	}
	return false;
}

static void
fill_reply_to(json_t *msg, struct chat *c)
{
	json_t *rt = json_object_get(msg, "reply_to_message");

	if (!json_is_object(rt) || json_object_get(rt, "date"))
		return;
	json_t *idv = json_object_get(rt, "message_id");
	struct message *m = json_is_integer(idv)
	    ? chat_message(c, json_integer_value(idv))
	    : NULL;

	if (m)
		json_object_set_new(msg, "reply_to_message",
		    message_object(c, m));
}

static int
fill_message(json_t *msg, const char *type, char *err, size_t errlen)
{
	int64_t chat_id;

	if (!json_is_object(msg)) {
		snprintf(err, errlen, "%s must be an object", type);
		return -1;
	}
	if (!message_chat_id(msg, &chat_id)) {
		snprintf(err, errlen, "%s needs chat.id or from.id", type);
		return -1;
	}
	struct chat *c = chat_get(chat_id);
	json_t *chat = json_object_get(msg, "chat");

	if (json_object_size(chat) > 1) {
		json_decref(c->info);
		c->info = json_incref(chat);
	}
	json_t *idv = json_object_get(msg, "message_id");
	struct message *m = chat_add_message(c,
	    json_is_integer(idv) ? json_integer_value(idv) : 0);

	if (!json_is_integer(idv))
		json_object_set_new(msg, "message_id",
		    json_integer(m->message_id));
	if (!json_object_get(msg, "date"))
		json_object_set_new(msg, "date",
		    json_integer(fake_unix_time()));
	if (!strncmp(type, "edited_", 7) && !json_object_get(msg, "edit_date"))
		json_object_set_new(msg, "edit_date",
		    json_integer(fake_unix_time()));
	fill_reply_to(msg, c);
	if (!m->outgoing) {
		json_t *text = json_object_get(msg, "text");

		if (!text)
			text = json_object_get(msg, "caption");
		free(m->text);
		m->text = json_is_string(text)
		    ? fake_xstrdup(json_string_value(text))
		    : NULL;
		json_decref(m->incoming);
		m->incoming = json_incref(msg);
		snprintf(m->kind, sizeof(m->kind), "incoming");
	}
	return 0;
}

static int
fill_callback(json_t *cq, char *err, size_t errlen)
{
	char buf[64];
	int64_t chat_id = 0;

	if (!json_is_object(cq)) {
		snprintf(err, errlen, "callback_query must be an object");
		return -1;
	}
	if (!json_is_string(json_object_get(cq, "id"))) {
		snprintf(buf, sizeof(buf), "%" PRIu64,
		    (uint64_t)4000000000000000000ull + G.callback_serial++);
		json_object_set_new(cq, "id", json_string(buf));
	}
	json_t *msg = json_object_get(cq, "message");

	if (json_is_object(msg) && message_chat_id(msg, &chat_id)) {
		struct chat *c = chat_get(chat_id);
		json_t *idv = json_object_get(msg, "message_id");
		struct message *m = json_is_integer(idv)
		    ? chat_message(c, json_integer_value(idv))
		    : NULL;

		if (m && !m->deleted) {
			json_t *full = message_object(c, m);

			json_object_update_missing(msg, full);
			json_decref(full);
		}
		if (!json_object_get(msg, "date"))
			json_object_set_new(msg, "date",
			    json_integer(fake_unix_time()));
	}
	if (!json_object_get(cq, "chat_instance")) {
		snprintf(buf, sizeof(buf), "%" PRId64,
		    (int64_t)((uint64_t)chat_id * 2654435761u %
		        9000000000000000000ull) +
		        1000);
		json_object_set_new(cq, "chat_instance", json_string(buf));
	}
	json_object_set_new(G.callbacks,
	    json_string_value(json_object_get(cq, "id")),
	    json_pack("{s:b,s:n,s:n}", "answered", 0, "delivered_ms",
	        "answered_ms"));
	return 0;
}

static struct update *
update_slot(void)
{
	if (G.nupdates == G.capupdates) {
		G.capupdates = G.capupdates ? G.capupdates * 2 : 1024;
		G.updates = fake_xrealloc(G.updates,
		    G.capupdates * sizeof(*G.updates));
	}
	struct update *u = &G.updates[G.nupdates++];

	memset(u, 0, sizeof(*u));
	return u;
}

int64_t
updates_queue_raw(const char *raw, size_t len, int64_t id, const char *type)
{
	struct update *u = update_slot();

	u->id = id > 0 ? id : G.next_update_id;
	if (u->id >= G.next_update_id)
		G.next_update_id = u->id + 1;
	u->json = json_pack("{s:I}", "update_id", (json_int_t)u->id);
	u->raw = fake_xstrndup(raw, len);
	u->raw_len = len;
	snprintf(u->type, sizeof(u->type), "%s", type);
	u->queued_ms = fake_now_ms();
	u->delivered_ms = u->confirmed_ms = -1;
	u->pending = true;
	G.pending_count++;
	return u->id;
}

int64_t
updates_queue(json_t *in, char *err, size_t errlen)
{
	const char *type = NULL;
	const char *key;
	json_t *val;

	if (!json_is_object(in)) {
		snprintf(err, errlen, "an update must be an object");
		return -1;
	}
	json_object_foreach(in, key, val)
	{
		if (strcmp(key, "update_id")) {
			type = key;
			break;
		}
	}
	if (!type || strlen(type) >= sizeof(((struct update *)0)->type)) {
		snprintf(err, errlen,
		    "an update needs one field such as "
		    "\"message\"");
		return -1;
	}
	json_t *body = json_deep_copy(json_object_get(in, type));

	if (is_message_type(type)) {
		if (fill_message(body, type, err, errlen))
			goto fail;
	} else if (!strcmp(type, "callback_query")) {
		if (fill_callback(body, err, errlen))
			goto fail;
	} else if (json_is_object(body) && !json_object_get(body, "date") &&
	    (!strcmp(type, "my_chat_member") || !strcmp(type, "chat_member") ||
	        !strcmp(type, "chat_join_request") ||
	        !strcmp(type, "message_reaction"))) {
		json_object_set_new(body, "date",
		    json_integer(fake_unix_time()));
	}
	if (json_is_object(body) && strcmp(type, "callback_query") &&
	    !is_message_type(type)) {
		json_t *chat = json_object_get(body, "chat");

		if (json_is_object(chat) &&
		    json_is_integer(json_object_get(chat, "id")) &&
		    json_object_size(chat) > 1) {
			struct chat *c =
			    chat_get(json_integer_value(json_object_get(chat,
			        "id")));

			json_decref(c->info);
			c->info = json_incref(chat);
		}
	}

	struct update *u = update_slot();

	u->id = G.next_update_id++;
	u->json = json_object();
	json_object_set_new(u->json, "update_id", json_integer(u->id));
	json_object_set_new(u->json, type, body);
	snprintf(u->type, sizeof(u->type), "%s", type);
	u->queued_ms = fake_now_ms();
	u->delivered_ms = u->confirmed_ms = -1;
	u->pending = true;
	G.pending_count++;
	return u->id;
fail:
	json_decref(body);
	return -1;
}
