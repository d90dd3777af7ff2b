/* Clocks with test hooks (see clock.h); the one a running daemon reads from
 * the environment is built only into build/dobrobot-test. */
#include "dobrobot/core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t fixed_mono = -1;
static int64_t wall_offset_ms;

int64_t
clock_mono_ms(void)
{
	if (fixed_mono >= 0)
		return fixed_mono;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    wall_offset_ms;
}

int64_t
clock_wall_s(void)
{
	return clock_wall_ms() / 1000;
}

void
clock_set_mono(int64_t ms)
{
	fixed_mono = ms;
}

void
clock_set_wall_offset(int64_t ms)
{
	wall_offset_ms = ms;
}

void
clock_refresh_offset(void)
{
#ifdef DOBROBOT_TEST_HOOKS
	const char *path = getenv("DOBROBOT_CLOCK_OFFSET_FILE");
	if (path == NULL)
		return;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	long long s;
	if (fscanf(f, "%lld", &s) == 1)
		wall_offset_ms = (int64_t)s * 1000;
	fclose(f);
#endif
}
