/* The verify pages of recognition documents (see verify.h): static HTML
 * written atomically into the public site's folder. */
#include "dobrobot/site/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/doc/pdf.h"
#include "dobrobot/site/site.h"
#include "dobrobot/text/html.h"
#include "dobrobot/core/utf8.h"
#include "dobrobot/core/xalloc.h"

static char *
path_join(const char *a, const char *b)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", a, b);
	return buf_detach(&p);
}

static int
fail(char **cause, const char *what, const char *path)
{
	if (cause != NULL) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s %s: %s", what, path, strerror(errno));
		*cause = buf_detach(&b);
	}
	return -1;
}

/* 0755 past the daemon's umask (077): the web server reads the pages as
 * another user. */
static int
make_dir(const char *path, char **cause)
{
	if (site_make_dir(path) < 0)
		return fail(cause, "cannot create", path);
	return 0;
}

int
site_write_atomic(const char *path, const char *data, size_t len, char **cause)
{
	/* Hidden (".tmp-"), as the site's own temporary files, which the
	 * web server is told not to serve. */
	struct buf tmp = BUF_INIT;
	const char *slash = strrchr(path, '/');
	buf_printf(&tmp, "%.*s.tmp-%s.%ld", slash ? (int)(slash - path + 1) : 0,
	    path, slash ? slash + 1 : path, (long)getpid());
	int fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		fail(cause, "cannot create", buf_str(&tmp));
		buf_release(&tmp);
		return -1;
	}
	/* A public page whatever the umask, as make_dir's folders. */
	if (fchmod(fd, 0644) < 0) {
		fail(cause, "cannot write", buf_str(&tmp));
		close(fd);
		unlink(buf_str(&tmp));
		buf_release(&tmp);
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	int rc = 0;
	if (done < len || fsync(fd) < 0) {
		rc = fail(cause, "cannot write", buf_str(&tmp));
		close(fd);
	} else if (close(fd) < 0) {
		rc = fail(cause, "cannot write", buf_str(&tmp));
	} else if (rename(buf_str(&tmp), path) < 0) {
		rc = fail(cause, "cannot rename to", path);
	}
	if (rc < 0)
		unlink(buf_str(&tmp));
	buf_release(&tmp);
	return rc;
}

void
verify_mask_name(struct buf *out, const char *name)
{
	const char *s = name ? name : "";
	size_t len = strlen(s), i = 0;
	bool in_word = false, any = false;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			n = 1;
		if (utf8_is_space(cp)) {
			in_word = false;
		} else if (!in_word) {
			if (any)
				buf_putc(out, ' ');
			char enc[4];
			size_t k = utf8_encode(cp, enc);
			/* A letter stands for itself; anything else (a quote,
			 * a tag's "<") is masked too, so the page holds no
			 * character of the name but initials. */
			struct buf one = BUF_INIT;
			buf_append(&one, enc, k);
			html_escape(out, buf_str(&one));
			buf_release(&one);
			buf_puts(out, "***");
			in_word = true;
			any = true;
		}
		i += n;
	}
	if (!any)
		buf_puts(out, "***");
}

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n"
    "<title>%s</title>\n<style>\n"
    "body{font-family:\"PT Sans\",Arial,sans-serif;max-width:40em;"
    "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
    "h1{font-family:\"PT Serif\",Georgia,serif;font-size:1.5em}\n"
    ".ok{color:#14632b}.bad{color:#a01818}\n"
    "dt{color:#666;font-size:.9em;margin-top:.6em}dd{margin:0}\n"
    "</style>\n</head>\n<body>\n";
static const char page_foot[] = "</body>\n</html>\n";

static void
field(struct buf *b, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_printf(b, "<dt>%s</dt><dd>", label);
	html_escape(b, value);
	buf_puts(b, "</dd>\n");
}

static void
render_page(struct buf *b, const struct verify_page *p)
{
	struct buf title = BUF_INIT;
	buf_printf(&title, "Проверка документа № %lld", (long long)p->number);
	buf_printf(b, page_head, buf_str(&title));
	buf_printf(b, "<h1>%s</h1>\n", buf_str(&title));
	buf_release(&title);
	if (p->revoked) {
		buf_puts(b,
		    "<p class=\"bad\" id=\"status\"><b>Документ "
		    "отозван</b>");
		if (p->revoked_date != NULL) {
			buf_puts(b, " ");
			html_escape(b, p->revoked_date);
		}
		buf_puts(b, ". Он больше не действителен.");
		if (p->revoke_reason != NULL && *p->revoke_reason != '\0') {
			buf_puts(b, " Причина: ");
			html_escape(b, p->revoke_reason);
		}
		buf_puts(b, "</p>\n");
	} else {
		buf_puts(b,
		    "<p class=\"ok\" id=\"status\"><b>Документ "
		    "действителен</b>: он выдан и не отозван.</p>\n");
	}
	buf_puts(b, "<dl>\n");
	field(b, "Документ", p->title);
	char number[32];
	snprintf(number, sizeof number, "%lld", (long long)p->number);
	field(b, "Номер", number);
	field(b, "Дата выдачи", p->date);
	field(b, "Выдан организацией", p->issuer);
	buf_puts(b, "<dt>Кому выдан</dt><dd>");
	verify_mask_name(b, p->holder);
	buf_puts(b,
	    " <small>(имя скрыто; сверьте инициалы с "
	    "документом)</small></dd>\n");
	field(b, "Акция", p->action);
	field(b, "Подтверждённый вклад", p->totals);
	buf_puts(b,
	    "</dl>\n<p><small>Страница создана ботом добровольческих "
	    "акций. Сведения на ней подтверждены организаторами.</small></p>\n");
	buf_puts(b, page_foot);
}

/* What a visitor sees at an address with no document: the page of a code
 * that was never issued, or that its holder asked to forget. */
static void
render_not_found(struct buf *b)
{
	buf_printf(b, page_head, "Документ не найден");
	buf_puts(b,
	    "<h1>Документ не найден</h1>\n<p class=\"bad\" "
	    "id=\"status\">По этому адресу документа нет: код набран с "
	    "ошибкой, документ не выдавался или удалён по просьбе его "
	    "владельца.</p>\n<p>Адрес проверки напечатан на документе под "
	    "QR-кодом: <code>/verify/</code> и код из 12 букв и цифр.</p>\n");
	buf_puts(b, page_foot);
}

static int
write_buf(const char *path, const struct buf *b, char **cause)
{
	return site_write_atomic(path, buf_str(b), b->len, cause);
}

static int
ensure_dirs(const char *site_dir, char **cause)
{
	char *verify = path_join(site_dir, "verify");
	int rc = make_dir(site_dir, cause);
	if (rc == 0)
		rc = make_dir(verify, cause);
	const char *names[] = {"index.html", "404.html"};
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		char *path = path_join(verify, names[i]);
		if (access(path, F_OK) < 0) {
			struct buf b = BUF_INIT;
			render_not_found(&b);
			rc = write_buf(path, &b, cause);
			buf_release(&b);
		}
		free(path);
	}
	free(verify);
	return rc;
}

int
verify_write(const char *site_dir, const struct verify_page *p, char **cause)
{
	if (!document_code_valid(p->code)) {
		if (cause != NULL)
			*cause = xstrdup("not a document code");
		return -1;
	}
	if (ensure_dirs(site_dir, cause) < 0)
		return -1;
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s/verify/%s", site_dir, p->code);
	int rc = make_dir(buf_str(&dir), cause);
	if (rc == 0) {
		char *path = path_join(buf_str(&dir), "index.html");
		struct buf b = BUF_INIT;
		render_page(&b, p);
		rc = write_buf(path, &b, cause);
		buf_release(&b);
		free(path);
	}
	buf_release(&dir);
	return rc;
}

int
verify_remove(const char *site_dir, const char *code)
{
	if (!document_code_valid(code))
		return -1;
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s/verify/%s", site_dir, code);
	char *path = path_join(buf_str(&dir), "index.html");
	int rc = 0;
	if (unlink(path) < 0 && errno != ENOENT)
		rc = -1;
	if (rmdir(buf_str(&dir)) < 0 && errno != ENOENT)
		rc = -1;
	free(path);
	buf_release(&dir);
	return rc;
}
