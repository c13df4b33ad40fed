/*
 * test_outdir.c — output folders appear whole or not at all: a first
 * commit creates the folder, a second swaps it whole (no file of the old
 * one survives), an abandoned build leaves the old folder untouched, and
 * leftovers of a crashed run are swept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

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

static void
test_sweep_leftovers(void **state)
{
	struct tdir d;
	char path[1200];

	(void)state;
	tdir_make(&d);
	snprintf(path, sizeof(path), "%s/.2013-05.tmp-999", d.path);
	assert_int_equal(mkdir(path, 0755), 0);
	put(path, "scores.csv", "crashed");
	snprintf(path, sizeof(path), "%s/2013-05", d.path);
	assert_int_equal(mkdir(path, 0755), 0);
	kh_outdir_sweep(d.path);
	assert_false(exists(d.path, ".2013-05.tmp-999"));
	assert_true(exists(d.path, "2013-05"));
	tdir_remove(&d);
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
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
