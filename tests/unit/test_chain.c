/*
 * test_chain.c — SHA-256 against the FIPS 180-2 vectors, whole and fed in
 * pieces, and a chain link as the hash of prev "\n" row; every function
 * says it produced the digest (0), so a failure can never pass for one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "chain.h"

#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_buf(void **state)
{
	char hex[KH_SHA256_HEX];

	(void)state;
	assert_int_equal(kh_sha256_buf("abc", 3, hex), 0);
	assert_string_equal(hex, ABC_SHA256);
	assert_int_equal(kh_sha256_buf("", 0, hex), 0);
	assert_string_equal(hex, EMPTY_SHA256);
}

static void
test_pieces(void **state)
{
	struct kh_sha256 *h;
	char hex[KH_SHA256_HEX];

	(void)state;
	assert_non_null(h = kh_sha256_new());
	kh_sha256_update(h, "a", 1);
	kh_sha256_update(h, "", 0);
	kh_sha256_update(h, "bc", 2);
	assert_int_equal(kh_sha256_final(h, hex), 0);
	assert_string_equal(hex, ABC_SHA256);
}

static void
test_link(void **state)
{
	char hex[KH_SHA256_HEX], want[KH_SHA256_HEX];
	const char *text = "prev\nrow";

	(void)state;
	assert_int_equal(kh_sha256_buf(text, strlen(text), want), 0);
	assert_int_equal(kh_chain_link("prev", "row", 3, hex), 0);
	assert_string_equal(hex, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_link),
	};

	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}
