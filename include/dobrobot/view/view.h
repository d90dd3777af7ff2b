/* How actions and pledges look (src/text/view.c): one renderer for the
 * preview, the announcements, /action, every progress edit, /report and the
 * public site. Pure text over the store's structures: it reads no database
 * and sends nothing, so the site and every handler can share it. */
#ifndef DOBROBOT_VIEW_VIEW_H
#define DOBROBOT_VIEW_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/store/actions.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/text/money.h"
#include "dobrobot/store/pledges.h"

/* The configuration whose English direction labels the renderers show to
 * English readers (borrowed; set once at start, before any rendering).
 * Until it is set, directions are shown as stored. */
struct config;
void view_use_config(const struct config *cfg);

/* The stored direction `name` as a reader of `lang` sees it (its English
 * label for "en" when configured), not escaped; borrowed. */
const char *view_direction_label(const char *name, const char *lang);

/* The most characters an announcement may take: Telegram's 4096, less room
 * for its numbers to grow as pledges come (an edit cannot be split). */
#define ACTION_RENDER_MAX 4000

/* Appends an action as everyone sees it — in the preview, the published
 * announcements, /action and every progress edit: title, state, direction,
 * date and place, description, progress, and (when a->id is set) its
 * number. User text is HTML-escaped. The description is shortened with "…"
 * when the whole would exceed ACTION_RENDER_MAX visible characters; returns
 * 1 then, else 0 (-1 when out's cap is hit). */
int action_render(struct buf *out, const struct action *a, const char *lang);

/* The same within `max` visible characters (a photo's caption), the
 * description cut when needed. Returns 1 when cut, 0 when whole, -1. */
int action_render_fit(struct buf *out, const struct action *a, const char *lang,
    size_t max);

/* Appends the progress block: money promised and received against the goal
 * with bars and percentages, each good's promised and received against what
 * is needed, volunteers signed up and come. Nothing for an action that asks
 * for nothing. */
int action_render_progress(struct buf *out, const struct action *a,
    const char *lang);

/* The pledge buttons of a published, open action (only the kinds it asks
 * for): deep links into the bot's private chat when `in_group`, callback
 * buttons otherwise. A new reference, or NULL when there are none. */
json_t *action_keyboard(const struct action *a, const char *lang, bool in_group,
    const char *bot_username);

/* Whether the action asks for this kind of help. */
bool action_wants(const struct action *a, enum pledge_kind kind);

/* How to reach who runs the action, escaped: the organisation's phone and
 * link, and the author's Telegram @username when they allowed it
 * (/contact), joined by " · ". Returns 1 when something was appended, 0
 * when there is nothing to show. */
int action_contact(struct buf *out, const struct action *a);

/* The line a money pledge's confirmation ends with: the action's payment
 * details when it has them, else whom to ask (action_contact), else the
 * description. */
void action_money_how(struct buf *out, const struct action *a,
    const char *lang);

/* The name a pledge keeps for public views, from a Telegram User object
 * (borrowed): the first name and the initial of the last name, "Иван П.",
 * plain text. A new string, or NULL when the user has no name. */
char *pledge_public_name(json_t *tg_user);

/* The public display name of a pledge's person, the one function every view
 * uses (the public /report, the organisers' /pledges and attendance, the
 * expiry notices; exports apply the same rule in SQL, store/export.c):
 * first name and the initial of the last name ("Иван П.") when the person
 * chose to be shown, «аноним» when they did not (a quick /pledge before
 * they answered the one-time question included) or were forgotten; never
 * a username or an id. HTML-escaped. docs/SECURITY.md, "Who sees whose
 * name". */
int pledge_display_name(struct buf *out, const struct pledge *p,
    const char *lang);

/* Whether a pledge is a line of the public list of helpers (/report): live
 * (pledged or received) and of a person not forgotten. A forgotten
 * person's pledges count in the totals but are not listed. */
bool pledge_publicly_listed(const struct pledge *p);

/* What was pledged: "1 500 ₽", "тёплые одеяла — 5 шт", "волонтёр".
 * HTML-escaped. */
int pledge_describe(struct buf *out, const struct pledge *p, const char *lang);

/* Its state: "ждём", "получено ✅" (with what came when it differs),
 * "отменено", "не пришло". */
int pledge_describe_status(struct buf *out, const struct pledge *p,
    const char *lang);

/* What one pledge gave or promised: "1 500 ₽", "тёплые одеяла, 5 шт",
 * "волонтёр, 4 ч" — for a received one, what actually came. Escaped. */
void report_describe_given(struct buf *out, const struct pledge *p,
    const char *lang);

/* Appends a day, "12.03.2025", of wall ms in the local time zone. */
void report_date(struct buf *out, int64_t ms);

/* Appends "20 шт" or "20": a quantity and its unit, the unit escaped. */
void quantity_append(struct buf *out, int64_t q, const char *unit);

/* Why an amount was refused, escaped; past the ceiling (max_kopecks), the
 * ceiling too, so that the person knows what would be accepted. */
void money_refusal(struct buf *out, enum money_error err, int64_t max_kopecks,
    const char *lang);

/* A count as people read it: "1 234" (U+00A0 between groups) in Russian,
 * "1,234" in English. Returns buf's result. */
int format_count(struct buf *out, int64_t n, const char *lang);

/* The people whose help already came, as /report and the site count them:
 * distinct users among the received pledges (a forgotten person's pledges,
 * with no user any more, count one each). */
int64_t view_people_helped(const struct pledge *list, size_t n);

#endif
