/*
 * model.h — the domain, as plain data: who is assessed (managers,
 * customers), what they sold (brands, volumes, shelves), what was asked
 * of them (targets), what was recorded (assessment records), and what a
 * month's scoring says (results, indicator results, explanation lines,
 * the annual rows).  The bottom floor: every layer above — import and
 * the storage layer, scoring, the documents, csvout — speaks these
 * types, and this header includes nothing of theirs.
 *
 * Every number is a scaled integer (see decimal.h): qty in 条, amounts
 * in 分, targets / actuals / points / scores in hundredths.  The
 * functions declared here only free; model.c defines them.
 */
#ifndef KH_MODEL_H
#define KH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define KH_CODE_MAX		33	/* identifiers: 32 bytes + NUL */
#define KH_MAX_INDICATORS	16

/*
 * Plausibility bounds (templates/README.md, "Bounds").  A whole province
 * sells about 1e8 条 for about 2e10 元 a month; these are far beyond
 * that, and chosen so that no sum or product of scoring can overflow:
 *   - one order line: at most KH_LINE_MAX_QTY 条 (4,000 箱) and
 *     KH_LINE_MAX_AMOUNT 分 (1,000,000,000 元); import.c rejects a file
 *     with a line beyond them, naming the file and the line;
 *   - one manager's month: at most 10 million such lines, so at most
 *     KH_MONTH_MAX_QTY 条 and KH_MONTH_MAX_AMOUNT 分 (1e16 元) on any
 *     indicator, and at most KH_MONTH_MAX_POINTS hundredths (100 million
 *     points) of deductions or of bonuses.
 * A manager whose month goes beyond them, or whose numbers cannot be
 * computed exactly, is not scored: the result is incomplete, the reason
 * naming the indicator or item (see kh_score_month) — never a wrong number.
 */
#define KH_LINE_MAX_QTY		1000000LL		/* 条 */
#define KH_LINE_MAX_AMOUNT	100000000000LL		/* 分 */
#define KH_MONTH_MAX_LINES	10000000LL
#define KH_MONTH_MAX_QTY	(KH_MONTH_MAX_LINES * KH_LINE_MAX_QTY)
#define KH_MONTH_MAX_AMOUNT	(KH_MONTH_MAX_LINES * KH_LINE_MAX_AMOUNT)
#define KH_MONTH_MAX_POINTS	10000000000LL		/* hundredths */

#define KH_NAME_MAX	128	/* UTF-8 bytes of a name, with NUL */
#define KH_DATE_MAX	11	/* "YYYY-MM-DD" + NUL */
#define KH_MONTH_MAX	8	/* "YYYY-MM" + NUL */
#define KH_GEN_MAX	40	/* a file's generated instant, as written:
				 * "2013-05-17T23:40:05+08:00" and longer */

struct kh_manager {
	char	id[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	char	group[KH_NAME_MAX];
	int	left;			/* status="left" */
};

struct kh_customer {
	char	id[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	char	manager[KH_CODE_MAX];	/* roster manager (for shelf rates) */
	int	open;			/* status="open" */
};

struct kh_brand {
	char	code[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	int	price_class;		/* 1..5 */
	int64_t	tar;			/* hundredths of mg */
};

/* A target in force at month end (latest targets file of the month). */
struct kh_target {
	char	manager[KH_CODE_MAX];
	char	indicator[KH_CODE_MAX];
	int64_t	value;			/* hundredths of the indicator's unit */
	int	has_points;
	int64_t	points;			/* hundredths, when has_points */
};

/* Σ over the month's in-force order lines credited to manager, one brand. */
struct kh_volume {
	char	manager[KH_CODE_MAX];
	char	brand[KH_CODE_MAX];
	int64_t	qty;			/* 条 */
	int64_t	amount;			/* 分 */
};

/* Customer ordered at least one 条 of brand in the month (any manager). */
struct kh_shelf {
	char	customer[KH_CODE_MAX];
	char	brand[KH_CODE_MAX];
};

/* An assessment record of the month, with its void if any. */
struct kh_record {
	char	id[KH_CODE_MAX];
	char	date[KH_DATE_MAX];
	char	manager[KH_CODE_MAX];
	char	item[16];
	int64_t	count;			/* default 1 */
	char	customer[KH_CODE_MAX];	/* "" if none */
	int	has_value;		/* rate items */
	int64_t	value, required;	/* hundredths of a percent */
	int	has_points;		/* panel items */
	int64_t	points;			/* hundredths, signed */
	char	decision[256];
	char	recorder[KH_NAME_MAX];
	char	role[KH_NAME_MAX];
	char	note[512];
	int	voided;
	char	void_id[KH_CODE_MAX];
	char	void_date[KH_DATE_MAX];
	char	void_reason[256];
	char	void_recorder[KH_NAME_MAX];
};

struct kh_month_input {
	char			 month[KH_MONTH_MAX];	/* "2013-05" */
	struct kh_manager	*managers;	size_t n_managers;
	struct kh_customer	*customers;	size_t n_customers;
	struct kh_brand		*brands;	size_t n_brands;
	char		       (*key_brands)[KH_CODE_MAX]; size_t n_key_brands;
	struct kh_target	*targets;	size_t n_targets;
	struct kh_volume	*volumes;	size_t n_volumes;
	struct kh_shelf		*shelves;	size_t n_shelves;
	struct kh_record	*records;	size_t n_records;
};
/* Frees the arrays (not the struct itself); safe on a zeroed struct. */
void	kh_month_input_clear(struct kh_month_input *);

struct kh_indicator_result {
	char	code[KH_CODE_MAX];
	int64_t	points;			/* after override and moves, hundredths */
	int	has_target;
	int64_t	target;			/* hundredths of the unit */
	int64_t	actual;			/* hundredths of the unit, rounded for display */
	int64_t	completion;		/* hundredths of a percent, rounded, uncapped */
	int64_t	score;			/* hundredths, rounded */
};

struct kh_result {
	char	manager[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	char	group[KH_NAME_MAX];
	int	incomplete;
	char	reason[256];		/* why incomplete (Chinese) */
	struct kh_indicator_result ind[KH_MAX_INDICATORS];
	size_t	n_ind;			/* == scheme->n_ind, scheme order */
	int64_t	quantitative;		/* Σ rounded indicator scores */
	int64_t	deductions;		/* positive */
	int64_t	bonuses;		/* positive */
	int64_t	qualitative;		/* after floor and cap */
	int64_t	total;			/* quantitative + qualitative */
	int	rank;			/* 1.., 0 = not ranked (incomplete) */
};

/* What an explanation line explains. */
enum kh_line_kind {
	KH_LINE_INDICATOR,	/* ref = indicator code: target, actual, ratio, score */
	KH_LINE_OVERRIDE,	/* given points replaced the scheme's */
	KH_LINE_MOVE,		/* points moved because a target is missing */
	KH_LINE_RECORD,		/* an effective record: points counted */
	KH_LINE_VOIDED,		/* a record removed by a void (0 points) */
	KH_LINE_SUPERSEDED,	/* a rate record replaced by a later one */
	KH_LINE_REPEAT,		/* once-per-customer item already counted */
	KH_LINE_QUALITATIVE,	/* base − deductions + bonuses, floor, cap */
	KH_LINE_TOTAL,		/* quantitative + qualitative = total */
	KH_LINE_INCOMPLETE	/* why the manager cannot be scored */
};

struct kh_line {
	char		manager[KH_CODE_MAX];
	int		seq;			/* order within the manager, from 1 */
	enum kh_line_kind kind;
	char		ref[KH_CODE_MAX];	/* record id or indicator code */
	char		date[KH_DATE_MAX];	/* record lines */
	char		item[16];
	char		customer[KH_CODE_MAX];
	int64_t		count;
	int		has_points;
	int64_t		points;			/* signed hundredths counted */
	char		recorder[KH_NAME_MAX];
	char		role[KH_NAME_MAX];
	char		text[768];		/* the explanation, Chinese, one line */
};

struct kh_month_result {
	char		 month[KH_MONTH_MAX];
	struct kh_result *results;	size_t n;	/* roster order */
	struct kh_line	*lines;		size_t n_lines;	/* by manager, seq */
};
void	kh_month_result_clear(struct kh_month_result *);

/* One manager of the annual sheet (年度考核汇总). */
struct kh_annual_row {
	char	manager[KH_CODE_MAX];
	char	name[KH_NAME_MAX];	/* from the latest month listing the manager */
	char	group[KH_NAME_MAX];
	int	months;			/* closed months in which the manager was complete */
	int64_t	total;			/* Σ monthly totals, hundredths */
	int	rank;			/* 1.., ties share (1, 2, 2, 4); every row ranked */
};

#endif
