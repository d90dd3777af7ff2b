/* Downloading a file the bot received (tg_fetch_file, see tg.h): getFile
 * and the file itself, each a blocking transfer on an easy handle of its
 * own, beside the client's pool of transfers (client.c), which it does not
 * touch. */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/log.h"
#include "dobrobot/tg/tg.h"
#include "dobrobot/core/xalloc.h"
#include "client_internal.h"

/* ---- downloading a file (tg_fetch_file) ---- */

struct file_sink {
	FILE *f;
	size_t got, max;
	bool too_big;
};

static size_t
on_file_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct file_sink *s = userp;
	size_t n = size * nmemb;
	if (s->got + n > s->max) {
		s->too_big = true;
		return 0;
	}
	s->got += n;
	return fwrite(data, 1, n, s->f) == n ? n : 0;
}

static void
easy_common(CURL *e, const char *url, long timeout_ms, char *errbuf)
{
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dobrobot");
}

static size_t
on_json_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct buf *b = userp;
	return buf_append(b, data, size * nmemb) == 0 ? size * nmemb : 0;
}

/* getFile: the file's path on the server and its size (0 when unknown). */
static int
get_file_path(struct tg_client *c, const char *file_id, long timeout_ms,
    char **path, size_t *size, char **cause)
{
	struct buf url = BUF_INIT, body = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	json_t *params = json_pack("{s:s}", "file_id", file_id);
	char *json = json_dumps(params, JSON_COMPACT);
	json_decref(params);
	struct curl_slist *headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	CURL *e = curl_easy_init();
	int rc = -1;
	if (e == NULL || json == NULL || headers == NULL)
		fatal("out of memory");
	buf_init(&body, 1024 * 1024);
	buf_printf(&url, "%s/bot%s/getFile", c->api_base, c->token);
	easy_common(e, buf_str(&url), timeout_ms, errbuf);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_json_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
	CURLcode code = curl_easy_perform(e);
	if (code != CURLE_OK) {
		*cause = redact_in_place(xstrdup(errbuf[0]
		                                 ? errbuf
		                                 : curl_easy_strerror(code)),
		    c->token);
		goto out;
	}
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	struct tg_result res;
	tg_parse_response(status, body.data ? body.data : "", body.len, 0,
	    &res);
	if (res.outcome != TG_OK) {
		*cause = xstrdup(res.err.description ? res.err.description
		                                     : "getFile failed");
		tg_result_release(&res);
		goto out;
	}
	const char *fp = json_string_value(json_object_get(res.result,
	    "file_path"));
	json_int_t fs = json_integer_value(json_object_get(res.result,
	    "file_size"));
	/* The path is Telegram's data, and it goes into a URL: only the
	 * characters its paths are made of ("photos/file_12.jpg"). */
	if (fp == NULL || *fp == '\0' || strstr(fp, "..") != NULL ||
	    strspn(fp,
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789_-./") != strlen(fp)) {
		*cause = xstrdup("getFile gave no usable file_path");
		tg_result_release(&res);
		goto out;
	}
	*path = xstrdup(fp);
	*size = fs > 0 ? (size_t)fs : 0;
	tg_result_release(&res);
	rc = 0;
out:
	curl_easy_cleanup(e);
	curl_slist_free_all(headers);
	free(json);
	buf_release(&url);
	buf_release(&body);
	return rc;
}

int
tg_fetch_file(struct tg_client *c, const char *file_id, const char *dest,
    size_t max_bytes, long timeout_ms, char **cause)
{
	char *path = NULL;
	size_t size = 0;
	if (get_file_path(c, file_id, timeout_ms, &path, &size, cause) < 0)
		return -1;
	if (size > max_bytes) {
		*cause = xstrdup("the file is larger than allowed");
		free(path);
		return -1;
	}
	struct buf url = BUF_INIT, tmp = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	int rc = -1;
	buf_printf(&url, "%s/file/bot%s/%s", c->api_base, c->token, path);
	/* A hidden name beside dest: a web server serving that directory
	 * does not show it, and site_remove_stale_temps clears what a crash
	 * leaves. */
	const char *base = strrchr(dest, '/');
	base = base ? base + 1 : dest;
	buf_printf(&tmp, "%.*s.tmp-%s.%ld", (int)(base - dest), dest, base,
	    (long)getpid());
	struct file_sink sink = {
	    fopen(buf_str(&tmp), "wbe"), 0, max_bytes, false};
	CURL *e = curl_easy_init();
	if (e == NULL)
		fatal("out of memory");
	if (sink.f == NULL) {
		*cause = xstrdup(strerror(errno));
		goto out;
	}
	easy_common(e, buf_str(&url), timeout_ms, errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_file_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
	CURLcode code = curl_easy_perform(e);
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	bool flushed = fflush(sink.f) == 0 && fsync(fileno(sink.f)) == 0;
	fclose(sink.f);
	if (sink.too_big) {
		*cause = xstrdup("the file is larger than allowed");
	} else if (code != CURLE_OK) {
		*cause = redact_in_place(xstrdup(errbuf[0]
		                                 ? errbuf
		                                 : curl_easy_strerror(code)),
		    c->token);
	} else if (status != 200 || sink.got == 0) {
		struct buf why = BUF_INIT;
		buf_printf(&why, "the download answered HTTP %ld", status);
		*cause = buf_detach(&why);
	} else if (!flushed || rename(buf_str(&tmp), dest) != 0) {
		*cause = xstrdup(strerror(errno));
	} else {
		rc = 0;
	}
	if (rc < 0)
		unlink(buf_str(&tmp));
out:
	curl_easy_cleanup(e);
	explicit_bzero(url.data, url.len);
	buf_release(&url);
	buf_release(&tmp);
	free(path);
	return rc;
}
