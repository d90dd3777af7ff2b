/* The command menus (see menus.h): setMyCommands and deleteMyCommands as
 * outbox rows, computed from the command table and the roles in the store. */
#include "dobrobot/handlers/menus.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dobrobot/handlers/handler.h"
#include "dobrobot/text/i18n.h"
#include "dobrobot/core/log.h"
#include "dobrobot/store/outbox.h"
#include "dobrobot/store/roles.h"
#include "dobrobot/store/users.h"
#include "dobrobot/core/xalloc.h"

/* Telegram takes at most 100 commands per list. */
#define MENU_MAX_COMMANDS 100

static const char *const menu_langs[] = {"ru", "en"};

/* The commands of the table that work `where` for someone of `role`, with
 * their descriptions in `lang`; a new array. */
static json_t *
menu_list(const char *lang, unsigned where, enum user_role role)
{
	json_t *cmds = json_array();
	for (size_t i = 0; i < command_table_len; i++) {
		const struct command_entry *c = &command_table[i];
		if (!(c->where & where) || c->role > role)
			continue;
		if (json_array_size(cmds) == MENU_MAX_COMMANDS)
			break;
		const char *d = i18n_text(lang, c->help);
		json_array_append_new(cmds,
		    json_pack("{s:s, s:s}", "command", c->name, "description",
		        *d ? d : c->name));
	}
	return cmds;
}

static size_t
menu_count(unsigned where, enum user_role role)
{
	size_t n = 0;
	for (size_t i = 0; i < command_table_len; i++)
		if ((command_table[i].where & where) &&
		    command_table[i].role <= role)
			n++;
	return n;
}

/* Enqueues one request per language: setMyCommands with the list for
 * `where` and `role`, or deleteMyCommands when !set. `scope` is
 * borrowed. */
static int
enqueue(struct store *st, json_t *scope, unsigned where, enum user_role role,
    bool set)
{
	for (size_t l = 0; l < sizeof menu_langs / sizeof *menu_langs; l++) {
		json_t *p = json_pack("{s:O}", "scope", scope);
		if (set)
			json_object_set_new(p, "commands",
			    menu_list(menu_langs[l], where, role));
		/* Russian is everyone's default; English for those whose
		 * Telegram speaks it. */
		if (strcmp(menu_langs[l], "ru") != 0)
			json_object_set_new(p, "language_code",
			    json_string(menu_langs[l]));
		struct outbox_new m = {
		    .chat_id = 0,
		    .method = set ? "setMyCommands" : "deleteMyCommands",
		    .payload = p,
		    .kind = "menu",
		    .priority = PRIO_BROADCAST,
		};
		int64_t id = outbox_enqueue(st, &m);
		json_decref(p);
		if (id < 0)
			return -1;
	}
	return 0;
}

static int
enqueue_shared(struct store *st)
{
	json_t *priv = json_pack("{s:s}", "type", "all_private_chats");
	json_t *group = json_pack("{s:s}", "type", "all_group_chats");
	int rc = 0;
	if (enqueue(st, priv, IN_PRIVATE, ROLE_CITIZEN, true) < 0 ||
	    enqueue(st, group, IN_GROUP, ROLE_CITIZEN, true) < 0)
		rc = -1;
	json_decref(priv);
	json_decref(group);
	return rc;
}

/* What a chat's own list is: for a person, the private commands of their
 * role; for the leaders' group, the organisers' group commands. Returns
 * false when the chat should show the shared list. */
static bool
chat_own_list(struct store *st, const struct config *cfg, int64_t chat_id,
    unsigned *where, enum user_role *role)
{
	if (chat_id > 0) {
		struct user u;
		enum user_role r = ROLE_CITIZEN;
		if (config_is_admin(cfg, chat_id)) {
			r = ROLE_ADMIN;
		} else if (roles_load_user(st, chat_id, &u) == 1) {
			r = u.role;
			user_release(&u);
		}
		if (r < ROLE_ORGANISER || !roles_has_private_chat(st, chat_id))
			return false;
		*where = IN_PRIVATE;
		*role = r;
		return true;
	}
	if (chat_id == 0 || chat_id != leaders_chat_id(st, cfg) ||
	    !roles_chat_reachable(st, chat_id))
		return false;
	if (menu_count(IN_GROUP, ROLE_ORGANISER) ==
	    menu_count(IN_GROUP, ROLE_CITIZEN))
		return false;
	*where = IN_GROUP;
	*role = ROLE_ORGANISER;
	return true;
}

static int
enqueue_chat(struct store *st, int64_t chat_id, unsigned where,
    enum user_role role, bool set)
{
	json_t *scope = json_pack("{s:s, s:I}", "type", "chat", "chat_id",
	    (json_int_t)chat_id);
	int rc = enqueue(st, scope, where, role, set);
	json_decref(scope);
	return rc;
}

static bool
contains(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

int
menus_refresh_chat(struct store *st, const struct config *cfg, int64_t chat_id)
{
	int64_t *tracked = NULL;
	size_t n = 0;
	unsigned where = 0;
	enum user_role role = ROLE_CITIZEN;
	int rc = -1;

	if (roles_menu_chats_get(st, &tracked, &n) < 0)
		return -1;
	bool had = contains(tracked, n, chat_id);
	if (chat_own_list(st, cfg, chat_id, &where, &role)) {
		if (enqueue_chat(st, chat_id, where, role, true) < 0)
			goto out;
		if (!had) {
			tracked = xrealloc(tracked, (n + 1) * sizeof *tracked);
			tracked[n++] = chat_id;
			if (roles_menu_chats_put(st, tracked, n) < 0)
				goto out;
		}
	} else if (had) {
		if (enqueue_chat(st, chat_id, 0, ROLE_CITIZEN, false) < 0)
			goto out;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (tracked[i] != chat_id)
				tracked[k++] = tracked[i];
		if (roles_menu_chats_put(st, tracked, k) < 0)
			goto out;
	}
	rc = 0;
out:
	free(tracked);
	return rc;
}

int
menus_refresh_all(struct store *st, const struct config *cfg)
{
	int64_t *tracked = NULL, *want = NULL;
	size_t n_tracked = 0, n_want = 0;
	struct role_holder *orgs = NULL;
	size_t n_orgs = 0;
	int rc = -1;

	if (roles_menu_rows_supersede(st) < 0 || enqueue_shared(st) < 0 ||
	    roles_menu_chats_get(st, &tracked, &n_tracked) < 0 ||
	    roles_list(st, ROLE_ORGANISER, &orgs, &n_orgs) < 0)
		goto out;

	/* Everyone who might need a list of their own, once each. */
	size_t cap = n_orgs + cfg->n_admins + n_tracked + 1;
	int64_t *cand = xcalloc(cap, sizeof *cand);
	size_t n_cand = 0;
	for (size_t i = 0; i < cfg->n_admins; i++)
		cand[n_cand++] = cfg->admins[i];
	for (size_t i = 0; i < n_orgs; i++)
		cand[n_cand++] = orgs[i].id;
	cand[n_cand++] = leaders_chat_id(st, cfg);
	for (size_t i = 0; i < n_tracked; i++)
		cand[n_cand++] = tracked[i];

	want = xcalloc(cap, sizeof *want);
	rc = 0;
	for (size_t i = 0; i < n_cand && rc == 0; i++) {
		int64_t id = cand[i];
		unsigned where = 0;
		enum user_role role = ROLE_CITIZEN;
		if (id == 0 || contains(cand, i, id))
			continue; /* seen already */
		if (chat_own_list(st, cfg, id, &where, &role)) {
			rc = enqueue_chat(st, id, where, role, true);
			want[n_want++] = id;
		} else if (contains(tracked, n_tracked, id)) {
			rc = enqueue_chat(st, id, 0, ROLE_CITIZEN, false);
		}
	}
	free(cand);
	if (rc == 0 && roles_menu_chats_put(st, want, n_want) < 0)
		rc = -1;
	if (rc == 0)
		log_info("command menus: shared lists and %zu of their own",
		    n_want);
out:
	free(tracked);
	free(want);
	roles_holders_free(orgs, n_orgs);
	return rc;
}
