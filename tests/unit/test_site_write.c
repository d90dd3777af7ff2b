/* The public site's file writer: atomic replacement, files left alone when
 * their bytes are the same, public modes whatever the umask, stale
 * temporary files cleared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/site/site.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/dobrobot-site-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static char *
slurp(const char *rel)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	static char data[256];
	size_t n = fread(data, 1, sizeof data - 1, f);
	data[n] = '\0';
	fclose(f);
	return data;
}

static size_t
entries(const char *sub)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	DIR *d = opendir(path);
	size_t n = 0;
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}

static void
test_writes_only_changes(void **state)
{
	(void)state;
	bool changed;
	char *cause = NULL;
	mode_t old = umask(077);
	assert_int_equal(site_write_file(dir, "actions/1.html", "<p>a</p>", 8,
	                     &changed, &cause),
	    0);
	umask(old);
	assert_true(changed);
	assert_string_equal(slurp("actions/1.html"), "<p>a</p>");
	struct stat sb;
	char path[160];
	snprintf(path, sizeof path, "%s/actions/1.html", dir);
	assert_int_equal(stat(path, &sb), 0);
	/* Public, although the umask said otherwise. */
	assert_int_equal(sb.st_mode & 0777, 0644);
	snprintf(path, sizeof path, "%s/actions", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
	/* The same bytes: not written (the inode stays). */
	snprintf(path, sizeof path, "%s/actions/1.html", dir);
	struct stat before;
	stat(path, &before);
	assert_int_equal(site_write_file(dir, "actions/1.html", "<p>a</p>", 8,
	                     &changed, &cause),
	    0);
	assert_false(changed);
	stat(path, &sb);
	assert_int_equal(sb.st_ino, before.st_ino);
	/* Other bytes, even of the same length: replaced by a rename. */
	assert_int_equal(site_write_file(dir, "actions/1.html", "<p>b</p>", 8,
	                     &changed, &cause),
	    0);
	assert_true(changed);
	assert_string_equal(slurp("actions/1.html"), "<p>b</p>");
	stat(path, &sb);
	assert_int_not_equal(sb.st_ino, before.st_ino);
	assert_int_equal(entries("actions"), 1);
}

static void
test_stale_temporaries_removed(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof path, "%s/actions", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/actions/.tmp-2.html.999", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("<!DOCTYPE html><p>half", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/.tmp-index.html.999", dir);
	f = fopen(path, "w");
	fclose(f);
	site_remove_stale_temps(dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/actions/.tmp-2.html.999", dir);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_photo_names_hide_the_file_id(void **state)
{
	(void)state;
	char a[40], b[40];
	site_photo_name("AgACAgIAAxkBAAIBJ2Zsecret", a);
	site_photo_name("AgACAgIAAxkBAAIBJ2Zsecreu", b);
	assert_int_equal(strlen(a), strlen("photos/") + 16 + strlen(".jpg"));
	assert_int_equal(strncmp(a, "photos/", 7), 0);
	assert_null(strstr(a, "AgAC"));
	assert_string_not_equal(a, b);
	char again[40];
	site_photo_name("AgACAgIAAxkBAAIBJ2Zsecret", again);
	assert_string_equal(a, again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_writes_only_changes, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_stale_temporaries_removed,
	        setup, teardown),
	    cmocka_unit_test(test_photo_names_hide_the_file_id),
	};
	return cmocka_run_group_tests_name("site_write", tests, NULL, NULL);
}
