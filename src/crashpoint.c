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
	static int parsed, stop;
	static char want[64];
	static long nth = 1, seen;
	const char *env, *colon;
	char *end;
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
			if (colon != NULL && (nth = strtol(colon + 1, &end,
			    10)) < 1)
				nth = 1;
			stop = colon != NULL && strstr(colon, ":stop") != NULL;
		}
	}
	if (want[0] == '\0' || strcmp(name, want) != 0 || ++seen != nth)
		return;
	raise(stop ? SIGSTOP : SIGKILL);
}
