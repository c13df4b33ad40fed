/*
 * test_import.c — the importer: a good file of each kind (values checked
 * by hand), every validation rule with a bad file (message names the line
 * and the problem, database unchanged), encodings, idempotence,
 * supersession, voids, hostile XML, closed months, bounded memory, and
 * the dependency order of a set of files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "date.h"
#include "import.h"
#include "scheme.h"
#include "store_test_util.h"

#define FIX	"tests/unit/fixtures/import/"
#define SCHEME	"templates/scheme-2013.xml"
#define GEN	"2013-05-25T10:00:00+08:00"	/* of inline exports */

struct fixture {
	struct tdir		 dir;
	char			 db[128];
	struct kh_store		*st;
	struct kh_scheme	*sc;
	int			 n;		/* files written so far */
	int			 n_scheme_calls, scheme_year;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kh_err err;

	tdir_make(&f->dir);
	tdir_file(&f->dir, "kaohe.db", f->db, sizeof(f->db));
	if (kh_store_open(f->db, &f->st, &err) != KH_OK ||
	    kh_scheme_load(SCHEME, &f->sc, &err) != KH_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	kh_store_close(f->st);
	kh_scheme_free(f->sc);
	tdir_remove(&f->dir);
	free(f);
	return 0;
}

static int
import(struct fixture *f, const char *path, struct kh_import_summary *sum,
    struct kh_err *err)
{
	kh_err_clear(err);
	return kh_import_file(f->st, f->sc, path, sum, err);
}

static void
import_ok(struct fixture *f, const char *path)
{
	struct kh_import_summary sum;
	struct kh_err err;
	char buf[1200];

	if (import(f, path, &sum, &err) != KH_OK)
		fail_msg("%s", kh_err_format(&err, buf, sizeof(buf)));
}

/* roster, brands, targets, orders and assessments of 2013-05. */
static void
import_base(struct fixture *f)
{
	import_ok(f, FIX "roster-2013-05.xml");
	import_ok(f, FIX "brands-2013-05.xml");
	import_ok(f, FIX "targets-2013-05.xml");
	import_ok(f, FIX "orders-2013-05-17.xml");
	import_ok(f, FIX "assessments-2013-05.xml");
}

/*
 * Write an export into the test directory: line 1 the declaration,
 * line 2 the root, the body from line 3.  Returns the path in out.
 */
static void
export(struct fixture *f, const char *kind, const char *period,
    const char *gen, const char *body, char *out, size_t len)
{
	char text[8192], name[32];

	snprintf(text, sizeof(text), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<export kind=\"%s\" unit=\"530421\" period=\"%s\" generated=\"%s\">\n"
	    "%s</export>\n", kind, period, gen, body);
	snprintf(name, sizeof(name), "f%03d.xml", ++f->n);
	tdir_write(&f->dir, name, text, 0, out, len);
}

/* ---- good files ---------------------------------------------------------- */

static void
test_good_files(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char unit[KH_CODE_MAX], name[256];

	assert_int_equal(import(f, FIX "roster-2013-05.xml", &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "roster 2013-05: 3 managers, 4 customers");
	assert_string_equal(sum.outcome_text, "imported");
	assert_int_equal(sum.n_warnings, 0);
	assert_int_equal(import(f, FIX "brands-2013-05.xml", &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "brands 2013-05: 4 brands");
	assert_int_equal(import(f, FIX "targets-2013-05.xml", &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "targets 2013-05: 11 targets");
	assert_int_equal(import(f, FIX "orders-2013-05-17.xml", &sum, &err), KH_OK);
	assert_string_equal(sum.counts,
	    "orders 2013-05-17: 3 orders, 4 lines, 2 managers");
	assert_int_equal(import(f, FIX "assessments-2013-05.xml", &sum, &err),
	    KH_OK);
	assert_string_equal(sum.counts,
	    "assessments 2013-05: 4 records, 1 voids (0 already on record)");
	assert_int_equal(kh_store_unit(f->st, unit, name, &err), KH_OK);
	assert_string_equal(unit, "530421");
	assert_string_equal(name, "某县烟草专卖局（营销部）");

	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	/* roster, in file order */
	assert_int_equal(in.n_managers, 3);
	assert_string_equal(in.managers[0].id, "KM001");
	assert_string_equal(in.managers[0].name, "张伟");
	assert_string_equal(in.managers[0].group, "城区一组");
	assert_string_equal(in.managers[2].id, "KM003");
	assert_int_equal(in.managers[2].left, 1);
	assert_int_equal(in.n_customers, 4);
	assert_string_equal(in.customers[2].manager, "KM003");
	assert_int_equal(in.customers[0].open, 1);
	assert_int_equal(in.customers[2].open, 0);	/* suspended */
	/* brands: tar in hundredths of a mg */
	assert_int_equal(in.n_brands, 4);
	assert_int_equal(in.brands[2].price_class, 5);
	assert_int_equal(in.brands[2].tar, 800);
	assert_int_equal(in.brands[3].tar, 1050);
	/* targets in hundredths; given points kept */
	assert_int_equal(in.n_key_brands, 1);
	assert_string_equal(in.key_brands[0], "6901028075015");
	assert_int_equal(in.n_targets, 11);
	assert_string_equal(in.targets[0].indicator, "total_volume");
	assert_int_equal(in.targets[0].value, 32050);
	assert_int_equal(in.targets[0].has_points, 1);
	assert_int_equal(in.targets[0].points, 2000);
	assert_int_equal(in.targets[1].has_points, 0);
	assert_int_equal(in.targets[9].value, 0);	/* KM002 key brand: none */
	/* orders: KM001 075015 = 5 + 2 条, 1150.00 + 460.50 元 */
	assert_int_equal(in.n_volumes, 3);
	assert_string_equal(in.volumes[0].manager, "KM001");
	assert_string_equal(in.volumes[0].brand, "6901028075015");
	assert_int_equal(in.volumes[0].qty, 7);
	assert_int_equal(in.volumes[0].amount, 161050);
	assert_string_equal(in.volumes[1].brand, "6901028180559");
	assert_int_equal(in.volumes[1].qty, 20);
	assert_int_equal(in.volumes[1].amount, 140050);
	assert_string_equal(in.volumes[2].manager, "KM002");
	assert_int_equal(in.volumes[2].qty, 3);
	assert_int_equal(in.volumes[2].amount, 69000);
	assert_int_equal(in.n_shelves, 4);
	assert_string_equal(in.shelves[0].customer, "530421100001");
	assert_string_equal(in.shelves[0].brand, "6901028075015");
	assert_string_equal(in.shelves[1].brand, "6901028180559");
	assert_string_equal(in.shelves[3].customer, "530421100004");
	/* records by date then id; the void (listed first in the file) applied */
	assert_int_equal(in.n_records, 4);
	assert_string_equal(in.records[0].id, "KH20130517001");
	assert_int_equal(in.records[0].count, 2);
	assert_int_equal(in.records[0].voided, 1);
	assert_string_equal(in.records[0].void_id, "KH20130520001");
	assert_string_equal(in.records[0].void_reason, "复核后撤销");
	assert_string_equal(in.records[0].void_recorder, "刘洋");
	assert_string_equal(in.records[1].customer, "530421100001");
	assert_int_equal(in.records[1].count, 1);
	assert_string_equal(in.records[2].id, "KH20130528001");
	assert_int_equal(in.records[2].has_points, 1);
	assert_int_equal(in.records[2].points, -200);
	assert_string_equal(in.records[2].decision, "考评小组2013年第5次会议");
	assert_string_equal(in.records[3].id, "KH20130531001");
	assert_int_equal(in.records[3].has_value, 1);
	assert_int_equal(in.records[3].value, 9650);
	assert_int_equal(in.records[3].required, 9800);
	assert_string_equal(in.records[3].role, "统计分析员");
	kh_month_input_clear(&in);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
}

static void
test_unknown_parts_warn(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char path[256];

	export(f, "brands", "2013-05", "2013-05-01T08:00:00+08:00",
	    "<brand code=\"B1\" name=\"x\" class=\"3\" tar=\"9\" colour=\"red\"/>\n"
	    "<packaging code=\"B1\"/>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_int_equal(sum.n_warnings, 2);
	assert_non_null(strstr(sum.warnings[0], ":3: <brand>: unknown "
	    "attribute colour ignored"));
	assert_non_null(strstr(sum.warnings[1], ":4: unknown element "
	    "<packaging> ignored"));
	assert_string_equal(sum.counts, "brands 2013-05: 1 brands");
}

static void
test_long_text_cut(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char body[1024], name[256] = "", path[256];
	int i;

	for (i = 0; i < 67; i++)		/* 201 bytes of UTF-8 */
		strcat(name, "张");
	snprintf(body, sizeof(body), "<manager id=\"KM001\" name=\"%s\" "
	    "status=\"active\"/>\n", name);
	export(f, "roster", "2013-05", GEN, body, path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_int_equal(sum.n_warnings, 1);
	assert_non_null(strstr(sum.warnings[0], "<manager>: name cut to 126 "
	    "bytes"));
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	name[126] = '\0';			/* 42 whole characters */
	assert_string_equal(in.managers[0].name, name);
	kh_month_input_clear(&in);
}

/* ---- every rule, a bad file ------------------------------------------------- */

struct bad_case {
	const char	*what;
	const char	*kind, *period;
	const char	*body;		/* NULL: raw is the whole file */
	const char	*raw;
	long		 line;
	const char	*expect;
};

static const struct bad_case bad_cases[] = {
	/* root */
	{ "kind", "invoices", "2013-05", "", NULL, 2, "kind \"invoices\" is not" },
	{ "period month", "roster", "2013-13", "", NULL, 2, "period \"2013-13\"" },
	{ "period kind", "roster", "2013-05-17", "", NULL, 2,
	  "is not a month (YYYY-MM)" },
	{ "period date", "orders", "2013-02-29", "", NULL, 2, "period" },
	{ "root name", NULL, NULL, NULL,
	  "<?xml version=\"1.0\"?>\n<exports kind=\"roster\"/>\n", 2,
	  "root element must be <export>" },
	{ "generated offset", NULL, NULL, NULL,
	  "<?xml version=\"1.0\"?>\n<export kind=\"brands\" unit=\"530421\" "
	  "period=\"2013-05\" generated=\"2013-05-17T23:40:05\"/>\n", 2,
	  "not an ISO 8601 time with offset" },
	{ "other unit", NULL, NULL, NULL,
	  "<?xml version=\"1.0\"?>\n<export kind=\"brands\" unit=\"530422\" "
	  "period=\"2013-05\" generated=\"2013-05-17T23:40:05Z\"/>\n", 2,
	  "holds unit 530421; the file is of unit 530422" },
	{ "malformed", "brands", "2013-05", "<brand code=\"B1\"\n", NULL, 4,
	  "malformed XML" },
	{ "billion laughs", NULL, NULL, NULL,
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	  " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n"
	  "<export kind=\"brands\" unit=\"530421\" period=\"2013-05\" "
	  "generated=\"2013-05-17T23:40:05Z\">&lol3;</export>\n", -1, "DOCTYPE" },
	{ "external entity", NULL, NULL, NULL,
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE export [ <!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\"> ]>\n<export kind=\"brands\" unit=\"530421\" "
	  "period=\"2013-05\" generated=\"2013-05-17T23:40:05Z\">&x;</export>\n",
	  -1, "DOCTYPE" },
	{ "bad GBK bytes", NULL, NULL, NULL,
	  "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<export kind=\"brands\" "
	  "unit=\"530421\" period=\"2013-05\" generated=\"2013-05-17T23:40:05Z\">"
	  "\n<brand code=\"B1\" name=\"\xff\xff\xff\" class=\"1\" tar=\"1\"/>\n"
	  "</export>\n", 3, "input conversion failed" },
	/* roster */
	{ "manager status", "roster", "2013-05", "<manager id=\"KM001\" "
	  "name=\"a\" status=\"gone\"/>\n", NULL, 3,
	  "status \"gone\" is neither active nor left" },
	{ "manager id", "roster", "2013-05", "<manager id=\"KM 001\" name=\"a\" "
	  "status=\"active\"/>\n", NULL, 3, "id \"KM 001\" is not an identifier" },
	{ "manager name", "roster", "2013-05", "<manager id=\"KM001\" "
	  "status=\"active\"/>\n", NULL, 3, "attribute name is missing" },
	{ "manager from", "roster", "2013-05", "<manager id=\"KM001\" name=\"a\" "
	  "status=\"active\" from=\"2013-02-30\"/>\n", NULL, 3,
	  "from \"2013-02-30\" is not a calendar date" },
	{ "duplicate manager", "roster", "2013-05", "<manager id=\"KM001\" "
	  "name=\"a\" status=\"active\"/>\n<manager id=\"KM001\" name=\"b\" "
	  "status=\"left\"/>\n", NULL, 4, "duplicate manager KM001" },
	{ "customer manager", "roster", "2013-05", "<manager id=\"KM001\" "
	  "name=\"a\" status=\"active\"/>\n<customer id=\"C1\" name=\"c\" "
	  "manager=\"KM009\" status=\"open\"/>\n", NULL, 4,
	  "manager KM009 is not a manager of this roster" },
	{ "customer status", "roster", "2013-05", "<manager id=\"KM001\" "
	  "name=\"a\" status=\"active\"/>\n<customer id=\"C1\" name=\"c\" "
	  "manager=\"KM001\" status=\"licensed\"/>\n", NULL, 4,
	  "status \"licensed\" is not open, suspended or closed" },
	/* brands */
	{ "brand class", "brands", "2013-05", "<brand code=\"B1\" name=\"b\" "
	  "class=\"6\" tar=\"8\"/>\n", NULL, 3, "class 6 is not a price class" },
	{ "brand class word", "brands", "2013-05", "<brand code=\"B1\" "
	  "name=\"b\" class=\"一类\" tar=\"8\"/>\n", NULL, 3,
	  "class \"一类\" is not a whole number" },
	{ "brand tar", "brands", "2013-05", "<brand code=\"B1\" name=\"b\" "
	  "class=\"2\" tar=\"8mg\"/>\n", NULL, 3, "tar \"8mg\" is not a decimal" },
	/* targets */
	{ "indicator", "targets", "2013-05", "<target manager=\"KM001\" "
	  "indicator=\"profit\" value=\"1\"/>\n", NULL, 3,
	  "indicator profit is not an indicator of the scheme" },
	{ "target decimals", "targets", "2013-05", "<target manager=\"KM001\" "
	  "indicator=\"total_volume\" value=\"1.234\"/>\n", NULL, 3,
	  "value \"1.234\" is not a decimal with at most 2 decimal places" },
	{ "target negative", "targets", "2013-05", "<target manager=\"KM001\" "
	  "indicator=\"total_volume\" value=\"-5\"/>\n", NULL, 3, "(no sign)" },
	{ "target manager", "targets", "2013-05", "<target manager=\"KM009\" "
	  "indicator=\"total_volume\" value=\"5\"/>\n", NULL, 3,
	  "manager KM009 is not in the roster of 2013-05" },
	{ "key brand", "targets", "2013-05", "<key-brand code=\"6901028099999\"/>"
	  "\n", NULL, 3, "key brand 6901028099999 is not in the brands of 2013-05" },
	{ "targets without roster", "targets", "2013-07", "<target "
	  "manager=\"KM001\" indicator=\"total_volume\" value=\"5\"/>\n", NULL, 3,
	  "no roster file for 2013-07 has been imported yet" },
	{ "points sum", "targets", "2013-05",
	  "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\"/>\n"
	  "<target manager=\"KM001\" indicator=\"low_grade_volume\" value=\"1\"/>\n"
	  "<target manager=\"KM001\" indicator=\"low_tar_volume\" value=\"1\"/>\n"
	  "<target manager=\"KM001\" indicator=\"revenue_per_case\" value=\"1\" "
	  "points=\"25\"/>\n", NULL, 6,
	  "manager KM001's targets add up to 65.00, not to the scheme's "
	  "quantitative total 60.00" },
	/* given points that wrap around int64_t to exactly 60: 2 × (2^63 − 1)
	 * + 5 (moved from key_brand_volume) + 30.02 + 25 (20 + the shelf
	 * rate's 5) ≡ 60.00; saturating sums refuse them */
	{ "points wrap", "targets", "2013-05",
	  "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\" "
	  "points=\"92233720368547758.07\"/>\n"
	  "<target manager=\"KM001\" indicator=\"low_grade_volume\" value=\"1\" "
	  "points=\"92233720368547758.07\"/>\n"
	  "<target manager=\"KM001\" indicator=\"low_tar_volume\" value=\"1\" "
	  "points=\"30.02\"/>\n"
	  "<target manager=\"KM001\" indicator=\"revenue_per_case\" value=\"1\"/>"
	  "\n", NULL, 3, "manager KM001's targets add up to 92233720368547758.07, "
	  "not to the scheme's quantitative total 60.00" },
	/* orders */
	{ "order date", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-17\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "</order>\n", NULL, 3, "date 2013-05-17 is outside the file's period "
	  "2013-05-18" },
	{ "order real date", "orders", "2013-04", "<order id=\"DD1\" "
	  "date=\"2013-04-31\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "</order>\n", NULL, 3, "date \"2013-04-31\" is not a calendar date" },
	{ "qty zero", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"0\" amount=\"0\"/>\n</order>\n",
	  NULL, 4, "qty 0 is not a positive whole number" },
	{ "qty fraction", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"2.5\" amount=\"1\"/>\n</order>\n",
	  NULL, 4, "qty \"2.5\" is not a whole number" },
	{ "amount decimals", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"2\" amount=\"1.005\"/>\n</order>\n",
	  NULL, 4, "amount \"1.005\" is not a decimal with at most 2" },
	{ "qty bound", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"1000001\" amount=\"1\"/>\n"
	  "</order>\n", NULL, 4, "qty 1000001 is not a positive whole number "
	  "of 条 (at most 1000000)" },
	{ "amount bound", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"1\" amount=\"1\"/>\n"
	  "<line brand=\"6901028075015\" qty=\"1\" "
	  "amount=\"1000000000.01\"/>\n</order>\n", NULL, 5, "amount "
	  "1000000000.01 元 is more than an order line can plausibly hold (at "
	  "most 1000000000.00 元)" },
	{ "amount int64", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"1\" "
	  "amount=\"100000000000000000\"/>\n</order>\n", NULL, 4,
	  "amount \"100000000000000000\" is not a decimal" },
	{ "brand unknown", "orders", "2013-05-18", "<order id=\"DD201305170007\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "<line brand=\"6901028075015\" qty=\"2\" amount=\"1\"/>\n"
	  "<line brand=\"6901028099999\" qty=\"2\" amount=\"1\"/>\n</order>\n",
	  NULL, 5, "brand 6901028099999 is not in the brands of 2013-05" },
	{ "order customer", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421199999\" manager=\"KM001\">\n"
	  "</order>\n", NULL, 3,
	  "customer 530421199999 is not in the roster of 2013-05" },
	{ "order manager", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM009\">\n"
	  "</order>\n", NULL, 3, "manager KM009 is not in the roster of 2013-05" },
	{ "duplicate order", "orders", "2013-05-18", "<order id=\"DD1\" "
	  "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "</order>\n<order id=\"DD1\" date=\"2013-05-18\" "
	  "customer=\"530421100001\" manager=\"KM001\">\n</order>\n", NULL, 5,
	  "order DD1 appears twice in this file" },
	{ "line outside", "orders", "2013-05-18", "<line brand=\"6901028075015\" "
	  "qty=\"2\" amount=\"1\"/>\n", NULL, 3, "<line> outside an <order>" },
	{ "orders without roster", "orders", "2013-04-30", "<order id=\"DD1\" "
	  "date=\"2013-04-30\" customer=\"530421100001\" manager=\"KM001\">\n"
	  "</order>\n", NULL, 3, "no roster file for 2013-04 has been imported yet" },
	/* assessments */
	{ "item", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"99.9\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "item 99.9 is not an item of the scheme" },
	{ "count", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" count=\"0\" "
	  "recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "count 0 is not a positive whole number" },
	{ "record customer", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" "
	  "customer=\"530421199999\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "customer 530421199999 is not in the roster of 2013-05" },
	{ "customer count", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" count=\"2\" "
	  "customer=\"530421100001\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "a record naming a customer has count 1" },
	{ "rate value", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.5\" required=\"98\" "
	  "recorder=\"r\" role=\"x\"/>\n", NULL, 3, "attribute value is missing" },
	{ "rate decimals", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.5\" value=\"96.505\" "
	  "required=\"98\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "value \"96.505\" is not a decimal" },
	{ "value on unit item", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" value=\"1\" "
	  "required=\"2\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "value and required belong to rate items" },
	{ "panel sign", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"10.1\" points=\"2\" "
	  "decision=\"d\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "points of item 10.1 must be negative" },
	{ "panel decision", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"10.2\" points=\"1.5\" "
	  "recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "attribute decision is missing" },
	{ "panel points", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"10.4\" decision=\"d\" "
	  "recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "panel item 10.4 needs the points" },
	{ "panel above max-points", "assessments", "2013-05-20", "<record "
	  "id=\"KH1\" date=\"2013-05-20\" manager=\"KM001\" item=\"10.2\" "
	  "points=\"10.01\" decision=\"d\" recorder=\"r\" role=\"x\"/>\n",
	  NULL, 3, "points 10.01 of panel item 10.2 are beyond the scheme's "
	  "max-points 10.00" },
	{ "panel below -max-points", "assessments", "2013-05-20", "<record "
	  "id=\"KH1\" date=\"2013-05-20\" manager=\"KM001\" item=\"10.1\" "
	  "points=\"-92233720368547758.08\" decision=\"d\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "points -92233720368547758.08 of panel "
	  "item 10.1 are beyond the scheme's max-points 40.00" },
	{ "points on unit item", "assessments", "2013-05-20", "<record "
	  "id=\"KH1\" date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" "
	  "points=\"-1\" recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "points and decision belong to panel items" },
	{ "once per customer", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"10.3\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "must name a customer" },
	{ "recorder", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" role=\"x\"/>\n",
	  NULL, 3, "attribute recorder is missing" },
	{ "role", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" recorder=\"r\" "
	  "role=\" \"/>\n", NULL, 3, "attribute role is missing" },
	{ "record manager", "assessments", "2013-05-20", "<record id=\"KH1\" "
	  "date=\"2013-05-20\" manager=\"KM009\" item=\"1.3.2\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "manager KM009 is not in the roster of 2013-05" },
	{ "record conflict", "assessments", "2013-05-20", "<record "
	  "id=\"KH20130517001\" date=\"2013-05-17\" manager=\"KM001\" "
	  "item=\"1.3.2\" count=\"3\" recorder=\"王强\" role=\"纪检监察员\" "
	  "note=\"线路抽查漏访2户\"/>\n", NULL, 3, "conflict: record KH20130517001 "
	  "was already delivered with a different count" },
	{ "conflict in one file", "assessments", "2013-05-20", "<record "
	  "id=\"KH9\" date=\"2013-05-20\" manager=\"KM001\" item=\"1.3.2\" "
	  "recorder=\"r\" role=\"x\"/>\n<record id=\"KH9\" date=\"2013-05-20\" "
	  "manager=\"KM002\" item=\"1.3.2\" recorder=\"r\" role=\"x\"/>\n", NULL, 4,
	  "different manager" },
	{ "void unknown", "assessments", "2013-05-20", "<void id=\"V1\" "
	  "record=\"KH404\" date=\"2013-05-20\" reason=\"x\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "void of unknown record KH404" },
	{ "void conflict", "assessments", "2013-05-20", "<void "
	  "id=\"KH20130520001\" record=\"KH20130517001\" date=\"2013-05-20\" "
	  "reason=\"另有原因\" recorder=\"刘洋\" role=\"组长\"/>\n", NULL, 3,
	  "conflict: void KH20130520001" },
	{ "void twice", "assessments", "2013-05-20", "<void id=\"V2\" "
	  "record=\"KH20130517001\" date=\"2013-05-21\" reason=\"x\" "
	  "recorder=\"r\" role=\"x\"/>\n", NULL, 3,
	  "record KH20130517001 is already voided by KH20130520001" },
	{ "void reason", "assessments", "2013-05-20", "<void id=\"V2\" "
	  "record=\"KH20130517002\" date=\"2013-05-21\" recorder=\"r\" "
	  "role=\"x\"/>\n", NULL, 3, "attribute reason is missing" },
};

static void
test_every_rule_rejects(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char before[KH_SHA256_HEX], after[KH_SHA256_HEX], path[256], name[32];
	char buf[1200];
	size_t i;
	int rc;

	import_base(f);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		if (c->body != NULL)
			export(f, c->kind, c->period, GEN, c->body, path,
			    sizeof(path));
		else {
			snprintf(name, sizeof(name), "raw%03zu.xml", i);
			tdir_write(&f->dir, name, c->raw, 0, path, sizeof(path));
		}
		db_digest(f->st, before);
		rc = import(f, path, &sum, &err);
		kh_err_format(&err, buf, sizeof(buf));
		if (rc != KH_REJECT || strstr(err.msg, c->expect) == NULL ||
		    (c->line >= 0 && err.line != c->line) ||
		    strcmp(err.file, path) != 0)
			fail_msg("case \"%s\": status %d, got \"%s\", want line "
			    "%ld and \"%s\"", c->what, rc, buf, c->line,
			    c->expect);
		db_digest(f->st, after);
		if (strcmp(before, after) != 0)
			fail_msg("case \"%s\": the database changed", c->what);
	}
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
}

static void
test_message_names_order(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char path[256], buf[1200], want[400];

	import_base(f);
	export(f, "orders", "2013-05-18", GEN, "<order id=\"DD201305170007\" "
	    "date=\"2013-05-18\" customer=\"530421100001\" manager=\"KM001\">\n"
	    "<line brand=\"6901028099999\" qty=\"2\" amount=\"1\"/>\n</order>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	snprintf(want, sizeof(want), "%s:4: <line id=\"DD201305170007\">: brand "
	    "6901028099999 is not in the brands of 2013-05", path);
	assert_string_equal(kh_err_format(&err, buf, sizeof(buf)), want);
}

static void
test_missing_brands_named(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char path[256];

	import_base(f);
	export(f, "roster", "2013-06", GEN, "<manager id=\"KM001\" name=\"a\" "
	    "status=\"active\"/>\n<customer id=\"C1\" name=\"c\" "
	    "manager=\"KM001\" status=\"open\"/>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	export(f, "orders", "2013-06-03", "2013-06-03T23:00:00+08:00",
	    "<order id=\"DD1\" "
	    "date=\"2013-06-03\" customer=\"C1\" manager=\"KM001\">\n"
	    "<line brand=\"B1\" qty=\"1\" amount=\"1\"/>\n</order>\n", path,
	    sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "no brands file for 2013-06 has been "
	    "imported yet");
}

/* ---- encodings ------------------------------------------------------------------ */

static const char roster_text[] =
    "<?xml version=\"1.0\" encoding=\"%s\"?>\n"
    "<export kind=\"roster\" unit=\"530421\" unit-name=\"某县烟草专卖局（营销部）\" "
    "period=\"2013-05\" generated=\"2013-05-01T08:00:00+08:00\">\n"
    "<manager id=\"KM001\" name=\"张伟\" group=\"城区一组\" status=\"active\"/>\n"
    "<manager id=\"KM002\" name=\"欧阳䶮\" group=\"农村二组\" status=\"left\"/>\n"
    "<customer id=\"C1\" name=\"李记便利店（东门）\" manager=\"KM002\" "
    "status=\"open\"/>\n</export>\n";

/* Convert UTF-8 text to `code` with iconv(3). */
static size_t
convert(const char *code, const char *in, char *out, size_t outlen)
{
	iconv_t cd = iconv_open(code, "UTF-8");
	char *ip = (char *)in, *op = out;
	size_t il = strlen(in), ol = outlen;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	return outlen - ol;
}

static void
import_roster_as(const char *code, const char *bytes, size_t len,
    struct kh_month_input *in, char *encoding)
{
	struct tdir d;
	struct kh_store *st;
	struct kh_scheme *sc;
	struct kh_import_summary sum;
	struct kh_err err;
	char db[128], path[128];

	tdir_make(&d);
	tdir_file(&d, "k.db", db, sizeof(db));
	tdir_write(&d, "roster.xml", bytes, len, path, sizeof(path));
	assert_int_equal(kh_store_open(db, &st, &err), KH_OK);
	assert_int_equal(kh_scheme_load(SCHEME, &sc, &err), KH_OK);
	if (kh_import_file(st, sc, path, &sum, &err) != KH_OK)
		fail_msg("%s: %s", code, err.msg);
	snprintf(encoding, 32, "%s", sum.encoding);
	assert_int_equal(kh_store_load_month(st, "2013-05", in, &err), KH_OK);
	kh_scheme_free(sc);
	kh_store_close(st);
	tdir_remove(&d);
}

static void
test_encodings(void **state)
{
	struct kh_month_input u8, gbk, gb18030;
	char text[4096], bytes[4096], enc[32];
	size_t n;

	(void)state;
	snprintf(text, sizeof(text), roster_text, "UTF-8");
	import_roster_as("UTF-8", text, strlen(text), &u8, enc);
	assert_string_equal(u8.managers[1].name, "欧阳䶮");

	/* 䶮 is not in GBK: the GBK twin uses the GB18030 file's other names */
	snprintf(text, sizeof(text), roster_text, "GB18030");
	n = convert("GB18030", text, bytes, sizeof(bytes));
	assert_true(n != strlen(text) || memcmp(bytes, text, n) != 0);
	import_roster_as("GB18030", bytes, n, &gb18030, enc);
	assert_string_equal(enc, "GB18030");
	assert_int_equal(gb18030.n_managers, u8.n_managers);
	assert_memory_equal(gb18030.managers, u8.managers,
	    u8.n_managers * sizeof(*u8.managers));
	assert_memory_equal(gb18030.customers, u8.customers,
	    u8.n_customers * sizeof(*u8.customers));

	snprintf(text, sizeof(text), roster_text, "GBK");
	{
		/* replace the one character GBK lacks, in both twins */
		char *p = strstr(text, "欧阳䶮");

		memcpy(p + strlen("欧阳"), "伟", strlen("伟"));
	}
	n = convert("GBK", text, bytes, sizeof(bytes));
	import_roster_as("GBK", bytes, n, &gbk, enc);
	assert_string_equal(enc, "GBK");
	assert_string_equal(gbk.managers[0].name, "张伟");
	assert_string_equal(gbk.managers[1].name, "欧阳伟");
	assert_string_equal(gbk.managers[1].group, "农村二组");
	assert_string_equal(gbk.customers[0].name, "李记便利店（东门）");
	assert_memory_equal(gbk.customers, u8.customers,
	    u8.n_customers * sizeof(*u8.customers));
	kh_month_input_clear(&u8);
	kh_month_input_clear(&gbk);
	kh_month_input_clear(&gb18030);
}

/* ---- idempotence, supersession, voids, closed months ---------------------------- */

static void
test_idempotent(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char before[KH_SHA256_HEX], after[KH_SHA256_HEX];

	import_base(f);
	db_digest(f->st, before);
	assert_int_equal(import(f, FIX "orders-2013-05-17.xml", &sum, &err),
	    KH_OK);
	assert_int_equal(sum.outcome, KH_IMPORT_UNCHANGED);
	assert_non_null(strstr(sum.outcome_text, "unchanged (already imported"));
	assert_int_equal(import(f, FIX "assessments-2013-05.xml", &sum, &err),
	    KH_OK);
	assert_int_equal(sum.outcome, KH_IMPORT_UNCHANGED);
	db_digest(f->st, after);
	assert_string_equal(before, after);
}

static void
test_records_redelivered_in_another_file(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char path[256];

	import_base(f);
	/* the same record and void again, plus one new record */
	export(f, "assessments", "2013-05-31", "2013-05-31T18:00:00+08:00",
	    "<record id=\"KH20130531001\" date=\"2013-05-31\" manager=\"KM002\" "
	    "item=\"1.3.5\" value=\"96.5\" required=\"98\" recorder=\"赵敏\" "
	    "role=\"统计分析员\"/>\n"
	    "<void id=\"KH20130520001\" record=\"KH20130517001\" "
	    "date=\"2013-05-20\" reason=\"复核后撤销\" recorder=\"刘洋\" "
	    "role=\"组长\"/>\n"
	    "<record id=\"KH20130531002\" date=\"2013-05-31\" manager=\"KM002\" "
	    "item=\"8.1\" recorder=\"赵敏\" role=\"统计分析员\"/>\n", path,
	    sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "assessments 2013-05-31: 2 records, "
	    "1 voids (2 already on record)");
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM records"), 5);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM voids"), 1);
}

static void
test_targets_supersession(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char path[256];

	import_base(f);
	/* 月中调整: the whole set is replaced, KM002 no longer has targets */
	export(f, "targets", "2013-05", "2013-05-15T09:00:00+08:00",
	    "<key-brand code=\"6901028180559\"/>\n"
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"300\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_non_null(strstr(sum.outcome_text, "supersedes targets 2013-05 of "
	    "2013-05-02T09:00:00+08:00"));
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.n_targets, 1);
	assert_int_equal(in.targets[0].value, 30000);
	assert_int_equal(in.n_key_brands, 1);
	assert_string_equal(in.key_brands[0], "6901028180559");
	kh_month_input_clear(&in);
	/* an adjustment generated before the one in force changes nothing */
	export(f, "targets", "2013-05", "2013-05-10T09:00:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_non_null(strstr(sum.outcome_text, "already superseded"));
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.targets[0].value, 30000);
	kh_month_input_clear(&in);
	/* same instant as the one in force, other content: conflict */
	export(f, "targets", "2013-05", "2013-05-15T01:00:00Z",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"2\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "conflict"));
}

static void
test_day_orders_and_month_file(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char path[256];

	import_base(f);	/* day file 2013-05-17: KM001 075015 7 条 */
	export(f, "orders", "2013-05", "2013-06-01T01:00:00+08:00",
	    "<order id=\"DD1\" date=\"2013-05-17\" customer=\"530421100001\" "
	    "manager=\"KM001\">\n<line brand=\"6901028075015\" qty=\"9\" "
	    "amount=\"2070\"/>\n</order>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_non_null(strstr(sum.outcome_text, "supersedes 1 day file"));
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.n_volumes, 1);
	assert_int_equal(in.volumes[0].qty, 9);
	assert_int_equal(in.volumes[0].amount, 207000);
	kh_month_input_clear(&in);
	/* a day file older than the month file: stale */
	export(f, "orders", "2013-05-20", "2013-05-20T23:00:00+08:00",
	    "", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "stale"));
}

/* Order lines and panel points right at their bounds are accepted. */
static void
test_bounds_accepted(void **state)
{
	struct fixture *f = *state;
	struct kh_month_input in;
	struct kh_err err;
	char path[256];

	import_base(f);	/* day file 2013-05-17: KM001 075015 7 条 1610.50 元 */
	export(f, "orders", "2013-05-18", GEN, "<order id=\"DD9\" "
	    "date=\"2013-05-18\" customer=\"530421100001\" "
	    "manager=\"KM001\">\n<line brand=\"6901028075015\" "
	    "qty=\"1000000\" amount=\"1000000000.00\"/>\n</order>\n", path,
	    sizeof(path));
	import_ok(f, path);
	export(f, "assessments", "2013-05-21", GEN, "<record id=\"KHB1\" "
	    "date=\"2013-05-21\" manager=\"KM001\" item=\"10.2\" "
	    "points=\"10\" decision=\"d\" recorder=\"r\" role=\"x\"/>\n"
	    "<record id=\"KHB2\" date=\"2013-05-21\" manager=\"KM002\" "
	    "item=\"10.1\" points=\"-40.00\" decision=\"d\" recorder=\"r\" "
	    "role=\"x\"/>\n", path, sizeof(path));
	import_ok(f, path);
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.n_volumes, 3);	/* KM001 075015, two others */
	assert_string_equal(in.volumes[0].manager, "KM001");
	assert_string_equal(in.volumes[0].brand, "6901028075015");
	assert_int_equal(in.volumes[0].qty, 1000007);
	assert_int_equal(in.volumes[0].amount, 100000161050LL);
	kh_month_input_clear(&in);
}

/*
 * The month's stored sums past int64_t: SQLite's sum() would stop the
 * load with "integer overflow"; the halves keep it going and the sum is
 * held at INT64_MAX, which the scoring core reports (score.h).  Rows
 * this large take 10 million lines a file, so the test writes them into
 * the database directly.
 */
static void
test_month_sum_beyond_int64(void **state)
{
	struct fixture *f = *state;
	struct kh_month_input in;
	struct kh_err err;
	char path[256];

	import_base(f);
	export(f, "orders", "2013-05-18", GEN, "<order id=\"DD9\" "
	    "date=\"2013-05-18\" customer=\"530421100001\" "
	    "manager=\"KM001\">\n<line brand=\"6901028075015\" qty=\"1\" "
	    "amount=\"1\"/>\n</order>\n", path, sizeof(path));
	import_ok(f, path);
	assert_int_equal(sqlite3_exec(kh_store_db(f->st),
	    "DROP TRIGGER order_volumes_no_update;"
	    "UPDATE order_volumes SET qty = 5000000000000000000,"
	    " amount = 9000000000000000000"
	    " WHERE manager = 'KM001' AND brand = '6901028075015'",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_string_equal(in.volumes[0].manager, "KM001");
	assert_int_equal(in.volumes[0].qty, INT64_MAX);	/* 1e19 */
	assert_int_equal(in.volumes[0].amount, INT64_MAX);	/* 1.8e19 */
	assert_int_equal(in.volumes[1].qty, 20);	/* the others exact */
	kh_month_input_clear(&in);
}

static void
test_void_before_record(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char voidf[256], recf[256];

	import_base(f);
	export(f, "assessments", "2013-05-22", GEN, "<void id=\"V9\" "
	    "record=\"KH20130521001\" date=\"2013-05-22\" reason=\"撤销\" "
	    "recorder=\"刘洋\" role=\"组长\"/>\n", voidf, sizeof(voidf));
	export(f, "assessments", "2013-05-21", GEN, "<record "
	    "id=\"KH20130521001\" date=\"2013-05-21\" manager=\"KM002\" "
	    "item=\"9.1\" recorder=\"王强\" role=\"纪检监察员\"/>\n", recf,
	    sizeof(recf));
	assert_int_equal(import(f, voidf, &sum, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "void of unknown record KH20130521001"));
	assert_int_equal(import(f, recf, &sum, &err), KH_OK);
	/* tried again at the next run, it now takes effect */
	assert_int_equal(import(f, voidf, &sum, &err), KH_OK);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM voids "
	    "WHERE record = 'KH20130521001'"), 1);
}

static void
test_closed_month_refused(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_err err;
	char path[256], before[KH_SHA256_HEX], after[KH_SHA256_HEX];

	import_base(f);
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	db_digest(f->st, before);
	export(f, "orders", "2013-05-18", GEN, "", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "month 2013-05 is closed"));
	/* a June file with a record dated in May */
	export(f, "assessments", "2013-06", "2013-06-02T18:00:00+08:00", "<record id=\"KH7\" "
	    "date=\"2013-05-30\" manager=\"KM001\" item=\"8.1\" recorder=\"r\" "
	    "role=\"x\"/>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "month 2013-05 is closed"));
	/* a void of a May record */
	export(f, "assessments", "2013-06", "2013-06-02T18:00:00+08:00", "<void id=\"V7\" "
	    "record=\"KH20130517002\" date=\"2013-06-02\" reason=\"x\" "
	    "recorder=\"r\" role=\"x\"/>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "month 2013-05 is closed"));
	db_digest(f->st, after);
	assert_string_equal(before, after);
	/* reopened with a reason, the same file goes in */
	assert_int_equal(kh_store_reopen_month(f->st, "2013-05", "补录撤销",
	    &err), KH_OK);
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
}

/* ---- memory does not grow with the file ---------------------------------------- */

#ifdef __SANITIZE_ADDRESS__
/*
 * AddressSanitizer keeps freed memory in a quarantine (256 MB by default),
 * which would make peak RSS track the allocations made, not the memory in
 * use; a small quarantine keeps the bound meaningful under `make san`.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "quarantine_size_mb=4";
}
#endif

static long
max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
test_memory_bound(void **state)
{
	static const char *brands[] = { "6901028075015", "6901028001915",
	    "6901028180559", "6901028055000" };
	static const char *customers[] = { "530421100001", "530421100002",
	    "530421100003", "530421100004" };
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char path[256];
	long base, i, k;
	FILE *out;

	import_ok(f, FIX "roster-2013-05.xml");
	import_ok(f, FIX "brands-2013-05.xml");
	tdir_file(&f->dir, "orders-big.xml", path, sizeof(path));
	assert_non_null(out = fopen(path, "w"));
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export "
	    "kind=\"orders\" unit=\"530421\" period=\"2013-05\" "
	    "generated=\"2013-06-01T02:00:00+08:00\">\n");
	/* 100,000 orders of 3 lines: 300,000 lines, every line 1 条, 1.01 元 */
	for (i = 0; i < 100000; i++) {
		fprintf(out, "<order id=\"DD%08ld\" date=\"2013-05-%02ld\" "
		    "customer=\"%s\" manager=\"KM00%ld\">\n", i, 1 + i % 31,
		    customers[i % 4], 1 + i % 3);
		for (k = 0; k < 3; k++)
			fprintf(out, "  <line brand=\"%s\" qty=\"1\" "
			    "amount=\"1.01\"/>\n", brands[(i + k) % 4]);
		fprintf(out, "</order>\n");
	}
	fprintf(out, "</export>\n");
	assert_int_equal(fclose(out), 0);

	base = max_rss_kb();
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "orders 2013-05: 100000 orders, "
	    "300000 lines, 3 managers");
	/* 64 MB over the baseline for a ~20 MB file of 300k lines */
	print_message("peak RSS grew by %ld kB\n", max_rss_kb() - base);
	assert_in_range(max_rss_kb() - base, 0, 64 * 1024);
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.n_volumes, 12);	/* 3 managers x 4 brands */
	{
		int64_t qty = 0, amount = 0;
		size_t j;

		for (j = 0; j < in.n_volumes; j++) {
			qty += in.volumes[j].qty;
			amount += in.volumes[j].amount;
		}
		assert_int_equal(qty, 300000);
		assert_int_equal(amount, 300000 * 101);
	}
	/* customer c (i % 4) orders brands c, c+1, c+2 (mod 4): 4 x 3 */
	assert_int_equal(in.n_shelves, 12);
	kh_month_input_clear(&in);
	/* aggregated rows, never lines: at most 31 days x 3 x 4 */
	assert_in_range(db_int(f->st, "SELECT count(*) FROM order_volumes"), 1,
	    31 * 3 * 4);
}

/* ---- dependency order ---------------------------------------------------------- */

static void
test_import_order(void **state)
{
	struct fixture *f = *state;
	char p[7][256];
	const char *paths[7];
	size_t order[7], i;
	struct kh_err err;

	export(f, "assessments", "2013-05", GEN, "", p[0], sizeof(p[0]));
	export(f, "orders", "2013-05", "2013-06-01T00:00:00+08:00", "", p[1],
	    sizeof(p[1]));
	export(f, "orders", "2013-05-17", "2013-05-17T23:00:00+08:00", "", p[2],
	    sizeof(p[2]));
	/* later instant written in another offset: 16:00Z = 2013-05-18T00:00+08 */
	export(f, "targets", "2013-05", "2013-05-15T16:00:00Z", "", p[3],
	    sizeof(p[3]));
	export(f, "targets", "2013-05", "2013-05-15T09:00:00+08:00", "", p[4],
	    sizeof(p[4]));
	tdir_write(&f->dir, "junk.xml", "not xml", 0, p[5], sizeof(p[5]));
	export(f, "roster", "2013-05", GEN, "", p[6], sizeof(p[6]));
	for (i = 0; i < 7; i++)
		paths[i] = p[i];
	assert_int_equal(kh_import_order(paths, 7, order, &err), KH_OK);
	assert_int_equal(order[0], 6);	/* roster */
	assert_int_equal(order[1], 4);	/* targets, earlier instant */
	assert_int_equal(order[2], 3);
	assert_int_equal(order[3], 2);	/* day orders before the month file */
	assert_int_equal(order[4], 1);
	assert_int_equal(order[5], 0);	/* assessments */
	assert_int_equal(order[6], 5);	/* unreadable last */
}

/* ---- issue 8: a bad file must not hurt a month ---------------------------------- */

/* 2013-05-25T12:00:00+08:00, the clock of the tests below. */
#define NOW	1369454400

static int
refuse_2012(void *arg, int year, const struct kh_scheme **out,
    struct kh_err *err)
{
	struct fixture *f = arg;

	f->n_scheme_calls++;
	f->scheme_year = year;
	if (year < 2013)
		return kh_err_sys(err, KH_FAIL, "no assessment scheme for %d",
		    year);
	*out = f->sc;
	return KH_OK;
}

static void
opts_init(struct fixture *f, struct kh_import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->scheme = refuse_2012;
	o->scheme_arg = f;
	o->now = NOW;
}

static int
import_with(struct fixture *f, const struct kh_import_opts *o,
    const char *path, struct kh_import_summary *sum, struct kh_err *err)
{
	kh_err_clear(err);
	return kh_import_file_with(f->st, o, path, sum, err);
}

/* Import must refuse path at line with msg inside, changing nothing. */
static void
refused(struct fixture *f, const struct kh_import_opts *o, const char *path,
    long line, const char *msg)
{
	struct kh_import_summary sum;
	struct kh_err err;
	char before[KH_SHA256_HEX], after[KH_SHA256_HEX], buf[1200];
	int rc;

	db_digest(f->st, before);
	rc = import_with(f, o, path, &sum, &err);
	kh_err_format(&err, buf, sizeof(buf));
	if (rc != KH_REJECT || strstr(err.msg, msg) == NULL ||
	    (line >= 0 && err.line != line) || strcmp(err.file, path) != 0)
		fail_msg("%s: status %d, got \"%s\", want line %ld and \"%s\"",
		    path, rc, buf, line, msg);
	db_digest(f->st, after);
	if (strcmp(before, after) != 0)
		fail_msg("%s: the database changed", path);
}

static int64_t
qty_of_month(struct fixture *f)
{
	struct kh_month_input in;
	struct kh_err err;
	int64_t qty = 0;
	size_t i;

	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	for (i = 0; i < in.n_volumes; i++)
		qty += in.volumes[i].qty;
	kh_month_input_clear(&in);
	return qty;
}

static const char roster_body[] =
    "<manager id=\"KM001\" name=\"张伟\" status=\"active\"/>\n"
    "<customer id=\"530421100001\" name=\"c\" manager=\"KM001\" "
    "status=\"open\"/>\n";

/* A roster relabelled kind="orders": refused at its first manager. */
static void
test_kind_and_content_disagree(void **state)
{
	struct fixture *f = *state;
	struct kh_import_opts o;
	char path[256];
	int64_t qty;

	import_base(f);
	opts_init(f, &o);
	qty = qty_of_month(f);
	export(f, "orders", "2013-05", "2013-05-25T10:00:00+08:00", roster_body,
	    path, sizeof(path));
	refused(f, &o, path, 3, "belongs in a roster file, not in this orders "
	    "file");
	export(f, "roster", "2013-05", GEN, "<manager id=\"KM001\" name=\"a\" "
	    "status=\"active\"/>\n<brand code=\"B1\" name=\"b\" class=\"1\" "
	    "tar=\"1\"/>\n", path, sizeof(path));
	refused(f, &o, path, 4, "belongs in a brands file");
	export(f, "assessments", "2013-05-20", GEN, "<record id=\"KH1\" "
	    "date=\"2013-05-20\" manager=\"KM001\" item=\"8.1\" recorder=\"r\" "
	    "role=\"x\"/>\n<order id=\"DD1\" date=\"2013-05-20\" "
	    "customer=\"530421100001\" manager=\"KM001\"/>\n", path,
	    sizeof(path));
	refused(f, &o, path, 4, "belongs in an orders file");
	assert_int_equal(qty_of_month(f), qty);
}

/* Files with nothing of their kind that would replace data in force. */
static void
test_empty_files_refused(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	char path[256];
	int64_t qty;

	import_base(f);
	opts_init(f, &o);
	qty = qty_of_month(f);
	export(f, "roster", "2013-05", GEN, "", path, sizeof(path));
	refused(f, &o, path, 2, "no <manager> in this roster file: an empty "
	    "roster 2013-05 would replace the one in force");
	export(f, "brands", "2013-05", GEN, "\n", path, sizeof(path));
	refused(f, &o, path, 2, "no <brand> in this brands file");
	export(f, "targets", "2013-05", GEN, "<key-brand "
	    "code=\"6901028075015\"/>\n", path, sizeof(path));
	refused(f, &o, path, 2, "no <target> in this targets file");
	export(f, "orders", "2013-05", GEN, "", path, sizeof(path));
	refused(f, &o, path, 2, "no <order> in this orders file");
	/* only elements of no kind: refused, whatever the kind */
	export(f, "assessments", "2013-05-24", GEN, "<check id=\"1\"/>\n"
	    "<check id=\"2\"/>\n", path, sizeof(path));
	refused(f, &o, path, 2, "only 2 element(s) kaohe does not know");
	/* a day without orders replacing a day with orders */
	export(f, "orders", "2013-05-17", "2013-05-18T01:00:00+08:00", "",
	    path, sizeof(path));
	refused(f, &o, path, 2, "would replace orders-2013-05-17.xml, which "
	    "has orders of 2013-05-17");
	assert_int_equal(qty_of_month(f), qty);
	/* a day without sales, and an assessments file without records */
	export(f, "orders", "2013-05-19", "2013-05-19T23:00:00+08:00", "",
	    path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "orders 2013-05-19: 0 orders, 0 lines, "
	    "0 managers");
	export(f, "assessments", "2013-05-24", GEN, "", path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
}

/* The root against the clock (KAOHE_NOW, or opts.now). */
static void
test_clock(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	char path[256];
	int64_t now;

	import_base(f);
	opts_init(f, &o);
	export(f, "targets", "2013-05", "2031-05-20T09:00:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\"/>\n",
	    path, sizeof(path));
	refused(f, &o, path, 2, "generated 2031-05-20T09:00:00+08:00 is later "
	    "than the clock (");
	/* 11 minutes ahead: refused; 9 minutes: the clocks' tolerance */
	export(f, "targets", "2013-05", "2013-05-25T12:11:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\"/>\n",
	    path, sizeof(path));
	refused(f, &o, path, 2, "is later than the clock");
	export(f, "targets", "2013-05", "2013-05-25T04:09:00Z",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"2\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	/* a period more than one month ahead; June's roster in May is fine */
	export(f, "roster", "2031-05", GEN, roster_body, path, sizeof(path));
	refused(f, &o, path, 2, "period 2031-05 is more than one month ahead "
	    "of the clock");
	export(f, "roster", "2013-07", GEN, roster_body, path, sizeof(path));
	refused(f, &o, path, 2, "period 2013-07 is more than one month ahead");
	export(f, "roster", "2013-06", GEN, roster_body, path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	/* orders and assessments are not generated before their period */
	export(f, "orders", "2013-05-24", "2013-05-23T23:00:00+08:00",
	    "<order id=\"DD1\" date=\"2013-05-24\" customer=\"530421100001\" "
	    "manager=\"KM001\"/>\n", path, sizeof(path));
	refused(f, &o, path, 2, "before the day 2013-05-24 that the file "
	    "reports on");
	export(f, "assessments", "2013-06", GEN, "", path, sizeof(path));
	refused(f, &o, path, 2, "before the month 2013-06");
	/* KAOHE_NOW: epoch seconds or ISO 8601 with offset */
	setenv("KAOHE_NOW", "2013-05-25T12:00:00+08:00", 1);
	assert_int_equal(kh_now(&now, &err), KH_OK);
	assert_int_equal(now, NOW);
	setenv("KAOHE_NOW", "1369454400", 1);
	assert_int_equal(kh_now(&now, &err), KH_OK);
	assert_int_equal(now, NOW);
	setenv("KAOHE_NOW", "yesterday", 1);
	assert_int_equal(kh_now(&now, &err), KH_USAGE);
	unsetenv("KAOHE_NOW");
}

/* The scheme is asked for by the kinds that need one, for their year. */
static void
test_scheme_per_file(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	char path[256];

	opts_init(f, &o);
	export(f, "roster", "2012-12", "2012-12-01T08:00:00+08:00", roster_body,
	    path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	assert_int_equal(f->n_scheme_calls, 0);
	export(f, "targets", "2012-12", "2012-12-02T08:00:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"1\"/>\n",
	    path, sizeof(path));
	refused(f, &o, path, 2, "checked against the assessment scheme of 2012 "
	    "(its indicator codes): no assessment scheme for 2012");
	assert_int_equal(f->scheme_year, 2012);
	import_ok(f, FIX "roster-2013-05.xml");
	import_ok(f, FIX "brands-2013-05.xml");
	f->n_scheme_calls = 0;
	assert_int_equal(import_with(f, &o, FIX "targets-2013-05.xml", &sum,
	    &err), KH_OK);
	assert_int_equal(f->n_scheme_calls, 1);
	assert_int_equal(f->scheme_year, 2013);
	/* a file already imported is skipped without asking */
	assert_int_equal(import_with(f, &o, FIX "targets-2013-05.xml", &sum,
	    &err), KH_OK);
	assert_int_equal(sum.outcome, KH_IMPORT_UNCHANGED);
	assert_int_equal(f->n_scheme_calls, 1);
}

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(99);	/* a hang fails the test program instead of the build */
}

/* Not regular files: refused by name, never opened (a FIFO would block). */
static void
test_not_regular_files(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	char fifo[256], link[256], target[512], path[256];
	const char *paths[2];
	size_t order[2];

	opts_init(f, &o);
	signal(SIGALRM, on_alarm);
	alarm(20);
	tdir_file(&f->dir, "pipe.xml", fifo, sizeof(fifo));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	refused(f, &o, fifo, 0, "a FIFO: refused without opening it");
	paths[0] = fifo;
	export(f, "roster", "2013-05", GEN, roster_body, path, sizeof(path));
	paths[1] = path;
	assert_int_equal(kh_import_order(paths, 2, order, &err), KH_OK);
	assert_int_equal(order[0], 1);
	alarm(0);
	/* a symbolic link: refused under nofollow (run), followed if named */
	tdir_file(&f->dir, "link.xml", link, sizeof(link));
	assert_non_null(realpath(path, target));
	assert_int_equal(symlink(target, link), 0);
	o.nofollow = 1;
	refused(f, &o, link, 0, "a symbolic link is not followed");
	o.nofollow = 0;
	assert_int_equal(import_with(f, &o, link, &sum, &err), KH_OK);
	/* a folder */
	refused(f, &o, f->dir.path, 0, "a folder: refused");
}

/*
 * A hook that rewrites the file in place between the pre-hash and the
 * parse: a manager's name, far enough in that the parser has not read it
 * yet, so that the bytes parsed differ from those pre-hashed.
 */
static void
rewrite_file(void *arg, const char *path)
{
	static char buf[65536];
	FILE *io = fopen(path, "r+");
	size_t n;
	char *p;

	(void)arg;
	assert_non_null(io);
	n = fread(buf, 1, sizeof(buf) - 1, io);
	buf[n] = '\0';
	assert_non_null(p = strstr(buf, "name=\"经理290\""));
	assert_int_equal(fseek(io, (long)(p - buf) + 6, SEEK_SET), 0);
	assert_int_equal(fwrite("张伟", 1, 6, io), 6);
	assert_int_equal(fclose(io), 0);
}

/* 300 managers (about 16 kB) into path. */
static void
big_roster(struct fixture *f, const char *name, char *path, size_t len)
{
	static char text[65536];
	size_t n;
	int i;

	n = (size_t)snprintf(text, sizeof(text), "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?>\n<export kind=\"roster\" unit=\"530421\" "
	    "period=\"2013-05\" generated=\"%s\">\n", GEN);
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "<manager "
		    "id=\"KM%03d\" name=\"经理%03d\" status=\"active\"/>\n", i, i);
	snprintf(text + n, sizeof(text) - n, "</export>\n");
	tdir_write(&f->dir, name, text, 0, path, len);
}

/* The ledger's hash is that of the bytes parsed; a rewrite is refused. */
static void
test_changed_while_read(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	struct stat sb;
	char path[256], hex[KH_SHA256_HEX];
	sqlite3_stmt *s = NULL;

	opts_init(f, &o);
	big_roster(f, "big.xml", path, sizeof(path));
	o.before_parse = rewrite_file;
	refused(f, &o, path, 0, "the file changed while it was being read");
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM files"), 0);
	/* left alone, the SHA-256 and size recorded are the file's */
	big_roster(f, "big.xml", path, sizeof(path));
	o.before_parse = NULL;
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	assert_int_equal(kh_sha256_file(path, hex, &err), KH_OK);
	assert_string_equal(sum.sha256, hex);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sqlite3_prepare_v2(kh_store_db(f->st), "SELECT sha256, "
	    "size FROM files", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), hex);
	assert_int_equal(sqlite3_column_int64(s, 1), sb.st_size);
	sqlite3_finalize(s);
}

/* One pass: rows that refer forward inside the file are settled at its end. */
static void
test_forward_references(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_import_opts o;
	struct kh_err err;
	char path[256];

	opts_init(f, &o);
	export(f, "roster", "2013-05", GEN, "<customer id=\"C1\" name=\"c\" "
	    "manager=\"KM002\" status=\"open\"/>\n<manager id=\"KM001\" "
	    "name=\"a\" status=\"active\"/>\n<customer id=\"C2\" name=\"c\" "
	    "manager=\"KM009\" status=\"open\"/>\n", path, sizeof(path));
	refused(f, &o, path, 3, "manager KM002 is not a manager of this roster");
	export(f, "roster", "2013-05", GEN, "<customer id=\"C1\" name=\"c\" "
	    "manager=\"KM002\" status=\"open\"/>\n<manager id=\"KM002\" "
	    "name=\"a\" status=\"active\"/>\n", path, sizeof(path));
	assert_int_equal(import_with(f, &o, path, &sum, &err), KH_OK);
	assert_string_equal(sum.counts, "roster 2013-05: 1 managers, 1 customers");
}

/* ---- withdrawals --------------------------------------------------------------- */

static int
n_targets_in_force(struct fixture *f, int64_t *first)
{
	struct kh_month_input in;
	struct kh_err err;
	int n;

	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	n = (int)in.n_targets;
	*first = n > 0 ? in.targets[0].value : -1;
	kh_month_input_clear(&in);
	return n;
}

static void
withdraw(struct fixture *f, long id, int want, const char *msg)
{
	struct kh_trail_file e;
	struct kh_err err;
	int rc;

	kh_err_clear(&err);
	rc = kh_store_withdraw(f->st, id, "wrongly delivered", "tester", &e, &err);
	if (rc != want || (msg != NULL && strstr(err.msg, msg) == NULL))
		fail_msg("withdraw #%ld: status %d (%s), want %d and \"%s\"", id,
		    rc, err.msg, want, msg ? msg : "");
}

/*
 * A withdrawn file is out of force: what it superseded is back, its
 * records count no more (and their ids stay taken), and a closed month
 * refuses the withdrawal.
 */
static void
test_withdraw(void **state)
{
	struct fixture *f = *state;
	struct kh_import_summary sum;
	struct kh_month_input in;
	struct kh_err err;
	char path[256], before[KH_SHA256_HEX], after[KH_SHA256_HEX];
	int64_t v;
	long late, month_orders, rec_file;

	import_base(f);		/* targets #3, orders day 17 #4, records #5 */
	assert_int_equal(n_targets_in_force(f, &v), 11);
	export(f, "targets", "2013-05", "2013-05-20T09:00:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"999\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	late = db_int(f->st, "SELECT max(id) FROM files");
	assert_int_equal(n_targets_in_force(f, &v), 1);
	assert_int_equal(v, 99900);
	withdraw(f, late, KH_OK, NULL);
	assert_int_equal(n_targets_in_force(f, &v), 11);
	assert_int_equal(v, 32050);
	withdraw(f, late, KH_USAGE, "already withdrawn");
	withdraw(f, 999, KH_USAGE, "no file #999");
	/* a later file supersedes the one in force, not the withdrawn one */
	export(f, "targets", "2013-05", "2013-05-19T09:00:00+08:00",
	    "<target manager=\"KM001\" indicator=\"total_volume\" value=\"5\"/>\n",
	    path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	assert_non_null(strstr(sum.outcome_text, "supersedes targets 2013-05 of "
	    "2013-05-02"));
	/* a month orders file withdrawn: its day files are back */
	export(f, "orders", "2013-05", "2013-05-25T10:00:00+08:00",
	    "<order id=\"DD1\" date=\"2013-05-17\" customer=\"530421100001\" "
	    "manager=\"KM001\">\n<line brand=\"6901028075015\" qty=\"1\" "
	    "amount=\"1\"/>\n</order>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_OK);
	month_orders = db_int(f->st, "SELECT max(id) FROM files");
	assert_int_equal(qty_of_month(f), 1);
	withdraw(f, month_orders, KH_OK, NULL);
	assert_int_equal(qty_of_month(f), 30);
	/* the assessments file: its records and void count no more */
	rec_file = db_int(f->st, "SELECT file_id FROM records WHERE id = "
	    "'KH20130517001'");
	withdraw(f, rec_file, KH_OK, NULL);
	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err), KH_OK);
	assert_int_equal(in.n_records, 0);
	kh_month_input_clear(&in);
	export(f, "assessments", "2013-05-28", "2013-05-28T18:00:00+08:00",
	    "<record id=\"KH20130528001\" date=\"2013-05-28\" manager=\"KM003\" "
	    "item=\"10.1\" points=\"-2.00\" decision=\"考评小组2013年第5次会议\" "
	    "recorder=\"刘洋\" role=\"组长\"/>\n", path, sizeof(path));
	assert_int_equal(import(f, path, &sum, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "came in a file since withdrawn: its id "
	    "stays taken"));
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
	/* a closed month refuses, the database unchanged */
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	db_digest(f->st, before);
	withdraw(f, 4, KH_REJECT, "month 2013-05 is closed; reopen it");
	db_digest(f->st, after);
	assert_string_equal(before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* first, so that the peak RSS baseline is not someone else's */
		cmocka_unit_test_setup_teardown(test_memory_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_parts_warn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_text_cut, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_every_rule_rejects, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_message_names_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_brands_named, setup,
		    teardown),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test_setup_teardown(test_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_records_redelivered_in_another_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_targets_supersession, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_day_orders_and_month_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds_accepted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_month_sum_beyond_int64, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_void_before_record, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_closed_month_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kind_and_content_disagree,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_files_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scheme_per_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_regular_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_changed_while_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forward_references, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
