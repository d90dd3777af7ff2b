/* /addorg and /editorg: the admins' wizard for an organisation's card,
 * one field at a time (flow "org"), with a preview to save. The public
 * views of organisations are handlers/orgs.c. */
#include "orgs.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "actions.h"
#include "dobrobot/text/html.h"
#include "dobrobot/view/orgfields.h"
#include "dobrobot/store/orgs.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"
#include "wizard.h"

I18N(T_OG_NO_SUCH, "Организации №%lld нет. Список — /orgs",
    "There is no organisation no. %lld. The list — /orgs")
I18N(T_OA_INTRO,
    "Добавляем организацию: семь коротких вопросов, потом я покажу "
    "карточку, как её увидят в /orgs. Выйти на любом шаге — /cancel\n\n",
    "Let's add an organisation: seven short questions, then I will show "
    "the card as people will see it in /orgs. Leave at any step — "
    "/cancel\n\n")
I18N(T_OA_STEP, "<b>Шаг %d из %d.</b> ", "<b>Step %d of %d.</b> ")
I18N(T_OA_P_NAME,
    "Как называется организация? Например: <i>Приют «Надежда»</i>",
    "What is the organisation called? For example: <i>Nadezhda shelter</i>")
I18N(T_OA_P_DESCRIPTION,
    "Коротко — чем она занимается и для кого? Например: <i>Временный "
    "приют для женщин с детьми в трудной ситуации</i>",
    "In short, what does it do and for whom? For example: <i>A temporary "
    "shelter for women with children in hardship</i>")
I18N(T_OA_P_SERVICES,
    "Какие социальные услуги она оказывает? По одной в строке, например:\n"
    "<i>временное проживание\nконсультации юриста\nпомощь вещами</i>",
    "Which social services does it provide? One a line, for example:\n"
    "<i>temporary housing\nlegal advice\nclothes and goods</i>")
I18N(T_OA_P_PHONE,
    "Телефон для связи? Например: <code>+7 914 123-45-67</code> — "
    "несколько номеров через запятую",
    "A phone number? For example: <code>+7 914 123-45-67</code> — several "
    "separated by commas")
I18N(T_OA_P_ADDRESS, "Адрес? Например: <i>ул. Ленина, 12, каб. 3</i>",
    "The address? For example: <i>12 Lenina St, room 3</i>")
I18N(T_OA_P_LINK,
    "Сайт, страница или Telegram? Например: <code>vk.com/nadezhda</code> "
    "или <code>@nadezhda_priut</code>",
    "A site, page or Telegram? For example: <code>vk.com/nadezhda</code> "
    "or <code>@nadezhda_priut</code>")
I18N(T_OA_P_DIRECTIONS, "Направления работы — через запятую, из списка: %s",
    "Its directions, separated by commas, from the list: %s")
I18N(T_OA_L_NAME, "Название", "Name")
I18N(T_OA_L_DESCRIPTION, "Описание", "Description")
I18N(T_OA_L_SERVICES, "Услуги", "Services")
I18N(T_OA_L_PHONE, "Телефон", "Phone")
I18N(T_OA_L_ADDRESS, "Адрес", "Address")
I18N(T_OA_L_LINK, "Ссылка", "Link")
I18N(T_OA_L_DIRECTIONS, "Направления", "Directions")
I18N(T_OA_SKIP, "Пропустить", "Skip")
I18N(T_OA_CLEAR, "Убрать", "Remove")
I18N(T_OA_SAVE, "✅ Сохранить", "✅ Save")
I18N(T_OA_CANCEL, "Отменить", "Cancel")
I18N(T_OA_PREVIEW,
    "Так организация будет выглядеть в /orgs. Сохранить? Чтобы исправить "
    "поле, нажмите его кнопку.",
    "This is how the organisation will look in /orgs. Save it? To correct "
    "a field, tap its button.")
I18N(T_OA_TAKEN,
    "Организация «%s» уже есть — №%lld. Изменить её — /editorg %lld, или "
    "напишите другое название.",
    "The organisation “%s” exists already — no. %lld. Edit it with "
    "/editorg %lld, or write another name.")
I18N(T_OA_SAVED_NEW,
    "Готово: «%s» в справочнике под №%lld — /org %lld. Чтобы организатор "
    "объявлял акции от её имени: <code>/grant @имя %lld</code>",
    "Done: “%s” is in the directory as no. %lld — /org %lld. To have an "
    "organiser announce on its behalf: <code>/grant @username %lld</code>")
I18N(T_OA_SAVED, "Готово: изменения «%s» сохранены — /org %lld",
    "Done: the changes to “%s” are saved — /org %lld")
I18N(T_OA_CANCELLED, "Отменено, ничего не сохранил.",
    "Cancelled; nothing was saved.")
I18N(T_OA_TEXT_ONLY, "Мне нужен ответ текстом. ", "I need the answer as text. ")
I18N(T_OA_BUTTONS,
    "Нажмите кнопку под карточкой: «Сохранить», поле, которое нужно "
    "исправить, или «Отменить».",
    "Tap a button under the card: «Save», a field to correct, or "
    "«Cancel».")
I18N(T_OA_EDIT_USAGE,
    "Какую организацию изменить? Напишите её номер, например "
    "<code>/editorg 3</code>. Список — /orgs",
    "Which organisation should I edit? Write its number, for example "
    "<code>/editorg 3</code>. The list — /orgs")

/* ---- /addorg and /editorg ---- */

static int accept_field(struct handler_ctx *ctx, int f, json_t *d,
    const char *text, struct buf *why);
static void render_directions(struct handler_ctx *ctx, struct buf *out);
static int org_preview(struct handler_ctx *ctx, json_t *d);

/* One step a field, named as orgfield_name names it (the name is the
 * draft's key and the conversation's step). */
static const struct wizard_step org_steps[ORG_F_COUNT] = {
    [ORG_F_NAME] = {.name = "name",
        .prompt = &T_OA_P_NAME,
        .label = &T_OA_L_NAME,
        .accept = accept_field},
    [ORG_F_DESCRIPTION] = {.name = "description",
        .prompt = &T_OA_P_DESCRIPTION,
        .label = &T_OA_L_DESCRIPTION,
        .optional = true,
        .accept = accept_field},
    [ORG_F_SERVICES] = {.name = "services",
        .prompt = &T_OA_P_SERVICES,
        .label = &T_OA_L_SERVICES,
        .optional = true,
        .accept = accept_field},
    [ORG_F_PHONE] = {.name = "phone",
        .prompt = &T_OA_P_PHONE,
        .label = &T_OA_L_PHONE,
        .optional = true,
        .accept = accept_field},
    [ORG_F_ADDRESS] = {.name = "address",
        .prompt = &T_OA_P_ADDRESS,
        .label = &T_OA_L_ADDRESS,
        .optional = true,
        .accept = accept_field},
    [ORG_F_LINK] = {.name = "link",
        .prompt = &T_OA_P_LINK,
        .label = &T_OA_L_LINK,
        .optional = true,
        .accept = accept_field},
    [ORG_F_DIRECTIONS] = {.name = "directions",
        .prompt = &T_OA_P_DIRECTIONS,
        .label = &T_OA_L_DIRECTIONS,
        .optional = true,
        .accept = accept_field,
        .render = render_directions},
};

static const struct wizard org_wizard = {
    .flow = "org",
    .prefix = "oa",
    .steps = org_steps,
    .n_asked = ORG_F_COUNT,
    .n_steps = ORG_F_COUNT,
    .counter = &T_OA_STEP,
    .skip_verb = 'k',
    .skip = &T_OA_SKIP,
    .remove = &T_OA_CLEAR,
    .preview = org_preview,
    .use_buttons = &T_OA_BUTTONS,
    .text_only = &T_OA_TEXT_ONLY,
    .cancelled = &T_OA_CANCELLED,
};

static void
draft_to_org(json_t *d, struct org *o)
{
	memset(o, 0, sizeof *o);
	o->id = json_integer_value(json_object_get(d, "id"));
	for (int f = 0; f < ORG_F_COUNT; f++)
		orgfield_set(o, f,
		    json_string_value(json_object_get(d, orgfield_name(f))));
}

static json_t *
org_to_draft(const struct org *o)
{
	json_t *d = json_pack("{s:I}", "id", (json_int_t)o->id);
	for (int f = 0; f < ORG_F_COUNT; f++)
		json_object_set_new(d, orgfield_name(f),
		    json_string(orgfield_get(o, f)));
	return d;
}

/* The card as it will be, with Save, a button per field, and Cancel. */
static int
org_preview(struct handler_ctx *ctx, json_t *d)
{
	struct org o;
	draft_to_org(d, &o);
	struct buf b = BUF_INIT;
	i18n_appendp(&b, ctx->lang, &T_OA_PREVIEW);
	buf_puts(&b, "\n\n");
	orgs_render_card(&b, NULL, &o, ctx->lang);
	org_release(&o);
	json_t *rows = json_array();
	json_array_append_new(rows,
	    json_pack("[o]", callback_button(tr(ctx, &T_OA_SAVE), "oa:save")));
	json_t *fields = json_array();
	for (int f = 0; f < ORG_F_COUNT; f++) {
		char data[32];
		snprintf(data, sizeof data, "oa:f:%d", f);
		json_array_append_new(fields,
		    callback_button(tr(ctx, org_steps[f].label), data));
	}
	buttons_two_per_row(rows, fields);
	json_array_append_new(rows,
	    json_pack("[o]", callback_button(tr(ctx, &T_OA_CANCEL), "oa:x")));
	json_t *kb = json_pack("{s:o}", "inline_keyboard", rows);
	int rc = reply_html(ctx, buf_str(&b), kb);
	json_decref(kb);
	buf_release(&b);
	return rc;
}

/* Refuses a name another organisation has. 1 free, 0 answered, -1. */
static int
name_free(struct handler_ctx *ctx, json_t *d, const char *name)
{
	int64_t other = orgs_find_by_name(ctx->st, name);
	if (other < 0)
		return handler_fail(ctx, "cannot look up an org name");
	if (other == 0 || other == json_integer_value(json_object_get(d, "id")))
		return 1;
	struct buf shown = BUF_INIT;
	html_escape(&shown, name);
	int rc = reply_text(ctx, NULL, &T_OA_TAKEN, buf_str(&shown),
	    (long long)other, (long long)other);
	buf_release(&shown);
	return rc < 0 ? -1 : 0;
}

/* The question of the directions, with the list to choose from. */
static void
render_directions(struct handler_ctx *ctx, struct buf *out)
{
	struct buf list = BUF_INIT;
	orgs_direction_names(&list, ctx->cfg);
	i18n_appendp(out, ctx->lang, &T_OA_P_DIRECTIONS, buf_str(&list));
	buf_release(&list);
}

/* An answer to field f (text NULL: the skip button). */
static int
accept_field(struct handler_ctx *ctx, int f, json_t *d, const char *text,
    struct buf *why)
{
	if (text == NULL || (orgfield_optional(f) && is_skip_word(text)))
		text = "";
	char *refusal = NULL;
	char *value = orgfield_check(f, text, ctx->cfg, ctx->lang, &refusal);
	if (value == NULL) {
		buf_puts(why, refusal);
		free(refusal);
		return WIZARD_REFUSED;
	}
	int ok = f == ORG_F_NAME ? name_free(ctx, d, value) : 1;
	if (ok <= 0) {
		free(value);
		return ok < 0 ? -1 : WIZARD_ANSWERED;
	}
	json_object_set_new(d, orgfield_name(f), json_string(value));
	free(value);
	return WIZARD_ACCEPTED;
}

int
orgs_on_message(struct handler_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->message,
	    "text"));
	return wizard_on_text(ctx, &org_wizard, text);
}

int
handle_addorg(struct handler_ctx *ctx)
{
	json_t *d = json_pack("{s:I}", "id", (json_int_t)0);
	int rc = wizard_save(ctx, org_wizard.flow, org_steps[ORG_F_NAME].name,
	    d);
	json_decref(d);
	if (rc < 0)
		return rc;
	return wizard_ask(ctx, &org_wizard, ORG_F_NAME, true, false,
	    &T_OA_INTRO);
}

/* Opens the preview of organisation `id` for editing. */
static int
edit_org(struct handler_ctx *ctx, int64_t id)
{
	struct org o;
	int r = orgs_load(ctx->st, id, &o);
	if (r < 0)
		return handler_fail(ctx, "cannot load org %lld", (long long)id);
	if (r == 0)
		return reply_text(ctx, NULL, &T_OG_NO_SUCH, (long long)id);
	json_t *d = org_to_draft(&o);
	org_release(&o);
	int rc = wizard_show_preview(ctx, &org_wizard, d);
	json_decref(d);
	return rc;
}

int
handle_editorg(struct handler_ctx *ctx)
{
	int64_t id;
	const char *rest;
	if (parse_id(ctx->cmd.args, &id, &rest) < 0 || *rest != '\0')
		return reply_text(ctx, NULL, &T_OA_EDIT_USAGE);
	return edit_org(ctx, id);
}

static int
save_org(struct handler_ctx *ctx)
{
	json_t *d = ctx->conv.draft;
	struct org o;
	draft_to_org(d, &o);
	int rc = 0;
	bool created = o.id == 0;
	int free_name = name_free(ctx, d, o.name);
	if (free_name <= 0) {
		rc = free_name;
		/* Back to the name, the one thing to change. */
		json_object_set_new(d, WIZARD_RETURN, json_true());
		if (rc == 0 &&
		    wizard_save(ctx, org_wizard.flow,
		        org_steps[ORG_F_NAME].name, d) < 0)
			rc = -1;
		goto out;
	}
	if (created) {
		bool was_new;
		if (orgs_upsert(ctx->st, &o, ctx->now_ms, &was_new) < 0)
			rc = handler_fail(ctx, "cannot store an org");
	} else {
		int r = orgs_update(ctx->st, &o, ctx->now_ms);
		if (r < 0)
			rc = handler_fail(ctx, "cannot update an org");
	}
	if (rc == 0 && wizard_clear(ctx) < 0)
		rc = -1;
	if (rc == 0) {
		struct buf name = BUF_INIT;
		html_escape_quoted(&name, o.name);
		long long id = (long long)o.id;
		rc = created
		    ? reply_text(ctx, NULL, &T_OA_SAVED_NEW, buf_str(&name), id,
		          id, id)
		    : reply_text(ctx, NULL, &T_OA_SAVED, buf_str(&name), id);
		buf_release(&name);
	}
out:
	org_release(&o);
	return rc;
}

/* "oa:e:<id>" edit from a card; in the conversation: the wizard's
 * "oa:k:<field>" skip, "oa:f:<field>" change a field from the preview and
 * "oa:x" cancel; "oa:save". */
int
orgs_on_admin_button(struct handler_ctx *ctx)
{
	const char *a = ctx->cb_args;
	if (strncmp(a, "e:", 2) == 0) {
		char *end;
		errno = 0;
		long long id = strtoll(a + 2, &end, 10);
		if (errno != 0 || *end != '\0' || id <= 0 ||
		    !ctx_is_private(ctx))
			return wizard_stale(ctx);
		return edit_org(ctx, id);
	}
	if (!wizard_is_open(ctx, &org_wizard))
		return wizard_stale(ctx);
	bool editing = json_integer_value(json_object_get(ctx->conv.draft,
	                   "id")) > 0;
	int rc = wizard_on_button(ctx, &org_wizard, a, editing);
	if (rc != 1)
		return rc;
	if (strcmp(a, "save") == 0)
		return wizard_at_preview(ctx) ? save_org(ctx)
		                              : wizard_stale(ctx);
	return wizard_stale(ctx);
}
