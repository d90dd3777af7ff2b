/* Shared between the files of src/tg only: the client's state, which the
 * pooled transfers (client.c) and the file download (download.c) both use. */
#ifndef DOBROBOT_TG_CLIENT_INTERNAL_H
#define DOBROBOT_TG_CLIENT_INTERNAL_H

#include <curl/curl.h>
#include <stddef.h>

struct tg_call;

struct tg_client {
	CURLM *multi;
	char *api_base;
	char *token;
	struct tg_call *calls; /* in flight */
	size_t n_calls;
	CURL **idle; /* easy handles kept for reuse */
	size_t n_idle, cap_idle;
};

#endif
