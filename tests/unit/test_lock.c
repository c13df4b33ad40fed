/*
 * test_lock.c — one run at a time per database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"

static char dir[] = "/tmp/kaohe-lock-XXXXXX";
static char db[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(db, sizeof(db), "%s/k.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s.lock", db);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* A second taker fails after waiting, and names the holder's pid. */
static void
test_second_run_refused_naming_holder(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;
	int ready[2], status;
	char c, pid[32];
	pid_t child;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	if ((child = fork()) == 0) {
		struct kh_lock *held = NULL;

		if (kh_lock_acquire(db, 0, &held, NULL) != KH_OK)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);	/* a child that failed gives EOF, not a hang */
	assert_int_equal(read(ready[0], &c, 1), 1);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 300, &l, &err), KH_FAIL);
	assert_null(l);
	snprintf(pid, sizeof(pid), "process %ld", (long)child);
	assert_non_null(strstr(err.msg, pid));
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	/* the kernel dropped the dead holder's lock: no stale lock */
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_OK);
	kh_lock_release(l);
	close(ready[0]);
}

/*
 * Can another process take the lock right now?  1 yes, 0 no (fcntl
 * locks are per process: the question must be asked from a child).
 */
static int
other_process_can_take(void)
{
	pid_t child;
	int status;

	if ((child = fork()) == 0) {
		struct kh_lock *l = NULL;

		_exit(kh_lock_acquire(db, 0, &l, NULL) == KH_OK ? 0 : 1);
	}
	assert_true(child > 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status) == 0;
}

/*
 * Releasing NULL (what every error path does with a lock it never got)
 * is a no-op: the lock this process holds stays held.  Releasing the
 * real lock then frees it for the next run.
 */
static void
test_release_null_safe(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;

	(void)state;
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_OK);
	assert_non_null(l);
	assert_false(other_process_can_take());
	kh_lock_release(NULL);
	assert_false(other_process_can_take());
	kh_lock_release(l);
	assert_true(other_process_can_take());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_run_refused_naming_holder),
		cmocka_unit_test(test_release_null_safe),
	};

	return cmocka_run_group_tests_name("lock", tests, setup, teardown);
}
