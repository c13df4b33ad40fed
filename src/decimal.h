/*
 * decimal.h — exact fixed-point numbers and the one rounding rule.
 *
 * Every amount, quantity and score in kaohe is an integer: 分 (fen) for
 * money, 条 for cigarettes, hundredths for targets, percents and points.
 * Ratios are exact fractions (struct kh_frac over __int128), and the only
 * rounding is half away from zero, done where scoring.md says.
 *
 * Nothing here overflows silently: a product that would leave __int128
 * (or a division by zero) gives the fraction 0/0, "cannot be computed",
 * which every later operation carries along, and every conversion back
 * to int64_t is checked and refuses 0/0.  A caller sees -1, never a
 * wrong number.
 */
#ifndef KH_DECIMAL_H
#define KH_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* An exact fraction num/den with den > 0, or 0/0 (see above). */
struct kh_frac {
	__int128	num;
	__int128	den;
};

/*
 * Parse a decimal such as "320.5", "-2.00", "14500" with at most `places`
 * fraction digits into an integer scaled by 10^places (places 0..6).
 * Rejects empty strings, signs where !allow_negative, exponents, spaces,
 * more fraction digits than `places`, and overflow.  0 on success, -1 if
 * malformed.
 */
int		kh_dec_parse(const char *s, int places, int allow_negative,
		    int64_t *out);
/*
 * Format v (scaled by 10^places) with exactly `places` fraction digits,
 * e.g. 1234, 2 -> "12.34", -5, 2 -> "-0.05".  Returns buf.
 */
char	       *kh_dec_format(int64_t v, int places, char *buf, size_t len);

/* Lowest terms, den > 0; den 0 gives 0/0. */
struct kh_frac	kh_frac_make(__int128 num, __int128 den);
struct kh_frac	kh_frac_mul(struct kh_frac, struct kh_frac);
struct kh_frac	kh_frac_div(struct kh_frac, struct kh_frac);	/* by 0: 0/0 */
/* 1 unless f is 0/0. */
int		kh_frac_ok(struct kh_frac f);
/* -1, 0, 1, exactly and without overflow; 0 if either is 0/0. */
int		kh_frac_cmp(struct kh_frac, struct kh_frac);
/* The smaller; 0/0 if either is. */
struct kh_frac	kh_frac_min(struct kh_frac, struct kh_frac);
/*
 * The conversions back to int64_t: 0 and *out set, or -1 (out
 * untouched) when den is 0 or the result leaves int64_t.
 *   kh_round_half_away  num/den rounded half away from zero
 *   kh_frac_round       f × 10^places, rounded so (places 2: hundredths)
 *   kh_trunc            whole part toward zero of num/den
 */
int		kh_round_half_away(__int128 num, __int128 den, int64_t *out);
int		kh_frac_round(struct kh_frac f, int places, int64_t *out);
int		kh_trunc(__int128 num, __int128 den, int64_t *out);

#endif
