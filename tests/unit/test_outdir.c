/*
 * test_outdir.c — output folders appear whole or not at all: a first
 * commit creates the folder, a second swaps it whole (no file of the old
 * one survives), an abandoned build leaves the old folder untouched, and
 * leftovers of a dead run are swept, never those of a live one.
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

#include "outdir.h"
#include "store_test_util.h"

static void
put(const char *dir, const char *name, const char *text)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static int
exists(const char *root, const char *name)
{
	char path[1200];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return stat(path, &sb) == 0;
}

static void
slurp(const char *root, const char *name, char *buf, size_t len)
{
	char path[1200];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
test_swap_whole(void **state)
{
	struct tdir d;
	struct kh_outdir *o = NULL;
	struct kh_err err;
	char buf[64];

	(void)state;
	tdir_make(&d);
	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	assert_false(exists(d.path, "2013-05"));	/* not before commit */
	put(kh_outdir_path(o), "scores.csv", "v1");
	put(kh_outdir_path(o), "old-only.pdf", "x");
	assert_int_equal(kh_outdir_commit(o, &err), KH_OK);
	kh_outdir_free(o);
	slurp(d.path, "2013-05/scores.csv", buf, sizeof(buf));
	assert_string_equal(buf, "v1");

	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	assert_int_equal(kh_outdir_mkdir(o, "scorecards", &err), KH_OK);
	put(kh_outdir_path(o), "scores.csv", "v2");
	/* while building, the old folder is whole */
	slurp(d.path, "2013-05/scores.csv", buf, sizeof(buf));
	assert_string_equal(buf, "v1");
	assert_int_equal(kh_outdir_commit(o, &err), KH_OK);
	kh_outdir_free(o);
	slurp(d.path, "2013-05/scores.csv", buf, sizeof(buf));
	assert_string_equal(buf, "v2");
	assert_false(exists(d.path, "2013-05/old-only.pdf"));
	assert_true(exists(d.path, "2013-05/scorecards"));
	tdir_remove(&d);
}

static void
test_abandon_keeps_old(void **state)
{
	struct tdir d;
	struct kh_outdir *o = NULL;
	struct kh_err err;
	char buf[64], tmp[512];

	(void)state;
	tdir_make(&d);
	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	put(kh_outdir_path(o), "scores.csv", "v1");
	assert_int_equal(kh_outdir_commit(o, &err), KH_OK);
	kh_outdir_free(o);
	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	put(kh_outdir_path(o), "scores.csv", "half");
	snprintf(tmp, sizeof(tmp), "%s", kh_outdir_path(o));
	kh_outdir_free(o);			/* a failed render */
	slurp(d.path, "2013-05/scores.csv", buf, sizeof(buf));
	assert_string_equal(buf, "v1");
	assert_false(exists(tmp, ""));
	tdir_remove(&d);
}

/* The pid of a process that has just ended (and been reaped). */
static pid_t
dead_pid(void)
{
	pid_t p;
	int status;

	if ((p = fork()) == 0)
		_exit(0);
	assert_true(p > 0);
	waitpid(p, &status, 0);
	return p;
}

static void
mkdir_at(const char *root, const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0755), 0);
	put(path, "scores.csv", "x");
}

static void
test_sweep_leftovers(void **state)
{
	struct tdir d;
	struct kh_outdir *o = NULL;
	struct kh_err err;
	char name[64];

	(void)state;
	tdir_make(&d);
	snprintf(name, sizeof(name), ".2013-05.tmp-%ld", (long)dead_pid());
	mkdir_at(d.path, name);
	mkdir_at(d.path, "2013-05");
	kh_outdir_sweep(d.path);
	assert_false(exists(d.path, name));
	assert_true(exists(d.path, "2013-05"));
	/* and a new build sweeps what a dead run left */
	snprintf(name, sizeof(name), ".2013.tmp-%ld", (long)dead_pid());
	mkdir_at(d.path, name);
	assert_int_equal(kh_outdir_begin(d.path, "2013-06", &o, &err), KH_OK);
	assert_false(exists(d.path, name));
	kh_outdir_free(o);
	tdir_remove(&d);
}

/*
 * A live run's build folder (another database writing into the same
 * output folder) is never swept; nor is anything else that only looks
 * like a leftover: a link, a file, another name.
 */
static void
test_sweep_spares_live_and_others(void **state)
{
	struct tdir d, other;
	struct kh_outdir *o = NULL;
	struct kh_err err;
	char live[64], parent[64], link[64], file[64], target[1200],
	    path[1200];
	pid_t dead = dead_pid(), child;
	int status;

	(void)state;
	tdir_make(&d);
	tdir_make(&other);
	if ((child = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* if the test fails */
		pause();
		_exit(0);
	}
	snprintf(live, sizeof(live), ".2013-05.tmp-%ld", (long)child);
	snprintf(parent, sizeof(parent), ".2013.tmp-%ld", (long)getppid());
	snprintf(link, sizeof(link), ".2013-06.tmp-%ld", (long)dead);
	snprintf(file, sizeof(file), ".2013-07.tmp-%ld", (long)dead);
	mkdir_at(d.path, live);
	mkdir_at(d.path, parent);
	mkdir_at(d.path, ".notes.tmp-x");
	mkdir_at(other.path, "keep");
	snprintf(target, sizeof(target), "%s/keep", other.path);
	snprintf(path, sizeof(path), "%s/%s", d.path, link);
	assert_int_equal(symlink(target, path), 0);
	put(d.path, file, "not a folder");
	assert_int_equal(kh_outdir_begin(d.path, "2013-05", &o, &err), KH_OK);
	kh_outdir_free(o);
	kh_outdir_sweep(d.path);
	assert_true(exists(d.path, live));
	assert_true(exists(d.path, parent));
	assert_true(exists(d.path, ".notes.tmp-x"));
	assert_true(exists(d.path, file));
	assert_true(exists(other.path, "keep/scores.csv"));
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	kh_outdir_sweep(d.path);		/* now it is a leftover */
	assert_false(exists(d.path, live));
	tdir_remove(&d);
	tdir_remove(&other);
}

static void
test_bad_names(void **state)
{
	struct tdir d;
	struct kh_outdir *o = NULL;
	struct kh_err err;

	(void)state;
	tdir_make(&d);
	assert_int_equal(kh_outdir_begin(d.path, "../x", &o, &err), KH_FAIL);
	assert_null(o);
	assert_int_equal(kh_outdir_begin(d.path, ".hidden", &o, &err),
	    KH_FAIL);
	assert_int_equal(kh_outdir_begin(d.path, "", &o, &err), KH_FAIL);
	kh_outdir_free(NULL);
	tdir_remove(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap_whole),
		cmocka_unit_test(test_abandon_keeps_old),
		cmocka_unit_test(test_sweep_leftovers),
		cmocka_unit_test(test_sweep_spares_live_and_others),
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
