/*
 * test_grow.c — growing arrays: room for n + 1, new room zeroed, an
 * impossible size refused with the array and its capacity untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "grow.h"

static void
test_grows_and_zeroes(void **state)
{
	int *v = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 100; n++) {
		assert_int_equal(kh_grow(&v, &cap, n, sizeof(*v)), 0);
		assert_true(cap > n);
		assert_int_equal(v[n], 0);	/* fresh room is zeroed */
		v[n] = (int)n + 1;
	}
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n + 1);	/* kept across moves */
	free(v);
}

static void
test_refuses_overflow(void **state)
{
	char *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(kh_grow(&v, &cap, 0, 1), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(kh_grow(&v, &cap, SIZE_MAX / 2, 4), -1);
	assert_int_equal(cap, 16);
	assert_non_null(v);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_zeroes),
		cmocka_unit_test(test_refuses_overflow),
	};

	return cmocka_run_group_tests_name("grow", tests, NULL, NULL);
}
