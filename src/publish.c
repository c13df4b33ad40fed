/*
 * publish.c — one run's outputs, from STORED results only: a month's
 * folder (scores.csv, a scorecard per manager, the team sheet and public
 * notice, the audit trail) and a year's (annual.csv, annual.pdf), each
 * built aside and swapped into place whole, every file's SHA-256 kept in
 * the output ledger that `kaohe verify` checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "chain.h"
#include "csvout.h"
#include "docs.h"
#include "grow.h"
#include "outdir.h"
#include "results.h"
#include "run.h"
#include "run_int.h"
#include "score.h"
#include "store.h"
#include "trail.h"

/* ---- the trail as plain data (for trail.pdf) ------------------------------ */

struct trail_fill {
	struct kh_trail	*t;
	size_t		 cap_files, cap_targets, cap_records, cap_record_files,
			 cap_events;
};

static int
fill_file(const struct kh_ledger_entry *e, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_file *x;

	if (kh_grow(&f->t->files, &f->cap_files, f->t->n_files,
	    sizeof(*x)) != 0)
		return KH_FAIL;
	x = &f->t->files[f->t->n_files++];
	memset(x, 0, sizeof(*x));
	x->id = e->id;
	kh_run_scopy(x->name, sizeof(x->name), e->name);
	kh_run_scopy(x->kind, sizeof(x->kind), e->kind);
	kh_run_scopy(x->period, sizeof(x->period), e->period);
	kh_run_scopy(x->generated, sizeof(x->generated), e->generated);
	kh_run_scopy(x->sha256, sizeof(x->sha256), e->sha256);
	kh_run_scopy(x->imported_at, sizeof(x->imported_at), e->imported_at);
	kh_run_scopy(x->encoding, sizeof(x->encoding), e->encoding);
	kh_run_scopy(x->summary, sizeof(x->summary), e->summary);
	if (e->superseded_by != 0)
		snprintf(x->outcome, sizeof(x->outcome), "被 #%ld 取代 (%s)",
		    e->superseded_by, e->superseded_by_generated);
	else
		snprintf(x->outcome, sizeof(x->outcome), "有效");
	return KH_OK;
}

static int
fill_targets(const struct kh_targets_revision *rev, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_target *x;
	size_t i;

	for (i = 0; i < rev->n_targets; i++) {
		if (kh_grow(&f->t->targets, &f->cap_targets, f->t->n_targets,
		    sizeof(*x)) != 0)
			return KH_FAIL;
		x = &f->t->targets[f->t->n_targets++];
		memset(x, 0, sizeof(*x));
		x->file_id = rev->file_id;
		kh_run_scopy(x->generated, sizeof(x->generated), rev->generated);
		x->in_force = rev->in_force;
		kh_run_scopy(x->manager, sizeof(x->manager), rev->targets[i].manager);
		kh_run_scopy(x->indicator, sizeof(x->indicator), rev->targets[i].indicator);
		x->value = rev->targets[i].value;
		x->has_points = rev->targets[i].has_points;
		x->points = rev->targets[i].points;
	}
	return KH_OK;
}

static int
fill_record(const struct kh_trail_record *rec, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail *t = f->t;

	if (kh_grow(&t->records, &f->cap_records, t->n_records,
	    sizeof(*t->records)) != 0 ||
	    kh_grow(&t->record_file, &f->cap_record_files, t->n_records,
	    sizeof(*t->record_file)) != 0)
		return KH_FAIL;
	t->records[t->n_records] = rec->r;
	kh_run_scopy(t->record_file[t->n_records], sizeof(*t->record_file),
	    rec->file);
	t->n_records++;
	return KH_OK;
}

static int
fill_event(const struct kh_month_event *e, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_event *x;

	if (kh_grow(&f->t->events, &f->cap_events, f->t->n_events,
	    sizeof(*x)) != 0)
		return KH_FAIL;
	x = &f->t->events[f->t->n_events++];
	memset(x, 0, sizeof(*x));
	kh_run_scopy(x->at, sizeof(x->at), e->at);
	kh_run_scopy(x->action, sizeof(x->action), e->event);
	if ((x->reason = strdup(e->reason)) == NULL)	/* kept whole */
		return KH_FAIL;
	return KH_OK;
}

static int
load_trail(struct kh_run *r, const char *month, struct kh_trail *t,
    struct kh_err *err)
{
	struct trail_fill f;
	int st;

	memset(t, 0, sizeof(*t));
	memset(&f, 0, sizeof(f));
	f.t = t;
	kh_run_scopy(t->month, sizeof(t->month), month);
	if ((st = kh_store_trail_ledger(r->store, month, fill_file, &f, err))
	    != KH_OK ||
	    (st = kh_store_trail_targets(r->store, month, fill_targets, &f,
	    err)) != KH_OK ||
	    (st = kh_store_trail_records(r->store, month, NULL, fill_record,
	    &f, err)) != KH_OK ||
	    (st = kh_store_trail_events(r->store, month, fill_event, &f,
	    err)) != KH_OK) {
		if (err->msg[0] == '\0')
			kh_err_sys(err, KH_FAIL, "out of memory");
		kh_trail_clear(t);
	}
	return st;
}

/* ---- rendering ----------------------------------------------------------- */

/*
 * A manager id as a file name: ids are [0-9A-Za-z_.-]{1,32} (checked at
 * import), so only a leading dot ("..", ".x") could misbehave.
 */
static void
safe_name(const char *id, char out[40])
{
	snprintf(out, 40, "%s%s", id[0] == '.' ? "_" : "", id);
}

struct render_job {
	struct kh_run		*r;
	const char		*month;
	const char		*relroot;	/* "2013-05" or "2013" */
	const char		*doc;		/* file being written, relative */
	struct kh_outdir	*od;
	struct kh_pathlist		 written;	/* paths relative to relroot */
	struct kh_trail_glyph	*glyphs;	/* drawn as 〓, for the trail */
	size_t			 n_glyphs, cap_glyphs;
};

/*
 * A character the font lacks: warn (naming the document and the text it
 * stood in, so the manager or record can be found) and keep it for the
 * trail and the database.
 */
static void
on_missing(void *arg, const char *doc, const struct kh_missing *m)
{
	struct render_job *j = arg;
	struct kh_trail_glyph *g;

	(void)doc;
	kh_run_sayf(j->r, KH_SAY_WARN, "%s/%s: U+%04X is not in the font, drawn as "
	    "〓 (in \"%s\")", j->relroot, j->doc, (unsigned)m->cp, m->context);
	if (kh_grow(&j->glyphs, &j->cap_glyphs, j->n_glyphs,
	    sizeof(*g)) != 0)
		return;
	g = &j->glyphs[j->n_glyphs++];
	memset(g, 0, sizeof(*g));
	kh_run_scopy(g->doc, sizeof(g->doc), j->doc);
	g->cp = m->cp;
	kh_run_scopy(g->context, sizeof(g->context), m->context);
}

static int
job_path(struct render_job *j, const char *rel, char path[4096])
{
	if ((size_t)snprintf(path, 4096, "%s/%s", kh_outdir_path(j->od), rel)
	    >= 4096)
		return -1;
	if (kh_pathlist_add(&j->written, rel) != 0)
		return -1;
	j->doc = j->written.v[j->written.n - 1];
	return 0;
}

/* Record each written file's SHA-256, then swap the folder into place. */
static int
job_commit(struct render_job *j, int64_t run_id, struct kh_err *err)
{
	char path[8448], rel[4200], hex[KH_SHA256_HEX];
	size_t i;
	int st;

	if ((st = kh_store_begin(j->r->store, err)) != KH_OK)
		return st;
	for (i = 0; i < j->written.n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    kh_outdir_path(j->od), j->written.v[i]) >= sizeof(path) ||
		    (size_t)snprintf(rel, sizeof(rel), "%s/%s", j->relroot,
		    j->written.v[i]) >= sizeof(rel)) {
			st = kh_err_sys(err, KH_FAIL, "output path too long");
			goto fail;
		}
		if ((st = kh_sha256_file(path, hex, err)) != KH_OK ||
		    (st = kh_results_note_output(j->r->store, run_id, rel, hex,
		    err)) != KH_OK)
			goto fail;
	}
	for (i = 0; i < j->n_glyphs; i++)
		if ((st = kh_results_note_glyph(j->r->store, run_id,
		    j->glyphs[i].doc, j->glyphs[i].cp, j->glyphs[i].context,
		    err)) != KH_OK)
			goto fail;
	if ((st = kh_outdir_commit(j->od, err)) != KH_OK)
		goto fail;
	return kh_store_commit(j->r->store, err);
fail:
	kh_store_rollback(j->r->store);
	return st;
}

static int
write_csv(struct render_job *j, const struct kh_scheme *s,
    const struct kh_month_result *res, int final, struct kh_err *err)
{
	char path[4096];
	FILE *f;
	int st;

	if (job_path(j, "scores.csv", path) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((f = fopen(path, "wb")) == NULL)
		return kh_err_sys(err, KH_FAIL, "%s: %s", path,
		    strerror(errno));
	st = kh_csv_write_scores(f, s, res, final ? "final" : "provisional",
	    err);
	if (fclose(f) != 0 && st == KH_OK)
		st = kh_err_sys(err, KH_FAIL, "%s: %s", path, strerror(errno));
	return st;
}

/*
 * Year-to-date totals of every manager of res (in res's order): this
 * month's plus those of the year's earlier closed months.  Each earlier
 * month is read once, whatever the size of the team.
 */
static int
ytd_totals(struct kh_run *r, const char *month,
    const struct kh_month_result *res, int64_t **out, struct kh_err *err)
{
	struct kh_month_result prev;
	struct kh_run_meta meta;
	char m[32];
	int64_t *sum;
	int y = atoi(month), mo = atoi(month + 5), k, closed, st;
	size_t i, p;

	if ((sum = calloc(res->n + 1, sizeof(*sum))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	for (i = 0; i < res->n; i++)
		sum[i] = res->results[i].incomplete ? 0 : res->results[i].total;
	for (k = 1; k < mo; k++) {
		snprintf(m, sizeof(m), "%04d-%02d", y % 10000, k);
		if ((st = kh_store_month_closed(r->store, m, &closed, err))
		    != KH_OK) {
			free(sum);
			return st;
		}
		if (!closed)
			continue;
		if ((st = kh_results_load(r->store, m, &prev, &meta, err))
		    != KH_OK) {
			free(sum);
			return st;
		}
		for (p = 0; p < prev.n; p++) {
			if (prev.results[p].incomplete)
				continue;
			for (i = 0; i < res->n; i++)
				if (strcmp(prev.results[p].manager,
				    res->results[i].manager) == 0)
					sum[i] += prev.results[p].total;
		}
		kh_month_result_clear(&prev);
	}
	*out = sum;
	return KH_OK;
}

static int
write_docs(struct render_job *j, struct kh_docs_ctx *ctx,
    const struct kh_month_result *res, struct kh_err *err)
{
	struct kh_trail trail;
	char path[4096], rel[64], name[40];
	int64_t *ytd = NULL;
	size_t i, ranked = 0;
	int st;

	for (i = 0; i < res->n; i++)
		if (res->results[i].rank > 0)
			ranked++;
	if ((st = kh_outdir_mkdir(j->od, "scorecards", err)) != KH_OK)
		return st;
	if ((st = ytd_totals(j->r, j->month, res, &ytd, err)) != KH_OK)
		return st;
	for (i = 0; i < res->n; i++) {
		safe_name(res->results[i].manager, name);
		snprintf(rel, sizeof(rel), "scorecards/%s.pdf", name);
		if (job_path(j, rel, path) != 0)
			st = kh_err_sys(err, KH_FAIL, "out of memory");
		else
			st = kh_docs_scorecard(ctx, res, &res->results[i],
			    ytd[i], ranked, path, err);
		if (st != KH_OK) {
			free(ytd);
			return st;
		}
	}
	free(ytd);
	if (job_path(j, "team.pdf", path) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((st = kh_docs_team(ctx, res, path, err)) != KH_OK)
		return st;
	if ((st = load_trail(j->r, j->month, &trail, err)) != KH_OK)
		return st;
	if (j->n_glyphs > 0 && (trail.glyphs = calloc(j->n_glyphs,
	    sizeof(*trail.glyphs))) != NULL) {
		memcpy(trail.glyphs, j->glyphs, j->n_glyphs *
		    sizeof(*trail.glyphs));
		trail.n_glyphs = j->n_glyphs;
	}
	if (job_path(j, "trail.pdf", path) != 0)
		st = kh_err_sys(err, KH_FAIL, "out of memory");
	else
		st = kh_docs_trail(ctx, res, &trail, path, err);
	kh_trail_clear(&trail);
	return st;
}

static void
docs_ctx(struct kh_run *r, const struct kh_scheme *s,
    const struct kh_run_meta *meta, int final, char unit[KH_CODE_MAX],
    char unit_name[256], struct render_job *j, struct kh_docs_ctx *ctx)
{
	struct kh_err err;

	kh_err_clear(&err);
	if (kh_store_unit(r->store, unit, unit_name, &err) != KH_OK)
		unit[0] = unit_name[0] = '\0';
	memset(ctx, 0, sizeof(*ctx));
	ctx->templates_dir = r->opts.templates;
	ctx->scheme = s;
	ctx->calendar = r->calendar;
	ctx->unit_code = unit;
	/* an export without unit-name: the code, set apart from the title */
	if (unit_name[0] == '\0')
		snprintf(unit_name, 256, "%s ", unit);
	ctx->unit_name = unit_name;
	ctx->final = final;
	ctx->meta = meta;
	ctx->missing = on_missing;
	ctx->missing_arg = j;
}

int
kh_run_render_month(struct kh_run *r, const char *month)
{
	struct render_job j;
	struct kh_month_result res;
	struct kh_run_meta meta;
	struct kh_docs_ctx ctx;
	const struct kh_scheme *s;
	struct kh_err err;
	char unit[KH_CODE_MAX], unit_name[256];
	int st, closed;

	memset(&j, 0, sizeof(j));
	memset(&res, 0, sizeof(res));
	kh_err_clear(&err);
	j.r = r;
	j.month = month;
	j.relroot = month;
	if ((st = kh_run_month_closed(r, month, &closed)) != KH_OK)
		return st;
	if ((st = kh_results_load(r->store, month, &res, &meta, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_run_scheme(r, kh_run_month_year(month), &s, &err)) != KH_OK)
		goto out;
	kh_outdir_sweep(r->opts.output);
	if ((st = kh_outdir_begin(r->opts.output, month, &j.od, &err))
	    != KH_OK)
		goto out;
	docs_ctx(r, s, &meta, closed, unit, unit_name, &j, &ctx);
	if ((st = write_csv(&j, s, &res, closed, &err)) != KH_OK ||
	    (st = write_docs(&j, &ctx, &res, &err)) != KH_OK ||
	    (st = job_commit(&j, meta.run_id, &err)) != KH_OK)
		goto out;
	kh_run_sayf(r, KH_SAY_INFO, "%s/%s/: scores.csv, %zu scorecards, team.pdf, "
	    "trail.pdf (%s)", r->opts.output, month, res.n,
	    closed ? "final" : "provisional");
out:
	kh_outdir_free(j.od);
	kh_pathlist_free(&j.written);
	free(j.glyphs);
	kh_month_result_clear(&res);
	return kh_run_say_err(r, &err, st);
}

/* ---- the year ------------------------------------------------------------ */

int
kh_run_annual(struct kh_run *r, int year)
{
	struct render_job j;
	struct kh_month_result months[12];
	struct kh_run_meta meta, last;
	struct kh_annual_row *rows = NULL;
	struct kh_docs_ctx ctx;
	const struct kh_scheme *s;
	struct kh_err err;
	char m[32], path[4096], unit[KH_CODE_MAX], unit_name[256], yname[8];
	size_t n = 0, nrows = 0, i;
	int st, closed, k;
	FILE *f;

	memset(&j, 0, sizeof(j));
	memset(&last, 0, sizeof(last));
	kh_err_clear(&err);
	j.r = r;
	snprintf(yname, sizeof(yname), "%04d", year % 10000);
	j.relroot = yname;
	for (k = 1; k <= 12; k++) {
		snprintf(m, sizeof(m), "%04d-%02d", year % 10000, k);
		if ((st = kh_store_month_closed(r->store, m, &closed, &err))
		    != KH_OK)
			goto out;
		if (!closed)
			continue;
		if ((st = kh_results_load(r->store, m, &months[n], &meta,
		    &err)) != KH_OK)
			goto out;
		last = meta;
		n++;
	}
	if (n == 0) {
		st = kh_err_sys(&err, KH_REJECT, "no month of %d is closed yet "
		    "(kaohe close YYYY-MM)", year);
		goto out;
	}
	if ((st = kh_run_scheme(r, year, &s, &err)) != KH_OK ||
	    (st = kh_score_year(months, n, &rows, &nrows, &err)) != KH_OK)
		goto out;
	if ((st = kh_outdir_begin(r->opts.output, yname, &j.od, &err))
	    != KH_OK)
		goto out;
	if (job_path(&j, "annual.csv", path) != 0 ||
	    (f = fopen(path, "wb")) == NULL) {
		st = kh_err_sys(&err, KH_FAIL, "%s: cannot write", path);
		goto out;
	}
	st = kh_csv_write_annual(f, year, rows, nrows, &err);
	if (fclose(f) != 0 && st == KH_OK)
		st = kh_err_sys(&err, KH_FAIL, "%s: %s", path, strerror(errno));
	if (st != KH_OK)
		goto out;
	docs_ctx(r, s, &last, 1, unit, unit_name, &j, &ctx);
	if (job_path(&j, "annual.pdf", path) != 0) {
		st = kh_err_sys(&err, KH_FAIL, "out of memory");
		goto out;
	}
	if ((st = kh_docs_annual(&ctx, year, months, n, rows, nrows, path,
	    &err)) != KH_OK ||
	    (st = job_commit(&j, last.run_id, &err)) != KH_OK)
		goto out;
	kh_run_sayf(r, KH_SAY_INFO, "%s/%04d/: annual.csv, annual.pdf (%zu closed "
	    "month(s), %zu managers)", r->opts.output, year % 10000, n, nrows);
out:
	for (i = 0; i < n; i++)
		kh_month_result_clear(&months[i]);
	kh_annual_free(rows);
	kh_outdir_free(j.od);
	kh_pathlist_free(&j.written);
	free(j.glyphs);
	return kh_run_say_err(r, &err, st);
}

