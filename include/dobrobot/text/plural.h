/* Words that agree with a number: the Russian rule of one / few / many and
 * the English one of one / other, in one place. */
#ifndef DOBROBOT_TEXT_PLURAL_H
#define DOBROBOT_TEXT_PLURAL_H

#include <stdint.h>

#include "dobrobot/text/i18n.h"

/* The Russian form for n: `one` for 1, 21, 101 (not 11, 111), `few` for
 * 2-4, 22-24 (not 12-14), `many` for the rest, 0 included; a negative n
 * agrees as its absolute value. Cases with two forms (the dative:
 * 1 получателю, 5 получателям) pass the same word as few and many. Returns
 * one of the three pointers. */
const char *plural_ru(int64_t n, const char *one, const char *few,
    const char *many);

/* The word for n in `lang` from three I18N pairs: English ("en") takes
 * `one` for exactly 1 and `many` otherwise, anything else follows
 * plural_ru. `few` may be the same pair as `many`. The string is static. */
const char *plural_pick(const char *lang, int64_t n,
    const struct i18n_pair *one, const struct i18n_pair *few,
    const struct i18n_pair *many);

#endif
