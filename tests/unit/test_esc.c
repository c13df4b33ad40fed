/*
 * test_esc.c — stored text printed on its own line: control characters,
 * DEL, C1 controls and the Unicode line separators escaped, backslashes
 * doubled, Chinese and the format's own text as they are, every integer
 * conversion the trail uses, and long text whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"

/* What kh_esc_fputs makes of s (malloc'd). */
static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kh_esc_fputs(s, f), 0);
	fclose(f);
	return buf;
}

static void
check(const char *in, const char *want)
{
	char *got = escaped(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_escapes(void **state)
{
	(void)state;
	check("", "");
	check("王强 纪检监察员: 线路抽查漏访2户", "王强 纪检监察员: 线路抽查漏访2户");
	check("a\nb", "a\\nb");
	check("a\r\nb\tc", "a\\r\\nb\\tc");
	check("C:\\x", "C:\\\\x");
	check("\x1b[2J\x7f\x01", "\\x1b[2J\\x7f\\x01");
	check("x\xc2\x85y\xc2\x9b", "x\\u0085y\\u009b");		/* NEL, CSI */
	check("\xc2\xa0\xc2\xb7", "\xc2\xa0\xc2\xb7");		/* not C1 */
	check("a\xe2\x80\xa8" "b\xe2\x80\xa9", "a\\u2028b\\u2029");
	check("\xe2\x80\x94", "\xe2\x80\x94");			/* an em dash */
	check("end\xc2", "end\xc2");				/* cut: as is */
}

static void
test_printf(void **state)
{
	char *buf = NULL, big[5001];
	size_t len = 0;
	FILE *f;

	(void)state;
	memset(big, 'x', 5000);
	big[4999] = '\n';
	big[5000] = '\0';
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(kh_esc_printf(f, "  #%ld %s %lld%% %2d. [%s] %zu %u "
	    "%04X %x %s\n", 12L, "a\nb", -5LL, 3, "", (size_t)7, 8u, 0x3007u,
	    255, big), 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "  #12 a\\nb -5% " " 3. [] 7 8 3007 ff ",
	    strlen("  #12 a\\nb -5%  3. [] 7 8 3007 ff ")), 0);
	assert_int_equal(len, strlen("  #12 a\\nb -5%  3. [] 7 8 3007 ff ") +
	    4999 + 2 + 1);
	assert_memory_equal(buf + len - 3, "\\n\n", 3);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_printf),
	};

	return cmocka_run_group_tests_name("esc", tests, NULL, NULL);
}
