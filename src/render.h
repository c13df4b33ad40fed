/*
 * render.h — PDF primitives for the documents: pages, text, wrapped text,
 * a table that paginates, bar and line charts, footers, atomic save.
 *
 * Owned by the rendering layer (floor 2).  Documents (src/docs*) say WHAT
 * goes on the page and call these verbs; this module knows HOW to draw it.
 *
 * How it works: a struct kh_doc records drawing operations into a display
 * list while measuring text with HarfBuzz from the full CJK font, so line
 * breaking and pagination happen before any PDF object exists.  At
 * kh_doc_save() every code point in use is gathered, the font is subset
 * (fontsub.h), loaded into libharu, the list is replayed (plus the footer
 * "第 x 页 共 y 页" and the optional watermark on every page), and the file
 * is written atomically (temp file in the same directory, fsync, rename).
 *
 * Coordinates are PostScript points (1/72 in) with the ORIGIN AT THE TOP
 * LEFT of the page and y growing DOWNWARDS, like reading order.  A text
 * call's y is the TOP of its line box; a line box is size * KH_LEADING tall.
 *
 * Every character is drawn with the one embedded subset font (digits and
 * Latin too: no base-14 fonts).  A character the font lacks, or one outside
 * the BMP (libharu 2.3 cannot draw it), is drawn as 〓 (U+3013) and reported
 * by kh_doc_missing(); it is never a silent blank.
 *
 * Errors: drawing verbs return KH_OK or KH_FAIL (out of memory, bad
 * argument) and also remember the first failure in the document, so a
 * caller may check only the result of kh_doc_save().
 */
#ifndef KH_RENDER_H
#define KH_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct kh_font;				/* fontsub.h */

#define KH_MM(mm)	((mm) * 72.0 / 25.4)	/* millimetres to points */
#define KH_LEADING	1.35			/* line box = size * this */
#define KH_MIN_TABLE_SIZE 9.0			/* smallest table font size, pt */
#define KH_MISSING_CHAR	0x3013u			/* 〓 GETA MARK */

enum kh_page_size {
	KH_A4_PORTRAIT = 0,	/* 595.28 x 841.89 pt */
	KH_A4_LANDSCAPE		/* 841.89 x 595.28 pt */
};

enum kh_align {
	KH_LEFT = 0,
	KH_CENTER,
	KH_RIGHT
};

/*
 * What a document is made of.  Strings are copied by kh_doc_new().
 * Zero / NULL fields take the default named in the comment.
 */
struct kh_doc_opts {
	const char	*font_path;	/* NULL: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc */
	unsigned	 font_index;	/* face index in a .ttc, 0 for the first */
	struct kh_font	*font;		/* optional already opened font, shared, not owned;
					   when set, font_path/font_index are ignored */
	enum kh_page_size page;
	double		 margin_left;	/* pt; 0 = 15 mm */
	double		 margin_right;	/* pt; 0 = 15 mm */
	double		 margin_top;	/* pt; 0 = 15 mm */
	double		 margin_bottom;	/* pt; 0 = 18 mm (room for the footer) */
	const char	*title;		/* PDF Info + XMP */
	const char	*subject;
	const char	*author;	/* the unit name */
	const char	*creator;	/* NULL: "kaohe " KH_VERSION */
	const char	*keywords;
	const char	*date;		/* "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS",
					   CreationDate/ModDate; NULL = none.
					   Never the wall clock: byte-identical reruns. */
	const char	*footer;	/* left part of every page's footer (generation
					   time, input fingerprint); NULL = none.  The
					   right part is always "第 x 页 共 y 页". */
	const char	*watermark;	/* e.g. "试算 / 未定稿" on provisional results;
					   light gray diagonal text under the content */
	int		 pdfa;		/* nonzero: PDF/A-1b attempt (XMP metadata,
					   sRGB output intent) */
	const char	*icc_path;	/* NULL: /usr/share/color/icc/sRGB.icc */
};

/* One character the font could not draw, and where it was asked for. */
struct kh_missing {
	uint32_t	 cp;		/* the code point */
	char		 context[96];	/* UTF-8 text around it (truncated) */
};

struct kh_doc;

struct kh_doc	*kh_doc_new(const struct kh_doc_opts *, struct kh_err *);
void		 kh_doc_free(struct kh_doc *);

/*
 * Write the PDF to path atomically: nothing exists under path unless the
 * whole file was written and synced.  Byte-identical for identical input.
 * Returns KH_OK or KH_FAIL (with err).  May be called once.
 */
int		 kh_doc_save(struct kh_doc *, const char *path, struct kh_err *);

/*
 * Characters drawn as 〓, in order of first use, each code point once,
 * all of them (a note that could not be kept fails kh_doc_save).
 */
size_t		 kh_doc_missing(const struct kh_doc *, const struct kh_missing **);

/* ---- pages and the flow cursor ---------------------------------------- */

/* Start a new page; the cursor goes to the top margin. */
int		 kh_doc_page_add(struct kh_doc *);
size_t		 kh_doc_page_count(const struct kh_doc *);
/* Page size in pt and the box inside the margins (top-left origin). */
void		 kh_doc_page_size(const struct kh_doc *, double *w, double *h);
void		 kh_doc_box(const struct kh_doc *, double *left, double *top,
		    double *right, double *bottom);
/* The flow cursor: y of the next block, from the top of the page. */
double		 kh_doc_y(const struct kh_doc *);
void		 kh_doc_set_y(struct kh_doc *, double y);
/* Start a new page unless `height` more points fit above the bottom margin. */
int		 kh_doc_need(struct kh_doc *, double height);

/* ---- text ------------------------------------------------------------- */

/* Width in pt of utf8 at size (what kh_doc_text would draw). */
double		 kh_doc_text_width(struct kh_doc *, double size, const char *utf8);
/*
 * One line of text, no wrapping.  x is the left edge (KH_LEFT), the centre
 * (KH_CENTER) or the right edge (KH_RIGHT); y the top of the line box.
 */
int		 kh_doc_text(struct kh_doc *, double x, double y, double size,
		    enum kh_align, const char *utf8);
/* Height in pt that kh_doc_wrap() would take; lines in *nlines if not NULL. */
double		 kh_doc_wrap_height(struct kh_doc *, double width, double size,
		    const char *utf8, size_t *nlines);
/*
 * Text wrapped into `width` with CJK line breaking (UAX #14 via
 * libunibreak: no line starts with 。，、）》 etc.; '\n' forces a break).
 * The height used goes to *height if not NULL.  Does not paginate.
 */
int		 kh_doc_wrap(struct kh_doc *, double x, double y, double width,
		    double size, enum kh_align, const char *utf8, double *height);
/*
 * Flowing paragraph at the cursor across the whole box: starts a new page
 * when needed (a paragraph longer than a page breaks between lines) and
 * moves the cursor below it, plus `space_after` pt.
 */
int		 kh_doc_para(struct kh_doc *, double size, enum kh_align,
		    const char *utf8, double space_after);

/* ---- lines and shapes ------------------------------------------------- */

/* Gray levels: 0 = black, 1 = white.  Never carry meaning by gray alone. */
int		 kh_doc_line(struct kh_doc *, double x1, double y1, double x2,
		    double y2, double width);
/*
 * Rectangle with top-left (x, y).  line_width <= 0: no outline;
 * fill_gray < 0: no fill.
 */
int		 kh_doc_rect(struct kh_doc *, double x, double y, double w,
		    double h, double line_width, double fill_gray);

/* ---- tables ----------------------------------------------------------- */

struct kh_col {
	const char	*head;		/* header text (wraps too) */
	double		 width;		/* pt; 0 = share what is left equally */
	enum kh_align	 align;		/* numbers: KH_RIGHT */
};

enum kh_row_style {
	KH_ROW_PLAIN = 0,
	KH_ROW_SHADE = 1		/* light gray background (totals, groups) */
};

struct kh_table;

/*
 * A table at the cursor, across the box (or narrower if every width is
 * set).  size >= KH_MIN_TABLE_SIZE.  The header row is drawn at once and
 * again at the top of each new page.  Column specs are copied.
 */
struct kh_table	*kh_table_new(struct kh_doc *, const struct kh_col *,
		    size_t ncols, double size, struct kh_err *);
/*
 * One row of ncols cells (NULL cell = empty).  Cell text wraps inside its
 * cell; a row never splits across pages: if it does not fit, a new page
 * starts with the header repeated.  Moves the cursor below the row.
 */
int		 kh_table_row(struct kh_table *, const char *const *cells,
		    enum kh_row_style);
/* Ends the table (cursor below it, plus a small gap) and frees it. */
void		 kh_table_end(struct kh_table *);

/* ---- charts ----------------------------------------------------------- */

/*
 * Chart values are integers in any one unit (hundredths of a point, 条,
 * percent * 100 ...): charts only scale them; value_text is what is printed.
 */
struct kh_bar {
	const char	*label;		/* left of the bar */
	long		 value;		/* bar length relative to max */
	const char	*value_text;	/* printed right of the bar, e.g. "87.50" */
};

/*
 * Horizontal bar chart at the cursor: optional title, one row per bar
 * (label | gray bar | value text), bars scaled to max (max <= 0: the
 * largest value).  Paginates between rows; moves the cursor below it.
 */
int		 kh_doc_barchart(struct kh_doc *, double size, const char *title,
		    const struct kh_bar *, size_t n, long max);

/*
 * Line chart at the cursor, `height` pt tall across the box: points
 * (xlabels[i], values[i]) joined by a line, each marked by a small square
 * and its value_texts[i] (may be NULL).  The y axis runs to the highest
 * value from min(0, lowest) — or, when every value is positive, from one
 * spread (at least 5% of the highest) below the lowest, so that a change
 * among large values shows.  Moves the cursor below it.
 */
int		 kh_doc_linechart(struct kh_doc *, double size, const char *title,
		    const char *const *xlabels, const long *values,
		    const char *const *value_texts, size_t n, double height);

#endif
