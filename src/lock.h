/*
 * lock.h — one run at a time per database.
 *
 * Two locks, both held for the life of the process and dropped by the
 * kernel when it dies (a crashed run never leaves a stale lock):
 *
 * - an fcntl write lock on "<db>.lock", which holds the holder's pid and
 *   serialises runs on one path even before the database exists.  The
 *   lock file is opened without following a symbolic link and must be a
 *   plain file with one name, so it can never be turned against another
 *   file (root truncating a symlink's target);
 * - once the database exists, a flock() on the database file itself, so
 *   that the same database reached through another name (a symbolic or
 *   hard link, another path to its folder) is refused too.  flock()
 *   locks are separate from the POSIX locks SQLite takes on the file.
 *
 * Release the lock only after the database is closed: closing any
 * descriptor of the database file drops all of the process's POSIX locks
 * on it, SQLite's included.
 */
#ifndef KH_LOCK_H
#define KH_LOCK_H

#include "err.h"

struct kh_lock;

/*
 * Take the lock for db_path, retrying for up to wait_ms.  KH_FAIL when
 * another process keeps it (err names the pid when it can be known), on
 * a symbolic link or anything but a plain file at the lock path, when a
 * signal comes while waiting (sig.h), or on system errors.
 */
int	kh_lock_acquire(const char *db_path, int wait_ms, struct kh_lock **out,
	    struct kh_err *);
void	kh_lock_release(struct kh_lock *);

#endif
