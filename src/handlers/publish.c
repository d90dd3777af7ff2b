/* Publishing an action: the copies sent to the leaders' group, the
 * organisation's followers and the subscribers of its direction (each
 * recorded in announcements), and the job that edits those copies in place
 * as pledges come. */
#include "actions.h"

#include <stdlib.h>
#include <string.h>

#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/text/split.h"
#include "dobrobot/store/subscriptions.h"
#include "dobrobot/core/xalloc.h"

/* Copies edited per run of the progress job (every 2 s); the rest wait for
 * the next run. Edits are coalesced per message in the outbox, so however
 * many pledges come, each copy has at most one edit waiting. */
#define PROGRESS_BATCH 300

/* ---- publishing ---- */

/* One copy of an announcement: an announcements row, then the outbox row
 * that sends it, linked both ways so that the sender's trigger can fill in
 * Telegram's message_id. */
/* An announcement rendered once per language and kind of chat: the whole
 * text, and, for an action with a poster, whether it fits in a photo's
 * caption and the caption to edit it with later (cut to fit). */
struct rendered {
	char lang[3];
	bool group;
	char *html;
	char *caption; /* NULL without a poster */
	bool fits_caption;
	json_t *markup;
};

/* The poster alone, captioned with the title, before a text too long for a
 * caption. */
static int
send_poster(struct store *st, const struct action *a, int64_t chat_id,
    int priority, int64_t update_id)
{
	struct buf c = BUF_INIT;
	buf_puts(&c, "📣 <b>");
	html_escape(&c, a->title);
	buf_puts(&c, "</b>");
	json_t *payload = json_pack("{s:I, s:s, s:s, s:s}", "chat_id",
	    (json_int_t)chat_id, "photo", a->poster_file_id, "caption",
	    buf_str(&c), "parse_mode", "HTML");
	struct outbox_new m = {
	    .chat_id = chat_id,
	    .method = "sendPhoto",
	    .payload = payload,
	    .kind = "announce",
	    .priority = priority,
	    .update_id = update_id,
	};
	int rc = outbox_enqueue(st, &m) < 0 ? -1 : 0;
	json_decref(payload);
	buf_release(&c);
	return rc;
}

static int
publish_copy(struct store *st, const struct action *a, int64_t chat_id,
    const struct rendered *r, int priority, int64_t update_id, int64_t now_ms)
{
	int64_t ann = announcements_add(st, a->id, chat_id, 0, a->version,
	    now_ms);
	if (ann < 0)
		return -1;
	bool as_caption = r->caption != NULL && r->fits_caption;
	if (r->caption != NULL && !as_caption &&
	    send_poster(st, a, chat_id, priority, update_id) < 0)
		return -1;
	if (as_caption && announcements_set_caption(st, ann) < 0)
		return -1;
	json_t *payload = as_caption
	    ? json_pack("{s:I, s:s, s:s, s:s}", "chat_id", (json_int_t)chat_id,
	          "photo", a->poster_file_id, "caption", r->html, "parse_mode",
	          "HTML")
	    : json_pack("{s:I, s:s, s:s, s:{s:b}}", "chat_id",
	          (json_int_t)chat_id, "text", r->html, "parse_mode", "HTML",
	          "link_preview_options", "is_disabled", 1);
	if (r->markup != NULL)
		json_object_set(payload, "reply_markup", r->markup);
	struct outbox_new m = {
	    .chat_id = chat_id,
	    .method = as_caption ? "sendPhoto" : "sendMessage",
	    .payload = payload,
	    .kind = "announce",
	    .priority = priority,
	    .ref_type = "announcement",
	    .ref_id = ann,
	    .update_id = update_id,
	};
	int64_t id = outbox_enqueue(st, &m);
	json_decref(payload);
	if (id < 0)
		return -1;
	return announcements_set_outbox(st, ann, id);
}

static struct rendered *
rendered_get(struct rendered *cache, size_t *n, size_t cap,
    const struct action *a, const char *lang, bool group,
    const char *bot_username)
{
	for (size_t i = 0; i < *n; i++)
		if (cache[i].group == group && strcmp(cache[i].lang, lang) == 0)
			return &cache[i];
	if (*n == cap) {
		/* Two languages by two kinds of chat: never reached. */
		return &cache[0];
	}
	struct rendered *r = &cache[(*n)++];
	snprintf(r->lang, sizeof r->lang, "%s", lang);
	r->group = group;
	struct buf b = BUF_INIT;
	action_render(&b, a, lang);
	r->html = buf_detach(&b);
	r->caption = NULL;
	r->fits_caption = false;
	if (a->poster_file_id != NULL) {
		r->fits_caption = split_visible_length(r->html) <= CAPTION_MAX;
		action_render_fit(&b, a, lang, CAPTION_MAX);
		r->caption = buf_detach(&b);
	}
	r->markup = action_keyboard(a, lang, group, bot_username);
	return r;
}

static void
rendered_clear(struct rendered *cache, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free(cache[i].html);
		free(cache[i].caption);
		json_decref(cache[i].markup);
	}
	*n = 0;
}

/* Adds the followers of the action's organisation to the subscribers of
 * its direction (both ascending): everyone once, in ascending order. */
static int
add_org_followers(struct store *st, const struct action *a, int64_t **to,
    size_t *n)
{
	int64_t *f = NULL;
	size_t nf = 0;
	if (orgs_followers(st, a->org_id, a->author_id, &f, &nf) < 0)
		return -1;
	if (nf == 0)
		return 0;
	int64_t *merged = xmalloc((*n + nf) * sizeof *merged);
	size_t i = 0, j = 0, k = 0;
	while (i < *n || j < nf) {
		int64_t next = j >= nf || (i < *n && (*to)[i] <= f[j])
		    ? (*to)[i]
		    : f[j];
		if (i < *n && (*to)[i] == next)
			i++;
		if (j < nf && f[j] == next)
			j++;
		merged[k++] = next;
	}
	free(f);
	free(*to);
	*to = merged;
	*n = k;
	return 0;
}

int
action_publish(struct store *st, const struct config *cfg,
    const char *bot_username, const struct action *a, int64_t update_id,
    int64_t now_ms, bool *to_group, size_t *subscribers)
{
	struct rendered cache[4];
	size_t n_cache = 0;
	int rc = 0;
	*to_group = false;
	*subscribers = 0;

	int64_t leaders = leaders_chat_id(st, cfg);
	if (leaders != 0) {
		struct rendered *r = rendered_get(cache, &n_cache, 4, a,
		    cfg->locale, leaders < 0, bot_username);
		rc = publish_copy(st, a, leaders, r, PRIO_ANNOUNCE, update_id,
		    now_ms);
		*to_group = rc == 0;
	}
	int64_t *to = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = subscriptions_for_direction(st, a->direction, a->author_id,
		    &to, &n);
	if (rc == 0 && a->org_id != 0)
		rc = add_org_followers(st, a, &to, &n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char lang[3];
		if (to[i] == leaders)
			continue;
		rc = actions_reader_lang(st, to[i], lang);
		if (rc < 0)
			break;
		struct rendered *r = rendered_get(cache, &n_cache, 4, a,
		    lang[0] ? lang : cfg->locale, false, bot_username);
		rc = publish_copy(st, a, to[i], r, PRIO_ANNOUNCE, update_id,
		    now_ms);
		if (rc == 0)
			(*subscribers)++;
	}
	free(to);
	rendered_clear(cache, &n_cache);
	return rc;
}

/* ---- live progress ---- */

int
actions_progress_job(struct job_ctx *ctx)
{
	struct announcement_stale *rows = NULL;
	size_t n = 0;
	if (announcements_stale(ctx->st, ctx->cfg->locale, PROGRESS_BATCH,
	        &rows, &n) < 0)
		return -1;
	struct action a;
	memset(&a, 0, sizeof a);
	bool loaded = false;
	struct rendered cache[4];
	size_t n_cache = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct announcement_stale *s = &rows[i];
		if (s->gone) {
			/* Nobody to show it to: no edit, but no longer stale. */
			rc = announcements_set_shown(ctx->st, s->id,
			    s->version);
			continue;
		}
		if (!loaded || a.id != s->action_id) {
			action_release(&a);
			rendered_clear(cache, &n_cache);
			int r = actions_load(ctx->st, s->action_id, &a);
			if (r < 0) {
				rc = -1;
				break;
			}
			loaded = r == 1;
			if (!loaded)
				continue;
		}
		struct rendered *r = rendered_get(cache, &n_cache, 4, &a,
		    s->lang, s->chat_id < 0, ctx->bot_username);
		char key[64];
		snprintf(key, sizeof key, "edit:%lld:%lld",
		    (long long)s->chat_id, (long long)s->message_id);
		/* A photo's caption is edited as a caption, cut to fit. */
		bool caption = s->caption && r->caption != NULL;
		json_t *payload = caption
		    ? json_pack("{s:I, s:I, s:s, s:s}", "chat_id",
		          (json_int_t)s->chat_id, "message_id",
		          (json_int_t)s->message_id, "caption", r->caption,
		          "parse_mode", "HTML")
		    : json_pack("{s:I, s:I, s:s, s:s, s:{s:b}}", "chat_id",
		          (json_int_t)s->chat_id, "message_id",
		          (json_int_t)s->message_id, "text", r->html,
		          "parse_mode", "HTML", "link_preview_options",
		          "is_disabled", 1);
		if (r->markup != NULL)
			json_object_set(payload, "reply_markup", r->markup);
		struct outbox_new m = {
		    .chat_id = s->chat_id,
		    .method = caption ? "editMessageCaption"
		                      : "editMessageText",
		    .payload = payload,
		    .kind = "edit",
		    .priority = PRIO_EDIT,
		    .coalesce_key = key,
		    .ref_type = "announcement_edit",
		    .ref_id = s->id,
		};
		if (outbox_enqueue(ctx->st, &m) < 0 ||
		    announcements_set_shown(ctx->st, s->id, a.version) < 0)
			rc = -1;
		json_decref(payload);
	}
	rendered_clear(cache, &n_cache);
	action_release(&a);
	free(rows);
	return rc;
}
