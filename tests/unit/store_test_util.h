/*
 * store_test_util.h — helpers shared by test_store.c and test_import.c:
 * a temporary directory per test, writing files into it, and a digest of
 * every row of every table of a database (to prove that a rejected import
 * changed nothing).
 */
#ifndef KH_STORE_TEST_UTIL_H
#define KH_STORE_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "chain.h"
#include "store.h"

struct tdir {
	char	path[64];
};

/* A fresh directory under /tmp; aborts the test on failure. */
static inline void
tdir_make(struct tdir *d)
{
	snprintf(d->path, sizeof(d->path), "/tmp/kaohe-test-XXXXXX");
	if (mkdtemp(d->path) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

/* Remove the directory and everything in it (files only, one level). */
static inline void
tdir_remove(struct tdir *d)
{
	char cmd[128];

	if (d->path[0] == '\0' || strncmp(d->path, "/tmp/kaohe-test-", 16) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", d->path);
	d->path[0] = '\0';
}

static inline void
tdir_file(const struct tdir *d, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", d->path, name);
}

/* Write len bytes (len 0: strlen) to dir/name; returns the path in out. */
static inline void
tdir_write(const struct tdir *d, const char *name, const char *text,
    size_t len, char *out, size_t outlen)
{
	FILE *f;

	tdir_file(d, name, out, outlen);
	if ((f = fopen(out, "wb")) == NULL) {
		perror(out);
		abort();
	}
	if (len == 0)
		len = strlen(text);
	if (fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		perror(out);
		abort();
	}
}

/*
 * SHA-256 over every row of every table (by name, rows by rowid), with
 * the schema: equal digests mean the database content is unchanged.
 */
static inline void
db_digest(struct kh_store *st, char hex[KH_SHA256_HEX])
{
	sqlite3 *db = kh_store_db(st);
	sqlite3_stmt *t = NULL, *s = NULL;
	struct kh_sha256 *h = kh_sha256_new();
	char q[256];
	int i;

	sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master "
	    "WHERE type IN ('table','trigger','index') AND sql IS NOT NULL "
	    "ORDER BY name", -1, &t, NULL);
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		const char *sql = (const char *)sqlite3_column_text(t, 1);

		kh_sha256_update(h, sql, strlen(sql) + 1);
		if (strncmp(sql, "CREATE TABLE", 12) != 0)
			continue;
		snprintf(q, sizeof(q), "SELECT * FROM \"%s\" ORDER BY rowid", name);
		if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
			continue;
		while (sqlite3_step(s) == SQLITE_ROW)
			for (i = 0; i < sqlite3_column_count(s); i++) {
				const unsigned char *v = sqlite3_column_text(s, i);

				kh_sha256_update(h, v ? (const char *)v : "\1",
				    v ? (size_t)sqlite3_column_bytes(s, i) : 1);
				kh_sha256_update(h, "\0", 1);
			}
		sqlite3_finalize(s);
	}
	sqlite3_finalize(t);
	kh_sha256_final(h, hex);
}

/* A single integer from a query (tests only: constant SQL). */
static inline long long
db_int(struct kh_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(kh_store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Run SQL; returns the sqlite3 status, message in errbuf. */
static inline int
db_exec(struct kh_store *st, const char *sql, char *errbuf, size_t len)
{
	char *msg = NULL;
	int rc = sqlite3_exec(kh_store_db(st), sql, NULL, NULL, &msg);

	if (errbuf != NULL)
		snprintf(errbuf, len, "%s", msg ? msg : "");
	sqlite3_free(msg);
	return rc;
}

#endif
