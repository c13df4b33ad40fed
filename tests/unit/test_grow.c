/*
 * test_grow.c — growing arrays: room for n + 1 (or n + more), new room
 * zeroed, the room at least doubling, an impossible size refused with
 * the array and its capacity untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

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
	/* full (n == cap), and twice the room is more than memory */
	assert_int_equal(kh_grow(&v, &cap, 16, SIZE_MAX / 4), -1);
	assert_int_equal(cap, 16);
	assert_non_null(v);
	free(v);
}

static void
test_grow_n_runs(void **state)
{
	char *v = NULL;
	size_t cap = 0, len = 0, i, before;

	(void)state;
	/* runs of 1..40 bytes appended: always room, the bytes kept */
	for (i = 1; i <= 40; i++) {
		before = cap;
		assert_int_equal(kh_grow_n(&v, &cap, len, i, 1), 0);
		assert_true(cap >= len + i);
		if (cap != before)	/* a move at least doubles */
			assert_true(cap >= 2 * before);
		assert_int_equal(v[len + i - 1], 0);	/* fresh room is zeroed */
		memset(v + len, (int)i, i);
		len += i;
	}
	for (i = 1, len = 0; i <= 40; len += i, i++)
		assert_int_equal(v[len], (char)i);
	free(v);
}

static void
test_grow_n_exact_and_none(void **state)
{
	int *v = NULL;
	size_t cap = 0;

	(void)state;
	/* more than doubling gives exactly what is asked */
	assert_int_equal(kh_grow_n(&v, &cap, 0, 100, sizeof(*v)), 0);
	assert_int_equal(cap, 100);
	assert_int_equal(v[99], 0);
	/* what fits moves nothing; more == 0 checks only n <= cap */
	assert_int_equal(kh_grow_n(&v, &cap, 60, 40, sizeof(*v)), 0);
	assert_int_equal(cap, 100);
	assert_int_equal(kh_grow_n(&v, &cap, 100, 0, sizeof(*v)), 0);
	assert_int_equal(cap, 100);
	/* one past: doubles */
	assert_int_equal(kh_grow_n(&v, &cap, 100, 1, sizeof(*v)), 0);
	assert_int_equal(cap, 200);
	free(v);
}

static void
test_grow_n_refuses_overflow(void **state)
{
	char *v = NULL, *was;
	size_t cap = 0;

	(void)state;
	assert_int_equal(kh_grow_n(&v, &cap, 0, 10, 1), 0);
	assert_int_equal(cap, 16);
	was = v;
	/* n + more wraps: refused before anything moves */
	assert_int_equal(kh_grow_n(&v, &cap, 8, SIZE_MAX - 4, 1), -1);
	assert_int_equal(cap, 16);
	assert_ptr_equal(v, was);
	/* elements too big for memory */
	assert_int_equal(kh_grow_n(&v, &cap, 16, SIZE_MAX / 8, 16), -1);
	assert_int_equal(cap, 16);
	assert_ptr_equal(v, was);
	free(v);
}

/* A room past half of size_t saturates instead of doubling round to 0. */
static void
test_grow_saturates(void **state)
{
	char *v = NULL;
	size_t cap = SIZE_MAX / 2 + 2;	/* a pretend room: never touched */

	(void)state;
	assert_int_equal(kh_grow(&v, &cap, cap, 2), -1);
	assert_int_equal(cap, SIZE_MAX / 2 + 2);
	assert_null(v);
	cap = SIZE_MAX;
	assert_int_equal(kh_grow(&v, &cap, SIZE_MAX, 1), -1);
	assert_int_equal(cap, SIZE_MAX);
	assert_null(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_zeroes),
		cmocka_unit_test(test_refuses_overflow),
		cmocka_unit_test(test_grow_n_runs),
		cmocka_unit_test(test_grow_n_exact_and_none),
		cmocka_unit_test(test_grow_n_refuses_overflow),
		cmocka_unit_test(test_grow_saturates),
	};

	return cmocka_run_group_tests_name("grow", tests, NULL, NULL);
}
