/*
 * decimal.c — exact fixed-point parsing/formatting and exact fractions.
 *
 * Owned by the scoring core.  No floating point anywhere: decimals are
 * int64 scaled by 10^places, ratios are __int128 fractions kept in lowest
 * terms, and the single rounding rule is half away from zero.
 */
#include <stdio.h>
#include <string.h>

#include "decimal.h"

static int64_t
pow10_i64(int places)
{
	int64_t p = 1;

	while (places-- > 0)
		p *= 10;
	return p;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Append one digit to *v, refusing overflow of the magnitude. */
static int
push_digit(uint64_t *v, int d, uint64_t limit)
{
	if (*v > (limit - (uint64_t)d) / 10)
		return -1;
	*v = *v * 10 + (uint64_t)d;
	return 0;
}

/*
 * Grammar: ["-"] digit+ ["." digit{1,places}].  No "+", no spaces, no
 * ".5" or "5.", no exponent: exports and schemes write plain decimals,
 * anything else is a typo worth a message.
 */
int
kh_dec_parse(const char *s, int places, int allow_negative, int64_t *out)
{
	uint64_t v = 0, limit = (uint64_t)INT64_MAX;
	int neg = 0, frac = 0, nint = 0;

	if (s == NULL || out == NULL || places < 0 || places > 6)
		return -1;
	if (*s == '-') {
		if (!allow_negative)
			return -1;
		neg = 1;
		limit = (uint64_t)INT64_MAX + 1;
		s++;
	}
	for (; is_digit(*s); s++, nint++)
		if (push_digit(&v, *s - '0', limit) != 0)
			return -1;
	if (nint == 0)
		return -1;
	if (*s == '.') {
		s++;
		for (; is_digit(*s); s++, frac++)
			if (frac >= places || push_digit(&v, *s - '0', limit) != 0)
				return -1;
		if (frac == 0)
			return -1;
	}
	if (*s != '\0')
		return -1;
	for (; frac < places; frac++)
		if (push_digit(&v, 0, limit) != 0)
			return -1;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

char *
kh_dec_format(int64_t v, int places, char *buf, size_t len)
{
	uint64_t mag, p;

	if (len == 0)
		return buf;
	if (places < 0 || places > 6)
		places = 0;
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	p = (uint64_t)pow10_i64(places);
	if (places == 0)
		snprintf(buf, len, "%s%llu", v < 0 ? "-" : "",
		    (unsigned long long)mag);
	else
		snprintf(buf, len, "%s%llu.%0*llu", v < 0 ? "-" : "",
		    (unsigned long long)(mag / p), places,
		    (unsigned long long)(mag % p));
	return buf;
}

static __int128
abs128(__int128 a)
{
	return a < 0 ? -a : a;
}

static __int128
gcd128(__int128 a, __int128 b)
{
	a = abs128(a);
	b = abs128(b);
	while (b != 0) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static const struct kh_frac none = { 0, 0 };	/* 0/0: cannot be computed */

/* Positive denominator, lowest terms: keeps products far from overflow. */
struct kh_frac
kh_frac_make(__int128 num, __int128 den)
{
	struct kh_frac f;
	__int128 g;

	if (den == 0)
		return none;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	g = gcd128(num, den);
	if (g > 1) {
		num /= g;
		den /= g;
	}
	f.num = num;
	f.den = den;
	return f;
}

int
kh_frac_ok(struct kh_frac f)
{
	return f.den != 0;
}

struct kh_frac
kh_frac_mul(struct kh_frac a, struct kh_frac b)
{
	__int128 g1, g2, num, den;

	if (!kh_frac_ok(a) || !kh_frac_ok(b))
		return none;
	/* Cross-reduce first so the products stay small. */
	g1 = gcd128(a.num, b.den);
	g2 = gcd128(b.num, a.den);
	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	if (__builtin_mul_overflow(a.num / g1, b.num / g2, &num) ||
	    __builtin_mul_overflow(a.den / g2, b.den / g1, &den))
		return none;
	return kh_frac_make(num, den);
}

struct kh_frac
kh_frac_div(struct kh_frac a, struct kh_frac b)
{
	if (!kh_frac_ok(b))
		return none;
	return kh_frac_mul(a, kh_frac_make(b.den, b.num));
}

/* Floor of a/b (b > 0) and the remainder, 0 <= *r < b. */
static __int128
floor_div(__int128 a, __int128 b, __int128 *r)
{
	__int128 q = a / b;

	*r = a % b;
	if (*r < 0) {
		*r += b;
		q--;
	}
	return q;
}

/*
 * a/b against c/d (b, d > 0) with no product at all: the whole parts
 * first; if equal, r1/b against r2/d, which is d/r2 against b/r1 (the
 * reciprocals, order reversed).  Euclid's steps, so it ends quickly.
 */
static int
cmp_euclid(__int128 a, __int128 b, __int128 c, __int128 d)
{
	__int128 q1, q2, r1, r2;

	for (;;) {
		q1 = floor_div(a, b, &r1);
		q2 = floor_div(c, d, &r2);
		if (q1 != q2)
			return q1 < q2 ? -1 : 1;
		if (r1 == 0 || r2 == 0)
			return r1 == r2 ? 0 : r1 == 0 ? -1 : 1;
		a = d;
		c = b;
		b = r2;
		d = r1;
	}
}

int
kh_frac_cmp(struct kh_frac a, struct kh_frac b)
{
	__int128 l, r;

	if (!kh_frac_ok(a) || !kh_frac_ok(b))
		return 0;
	if (__builtin_mul_overflow(a.num, b.den, &l) ||
	    __builtin_mul_overflow(b.num, a.den, &r))
		return cmp_euclid(a.num, a.den, b.num, b.den);
	return l < r ? -1 : l > r ? 1 : 0;
}

struct kh_frac
kh_frac_min(struct kh_frac a, struct kh_frac b)
{
	if (!kh_frac_ok(a) || !kh_frac_ok(b))
		return none;
	return kh_frac_cmp(a, b) <= 0 ? a : b;
}

/* v into *out if it fits int64_t. */
static int
to_i64(__int128 v, int64_t *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
kh_round_half_away(__int128 num, __int128 den, int64_t *out)
{
	__int128 q, r;
	int neg;

	if (den == 0)
		return -1;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	neg = num < 0;
	num = abs128(num);
	q = num / den;
	r = num % den;
	if (r >= den - r)	/* 2r >= den, without doubling */
		q++;
	return to_i64(neg ? -q : q, out);
}

int
kh_frac_round(struct kh_frac f, int places, int64_t *out)
{
	__int128 num;

	if (!kh_frac_ok(f) ||
	    __builtin_mul_overflow(f.num, (__int128)pow10_i64(places), &num))
		return -1;
	return kh_round_half_away(num, f.den, out);
}

int
kh_trunc(__int128 num, __int128 den, int64_t *out)
{
	if (den == 0)
		return -1;
	return to_i64(num / den, out);	/* C division truncates toward zero */
}
