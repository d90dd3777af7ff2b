/* How actions and pledges look: one renderer for the preview, the
 * announcements, /action, every progress edit, /report and the public site.
 * Pure text over the store's structures: no database, no Telegram. */
#include "dobrobot/view/view.h"
#include "dobrobot/core/config.h"

#include <stdlib.h>
#include <string.h>

#include "dobrobot/text/html.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/text/money.h"
#include "dobrobot/text/progress.h"
#include "dobrobot/text/split.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/text/when.h"
#include "dobrobot/core/xalloc.h"

#define BAR_WIDTH 10

I18N(T_R_CLOSED, "✅ <b>Акция завершена.</b>\n",
    "✅ <b>This action is over.</b>\n")
I18N(T_R_DIRECTION, "🏷 %s\n", "🏷 %s\n")
I18N(T_R_ORG, "🏢 %s\n", "🏢 %s\n")
I18N(T_R_CONTACT, "📞 Связь: %s\n", "📞 Contact: %s\n")
I18N(T_R_PAYMENT, "💳 Как перевести: %s\n", "💳 How to pay: %s\n")
I18N(T_MONEY_HOW_ASK, "Как передать деньги — спросите организаторов: %s\n",
    "How to hand over the money — ask the organisers: %s\n")
I18N(T_MONEY_HOW_UNKNOWN,
    "Как передать деньги — в описании акции или у её организаторов.\n",
    "How to hand over the money — see the action's description or ask its "
    "organisers.\n")
I18N(T_R_NO_DATE,
    "🗓 без даты — сбор идёт постоянно\n",
    "🗓 no date — the collection is ongoing\n")
I18N(T_R_PLACE, "📍 %s\n", "📍 %s\n")
I18N(T_R_FOOTER, "<i>Акция №%lld</i>", "<i>Action #%lld</i>")
I18N(T_R_MONEY_GOAL, "💰 <b>Деньги</b> — цель %s\n",
    "💰 <b>Money</b> — goal %s\n")
I18N(T_R_MONEY, "💰 <b>Деньги</b>\n", "💰 <b>Money</b>\n")
I18N(T_R_PROMISED, "обещано %s", "pledged %s")
I18N(T_R_RECEIVED, "получено %s", "received %s")
I18N(T_R_GOODS, "📦 <b>Вещи</b>\n", "📦 <b>Goods</b>\n")
I18N(T_R_NEED, "• %s: %s — обещано %s, получено %s\n",
    "• %s: %s — pledged %s, received %s\n")
I18N(T_R_VOLUNTEERS_GOAL,
    "🙋 <b>Волонтёры</b> — нужно %lld: записались %lld, пришли %lld\n",
    "🙋 <b>Volunteers</b> — %lld needed: %lld signed up, %lld came\n")
I18N(T_R_VOLUNTEERS, "🙋 <b>Волонтёры</b>: записались %lld, пришли %lld\n",
    "🙋 <b>Volunteers</b>: %lld signed up, %lld came\n")
I18N(T_B_MONEY, "💰 Помочь деньгами", "💰 Donate money")
I18N(T_B_GOODS, "📦 Принести вещи", "📦 Bring goods")
I18N(T_B_TIME, "🙋 Стать волонтёром", "🙋 Volunteer")
I18N(T_R_RESULT, "Итог: %s\n", "Result: %s\n")

/* ---- rendering ---- */

static void
put_escaped(struct buf *b, const char *s)
{
	html_escape(b, s != NULL ? s : "");
}

static void
put_money(struct buf *b, int64_t kopecks)
{
	money_format(b, kopecks);
}

/* "20 шт", "20" */
static char *
quantity_text(int64_t q, const char *unit)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%lld", (long long)q);
	if (unit != NULL && *unit != '\0') {
		buf_putc(&b, ' ');
		html_escape(&b, unit);
	}
	return buf_detach(&b);
}

int
action_contact(struct buf *out, const struct action *a)
{
	const char *parts[3] = {a->org_phone, a->org_link, NULL};
	char *mention = NULL;
	if (a->author_username != NULL && *a->author_username != '\0') {
		struct buf m = BUF_INIT;
		buf_printf(&m, "@%s", a->author_username);
		mention = buf_detach(&m);
		parts[2] = mention;
	}
	size_t before = out->len;
	for (size_t i = 0; i < 3; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (out->len > before)
			buf_puts(out, " · ");
		if (i == 0)
			buf_puts(out, "☎ ");
		html_escape(out, parts[i]);
	}
	free(mention);
	return out->len > before ? 1 : 0;
}

void
action_money_how(struct buf *out, const struct action *a, const char *lang)
{
	if (a->payment != NULL && *a->payment != '\0') {
		struct buf p = BUF_INIT;
		html_escape(&p, a->payment);
		i18n_appendp(out, lang, &T_R_PAYMENT, buf_str(&p));
		buf_release(&p);
		return;
	}
	struct buf c = BUF_INIT;
	if (action_contact(&c, a) > 0)
		i18n_appendp(out, lang, &T_MONEY_HOW_ASK, buf_str(&c));
	else
		i18n_appendp(out, lang, &T_MONEY_HOW_UNKNOWN);
	buf_release(&c);
}

bool
action_wants(const struct action *a, enum pledge_kind kind)
{
	switch (kind) {
	case PLEDGE_MONEY:
		return a->goal_kopecks > 0;
	case PLEDGE_GOODS:
		return a->n_needs > 0;
	case PLEDGE_TIME:
		return a->volunteers_needed > 0;
	}
	return false;
}

/* "обещано 25 000 ₽ ▰▰▰▰▰▱▱▱▱▱ 50%" */
static void
money_line(struct buf *b, const struct i18n_pair *label, int64_t kopecks,
    int64_t goal, const char *lang)
{
	struct buf m = BUF_INIT;
	put_money(&m, kopecks);
	i18n_appendp(b, lang, label, buf_str(&m));
	buf_release(&m);
	if (goal > 0) {
		buf_putc(b, ' ');
		progress_bar(b, kopecks, goal, BAR_WIDTH);
	}
	buf_putc(b, '\n');
}

int
action_render_progress(struct buf *out, const struct action *a,
    const char *lang)
{
	size_t before = out->len;
	if (a->goal_kopecks > 0 || a->money_promised > 0) {
		if (a->goal_kopecks > 0) {
			struct buf g = BUF_INIT;
			put_money(&g, a->goal_kopecks);
			i18n_appendp(out, lang, &T_R_MONEY_GOAL, buf_str(&g));
			buf_release(&g);
		} else {
			i18n_appendp(out, lang, &T_R_MONEY);
		}
		money_line(out, &T_R_PROMISED, a->money_promised,
		    a->goal_kopecks, lang);
		money_line(out, &T_R_RECEIVED, a->money_received,
		    a->goal_kopecks, lang);
	}
	if (a->n_needs > 0) {
		i18n_appendp(out, lang, &T_R_GOODS);
		for (size_t i = 0; i < a->n_needs; i++) {
			const struct action_need *n = &a->needs[i];
			struct buf item = BUF_INIT;
			html_escape(&item, n->item);
			char *need = quantity_text(n->quantity, n->unit);
			char promised[24], received[24];
			snprintf(promised, sizeof promised, "%lld",
			    (long long)n->promised);
			snprintf(received, sizeof received, "%lld",
			    (long long)n->received);
			i18n_appendp(out, lang, &T_R_NEED, buf_str(&item), need,
			    promised, received);
			free(need);
			buf_release(&item);
		}
	}
	if (a->volunteers_needed > 0)
		i18n_appendp(out, lang, &T_R_VOLUNTEERS_GOAL,
		    (long long)a->volunteers_needed,
		    (long long)a->volunteers_promised,
		    (long long)a->volunteers_received);
	else if (a->volunteers_promised > 0)
		i18n_appendp(out, lang, &T_R_VOLUNTEERS,
		    (long long)a->volunteers_promised,
		    (long long)a->volunteers_received);
	return out->len > before ? 1 : 0;
}

/* The process's configuration never changes after start; passing it into
 * every renderer would thread it through the site and every handler for
 * one label. */
static const struct config *view_cfg;

void
view_use_config(const struct config *cfg)
{
	view_cfg = cfg;
}

const char *
view_direction_label(const char *name, const char *lang)
{
	if (view_cfg == NULL)
		return name != NULL ? name : "";
	return config_direction_label_of(view_cfg, name, lang);
}

/* The whole announcement with the description cut to `desc_bytes` (all of
 * it when SIZE_MAX). */
static void
render_with(struct buf *b, const struct action *a, const char *lang,
    size_t desc_bytes)
{
	buf_puts(b, "📣 <b>");
	put_escaped(b, a->title);
	buf_puts(b, "</b>\n");
	if (a->org_name != NULL) {
		struct buf org = BUF_INIT;
		html_escape(&org, a->org_name);
		i18n_appendp(b, lang, &T_R_ORG, buf_str(&org));
		buf_release(&org);
	}
	struct buf contact = BUF_INIT;
	if (!a->closed && action_contact(&contact, a) > 0)
		i18n_appendp(b, lang, &T_R_CONTACT, buf_str(&contact));
	buf_release(&contact);
	if (a->closed) {
		i18n_appendp(b, lang, &T_R_CLOSED);
		if (a->result != NULL && *a->result != '\0') {
			struct buf r = BUF_INIT;
			html_escape(&r, a->result);
			i18n_appendp(b, lang, &T_R_RESULT, buf_str(&r));
			buf_release(&r);
		}
	}
	struct buf dir = BUF_INIT;
	html_escape(&dir, view_direction_label(a->direction, lang));
	i18n_appendp(b, lang, &T_R_DIRECTION, buf_str(&dir));
	buf_release(&dir);
	if (a->starts_at > 0) {
		buf_puts(b, "🗓 ");
		when_format(b, (time_t)a->starts_at, lang);
		buf_putc(b, '\n');
	} else {
		i18n_appendp(b, lang, &T_R_NO_DATE);
	}
	if (a->place != NULL && *a->place != '\0') {
		struct buf p = BUF_INIT;
		html_escape(&p, a->place);
		i18n_appendp(b, lang, &T_R_PLACE, buf_str(&p));
		buf_release(&p);
	}
	const char *d = a->description ? a->description : "";
	size_t dlen = strlen(d);
	if (dlen > 0) {
		buf_putc(b, '\n');
		if (desc_bytes < dlen) {
			html_escape_n(b, d, desc_bytes);
			buf_puts(b, "…");
		} else {
			html_escape(b, d);
		}
		buf_putc(b, '\n');
	}
	struct buf progress = BUF_INIT;
	if (action_render_progress(&progress, a, lang) > 0) {
		buf_putc(b, '\n');
		buf_puts(b, buf_str(&progress));
	}
	buf_release(&progress);
	if (a->id > 0) {
		buf_putc(b, '\n');
		i18n_appendp(b, lang, &T_R_FOOTER, (long long)a->id);
	}
}

int
action_render_fit(struct buf *out, const struct action *a, const char *lang,
    size_t max)
{
	struct buf b = BUF_INIT;
	render_with(&b, a, lang, SIZE_MAX);
	size_t visible = split_visible_length(buf_str(&b));
	int shortened = 0;
	if (visible > max && a->description != NULL) {
		const char *d = a->description;
		size_t dlen = strlen(d);
		size_t dchars = utf8_length(d, dlen);
		size_t over = visible - max + 1; /* and "…" */
		size_t keep = dchars > over ? dchars - over : 0;
		buf_reset(&b);
		render_with(&b, a, lang, utf8_prefix_bytes(d, dlen, keep));
		shortened = 1;
	}
	int rc = buf_puts(out, buf_str(&b));
	buf_release(&b);
	return rc < 0 ? -1 : shortened;
}

int
action_render(struct buf *out, const struct action *a, const char *lang)
{
	return action_render_fit(out, a, lang, ACTION_RENDER_MAX);
}

static json_t *
button_row(json_t *rows, const char *text, const char *key, const char *value)
{
	json_t *row = json_pack("[{s:s, s:s}]", "text", text, key, value);
	json_array_append_new(rows, row);
	return rows;
}

json_t *
action_keyboard(const struct action *a, const char *lang, bool in_group,
    const char *bot_username)
{
	static const struct {
		enum pledge_kind kind;
		char letter;
		const struct i18n_pair *label;
	} kinds[] = {
	    {PLEDGE_MONEY, 'm', &T_B_MONEY},
	    {PLEDGE_GOODS, 'g', &T_B_GOODS},
	    {PLEDGE_TIME, 't', &T_B_TIME},
	};
	if (a->closed || a->id <= 0)
		return NULL;
	json_t *rows = json_array();
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!action_wants(a, kinds[i].kind))
			continue;
		char value[128];
		const char *label = i18n_pick(lang, kinds[i].label);
		if (in_group) {
			snprintf(value, sizeof value,
			    "https://t.me/%s?start=p%lld%c", bot_username,
			    (long long)a->id, kinds[i].letter);
			button_row(rows, label, "url", value);
		} else {
			snprintf(value, sizeof value, "pl:%lld:%c",
			    (long long)a->id, kinds[i].letter);
			button_row(rows, label, "callback_data", value);
		}
	}
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return NULL;
	}
	return json_pack("{s:o}", "inline_keyboard", rows);
}

I18N(T_P_VOLUNTEER, "волонтёр", "volunteer")
I18N(T_P_ANON, "аноним", "anonymous")
I18N(T_S_PLEDGED, "ждём", "awaited")
I18N(T_S_RECEIVED, "получено ✅", "received ✅")
I18N(T_S_RECEIVED_AS, "получено ✅ (пришло %s)", "received ✅ (came: %s)")
I18N(T_S_RECEIVED_HOURS, "пришёл(ла) ✅ (%lld ч)", "came ✅ (%lld h)")
I18N(T_S_CAME, "пришёл(ла) ✅", "came ✅")
I18N(T_S_WITHDRAWN, "отменено", "taken back")
I18N(T_S_LAPSED, "не пришло", "never came")

/* ---- how pledges read ---- */

char *
pledge_public_name(json_t *tg_user)
{
	const char *first = json_string_value(json_object_get(tg_user,
	    "first_name"));
	const char *last = json_string_value(json_object_get(tg_user,
	    "last_name"));
	if (first == NULL)
		return NULL;
	struct buf b = BUF_INIT;
	char *f = utf8_sanitize(first, strlen(first));
	char *t = utf8_trim(f);
	free(f);
	/* Telegram allows 64 characters; keep it so. */
	buf_append(&b, t, utf8_prefix_bytes(t, strlen(t), 64));
	free(t);
	if (last != NULL) {
		char *l = utf8_sanitize(last, strlen(last));
		t = utf8_trim(l);
		free(l);
		size_t n = utf8_prefix_bytes(t, strlen(t), 1);
		if (n > 0) {
			buf_putc(&b, ' ');
			buf_append(&b, t, n);
			buf_putc(&b, '.');
		}
		free(t);
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int
pledge_display_name(struct buf *out, const struct pledge *p, const char *lang)
{
	if (p->anonymous || p->user_id == 0 || p->display_name == NULL ||
	    *p->display_name == '\0')
		return buf_puts(out, i18n_pick(lang, &T_P_ANON));
	return html_escape(out, p->display_name);
}

bool
pledge_publicly_listed(const struct pledge *p)
{
	return p->user_id != 0 &&
	    (p->status == PLEDGE_PLEDGED || p->status == PLEDGE_RECEIVED);
}

void
quantity_append(struct buf *out, int64_t q, const char *unit)
{
	buf_printf(out, "%lld", (long long)q);
	if (unit != NULL && *unit != '\0') {
		buf_putc(out, ' ');
		html_escape(out, unit);
	}
}

int
pledge_describe(struct buf *out, const struct pledge *p, const char *lang)
{
	switch (p->kind) {
	case PLEDGE_MONEY:
		return money_format(out, p->amount);
	case PLEDGE_GOODS:
		html_escape(out, p->item ? p->item : "?");
		buf_puts(out, ", ");
		quantity_append(out, p->amount, p->unit);
		return 0;
	case PLEDGE_TIME:
		return buf_puts(out, i18n_pick(lang, &T_P_VOLUNTEER));
	}
	return 0;
}

int
pledge_describe_status(struct buf *out, const struct pledge *p,
    const char *lang)
{
	switch (p->status) {
	case PLEDGE_PLEDGED:
		return i18n_appendp(out, lang, &T_S_PLEDGED);
	case PLEDGE_WITHDRAWN:
		return i18n_appendp(out, lang, &T_S_WITHDRAWN);
	case PLEDGE_LAPSED:
		return i18n_appendp(out, lang, &T_S_LAPSED);
	case PLEDGE_RECEIVED:
		break;
	}
	if (p->kind == PLEDGE_TIME)
		return p->received_amount > 0
		    ? i18n_appendp(out, lang, &T_S_RECEIVED_HOURS,
		          (long long)p->received_amount)
		    : i18n_appendp(out, lang, &T_S_CAME);
	if (p->received_amount <= 0 || p->received_amount == p->amount)
		return i18n_appendp(out, lang, &T_S_RECEIVED);
	struct buf came = BUF_INIT;
	if (p->kind == PLEDGE_MONEY)
		money_format(&came, p->received_amount);
	else
		quantity_append(&came, p->received_amount, p->unit);
	int rc = i18n_appendp(out, lang, &T_S_RECEIVED_AS, buf_str(&came));
	buf_release(&came);
	return rc;
}

I18N(T_RP_VOLUNTEER_HOURS, "волонтёр, %lld ч", "volunteer, %lld h")
I18N(T_MONEY_CEILING, " Самое большое обещание здесь — %s.",
    " The largest pledge accepted here is %s.")

/* ---- shared pieces ---- */

void
report_date(struct buf *out, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[16];
	if (localtime_r(&t, &tm) != NULL &&
	    strftime(s, sizeof s, "%d.%m.%Y", &tm) > 0)
		buf_puts(out, s);
}

void
report_describe_given(struct buf *out, const struct pledge *p, const char *lang)
{
	if (p->status == PLEDGE_RECEIVED && p->kind == PLEDGE_TIME &&
	    p->received_amount > 0) {
		i18n_appendp(out, lang, &T_RP_VOLUNTEER_HOURS,
		    (long long)p->received_amount);
		return;
	}
	struct pledge shown = *p;
	if (p->status == PLEDGE_RECEIVED && p->kind != PLEDGE_TIME &&
	    p->received_amount > 0)
		shown.amount = p->received_amount;
	pledge_describe(out, &shown, lang);
}

/* Why an amount was refused, escaped; past the ceiling, the ceiling too,
 * so that the person knows what would be accepted. */
void
money_refusal(struct buf *out, enum money_error err, int64_t max_kopecks,
    const char *lang)
{
	html_escape(out, money_error_text(err, lang));
	if (err != MONEY_ABOVE_MAX)
		return;
	/* The ceiling is a sentence of its own: «…15 000. Самое большое…». */
	if (out->len > 0 && strchr(".!?", out->data[out->len - 1]) == NULL)
		buf_putc(out, '.');
	struct buf max = BUF_INIT;
	money_format(&max, max_kopecks);
	i18n_appendp(out, lang, &T_MONEY_CEILING, buf_str(&max));
	buf_release(&max);
}

int
format_count(struct buf *out, int64_t n, const char *lang)
{
	char digits[32];
	/* "\xc2\xa0" is U+00A0: a group separator that never breaks a line. */
	bool en = lang != NULL && strcmp(lang, "en") == 0;
	const char *sep = en ? "," : "\xc2\xa0";
	bool neg = n < 0;
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int len = snprintf(digits, sizeof digits, "%llu",
	    (unsigned long long)v);
	struct buf tmp = BUF_INIT;
	if (neg)
		buf_putc(&tmp, '-');
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_puts(&tmp, sep);
		buf_putc(&tmp, digits[i]);
	}
	int rc = buf_puts(out, buf_str(&tmp));
	buf_release(&tmp);
	return rc;
}

static int
cmp_int64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

int64_t
view_people_helped(const struct pledge *list, size_t n)
{
	int64_t *ids = xcalloc(n + 1, sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == PLEDGE_RECEIVED)
			ids[k++] = list[i].user_id != 0 ? list[i].user_id
			                                : -list[i].id;
	qsort(ids, k, sizeof *ids, cmp_int64);
	int64_t people = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			people++;
	free(ids);
	return people;
}
