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
#include "model.h"
#include "trail.h"

struct kh_store;

/* What a run was made of; printed in footers and the trail. */
struct kh_run_meta {
	int64_t		run_id;
	char		month[KH_MONTH_MAX];
	char		scheme_id[KH_CODE_MAX];
	char		scheme_sha256[65];
	char		fingerprint[65];	/* SHA-256 of the canonical inputs */
	char		scored_at[32];		/* "2013-06-03T08:00:00+08:00" style */
	/* the scheme's qualitative sum, kept for `verify` (hundredths) */
	int64_t		qual_base, qual_floor, qual_cap;
	int		has_qual_cap;
	/* the run's link in the chain (kh_results_load checks it) */
	int64_t		link_seq;
	char		link_hash[65];
};

/*
 * Store a month's results as a new run unless the latest run of the month
 * has the same fingerprint.  *stored says which; meta->run_id is the run
 * now current either way.
 */
int	kh_results_save(struct kh_store *, const struct kh_month_result *,
	    struct kh_run_meta *meta, int *stored, struct kh_err *);
/*
 * The latest run of month: results, lines and meta.  KH_REJECT if none;
 * KH_BROKEN if that run is not in the chain or does not match its link
 * (it was added or changed behind kaohe's back: nothing is published
 * from it).
 */
int	kh_results_load(struct kh_store *, const char *month,
	    struct kh_month_result *, struct kh_run_meta *, struct kh_err *);
/* Latest-run fingerprint of month into hex, "" if never scored. */
int	kh_results_fingerprint(struct kh_store *, const char *month,
	    char hex[65], struct kh_err *);

/*
 * One publication of an output folder (a month's, a year's): the run it
 * shows, its state, the link it prints as its anchor (the run's, or the
 * month's close), and every file written, relative to root, with its
 * SHA-256.  Kept as a chained row with its files as chained rows; when
 * the latest publication of root says exactly the same, nothing is
 * recorded (*recorded = 0), so a second run leaves the record as it was.
 */
struct kh_publication {
	const char	 *root;			/* "2013-05", "2013" */
	int64_t		  run_id;
	const char	 *state;		/* provisional | final */
	int64_t		  anchor_seq;
	const char	 *anchor_hash;
	const char *const *paths;		/* relative to root */
	const char	(*sha256)[65];
	size_t		  n;
};
int	kh_results_publish(struct kh_store *, const struct kh_publication *,
	    int *recorded, struct kh_err *);
/*
 * Check every published folder under outdir against the ledger: each file
 * of its latest publication present with its SHA-256, and nothing else
 * in the folder; a root for which skip (may be NULL) says 1 is left out.
 * Calls report(ctx, relpath, problem) for each problem; KH_OK when all
 * match, KH_BROKEN otherwise.
 */
int	kh_results_verify_outputs(struct kh_store *, const char *outdir,
	    int (*skip)(void *, const char *root),
	    void (*report)(void *, const char *, const char *), void *ctx,
	    struct kh_err *);
/* cb for each published folder ("2013-05", "2013"); stops at non-KH_OK. */
int	kh_results_roots(struct kh_store *, int (*cb)(const char *root,
	    void *), void *arg, struct kh_err *);
/*
 * Check one folder, dir, against what root ("2013-05") must hold: the
 * same as for kh_results_verify_outputs; *bad counts the problems.
 */
int	kh_results_check_dir(struct kh_store *, const char *root,
	    const char *dir, void (*report)(void *, const char *, const char *),
	    void *ctx, int *bad, struct kh_err *);
/* Every stored run adds up (see results.c); KH_BROKEN names the first. */
int	kh_results_verify_sums(struct kh_store *, struct kh_err *);

/*
 * Characters a document of a run drew as 〓 (the font lacks them): kept
 * so that `kaohe trail` and the archive say what was not printed as
 * written.  Noting the same (run, doc, code point) twice is a no-op.
 */
int	kh_results_note_glyph(struct kh_store *, int64_t run_id,
	    const char *doc, uint32_t cp, const char *context, struct kh_err *);
/* Append the notes kept for run_id to the trail's glyphs (trail.h). */
int	kh_results_glyphs(struct kh_store *, int64_t run_id, struct kh_trail *,
	    struct kh_err *);

#endif
