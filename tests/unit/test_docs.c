/*
 * test_docs.c — the four documents, rendered from a hand-built month and
 * checked through poppler-utils (pdfinfo, pdftotext, pdffonts) and cmp:
 * pages, texts, totals, watermark, repeated table header, embedded font,
 * byte-identical reruns, 〓 for a character the font lacks, and layouts
 * that are refused with file and line.
 *
 * The month (2013-05, scheme 2013):
 *   KM001 张伟   quantitative 55.00 + qualitative 32.50 = 87.50, rank 1;
 *                key-brand volume target missing, its 5 points moved.
 *   KM002 李𪚥   80 records of 1.3.8 (−0.50 each): qualitative 40 − 40 = 0,
 *                total 52.75, rank 2; 𪚥 (U+2A6A5) is not in the font.
 *   KM003 王芳   incomplete: no total-volume target.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"	/* KH_VERSION */
#include "docs.h"
#include "docs_layout.h"
#include "utf8.h"
#include "score.h"

#define MONTH	"2013-05"

struct fixture {
	char			 dir[64];
	struct kh_scheme	*scheme;
	struct kh_calendar	*cal;
	struct kh_run_meta	 meta;
	struct kh_month_result	 mr;
	struct kh_docs_ctx	 ctx;
	/* what the missing-glyph callback saw */
	unsigned		 missing_cp[8];
	char			 missing_doc[8][32];
	size_t			 n_missing;
};

static void
on_missing(void *arg, const char *doc, const struct kh_missing *m)
{
	struct fixture *f = arg;

	if (f->n_missing < 8) {
		f->missing_cp[f->n_missing] = m->cp;
		snprintf(f->missing_doc[f->n_missing], 32, "%s", doc);
		f->n_missing++;
	}
}

/* ---- building the month by hand ----------------------------------------- */

static void
set_ind(struct kh_result *r, size_t i, const char *code, int64_t points,
    int has_target, int64_t target, int64_t actual, int64_t completion,
    int64_t score)
{
	struct kh_indicator_result *ir = &r->ind[i];

	snprintf(ir->code, sizeof(ir->code), "%s", code);
	ir->points = points;
	ir->has_target = has_target;
	ir->target = target;
	ir->actual = actual;
	ir->completion = completion;
	ir->score = score;
	if (r->n_ind < i + 1)
		r->n_ind = i + 1;
}

static struct kh_line *
add_line(struct kh_month_result *mr, const char *manager,
    enum kh_line_kind kind, const char *ref, const char *text)
{
	struct kh_line *l = &mr->lines[mr->n_lines++];
	int seq = 1;

	for (size_t i = 0; i + 1 < mr->n_lines; i++)
		if (strcmp(mr->lines[i].manager, manager) == 0)
			seq++;
	memset(l, 0, sizeof(*l));
	snprintf(l->manager, sizeof(l->manager), "%s", manager);
	l->seq = seq;
	l->kind = kind;
	snprintf(l->ref, sizeof(l->ref), "%s", ref);
	snprintf(l->text, sizeof(l->text), "%s", text);
	return l;
}

static void
record_line(struct kh_month_result *mr, const char *manager,
    enum kh_line_kind kind, const char *id, const char *date,
    const char *item, const char *customer, int64_t count, int64_t points,
    const char *text)
{
	struct kh_line *l = add_line(mr, manager, kind, id, text);

	snprintf(l->date, sizeof(l->date), "%s", date);
	snprintf(l->item, sizeof(l->item), "%s", item);
	snprintf(l->customer, sizeof(l->customer), "%s", customer);
	l->count = count;
	l->has_points = 1;
	l->points = points;
	snprintf(l->recorder, sizeof(l->recorder), "刘强");
	snprintf(l->role, sizeof(l->role), "营销服务科科长");
}

static void
build_month(struct kh_month_result *mr)
{
	struct kh_result *r;

	memset(mr, 0, sizeof(*mr));
	snprintf(mr->month, sizeof(mr->month), MONTH);
	mr->results = calloc(3, sizeof(*mr->results));
	mr->lines = calloc(200, sizeof(*mr->lines));
	assert_non_null(mr->results);
	assert_non_null(mr->lines);
	mr->n = 3;

	r = &mr->results[0];
	snprintf(r->manager, sizeof(r->manager), "KM001");
	snprintf(r->name, sizeof(r->name), "张伟");
	snprintf(r->group, sizeof(r->group), "城区一组");
	set_ind(r, 0, "total_volume", 2500, 1, 12000, 11400, 9500, 2375);
	set_ind(r, 1, "low_grade_volume", 500, 1, 3000, 3300, 11000, 500);
	set_ind(r, 2, "low_tar_volume", 500, 1, 2000, 1500, 7500, 375);
	set_ind(r, 3, "key_brand_volume", 0, 0, 0, 800, 0, 0);
	set_ind(r, 4, "key_brand_shelf_rate", 500, 1, 8000, 6000, 7500, 375);
	set_ind(r, 5, "revenue_per_case", 2000, 1, 1500000, 1406250, 9375,
	    1875);
	r->quantitative = 5500;
	r->deductions = 950;
	r->bonuses = 200;
	r->qualitative = 3250;
	r->total = 8750;
	r->rank = 1;

	r = &mr->results[1];
	snprintf(r->manager, sizeof(r->manager), "KM002");
	snprintf(r->name, sizeof(r->name), "李\xf0\xaa\x9a\xa5");	/* 李𪚥 */
	snprintf(r->group, sizeof(r->group), "城区二组");
	set_ind(r, 0, "total_volume", 2000, 1, 10000, 10000, 10000, 2000);
	set_ind(r, 1, "low_grade_volume", 500, 1, 2000, 1000, 5000, 250);
	set_ind(r, 2, "low_tar_volume", 500, 1, 2000, 2100, 10500, 500);
	set_ind(r, 3, "key_brand_volume", 500, 1, 1000, 1000, 10000, 500);
	set_ind(r, 4, "key_brand_shelf_rate", 500, 1, 8000, 4000, 5000, 250);
	set_ind(r, 5, "revenue_per_case", 2000, 1, 1500000, 1331250, 8875,
	    1775);
	r->quantitative = 5275;
	r->deductions = 4000;
	r->bonuses = 0;
	r->qualitative = 0;
	r->total = 5275;
	r->rank = 2;

	r = &mr->results[2];
	snprintf(r->manager, sizeof(r->manager), "KM003");
	snprintf(r->name, sizeof(r->name), "王芳");
	snprintf(r->group, sizeof(r->group), "城区一组");
	r->incomplete = 1;
	snprintf(r->reason, sizeof(r->reason), "本月未下达卷烟总销量目标，无法考核");

	/* KM001's explanation lines */
	add_line(mr, "KM001", KH_LINE_OVERRIDE, "revenue_per_case",
	    "单箱销售收入：目标文件给定分值 20.00 分，替代方案分值 20.00 分");
	add_line(mr, "KM001", KH_LINE_MOVE, "key_brand_volume",
	    "本月未下达重点品牌销量目标，其分值 5.00 分归属卷烟总销量（20.00 → 25.00 分）");
	add_line(mr, "KM001", KH_LINE_INDICATOR, "total_volume",
	    "卷烟总销量：实际 114.00 箱 ÷ 目标 120.00 箱 = 95.00%，25.00 × 0.95 = 23.75");
	record_line(mr, "KM001", KH_LINE_RECORD, "A0501", "2013-05-06", "1.3.2",
	    "C0101", 3, -150, "漏访 3 户 × −0.50 = −1.50");
	record_line(mr, "KM001", KH_LINE_RECORD, "A0502", "2013-05-09", "9.1",
	    "C0102", 1, -300, "投诉 1 次 × −3.00 = −3.00");
	record_line(mr, "KM001", KH_LINE_RECORD, "A0503", "2013-05-14", "1.3.6",
	    "C0107", 1, -200, "促销品未发放 1 户 × −2.00 = −2.00");
	record_line(mr, "KM001", KH_LINE_SUPERSEDED, "A0504", "2013-05-15",
	    "1.3.5", "", 1, 0, "已被 2013-05-31 的记录 A0510 取代");
	record_line(mr, "KM001", KH_LINE_RECORD, "A0510", "2013-05-31", "1.3.5",
	    "", 1, -300, "订单成功率 62.00%，要求 92.00%，低 30 个百分点 × −0.10 = −3.00");
	record_line(mr, "KM001", KH_LINE_VOIDED, "A0505", "2013-05-16", "1.3.4",
	    "C0103", 1, 0, "已作废（V0001，2013-05-20，刘强：客户已知晓促销政策，系误记）");
	record_line(mr, "KM001", KH_LINE_RECORD, "A0506", "2013-05-18", "10.3",
	    "C0104", 1, 200, "书面表扬 1 户 × +2.00 = +2.00");
	record_line(mr, "KM001", KH_LINE_REPEAT, "A0507", "2013-05-25", "10.3",
	    "C0104", 1, 0, "同一客户当月已计一次，不再累计");
	add_line(mr, "KM001", KH_LINE_QUALITATIVE, "",
	    "40.00 − 扣分 9.50 + 加分 2.00 = 32.50（不低于 0）");
	add_line(mr, "KM001", KH_LINE_TOTAL, "",
	    "定量 55.00 + 定性 32.50 = 87.50");

	/* KM002: eighty records */
	for (int i = 1; i <= 80; i++) {
		char id[16], date[16];

		snprintf(id, sizeof(id), "B%04d", i);
		snprintf(date, sizeof(date), "2013-05-%02d", 1 + (i - 1) % 31);
		record_line(mr, "KM002", KH_LINE_RECORD, id, date, "1.3.8", "",
		    1, -50, "未按时完成日总结 1 次 × −0.50 = −0.50");
	}
	add_line(mr, "KM002", KH_LINE_QUALITATIVE, "",
	    "40.00 − 扣分 40.00 + 加分 0.00 = 0.00（不低于 0）");

	add_line(mr, "KM003", KH_LINE_INCOMPLETE, "total_volume",
	    "本月未下达卷烟总销量目标，无法考核");
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kh_err err;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_docs.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(kh_scheme_load("templates/scheme-2013.xml", &f->scheme,
	    &err), KH_OK);
	assert_int_equal(kh_calendar_load_dir("templates", &f->cal, &err),
	    KH_OK);
	build_month(&f->mr);
	f->meta.run_id = 7;
	snprintf(f->meta.month, sizeof(f->meta.month), MONTH);
	snprintf(f->meta.fingerprint, sizeof(f->meta.fingerprint),
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	snprintf(f->meta.scored_at, sizeof(f->meta.scored_at),
	    "2013-06-03T08:00:00+08:00");
	f->ctx.templates_dir = "templates";
	f->ctx.scheme = f->scheme;
	f->ctx.calendar = f->cal;
	f->ctx.unit_code = "YX01";
	f->ctx.unit_name = "某县烟草专卖局营销部";
	f->ctx.final = 0;
	f->ctx.meta = &f->meta;
	f->ctx.missing = on_missing;
	f->ctx.missing_arg = f;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	if (getenv("KH_KEEP_DOCS") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			return -1;
	}
	kh_month_result_clear(&f->mr);
	kh_scheme_free(f->scheme);
	kh_calendar_free(f->cal);
	free(f);
	return 0;
}

/* ---- poppler helpers ----------------------------------------------------- */

/* Output of a shell command, NUL-terminated, malloc'd. */
static char *
run(const char *fmt, ...)
{
	char cmd[1024];
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap * 2 + 8192;
			assert_non_null(buf = realloc(buf, cap));
		}
		n = fread(buf + len, 1, 4096, p);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	pclose(p);
	return buf;
}

static int
pages(const char *pdf)
{
	char *out = run("pdfinfo '%s' 2>&1", pdf);
	char *l = strstr(out, "Pages:");
	int n = l != NULL ? atoi(l + 6) : -1;

	free(out);
	return n;
}

/* Text of pages first..last (0 = all) in content-stream order. */
static char *
text(const char *pdf, int first, int last)
{
	if (first > 0)
		return run("pdftotext -raw -f %d -l %d '%s' - 2>&1", first,
		    last, pdf);
	return run("pdftotext -raw '%s' - 2>&1", pdf);
}

static int
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

#define assert_contains(h, n) do {					\
	if (!contains((h), (n)))					\
		fail_msg("text lacks \"%s\"", (n));			\
} while (0)
#define assert_lacks(h, n) do {						\
	if (contains((h), (n)))						\
		fail_msg("text has \"%s\"", (n));			\
} while (0)

static int
same_file(const char *a, const char *b)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

/* ---- scorecard ----------------------------------------------------------- */

static void
scorecard(struct fixture *f, size_t i, const char *name, char *path,
    size_t len)
{
	struct kh_err err;
	int rc;

	snprintf(path, len, "%s/%s", f->dir, name);
	rc = kh_docs_scorecard(&f->ctx, &f->mr, &f->mr.results[i],
	    f->mr.results[i].total + 8025, 2, path, &err);
	if (rc != KH_OK) {
		char buf[1200];

		fail_msg("scorecard: %s", kh_err_format(&err, buf, sizeof(buf)));
	}
}

static void
test_scorecard_provisional(void **state)
{
	struct fixture *f = *state;
	char path[128], *t, *fonts;

	scorecard(f, 0, "KM001.pdf", path, sizeof(path));
	assert_int_equal(pages(path), 2);
	t = text(path, 0, 0);
	assert_contains(t, "张伟");
	assert_contains(t, "KM001");
	assert_contains(t, "城区一组");
	assert_contains(t, "2013年5月");
	/* the diagonal watermark comes back one glyph at a time */
	assert_contains(t, "试");
	assert_contains(t, "稿");
	assert_contains(t, "第 1 页 共 2 页");
	assert_contains(t, "0123456789abcdef");
	assert_lacks(t, "0123456789abcdef0");	/* only 16 hex */
	/* quantitative: moved points, missing target, completion, score */
	assert_contains(t, "25.00");
	assert_contains(t, "未下达");
	assert_contains(t, "95.00%");
	assert_contains(t, "23.75");
	assert_contains(t, "55.00");
	assert_contains(t, "其分值 5.00 分归属卷烟总销量");
	/* qualitative: catalogue wording, statuses, zero points */
	assert_contains(t, "漏访");
	assert_contains(t, "-1.50");
	assert_contains(t, "+2.00");
	assert_contains(t, "已作废");
	assert_contains(t, "已被取代");
	assert_contains(t, "重复不计");
	assert_contains(t, "40.00 − 扣分 9.50 + 加分 2.00 = 32.50");
	/* totals, rank, year to date (87.50 + 80.25) */
	assert_contains(t, "87.50");
	assert_contains(t, "1 / 2");
	assert_contains(t, "167.75");
	assert_contains(t, "客户经理：");
	assert_contains(t, "考评小组：");
	free(t);
	fonts = run("pdffonts '%s'", path);
	assert_contains(fonts, "yes yes");	/* emb sub */
	assert_lacks(fonts, " no ");
	free(fonts);
	assert_int_equal(f->n_missing, 0);
	/* metadata; 08:00 at +08:00 is 00:00 UTC */
	t = run("pdfinfo '%s'", path);
	assert_contains(t, "Title:           个人月度考核表 2013-05 张伟\n");
	assert_contains(t, "Author:          某县烟草专卖局营销部\n");
	assert_contains(t, "Creator:         kaohe " KH_VERSION "\n");
	assert_contains(t, "CreationDate:    Mon Jun  3 00:00:00 2013 UTC");
	assert_contains(t, "Page size:       595.276 x 841.89 pts (A4)");
	free(t);
}

static void
test_scorecard_final_identical(void **state)
{
	struct fixture *f = *state;
	char a[128], b[128], c[128], *t;

	f->ctx.final = 1;
	scorecard(f, 0, "a.pdf", a, sizeof(a));
	scorecard(f, 0, "b.pdf", b, sizeof(b));
	assert_true(same_file(a, b));
	t = text(a, 0, 0);
	assert_lacks(t, "试");
	assert_lacks(t, "稿");
	assert_contains(t, "87.50");
	free(t);
	f->ctx.final = 0;
	scorecard(f, 0, "c.pdf", c, sizeof(c));
	assert_false(same_file(a, c));
}

static void
test_scorecard_paginates(void **state)
{
	struct fixture *f = *state;
	char path[128], *t, *p2;
	int n;

	scorecard(f, 1, "KM002.pdf", path, sizeof(path));
	n = pages(path);
	assert_true(n >= 2);
	t = text(path, 1, 1);
	assert_contains(t, "B0001");
	free(t);
	p2 = text(path, 2, 2);
	/* the qualitative header row again at the top of page 2 */
	assert_contains(p2, "考核项目");
	assert_contains(p2, "记录人");
	assert_contains(p2, "未按时完成日总结");
	free(p2);
	t = text(path, 0, 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "第 1 页 共 %d 页", n);
		assert_contains(t, want);
		snprintf(want, sizeof(want), "第 %d 页 共 %d 页", n, n);
		assert_contains(t, want);
	}
	assert_contains(t, "B0080");
	assert_contains(t, "52.75");
	assert_contains(t, "2 / 2");
	/* 𪚥 is outside the BMP: drawn as 〓 and reported */
	assert_contains(t, "李〓");
	free(t);
	assert_true(f->n_missing >= 1);
	assert_int_equal(f->missing_cp[0], 0x2A6A5);
	assert_string_equal(f->missing_doc[0], "scorecard");
}

static void
test_scorecard_incomplete(void **state)
{
	struct fixture *f = *state;
	char path[128], *t;

	scorecard(f, 2, "KM003.pdf", path, sizeof(path));
	t = text(path, 0, 0);
	assert_contains(t, "王芳");
	assert_contains(t, "未完成考核");
	assert_contains(t, "本月未下达卷烟总销量目标，无法考核");
	assert_lacks(t, "定量得分");
	assert_lacks(t, "总分");
	free(t);
}

/* ---- team sheet and notice ---------------------------------------------- */

static void
team(struct fixture *f, const char *name, char *path, size_t len)
{
	struct kh_err err;
	char buf[1200];

	snprintf(path, len, "%s/%s", f->dir, name);
	if (kh_docs_team(&f->ctx, &f->mr, path, &err) != KH_OK)
		fail_msg("team: %s", kh_err_format(&err, buf, sizeof(buf)));
}

static void
test_team(void **state)
{
	struct fixture *f = *state;
	char path[128], again[128], *t, *fonts;

	/* provisional: a trial computation, not a notice (issue 10) */
	team(f, "trial.pdf", path, sizeof(path));
	t = text(path, 0, 0);
	assert_contains(t, "2013年5月客户经理考核试算表（未定稿，不作公示）");
	assert_contains(t, "不作公示，不作为考核结果");
	assert_lacks(t, "予以公示");
	assert_lacks(t, "考评小组组长");
	assert_contains(t, "试");
	free(t);
	/* final: the notice, with its posting period and signature */
	f->ctx.final = 1;
	team(f, "team.pdf", path, sizeof(path));
	t = text(path, 0, 0);
	assert_contains(t, "2013年5月客户经理考核结果公示");
	assert_contains(t, "张伟");
	assert_contains(t, "李〓");
	assert_contains(t, "王芳");
	assert_contains(t, "本月未下达卷烟总销量目标，无法考核");
	/* KM001's six indicator scores, then 55.00 32.50 87.50 */
	assert_contains(t, "23.75 5.00 3.75 0.00 3.75 18.75 55.00 32.50 87.50");
	assert_contains(t, "20.00 2.50 5.00 5.00 2.50 17.75 52.75 0.00 52.75");
	/* rank 1 before rank 2 */
	assert_true(strstr(t, "张伟") < strstr(t, "李〓"));
	/* 2013-06: Mon 3 is the 1st working day; 3 working days: 3, 4, 5 */
	assert_contains(t, "公示期为2013年6月3日至2013年6月5日（3个工作日）");
	assert_contains(t, "请于2013年6月5日前");
	assert_contains(t, "于2013年6月5日前报考评领导小组");
	assert_contains(t, "考评小组组长：");
	assert_contains(t, "第 1 页 共 ");
	free(t);
	fonts = run("pdffonts '%s'", path);
	assert_contains(fonts, "yes yes");
	free(fonts);
	fonts = run("pdfinfo '%s'", path);
	assert_contains(fonts, "Page size:       841.89 x 595.276 pts (A4)");
	free(fonts);
	assert_true(f->n_missing >= 1);
	assert_string_equal(f->missing_doc[0], "team");
	team(f, "team2.pdf", again, sizeof(again));
	assert_true(same_file(path, again));
}

/* Forty ranked managers: the ranking runs onto a second page, header again. */
static void
test_team_many(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result many;
	char path[128], *t;
	struct kh_err err;
	char buf[1200];

	memset(&many, 0, sizeof(many));
	snprintf(many.month, sizeof(many.month), MONTH);
	assert_non_null(many.results = calloc(40, sizeof(*many.results)));
	for (size_t i = 0; i < 40; i++) {
		many.results[i] = f->mr.results[0];
		snprintf(many.results[i].manager, KH_CODE_MAX, "KM%03zu", i + 1);
		snprintf(many.results[i].name, KH_NAME_MAX, "经理%02zu", i + 1);
		many.results[i].total = 9000 - (int64_t)i * 25;
		many.results[i].rank = (int)i + 1;
	}
	many.n = 40;
	snprintf(path, sizeof(path), "%s/team-many.pdf", f->dir);
	if (kh_docs_team(&f->ctx, &many, path, &err) != KH_OK)
		fail_msg("team: %s", kh_err_format(&err, buf, sizeof(buf)));
	assert_true(pages(path) >= 2);
	t = text(path, 2, 2);
	assert_contains(t, "定量得分");
	assert_contains(t, "经理40");
	free(t);
	t = text(path, 1, 1);
	assert_contains(t, "经理01");
	assert_contains(t, "90.00");
	free(t);
	free(many.results);
}

/* The National Day week: October 2013's first working day is the 8th. */
static void
test_team_holidays(void **state)
{
	struct fixture *f = *state;
	char path[128], *t;

	snprintf(f->mr.month, sizeof(f->mr.month), "2013-09");
	f->ctx.final = 1;
	team(f, "team-09.pdf", path, sizeof(path));
	t = text(path, 0, 0);
	assert_contains(t, "2013年9月客户经理考核结果公示");
	assert_contains(t, "公示期为2013年10月8日至2013年10月10日");
	assert_contains(t, "于2013年10月10日前报考评领导小组");
	assert_lacks(t, "试");
	free(t);
}

/* ---- audit trail ---------------------------------------------------------- */

static void
trail_record(struct kh_record *r, const char *id, const char *date,
    const char *manager, const char *item, const char *customer)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->date, sizeof(r->date), "%s", date);
	snprintf(r->manager, sizeof(r->manager), "%s", manager);
	snprintf(r->item, sizeof(r->item), "%s", item);
	snprintf(r->customer, sizeof(r->customer), "%s", customer);
	snprintf(r->recorder, sizeof(r->recorder), "刘强");
	snprintf(r->role, sizeof(r->role), "营销服务科科长");
	r->count = 1;
}

/* One revision of the targets: KM001's total volume. */
static void
trail_revision(struct kh_trail_revision *v, const struct kh_trail_file *f,
    int in_force, int64_t value)
{
	v->file_id = f->id;
	snprintf(v->month, sizeof(v->month), MONTH);
	snprintf(v->name, sizeof(v->name), "%s", f->name);
	snprintf(v->generated, sizeof(v->generated), "%s", f->generated);
	v->in_force = in_force;
	v->targets = calloc(1, sizeof(*v->targets));
	assert_non_null(v->targets);
	snprintf(v->targets[0].manager, KH_CODE_MAX, "KM001");
	snprintf(v->targets[0].indicator, KH_CODE_MAX, "total_volume");
	v->targets[0].value = value;
	v->n_targets = 1;
}

static void
build_trail(struct kh_trail *tr)
{
	static const char *const sha[] = {
	    "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd",
	    "1111111111111111222222222222222233333333333333334444444444444444",
	    "5555555555555555666666666666666677777777777777778888888888888888",
	};
	static const char *const names[] = { "targets-2013-05-a.xml",
	    "targets-2013-05-b.xml", "assessments-2013-05.xml" };
	static const char *const kinds[] = { "targets", "targets",
	    "assessments" };
	struct kh_record *r;

	memset(tr, 0, sizeof(*tr));
	snprintf(tr->month, sizeof(tr->month), MONTH);
	tr->files = calloc(3, sizeof(*tr->files));
	tr->revisions = calloc(2, sizeof(*tr->revisions));
	tr->records = calloc(4, sizeof(*tr->records));
	tr->events = calloc(3, sizeof(*tr->events));
	assert_non_null(tr->events);
	for (size_t i = 0; i < 3; i++) {
		struct kh_trail_file *f = &tr->files[i];

		f->id = (long)i + 11;
		snprintf(f->name, sizeof(f->name), "%s", names[i]);
		snprintf(f->kind, sizeof(f->kind), "%s", kinds[i]);
		snprintf(f->period, sizeof(f->period), MONTH);
		snprintf(f->generated, sizeof(f->generated),
		    "2013-05-%02dT09:00:00+08:00", 2 + (int)i);
		snprintf(f->sha256, sizeof(f->sha256), "%s", sha[i]);
		f->in_force = i != 0;
	}
	tr->files[0].superseded_by = 12;
	snprintf(tr->files[0].superseded_by_generated, KH_GEN_MAX, "%s",
	    tr->files[1].generated);
	tr->n_files = 3;
	trail_revision(&tr->revisions[0], &tr->files[0], 0, 11000);
	trail_revision(&tr->revisions[1], &tr->files[1], 1, 12000);
	tr->n_revisions = 2;
	r = &tr->records[0].r;
	trail_record(r, "A0501", "2013-05-06", "KM001", "1.3.2", "C0101");
	r->count = 3;
	r = &tr->records[1].r;
	trail_record(r, "A0504", "2013-05-15", "KM001", "1.3.5", "");
	r->has_value = 1;
	r->value = 7000;
	r->required = 9200;
	r = &tr->records[2].r;
	trail_record(r, "A0505", "2013-05-16", "KM001", "1.3.4", "C0103");
	r->voided = 1;
	snprintf(r->void_id, KH_CODE_MAX, "V0001");
	snprintf(r->void_date, KH_DATE_MAX, "2013-05-20");
	snprintf(r->void_reason, 256, "客户已知晓促销政策，系误记");
	snprintf(r->void_recorder, KH_NAME_MAX, "赵敏");
	r = &tr->records[3].r;
	trail_record(r, "A0510", "2013-05-31", "KM001", "1.3.5", "");
	r->has_value = 1;
	r->value = 6200;
	r->required = 9200;
	tr->n_records = 4;
	for (size_t i = 0; i < 4; i++)
		snprintf(tr->records[i].file, sizeof(tr->records[i].file),
		    "assessments-2013-05.xml");
	snprintf(tr->events[0].at, 32, "2013-06-03T17:00:00+08:00");
	snprintf(tr->events[0].action, 8, "close");
	snprintf(tr->events[1].at, 32, "2013-06-04T09:30:00+08:00");
	snprintf(tr->events[1].action, 8, "reopen");
	tr->events[1].reason = strdup("补录5月31日考核记录");	/* freed by the trail */
	tr->n_events = 2;
}

static void
test_trail(void **state)
{
	struct fixture *f = *state;
	struct kh_trail tr;
	struct kh_err err;
	char path[128], buf[1200], *t;

	build_trail(&tr);
	snprintf(path, sizeof(path), "%s/trail.pdf", f->dir);
	if (kh_docs_trail(&f->ctx, &f->mr, &tr, path, &err) != KH_OK)
		fail_msg("trail: %s", kh_err_format(&err, buf, sizeof(buf)));
	t = text(path, 0, 0);
	assert_contains(t, "考核痕迹");
	assert_contains(t, "targets-2013-05-a.xml");
	assert_contains(t, "被 #12 取代");
	/* the whole hash, in lines of 16 */
	assert_contains(t, "aaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbb\ncccccccccccccccc\n"
	    "dddddddddddddddd");
	assert_contains(t, "0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef");
	/* records: voided with who and why, superseded, counted */
	assert_contains(t, "A0505");
	assert_contains(t, "已作废\nV0001 2013-05-20");
	assert_contains(t, "赵敏");
	assert_contains(t, "系误记");
	assert_contains(t, "已被取代");
	assert_contains(t, "70.00% / 92.00%");
	assert_contains(t, "-3.00");
	/* target revisions */
	assert_contains(t, "110.00 箱");
	assert_contains(t, "120.00 箱");
	assert_contains(t, "已被替代");
	assert_contains(t, "月末有效");
	/* every explanation line of every manager */
	assert_contains(t, "定量 55.00 + 定性 32.50 = 87.50");
	assert_contains(t, "40.00 − 扣分 40.00 + 加分 0.00 = 0.00");
	assert_contains(t, "B0080");
	/* events */
	assert_contains(t, "重新打开");
	assert_contains(t, "补录5月31日考核记录");
	free(t);
	kh_trail_clear(&tr);
}

/* ---- annual sheet --------------------------------------------------------- */

static void
annual_row(struct kh_annual_row *r, const char *id, const char *name,
    const char *group, int months, int64_t total, int rank)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->manager, sizeof(r->manager), "%s", id);
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->group, sizeof(r->group), "%s", group);
	r->months = months;
	r->total = total;
	r->rank = rank;
}

static void
test_annual(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result months[2];
	struct kh_result april[3];
	struct kh_annual_row rows[3];
	struct kh_err err;
	char path[128], again[128], buf[1200], *t;

	/* April: everyone complete; May is the fixture month. */
	memset(&months[0], 0, sizeof(months[0]));
	snprintf(months[0].month, sizeof(months[0].month), "2013-04");
	memcpy(april, f->mr.results, sizeof(april));
	april[0].total = 8025;
	april[1].total = 6000;
	april[2].incomplete = 0;
	april[2].total = 7000;
	months[0].results = april;
	months[0].n = 3;
	months[1] = f->mr;
	/* 87.50 + 80.25, 52.75 + 60.00, 70.00 (May incomplete) */
	annual_row(&rows[0], "KM001", "张伟", "城区一组", 2, 16775, 1);
	annual_row(&rows[1], "KM002", "李\xf0\xaa\x9a\xa5", "城区二组", 2,
	    11275, 2);
	annual_row(&rows[2], "KM003", "王芳", "城区一组", 1, 7000, 3);
	f->ctx.final = 1;
	snprintf(path, sizeof(path), "%s/annual.pdf", f->dir);
	if (kh_docs_annual(&f->ctx, 2013, months, 2, rows, 3, path, &err) !=
	    KH_OK)
		fail_msg("annual: %s", kh_err_format(&err, buf, sizeof(buf)));
	t = text(path, 0, 0);
	assert_contains(t, "2013年度客户经理考核汇总");
	assert_contains(t, "已关账月份：4月、5月");
	assert_contains(t, "1月");
	assert_contains(t, "12月");
	assert_contains(t, "1 KM001 张伟 城区一组 80.25 87.50 2 167.75");
	assert_contains(t, "2 KM002 李〓 城区二组 60.00 52.75 2 112.75");
	assert_contains(t, "3 KM003 王芳 城区一组 70.00 未完成 1 70.00");
	assert_contains(t, "张伟（KM001，城区一组）");
	assert_contains(t, "王芳（KM003，城区一组）");
	assert_lacks(t, "试");
	free(t);
	snprintf(again, sizeof(again), "%s/annual2.pdf", f->dir);
	assert_int_equal(kh_docs_annual(&f->ctx, 2013, months, 2, rows, 3,
	    again, &err), KH_OK);
	assert_true(same_file(path, again));
}

/* ---- layouts that are refused -------------------------------------------- */

/*
 * Copy templates/layouts/scorecard.xml into the temp dir with `from`
 * replaced by `to` and render KM001 with it into out; expect status
 * `want` (on KH_REJECT: nothing written).  Returns the 1-based line of
 * the replacement.
 */
static long
edited(struct fixture *f, const char *from, const char *to, int want,
    char *out, size_t outlen, struct kh_err *err)
{
	char dir[128], lpath[192], *src, *hit;
	FILE *fp;
	long line = 1;
	struct stat st;

	src = run("cat templates/layouts/scorecard.xml");
	assert_non_null(hit = strstr(src, from));
	for (char *c = src; c < hit; c++)
		line += *c == '\n';
	snprintf(dir, sizeof(dir), "%s/tpl", f->dir);
	snprintf(lpath, sizeof(lpath), "%s/layouts", dir);
	mkdir(dir, 0755);
	mkdir(lpath, 0755);
	snprintf(lpath, sizeof(lpath), "%s/layouts/scorecard.xml", dir);
	assert_non_null(fp = fopen(lpath, "w"));
	fprintf(fp, "%.*s%s%s", (int)(hit - src), src, to, hit + strlen(from));
	fclose(fp);
	free(src);
	f->ctx.templates_dir = dir;
	snprintf(out, outlen, "%s/edited.pdf", f->dir);
	unlink(out);
	assert_int_equal(kh_docs_scorecard(&f->ctx, &f->mr, &f->mr.results[0],
	    0, 2, out, err), want);
	if (want == KH_REJECT)
		assert_int_equal(stat(out, &st), -1);	/* nothing written */
	f->ctx.templates_dir = "templates";
	return line;
}

static long
refused(struct fixture *f, const char *from, const char *to,
    struct kh_err *err)
{
	char out[192];

	return edited(f, from, to, KH_REJECT, out, sizeof(out), err);
}

/* templates/fonts.conf chooses the font; a bad choice is an error, not a blank. */
static void
test_fontconf(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[192], conf[192];
	FILE *fp;

	/* an untouched copy of the layout into <dir>/tpl first */
	edited(f, "<fonts", "<fonts", KH_OK, out, sizeof(out), &err);
	snprintf(conf, sizeof(conf), "%s/tpl/fonts.conf", f->dir);
	assert_non_null(fp = fopen(conf, "w"));
	fprintf(fp, "font = /nonexistent/kaohe-no-such-font.ttf\n");
	fclose(fp);
	snprintf(conf, sizeof(conf), "%s/tpl", f->dir);
	f->ctx.templates_dir = conf;
	snprintf(out, sizeof(out), "%s/nofont.pdf", f->dir);
	assert_int_not_equal(kh_docs_scorecard(&f->ctx, &f->mr,
	    &f->mr.results[0], 0, 2, out, &err), KH_OK);
	assert_non_null(strstr(err.msg, "kaohe-no-such-font") != NULL ?
	    err.msg : strstr(err.file, "kaohe-no-such-font"));
	assert_int_equal(access(out, F_OK), -1);
	f->ctx.templates_dir = "templates";
}

/* Edits that change the sheet without touching code. */
static void
test_layout_edits(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[192], *t;

	/* chart off: no heading, no bars */
	edited(f, "<chart id=\"completion\" show=\"yes\"",
	    "<chart id=\"completion\" show=\"no\"", KH_OK, out, sizeof(out),
	    &err);
	t = text(out, 0, 0);
	assert_lacks(t, "各项指标完成率");
	assert_contains(t, "考核记录");
	free(t);
	/* reworded signature line and a column header */
	edited(f, "客户经理：__________", "被考核人签字：__________", KH_OK,
	    out, sizeof(out), &err);
	t = text(out, 0, 0);
	assert_contains(t, "被考核人签字：");
	free(t);
	edited(f, "head=\"实际完成\"", "head=\"本月实绩\"", KH_OK, out,
	    sizeof(out), &err);
	t = text(out, 0, 0);
	assert_contains(t, "本月实绩");
	assert_lacks(t, "实际完成");
	free(t);
}

static void
test_layout_refused(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	long line;

	line = refused(f, "field=\"indicator\"", "field=\"indicatr\"", &err);
	assert_non_null(strstr(err.file, "tpl/layouts/scorecard.xml"));
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, "unknown field \"indicatr\""));

	line = refused(f, "{month}", "{monht}", &err);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, "unknown placeholder {monht}"));

	line = refused(f, "<text id=\"sign\"", "<text id=\"sing\"", &err);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, "unknown text \"sing\""));

	refused(f, "<text id=\"sign\"", "<!-- --><foo/><text id=\"x\"",
	    &err);
	assert_non_null(strstr(err.msg, "unknown element <foo>"));

	refused(f, "table=\"9\"", "table=\"8\"", &err);
	assert_non_null(strstr(err.msg, "at least 9 pt"));

	refused(f, "align=\"right\"", "align=\"rechts\"", &err);
	assert_non_null(strstr(err.msg, "align=\"rechts\""));

	/* a required text left out: named, no line */
	refused(f, "<text id=\"no_target\"   value=\"未下达\"/>", "", &err);
	assert_non_null(strstr(err.msg, "text \"no_target\" is missing"));

	/* malformed XML: the reader's message, with file and line */
	line = refused(f, "<table id=\"totals\"", "<table id=\"totals\" <", &err);
	assert_non_null(strstr(err.file, "scorecard.xml"));
	assert_true(err.line >= line);

	/* columns wider than the page */
	refused(f, "width=\"16\"", "width=\"190\"", &err);
	assert_non_null(strstr(err.msg, "wide"));
}

/* ---- placeholders and UTF-8-safe truncation ------------------------------ */

static void
test_expand(void **state)
{
	const char *names[] = { "a", "month" };
	const char *values[] = { "1", "2013年5月" };
	char out[64], small[6], bytes[8];

	(void)state;
	kh_layout_expand("{a}-{{b}-{c}-{month}", names, values, 2, out,
	    sizeof(out));
	assert_string_equal(out, "1-{b}-{c}-2013年5月");
	/* 6 bytes hold "考" (3) + 2 bytes of "核": the partial one goes */
	kh_layout_expand("考核", NULL, NULL, 0, small, sizeof(small));
	assert_string_equal(small, "考");
	snprintf(bytes, sizeof(bytes), "ab\xe5\xbc");
	kh_utf8_trim(bytes);
	assert_string_equal(bytes, "ab");
	snprintf(bytes, sizeof(bytes), "ab\xe5\xbc\x80");
	kh_utf8_trim(bytes);
	assert_string_equal(bytes, "ab\xe5\xbc\x80");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test_setup_teardown(test_scorecard_provisional,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_scorecard_final_identical,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_scorecard_paginates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_scorecard_incomplete,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_team, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_holidays, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_team_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_annual, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_layout_edits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fontconf, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
