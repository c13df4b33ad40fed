/*
 * publish.c — one run's outputs, from stored results only (see
 * publish.h): each folder built aside and swapped into place whole, its
 * files recorded in the output ledger in the same transaction.
 */
#define _GNU_SOURCE	/* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "chain.h"
#include "crashpoint.h"
#include "csvout.h"
#include "docs.h"
#include "fname.h"
#include "grow.h"
#include "outdir.h"
#include "pathlist.h"
#include "publish.h"
#include "results.h"
#include "score.h"
#include "session.h"
#include "store.h"
#include "trail.h"
#include "utf8.h"

/* ---- rendering ----------------------------------------------------------- */

/*
 * "scorecards/<name>.pdf" of a manager id, the name one to one (fname.h):
 * ".a" and "_.a" get two scorecards, and no name starts with a dot.
 */
static int
scorecard_rel(const char *id, char rel[128])
{
	char name[KH_FNAME_MAX];

	if (kh_fname_encode(id, name, sizeof(name)) != 0)
		return -1;
	snprintf(rel, 128, "scorecards/%s.pdf", name);
	return 0;
}

struct render_job {
	struct kh_session	*s;
	const char		*month;
	const char		*relroot;	/* "2013-05" or "2013" */
	const char		*doc;		/* file being written, relative */
	struct kh_outdir	*od;
	struct kh_pathlist		 written;	/* paths relative to relroot */
	struct kh_trail_glyph	*glyphs;	/* drawn as 〓, for the trail */
	size_t			 n_glyphs, cap_glyphs;
	int			 glyph_lost;	/* one could not be kept */
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
	kh_sayf(j->s, KH_SAY_WARN, "%s/%s: U+%04X is not in the font, drawn as "
	    "〓 (in \"%s\")", j->relroot, j->doc, (unsigned)m->cp, m->context);
	if (kh_grow(&j->glyphs, &j->cap_glyphs, j->n_glyphs,
	    sizeof(*g)) != 0) {
		j->glyph_lost = 1;	/* job_commit refuses to record */
		return;
	}
	g = &j->glyphs[j->n_glyphs++];
	memset(g, 0, sizeof(*g));
	kh_utf8_copy(g->doc, sizeof(g->doc), j->doc);
	g->cp = m->cp;
	kh_utf8_copy(g->context, sizeof(g->context), m->context);
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

/* The written file synced to disk, then its SHA-256 read back. */
static int
hash_synced(const char *path, char hex[KH_SHA256_HEX], struct kh_err *err)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return kh_err_sys(err, KH_FAIL, "%s: %s", path, strerror(errno));
	rc = fsync(fd);
	close(fd);
	if (rc != 0)
		return kh_err_sys(err, KH_FAIL, "%s: %s", path, strerror(errno));
	return kh_sha256_file(path, hex, err) == KH_OK ? KH_OK : KH_FAIL;
}

/*
 * Inside the caller's transaction: record the publication (every file's
 * SHA-256, read back from the synced file) and the characters drawn as
 * 〓, commit, then swap the folder into place.  The commit is the point
 * of no return: a crash before it leaves the record and the folder as
 * they were; a crash after it leaves the built folder aside, complete
 * and synced, and the next command puts it in place (kh_publish_recover).
 */
static int
job_commit(struct render_job *j, int64_t run_id, const char *state,
    const struct kh_link *anchor, struct kh_err *err)
{
	struct kh_publication p;
	char path[8448], (*sha)[KH_SHA256_HEX] = NULL;
	size_t i;
	int st = KH_FAIL, recorded;

	/* the trail must say every character not printed as written */
	if (j->glyph_lost)
		return kh_err_sys(err, KH_FAIL, "out of memory: a character "
		    "drawn as 〓 could not be noted");
	if ((sha = calloc(j->written.n + 1, sizeof(*sha))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	for (i = 0; i < j->written.n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    kh_outdir_path(j->od), j->written.v[i]) >= sizeof(path)) {
			st = kh_err_sys(err, KH_FAIL, "output path too long");
			goto out;
		}
		if ((st = hash_synced(path, sha[i], err)) != KH_OK)
			goto out;
	}
	memset(&p, 0, sizeof(p));
	p.root = j->relroot;
	p.run_id = run_id;
	p.state = state;
	p.anchor_seq = anchor->seq;
	p.anchor_hash = anchor->hash;
	p.paths = (const char *const *)j->written.v;
	p.sha256 = (const char (*)[KH_SHA256_HEX])sha;
	p.n = j->written.n;
	if ((st = kh_results_publish(j->s->store, &p, &recorded, err)) != KH_OK)
		goto out;
	for (i = 0; i < j->n_glyphs; i++)
		if ((st = kh_results_note_glyph(j->s->store, run_id,
		    j->glyphs[i].doc, j->glyphs[i].cp, j->glyphs[i].context,
		    err)) != KH_OK)
			goto out;
	kh_outdir_sync(j->od);
	kh_crashpoint("publish-before-commit");
	if ((st = kh_store_commit(j->s->store, err)) != KH_OK)
		goto out;
	kh_crashpoint("publish-committed");
	if ((st = kh_outdir_commit(j->od, err)) != KH_OK) {
		/* recorded: keep the built folder for kh_publish_recover */
		kh_outdir_keep(j->od);
		goto out;
	}
	kh_crashpoint("publish-swapped");
out:
	kh_store_rollback(j->s->store);		/* idle after a commit */
	free(sha);
	return st;
}

static int
write_csv(struct render_job *j, const struct kh_scheme *scheme,
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
	st = kh_csv_write_scores(f, scheme, res, final ? "final" : "provisional",
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
ytd_totals(struct kh_session *s, const char *month,
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
		if ((st = kh_store_month_closed(s->store, m, &closed, err))
		    != KH_OK) {
			free(sum);
			return st;
		}
		if (!closed)
			continue;
		if ((st = kh_results_load(s->store, m, &prev, &meta, err))
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
	char path[4096], rel[128];
	int64_t *ytd = NULL;
	size_t i, ranked = 0;
	int st;

	for (i = 0; i < res->n; i++)
		if (res->results[i].rank > 0)
			ranked++;
	if ((st = kh_outdir_mkdir(j->od, "scorecards", err)) != KH_OK)
		return st;
	if ((st = ytd_totals(j->s, j->month, res, &ytd, err)) != KH_OK)
		return st;
	for (i = 0; i < res->n; i++) {
		if (scorecard_rel(res->results[i].manager, rel) != 0)
			st = kh_err_sys(err, KH_FAIL, "manager id \"%s\" cannot be "
			    "a file name", res->results[i].manager);
		else if (job_path(j, rel, path) != 0)
			st = kh_err_sys(err, KH_FAIL, "out of memory");
		else
			st = kh_docs_scorecard(ctx, res, &res->results[i],
			    ytd[i], ranked, path, err);
		kh_crashpoint("render-doc");
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
	/* the trail with the characters the documents above could not draw */
	if ((st = kh_store_trail_load(j->s->store, j->month, NULL, &trail,
	    err)) != KH_OK)
		return st;
	if (kh_trail_add_glyphs(&trail, j->glyphs, j->n_glyphs) != 0 ||
	    job_path(j, "trail.pdf", path) != 0)
		st = kh_err_sys(err, KH_FAIL, "out of memory");
	else
		st = kh_docs_trail(ctx, res, &trail, path, err);
	kh_trail_clear(&trail);
	return st;
}

static void
docs_ctx(struct kh_session *s, const struct kh_scheme *scheme,
    const struct kh_run_meta *meta, int final, char unit[KH_CODE_MAX],
    char unit_name[256], struct render_job *j, struct kh_docs_ctx *ctx)
{
	struct kh_err err;

	kh_err_clear(&err);
	if (kh_store_unit(s->store, unit, unit_name, &err) != KH_OK)
		unit[0] = unit_name[0] = '\0';
	memset(ctx, 0, sizeof(*ctx));
	ctx->templates_dir = s->opts.templates;
	ctx->scheme = scheme;
	ctx->calendar = s->calendar;
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

/*
 * What the documents of a month print as the record they were made from:
 * the month's close when it is closed (final), else the scoring run.
 * Both are links that exist before the documents are drawn, so the same
 * stored record always prints the same anchor and renders the same bytes.
 */
static int
month_anchor(struct kh_session *s, const char *month, int closed,
    const struct kh_run_meta *meta, struct kh_link *anchor, char at[32],
    struct kh_err *err)
{
	int found = 0, st;

	if (closed && (st = kh_store_month_close_link(s->store, month, anchor,
	    at, &found, err)) != KH_OK)
		return st;
	if (!found) {
		anchor->seq = meta->link_seq;
		kh_utf8_copy(anchor->hash, sizeof(anchor->hash), meta->link_hash);
		kh_utf8_copy(at, 32, meta->scored_at);
	}
	return KH_OK;
}

/*
 * Publish a month: its folder from the stored results, and with it, in
 * the same transaction, the month event that changes its state (close:
 * the month becomes final only together with its final outputs; reopen:
 * provisional again with provisional outputs).  A failure at any point
 * leaves the month in its previous state with its previous outputs.
 */
int
kh_publish_month(struct kh_session *s, const char *month, enum kh_pub_event ev,
    const char *reason)
{
	struct render_job j;
	struct kh_month_result res;
	struct kh_run_meta meta;
	struct kh_docs_ctx ctx;
	struct kh_link anchor;
	const struct kh_scheme *scheme;
	struct kh_err err;
	char unit[KH_CODE_MAX], unit_name[256], at[32];
	int st, closed;

	memset(&j, 0, sizeof(j));
	memset(&res, 0, sizeof(res));
	memset(&anchor, 0, sizeof(anchor));
	kh_err_clear(&err);
	j.s = s;
	j.month = month;
	j.relroot = month;
	if ((st = kh_results_load(s->store, month, &res, &meta, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_session_scheme(s, atoi(month), &scheme, &err)) != KH_OK)
		goto out;
	if ((st = kh_publish_recover(s)) != KH_OK)
		goto out;
	if ((st = kh_outdir_begin(s->opts.output, month, &j.od, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_store_begin(s->store, &err)) != KH_OK)
		goto out;
	if (ev == KH_PUB_CLOSE)
		st = kh_store_close_month(s->store, month, &err);
	else if (ev == KH_PUB_REOPEN)
		st = kh_store_reopen_month(s->store, month, reason, &err);
	if (st != KH_OK ||
	    (st = kh_store_month_closed(s->store, month, &closed, &err))
	    != KH_OK ||
	    (st = month_anchor(s, month, closed, &meta, &anchor, at, &err))
	    != KH_OK)
		goto out;
	kh_crashpoint("publish-event");
	docs_ctx(s, scheme, &meta, closed, unit, unit_name, &j, &ctx);
	ctx.anchor_seq = anchor.seq;
	ctx.anchor_hash = anchor.hash;
	ctx.anchor_at = at;
	if ((st = write_csv(&j, scheme, &res, closed, &err)) != KH_OK ||
	    (st = write_docs(&j, &ctx, &res, &err)) != KH_OK ||
	    (st = job_commit(&j, meta.run_id, closed ? "final" : "provisional",
	    &anchor, &err)) != KH_OK)
		goto out;
	kh_sayf(s, KH_SAY_INFO, "%s/%s/: scores.csv, %zu scorecards, team.pdf, "
	    "trail.pdf (%s)", s->opts.output, month, res.n,
	    closed ? "final" : "provisional");
out:
	kh_store_rollback(s->store);
	kh_outdir_free(j.od);
	kh_pathlist_free(&j.written);
	free(j.glyphs);
	kh_month_result_clear(&res);
	return kh_say_err(s, &err, st);
}

/* ---- completing an interrupted publication -------------------------------- */

static void
count_only(void *ctx, const char *path, const char *problem)
{
	(void)ctx;
	(void)path;
	(void)problem;
}

/* Whether pid may still be at work (its folder is not ours to touch). */
static int
pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/*
 * ".2013-05.tmp-4242" -> root "2013-05", pid 4242; 0 if name is not the
 * folder of a publication being built.
 */
static int
leftover_name(const char *name, char root[64], long *pid)
{
	const char *t = strstr(name, ".tmp-");
	char *end;
	size_t len;

	if (name[0] != '.' || t == NULL || (len = (size_t)(t - name - 1)) == 0
	    || len >= 64)
		return 0;
	memcpy(root, name + 1, len);
	root[len] = '\0';
	*pid = strtol(t + 5, &end, 10);
	return *end == '\0';
}

static int
matches(struct kh_session *s, const char *root, const char *dir, int *yes,
    struct kh_err *err)
{
	int bad = 0, st;

	if ((st = kh_results_check_dir(s->store, root, dir, count_only, NULL,
	    &bad, err)) != KH_OK)
		return st;
	*yes = bad == 0;
	return KH_OK;
}

/*
 * Whether root's publication was interrupted after it was recorded: the
 * folder of a dead run beside it holds exactly the latest publication of
 * root while root itself does not.  Its path goes to leftover.
 */
int
kh_publish_pending(struct kh_session *s, const char *root, char *leftover,
    size_t len, struct kh_err *err)
{
	DIR *d;
	struct dirent *e;
	char name[64], cur[4096];
	long pid;
	int ok, pending = 0, st = KH_OK;

	if ((d = opendir(s->opts.output)) == NULL)
		return 0;
	snprintf(cur, sizeof(cur), "%s/%s", s->opts.output, root);
	while (!pending && st == KH_OK && (e = readdir(d)) != NULL) {
		if (!leftover_name(e->d_name, name, &pid) || pid_alive(pid) ||
		    strcmp(name, root) != 0)
			continue;
		snprintf(leftover, len, "%s/%s", s->opts.output, e->d_name);
		if ((st = matches(s, root, leftover, &ok, err)) != KH_OK || !ok)
			continue;
		if ((st = matches(s, root, cur, &ok, err)) == KH_OK && !ok)
			pending = 1;
	}
	closedir(d);
	return st != KH_OK ? -1 : pending;
}

/*
 * A run killed after committing a publication but before swapping its
 * folder into place left that folder aside, complete and synced: put it
 * in place now, so that the folder is what the record says it is.  Then
 * sweep what dead runs left.  Called before every publication; it only
 * acts on folders of dead processes.
 */
static int
recover_root(const char *root, void *arg)
{
	struct kh_session *s = arg;
	struct kh_err err;
	char left[4096], cur[4096];
	int p;

	kh_err_clear(&err);
	if ((p = kh_publish_pending(s, root, left, sizeof(left), &err)) <= 0)
		return p < 0 ? kh_say_err(s, &err, KH_FAIL) : KH_OK;
	snprintf(cur, sizeof(cur), "%s/%s", s->opts.output, root);
	if (renameat2(AT_FDCWD, left, AT_FDCWD, cur, RENAME_EXCHANGE) != 0 &&
	    (errno != ENOENT || rename(left, cur) != 0)) {
		kh_sayf(s, KH_SAY_ERROR, "cannot complete the interrupted "
		    "publication of %s: %s", cur, strerror(errno));
		return KH_FAIL;
	}
	kh_fsync_dir(s->opts.output);
	kh_sayf(s, KH_SAY_WARN, "%s: an interrupted publication was "
	    "completed (the record had it, the folder did not)", cur);
	return KH_OK;
}

int
kh_publish_recover(struct kh_session *s)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	st = kh_results_roots(s->store, recover_root, s, &err);
	if (st == KH_OK)
		kh_outdir_sweep(s->opts.output);
	return err.msg[0] != '\0' ? kh_say_err(s, &err, st) : st;
}

/* ---- the year ------------------------------------------------------------ */

int
kh_publish_annual(struct kh_session *s, int year)
{
	struct render_job j;
	struct kh_month_result months[12];
	struct kh_run_meta meta, last;
	struct kh_link anchor;
	struct kh_annual_row *rows = NULL;
	struct kh_docs_ctx ctx;
	const struct kh_scheme *scheme;
	struct kh_err err;
	char m[32], path[4096], unit[KH_CODE_MAX], unit_name[256], yname[8];
	size_t n = 0, nrows = 0, i;
	int st, closed, k;
	FILE *f;

	memset(&j, 0, sizeof(j));
	memset(&last, 0, sizeof(last));
	memset(&anchor, 0, sizeof(anchor));
	kh_err_clear(&err);
	j.s = s;
	snprintf(yname, sizeof(yname), "%04d", year % 10000);
	j.relroot = yname;
	for (k = 1; k <= 12; k++) {
		snprintf(m, sizeof(m), "%04d-%02d", year % 10000, k);
		if ((st = kh_store_month_closed(s->store, m, &closed, &err))
		    != KH_OK)
			goto out;
		if (!closed)
			continue;
		if ((st = kh_results_load(s->store, m, &months[n], &meta,
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
	if ((st = kh_session_scheme(s, year, &scheme, &err)) != KH_OK ||
	    (st = kh_score_year(months, n, &rows, &nrows, &err)) != KH_OK)
		goto out;
	if ((st = kh_publish_recover(s)) != KH_OK ||
	    (st = kh_outdir_begin(s->opts.output, yname, &j.od, &err))
	    != KH_OK || (st = kh_store_begin(s->store, &err)) != KH_OK)
		goto out;
	anchor.seq = last.link_seq;
	kh_utf8_copy(anchor.hash, sizeof(anchor.hash), last.link_hash);
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
	docs_ctx(s, scheme, &last, 1, unit, unit_name, &j, &ctx);
	if (job_path(&j, "annual.pdf", path) != 0) {
		st = kh_err_sys(&err, KH_FAIL, "out of memory");
		goto out;
	}
	if ((st = kh_docs_annual(&ctx, year, months, n, rows, nrows, path,
	    &err)) != KH_OK ||
	    (st = job_commit(&j, last.run_id, "final", &anchor, &err)) != KH_OK)
		goto out;
	kh_sayf(s, KH_SAY_INFO, "%s/%04d/: annual.csv, annual.pdf (%zu closed "
	    "month(s), %zu managers)", s->opts.output, year % 10000, n, nrows);
out:
	kh_store_rollback(s->store);
	for (i = 0; i < n; i++)
		kh_month_result_clear(&months[i]);
	kh_annual_free(rows);
	kh_outdir_free(j.od);
	kh_pathlist_free(&j.written);
	free(j.glyphs);
	return kh_say_err(s, &err, st);
}

