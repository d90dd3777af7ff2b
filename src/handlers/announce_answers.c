/* The two answers of the action wizard that can take more than one
 * message: the date (a half answer keeps its parts, an unclear year is
 * asked about) and the goods list (a line the parser was unsure about is
 * asked about); and the draft's fields, and the draft as an action and
 * back, which every step and both wizards use. The other steps are
 * handlers/announce_steps.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/goods.h"
#include "actions.h"
#include "trust.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"
#include "announce_internal.h"

I18N(T_E_WHEN, "%s\nЕсли даты нет — нажмите «Без даты».",
    "%s\nIf there is no date, tap «No date».")
I18N(T_WHEN_ASK_TIME,
    "Записал день: %s. Во сколько начало? Например: <i>10:00</i> или "
    "<i>в 10</i>.",
    "Got the day: %s. What time does it start? For example: <i>10:00</i> "
    "or <i>10am</i>.")
I18N(T_WHEN_ASK_DAY,
    "Время — %02d:%02d. А какого числа? Например: <i>25.12</i> или "
    "<i>в субботу</i>.",
    "The time is %02d:%02d. And which day? For example: <i>25.12</i> or "
    "<i>Saturday</i>.")
I18N(T_WHEN_PAST_ASK, "%s уже прошло. Вы имели в виду %s?",
    "%s has already passed. Did you mean %s?")
I18N(T_WHEN_AGAIN,
    "Хорошо. Напишите дату ещё раз, например: <i>30.11 15:00</i> или "
    "<i>завтра в 10</i>.",
    "OK. Please send the date again, for example: <i>30.11 15:00</i> or "
    "<i>tomorrow 10am</i>.")
I18N(T_WHEN_DEFAULT_HOUR,
    "🗓 Записал: %s — точное время не указано, поставил %02d:%02d. Если "
    "нужно другое, измените дату в конце («Изменить»).",
    "🗓 Noted: %s — no exact time was given, so I put %02d:%02d. If you "
    "need another, change the date at the end («Change»).")
I18N(T_WHEN_TAKEN, "🗓 Записал: %s.", "🗓 Noted: %s.")
I18N(T_GOODS_ASK_HEAD, "Понял список так:\n", "I read the list as:\n")
I18N(T_GOODS_ASK_TAIL,
    "Верно? Если через запятую — разные вещи, нажмите «Нет» и напишите "
    "каждую на своей строке с количеством.",
    "Is that right? If the commas separate different things, tap «No» and "
    "write each on its own line with its quantity.")
I18N(T_GOODS_AGAIN,
    "Хорошо. Напишите список ещё раз: по одной вещи на строке, с "
    "количеством, например:\n<i>тёплые одеяла — 20 шт\nкрупа 50 кг</i>",
    "OK. Please send the list again: one thing per line, with the "
    "quantity, for example:\n<i>тёплые одеяла — 20 шт\nкрупа 50 кг</i>")
I18N(T_E_GOODS_LINE,
    "Строка %zu («%s»): %s\nИсправьте её и пришлите весь список ещё раз.",
    "Line %zu («%s»): %s\nPlease fix it and send the whole list again.")
I18N(T_E_GOODS_MANY,
    "Слишком много позиций — не больше %d. Объедините похожие вещи или "
    "оставьте самое нужное.",
    "Too many items — at most %d. Please merge similar things or keep the "
    "most needed.")
I18N(T_E_GOODS_DUP, "«%s» в списке дважды — объедините эти строки в одну.",
    "«%s» is in the list twice — please merge those lines into one.")

/* The date step remembers, in the conversation's draft, a day given
 * without a time ("when_day"), a time given without a day ("when_time"),
 * and a day gone this year that it asked about ("when_ask"), so that "25
 * декабря" then "10:00" make one date. In /edit the draft under `d` is
 * rebuilt from the action for every answer, so these live in ctx->conv. */
static void
when_forget(struct handler_ctx *ctx)
{
	json_object_del(ctx->conv.draft, "when_day");
	json_object_del(ctx->conv.draft, "when_time");
	json_object_del(ctx->conv.draft, "when_ask");
}

static int
when_keep(struct handler_ctx *ctx, const char *key, const struct when_parts *p)
{
	json_t *v = json_pack("{s:i, s:i, s:i, s:b, s:i, s:i, s:b}", "y",
	    p->year, "m", p->month, "d", p->day, "t", p->has_time, "h", p->hour,
	    "min", p->minute, "def", p->default_hour);
	json_object_set_new(ctx->conv.draft, key, v);
	return wizard_save(ctx, ctx->conv.flow, ctx->conv.step,
	    ctx->conv.draft);
}

/* What when_keep stored under key, if anything. */
static bool
when_kept(struct handler_ctx *ctx, const char *key, struct when_parts *p)
{
	json_t *v = json_object_get(ctx->conv.draft, key);
	if (!json_is_object(v))
		return false;
	memset(p, 0, sizeof *p);
	p->year = (int)json_integer_value(json_object_get(v, "y"));
	p->month = (int)json_integer_value(json_object_get(v, "m"));
	p->day = (int)json_integer_value(json_object_get(v, "d"));
	p->has_day = p->month >= 1 && p->month <= 12 && p->day >= 1;
	p->has_time = json_is_true(json_object_get(v, "t"));
	p->hour = (int)json_integer_value(json_object_get(v, "h"));
	p->minute = (int)json_integer_value(json_object_get(v, "min"));
	p->default_hour = json_is_true(json_object_get(v, "def"));
	return true;
}

static void
when_refusal(struct handler_ctx *ctx, enum when_error err, struct buf *why)
{
	struct buf e = BUF_INIT;
	html_escape(&e, when_error_text(err, ctx->lang));
	i18n_appendp(why, ctx->lang, &T_E_WHEN, buf_str(&e));
	buf_release(&e);
}

/* A day and a time, both known: the date is taken, and the organiser told
 * what the bot understood when it assumed an hour («утром» is 10:00) or,
 * with `stated`, put it together from two answers. */
static int
when_accept_parts(struct handler_ctx *ctx, json_t *d,
    const struct when_parts *p, bool stated, struct buf *why)
{
	time_t t;
	enum when_error err;
	if (when_combine(p, (time_t)(ctx->now_ms / 1000), &t, &err) < 0) {
		when_forget(ctx);
		if (wizard_save(ctx, ctx->conv.flow, ctx->conv.step,
		        ctx->conv.draft) < 0)
			return -1;
		when_refusal(ctx, err, why);
		return 1;
	}
	when_forget(ctx);
	json_object_set_new(d, "starts_at", json_integer((json_int_t)t));
	if (p->default_hour || stated) {
		struct buf when = BUF_INIT;
		when_format_at(&when, t, (time_t)(ctx->now_ms / 1000),
		    ctx->lang);
		int rc = p->default_hour
		    ? reply_text(ctx, NULL, &T_WHEN_DEFAULT_HOUR,
		          buf_str(&when), p->hour, p->minute)
		    : reply_text(ctx, NULL, &T_WHEN_TAKEN, buf_str(&when));
		buf_release(&when);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Asks "1 декабря уже прошло. Вы имели в виду 1 декабря 2027?" with yes and
 * no buttons; p holds next year's day. */
static int
when_ask_year(struct handler_ctx *ctx, const struct when_parts *p,
    struct buf *why)
{
	struct buf gone = BUF_INIT, meant = BUF_INIT;
	time_t now = (time_t)(ctx->now_ms / 1000);
	struct when_parts this_year = *p;
	/* The day as typed (this year's, so shown without a year), then
	 * next year's, with it. */
	this_year.year--;
	when_format_day(&gone, this_year.year, p->month, p->day, now, false,
	    ctx->lang);
	when_format_day(&meant, p->year, p->month, p->day, now, false,
	    ctx->lang);
	i18n_appendp(why, ctx->lang, &T_WHEN_PAST_ASK, buf_str(&gone),
	    buf_str(&meant));
	buf_release(&gone);
	buf_release(&meant);
	return when_keep(ctx, "when_ask", p) < 0 ? -1 : 2;
}

int
announce_accept_when(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why)
{
	(void)step;
	struct when_parts p, kept;
	enum when_error err;
	time_t now = (time_t)(ctx->now_ms / 1000);
	bool combined = false;

	/* The answer to "Вы имели в виду 1 декабря 2027?" ("нет" there is
	 * not the skip word). */
	if (text != NULL && when_kept(ctx, "when_ask", &kept)) {
		int yes = when_yes_no(text);
		if (yes >= 0) {
			json_object_del(ctx->conv.draft, "when_ask");
			if (yes == 0) {
				if (wizard_save(ctx, ctx->conv.flow,
				        ctx->conv.step, ctx->conv.draft) < 0)
					return -1;
				i18n_appendp(why, ctx->lang, &T_WHEN_AGAIN);
				return 1;
			}
			p = kept;
			combined = true;
			goto have_parts;
		}
		json_object_del(ctx->conv.draft, "when_ask");
	}
	if (text == NULL || is_skip_word(text)) {
		when_forget(ctx);
		json_object_set_new(d, "starts_at", json_integer(0));
		return 0;
	}
	when_read(text, now, &p, &err);
	switch (err) {
	case WHEN_OK:
		break;
	case WHEN_PAST_DATE:
		return when_ask_year(ctx, &p, why);
	case WHEN_NO_DATE:
		/* A time after a day given alone: "25 декабря", "10:00". */
		if (when_kept(ctx, "when_day", &kept) && kept.has_day) {
			kept.has_time = true;
			kept.hour = p.hour;
			kept.minute = p.minute;
			kept.default_hour = p.default_hour;
			p = kept;
			combined = true;
			break;
		}
		json_object_del(ctx->conv.draft, "when_day");
		if (when_keep(ctx, "when_time", &p) < 0)
			return -1;
		i18n_appendp(why, ctx->lang, &T_WHEN_ASK_DAY, p.hour, p.minute);
		return 1;
	case WHEN_NO_TIME:
		goto have_parts;
	default:
		when_refusal(ctx, err, why);
		return 1;
	}
have_parts:
	if (p.has_day && !p.has_time && when_kept(ctx, "when_time", &kept) &&
	    kept.has_time) {
		/* A day after a time given alone: "в 10", "в субботу". */
		p.has_time = true;
		p.hour = kept.hour;
		p.minute = kept.minute;
		p.default_hour = kept.default_hour;
		combined = true;
	}
	if (!p.has_time) {
		struct buf day = BUF_INIT;
		json_object_del(ctx->conv.draft, "when_time");
		if (when_keep(ctx, "when_day", &p) < 0) {
			buf_release(&day);
			return -1;
		}
		when_format_day(&day, p.year, p.month, p.day, now, true,
		    ctx->lang);
		i18n_appendp(why, ctx->lang, &T_WHEN_ASK_TIME, buf_str(&day));
		buf_release(&day);
		return 1;
	}
	return when_accept_parts(ctx, d, &p, combined, why);
}

/* Adds one good (a line, or a part of one) to the list: 0 added, 1
 * refused with why. */
static int
goods_add(struct handler_ctx *ctx, json_t *goods, const char *t, size_t line_no,
    struct buf *why)
{
	struct goods_line g;
	enum goods_error err;
	int rc = 0;
	if (goods_parse_line(t, ACTION_QUANTITY_MAX, &g, &err) < 0) {
		struct buf l = BUF_INIT, e = BUF_INIT;
		char *shown = utf8_sanitize(t,
		    utf8_prefix_bytes(t, strlen(t), 60));
		html_escape(&l, shown);
		html_escape(&e, goods_error_text(err, ctx->lang));
		i18n_appendp(why, ctx->lang, &T_E_GOODS_LINE, line_no,
		    buf_str(&l), buf_str(&e));
		free(shown);
		buf_release(&l);
		buf_release(&e);
		return 1;
	}
	if (json_array_size(goods) >= ACTION_NEEDS_MAX) {
		i18n_appendp(why, ctx->lang, &T_E_GOODS_MANY, ACTION_NEEDS_MAX);
		goods_line_release(&g);
		return 1;
	}
	char *folded = utf8_casefold(g.item);
	size_t i;
	json_t *prev;
	json_array_foreach(goods, i, prev)
	{
		char *pf = utf8_casefold(json_string_value(json_object_get(prev,
		    "item")));
		bool same = strcmp(pf, folded) == 0;
		free(pf);
		if (same) {
			struct buf e = BUF_INIT;
			html_escape(&e, g.item);
			i18n_appendp(why, ctx->lang, &T_E_GOODS_DUP,
			    buf_str(&e));
			buf_release(&e);
			rc = 1;
			break;
		}
	}
	free(folded);
	if (rc == 0)
		json_array_append_new(goods,
		    json_pack("{s:s, s:s?, s:I}", "item", g.item, "unit",
		        g.unit, "qty", (json_int_t)g.quantity));
	goods_line_release(&g);
	return rc;
}

/* "Понял так: • одеяла, подушки — 20 шт. Верно?" for a list with a line
 * goods_split_line was unsure about; the list waits in the conversation
 * ("goods_ask") for the answer. Returns 2 (a yes/no question) or -1. */
int
announce_goods_ask(struct handler_ctx *ctx, json_t *goods, struct buf *why)
{
	size_t i;
	json_t *g;
	i18n_appendp(why, ctx->lang, &T_GOODS_ASK_HEAD);
	json_array_foreach(goods, i, g)
	{
		const char *unit = announce_draft_str(g, "unit");
		buf_puts(why, "• ");
		html_escape(why, announce_draft_str(g, "item"));
		buf_printf(why, " — %lld",
		    (long long)announce_draft_int(g, "qty"));
		if (unit != NULL) {
			buf_putc(why, ' ');
			html_escape(why, unit);
		}
		buf_putc(why, '\n');
	}
	i18n_appendp(why, ctx->lang, &T_GOODS_ASK_TAIL);
	json_object_set(ctx->conv.draft, "goods_ask", goods);
	return wizard_save(ctx, ctx->conv.flow, ctx->conv.step,
	           ctx->conv.draft) < 0
	    ? -1
	    : 2;
}

int
announce_accept_goods(struct handler_ctx *ctx, int step, json_t *d,
    const char *text, struct buf *why)
{
	(void)step;
	/* The answer to "Понял так: … Верно?". */
	json_t *asked = json_object_get(ctx->conv.draft, "goods_ask");
	if (text != NULL && json_is_array(asked)) {
		int yes = when_yes_no(text);
		if (yes == 1)
			json_object_set(d, "goods", asked);
		json_object_del(ctx->conv.draft, "goods_ask");
		if (yes == 1)
			return 0;
		if (yes == 0) {
			if (wizard_save(ctx, ctx->conv.flow, ctx->conv.step,
			        ctx->conv.draft) < 0)
				return -1;
			i18n_appendp(why, ctx->lang, &T_GOODS_AGAIN);
			return 1;
		}
	}
	json_object_del(ctx->conv.draft, "goods_ask");
	if (text == NULL || is_skip_word(text)) {
		json_object_set_new(d, "goods", json_array());
		return 0;
	}
	json_t *goods = json_array();
	char *all = xstrdup(text);
	char *save_ptr = NULL;
	size_t line_no = 0;
	bool unsure = false;
	int rc = 0;
	for (char *line = strtok_r(all, "\n", &save_ptr);
	     line != NULL && rc == 0; line = strtok_r(NULL, "\n", &save_ptr)) {
		line_no++;
		char **parts;
		size_t n;
		/* «одеяла 20 шт, крупа 50 кг»: two goods on one line. */
		if (goods_split_line(line, &parts, &n) == GOODS_SPLIT_UNSURE)
			unsure = true;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (*parts[i] != '\0')
				rc = goods_add(ctx, goods, parts[i], line_no,
				    why);
		}
		goods_parts_free(parts, n);
	}
	free(all);
	if (rc == 0 && unsure && json_array_size(goods) > 0)
		rc = announce_goods_ask(ctx, goods, why);
	else if (rc == 0)
		json_object_set(d, "goods", goods);
	json_decref(goods);
	return rc;
}

/* ---- the draft ---- */

const char *
announce_draft_str(json_t *d, const char *key)
{
	return json_string_value(json_object_get(d, key));
}

int64_t
announce_draft_int(json_t *d, const char *key)
{
	return json_integer_value(json_object_get(d, key));
}

/* Replaces a's fields with the draft's (a's id, author and totals stay). */
void
announce_draft_to_action(json_t *d, struct action *a)
{
	free(a->title);
	free(a->description);
	free(a->direction);
	free(a->place);
	free(a->org_name);
	a->org_id = announce_draft_int(d, "org_id");
	a->org_name = xstrdup(announce_draft_str(d, "org"));
	a->title = xstrdup(announce_draft_str(d, "title")
	        ? announce_draft_str(d, "title")
	        : "");
	a->description = xstrdup(announce_draft_str(d, "description")
	        ? announce_draft_str(d, "description")
	        : "");
	a->direction = xstrdup(announce_draft_str(d, "direction")
	        ? announce_draft_str(d, "direction")
	        : "");
	a->place = xstrdup(announce_draft_str(d, "place"));
	free(a->payment);
	a->payment = xstrdup(announce_draft_str(d, "payment"));
	free(a->poster_file_id);
	a->poster_file_id = xstrdup(announce_draft_str(d, "poster"));
	a->starts_at = announce_draft_int(d, "starts_at");
	a->goal_kopecks = announce_draft_int(d, "goal");
	a->volunteers_needed = announce_draft_int(d, "volunteers");
	for (size_t i = 0; i < a->n_needs; i++) {
		free(a->needs[i].item);
		free(a->needs[i].unit);
	}
	free(a->needs);
	a->needs = NULL;
	a->n_needs = 0;
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(d, "goods"), i, g)
	{
		struct action_need *n = action_add_need(a,
		    announce_draft_str(g, "item"),
		    announce_draft_str(g, "unit"),
		    announce_draft_int(g, "qty"));
		n->id = announce_draft_int(g, "id");
	}
}

json_t *
announce_action_to_draft(const struct action *a)
{
	json_t *goods = json_array();
	for (size_t i = 0; i < a->n_needs; i++)
		json_array_append_new(goods,
		    json_pack("{s:s, s:s?, s:I, s:I}", "item", a->needs[i].item,
		        "unit", a->needs[i].unit, "qty",
		        (json_int_t)a->needs[i].quantity, "id",
		        (json_int_t)a->needs[i].id));
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?, s:I, s:o, s:I, s:I,"
	                 " s:s?, s:s?}",
	    "id", (json_int_t)a->id, "title", a->title, "description",
	    a->description, "direction", a->direction, "starts_at",
	    (json_int_t)a->starts_at, "place", a->place, "goal",
	    (json_int_t)a->goal_kopecks, "goods", goods, "volunteers",
	    (json_int_t)a->volunteers_needed, "org_id", (json_int_t)a->org_id,
	    "org", a->org_name, "payment", a->payment);
}
