/*
 * csvout.h — scores.csv and annual.csv, byte for byte as interface.md says.
 *
 * Owned by the scoring core.  These are the payroll import's contract:
 * UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting (a field
 * with a comma, a double quote, CR or LF is quoted, quotes doubled), one
 * header row, ranked rows by rank then manager id, then the incomplete
 * ones by manager id; scores and sums with exactly 2 decimals; a text
 * cell starting with =, +, -, @, tab or CR written as "'…" so that a
 * spreadsheet cannot run it as a formula (see csvout.c).  The
 * functions write to a FILE* the caller opened (and closes, atomically
 * renamed, see outdir.h); they print nothing else.
 */
#ifndef KH_CSVOUT_H
#define KH_CSVOUT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "scheme.h"
#include "model.h"

/*
 * One row a manager of the month.  status is "final" or "provisional"
 * (anything else is KH_USAGE); incomplete managers get "incomplete" and
 * empty columns between group and status.  Indicator columns are matched
 * by code (total_volume … revenue_per_case), not by position; an
 * indicator the scheme lacks is an empty column.  KH_FAIL on a write error.
 */
int	kh_csv_write_scores(FILE *, const struct kh_scheme *,
	    const struct kh_month_result *, const char *status, struct kh_err *);

/* year,manager_id,manager_name,group,months,total,rank; rank then id. */
int	kh_csv_write_annual(FILE *, int year, const struct kh_annual_row *rows,
	    size_t n, struct kh_err *);

#endif
