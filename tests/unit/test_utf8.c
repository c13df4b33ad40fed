/*
 * test_utf8.c — cuts between characters only: ASCII, 2-, 3- and 4-byte
 * sequences at every cut position, and a truncated snprintf trimmed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

/* "a" + "é" (2) + "考" (3) + "𪚥" (4): boundaries at 0 1 3 6 10 */
static const char mixed[] = "a\xC3\xA9\xE8\x80\x83\xF0\xAA\x9A\xA5";

static void
test_fit(void **state)
{
	static const size_t want[11] = { 0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10 };
	size_t max;

	(void)state;
	for (max = 0; max <= 10; max++)
		assert_int_equal(kh_utf8_fit(mixed, max), want[max]);
	assert_int_equal(kh_utf8_fit(mixed, 100), 10);
	assert_int_equal(kh_utf8_fit("", 5), 0);
}

static void
test_copy(void **state)
{
	char buf[8];

	(void)state;
	kh_utf8_copy(buf, sizeof(buf), mixed);		/* room for 7 bytes */
	assert_string_equal(buf, "a\xC3\xA9\xE8\x80\x83");
	kh_utf8_copy(buf, 3, mixed);			/* room for 2: "a" */
	assert_string_equal(buf, "a");
	kh_utf8_copy(buf, 1, mixed);
	assert_string_equal(buf, "");
	kh_utf8_copy(buf, sizeof(buf), "KM001");
	assert_string_equal(buf, "KM001");
}

static void
test_trim(void **state)
{
	char buf[16];
	size_t len;

	(void)state;
	for (len = 1; len <= 11; len++) {
		snprintf(buf, len, "%s", mixed);	/* cut anywhere */
		kh_utf8_trim(buf);
		assert_int_equal(strlen(buf), kh_utf8_fit(mixed, len - 1));
		assert_memory_equal(buf, mixed, strlen(buf));
	}
	snprintf(buf, sizeof(buf), "%s", "abc");
	kh_utf8_trim(buf);
	assert_string_equal(buf, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
