/* fakeapi rate limits, as Telegram publishes them: a global sliding 1-second
 * window for sends, a token bucket per private chat, a 60-second window per
 * group, and a separate per-second budget for allow_paid_broadcast. Off until
 * /_ctl/limits enables them. */
#include "fake.h"

#include <math.h>
#include <strings.h>

static const char *const default_methods[] = {"sendMessage", "copyMessage",
    "sendDocument", "sendPhoto", "editMessageText", "editMessageCaption", NULL};

void
window_free(struct window *w)
{
	free(w->t);
	memset(w, 0, sizeof(*w));
}

/* Forgets events older than span ms; returns how many remain. */
static size_t
window_trim(struct window *w, double now, double span)
{
	while (w->n && w->t[w->head] <= now - span) {
		w->head = (w->head + 1) % w->cap;
		w->n--;
	}
	return w->n;
}

static double
window_oldest(const struct window *w)
{
	return w->t[w->head];
}

static void
window_push(struct window *w, double t)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		double *nt = fake_xmalloc(cap * sizeof(*nt));

		for (size_t i = 0; i < w->n; i++)
			nt[i] = w->t[(w->head + i) % w->cap];
		free(w->t);
		w->t = nt;
		w->cap = cap;
		w->head = 0;
	}
	w->t[(w->head + w->n) % w->cap] = t;
	w->n++;
}

/* Seconds until a window of `limit` events per `span` ms admits one more;
 * 0 when it does now. A limit <= 0 means unlimited. */
static int
window_wait(struct window *w, double limit, double span, double now)
{
	if (limit <= 0)
		return 0;
	if ((double)window_trim(w, now, span) < limit)
		return 0;
	double wait = window_oldest(w) + span - now;
	int s = (int)ceil(wait / 1000.0);

	return s < 1 ? 1 : s;
}

void
limits_defaults(struct limits *l)
{
	memset(l, 0, sizeof(*l));
	l->global_per_s = 30;
	l->chat_per_s = 1;
	l->chat_burst = 3;
	l->group_per_min = 20;
	l->paid_per_s = 1000;
	/* Telegram always has a window for answering a press; it is
	 * undocumented, reported between 5 and 15 s. The longest is the
	 * default, so that no test passes with an answer Telegram refuses. */
	l->callback_timeout_ms = 15000;
	l->methods = json_array();
	for (size_t i = 0; default_methods[i]; i++)
		json_array_append_new(l->methods,
		    json_string(default_methods[i]));
}

void
limits_release(struct limits *l)
{
	window_free(&l->global_win);
	window_free(&l->paid_win);
	json_decref(l->methods);
	l->methods = NULL;
}

int
limits_configure(const json_t *cfg, char *err, size_t errlen)
{
	static const struct {
		const char *key;
		size_t off;
	} nums[] = {
	    {"global_per_s", offsetof(struct limits, global_per_s)},
	    {"chat_per_s", offsetof(struct limits, chat_per_s)},
	    {"chat_burst", offsetof(struct limits, chat_burst)},
	    {"group_per_min", offsetof(struct limits, group_per_min)},
	    {"paid_per_s", offsetof(struct limits, paid_per_s)},
	    {"callback_timeout_ms",
	        offsetof(struct limits, callback_timeout_ms)},
	};
	struct limits *l = &G.limits;
	const char *key;
	json_t *v;

	if (!json_is_object(cfg)) {
		snprintf(err, errlen, "limits: expected a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)cfg, key, v)
	{
		bool known = false;

		if (!strcmp(key, "enforce")) {
			known = true;
			if (!json_is_boolean(v)) {
				snprintf(err, errlen,
				    "limits: enforce must be a boolean");
				return -1;
			}
		} else if (!strcmp(key, "methods")) {
			known = true;
			if (!json_is_array(v)) {
				snprintf(err, errlen,
				    "limits: methods must be an array");
				return -1;
			}
		}
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			if (!strcmp(key, nums[i].key)) {
				known = true;
				if (!json_is_number(v)) {
					snprintf(err, errlen,
					    "limits: %s must be a number", key);
					return -1;
				}
			}
		if (!known) {
			snprintf(err, errlen, "limits: unknown key \"%s\"",
			    key);
			return -1;
		}
	}
	json_object_foreach((json_t *)cfg, key, v)
	{
		if (!strcmp(key, "enforce"))
			l->enforce = json_is_true(v);
		else if (!strcmp(key, "methods")) {
			json_decref(l->methods);
			l->methods = json_deep_copy(v);
		}
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			if (!strcmp(key, nums[i].key))
				*(double *)((char *)l +
				    nums[i].off) = json_number_value(v);
	}
	/* A new configuration starts from empty windows and full buckets. */
	window_free(&l->global_win);
	window_free(&l->paid_win);
	for (size_t i = 0; i < G.chat_tab_size; i++)
		for (struct chat *c = G.chat_tab[i]; c; c = c->next) {
			c->tokens_ms = 0;
			window_free(&c->group_win);
		}
	return 0;
}

bool
limits_counts_method(const char *method)
{
	size_t i;
	json_t *m;

	json_array_foreach(G.limits.methods, i, m)
	{
		if (json_is_string(m) &&
		    !strcasecmp(json_string_value(m), method))
			return true;
	}
	return false;
}

int
limits_take(int64_t chat_id, bool paid, double now)
{
	struct limits *l = &G.limits;
	struct chat *c = NULL;
	int wait, worst = 0;
	int64_t *kind = NULL;

	if (!l->enforce)
		return 0;
	if (paid)
		wait = window_wait(&l->paid_win, l->paid_per_s, 1000, now);
	else
		wait = window_wait(&l->global_win, l->global_per_s, 1000, now);
	if (wait > worst) {
		worst = wait;
		kind = paid ? &l->n429_paid : &l->n429_global;
	}
	if (chat_id > 0 && l->chat_per_s > 0) {
		c = chat_get(chat_id);
		double burst = l->chat_burst < 1 ? 1 : l->chat_burst;

		if (c->tokens_ms <= 0) {
			c->tokens = burst;
		} else {
			c->tokens += (now - c->tokens_ms) / 1000.0 *
			    l->chat_per_s;
			if (c->tokens > burst)
				c->tokens = burst;
		}
		c->tokens_ms = now;
		if (c->tokens < 1) {
			wait = (int)ceil((1 - c->tokens) / l->chat_per_s);
			if (wait < 1)
				wait = 1;
			if (wait > worst) {
				worst = wait;
				kind = &l->n429_chat;
			}
		}
	} else if (chat_id < 0) {
		c = chat_get(chat_id);
		wait = window_wait(&c->group_win, l->group_per_min, 60000, now);
		if (wait > worst) {
			worst = wait;
			kind = &l->n429_group;
		}
	}
	if (worst) {
		(*kind)++;
		return worst;
	}
	if (paid) {
		if (l->paid_per_s > 0)
			window_push(&l->paid_win, now);
	} else if (l->global_per_s > 0) {
		window_push(&l->global_win, now);
	}
	if (chat_id > 0 && c)
		c->tokens -= 1;
	else if (chat_id < 0 && c && l->group_per_min > 0)
		window_push(&c->group_win, now);
	return 0;
}
