/* Plural agreement of words with numbers (see plural.h). Three handlers had
 * their own copy of the Russian rule, and one of them applied it to
 * English too ("21 recipient"). */
#include "dobrobot/text/plural.h"

#include <string.h>

const char *
plural_ru(int64_t n, const char *one, const char *few, const char *many)
{
	/* INT64_MIN has no absolute value; its last two digits are 08. */
	int64_t h = n < 0 ? -(n % 100) : n % 100;
	int64_t d = h % 10;
	if (d == 1 && h != 11)
		return one;
	if (d >= 2 && d <= 4 && (h < 12 || h > 14))
		return few;
	return many;
}

const char *
plural_pick(const char *lang, int64_t n, const struct i18n_pair *one,
    const struct i18n_pair *few, const struct i18n_pair *many)
{
	if (lang != NULL && strcmp(lang, "en") == 0)
		return i18n_pick(lang, n == 1 || n == -1 ? one : many);
	return plural_ru(n, i18n_pick(lang, one), i18n_pick(lang, few),
	    i18n_pick(lang, many));
}
