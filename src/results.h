/*
 * results.h — the scored months, kept: every scoring run of a month with
 * its results, indicator lines and explanation lines, append-only, plus
 * the ledger of rendered output files (path, SHA-256) that `kaohe verify`
 * checks.  Part of the storage layer: it works on store.c's database.
 *
 * A month's current results are those of its latest run.  A rerun whose
 * input fingerprint equals the latest run's stores nothing, so running
 * twice leaves the database (and the rendered files) unchanged.
 */
#ifndef KH_RESULTS_H
#define KH_RESULTS_H

#include <stdint.h>

#include "err.h"
#include "score.h"
struct kh_store;

/* What a run was made of; printed in footers and the trail. */
struct kh_run_meta {
	int64_t		run_id;
	char		month[KH_MONTH_MAX];
	char		scheme_id[KH_CODE_MAX];
	char		scheme_sha256[65];
	char		fingerprint[65];	/* SHA-256 of the canonical inputs */
	char		scored_at[32];		/* "2013-06-03T08:00:00+08:00" style */
};

/* Create the tables if missing (run.c calls it after kh_store_open). */
int	kh_results_migrate(struct kh_store *, struct kh_err *);

/*
 * Store a month's results as a new run unless the latest run of the month
 * has the same fingerprint.  *stored says which; meta->run_id is the run
 * now current either way.
 */
int	kh_results_save(struct kh_store *, const struct kh_month_result *,
	    struct kh_run_meta *meta, int *stored, struct kh_err *);
/* The latest run of month: results, lines and meta.  KH_REJECT if none. */
int	kh_results_load(struct kh_store *, const char *month,
	    struct kh_month_result *, struct kh_run_meta *, struct kh_err *);
/* Latest-run fingerprint of month into hex, "" if never scored. */
int	kh_results_fingerprint(struct kh_store *, const char *month,
	    char hex[65], struct kh_err *);

/* Record an output file written for a run (append-only ledger). */
int	kh_results_note_output(struct kh_store *, int64_t run_id,
	    const char *relpath, const char *sha256, struct kh_err *);
/*
 * Check every output file's latest recorded SHA-256 against the file
 * under outdir.  Calls report(ctx, relpath, problem) for each mismatch or
 * missing file; returns KH_OK when all match, KH_REJECT otherwise.
 */
int	kh_results_verify_outputs(struct kh_store *, const char *outdir,
	    void (*report)(void *, const char *, const char *), void *ctx,
	    struct kh_err *);

/*
 * Characters a document of a run drew as 〓 (the font lacks them): kept
 * so that `kaohe trail` and the archive say what was not printed as
 * written.  Noting the same (run, doc, code point) twice is a no-op.
 */
int	kh_results_note_glyph(struct kh_store *, int64_t run_id,
	    const char *doc, uint32_t cp, const char *context, struct kh_err *);
int	kh_results_glyphs(struct kh_store *, int64_t run_id,
	    int (*cb)(const char *doc, uint32_t cp, const char *context, void *),
	    void *arg, struct kh_err *);

#endif
