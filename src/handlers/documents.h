/* Recognition documents: the citizen's record of volunteering and the
 * organiser's thank-you letters (handlers/documents.c); the admin's
 * revocation and the job that makes the queued ones
 * (handlers/documents_make.c). */
#ifndef DOBROBOT_HANDLERS_DOCUMENTS_H
#define DOBROBOT_HANDLERS_DOCUMENTS_H

#include "dobrobot/core/buf.h"
#include "dobrobot/store/documents.h"
#include "dobrobot/handlers/handler.h"

/* "dc:r" (under /my: «Получить справку»), "dc:n" (the suggested name is
 * right), "dc:m:<0|1>" (show money or not). */
int documents_on_button(struct handler_ctx *ctx);
/* The "document" conversation: the name typed for the record. */
int documents_on_message(struct handler_ctx *ctx);
/* /thank <action>: a letter to each helper of a closed action. */
int handle_thank(struct handler_ctx *ctx);
/* /revoke_doc <number> [reason] (admins). */
int handle_revoke_doc(struct handler_ctx *ctx);
/* Makes a few queued documents: PDF, verify page, outbox row. */
int documents_job(struct job_ctx *ctx);

/* Gathers the confirmed help of document d (loaded, queued or issued) and
 * appends its PDF to pdf; fills d's org_name and totals. Returns 0, or -1
 * with *cause set to a new string. Used by the job and the benchmark. */
int documents_make(struct store *st, const struct config *cfg,
    const char *bot_username, struct document *d, int64_t now_ms,
    struct buf *pdf, char **cause);

/* /forgetme: removes the person's verify pages and documents. Returns 0 or
 * -1. */
int documents_forget(struct store *st, const struct config *cfg,
    int64_t user_id);

#endif
