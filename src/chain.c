/*
 * chain.c — SHA-256 over OpenSSL's EVP interface.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "chain.h"

struct kh_sha256 {
	EVP_MD_CTX	*ctx;
	int		 failed;	/* an update failed: final says so */
};

struct kh_sha256 *
kh_sha256_new(void)
{
	struct kh_sha256 *h;

	if ((h = OPENSSL_zalloc(sizeof(*h))) == NULL)
		return NULL;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		kh_sha256_free(h);
		return NULL;
	}
	return h;
}

void
kh_sha256_update(struct kh_sha256 *h, const void *p, size_t n)
{
	if (!h->failed && EVP_DigestUpdate(h->ctx, p, n) != 1)
		h->failed = 1;
}

static void
to_hex(const unsigned char *md, unsigned n, char hex[KH_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
}

int
kh_sha256_final(struct kh_sha256 *h, char hex[KH_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	int rc = -1;

	hex[0] = '\0';
	if (!h->failed && EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == 32) {
		to_hex(md, n, hex);
		rc = 0;
	}
	kh_sha256_free(h);
	return rc;
}

void
kh_sha256_free(struct kh_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	OPENSSL_free(h);
}

int
kh_sha256_buf(const void *p, size_t n, char hex[KH_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	hex[0] = '\0';
	if (EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -1;
	to_hex(md, len, hex);
	return 0;
}

int
kh_sha256_file(const char *path, char hex[KH_SHA256_HEX], struct kh_err *err)
{
	struct kh_sha256 *h = NULL;
	FILE *f = NULL;
	unsigned char buf[65536];
	size_t n;
	int rc = KH_FAIL;

	if ((f = fopen(path, "rb")) == NULL) {
		kh_err_set(err, KH_REJECT, path, 0, NULL, NULL,
		    "cannot read: %s", strerror(errno));
		goto out;
	}
	if ((h = kh_sha256_new()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		kh_sha256_update(h, buf, n);
	if (ferror(f)) {
		kh_err_set(err, KH_REJECT, path, 0, NULL, NULL,
		    "read error: %s", strerror(errno));
		goto out;
	}
	rc = kh_sha256_final(h, hex) == 0 ? KH_OK :
	    kh_err_sys(err, KH_FAIL, "%s: hashing failed (out of memory)",
	    path);
	h = NULL;
out:
	kh_sha256_free(h);
	if (f != NULL)
		fclose(f);
	return rc;
}

int
kh_chain_link(const char *prev_hex, const char *row, size_t len,
    char hex[KH_SHA256_HEX])
{
	struct kh_sha256 *h;

	if ((h = kh_sha256_new()) == NULL) {
		hex[0] = '\0';
		return -1;
	}
	kh_sha256_update(h, prev_hex, strlen(prev_hex));
	kh_sha256_update(h, "\n", 1);
	kh_sha256_update(h, row, len);
	return kh_sha256_final(h, hex);
}
