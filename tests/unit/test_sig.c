/*
 * test_sig.c — SIGTERM, SIGINT and SIGHUP stop a run cleanly: the signal
 * does not kill, it is recorded; from then on the library refuses to
 * begin a transaction, save a document or swap an output folder in
 * ("interrupted by SIGTERM"), and stops waiting for a lock at once.  A
 * second signal kills as usual.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "lock.h"
#include "outdir.h"
#include "render.h"
#include "sig.h"
#include "store_test_util.h"

static int
reset(void **state)
{
	(void)state;
	signal(SIGTERM, SIG_DFL);	/* even if started in the background */
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	kh_sig_clear();
	return kh_sig_install();
}

static void
test_signal_recorded_not_fatal(void **state)
{
	struct kh_err err;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	static const char *const names[] = { "SIGTERM", "SIGINT", "SIGHUP" };
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		kh_sig_clear();
		signal(sigs[i], SIG_DFL);
		assert_int_equal(kh_sig_install(), 0);
		assert_int_equal(kh_sig_check(&err), KH_OK);
		raise(sigs[i]);
		assert_int_equal(kh_sig_pending(), sigs[i]);
		kh_err_clear(&err);
		assert_int_equal(kh_sig_check(&err), KH_FAIL);
		snprintf(want, sizeof(want), "interrupted by %s", names[i]);
		assert_string_equal(err.msg, want);
	}
}

/* An ignored signal stays ignored (nohup kaohe ...). */
static void
test_ignored_stays_ignored(void **state)
{
	(void)state;
	signal(SIGHUP, SIG_IGN);
	assert_int_equal(kh_sig_install(), 0);
	raise(SIGHUP);
	assert_int_equal(kh_sig_pending(), 0);
	signal(SIGHUP, SIG_DFL);
}

/* The first signal restores the default: a second one kills. */
static void
test_second_signal_kills(void **state)
{
	pid_t child;
	int status;

	(void)state;
	if ((child = fork()) == 0) {
		kh_sig_install();
		raise(SIGTERM);
		if (kh_sig_pending() != SIGTERM)
			_exit(1);
		raise(SIGTERM);
		_exit(2);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
}

static void
test_no_transaction_after_signal(void **state)
{
	struct tdir d;
	struct kh_store *st = NULL;
	struct kh_err err;
	char path[128];

	(void)state;
	tdir_make(&d);
	tdir_file(&d, "k.db", path, sizeof(path));
	assert_int_equal(kh_store_open(path, &st, &err), KH_OK);
	raise(SIGTERM);
	kh_err_clear(&err);
	assert_int_equal(kh_store_begin(st, &err), KH_FAIL);
	assert_string_equal(err.msg, "interrupted by SIGTERM");
	kh_sig_clear();
	assert_int_equal(kh_store_begin(st, &err), KH_OK);
	kh_store_rollback(st);
	kh_store_close(st);
	tdir_remove(&d);
}

/* No document is saved and no output folder swapped in after a signal. */
static void
test_no_output_after_signal(void **state)
{
	struct tdir d;
	struct kh_outdir *o = NULL;
	struct kh_doc_opts opts;
	struct kh_doc *doc;
	struct kh_err err;
	char path[1200];
	struct stat sb;

	(void)state;
	tdir_make(&d);
	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	memset(&opts, 0, sizeof(opts));
	assert_non_null(doc = kh_doc_new(&opts, &err));
	kh_doc_para(doc, 12, KH_LEFT, "考核", 0);
	snprintf(path, sizeof(path), "%s/team.pdf", kh_outdir_path(o));
	raise(SIGINT);
	kh_err_clear(&err);
	assert_int_equal(kh_doc_save(doc, path, &err), KH_FAIL);
	assert_string_equal(err.msg, "interrupted by SIGINT");
	kh_doc_free(doc);
	assert_int_not_equal(stat(path, &sb), 0);
	assert_int_equal(kh_outdir_commit(o, &err), KH_FAIL);
	kh_outdir_free(o);
	snprintf(path, sizeof(path), "%s/2013-05", d.path);
	assert_int_not_equal(stat(path, &sb), 0);
	tdir_remove(&d);
}

/* A run waiting for the lock stops at once, not after the whole wait. */
static void
test_lock_wait_interrupted(void **state)
{
	struct tdir d;
	struct kh_lock *l = NULL;
	struct kh_err err;
	struct timespec t0, t1;
	char db[128], c;
	int ready[2], status;
	pid_t child;

	(void)state;
	tdir_make(&d);
	tdir_file(&d, "k.db", db, sizeof(db));
	assert_int_equal(pipe(ready), 0);
	if ((child = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (kh_lock_acquire(db, 0, &l, NULL) != KH_OK)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	raise(SIGHUP);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kh_err_clear(&err);
	assert_int_equal(kh_lock_acquire(db, 5000, &l, &err), KH_FAIL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(err.msg, "interrupted by SIGHUP");
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	tdir_remove(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_signal_recorded_not_fatal, reset),
		cmocka_unit_test_setup(test_ignored_stays_ignored, reset),
		cmocka_unit_test_setup(test_second_signal_kills, reset),
		cmocka_unit_test_setup(test_no_transaction_after_signal, reset),
		cmocka_unit_test_setup(test_no_output_after_signal, reset),
		cmocka_unit_test_setup(test_lock_wait_interrupted, reset),
	};

	return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
