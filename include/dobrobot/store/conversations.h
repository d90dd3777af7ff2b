/* Guided conversations (wizards) keep their state in SQLite, one row per
 * (user, chat): the flow ("announce", "pledge", ...), the step, and a JSON
 * draft. So a restart in the middle of a wizard loses nothing. */
#ifndef DOBROBOT_STORE_CONVERSATIONS_H
#define DOBROBOT_STORE_CONVERSATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/store/store.h"

struct conversation {
	char *flow; /* NULL when there is none */
	char *step;
	json_t *draft; /* new reference; an object */
};

/* Returns 1 and fills *out when the user has a conversation in that chat, 0
 * when not (out->flow is NULL), -1 on error. */
int conversation_load(struct store *st, int64_t user_id, int64_t chat_id,
    struct conversation *out);
/* Creates or replaces the conversation; `draft` is borrowed. */
int conversation_save(struct store *st, int64_t user_id, int64_t chat_id,
    const char *flow, const char *step, json_t *draft, int64_t now_ms);
int conversation_clear(struct store *st, int64_t user_id, int64_t chat_id);
void conversation_release(struct conversation *c);

#endif
