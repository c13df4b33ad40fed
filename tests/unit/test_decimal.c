/*
 * test_decimal.c — exact decimals, fractions and half-away rounding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "decimal.h"

static int64_t
parse_ok(const char *s, int places, int neg)
{
	int64_t v = 12345;

	assert_int_equal(kh_dec_parse(s, places, neg, &v), 0);
	return v;
}

/* The checked conversions, where the result fits: it must succeed. */
static int64_t
rh(__int128 num, __int128 den)
{
	int64_t v = 12345;

	assert_int_equal(kh_round_half_away(num, den, &v), 0);
	return v;
}

static int64_t
fr(struct kh_frac f, int places)
{
	int64_t v = 12345;

	assert_int_equal(kh_frac_round(f, places, &v), 0);
	return v;
}

static int64_t
tr(__int128 num, __int128 den)
{
	int64_t v = 12345;

	assert_int_equal(kh_trunc(num, den, &v), 0);
	return v;
}

static void
test_parse_good(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("320.5", 2, 0), 32050);
	assert_int_equal(parse_ok("320.50", 2, 0), 32050);
	assert_int_equal(parse_ok("14500", 2, 0), 1450000);
	assert_int_equal(parse_ok("0", 2, 0), 0);
	assert_int_equal(parse_ok("-2.00", 2, 1), -200);
	assert_int_equal(parse_ok("-0.05", 2, 1), -5);
	assert_int_equal(parse_ok("7", 0, 0), 7);
	assert_int_equal(parse_ok("8.123456", 6, 0), 8123456);
	assert_int_equal(parse_ok("9223372036854775807", 0, 0), INT64_MAX);
	assert_int_equal(parse_ok("-9223372036854775808", 0, 1), INT64_MIN);
	assert_int_equal(parse_ok("92233720368547758.07", 2, 0), INT64_MAX);
}

static void
test_parse_bad(void **state)
{
	static const char *bad2[] = {
		"", "-", ".", ".5", "5.", "1.234", "+1", " 1", "1 ", "1e3",
		"1,5", "0x10", "1..2", "--1", "１", "92233720368547758.08",
		"9223372036854775808", NULL
	};
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; bad2[i] != NULL; i++) {
		v = 99;
		assert_int_equal(kh_dec_parse(bad2[i], 2, 1, &v), -1);
		assert_int_equal(v, 99);	/* untouched on failure */
	}
	assert_int_equal(kh_dec_parse("-1", 2, 0, &v), -1);	/* sign refused */
	assert_int_equal(kh_dec_parse("1", 7, 0, &v), -1);	/* places > 6 */
	assert_int_equal(kh_dec_parse(NULL, 2, 0, &v), -1);
}

static void
test_format(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(kh_dec_format(1234, 2, buf, sizeof(buf)), "12.34");
	assert_string_equal(kh_dec_format(-5, 2, buf, sizeof(buf)), "-0.05");
	assert_string_equal(kh_dec_format(0, 2, buf, sizeof(buf)), "0.00");
	assert_string_equal(kh_dec_format(600000, 2, buf, sizeof(buf)), "6000.00");
	assert_string_equal(kh_dec_format(-250, 0, buf, sizeof(buf)), "-250");
	assert_string_equal(kh_dec_format(INT64_MIN, 2, buf, sizeof(buf)),
	    "-92233720368547758.08");
	assert_string_equal(kh_dec_format(800, 3, buf, sizeof(buf)), "0.800");
}

static void
test_round_half_away(void **state)
{
	(void)state;
	/* 2505/1000 = 2.505 -> hundredths: 250.5 -> 251 */
	assert_int_equal(rh(2505, 10), 251);
	assert_int_equal(rh(-2505, 10), -251);
	assert_int_equal(rh(2504, 10), 250);
	assert_int_equal(rh(-2504, 10), -250);
	assert_int_equal(rh(2506, 10), 251);
	assert_int_equal(rh(1, 2), 1);
	assert_int_equal(rh(-1, 2), -1);
	assert_int_equal(rh(1, 3), 0);
	assert_int_equal(rh(2, 3), 1);
	assert_int_equal(rh(5, -2), -3);	/* den sign */
	assert_int_equal(rh(0, 7), 0);
}

static void
test_frac(void **state)
{
	struct kh_frac a, b, c;

	(void)state;
	a = kh_frac_make(6, -4);			/* -3/2 */
	assert_true(a.num == -3 && a.den == 2);
	b = kh_frac_make(30000, 32050);			/* 600/641 */
	assert_true(b.num == 600 && b.den == 641);
	c = kh_frac_mul(a, kh_frac_make(2, 3));		/* -1 */
	assert_true(c.num == -1 && c.den == 1);
	c = kh_frac_div(kh_frac_make(1, 2), kh_frac_make(-1, 4));	/* -2 */
	assert_true(c.num == -2 && c.den == 1);
	assert_int_equal(kh_frac_cmp(kh_frac_make(1, 3), kh_frac_make(2, 6)), 0);
	assert_int_equal(kh_frac_cmp(kh_frac_make(1, 3), kh_frac_make(1, 2)), -1);
	assert_int_equal(kh_frac_cmp(kh_frac_make(-1, 3), kh_frac_make(-1, 2)), 1);
	c = kh_frac_min(kh_frac_make(6, 5), kh_frac_make(1, 1));
	assert_true(c.num == 1 && c.den == 1);
	/* 20 × 300/320.5 = 18.72074… -> 18.72 (the spec's example line) */
	c = kh_frac_mul(kh_frac_make(20, 1), kh_frac_make(30000, 32050));
	assert_int_equal(fr(c, 2), 1872);
	/* 5 × 0.501 = 2.505 exactly -> 2.51 */
	c = kh_frac_mul(kh_frac_make(5, 1), kh_frac_make(501, 1000));
	assert_int_equal(fr(c, 2), 251);
	assert_int_equal(fr(kh_frac_make(-2505, 1000), 2), -251);
	assert_int_equal(fr(kh_frac_make(7, 2), 0), 4);
}

static void
test_trunc(void **state)
{
	(void)state;
	assert_int_equal(tr(150, 100), 1);
	assert_int_equal(tr(-150, 100), -1);
	assert_int_equal(tr(99, 100), 0);
	assert_int_equal(tr(200, 100), 2);
}

/*
 * Nothing overflows into a wrong number: a product beyond __int128 is
 * 0/0, carried along and refused by every rounding; a result beyond
 * int64_t is refused; comparisons stay exact where products would not fit.
 */
static void
test_overflow_refused(void **state)
{
	const __int128 big = (__int128)1 << 100;	/* ~1.27e30 */
	struct kh_frac a, b, c;
	int64_t v = 7;

	(void)state;
	a = kh_frac_make(big + 1, 3);
	c = kh_frac_mul(a, a);				/* ~1.8e59: 0/0 */
	assert_false(kh_frac_ok(c));
	assert_int_equal(kh_frac_round(c, 2, &v), -1);
	assert_int_equal(v, 7);				/* untouched */
	assert_false(kh_frac_ok(kh_frac_mul(c, kh_frac_make(0, 1))));
	assert_false(kh_frac_ok(kh_frac_min(kh_frac_make(1, 1), c)));
	assert_false(kh_frac_ok(kh_frac_min(c, kh_frac_make(1, 1))));
	assert_false(kh_frac_ok(kh_frac_div(kh_frac_make(1, 1),
	    kh_frac_make(0, 1))));			/* ÷ 0 */
	assert_false(kh_frac_ok(kh_frac_make(1, 0)));
	/* beyond int64_t: 2^63 and -2^63 - 1; INT64_MAX and INT64_MIN fit */
	assert_int_equal(kh_round_half_away((__int128)INT64_MAX + 1, 1, &v), -1);
	assert_int_equal(kh_round_half_away((__int128)INT64_MIN - 1, 1, &v), -1);
	assert_int_equal(rh(INT64_MAX, 1), INT64_MAX);
	assert_int_equal(rh(INT64_MIN, 1), INT64_MIN);
	assert_int_equal(kh_round_half_away((__int128)2 * INT64_MAX + 1, 2, &v),
	    -1);					/* (2^64-1)/2 rounds to 2^63 */
	assert_int_equal(kh_round_half_away(1, 0, &v), -1);
	assert_int_equal(kh_trunc((__int128)INT64_MAX * 10, 5, &v), -1);
	assert_int_equal(kh_trunc(1, 0, &v), -1);
	/* 1e16 ÷ 1 in ten-thousandths: 1e20 leaves int64_t */
	assert_int_equal(kh_frac_round(kh_frac_make(10000000000000000LL, 1), 4,
	    &v), -1);
	assert_int_equal(v, 7);
	/* big/(big+1) < (big+1)/(big+2): the cross products (~1.6e60)
	 * leave __int128, the exact comparison does not need them */
	a = kh_frac_make(big, big + 1);
	b = kh_frac_make(big + 1, big + 2);
	assert_int_equal(kh_frac_cmp(a, b), -1);
	assert_int_equal(kh_frac_cmp(b, a), 1);
	assert_int_equal(kh_frac_cmp(a, a), 0);
	assert_int_equal(kh_frac_cmp(kh_frac_make(-big, big + 1),
	    kh_frac_make(-(big + 1), big + 2)), 1);
	assert_true(kh_frac_min(a, b).num == a.num);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_half_away),
		cmocka_unit_test(test_frac),
		cmocka_unit_test(test_trunc),
		cmocka_unit_test(test_overflow_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
