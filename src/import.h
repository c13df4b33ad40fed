/*
 * import.h — reading the marketing system's XML exports into the store.
 *
 * Owned by import.c: one streaming reader per export kind (over xmlin.h
 * and infile.h),
 * the validation of every rule of exports.md and scoring.md that concerns
 * input, and the aggregation of orders (never every order line).  One
 * file is one transaction: a file is imported whole or rejected whole,
 * and a rejected file leaves the database exactly as it was.
 */
#ifndef KH_IMPORT_H
#define KH_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "scheme.h"
#include "store.h"

#define KH_IMPORT_MAX_WARNINGS	8	/* kept; n_warnings counts them all */

enum kh_import_outcome {
	KH_IMPORT_IMPORTED,		/* new data stored */
	KH_IMPORT_UNCHANGED		/* byte-identical file seen before */
};

/* What one kh_import_file did, for the run's report. */
struct kh_import_summary {
	char		file[512];		/* path as given */
	char		kind[16];		/* "" if the root was unreadable */
	char		period[KH_DATE_MAX];
	char		generated[KH_GEN_MAX];
	char		sha256[KH_SHA256_HEX];
	char		encoding[32];
	enum kh_import_outcome outcome;
	/* "imported", "unchanged (already imported)", "imported, supersedes
	 * orders 2013-05-17 of 2013-05-17T22:00:00+08:00 (…)" */
	char		outcome_text[600];
	/* "orders 2013-05-17: 63 orders, 241 lines, 3 managers" */
	char		counts[256];
	long		n_items;		/* managers+customers, brands,
						 * targets, orders, records+voids */
	long		n_lines;		/* order lines; customers; voids */
	long		n_unchanged;		/* assessments already on record */
	size_t		n_warnings;
	char		warnings[KH_IMPORT_MAX_WARNINGS][320];
};

/* A file generated later than the clock plus this is refused (seconds). */
#define KH_IMPORT_CLOCK_SLACK	600

struct kh_import_opts {
	/*
	 * The scheme in force for a year, asked for only by targets and
	 * assessments files (their indicator and item codes), with the year
	 * of their period.  When it fails that file alone is refused
	 * (KH_REJECT, the file named), so other files go on.
	 */
	int	(*scheme)(void *arg, int year, const struct kh_scheme **,
		    struct kh_err *);
	void	*scheme_arg;
	int64_t	 now;		/* the clock, UTC seconds (kh_now) */
	int	 nofollow;	/* refuse a symbolic link (run's folder walk) */
	/* For tests: called between the pre-hash and the parse. */
	void	(*before_parse)(void *arg, const char *path);
	void	*hook_arg;
};

/*
 * Import one export file in one transaction.  The file is read once
 * (infile.h): a FIFO, device or socket is refused without being opened,
 * and the SHA-256 recorded is that of the bytes parsed.  Before anything
 * is stored the file is refused (KH_REJECT, by name and line) when its
 * root disagrees with the clock (generated later than now plus
 * KH_IMPORT_CLOCK_SLACK; an orders or assessments file generated before
 * its period began; a period more than one month ahead), when it holds
 * elements of another kind, or when it has no record of its kind where
 * an empty file would replace data in force (every kind but assessments
 * and a day orders file, see check_content in import.c).
 *
 * KH_OK: imported or unchanged (sum says which); KH_REJECT: the file
 * breaks a rule, err names file, line, element, record id and what is
 * wrong, and the database is as before; KH_FAIL: system failure, nothing
 * kept.
 */
int	kh_import_file_with(struct kh_store *, const struct kh_import_opts *,
	    const char *path, struct kh_import_summary *sum, struct kh_err *);

/*
 * kh_import_file_with with one scheme for every year (NULL: targets and
 * assessments are refused), the clock of kh_now, links followed.
 */
int	kh_import_file(struct kh_store *, const struct kh_scheme *,
	    const char *path, struct kh_import_summary *sum, struct kh_err *);

/*
 * Dependency order of a set of files: order[0..n) receives indices into
 * paths — roster, brands, targets, orders, assessments; within a kind by
 * period, a month after its days (a month export covers the whole month,
 * so nightly day files imported in the same run are superseded rather
 * than rejected as stale), then by generated instant.  Each file's root
 * element is peeked at (nothing more is read); files whose root cannot be
 * read go last, in the order given, to be rejected when imported.
 * KH_FAIL only when out of memory.
 */
int	kh_import_order(const char *const *paths, size_t n, size_t *order,
	    struct kh_err *);

#endif
