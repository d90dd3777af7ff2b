/* fakeapi entry point: command line, signal handling and lifecycle. Prints
 * "PORT <n>" once the server listens (on 127.0.0.1 unless --listen names
 * another IPv4 address: `make compose-check` lets a bot in a container's
 * network reach it), runs until SIGTERM or
 * SIGINT, then stops every connection and frees all state (exit 0). */
#include "fake.h"

#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>

static void
usage(void)
{
	fputs("usage: fakeapi --port N --token TOKEN [--port-file FILE] "
	      "[--listen IPV4]\n"
	      "  --port 0 picks a free port; \"PORT <n>\" is printed when "
	      "ready\n"
	      "  --listen: the address to listen on (default 127.0.0.1)\n",
	    stderr);
	exit(2);
}

static int
write_port_file(const char *path, int port)
{
	size_t n = strlen(path) + 8;
	char *tmp = fake_xmalloc(n);
	FILE *f;
	int rc = -1;

	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%d\n", port);
		if (fclose(f) == 0 && rename(tmp, path) == 0)
			rc = 0;
	}
	if (rc)
		fprintf(stderr, "fakeapi: cannot write %s: %s\n", path,
		    strerror(errno));
	free(tmp);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *token = NULL, *port_file = NULL, *listen_addr = NULL;
	int64_t port = -1;
	sigset_t set;
	int sig;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			if (!parse_int64(argv[++i], &port) || port < 0 ||
			    port > 65535)
				usage();
		} else if (!strcmp(argv[i], "--token") && i + 1 < argc) {
			token = argv[++i];
		} else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) {
			port_file = argv[++i];
		} else if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
			listen_addr = argv[++i];
		} else {
			usage();
		}
	}
	if (port < 0 || !token || !*token)
		usage();

	/* Signals are taken synchronously by this thread only; the server's
	 * threads inherit the mask. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	state_init(token);
	int bound = http_start(listen_addr, (int)port);

	if (bound < 0) {
		fprintf(stderr, "fakeapi: cannot listen on %s:%d\n",
		    listen_addr ? listen_addr : "127.0.0.1", (int)port);
		state_free();
		return 1;
	}
	if (port_file && write_port_file(port_file, bound)) {
		http_stop();
		state_free();
		return 1;
	}
	printf("PORT %d\n", bound);
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	fake_shutdown();
	http_stop();
	fake_lock();
	state_free();
	fake_unlock();
	return 0;
}
