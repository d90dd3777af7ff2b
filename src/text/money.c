/* Parsing and formatting of ruble amounts in integer kopecks (see money.h).
 * The file stands alone (no utf8.c): it only needs to recognise a handful of
 * fixed byte sequences, and the fuzzer links it by itself. */
#include "dobrobot/money.h"

#include <stdbool.h>
#include <string.h>

#define NBSP "\xC2\xA0"

/* The byte length of the white space at p (before end), 0 if there is none.
 * Digit groups may only be separated by a space, U+00A0, U+202F or U+2009;
 * around the amount, ASCII white space counts too. */
static size_t
money_space_at(const char *p, const char *end, bool group_sep)
{
	size_t avail = (size_t)(end - p);

	if (avail >= 1 && *p == ' ')
		return 1;
	if (!group_sep && avail >= 1 &&
	    (*p == '\t' || *p == '\n' || *p == '\v' || *p == '\f' ||
	        *p == '\r'))
		return 1;
	if (avail >= 2 && memcmp(p, NBSP, 2) == 0)
		return 2;
	if (avail >= 3 &&
	    (memcmp(p, "\xE2\x80\xAF", 3) == 0 ||
	        memcmp(p, "\xE2\x80\x89", 3) == 0))
		return 3;
	return 0;
}

/* The byte length of the white space that ends at end (after start). */
static size_t
money_space_before(const char *start, const char *end)
{
	for (size_t n = 1; n <= 3 && n <= (size_t)(end - start); n++) {
		if (money_space_at(end - n, end, false) == n)
			return n;
	}
	return 0;
}

/* The byte length of a minus sign at p: "-", U+2212 or U+2013 (phones turn
 * "--" into an en dash). */
static size_t
money_minus_at(const char *p, const char *end)
{
	size_t avail = (size_t)(end - p);

	if (avail >= 1 && *p == '-')
		return 1;
	if (avail >= 3 &&
	    (memcmp(p, "\xE2\x88\x92", 3) == 0 ||
	        memcmp(p, "\xE2\x80\x93", 3) == 0))
		return 3;
	return 0;
}

static bool
money_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True when [p, end) is one of the currency spellings we accept, in any
 * letter case, optionally followed by one ".". */
static bool
money_is_currency(const char *p, const char *end)
{
	static const char *const names[] = {
	    "руб",
	    "рубль",
	    "рубля",
	    "рублей",
	    "р",
	    "₽",
	    "rub",
	    "rur",
	};
	char low[32];
	size_t n = 0;

	if ((size_t)(end - p) >= sizeof(low))
		return false;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		unsigned char c2 = p + 1 < end ? (unsigned char)p[1] : 0;

		if (c >= 'A' && c <= 'Z') {
			low[n++] = (char)(c + ('a' - 'A'));
			p++;
		} else if (c == 0xD0 && c2 >= 0x90 && c2 <= 0x9F) {
			/* А..П → а..п */
			low[n++] = (char)0xD0;
			low[n++] = (char)(c2 + 0x20);
			p += 2;
		} else if (c == 0xD0 && c2 >= 0xA0 && c2 <= 0xAF) {
			/* Р..Я → р..я */
			low[n++] = (char)0xD1;
			low[n++] = (char)(c2 - 0x20);
			p += 2;
		} else {
			low[n++] = (char)c;
			p++;
		}
	}
	if (n > 0 && low[n - 1] == '.')
		n--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) == n && memcmp(names[i], low, n) == 0)
			return true;
	}
	return false;
}

/* Appends the digit c to *v; sets *overflow instead of wrapping. */
static void
money_push_digit(int64_t *v, char c, bool *overflow)
{
	int d = c - '0';

	if (*overflow || *v > (INT64_MAX - d) / 10)
		*overflow = true;
	else
		*v = *v * 10 + d;
}

int
money_parse(const char *s, int64_t max_kopecks, int64_t *kopecks_out,
    enum money_error *err)
{
	const char *p = s, *end = s + strlen(s);
	bool negative = false, overflow = false;
	int64_t rubles = 0, kopecks = 0;
	size_t n, decimals = 0;

	while ((n = money_space_at(p, end, false)) > 0)
		p += n;
	while (end > p && (n = money_space_before(p, end)) > 0)
		end -= n;
	if (p == end) {
		*err = MONEY_EMPTY;
		return -1;
	}

	if ((n = money_minus_at(p, end)) > 0) {
		negative = true;
		p += n;
		while ((n = money_space_at(p, end, true)) > 0)
			p += n;
	} else if (*p == '+') {
		p++;
	}

	/* Whole rubles: either plain digits, or a group of one to three digits
	 * followed by groups of exactly three, each after one separator. */
	if (p == end || !money_is_digit(*p))
		goto not_a_number;
	size_t first = 0;
	while (p < end && money_is_digit(*p)) {
		money_push_digit(&rubles, *p++, &overflow);
		first++;
	}
	for (;;) {
		size_t sep = money_space_at(p, end, true);
		const char *q = p + sep;

		if (sep == 0 || q == end || !money_is_digit(*q))
			break; /* not a digit group: maybe the currency */
		size_t group = 0;
		while (q + group < end && money_is_digit(q[group]))
			group++;
		if (first > 3 || group != 3)
			goto not_a_number;
		for (size_t i = 0; i < 3; i++)
			money_push_digit(&rubles, q[i], &overflow);
		p = q + 3;
	}

	/* Kopecks. */
	if (p < end && (*p == ',' || *p == '.') && p + 1 < end &&
	    money_is_digit(p[1])) {
		p++;
		while (p < end && money_is_digit(*p)) {
			if (decimals < 2)
				kopecks = kopecks * 10 + (*p - '0');
			decimals++;
			p++;
		}
		if (decimals == 1)
			kopecks *= 10;
	}

	/* The currency, with or without a space before it. */
	while ((n = money_space_at(p, end, false)) > 0)
		p += n;
	if (p < end && !money_is_currency(p, end))
		goto not_a_number;

	if (decimals > 2) {
		*err = MONEY_TOO_MANY_DECIMALS;
		return -1;
	}
	if (overflow || rubles > (INT64_MAX - kopecks) / 100) {
		*err = MONEY_OVERFLOW;
		return -1;
	}
	int64_t total = rubles * 100 + kopecks;
	if (negative && total > 0) {
		*err = MONEY_NEGATIVE;
		return -1;
	}
	if (total == 0) {
		*err = MONEY_ZERO;
		return -1;
	}
	if (total > max_kopecks) {
		*err = MONEY_ABOVE_MAX;
		return -1;
	}
	*kopecks_out = total;
	*err = MONEY_OK;
	return 0;

not_a_number:
	*err = MONEY_NOT_A_NUMBER;
	return -1;
}

const char *
money_error_text(enum money_error err, const char *lang)
{
	bool en = lang != NULL && strncmp(lang, "en", 2) == 0;

	switch (err) {
	case MONEY_OK:
		return "";
	case MONEY_EMPTY:
		return en ? "Please send the amount in rubles, for example: "
		            "500 or 1 500.50"
		          : "Напишите сумму в рублях, например: 500 или "
		            "1 500,50";
	case MONEY_ZERO:
		return en ? "The amount must be more than zero, for example: "
		            "500 or 1 500.50"
		          : "Сумма должна быть больше нуля, например: 500 или "
		            "1 500,50";
	case MONEY_NEGATIVE:
		return en ? "The amount cannot be negative; write it without "
		            "a minus, for example: 500 or 1 500.50"
		          : "Сумма не может быть отрицательной, напишите её "
		            "без минуса, например: 500 или 1 500,50";
	case MONEY_TOO_MANY_DECIMALS:
		return en ? "Kopecks take at most two digits after the point, "
		            "for example: 1 500.50"
		          : "После запятой может быть не больше двух цифр "
		            "(копейки), например: 1 500,50";
	case MONEY_ABOVE_MAX:
		return en ? "That amount is larger than allowed here; please "
		            "check the number of zeros, for example: 1 500 or "
		            "15 000"
		          : "Эта сумма больше допустимой, проверьте количество "
		            "нулей, например: 1 500 или 15 000";
	case MONEY_OVERFLOW:
		return en ? "That number is far too long; please send the "
		            "amount in rubles, for example: 1 500 or 15 000"
		          : "Слишком длинное число, напишите сумму в рублях, "
		            "например: 1 500 или 15 000";
	case MONEY_NOT_A_NUMBER:
	default:
		return en ? "I don't understand the amount; please send a "
		            "number of rubles, for example: 500 or 1 500.50"
		          : "Не понимаю сумму, напишите её числом в рублях, "
		            "например: 500 или 1 500,50";
	}
}

int
money_format(struct buf *out, int64_t kopecks)
{
	/* Work on the magnitude as unsigned so that INT64_MIN is fine. */
	uint64_t mag =
	    kopecks < 0 ? (uint64_t)0 - (uint64_t)kopecks : (uint64_t)kopecks;
	uint64_t rubles = mag / 100;
	unsigned kop = (unsigned)(mag % 100);
	char digits[24];
	size_t nd = 0, old_len = out->len;
	int rc = -1;

	do {
		digits[nd++] = (char)('0' + rubles % 10);
		rubles /= 10;
	} while (rubles > 0);

	if (kopecks < 0 && buf_putc(out, '-') < 0)
		goto out;
	while (nd > 0) {
		if (buf_putc(out, digits[--nd]) < 0)
			goto out;
		if (nd > 0 && nd % 3 == 0 && buf_puts(out, NBSP) < 0)
			goto out;
	}
	if (kop != 0 && buf_printf(out, ",%02u", kop) < 0)
		goto out;
	if (buf_puts(out, NBSP "₽") < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		buf_truncate(out, old_len);
	return rc;
}
