/*
 * test_calendar.c — civil dates and the 2013 working calendar.
 *
 * Expected dates are checked by hand against a printed 2013 calendar and
 * the State Council notice (国办发明电〔2012〕14号).  Run from the source
 * root (make unit does), so that templates/ is found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "calendar.h"

#define TEMPLATES "templates"

/* ---- plain dates ------------------------------------------------------ */

static void
test_leap_and_month_length(void **state)
{
	(void)state;
	assert_int_equal(kh_date_days_in_month(2013, 2), 28);
	assert_int_equal(kh_date_days_in_month(2012, 2), 29);
	assert_int_equal(kh_date_days_in_month(1900, 2), 28);
	assert_int_equal(kh_date_days_in_month(2000, 2), 29);
	assert_int_equal(kh_date_days_in_month(2013, 4), 30);
	assert_int_equal(kh_date_days_in_month(2013, 12), 31);
	assert_int_equal(kh_date_days_in_month(2013, 13), 0);
	assert_int_equal(kh_date_days_in_month(2013, 0), 0);
	assert_true(kh_date_valid(2012, 2, 29));
	assert_false(kh_date_valid(2013, 2, 29));
	assert_false(kh_date_valid(2013, 4, 31));
	assert_false(kh_date_valid(0, 1, 1));
	assert_false(kh_date_valid(2013, 1, 0));
}

static void
test_weekday_and_day_numbers(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(kh_date_to_days(1970, 1, 1), 0);
	assert_int_equal(kh_date_weekday(1970, 1, 1), 4);	/* Thursday */
	assert_int_equal(kh_date_weekday(2013, 5, 1), 3);	/* Wednesday */
	assert_int_equal(kh_date_weekday(2013, 4, 27), 6);	/* Saturday */
	assert_int_equal(kh_date_weekday(2013, 10, 12), 6);	/* Saturday */
	assert_int_equal(kh_date_weekday(2013, 9, 29), 0);	/* Sunday */
	assert_int_equal(kh_date_weekday(1900, 1, 1), 1);	/* Monday */
	/* 2013-01-01 is 15706 days after the epoch (43 years, 11 leap days). */
	assert_int_equal(kh_date_to_days(2013, 1, 1), 43 * 365 + 11);
	kh_date_from_days(kh_date_to_days(2012, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20120229);
	kh_date_from_days(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
	/* Round trip over four centuries, day by day. */
	for (long n = kh_date_to_days(1900, 1, 1); n < kh_date_to_days(2300, 1, 1); n++) {
		kh_date_from_days(n, &y, &m, &d);
		assert_true(kh_date_valid(y, m, d));
		assert_int_equal(kh_date_to_days(y, m, d), n);
	}
}

static void
test_parse_is_strict(void **state)
{
	int y = 0, m = 0, d = 0;

	(void)state;
	assert_int_equal(kh_date_parse("2013-05-17", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20130517);
	assert_int_equal(kh_date_parse("2012-02-29", &y, &m, &d), 0);
	assert_int_equal(kh_date_parse("2013-02-29", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse("2013-5-17", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse("2013-05-17 ", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse("2013/05/17", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse("2013-05-+7", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse("", &y, &m, &d), -1);
	assert_int_equal(kh_date_parse(NULL, &y, &m, &d), -1);
	assert_int_equal(y * 10000 + m * 100 + d, 20120229);	/* untouched */
	assert_int_equal(kh_month_parse("2013-06", &y, &m), 0);
	assert_int_equal(y * 100 + m, 201306);
	assert_int_equal(kh_month_parse("2013-13", &y, &m), -1);
	assert_int_equal(kh_month_parse("2013-6", &y, &m), -1);
	assert_int_equal(kh_month_parse("2013-06-01", &y, &m), -1);
}

static void
test_add_days(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(kh_date_add_days("2013-04-30", 1, out), KH_OK);
	assert_string_equal(out, "2013-05-01");
	assert_int_equal(kh_date_add_days("2013-03-01", -1, out), KH_OK);
	assert_string_equal(out, "2013-02-28");
	assert_int_equal(kh_date_add_days("2012-12-31", 366, out), KH_OK);
	assert_string_equal(out, "2014-01-01");
	assert_int_equal(kh_date_add_days("2013-02-30", 1, out), KH_USAGE);
	assert_int_equal(kh_date_add_days("9999-12-31", 1, out), KH_USAGE);
}

static void
test_month_add(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(kh_month_add("2013-05", 1, out), KH_OK);
	assert_string_equal(out, "2013-06");
	assert_int_equal(kh_month_add("2013-12", 1, out), KH_OK);
	assert_string_equal(out, "2014-01");
	assert_int_equal(kh_month_add("2013-01", -1, out), KH_OK);
	assert_string_equal(out, "2012-12");
	assert_int_equal(kh_month_add("2013-05", -17, out), KH_OK);
	assert_string_equal(out, "2011-12");
	assert_int_equal(kh_month_add("2013-05", 0, out), KH_OK);
	assert_string_equal(out, "2013-05");
	assert_int_equal(kh_month_add("2013-13", 1, out), KH_USAGE);
	assert_int_equal(kh_month_add("0001-01", -1, out), KH_USAGE);
}

/* ---- the 2013 calendar ------------------------------------------------ */

static void
test_nth_workday_2013(void **state)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;
	char out[11];

	(void)state;
	assert_int_equal(kh_calendar_load(TEMPLATES "/calendar-2013.xml", &cal, &err), KH_OK);
	assert_true(kh_calendar_covers(cal, 2013));
	assert_false(kh_calendar_covers(cal, 2014));
	/* 5-1 holiday, 5-2 Thu, 5-3 Fri, 5-4/5 weekend, 5-6 Mon. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 3, out), KH_OK);
	assert_string_equal(out, "2013-05-06");
	/* 10-1..7 holiday, 10-8 Tue, 10-9 Wed, 10-10 Thu. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-10", 3, out), KH_OK);
	assert_string_equal(out, "2013-10-10");
	/* June: 6-3 Mon, 6-4, 6-5 (端午 6-10..12 comes later). */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-06", 3, out), KH_OK);
	assert_string_equal(out, "2013-06-05");
	/* February: 2-1 Fri, 2-4 Mon, 2-5 Tue. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-02", 3, out), KH_OK);
	assert_string_equal(out, "2013-02-05");
	/* January: 1-1..3 holiday, 1-4 Fri, 1-5 Sat and 1-6 Sun worked. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-01", 3, out), KH_OK);
	assert_string_equal(out, "2013-01-06");
	/* May has 23 weekdays, 5-1 off: 22 working days, the last 5-31. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 22, out), KH_OK);
	assert_string_equal(out, "2013-05-31");
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 23, out), KH_USAGE);
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 0, out), KH_USAGE);
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-5", 1, out), KH_USAGE);
	/* The use scoring.md makes of it: April's results are due by 2013-05-06. */
	{
		char next[8];

		assert_int_equal(kh_month_add("2013-04", 1, next), KH_OK);
		assert_int_equal(kh_calendar_nth_workday_of_month(cal, next, 3, out), KH_OK);
		assert_string_equal(out, "2013-05-06");
	}
	kh_calendar_free(cal);
}

static void
test_is_workday_2013(void **state)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;

	(void)state;
	assert_int_equal(kh_calendar_load(TEMPLATES "/calendar-2013.xml", &cal, &err), KH_OK);
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 4, 27), 1);	/* Sat, 调休 */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 4, 28), 1);	/* Sun, 调休 */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 6, 10), 0);	/* Mon, 端午 */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 4, 29), 0);	/* Mon, 劳动节 */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 5, 2), 1);	/* Thu */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 5, 4), 0);	/* Sat */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 10, 12), 1);	/* Sat, 调休 */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 2, 30), -1);
	assert_string_equal(kh_calendar_name(cal, 2013, 5, 1), "劳动节");
	assert_string_equal(kh_calendar_name(cal, 2013, 4, 27), "调休");
	assert_null(kh_calendar_name(cal, 2013, 5, 2));
	kh_calendar_free(cal);
}

static void
test_add_workdays_2013(void **state)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;
	char out[11];

	(void)state;
	assert_int_equal(kh_calendar_load(TEMPLATES "/calendar-2013.xml", &cal, &err), KH_OK);
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-04-26", 1, out), KH_OK);
	assert_string_equal(out, "2013-04-27");
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-04-26", 3, out), KH_OK);
	assert_string_equal(out, "2013-05-02");	/* 4-27, 4-28, then 5-2 */
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-09-30", 1, out), KH_OK);
	assert_string_equal(out, "2013-10-08");
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-10-08", -1, out), KH_OK);
	assert_string_equal(out, "2013-09-30");
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-10-11", 1, out), KH_OK);
	assert_string_equal(out, "2013-10-12");
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-05-04", 0, out), KH_OK);
	assert_string_equal(out, "2013-05-04");
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-13-01", 1, out), KH_USAGE);
	kh_calendar_free(cal);
}

static void
test_without_calendar_weekends_only(void **state)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;
	char out[11];

	(void)state;
	assert_int_equal(kh_calendar_new(&cal, &err), KH_OK);
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 3, out), KH_OK);
	assert_string_equal(out, "2013-05-03");
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 4, 27), 0);
	assert_false(kh_calendar_covers(cal, 2013));
	kh_calendar_free(cal);
	/* NULL behaves as the empty calendar; free(NULL) is safe. */
	assert_int_equal(kh_calendar_nth_workday_of_month(NULL, "2013-10", 3, out), KH_OK);
	assert_string_equal(out, "2013-10-03");
	kh_calendar_free(NULL);
}

static void
test_load_dir(void **state)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;
	char out[11];

	(void)state;
	assert_int_equal(kh_calendar_load_dir(TEMPLATES, &cal, &err), KH_OK);
	assert_true(kh_calendar_covers(cal, 2013));
	assert_true(kh_calendar_covers(cal, 2014));
	/* Across the year end: 2013-12-31 Tue, 2014-01-01 元旦, 01-02 Thu. */
	assert_int_equal(kh_calendar_add_workdays(cal, "2013-12-31", 1, out), KH_OK);
	assert_string_equal(out, "2014-01-02");
	/* 2014-05: 5-1..3 off, 5-4 Sun worked, 5-5 Mon, 5-6 Tue. */
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2014-05", 3, out), KH_OK);
	assert_string_equal(out, "2014-05-06");
	kh_calendar_free(cal);
	assert_int_equal(kh_calendar_load_dir("no/such/folder", &cal, &err), KH_FAIL);
	assert_null(cal);
}

/* ---- hostile or mistaken calendar files ------------------------------- */

/* Add doc to a fresh calendar; expect KH_REJECT at line with msg containing want. */
static void
expect_reject(const char *doc, long line, const char *want)
{
	struct kh_calendar *cal = NULL;
	struct kh_err err;
	char out[11];

	assert_int_equal(kh_calendar_new(&cal, &err), KH_OK);
	kh_err_clear(&err);
	assert_int_equal(kh_calendar_add_memory(cal, doc, strlen(doc), "bad.xml", &err),
	    KH_REJECT);
	assert_string_equal(err.file, "bad.xml");
	assert_int_equal(err.line, line);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	/* Nothing of the bad file was kept. */
	assert_false(kh_calendar_covers(cal, 2013));
	assert_int_equal(kh_calendar_nth_workday_of_month(cal, "2013-05", 1, out), KH_OK);
	assert_string_equal(out, "2013-05-01");
	kh_calendar_free(cal);
}

static void
test_rejects(void **state)
{
	(void)state;
	expect_reject("<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-05-01\" name=\"劳动节\"/>\n"
	    "<holiday date=\"2013-02-30\" name=\"x\"/>\n</calendar>\n",
	    3, "real YYYY-MM-DD, got \"2013-02-30\"");
	expect_reject("<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-05-01\"/>\n"
	    "<holiday date=\"2013-5-2\"/>\n</calendar>\n",
	    3, "\"2013-5-2\"");
	expect_reject("<calendar year=\"2013\">\n<holiday name=\"x\"/>\n</calendar>\n",
	    2, "(none)");
	expect_reject("<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-05-01\"/>\n"
	    "<holiday date=\"2013-05-01\"/>\n</calendar>\n",
	    3, "2013-05-01 is listed twice (also at bad.xml:2)");
	expect_reject("<calendar year=\"2013\">\n"
	    "<workday date=\"2013-04-27\"/>\n"
	    "<holiday date=\"2013-04-27\"/>\n</calendar>\n",
	    3, "both as holiday and as workday");
	expect_reject("<calendar year=\"2013\">\n"
	    "<workday date=\"2013-04-26\"/>\n</calendar>\n",
	    2, "must fall on a weekend");
	expect_reject("<calendar year=\"2013\">\n"
	    "<holiday date=\"2014-01-01\"/>\n</calendar>\n",
	    2, "outside the file's year");
	expect_reject("<holidays year=\"2013\"/>\n", 1, "root element");
	expect_reject("<calendar>\n</calendar>\n", 1, "year must be four digits");
	expect_reject("<calendar year=\"2013\">\n<day date=\"2013-05-01\"/>\n</calendar>\n",
	    2, "only <holiday> and <workday>");
	expect_reject("<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-05-01\" kind=\"x\"/>\n</calendar>\n",
	    2, "unknown attribute \"kind\"");
	expect_reject("<calendar year=\"2013\">\n<holiday date=\"2013-05-01\">\n"
	    "</calendar>\n", 3, "malformed XML");
}

static void
test_reject_doctype(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE calendar [<!ENTITY x \"2013-05-01\">]>\n"
	    "<calendar year=\"2013\"><holiday date=\"&x;\"/></calendar>\n";
	struct kh_calendar *cal = NULL;
	struct kh_err err;

	(void)state;
	assert_int_equal(kh_calendar_new(&cal, &err), KH_OK);
	assert_int_not_equal(kh_calendar_add_memory(cal, doc, strlen(doc), "dtd.xml", &err),
	    KH_OK);
	assert_false(kh_calendar_covers(cal, 2013));
	kh_calendar_free(cal);
}

/* A date in a second file that an earlier file already lists is refused. */
static void
test_duplicate_across_files(void **state)
{
	static const char a[] = "<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-05-04\" name=\"劳动节\"/>\n</calendar>\n";
	static const char b[] = "<calendar year=\"2013\">\n"
	    "<holiday date=\"2013-06-10\" name=\"端午节\"/>\n"
	    "<workday date=\"2013-05-04\"/>\n</calendar>\n";
	struct kh_calendar *cal = NULL;
	struct kh_err err;

	(void)state;
	assert_int_equal(kh_calendar_new(&cal, &err), KH_OK);
	assert_int_equal(kh_calendar_add_memory(cal, a, strlen(a), "a.xml", &err), KH_OK);
	assert_int_equal(kh_calendar_add_memory(cal, b, strlen(b), "b.xml", &err), KH_REJECT);
	assert_string_equal(err.file, "b.xml");
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "also at a.xml:2"));
	/* b.xml was not half-applied: 2013-06-10 (Monday) is still a workday. */
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 6, 10), 1);
	assert_int_equal(kh_calendar_is_workday(cal, 2013, 5, 4), 0);
	assert_string_equal(kh_calendar_name(cal, 2013, 5, 4), "劳动节");
	kh_calendar_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_and_month_length),
		cmocka_unit_test(test_weekday_and_day_numbers),
		cmocka_unit_test(test_parse_is_strict),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_month_add),
		cmocka_unit_test(test_nth_workday_2013),
		cmocka_unit_test(test_is_workday_2013),
		cmocka_unit_test(test_add_workdays_2013),
		cmocka_unit_test(test_without_calendar_weekends_only),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_reject_doctype),
		cmocka_unit_test(test_duplicate_across_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
