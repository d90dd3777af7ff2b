/* The bot's texts in Russian (default) and English. Each message is a printf
 * format in Telegram's HTML subset; both translations of a message take the
 * same arguments in the same order (a unit test checks the conversion
 * specifications match). Arguments that come from users must be escaped by
 * the caller (html_escape) before they are formatted in. */
#ifndef DOBROBOT_TEXT_I18N_H
#define DOBROBOT_TEXT_I18N_H

#include <stdarg.h>

#include "dobrobot/core/buf.h"

#define I18N_MESSAGES(X) \
	X(MSG_START_GREETING) \
	X(MSG_START_GROUP) \
	X(MSG_HELP_HEADER) \
	X(MSG_HELP_FOOTER) \
	X(MSG_UNKNOWN_COMMAND) \
	X(MSG_NOT_A_COMMAND) \
	X(MSG_APOLOGY) \
	X(MSG_PRIVATE_ONLY) \
	X(MSG_GROUP_ONLY) \
	X(MSG_NOT_ALLOWED_ORGANISER) \
	X(MSG_NOT_ALLOWED_ADMIN) \
	X(MSG_CANCELLED) \
	X(MSG_NOTHING_TO_CANCEL) \
	X(MSG_BUTTON_STALE) \
	X(MSG_BUTTON_NOT_ALLOWED) \
	X(MSG_CMD_START) \
	X(MSG_CMD_HELP) \
	X(MSG_CMD_ANNOUNCE) \
	X(MSG_CMD_ACTIONS) \
	X(MSG_CMD_ACTION) \
	X(MSG_CMD_EDIT) \
	X(MSG_CMD_CLOSE) \
	X(MSG_CMD_PLEDGE) \
	X(MSG_CMD_MY) \
	X(MSG_CMD_UNPLEDGE) \
	X(MSG_CMD_PLEDGES) \
	X(MSG_CMD_RECEIVED) \
	X(MSG_CMD_REPORT) \
	X(MSG_CMD_EXPORT) \
	X(MSG_CMD_THANK) \
	X(MSG_CMD_REVOKE_DOC) \
	X(MSG_CMD_SUBSCRIBE) \
	X(MSG_CMD_UNSUBSCRIBE) \
	X(MSG_CMD_BROADCAST) \
	X(MSG_CMD_BROADCASTS) \
	X(MSG_CMD_CANCEL) \
	X(MSG_CMD_GRANT) \
	X(MSG_CMD_REVOKE) \
	X(MSG_CMD_ORGANISERS) \
	X(MSG_CMD_SETGROUP) \
	X(MSG_CMD_PRIVACY) \
	X(MSG_CMD_FORGETME) \
	X(MSG_CMD_ORGS) \
	X(MSG_CMD_ORG) \
	X(MSG_CMD_ADDORG) \
	X(MSG_CMD_EDITORG) \
	X(MSG_CMD_CONTACT)

enum i18n_msg {
#define I18N_ENUM(id) id,
	I18N_MESSAGES(I18N_ENUM)
#undef I18N_ENUM
	    MSG_COUNT
};

/* The message's format in `lang` ("ru" or "en"; anything else is "ru").
 * The string is static. */
const char *i18n_text(const char *lang, enum i18n_msg msg);
const char *i18n_name(enum i18n_msg msg);

/* Appends the formatted message. Returns buf's result. */
int i18n_append(struct buf *out, const char *lang, enum i18n_msg msg, ...);

/* Feature texts live next to the code that uses them, declared with I18N():
 *
 *	I18N(T_ASK_TITLE, "Как называется акция?", "What is the action called?")
 *
 * which defines a static `struct i18n_pair T_ASK_TITLE` and registers it in
 * the "i18n_pairs" linker section, so that tests/unit/test_i18n.c checks
 * every pair in the program (both languages present, same printf
 * arguments) without a central list to keep in step. */
struct i18n_pair {
	const char *ru;
	const char *en;
	const char *name;
};

#define I18N(id, ru_text, en_text) \
	static const struct i18n_pair id = {ru_text, en_text, #id}; \
	static const struct i18n_pair *const id##_registered \
	    __attribute__((section("i18n_pairs"), used)) = &id;

/* The text in `lang` ("en" gives English, anything else Russian). */
const char *i18n_pick(const char *lang, const struct i18n_pair *p);
/* Appends the pair's text formatted with the arguments. */
int i18n_appendp(struct buf *out, const char *lang, const struct i18n_pair *p,
    ...);
/* The same with a va_list, for functions that take the arguments on. */
int i18n_vappendp(struct buf *out, const char *lang, const struct i18n_pair *p,
    va_list ap);

#endif
