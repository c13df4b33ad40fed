/*
 * test_linebreak.c — CJK line breaking with a fixed-width "font":
 * every non-ASCII character 1000 units wide, ASCII 500.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "linebreak.h"

static double
fixed(void *arg, uint32_t cp)
{
	(void)arg;
	return cp < 0x80 ? 500 : 1000;
}

/* Break s at width; return the lines joined by '|' (static buffer). */
static const char *
brk(const char *s, double width, size_t *n)
{
	static char out[1024];
	struct kh_text_line *l = NULL;
	struct kh_err e;
	size_t i, o = 0;

	assert_int_equal(kh_linebreak(s, width, fixed, NULL, &l, n, &e), KH_OK);
	for (i = 0; i < *n; i++) {
		if (i > 0)
			out[o++] = '|';
		memcpy(out + o, s + l[i].off, l[i].len);
		o += l[i].len;
	}
	out[o] = '\0';
	free(l);
	return out;
}

static void
test_plain_cjk(void **state)
{
	size_t n;

	(void)state;
	/* 25 characters, 10 a line: 10 + 10 + 5 */
	assert_string_equal(brk("一二三四五六七八九十一二三四五六七八九十一二三四五",
	    10000, &n), "一二三四五六七八九十|一二三四五六七八九十|一二三四五");
	assert_int_equal(n, 3);
	/* exactly full lines do not leave an empty line behind */
	assert_string_equal(brk("一二三四五六", 3000, &n), "一二三|四五六");
	assert_int_equal(n, 2);
}

/* A closing mark never starts a line: the character before it moves too. */
static void
test_no_line_starts_with_closing(void **state)
{
	static const char *marks[] = { "。", "，", "、", "）", "》", "！", "：" };
	char s[64];
	size_t i, n;
	const char *r;

	(void)state;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(s, sizeof(s), "一二三四五%s六七八九", marks[i]);
		r = brk(s, 5000, &n);
		/* naive breaking would give 一二三四五|%s六七八|九 */
		assert_non_null(strstr(r, "一二三四|五"));
		assert_int_equal(n, 3);
		assert_null(strstr(r, "|。"));
		assert_null(strstr(r, "|，"));
		assert_null(strstr(r, "|、"));
		assert_null(strstr(r, "|）"));
		assert_null(strstr(r, "|》"));
	}
}

/* An opening bracket never ends a line. */
static void
test_opening_bracket(void **state)
{
	size_t n;

	(void)state;
	assert_string_equal(brk("一二三四《五六》", 5000, &n), "一二三四|《五六》");
	assert_string_equal(brk("一二三四（五六）", 5000, &n), "一二三四|（五六）");
}

/* Numbers and Latin words stay whole; spaces are dropped at the break. */
static void
test_mixed(void **state)
{
	size_t n;

	(void)state;
	/* 总销量 (3000) + " " (500) + 12345.67 (4000) = 7500 > 6000 */
	assert_string_equal(brk("总销量 12345.67 条", 6000, &n),
	    "总销量|12345.67 条");
	/* 完成率98.50% fills 6000 exactly, but "，" may not start a line */
	assert_string_equal(brk("完成率98.50%，排名第3", 6000, &n),
	    "完成率|98.50%，排名|第3");
	assert_string_equal(brk("hello world again", 3000, &n),
	    "hello|world|again");
}

static void
test_forced_and_overlong(void **state)
{
	size_t n;

	(void)state;
	assert_string_equal(brk("一二\n三", 10000, &n), "一二|三");
	assert_int_equal(n, 2);
	assert_string_equal(brk("一二\n\n三", 10000, &n), "一二||三");
	assert_string_equal(brk("", 10000, &n), "");
	assert_int_equal(n, 1);
	/* a word wider than the line is cut where it overflows */
	assert_string_equal(brk("abcdefghij", 2000, &n), "abcd|efgh|ij");
	/* a character wider than the line still goes somewhere, alone */
	assert_string_equal(brk("一二", 500, &n), "一|二");
}

static void
test_widths(void **state)
{
	struct kh_text_line *l = NULL;
	struct kh_err e;
	size_t n;

	(void)state;
	assert_int_equal(kh_linebreak("一二 ab  三四", 4000, fixed, NULL, &l, &n,
	    &e), KH_OK);
	assert_int_equal(n, 2);
	assert_true(l[0].width == 3500);	/* 一二 ab, trailing spaces cut */
	assert_true(l[1].width == 2000);
	free(l);
}

static void
test_utf8_decode(void **state)
{
	size_t a;

	(void)state;
	assert_int_equal(kh_utf8_next("中", 3, &a), 0x4E2D);
	assert_int_equal(a, 3);
	assert_int_equal(kh_utf8_next("\xF0\xA0\x80\x80", 4, &a), 0x20000);
	assert_int_equal(a, 4);
	assert_int_equal(kh_utf8_next("\xE4\xB8", 2, &a), 0xFFFD);
	assert_int_equal(a, 1);
	assert_int_equal(kh_utf8_next("\xC0\x80", 2, &a), 0xFFFD);	/* overlong */
	assert_int_equal(kh_utf8_next("\xED\xA0\x80", 3, &a), 0xFFFD);	/* surrogate */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_cjk),
		cmocka_unit_test(test_no_line_starts_with_closing),
		cmocka_unit_test(test_opening_bracket),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_forced_and_overlong),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_utf8_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
