/*
 * test_fname.c — identifiers as file names: the sample's names unchanged,
 * the old collisions (".a" and "_.a") apart, nothing hidden or option-like,
 * and decoding the exact inverse over many ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fname.h"

static const char alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-";

static void
enc_is(const char *id, const char *want)
{
	char name[KH_FNAME_MAX], back[64];

	assert_int_equal(kh_fname_encode(id, name, sizeof(name)), 0);
	assert_string_equal(name, want);
	assert_int_equal(kh_fname_decode(name, back, sizeof(back)), 0);
	assert_string_equal(back, id);
}

static void
test_examples(void **state)
{
	(void)state;
	enc_is("KM001", "KM001");		/* the sample: KM001.pdf as before */
	enc_is("530421100001", "530421100001");
	enc_is("a-b_c", "a-b_c");
	enc_is(".a", "%2Ea");
	enc_is("_.a", "_%2Ea");			/* was "_.a" for both */
	enc_is(".", "%2E");
	enc_is("..", "%2E%2E");
	enc_is("a.", "a%2E");
	enc_is("KM.001", "KM%2E001");
	enc_is("-a", "%2Da");			/* not an option to rm or ls */
	enc_is("--", "%2D-");
	enc_is("NUL", "%4EUL");			/* Windows devices */
	enc_is("con", "%63on");
	enc_is("Com1", "%43om1");
	enc_is("LPT9", "%4CPT9");
	enc_is("CONX", "CONX");
	enc_is("COM", "COM");
	enc_is("%", "%25");
	enc_is("a/b", "a%2Fb");
	enc_is("名", "%E5%90%8D");
}

static void
test_limits(void **state)
{
	char id[33], name[KH_FNAME_MAX], small[6];

	(void)state;
	memset(id, '.', 32);
	id[32] = '\0';
	assert_int_equal(kh_fname_encode(id, name, sizeof(name)), 0);
	assert_int_equal(strlen(name), 96);
	assert_int_equal(kh_fname_encode(id, name, sizeof(name) - 1), -1);
	assert_int_equal(kh_fname_encode("KM001", small, 6), 0);
	assert_int_equal(kh_fname_encode("KM0012", small, 6), -1);
	assert_int_equal(kh_fname_encode(".", small, 3), -1);
	assert_int_equal(kh_fname_encode("", name, sizeof(name)), -1);
	assert_int_equal(kh_fname_decode("KM0012", small, 6), -1);
}

/* Names kh_fname_encode never makes are refused, not decoded. */
static void
test_decode_refuses(void **state)
{
	static const char *const bad[] = {
		"", ".a", "a.b", "a/b", "-a", "%2ea", "%41", "a%5F", "a%2D",
		"%2", "%", "%G0", "%00", "NUL", "con", "Lpt1", "%2D%2D", "a b",
		NULL
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (kh_fname_decode(bad[i], out, sizeof(out)) == 0)
			fail_msg("\"%s\" decoded to \"%s\"", bad[i], out);
	/* the escaped first byte of a non-device is not canonical either */
	assert_int_equal(kh_fname_decode("%43ONX", out, sizeof(out)), -1);
	assert_int_equal(kh_fname_decode("%43ON", out, sizeof(out)), 0);
	assert_string_equal(out, "CON");
}

/* Safe: only [0-9A-Za-z_%-], not starting with "." or "-". */
static void
check_safe(const char *name)
{
	assert_true(name[0] != '\0' && name[0] != '-' && name[0] != '.');
	assert_int_equal(strspn(name, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz_%-"), strlen(name));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every id of 1 or 2 characters: distinct safe names, each decoding back. */
static void
test_all_short_ids(void **state)
{
	size_t na = sizeof(alphabet) - 1, n = 0, i, j;
	char **names = calloc(na + na * na, sizeof(*names));
	char id[3], back[8];

	(void)state;
	assert_non_null(names);
	for (i = 0; i < na; i++)
		for (j = 0; j <= na; j++) {
			id[0] = alphabet[i];
			id[1] = j < na ? alphabet[j] : '\0';
			id[2] = '\0';
			names[n] = malloc(KH_FNAME_MAX);
			assert_non_null(names[n]);
			assert_int_equal(kh_fname_encode(id, names[n],
			    KH_FNAME_MAX), 0);
			check_safe(names[n]);
			assert_int_equal(kh_fname_decode(names[n], back,
			    sizeof(back)), 0);
			assert_string_equal(back, id);
			n++;
		}
	assert_int_equal(n, na + na * na);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 1; i < n; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			fail_msg("two ids share the name %s", names[i]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* 200,000 random ids of 1..32 characters, dots and dashes frequent. */
static void
test_round_trip_random(void **state)
{
	uint64_t s = 20130501;
	char id[33], name[KH_FNAME_MAX], back[33];
	size_t k, len, i;

	(void)state;
	for (k = 0; k < 200000; k++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		len = 1 + (size_t)(s >> 59);		/* 1..32 */
		for (i = 0; i < len; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			id[i] = (s >> 62) == 0 ? ".-"[(s >> 61) & 1] :
			    alphabet[(s >> 33) % (sizeof(alphabet) - 1)];
		}
		id[len] = '\0';
		assert_int_equal(kh_fname_encode(id, name, sizeof(name)), 0);
		check_safe(name);
		assert_int_equal(kh_fname_decode(name, back, sizeof(back)), 0);
		assert_string_equal(back, id);
	}
}

/* Any byte string, not only identifiers, goes there and back. */
static void
test_every_byte(void **state)
{
	char id[3] = "", name[16], back[4];
	int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		id[0] = (char)c;
		id[1] = (char)(c == 255 ? 1 : c + 1);
		assert_int_equal(kh_fname_encode(id, name, sizeof(name)), 0);
		check_safe(name);
		assert_int_equal(kh_fname_decode(name, back, sizeof(back)), 0);
		assert_string_equal(back, id);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_all_short_ids),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
