/*
 * docs.h — the four documents: what each says, laid out by templates.
 *
 * Scorecard (个人月度考核表), team sheet and public notice (月度考核结果
 * 公示), audit trail (考核痕迹) and annual sheet (年度考核汇总).  Each is
 * built from STORED results (never recomputed) and plain data, described
 * by a layout file in templates/ (titles, columns, widths, texts) so that
 * moving a column is an edit, not a patch; render.h draws it.
 *
 * The documents never open the database or the clock: everything they
 * print arrives in struct kh_docs_ctx and the data arguments, so the same
 * stored data renders to the same bytes.
 */
#ifndef KH_DOCS_H
#define KH_DOCS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "render.h"
#include "results.h"
#include "scheme.h"
#include "model.h"
#include "trail.h"

struct kh_calendar;
struct kh_annual_row;

/* What every document of a run shares. */
struct kh_docs_ctx {
	const char		*templates_dir;	/* layouts, fonts.conf */
	const struct kh_scheme	*scheme;
	const struct kh_calendar *calendar;
	const char		*unit_code;
	const char		*unit_name;
	int			 final;		/* 0: provisional → 试算 / 未定稿 mark */
	const struct kh_run_meta *meta;		/* scored_at, fingerprint */
	/* the link of the record the documents show (run or close) */
	int64_t			 anchor_seq;
	const char		*anchor_hash;
	const char		*anchor_at;
	/* Called for each character drawn as 〓: who (manager/record) and
	 * which character; the caller warns on stderr and notes it. */
	void			(*missing)(void *arg, const char *doc,
				    const struct kh_missing *);
	void			*missing_arg;
};

/*
 * Scorecard of one manager for the month.  ytd_total: year-to-date total
 * including this month (hundredths); ranked: how many are ranked (the N
 * of "x / N").
 */
int	kh_docs_scorecard(const struct kh_docs_ctx *, const struct kh_month_result *,
	    const struct kh_result *, int64_t ytd_total, size_t ranked,
	    const char *path, struct kh_err *);
/* Team sheet + public notice of the month (A4 landscape). */
int	kh_docs_team(const struct kh_docs_ctx *, const struct kh_month_result *,
	    const char *path, struct kh_err *);
/* The month's audit trail: ledger, records, target revisions, lines, events. */
int	kh_docs_trail(const struct kh_docs_ctx *, const struct kh_month_result *,
	    const struct kh_trail *, const char *path, struct kh_err *);
/*
 * Annual sheet: managers × months with sum and rank, trend chart.
 * months[i] are the closed months' results in chronological order.
 */
int	kh_docs_annual(const struct kh_docs_ctx *, int year,
	    const struct kh_month_result *months, size_t n_months,
	    const struct kh_annual_row *rows, size_t n_rows,
	    const char *path, struct kh_err *);

#endif
