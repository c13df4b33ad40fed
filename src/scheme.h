/*
 * scheme.h — the assessment scheme (考核模板): the method as data.
 *
 * templates/scheme-2013.xml holds everything the 2013 method fixes:
 * indicators and their points, where points move when a target is
 * missing, the completion cap, the item catalogue with kinds and points,
 * and every parameter scoring.md leaves open.  kh_scheme_load validates it
 * (points adding up, known kinds, no duplicate codes) so that scoring can
 * trust it.  Next year's method is a new file, not new code.
 *
 * All numbers are scaled integers: points and percents in hundredths,
 * tar in hundredths of a mg, the cap in hundredths (100 = 1.00).
 */
#ifndef KH_SCHEME_H
#define KH_SCHEME_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"


/*
 * Every number of points in a scheme (total, indicator and item points,
 * base, floor, cap, max-points) lies within ±10,000 points, and the
 * completion cap is at most 100.00 (10,000 %): far beyond any method,
 * and small enough that sums over a month's records stay exact.
 */
#define KH_SCHEME_MAX_POINTS	1000000		/* hundredths */
#define KH_SCHEME_MAX_CAP	10000		/* hundredths of completion */

/* How an indicator's actual value is computed from the month's aggregates. */
enum kh_measure {
	KH_MEASURE_VOLUME,		/* Σ qty of filtered lines ÷ case size, 箱 */
	KH_MEASURE_REVENUE_PER_CASE,	/* Σ amount ÷ (Σ qty ÷ case size), 元/箱 */
	KH_MEASURE_SHELF_RATE		/* mean over key brands of ordering share, % */
};

/* Which order lines a volume counts. */
enum kh_filter {
	KH_FILTER_ALL,
	KH_FILTER_LOW_GRADE,		/* brand class in low_grade_classes */
	KH_FILTER_LOW_TAR,		/* brand tar <= low_tar_max */
	KH_FILTER_KEY_BRAND		/* brand among the month's key brands */
};

struct kh_indicator_def {
	char		code[KH_CODE_MAX];	/* "total_volume" */
	char		name[64];		/* "卷烟总销量" (UTF-8) */
	char		unit[16];		/* "箱", "%", "元/箱" */
	int64_t		points;			/* hundredths: 2000 = 20 points */
	enum kh_measure	measure;
	enum kh_filter	filter;
	/* "" = a missing or zero target makes the manager incomplete;
	 * else the code of the indicator that receives the points. */
	char		if_missing[KH_CODE_MAX];
};

enum kh_item_kind {
	KH_ITEM_UNIT,			/* points × count */
	KH_ITEM_RATE,			/* points per full pct-point below required */
	KH_ITEM_PANEL,			/* record's own signed points + decision */
	KH_ITEM_ONCE_PER_CUSTOMER	/* points once per customer per month */
};

/* How the shortfall (required − value) of a rate item becomes a count. */
enum kh_shortfall {
	KH_SHORTFALL_WHOLE,		/* whole points only (default): 1.5 -> 1 */
	KH_SHORTFALL_EXACT,		/* exact: 1.5 × points, rounded at the end */
	KH_SHORTFALL_HALF_UP		/* rounded half away from zero: 1.5 -> 2 */
};

struct kh_item_def {
	char		code[16];		/* "1.3.2" */
	char		text[256];		/* seed wording (UTF-8) */
	char		group[128];		/* "1、“135”工作法完成情况" */
	enum kh_item_kind kind;
	int		sign;			/* -1 deduction, +1 bonus */
	int64_t		points;			/* hundredths, signed (-50); 0 for panel */
	int64_t		max_points;		/* panel: largest |points| of a record,
						 * hundredths (> 0); else 0 */
};

struct kh_scheme {
	char		id[KH_CODE_MAX];	/* "2013" */
	char		name[128];		/* "2013年客户经理考核办法" */
	char		sha256[65];		/* of the file, for fingerprints */
	int		round_places;		/* 2 */

	/* quantitative */
	int64_t		quant_total;		/* hundredths: 6000 */
	int64_t		cap;			/* hundredths of completion: 100 */
	int64_t		case_size;		/* 条 per 箱: 250 */
	unsigned	low_grade_classes;	/* bit c set = class c is low grade */
	int64_t		low_tar_max;		/* hundredths of mg: 800 */
	struct kh_indicator_def ind[KH_MAX_INDICATORS];
	size_t		n_ind;

	/* qualitative */
	int64_t		qual_base;		/* hundredths: 4000 */
	int64_t		qual_floor;		/* hundredths: 0 */
	int		has_qual_cap;
	int64_t		qual_cap;		/* hundredths, when has_qual_cap */
	enum kh_shortfall shortfall;
	struct kh_item_def *items;
	size_t		n_items;
};

/* Load and validate; on failure *out is NULL and err names file, line, why. */
int	kh_scheme_load(const char *path, struct kh_scheme **out, struct kh_err *);
/* Same over a buffer (tests, embedded schemes); name is used in messages. */
int	kh_scheme_load_memory(const char *buf, size_t len, const char *name,
	    struct kh_scheme **out, struct kh_err *);
void	kh_scheme_free(struct kh_scheme *);
const struct kh_item_def *kh_scheme_item(const struct kh_scheme *, const char *code);
const struct kh_indicator_def *kh_scheme_indicator(const struct kh_scheme *, const char *code);
/* Index of the indicator in s->ind, or -1. */
int	kh_scheme_indicator_index(const struct kh_scheme *, const char *code);

#endif
