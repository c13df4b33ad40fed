/*
 * test_results.c — kept scoring runs: a result survives the round trip
 * through the database field for field, an unchanged fingerprint stores
 * nothing, a changed one adds a run (history kept, latest in force), the
 * tables refuse UPDATE and DELETE, and the output ledger catches a
 * changed or missing file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "results.h"
#include "store_test_util.h"

struct fixture {
	struct tdir	 dir;
	char		 db[128];
	struct kh_store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kh_err err;

	tdir_make(&f->dir);
	tdir_file(&f->dir, "kaohe.db", f->db, sizeof(f->db));
	if (kh_store_open(f->db, &f->st, &err) != KH_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	kh_store_close(f->st);
	tdir_remove(&f->dir);
	free(f);
	return 0;
}

/* Two managers, one incomplete, with a few lines: a month as scored. */
static void
make_month(struct kh_month_result *mr, int64_t total)
{
	struct kh_result *r;
	struct kh_line *l;

	memset(mr, 0, sizeof(*mr));
	snprintf(mr->month, sizeof(mr->month), "2013-05");
	mr->n = 2;
	mr->results = calloc(2, sizeof(*mr->results));
	r = &mr->results[0];
	snprintf(r->manager, sizeof(r->manager), "KM001");
	snprintf(r->name, sizeof(r->name), "张伟");
	snprintf(r->group, sizeof(r->group), "城区一组");
	r->n_ind = 2;
	snprintf(r->ind[0].code, sizeof(r->ind[0].code), "total_volume");
	r->ind[0].points = 2500;
	r->ind[0].has_target = 1;
	r->ind[0].target = 640;
	r->ind[0].actual = 701;
	r->ind[0].completion = 10950;
	r->ind[0].score = 2500;
	snprintf(r->ind[1].code, sizeof(r->ind[1].code), "revenue_per_case");
	r->ind[1].points = 1500;
	r->quantitative = 2500;
	r->deductions = 250;
	r->bonuses = 150;
	r->qualitative = 3900;
	r->total = total;
	r->rank = 1;
	r = &mr->results[1];
	snprintf(r->manager, sizeof(r->manager), "KM002");
	snprintf(r->name, sizeof(r->name), "李娜");
	r->incomplete = 1;
	snprintf(r->reason, sizeof(r->reason), "未下达卷烟总销量目标");
	mr->n_lines = 2;
	mr->lines = calloc(2, sizeof(*mr->lines));
	l = &mr->lines[0];
	snprintf(l->manager, sizeof(l->manager), "KM001");
	l->seq = 1;
	l->kind = KH_LINE_RECORD;
	snprintf(l->ref, sizeof(l->ref), "KH20130527007");
	snprintf(l->date, sizeof(l->date), "2013-05-27");
	snprintf(l->item, sizeof(l->item), "1.3.2");
	l->count = 2;
	l->has_points = 1;
	l->points = -100;
	snprintf(l->recorder, sizeof(l->recorder), "刘洋");
	snprintf(l->role, sizeof(l->role), "组长");
	snprintf(l->text, sizeof(l->text), "漏访（每户）：2 × -0.50 = -1.00");
	l = &mr->lines[1];
	snprintf(l->manager, sizeof(l->manager), "KM002");
	l->seq = 1;
	l->kind = KH_LINE_INCOMPLETE;
	snprintf(l->text, sizeof(l->text), "无法评分：未下达卷烟总销量目标");
}

static void
make_meta(struct kh_run_meta *m, const char *fingerprint)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->scheme_id, sizeof(m->scheme_id), "2013");
	snprintf(m->scheme_sha256, sizeof(m->scheme_sha256), "%064d", 1);
	snprintf(m->fingerprint, sizeof(m->fingerprint), "%s", fingerprint);
	snprintf(m->scored_at, sizeof(m->scored_at), "2013-06-01 06:00:00");
}

/* Save the two-manager month with total and qualitative base; its run id. */
static int64_t
save_month(struct fixture *f, int64_t total, const char *fingerprint,
    int64_t qual_base, int rank)
{
	struct kh_month_result a;
	struct kh_run_meta meta;
	struct kh_err err;
	int stored;

	make_month(&a, total);
	a.results[0].rank = rank;
	make_meta(&meta, fingerprint);
	meta.qual_base = qual_base;
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	assert_true(stored);
	kh_month_result_clear(&a);
	return meta.run_id;
}

static void
test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result in, out;
	struct kh_run_meta meta, got;
	struct kh_err err;
	int stored;

	make_month(&in, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &in, &meta, &stored, &err),
	    KH_OK);
	assert_true(stored);
	assert_int_equal(kh_results_load(f->st, "2013-05", &out, &got, &err),
	    KH_OK);
	assert_int_equal(got.run_id, meta.run_id);
	assert_string_equal(got.fingerprint, "aaaa");
	assert_string_equal(got.scored_at, "2013-06-01 06:00:00");
	assert_int_equal(out.n, 2);
	/* roster order kept, every field back */
	assert_string_equal(out.results[0].manager, "KM001");
	assert_string_equal(out.results[0].name, "张伟");
	assert_string_equal(out.results[0].group, "城区一组");
	assert_int_equal(out.results[0].n_ind, 2);
	assert_memory_equal(&out.results[0].ind[0], &in.results[0].ind[0],
	    sizeof(in.results[0].ind[0]));
	assert_int_equal(out.results[0].deductions, 250);
	assert_int_equal(out.results[0].bonuses, 150);
	assert_int_equal(out.results[0].qualitative, 3900);
	assert_int_equal(out.results[0].total, 6400);
	assert_int_equal(out.results[0].rank, 1);
	assert_true(out.results[1].incomplete);
	assert_string_equal(out.results[1].reason, "未下达卷烟总销量目标");
	assert_int_equal(out.n_lines, 2);
	assert_memory_equal(&out.lines[0], &in.lines[0], sizeof(in.lines[0]));
	assert_int_equal(out.lines[1].kind, KH_LINE_INCOMPLETE);
	kh_month_result_clear(&in);
	kh_month_result_clear(&out);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	if (sqlite3_prepare_v2(kh_store_db(f->st), sql, -1, &s, NULL)
	    != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Same inputs: nothing new.  New inputs: a new run, the old one kept. */
static void
test_fingerprint_decides(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result a, b, out;
	struct kh_run_meta meta, got;
	struct kh_err err;
	char hex[65];
	int stored;

	make_month(&a, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	assert_false(stored);
	assert_int_equal(count(f, "SELECT count(*) FROM score_run"), 1);
	make_month(&b, 6300);
	make_meta(&meta, "bbbb");
	assert_int_equal(kh_results_save(f->st, &b, &meta, &stored, &err),
	    KH_OK);
	assert_true(stored);
	assert_int_equal(count(f, "SELECT count(*) FROM score_run"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM score_result"), 4);
	assert_int_equal(kh_results_fingerprint(f->st, "2013-05", hex, &err),
	    KH_OK);
	assert_string_equal(hex, "bbbb");
	assert_int_equal(kh_results_load(f->st, "2013-05", &out, &got, &err),
	    KH_OK);
	assert_int_equal(out.results[0].total, 6300);
	kh_month_result_clear(&out);
	/* never scored */
	assert_int_equal(kh_results_load(f->st, "2013-06", &out, &got, &err),
	    KH_REJECT);
	assert_non_null(strstr(err.msg, "not been scored"));
	kh_month_result_clear(&a);
	kh_month_result_clear(&b);
}

static void
test_append_only(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result a;
	struct kh_run_meta meta;
	struct kh_err err;
	sqlite3 *db = kh_store_db(f->st);
	int stored;

	make_month(&a, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE score_result SET "
	    "total = 10000", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM score_line",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM score_run",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(count(f, "SELECT total FROM score_result WHERE "
	    "manager = 'KM001'"), 6400);
	kh_month_result_clear(&a);
}

struct seen {
	char	what[4][128];
	int	n;
};

static void
note(void *arg, const char *path, const char *problem)
{
	struct seen *s = arg;

	if (s->n < 4)
		snprintf(s->what[s->n++], 128, "%s: %s", path, problem);
}

/* Publish files[] (name=content pairs) of root 2013-05 written under dir. */
static int
publish(struct fixture *f, int64_t run, const char *state,
    const char *const *files, size_t n, int *recorded)
{
	struct kh_publication p;
	struct kh_err err;
	char hex[8][KH_SHA256_HEX], rel[64], path[256], dir[160];
	const char *names[8];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/2013-05", f->dir.path);
	mkdir(dir, 0700);
	for (i = 0; i < n; i++) {
		names[i] = files[2 * i];
		snprintf(rel, sizeof(rel), "2013-05/%s", files[2 * i]);
		tdir_write(&f->dir, rel, files[2 * i + 1], 0, path,
		    sizeof(path));
		kh_sha256_buf(files[2 * i + 1], strlen(files[2 * i + 1]),
		    hex[i]);
	}
	memset(&p, 0, sizeof(p));
	p.root = "2013-05";
	p.run_id = run;
	p.state = state;
	p.anchor_seq = 1;
	p.anchor_hash = "x";
	p.paths = names;
	p.sha256 = (const char (*)[KH_SHA256_HEX])hex;
	p.n = n;
	return kh_results_publish(f->st, &p, recorded, &err);
}

static void
test_output_ledger(void **state)
{
	struct fixture *f = *state;
	static const char *const v1[] = { "b.csv", "two", "a.pdf", "one" };
	static const char *const v2[] = { "b.csv", "two", "a.pdf", "One" };
	struct kh_month_result a;
	struct kh_run_meta meta;
	struct kh_err err;
	struct seen seen = { .n = 0 };
	char path[256];
	int stored, recorded;

	make_month(&a, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	assert_int_equal(publish(f, meta.run_id, "provisional", v1, 2,
	    &recorded), KH_OK);
	assert_true(recorded);
	/* publishing the same bytes again adds nothing */
	assert_int_equal(publish(f, meta.run_id, "provisional", v1, 2,
	    &recorded), KH_OK);
	assert_false(recorded);
	assert_int_equal(count(f, "SELECT count(*) FROM output_file"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM publication"), 1);
	/* the same bytes as final are a new publication */
	assert_int_equal(publish(f, meta.run_id, "final", v1, 2, &recorded),
	    KH_OK);
	assert_true(recorded);
	assert_int_equal(kh_results_verify_outputs(f->st, f->dir.path, NULL, note,
	    &seen, &err), KH_OK);
	assert_int_equal(seen.n, 0);
	/* one changed, one gone, one that kaohe never wrote */
	tdir_write(&f->dir, "2013-05/a.pdf", "One", 0, path, sizeof(path));
	tdir_file(&f->dir, "2013-05/b.csv", path, sizeof(path));
	unlink(path);
	tdir_write(&f->dir, "2013-05/extra.pdf", "x", 0, path, sizeof(path));
	assert_int_equal(kh_results_verify_outputs(f->st, f->dir.path, NULL, note,
	    &seen, &err), KH_BROKEN);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.what[0], "2013-05/a.pdf: differs from the "
	    "file kaohe wrote");
	assert_string_equal(seen.what[1], "2013-05/b.csv: missing or "
	    "unreadable");
	assert_string_equal(seen.what[2], "2013-05/extra.pdf: not written by "
	    "kaohe (not in the output ledger)");
	/* a new publication with the changed file: only what it lists counts */
	unlink(path);
	assert_int_equal(publish(f, meta.run_id, "final", v2, 2, &recorded),
	    KH_OK);
	seen.n = 0;
	assert_int_equal(kh_results_verify_outputs(f->st, f->dir.path, NULL, note,
	    &seen, &err), KH_OK);
	/* every row is a link: the record verifies */
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
	kh_month_result_clear(&a);
}

/*
 * The first attack of issue 7: plain INSERTs of a new run in which one
 * manager's total is changed.  It is not in the chain, so it is never
 * loaded (nothing is published from it) and verify names it.
 */
static void
test_planted_run_refused(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result out;
	struct kh_run_meta got;
	struct kh_err err;
	sqlite3 *db = kh_store_db(f->st);

	save_month(f, 6400, "aaaa", 0, 1);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO score_run (id, month,"
	    " scheme_id, scheme_sha256, fingerprint, scored_at) SELECT 99,"
	    " month, scheme_id, scheme_sha256, fingerprint, scored_at FROM"
	    " score_run;"
	    "INSERT INTO score_result SELECT 99, pos, manager, name, grp,"
	    " incomplete, reason, quantitative, deductions, bonuses,"
	    " qualitative, total + 1000, rank FROM score_result;", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(kh_results_load(f->st, "2013-05", &out, &got, &err),
	    KH_BROKEN);
	assert_non_null(strstr(err.msg, "not in the chain"));
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "score_run row 99 was added outside "
	    "the chain"));
}

/* A run's own rows changed behind kaohe's back break its link. */
static void
test_changed_result_refused(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result out;
	struct kh_run_meta got;
	struct kh_err err;
	sqlite3 *db = kh_store_db(f->st);

	save_month(f, 6400, "aaaa", 0, 1);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER score_line_no_update;"
	    "UPDATE score_line SET points = 0", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kh_results_load(f->st, "2013-05", &out, &got, &err),
	    KH_BROKEN);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "score_run row 1 does not match"));
}

/* Rows planted for the next run id make the save refuse, writing nothing. */
static void
test_dirty_run_slot(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result a;
	struct kh_run_meta meta;
	struct kh_err err;
	int stored;

	make_month(&a, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(sqlite3_exec(kh_store_db(f->st), "PRAGMA foreign_keys"
	    " = OFF; INSERT INTO score_line VALUES (1, 'KM001', 9, 0, '', '',"
	    " '', '', 0, 1, 1000, '', '', 'bonus')", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_FAIL);
	assert_non_null(strstr(err.msg, "tampered"));
	assert_int_equal(count(f, "SELECT count(*) FROM score_run"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM chain"), 0);
	/* and verify names the orphan */
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "names a score_run that does not "
	    "exist"));
	kh_month_result_clear(&a);
}

/* Sums are re-added: a total that does not add up, a rank that is wrong. */
static void
test_sums_checked(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;

	save_month(f, 6400, "aaaa", 4000, 1);
	assert_int_equal(kh_results_verify_sums(f->st, &err), KH_OK);
	save_month(f, 6300, "bbbb", 4000, 1);	/* 2500 + 3900 is not 6300 */
	assert_int_equal(kh_results_verify_sums(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "run 2, manager KM001: total is not"));
}

static void
test_sums_qualitative_and_rank(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;

	save_month(f, 6400, "aaaa", 3000, 1);	/* 3000 - 250 + 150: not 3900 */
	assert_int_equal(kh_results_verify_sums(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "qualitative is not"));
}

/* The only ranked manager must be first: rank 2 does not follow. */
static void
test_sums_rank(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;

	save_month(f, 6400, "aaaa", 4000, 2);
	assert_int_equal(kh_results_verify_sums(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "rank does not follow"));
}

static void
test_glyph_notes(void **state)
{
	struct fixture *f = *state;
	struct kh_month_result a;
	struct kh_run_meta meta;
	struct kh_err err;
	struct kh_trail t;
	int stored;

	memset(&t, 0, sizeof(t));
	make_month(&a, 6400);
	make_meta(&meta, "aaaa");
	assert_int_equal(kh_results_save(f->st, &a, &meta, &stored, &err),
	    KH_OK);
	assert_int_equal(kh_results_note_glyph(f->st, meta.run_id,
	    "team.pdf", 0x2A6A5, "张𪚥", &err), KH_OK);
	assert_int_equal(kh_results_note_glyph(f->st, meta.run_id,
	    "team.pdf", 0x2A6A5, "张𪚥", &err), KH_OK);
	assert_int_equal(kh_results_glyphs(f->st, meta.run_id, &t, &err),
	    KH_OK);
	assert_int_equal(t.n_glyphs, 1);
	assert_string_equal(t.glyphs[0].doc, "team.pdf");
	assert_int_equal(t.glyphs[0].cp, 0x2A6A5);
	assert_string_equal(t.glyphs[0].context, "张𪚥");
	kh_trail_clear(&t);
	kh_month_result_clear(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_planted_run_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_result_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirty_run_slot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sums_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sums_qualitative_and_rank,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sums_rank, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fingerprint_decides, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_output_ledger, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_glyph_notes, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
