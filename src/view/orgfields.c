/* Checking an organisation's fields (see orgfields.h). */
#include "dobrobot/view/orgfields.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/text/html.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

I18N(T_OF_NAME_SHORT,
    "Название слишком короткое. Напишите его полностью, например: "
    "<i>Приют «Надежда»</i>",
    "The name is too short. Write it in full, for example: "
    "<i>Nadezhda shelter</i>")
I18N(T_OF_TOO_LONG,
    "Слишком длинно: %zu символов, можно не больше %d. Сократите, "
    "пожалуйста.",
    "Too long: %zu characters, at most %d are allowed. Please shorten it.")
I18N(T_OF_PHONE,
    "Не понимаю номер «%s». Напишите цифрами, можно с +, скобками, "
    "дефисами и пробелами, несколько номеров — через запятую, например: "
    "<code>+7 914 123-45-67</code> или <code>8 (41641) 2-34-56</code>",
    "I don't understand the number “%s”. Write it in digits, with +, "
    "brackets, hyphens and spaces if you like, several numbers separated "
    "by commas, for example: <code>+7 914 123-45-67</code>")
I18N(T_OF_PHONE_MANY, "Не больше трёх номеров, пожалуйста — самые нужные.",
    "At most three numbers, please — the most useful ones.")
I18N(T_OF_LINK,
    "Это не похоже на ссылку. Напишите адрес сайта или страницы, например "
    "<code>https://nadezhda-priut.ru</code> или <code>vk.com/nadezhda</code>, "
    "или имя в Telegram: <code>@nadezhda_priut</code>",
    "That does not look like a link. Write the address of a site or page, "
    "for example <code>https://nadezhda-priut.ru</code> or "
    "<code>vk.com/nadezhda</code>, or a Telegram name: "
    "<code>@nadezhda_priut</code>")
I18N(T_OF_DIRECTION,
    "Не знаю направления «%s». Выберите из списка: %s. Несколько — через "
    "запятую, например: <code>социальное, психология</code>",
    "I don't know the direction “%s”. Choose from the list: %s. Several "
    "separated by commas, for example: <code>социальное, психология</code>")

static const char *const field_names[ORG_F_COUNT] = {
    [ORG_F_NAME] = "name",
    [ORG_F_DESCRIPTION] = "description",
    [ORG_F_SERVICES] = "services",
    [ORG_F_PHONE] = "phone",
    [ORG_F_ADDRESS] = "address",
    [ORG_F_LINK] = "link",
    [ORG_F_DIRECTIONS] = "directions",
};

const char *
orgfield_name(enum org_field f)
{
	return f < ORG_F_COUNT ? field_names[f] : "";
}

bool
orgfield_optional(enum org_field f)
{
	return f != ORG_F_NAME;
}

static char *
fail(char **why, const char *lang, const struct i18n_pair *p, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, p);
	i18n_vappendp(&b, lang, p, ap);
	va_end(ap);
	*why = buf_detach(&b);
	return NULL;
}

static char *
check_length(char *t, int max, const char *lang, char **why)
{
	size_t n = utf8_length(t, strlen(t));
	if (n > (size_t)max) {
		free(t);
		return fail(why, lang, &T_OF_TOO_LONG, n, max);
	}
	return t;
}

/* Lines trimmed, blank ones dropped. */
static char *
clean_lines(const char *text)
{
	char *s = utf8_clean_input(text, false);
	struct buf b = BUF_INIT;
	for (char *p = s; p != NULL && *p != '\0';) {
		char *nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		char *line = utf8_trim(p);
		if (*line != '\0') {
			if (b.len > 0)
				buf_putc(&b, '\n');
			buf_puts(&b, line);
		}
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	free(s);
	return buf_detach(&b);
}

static bool
phone_ok(const char *p, size_t len)
{
	size_t digits = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (strchr("+-() ", c) == NULL)
			return false;
	}
	return digits >= 5 && digits <= 15;
}

static char *
check_phone(char *t, const char *lang, char **why)
{
	int count = 0;
	for (const char *p = t; *p != '\0';) {
		size_t k = strcspn(p, ",;");
		const char *s = p, *e = p + k;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (!phone_ok(s, (size_t)(e - s))) {
			struct buf shown = BUF_INIT;
			html_escape_n(&shown, s, (size_t)(e - s));
			char *r = fail(why, lang, &T_OF_PHONE, buf_str(&shown));
			buf_release(&shown);
			free(t);
			return r;
		}
		count++;
		p += k;
		if (*p != '\0')
			p++;
	}
	if (count > 3) {
		free(t);
		return fail(why, lang, &T_OF_PHONE_MANY);
	}
	return t;
}

static bool
link_char_ok(unsigned char c)
{
	/* Printable ASCII without space, quotes and angle brackets; other
	 * bytes are UTF-8 of an internationalised address (сайт.рф). */
	return c >= 0x80 ||
	    (c > ' ' && c < 0x7f && strchr("\"'<>`\\", c) == NULL);
}

static char *
check_link(char *t, const char *lang, char **why)
{
	for (const char *p = t; *p; p++)
		if (!link_char_ok((unsigned char)*p)) {
			free(t);
			return fail(why, lang, &T_OF_LINK);
		}
	struct buf b = BUF_INIT;
	if (t[0] == '@') {
		/* A Telegram username: 5-32 of a-z, 0-9 and _. */
		size_t n = strlen(t + 1);
		bool ok = n >= 5 && n <= 32;
		for (const char *p = t + 1; ok && *p; p++)
			ok = (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '_';
		if (!ok) {
			free(t);
			return fail(why, lang, &T_OF_LINK);
		}
		buf_printf(&b, "https://t.me/%s", t + 1);
	} else {
		const char *host = t;
		if (strncasecmp(t, "https://", 8) == 0)
			host = t + 8;
		else if (strncasecmp(t, "http://", 7) == 0)
			host = t + 7;
		else if (strstr(t, "://") != NULL) {
			free(t);
			return fail(why, lang,
			    &T_OF_LINK); /* ftp:, javascript: */
		}
		/* The host needs a dot that is neither first nor last. */
		size_t hl = strcspn(host, "/?#");
		const char *dot = memchr(host, '.', hl);
		if (hl < 3 || dot == NULL || dot == host ||
		    host[hl - 1] == '.') {
			free(t);
			return fail(why, lang, &T_OF_LINK);
		}
		if (host == t)
			buf_puts(&b, "https://");
		buf_puts(&b, t);
	}
	free(t);
	return buf_detach(&b);
}

static void
direction_list(struct buf *b, const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_directions; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		html_escape(b, cfg->directions[i]);
	}
}

static char *
check_directions(char *t, const struct config *cfg, const char *lang,
    char **why)
{
	bool chosen[CONFIG_MAX_DIRECTIONS] = {false};
	char *r = NULL;
	for (char *p = t; *p != '\0';) {
		size_t k = strcspn(p, ",;\n");
		char save = p[k];
		p[k] = '\0';
		char *word = utf8_trim(p);
		p[k] = save;
		if (*word != '\0') {
			char *q = utf8_casefold(word);
			int found = -1;
			for (size_t i = 0; i < cfg->n_directions && found < 0;
			     i++) {
				char *c = utf8_casefold(cfg->directions[i]);
				if (strcmp(c, q) == 0)
					found = (int)i;
				free(c);
			}
			free(q);
			if (found < 0) {
				struct buf shown = BUF_INIT, list = BUF_INIT;
				html_escape(&shown, word);
				direction_list(&list, cfg);
				r = fail(why, lang, &T_OF_DIRECTION,
				    buf_str(&shown), buf_str(&list));
				buf_release(&shown);
				buf_release(&list);
				free(word);
				free(t);
				return r;
			}
			chosen[found] = true;
		}
		free(word);
		p += k;
		if (*p != '\0')
			p++;
	}
	free(t);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cfg->n_directions; i++)
		if (chosen[i]) {
			if (b.len > 0)
				buf_putc(&b, '\n');
			buf_puts(&b, cfg->directions[i]);
		}
	return buf_detach(&b);
}

char *
orgfield_check(enum org_field f, const char *text, const struct config *cfg,
    const char *lang, char **why)
{
	*why = NULL;
	bool one_line = f != ORG_F_DESCRIPTION && f != ORG_F_SERVICES &&
	    f != ORG_F_DIRECTIONS;
	char *t = f == ORG_F_SERVICES ? clean_lines(text)
	                              : utf8_clean_input(text, one_line);
	if (*t == '\0' && orgfield_optional(f))
		return t;
	switch (f) {
	case ORG_F_NAME:
		if (utf8_length(t, strlen(t)) < 2) {
			free(t);
			return fail(why, lang, &T_OF_NAME_SHORT);
		}
		return check_length(t, ORG_NAME_MAX, lang, why);
	case ORG_F_DESCRIPTION:
		return check_length(t, ORG_DESCRIPTION_MAX, lang, why);
	case ORG_F_SERVICES:
		return check_length(t, ORG_SERVICES_MAX, lang, why);
	case ORG_F_ADDRESS:
		return check_length(t, ORG_ADDRESS_MAX, lang, why);
	case ORG_F_PHONE:
		t = check_length(t, ORG_PHONE_MAX, lang, why);
		return t ? check_phone(t, lang, why) : NULL;
	case ORG_F_LINK:
		t = check_length(t, ORG_LINK_MAX, lang, why);
		return t ? check_link(t, lang, why) : NULL;
	case ORG_F_DIRECTIONS:
		return check_directions(t, cfg, lang, why);
	case ORG_F_COUNT:
		break;
	}
	free(t);
	return NULL;
}

static char **
field_slot(struct org *o, enum org_field f)
{
	switch (f) {
	case ORG_F_NAME:
		return &o->name;
	case ORG_F_DESCRIPTION:
		return &o->description;
	case ORG_F_SERVICES:
		return &o->services;
	case ORG_F_PHONE:
		return &o->phone;
	case ORG_F_ADDRESS:
		return &o->address;
	case ORG_F_LINK:
		return &o->link;
	case ORG_F_DIRECTIONS:
	case ORG_F_COUNT:
		break;
	}
	return &o->directions;
}

void
orgfield_set(struct org *o, enum org_field f, const char *value)
{
	char **slot = field_slot(o, f);
	free(*slot);
	bool empty = value == NULL || *value == '\0';
	*slot = empty && f != ORG_F_NAME && f != ORG_F_DIRECTIONS
	    ? NULL
	    : xstrdup(value ? value : "");
}

const char *
orgfield_get(const struct org *o, enum org_field f)
{
	const char *v = *field_slot((struct org *)o, f);
	return v != NULL ? v : "";
}
