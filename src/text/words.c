/* Words and ids in what people type (dobrobot/words.h). */
#include "dobrobot/text/words.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/core/utf8.h"

int
parse_id(const char *s, int64_t *id, const char **rest)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '#')
		s++;
	else if (strncmp(s, "№", strlen("№")) == 0)
		s += strlen("№");
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || v <= 0 ||
	    (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\n'))
		return -1;
	*id = v;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (rest != NULL)
		*rest = end;
	return 0;
}

bool
is_skip_word(const char *text)
{
	static const char *const words[] = {"нет", "-", "—", "–", "пропустить",
	    "пропуск", "не нужно", "не надо", "без даты", "без места",
	    "никаких", "no", "none", "skip", "no date", "нету", "не нужны",
	    "не нужен", "0"};
	char *t = utf8_trim(text);
	char *f = utf8_casefold(t);
	free(t);
	size_t n = strlen(f);
	while (n > 0 && (f[n - 1] == '.' || f[n - 1] == '!'))
		f[--n] = '\0';
	bool skip = false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		skip = skip || strcmp(f, words[i]) == 0;
	free(f);
	return skip;
}
