/*
 * lock.h — one run at a time per database.
 *
 * An fcntl write lock on "<db>.lock" held for the life of the process;
 * the holder's pid is written into the file so that a second run can say
 * who holds it.  The kernel drops the lock when the holder dies, so a
 * crashed run never leaves a stale lock behind.
 */
#ifndef KH_LOCK_H
#define KH_LOCK_H

#include "err.h"

struct kh_lock;

/*
 * Take the lock for db_path, retrying for up to wait_ms.  KH_FAIL when
 * another process keeps it (err names the pid) or on system errors.
 */
int	kh_lock_acquire(const char *db_path, int wait_ms, struct kh_lock **out,
	    struct kh_err *);
void	kh_lock_release(struct kh_lock *);

#endif
