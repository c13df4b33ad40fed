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

/* Positive denominator, lowest terms: keeps products far from overflow. */
struct kh_frac
kh_frac_make(__int128 num, __int128 den)
{
	struct kh_frac f;
	__int128 g;

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

struct kh_frac
kh_frac_mul(struct kh_frac a, struct kh_frac b)
{
	/* Cross-reduce first so the products stay small. */
	__int128 g1 = gcd128(a.num, b.den), g2 = gcd128(b.num, a.den);

	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	return kh_frac_make((a.num / g1) * (b.num / g2),
	    (a.den / g2) * (b.den / g1));
}

struct kh_frac
kh_frac_div(struct kh_frac a, struct kh_frac b)
{
	return kh_frac_mul(a, kh_frac_make(b.den, b.num));
}

int
kh_frac_cmp(struct kh_frac a, struct kh_frac b)
{
	__int128 l = a.num * b.den, r = b.num * a.den;

	return l < r ? -1 : l > r ? 1 : 0;
}

struct kh_frac
kh_frac_min(struct kh_frac a, struct kh_frac b)
{
	return kh_frac_cmp(a, b) <= 0 ? a : b;
}

int64_t
kh_round_half_away(__int128 num, __int128 den)
{
	__int128 q, r;
	int neg;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	neg = num < 0;
	num = abs128(num);
	q = num / den;
	r = num % den;
	if (2 * r >= den)
		q++;
	return (int64_t)(neg ? -q : q);
}

int64_t
kh_frac_round(struct kh_frac f, int places)
{
	return kh_round_half_away(f.num * pow10_i64(places), f.den);
}

int64_t
kh_trunc(__int128 num, __int128 den)
{
	return (int64_t)(num / den);	/* C division truncates toward zero */
}
