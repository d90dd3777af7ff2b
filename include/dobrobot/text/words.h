/* Words and ids in what people type: an action's number, the answer that
 * skips an optional step. Pure text, shared by every handler and the CLI. */
#ifndef DOBROBOT_TEXT_WORDS_H
#define DOBROBOT_TEXT_WORDS_H

#include <stdbool.h>
#include <stdint.h>

/* "12", "#12", "№12" at the start of s (after white space): the id in *id,
 * the rest after white space in *rest (may be NULL). Returns 0 or -1. */
int parse_id(const char *s, int64_t *id, const char **rest);

/* "нет", "-", "пропустить", "без даты", "no", "skip", ...: the answer that
 * skips an optional step. */
bool is_skip_word(const char *text);

#endif
