/*
 * test_orderagg.c — the in-memory side of an orders import, on its own:
 * id sets, sums per day × manager × brand and days per customer × brand
 * (hand-computed), deterministic order, overflow refused, bad days
 * refused, order-id duplicates in memory and the spilled-range answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orderagg.h"
#include "score.h"

static void
test_idset(void **state)
{
	struct kh_idset *s;

	(void)state;
	assert_non_null(s = kh_idset_new());
	assert_int_equal(kh_idset_add(s, "KM001"), 0);
	assert_int_equal(kh_idset_add(s, "KM001"), 0);	/* no-op */
	assert_int_equal(kh_idset_add(s, "530421100001"), 0);
	assert_true(kh_idset_has(s, "KM001"));
	assert_true(kh_idset_has(s, "530421100001"));
	assert_false(kh_idset_has(s, "KM00"));
	assert_false(kh_idset_has(s, "km001"));
	kh_idset_free(s);
	kh_idset_free(NULL);
}

static void
test_sums_and_order(void **state)
{
	struct kh_orderagg *a;
	struct kh_orderagg_volume v;
	struct kh_orderagg_shelf sh;
	struct kh_err err;

	(void)state;
	assert_non_null(a = kh_orderagg_new());
	/* added out of order on purpose */
	assert_int_equal(kh_orderagg_line(a, 17, "KM002", "C2", "B1", 3, 69000,
	    &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 17, "KM001", "C1", "B2", 5,
	    115000, &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 2, "KM001", "C1", "B2", 1, 23000,
	    &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 17, "KM001", "C3", "B2", 2, 46000,
	    &err), KH_OK);
	assert_int_equal(kh_orderagg_sort(a), 0);
	/* volumes by day, manager, brand: (2,KM001,B2) (17,KM001,B2) (17,KM002,B1) */
	assert_int_equal(kh_orderagg_n_volumes(a), 3);
	kh_orderagg_volume(a, 0, &v);
	assert_int_equal(v.day, 2);
	assert_string_equal(v.manager, "KM001");
	assert_int_equal(v.qty, 1);
	kh_orderagg_volume(a, 1, &v);
	assert_int_equal(v.day, 17);
	assert_string_equal(v.manager, "KM001");
	assert_string_equal(v.brand, "B2");
	assert_int_equal(v.qty, 5 + 2);		/* C1 and C3 */
	assert_int_equal(v.amount, 115000 + 46000);
	assert_int_equal(v.lines, 2);
	kh_orderagg_volume(a, 2, &v);
	assert_string_equal(v.manager, "KM002");
	/* shelves by customer, brand; days as bits */
	assert_int_equal(kh_orderagg_n_shelves(a), 3);
	kh_orderagg_shelf(a, 0, &sh);
	assert_string_equal(sh.customer, "C1");
	assert_string_equal(sh.brand, "B2");
	assert_int_equal(sh.days, ((int64_t)1 << 2) | ((int64_t)1 << 17));
	kh_orderagg_shelf(a, 2, &sh);
	assert_string_equal(sh.customer, "C3");
	assert_int_equal(kh_orderagg_n_managers(a), 2);
	kh_orderagg_clear(a);
	assert_int_equal(kh_orderagg_sort(a), 0);
	assert_int_equal(kh_orderagg_n_volumes(a), 0);
	kh_orderagg_free(a);
	kh_orderagg_free(NULL);
}

static void
test_refusals(void **state)
{
	struct kh_orderagg *a;
	struct kh_err err;

	(void)state;
	assert_non_null(a = kh_orderagg_new());
	assert_int_equal(kh_orderagg_line(a, 0, "M", "C", "B", 1, 1, &err),
	    KH_FAIL);
	assert_int_equal(kh_orderagg_line(a, 32, "M", "C", "B", 1, 1, &err),
	    KH_FAIL);
	/* sums up to a whole month's bound (score.h), not one 条 or 分 more */
	assert_int_equal(kh_orderagg_line(a, 1, "M", "C", "B",
	    KH_MONTH_MAX_QTY - 1, 1, &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 1, "M", "C", "B", 1,
	    KH_MONTH_MAX_AMOUNT - 1, &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 1, "M", "C", "B", 1, 0, &err),
	    KH_REJECT);			/* 1e13 + 1 条 */
	assert_non_null(strstr(err.msg, "the orders of day 1 for manager M "
	    "and brand B add up to more than a manager's whole month"));
	assert_int_equal(kh_orderagg_line(a, 2, "M", "C", "B", 1,
	    KH_MONTH_MAX_AMOUNT, &err), KH_OK);
	assert_int_equal(kh_orderagg_line(a, 2, "M", "C", "B", 1, 1, &err),
	    KH_REJECT);			/* 1e18 + 1 分 */
	assert_int_equal(kh_orderagg_line(a, 3, "M", "C", "B", INT64_MAX,
	    INT64_MAX, &err), KH_REJECT);	/* never wraps */
	kh_orderagg_free(a);
}

static void
test_order_ids(void **state)
{
	struct kh_orderagg *a;
	const char **v = NULL;
	char id[32];
	size_t n, i;
	int dup;

	(void)state;
	assert_non_null(a = kh_orderagg_new());
	assert_int_equal(kh_orderagg_note_id(a, "DD20130517002", &dup), 0);
	assert_false(dup);
	assert_int_equal(kh_orderagg_note_id(a, "DD20130517001", &dup), 0);
	assert_false(dup);
	assert_int_equal(kh_orderagg_note_id(a, "DD20130517002", &dup), 0);
	assert_true(dup);
	assert_false(kh_orderagg_ids_full(a));
	/* nothing spilled yet: no id needs a look elsewhere */
	assert_false(kh_orderagg_maybe_spilled(a, "DD20130517001"));
	assert_int_equal(kh_orderagg_ids_sorted(a, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "DD20130517001");
	assert_string_equal(v[1], "DD20130517002");
	assert_int_equal(kh_orderagg_ids_spilled(a, v, n), 0);
	free(v);
	/* spilled range [..001, ..002]: inside asks, outside does not */
	assert_true(kh_orderagg_maybe_spilled(a, "DD20130517001"));
	assert_true(kh_orderagg_maybe_spilled(a, "DD20130517002"));
	assert_false(kh_orderagg_maybe_spilled(a, "DD20130517003"));
	assert_false(kh_orderagg_maybe_spilled(a, "DD20130516999"));
	/* memory was emptied: a spilled id is not a duplicate in memory */
	assert_int_equal(kh_orderagg_note_id(a, "DD20130517001", &dup), 0);
	assert_false(dup);
	/* the bound: full at KH_ORDERAGG_IDS ids held */
	kh_orderagg_clear(a);
	for (i = 0; i < KH_ORDERAGG_IDS; i++) {
		snprintf(id, sizeof(id), "X%09zu", i);
		assert_int_equal(kh_orderagg_note_id(a, id, &dup), 0);
	}
	assert_true(kh_orderagg_ids_full(a));
	kh_orderagg_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idset),
		cmocka_unit_test(test_sums_and_order),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_order_ids),
	};

	return cmocka_run_group_tests_name("orderagg", tests, NULL, NULL);
}
