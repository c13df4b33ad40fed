/*
 * score.h — the scoring core: a month's plain inputs + the scheme ->
 * results with the explanation lines that produced every number.
 *
 * PURE: no SQL, XML, PDF or I/O in score.c.  The types it works on are
 * model.h's.  store.c fills a kh_month_input from the database; run.c hands it here and gives the
 * kh_month_result back to store.c (kept) and the documents (printed).
 * Every number is a scaled integer (see decimal.h): qty in 条, amounts in
 * 分, targets / actuals / points / scores in hundredths.
 */
#ifndef KH_SCORE_H
#define KH_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "scheme.h"

/*
 * Score a month.  Results come out in roster order with ranks filled in;
 * an incomplete manager is a result with incomplete = 1, never an error:
 * a missing target, and also a number beyond the bounds above or beyond
 * exact computation (order sums, given points, a panel record's points
 * beyond the item's max-points, a sum of records), the reason naming the
 * indicator or the item and record.
 * Errors are internal only (out of memory, an input that breaks the
 * scheme's invariants): KH_FAIL with err filled.  The importer's rules
 * are such invariants: every record's date lies in in->month, its item
 * is in the scheme, a rate record has value/required, a panel record has
 * points of the item's sign, a once-per-customer record names a customer.
 * Rows of managers not on the roster are ignored; a volume's brand
 * missing from in->brands is neither low grade nor low tar.
 *
 * Lines per manager: given points (OVERRIDE), moves (MOVE, ref = the
 * indicator that lost its points; it has no INDICATOR line), one
 * INDICATOR line per scored indicator, the records by date then id
 * (RECORD, VOIDED, SUPERSEDED, REPEAT), QUALITATIVE, TOTAL; an incomplete
 * manager has only its INCOMPLETE line.  out is cleared on failure; free
 * it with kh_month_result_clear.
 */
int	kh_score_month(const struct kh_scheme *, const struct kh_month_input *,
	    struct kh_month_result *out, struct kh_err *);

/*
 * The points of each indicator for one manager's targets (scheme order,
 * hundredths) after given points and the moves for missing targets;
 * shared by scoring and the import-time check that given points add up
 * to the quantitative total.  targets may hold other managers' rows: only
 * those of manager count.  Returns the sum.  Sums saturate at INT64_MAX
 * (INT64_MIN) instead of wrapping, so given points that would overflow
 * never add up to the total by accident.
 */
int64_t	kh_effective_points(const struct kh_scheme *, const struct kh_target *,
	    size_t n_targets, const char *manager, int64_t points[KH_MAX_INDICATORS]);

/*
 * Rank 1, 2, 2, 4 by total, highest first; incomplete get rank 0.  The
 * array keeps its order; printed order (rank, then manager id) is the
 * caller's, see kh_result_order.
 */
void	kh_rank(struct kh_result *, size_t n);
/*
 * Printing order of interface.md: ranked results by rank then manager id
 * (strcmp), then incomplete ones by manager id.  Fills idx[0..n) with
 * indexes into r.
 */
void	kh_result_order(const struct kh_result *r, size_t n, size_t *idx);

/*
 * The year from its closed months' results, given in chronological order.
 * Every manager of any month is a row (a manager with no complete month
 * has total 0 and is ranked too).  *rows comes out in printing order
 * (rank, then manager id); free it with kh_annual_free.  KH_FAIL for out
 * of memory, or a year's total beyond int64_t (months beyond the bounds).
 */
int	kh_score_year(const struct kh_month_result *months, size_t n_months,
	    struct kh_annual_row **rows, size_t *n, struct kh_err *);
void	kh_annual_free(struct kh_annual_row *);

#endif
