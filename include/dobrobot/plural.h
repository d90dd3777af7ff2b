/* Which plural form a number takes: the one Russian rule (1 раз, 2 раза,
 * 5 раз; 21 раз, 11 раз) and the English one (1 time, 2 times), so that
 * every count in a message agrees with its noun. */
#ifndef DOBROBOT_PLURAL_H
#define DOBROBOT_PLURAL_H

#include <stdint.h>

enum plural_form {
	PLURAL_ONE, /* 1, 21, 101 раз; 1 time */
	PLURAL_FEW, /* 2-4, 22-24 раза; English has none */
	PLURAL_MANY, /* 0, 5-20, 25-30, 11-14, 111 раз; 0, 2, 5 times */
};

/* The Russian form for n (negative numbers as their magnitude). */
enum plural_form plural_ru(int64_t n);

/* The form for n in lang, a Telegram language code: one starting with "en"
 * gives English (PLURAL_ONE for 1, else PLURAL_MANY), anything else (NULL
 * included) Russian. */
enum plural_form plural_form(const char *lang, int64_t n);

/* One of the three words by plural_form(lang, n); the strings are borrowed
 * and returned as they are. */
const char *plural_pick(const char *lang, int64_t n, const char *one,
    const char *few, const char *many);

#endif
