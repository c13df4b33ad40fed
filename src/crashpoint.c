/*
 * crashpoint.c — see crashpoint.h.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "crashpoint.h"

void
kh_crashpoint(const char *name)
{
	static int parsed;
	static char want[64];
	static long nth = 1, seen;
	const char *env, *colon;
	size_t len;

	if (!parsed) {
		parsed = 1;
		if ((env = getenv("KAOHE_CRASHPOINT")) != NULL) {
			colon = strchr(env, ':');
			len = colon != NULL ? (size_t)(colon - env) : strlen(env);
			if (len < sizeof(want)) {
				memcpy(want, env, len);
				want[len] = '\0';
			}
			if (colon != NULL && (nth = strtol(colon + 1, NULL,
			    10)) < 1)
				nth = 1;
		}
	}
	if (want[0] == '\0' || strcmp(name, want) != 0 || ++seen < nth)
		return;
	raise(SIGKILL);
}
