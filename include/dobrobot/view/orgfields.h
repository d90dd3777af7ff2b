/* Checking what people type for an organisation's fields — in the /addorg
 * conversation and in a CSV import alike, so that both accept and refuse
 * the same things with the same sentences. */
#ifndef DOBROBOT_VIEW_ORGFIELDS_H
#define DOBROBOT_VIEW_ORGFIELDS_H

#include "dobrobot/core/config.h"
#include "dobrobot/store/orgs.h"

enum org_field {
	ORG_F_NAME,
	ORG_F_DESCRIPTION,
	ORG_F_SERVICES,
	ORG_F_PHONE,
	ORG_F_ADDRESS,
	ORG_F_LINK,
	ORG_F_DIRECTIONS,
	ORG_F_COUNT
};

/* The field's machine name ("name", "phone", ...), used as the step of the
 * conversation and in CSV headers. */
const char *orgfield_name(enum org_field f);

/* Whether the field may be left empty (all but the name). */
bool orgfield_optional(enum org_field f);

/* Checks and normalises one field. `text` is what was typed (for an
 * optional field, "" leaves it empty; callers map skip words such as «нет»
 * or «-» to "" first, as is_skip_word in the handlers knows them).
 * Returns a new string, the form to store ("" for empty), or NULL with *why
 * set to a new HTML-escaped sentence in `lang` that says what is wrong and
 * what an example of a right answer is.
 *
 * - name: one line, 2..ORG_NAME_MAX characters;
 * - description, address: up to their caps (the description may have lines);
 * - services: one service a line, blank lines dropped, each line trimmed;
 * - phone: one to three numbers separated by "," or ";", each of the
 *   characters + - ( ) space and digits only, with 5 to 15 digits (a small
 *   town's «2-34-56» as well as «+7 914 123-45-67»); kept as typed;
 * - link: a web address (https:// added when there is none), or a Telegram
 *   @username, which becomes https://t.me/username; no spaces;
 * - directions: the configured directions, separated by commas, semicolons
 *   or new lines, compared case-insensitively; stored in the configured
 *   order, one per line (none: an organisation of no particular
 *   direction). */
char *orgfield_check(enum org_field f, const char *text,
    const struct config *cfg, const char *lang, char **why);

/* Sets the field of *o (freeing the old value) to a copy of `value`, as
 * orgfield_check returned it ("" becomes NULL for optional fields). */
void orgfield_set(struct org *o, enum org_field f, const char *value);

/* The field's current value ("" when empty); borrowed from *o. */
const char *orgfield_get(const struct org *o, enum org_field f);

#endif
