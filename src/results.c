/*
 * results.c — scoring runs, their results and lines, and the ledger of
 * rendered outputs, kept in store.c's SQLite database (see results.h).
 * Its statements are store.c's (KH_S_RUN_* .. KH_S_GLYPHS), cached; the
 * two walks whose callbacks may call back into the store prepare their
 * own.
 */
#define _GNU_SOURCE	/* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "chain.h"
#include "grow.h"
#include "results.h"
#include "store.h"
#include "store_int.h"

int
kh_results_fingerprint(struct kh_store *st, const char *month, char hex[65],
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	hex[0] = '\0';
	if ((s = kh_db_prep(st, KH_S_RUN_FINGERPRINT, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, month);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		snprintf(hex, 65, "%s", kh_db_col_text(s, 0));
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "reading run");
}

static int
latest_run(struct kh_store *st, const char *month, struct kh_run_meta *m,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r, rc = KH_FAIL;

	if ((s = kh_db_prep(st, KH_S_RUN_LATEST, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, month);
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
	sqlite3_reset(s);
	return rc;
}

/*
 * Insert the run row under the next id, checked clean first (rows
 * planted for that id would join the run's digest), and return the id
 * in meta.  The qualitative parameters are kept with the run so that
 * `verify` re-adds every run without the templates.
 */
static int
insert_run(struct kh_store *st, const char *month, struct kh_run_meta *m,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	if ((s = kh_db_prep(st, KH_S_RUN_NEXT_ID, err)) == NULL)
		return KH_FAIL;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = kh_db_fail(st, err, "saving results");
		sqlite3_reset(s);
		return rc;
	}
	id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if ((rc = kh_store_slot_clean(st, "score_run", id, err)) != KH_OK)
		return rc;
	if ((s = kh_db_prep(st, KH_S_RUN_INSERT, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, id);
	kh_db_bind_text(s, 2, month);
	kh_db_bind_text(s, 3, m->scheme_id);
	kh_db_bind_text(s, 4, m->scheme_sha256);
	kh_db_bind_text(s, 5, m->fingerprint);
	kh_db_bind_text(s, 6, m->scored_at);
	sqlite3_bind_int64(s, 7, m->qual_base);
	sqlite3_bind_int64(s, 8, m->qual_floor);
	if (m->has_qual_cap)
		sqlite3_bind_int64(s, 9, m->qual_cap);
	if (kh_db_exec_done(st, s, err, "saving results") != KH_OK)
		return KH_FAIL;
	m->run_id = id;
	snprintf(m->month, sizeof(m->month), "%s", month);
	return KH_OK;
}

static int
insert_indicators(struct kh_store *st, int64_t run,
    const struct kh_result *x, struct kh_err *err)
{
	sqlite3_stmt *s;
	const struct kh_indicator_result *ir;
	size_t j;

	for (j = 0; j < x->n_ind; j++) {
		ir = &x->ind[j];
		if ((s = kh_db_prep(st, KH_S_INDICATOR_INSERT, err)) == NULL)
			return KH_FAIL;
		sqlite3_bind_int64(s, 1, run);
		kh_db_bind_text(s, 2, x->manager);
		sqlite3_bind_int64(s, 3, (int64_t)j);
		kh_db_bind_text(s, 4, ir->code);
		sqlite3_bind_int64(s, 5, ir->points);
		sqlite3_bind_int(s, 6, ir->has_target);
		sqlite3_bind_int64(s, 7, ir->target);
		sqlite3_bind_int64(s, 8, ir->actual);
		sqlite3_bind_int64(s, 9, ir->completion);
		sqlite3_bind_int64(s, 10, ir->score);
		if (kh_db_exec_done(st, s, err, "saving results") != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

static int
insert_results(struct kh_store *st, int64_t run,
    const struct kh_month_result *mr, struct kh_err *err)
{
	sqlite3_stmt *s;
	const struct kh_result *x;
	size_t k;

	for (k = 0; k < mr->n; k++) {
		x = &mr->results[k];
		if ((s = kh_db_prep(st, KH_S_RESULT_INSERT, err)) == NULL)
			return KH_FAIL;
		sqlite3_bind_int64(s, 1, run);
		sqlite3_bind_int64(s, 2, (int64_t)k);
		kh_db_bind_text(s, 3, x->manager);
		kh_db_bind_text(s, 4, x->name);
		kh_db_bind_text(s, 5, x->group);
		sqlite3_bind_int(s, 6, x->incomplete);
		kh_db_bind_text(s, 7, x->reason);
		sqlite3_bind_int64(s, 8, x->quantitative);
		sqlite3_bind_int64(s, 9, x->deductions);
		sqlite3_bind_int64(s, 10, x->bonuses);
		sqlite3_bind_int64(s, 11, x->qualitative);
		sqlite3_bind_int64(s, 12, x->total);
		sqlite3_bind_int(s, 13, x->rank);
		if (kh_db_exec_done(st, s, err, "saving results") != KH_OK ||
		    insert_indicators(st, run, x, err) != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

static int
insert_lines(struct kh_store *st, int64_t run,
    const struct kh_month_result *mr, struct kh_err *err)
{
	sqlite3_stmt *s;
	const struct kh_line *l;
	size_t k;

	for (k = 0; k < mr->n_lines; k++) {
		l = &mr->lines[k];
		if ((s = kh_db_prep(st, KH_S_LINE_INSERT, err)) == NULL)
			return KH_FAIL;
		sqlite3_bind_int64(s, 1, run);
		kh_db_bind_text(s, 2, l->manager);
		sqlite3_bind_int(s, 3, l->seq);
		sqlite3_bind_int(s, 4, (int)l->kind);
		kh_db_bind_text(s, 5, l->ref);
		kh_db_bind_text(s, 6, l->date);
		kh_db_bind_text(s, 7, l->item);
		kh_db_bind_text(s, 8, l->customer);
		sqlite3_bind_int64(s, 9, l->count);
		sqlite3_bind_int(s, 10, l->has_points);
		sqlite3_bind_int64(s, 11, l->points);
		kh_db_bind_text(s, 12, l->recorder);
		kh_db_bind_text(s, 13, l->role);
		kh_db_bind_text(s, 14, l->text);
		if (kh_db_exec_done(st, s, err, "saving results") != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

int
kh_results_save(struct kh_store *st, const struct kh_month_result *mr,
    struct kh_run_meta *meta, int *stored, struct kh_err *err)
{
	struct kh_run_meta last;
	int rc;

	*stored = 0;
	rc = latest_run(st, mr->month, &last, err);
	if (rc == KH_FAIL)
		return rc;
	if (rc == KH_OK && strcmp(last.fingerprint, meta->fingerprint) == 0 &&
	    strcmp(last.scheme_sha256, meta->scheme_sha256) == 0) {
		*meta = last;
		return KH_OK;
	}
	kh_err_clear(err);
	if (sqlite3_exec(kh_store_db(st), "SAVEPOINT results_save", NULL, NULL,
	    NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "saving results");
	if ((rc = insert_run(st, mr->month, meta, err)) != KH_OK ||
	    (rc = insert_results(st, meta->run_id, mr, err)) != KH_OK ||
	    (rc = insert_lines(st, meta->run_id, mr, err)) != KH_OK ||
	    (rc = kh_store_chain_append(st, "score_run", meta->run_id, err))
	    != KH_OK) {
		sqlite3_exec(kh_store_db(st), "ROLLBACK TO results_save; "
		    "RELEASE results_save", NULL, NULL, NULL);
		goto out;
	}
	if (sqlite3_exec(kh_store_db(st), "RELEASE results_save", NULL, NULL,
	    NULL) != SQLITE_OK) {
		rc = kh_db_fail(st, err, "saving results");
		goto out;
	}
	*stored = 1;
out:
	return rc;
}

/* One struct kh_result of KH_S_RESULTS_LOAD (kh_store_load_rows). */
static void
row_result(sqlite3_stmt *s, void *p)
{
	struct kh_result *x = p;

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

/* One struct kh_line of KH_S_LINES_LOAD (kh_store_load_rows). */
static void
row_line(sqlite3_stmt *s, void *p)
{
	struct kh_line *l = p;

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
load_indicators(struct kh_store *st, int64_t run,
    struct kh_month_result *mr, struct kh_err *err)
{
	sqlite3_stmt *s;
	struct kh_result *x;
	struct kh_indicator_result *ir;
	int r, rc = KH_FAIL;

	if ((s = kh_db_prep(st, KH_S_INDICATORS_LOAD, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, run);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		x = find_result(mr, kh_db_col_text(s, 0));
		if (x == NULL || x->n_ind == KH_MAX_INDICATORS) {
			kh_err_sys(err, KH_FAIL, "reading results: run %lld: "
			    "the indicators of %s do not match its results",
			    (long long)run, kh_db_col_text(s, 0));
			goto out;
		}
		ir = &x->ind[x->n_ind++];
		kh_db_col_copy(s, 1, ir->code, sizeof(ir->code));
		ir->points = sqlite3_column_int64(s, 2);
		ir->has_target = sqlite3_column_int(s, 3);
		ir->target = sqlite3_column_int64(s, 4);
		ir->actual = sqlite3_column_int64(s, 5);
		ir->completion = sqlite3_column_int64(s, 6);
		ir->score = sqlite3_column_int64(s, 7);
	}
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading results");
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_reset(s);
	return rc;
}

int
kh_results_load(struct kh_store *st, const char *month,
    struct kh_month_result *mr, struct kh_run_meta *meta, struct kh_err *err)
{
	struct kh_link link;
	int rc;

	memset(mr, 0, sizeof(*mr));
	if ((rc = latest_run(st, month, meta, err)) != KH_OK)
		return rc;
	if ((rc = kh_store_chain_link_of(st, "score_run", meta->run_id, &link,
	    err)) != KH_OK)
		return rc;
	meta->link_seq = link.seq;
	snprintf(meta->link_hash, sizeof(meta->link_hash), "%s", link.hash);
	snprintf(mr->month, sizeof(mr->month), "%s", month);
	if ((rc = kh_store_load_rows(st, KH_S_RESULTS_LOAD, meta->run_id, NULL,
	    &mr->results, &mr->n, sizeof(*mr->results), row_result, err))
	    != KH_OK ||
	    (rc = load_indicators(st, meta->run_id, mr, err)) != KH_OK ||
	    (rc = kh_store_load_rows(st, KH_S_LINES_LOAD, meta->run_id, NULL,
	    &mr->lines, &mr->n_lines, sizeof(*mr->lines), row_line, err))
	    != KH_OK)
		kh_month_result_clear(mr);
	return rc;
}

/* ---- publications ---------------------------------------------------------- */

static int
cmp_index_path(const void *a, const void *b, void *arg)
{
	const char *const *paths = arg;

	return strcmp(paths[*(const size_t *)a], paths[*(const size_t *)b]);
}

/*
 * Whether p is what the latest publication of its root already says:
 * same run, state and anchor, and the same files with the same bytes.
 * Then publishing again records nothing (a second run changes nothing).
 */
static int
same_as_latest(struct kh_store *st, const struct kh_publication *p,
    const size_t *order, int *same, struct kh_err *err)
{
	sqlite3_stmt *s;
	size_t k = 0;
	char rel[4200];
	int r, rc = KH_FAIL;

	*same = 0;
	if ((s = kh_db_prep(st, KH_S_PUB_SAME, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, p->root);
	sqlite3_bind_int64(s, 2, p->run_id);
	kh_db_bind_text(s, 3, p->state);
	sqlite3_bind_int64(s, 4, p->anchor_seq);
	*same = 1;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (k == p->n) {
			*same = 0;
			break;
		}
		snprintf(rel, sizeof(rel), "%s/%s", p->root, p->paths[order[k]]);
		if (strcmp(rel, kh_db_col_text(s, 0)) != 0 ||
		    strcmp(p->sha256[order[k]], kh_db_col_text(s, 1)) != 0) {
			*same = 0;
			break;
		}
		k++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading output ledger");
		goto out;
	}
	if (k != p->n)
		*same = 0;
	rc = KH_OK;
out:
	sqlite3_reset(s);
	return rc;
}

static int
insert_publication(struct kh_store *st, const struct kh_publication *p,
    int64_t *id, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_PUB_INSERT, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, p->root);
	sqlite3_bind_int64(s, 2, p->run_id);
	kh_db_bind_text(s, 3, p->state);
	sqlite3_bind_int64(s, 4, p->anchor_seq);
	kh_db_bind_text(s, 5, p->anchor_hash);
	if (kh_db_exec_done(st, s, err, "recording a publication") != KH_OK)
		return KH_FAIL;
	*id = sqlite3_last_insert_rowid(kh_store_db(st));
	return kh_store_chain_inserted(st, "publication", err);
}

static int
insert_output(struct kh_store *st, const struct kh_publication *p,
    size_t i, int64_t pub, struct kh_err *err)
{
	sqlite3_stmt *s;
	char rel[4200];

	if ((s = kh_db_prep(st, KH_S_OUTPUT_INSERT, err)) == NULL)
		return KH_FAIL;
	snprintf(rel, sizeof(rel), "%s/%s", p->root, p->paths[i]);
	sqlite3_bind_int64(s, 1, p->run_id);
	kh_db_bind_text(s, 2, rel);
	kh_db_bind_text(s, 3, p->sha256[i]);
	sqlite3_bind_int64(s, 4, pub);
	if (kh_db_exec_done(st, s, err, "recording output file") != KH_OK)
		return KH_FAIL;
	return kh_store_chain_inserted(st, "output_file", err);
}

int
kh_results_publish(struct kh_store *st, const struct kh_publication *p,
    int *recorded, struct kh_err *err)
{
	size_t *order = NULL, i;
	int64_t pub;
	int same, rc = KH_FAIL;

	*recorded = 0;
	if ((order = calloc(p->n + 1, sizeof(*order))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	for (i = 0; i < p->n; i++)
		order[i] = i;
	qsort_r(order, p->n, sizeof(*order), cmp_index_path,
	    (void *)p->paths);
	if (same_as_latest(st, p, order, &same, err) != KH_OK)
		goto out;
	if (same) {
		rc = KH_OK;
		goto out;
	}
	if (insert_publication(st, p, &pub, err) != KH_OK)
		goto out;
	for (i = 0; i < p->n; i++)
		if (insert_output(st, p, order[i], pub, err) != KH_OK)
			goto out;
	*recorded = 1;
	rc = KH_OK;
out:
	free(order);
	return rc;
}

/* ---- checking the archive ---------------------------------------------------- */

struct expected {
	char	**path;		/* relative to the output folder, sorted */
	char	(*sha)[KH_SHA256_HEX];
	size_t	  n, cap;
};

static void
expected_clear(struct expected *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->path[i]);
	free(e->path);
	free(e->sha);
	memset(e, 0, sizeof(*e));
}

/*
 * What root must hold now: the files of its latest publication, or for
 * a root published before publications were recorded, the newest
 * ledger row of each of its paths.
 */
static int
load_expected(struct kh_store *st, const char *root, struct expected *e,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	size_t cap_sha = 0;
	int r, rc = KH_FAIL;

	if ((s = kh_db_prep(st, KH_S_PUB_EXPECTED, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, root);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(&e->path, &e->cap, e->n, sizeof(*e->path)) != 0 ||
		    kh_grow(&e->sha, &cap_sha, e->n, sizeof(*e->sha)) != 0 ||
		    (e->path[e->n] = strdup(kh_db_col_text(s, 0))) == NULL) {
			kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
		kh_db_col_copy(s, 1, e->sha[e->n], KH_SHA256_HEX);
		e->n++;
	}
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "reading output ledger");
		goto out;
	}
	rc = KH_OK;
out:
	sqlite3_reset(s);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
	const struct expected *e;
	void	(*report)(void *, const char *, const char *);
	void	 *ctx;
	int	  bad;
};

/*
 * Everything under dir/sub that kaohe did not write; sub is relative to
 * the output folder ("2013-05/scorecards"), as the ledger's paths are,
 * and dir is where that root actually is.
 */
static void
walk_foreign(const char *dir, const char *sub, size_t rootlen, int depth,
    struct walk *w)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	char path[4096], rel[4096];
	const char *key;

	snprintf(path, sizeof(path), "%s%s", dir, sub + rootlen);
	if (depth > 8 || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", sub, de->d_name);
		snprintf(path, sizeof(path), "%s%s", dir, rel + rootlen);
		if (lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			walk_foreign(dir, rel, rootlen, depth + 1, w);
			continue;
		}
		key = rel;
		if (S_ISREG(sb.st_mode) && bsearch(&key, w->e->path, w->e->n,
		    sizeof(*w->e->path), cmp_str) != NULL)
			continue;
		w->report(w->ctx, rel, S_ISREG(sb.st_mode) ? "not written by "
		    "kaohe (not in the output ledger)" : "not a regular file, "
		    "not written by kaohe");
		w->bad++;
	}
	closedir(d);
}

int
kh_results_check_dir(struct kh_store *st, const char *root, const char *dir,
    void (*report)(void *, const char *, const char *), void *ctx,
    int *bad, struct kh_err *err)
{
	struct expected e;
	struct walk w;
	struct kh_err ferr;
	char path[4096], hex[KH_SHA256_HEX];
	size_t i, rootlen = strlen(root);
	int rc;

	memset(&e, 0, sizeof(e));
	if ((rc = load_expected(st, root, &e, err)) != KH_OK)
		goto out;
	for (i = 0; i < e.n; i++) {
		snprintf(path, sizeof(path), "%s%s", dir, e.path[i] + rootlen);
		if (kh_sha256_file(path, hex, &ferr) != KH_OK) {
			report(ctx, e.path[i], "missing or unreadable");
			(*bad)++;
		} else if (strcmp(hex, e.sha[i]) != 0) {
			report(ctx, e.path[i], "differs from the file kaohe wrote");
			(*bad)++;
		}
	}
	memset(&w, 0, sizeof(w));
	w.e = &e;
	w.report = report;
	w.ctx = ctx;
	walk_foreign(dir, root, rootlen, 0, &w);
	*bad += w.bad;
out:
	expected_clear(&e);
	return rc;
}

int
kh_results_roots(struct kh_store *st, int (*cb)(const char *root, void *),
    void *arg, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char root[256];
	int r, rc;

	/* a statement of its own: callbacks read the ledger again */
	if ((rc = kh_db_prepare_own(st, KH_S_PUB_ROOTS, &s, err)) != KH_OK)
		return rc;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_db_col_copy(s, 0, root, sizeof(root));
		if ((rc = cb(root, arg)) != KH_OK)
			goto out;
	}
	rc = r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "reading output ledger");
out:
	sqlite3_finalize(s);
	return rc;
}

struct verify_ctx {
	struct kh_store	*st;
	const char	*outdir;
	int		(*skip)(void *, const char *);
	void		(*report)(void *, const char *, const char *);
	void		*ctx;
	int		 bad;
	struct kh_err	*err;
};

static int
verify_one_root(const char *root, void *arg)
{
	struct verify_ctx *v = arg;
	char dir[4096];

	if (v->skip != NULL && v->skip(v->ctx, root))
		return KH_OK;
	snprintf(dir, sizeof(dir), "%s/%s", v->outdir, root);
	return kh_results_check_dir(v->st, root, dir, v->report, v->ctx,
	    &v->bad, v->err);
}

int
kh_results_verify_outputs(struct kh_store *st, const char *outdir,
    int (*skip)(void *, const char *),
    void (*report)(void *, const char *, const char *), void *ctx,
    struct kh_err *err)
{
	struct verify_ctx v = { st, outdir, skip, report, ctx, 0, err };
	int rc;

	if ((rc = kh_results_roots(st, verify_one_root, &v, err)) != KH_OK)
		return rc;
	if (v.bad)
		return kh_err_sys(err, KH_BROKEN, "%d output file(s) do not "
		    "match the ledger", v.bad);
	return KH_OK;
}

/*
 * Every stored result adds up: quantitative = Σ indicator scores,
 * qualitative = the run's base − deductions + bonuses held to its floor
 * and cap, total = quantitative + qualitative, and the ranks are those
 * of the totals (1, 2, 2, 4; none for an incomplete result).  A row
 * that breaks one was not written by kaohe.
 */
static const struct {
	const char	*what;
	const char	*sql;
} sum_checks[] = {
	{ "quantitative is not the sum of its indicators",
	  "SELECT run_id, manager FROM score_result r WHERE incomplete = 0 AND"
	  " quantitative IS NOT (SELECT coalesce(sum(score), 0) FROM"
	  " score_indicator i WHERE i.run_id = r.run_id AND i.manager ="
	  " r.manager)" },
	{ "total is not quantitative + qualitative",
	  "SELECT run_id, manager FROM score_result WHERE incomplete = 0 AND"
	  " total IS NOT quantitative + qualitative" },
	{ "deductions or bonuses are negative",
	  "SELECT run_id, manager FROM score_result WHERE deductions < 0"
	  " OR bonuses < 0" },
	{ "qualitative is not base − deductions + bonuses (floor, cap)",
	  "SELECT r.run_id, r.manager FROM score_result r JOIN score_run u"
	  " ON u.id = r.run_id WHERE r.incomplete = 0 AND u.qual_base IS NOT"
	  " NULL AND r.qualitative IS NOT (SELECT CASE WHEN q < u.qual_floor"
	  " THEN u.qual_floor WHEN u.qual_cap IS NOT NULL AND q > u.qual_cap"
	  " THEN u.qual_cap ELSE q END FROM (SELECT u.qual_base -"
	  " r.deductions + r.bonuses AS q))" },
	{ "rank does not follow from the totals",
	  "SELECT run_id, manager FROM score_result r WHERE rank IS NOT"
	  " CASE WHEN incomplete THEN 0 ELSE 1 + (SELECT count(*) FROM"
	  " score_result o WHERE o.run_id = r.run_id AND o.incomplete = 0"
	  " AND o.total > r.total) END" },
	{ NULL, NULL }
};

int
kh_results_verify_sums(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	size_t i;
	int r, rc = KH_OK;

	for (i = 0; rc == KH_OK && sum_checks[i].sql != NULL; i++) {
		if (sqlite3_prepare_v2(kh_store_db(st), sum_checks[i].sql, -1,
		    &s, NULL) != SQLITE_OK)
			return kh_err_sys(err, KH_BROKEN, "verify: %s",
			    sqlite3_errmsg(kh_store_db(st)));
		if ((r = sqlite3_step(s)) == SQLITE_ROW)
			rc = kh_err_sys(err, KH_BROKEN, "record broken: scoring "
			    "run %lld, manager %s: %s", (long long)
			    sqlite3_column_int64(s, 0), kh_db_col_text(s, 1),
			    sum_checks[i].what);
		else if (r != SQLITE_DONE)
			rc = kh_err_sys(err, KH_BROKEN, "verify: %s",
			    sqlite3_errmsg(kh_store_db(st)));
		sqlite3_finalize(s);
		s = NULL;
	}
	return rc;
}

int
kh_results_note_glyph(struct kh_store *st, int64_t run_id, const char *doc,
    uint32_t cp, const char *context, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_GLYPH_INSERT, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, run_id);
	kh_db_bind_text(s, 2, doc);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)cp);
	kh_db_bind_text(s, 4, context);
	if (kh_db_exec_done(st, s, err, "recording a missing character")
	    != KH_OK)
		return KH_FAIL;
	/* a note already kept for (run, doc, cp) inserts nothing */
	return sqlite3_changes(kh_store_db(st)) == 0 ? KH_OK :
	    kh_store_chain_inserted(st, "glyph_note", err);
}

static void
row_glyph(sqlite3_stmt *s, void *elem)
{
	struct kh_trail_glyph *g = elem;

	kh_db_col_copy(s, 0, g->doc, sizeof(g->doc));
	g->cp = (uint32_t)sqlite3_column_int64(s, 1);
	kh_db_col_copy(s, 2, g->context, sizeof(g->context));
}

int
kh_results_glyphs(struct kh_store *st, int64_t run_id, struct kh_trail *t,
    struct kh_err *err)
{
	struct kh_trail_glyph *g = NULL;
	size_t n = 0;
	int rc;

	if ((rc = kh_store_load_rows(st, KH_S_GLYPHS, run_id, NULL, &g, &n,
	    sizeof(*g), row_glyph, err)) == KH_OK &&
	    kh_trail_add_glyphs(t, g, n) != 0)
		rc = kh_err_sys(err, KH_FAIL, "out of memory");
	free(g);
	return rc;
}
