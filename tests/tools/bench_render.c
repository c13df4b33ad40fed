/*
 * bench_render.c — time the PDF layer on a scorecard-like page.
 *
 *   bench_render [-n N] [-a] [-s] OUTDIR
 *
 * Renders a one-page table of 31 rows of Chinese (the size of a monthly
 * scorecard) N times (default 50) into OUTDIR/bench-<i>.pdf and prints
 * "kaohe cpu_ms_per_page=… wall_ms_per_page=… bytes=…" (CPU time is the
 * steadier figure on a busy machine).  -a: PDF/A-1b (XMP + sRGB intent);
 * -s: open the font once and share it (as a run rendering every
 * manager's scorecard would).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fontsub.h"
#include "render.h"

static const char *items[] = {
	"卷烟销售总量", "一类烟销量", "二类烟销量", "三类烟销量",
	"四五类烟销量", "低焦油卷烟销量", "重点品牌销量", "重点品牌上柜率",
	"单箱销售额", "订单满足率", "客户拜访完成率", "新品铺货率",
	"市场价格稳定率", "客户满意度", "信息采集及时率", "零售户档案完整率",
};

static int
render_one(const char *path, int pdfa, struct kh_font *font, struct kh_err *e)
{
	static const struct kh_col cols[] = {
		{ "序号", 32, KH_RIGHT }, { "考核项目", 0, KH_LEFT },
		{ "目标", 62, KH_RIGHT }, { "完成", 62, KH_RIGHT },
		{ "完成率", 56, KH_RIGHT }, { "得分", 50, KH_RIGHT },
	};
	struct kh_doc_opts o;
	struct kh_doc *d;
	struct kh_table *t;
	char n[16], tg[32], ac[32], rt[32], sc[32];
	const char *row[6] = { n, NULL, tg, ac, rt, sc };
	int i, rc;

	memset(&o, 0, sizeof(o));
	o.font = font;
	o.title = "个人月度考核表 2013-05 KM001";
	o.author = "某某县烟草专卖局营销中心";
	o.date = "2013-06-01 08:00:00";
	o.footer = "生成于 2013-06-01 08:00 输入指纹 3f2a9c01";
	o.pdfa = pdfa;
	if ((d = kh_doc_new(&o, e)) == NULL)
		return KH_FAIL;
	kh_doc_para(d, 16, KH_CENTER, "个人月度考核表（2013年5月）", 4);
	kh_doc_para(d, 10, KH_LEFT, "客户经理：张三（KM001）  片区：城区一组  "
	    "状态：定稿", 6);
	if ((t = kh_table_new(d, cols, 6, 9.5, e)) == NULL) {
		kh_doc_free(d);
		return KH_FAIL;
	}
	for (i = 0; i < 31; i++) {
		snprintf(n, sizeof(n), "%d", i + 1);
		row[1] = items[i % 16];
		snprintf(tg, sizeof(tg), "%d.00", 1200 + 37 * i);
		snprintf(ac, sizeof(ac), "%d.50", 1100 + 41 * i);
		snprintf(rt, sizeof(rt), "%d.%02d%%", 85 + i % 20, (7 * i) % 100);
		snprintf(sc, sizeof(sc), "%d.%02d", 2 + i % 9, (13 * i) % 100);
		kh_table_row(t, row, i == 30 ? KH_ROW_SHADE : KH_ROW_PLAIN);
	}
	kh_table_end(t);
	rc = kh_doc_save(d, path, e);
	kh_doc_free(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct kh_font *font = NULL;
	struct kh_err e;
	struct timespec t0, t1, c0, c1;
	struct stat st;
	char path[1024];
	int c, n = 50, pdfa = 0, share = 0, i;
	double ms, cpu;

	while ((c = getopt(argc, argv, "n:as")) != -1) {
		switch (c) {
		case 'n': n = atoi(optarg); break;
		case 'a': pdfa = 1; break;
		case 's': share = 1; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || n < 1)
		goto usage;
	if (share && (font = kh_font_open(NULL, 0, &e)) == NULL)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/bench-%d.pdf", argv[optind], i);
		if (render_one(path, pdfa, font, &e) != KH_OK)
			goto fail;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / n;
	cpu = ((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6) / n;
	if (stat(path, &st) < 0)
		goto fail;
	printf("kaohe%s%s cpu_ms_per_page=%.2f wall_ms_per_page=%.2f bytes=%lld\n",
	    pdfa ? "-pdfa" : "", share ? "-shared-font" : "", cpu, ms,
	    (long long)st.st_size);
	kh_font_close(font);
	return 0;
fail:
	fprintf(stderr, "bench_render: %s: %s\n", e.file, e.msg);
	return 1;
usage:
	fprintf(stderr, "usage: bench_render [-n N] [-a] [-s] OUTDIR\n");
	return 2;
}
