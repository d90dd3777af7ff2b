/* Parsing and formatting of ruble amounts in integer kopecks (see money.h):
 * digits in the Russian and the dotted style, multipliers (тыс, к, млн) and
 * Russian number words, all in integer arithmetic. */
#include "dobrobot/text/money.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

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

/* *v = *v * m + add, or *overflow. */
static void
money_mul_add(int64_t *v, int64_t m, int64_t add, bool *overflow)
{
	if (*overflow || (m != 0 && *v > (INT64_MAX - add) / m))
		*overflow = true;
	else
		*v = *v * m + add;
}

/* The case-folded copy of [p, end) for the word checks below (a new
 * string). */
static char *
money_fold(const char *p, const char *end)
{
	char *raw = xstrndup(p, (size_t)(end - p));
	char *folded = utf8_casefold(raw);

	free(raw);
	return folded;
}

/* Multipliers after a number, longest first so that "тысяч" is not read
 * as "т" and garbage: "50 тыс", "50к", "50 т.р.", "1,5 млн". */
static const struct {
	const char *word;
	int64_t factor;
} money_multipliers[] = {{"миллионов", 1000000}, {"миллиона", 1000000},
    {"миллион", 1000000}, {"тысячи", 1000}, {"тысяча", 1000}, {"тысячу", 1000},
    {"тысяч", 1000}, {"тыщи", 1000}, {"тыщ", 1000}, {"тыс", 1000},
    {"млн", 1000000}, {"mln", 1000000}, {"т", 1000}, {"к", 1000}, {"k", 1000}};

/* Reads what follows the number, folded: an optional multiplier, then
 * an optional currency; "" is fine. Returns the factor (1 without a
 * multiplier), or 0 when the text is neither. */
static int64_t
money_tail(const char *tail)
{
	const char *p = tail, *end = tail + strlen(tail);
	int64_t factor = 1;
	size_t n;

	while ((n = money_space_at(p, end, false)) > 0)
		p += n;
	for (size_t i = 0;
	     i < sizeof(money_multipliers) / sizeof(money_multipliers[0]);
	     i++) {
		size_t len = strlen(money_multipliers[i].word);
		const char *q = p + len;

		if ((size_t)(end - p) < len ||
		    memcmp(p, money_multipliers[i].word, len) != 0)
			continue;
		/* Followed by the end, a dot, white space or a currency
		 * ("50тр"); not by another letter ("50 кг"). */
		while (q < end && *q == '.')
			q++;
		while ((n = money_space_at(q, end, false)) > 0)
			q += n;
		if (q != end && !money_is_currency(q, end))
			continue;
		factor = money_multipliers[i].factor;
		p = q;
		break;
	}
	if (p < end && !money_is_currency(p, end))
		return 0;
	return factor;
}

/* Russian number words: «пятьсот», «две тысячи», «полторы тысячи», «пять
 * тысяч пятьсот», followed by an optional currency. Stores whole rubles in
 * *rubles; false when the text is anything else. */
static bool
money_words(const char *folded, int64_t *rubles)
{
	static const struct {
		const char *word;
		int value;
	} numbers[] = {{"один", 1}, {"одна", 1}, {"одну", 1}, {"два", 2},
	    {"две", 2}, {"три", 3}, {"четыре", 4}, {"пять", 5}, {"шесть", 6},
	    {"семь", 7}, {"восемь", 8}, {"девять", 9}, {"десять", 10},
	    {"одиннадцать", 11}, {"двенадцать", 12}, {"тринадцать", 13},
	    {"четырнадцать", 14}, {"пятнадцать", 15}, {"шестнадцать", 16},
	    {"семнадцать", 17}, {"восемнадцать", 18}, {"девятнадцать", 19},
	    {"двадцать", 20}, {"тридцать", 30}, {"сорок", 40},
	    {"пятьдесят", 50}, {"шестьдесят", 60}, {"семьдесят", 70},
	    {"восемьдесят", 80}, {"девяносто", 90}, {"сто", 100},
	    {"двести", 200}, {"триста", 300}, {"четыреста", 400},
	    {"пятьсот", 500}, {"шестьсот", 600}, {"семьсот", 700},
	    {"восемьсот", 800}, {"девятьсот", 900}};
	const char *p = folded, *end = folded + strlen(folded);
	int64_t total = 0, current = 0, last_factor = INT64_MAX;
	bool any = false, half = false;
	int last_class = 1000; /* 100 hundreds, 10 tens, 1 units and teens */

	while (p < end) {
		const char *w = p;
		size_t n, len;
		bool found = false;

		while (p < end && money_space_at(p, end, false) == 0)
			p++;
		len = (size_t)(p - w);
		while ((n = money_space_at(p, end, false)) > 0)
			p += n;
		for (size_t i = 0;
		     i < sizeof(numbers) / sizeof(numbers[0]) && !found; i++) {
			int v = numbers[i].value;
			int cls = v >= 100 ? 100 : v >= 20 ? 10 : 1;

			if (strlen(numbers[i].word) != len ||
			    memcmp(numbers[i].word, w, len) != 0)
				continue;
			/* "сто двадцать пять": each word of a smaller
			 * class than the one before. */
			if (cls >= last_class || half)
				return false;
			current += v;
			last_class = cls;
			found = any = true;
		}
		if (found)
			continue;
		if ((len == strlen("полторы") &&
		        memcmp(w, "полторы", len) == 0) ||
		    (len == strlen("полтора") &&
		        memcmp(w, "полтора", len) == 0)) {
			if (current != 0 || half)
				return false;
			half = any = true;
			continue;
		}
		for (size_t i = 0; i < sizeof(money_multipliers) /
		             sizeof(money_multipliers[0]) &&
		     !found;
		     i++) {
			int64_t f = money_multipliers[i].factor;

			/* Not the one-letter "т", "к" after words. */
			if (strlen(money_multipliers[i].word) != len ||
			    memcmp(money_multipliers[i].word, w, len) != 0 ||
			    len < 3 || f >= last_factor)
				continue;
			total += half ? f + f / 2
			              : (current != 0 ? current : 1) * f;
			current = 0;
			half = false;
			last_class = 1000;
			last_factor = f;
			found = any = true;
		}
		if (found)
			continue;
		/* The currency, last. */
		if (!any || !money_is_currency(w, end))
			return false;
		p = end;
	}
	if (!any || half)
		return false;
	*rubles = total + current;
	return true;
}

int
money_parse(const char *s, int64_t max_kopecks, int64_t *kopecks_out,
    enum money_error *err)
{
	const char *p = s, *end = s + strlen(s);
	bool negative = false, overflow = false, thousands = false;
	int64_t rubles = 0, frac = 0, factor = 1, total = 0;
	size_t n, decimals = 0, first = 0;
	char sep = 0;
	char *tail = NULL;

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

	if (p < end && !money_is_digit(*p) && !negative) {
		/* «пятьсот рублей», «две тысячи» */
		tail = money_fold(p, end);
		if (!money_words(tail, &rubles))
			goto not_a_number;
		factor = 1;
		goto total;
	}

	/* Whole rubles: either plain digits, or a group of one to three digits
	 * followed by groups of exactly three, each after one separator. */
	if (p == end || !money_is_digit(*p))
		goto not_a_number;
	while (p < end && money_is_digit(*p)) {
		money_push_digit(&rubles, *p++, &overflow);
		first++;
	}
	bool spaced = false;
	for (;;) {
		size_t gap = money_space_at(p, end, true);
		const char *q = p + gap;

		if (gap == 0 || q == end || !money_is_digit(*q))
			break; /* not a digit group: maybe the currency */
		size_t group = 0;
		while (q + group < end && money_is_digit(q[group]))
			group++;
		if (first > 3 || group != 3)
			goto not_a_number;
		for (size_t i = 0; i < 3; i++)
			money_push_digit(&rubles, q[i], &overflow);
		p = q + 3;
		spaced = true;
	}

	/* "50.000", "1.500.000": a dot between groups of three, the way many
	 * write thousands; kopecks may follow after a comma. */
	if (!spaced && first <= 3 && p + 4 <= end && *p == '.' &&
	    money_is_digit(p[1]) && money_is_digit(p[2]) &&
	    money_is_digit(p[3]) && (p + 4 == end || !money_is_digit(p[4]))) {
		const char *q = p;
		int groups = 0;

		while (q + 4 <= end && *q == '.' && money_is_digit(q[1]) &&
		    money_is_digit(q[2]) && money_is_digit(q[3]) &&
		    (q + 4 == end || !money_is_digit(q[4]))) {
			q += 4;
			groups++;
		}
		/* One group before a multiplier is a fraction ("1.5 тыс" has
		 * one digit, "1.500 тыс" is read as 1.5 thousand too). */
		char *rest = money_fold(q, end);
		bool multiplied = money_tail(rest) > 1;
		free(rest);
		if (groups > 1 || !multiplied) {
			for (const char *g = p; g < q; g += 4) {
				for (size_t i = 1; i <= 3; i++)
					money_push_digit(&rubles, g[i],
					    &overflow);
			}
			p = q;
			thousands = true;
		}
	}

	/* Kopecks, or the fraction before a multiplier. */
	if (p < end && (*p == ',' || *p == '.') && p + 1 < end &&
	    money_is_digit(p[1])) {
		sep = *p++;
		while (p < end && money_is_digit(*p)) {
			if (decimals < 18)
				money_push_digit(&frac, *p, &overflow);
			decimals++;
			p++;
		}
	}

	/* A multiplier and/or the currency, with or without a space. */
	tail = money_fold(p, end);
	factor = money_tail(tail);
	if (factor == 0 || (thousands && factor > 1))
		goto not_a_number;
	if (sep != 0 && thousands && sep != ',')
		goto not_a_number; /* "1.500.5" */

total:
	if (factor == 1) {
		if (decimals == 3 && sep == ',') {
			*err = MONEY_AMBIGUOUS; /* "1,500": 1500 or 1.50? */
			goto fail;
		}
		if (decimals > 2) {
			*err = MONEY_TOO_MANY_DECIMALS;
			goto fail;
		}
		if (decimals == 1)
			frac *= 10;
		money_mul_add(&rubles, 100, frac, &overflow);
		total = rubles;
	} else {
		/* "1,5 тыс": (15 * 1000 * 100) / 10 kopecks, exactly. */
		int64_t scale = 1;

		if (decimals > 18) {
			*err = MONEY_TOO_MANY_DECIMALS;
			goto fail;
		}
		for (size_t i = 0; i < decimals; i++)
			scale *= 10;
		total = rubles;
		money_mul_add(&total, scale, frac, &overflow);
		if (!overflow && total != 0 &&
		    total > INT64_MAX / (factor * 100))
			overflow = true;
		if (!overflow) {
			total *= factor * 100;
			if (total % scale != 0) {
				*err = MONEY_TOO_MANY_DECIMALS;
				goto fail;
			}
			total /= scale;
		}
	}
	if (overflow) {
		*err = MONEY_OVERFLOW;
		goto fail;
	}
	if (negative && total > 0) {
		*err = MONEY_NEGATIVE;
		goto fail;
	}
	if (total == 0) {
		*err = MONEY_ZERO;
		goto fail;
	}
	if (total > max_kopecks) {
		*err = MONEY_ABOVE_MAX;
		goto fail;
	}
	free(tail);
	*kopecks_out = total;
	*err = MONEY_OK;
	return 0;

not_a_number:
	*err = MONEY_NOT_A_NUMBER;
fail:
	free(tail);
	return -1;
}

bool
money_looks_like(const char *s)
{
	static const char *const marks[] = {
	    "руб", "₽", "тыс", "млн", "миллион", "rub", "т.р"};
	char *folded = utf8_casefold(s);
	const char *p = folded;
	bool money = false;
	int64_t rubles;

	while (*p == ' ')
		p++;
	if (money_is_digit(*p)) {
		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
			money = money || strstr(p, marks[i]) != NULL;
		/* "50к", "1,5k" */
		for (const char *q = p; *q != '\0' && !money; q++)
			money = money_is_digit(*q) &&
			    (strncmp(q + 1, "к", 2) == 0 || q[1] == 'k');
	} else {
		money = money_words(p, &rubles);
	}
	free(folded);
	return money;
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
	case MONEY_AMBIGUOUS:
		return en ? "Three digits after the comma: thousands or "
		            "kopecks? Please write it without the comma or "
		            "with two digits of kopecks, for example: 1500 or "
		            "1,50"
		          : "Три цифры после запятой — это тысячи или копейки? "
		            "Напишите без запятой или с двумя цифрами копеек, "
		            "например: 1500 или 1,50";
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
	uint64_t mag = kopecks < 0 ? (uint64_t)0 - (uint64_t)kopecks
	                           : (uint64_t)kopecks;
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
