/*
 * score.c — the scoring core: scoring.md, exactly.
 *
 * Owned by the scoring core.  Pure: plain inputs in, results and
 * explanation lines out; no I/O, no clock, no floating point.  Ratios are
 * exact fractions (decimal.h) and the only rounding is half away from
 * zero to hundredths, once per indicator score and once per rate record
 * in "exact" shortfall mode, so every printed sheet adds up.
 *
 * One manager at a time (roster order):
 *   points   scheme points, then given points, then moves (if-missing)
 *   targets  a missing or zero target without a move -> incomplete
 *   actuals  volumes, revenue per case, shelf rate, from the aggregates
 *   records  voids, superseded rate records, repeats, then the points
 *   sums     quantitative, qualitative (floor, cap), total
 * and ranks last.
 *
 * Overflow: the order sums are __int128 and checked against score.h's
 * bounds per indicator, every other add and multiply is checked, and
 * fractions refuse what they cannot hold (decimal.h).  A number that is
 * beyond its bound or cannot be computed makes that manager incomplete
 * with the reason (implausible, cannot_score); the team is still scored.
 */
#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "grow.h"
#include "score.h"
#include "utf8.h"

/*
 * Month aggregates of one manager's order lines, by filter: __int128, so
 * that no count of int64_t rows overflows them; the bounds are checked
 * where an indicator reads them (check_sums).
 */
#define N_FILTERS	(KH_FILTER_KEY_BRAND + 1)

struct agg {
	__int128 qty[N_FILTERS];	/* 条, indexed by enum kh_filter */
	__int128 amount[N_FILTERS];	/* 分 */
};

/* An input row by its manager: arrays of these sorted by mgr. */
struct mkey {
	const char	*mgr;
	size_t		 idx;
};

/* A manager's rows in one sorted mkey array: k[lo..hi). */
struct mrange {
	size_t		 lo, hi;
};

/*
 * Lookups shared by every manager of the month, built once so that a
 * manager's rows are found by binary search, not by scanning the month.
 */
struct month_ctx {
	const struct kh_scheme		*s;
	const struct kh_month_input	*in;
	const struct kh_brand		**brands;	/* sorted by code */
	const struct kh_shelf		**shelves;	/* sorted by customer, brand */
	struct mkey			*kv, *kc, *kr, *kt;	/* volumes, customers,
							 * records, targets */
	/* the current manager */
	struct mrange			 rv, rc, rr;
	struct kh_target		*mt;		/* the manager's targets */
	size_t				 n_mt;
	struct kh_month_result		*out;
	size_t				 lines_cap;
	struct kh_err			*err;
};

/* ---- small helpers ------------------------------------------------------ */

static const char *
d2(int64_t v, char *buf)	/* hundredths -> "12.34"; buf >= 32 */
{
	return kh_dec_format(v, 2, buf, 32);
}

static const char *
d2s(int64_t v, char *buf)	/* signed: "+2.00", "-0.50", "0.00" */
{
	if (v > 0) {
		buf[0] = '+';
		kh_dec_format(v, 2, buf + 1, 31);
		return buf;
	}
	return kh_dec_format(v, 2, buf, 32);
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

/* vsnprintf that never leaves half a UTF-8 character at a cut. */
static void
utf8_printf(char *buf, size_t len, const char *fmt, va_list ap)
{
	int r = vsnprintf(buf, len, fmt, ap);

	if (r >= 0 && (size_t)r >= len)
		kh_utf8_trim(buf);	/* cut: never half a character */
}

static int
cmp_str_ptr(const char *a, const char *b)
{
	return strcmp(a, b);
}

static int
cmp_mkey(const void *a, const void *b)
{
	const struct mkey *x = a, *y = b;
	int c = strcmp(x->mgr, y->mgr);

	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Index n rows of size bytes by the manager field at offset off. */
static struct mkey *
index_by_manager(const void *base, size_t n, size_t size, size_t off)
{
	struct mkey *k = calloc(n ? n : 1, sizeof(*k));
	size_t i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		k[i].mgr = (const char *)base + i * size + off;
		k[i].idx = i;
	}
	if (n > 0)
		qsort(k, n, sizeof(*k), cmp_mkey);
	return k;
}

/* The rows of manager m: first index not below m, first above. */
static struct mrange
range_of(const struct mkey *k, size_t n, const char *m)
{
	struct mrange r;
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].mgr, m) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	r.lo = lo;
	for (hi = lo; hi < n && strcmp(k[hi].mgr, m) == 0; hi++)
		;
	r.hi = hi;
	return r;
}

static int
cmp_brand(const void *a, const void *b)
{
	const struct kh_brand *const *x = a, *const *y = b;

	return cmp_str_ptr((*x)->code, (*y)->code);
}

static int
cmp_shelf(const void *a, const void *b)
{
	const struct kh_shelf *const *x = a, *const *y = b;
	int c = strcmp((*x)->customer, (*y)->customer);

	return c != 0 ? c : strcmp((*x)->brand, (*y)->brand);
}

static const struct kh_brand *
find_brand(const struct month_ctx *c, const char *code)
{
	struct kh_brand key, *kp = &key;
	const struct kh_brand **r;

	if (c->in->n_brands == 0)
		return NULL;
	copy(key.code, sizeof(key.code), code);
	r = bsearch(&kp, c->brands, c->in->n_brands, sizeof(*c->brands),
	    cmp_brand);
	return r != NULL ? *r : NULL;
}

static int
ordered(const struct month_ctx *c, const char *customer, const char *brand)
{
	struct kh_shelf key, *kp = &key;

	if (c->in->n_shelves == 0)
		return 0;
	copy(key.customer, sizeof(key.customer), customer);
	copy(key.brand, sizeof(key.brand), brand);
	return bsearch(&kp, c->shelves, c->in->n_shelves, sizeof(*c->shelves),
	    cmp_shelf) != NULL;
}

static int
is_key_brand(const struct kh_month_input *in, const char *code)
{
	size_t i;

	for (i = 0; i < in->n_key_brands; i++)
		if (strcmp(in->key_brands[i], code) == 0)
			return 1;
	return 0;
}

static const struct kh_target *
find_target(const struct kh_target *t, size_t n, const char *manager,
    const char *indicator)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].manager, manager) == 0 &&
		    strcmp(t[i].indicator, indicator) == 0)
			return &t[i];
	return NULL;
}

/* ---- explanation lines ---------------------------------------------------- */

static struct kh_line *
new_line(struct month_ctx *c, const char *manager, enum kh_line_kind kind,
    const char *ref)
{
	struct kh_month_result *o = c->out;
	struct kh_line *l;

	if (kh_grow(&o->lines, &c->lines_cap, o->n_lines,
	    sizeof(*o->lines)) != 0) {
		kh_err_sys(c->err, KH_FAIL, "out of memory");
		return NULL;
	}
	l = &o->lines[o->n_lines];
	memset(l, 0, sizeof(*l));
	copy(l->manager, sizeof(l->manager), manager);
	l->seq = o->n_lines > 0 && strcmp(o->lines[o->n_lines - 1].manager,
	    manager) == 0 ? o->lines[o->n_lines - 1].seq + 1 : 1;
	l->kind = kind;
	copy(l->ref, sizeof(l->ref), ref);
	o->n_lines++;
	return l;
}

static void
line_text(struct kh_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
line_text(struct kh_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utf8_printf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
}

/*
 * A number beyond its bound (score.h) or beyond exact computation: the
 * manager cannot be scored.  The reason goes to r->reason (for the sheets
 * and stderr); KH_REJECT makes score_manager turn the result incomplete.
 */
static int
implausible(struct kh_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
implausible(struct kh_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utf8_printf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return KH_REJECT;
}

static int
beyond(struct kh_result *r, const struct kh_indicator_def *d)
{
	return implausible(r, "%s（%s）：数值超出可精确计算的范围，无法评分",
	    d->name, d->code);
}

/* A line with points (signed hundredths). */
static struct kh_line *
points_line(struct month_ctx *c, const char *manager, enum kh_line_kind kind,
    const char *ref, int64_t points)
{
	struct kh_line *l = new_line(c, manager, kind, ref);

	if (l != NULL) {
		l->has_points = 1;
		l->points = points;
	}
	return l;
}

/* ---- points of the indicators --------------------------------------------- */

static int
target_missing(const struct kh_target *t)
{
	return t == NULL || t->value <= 0;
}

/* a + b, stuck at INT64_MAX or INT64_MIN instead of wrapping. */
static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/*
 * Given points first, then the moves: an indicator with if-missing and a
 * missing or zero target hands its (possibly given) points over.  The
 * scheme forbids chains, so one pass is exact.
 */
int64_t
kh_effective_points(const struct kh_scheme *s, const struct kh_target *t,
    size_t n, const char *manager, int64_t points[KH_MAX_INDICATORS])
{
	const struct kh_target *tg;
	int64_t sum = 0;
	size_t i;
	int j;

	for (i = 0; i < s->n_ind; i++) {
		tg = find_target(t, n, manager, s->ind[i].code);
		points[i] = tg != NULL && tg->has_points ? tg->points :
		    s->ind[i].points;
	}
	for (i = 0; i < s->n_ind; i++) {
		if (s->ind[i].if_missing[0] == '\0' || !target_missing(
		    find_target(t, n, manager, s->ind[i].code)))
			continue;
		if ((j = kh_scheme_indicator_index(s, s->ind[i].if_missing)) < 0)
			continue;	/* the loader refuses this */
		points[j] = sat_add(points[j], points[i]);
		points[i] = 0;
	}
	for (i = 0; i < s->n_ind; i++)
		sum = sat_add(sum, points[i]);
	return sum;
}

/* Lines for the given points and the moves, in scheme order. */
static int
explain_points(struct month_ctx *c, const char *m)
{
	const struct kh_scheme *s = c->s;
	const struct kh_target *tg;
	const struct kh_indicator_def *to;
	struct kh_line *l;
	char a[32], b[32];
	size_t i;

	for (i = 0; i < s->n_ind; i++) {
		tg = find_target(c->mt, c->n_mt, m,
		    s->ind[i].code);
		if (tg == NULL || !tg->has_points)
			continue;
		if ((l = points_line(c, m, KH_LINE_OVERRIDE, s->ind[i].code,
		    tg->points)) == NULL)
			return KH_FAIL;
		line_text(l, "%s：本月目标给定分值 %s 分（方案分值 %s 分）",
		    s->ind[i].name, d2(tg->points, a), d2(s->ind[i].points, b));
	}
	for (i = 0; i < s->n_ind; i++) {
		if (s->ind[i].if_missing[0] == '\0')
			continue;
		tg = find_target(c->mt, c->n_mt, m,
		    s->ind[i].code);
		if (!target_missing(tg))
			continue;
		to = kh_scheme_indicator(s, s->ind[i].if_missing);
		if (to == NULL)
			continue;
		if ((l = points_line(c, m, KH_LINE_MOVE, s->ind[i].code,
		    tg != NULL && tg->has_points ? tg->points :
		    s->ind[i].points)) == NULL)
			return KH_FAIL;
		line_text(l, tg == NULL ? "当月未下达%s目标，其 %s 分归属%s" :
		    "当月%s目标为零，视同未下达，其 %s 分归属%s",
		    s->ind[i].name, d2(l->points, a), to->name);
	}
	return KH_OK;
}

/* "未下达低档烟销量目标；…" for every target that cannot be missing. */
static int
why_incomplete(const struct month_ctx *c, const char *m, char *reason,
    size_t len)
{
	const struct kh_scheme *s = c->s;
	const struct kh_target *tg;
	size_t i, off = 0;
	int n = 0;

	reason[0] = '\0';
	for (i = 0; i < s->n_ind; i++) {
		if (s->ind[i].if_missing[0] != '\0')
			continue;
		tg = find_target(c->mt, c->n_mt, m,
		    s->ind[i].code);
		if (!target_missing(tg))
			continue;
		if (off < len)
			off += (size_t)snprintf(reason + off, len - off,
			    tg == NULL ? "%s未下达%s目标" : "%s%s目标为零",
			    n > 0 ? "；" : "", s->ind[i].name);
		n++;
	}
	return n;
}

/* ---- actual values ---------------------------------------------------------- */

static void
aggregate(const struct month_ctx *c, struct agg *a)
{
	const struct kh_scheme *s = c->s;
	const struct kh_volume *v;
	const struct kh_brand *b;
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = c->rv.lo; i < c->rv.hi; i++) {
		v = &c->in->volumes[c->kv[i].idx];
		a->qty[KH_FILTER_ALL] += v->qty;
		a->amount[KH_FILTER_ALL] += v->amount;
		if ((b = find_brand(c, v->brand)) != NULL) {
			if (b->price_class >= 1 && b->price_class <= 9 &&
			    (s->low_grade_classes >> b->price_class) & 1u) {
				a->qty[KH_FILTER_LOW_GRADE] += v->qty;
				a->amount[KH_FILTER_LOW_GRADE] += v->amount;
			}
			if (b->tar <= s->low_tar_max) {
				a->qty[KH_FILTER_LOW_TAR] += v->qty;
				a->amount[KH_FILTER_LOW_TAR] += v->amount;
			}
		}
		if (is_key_brand(c->in, v->brand)) {
			a->qty[KH_FILTER_KEY_BRAND] += v->qty;
			a->amount[KH_FILTER_KEY_BRAND] += v->amount;
		}
	}
}

/* Key brand k listed before (a brand counts once in the mean)? */
static int
repeated_key_brand(const struct kh_month_input *in, size_t k)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (strcmp(in->key_brands[j], in->key_brands[k]) == 0)
			return 1;
	return 0;
}

/*
 * Shelf rate in percent: mean over key brands of ordered/open, i.e.
 * 100 × Σ ordered ÷ (key brands × open customers); 0 without either.
 */
static struct kh_frac
shelf_rate(const struct month_ctx *c)
{
	const struct kh_month_input *in = c->in;
	const struct kh_customer *cu;
	int64_t open = 0, hits = 0, brands = 0;
	size_t i, k;

	for (k = 0; k < in->n_key_brands; k++)
		brands += !repeated_key_brand(in, k);
	for (i = c->rc.lo; i < c->rc.hi; i++) {
		cu = &in->customers[c->kc[i].idx];
		if (!cu->open)
			continue;
		open++;
		for (k = 0; k < in->n_key_brands; k++)
			if (!repeated_key_brand(in, k))
				hits += ordered(c, cu->id, in->key_brands[k]);
	}
	if (open == 0 || brands == 0)
		return kh_frac_make(0, 1);
	return kh_frac_make((__int128)100 * hits, (__int128)open * brands);
}

/*
 * The order sums indicator d reads, within a month's bounds (score.h):
 * beyond them the export or the store holds implausible numbers.
 */
static int
check_sums(const struct kh_indicator_def *d, const struct agg *a,
    struct kh_result *r)
{
	__int128 qty, amount;
	char b[32];

	assert((unsigned)d->filter < N_FILTERS);	/* scheme.c parsed it */
	qty = a->qty[d->filter];
	amount = a->amount[d->filter];
	if (d->measure == KH_MEASURE_SHELF_RATE)
		return KH_OK;
	if (qty < 0 || qty > KH_MONTH_MAX_QTY)
		return implausible(r, "%s（%s）：当月订单数量合计超出合理范围"
		    "（0 至 %lld 条），无法评分，请核对当月订单文件", d->name,
		    d->code, (long long)KH_MONTH_MAX_QTY);
	if (d->measure == KH_MEASURE_REVENUE_PER_CASE &&
	    (amount < 0 || amount > KH_MONTH_MAX_AMOUNT))
		return implausible(r, "%s（%s）：当月订单金额合计超出合理范围"
		    "（0 至 %s 元），无法评分，请核对当月订单文件", d->name,
		    d->code, kh_dec_format(KH_MONTH_MAX_AMOUNT, 2, b, sizeof(b)));
	return KH_OK;
}

/*
 * The actual value of indicator d, exactly, in the unit of its target;
 * the sums are within check_sums' bounds, so the products fit.
 */
static struct kh_frac
actual_value(const struct month_ctx *c, const struct kh_indicator_def *d,
    const struct agg *a)
{
	__int128 qty, amount;

	assert((unsigned)d->filter < N_FILTERS);	/* scheme.c parsed it */
	qty = a->qty[d->filter];
	amount = a->amount[d->filter];
	switch (d->measure) {
	case KH_MEASURE_VOLUME:
		return kh_frac_make(qty, c->s->case_size);
	case KH_MEASURE_REVENUE_PER_CASE:
		if (qty == 0)
			return kh_frac_make(0, 1);
		/* (amount 分 ÷ 100) ÷ (qty ÷ case size) 元/箱 */
		return kh_frac_make(amount * c->s->case_size, qty * 100);
	case KH_MEASURE_SHELF_RATE:
		return shelf_rate(c);
	}
	return kh_frac_make(0, 1);
}

/* ---- indicator scores -------------------------------------------------------- */

static const char *
sep_unit(const char *unit)	/* "%" sticks to the number, others spaced */
{
	return strcmp(unit, "%") == 0 ? "" : " ";
}

/*
 * score = points × min(actual ÷ target, cap), rounded to hundredths.
 * Points are already hundredths, so the product rounds to an integer.
 * KH_REJECT (r->reason set) when a sum or a result is out of bounds.
 */
static int
score_indicators(struct month_ctx *c, const char *m, struct kh_result *r,
    const int64_t *points)
{
	const struct kh_scheme *s = c->s;
	const struct kh_indicator_def *d;
	const struct kh_target *tg;
	struct kh_indicator_result *ir;
	struct kh_frac act, ratio, capped;
	struct kh_line *l;
	struct agg a;
	char t1[32], t2[32], t3[32], t4[32], t5[32], f4[32];
	int64_t cap4;
	size_t i;

	aggregate(c, &a);
	for (i = 0; i < s->n_ind; i++) {
		d = &s->ind[i];
		ir = &r->ind[i];
		tg = find_target(c->mt, c->n_mt, m, d->code);
		if (check_sums(d, &a, r) != KH_OK)
			return KH_REJECT;
		act = actual_value(c, d, &a);
		if (kh_frac_round(act, 2, &ir->actual) != 0)
			return beyond(r, d);
		if (target_missing(tg))
			continue;	/* moved: the move line explains it */
		ratio = kh_frac_div(act, kh_frac_make(tg->value, 100));
		capped = kh_frac_min(ratio, kh_frac_make(s->cap, 100));
		if (kh_frac_round(ratio, 4, &ir->completion) != 0 ||
		    kh_frac_round(kh_frac_mul(kh_frac_make(points[i], 1),
		    capped), 0, &ir->score) != 0 ||
		    kh_frac_round(capped, 4, &cap4) != 0 ||
		    __builtin_add_overflow(r->quantitative, ir->score,
		    &r->quantitative))
			return beyond(r, d);
		if ((l = points_line(c, m, KH_LINE_INDICATOR, d->code,
		    ir->score)) == NULL)
			return KH_FAIL;
		kh_dec_format(cap4, 4, f4, sizeof(f4));
		line_text(l, "%s：目标 %s%s%s，实际 %s%s%s，完成 %s%%，分值 %s × %s%s = %s",
		    d->name, d2(tg->value, t1), sep_unit(d->unit), d->unit,
		    d2(ir->actual, t2), sep_unit(d->unit), d->unit,
		    d2(ir->completion, t3), d2(points[i], t4), f4,
		    kh_frac_cmp(ratio, capped) > 0 ? "（封顶）" : "",
		    d2(ir->score, t5));
	}
	return KH_OK;
}

/* ---- assessment records -------------------------------------------------------- */

static int
cmp_record(const void *a, const void *b)
{
	const struct kh_record *const *x = a, *const *y = b;
	int c = strcmp((*x)->date, (*y)->date);

	return c != 0 ? c : strcmp((*x)->id, (*y)->id);
}

/* "（王强/纪检监察员）" */
static const char *
who(const struct kh_record *r, char *buf, size_t len)
{
	if (r->recorder[0] == '\0')
		buf[0] = '\0';
	else if (r->role[0] != '\0')
		snprintf(buf, len, "（记录人 %s/%s）", r->recorder, r->role);
	else
		snprintf(buf, len, "（记录人 %s）", r->recorder);
	return buf;
}

/* "已于 2013-05-20 撤销（KHV1：复核后撤销，撤销人 刘洋）", parts if known. */
static const char *
void_words(const struct kh_record *r, char *buf, size_t len)
{
	size_t off;

	snprintf(buf, len, "%s%s%s撤销（", r->void_date[0] != '\0' ? "已于 " : "已",
	    r->void_date, r->void_date[0] != '\0' ? " " : "");
	off = strlen(buf);
	snprintf(buf + off, len - off, "%s%s%s%s%s）", r->void_id,
	    r->void_reason[0] != '\0' ? "：" : "", r->void_reason,
	    r->void_recorder[0] != '\0' ? "，撤销人 " : "", r->void_recorder);
	return buf;
}

static struct kh_line *
record_line(struct month_ctx *c, const struct kh_record *r,
    enum kh_line_kind kind, int64_t points)
{
	struct kh_line *l = points_line(c, r->manager, kind, r->id, points);

	if (l == NULL)
		return NULL;
	copy(l->date, sizeof(l->date), r->date);
	copy(l->item, sizeof(l->item), r->item);
	copy(l->customer, sizeof(l->customer), r->customer);
	l->count = r->count;
	copy(l->recorder, sizeof(l->recorder), r->recorder);
	copy(l->role, sizeof(l->role), r->role);
	return l;
}

/*
 * The points of a rate record's shortfall (hundredths of a percent), by
 * the scheme's rule, into *pts; -1 if they leave int64_t.
 */
static int
rate_points(const struct kh_scheme *s, const struct kh_item_def *it,
    const struct kh_record *r, int64_t *pts)
{
	int64_t shortfall, n = 0;

	*pts = 0;
	if (__builtin_sub_overflow(r->required, r->value, &shortfall))
		return -1;
	if (shortfall <= 0)
		return 0;
	switch (s->shortfall) {
	case KH_SHORTFALL_WHOLE:
		if (kh_trunc(shortfall, 100, &n) != 0)
			return -1;
		break;
	case KH_SHORTFALL_HALF_UP:
		if (kh_round_half_away(shortfall, 100, &n) != 0)
			return -1;
		break;
	case KH_SHORTFALL_EXACT:
		return kh_round_half_away((__int128)it->points * shortfall, 100,
		    pts);
	}
	return __builtin_mul_overflow(it->points, n, pts) ? -1 : 0;
}

/*
 * The signed points a record counts, into *pts: checked, and a panel
 * record within its item's max-points (the importer's rule; a record
 * stored before that rule may break it).  KH_REJECT with the reason.
 */
static int
record_points(struct month_ctx *c, const struct kh_record *r,
    const struct kh_item_def *it, struct kh_result *res, int64_t *pts)
{
	char a[32], b[32];
	int bad = 0;

	*pts = 0;
	switch (it->kind) {
	case KH_ITEM_UNIT:
		bad = __builtin_mul_overflow(it->points, r->count, pts);
		break;
	case KH_ITEM_ONCE_PER_CUSTOMER:
		*pts = it->points;
		break;
	case KH_ITEM_PANEL:
		if (r->points > it->max_points || r->points < -it->max_points)
			return implausible(res, "定性指标 %s：记录 %s 的分值 %s "
			    "超出方案上限 %s 分，无法评分", it->code, r->id,
			    d2s(r->points, a), d2(it->max_points, b));
		*pts = r->points;
		break;
	case KH_ITEM_RATE:
		bad = rate_points(c->s, it, r, pts) != 0;
		break;
	}
	if (bad)
		return implausible(res, "定性指标 %s：记录 %s 的分值超出可精确"
		    "计算的范围，无法评分", it->code, r->id);
	return KH_OK;
}

/*
 * Add pts to the manager's deductions or bonuses, each at most
 * KH_MONTH_MAX_POINTS (score.h).
 */
static int
add_points(struct kh_result *res, const struct kh_record *r, int64_t pts)
{
	int64_t *sum = pts < 0 ? &res->deductions : &res->bonuses;
	char b[32];
	int over;

	if (pts < 0)	/* deductions are kept positive */
		over = __builtin_sub_overflow(*sum, pts, sum);
	else
		over = __builtin_add_overflow(*sum, pts, sum);
	if (over || *sum > KH_MONTH_MAX_POINTS)
		return implausible(res, "定性指标 %s：当月%s合计超出合理上限 "
		    "%s 分（至记录 %s），无法评分", r->item, pts < 0 ? "扣分" :
		    "加分", d2(KH_MONTH_MAX_POINTS, b), r->id);
	return KH_OK;
}

/* Points of an effective record, with its line's wording. */
static int
count_record(struct month_ctx *c, const struct kh_record *r,
    const struct kh_item_def *it, struct kh_result *res)
{
	struct kh_line *l;
	char w[300], a[32], b[32], d[32], e[32];
	int64_t pts;
	int rc;

	if ((rc = record_points(c, r, it, res, &pts)) != KH_OK ||
	    (rc = add_points(res, r, pts)) != KH_OK)
		return rc;
	if ((l = record_line(c, r, KH_LINE_RECORD, pts)) == NULL)
		return KH_FAIL;
	who(r, w, sizeof(w));
	switch (it->kind) {
	case KH_ITEM_UNIT:
		line_text(l, "%s %s %s：%lld × %s = %s%s", r->date, it->code,
		    it->text, (long long)r->count, d2s(it->points, a),
		    d2s(pts, b), w);
		break;
	case KH_ITEM_ONCE_PER_CUSTOMER:
		line_text(l, "%s %s %s：客户 %s，%s%s", r->date, it->code,
		    it->text, r->customer, d2s(pts, a), w);
		break;
	case KH_ITEM_PANEL:
		line_text(l, "%s %s %s：考评小组确定 %s（%s）%s", r->date,
		    it->code, it->text, d2s(pts, a), r->decision, w);
		break;
	case KH_ITEM_RATE:
		if (r->value >= r->required)
			line_text(l, "%s %s %s：要求 %s%%，实际 %s%%，已达要求，"
			    "计 %s%s", r->date, it->code, it->text,
			    d2(r->required, a), d2(r->value, b), d2s(pts, e), w);
		else
			line_text(l, "%s %s %s：要求 %s%%，实际 %s%%，低 %s 个"
			    "百分点，计 %s%s", r->date, it->code, it->text,
			    d2(r->required, a), d2(r->value, b),
			    d2(r->required - r->value, d), d2s(pts, e), w);
		break;
	}
	return KH_OK;
}

/* Is rec[i] a later repeat of a once-per-customer record (sorted order)? */
static const struct kh_record *
earlier_same_customer(const struct kh_record **rec, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!rec[j]->voided && strcmp(rec[j]->item, rec[i]->item) == 0 &&
		    strcmp(rec[j]->customer, rec[i]->customer) == 0)
			return rec[j];
	return NULL;
}

/* The counting rate record of rec[i]'s item: the last non-voided in order. */
static const struct kh_record *
latest_rate(const struct kh_record **rec, size_t n, size_t i)
{
	size_t j;

	for (j = n; j-- > i + 1;)
		if (!rec[j]->voided && strcmp(rec[j]->item, rec[i]->item) == 0)
			return rec[j];
	return NULL;
}

/* An input that breaks the scheme: the store/importer let it through. */
static int
bad_record(struct month_ctx *c, const struct kh_record *r, const char *why)
{
	return kh_err_set(c->err, KH_FAIL, NULL, 0, "record", r->id,
	    "internal: assessment record of %s, item %s: %s", r->manager,
	    r->item, why);
}

static int
check_record(struct month_ctx *c, const struct kh_record *r,
    const struct kh_item_def *it)
{
	if (it == NULL)
		return bad_record(c, r, "item not in the scheme");
	if (strncmp(r->date, c->in->month, strlen(c->in->month)) != 0)
		return bad_record(c, r, "date outside the month scored");
	if (it->kind == KH_ITEM_RATE && !r->has_value)
		return bad_record(c, r, "rate record without value/required");
	if (it->kind == KH_ITEM_PANEL && (!r->has_points ||
	    (r->points < 0 && it->sign > 0) || (r->points > 0 && it->sign < 0)))
		return bad_record(c, r, "panel record without points of the "
		    "item's sign");
	if (it->kind == KH_ITEM_ONCE_PER_CUSTOMER && r->customer[0] == '\0')
		return bad_record(c, r, "once-per-customer record without "
		    "customer");
	return KH_OK;
}

/* One record of the manager, sorted rec[0..n), index i. */
static int
explain_record(struct month_ctx *c, const struct kh_record **rec, size_t n,
    size_t i, struct kh_result *res)
{
	const struct kh_record *r = rec[i], *o;
	const struct kh_item_def *it = kh_scheme_item(c->s, r->item);
	struct kh_line *l;
	char w[600];

	if (check_record(c, r, it) != KH_OK)
		return KH_FAIL;
	if (r->voided) {
		if ((l = record_line(c, r, KH_LINE_VOIDED, 0)) == NULL)
			return KH_FAIL;
		line_text(l, "%s %s %s：%s，不计分", r->date, it->code, it->text,
		    void_words(r, w, sizeof(w)));
		return KH_OK;
	}
	if (it->kind == KH_ITEM_RATE && (o = latest_rate(rec, n, i)) != NULL) {
		if ((l = record_line(c, r, KH_LINE_SUPERSEDED, 0)) == NULL)
			return KH_FAIL;
		line_text(l, "%s %s %s：已被 %s 的记录 %s 取代，不计分%s",
		    r->date, it->code, it->text, o->date, o->id,
		    who(r, w, sizeof(w)));
		return KH_OK;
	}
	if (it->kind == KH_ITEM_ONCE_PER_CUSTOMER &&
	    (o = earlier_same_customer(rec, i)) != NULL) {
		if ((l = record_line(c, r, KH_LINE_REPEAT, 0)) == NULL)
			return KH_FAIL;
		line_text(l, "%s %s %s：客户 %s 当月已计分（%s），不累计%s",
		    r->date, it->code, it->text, r->customer, o->id,
		    who(r, w, sizeof(w)));
		return KH_OK;
	}
	return count_record(c, r, it, res);
}

static int
score_records(struct month_ctx *c, struct kh_result *res)
{
	const struct kh_record **rec = NULL;
	size_t i, n = 0;
	int rc = KH_FAIL;

	if (c->rr.hi > c->rr.lo &&
	    (rec = calloc(c->rr.hi - c->rr.lo, sizeof(*rec))) == NULL) {
		kh_err_sys(c->err, KH_FAIL, "out of memory");
		goto out;
	}
	for (i = c->rr.lo; i < c->rr.hi; i++)
		rec[n++] = &c->in->records[c->kr[i].idx];
	if (n > 0)
		qsort(rec, n, sizeof(*rec), cmp_record);
	for (i = 0; i < n; i++)
		if ((rc = explain_record(c, rec, n, i, res)) != KH_OK)
			goto out;	/* KH_REJECT: out of bounds, see implausible */
	rc = KH_OK;
out:
	free(rec);
	return rc;
}

/* ---- one manager ---------------------------------------------------------------- */

static int
sum_up(struct month_ctx *c, const char *m, struct kh_result *r)
{
	const struct kh_scheme *s = c->s;
	struct kh_line *l;
	char a[32], b[32], d[32], e[32], f[32];
	int64_t q;

	/* within the bounds these cannot overflow; checked all the same */
	if (__builtin_sub_overflow(s->qual_base, r->deductions, &q) ||
	    __builtin_add_overflow(q, r->bonuses, &q))
		return implausible(r, "定性指标：%s − 扣分 %s + 加分 %s 超出可精确"
		    "计算的范围，无法评分", d2(s->qual_base, a),
		    d2(r->deductions, b), d2(r->bonuses, d));
	r->qualitative = q < s->qual_floor ? s->qual_floor : q;
	if (s->has_qual_cap && r->qualitative > s->qual_cap)
		r->qualitative = s->qual_cap;
	if ((l = points_line(c, m, KH_LINE_QUALITATIVE, "", r->qualitative)) == NULL)
		return KH_FAIL;
	if (q == r->qualitative)
		line_text(l, "定性指标：%s − 扣分 %s + 加分 %s = %s",
		    d2(s->qual_base, a), d2(r->deductions, b), d2(r->bonuses, d),
		    d2(q, e));
	else
		line_text(l, "定性指标：%s − 扣分 %s + 加分 %s = %s，按%s %s 计",
		    d2(s->qual_base, a), d2(r->deductions, b), d2(r->bonuses, d),
		    d2(q, e), q < r->qualitative ? "下限" : "上限",
		    d2(r->qualitative, f));
	if (__builtin_add_overflow(r->quantitative, r->qualitative, &r->total))
		return implausible(r, "总分：定量 %s + 定性 %s 超出可精确计算的"
		    "范围，无法评分", d2(r->quantitative, a),
		    d2(r->qualitative, b));
	if ((l = points_line(c, m, KH_LINE_TOTAL, "", r->total)) == NULL)
		return KH_FAIL;
	line_text(l, "总分：定量 %s + 定性 %s = %s", d2(r->quantitative, a),
	    d2(r->qualitative, b), d2(r->total, d));
	return KH_OK;
}

/* Point the context at manager m's rows; copy m's targets. */
static int
select_manager(struct month_ctx *c, const char *m)
{
	const struct kh_month_input *in = c->in;
	struct mrange rt;
	size_t i;

	c->rv = range_of(c->kv, in->n_volumes, m);
	c->rc = range_of(c->kc, in->n_customers, m);
	c->rr = range_of(c->kr, in->n_records, m);
	rt = range_of(c->kt, in->n_targets, m);
	free(c->mt);
	c->n_mt = 0;
	if ((c->mt = calloc(rt.hi - rt.lo + 1, sizeof(*c->mt))) == NULL)
		return kh_err_sys(c->err, KH_FAIL, "out of memory");
	for (i = rt.lo; i < rt.hi; i++)	/* input order kept: first wins */
		c->mt[c->n_mt++] = in->targets[c->kt[i].idx];
	return KH_OK;
}

/* Each indicator's points and target, for complete and incomplete alike. */
static void
fill_points(struct month_ctx *c, struct kh_result *r, const int64_t *points)
{
	const struct kh_scheme *s = c->s;
	const struct kh_target *tg;
	size_t i;

	r->n_ind = s->n_ind;
	for (i = 0; i < s->n_ind; i++) {
		tg = find_target(c->mt, c->n_mt, r->manager, s->ind[i].code);
		copy(r->ind[i].code, sizeof(r->ind[i].code), s->ind[i].code);
		r->ind[i].points = points[i];
		r->ind[i].has_target = tg != NULL;
		r->ind[i].target = tg != NULL ? tg->value : 0;
	}
}

/*
 * KH_REJECT if an indicator's points (given ones, after the moves) leave
 * 0..KH_SCHEME_MAX_POINTS, which the importer's check that they add up
 * to the scheme's total rules out.
 */
static int
check_points(struct month_ctx *c, struct kh_result *r, const int64_t *points)
{
	const struct kh_scheme *s = c->s;
	char a[32], v[40] = "";
	size_t i;

	for (i = 0; i < s->n_ind; i++) {
		if (points[i] >= 0 && points[i] <= KH_SCHEME_MAX_POINTS)
			continue;
		if (points[i] != INT64_MAX && points[i] != INT64_MIN)
			snprintf(v, sizeof(v), " %s ", d2(points[i], a));
		return implausible(r, "%s（%s）：分值%s超出合理范围（0 至 10000 "
		    "分），无法评分，请核对当月目标文件", s->ind[i].name,
		    s->ind[i].code, v);
	}
	return KH_OK;
}

/*
 * A number out of bounds (r->reason says which): the manager's lines
 * from `first` on and every score are taken back, leaving an incomplete
 * result with its one INCOMPLETE line, like a missing target.
 */
static int
cannot_score(struct month_ctx *c, struct kh_result *r, size_t first)
{
	struct kh_line *l;
	size_t i;

	c->out->n_lines = first;
	r->incomplete = 1;
	r->quantitative = r->deductions = r->bonuses = 0;
	r->qualitative = r->total = 0;
	for (i = 0; i < r->n_ind; i++)
		r->ind[i].actual = r->ind[i].completion = r->ind[i].score = 0;
	if ((l = new_line(c, r->manager, KH_LINE_INCOMPLETE, "")) == NULL)
		return KH_FAIL;
	line_text(l, "无法评分：%s", r->reason);
	return KH_OK;
}

static int
score_manager(struct month_ctx *c, const struct kh_manager *mg,
    struct kh_result *r)
{
	int64_t points[KH_MAX_INDICATORS];
	size_t first = c->out->n_lines;
	struct kh_line *l;
	int rc;

	if (select_manager(c, mg->id) != KH_OK)
		return KH_FAIL;
	copy(r->manager, sizeof(r->manager), mg->id);
	copy(r->name, sizeof(r->name), mg->name);
	copy(r->group, sizeof(r->group), mg->group);
	kh_effective_points(c->s, c->mt, c->n_mt, mg->id, points);
	fill_points(c, r, points);
	if (why_incomplete(c, mg->id, r->reason, sizeof(r->reason)) > 0) {
		r->incomplete = 1;
		if ((l = new_line(c, mg->id, KH_LINE_INCOMPLETE, "")) == NULL)
			return KH_FAIL;
		line_text(l, "无法评分：%s", r->reason);
		return KH_OK;
	}
	if ((rc = check_points(c, r, points)) == KH_OK &&
	    (rc = explain_points(c, mg->id)) == KH_OK &&
	    (rc = score_indicators(c, mg->id, r, points)) == KH_OK &&
	    (rc = score_records(c, r)) == KH_OK)
		rc = sum_up(c, mg->id, r);
	return rc == KH_REJECT ? cannot_score(c, r, first) : rc;
}

/* Sorted lookups for the month; freed by the caller. */
static int
build_lookups(struct month_ctx *c)
{
	const struct kh_month_input *in = c->in;
	size_t i;

	if (in->n_brands > 0 &&
	    (c->brands = calloc(in->n_brands, sizeof(*c->brands))) == NULL)
		return kh_err_sys(c->err, KH_FAIL, "out of memory");
	if (in->n_shelves > 0 &&
	    (c->shelves = calloc(in->n_shelves, sizeof(*c->shelves))) == NULL)
		return kh_err_sys(c->err, KH_FAIL, "out of memory");
	c->kv = index_by_manager(in->volumes, in->n_volumes,
	    sizeof(*in->volumes), offsetof(struct kh_volume, manager));
	c->kc = index_by_manager(in->customers, in->n_customers,
	    sizeof(*in->customers), offsetof(struct kh_customer, manager));
	c->kr = index_by_manager(in->records, in->n_records,
	    sizeof(*in->records), offsetof(struct kh_record, manager));
	c->kt = index_by_manager(in->targets, in->n_targets,
	    sizeof(*in->targets), offsetof(struct kh_target, manager));
	if (c->kv == NULL || c->kc == NULL || c->kr == NULL || c->kt == NULL)
		return kh_err_sys(c->err, KH_FAIL, "out of memory");
	for (i = 0; i < in->n_brands; i++)
		c->brands[i] = &in->brands[i];
	for (i = 0; i < in->n_shelves; i++)
		c->shelves[i] = &in->shelves[i];
	if (in->n_brands > 0)
		qsort(c->brands, in->n_brands, sizeof(*c->brands), cmp_brand);
	if (in->n_shelves > 0)
		qsort(c->shelves, in->n_shelves, sizeof(*c->shelves), cmp_shelf);
	return KH_OK;
}

int
kh_score_month(const struct kh_scheme *s, const struct kh_month_input *in,
    struct kh_month_result *out, struct kh_err *err)
{
	struct month_ctx c;
	size_t i;
	int rc = KH_FAIL;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.in = in;
	c.out = out;
	c.err = err;
	copy(out->month, sizeof(out->month), in->month);
	if (build_lookups(&c) != KH_OK)
		goto out;
	if (in->n_managers > 0 &&
	    (out->results = calloc(in->n_managers, sizeof(*out->results))) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	out->n = in->n_managers;
	for (i = 0; i < in->n_managers; i++)
		if (score_manager(&c, &in->managers[i], &out->results[i]) != KH_OK)
			goto out;
	kh_rank(out->results, out->n);
	rc = KH_OK;
out:
	free(c.brands);
	free(c.shelves);
	free(c.kv);
	free(c.kc);
	free(c.kr);
	free(c.kt);
	free(c.mt);
	if (rc != KH_OK)
		kh_month_result_clear(out);
	return rc;
}


/* ---- ranks ---------------------------------------------------------------------- */

/* What ranking and ordering look at, for results and annual rows alike. */
struct rank_key {
	int64_t		 total;
	const char	*id;
	int		 unranked;
	size_t		 idx;
};

static int
cmp_rank_key(const void *a, const void *b)
{
	const struct rank_key *x = a, *y = b;

	if (x->unranked != y->unranked)
		return x->unranked - y->unranked;
	if (!x->unranked && x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Sort keys into printing order and give ranks 1, 2, 2, 4 (0: unranked). */
static void
rank_keys(struct rank_key *k, size_t n, int *rank_of)
{
	size_t i;

	qsort(k, n, sizeof(*k), cmp_rank_key);
	for (i = 0; i < n; i++) {
		if (k[i].unranked)
			rank_of[k[i].idx] = 0;
		else if (i > 0 && !k[i - 1].unranked && k[i - 1].total == k[i].total)
			rank_of[k[i].idx] = rank_of[k[i - 1].idx];
		else
			rank_of[k[i].idx] = (int)i + 1;
	}
}

/* Order (and ranks when rank_out) of results; idx may be NULL. */
static int
order_results(struct kh_result *r, const struct kh_result *cr, size_t n,
    size_t *idx)
{
	struct rank_key *k;
	int *rank;
	size_t i;

	k = calloc(n ? n : 1, sizeof(*k));
	rank = calloc(n ? n : 1, sizeof(*rank));
	if (k == NULL || rank == NULL) {
		free(k);
		free(rank);
		return -1;
	}
	for (i = 0; i < n; i++) {
		k[i].total = cr[i].total;
		k[i].id = cr[i].manager;
		k[i].unranked = cr[i].incomplete;
		k[i].idx = i;
	}
	rank_keys(k, n, rank);
	for (i = 0; i < n; i++) {
		if (r != NULL)
			r[i].rank = rank[i];
		if (idx != NULL)
			idx[i] = k[i].idx;
	}
	free(k);
	free(rank);
	return 0;
}

void
kh_rank(struct kh_result *r, size_t n)
{
	size_t i, j;

	if (order_results(r, r, n, NULL) == 0)
		return;
	/* Out of memory: rank by counting, O(n²) but allocation-free. */
	for (i = 0; i < n; i++) {
		r[i].rank = 0;
		if (r[i].incomplete)
			continue;
		r[i].rank = 1;
		for (j = 0; j < n; j++)
			if (!r[j].incomplete && r[j].total > r[i].total)
				r[i].rank++;
	}
}

void
kh_result_order(const struct kh_result *r, size_t n, size_t *idx)
{
	size_t i, j, t;

	if (order_results(NULL, r, n, idx) == 0)
		return;
	/* Out of memory: insertion sort of indexes, same order. */
	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			const struct kh_result *a = &r[idx[j - 1]], *b = &r[idx[j]];
			int later = a->incomplete != b->incomplete ?
			    a->incomplete > b->incomplete :
			    !a->incomplete && a->rank != b->rank ?
			    a->rank > b->rank :
			    strcmp(a->manager, b->manager) > 0;

			if (!later)
				break;
			t = idx[j - 1];
			idx[j - 1] = idx[j];
			idx[j] = t;
		}
}

/* ---- the year -------------------------------------------------------------------- */

static struct kh_annual_row *
find_row(struct kh_annual_row *rows, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].manager, id) == 0)
			return &rows[i];
	return NULL;
}

int
kh_score_year(const struct kh_month_result *months, size_t n_months,
    struct kh_annual_row **rows_out, size_t *n_out, struct kh_err *err)
{
	struct kh_annual_row *rows = NULL, *row, *sorted = NULL;
	struct rank_key *k = NULL;
	int *rank = NULL;
	size_t cap = 0, n = 0, i, j;
	int rc = KH_FAIL;

	*rows_out = NULL;
	*n_out = 0;
	for (i = 0; i < n_months; i++)
		cap += months[i].n;
	if ((rows = calloc(cap ? cap : 1, sizeof(*rows))) == NULL)
		goto oom;
	for (i = 0; i < n_months; i++)
		for (j = 0; j < months[i].n; j++) {
			const struct kh_result *r = &months[i].results[j];

			if ((row = find_row(rows, n, r->manager)) == NULL) {
				row = &rows[n++];
				copy(row->manager, sizeof(row->manager), r->manager);
			}
			/* later months overwrite: name and group of the latest */
			copy(row->name, sizeof(row->name), r->name);
			copy(row->group, sizeof(row->group), r->group);
			if (!r->incomplete) {
				row->months++;
				if (__builtin_add_overflow(row->total, r->total,
				    &row->total)) {
					kh_err_sys(err, KH_FAIL, "the year's total "
					    "of manager %s cannot be computed: its "
					    "months are beyond every bound", r->manager);
					goto out;
				}
			}
		}
	k = calloc(n ? n : 1, sizeof(*k));
	rank = calloc(n ? n : 1, sizeof(*rank));
	sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (k == NULL || rank == NULL || sorted == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		k[i].total = rows[i].total;
		k[i].id = rows[i].manager;
		k[i].idx = i;
	}
	rank_keys(k, n, rank);
	for (i = 0; i < n; i++) {
		sorted[i] = rows[k[i].idx];
		sorted[i].rank = rank[k[i].idx];
	}
	*rows_out = sorted;
	*n_out = n;
	sorted = NULL;
	rc = KH_OK;
	goto out;
oom:
	kh_err_sys(err, KH_FAIL, "out of memory");
out:
	free(rows);
	free(k);
	free(rank);
	free(sorted);
	return rc;
}

void
kh_annual_free(struct kh_annual_row *rows)
{
	free(rows);
}
