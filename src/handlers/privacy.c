/* /privacy and /forgetme, the one-time question of how a person is shown in
 * the lists of helpers, and the jobs that keep personal data only as long as
 * documented (see handlers/privacy.h). The organisation that runs the bot is
 * the operator of personal data under Russia's 152-FZ; the bot keeps only
 * what its features need, says so in plain words, and forgets a citizen on
 * request without breaking the totals of collections. */
#include "privacy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/buf.h"
#include "documents.h"
#include "pledges.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/pledges.h"
#include "dobrobot/store/privacy.h"
#include "dobrobot/core/xalloc.h"

#define FORGET_FLOW "forget"

I18N(T_PRIVACY,
    "<b>Какие данные я храню и зачем</b>\n\n"
    "Оператор персональных данных (в смысле закона № 152-ФЗ «О "
    "персональных данных») — организация, которая ведёт этого бота. Я "
    "храню только то, что нужно для работы:\n\n"
    "• id в Telegram, имя и @username — чтобы отвечать вам и "
    "благодарить за помощь;\n"
    "• язык — чтобы отвечать по-русски или по-английски;\n"
    "• роль (участник или организатор) — чтобы знать, какие команды вам "
    "доступны;\n"
    "• ваши обещания помощи (деньги, вещи, время) и их статус — чтобы "
    "считать сборы, напоминать и благодарить;\n"
    "• подписки на направления и организации — чтобы присылать новости, "
    "которые вы выбрали;\n"
    "• черновик начатого диалога — чтобы не потерять то, что вы уже "
    "ввели;\n"
    "• сообщения, которые я вам отправляю, — в очереди отправки, чтобы "
    "они точно дошли (текст — неделю, запись о них — 90 дней);\n"
    "• справки и благодарственные письма, которые вы получили: номер, имя "
    "так, как вы его написали, и итоги — чтобы их можно было проверить; на "
    "открытой странице проверки видны только инициалы.\n\n"
    "<b>Кто видит ваше имя.</b> В списке помощников акции (/report — его "
    "может открыть любой) и у её организаторов вы — «Имя Ф.» (имя и "
    "первая буква фамилии), только если сами так выбрали, иначе — "
    "«аноним». Ваш @username и id не показываются никому. Списки с "
    "номерами и состоянием обещаний видят только организаторы акции и "
    "администраторы.\n\n"
    "Фамилию, телефон и местоположение я не храню (фамилию — только если "
    "вы сами впишете её в справку или письмо). Я не передаю ваши "
    "данные никому, кроме самого Telegram, через который идёт переписка, "
    "и не использую их для рекламы.\n\n"
    "<b>Удалить свои данные</b> — /forgetme. Я сотру имя, @username, "
    "язык, подписки, черновики, справки и письма (их страницы проверки "
    "исчезнут), а ваши обещания станут анонимными: суммы "
    "в отчётах сохранятся, но без вашего имени.",
    "<b>What data I keep, and why</b>\n\n"
    "The operator of personal data (under Russia's Federal Law No. 152-FZ "
    "“On Personal Data”) is the organisation that runs this bot. I keep "
    "only what I need to work:\n\n"
    "• your Telegram id, first name and @username — to answer you and "
    "thank you for your help;\n"
    "• your language — to answer in Russian or English;\n"
    "• your role (citizen or organiser) — to know which commands you may "
    "use;\n"
    "• your pledges (money, goods, time) and their status — to count the "
    "collections, remind and thank you;\n"
    "• your subscriptions to directions and organisations — to send you "
    "the news you chose;\n"
    "• the draft of a dialogue you started — so that nothing you typed is "
    "lost;\n"
    "• the messages I send you — in the sending queue, so that they surely "
    "arrive (their text for a week, the record for 90 days);\n"
    "• the certificates and thank-you letters you received: number, your "
    "name as you wrote it, and totals — so that they can be verified; the "
    "public verify page shows only initials.\n\n"
    "<b>Who sees your name.</b> In an action's list of helpers (/report — "
    "anyone may open it) and for its organisers you are “First L.” (your "
    "first name and the initial of your last name) only if you chose so, "
    "otherwise “anonymous”. Your @username and id are shown to nobody. "
    "Lists with pledges' numbers and states are seen only by the action's "
    "organisers and the admins.\n\n"
    "I do not keep your last name, phone number or location (a last name "
    "only if you type it into a certificate or letter yourself). I pass "
    "your data to nobody but Telegram itself, which carries our "
    "conversation, and never use it for advertising.\n\n"
    "<b>To delete your data</b> — /forgetme. I will erase your name, "
    "username, language, subscriptions, drafts, certificates and letters "
    "(their verify pages go), and your pledges will "
    "become anonymous: the totals in reports stay, without your name.")
I18N(T_FORGET_ASK,
    "Удалить ваши данные? Я сотру имя, @username, язык, подписки и "
    "черновики, а ваши обещания помощи станут анонимными (суммы в отчётах "
    "останутся). Отменить это будет нельзя.",
    "Delete your data? I will erase your name, username, language, "
    "subscriptions and drafts, and your pledges will become anonymous (the "
    "totals in reports stay). This cannot be undone.")
I18N(T_FORGET_YES, "Да, удалить", "Yes, delete")
I18N(T_FORGET_NO, "Нет, оставить", "No, keep it")
I18N(T_FORGET_DONE,
    "Готово: ваши данные удалены. Если напишете мне снова, я запомню "
    "только имя и язык — заново.",
    "Done: your data is deleted. If you write to me again, I will remember "
    "only your name and language, afresh.")
I18N(T_FORGET_DONE_SHORT, "Готово, данные удалены.", "Done, data deleted.")
I18N(T_FORGET_KEPT, "Хорошо, ничего не удаляю.", "OK, nothing is deleted.")
I18N(T_FORGET_PRESS,
    "Нажмите кнопку выше: «Да, удалить» или «Нет, оставить». Выйти — "
    "/cancel",
    "Press a button above: “Yes, delete” or “No, keep it”. To leave — "
    "/cancel")
I18N(T_FORGET_ORGANISER,
    "Вы организатор: ваши акции и отметки о полученной помощи — записи "
    "организации. Попросите администратора снять с вас роль (/revoke), а "
    "потом повторите /forgetme.",
    "You are an organiser: your actions and the help you marked received "
    "are the organisation's records. Ask an admin to take back your role "
    "(/revoke), then send /forgetme again.")
I18N(T_SHOWN_ASK,
    "В списке помощников (его видят все — /report — и организаторы) вы "
    "пока — «аноним». Показывать ваше имя? Я запомню ответ для следующих "
    "обещаний командой /pledge.\n",
    "In the list of helpers (everyone sees it — /report — and the "
    "organisers) you are “anonymous” for now. Show your name? I will "
    "remember the answer for your next pledges by /pledge.\n")
I18N(T_SHOWN_NAMED_BUTTON, "Показывать как «%s»", "Show me as “%s”")
I18N(T_SHOWN_ANON_BUTTON, "Анонимно", "Anonymously")
I18N(T_SHOWN_NAMED,
    "Хорошо: в списках помощников вы — «%s». Так будет и в следующих "
    "быстрых обещаниях; для одного обещания можно дописать «анонимно».",
    "Done: in the lists of helpers you are “%s”. So it will be for your "
    "next quick pledges too; for one pledge you can add «anonymously».")
I18N(T_SHOWN_ANON,
    "Хорошо: в списках помощников вы — «аноним», и так будет в следующих "
    "быстрых обещаниях.",
    "Done: in the lists of helpers you are “anonymous”, and so it will be "
    "for your next quick pledges.")
I18N(T_FORGET_ADMIN,
    "Вы администратор бота: ваш id записан в файле настроек. Сначала "
    "попросите того, кто обслуживает бота, убрать его оттуда.",
    "You are an admin of the bot: your id is in the configuration file. "
    "First ask whoever runs the bot to remove it from there.")

int
handle_privacy(struct handler_ctx *ctx)
{
	return reply_text(ctx, NULL, &T_PRIVACY);
}

/* Organisers and admins are not forgotten by a button: their work is the
 * organisation's record. Returns 1 when the citizen may go on, or 0 after
 * answering. */
static int
forget_allowed(struct handler_ctx *ctx)
{
	if (ctx->role == ROLE_CITIZEN)
		return 1;
	const struct i18n_pair *p = ctx->role == ROLE_ADMIN
	    ? &T_FORGET_ADMIN
	    : &T_FORGET_ORGANISER;
	if (ctx->callback != NULL) {
		answer_callback(ctx, NULL, false);
		conversation_clear(ctx->st, ctx->user.id, ctx->chat_id);
	}
	return reply_text(ctx, NULL, p) < 0 ? -1 : 0;
}

int
handle_forgetme(struct handler_ctx *ctx)
{
	int rc = forget_allowed(ctx);
	if (rc <= 0)
		return rc;
	json_t *draft = json_object();
	rc = conversation_save(ctx->st, ctx->user.id, ctx->chat_id, FORGET_FLOW,
	    "confirm", draft, ctx->now_ms);
	json_decref(draft);
	if (rc < 0)
		return handler_fail(ctx, "cannot save the conversation");
	json_t *kb = json_pack("{s:[[{s:s, s:s}, {s:s, s:s}]]}",
	    "inline_keyboard", "text", tr(ctx, &T_FORGET_YES), "callback_data",
	    "fg:y", "text", tr(ctx, &T_FORGET_NO), "callback_data", "fg:n");
	rc = reply_text(ctx, kb, &T_FORGET_ASK);
	json_decref(kb);
	return rc;
}

int
privacy_forget_flow(struct handler_ctx *ctx)
{
	return reply_text(ctx, NULL, &T_FORGET_PRESS);
}

/* The last word to a forgotten person: the confirmation message, edited.
 * Its outbox row is kind "forgotten", which the schema deletes once it is
 * sent, so that not even their chat id stays behind. */
static int
say_forgotten(struct handler_ctx *ctx, const char *lang)
{
	if (ctx->cb_message_id == 0)
		return 0;
	json_t *payload = json_pack("{s:I, s:I, s:s, s:s}", "chat_id",
	    (json_int_t)ctx->chat_id, "message_id",
	    (json_int_t)ctx->cb_message_id, "text",
	    i18n_pick(lang, &T_FORGET_DONE), "parse_mode", "HTML");
	struct outbox_new m = {
	    .chat_id = ctx->chat_id,
	    .method = "editMessageText",
	    .payload = payload,
	    .kind = "forgotten",
	    .priority = PRIO_REPLY,
	};
	int64_t id = outbox_enqueue(ctx->st, &m);
	json_decref(payload);
	return id < 0 ? -1 : 0;
}

int
privacy_forget_button(struct handler_ctx *ctx)
{
	/* Buttons are data from the client: only a pending request in this
	 * very private chat, confirmed by its owner, counts. */
	bool pending = ctx->conv.flow != NULL &&
	    strcmp(ctx->conv.flow, FORGET_FLOW) == 0;
	bool yes = strcmp(ctx->cb_args, "y") == 0;
	bool no = strcmp(ctx->cb_args, "n") == 0;
	if (!ctx_is_private(ctx) || ctx->chat_id != ctx->user.id || !pending ||
	    (!yes && !no))
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	if (no) {
		if (conversation_clear(ctx->st, ctx->user.id, ctx->chat_id) < 0)
			return handler_fail(ctx,
			    "cannot clear the conversation");
		answer_callback(ctx, NULL, false);
		return edit_html(ctx, ctx->cb_message_id,
		    tr(ctx, &T_FORGET_KEPT), NULL);
	}
	int rc = forget_allowed(ctx);
	if (rc <= 0)
		return rc;
	char lang[3];
	snprintf(lang, sizeof lang, "%s", ctx->lang);
	struct forget_counts c;
	/* Their documents' public pages go first, then the rows. */
	if (documents_forget(ctx->st, ctx->cfg, ctx->user.id) < 0)
		return handler_fail(ctx, "cannot forget a person's documents");
	if (privacy_forget(ctx->st, ctx->user.id, &c) < 0)
		return handler_fail(ctx, "cannot forget a person");
	/* No id in the log either: only what was done. */
	log_info("a citizen asked to be forgotten: %d pledges anonymised, %d "
	         "subscriptions and %d queued messages deleted, %d sent texts "
	         "naming them emptied",
	    c.pledges, c.subscriptions, c.messages, c.named);
	if (answer_callback(ctx, i18n_pick(lang, &T_FORGET_DONE_SHORT), false) <
	    0)
		return -1;
	return say_forgotten(ctx, lang);
}

/* ---- how a person is shown ---- */

json_t *
privacy_shown_keyboard(struct handler_ctx *ctx, const struct pledge *p)
{
	/* No name to show (Telegram gave none): nothing to choose. */
	if (p->display_name == NULL || *p->display_name == '\0')
		return NULL;
	struct buf label = BUF_INIT;
	char named[40], anon[40];
	i18n_appendp(&label, ctx->lang, &T_SHOWN_NAMED_BUTTON, p->display_name);
	snprintf(named, sizeof named, "sn:%lld:1", (long long)p->id);
	snprintf(anon, sizeof anon, "sn:%lld:0", (long long)p->id);
	json_t *kb = json_pack("{s:[[o], [o]]}", "inline_keyboard",
	    callback_button(buf_str(&label), named),
	    callback_button(tr(ctx, &T_SHOWN_ANON_BUTTON), anon));
	buf_release(&label);
	return kb;
}

int
privacy_shown_question(struct handler_ctx *ctx, struct buf *out)
{
	return i18n_appendp(out, ctx->lang, &T_SHOWN_ASK);
}

/* "<pledge>:<1|0>" into its parts; -1 when it is not exactly that. */
static int
parse_shown_args(const char *args, int64_t *pledge_id, bool *named)
{
	char *end;
	errno = 0;
	long long id = strtoll(args, &end, 10);
	if (errno != 0 || end == args || id <= 0 || *end != ':' ||
	    (end[1] != '0' && end[1] != '1') || end[2] != '\0')
		return -1;
	*pledge_id = id;
	*named = end[1] == '1';
	return 0;
}

int
privacy_shown_button(struct handler_ctx *ctx)
{
	int64_t id;
	bool named;
	/* Only the person who made the pledge, in their private chat. */
	if (!ctx_is_private(ctx) || ctx->chat_id != ctx->user.id ||
	    parse_shown_args(ctx->cb_args, &id, &named) < 0)
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	struct pledge p;
	int rc = pledges_load(ctx->st, id, &p);
	if (rc < 0)
		return handler_fail(ctx, "cannot load the pledge");
	if (rc == 0 || p.user_id != ctx->user.id) {
		if (rc > 0)
			pledge_release(&p);
		return answer_callback(ctx,
		    i18n_text(ctx->lang, MSG_BUTTON_STALE), false);
	}
	rc = privacy_set_shown(ctx->st, ctx->user.id, id, named, ctx->now_ms);
	if (rc < 0) {
		pledge_release(&p);
		return handler_fail(ctx, "cannot remember how to show them");
	}
	answer_callback(ctx, NULL, false);
	struct buf text = BUF_INIT, name = BUF_INIT;
	if (named) {
		html_escape(&name, p.display_name ? p.display_name : "");
		i18n_appendp(&text, ctx->lang, &T_SHOWN_NAMED, buf_str(&name));
	} else {
		i18n_appendp(&text, ctx->lang, &T_SHOWN_ANON);
	}
	rc = drop_keyboard(ctx) < 0 ? -1
	                            : reply_html(ctx, buf_str(&text), NULL);
	buf_release(&text);
	buf_release(&name);
	pledge_release(&p);
	return rc;
}

/* ---- jobs ---- */

int
privacy_checkpoint_job(struct job_ctx *ctx)
{
	return privacy_after_forgotten(ctx->st) < 0 ? -1 : 0;
}

int
privacy_retention_job(struct job_ctx *ctx)
{
	struct prune_counts c;
	if (privacy_prune(ctx->st, ctx->now_ms, &c) < 0)
		return -1;
	if (c.dead_letters > 0)
		log_info("deleted %d dead letters older than %d days",
		    c.dead_letters, DEAD_LETTERS_KEEP_DAYS);
	if (c.messages > 0)
		log_info("deleted %d sent messages older than %d days",
		    c.messages, OUTBOX_KEEP_DAYS);
	return 0;
}
