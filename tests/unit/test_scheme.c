/*
 * test_scheme.c — the real 2013 scheme loads with the right numbers, and
 * every inconsistency is refused with a message naming file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chain.h"
#include "scheme.h"

/* A small valid scheme; each bad case below changes one piece of it. */
static const char base[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"			/* 1 */
"<scheme id=\"t\" name=\"测试\" rounding=\"half-away-from-zero\" places=\"2\">\n"
"<quantitative total=\"60\" cap=\"1.00\" case-size=\"250\" "	/* 3 */
"low-grade-classes=\"4 5\" low-tar-max=\"8\">\n"
"<indicator code=\"total_volume\" name=\"卷烟总销量\" unit=\"箱\" points=\"25\" measure=\"volume\" filter=\"all\"/>\n"	/* 4 */
"<indicator code=\"key_brand_volume\" name=\"重点品牌销量\" unit=\"箱\" points=\"5\" measure=\"volume\" filter=\"key_brand\" if-missing=\"total_volume\"/>\n"	/* 5 */
"<indicator code=\"revenue_per_case\" name=\"单箱销售收入\" unit=\"元/箱\" points=\"30\" measure=\"revenue_per_case\"/>\n"	/* 6 */
"</quantitative>\n"
"<qualitative base=\"40\">\n"					/* 8 */
"<group title=\"1、分析\">\n"
"<item code=\"1.1\" kind=\"unit\" sign=\"deduction\" points=\"-0.5\" text=\"漏访\"/>\n"	/* 10 */
"<item code=\"1.2\" kind=\"rate\" sign=\"deduction\" points=\"-0.1\" text=\"成功率\"/>\n"
"<item code=\"1.3\" kind=\"panel\" sign=\"bonus\" max-points=\"5\" text=\"建议\"/>\n"	/* 12 */
"</group>\n"
"<item code=\"2\" kind=\"once-per-customer\" sign=\"bonus\" points=\"2\" text=\"表扬\"/>\n"	/* 14 */
"</qualitative>\n"
"</scheme>\n";

static struct kh_scheme *
load_text(const char *text, struct kh_err *err)
{
	struct kh_scheme *s = (struct kh_scheme *)1;

	kh_err_clear(err);
	if (kh_scheme_load_memory(text, strlen(text), "t.xml", &s, err) != KH_OK) {
		assert_null(s);
		return NULL;
	}
	assert_non_null(s);
	return s;
}

/* base with the first `from` replaced by `to`; must be refused. */
static void
refused(const char *from, const char *to, long line, const char *what)
{
	char text[8192], *p;
	struct kh_err err;
	size_t pre;

	p = strstr(base, from);
	assert_non_null(p);
	pre = (size_t)(p - base);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)pre, base, to,
	    p + strlen(from));
	assert_null(load_text(text, &err));
	assert_int_equal(err.status, KH_FAIL);
	assert_string_equal(err.file, "t.xml");
	if (strstr(err.msg, what) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, what);
	/*
	 * The error is never placed before its element.  xmlin reports the
	 * parser's read-ahead line (xmlTextReaderGetParserLineNumber), which
	 * can be later than the element's; once it reports the node's own
	 * line (xmlGetLineNo) this can become assert_int_equal.
	 */
	assert_true(err.line >= line);
}

static void
test_real_2013(void **state)
{
	struct kh_scheme *s = NULL;
	const struct kh_item_def *it;
	const struct kh_indicator_def *d;
	struct kh_err err;
	char hex[KH_SHA256_HEX];

	(void)state;
	assert_int_equal(kh_scheme_load("templates/scheme-2013.xml", &s, &err),
	    KH_OK);
	assert_string_equal(s->id, "2013");
	assert_string_equal(s->name, "2013年客户经理考核办法");
	/* the fingerprint is the file's own SHA-256 */
	assert_int_equal(kh_sha256_file("templates/scheme-2013.xml", hex, &err),
	    KH_OK);
	assert_string_equal(s->sha256, hex);
	assert_int_equal(s->round_places, 2);
	assert_int_equal(s->quant_total, 6000);
	assert_int_equal(s->cap, 100);
	assert_int_equal(s->case_size, 250);
	assert_int_equal(s->low_grade_classes, (1u << 4) | (1u << 5));
	assert_int_equal(s->low_tar_max, 800);
	assert_int_equal(s->n_ind, 6);
	/* the six indicators, in the method's order, points 20+5+5+5+5+20 */
	assert_string_equal(s->ind[0].code, "total_volume");
	assert_int_equal(s->ind[0].points, 2000);
	assert_string_equal(s->ind[5].code, "revenue_per_case");
	assert_int_equal(s->ind[5].measure, KH_MEASURE_REVENUE_PER_CASE);
	d = kh_scheme_indicator(s, "low_tar_volume");
	assert_non_null(d);
	assert_int_equal(d->filter, KH_FILTER_LOW_TAR);
	assert_int_equal(d->points, 500);
	assert_string_equal(d->name, "低焦油销量");
	d = kh_scheme_indicator(s, "key_brand_shelf_rate");
	assert_int_equal(d->measure, KH_MEASURE_SHELF_RATE);
	assert_string_equal(d->unit, "%");
	assert_string_equal(d->if_missing, "revenue_per_case");
	assert_string_equal(kh_scheme_indicator(s, "key_brand_volume")->if_missing,
	    "total_volume");
	assert_string_equal(kh_scheme_indicator(s, "total_volume")->if_missing, "");
	assert_int_equal(kh_scheme_indicator_index(s, "low_grade_volume"), 1);
	assert_int_equal(kh_scheme_indicator_index(s, "nope"), -1);
	assert_null(kh_scheme_indicator(s, "nope"));
	/* qualitative */
	assert_int_equal(s->qual_base, 4000);
	assert_int_equal(s->qual_floor, 0);
	assert_int_equal(s->has_qual_cap, 0);
	assert_int_equal(s->shortfall, KH_SHORTFALL_WHOLE);
	assert_int_equal(s->n_items, 40);
	it = kh_scheme_item(s, "1.3.2");
	assert_int_equal(it->kind, KH_ITEM_UNIT);
	assert_int_equal(it->points, -50);
	assert_int_equal(it->sign, -1);
	assert_string_equal(it->text, "漏访（每户）");
	assert_string_equal(it->group, "1、“135”工作法完成情况");
	it = kh_scheme_item(s, "1.3.5");
	assert_int_equal(it->kind, KH_ITEM_RATE);
	assert_int_equal(it->points, -10);
	it = kh_scheme_item(s, "3.3");
	assert_int_equal(it->kind, KH_ITEM_RATE);
	assert_string_equal(it->group, "3、科学定量");
	it = kh_scheme_item(s, "9.1");
	assert_int_equal(it->points, -300);
	it = kh_scheme_item(s, "10.1");
	assert_int_equal(it->kind, KH_ITEM_PANEL);
	assert_int_equal(it->sign, -1);
	assert_int_equal(it->points, 0);
	assert_int_equal(it->max_points, 4000);		/* the whole 40 */
	it = kh_scheme_item(s, "10.2");
	assert_int_equal(it->kind, KH_ITEM_PANEL);
	assert_int_equal(it->sign, 1);
	assert_int_equal(it->max_points, 1000);
	assert_int_equal(kh_scheme_item(s, "10.4")->max_points, 1000);
	assert_int_equal(kh_scheme_item(s, "9.1")->max_points, 0);
	it = kh_scheme_item(s, "10.3");
	assert_int_equal(it->kind, KH_ITEM_ONCE_PER_CUSTOMER);
	assert_int_equal(it->points, 200);
	assert_int_equal(it->sign, 1);
	assert_string_equal(it->group, "10、其它");
	assert_int_equal(kh_scheme_item(s, "8.3")->points, -100);
	assert_null(kh_scheme_item(s, "10.5"));
	kh_scheme_free(s);
}

static void
test_base_and_defaults(void **state)
{
	struct kh_scheme *s;
	struct kh_err err;

	(void)state;
	s = load_text(base, &err);
	assert_non_null(s);
	assert_int_equal(s->qual_floor, 0);		/* default */
	assert_int_equal(s->shortfall, KH_SHORTFALL_WHOLE);	/* default */
	assert_int_equal(s->ind[2].filter, KH_FILTER_ALL);	/* default */
	assert_string_equal(kh_scheme_item(s, "1.1")->group, "1、分析");
	assert_string_equal(kh_scheme_item(s, "2")->group, "");
	assert_int_equal(kh_scheme_item(s, "1.3")->max_points, 500);
	kh_scheme_free(s);
	kh_scheme_free(NULL);
}

static void
test_parameters(void **state)
{
	char text[8192];
	struct kh_scheme *s;
	struct kh_err err;

	(void)state;
	snprintf(text, sizeof(text), "%s", base);
	memcpy(strstr(text, "cap=\"1.00\""), "cap=\"1.20\"", 10);
	s = load_text(text, &err);
	assert_non_null(s);
	assert_int_equal(s->cap, 120);
	kh_scheme_free(s);
	/* qualitative cap, floor and shortfall rule are parameters */
	snprintf(text, sizeof(text), "%.*s<qualitative base=\"40\" floor=\"5\" "
	    "cap=\"45.5\" rate-shortfall=\"exact\">%s",
	    (int)(strstr(base, "<qualitative") - base), base,
	    strstr(base, "<qualitative base=\"40\">") + 23);
	s = load_text(text, &err);
	assert_non_null(s);
	assert_int_equal(s->qual_floor, 500);
	assert_int_equal(s->has_qual_cap, 1);
	assert_int_equal(s->qual_cap, 4550);
	assert_int_equal(s->shortfall, KH_SHORTFALL_EXACT);
	kh_scheme_free(s);
}

static void
test_refusals(void **state)
{
	(void)state;
	/* indicator points not adding up: 26 + 5 + 30 = 61 */
	refused("points=\"25\"", "points=\"26\"", 3,
	    "indicator points add up to 61.00, not the total 60.00");
	refused("measure=\"volume\" filter=\"all\"",
	    "measure=\"weight\" filter=\"all\"", 4, "unknown measure \"weight\"");
	refused("filter=\"all\"", "filter=\"cheap\"", 4, "unknown filter \"cheap\"");
	refused("kind=\"unit\"", "kind=\"each\"", 10, "unknown kind \"each\"");
	refused("sign=\"deduction\"", "sign=\"minus\"", 10, "unknown sign");
	refused("code=\"1.2\"", "code=\"1.1\"", 11, "duplicate item code 1.1");
	refused("code=\"key_brand_volume\"", "code=\"total_volume\"", 5,
	    "duplicate indicator code total_volume");
	refused("if-missing=\"total_volume\"", "if-missing=\"nothing\"", 5,
	    "if-missing names an unknown indicator nothing");
	refused("if-missing=\"total_volume\"", "if-missing=\"key_brand_volume\"",
	    5, "names the indicator itself");
	refused("kind=\"panel\" sign=\"bonus\"",
	    "kind=\"panel\" sign=\"bonus\" points=\"1\"", 12,
	    "panel item");
	refused("points=\"-0.5\"", "points=\"0\"", 10, "needs non-zero points");
	refused(" points=\"-0.5\"", "", 10, "needs non-zero points");
	refused("points=\"-0.5\"", "points=\"0.5\"", 10,
	    "sign of points contradicts sign=\"deduction\"");
	refused("points=\"2\"", "points=\"-2\"", 14,
	    "sign of points contradicts sign=\"bonus\"");
	refused(" unit=\"箱\"", "", 4, "missing required attribute unit");
	refused("<qualitative base=\"40\">", "<qualitative>", 8,
	    "missing required attribute base");
	refused("case-size=\"250\"", "case-size=\"250.5\"", 3,
	    "case-size: \"250.5\" is not a valid number");
	refused("points=\"-0.1\"", "points=\"-0.1x\"", 11, "is not a valid number");
	refused("points=\"-0.5\"", "points=\"-0.125\"", 10, "is not a valid number");
	refused("low-tar-max=\"8\"", "low-tar-max=\"-8\"", 3, "is not a valid number");
	refused("low-grade-classes=\"4 5\"", "low-grade-classes=\"4,5\"", 3,
	    "low-grade-classes");
	refused("places=\"2\"", "places=\"3\"", 2, "places must be 2");
	refused("rounding=\"half-away-from-zero\"", "rounding=\"bankers\"", 2,
	    "rounding must be");
	refused("text=\"漏访\"", "text=\"漏访\" colour=\"red\"", 10,
	    "unknown attribute colour");
	refused("</quantitative>", "<item code=\"x\"/></quantitative>", 7,
	    "unexpected element <item> inside <quantitative>");
	refused("cap=\"1.00\"", "cap=\"0\"", 3, "cap must be above 0");
	refused("<qualitative base=\"40\">",
	    "<qualitative base=\"40\" rate-shortfall=\"round\">", 8,
	    "unknown rate-shortfall \"round\"");
	refused("code=\"total_volume\"", "code=\"total volume\"", 4, "is not a code");
	refused("<scheme ", "<method ", 2, "root element must be <scheme>");
}

/*
 * Panel items bound their records' points (max-points), and every number
 * of points stays within ±10000, the completion cap within 100.00, so
 * that scoring's sums cannot overflow.
 */
static void
test_bounds(void **state)
{
	(void)state;
	refused(" max-points=\"5\"", "", 12,
	    "panel item 1.3 needs max-points");
	refused("max-points=\"5\"", "max-points=\"0\"", 12,
	    "max-points must be above 0");
	refused("max-points=\"5\"", "max-points=\"-5\"", 12,
	    "is not a valid number");
	refused("max-points=\"5\"", "max-points=\"10000.01\"", 12,
	    "max-points: \"10000.01\" is beyond 10000 points");
	refused("kind=\"unit\" sign=\"deduction\" points=\"-0.5\"",
	    "kind=\"unit\" sign=\"deduction\" points=\"-0.5\" "
	    "max-points=\"1\"", 10, "max-points belongs to panel items");
	refused("points=\"-0.5\"", "points=\"-10000.01\"", 10,
	    "points: \"-10000.01\" is beyond 10000 points");
	refused("points=\"2\"", "points=\"92233720368547758.07\"", 14,
	    "is beyond 10000 points");
	refused("<qualitative base=\"40\">", "<qualitative base=\"10001\">", 8,
	    "base: \"10001\" is beyond 10000 points");
	refused("total=\"60\"", "total=\"10000.01\"", 3,
	    "total: \"10000.01\" is beyond 10000 points");
	refused("points=\"25\"", "points=\"10025\"", 4,
	    "points: \"10025\" is beyond 10000 points");
	refused("cap=\"1.00\"", "cap=\"100.01\"", 3, "at most 100.00");
}

static void
test_file_errors(void **state)
{
	struct kh_scheme *s = (struct kh_scheme *)1;
	struct kh_err err;

	(void)state;
	assert_int_equal(kh_scheme_load("tests/unit/fixtures/scheme/no-such.xml",
	    &s, &err), KH_FAIL);
	assert_null(s);
	assert_string_equal(err.file, "tests/unit/fixtures/scheme/no-such.xml");
	/* a fixture file: the message names that file and the line */
	assert_int_equal(kh_scheme_load(
	    "tests/unit/fixtures/scheme/bad-sum.xml", &s, &err), KH_FAIL);
	assert_string_equal(err.file, "tests/unit/fixtures/scheme/bad-sum.xml");
	assert_true(err.line >= 3);
	assert_non_null(strstr(err.msg, "add up to 55.00, not the total 60.00"));
	/* DOCTYPE is refused by the hardened reader, as a scheme failure */
	assert_int_equal(kh_scheme_load(
	    "tests/unit/fixtures/scheme/doctype.xml", &s, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, "DOCTYPE"));
	s = load_text("<scheme", &err);
	assert_null(s);
	assert_int_equal(err.status, KH_FAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_2013),
		cmocka_unit_test(test_base_and_defaults),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
