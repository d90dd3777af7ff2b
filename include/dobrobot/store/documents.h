/* The documents table: thank-you letters and records of volunteering, from
 * the moment they are asked for (queued) to issued, and revoked. The SQL
 * lives in store/documents.c; the files in doc/ and site/. */
#ifndef DOBROBOT_STORE_DOCUMENTS_H
#define DOBROBOT_STORE_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dobrobot/doc/pdf.h"
#include "dobrobot/store/store.h"

enum doc_state { DOC_QUEUED = 0, DOC_ISSUED, DOC_FAILED };

/* One row. Strings owned (document_release). */
struct document {
	int64_t id; /* the printed number */
	char code[DOC_CODE_LEN + 1];
	enum doc_kind kind;
	int64_t user_id;
	int64_t chat_id; /* where the PDF goes (the holder's private chat) */
	int64_t action_id; /* letters; 0 for records */
	int64_t issued_by; /* the organiser who issued a letter, or 0 */
	char *holder_name;
	bool name_chosen; /* typed or confirmed by the holder */
	bool show_money;
	enum doc_state state;
	char *org_name; /* the issuer as printed (once issued) */
	/* The totals as printed: distinct actions, hours, volunteer
	 * appearances, goods handed over (pledges), money (kopecks, 0 unless
	 * the holder asked to show it). */
	int64_t actions, hours, times, goods, money;
	int64_t created_at, issued_at, revoked_at; /* wall ms; 0 = not yet */
	char *revoke_reason;
};

void document_release(struct document *d);

/* Queues a document: d's kind, code, user, chat, action, issued_by,
 * holder_name, name_chosen, show_money. Returns the new id (the number),
 * 0 when a live letter for this person and action exists already, -1. */
int64_t documents_insert(struct store *st, const struct document *d,
    int64_t now_ms);

/* 1 found, 0 none, -1 error. */
int documents_load(struct store *st, int64_t id, struct document *out);

/* The live (not revoked) letter of a person for an action: its id, 0, -1. */
int64_t documents_letter_of(struct store *st, int64_t action_id,
    int64_t user_id);

/* The ids of queued documents, oldest first, at most `limit` (a new array;
 * free it). Returns 0 or -1. */
int documents_queued(struct store *st, size_t limit, int64_t **ids, size_t *n);

/* Records what was printed, and the state 'issued'. */
int documents_mark_issued(struct store *st, const struct document *d,
    int64_t now_ms);

int documents_mark_failed(struct store *st, int64_t id, const char *error);

/* An admin revokes a document: 1 done, 0 no such issued document or already
 * revoked, -1. */
int documents_revoke(struct store *st, int64_t id, int64_t by,
    const char *reason, int64_t now_ms);

/* Says why a revoked document was revoked (e.g. by which it was
 * replaced). Returns 0 or -1. */
int documents_set_revoke_reason(struct store *st, int64_t id,
    const char *reason);

/* The name to print for the person, as a new string: the one they last
 * chose for a document (*chosen set), else their Telegram first and last
 * name; NULL when neither is known (or on error). */
char *documents_default_name(struct store *st, int64_t user_id, bool *chosen);

/* The codes of the person's issued documents (a new array of new strings;
 * free each and the array). Returns 0 or -1. */
int documents_codes_of_user(struct store *st, int64_t user_id, char ***codes,
    size_t *n);

/* The person asked to be forgotten: their documents go (the verify pages
 * first: see documents_codes_of_user). Returns how many, or -1. */
int documents_forget_user(struct store *st, int64_t user_id);

/* The live letters of an action: their holders' names (new strings), their
 * states, and what became of the message that carries each. */
struct document_brief {
	int64_t id;
	int64_t user_id;
	char *holder_name;
	enum doc_state state;
	char delivery[12]; /* its outbox row's state ("sent", "failed", ...),
	                      "" before it has one */
};
int documents_letters_of_action(struct store *st, int64_t action_id,
    struct document_brief **out, size_t *n);
void document_briefs_free(struct document_brief *b, size_t n);

#endif
