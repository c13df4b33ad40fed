/*
 * lock.c — the per-database run lock (see lock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "sig.h"

struct kh_lock {
	int	fd;		/* "<db>.lock", fcntl write lock */
	int	dbfd;		/* the database file, flock(); -1 if not yet made */
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

/*
 * The process holding a flock() on fd's file, from /proc/locks (flock
 * has no F_GETLK); 0 if it cannot be told.
 */
static long
flock_holder(int fd)
{
	struct stat sb;
	char line[256];
	unsigned maj, mnr;
	unsigned long ino;
	long pid, found = 0;
	FILE *f;

	if (fstat(fd, &sb) != 0 || (f = fopen("/proc/locks", "re")) == NULL)
		return 0;
	while (found == 0 && fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "->") != NULL)		/* a waiter */
			continue;
		if (sscanf(line, "%*d: FLOCK %*s %*s %ld %x:%x:%lu", &pid,
		    &maj, &mnr, &ino) == 4 && maj == major(sb.st_dev) &&
		    mnr == minor(sb.st_dev) && ino == sb.st_ino &&
		    pid != (long)getpid())
			found = pid;
	}
	fclose(f);
	return found;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Open "<db>.lock" without following a symbolic link, and accept only a
 * plain file with no other name: the pid is written into it, so it must
 * not be a way to truncate some other file.
 */
static int
open_lockfile(struct kh_lock *l, struct kh_err *err)
{
	struct stat sb;

	l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, 0666);
	if (l->fd < 0 && errno == ELOOP && lstat(l->path, &sb) == 0 &&
	    S_ISLNK(sb.st_mode))
		return kh_err_sys(err, KH_FAIL, "%s is a symbolic link: "
		    "refusing to use it as the lock (remove it; kaohe makes "
		    "its own)", l->path);
	if (l->fd < 0)
		return kh_err_sys(err, KH_FAIL, "%s: %s", l->path,
		    strerror(errno));
	if (fstat(l->fd, &sb) != 0)
		return kh_err_sys(err, KH_FAIL, "%s: %s", l->path,
		    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return kh_err_sys(err, KH_FAIL, "%s is not a plain file: "
		    "refusing to use it as the lock", l->path);
	if (sb.st_nlink != 1)
		return kh_err_sys(err, KH_FAIL, "%s has other names (hard "
		    "links): refusing to use it as the lock", l->path);
	return KH_OK;
}

/*
 * Open the database file itself, through any links (the point is to
 * reach its inode), for the flock.  A database not made yet has none:
 * the run that makes it is covered by the lock file alone.
 */
static int
open_db(struct kh_lock *l, const char *db_path, struct kh_err *err)
{
	struct stat sb;

	l->dbfd = open(db_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (l->dbfd < 0 && errno == ENOENT)
		return KH_OK;
	if (l->dbfd < 0 || fstat(l->dbfd, &sb) != 0)
		return kh_err_sys(err, KH_FAIL, "%s: %s", db_path,
		    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return kh_err_sys(err, KH_FAIL, "%s is not a plain file",
		    db_path);
	return KH_OK;
}

/* Both locks: 0 held, 1 the lock file busy, 2 the database busy, -1 error. */
static int
try_both(struct kh_lock *l)
{
	if (try_lock(l->fd) != 0)
		return errno == EACCES || errno == EAGAIN ? 1 : -1;
	if (l->dbfd < 0 || flock(l->dbfd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	return errno == EWOULDBLOCK ? 2 : -1;
}

static int
busy(struct kh_lock *l, const char *db_path, int which, struct kh_err *err)
{
	long pid = which == 1 ? holder_pid(l->fd) : flock_holder(l->dbfd);
	char who[64];

	if (pid > 0)
		snprintf(who, sizeof(who), "process %ld", pid);
	else
		snprintf(who, sizeof(who), "another process");
	/* Nothing was done: a failure to run, not a rejection. */
	return kh_err_sys(err, KH_FAIL, "database %s is in use by %s (%s); "
	    "nothing done, try again when it is done", db_path, who,
	    which == 1 ? l->path : "the same database file, under another "
	    "name");
}

int
kh_lock_acquire(const char *db_path, int wait_ms, struct kh_lock **out,
    struct kh_err *err)
{
	struct kh_lock *l = NULL;
	char pid[32];
	int waited = 0, rc = KH_FAIL, n, b;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	l->fd = l->dbfd = -1;
	if ((size_t)snprintf(l->path, sizeof(l->path), "%s.lock", db_path)
	    >= sizeof(l->path)) {
		rc = kh_err_sys(err, KH_USAGE, "database path too long");
		goto out;
	}
	if (open_lockfile(l, err) != KH_OK || open_db(l, db_path, err) != KH_OK)
		goto out;
	while ((b = try_both(l)) != 0) {
		if (b < 0) {
			kh_err_sys(err, KH_FAIL, "locking %s: %s", db_path,
			    strerror(errno));
			goto out;
		}
		if (waited >= wait_ms) {
			busy(l, db_path, b, err);
			goto out;
		}
		if (kh_sig_check(err) != KH_OK)
			goto out;
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
	if (l->dbfd >= 0)
		close(l->dbfd);	/* drops the flock */
	if (l->fd >= 0)
		close(l->fd);	/* drops the fcntl lock */
	free(l);
}
