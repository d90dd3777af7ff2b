/* fakeapi structural checks: reply_markup (inline keyboards: 1-64 byte
 * callback_data, exactly one action per button) and setMyCommands lists,
 * answered with the descriptions Telegram uses. */
#include "fake.h"

#include <ctype.h>

static const char *const button_actions[] = {"url", "callback_data",
    "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app",
    "copy_text", NULL};

static bool
url_plausible(const char *u)
{
	if (!*u)
		return false;
	for (const char *p = u; *p; p++)
		if (isspace((unsigned char)*p))
			return false;
	return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) ||
	    !strncmp(u, "tg://", 5) || strchr(u, '.') != NULL;
}

static int
button_check(const json_t *b, char *err, size_t errlen)
{
	int actions = 0;

	if (!json_is_object(b)) {
		snprintf(err, errlen,
		    "Bad Request: can't parse inline keyboard button: "
		    "InlineKeyboardButton must be an Object");
		return -1;
	}
	if (!json_is_string(json_object_get(b, "text"))) {
		snprintf(err, errlen,
		    "Bad Request: can't parse inline keyboard button: Field "
		    "\"text\" must be of type String");
		return -1;
	}
	for (size_t i = 0; button_actions[i]; i++)
		if (json_object_get(b, button_actions[i]))
			actions++;
	if (actions == 0) {
		snprintf(err, errlen,
		    "Bad Request: can't parse inline keyboard button: Text "
		    "buttons are unallowed in the inline keyboard");
		return -1;
	}
	if (actions > 1) {
		/* Telegram silently takes the first; the fake is stricter so
		 * that a bot bug is caught. */
		snprintf(err, errlen,
		    "Bad Request: can't parse inline keyboard button: "
		    "exactly one of the optional fields must be used");
		return -1;
	}
	json_t *cd = json_object_get(b, "callback_data");

	if (cd) {
		if (!json_is_string(cd) || json_string_length(cd) < 1 ||
		    json_string_length(cd) > 64) {
			snprintf(err, errlen,
			    "Bad Request: BUTTON_DATA_INVALID");
			return -1;
		}
	}
	json_t *url = json_object_get(b, "url");

	if (url) {
		const char *u = json_is_string(url) ? json_string_value(url)
		                                    : "";

		if (!url_plausible(u)) {
			snprintf(err, errlen,
			    "Bad Request: inline keyboard button URL '%.200s' "
			    "is invalid: Wrong HTTP URL",
			    u);
			return -1;
		}
	}
	return 0;
}

int
markup_check(const json_t *m, char *err, size_t errlen)
{
	if (!json_is_object(m)) {
		snprintf(err, errlen,
		    "Bad Request: can't parse reply keyboard markup JSON "
		    "object");
		return -1;
	}
	json_t *kb = json_object_get(m, "inline_keyboard");

	if (kb) {
		size_t total = 0, i, j;
		json_t *row, *b;

		if (!json_is_array(kb)) {
			snprintf(err, errlen,
			    "Bad Request: field \"inline_keyboard\" of the "
			    "InlineKeyboardMarkup must be an Array");
			return -1;
		}
		json_array_foreach(kb, i, row)
		{
			if (!json_is_array(row)) {
				snprintf(err, errlen,
				    "Bad Request: field \"inline_keyboard\" of "
				    "the InlineKeyboardMarkup must be an Array "
				    "of Arrays");
				return -1;
			}
			json_array_foreach(row, j, b)
			{
				if (button_check(b, err, errlen))
					return -1;
				total++;
			}
		}
		if (total > 100) {
			snprintf(err, errlen,
			    "Bad Request: reply markup is too long");
			return -1;
		}
		return 0;
	}
	kb = json_object_get(m, "keyboard");
	if (kb) {
		size_t i;
		json_t *row;

		if (!json_is_array(kb)) {
			snprintf(err, errlen,
			    "Bad Request: field \"keyboard\" of the "
			    "ReplyKeyboardMarkup must be an Array");
			return -1;
		}
		json_array_foreach(kb, i, row)
		{
			if (!json_is_array(row)) {
				snprintf(err, errlen,
				    "Bad Request: field \"keyboard\" of the "
				    "ReplyKeyboardMarkup must be an Array of "
				    "Arrays");
				return -1;
			}
		}
	}
	return 0;
}

int
commands_check(const json_t *commands, char *err, size_t errlen)
{
	size_t i;
	json_t *c;

	if (!json_is_array(commands)) {
		snprintf(err, errlen,
		    "Bad Request: can't parse commands JSON object");
		return -1;
	}
	if (json_array_size(commands) > 100) {
		snprintf(err, errlen,
		    "Bad Request: too many commands specified");
		return -1;
	}
	json_array_foreach(commands, i, c)
	{
		json_t *cmd = json_object_get(c, "command");
		json_t *desc = json_object_get(c, "description");

		if (!json_is_object(c)) {
			snprintf(err, errlen,
			    "Bad Request: can't parse BotCommand: expected "
			    "an Object");
			return -1;
		}
		if (!json_is_string(cmd)) {
			snprintf(err, errlen,
			    "Bad Request: can't parse BotCommand: Can't find "
			    "field \"command\"");
			return -1;
		}
		if (!json_is_string(desc)) {
			snprintf(err, errlen,
			    "Bad Request: can't parse BotCommand: Can't find "
			    "field \"description\"");
			return -1;
		}
		const char *s = json_string_value(cmd);
		size_t n = strlen(s);
		bool ok = n >= 1 && n <= 32;

		for (size_t k = 0; ok && k < n; k++)
			ok = (s[k] >= 'a' && s[k] <= 'z') ||
			    (s[k] >= '0' && s[k] <= '9') || s[k] == '_';
		if (!ok) {
			snprintf(err, errlen,
			    "Bad Request: BOT_COMMAND_INVALID");
			return -1;
		}
		const char *d = json_string_value(desc);
		size_t dn = utf8_codepoints(d, strlen(d));

		if (dn == 0) {
			snprintf(err, errlen,
			    "Bad Request: command description must be "
			    "non-empty");
			return -1;
		}
		if (dn > 256) {
			snprintf(err, errlen,
			    "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
			return -1;
		}
	}
	return 0;
}
