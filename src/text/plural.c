/* The plural rules of the bot's languages (see plural.h). */
#include "dobrobot/plural.h"

#include <string.h>

enum plural_form
plural_ru(int64_t n)
{
	/* The magnitude's last digits, without negating INT64_MIN. */
	int64_t h = n % 100, d = n % 10;

	if (h < 0)
		h = -h;
	if (d < 0)
		d = -d;
	if (d == 1 && h != 11)
		return PLURAL_ONE;
	if (d >= 2 && d <= 4 && (h < 12 || h > 14))
		return PLURAL_FEW;
	return PLURAL_MANY;
}

enum plural_form
plural_form(const char *lang, int64_t n)
{
	if (lang != NULL && strncmp(lang, "en", 2) == 0)
		return n == 1 || n == -1 ? PLURAL_ONE : PLURAL_MANY;
	return plural_ru(n);
}

const char *
plural_pick(const char *lang, int64_t n, const char *one, const char *few,
    const char *many)
{
	switch (plural_form(lang, n)) {
	case PLURAL_ONE:
		return one;
	case PLURAL_FEW:
		return few;
	case PLURAL_MANY:
	default:
		return many;
	}
}
