/*
 * test_fontsub.c — the CJK font (fonts-wqy-microhei): coverage, advances,
 * and a subset that keeps exactly the characters asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fontsub.h"

static void
test_open_and_measure(void **state)
{
	struct kh_err e;
	struct kh_font *f;

	(void)state;
	assert_non_null(f = kh_font_open(NULL, 0, &e));
	assert_true(kh_font_has(f, 0x4E2D));		/* 中 */
	assert_true(kh_font_has(f, '7'));
	assert_true(kh_font_has(f, 0x3013));		/* 〓 the stand-in */
	assert_false(kh_font_has(f, 0x3400));		/* 㐀, CJK ext. A */
	assert_false(kh_font_has(f, 0x20000));		/* outside the BMP */
	/* ideographs are one em wide; Latin narrower */
	assert_true(kh_font_advance(f, 0x4E2D) == 1000.0);
	assert_true(kh_font_advance(f, 'A') > 400 && kh_font_advance(f, 'A') < 800);
	assert_true(kh_font_advance(f, 0x3400) == 0);
	assert_true(kh_font_ascender(f) > 500);
	assert_true(kh_font_descender(f) < 0);
	kh_font_close(f);
	kh_font_close(NULL);
}

static void
test_open_errors(void **state)
{
	struct kh_err e;

	(void)state;
	kh_err_clear(&e);
	assert_null(kh_font_open("/nonexistent/font.ttf", 0, &e));
	assert_int_equal(e.status, KH_FAIL);
	assert_string_equal(e.file, "/nonexistent/font.ttf");
	kh_err_clear(&e);
	assert_null(kh_font_open(NULL, 7, &e));		/* the .ttc has 2 faces */
	assert_int_equal(e.status, KH_FAIL);
	assert_non_null(strstr(e.msg, "face 7"));
	kh_err_clear(&e);
	assert_null(kh_font_open("/etc/hostname", 0, &e));
	assert_int_equal(e.status, KH_FAIL);
}

/* The subset is a real font: reopened, it has what was asked, nothing else. */
static void
test_subset(void **state)
{
	static const uint32_t cps[] = { 0x4E2D, 0x56FD, '1', 0x3400 };
	char path[] = "/tmp/test_fontsub-XXXXXX";
	struct kh_err e;
	struct kh_font *f, *s;
	unsigned char *data = NULL;
	size_t len = 0;
	int fd;

	(void)state;
	assert_non_null(f = kh_font_open(NULL, 0, &e));
	assert_int_equal(kh_font_subset(f, cps, 4, &data, &len, &e), KH_OK);
	assert_true(len > 500 && len < 20000);	/* the full face is ~5 MB */
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_non_null(s = kh_font_open(path, 0, &e));
	unlink(path);
	assert_true(kh_font_has(s, 0x4E2D));
	assert_true(kh_font_has(s, 0x56FD));
	assert_true(kh_font_has(s, '1'));
	assert_false(kh_font_has(s, '2'));
	assert_false(kh_font_has(s, 0x6587));		/* 文 was not asked */
	assert_true(kh_font_advance(s, 0x4E2D) == kh_font_advance(f, 0x4E2D));
	assert_true(kh_font_advance(s, '1') == kh_font_advance(f, '1'));
	kh_font_close(s);
	kh_font_close(f);
	free(data);
}

/* Write text to dir/fonts.conf. */
static void
put_conf(const char *dir, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/fonts.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
test_fontconf(void **state)
{
	char dir[] = "/tmp/test_fontconf-XXXXXX", path[256];
	struct kh_fontconf c;
	struct kh_err e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* no file: the default */
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_OK);
	assert_string_equal(c.path, KH_DEFAULT_FONT);
	assert_int_equal(c.face, 0);
	put_conf(dir, "# comment\n\n  font = /x/y.ttc  # trailing\nface=1\n");
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_OK);
	assert_string_equal(c.path, "/x/y.ttc");
	assert_int_equal(c.face, 1);
	put_conf(dir, "font = my.ttf\n");		/* relative to templates */
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_OK);
	snprintf(path, sizeof(path), "%s/my.ttf", dir);
	assert_string_equal(c.path, path);
	put_conf(dir, "font = a.ttf\nfase = 1\n");
	kh_err_clear(&e);
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_USAGE);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.file, "fonts.conf"));
	put_conf(dir, "face = -1\n");
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_USAGE);
	put_conf(dir, "font\n");
	assert_int_equal(kh_fontconf_load(dir, &c, &e), KH_USAGE);
	/* the shipped file names the default font */
	assert_int_equal(kh_fontconf_load("templates", &c, &e), KH_OK);
	assert_string_equal(c.path, KH_DEFAULT_FONT);
	snprintf(path, sizeof(path), "%s/fonts.conf", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_measure),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_subset),
		cmocka_unit_test(test_fontconf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
