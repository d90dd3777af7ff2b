/* The site's files, written so that a reader never sees half a page: a
 * temporary file in the same directory, fsync, rename over the old one.
 * A file whose bytes did not change is left alone, so that a regeneration
 * after one pledge touches only the pages that show it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dobrobot/core/buf.h"
#include "dobrobot/site/site.h"

#define TEMP_PREFIX ".tmp-"

/* True when the file at path holds exactly len bytes equal to data. */
static bool
same_contents(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat sb;
	bool same = false;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size != len)
		goto out;
	char chunk[65536];
	size_t at = 0;
	while (at < len) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got <= 0 || (size_t)got > len - at ||
		    memcmp(chunk, data + at, (size_t)got) != 0)
			goto out;
		at += (size_t)got;
	}
	same = true;
out:
	close(fd);
	return same;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t put = write(fd, data, len);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -1;
		data += put;
		len -= (size_t)put;
	}
	return 0;
}

int
site_make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0)
		return chmod(path, 0755); /* past the umask: see above */
	return errno == EEXIST ? 0 : -1;
}

/* Makes the directory that will hold dir/rel. */
static int
make_parent(const char *dir, const char *rel, char **cause)
{
	if (site_make_dir(dir) < 0) {
		*cause = buf_strf("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	const char *slash = strrchr(rel, '/');
	if (slash == NULL)
		return 0;
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%.*s", dir, (int)(slash - rel), rel);
	int rc = 0;
	if (site_make_dir(buf_str(&p)) < 0) {
		*cause = buf_strf("cannot create %s: %s", buf_str(&p),
		    strerror(errno));
		rc = -1;
	}
	buf_release(&p);
	return rc;
}

int
site_write_file(const char *dir, const char *rel, const char *data, size_t len,
    bool *changed, char **cause)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	int rc = -1, fd = -1;
	*changed = false;
	buf_printf(&path, "%s/%s", dir, rel);
	if (same_contents(buf_str(&path), data, len)) {
		rc = 0;
		goto out;
	}
	if (make_parent(dir, rel, cause) < 0)
		goto out;
	/* The temporary file sits in the same directory (rename is atomic
	 * only within one file system) under a hidden name the web server
	 * does not serve; the pid keeps two writers apart. */
	const char *slash = strrchr(rel, '/');
	buf_printf(&tmp, "%s/%.*s" TEMP_PREFIX "%s.%ld", dir,
	    slash ? (int)(slash - rel + 1) : 0, rel, slash ? slash + 1 : rel,
	    (long)getpid());
	fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		*cause = buf_strf("cannot create %s: %s", buf_str(&tmp),
		    strerror(errno));
		goto out;
	}
	/* Public files, whatever the daemon's umask (systemd's UMask=0077):
	 * the web server runs as another user. */
	if (fchmod(fd, 0644) != 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) != 0) {
		*cause = buf_strf("cannot write %s: %s", buf_str(&tmp),
		    strerror(errno));
		goto out_unlink;
	}
	if (close(fd) != 0) {
		fd = -1;
		*cause = buf_strf("cannot write %s: %s", buf_str(&tmp),
		    strerror(errno));
		goto out_unlink;
	}
	fd = -1;
	if (rename(buf_str(&tmp), buf_str(&path)) != 0) {
		*cause = buf_strf("cannot rename to %s: %s", buf_str(&path),
		    strerror(errno));
		goto out_unlink;
	}
	*changed = true;
	rc = 0;
	goto out;
out_unlink:
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(buf_str(&tmp));
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	buf_release(&tmp);
	return rc;
}

static void
remove_temps_in(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct buf p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, e->d_name);
		if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0)
			unlink(buf_str(&p));
		else if (depth > 0 && e->d_type == DT_DIR)
			remove_temps_in(buf_str(&p), depth - 1);
		buf_release(&p);
	}
	closedir(d);
}

void
site_remove_stale_temps(const char *dir)
{
	remove_temps_in(dir, 1);
}
