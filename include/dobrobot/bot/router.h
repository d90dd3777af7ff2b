/* The router: turns one update into a handler call. It records who wrote
 * (users, chats), follows group migrations, parses the command, checks the
 * command table's role and place, and calls the handler. */
#ifndef DOBROBOT_BOT_ROUTER_H
#define DOBROBOT_BOT_ROUTER_H

#include <jansson.h>
#include <stdint.h>

#include "dobrobot/core/config.h"
#include "dobrobot/store/store.h"

struct router_env {
	struct store *st;
	const struct config *cfg;
	const char *bot_username;
};

/* Where to apologise when the handler failed. */
struct router_failure {
	char *error; /* new string */
	int64_t chat_id; /* 0 when the update names no chat */
	char lang[3];
};

/* Handles one update inside the caller's savepoint. Returns 0, or -1 with
 * *fail filled (the caller rolls back, dead-letters and apologises). */
int router_handle(const struct router_env *env, json_t *update,
    int64_t update_id, int64_t now_ms, struct router_failure *fail);

#endif
