/*
 * test_score.c — every rule of scoring.md, with hand-computed values.
 *
 * The scheme is the real templates/scheme-2013.xml; tests that need
 * another parameter (cap 1.20, shortfall rule, a qualitative cap) change
 * that field of the loaded struct, as another scheme file would.
 *
 * Brands of every test (case = 250 条; low grade = class 4, 5; low tar
 * = tar <= 8.00 mg; key brands B1 and B4):
 *   B1 class 3 tar 10.00   key
 *   B2 class 5 tar  6.00   low grade, low tar
 *   B3 class 3 tar  8.00   low tar (exactly at the limit)
 *   B4 class 4 tar  8.01   low grade, key (just over the tar limit)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scheme.h"
#include "score.h"

#define N 32

/* Test input with its own storage; in points into the arrays. */
struct tin {
	struct kh_month_input	in;
	struct kh_manager	m[N];
	struct kh_customer	c[N];
	struct kh_brand		b[N];
	char			kb[N][KH_CODE_MAX];
	struct kh_target	t[N * 6];
	struct kh_volume	v[N];
	struct kh_shelf		sh[N];
	struct kh_record	r[N];
};

static struct kh_scheme *scheme;

static int
setup(void **state)
{
	struct kh_err err;

	(void)state;
	return kh_scheme_load("templates/scheme-2013.xml", &scheme, &err);
}

static int
teardown(void **state)
{
	(void)state;
	kh_scheme_free(scheme);
	return 0;
}

/* The scheme as loaded, before a test changes a parameter. */
static void
reset_scheme(void)
{
	scheme->cap = 100;
	scheme->shortfall = KH_SHORTFALL_WHOLE;
	scheme->has_qual_cap = 0;
	scheme->qual_floor = 0;
}

static struct tin *
new_tin(void)
{
	struct tin *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->in.month, sizeof(t->in.month), "2013-05");
	t->in.managers = t->m;
	t->in.customers = t->c;
	t->in.brands = t->b;
	t->in.key_brands = t->kb;
	t->in.targets = t->t;
	t->in.volumes = t->v;
	t->in.shelves = t->sh;
	t->in.records = t->r;
	reset_scheme();
	return t;
}

static void
add_manager(struct tin *t, const char *id, const char *name)
{
	struct kh_manager *m = &t->m[t->in.n_managers++];

	snprintf(m->id, sizeof(m->id), "%s", id);
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->group, sizeof(m->group), "城区一组");
}

static void
add_customer(struct tin *t, const char *id, const char *manager, int open)
{
	struct kh_customer *c = &t->c[t->in.n_customers++];

	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->manager, sizeof(c->manager), "%s", manager);
	c->open = open;
}

static void
add_brand(struct tin *t, const char *code, int cls, int64_t tar)
{
	struct kh_brand *b = &t->b[t->in.n_brands++];

	snprintf(b->code, sizeof(b->code), "%s", code);
	b->price_class = cls;
	b->tar = tar;
}

static void
std_brands(struct tin *t)
{
	add_brand(t, "B1", 3, 1000);
	add_brand(t, "B2", 5, 600);
	add_brand(t, "B3", 3, 800);
	add_brand(t, "B4", 4, 801);
	snprintf(t->kb[0], KH_CODE_MAX, "B1");
	snprintf(t->kb[1], KH_CODE_MAX, "B4");
	t->in.n_key_brands = 2;
}

static struct kh_target *
add_target(struct tin *t, const char *m, const char *ind, int64_t value)
{
	struct kh_target *g = &t->t[t->in.n_targets++];

	snprintf(g->manager, sizeof(g->manager), "%s", m);
	snprintf(g->indicator, sizeof(g->indicator), "%s", ind);
	g->value = value;
	return g;
}

/* All six targets, hundredths; a negative value means "no target". */
static void
targets(struct tin *t, const char *m, int64_t tv, int64_t lg, int64_t lt,
    int64_t kb, int64_t sr, int64_t rpc)
{
	static const char *codes[] = { "total_volume", "low_grade_volume",
	    "low_tar_volume", "key_brand_volume", "key_brand_shelf_rate",
	    "revenue_per_case" };
	int64_t v[6] = { tv, lg, lt, kb, sr, rpc };
	int i;

	for (i = 0; i < 6; i++)
		if (v[i] >= 0)
			add_target(t, m, codes[i], v[i]);
}

static void
add_volume(struct tin *t, const char *m, const char *brand, int64_t qty,
    int64_t amount_fen)
{
	struct kh_volume *v = &t->v[t->in.n_volumes++];

	snprintf(v->manager, sizeof(v->manager), "%s", m);
	snprintf(v->brand, sizeof(v->brand), "%s", brand);
	v->qty = qty;
	v->amount = amount_fen;
}

static void
add_shelf(struct tin *t, const char *customer, const char *brand)
{
	struct kh_shelf *s = &t->sh[t->in.n_shelves++];

	snprintf(s->customer, sizeof(s->customer), "%s", customer);
	snprintf(s->brand, sizeof(s->brand), "%s", brand);
}

static struct kh_record *
add_record(struct tin *t, const char *id, const char *date, const char *m,
    const char *item, int64_t count)
{
	struct kh_record *r = &t->r[t->in.n_records++];

	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->date, sizeof(r->date), "%s", date);
	snprintf(r->manager, sizeof(r->manager), "%s", m);
	snprintf(r->item, sizeof(r->item), "%s", item);
	snprintf(r->recorder, sizeof(r->recorder), "王强");
	snprintf(r->role, sizeof(r->role), "纪检监察员");
	r->count = count;
	return r;
}

static struct kh_record *
add_rate(struct tin *t, const char *id, const char *date, const char *m,
    const char *item, int64_t value, int64_t required)
{
	struct kh_record *r = add_record(t, id, date, m, item, 1);

	r->has_value = 1;
	r->value = value;
	r->required = required;
	return r;
}

static struct kh_record *
add_panel(struct tin *t, const char *id, const char *m, const char *item,
    int64_t points)
{
	struct kh_record *r = add_record(t, id, "2013-05-28", m, item, 1);

	r->has_points = 1;
	r->points = points;
	snprintf(r->decision, sizeof(r->decision), "考评小组2013年第5次会议");
	return r;
}

static struct kh_record *
add_once(struct tin *t, const char *id, const char *date, const char *m,
    const char *customer)
{
	struct kh_record *r = add_record(t, id, date, m, "10.3", 1);

	snprintf(r->customer, sizeof(r->customer), "%s", customer);
	return r;
}

static void
score(struct tin *t, struct kh_month_result *out)
{
	struct kh_err err;

	kh_err_clear(&err);
	if (kh_score_month(scheme, &t->in, out, &err) != KH_OK)
		fail_msg("kh_score_month: %s", err.msg);
}

static const struct kh_result *
result(const struct kh_month_result *o, const char *m)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->results[i].manager, m) == 0)
			return &o->results[i];
	fail_msg("no result for %s", m);
	return NULL;
}

static const struct kh_indicator_result *
ind(const struct kh_result *r, const char *code)
{
	int i = kh_scheme_indicator_index(scheme, code);

	assert_true(i >= 0);
	assert_string_equal(r->ind[i].code, code);
	return &r->ind[i];
}

/* The n-th (0-based) line of manager m of kind k with ref (NULL: any). */
static const struct kh_line *
line(const struct kh_month_result *o, const char *m, enum kh_line_kind k,
    const char *ref, int nth)
{
	size_t i;

	for (i = 0; i < o->n_lines; i++)
		if (strcmp(o->lines[i].manager, m) == 0 && o->lines[i].kind == k &&
		    (ref == NULL || strcmp(o->lines[i].ref, ref) == 0) &&
		    nth-- == 0)
			return &o->lines[i];
	fail_msg("no line %d of kind %d ref %s for %s", nth, (int)k,
	    ref ? ref : "*", m);
	return NULL;
}

static size_t
count_lines(const struct kh_month_result *o, const char *m,
    enum kh_line_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < o->n_lines; i++)
		n += strcmp(o->lines[i].manager, m) == 0 && o->lines[i].kind == k;
	return n;
}

/*
 * KM001's month: B1 40000 条 at 150 元, B2 10000 at 20, B3 5000 at 25,
 * B4 20000 at 80.  Customers C1..C3 open, C4 suspended; C1 ordered B1
 * and B4, C2 B1, C3 B4 through KM002, C4 (suspended) B1.
 */
static struct tin *
std_month(void)
{
	struct tin *t = new_tin();

	std_brands(t);
	add_manager(t, "KM001", "张伟");
	add_manager(t, "KM002", "李娜");
	add_customer(t, "C1", "KM001", 1);
	add_customer(t, "C2", "KM001", 1);
	add_customer(t, "C3", "KM001", 1);
	add_customer(t, "C4", "KM001", 0);
	add_customer(t, "C5", "KM002", 1);
	add_volume(t, "KM001", "B1", 40000, 40000 * 15000);
	add_volume(t, "KM001", "B2", 10000, 10000 * 2000);
	add_volume(t, "KM001", "B3", 5000, 5000 * 2500);
	add_volume(t, "KM001", "B4", 20000, 20000 * 8000);
	add_volume(t, "KM002", "B1", 25000, 25000 * 15000);
	add_volume(t, "KM002", "B4", 250, 250 * 8000);
	add_shelf(t, "C1", "B1");
	add_shelf(t, "C1", "B4");
	add_shelf(t, "C2", "B1");
	add_shelf(t, "C3", "B4");
	add_shelf(t, "C4", "B1");
	/* KM001: total 320.50, low grade 100, low tar 80, key 300, shelf
	 * 80.00 %, revenue 28000 元/箱 */
	targets(t, "KM001", 32050, 10000, 8000, 30000, 8000, 2800000);
	/* KM002: no key-brand volume target, shelf-rate target zero */
	targets(t, "KM002", 20200, 200, 1000, -1, 0, 4000000);
	return t;
}

static void
test_each_indicator(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();

	(void)state;
	score(t, &o);
	r = result(&o, "KM001");
	assert_false(r->incomplete);
	/* total: 75000 条 / 250 = 300.00 箱; 300 / 320.5 = 0.93603…;
	 * 20 × 0.93603… = 18.7207… -> 18.72 */
	assert_int_equal(ind(r, "total_volume")->actual, 30000);
	assert_int_equal(ind(r, "total_volume")->completion, 9360);
	assert_int_equal(ind(r, "total_volume")->score, 1872);
	assert_string_equal(line(&o, "KM001", KH_LINE_INDICATOR,
	    "total_volume", 0)->text, "卷烟总销量：目标 320.50 箱，实际 300.00 箱，"
	    "完成 93.60%，分值 20.00 × 0.9360 = 18.72");
	/* low grade: B2 40 箱 + B4 80 箱 = 120 箱; 120/100 = 1.2, capped 1
	 * -> 5 × 1 = 5.00; completion shown uncapped 120.00 % */
	assert_int_equal(ind(r, "low_grade_volume")->actual, 12000);
	assert_int_equal(ind(r, "low_grade_volume")->completion, 12000);
	assert_int_equal(ind(r, "low_grade_volume")->score, 500);
	assert_string_equal(line(&o, "KM001", KH_LINE_INDICATOR,
	    "low_grade_volume", 0)->text, "低档烟销量：目标 100.00 箱，实际 "
	    "120.00 箱，完成 120.00%，分值 5.00 × 1.0000（封顶） = 5.00");
	/* low tar: B2 40 + B3 20 (tar 8.00 = limit) = 60 箱, B4 (8.01) not;
	 * 60/80 = 0.75 -> 5 × 0.75 = 3.75 */
	assert_int_equal(ind(r, "low_tar_volume")->actual, 6000);
	assert_int_equal(ind(r, "low_tar_volume")->score, 375);
	/* key brands B1 160 + B4 80 = 240 箱; 240/300 = 0.8 -> 4.00 */
	assert_int_equal(ind(r, "key_brand_volume")->actual, 24000);
	assert_int_equal(ind(r, "key_brand_volume")->score, 400);
	/* shelf: open C1..C3 (C4 suspended, not counted); B1: C1, C2 = 2/3;
	 * B4: C1, C3 (via KM002, counts) = 2/3; mean 66.67 %; 66.666…/80 =
	 * 0.8333… -> 5 × 0.8333… = 4.1666… -> 4.17 */
	assert_int_equal(ind(r, "key_brand_shelf_rate")->actual, 6667);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->completion, 8333);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->score, 417);
	assert_string_equal(line(&o, "KM001", KH_LINE_INDICATOR,
	    "key_brand_shelf_rate", 0)->text, "重点品牌上柜率：目标 80.00%，"
	    "实际 66.67%，完成 83.33%，分值 5.00 × 0.8333 = 4.17");
	/* revenue: (6000000 + 200000 + 125000 + 1600000) 元 / 300 箱 =
	 * 26416.666… 元/箱; / 28000 = 0.943452…; × 20 = 18.869… -> 18.87 */
	assert_int_equal(ind(r, "revenue_per_case")->actual, 2641667);
	assert_int_equal(ind(r, "revenue_per_case")->completion, 9435);
	assert_int_equal(ind(r, "revenue_per_case")->score, 1887);
	/* 18.72 + 5.00 + 3.75 + 4.00 + 4.17 + 18.87 = 54.51; + 40 = 94.51 */
	assert_int_equal(r->quantitative, 5451);
	assert_int_equal(r->qualitative, 4000);
	assert_int_equal(r->total, 9451);
	assert_int_equal(ind(r, "total_volume")->points, 2000);
	assert_string_equal(line(&o, "KM001", KH_LINE_QUALITATIVE, NULL, 0)->text,
	    "定性指标：40.00 − 扣分 0.00 + 加分 0.00 = 40.00");
	assert_string_equal(line(&o, "KM001", KH_LINE_TOTAL, NULL, 0)->text,
	    "总分：定量 54.51 + 定性 40.00 = 94.51");
	kh_month_result_clear(&o);
	free(t);
}

static void
test_key_brand_listed_twice(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();

	(void)state;
	snprintf(t->kb[2], KH_CODE_MAX, "B1");	/* B1, B4, B1 */
	t->in.n_key_brands = 3;
	score(t, &o);
	r = result(&o, "KM001");
	/* still the mean over B1 and B4: 66.67 %; key volume still 240 箱 */
	assert_int_equal(ind(r, "key_brand_shelf_rate")->actual, 6667);
	assert_int_equal(ind(r, "key_brand_volume")->actual, 24000);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_cap_120(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();

	(void)state;
	scheme->cap = 120;
	score(t, &o);
	r = result(&o, "KM001");
	/* low grade 120/100 = 1.2 = the cap: 5 × 1.2 = 6.00 */
	assert_int_equal(ind(r, "low_grade_volume")->score, 600);
	/* the others are below 1: unchanged; 54.51 + 1.00 = 55.51 */
	assert_int_equal(r->quantitative, 5551);
	kh_month_result_clear(&o);
	/* above the cap: target 50 -> 120/50 = 2.4, capped 1.2 -> 6.00 */
	t->t[1].value = 5000;
	score(t, &o);
	r = result(&o, "KM001");
	assert_int_equal(ind(r, "low_grade_volume")->completion, 24000);
	assert_int_equal(ind(r, "low_grade_volume")->score, 600);
	kh_month_result_clear(&o);
	reset_scheme();
	free(t);
}

static void
test_moves(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();
	int64_t pts[KH_MAX_INDICATORS];

	(void)state;
	score(t, &o);
	r = result(&o, "KM002");
	assert_false(r->incomplete);
	/* key brand volume (no target): 5 -> total_volume = 25;
	 * shelf rate (zero target): 5 -> revenue_per_case = 25 */
	assert_int_equal(ind(r, "total_volume")->points, 2500);
	assert_int_equal(ind(r, "revenue_per_case")->points, 2500);
	assert_int_equal(ind(r, "key_brand_volume")->points, 0);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->points, 0);
	assert_int_equal(ind(r, "key_brand_volume")->score, 0);
	assert_false(ind(r, "key_brand_volume")->has_target);
	assert_true(ind(r, "key_brand_shelf_rate")->has_target);
	assert_string_equal(line(&o, "KM002", KH_LINE_MOVE, "key_brand_volume",
	    0)->text, "当月未下达重点品牌销量目标，其 5.00 分归属卷烟总销量");
	assert_string_equal(line(&o, "KM002", KH_LINE_MOVE,
	    "key_brand_shelf_rate", 0)->text, "当月重点品牌上柜率目标为零，"
	    "视同未下达，其 5.00 分归属单箱销售收入");
	assert_int_equal(line(&o, "KM002", KH_LINE_MOVE, "key_brand_volume",
	    0)->points, 500);
	/* total 25250 条 = 101 箱; /202 = 0.5; 25 × 0.5 = 12.50 */
	assert_int_equal(ind(r, "total_volume")->score, 1250);
	/* low grade: B4 250 条 = 1 箱; 1/2 = 0.5 × 5 = 2.50 */
	assert_int_equal(ind(r, "low_grade_volume")->score, 250);
	/* low tar: nothing; 0/10 -> 0.00 */
	assert_int_equal(ind(r, "low_tar_volume")->score, 0);
	/* revenue (3750000 + 20000) 元 / 101 箱 = 37326.73…; / 40000 =
	 * 0.933168…; × 25 = 23.329… -> 23.33 */
	assert_int_equal(ind(r, "revenue_per_case")->actual, 3732673);
	assert_int_equal(ind(r, "revenue_per_case")->score, 2333);
	/* 12.50 + 2.50 + 0 + 0 + 0 + 23.33 = 38.33 */
	assert_int_equal(r->quantitative, 3833);
	assert_int_equal(r->total, 7833);
	/* the same points for the import-time check: adds up to 60 */
	assert_int_equal(kh_effective_points(scheme, t->t, t->in.n_targets,
	    "KM002", pts), 6000);
	assert_int_equal(pts[0], 2500);
	assert_int_equal(pts[3], 0);
	assert_int_equal(pts[5], 2500);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_points_override(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = new_tin();
	int64_t pts[KH_MAX_INDICATORS];

	(void)state;
	std_brands(t);
	add_manager(t, "KM003", "王芳");
	/* 12500 条 of B1 at 150 元 = 50 箱, 1875000 元 -> 37500 元/箱 */
	add_volume(t, "KM003", "B1", 12500, 12500 * 15000);
	targets(t, "KM003", 10000, 1000, 1000, 10000, 5000, 3750000);
	t->t[0].has_points = 1;		/* total_volume: 30 points, not 20 */
	t->t[0].points = 3000;
	t->t[5].has_points = 1;		/* revenue_per_case: 10, not 20 */
	t->t[5].points = 1000;
	score(t, &o);
	r = result(&o, "KM003");
	/* total 50/100 = 0.5 × 30 = 15.00 */
	assert_int_equal(ind(r, "total_volume")->points, 3000);
	assert_int_equal(ind(r, "total_volume")->score, 1500);
	/* key brand 50/100 × 5 = 2.50; no customers: shelf 0 -> 0.00 */
	assert_int_equal(ind(r, "key_brand_volume")->score, 250);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->actual, 0);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->score, 0);
	/* revenue 37500/37500 = 1 × 10 = 10.00 */
	assert_int_equal(ind(r, "revenue_per_case")->score, 1000);
	/* 15.00 + 0 + 0 + 2.50 + 0 + 10.00 */
	assert_int_equal(r->quantitative, 2750);
	assert_string_equal(line(&o, "KM003", KH_LINE_OVERRIDE, "total_volume",
	    0)->text, "卷烟总销量：本月目标给定分值 30.00 分（方案分值 20.00 分）");
	assert_int_equal(count_lines(&o, "KM003", KH_LINE_OVERRIDE), 2);
	/* given points on a moved indicator move as given: key brand 7 */
	t->t[3].value = 0;
	t->t[3].has_points = 1;
	t->t[3].points = 700;
	assert_int_equal(kh_effective_points(scheme, t->t, t->in.n_targets,
	    "KM003", pts), 6200);	/* 30+5+5+0+5+10 + 7 moved = 62 */
	assert_int_equal(pts[0], 3700);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_incomplete(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();

	(void)state;
	add_manager(t, "KM004", "赵敏");
	/* low grade zero, low tar missing */
	targets(t, "KM004", 10000, 0, -1, 10000, 5000, 2000000);
	add_record(t, "KH1", "2013-05-03", "KM004", "1.3.2", 1);
	score(t, &o);
	r = result(&o, "KM004");
	assert_true(r->incomplete);
	assert_string_equal(r->reason, "低档烟销量目标为零；未下达低焦油销量目标");
	assert_int_equal(r->rank, 0);
	assert_int_equal(r->total, 0);
	assert_int_equal(r->quantitative, 0);
	assert_int_equal(count_lines(&o, "KM004", KH_LINE_INCOMPLETE), 1);
	assert_int_equal(count_lines(&o, "KM004", KH_LINE_RECORD), 0);
	assert_int_equal(count_lines(&o, "KM004", KH_LINE_TOTAL), 0);
	assert_string_equal(line(&o, "KM004", KH_LINE_INCOMPLETE, NULL, 0)->text,
	    "无法评分：低档烟销量目标为零；未下达低焦油销量目标");
	/* the rest of the team is still scored and ranked */
	assert_int_equal(result(&o, "KM001")->total, 9451);
	assert_int_equal(result(&o, "KM001")->rank, 1);
	assert_int_equal(result(&o, "KM002")->rank, 2);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_no_orders(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = new_tin();

	(void)state;
	std_brands(t);
	add_manager(t, "KM005", "孙丽");
	add_customer(t, "C9", "KM005", 1);
	targets(t, "KM005", 10000, 1000, 1000, 1000, 5000, 2000000);
	score(t, &o);
	r = result(&o, "KM005");
	assert_false(r->incomplete);
	assert_int_equal(ind(r, "total_volume")->actual, 0);
	assert_int_equal(ind(r, "revenue_per_case")->actual, 0);
	assert_int_equal(ind(r, "revenue_per_case")->score, 0);
	assert_int_equal(ind(r, "key_brand_shelf_rate")->actual, 0);
	assert_int_equal(r->quantitative, 0);
	assert_int_equal(r->total, 4000);	/* 0 + 40 */
	assert_int_equal(r->rank, 1);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_unknown_brand(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = new_tin();

	(void)state;
	std_brands(t);
	add_manager(t, "KM007", "吴刚");
	/* BX is not in the brands: counts in the total (2 箱) only */
	add_volume(t, "KM007", "BX", 500, 500 * 1000);
	add_volume(t, "KM007", "B2", 250, 250 * 1000);
	targets(t, "KM007", 1000, 1000, 1000, 1000, 5000, 2000000);
	score(t, &o);
	r = result(&o, "KM007");
	assert_int_equal(ind(r, "total_volume")->actual, 300);	/* 750/250 */
	assert_int_equal(ind(r, "low_grade_volume")->actual, 100);	/* B2 only */
	assert_int_equal(ind(r, "low_tar_volume")->actual, 100);
	/* 7500 元 / 3 箱 = 2500 元/箱 */
	assert_int_equal(ind(r, "revenue_per_case")->actual, 250000);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_rounding_half(void **state)
{
	struct kh_month_result o;
	struct tin *t = new_tin();

	(void)state;
	std_brands(t);
	add_manager(t, "KM006", "周杰");
	/* 12525 条 of B2 = 50.10 箱; low tar target 100 -> 0.501;
	 * 5 × 0.501 = 2.505 exactly -> 2.51 (half away from zero) */
	add_volume(t, "KM006", "B2", 12525, 0);
	targets(t, "KM006", 10000, 100000, 10000, 10000, 5000, 2000000);
	score(t, &o);
	assert_int_equal(ind(result(&o, "KM006"), "low_tar_volume")->score, 251);
	/* total: 50.1/100 × 20 = 10.02 exactly */
	assert_int_equal(ind(result(&o, "KM006"), "total_volume")->score, 1002);
	kh_month_result_clear(&o);
	free(t);
}

/* One manager with full targets and no sales: quantitative 0. */
static struct tin *
records_month(void)
{
	struct tin *t = new_tin();

	std_brands(t);
	add_manager(t, "KM001", "张伟");
	add_customer(t, "C1", "KM001", 1);
	add_customer(t, "C2", "KM001", 1);
	targets(t, "KM001", 10000, 1000, 1000, 1000, 5000, 2000000);
	return t;
}

static void
test_records(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	const struct kh_line *l;
	struct tin *t = records_month();
	struct kh_record *v;

	(void)state;
	add_record(t, "KH01", "2013-05-03", "KM001", "1.3.2", 2);	/* -1.00 */
	v = add_record(t, "KH02", "2013-05-04", "KM001", "9.1", 1);	/* void */
	v->voided = 1;
	snprintf(v->void_id, sizeof(v->void_id), "KHV1");
	snprintf(v->void_date, sizeof(v->void_date), "2013-05-20");
	snprintf(v->void_reason, sizeof(v->void_reason), "复核后撤销");
	snprintf(v->void_recorder, sizeof(v->void_recorder), "刘洋");
	/* rate 1.3.5: KH3 (05-31) wins over KH2x (05-31, smaller id) and
	 * KH9 (05-20, earlier); the voided KH4 (05-31) takes no part */
	add_rate(t, "KH3", "2013-05-31", "KM001", "1.3.5", 9650, 9800);
	add_rate(t, "KH2x", "2013-05-31", "KM001", "1.3.5", 9000, 9800);
	add_rate(t, "KH9", "2013-05-20", "KM001", "1.3.5", 8000, 9800);
	v = add_rate(t, "KH4", "2013-05-31", "KM001", "1.3.5", 5000, 9800);
	v->voided = 1;
	add_once(t, "KH10", "2013-05-10", "KM001", "C1");	/* +2 */
	add_once(t, "KH11", "2013-05-12", "KM001", "C1");	/* repeat */
	add_once(t, "KH12", "2013-05-15", "KM001", "C2");	/* +2 */
	add_panel(t, "KH13", "KM001", "10.1", -200);		/* -2.00 */
	add_panel(t, "KH14", "KM001", "10.2", 150);		/* +1.50 */
	add_record(t, "KHX", "2013-05-03", "KM999", "9.1", 5);	/* not on roster */
	score(t, &o);
	r = result(&o, "KM001");
	/* unit 2 × -0.5 = -1.00 */
	l = line(&o, "KM001", KH_LINE_RECORD, "KH01", 0);
	assert_int_equal(l->points, -100);
	assert_int_equal(l->count, 2);
	assert_string_equal(l->date, "2013-05-03");
	assert_string_equal(l->text, "2013-05-03 1.3.2 漏访（每户）：2 × -0.50 = "
	    "-1.00（记录人 王强/纪检监察员）");
	/* voided: a line, 0 points */
	l = line(&o, "KM001", KH_LINE_VOIDED, "KH02", 0);
	assert_int_equal(l->points, 0);
	assert_string_equal(l->text, "2013-05-04 9.1 因客户经理工作失误被投诉（每次）："
	    "已于 2013-05-20 撤销（KHV1：复核后撤销，撤销人 刘洋），不计分");
	assert_int_equal(line(&o, "KM001", KH_LINE_VOIDED, "KH4", 0)->points, 0);
	/* rate: 98.00 − 96.50 = 1.50 -> whole 1 × -0.10 = -0.10 */
	l = line(&o, "KM001", KH_LINE_RECORD, "KH3", 0);
	assert_int_equal(l->points, -10);
	assert_string_equal(l->text, "2013-05-31 1.3.5 订单成功率未达要求（每低1个"
	    "百分点）：要求 98.00%，实际 96.50%，低 1.50 个百分点，计 -0.10"
	    "（记录人 王强/纪检监察员）");
	assert_int_equal(line(&o, "KM001", KH_LINE_SUPERSEDED, "KH2x", 0)->points, 0);
	assert_non_null(strstr(line(&o, "KM001", KH_LINE_SUPERSEDED, "KH9",
	    0)->text, "KH3"));
	assert_int_equal(count_lines(&o, "KM001", KH_LINE_SUPERSEDED), 2);
	/* praise for C1 once, for C2 once: +4.00; the repeat is a line */
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH10", 0)->points, 200);
	assert_int_equal(line(&o, "KM001", KH_LINE_REPEAT, "KH11", 0)->points, 0);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH12", 0)->points, 200);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH13", 0)->points, -200);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH14", 0)->points, 150);
	/* deductions 1.00 + 0.10 + 2.00 = 3.10; bonuses 2 + 2 + 1.50 = 5.50;
	 * 40 − 3.10 + 5.50 = 42.40 (no upper cap by default) */
	assert_int_equal(r->deductions, 310);
	assert_int_equal(r->bonuses, 550);
	assert_int_equal(r->qualitative, 4240);
	assert_int_equal(r->total, 4240);
	assert_string_equal(line(&o, "KM001", KH_LINE_QUALITATIVE, NULL, 0)->text,
	    "定性指标：40.00 − 扣分 3.10 + 加分 5.50 = 42.40");
	assert_int_equal(count_lines(&o, "KM999", KH_LINE_RECORD), 0);
	assert_int_equal(o.n, 1);
	kh_month_result_clear(&o);
	/* a qualitative cap of 40 (scheme parameter) */
	scheme->has_qual_cap = 1;
	scheme->qual_cap = 4000;
	score(t, &o);
	assert_int_equal(result(&o, "KM001")->qualitative, 4000);
	assert_string_equal(line(&o, "KM001", KH_LINE_QUALITATIVE, NULL, 0)->text,
	    "定性指标：40.00 − 扣分 3.10 + 加分 5.50 = 42.40，按上限 40.00 计");
	kh_month_result_clear(&o);
	reset_scheme();
	free(t);
}

static void
test_line_order(void **state)
{
	struct kh_month_result o;
	struct tin *t = std_month();
	size_t i;

	(void)state;
	add_record(t, "KH2", "2013-05-09", "KM002", "1.3.2", 1);
	add_record(t, "KH1", "2013-05-09", "KM002", "1.3.1", 1);
	add_record(t, "KH0", "2013-05-10", "KM001", "1.3.1", 1);
	score(t, &o);
	/* managers in roster order, seq from 1 per manager */
	assert_string_equal(o.lines[0].manager, "KM001");
	assert_int_equal(o.lines[0].seq, 1);
	for (i = 1; i < o.n_lines; i++) {
		if (strcmp(o.lines[i].manager, o.lines[i - 1].manager) == 0)
			assert_int_equal(o.lines[i].seq, o.lines[i - 1].seq + 1);
		else {
			assert_string_equal(o.lines[i].manager, "KM002");
			assert_int_equal(o.lines[i].seq, 1);
		}
	}
	assert_string_equal(o.lines[o.n_lines - 1].manager, "KM002");
	assert_int_equal(o.lines[o.n_lines - 1].kind, KH_LINE_TOTAL);
	/* KM001: 6 indicators, 1 record, qualitative, total */
	assert_int_equal(o.lines[5].kind, KH_LINE_INDICATOR);
	assert_string_equal(o.lines[6].ref, "KH0");
	assert_int_equal(o.lines[8].kind, KH_LINE_TOTAL);
	assert_int_equal(o.lines[8].seq, 9);
	/* KM002's records by date then id: KH1 before KH2 */
	assert_true(line(&o, "KM002", KH_LINE_RECORD, "KH1", 0) <
	    line(&o, "KM002", KH_LINE_RECORD, "KH2", 0));
	kh_month_result_clear(&o);
	free(t);
}

static void
test_floor_and_offset(void **state)
{
	struct kh_month_result o;
	struct tin *t = records_month();

	(void)state;
	/* 14 complaints × -3 = -42; 40 − 42 = -2 -> floor 0.00 */
	add_record(t, "KH1", "2013-05-03", "KM001", "9.1", 14);
	score(t, &o);
	assert_int_equal(result(&o, "KM001")->deductions, 4200);
	assert_int_equal(result(&o, "KM001")->qualitative, 0);
	assert_string_equal(line(&o, "KM001", KH_LINE_QUALITATIVE, NULL, 0)->text,
	    "定性指标：40.00 − 扣分 42.00 + 加分 0.00 = -2.00，按下限 0.00 计");
	kh_month_result_clear(&o);
	/* a bonus offsets before the floor: 40 − 42 + 3 = 1.00, not 3 */
	add_panel(t, "KH2", "KM001", "10.2", 300);
	score(t, &o);
	assert_int_equal(result(&o, "KM001")->qualitative, 100);
	assert_int_equal(result(&o, "KM001")->total, 100);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_rate_modes(void **state)
{
	struct kh_month_result o;
	struct tin *t = records_month();

	(void)state;
	/* 3.3: 100.00 − 98.75 = 1.25 points short; 1.3.5: 98 − 96.5 = 1.5;
	 * 1.3.5 is not repeated: it is 3.3's own record that matters.  KH3:
	 * value above required -> nothing. */
	add_rate(t, "KH1", "2013-05-31", "KM001", "3.3", 9875, 10000);
	add_rate(t, "KH2", "2013-05-31", "KM001", "1.3.5", 9650, 9800);
	score(t, &o);
	/* whole: 1 × -0.10, 1 × -0.10 */
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH1", 0)->points, -10);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH2", 0)->points, -10);
	kh_month_result_clear(&o);
	scheme->shortfall = KH_SHORTFALL_EXACT;
	score(t, &o);
	/* exact: -0.10 × 1.25 = -0.125 -> -0.13 (half away from zero);
	 * -0.10 × 1.5 = -0.15 */
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH1", 0)->points, -13);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH2", 0)->points, -15);
	assert_int_equal(result(&o, "KM001")->deductions, 28);
	assert_int_equal(result(&o, "KM001")->qualitative, 3972);
	kh_month_result_clear(&o);
	scheme->shortfall = KH_SHORTFALL_HALF_UP;
	score(t, &o);
	/* half-up: 1.25 -> 1 × -0.10; 1.5 -> 2 × -0.10 = -0.20 */
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH1", 0)->points, -10);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH2", 0)->points, -20);
	kh_month_result_clear(&o);
	/* no shortfall: nothing in every mode */
	t->r[0].value = 10050;
	score(t, &o);
	assert_int_equal(line(&o, "KM001", KH_LINE_RECORD, "KH1", 0)->points, 0);
	kh_month_result_clear(&o);
	reset_scheme();
	free(t);
}

static void
test_bad_record_is_internal(void **state)
{
	struct kh_month_result o;
	struct kh_err err;
	struct tin *t = records_month();

	(void)state;
	add_record(t, "KH1", "2013-05-03", "KM001", "99.9", 1);
	assert_int_equal(kh_score_month(scheme, &t->in, &o, &err), KH_FAIL);
	assert_string_equal(err.record, "KH1");
	assert_non_null(strstr(err.msg, "not in the scheme"));
	assert_null(o.results);
	assert_int_equal(o.n_lines, 0);
	snprintf(t->r[0].item, sizeof(t->r[0].item), "1.3.2");
	snprintf(t->r[0].date, sizeof(t->r[0].date), "2013-06-01");
	assert_int_equal(kh_score_month(scheme, &t->in, &o, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, "outside the month"));
	free(t);
}

static void
test_rank(void **state)
{
	struct kh_result r[6];
	size_t idx[6];

	(void)state;
	memset(r, 0, sizeof(r));
	snprintf(r[0].manager, KH_CODE_MAX, "KM05");
	r[0].total = 8000;
	snprintf(r[1].manager, KH_CODE_MAX, "KM01");
	r[1].total = 7000;
	snprintf(r[2].manager, KH_CODE_MAX, "KM03");
	r[2].total = 9000;
	snprintf(r[3].manager, KH_CODE_MAX, "KM02");
	r[3].incomplete = 1;
	snprintf(r[4].manager, KH_CODE_MAX, "KM04");
	r[4].total = 8000;
	snprintf(r[5].manager, KH_CODE_MAX, "KM00");
	r[5].incomplete = 1;
	kh_rank(r, 6);
	/* 90.00 -> 1; 80.00, 80.00 -> 2, 2; 70.00 -> 4; incomplete 0 */
	assert_int_equal(r[2].rank, 1);
	assert_int_equal(r[0].rank, 2);
	assert_int_equal(r[4].rank, 2);
	assert_int_equal(r[1].rank, 4);
	assert_int_equal(r[3].rank, 0);
	assert_int_equal(r[5].rank, 0);
	/* printing order: rank, then id (KM04 before KM05); incomplete by id */
	kh_result_order(r, 6, idx);
	assert_int_equal(idx[0], 2);
	assert_int_equal(idx[1], 4);
	assert_int_equal(idx[2], 0);
	assert_int_equal(idx[3], 1);
	assert_int_equal(idx[4], 5);
	assert_int_equal(idx[5], 3);
	kh_rank(r, 0);	/* nothing to rank: no crash */
}

static void
test_year(void **state)
{
	struct kh_result m1[2], m2[4];
	struct kh_month_result months[2];
	struct kh_annual_row *rows = NULL;
	struct kh_err err;
	size_t n = 0;

	(void)state;
	memset(m1, 0, sizeof(m1));
	memset(m2, 0, sizeof(m2));
	memset(months, 0, sizeof(months));
	snprintf(m1[0].manager, KH_CODE_MAX, "KM001");
	snprintf(m1[0].name, KH_NAME_MAX, "张伟");
	snprintf(m1[0].group, KH_NAME_MAX, "城区一组");
	m1[0].total = 9000;
	snprintf(m1[1].manager, KH_CODE_MAX, "KM002");
	m1[1].total = 10000;
	snprintf(m2[0].manager, KH_CODE_MAX, "KM001");
	snprintf(m2[0].name, KH_NAME_MAX, "张伟");
	snprintf(m2[0].group, KH_NAME_MAX, "城区二组");	/* moved groups */
	m2[0].total = 8000;
	snprintf(m2[1].manager, KH_CODE_MAX, "KM002");
	m2[1].incomplete = 1;
	snprintf(m2[2].manager, KH_CODE_MAX, "KM003");
	m2[2].incomplete = 1;
	snprintf(m2[3].manager, KH_CODE_MAX, "KM004");
	m2[3].total = 10000;
	months[0].results = m1;
	months[0].n = 2;
	months[1].results = m2;
	months[1].n = 4;
	assert_int_equal(kh_score_year(months, 2, &rows, &n, &err), KH_OK);
	assert_int_equal(n, 4);
	/* KM001 90 + 80 = 170, 2 months, rank 1, group of the latest month */
	assert_string_equal(rows[0].manager, "KM001");
	assert_int_equal(rows[0].total, 17000);
	assert_int_equal(rows[0].months, 2);
	assert_int_equal(rows[0].rank, 1);
	assert_string_equal(rows[0].group, "城区二组");
	/* KM002 100 (incomplete month adds nothing), KM004 100: both 2 */
	assert_string_equal(rows[1].manager, "KM002");
	assert_int_equal(rows[1].total, 10000);
	assert_int_equal(rows[1].months, 1);
	assert_int_equal(rows[1].rank, 2);
	assert_string_equal(rows[2].manager, "KM004");
	assert_int_equal(rows[2].rank, 2);
	/* KM003: no complete month: 0.00, ranked 4 */
	assert_string_equal(rows[3].manager, "KM003");
	assert_int_equal(rows[3].total, 0);
	assert_int_equal(rows[3].months, 0);
	assert_int_equal(rows[3].rank, 4);
	kh_annual_free(rows);
	assert_int_equal(kh_score_year(NULL, 0, &rows, &n, &err), KH_OK);
	assert_int_equal(n, 0);
	kh_annual_free(rows);
}

/* ---- bounds and overflow (score.h): the manager incomplete, never a wrong number */

/* Every number of a result is >= 0 (nothing wrapped around). */
static void
no_negative(const struct kh_month_result *o)
{
	size_t i, k;

	for (i = 0; i < o->n; i++) {
		const struct kh_result *r = &o->results[i];

		assert_true(r->quantitative >= 0 && r->deductions >= 0 &&
		    r->bonuses >= 0 && r->qualitative >= 0 && r->total >= 0);
		for (k = 0; k < r->n_ind; k++)
			assert_true(r->ind[k].actual >= 0 &&
			    r->ind[k].completion >= 0 && r->ind[k].score >= 0);
	}
}

/* Only the INCOMPLETE line, "无法评分：" + reason; unranked, no score. */
static void
cannot_score(const struct kh_month_result *o, const char *m,
    const char *reason)
{
	const struct kh_result *r = result(o, m);
	char text[768];
	size_t i, n = 0;

	assert_true(r->incomplete);
	assert_string_equal(r->reason, reason);
	assert_int_equal(r->rank, 0);
	assert_int_equal(r->total, 0);
	for (i = 0; i < o->n_lines; i++)
		n += strcmp(o->lines[i].manager, m) == 0;
	assert_int_equal(n, 1);
	snprintf(text, sizeof(text), "无法评分：%s", reason);
	assert_string_equal(line(o, m, KH_LINE_INCOMPLETE, NULL, 0)->text, text);
	assert_int_equal(line(o, m, KH_LINE_INCOMPLETE, NULL, 0)->seq, 1);
}

static void
test_order_sums_bounded(void **state)
{
	struct kh_month_result o;
	const struct kh_result *r;
	struct tin *t = std_month();

	(void)state;
	/* KM003: two lines of INT64_MAX 分 (the old int64_t sum wrapped to
	 * -2 分, a negative revenue per case) */
	add_manager(t, "KM003", "王磊");
	add_volume(t, "KM003", "B1", 1, INT64_MAX);
	add_volume(t, "KM003", "B4", 1, INT64_MAX);
	targets(t, "KM003", 10000, 10000, 10000, 10000, 5000, 2000000);
	/* KM004: exactly the month's bound of 1e13 条 = 4e10 箱: scored */
	add_manager(t, "KM004", "陈静");
	add_volume(t, "KM004", "B2", KH_MONTH_MAX_QTY, 0);
	targets(t, "KM004", 10000, 10000, 10000, 10000, 5000, 2000000);
	/* KM005: one 条 more than the bound */
	add_manager(t, "KM005", "杨帆");
	add_volume(t, "KM005", "B2", KH_MONTH_MAX_QTY, 0);
	add_volume(t, "KM005", "B3", 1, 0);
	targets(t, "KM005", 10000, 10000, 10000, 10000, 5000, 2000000);
	add_record(t, "KH1", "2013-05-03", "KM005", "1.3.2", 1);
	score(t, &o);
	cannot_score(&o, "KM003", "单箱销售收入（revenue_per_case）：当月订单"
	    "金额合计超出合理范围（0 至 10000000000000000.00 元），无法评分，"
	    "请核对当月订单文件");
	cannot_score(&o, "KM005", "卷烟总销量（total_volume）：当月订单数量合计"
	    "超出合理范围（0 至 10000000000000 条），无法评分，请核对当月订单文件");
	/* KM004: 4e10 箱 against 100 箱, capped: 20 + 5 (B2 low grade) + 5
	 * (low tar) + 0 + 0 + 0 (revenue 0) = 30.00; + 40 = 70.00 */
	r = result(&o, "KM004");
	assert_false(r->incomplete);
	assert_int_equal(ind(r, "total_volume")->actual, 4000000000000LL);
	assert_int_equal(ind(r, "total_volume")->completion, 4000000000000LL);
	assert_int_equal(ind(r, "total_volume")->score, 2000);
	assert_int_equal(r->total, 7000);
	/* the rest of the team as without them: KM001 94.51, first */
	assert_int_equal(result(&o, "KM001")->total, 9451);
	assert_int_equal(result(&o, "KM001")->rank, 1);
	assert_int_equal(result(&o, "KM002")->rank, 2);
	assert_int_equal(result(&o, "KM004")->rank, 3);
	no_negative(&o);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_records_bounded(void **state)
{
	struct kh_month_result o;
	struct tin *t = records_month();

	(void)state;
	/* KM001: a panel record beyond 10.2's max-points 10 */
	add_panel(t, "KH1", "KM001", "10.2", 1001);
	/* KM002: exactly max-points counts: 40 + 10 = 50.00 */
	add_manager(t, "KM002", "李娜");
	targets(t, "KM002", 10000, 1000, 1000, 1000, 5000, 2000000);
	add_panel(t, "KH2", "KM002", "10.2", 1000);
	/* KM003: −0.50 × 2^63/10 leaves int64_t; a good record before it */
	add_manager(t, "KM003", "王磊");
	targets(t, "KM003", 10000, 1000, 1000, 1000, 5000, 2000000);
	add_record(t, "KH3a", "2013-05-03", "KM003", "1.3.2", 1);
	add_record(t, "KH3b", "2013-05-04", "KM003", "1.3.2", INT64_MAX / 10);
	/* KM004: 2 × 20 million complaints (−3.00 each): 1.2e8 points of
	 * deductions, beyond the month's 1e8 */
	add_manager(t, "KM004", "陈静");
	targets(t, "KM004", 10000, 1000, 1000, 1000, 5000, 2000000);
	add_record(t, "KH4a", "2013-05-03", "KM004", "9.1", 20000000);
	add_record(t, "KH4b", "2013-05-03", "KM004", "9.1", 20000000);
	/* KM005: a rate record 92233720368547758 points short */
	add_manager(t, "KM005", "杨帆");
	targets(t, "KM005", 10000, 1000, 1000, 1000, 5000, 2000000);
	add_rate(t, "KH5", "2013-05-31", "KM005", "1.3.5", 0, INT64_MAX);
	score(t, &o);
	cannot_score(&o, "KM001", "定性指标 10.2：记录 KH1 的分值 +10.01 超出"
	    "方案上限 10.00 分，无法评分");
	assert_int_equal(result(&o, "KM002")->bonuses, 1000);
	assert_int_equal(result(&o, "KM002")->total, 5000);
	cannot_score(&o, "KM003", "定性指标 1.3.2：记录 KH3b 的分值超出可精确"
	    "计算的范围，无法评分");
	cannot_score(&o, "KM004", "定性指标 9.1：当月扣分合计超出合理上限 "
	    "100000000.00 分（至记录 KH4b），无法评分");
	cannot_score(&o, "KM005", "定性指标 1.3.5：当月扣分合计超出合理上限 "
	    "100000000.00 分（至记录 KH5），无法评分");
	no_negative(&o);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_given_points_bounded(void **state)
{
	struct kh_month_result o;
	int64_t pts[KH_MAX_INDICATORS];
	struct tin *t = std_month();

	(void)state;
	/* 2 × (2^63 − 1) + 5 (moved) + 30.02 + 25 wraps to exactly 60.00
	 * in int64_t; the sum saturates instead */
	add_manager(t, "KM003", "王磊");
	add_target(t, "KM003", "total_volume", 100)->points = INT64_MAX;
	t->t[t->in.n_targets - 1].has_points = 1;
	add_target(t, "KM003", "low_grade_volume", 100)->points = INT64_MAX;
	t->t[t->in.n_targets - 1].has_points = 1;
	add_target(t, "KM003", "low_tar_volume", 100)->points = 3002;
	t->t[t->in.n_targets - 1].has_points = 1;
	add_target(t, "KM003", "revenue_per_case", 100);
	assert_int_equal(kh_effective_points(scheme, t->t, t->in.n_targets,
	    "KM003", pts), INT64_MAX);
	assert_int_equal(pts[0], INT64_MAX);
	/* KM004: 10000.01 points on one indicator, beyond any scheme's */
	add_manager(t, "KM004", "陈静");
	targets(t, "KM004", 10000, 10000, 10000, 10000, 5000, 2000000);
	t->t[t->in.n_targets - 6].has_points = 1;
	t->t[t->in.n_targets - 6].points = 1000001;
	score(t, &o);
	cannot_score(&o, "KM003", "卷烟总销量（total_volume）：分值超出合理范围"
	    "（0 至 10000 分），无法评分，请核对当月目标文件");
	cannot_score(&o, "KM004", "卷烟总销量（total_volume）：分值 10000.01 "
	    "超出合理范围（0 至 10000 分），无法评分，请核对当月目标文件");
	assert_int_equal(result(&o, "KM001")->total, 9451);
	no_negative(&o);
	kh_month_result_clear(&o);
	free(t);
}

static void
test_year_overflow(void **state)
{
	struct kh_month_result months[2];
	struct kh_result m1, m2;
	struct kh_annual_row *rows = NULL;
	struct kh_err err;
	size_t n = 0;

	(void)state;
	memset(months, 0, sizeof(months));
	memset(&m1, 0, sizeof(m1));
	snprintf(m1.manager, KH_CODE_MAX, "KM001");
	m1.total = INT64_MAX;
	m2 = m1;
	months[0].results = &m1;
	months[0].n = 1;
	months[1].results = &m2;
	months[1].n = 1;
	kh_err_clear(&err);
	assert_int_equal(kh_score_year(months, 2, &rows, &n, &err), KH_FAIL);
	assert_null(rows);
	assert_non_null(strstr(err.msg, "manager KM001 cannot be computed"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_indicator),
		cmocka_unit_test(test_key_brand_listed_twice),
		cmocka_unit_test(test_cap_120),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_points_override),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_no_orders),
		cmocka_unit_test(test_unknown_brand),
		cmocka_unit_test(test_rounding_half),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_line_order),
		cmocka_unit_test(test_floor_and_offset),
		cmocka_unit_test(test_rate_modes),
		cmocka_unit_test(test_bad_record_is_internal),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_order_sums_bounded),
		cmocka_unit_test(test_records_bounded),
		cmocka_unit_test(test_given_points_bounded),
		cmocka_unit_test(test_year_overflow),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
