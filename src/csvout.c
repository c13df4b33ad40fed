/*
 * csvout.c — the two CSV files of interface.md (see csvout.h).
 *
 * Payroll opens these files in a spreadsheet, which runs a cell that
 * starts with "=", "+", "-" or "@" (and, in some programs, a tab or a
 * CR) as a formula: a manager named =HYPERLINK(…) would be a live link,
 * =cmd|… a command.  So every text cell that comes from the exports
 * (month, manager id, name, group) and starts with one of those six is
 * written the way OWASP recommends against CSV injection: a single quote
 * in front and the whole field quoted ("'=HYPERLINK(…)"), which the
 * spreadsheet shows as text.  Numbers (scores, sums, ranks, months) are
 * written as they are, so a negative score stays a number; today none
 * can be negative (points, floor and base are >= 0), and they never go
 * through the text path anyway.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "decimal.h"
#include "score.h"

/* The indicator columns of scores.csv, in the contract's order. */
static const char *const ind_cols[] = {
	"total_volume", "low_grade_volume", "low_tar_volume",
	"key_brand_volume", "key_brand_shelf_rate", "revenue_per_case"
};
#define N_IND_COLS (sizeof(ind_cols) / sizeof(ind_cols[0]))

static const char bom[] = "\xEF\xBB\xBF";

/* s in quotes after lead, its quotes doubled (RFC 4180). */
static void
put_quoted(FILE *f, const char *lead, const char *s)
{
	fputc('"', f);
	fputs(lead, f);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* RFC 4180: quote a field holding a comma, a quote, CR or LF. */
static void
put_field(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else
		put_quoted(f, "", s);
}

/*
 * A text cell from the exports: RFC 4180, and never read as a formula
 * (a leading ' keeps a spreadsheet from evaluating it).
 */
static void
put_text(FILE *f, const char *s, int first)
{
	if (s[0] == '\0' || strchr("=+-@\t\r", s[0]) == NULL) {
		put_field(f, s, first);
		return;
	}
	if (!first)
		fputc(',', f);
	put_quoted(f, "'", s);
}

static void
put_dec(FILE *f, int64_t v)
{
	char buf[32];

	put_field(f, kh_dec_format(v, 2, buf, sizeof(buf)), 0);
}

static void
put_int(FILE *f, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	put_field(f, buf, 0);
}

static void
end_row(FILE *f)
{
	fputs("\r\n", f);
}

static int
finish(FILE *f, struct kh_err *err)
{
	int e = fflush(f) != 0 ? errno : 0;

	/* fflush retries what a failed write left buffered: errno says why */
	if (e != 0 || ferror(f))
		return kh_err_sys(err, KH_FAIL, "cannot write the CSV file: %s",
		    e != 0 ? strerror(e) : "write error");
	return KH_OK;
}

/* The score of indicator `code` in r, if the scheme has it. */
static const struct kh_indicator_result *
ind_of(const struct kh_scheme *s, const struct kh_result *r, const char *code)
{
	int i = kh_scheme_indicator_index(s, code);

	if (i < 0 || (size_t)i >= r->n_ind || strcmp(r->ind[i].code, code) != 0)
		return NULL;
	return &r->ind[i];
}

static void
score_row(FILE *f, const struct kh_scheme *s, const char *month,
    const struct kh_result *r, const char *status)
{
	const struct kh_indicator_result *ir;
	size_t i;

	put_text(f, month, 1);
	put_text(f, r->manager, 0);
	put_text(f, r->name, 0);
	put_text(f, r->group, 0);
	if (r->incomplete) {
		for (i = 0; i < N_IND_COLS + 6; i++)	/* …, total, rank */
			put_field(f, "", 0);
		put_field(f, "incomplete", 0);
		end_row(f);
		return;
	}
	for (i = 0; i < N_IND_COLS; i++) {
		if ((ir = ind_of(s, r, ind_cols[i])) != NULL)
			put_dec(f, ir->score);
		else
			put_field(f, "", 0);
	}
	put_dec(f, r->quantitative);
	put_dec(f, r->deductions);
	put_dec(f, r->bonuses);
	put_dec(f, r->qualitative);
	put_dec(f, r->total);
	put_int(f, r->rank);
	put_field(f, status, 0);
	end_row(f);
}

int
kh_csv_write_scores(FILE *f, const struct kh_scheme *s,
    const struct kh_month_result *m, const char *status, struct kh_err *err)
{
	size_t *idx = NULL, i;
	int rc = KH_FAIL;

	if (status == NULL || (strcmp(status, "final") != 0 &&
	    strcmp(status, "provisional") != 0))
		return kh_err_sys(err, KH_USAGE, "scores.csv status must be "
		    "final or provisional");
	if ((idx = calloc(m->n ? m->n : 1, sizeof(*idx))) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	kh_result_order(m->results, m->n, idx);
	fputs(bom, f);
	fputs("month,manager_id,manager_name,group", f);
	for (i = 0; i < N_IND_COLS; i++)
		put_field(f, ind_cols[i], 0);
	fputs(",quantitative,deductions,bonuses,qualitative,total,rank,status", f);
	end_row(f);
	for (i = 0; i < m->n; i++)
		score_row(f, s, m->month, &m->results[idx[i]], status);
	rc = finish(f, err);
out:
	free(idx);
	return rc;
}

/* Rows by rank (unranked 0 last), then manager id: interface.md's order. */
static int
row_before(const struct kh_annual_row *a, const struct kh_annual_row *b)
{
	if ((a->rank == 0) != (b->rank == 0))
		return a->rank != 0;
	if (a->rank != b->rank)
		return a->rank < b->rank;
	return strcmp(a->manager, b->manager) < 0;
}

int
kh_csv_write_annual(FILE *f, int year, const struct kh_annual_row *rows,
    size_t n, struct kh_err *err)
{
	const struct kh_annual_row *r;
	size_t *idx = NULL, i, j, t;
	int rc = KH_FAIL;

	if ((idx = calloc(n ? n : 1, sizeof(*idx))) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 1; i < n; i++)		/* insertion sort: a few dozen rows */
		for (j = i; j > 0 && row_before(&rows[idx[j]], &rows[idx[j - 1]]);
		    j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	fputs(bom, f);
	fputs("year,manager_id,manager_name,group,months,total,rank", f);
	end_row(f);
	for (i = 0; i < n; i++) {
		r = &rows[idx[i]];
		fprintf(f, "%d", year);
		put_text(f, r->manager, 0);
		put_text(f, r->name, 0);
		put_text(f, r->group, 0);
		put_int(f, r->months);
		put_dec(f, r->total);
		put_int(f, r->rank);
		end_row(f);
	}
	rc = finish(f, err);
out:
	free(idx);
	return rc;
}
