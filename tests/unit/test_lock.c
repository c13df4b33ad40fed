/*
 * test_lock.c — one run at a time per database: a second taker is refused
 * naming the holder, also when it reaches the same database through a
 * symbolic or hard link; a symbolic link, a second name or a non-file at
 * the lock path is refused and the file it points to left untouched.
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
#include <sys/prctl.h>
#include <sys/stat.h>
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

static const char *const names[] = { "k.db", "k.db.lock", "victim",
	"alias.db", "alias.db.lock", "hard.db", "hard.db.lock", NULL };

static void
in_dir(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static pid_t held_by;	/* a holder() child not ended yet */

/* Each test starts from an empty folder, and no holder left over. */
static int
clean(void **state)
{
	char path[300];
	size_t i;
	int status;

	(void)state;
	if (held_by > 0) {
		kill(held_by, SIGKILL);
		waitpid(held_by, &status, 0);
		held_by = 0;
	}
	for (i = 0; names[i] != NULL; i++) {
		in_dir(names[i], path, sizeof(path));
		unlink(path);
	}
	return 0;
}

static int
teardown(void **state)
{
	clean(state);
	rmdir(dir);
	return 0;
}

static void
put(const char *name, const char *text)
{
	char path[300];
	FILE *f;

	in_dir(name, path, sizeof(path));
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
assert_content(const char *name, const char *text)
{
	char path[300], buf[64];
	FILE *f;
	size_t n;

	in_dir(name, path, sizeof(path));
	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, text);
}

/* A child that holds the lock of path until killed (or we die). */
static pid_t
holder(const char *path)
{
	int ready[2];
	pid_t child;
	char c;

	assert_int_equal(pipe(ready), 0);
	if ((child = fork()) == 0) {
		struct kh_lock *held = NULL;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (kh_lock_acquire(path, 0, &held, NULL) != KH_OK)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	held_by = child;
	close(ready[1]);	/* a child that failed gives EOF, not a hang */
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return child;
}

static void
end(pid_t child)
{
	int status;

	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	held_by = 0;
}

/* A second taker fails after waiting, and names the holder's pid. */
static void
test_second_run_refused_naming_holder(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;
	char pid[32];
	pid_t child;

	(void)state;
	child = holder(db);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 300, &l, &err), KH_FAIL);
	assert_null(l);
	snprintf(pid, sizeof(pid), "process %ld", (long)child);
	assert_non_null(strstr(err.msg, pid));
	end(child);
	/* the kernel dropped the dead holder's lock: no stale lock */
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_OK);
	kh_lock_release(l);
}

/* A symbolic link at the lock path is refused; its target is untouched. */
static void
test_symlink_at_lock_path_refused(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;
	char lockp[300], victim[300];
	struct stat sb;

	(void)state;
	put("victim", "precious");
	in_dir("k.db.lock", lockp, sizeof(lockp));
	in_dir("victim", victim, sizeof(victim));
	assert_int_equal(symlink(victim, lockp), 0);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_FAIL);
	assert_null(l);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_content("victim", "precious");
	/* a dangling link does not create its target either */
	unlink(victim);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_FAIL);
	assert_int_not_equal(lstat(victim, &sb), 0);
}

/* A lock file with a second name (hard link) or a FIFO is refused. */
static void
test_odd_lock_files_refused(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;
	char lockp[300], victim[300];

	(void)state;
	put("victim", "precious");
	in_dir("k.db.lock", lockp, sizeof(lockp));
	in_dir("victim", victim, sizeof(victim));
	assert_int_equal(link(victim, lockp), 0);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, "hard links"));
	assert_content("victim", "precious");
	unlink(lockp);
	assert_int_equal(mkfifo(lockp, 0600), 0);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, "not a plain file"));
}

/*
 * The lock belongs to the database file, not to its name: the same
 * database through a symbolic link or a hard link is refused while held,
 * naming the holder, and free again once the holder is gone.
 */
static void
test_same_db_other_names_refused(void **state)
{
	struct kh_lock *l = NULL;
	struct kh_err err;
	char alias[300], hard[300], pid[32];
	pid_t child;

	(void)state;
	put("k.db", "SQLite format 3");
	in_dir("alias.db", alias, sizeof(alias));
	in_dir("hard.db", hard, sizeof(hard));
	assert_int_equal(symlink("k.db", alias), 0);
	assert_int_equal(link(db, hard), 0);
	child = holder(db);
	snprintf(pid, sizeof(pid), "process %ld", (long)child);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(alias, 200, &l, &err), KH_FAIL);
	assert_null(l);
	assert_non_null(strstr(err.msg, pid));
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(hard, 0, &l, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, pid));
	end(child);
	assert_int_equal(kh_lock_acquire(alias, 0, &l, &err), KH_OK);
	kh_lock_release(l);
	/* and the other way round */
	child = holder(hard);
	assert_int_equal(kh_lock_acquire(db, 0, &l, &err), KH_FAIL);
	end(child);
	assert_content("k.db", "SQLite format 3");
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
		cmocka_unit_test_setup(test_second_run_refused_naming_holder,
		    clean),
		cmocka_unit_test_setup(test_symlink_at_lock_path_refused, clean),
		cmocka_unit_test_setup(test_odd_lock_files_refused, clean),
		cmocka_unit_test_setup(test_same_db_other_names_refused, clean),
		cmocka_unit_test_setup(test_release_null_safe, clean),
	};

	return cmocka_run_group_tests_name("lock", tests, setup, teardown);
}
