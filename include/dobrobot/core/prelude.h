/* Force-included before every source file (see the Makefile): the libc
 * headers whose functions banned.h forbids come first, so that the bans apply
 * to our code and not to the declarations. */
#ifndef DOBROBOT_CORE_PRELUDE_H
#define DOBROBOT_CORE_PRELUDE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "dobrobot/core/banned.h"

#endif
