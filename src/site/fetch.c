/* The site's photos fetched through the Bot API (getFile and the file
 * download): the one place the site layer talks to Telegram, used by the
 * daemon's regeneration and by `dobrobot site` alike. */
#include "dobrobot/site/site.h"
#include "dobrobot/tg/tg.h"

/* A closing photo is at most this big (Telegram's own photos are far
 * smaller; getFile serves up to 20 MB). */
#define SITE_PHOTO_MAX ((size_t)10 * 1024 * 1024)
#define SITE_FETCH_TIMEOUT_MS 20000L

int
site_fetch_photo(void *arg, const char *file_id, const char *dest, char **cause)
{
	return tg_fetch_file(arg, file_id, dest, SITE_PHOTO_MAX,
	    SITE_FETCH_TIMEOUT_MS, cause);
}
