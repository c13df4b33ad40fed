/*
 * sig.h — SIGTERM, SIGINT and SIGHUP stop a run cleanly.
 *
 * The handler only records the signal.  The library asks at its steps:
 * waiting for the lock, before each imported file and each document,
 * before a transaction begins and before an output folder is swapped
 * into place; from the first step after a signal it refuses with
 * KH_FAIL "interrupted by SIGTERM", so what is under way is rolled back
 * or removed as after any failure (the build folder, the transaction),
 * nothing further is started, and main exits with status 3.  System
 * calls are restarted (libxml2 and libharu do not expect EINTR), so a
 * run blocked for good (reading a pipe named as an export) does not
 * notice the flag:
 *
 * the first signal also restores the default action, so a second one
 * ends the process at once, which is safe too (kill -9 never leaves
 * anything half-written).  Nothing here prints or exits.
 */
#ifndef KH_SIG_H
#define KH_SIG_H

#include "err.h"

/*
 * Catch SIGTERM, SIGINT and SIGHUP, except those ignored when the
 * process started (nohup, a background job); -1 (errno) on failure.
 */
int	kh_sig_install(void);
/* The signal caught, 0 if none. */
int	kh_sig_pending(void);
/* KH_OK, or KH_FAIL with err "interrupted by SIGxxx" once one came. */
int	kh_sig_check(struct kh_err *);
/* Forget a caught signal (tests). */
void	kh_sig_clear(void);

#endif
