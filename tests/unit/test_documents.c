/* Unit tests for the document layer: base64 (PDFs through the outbox), the
 * random verify codes, the masked names and atomic files of the verify
 * pages, the "site" configuration, and a PDF with hostile text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/text/base64.h"
#include "dobrobot/core/buf.h"
#include "dobrobot/core/config.h"
#include "dobrobot/doc/pdf.h"
#include "dobrobot/site/verify.h"

static void
test_base64_round_trip(void **state)
{
	(void)state;
	unsigned char bytes[256];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(255 - i);
	for (size_t len = 0; len <= sizeof bytes; len += 1 + len / 3) {
		struct buf enc = BUF_INIT, dec = BUF_INIT;
		assert_int_equal(base64_encode(&enc, bytes, len), 0);
		assert_int_equal(enc.len % 4, 0);
		assert_int_equal(base64_decode(&dec, buf_str(&enc), enc.len),
		    0);
		assert_int_equal(dec.len, len);
		assert_memory_equal(dec.data ? dec.data : "", bytes, len);
		buf_release(&enc);
		buf_release(&dec);
	}
	struct buf b = BUF_INIT;
	base64_encode(&b, "%PDF-", 5);
	assert_string_equal(buf_str(&b), "JVBERi0=");
	buf_release(&b);
}

static void
test_base64_rejects_what_is_not_canonical(void **state)
{
	(void)state;
	const char *bad[] = {"JVBERi0", "JVB=Ri0=", "JVBERi0=\n",
	    "JV BERi0=", "====", "JVBERi=0", "A===", "JVBE*i0="};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "kept");
		assert_int_equal(base64_decode(&b, bad[i], strlen(bad[i])), -1);
		assert_string_equal(buf_str(&b), "kept");
		buf_release(&b);
	}
}

static void
test_codes_are_random_and_safe_in_paths(void **state)
{
	(void)state;
	char a[DOC_CODE_LEN + 1], b[DOC_CODE_LEN + 1];
	assert_int_equal(document_new_code(a), 0);
	assert_int_equal(document_new_code(b), 0);
	assert_int_equal(strlen(a), DOC_CODE_LEN);
	assert_string_not_equal(a, b);
	assert_true(document_code_valid(a));
	assert_false(document_code_valid("../../etc/pa"));
	assert_false(document_code_valid("abc"));
	assert_false(document_code_valid("ABCDEFGHJKMN"));
	assert_false(document_code_valid(NULL));
}

static void
check_mask(const char *name, const char *want)
{
	struct buf b = BUF_INIT;
	verify_mask_name(&b, name);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void
test_names_are_masked(void **state)
{
	(void)state;
	check_mask("Анна Сергеевна Белова", "А*** С*** Б***");
	check_mask("  Пётр  ", "П***");
	check_mask("<b>&amp; x", "&lt;*** x***");
	check_mask("", "***");
	check_mask(NULL, "***");
}

static char *
temp_dir(void)
{
	char tmpl[] = "/tmp/dobrobot-verify-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	return strdup(tmpl);
}

static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static void
test_verify_pages_written_revoked_and_removed(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char site[256], page[1024], folder[512];
	snprintf(site, sizeof site, "%s/site", dir);
	const char *code = "abcdefghjk23";
	struct verify_page p = {
	    .code = code,
	    .number = 42,
	    .title = "Справка",
	    .date = "05.12.2026",
	    .issuer = "«Доброе сердце» <org>",
	    .holder = "Анна <b>Белова</b>",
	    .totals = "акций — 2",
	};
	char *cause = NULL;
	assert_int_equal(verify_write(site, &p, &cause), 0);
	snprintf(folder, sizeof folder, "%s/verify/%s", site, code);
	snprintf(page, sizeof page, "%s/index.html", folder);
	char *html = slurp(page);
	assert_non_null(html);
	assert_non_null(strstr(html, "Документ действителен"));
	assert_non_null(strstr(html, "№ 42"));
	assert_non_null(strstr(html, "<dd>А*** &lt;*** <small>"));
	assert_non_null(strstr(html, "«Доброе сердце» &lt;org&gt;"));
	assert_null(strstr(html, "Анна"));
	assert_null(strstr(html, "Белова"));
	free(html);
	/* Only the page: no temporary file left beside it. */
	assert_int_equal(entries(folder), 1);
	char index[1024];
	snprintf(index, sizeof index, "%s/verify/index.html", site);
	html = slurp(index);
	assert_non_null(strstr(html, "Документ не найден"));
	free(html);
	p.revoked = true;
	p.revoked_date = "06.12.2026";
	p.revoke_reason = "выдан <по ошибке>";
	assert_int_equal(verify_write(site, &p, &cause), 0);
	html = slurp(page);
	assert_non_null(strstr(html, "Документ отозван"));
	assert_non_null(strstr(html, "выдан &lt;по ошибке&gt;"));
	assert_null(strstr(html, "Документ действителен"));
	free(html);
	assert_int_equal(entries(folder), 1);
	assert_int_equal(verify_remove(site, code), 0);
	struct stat st;
	assert_int_equal(stat(folder, &st), -1);
	assert_int_equal(verify_remove(site, code), 0);
	/* A code that is not one never names a path. */
	p.code = "../../../tmp";
	assert_int_equal(verify_write(site, &p, &cause), -1);
	free(cause);
	assert_int_equal(verify_remove(site, "../../x"), -1);
	snprintf(page, sizeof page, "rm -rf '%s'", dir);
	assert_int_equal(system(page), 0);
	free(dir);
}

static void
assert_mode(const char *path, mode_t want)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	if ((st.st_mode & 0777) != want)
		fail_msg("%s: mode %o, want %o", path,
		    (unsigned)(st.st_mode & 0777), (unsigned)want);
}

/* The daemon runs with umask 077 (store_open) and the web server as
 * another user (nginx's www-data in config/compose.yaml): the verify
 * pages must be public whatever the umask, as the rest of the site is. */
static void
test_verify_pages_public_whatever_the_umask(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char site[256], path[1024];
	snprintf(site, sizeof site, "%s/site", dir);
	struct verify_page p = {
	    .code = "abcdefghjk23",
	    .number = 7,
	    .title = "Справка",
	    .date = "05.12.2026",
	    .issuer = "Совет",
	    .holder = "Анна",
	    .totals = "акций — 1",
	};
	char *cause = NULL;
	mode_t old = umask(077);
	int rc = verify_write(site, &p, &cause);
	umask(old);
	assert_int_equal(rc, 0);
	assert_mode(site, 0755);
	snprintf(path, sizeof path, "%s/verify", site);
	assert_mode(path, 0755);
	snprintf(path, sizeof path, "%s/verify/index.html", site);
	assert_mode(path, 0644);
	snprintf(path, sizeof path, "%s/verify/404.html", site);
	assert_mode(path, 0644);
	snprintf(path, sizeof path, "%s/verify/%s", site, p.code);
	assert_mode(path, 0755);
	snprintf(path, sizeof path, "%s/verify/%s/index.html", site, p.code);
	assert_mode(path, 0644);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	free(dir);
}

static void
test_site_config(void **state)
{
	(void)state;
	struct config c;
	char *cause = NULL;
	config_defaults(&c);
	assert_null(c.site_dir);
	assert_null(c.site_base_url);
	assert_int_equal(
	    config_load_string(&c,
	        "{\"site\": {\"dir\": "
	        "\"/srv/www\", \"base_url\": \"https://dobro.example/\"}}",
	        &cause),
	    0);
	assert_string_equal(c.site_dir, "/srv/www");
	assert_string_equal(c.site_base_url, "https://dobro.example");
	config_release(&c);
	const char *bad[][2] = {
	    {"{\"site\": {\"dir\": \"/srv/www\"}}", "site: give both"},
	    {"{\"site\": {\"dir\": \"/a\", \"base_url\": \"ftp://x\"}}",
	        "site.base_url"},
	    {"{\"site\": {\"dir\": \"/a\", \"base_url\": \"https://x\", "
	     "\"extra\": 1}}",
	        "site.extra: unknown key"},
	    {"{\"site\": \"/srv\"}", "site: expected an object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		config_defaults(&c);
		cause = NULL;
		assert_int_equal(config_load_string(&c, bad[i][0], &cause), -1);
		assert_non_null(strstr(cause, bad[i][1]));
		free(cause);
		config_release(&c);
	}
}

static void
test_pdf_with_hostile_text(void **state)
{
	(void)state;
	struct doc_entry e[] = {{"01.11.2026", "«Тепло» <b>", "4 ч"}};
	struct doc_content d = {
	    .kind = DOC_RECORD,
	    .issuer = "Совет <i>НКО</i>",
	    .holder = "\"<b>&amp;\" Анна",
	    .number = 7,
	    .date = "05.12.2026",
	    .period = "01.11.2026",
	    .entries = e,
	    .n_entries = 1,
	    .totals = "акций — 1",
	    .verify_url = "https://x.example/verify/a",
	    .code = "abcdefghjk23",
	};
	struct buf pdf = BUF_INIT;
	char *cause = NULL;
	assert_int_equal(document_render_pdf(&d, &pdf, &cause), 0);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	assert_non_null(strstr(pdf.data + pdf.len - 64, "%%EOF"));
	buf_release(&pdf);
	/* Without a public site: no QR code, the code in the small print. */
	d.verify_url = NULL;
	assert_int_equal(document_render_pdf(&d, &pdf, &cause), 0);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	buf_release(&pdf);
	d.verify_url = "https://x.example/verify/a";
	/* A cap too small for a PDF: an error, not a crash or half a file. */
	buf_init(&pdf, 2000);
	assert_int_equal(document_render_pdf(&d, &pdf, &cause), -1);
	assert_non_null(cause);
	assert_int_equal(pdf.len, 0);
	free(cause);
	buf_release(&pdf);
}

/* The renderer is dobrobot-pdf.so, built beside this program's directory
 * ($(BUILD)/tests/..): found there when `make unit` did not say where. */
static void
find_renderer(void)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (getenv("DOBROBOT_PDF_LIB") != NULL || n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	char path[600];
	snprintf(path, sizeof path, "%s/../dobrobot-pdf.so", exe);
	setenv("DOBROBOT_PDF_LIB", path, 0);
}

int
main(void)
{
	find_renderer();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base64_round_trip),
	    cmocka_unit_test(test_base64_rejects_what_is_not_canonical),
	    cmocka_unit_test(test_codes_are_random_and_safe_in_paths),
	    cmocka_unit_test(test_names_are_masked),
	    cmocka_unit_test(test_verify_pages_written_revoked_and_removed),
	    cmocka_unit_test(test_verify_pages_public_whatever_the_umask),
	    cmocka_unit_test(test_site_config),
	    cmocka_unit_test(test_pdf_with_hostile_text),
	};
	int rc = cmocka_run_group_tests(tests, 0, 0);
	document_library_release();
	return rc;
}
