/*
 * docs_int.h — what the document modules (docs_scorecard.c, docs_team.c,
 * docs_trail.c, docs_annual.c) share, implemented in docs.c: opening a
 * document from its layout and the run context, number and date
 * formatting, tables whose columns come from the layout, and saving with
 * the missing-glyph report.  Internal to the documents layer; callers use
 * docs.h.
 */
#ifndef KH_DOCS_INT_H
#define KH_DOCS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "docs.h"
#include "docs_layout.h"
#include "render.h"

#define KH_DOCS_MAX_COLS	64
#define KH_DOCS_FIELD_MAX	48
#define KH_DOCS_HEAD_MAX	160
#define KH_DOCS_TEXT_MAX	4096
#define KH_DOCS_CELL_MAX	1536	/* bytes of one cell's text, NUL included */

/* An open document: its layout, the PDF being built, the shared context. */
struct kh_docs_out {
	const struct kh_docs_ctx *ctx;
	const char		*name;		/* "scorecard", for missing-glyph reports */
	struct kh_layout	*layout;
	struct kh_doc		*doc;
	double			 left, top, right, bottom;	/* the box */
	char			 generated[40];	/* meta->scored_at, readable */
	char			 fingerprint[17];	/* first 16 hex */
	char			 anchor_at[40];	/* ctx->anchor_at, readable */
	char			 anchor_seq[24];
	struct kh_err		 err;		/* first failure while drawing */
};

/* The documents' common placeholders: unit, month, year, generated, fingerprint. */
struct kh_docs_vars {
	const char	*names[24];
	const char	*values[24];
	size_t		 n;
};

/*
 * Load templates_dir/layouts/<name>.xml against spec and start the PDF
 * in the font of templates_dir/fonts.conf (fontsub.h) with one page: title and subject from the layout texts pdf_title and
 * pdf_subject, footer from "footer", watermark "watermark" when
 * !ctx->final.  Adds {unit}, {generated}, {fingerprint} and the record's
 * anchor {chain_seq}, {chain_head}, {chain_at} to vars (the values live
 * in o or ctx).  On failure nothing is left open.
 */
int	kh_docs_open(struct kh_docs_out *, const struct kh_docs_ctx *,
	    const char *name, const struct kh_layout_spec *,
	    struct kh_docs_vars *, struct kh_err *);
/* Save to path, report every 〓 to ctx->missing, free everything. */
int	kh_docs_close(struct kh_docs_out *, const char *path, struct kh_err *);
/* Free without saving (error paths); safe on a zeroed struct. */
void	kh_docs_abort(struct kh_docs_out *);
/*
 * Drawing failed: free everything and hand back o->err if a helper
 * filled it, else "<doc> <what>: drawing failed".  Returns the status.
 */
int	kh_docs_fail(struct kh_docs_out *, const char *what, struct kh_err *);

/* Set a placeholder (pointers are kept, not copied). */
void	kh_docs_var(struct kh_docs_vars *, const char *name, const char *value);
/* Layout text id with the placeholders filled in, into out. */
char	*kh_docs_textf(const struct kh_docs_out *, const char *id,
	    const struct kh_docs_vars *, char *out, size_t len);

/* Hundredths as "87.50"; signed as "+2.00" / "-0.50" / "0.00". */
char	*kh_docs_num(int64_t v, char *buf, size_t len);
char	*kh_docs_signed(int64_t v, char *buf, size_t len);
/* "2013-05" -> "2013年5月"; "2013-06-03" -> "2013年6月3日" (else as is). */
char	*kh_docs_month_cn(const char *month, char *buf, size_t len);
char	*kh_docs_date_cn(const char *date, char *buf, size_t len);
/* "2013-06-03T08:00:00+08:00" -> "2013-06-03 08:00:00+08:00" (wraps at the space). */
char	*kh_docs_time(const char *at, char *buf, size_t len);

/* Title line centred at the cursor, at the title size, and a gap. */
int	kh_docs_title(struct kh_docs_out *, const char *utf8);
/* A heading line at the cursor (kept with at least `keep` pt below it). */
int	kh_docs_heading(struct kh_docs_out *, const char *utf8, double keep);

/* Layout text id with v filled in, a body paragraph and `gap` pt below. */
int	kh_docs_para(struct kh_docs_out *, const char *id,
	    const struct kh_docs_vars *, double gap);

/*
 * The effective columns of a table, after the document expanded fields.
 * About 15 KB: made by kh_docs_cols_new, so that no function needs one
 * on its stack.
 */
struct kh_docs_cols {
	struct kh_col	col[KH_DOCS_MAX_COLS];
	char		field[KH_DOCS_MAX_COLS][KH_DOCS_FIELD_MAX];
	char		head[KH_DOCS_MAX_COLS][KH_DOCS_HEAD_MAX];
	size_t		n;
};
/* No columns yet; NULL when out of memory, with o->err filled. */
struct kh_docs_cols *kh_docs_cols_new(struct kh_docs_out *o);
void	kh_docs_cols_free(struct kh_docs_cols *);
void	kh_docs_cols_add(struct kh_docs_cols *, const char *field,
	    const char *head, double width, enum kh_align);
/* The layout's columns unchanged. */
void	kh_docs_cols_plain(struct kh_docs_cols *, const struct kh_layout_table *);

/*
 * Start a table of these columns at the cursor, at the layout's table
 * size.  Refuses (KH_REJECT, naming the layout) columns wider than the
 * page; a header wider than its column is broken into two balanced lines
 * rather than leaving one character alone on the second.
 */
struct kh_table *kh_docs_table_new(struct kh_docs_out *, struct kh_docs_cols *,
	    const char *table_id, struct kh_err *);

/* Layout table lt's title with v filled in, as a heading (keep as above). */
int	kh_docs_table_heading(struct kh_docs_out *,
	    const struct kh_layout_table *lt, const struct kh_docs_vars *,
	    double keep);
/*
 * lt's heading, then the table of c under it in *t.  Returns the
 * heading's status, or KH_FAIL with o->err filled when the table cannot
 * start; *t is NULL then.
 */
int	kh_docs_table_start(struct kh_docs_out *, struct kh_docs_cols *,
	    const struct kh_layout_table *lt, const struct kh_docs_vars *,
	    double keep, struct kh_table **t);

/*
 * One row's values by field name; cells not named stay empty.  About
 * 100 KB (every cell whole up to KH_DOCS_CELL_MAX): made by
 * kh_docs_row_new, never on a stack.  The type stays complete only
 * while docs_trail.c still declares rows as locals; once it uses
 * kh_docs_row_new too, it can become opaque and sized to its cells.
 */
struct kh_docs_row {
	char		 field[KH_DOCS_MAX_COLS][KH_DOCS_FIELD_MAX];
	char		 value[KH_DOCS_MAX_COLS][KH_DOCS_CELL_MAX];
	size_t		 n;
};
/* An empty row; NULL when out of memory, with o->err filled. */
struct kh_docs_row *kh_docs_row_new(struct kh_docs_out *o);
void	kh_docs_row_free(struct kh_docs_row *);
void	kh_docs_row_reset(struct kh_docs_row *);
/*
 * A table's columns and row on the heap, as every document table needs:
 * KH_FAIL with o->err filled when out of memory (free what was made with
 * kh_docs_bufs_free, which also ends t; every argument may be NULL).
 */
int	kh_docs_bufs_new(struct kh_docs_out *, struct kh_docs_cols **,
	    struct kh_docs_row **);
void	kh_docs_bufs_free(struct kh_table *t, struct kh_docs_cols *,
	    struct kh_docs_row *);
/* Set field to a printf-formatted value (truncated to fit). */
void	kh_docs_set(struct kh_docs_row *, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* A result's five sums, as the scorecard's totals and the notice show them. */
void	kh_docs_set_sums(struct kh_docs_row *, const struct kh_result *);
int	kh_docs_table_row(struct kh_table *, const struct kh_docs_cols *,
	    const struct kh_docs_row *, enum kh_row_style);

#endif
