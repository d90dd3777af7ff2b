/* Loads the PDF renderer, dobrobot-pdf.so (doc/pdf.c), when the first
 * document is made (see document.h): pango, cairo, fontconfig, glib and
 * libqrencode bring some thirty libraries whose pages would otherwise be
 * resident in a daemon that may never make a document. */
#include "dobrobot/doc/pdf.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/core/xalloc.h"

#define PDF_LIB_NAME "dobrobot-pdf.so"
#ifndef DOBROBOT_PKGLIBDIR
#define DOBROBOT_PKGLIBDIR "/usr/local/lib/dobrobot"
#endif

typedef int (*render_fn)(const struct doc_content *, struct buf *, char **);
typedef void (*release_fn)(void);

static void *pdf_lib;
static render_fn pdf_render;
static release_fn pdf_release;

/* dlsym returns an object pointer; ISO C has no conversion from it to a
 * function pointer, POSIX guarantees the bytes are the function's. */
static int
find_symbols(void *lib)
{
	void *render = dlsym(lib, DOC_PDF_RENDER_SYMBOL);
	void *release = dlsym(lib, DOC_PDF_RELEASE_SYMBOL);
	if (render == NULL || release == NULL)
		return -1;
	memcpy(&pdf_render, &render, sizeof pdf_render);
	memcpy(&pdf_release, &release, sizeof pdf_release);
	return 0;
}

/* Tries one path; on failure appends dlerror's reason to why. */
static int
try_open(const char *path, struct buf *why)
{
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		const char *e = dlerror();
		buf_printf(why, "%s%s", why->len > 0 ? "; " : "",
		    e != NULL ? e : path);
		return -1;
	}
	if (find_symbols(lib) < 0) {
		buf_printf(why, "%s%s is not dobrobot's PDF renderer",
		    why->len > 0 ? "; " : "", path);
		dlclose(lib);
		return -1;
	}
	pdf_lib = lib;
	return 0;
}

static int
load(char **cause)
{
	struct buf why = BUF_INIT;
	const char *env = getenv("DOBROBOT_PDF_LIB");
	if (env != NULL && *env != '\0') {
		if (try_open(env, &why) == 0)
			goto loaded;
	} else {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		char *slash = NULL;
		if (n > 0) {
			exe[n] = '\0';
			slash = strrchr(exe, '/');
		}
		if (slash != NULL) {
			struct buf path = BUF_INIT;
			buf_printf(&path, "%.*s/%s", (int)(slash - exe), exe,
			    PDF_LIB_NAME);
			int rc = try_open(buf_str(&path), &why);
			buf_release(&path);
			if (rc == 0)
				goto loaded;
		}
		if (try_open(DOBROBOT_PKGLIBDIR "/" PDF_LIB_NAME, &why) == 0)
			goto loaded;
	}
	/* The caller logs it, with the document it was for. */
	if (cause != NULL)
		*cause = xstrdup(buf_str(&why));
	buf_release(&why);
	return -1;
loaded:
	buf_release(&why);
	return 0;
}

int
document_render_pdf(const struct doc_content *d, struct buf *out, char **cause)
{
	if (pdf_lib == NULL && load(cause) < 0)
		return -1;
	return pdf_render(d, out, cause);
}

void
document_library_release(void)
{
	/* The library stays mapped: pango and glib register types and
	 * atexit handlers that must not outlive their code. */
	if (pdf_lib != NULL)
		pdf_release();
}
