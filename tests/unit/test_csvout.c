/*
 * test_csvout.c — scores.csv and annual.csv byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvout.h"
#include "score.h"

static struct kh_scheme *scheme;

static int
setup(void **state)
{
	struct kh_err err;

	(void)state;
	return kh_scheme_load("templates/scheme-2013.xml", &scheme, &err);
}

static int
teardown(void **state)
{
	(void)state;
	kh_scheme_free(scheme);
	return 0;
}

/* Scores in scheme order: total, low grade, low tar, key, shelf, revenue. */
static void
set_result(struct kh_result *r, const char *id, const char *name,
    const char *group, const int64_t sc[6], int64_t ded, int64_t bon)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	snprintf(r->manager, sizeof(r->manager), "%s", id);
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->group, sizeof(r->group), "%s", group);
	r->n_ind = scheme->n_ind;
	for (i = 0; i < scheme->n_ind; i++) {
		snprintf(r->ind[i].code, sizeof(r->ind[i].code), "%s",
		    scheme->ind[i].code);
		r->ind[i].score = sc != NULL ? sc[i] : 0;
		r->quantitative += r->ind[i].score;
	}
	r->deductions = ded;
	r->bonuses = bon;
	r->qualitative = 4000 - ded + bon;
	r->total = r->quantitative + r->qualitative;
}

/* Run writer into memory and compare every byte. */
static void
expect_scores(const struct kh_month_result *m, const char *status,
    const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	struct kh_err err;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kh_csv_write_scores(f, scheme, m, status, &err), KH_OK);
	fclose(f);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
	free(buf);
}

static void
test_scores(void **state)
{
	static const int64_t a[6] = { 1872, 500, 375, 400, 417, 1887 };
	static const int64_t b[6] = { 1250, 250, 0, 0, 0, 2333 };
	static const int64_t c[6] = { 1250, 250, 0, 0, 0, 2333 };
	struct kh_result r[4];
	struct kh_month_result m;

	(void)state;
	/* roster order: KM004 (incomplete), KM003, KM001, KM002 */
	set_result(&r[0], "KM004", "赵\"小\"敏", "城区一组", NULL, 0, 0);
	r[0].incomplete = 1;
	set_result(&r[1], "KM003", "王芳", "城区二组", c, 0, 0);
	set_result(&r[2], "KM001", "张伟", "城区一组", a, 310, 550);
	set_result(&r[3], "KM002", "李娜, 二", "城区二组", b, 0, 0);
	kh_rank(r, 4);
	memset(&m, 0, sizeof(m));
	snprintf(m.month, sizeof(m.month), "2013-05");
	m.results = r;
	m.n = 4;
	/* KM001: 54.51 + (40 − 3.10 + 5.50 = 42.40) = 96.91, rank 1;
	 * KM002 and KM003: 38.33 + 40 = 78.33, rank 2 each, by id */
	expect_scores(&m, "provisional",
	    "\xEF\xBB\xBF"
	    "month,manager_id,manager_name,group,total_volume,low_grade_volume,"
	    "low_tar_volume,key_brand_volume,key_brand_shelf_rate,"
	    "revenue_per_case,quantitative,deductions,bonuses,qualitative,"
	    "total,rank,status\r\n"
	    "2013-05,KM001,张伟,城区一组,18.72,5.00,3.75,4.00,4.17,18.87,54.51,"
	    "3.10,5.50,42.40,96.91,1,provisional\r\n"
	    "2013-05,KM002,\"李娜, 二\",城区二组,12.50,2.50,0.00,0.00,0.00,23.33,"
	    "38.33,0.00,0.00,40.00,78.33,2,provisional\r\n"
	    "2013-05,KM003,王芳,城区二组,12.50,2.50,0.00,0.00,0.00,23.33,"
	    "38.33,0.00,0.00,40.00,78.33,2,provisional\r\n"
	    "2013-05,KM004,\"赵\"\"小\"\"敏\",城区一组,,,,,,,,,,,,,incomplete\r\n");
}

static void
test_scores_columns_by_code(void **state)
{
	static const int64_t a[6] = { 100, 200, 300, 400, 500, 600 };
	struct kh_result r;
	struct kh_month_result m;
	char *buf = NULL, *row;
	size_t len = 0;
	struct kh_err err;
	FILE *f;

	(void)state;
	set_result(&r, "KM1", "甲", "组\n二", a, 0, 0);
	/* a result whose indicators do not sit at the scheme's places
	 * (another scheme order) leaves those columns empty, never shifted */
	snprintf(r.ind[0].code, sizeof(r.ind[0].code), "other");
	kh_rank(&r, 1);
	memset(&m, 0, sizeof(m));
	snprintf(m.month, sizeof(m.month), "2013-06");
	m.results = &r;
	m.n = 1;
	f = open_memstream(&buf, &len);
	assert_int_equal(kh_csv_write_scores(f, scheme, &m, "final", &err), KH_OK);
	fclose(f);
	row = strstr(buf, "\r\n") + 2;
	assert_string_equal(row, "2013-06,KM1,甲,\"组\n二\",,2.00,3.00,4.00,5.00,"
	    "6.00,21.00,0.00,0.00,40.00,61.00,1,final\r\n");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(kh_csv_write_scores(f, scheme, &m, "closed", &err),
	    KH_USAGE);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
}

static void
test_annual(void **state)
{
	struct kh_annual_row rows[3];
	char *buf = NULL;
	size_t len = 0;
	struct kh_err err;
	FILE *f;
	const char *want =
	    "\xEF\xBB\xBF"
	    "year,manager_id,manager_name,group,months,total,rank\r\n"
	    "2013,KM001,张伟,城区一组,12,1100.50,1\r\n"
	    "2013,KM002,\"Li, \"\"Na\"\"\",城区二组,11,1000.00,2\r\n"
	    "2013,KM003,王芳,城区二组,0,0.00,3\r\n";

	(void)state;
	memset(rows, 0, sizeof(rows));
	/* given out of order: the writer orders by rank, then id */
	snprintf(rows[0].manager, KH_CODE_MAX, "KM003");
	snprintf(rows[0].name, KH_NAME_MAX, "王芳");
	snprintf(rows[0].group, KH_NAME_MAX, "城区二组");
	rows[0].rank = 3;
	snprintf(rows[1].manager, KH_CODE_MAX, "KM001");
	snprintf(rows[1].name, KH_NAME_MAX, "张伟");
	snprintf(rows[1].group, KH_NAME_MAX, "城区一组");
	rows[1].months = 12;
	rows[1].total = 110050;
	rows[1].rank = 1;
	snprintf(rows[2].manager, KH_CODE_MAX, "KM002");
	snprintf(rows[2].name, KH_NAME_MAX, "Li, \"Na\"");
	snprintf(rows[2].group, KH_NAME_MAX, "城区二组");
	rows[2].months = 11;
	rows[2].total = 100000;
	rows[2].rank = 2;
	f = open_memstream(&buf, &len);
	assert_int_equal(kh_csv_write_annual(f, 2013, rows, 3, &err), KH_OK);
	fclose(f);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
	free(buf);
}

/*
 * Text cells that a spreadsheet would run as formulas (=, +, -, @, tab,
 * CR first) come out as "'…", quoted; the same characters later in a
 * cell, and numbers, negative ones too, are left as they are.
 */
static void
test_formula_cells(void **state)
{
	static const int64_t neg[6] = { -150, 0, 0, 0, 0, 0 };
	struct kh_result r[3];
	struct kh_month_result m;
	char *buf = NULL, *row;
	size_t len = 0;
	struct kh_err err;
	FILE *f;

	(void)state;
	set_result(&r[0], "-KM9", "=HYPERLINK(\"http://x.example/\",\"工资\")",
	    "@组", neg, 0, 0);
	set_result(&r[1], "KM2", "+86 电话", "\t城区", NULL, 0, 0);
	set_result(&r[2], "KM3", "张=伟", "-", NULL, 0, 0);
	snprintf(r[2].name, sizeof(r[2].name), "\r张=伟");
	kh_rank(r, 3);
	memset(&m, 0, sizeof(m));
	snprintf(m.month, sizeof(m.month), "2013-05");
	m.results = r;
	m.n = 3;
	f = open_memstream(&buf, &len);
	assert_int_equal(kh_csv_write_scores(f, scheme, &m, "final", &err), KH_OK);
	fclose(f);
	row = strstr(buf, "\r\n") + 2;
	/* KM2 and KM3 40.00 (rank 1, by id), -KM9 -1.50 + 40 = 38.50 */
	assert_string_equal(row,
	    "2013-05,KM2,\"'+86 电话\",\"'\t城区\",0.00,0.00,0.00,0.00,0.00,0.00,"
	    "0.00,0.00,0.00,40.00,40.00,1,final\r\n"
	    "2013-05,KM3,\"'\r张=伟\",\"'-\",0.00,0.00,0.00,0.00,0.00,0.00,"
	    "0.00,0.00,0.00,40.00,40.00,1,final\r\n"
	    "2013-05,\"'-KM9\",\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"工资\"\")\","
	    "\"'@组\",-1.50,0.00,0.00,0.00,0.00,0.00,-1.50,0.00,0.00,40.00,"
	    "38.50,3,final\r\n");
	free(buf);
}

/* annual.csv: the same for its text cells; a negative total stays a number. */
static void
test_formula_cells_annual(void **state)
{
	struct kh_annual_row a;
	char *buf = NULL, *row;
	size_t len = 0;
	struct kh_err err;
	FILE *f;

	(void)state;
	memset(&a, 0, sizeof(a));
	snprintf(a.manager, KH_CODE_MAX, "KM1");
	snprintf(a.name, KH_NAME_MAX, "=1+2");
	snprintf(a.group, KH_NAME_MAX, "城区=一组");
	a.months = 1;
	a.total = -150;
	a.rank = 1;
	f = open_memstream(&buf, &len);
	assert_int_equal(kh_csv_write_annual(f, 2013, &a, 1, &err), KH_OK);
	fclose(f);
	row = strstr(buf, "\r\n") + 2;
	assert_string_equal(row, "2013,KM1,\"'=1+2\",城区=一组,1,-1.50,1\r\n");
	free(buf);
}

/* A full disk is named as such, not as a bare "cannot write". */
static void
test_full_disk_named(void **state)
{
	struct kh_annual_row row;
	struct kh_err err;
	FILE *f;

	(void)state;
	memset(&row, 0, sizeof(row));
	snprintf(row.manager, KH_CODE_MAX, "KM001");
	assert_non_null(f = fopen("/dev/full", "w"));
	kh_err_clear(&err);
	assert_int_equal(kh_csv_write_annual(f, 2013, &row, 1, &err), KH_FAIL);
	fclose(f);
	assert_string_equal(err.msg,
	    "cannot write the CSV file: No space left on device");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_scores_columns_by_code),
		cmocka_unit_test(test_annual),
		cmocka_unit_test(test_formula_cells),
		cmocka_unit_test(test_formula_cells_annual),
		cmocka_unit_test(test_full_disk_named),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
