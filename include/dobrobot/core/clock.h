/* Time for the daemon. Rate limiting and timeouts use the monotonic clock;
 * stored times (outbox not_before, created_at) use the wall clock in Unix
 * milliseconds. Tests replace either through clock_set_*, and integration
 * tests shift the wall clock of a running daemon with
 * $DOBROBOT_CLOCK_OFFSET_FILE (a file holding seconds to add), so that
 * reminders due tomorrow can be checked today. */
#ifndef DOBROBOT_CORE_CLOCK_H
#define DOBROBOT_CORE_CLOCK_H

#include <stdint.h>

int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);
int64_t clock_wall_s(void);

/* Test hooks: a fixed monotonic time (ms >= 0) or the real clock (ms < 0),
 * and a wall-clock offset in milliseconds. */
void clock_set_mono(int64_t ms);
void clock_set_wall_offset(int64_t ms);
/* Re-reads $DOBROBOT_CLOCK_OFFSET_FILE if set (cheap; called once per loop
 * iteration). Only in the test build (-DDOBROBOT_TEST_HOOKS, which make
 * gives build/dobrobot-test); in the release binary it does nothing. */
void clock_refresh_offset(void);

#endif
