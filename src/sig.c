/*
 * sig.c — a caught SIGTERM/SIGINT/SIGHUP as a flag (see sig.h).
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "sig.h"

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;		/* all a handler may safely do */
}

int
kh_sig_install(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* a second signal kills (see sig.h); reads are not cut short */
	sa.sa_flags = SA_RESETHAND | SA_RESTART;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* ignored when we started (nohup, a background job): keep so */
		if (sigaction(sigs[i], NULL, &old) != 0)
			return -1;
		if (old.sa_handler != SIG_IGN &&
		    sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	}
	return 0;
}

int
kh_sig_pending(void)
{
	return caught;
}

static const char *
sig_name(int sig)
{
	switch (sig) {
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case SIGHUP: return "SIGHUP";
	default: return "a signal";
	}
}

int
kh_sig_check(struct kh_err *err)
{
	int sig = caught;

	if (sig == 0)
		return KH_OK;
	return kh_err_sys(err, KH_FAIL, "interrupted by %s", sig_name(sig));
}

void
kh_sig_clear(void)
{
	caught = 0;
}
