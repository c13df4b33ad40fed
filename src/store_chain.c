/*
 * store_chain.c — the tamper-evident chain over the record, and the
 * checks of `verify` (see store.h).
 *
 * Every row of a chained table is a link: SHA-256 of the previous link
 * and the row's canonical text (every column, typed and length-prefixed,
 * so no value can imitate another), plus, for a parent row (a file, a
 * scoring run), the digest of all its children's rows.  Children are
 * written before the parent's link in the same transaction.  The tables,
 * their children and every reference between rows are listed once,
 * below; the only SQL assembled here names tables and columns from these
 * constant lists, never data (a table name read from the chain is looked
 * up in them first).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "grow.h"
#include "store.h"
#include "store_int.h"

#define GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

/*
 * The chain's coverage.  Each chained table's rows are links; a table
 * with children hashes, into its row's link, the canonical rows of every
 * child table whose parent column names it (a file's rows, a run's
 * results), in a fixed order.  Children are written before the parent's
 * link, in the same transaction.
 */
struct child_table {
	const char	*name;
	const char	*order;		/* ORDER BY of its canonical rows */
};

static const struct child_table file_children[] = {
	{ "managers", "id" }, { "customers", "id" }, { "brands", "code" },
	{ "key_brands", "code" }, { "targets", "manager, indicator" },
	{ "order_volumes", "day, manager, brand" },
	{ "order_shelves", "customer, brand" }, { NULL, NULL }
};

static const struct child_table run_children[] = {
	{ "score_result", "manager" }, { "score_indicator", "manager, pos" },
	{ "score_line", "manager, seq" }, { NULL, NULL }
};

static const struct chained_table {
	const char		*name;
	const char		*parent_col;	/* in its children */
	const struct child_table *children;
} chained[] = {
	{ "files", "file_id", file_children },
	{ "supersessions", NULL, NULL },
	{ "records", NULL, NULL },
	{ "voids", NULL, NULL },
	{ "month_events", NULL, NULL },
	{ "score_run", "run_id", run_children },
	{ "publication", NULL, NULL },
	{ "output_file", NULL, NULL },
	{ "glyph_note", NULL, NULL },
	{ "withdrawals", NULL, NULL },
	{ NULL, NULL, NULL }
};

/*
 * Every reference between rows, checked by `verify` (foreign keys are a
 * connection setting that a hostile shell turns off): column col of
 * table must name an existing row of parent (by pcol); nullable columns
 * may be NULL.
 */
static const struct {
	const char	*table, *col, *parent, *pcol;
} references[] = {
	{ "supersessions", "old_file", "files", "id" },
	{ "supersessions", "new_file", "files", "id" },
	{ "managers", "file_id", "files", "id" },
	{ "customers", "file_id", "files", "id" },
	{ "brands", "file_id", "files", "id" },
	{ "key_brands", "file_id", "files", "id" },
	{ "targets", "file_id", "files", "id" },
	{ "order_volumes", "file_id", "files", "id" },
	{ "order_shelves", "file_id", "files", "id" },
	{ "records", "file_id", "files", "id" },
	{ "voids", "file_id", "files", "id" },
	{ "voids", "record", "records", "id" },
	{ "score_result", "run_id", "score_run", "id" },
	{ "score_indicator", "run_id", "score_run", "id" },
	{ "score_line", "run_id", "score_run", "id" },
	{ "publication", "run_id", "score_run", "id" },
	{ "output_file", "run_id", "score_run", "id" },
	{ "output_file", "publication_id", "publication", "id" },
	{ "glyph_note", "run_id", "score_run", "id" },
	{ "withdrawals", "file_id", "files", "id" },
	{ NULL, NULL, NULL, NULL }
};

/* ---- the chain ----------------------------------------------------------- */

struct buf {
	char	*p;
	size_t	 len, cap;
};

static int
buf_add(struct buf *b, const void *data, size_t n)
{
	/* n bytes and the NUL (n + 1 cannot wrap: data holds n bytes) */
	if (kh_grow_n(&b->p, &b->cap, b->len, n + 1, 1) != 0)
		return -1;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/*
 * Canonical text of the current row of s: every column as
 * "\nname=<type><length>:<value>", so no value can imitate another.
 */
static int
canon_row(sqlite3_stmt *s, struct buf *b)
{
	char head[96], *p;
	const char *name;
	const unsigned char *v;
	unsigned u;
	int i, n, type;

	for (i = 0; i < sqlite3_column_count(s); i++) {
		type = sqlite3_column_type(s, i);
		v = sqlite3_column_text(s, i);
		n = sqlite3_column_bytes(s, i);
		name = sqlite3_column_name(s, i);
		/* "\n%s=%c%d:" by hand: this runs for every column of every
		 * row a file adds (tens of thousands for an orders file) */
		p = head + sizeof(head);
		*--p = ':';
		u = (unsigned)n;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		*--p = type == SQLITE_NULL ? 'n' : type == SQLITE_INTEGER ? 'i' :
		    't';
		*--p = '=';
		if (buf_add(b, "\n", 1) != 0 ||
		    buf_add(b, name, strlen(name)) != 0 ||
		    buf_add(b, p, (size_t)(head + sizeof(head) - p)) != 0 ||
		    (n > 0 && buf_add(b, v, (size_t)n) != 0))
			return -1;
	}
	return 0;
}

static const struct chained_table *
find_chained(const char *name)
{
	size_t t;

	for (t = 0; chained[t].name != NULL; t++)
		if (strcmp(chained[t].name, name) == 0)
			return &chained[t];
	return NULL;
}

/* SHA-256 over the canonical rows of every child table of row rid of t. */
static int
children_digest(struct kh_store *st, const struct chained_table *t,
    sqlite3_int64 rid, char hex[KH_SHA256_HEX], struct kh_err *err)
{
	struct kh_sha256 *h = NULL;
	sqlite3_stmt *s = NULL;
	const struct child_table *c;
	struct buf b = { 0 };
	char q[160];
	int r, rc = KH_FAIL;

	if ((h = kh_sha256_new()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	for (c = t->children; c->name != NULL; c++) {
		/* names from the constant tables above, never data */
		snprintf(q, sizeof(q), "SELECT * FROM %s WHERE %s = ?1 "
		    "ORDER BY %s", c->name, t->parent_col, c->order);
		if (sqlite3_prepare_v2(kh_store_db(st), q, -1, &s, NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "chain");
			goto out;
		}
		sqlite3_bind_int64(s, 1, rid);
		while ((r = sqlite3_step(s)) == SQLITE_ROW) {
			b.len = 0;
			if (buf_add(&b, c->name, strlen(c->name)) ||
			    canon_row(s, &b) != 0) {
				kh_err_sys(err, KH_FAIL, "out of memory");
				goto out;
			}
			kh_sha256_update(h, b.p, b.len + 1);
		}
		if (r != SQLITE_DONE) {
			kh_db_fail(st, err, "chain");
			goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	rc = kh_sha256_final(h, hex) == 0 ? KH_OK :
	    kh_err_sys(err, KH_FAIL, "chain: hashing failed (out of memory)");
	h = NULL;
out:
	kh_sha256_free(h);
	sqlite3_finalize(s);
	free(b.p);
	return rc;
}

/*
 * The text a chain link covers: the row's canonical text, and for a
 * table with children the digest of every child row.  *found = 0 if the
 * row is gone.  Never ADD COLUMN to a chained table: the canonical text
 * of its older rows would change with it.
 */
static int
link_text(struct kh_store *st, const struct chained_table *t,
    sqlite3_int64 rid, struct buf *b, int *found, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char q[96], digest[KH_SHA256_HEX];
	int r, rc = KH_FAIL;

	*found = 0;
	b->len = 0;
	snprintf(q, sizeof(q), "SELECT * FROM %s WHERE rowid = ?1", t->name);
	if (sqlite3_prepare_v2(kh_store_db(st), q, -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	sqlite3_bind_int64(s, 1, rid);
	if ((r = sqlite3_step(s)) == SQLITE_DONE) {
		rc = KH_OK;
		goto out;
	}
	if (r != SQLITE_ROW) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	if (buf_add(b, t->name, strlen(t->name)) != 0 || canon_row(s, b) != 0) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	if (t->children != NULL) {
		if (children_digest(st, t, rid, digest, err) != KH_OK)
			goto out;
		if (buf_add(b, "\nchildren=", 10) != 0 ||
		    buf_add(b, digest, strlen(digest)) != 0) {
			kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
	}
	*found = 1;
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

/*
 * The link row rid of t would have after prev, into hex; *found = 0 (hex
 * untouched) if the row is gone.  KH_FAIL only for the store or memory:
 * what the hash says about the record is the caller's to judge.
 */
static int
row_link(struct kh_store *st, const struct chained_table *t,
    sqlite3_int64 rid, const char *prev, struct buf *b,
    char hex[KH_SHA256_HEX], int *found, struct kh_err *err)
{
	if (link_text(st, t, rid, b, found, err) != KH_OK)
		return KH_FAIL;
	if (*found && kh_chain_link(prev, b->p, b->len, hex) != 0)
		return kh_err_sys(err, KH_FAIL, "chain: hashing failed (out of "
		    "memory)");
	return KH_OK;
}

int
kh_store_chain_append(struct kh_store *st, const char *tbl, sqlite3_int64 rid,
    struct kh_err *err)
{
	const struct chained_table *t = find_chained(tbl);
	sqlite3_stmt *s;
	struct buf b = { 0 };
	char prev[KH_SHA256_HEX], hex[KH_SHA256_HEX];
	int found, rc = KH_FAIL;

	assert(t != NULL);	/* callers name a table of chained[] */
	if ((s = kh_db_prep(st, KH_S_LAST_HASH, err)) == NULL)
		goto out;
	if (sqlite3_step(s) == SQLITE_ROW)
		kh_db_col_copy(s, 0, prev, sizeof(prev));
	else
		snprintf(prev, sizeof(prev), "%s", GENESIS);
	sqlite3_reset(s);
	if (row_link(st, t, rid, prev, &b, hex, &found, err) != KH_OK)
		goto out;
	if (!found) {
		kh_err_sys(err, KH_FAIL, "chain: %s row %lld vanished", tbl,
		    (long long)rid);
		goto out;
	}
	if ((s = kh_db_prep(st, KH_S_ADD_LINK, err)) == NULL)
		goto out;
	kh_db_bind_text(s, 1, tbl);
	sqlite3_bind_int64(s, 2, rid);
	kh_db_bind_text(s, 3, hex);
	rc = kh_db_exec_done(st, s, err, "chain");
out:
	free(b.p);
	return rc;
}

int
kh_store_chain_inserted(struct kh_store *st, const char *tbl,
    struct kh_err *err)
{
	return kh_store_chain_append(st, tbl, sqlite3_last_insert_rowid(kh_store_db(st)),
	    err);
}

/*
 * The link of row rid of tbl, checked: it must exist and hash what the
 * row (and its children) hold now, after the link before it.  KH_BROKEN
 * otherwise.  What documents print as the record they were made from,
 * and what results are loaded through: a run added or changed behind
 * kaohe's back is never published.
 */
int
kh_store_chain_link_of(struct kh_store *st, const char *tbl, sqlite3_int64 rid,
    struct kh_link *link, struct kh_err *err)
{
	const struct chained_table *t = find_chained(tbl);
	sqlite3_stmt *s = NULL;
	struct buf b = { 0 };
	char prev[KH_SHA256_HEX] = GENESIS, hex[KH_SHA256_HEX];
	int r, found, rc = KH_FAIL;

	assert(t != NULL);
	memset(link, 0, sizeof(*link));
	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT seq, hash, (SELECT hash FROM "
	    "chain p WHERE p.seq < c.seq ORDER BY p.seq DESC LIMIT 1) FROM "
	    "chain c WHERE tbl = ?1 AND rid = ?2", -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	kh_db_bind_text(s, 1, tbl);
	sqlite3_bind_int64(s, 2, rid);
	if ((r = sqlite3_step(s)) != SQLITE_ROW) {
		if (r == SQLITE_DONE)
			rc = kh_err_sys(err, KH_BROKEN, "record broken: %s row "
			    "%lld is not in the chain (added behind kaohe's "
			    "back); kaohe verify", tbl, (long long)rid);
		else
			kh_db_fail(st, err, "chain");
		goto out;
	}
	link->seq = sqlite3_column_int64(s, 0);
	kh_db_col_copy(s, 1, link->hash, sizeof(link->hash));
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		kh_db_col_copy(s, 2, prev, sizeof(prev));
	/* out of memory is not a broken record: KH_FAIL from row_link */
	if (row_link(st, t, rid, prev, &b, hex, &found, err) != KH_OK)
		goto out;
	if (!found || strcmp(hex, link->hash) != 0) {
		rc = kh_err_sys(err, KH_BROKEN, "record broken: %s row %lld "
		    "does not match its link %lld; kaohe verify", tbl,
		    (long long)rid, (long long)link->seq);
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	free(b.p);
	return rc;
}

/*
 * Before import writes the children of the file id it is about to use
 * (or results.c those of a run), nothing may name that id yet: rows
 * planted for the next, predictable id would otherwise be absorbed into
 * its digest and pass verification.  KH_FAIL: nothing is written.
 */
int
kh_store_slot_clean(struct kh_store *st, const char *tbl, sqlite3_int64 id,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char q[160];
	size_t i;
	int r, rc = KH_OK;

	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT 1 FROM chain WHERE tbl = ?1 "
	    "AND rid = ?2", -1, &s, NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "chain");
	kh_db_bind_text(s, 1, tbl);
	sqlite3_bind_int64(s, 2, id);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		rc = kh_err_sys(err, KH_FAIL, "the record has been tampered "
		    "with: the chain already has a link for %s %lld, which does "
		    "not exist yet; nothing was written (kaohe verify)", tbl,
		    (long long)id);
	else if (r != SQLITE_DONE)
		rc = kh_db_fail(st, err, "chain");
	sqlite3_finalize(s);
	s = NULL;
	for (i = 0; rc == KH_OK && references[i].table != NULL; i++) {
		if (strcmp(references[i].parent, tbl) != 0)
			continue;
		snprintf(q, sizeof(q), "SELECT 1 FROM %s WHERE %s = ?1 LIMIT 1",
		    references[i].table, references[i].col);
		if (sqlite3_prepare_v2(kh_store_db(st), q, -1, &s, NULL) != SQLITE_OK)
			return kh_db_fail(st, err, "chain");
		sqlite3_bind_int64(s, 1, id);
		if ((r = sqlite3_step(s)) == SQLITE_ROW)
			rc = kh_err_sys(err, KH_FAIL, "the record has been "
			    "tampered with: %s rows already name %s %lld, which "
			    "does not exist yet; nothing was written (kaohe "
			    "verify)", references[i].table, tbl, (long long)id);
		else if (r != SQLITE_DONE)
			rc = kh_db_fail(st, err, "chain");
		sqlite3_finalize(s);
		s = NULL;
	}
	return rc;
}

/* ---- verification -------------------------------------------------------- */

/* SQLite's own check of the file: pages, indexes, free lists. */
static int
verify_integrity(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int r, rc;

	if (sqlite3_prepare_v2(kh_store_db(st), "PRAGMA integrity_check(5)", -1, &s,
	    NULL) != SQLITE_OK)
		return kh_err_sys(err, KH_BROKEN, "database damaged: %s",
		    sqlite3_errmsg(kh_store_db(st)));
	r = sqlite3_step(s);
	if (r == SQLITE_ROW && strcmp(kh_db_col_text(s, 0), "ok") == 0)
		rc = KH_OK;
	else
		rc = kh_err_sys(err, KH_BROKEN, "database damaged (SQLite's "
		    "integrity check): %s", r == SQLITE_ROW ?
		    kh_db_col_text(s, 0) : sqlite3_errmsg(kh_store_db(st)));
	sqlite3_finalize(s);
	return rc;
}

/* Run one probe query; its first row (a rowid of table) is a problem. */
static int
probe(struct kh_store *st, const char *q, const char *table, const char *what,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int r, rc = KH_OK;

	if (sqlite3_prepare_v2(kh_store_db(st), q, -1, &s, NULL) != SQLITE_OK)
		return kh_err_sys(err, KH_BROKEN, "verify: %s",
		    sqlite3_errmsg(kh_store_db(st)));
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		rc = kh_err_sys(err, KH_BROKEN, "record broken: %s row %lld %s",
		    table, (long long)sqlite3_column_int64(s, 0), what);
	else if (r != SQLITE_DONE)
		rc = kh_err_sys(err, KH_BROKEN, "verify: %s",
		    sqlite3_errmsg(kh_store_db(st)));
	sqlite3_finalize(s);
	return rc;
}

/* Every row of every chained table must have its link. */
static int
verify_unchained(struct kh_store *st, struct kh_err *err)
{
	char q[192];
	size_t t;
	int rc = KH_OK;

	for (t = 0; rc == KH_OK && chained[t].name != NULL; t++) {
		snprintf(q, sizeof(q), "SELECT rowid FROM %s WHERE rowid NOT IN "
		    "(SELECT rid FROM chain WHERE tbl = '%s') LIMIT 1",
		    chained[t].name, chained[t].name);
		rc = probe(st, q, chained[t].name, "was added outside the chain",
		    err);
	}
	return rc;
}

/* Every reference names an existing row (foreign keys can be switched off). */
static int
verify_references(struct kh_store *st, struct kh_err *err)
{
	char q[320], what[160];
	size_t i;
	int rc = KH_OK;

	for (i = 0; rc == KH_OK && references[i].table != NULL; i++) {
		snprintf(q, sizeof(q), "SELECT rowid FROM %s WHERE %s IS NOT NULL"
		    " AND %s NOT IN (SELECT %s FROM %s) LIMIT 1",
		    references[i].table, references[i].col, references[i].col,
		    references[i].pcol, references[i].parent);
		snprintf(what, sizeof(what), "names a %s that does not exist "
		    "(%s)", references[i].parent, references[i].col);
		rc = probe(st, q, references[i].table, what, err);
	}
	return rc;
}

/* Walk the chain: every link recomputed from its row and the one before. */
static int
verify_links(struct kh_store *st, long *links, struct kh_err *err)
{
	const struct chained_table *t;
	sqlite3_stmt *s = NULL;
	struct buf b = { 0 };
	char prev[KH_SHA256_HEX] = GENESIS, hex[KH_SHA256_HEX], tbl[32];
	const unsigned char *stored;
	sqlite3_int64 seq, rid;
	int r, found, rc = KH_BROKEN;

	*links = 0;
	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT seq, tbl, rid, hash FROM chain "
	    "ORDER BY seq", -1, &s, NULL) != SQLITE_OK) {
		kh_err_sys(err, KH_BROKEN, "verify: %s", sqlite3_errmsg(kh_store_db(st)));
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		seq = sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, tbl, sizeof(tbl));
		rid = sqlite3_column_int64(s, 2);
		stored = sqlite3_column_text(s, 3);
		if (seq != *links + 1) {
			kh_err_sys(err, KH_BROKEN, "trail broken: link %lld "
			    "follows link %ld (links removed)", (long long)seq,
			    *links);
			goto out;
		}
		if ((t = find_chained(tbl)) == NULL) {
			kh_err_sys(err, KH_BROKEN, "trail broken at link %lld: "
			    "unknown table '%s'", (long long)seq, tbl);
			goto out;
		}
		if (link_text(st, t, rid, &b, &found, err) != KH_OK) {
			err->status = KH_BROKEN;
			goto out;
		}
		if (!found) {
			kh_err_sys(err, KH_BROKEN, "trail broken at link %lld: "
			    "%s row %lld has been removed", (long long)seq, tbl,
			    (long long)rid);
			goto out;
		}
		if (kh_chain_link(prev, b.p, b.len, hex) != 0) {
			/* out of memory, not a broken trail */
			kh_err_sys(err, KH_FAIL, "chain: hashing failed (out "
			    "of memory)");
			goto out;
		}
		if (stored == NULL || strcmp(hex, (const char *)stored) != 0) {
			kh_err_sys(err, KH_BROKEN, "trail broken at link %lld: "
			    "%s row %lld does not match its recorded hash (the "
			    "row or the chain was altered)", (long long)seq, tbl,
			    (long long)rid);
			goto out;
		}
		snprintf(prev, sizeof(prev), "%s", hex);
		(*links)++;
	}
	if (r != SQLITE_DONE) {
		kh_err_sys(err, KH_BROKEN, "verify: %s", sqlite3_errmsg(kh_store_db(st)));
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	free(b.p);
	return rc;
}

int
kh_store_verify(struct kh_store *st, struct kh_err *err)
{
	long links;
	int rc;

	if ((rc = verify_integrity(st, err)) != KH_OK ||
	    (rc = verify_links(st, &links, err)) != KH_OK ||
	    (rc = verify_unchained(st, err)) != KH_OK ||
	    (rc = verify_references(st, err)) != KH_OK)
		return rc;
	return KH_OK;
}

/*
 * The cheap part of verify, for every writing command before it adds to
 * the record: the links are numbered without a gap and the last one
 * still hashes its row.  A chain cut in the middle or altered at its end
 * is refused there and then; the whole walk is `verify`'s.
 */
int
kh_store_quick_check(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_link link;
	char tbl[32];
	sqlite3_int64 n = 0, last = 0, rid = 0;
	int r, rc = KH_FAIL;

	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT count(*), coalesce(max(seq), 0),"
	    " (SELECT tbl FROM chain ORDER BY seq DESC LIMIT 1), (SELECT rid"
	    " FROM chain ORDER BY seq DESC LIMIT 1) FROM chain", -1, &s, NULL)
	    != SQLITE_OK || (r = sqlite3_step(s)) != SQLITE_ROW) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	n = sqlite3_column_int64(s, 0);
	last = sqlite3_column_int64(s, 1);
	kh_db_col_copy(s, 2, tbl, sizeof(tbl));
	rid = sqlite3_column_int64(s, 3);
	if (n != last) {
		rc = kh_err_sys(err, KH_BROKEN, "record broken: the chain has "
		    "%lld links numbered up to %lld (links removed); nothing "
		    "was done: kaohe verify", (long long)n, (long long)last);
		goto out;
	}
	if (n > 0 && find_chained(tbl) == NULL) {
		rc = kh_err_sys(err, KH_BROKEN, "record broken: the last link "
		    "names an unknown table; nothing was done: kaohe verify");
		goto out;
	}
	rc = n == 0 ? KH_OK : kh_store_chain_link_of(st, tbl, rid, &link, err);
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_chain_head(struct kh_store *st, char hex[KH_SHA256_HEX], long *links,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	snprintf(hex, KH_SHA256_HEX, "%s", GENESIS);
	*links = 0;
	if ((s = kh_db_prep(st, KH_S_LAST_HASH, err)) == NULL)
		return KH_FAIL;
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_db_col_copy(s, 0, hex, KH_SHA256_HEX);
		*links = (long)sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "chain");
}

int
kh_store_chain_find(struct kh_store *st, const char *hex, long *seq,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int r, rc = KH_OK;

	*seq = strcmp(hex, GENESIS) == 0 ? 0 : -1;
	if (*seq == 0)
		return KH_OK;
	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT seq FROM chain WHERE hash = ?1",
	    -1, &s, NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "chain");
	kh_db_bind_text(s, 1, hex);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*seq = (long)sqlite3_column_int64(s, 0);
	else if (r != SQLITE_DONE)
		rc = kh_db_fail(st, err, "chain");
	sqlite3_finalize(s);
	return rc;
}

/* Link every row of tbl that has no link yet, oldest first (migrations). */
int
kh_store_chain_adopt(struct kh_store *st, const char *tbl, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char q[192];
	int r, rc = KH_FAIL;

	assert(find_chained(tbl) != NULL);
	snprintf(q, sizeof(q), "SELECT rowid FROM %s WHERE rowid NOT IN (SELECT"
	    " rid FROM chain WHERE tbl = '%s') ORDER BY rowid", tbl, tbl);
	if (sqlite3_prepare_v2(kh_store_db(st), q, -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if (kh_store_chain_append(st, tbl, sqlite3_column_int64(s, 0),
		    err) != KH_OK)
			goto out;
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}
