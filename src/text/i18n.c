/* The bot's texts (see i18n.h). Russian is the users' language; English is
 * the second locale. Keep both columns in step. */
#include "dobrobot/text/i18n.h"

#include <stdarg.h>
#include <string.h>

struct translation {
	const char *ru;
	const char *en;
};

/* One entry per message, Russian then English, laid out as a translator
 * reads them: not for clang-format. */
/* clang-format off */
static const struct translation texts[MSG_COUNT] = {
    [MSG_START_GREETING] = {
	"Здравствуйте, %s! Я — бот добрых дел нашего города.\n\n"
	"Здесь некоммерческие организации и волонтёры объявляют акции: "
	"сборы одежды, продуктов и денег для тех, кто попал в беду, "
	"сборы средств, призывы волонтёров, фестивали. Вы можете "
	"пообещать помощь — деньгами, вещами или своим временем — и "
	"увидеть, что из этого вышло.\n\n"
	"Что я умею — /help",
	"Hello, %s! I am our city's bot for good deeds.\n\n"
	"Non-profits and volunteers announce actions here: collections of "
	"clothes, food and money for people in hardship, fundraisers, calls "
	"for volunteers, festivals. You can pledge help — money, goods or "
	"your time — and see what came of it.\n\n"
	"What I can do — /help",
    },
    [MSG_START_GROUP] = {
	"Здравствуйте! Я — бот добрых дел. Чтобы помочь или подписаться на "
	"новости, напишите мне в личные сообщения: @%s",
	"Hello! I am the bot for good deeds. To help or to subscribe to news, "
	"write to me in a private chat: @%s",
    },
    [MSG_HELP_HEADER] = {
	"<b>Команды</b>\n",
	"<b>Commands</b>\n",
    },
    [MSG_HELP_FOOTER] = {
	"\nКоманду можно нажать или написать.",
	"\nTap a command or type it.",
    },
    [MSG_UNKNOWN_COMMAND] = {
	"Я не знаю команды /%s. Список команд — /help",
	"I don't know the command /%s. The list of commands — /help",
    },
    [MSG_NOT_A_COMMAND] = {
	"Я бот добрых дел: помогаю найти, кому помочь. Открытые акции — "
	"/actions, новости о новых акциях — /subscribe, все команды — /help",
	"I am the bot for good deeds: I help you find whom to help. Open "
	"actions — /actions, news of new actions — /subscribe, all commands "
	"— /help",
    },
    [MSG_APOLOGY] = {
	"Простите, я не смог обработать это сообщение. Мы уже знаем об "
	"ошибке; попробуйте ещё раз чуть позже или выберите другую команду — "
	"/help",
	"Sorry, I could not process that message. We know about the error; "
	"please try again a bit later or choose another command — /help",
    },
    [MSG_PRIVATE_ONLY] = {
	"Команда /%s работает в личном чате со мной: @%s",
	"The command /%s works in a private chat with me: @%s",
    },
    [MSG_GROUP_ONLY] = {
	"Команда /%s работает только в группе.",
	"The command /%s works only in a group.",
    },
    [MSG_NOT_ALLOWED_ORGANISER] = {
	"Команда /%s доступна только организаторам. Если вы представляете "
	"организацию, попросите администратора бота выдать вам роль.",
	"The command /%s is for organisers only. If you represent an "
	"organisation, ask the bot's admin to grant you the role.",
    },
    [MSG_NOT_ALLOWED_ADMIN] = {
	"Команда /%s доступна только администраторам бота.",
	"The command /%s is for the bot's admins only.",
    },
    [MSG_CANCELLED] = {
	"Хорошо, отменил. Чем ещё помочь? — /help",
	"OK, cancelled. What else can I do? — /help",
    },
    [MSG_NOTHING_TO_CANCEL] = {
	"Сейчас нечего отменять. Список команд — /help",
	"There is nothing to cancel. The list of commands — /help",
    },
    [MSG_BUTTON_STALE] = {
	"Эта кнопка устарела. Откройте список заново.",
	"This button is out of date. Please open the list again.",
    },
    [MSG_BUTTON_NOT_ALLOWED] = {
	"Эта кнопка не для вас.",
	"This button is not for you.",
    },
    [MSG_CMD_START] = {"начать и узнать, что умеет бот",
	"start and see what the bot can do"},
    [MSG_CMD_HELP] = {"список команд", "list of commands"},
    [MSG_CMD_ANNOUNCE] = {"объявить новую акцию", "announce a new action"},
    [MSG_CMD_ACTIONS] = {"открытые акции: /actions или /actions спорт",
	"open actions: /actions or /actions спорт"},
    [MSG_CMD_ACTION] = {"акция по номеру: /action 12",
	"an action by its number: /action 12"},
    [MSG_CMD_EDIT] = {"изменить акцию: /edit 12", "change an action: /edit 12"},
    [MSG_CMD_CLOSE] = {"завершить акцию: /close 12",
	"close an action: /close 12"},
    [MSG_CMD_CONTACT] = {"показывать ли в акциях ваш Telegram: /contact да",
	"show your Telegram on your actions: /contact on"},
    [MSG_CMD_PLEDGE] = {"пообещать помощь: /pledge 12 500",
	"pledge help: /pledge 12 500"},
    [MSG_CMD_MY] = {"мои обещания и добрые дела", "my pledges and good deeds"},
    [MSG_CMD_UNPLEDGE] = {"отменить обещание: /unpledge 15",
	"take a pledge back: /unpledge 15"},
    [MSG_CMD_PLEDGES] = {"обещания по акции: /pledges 12",
	"pledges for an action: /pledges 12"},
    [MSG_CMD_RECEIVED] = {"отметить полученное: /received 15",
	"record what came: /received 15"},
    [MSG_CMD_REPORT] = {"отчёт: сколько собрано и кто помог: /report 12",
	"report: what was collected and who helped: /report 12"},
    [MSG_CMD_EXPORT] = {"таблица обещаний (CSV для Excel): /export 12",
	"a table of pledges (CSV for Excel): /export 12"},
    [MSG_CMD_THANK] = {"благодарственные письма участникам акции: /thank 12",
	"thank-you letters to an action's helpers: /thank 12"},
    [MSG_CMD_REVOKE_DOC] = {"отозвать документ: /revoke_doc 12",
	"revoke a document: /revoke_doc 12"},
    [MSG_CMD_SUBSCRIBE] = {"анонсы новых акций по направлениям",
	"announcements of new actions, by direction"},
    [MSG_CMD_UNSUBSCRIBE] = {"больше не присылать анонсы",
	"stop announcements"},
    [MSG_CMD_BROADCAST] = {"разослать сообщение группе или подписчикам",
	"send a message to the group or to subscribers"},
    [MSG_CMD_BROADCASTS] = {"последние рассылки и как они идут",
	"recent broadcasts and their progress"},
    [MSG_CMD_CANCEL] = {"выйти из начатого диалога", "leave the current dialogue"},
    [MSG_CMD_GRANT] = {"выдать роль организатора", "make someone an organiser"},
    [MSG_CMD_REVOKE] = {"снять роль организатора",
	"take back the organiser role"},
    [MSG_CMD_ORGANISERS] = {"список организаторов", "list of organisers"},
    [MSG_CMD_SETGROUP] = {"сделать эту группу группой руководителей",
	"make this group the leaders' group"},
    [MSG_CMD_PRIVACY] = {"какие данные хранит бот", "what data the bot keeps"},
    [MSG_CMD_FORGETME] = {"удалить мои данные", "delete my data"},
    [MSG_CMD_ORGS] = {"организации города и их услуги",
	"the city's organisations and their services"},
    [MSG_CMD_ORG] = {"одна организация: услуги, контакты, акции",
	"one organisation: services, contacts, actions"},
    [MSG_CMD_ADDORG] = {"добавить организацию", "add an organisation"},
    [MSG_CMD_EDITORG] = {"изменить организацию", "edit an organisation"},
};
/* clang-format on */

static const char *const names[MSG_COUNT] = {
#define I18N_NAME(id) [id] = #id,
    I18N_MESSAGES(I18N_NAME)
#undef I18N_NAME
};

const char *
i18n_text(const char *lang, enum i18n_msg msg)
{
	if (msg >= MSG_COUNT)
		return "";
	if (lang != NULL && strcmp(lang, "en") == 0 && texts[msg].en != NULL)
		return texts[msg].en;
	return texts[msg].ru;
}

const char *
i18n_name(enum i18n_msg msg)
{
	return msg < MSG_COUNT ? names[msg] : "?";
}

int
i18n_append(struct buf *out, const char *lang, enum i18n_msg msg, ...)
{
	va_list ap;
	va_start(ap, msg);
	/* The formats are this file's constants, checked pairwise by
	 * tests/unit/test_i18n.c, not user input. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	int rc = buf_vprintf(out, i18n_text(lang, msg), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return rc;
}

const char *
i18n_pick(const char *lang, const struct i18n_pair *p)
{
	if (lang != NULL && strcmp(lang, "en") == 0 && p->en != NULL)
		return p->en;
	return p->ru;
}

int
i18n_appendp(struct buf *out, const char *lang, const struct i18n_pair *p, ...)
{
	va_list ap;
	va_start(ap, p);
	int rc = i18n_vappendp(out, lang, p, ap);
	va_end(ap);
	return rc;
}

int
i18n_vappendp(struct buf *out, const char *lang, const struct i18n_pair *p,
    va_list ap)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return buf_vprintf(out, i18n_pick(lang, p), ap);
#pragma GCC diagnostic pop
}
