/*
 * results.c — scoring runs, their results and lines, and the ledger of
 * rendered outputs, kept in store.c's SQLite database (see results.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "chain.h"
#include "results.h"
#include "store.h"
#include "store_int.h"

static const char results_schema[] =
"CREATE TABLE IF NOT EXISTS score_run ("
"  id INTEGER PRIMARY KEY,"
"  month TEXT NOT NULL,"
"  scheme_id TEXT NOT NULL,"
"  scheme_sha256 TEXT NOT NULL,"
"  fingerprint TEXT NOT NULL,"
"  scored_at TEXT NOT NULL);"
"CREATE INDEX IF NOT EXISTS score_run_month ON score_run(month, id);"
"CREATE TABLE IF NOT EXISTS score_result ("
"  run_id INTEGER NOT NULL REFERENCES score_run(id),"
"  pos INTEGER NOT NULL,"
"  manager TEXT NOT NULL,"
"  name TEXT NOT NULL, grp TEXT NOT NULL,"
"  incomplete INTEGER NOT NULL, reason TEXT NOT NULL,"
"  quantitative INTEGER NOT NULL, deductions INTEGER NOT NULL,"
"  bonuses INTEGER NOT NULL, qualitative INTEGER NOT NULL,"
"  total INTEGER NOT NULL, rank INTEGER NOT NULL,"
"  PRIMARY KEY (run_id, manager));"
"CREATE TABLE IF NOT EXISTS score_indicator ("
"  run_id INTEGER NOT NULL REFERENCES score_run(id),"
"  manager TEXT NOT NULL, pos INTEGER NOT NULL, code TEXT NOT NULL,"
"  points INTEGER NOT NULL, has_target INTEGER NOT NULL,"
"  target INTEGER NOT NULL, actual INTEGER NOT NULL,"
"  completion INTEGER NOT NULL, score INTEGER NOT NULL,"
"  PRIMARY KEY (run_id, manager, pos));"
"CREATE TABLE IF NOT EXISTS score_line ("
"  run_id INTEGER NOT NULL REFERENCES score_run(id),"
"  manager TEXT NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL,"
"  ref TEXT NOT NULL, date TEXT NOT NULL, item TEXT NOT NULL,"
"  customer TEXT NOT NULL, count INTEGER NOT NULL,"
"  has_points INTEGER NOT NULL, points INTEGER NOT NULL,"
"  recorder TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,"
"  PRIMARY KEY (run_id, manager, seq));"
"CREATE TABLE IF NOT EXISTS output_file ("
"  id INTEGER PRIMARY KEY,"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),"
"  path TEXT NOT NULL, sha256 TEXT NOT NULL);"
"CREATE INDEX IF NOT EXISTS output_file_path ON output_file(path, id);"
"CREATE TABLE IF NOT EXISTS glyph_note ("
"  run_id INTEGER NOT NULL REFERENCES score_run(id),"
"  doc TEXT NOT NULL, cp INTEGER NOT NULL, context TEXT NOT NULL,"
"  UNIQUE (run_id, doc, cp));"
"CREATE TRIGGER IF NOT EXISTS glyph_note_ro1 BEFORE UPDATE ON glyph_note"
"  BEGIN SELECT RAISE(ABORT, 'glyph_note is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS glyph_note_ro2 BEFORE DELETE ON glyph_note"
"  BEGIN SELECT RAISE(ABORT, 'glyph_note is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_run_ro1 BEFORE UPDATE ON score_run"
"  BEGIN SELECT RAISE(ABORT, 'score_run is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_run_ro2 BEFORE DELETE ON score_run"
"  BEGIN SELECT RAISE(ABORT, 'score_run is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_result_ro1 BEFORE UPDATE ON score_result"
"  BEGIN SELECT RAISE(ABORT, 'score_result is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_result_ro2 BEFORE DELETE ON score_result"
"  BEGIN SELECT RAISE(ABORT, 'score_result is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_indicator_ro1 BEFORE UPDATE ON score_indicator"
"  BEGIN SELECT RAISE(ABORT, 'score_indicator is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_indicator_ro2 BEFORE DELETE ON score_indicator"
"  BEGIN SELECT RAISE(ABORT, 'score_indicator is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_line_ro1 BEFORE UPDATE ON score_line"
"  BEGIN SELECT RAISE(ABORT, 'score_line is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS score_line_ro2 BEFORE DELETE ON score_line"
"  BEGIN SELECT RAISE(ABORT, 'score_line is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS output_file_ro1 BEFORE UPDATE ON output_file"
"  BEGIN SELECT RAISE(ABORT, 'output_file is append-only'); END;"
"CREATE TRIGGER IF NOT EXISTS output_file_ro2 BEFORE DELETE ON output_file"
"  BEGIN SELECT RAISE(ABORT, 'output_file is append-only'); END;";

int
kh_results_migrate(struct kh_store *st, struct kh_err *err)
{
	if (sqlite3_exec(kh_store_db(st), results_schema, NULL, NULL, NULL)
	    != SQLITE_OK)
		return kh_db_fail(st, err, "creating result tables");
	return KH_OK;
}

int
kh_results_fingerprint(struct kh_store *st, const char *month, char hex[65],
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_FAIL, r;

	hex[0] = '\0';
	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT fingerprint FROM "
	    "score_run WHERE month = ?1 ORDER BY id DESC LIMIT 1", -1, &s,
	    NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "reading run");
		goto out;
	}
	sqlite3_bind_text(s, 1, month, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		snprintf(hex, 65, "%s", kh_db_col_text(s, 0));
	else if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading run");
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

static int
latest_run(struct kh_store *st, const char *month, struct kh_run_meta *m,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_FAIL, r;

	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT id, month, scheme_id,"
	    " scheme_sha256, fingerprint, scored_at FROM score_run"
	    " WHERE month = ?1 ORDER BY id DESC LIMIT 1", -1, &s, NULL)
	    != SQLITE_OK) {
		kh_db_fail(st, err, "reading run");
		goto out;
	}
	sqlite3_bind_text(s, 1, month, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		rc = kh_err_sys(err, KH_REJECT, "%s has not been scored yet",
		    month);
		goto out;
	}
	if (r != SQLITE_ROW) {
		kh_db_fail(st, err, "reading run");
		goto out;
	}
	memset(m, 0, sizeof(*m));
	m->run_id = sqlite3_column_int64(s, 0);
	kh_db_col_copy(s, 1, m->month, sizeof(m->month));
	kh_db_col_copy(s, 2, m->scheme_id, sizeof(m->scheme_id));
	kh_db_col_copy(s, 3, m->scheme_sha256, sizeof(m->scheme_sha256));
	kh_db_col_copy(s, 4, m->fingerprint, sizeof(m->fingerprint));
	kh_db_col_copy(s, 5, m->scored_at, sizeof(m->scored_at));
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

/* Insert the run row and return its id in meta. */
static int
insert_run(sqlite3 *db, const char *month, struct kh_run_meta *m)
{
	sqlite3_stmt *s = NULL;
	int ok;

	if (sqlite3_prepare_v2(db, "INSERT INTO score_run (month, scheme_id,"
	    " scheme_sha256, fingerprint, scored_at) VALUES (?1,?2,?3,?4,?5)",
	    -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, m->scheme_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, m->scheme_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, m->scored_at, -1, SQLITE_STATIC);
	ok = sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	if (!ok)
		return -1;
	m->run_id = sqlite3_last_insert_rowid(db);
	snprintf(m->month, sizeof(m->month), "%s", month);
	return 0;
}

static int
insert_results(sqlite3 *db, int64_t run, const struct kh_month_result *mr)
{
	sqlite3_stmt *r = NULL, *i = NULL;
	const struct kh_result *x;
	const struct kh_indicator_result *ir;
	size_t k, j;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "INSERT INTO score_result VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)", -1, &r, NULL)
	    != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO score_indicator VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", -1, &i, NULL) != SQLITE_OK)
		goto out;
	for (k = 0; k < mr->n; k++) {
		x = &mr->results[k];
		sqlite3_reset(r);
		sqlite3_bind_int64(r, 1, run);
		sqlite3_bind_int64(r, 2, (int64_t)k);
		sqlite3_bind_text(r, 3, x->manager, -1, SQLITE_STATIC);
		sqlite3_bind_text(r, 4, x->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(r, 5, x->group, -1, SQLITE_STATIC);
		sqlite3_bind_int(r, 6, x->incomplete);
		sqlite3_bind_text(r, 7, x->reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(r, 8, x->quantitative);
		sqlite3_bind_int64(r, 9, x->deductions);
		sqlite3_bind_int64(r, 10, x->bonuses);
		sqlite3_bind_int64(r, 11, x->qualitative);
		sqlite3_bind_int64(r, 12, x->total);
		sqlite3_bind_int(r, 13, x->rank);
		if (sqlite3_step(r) != SQLITE_DONE)
			goto out;
		for (j = 0; j < x->n_ind; j++) {
			ir = &x->ind[j];
			sqlite3_reset(i);
			sqlite3_bind_int64(i, 1, run);
			sqlite3_bind_text(i, 2, x->manager, -1, SQLITE_STATIC);
			sqlite3_bind_int64(i, 3, (int64_t)j);
			sqlite3_bind_text(i, 4, ir->code, -1, SQLITE_STATIC);
			sqlite3_bind_int64(i, 5, ir->points);
			sqlite3_bind_int(i, 6, ir->has_target);
			sqlite3_bind_int64(i, 7, ir->target);
			sqlite3_bind_int64(i, 8, ir->actual);
			sqlite3_bind_int64(i, 9, ir->completion);
			sqlite3_bind_int64(i, 10, ir->score);
			if (sqlite3_step(i) != SQLITE_DONE)
				goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(r);
	sqlite3_finalize(i);
	return rc;
}

static int
insert_lines(sqlite3 *db, int64_t run, const struct kh_month_result *mr)
{
	sqlite3_stmt *s = NULL;
	const struct kh_line *l;
	size_t k;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "INSERT INTO score_line VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)", -1, &s, NULL)
	    != SQLITE_OK)
		goto out;
	for (k = 0; k < mr->n_lines; k++) {
		l = &mr->lines[k];
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, run);
		sqlite3_bind_text(s, 2, l->manager, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, l->seq);
		sqlite3_bind_int(s, 4, (int)l->kind);
		sqlite3_bind_text(s, 5, l->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, l->date, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, l->item, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, l->customer, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 9, l->count);
		sqlite3_bind_int(s, 10, l->has_points);
		sqlite3_bind_int64(s, 11, l->points);
		sqlite3_bind_text(s, 12, l->recorder, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 13, l->role, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 14, l->text, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_results_save(struct kh_store *st, const struct kh_month_result *mr,
    struct kh_run_meta *meta, int *stored, struct kh_err *err)
{
	sqlite3 *db = kh_store_db(st);
	struct kh_run_meta last;
	int rc = KH_FAIL, r;

	*stored = 0;
	r = latest_run(st, mr->month, &last, err);
	if (r == KH_FAIL)
		return r;
	if (r == KH_OK && strcmp(last.fingerprint, meta->fingerprint) == 0 &&
	    strcmp(last.scheme_sha256, meta->scheme_sha256) == 0) {
		*meta = last;
		return KH_OK;
	}
	kh_err_clear(err);
	if (sqlite3_exec(db, "SAVEPOINT results_save", NULL, NULL, NULL)
	    != SQLITE_OK)
		return kh_db_fail(st, err, "saving results");
	if (insert_run(db, mr->month, meta) != 0 ||
	    insert_results(db, meta->run_id, mr) != 0 ||
	    insert_lines(db, meta->run_id, mr) != 0) {
		kh_db_fail(st, err, "saving results");
		sqlite3_exec(db, "ROLLBACK TO results_save; RELEASE results_save",
		    NULL, NULL, NULL);
		goto out;
	}
	if (sqlite3_exec(db, "RELEASE results_save", NULL, NULL, NULL)
	    != SQLITE_OK) {
		kh_db_fail(st, err, "saving results");
		goto out;
	}
	*stored = 1;
	rc = KH_OK;
out:
	return rc;
}

static int
load_results(sqlite3 *db, int64_t run, struct kh_month_result *mr)
{
	sqlite3_stmt *s = NULL;
	struct kh_result *x, *grown;
	size_t cap = 0;
	int rc = -1, r;

	if (sqlite3_prepare_v2(db, "SELECT manager, name, grp, incomplete,"
	    " reason, quantitative, deductions, bonuses, qualitative, total,"
	    " rank FROM score_result WHERE run_id = ?1 ORDER BY pos", -1, &s,
	    NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, run);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (mr->n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((grown = realloc(mr->results, cap * sizeof(*grown)))
			    == NULL)
				goto out;
			mr->results = grown;
		}
		x = &mr->results[mr->n++];
		memset(x, 0, sizeof(*x));
		kh_db_col_copy(s, 0, x->manager, sizeof(x->manager));
		kh_db_col_copy(s, 1, x->name, sizeof(x->name));
		kh_db_col_copy(s, 2, x->group, sizeof(x->group));
		x->incomplete = sqlite3_column_int(s, 3);
		kh_db_col_copy(s, 4, x->reason, sizeof(x->reason));
		x->quantitative = sqlite3_column_int64(s, 5);
		x->deductions = sqlite3_column_int64(s, 6);
		x->bonuses = sqlite3_column_int64(s, 7);
		x->qualitative = sqlite3_column_int64(s, 8);
		x->total = sqlite3_column_int64(s, 9);
		x->rank = sqlite3_column_int(s, 10);
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

static struct kh_result *
find_result(struct kh_month_result *mr, const char *manager)
{
	size_t k;

	for (k = 0; k < mr->n; k++)
		if (strcmp(mr->results[k].manager, manager) == 0)
			return &mr->results[k];
	return NULL;
}

static int
load_indicators(sqlite3 *db, int64_t run, struct kh_month_result *mr)
{
	sqlite3_stmt *s = NULL;
	struct kh_result *x;
	struct kh_indicator_result *ir;
	int rc = -1, r;

	if (sqlite3_prepare_v2(db, "SELECT manager, code, points, has_target,"
	    " target, actual, completion, score FROM score_indicator"
	    " WHERE run_id = ?1 ORDER BY manager, pos", -1, &s, NULL)
	    != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, run);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		x = find_result(mr, kh_db_col_text(s, 0));
		if (x == NULL || x->n_ind == KH_MAX_INDICATORS)
			goto out;
		ir = &x->ind[x->n_ind++];
		kh_db_col_copy(s, 1, ir->code, sizeof(ir->code));
		ir->points = sqlite3_column_int64(s, 2);
		ir->has_target = sqlite3_column_int(s, 3);
		ir->target = sqlite3_column_int64(s, 4);
		ir->actual = sqlite3_column_int64(s, 5);
		ir->completion = sqlite3_column_int64(s, 6);
		ir->score = sqlite3_column_int64(s, 7);
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

static int
load_lines(sqlite3 *db, int64_t run, struct kh_month_result *mr)
{
	sqlite3_stmt *s = NULL;
	struct kh_line *l, *grown;
	size_t cap = 0;
	int rc = -1, r;

	if (sqlite3_prepare_v2(db, "SELECT l.manager, seq, kind, ref, date,"
	    " item, customer, count, has_points, points, recorder, role, text"
	    " FROM score_line l JOIN score_result r"
	    " ON r.run_id = l.run_id AND r.manager = l.manager"
	    " WHERE l.run_id = ?1 ORDER BY r.pos, l.seq", -1, &s, NULL)
	    != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, run);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (mr->n_lines == cap) {
			cap = cap ? 2 * cap : 64;
			if ((grown = realloc(mr->lines, cap * sizeof(*grown)))
			    == NULL)
				goto out;
			mr->lines = grown;
		}
		l = &mr->lines[mr->n_lines++];
		memset(l, 0, sizeof(*l));
		kh_db_col_copy(s, 0, l->manager, sizeof(l->manager));
		l->seq = sqlite3_column_int(s, 1);
		l->kind = (enum kh_line_kind)sqlite3_column_int(s, 2);
		kh_db_col_copy(s, 3, l->ref, sizeof(l->ref));
		kh_db_col_copy(s, 4, l->date, sizeof(l->date));
		kh_db_col_copy(s, 5, l->item, sizeof(l->item));
		kh_db_col_copy(s, 6, l->customer, sizeof(l->customer));
		l->count = sqlite3_column_int64(s, 7);
		l->has_points = sqlite3_column_int(s, 8);
		l->points = sqlite3_column_int64(s, 9);
		kh_db_col_copy(s, 10, l->recorder, sizeof(l->recorder));
		kh_db_col_copy(s, 11, l->role, sizeof(l->role));
		kh_db_col_copy(s, 12, l->text, sizeof(l->text));
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_results_load(struct kh_store *st, const char *month,
    struct kh_month_result *mr, struct kh_run_meta *meta, struct kh_err *err)
{
	sqlite3 *db = kh_store_db(st);
	int rc;

	memset(mr, 0, sizeof(*mr));
	if ((rc = latest_run(st, month, meta, err)) != KH_OK)
		return rc;
	snprintf(mr->month, sizeof(mr->month), "%s", month);
	if (load_results(db, meta->run_id, mr) != 0 ||
	    load_indicators(db, meta->run_id, mr) != 0 ||
	    load_lines(db, meta->run_id, mr) != 0) {
		kh_month_result_clear(mr);
		return kh_db_fail(st, err, "reading results");
	}
	return KH_OK;
}

int
kh_results_note_output(struct kh_store *st, int64_t run_id,
    const char *relpath, const char *sha256, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_FAIL;

	if (sqlite3_prepare_v2(kh_store_db(st), "INSERT INTO output_file"
	    " (run_id, path, sha256) SELECT ?1, ?2, ?3 WHERE ?3 IS NOT"
	    " (SELECT sha256 FROM output_file WHERE path = ?2"
	    "  ORDER BY id DESC LIMIT 1)", -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, relpath, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	rc = KH_OK;
out:
	if (rc != KH_OK)
		kh_db_fail(st, err, "recording output file");
	sqlite3_finalize(s);
	return rc;
}

int
kh_results_verify_outputs(struct kh_store *st, const char *outdir,
    void (*report)(void *, const char *, const char *), void *ctx,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_err ferr;
	char path[4096], hex[KH_SHA256_HEX];
	int rc = KH_FAIL, bad = 0, r;

	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT path, sha256 FROM"
	    " output_file o WHERE id = (SELECT max(id) FROM output_file"
	    " WHERE path = o.path) ORDER BY path", -1, &s, NULL)
	    != SQLITE_OK) {
		kh_db_fail(st, err, "reading output ledger");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(path, sizeof(path), "%s/%s", outdir, kh_db_col_text(s, 0));
		if (kh_sha256_file(path, hex, &ferr) != KH_OK) {
			report(ctx, kh_db_col_text(s, 0), "missing or unreadable");
			bad++;
		} else if (strcmp(hex, kh_db_col_text(s, 1)) != 0) {
			report(ctx, kh_db_col_text(s, 0),
			    "differs from the file kaohe wrote");
			bad++;
		}
	}
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading output ledger");
		goto out;
	}
	rc = bad ? KH_REJECT : KH_OK;
	if (bad)
		kh_err_sys(err, KH_REJECT, "%d output file(s) do not match "
		    "the ledger", bad);
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_results_note_glyph(struct kh_store *st, int64_t run_id, const char *doc,
    uint32_t cp, const char *context, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_FAIL;

	if (sqlite3_prepare_v2(kh_store_db(st), "INSERT OR IGNORE INTO"
	    " glyph_note (run_id, doc, cp, context) VALUES (?1, ?2, ?3, ?4)",
	    -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, doc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)cp);
	sqlite3_bind_text(s, 4, context, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_DONE)
		rc = KH_OK;
out:
	if (rc != KH_OK)
		kh_db_fail(st, err, "recording a missing character");
	sqlite3_finalize(s);
	return rc;
}

int
kh_results_glyphs(struct kh_store *st, int64_t run_id,
    int (*cb)(const char *doc, uint32_t cp, const char *context, void *),
    void *arg, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_FAIL, r;

	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT doc, cp, context FROM"
	    " glyph_note WHERE run_id = ?1 ORDER BY doc, cp", -1, &s, NULL)
	    != SQLITE_OK) {
		kh_db_fail(st, err, "reading missing characters");
		goto out;
	}
	sqlite3_bind_int64(s, 1, run_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = cb(kh_db_col_text(s, 0), (uint32_t)sqlite3_column_int64(s,
		    1), kh_db_col_text(s, 2), arg)) != KH_OK)
			goto out;
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading missing characters");
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}
