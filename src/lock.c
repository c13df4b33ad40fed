/*
 * lock.c — the per-database run lock (see lock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

struct kh_lock {
	int	fd;
	char	path[4096];
};

static int
try_lock(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	return fcntl(fd, F_SETLK, &fl);
}

static long
holder_pid(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		return (long)fl.l_pid;
	return 0;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
kh_lock_acquire(const char *db_path, int wait_ms, struct kh_lock **out,
    struct kh_err *err)
{
	struct kh_lock *l = NULL;
	char pid[32];
	int waited = 0, rc = KH_FAIL, n;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	l->fd = -1;
	if ((size_t)snprintf(l->path, sizeof(l->path), "%s.lock", db_path)
	    >= sizeof(l->path)) {
		kh_err_sys(err, KH_USAGE, "database path too long");
		rc = KH_USAGE;
		goto out;
	}
	if ((l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		kh_err_sys(err, KH_FAIL, "%s: %s", l->path, strerror(errno));
		goto out;
	}
	while (try_lock(l->fd) != 0) {
		if (errno != EACCES && errno != EAGAIN) {
			kh_err_sys(err, KH_FAIL, "%s: %s", l->path,
			    strerror(errno));
			goto out;
		}
		if (waited >= wait_ms) {
			/* Nothing was done: a failure to run, not a rejection. */
			kh_err_sys(err, KH_FAIL, "database %s is in use by "
			    "process %ld (lock %s); nothing done, try again when "
			    "it is done", db_path, holder_pid(l->fd), l->path);
			goto out;
		}
		sleep_ms(100);
		waited += 100;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, pid, (size_t)n, 0) != n) {
		kh_err_sys(err, KH_FAIL, "%s: %s", l->path, strerror(errno));
		goto out;
	}
	*out = l;
	l = NULL;
	rc = KH_OK;
out:
	kh_lock_release(l);
	return rc;
}

void
kh_lock_release(struct kh_lock *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		close(l->fd);	/* drops the fcntl lock */
	free(l);
}
