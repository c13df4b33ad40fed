/*
 * test_gen.c — the bundled sample (input/, written by tests/tools/gen.c)
 * is what its README and tests/golden/sample-expected.md say it is.
 *
 * Read through kaohe's own hardened reader (src/xmlin.c), so this also
 * proves that the GBK and GB18030 files decode: every file parses, its
 * root matches its folder, the encodings are the planned ones, orders
 * reference the month's roster and brands and lie in their period, and
 * the April month file is the union of the day files with exactly the
 * one corrected line and the one late order.  Run from the source root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xmlin.h"

#define SAMPLE	"input"

struct files {
	char	 path[128][256];
	int	 n;
};

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every *.xml under dir, recursively, sorted. */
static void
list_xml(const char *dir, struct files *fs)
{
	struct dirent *de;
	struct stat st;
	char p[512];
	DIR *d = opendir(dir);
	size_t len;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= sizeof(fs->path[0]))
			fail_msg("path too long: %s/%s", dir, de->d_name);
		assert_int_equal(stat(p, &st), 0);
		len = strlen(p);
		if (S_ISDIR(st.st_mode)) {
			list_xml(p, fs);
		} else if (len > 4 && strcmp(p + len - 4, ".xml") == 0) {
			assert_true(fs->n < 128);
			memcpy(fs->path[fs->n++], p, len + 1);
		}
	}
	closedir(d);
	qsort(fs->path, (size_t)fs->n, sizeof(fs->path[0]), path_cmp);
}

static void
test_every_file_parses(void **state)
{
	static struct files fs;
	static const char *const kinds[] = { "roster", "brands", "targets", "orders",
		"assessments", NULL };
	struct kh_xml *x = NULL;
	struct kh_err err;
	struct stat st;
	char msg[2048];
	const char *kind, *period, *month;
	long total = 0;
	int i, k, r;

	(void)state;
	fs.n = 0;
	list_xml(SAMPLE, &fs);
	assert_int_equal(fs.n, 60);
	for (i = 0; i < fs.n; i++) {
		assert_int_equal(stat(fs.path[i], &st), 0);
		total += st.st_size;
		if (kh_xml_open(fs.path[i], &x, &err) != KH_OK)
			fail_msg("%s", kh_err_format(&err, msg, sizeof(msg)));
		assert_int_equal(kh_xml_next(x, &err), 1);
		assert_string_equal(kh_xml_name(x), "export");
		assert_string_equal(kh_xml_attr(x, "unit"), "530421");
		assert_string_equal(kh_xml_attr(x, "unit-name"), "某县烟草专卖局（营销部）");
		kind = kh_xml_attr(x, "kind");
		for (k = 0; kinds[k] != NULL && strcmp(kinds[k], kind) != 0; k++)
			;
		assert_non_null(kinds[k]);
		/* input/2013-04/...: the period lies in the folder's month */
		period = kh_xml_attr(x, "period");
		month = fs.path[i] + strlen(SAMPLE) + 1;
		assert_memory_equal(period, month, 7);
		assert_non_null(strstr(fs.path[i], kind));
		while ((r = kh_xml_next(x, &err)) == 1)
			assert_int_equal(kh_xml_depth(x), strcmp(kh_xml_name(x), "line") == 0 ? 2 : 1);
		if (r < 0)
			fail_msg("%s", kh_err_format(&err, msg, sizeof(msg)));
		kh_xml_close(x);
		x = NULL;
	}
	assert_true(total < 3L * 1024 * 1024);
}

/* The declared encoding of path, as the reader sees it. */
static void
expect_encoding(const char *path, const char *enc)
{
	struct kh_xml *x = NULL;
	struct kh_err err;

	assert_int_equal(kh_xml_open(path, &x, &err), KH_OK);
	assert_int_equal(kh_xml_next(x, &err), 1);
	assert_string_equal(kh_xml_encoding(x), enc);
	kh_xml_close(x);
}

static void
test_encodings(void **state)
{
	struct kh_xml *x = NULL;
	struct kh_err err;
	int found = 0;

	(void)state;
	expect_encoding(SAMPLE "/2013-04/roster.xml", "GBK");
	expect_encoding(SAMPLE "/2013-04/assessments/assessments-2013-04-15.xml", "GBK");
	expect_encoding(SAMPLE "/2013-05/orders/orders-2013-05-15.xml", "GBK");
	expect_encoding(SAMPLE "/2013-05/assessments/assessments-2013-05-13.xml", "GBK");
	expect_encoding(SAMPLE "/2013-04/orders/orders-2013-04-18.xml", "GB18030");
	expect_encoding(SAMPLE "/2013-05/targets-adjust-0515.xml", "GB18030");
	expect_encoding(SAMPLE "/2013-05/assessments/assessments-2013-05-20.xml", "GB18030");
	expect_encoding(SAMPLE "/2013-05/roster.xml", "UTF-8");
	/* GBK decodes to the right UTF-8, escapes included */
	assert_int_equal(kh_xml_open(SAMPLE "/2013-04/roster.xml", &x, &err), KH_OK);
	while (kh_xml_next(x, &err) == 1) {
		const char *id = kh_xml_attr(x, "id");

		if (id == NULL)
			continue;
		if (strcmp(id, "KM001") == 0 && ++found)
			assert_string_equal(kh_xml_attr(x, "name"), "张伟");
		if (strcmp(id, "530421100008") == 0 && ++found)
			assert_string_equal(kh_xml_attr(x, "name"), "兄弟&朋友便利店");
		if (strcmp(id, "530421100034") == 0 && ++found)
			assert_string_equal(kh_xml_attr(x, "name"), "“老地方”烟酒店<南门>");
	}
	kh_xml_close(x);
	assert_int_equal(found, 3);
}

/* ---- orders ------------------------------------------------------------- */

#define MAXSET	4096

/* A set of strings (ids of one roster or brands file), linear but small. */
struct set {
	char	*s[MAXSET];
	int	 n;
};

static int
set_has(const struct set *st, const char *s)
{
	int i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->s[i], s) == 0)
			return 1;
	return 0;
}

static void
set_add(struct set *st, const char *s)
{
	assert_true(st->n < MAXSET);
	st->s[st->n] = strdup(s);
	assert_non_null(st->s[st->n]);
	st->n++;
}

static void
set_free(struct set *st)
{
	while (st->n > 0)
		free(st->s[--st->n]);
}

/* Collect attribute attr of elements el of path into st. */
static void
collect(const char *path, const char *el, const char *attr, struct set *st)
{
	struct kh_xml *x = NULL;
	struct kh_err err;

	assert_int_equal(kh_xml_open(path, &x, &err), KH_OK);
	while (kh_xml_next(x, &err) == 1)
		if (strcmp(kh_xml_name(x), el) == 0)
			set_add(st, kh_xml_attr(x, attr));
	kh_xml_close(x);
}

/*
 * Read an orders file into out as one canonical string an order
 * ("id date customer manager | brand qty amount; ..."), checking that it
 * references the month's roster and brands and lies in its period.
 */
static void
read_orders(const char *path, const struct set *cust, const struct set *mgr,
    const struct set *brand, struct set *out)
{
	struct kh_xml *x = NULL;
	struct kh_err err;
	char cur[1024] = "", period[16];
	long qty;
	int r;

	assert_int_equal(kh_xml_open(path, &x, &err), KH_OK);
	assert_int_equal(kh_xml_next(x, &err), 1);
	snprintf(period, sizeof(period), "%s", kh_xml_attr(x, "period"));
	while ((r = kh_xml_next(x, &err)) == 1) {
		if (strcmp(kh_xml_name(x), "order") == 0) {
			if (cur[0] != '\0')
				set_add(out, cur);
			assert_true(strncmp(kh_xml_attr(x, "date"), period, strlen(period)) == 0);
			assert_true(set_has(cust, kh_xml_attr(x, "customer")));
			assert_true(set_has(mgr, kh_xml_attr(x, "manager")));
			snprintf(cur, sizeof(cur), "%s %s %s %s |", kh_xml_attr(x, "id"),
			    kh_xml_attr(x, "date"), kh_xml_attr(x, "customer"),
			    kh_xml_attr(x, "manager"));
		} else {
			assert_true(set_has(brand, kh_xml_attr(x, "brand")));
			qty = strtol(kh_xml_attr(x, "qty"), NULL, 10);
			assert_true(qty >= 1 && qty <= 30);
			assert_non_null(strchr(kh_xml_attr(x, "amount"), '.'));
			snprintf(cur + strlen(cur), sizeof(cur) - strlen(cur), " %s %s %s;",
			    kh_xml_attr(x, "brand"), kh_xml_attr(x, "qty"), kh_xml_attr(x, "amount"));
		}
	}
	assert_int_equal(r, 0);
	if (cur[0] != '\0')
		set_add(out, cur);
	kh_xml_close(x);
}

static void
month_sets(const char *ym, struct set *cust, struct set *mgr, struct set *brand)
{
	char p[128];

	snprintf(p, sizeof(p), SAMPLE "/%s/roster.xml", ym);
	collect(p, "customer", "id", cust);
	collect(p, "manager", "id", mgr);
	snprintf(p, sizeof(p), SAMPLE "/%s/brands.xml", ym);
	collect(p, "brand", "code", brand);
}

static void
test_april_month_file(void **state)
{
	static struct set cust, mgr, brand, days, month;
	static struct files fs;
	int i, missing = 0, extra = 0, ndays = 0;

	(void)state;
	month_sets("2013-04", &cust, &mgr, &brand);
	assert_int_equal(mgr.n, 10);
	assert_int_equal(cust.n, 300);
	assert_int_equal(brand.n, 30);
	fs.n = 0;
	list_xml(SAMPLE "/2013-04/orders", &fs);
	for (i = 0; i < fs.n; i++) {
		if (strstr(fs.path[i], "orders-2013-04.xml") != NULL) {
			read_orders(fs.path[i], &cust, &mgr, &brand, &month);
		} else {
			read_orders(fs.path[i], &cust, &mgr, &brand, &days);
			ndays++;
		}
	}
	assert_int_equal(ndays, 21);	/* April 2013 has 21 working days */
	for (i = 0; i < days.n; i++)
		missing += !set_has(&month, days.s[i]);
	for (i = 0; i < month.n; i++)
		extra += !set_has(&days, month.s[i]);
	/* one order changed (DD201304180007), one added (DD201304260901) */
	assert_int_equal(month.n, days.n + 1);
	assert_int_equal(missing, 1);
	assert_int_equal(extra, 2);
	for (i = 0; i < days.n; i++)
		if (!set_has(&month, days.s[i]))
			assert_memory_equal(days.s[i], "DD201304180007 ", 15);
	set_free(&cust);
	set_free(&mgr);
	set_free(&brand);
	set_free(&days);
	set_free(&month);
}

static void
test_may_orders(void **state)
{
	static struct set cust, mgr, brand, orders;
	static struct files fs;
	int i;

	(void)state;
	month_sets("2013-05", &cust, &mgr, &brand);
	assert_int_equal(cust.n, 301);
	fs.n = 0;
	list_xml(SAMPLE "/2013-05/orders", &fs);
	assert_int_equal(fs.n, 22);	/* May 2013: 22 working days, no month file */
	for (i = 0; i < fs.n; i++)
		read_orders(fs.path[i], &cust, &mgr, &brand, &orders);
	assert_true(orders.n > 1000);
	set_free(&cust);
	set_free(&mgr);
	set_free(&brand);
	set_free(&orders);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_parses),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_april_month_file),
		cmocka_unit_test(test_may_orders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
