/*
 * test_render.c — PDFs from the display list, checked with poppler-utils
 * (pdftotext, pdffonts, pdfinfo): text comes back, fonts are embedded
 * subsets, tables paginate with their header, output is byte-identical,
 * saving is atomic and follows the umask, missing characters show as 〓
 * and are reported (every one, however many), the font subset never touches the temporary folder,
 * and a failed write says why (errno, not libharu's 0x0000).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "render.h"

static char dir[64];

/* stdout of a shell command (malloc'd). */
static char *
run(const char *fmt, ...)
{
	char cmd[1024], *out;
	size_t n = 0, cap = 1 << 16;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(out = malloc(cap));
	while (n + 1 < cap && (n += fread(out + n, 1, cap - 1 - n, p)) > 0 &&
	    !feof(p))
		;
	out[n] = '\0';
	pclose(p);
	return out;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t k = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		k++;
		hay += strlen(needle);
	}
	return k;
}

static size_t
files_in(const char *d)
{
	DIR *dp;
	struct dirent *de;
	size_t n = 0;

	assert_non_null(dp = opendir(d));
	while ((de = readdir(dp)) != NULL)
		n += de->d_name[0] != '.';
	closedir(dp);
	return n;
}

static struct kh_doc *
doc(const char *watermark)
{
	struct kh_doc_opts o;
	struct kh_err e;
	struct kh_doc *d;

	memset(&o, 0, sizeof(o));
	o.title = "个人月度考核表 <2013-05> & 测试";
	o.author = "某某县烟草专卖局营销中心";
	o.date = "2013-06-01 08:00:00";
	o.footer = "生成于 2013-06-01 08:00 输入指纹 3f2a9c01";
	o.watermark = watermark;
	o.pdfa = 1;
	d = kh_doc_new(&o, &e);
	assert_non_null(d);
	return d;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_render-XXXXXX");
	return mkdtemp(dir) == NULL;
}

static int
teardown(void **state)
{
	char *o;

	(void)state;
	o = run("rm -rf '%s'", dir);
	free(o);
	return 0;
}

static void
test_text_comes_back(void **state)
{
	struct kh_doc *d = doc(NULL);
	struct kh_err e;
	char path[128], *out;

	(void)state;
	snprintf(path, sizeof(path), "%s/text.pdf", dir);
	assert_int_equal(kh_doc_para(d, 12, KH_LEFT,
	    "客户经理月度考核得分 87.50 分，排名第 3。", 0), KH_OK);
	assert_int_equal(kh_doc_text(d, 100, 300, 10, KH_CENTER, "ABC xyz 123"),
	    KH_OK);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	out = run("pdftotext -enc UTF-8 '%s' - 2>&1", path);
	assert_non_null(strstr(out, "客户经理月度考核得分 87.50 分，排名第 3。"));
	assert_non_null(strstr(out, "ABC xyz 123"));
	/* pdftotext drops the spaces between digits and ideographs */
	assert_non_null(strstr(out, "第1页共1页"));
	assert_non_null(strstr(out, "输入指纹 3f2a9c01"));
	assert_null(strstr(out, "Warning"));	/* no complaint about ToUnicode */
	free(out);
	/* one font, embedded, subset, with a ToUnicode map; no base-14 font */
	out = run("pdffonts '%s' | tail -n +3", path);
	assert_int_equal(count(out, "\n"), 1);
	assert_non_null(strstr(out, "CID TrueType"));
	assert_non_null(strstr(out, "yes yes yes"));
	assert_non_null(strstr(out, "+WenQuanYiMicroHei"));
	free(out);
	/* PDF/A pieces libharu 2.3 gets wrong or leaves out (see render.c) */
	out = run("LC_ALL=C grep -a -c -e '^/CIDSet ' -e '^/CapHeight ' "
	    "-e '^/Subtype /XML' -e '^/DestOutputProfile [0-9]' -e '^/ID \\[' "
	    "-e 'dc:title.*&lt;2013-05&gt; &amp; ' -e 'pdfaid:part>1<' '%s'", path);
	assert_string_equal(out, "7\n");
	free(out);
	out = run("LC_ALL=C grep -a -c -e 'DestOutputProfile#20' -e '/SubType' "
	    "-e 'begincidrange' -e Kaohe '%s'", path);
	assert_string_equal(out, "0\n");
	free(out);
	out = run("pdfinfo '%s'", path);
	assert_non_null(strstr(out, "个人月度考核表 <2013-05> & 测试"));
	assert_non_null(strstr(out, "Metadata Stream: yes"));
	assert_non_null(strstr(out, "2013"));
	free(out);
}

/* 100 rows: several pages, the header on each, rows never split. */
static void
test_table_paginates(void **state)
{
	static const struct kh_col cols[] = {
		{ "序号", 36, KH_RIGHT }, { "客户经理", 0, KH_LEFT },
		{ "得分", 60, KH_RIGHT },
	};
	struct kh_doc *d = doc(NULL);
	struct kh_table *t;
	struct kh_err e;
	char path[128], num[16], name[160], *out;
	const char *cells[3] = { num, name, "99.00" };
	size_t i, pages;

	(void)state;
	snprintf(path, sizeof(path), "%s/table.pdf", dir);
	kh_err_clear(&e);
	assert_null(kh_table_new(d, cols, 3, 8, &e));	/* too small to read */
	assert_int_equal(e.status, KH_USAGE);
	assert_non_null(t = kh_table_new(d, cols, 3, 10, &e));
	for (i = 1; i <= 100; i++) {
		snprintf(num, sizeof(num), "%zu", i);
		snprintf(name, sizeof(name), "第%zu号客户经理%s", i,
		    i % 10 == 0 ? "（兼任片区负责人，负责城区东片和开发区）" : "");
		assert_int_equal(kh_table_row(t, cells, KH_ROW_PLAIN), KH_OK);
	}
	kh_table_end(t);
	pages = kh_doc_page_count(d);
	assert_true(pages >= 3 && pages <= 5);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	for (i = 1; i <= pages; i++) {
		out = run("pdftotext -enc UTF-8 -f %zu -l %zu '%s' -", i, i, path);
		assert_int_equal(count(out, "序号"), 1);	/* the header */
		free(out);
	}
	out = run("pdftotext -enc UTF-8 '%s' -", path);
	assert_int_equal(count(out, "99.00"), 100);
	assert_int_equal(count(out, "\f"), pages);
	assert_non_null(strstr(out, "第2页共"));
	free(out);
}

static void
test_missing_glyph(void **state)
{
	struct kh_doc *d = doc(NULL);
	const struct kh_missing *m;
	struct kh_err e;
	char path[128], *out;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.pdf", dir);
	/* 㐀 (U+3400, CJK ext. A) is not in the font; U+20000 is beyond BMP */
	assert_int_equal(kh_doc_para(d, 12, KH_LEFT, "客户经理张㐀，王\xF0\xA0\x80\x80明", 0),
	    KH_OK);
	assert_int_equal(kh_doc_text(d, 50, 200, 12, KH_LEFT, "李㐀"), KH_OK);
	assert_int_equal(kh_doc_missing(d, &m), 2);
	assert_int_equal(m[0].cp, 0x3400);
	assert_non_null(strstr(m[0].context, "张㐀，王"));
	assert_int_equal(m[1].cp, 0x20000);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	out = run("pdftotext -enc UTF-8 '%s' -", path);
	assert_non_null(strstr(out, "客户经理张〓，王〓明"));
	assert_non_null(strstr(out, "李〓"));
	free(out);
}

/* Past the 64 the list once held: every character kept, each once. */
static void
test_missing_glyph_many(void **state)
{
	struct kh_doc *d = doc(NULL);
	const struct kh_missing *m;
	char text[4 * 300 + 1], *p;
	uint32_t cp;
	size_t i;

	(void)state;
	for (p = text, cp = 0x20000; cp < 0x20000 + 300; cp++) {
		*p++ = (char)(0xF0 | (cp >> 18));
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*p++ = (char)(0x80 | (cp & 0x3F));
	}
	*p = '\0';
	assert_int_equal(kh_doc_para(d, 12, KH_LEFT, text, 0), KH_OK);
	assert_int_equal(kh_doc_text(d, 50, 200, 12, KH_LEFT, text), KH_OK);
	assert_int_equal(kh_doc_missing(d, &m), 300);
	for (i = 0; i < 300; i++)
		assert_int_equal(m[i].cp, 0x20000 + i);
	kh_doc_free(d);
}

static void
render_sample(const char *path)
{
	static const struct kh_col cols[] = {
		{ "指标", 0, KH_LEFT }, { "得分", 60, KH_RIGHT } };
	static const struct kh_bar bars[] = {
		{ "销量", 9500, "95.00%" }, { "重点品牌", 11000, "110.00%" } };
	static const char *x[] = { "1月", "2月", "3月" };
	static const long v[] = { 8000, 8500, 7900 };
	const char *row[] = { "低焦油卷烟销量", "12.50" };
	struct kh_doc *d = doc("试算 / 未定稿");
	struct kh_table *t;
	struct kh_err e;

	assert_non_null(t = kh_table_new(d, cols, 2, 10, &e));
	assert_int_equal(kh_table_row(t, row, KH_ROW_SHADE), KH_OK);
	kh_table_end(t);
	assert_int_equal(kh_doc_barchart(d, 10, "完成率", bars, 2, 0), KH_OK);
	assert_int_equal(kh_doc_linechart(d, 9, "走势", x, v, NULL, 3, 120), KH_OK);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
}

static void
test_byte_identical(void **state)
{
	char a[128], b[128], *out;

	(void)state;
	snprintf(a, sizeof(a), "%s/a.pdf", dir);
	snprintf(b, sizeof(b), "%s/b.pdf", dir);
	render_sample(a);
	sleep(1);		/* a clock in the file would now differ */
	render_sample(b);
	out = run("cmp '%s' '%s' && echo same", a, b);
	assert_string_equal(out, "same\n");
	free(out);
	out = run("pdftotext -enc UTF-8 '%s' -", a);
	/* the diagonal watermark comes out a character a line */
	assert_non_null(strstr(out, "试\n"));
	assert_non_null(strstr(out, "稿\n"));
	assert_non_null(strstr(out, "110.00%"));
	free(out);
}

/*
 * libharu 2.3 writes empty hinting tables for a font without them and
 * then cannot seek to one that starts on a 4096-byte boundary of its
 * buffer: these 161 characters (a provisional team sheet) gave exactly
 * such a subset, and the save failed with HPDF_INVALID_OBJECT.
 */
static void
test_subset_size_boundary(void **state)
{
	static const char chars[] =
	    " -./0123456789:KM_ab"
	    "df　、。《》一三上下个为书予二于人以份"
	    "伟低作入公共农出分前办加区单卷原参号名向"
	    "员品售因图城如姓娜完定客对导将小工帆年异"
	    "式张形得性总成户报指按据排提收数无日时月"
	    "有期未李村杨果柜标核根档次油法海点烟焦牌"
	    "率王现理生目磊示稿第算箱纹组经结编考至视"
	    "议评试请输达逾重量销长间零面页领黄（），"
	    "：";
	struct kh_doc *d;
	struct kh_err e;
	char path[128], *out;

	struct kh_doc_opts o;

	(void)state;
	snprintf(path, sizeof(path), "%s/boundary.pdf", dir);
	memset(&o, 0, sizeof(o));	/* no title or footer: these glyphs only */
	o.date = "2013-06-01 08:00:00";
	assert_non_null(d = kh_doc_new(&o, &e));
	assert_int_equal(kh_doc_page_add(d), KH_OK);
	assert_int_equal(kh_doc_text(d, 50, 50, 12, KH_LEFT, chars), KH_OK);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	out = run("pdftotext -enc UTF-8 '%s' -", path);
	assert_non_null(strstr(out, "KM_abdf"));
	free(out);
}

/* Nothing under the final name unless all of it was written. */
static void
test_atomic_save(void **state)
{
	struct kh_doc *d;
	struct kh_err e;
	char sub[128], path[160];
	struct stat st;
	size_t before;
	mode_t mask;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/atomic", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	/* the final name is a directory: write succeeds, rename fails */
	snprintf(path, sizeof(path), "%s/busy.pdf", sub);
	assert_int_equal(mkdir(path, 0755), 0);
	d = doc(NULL);
	kh_doc_para(d, 12, KH_LEFT, "内容", 0);
	kh_err_clear(&e);
	assert_int_equal(kh_doc_save(d, path, &e), KH_FAIL);
	assert_string_equal(e.file, path);
	assert_int_equal(kh_doc_save(d, path, &e), KH_USAGE);	/* once only */
	kh_doc_free(d);
	assert_int_equal(files_in(sub), 1);		/* no temp file left */
	/* a missing directory: nothing created */
	snprintf(path, sizeof(path), "%s/nodir/x.pdf", sub);
	d = doc(NULL);
	assert_int_equal(kh_doc_save(d, path, &e), KH_FAIL);
	kh_doc_free(d);
	assert_int_equal(stat(path, &st), -1);
	before = files_in(sub);
	/* success: exactly one new file, with the mode the umask allows */
	snprintf(path, sizeof(path), "%s/ok.pdf", sub);
	d = doc(NULL);
	mask = umask(022);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	assert_int_equal(files_in(sub), before + 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	snprintf(path, sizeof(path), "%s/private.pdf", sub);
	d = doc(NULL);
	umask(077);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	umask(mask);
	kh_doc_free(d);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/*
 * The font subset is handed to libharu without a file name in the
 * temporary folder, so a run killed at any point leaves none there: a
 * temporary folder that does not exist does not matter.
 */
static void
test_no_temporary_file(void **state)
{
	struct kh_doc *d;
	struct kh_err e;
	char tmp[128], path[160];
	const char *old = getenv("TMPDIR");
	char *saved = old != NULL ? strdup(old) : NULL;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/no-such-tmp", dir);
	setenv("TMPDIR", tmp, 1);
	snprintf(path, sizeof(path), "%s/notmp.pdf", dir);
	d = doc(NULL);
	kh_doc_para(d, 12, KH_LEFT, "客户经理", 0);
	kh_err_clear(&e);
	assert_int_equal(kh_doc_save(d, path, &e), KH_OK);
	kh_doc_free(d);
	if (saved != NULL)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

/*
 * A write that fails part-way (full disk; here the file size limit)
 * names its cause: the short write is followed by the one that fails.
 */
static void
test_write_error_names_cause(void **state)
{
	struct kh_doc *d;
	struct kh_err e;
	struct rlimit old, lim;
	char path[160];
	int i;

	(void)state;
	snprintf(path, sizeof(path), "%s/big.pdf", dir);
	d = doc(NULL);
	for (i = 0; i < 60; i++) {
		kh_doc_page_add(d);
		kh_doc_text(d, 50, 50, 12, KH_LEFT, "0123456789");
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 24 * 1024;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	kh_err_clear(&e);
	i = kh_doc_save(d, path, &e);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	kh_doc_free(d);
	assert_int_equal(i, KH_FAIL);
	assert_string_equal(e.msg, "cannot write the PDF: File too large");
	assert_string_equal(e.file, path);
}

static void
test_wrap_and_options(void **state)
{
	struct kh_doc_opts o;
	struct kh_doc *d = doc(NULL);
	struct kh_err e;
	double h, w;
	size_t n;

	(void)state;
	/* 30 ideographs at 10 pt in 100 pt: 10 a line, 3 lines */
	h = kh_doc_wrap_height(d, 100, 10,
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", &n);
	assert_int_equal(n, 3);
	assert_true(h > 3 * 10 * KH_LEADING - 0.01 && h < 3 * 10 * KH_LEADING + 0.01);
	w = kh_doc_text_width(d, 10, "中文");
	assert_true(w > 19.99 && w < 20.01);
	assert_int_equal(kh_doc_page_count(d), 0);
	assert_int_equal(kh_doc_need(d, 10), KH_OK);
	assert_int_equal(kh_doc_page_count(d), 1);
	kh_doc_set_y(d, 800);
	assert_int_equal(kh_doc_need(d, 100), KH_OK);
	assert_int_equal(kh_doc_page_count(d), 2);
	kh_doc_free(d);
	memset(&o, 0, sizeof(o));
	o.date = "yesterday";
	kh_err_clear(&e);
	assert_null(kh_doc_new(&o, &e));
	assert_int_equal(e.status, KH_USAGE);
	o.date = "2013-02-30T25:00:00";
	assert_null(kh_doc_new(&o, &e));
	kh_doc_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_comes_back),
		cmocka_unit_test(test_table_paginates),
		cmocka_unit_test(test_missing_glyph),
		cmocka_unit_test(test_missing_glyph_many),
		cmocka_unit_test(test_byte_identical),
		cmocka_unit_test(test_subset_size_boundary),
		cmocka_unit_test(test_atomic_save),
		cmocka_unit_test(test_no_temporary_file),
		cmocka_unit_test(test_write_error_names_cause),
		cmocka_unit_test(test_wrap_and_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
