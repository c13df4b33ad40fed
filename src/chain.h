/*
 * chain.h — SHA-256 (OpenSSL libcrypto), for the file ledger, input
 * fingerprints and the tamper-evident chain of trail rows.
 */
#ifndef KH_CHAIN_H
#define KH_CHAIN_H

#include <stddef.h>

#include "err.h"

#define KH_SHA256_HEX 65	/* 64 hex digits + NUL */

struct kh_sha256;

/*
 * libcrypto can fail (out of memory): kh_sha256_new returns NULL, and a
 * failed update is kept and reported by kh_sha256_final, so a caller
 * checks once, at the end.  A failure never yields a digest: hex is ""
 * and the functions below return -1 (0 when hex is the digest).
 */
struct kh_sha256 *kh_sha256_new(void);
void	kh_sha256_update(struct kh_sha256 *, const void *, size_t);
/* Finish into hex (lower case) and free the context. */
int	kh_sha256_final(struct kh_sha256 *, char hex[KH_SHA256_HEX]);
void	kh_sha256_free(struct kh_sha256 *);	/* abandon; NULL safe */
int	kh_sha256_buf(const void *, size_t, char hex[KH_SHA256_HEX]);
int	kh_sha256_file(const char *path, char hex[KH_SHA256_HEX], struct kh_err *);
/* hex of SHA-256(prev_hex || "\n" || row): one link of the trail chain. */
int	kh_chain_link(const char *prev_hex, const char *row, size_t len,
	    char hex[KH_SHA256_HEX]);

#endif
