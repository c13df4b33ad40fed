/*
 * import.h — reading the marketing system's XML exports into the store.
 *
 * Owned by import.c: one streaming reader per export kind (over xmlin.h),
 * the validation of every rule of exports.md and scoring.md that concerns
 * input, and the aggregation of orders (never every order line).  One
 * file is one transaction: a file is imported whole or rejected whole,
 * and a rejected file leaves the database exactly as it was.
 */
#ifndef KH_IMPORT_H
#define KH_IMPORT_H

#include <stddef.h>

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

/*
 * Import one export file in one transaction.  KH_OK: imported or
 * unchanged (sum says which); KH_REJECT: the file breaks a rule, err names
 * file, line, element, record id and what is wrong, and the database is
 * as before; KH_FAIL: system failure, nothing kept.  The scheme may be
 * NULL for roster, brands and orders files only.
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
