/* The floor under any libcurl bot: N sendMessage requests to the peers'
 * fake Bot API over CONNS kept-alive connections, made the way the daemon
 * makes them (src/tg/client.c: the JSON body handed to curl in place, the
 * pre-request callback, one curl multi handle, the easy handles reset and
 * reused), with no database, no JSON built or parsed and no update
 * fetched. Prints one JSON line: CPU (user + system)
 * per request and requests per second.
 *
 *   http_floor URL N CONNS
 *
 * tests/bench/peers.py runs it in each round beside the bots, so that
 * "dobrobot's CPU per update is X of grammY's" can be read against "libcurl
 * alone is Y of grammY's" measured in the same run. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char body[] = "{\"chat_id\":1000,\"text\":\"m1\","
                           "\"parse_mode\":\"HTML\"}";

struct transfer {
	int requests; /* attempts that reached the pre-request callback */
	CURL *easy;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	(void)data;
	(void)userp;
	return size * nmemb;
}

/* As the daemon's: a second attempt of one transfer is refused. */
static int
on_prereq(void *userp, char *conn_primary_ip, char *conn_local_ip,
    int conn_primary_port, int conn_local_port)
{
	(void)conn_primary_ip;
	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	struct transfer *t = userp;
	return t->requests++ == 0 ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}

static void
prepare(struct transfer *t, const char *url, struct curl_slist *headers)
{
	CURL *e = t->easy;
	curl_easy_reset(e);
	t->requests = 0;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, t);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)(sizeof body - 1));
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
}

static double
cpu_s(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 +
	    (double)r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

static double
wall_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: http_floor URL N CONNS\n");
		return 2;
	}
	const char *url = argv[1];
	long n = strtol(argv[2], NULL, 10);
	int conns = (int)strtol(argv[3], NULL, 10);
	if (n < 1 || conns < 1)
		return 2;
	curl_global_init(CURL_GLOBAL_ALL);
	CURLM *multi = curl_multi_init();
	struct curl_slist *headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	headers = curl_slist_append(headers, "Expect:");
	struct transfer *ts = calloc((size_t)conns, sizeof *ts);
	long started = 0, done = 0, failed = 0;
	double cpu0 = cpu_s(), wall0 = wall_s();
	for (int i = 0; i < conns && started < n; i++, started++) {
		ts[i].easy = curl_easy_init();
		prepare(&ts[i], url, headers);
		curl_multi_add_handle(multi, ts[i].easy);
	}
	while (done < n) {
		int running;
		curl_multi_poll(multi, NULL, 0, 1000, NULL);
		curl_multi_perform(multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct transfer *t;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    &t);
			if (msg->data.result != CURLE_OK)
				failed++;
			done++;
			curl_multi_remove_handle(multi, t->easy);
			if (started < n) {
				prepare(t, url, headers);
				curl_multi_add_handle(multi, t->easy);
				started++;
			}
		}
	}
	double cpu = cpu_s() - cpu0, wall = wall_s() - wall0;
	printf("{\"requests\": %ld, \"failed\": %ld, \"cpu_us\": %.2f, "
	       "\"rps\": %.0f}\n",
	    n, failed, cpu / (double)n * 1e6, (double)n / wall);
	return failed > 0;
}
