/*
 * render.c — the display list, its layout verbs, and its replay into
 * libharu at save time (see render.h).
 */
#define _GNU_SOURCE	/* memfd_create */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_font.h>

#include "chain.h"
#include "config.h"	/* KH_VERSION */
#include "fontsub.h"
#include "grow.h"
#include "linebreak.h"
#include "render.h"
#include "sig.h"
#include "utf8.h"

#define A4_SHORT	595.276
#define A4_LONG		841.89
#define DEFAULT_ICC	"/usr/share/color/icc/sRGB.icc"
#define FOOTER_SIZE	9.0
#define FOOTER_MIN	5.5	/* a footer is never set smaller */
#define CELL_PAD	3.0
#define TABLE_LINE	0.5
#define HEAD_GRAY	0.85
#define SHADE_GRAY	0.92
#define BAR_GRAY	0.55
#define MARK_GRAY	0.82
#define MARK_SIZE	54.0
#define CP_LIMIT	0x110000	/* one past the last code point */

enum op_kind {
	OP_TEXT,	/* x, y = left, top of line box; text */
	OP_LINE,	/* x, y -> w, h (second point) ; lw */
	OP_RECT,	/* x, y, w, h; lw; gray (fill, < 0 none) */
	OP_MARK		/* watermark: text centred, diagonal */
};

struct op {
	enum op_kind	 kind;
	size_t		 page;		/* 0-based */
	size_t		 seq;		/* order of recording */
	double		 x, y, w, h;
	double		 size;		/* text size */
	double		 lw;		/* line width */
	double		 gray;		/* text/fill gray */
	char		*text;		/* sanitised UTF-8 */
};

struct kh_doc {
	struct kh_font	*font;
	int		 own_font;
	double		 pw, ph;	/* page size */
	double		 left, top, right, bottom;
	char		*title, *subject, *author, *creator, *keywords;
	char		*date, *footer, *watermark, *icc;
	int		 pdfa;
	struct op	*ops;
	size_t		 nops, capops;
	size_t		 npages;
	double		 y;
	unsigned char	 used[0x10000 / 8];	/* BMP code points in use */
	struct kh_missing *missing;	/* in order of first use */
	size_t		 nmissing, capmissing;
	unsigned char	*noted;		/* a bit per code point in missing[],
					   made on the first (136 KB) */
	int		 failed;	/* sticky: first drawing failure */
	int		 saved;
	uint32_t	 subst;		/* what replaces a missing character */
};

/* ---- small helpers ---------------------------------------------------- */

static char *
dup_or_null(const char *s, int *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = 1;
	return d;
}

static int
fail(struct kh_doc *d)
{
	d->failed = 1;
	return KH_FAIL;
}

static void
mark_used(struct kh_doc *d, uint32_t cp)
{
	if (cp < 0x10000)
		d->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
}

static int
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/*
 * Remember cp (at byte pos of text) once, with the text around it.  Every
 * missing character is kept, however many: the list is what tells the
 * reader which 〓 stood for what.  Out of memory fails the document (at
 * kh_doc_save) rather than dropping one.
 */
static void
note_missing(struct kh_doc *d, uint32_t cp, const char *text, size_t pos)
{
	struct kh_missing *m;
	size_t from, room;

	assert(cp < CP_LIMIT);	/* kh_utf8_next never returns more */
	if (d->noted == NULL &&
	    (d->noted = calloc(CP_LIMIT / 8, 1)) == NULL) {
		d->failed = 1;
		return;
	}
	if (d->noted[cp >> 3] & (1u << (cp & 7)))
		return;
	if (kh_grow(&d->missing, &d->capmissing, d->nmissing,
	    sizeof(*d->missing)) != 0) {
		d->failed = 1;
		return;
	}
	d->noted[cp >> 3] |= (unsigned char)(1u << (cp & 7));
	m = &d->missing[d->nmissing++];
	m->cp = cp;
	room = sizeof(m->context) - 1;
	from = pos > room / 2 ? pos - room / 2 : 0;
	while (from > 0 && (text[from] & 0xC0) == 0x80)
		from++;		/* forward to a character start */
	kh_utf8_copy(m->context, sizeof(m->context), (const char *)text + from);
}

/*
 * A copy of utf8 the font can draw: characters it lacks (and any outside
 * the BMP) become 〓 and are noted; control characters other than '\n'
 * become spaces.  Marks every code point used for the subset.
 */
static char *
sanitise(struct kh_doc *d, const char *s)
{
	size_t n = strlen(s), i = 0, o = 0, a;
	char *out;
	uint32_t cp;

	if ((out = malloc(n * 3 + 1)) == NULL)
		return NULL;
	for (; i < n; i += a) {
		cp = kh_utf8_next(s + i, n - i, &a);
		if (cp == '\n') {
			out[o++] = '\n';
			continue;
		}
		if (cp < 0x20 || cp == 0x7F)
			cp = ' ';
		if (!kh_font_has(d->font, cp)) {
			note_missing(d, cp, s, i);
			cp = d->subst;
		}
		mark_used(d, cp);
		o += put_utf8(out + o, cp);
	}
	out[o] = '\0';
	return out;
}

static struct op *
new_op(struct kh_doc *d, enum op_kind kind)
{
	struct op *op;

	if (d->npages == 0 && kh_doc_page_add(d) != KH_OK)
		return NULL;
	if (kh_grow(&d->ops, &d->capops, d->nops, sizeof(*d->ops)) != 0) {
		d->failed = 1;
		return NULL;
	}
	op = &d->ops[d->nops];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->page = d->npages - 1;
	op->seq = d->nops++;
	return op;
}

static double
advance(void *arg, uint32_t cp)
{
	return kh_font_advance(arg, cp);
}

/* Width of already sanitised text, in pt. */
static double
width_of(struct kh_doc *d, double size, const char *s)
{
	size_t n = strlen(s), i = 0, a;
	double w = 0;

	while (i < n) {
		w += kh_font_advance(d->font, kh_utf8_next(s + i, n - i, &a));
		i += a;
	}
	return w * size / 1000.0;
}

/* ---- the document ----------------------------------------------------- */

static int	parse_date(const char *, HPDF_Date *);

struct kh_doc *
kh_doc_new(const struct kh_doc_opts *o, struct kh_err *err)
{
	struct kh_doc *d = NULL;
	HPDF_Date date;
	int oom = 0;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto nomem;
	if (o->font != NULL)
		d->font = o->font;
	else {
		if ((d->font = kh_font_open(o->font_path, o->font_index,
		    err)) == NULL)
			goto fail;
		d->own_font = 1;
	}
	d->subst = kh_font_has(d->font, KH_MISSING_CHAR) ?
	    KH_MISSING_CHAR : '?';
	d->pw = o->page == KH_A4_LANDSCAPE ? A4_LONG : A4_SHORT;
	d->ph = o->page == KH_A4_LANDSCAPE ? A4_SHORT : A4_LONG;
	d->left = o->margin_left > 0 ? o->margin_left : KH_MM(15);
	d->right = d->pw - (o->margin_right > 0 ? o->margin_right : KH_MM(15));
	d->top = o->margin_top > 0 ? o->margin_top : KH_MM(15);
	d->bottom = d->ph - (o->margin_bottom > 0 ? o->margin_bottom :
	    KH_MM(18));
	if (d->right - d->left < 72 || d->bottom - d->top < 72) {
		kh_err_sys(err, KH_USAGE, "page margins leave no room");
		goto fail;
	}
	d->title = dup_or_null(o->title, &oom);
	d->subject = dup_or_null(o->subject, &oom);
	d->author = dup_or_null(o->author, &oom);
	d->creator = dup_or_null(o->creator != NULL ? o->creator :
	    "kaohe " KH_VERSION, &oom);
	d->keywords = dup_or_null(o->keywords, &oom);
	d->date = dup_or_null(o->date, &oom);
	d->footer = dup_or_null(o->footer, &oom);
	d->watermark = dup_or_null(o->watermark, &oom);
	d->icc = dup_or_null(o->icc_path != NULL ? o->icc_path : DEFAULT_ICC,
	    &oom);
	d->pdfa = o->pdfa;
	d->y = d->top;
	if (o->date != NULL && parse_date(o->date, &date) < 0) {
		kh_err_sys(err, KH_USAGE, "bad document date \"%s\" (want "
		    "YYYY-MM-DD HH:MM:SS)", o->date);
		goto fail;
	}
	if (oom)
		goto nomem;
	return d;
nomem:
	kh_err_sys(err, KH_FAIL, "out of memory creating a PDF document");
fail:
	kh_doc_free(d);
	return NULL;
}

void
kh_doc_free(struct kh_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nops; i++)
		free(d->ops[i].text);
	free(d->ops);
	free(d->missing);
	free(d->noted);
	free(d->title);
	free(d->subject);
	free(d->author);
	free(d->creator);
	free(d->keywords);
	free(d->date);
	free(d->footer);
	free(d->watermark);
	free(d->icc);
	if (d->own_font)
		kh_font_close(d->font);
	free(d);
}

size_t
kh_doc_missing(const struct kh_doc *d, const struct kh_missing **list)
{
	*list = d->missing;
	return d->nmissing;
}

int
kh_doc_page_add(struct kh_doc *d)
{
	d->npages++;
	d->y = d->top;
	return KH_OK;
}

size_t
kh_doc_page_count(const struct kh_doc *d)
{
	return d->npages;
}

void
kh_doc_page_size(const struct kh_doc *d, double *w, double *h)
{
	*w = d->pw;
	*h = d->ph;
}

void
kh_doc_box(const struct kh_doc *d, double *l, double *t, double *r, double *b)
{
	*l = d->left;
	*t = d->top;
	*r = d->right;
	*b = d->bottom;
}

double
kh_doc_y(const struct kh_doc *d)
{
	return d->y;
}

void
kh_doc_set_y(struct kh_doc *d, double y)
{
	d->y = y;
}

int
kh_doc_need(struct kh_doc *d, double height)
{
	if (d->npages == 0 || d->y + height > d->bottom + 0.001)
		return kh_doc_page_add(d);
	return KH_OK;
}

/* ---- text ------------------------------------------------------------- */

double
kh_doc_text_width(struct kh_doc *d, double size, const char *utf8)
{
	size_t n = strlen(utf8), i = 0, a;
	double w = 0;
	uint32_t cp;

	while (i < n) {
		cp = kh_utf8_next(utf8 + i, n - i, &a);
		i += a;
		if (!kh_font_has(d->font, cp))
			cp = d->subst;
		w += kh_font_advance(d->font, cp);
	}
	return w * size / 1000.0;
}

/* Record sanitised text s (ownership taken) with its left edge at x. */
static int
put_text(struct kh_doc *d, double x, double y, double size, double gray,
    char *s)
{
	struct op *op;

	if ((op = new_op(d, OP_TEXT)) == NULL) {
		free(s);
		return fail(d);
	}
	op->x = x;
	op->y = y;
	op->size = size;
	op->gray = gray;
	op->text = s;
	return KH_OK;
}

static double
align_x(double x, double w, enum kh_align al)
{
	return al == KH_CENTER ? x - w / 2 : al == KH_RIGHT ? x - w : x;
}

int
kh_doc_text(struct kh_doc *d, double x, double y, double size,
    enum kh_align al, const char *utf8)
{
	char *s, *nl;

	if (size <= 0 || (s = sanitise(d, utf8)) == NULL)
		return fail(d);
	while ((nl = strchr(s, '\n')) != NULL)
		*nl = ' ';
	return put_text(d, align_x(x, width_of(d, size, s), al), y, size, 0, s);
}

/* Lines of sanitised s in width (pt) at size. */
static int
break_lines(struct kh_doc *d, const char *s, double width, double size,
    struct kh_text_line **lines, size_t *n)
{
	struct kh_err e;

	if (kh_linebreak(s, width * 1000.0 / size, advance, d->font, lines, n,
	    &e) != KH_OK)
		return fail(d);
	return KH_OK;
}

double
kh_doc_wrap_height(struct kh_doc *d, double width, double size,
    const char *utf8, size_t *nlines)
{
	struct kh_text_line *lines = NULL;
	size_t n = 0;
	char *s;

	if (nlines != NULL)
		*nlines = 0;
	if (size <= 0 || (s = sanitise(d, utf8)) == NULL) {
		fail(d);
		return 0;
	}
	break_lines(d, s, width, size, &lines, &n);
	free(lines);
	free(s);
	if (nlines != NULL)
		*nlines = n;
	return n * size * KH_LEADING;
}

/* Draw lines [from, to) of s starting with its top at y. */
static int
draw_lines(struct kh_doc *d, const char *s, const struct kh_text_line *lines,
    size_t from, size_t to, double x, double y, double width, double size,
    enum kh_align al)
{
	size_t i;
	double lx;
	char *t;

	for (i = from; i < to; i++, y += size * KH_LEADING) {
		if (lines[i].len == 0)
			continue;
		if ((t = strndup(s + lines[i].off, lines[i].len)) == NULL)
			return fail(d);
		lx = al == KH_LEFT ? x : al == KH_CENTER ? x + width / 2 : x + width;
		if (put_text(d, align_x(lx, lines[i].width * size / 1000.0, al),
		    y, size, 0, t) != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

int
kh_doc_wrap(struct kh_doc *d, double x, double y, double width, double size,
    enum kh_align al, const char *utf8, double *height)
{
	struct kh_text_line *lines = NULL;
	size_t n = 0;
	char *s = NULL;
	int rc = KH_FAIL;

	if (height != NULL)
		*height = 0;
	if (size <= 0 || width <= 0 || (s = sanitise(d, utf8)) == NULL) {
		fail(d);
		goto out;
	}
	if (break_lines(d, s, width, size, &lines, &n) != KH_OK ||
	    draw_lines(d, s, lines, 0, n, x, y, width, size, al) != KH_OK)
		goto out;
	if (height != NULL)
		*height = n * size * KH_LEADING;
	rc = KH_OK;
out:
	free(lines);
	free(s);
	return rc;
}

/*
 * A paragraph across the box at the cursor.  Lines that do not fit on
 * this page continue at the top of the next.
 */
int
kh_doc_para(struct kh_doc *d, double size, enum kh_align al,
    const char *utf8, double space_after)
{
	struct kh_text_line *lines = NULL;
	size_t n = 0, i = 0, fit;
	double lh = size * KH_LEADING, width = d->right - d->left;
	char *s = NULL;
	int rc = KH_FAIL;

	if (size <= 0 || (s = sanitise(d, utf8)) == NULL) {
		fail(d);
		goto out;
	}
	if (break_lines(d, s, width, size, &lines, &n) != KH_OK)
		goto out;
	while (i < n) {
		if (kh_doc_need(d, lh) != KH_OK)
			goto out;
		fit = (size_t)((d->bottom - d->y + 0.001) / lh);
		if (fit > n - i)
			fit = n - i;
		if (draw_lines(d, s, lines, i, i + fit, d->left, d->y, width,
		    size, al) != KH_OK)
			goto out;
		d->y += fit * lh;
		i += fit;
	}
	d->y += space_after;
	rc = KH_OK;
out:
	free(lines);
	free(s);
	return rc;
}

/* ---- shapes ----------------------------------------------------------- */

int
kh_doc_line(struct kh_doc *d, double x1, double y1, double x2, double y2,
    double width)
{
	struct op *op;

	if ((op = new_op(d, OP_LINE)) == NULL)
		return fail(d);
	op->x = x1;
	op->y = y1;
	op->w = x2;
	op->h = y2;
	op->lw = width > 0 ? width : TABLE_LINE;
	return KH_OK;
}

int
kh_doc_rect(struct kh_doc *d, double x, double y, double w, double h,
    double line_width, double fill_gray)
{
	struct op *op;

	if ((op = new_op(d, OP_RECT)) == NULL)
		return fail(d);
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->lw = line_width;
	op->gray = fill_gray > 1 ? 1 : fill_gray;
	return KH_OK;
}

/* ---- tables ----------------------------------------------------------- */

struct kh_table {
	struct kh_doc	*doc;
	struct kh_col	*cols;
	double		*x;		/* left edge of each column */
	size_t		 n;
	double		 size;
	double		 width;
};

/* Height of a row of cells (wrapped) and its tallest cell. */
static double
row_height(struct kh_table *t, const char *const *cells)
{
	size_t i, lines, most = 1;

	for (i = 0; i < t->n; i++) {
		if (cells[i] == NULL)
			continue;
		kh_doc_wrap_height(t->doc, t->cols[i].width - 2 * CELL_PAD,
		    t->size, cells[i], &lines);
		if (lines > most)
			most = lines;
	}
	return most * t->size * KH_LEADING + 2 * CELL_PAD;
}

static int
draw_row(struct kh_table *t, const char *const *cells, double h, double gray,
    int header)
{
	struct kh_doc *d = t->doc;
	size_t i;
	int rc = KH_OK;

	for (i = 0; i < t->n; i++)	/* shapes first: fewer BT/ET */
		rc |= kh_doc_rect(d, t->x[i], d->y, t->cols[i].width, h,
		    TABLE_LINE, gray);
	for (i = 0; i < t->n; i++) {
		if (cells[i] != NULL && cells[i][0] != '\0')
			rc |= kh_doc_wrap(d, t->x[i] + CELL_PAD, d->y + CELL_PAD,
			    t->cols[i].width - 2 * CELL_PAD, t->size,
			    header ? KH_CENTER : t->cols[i].align,
			    cells[i], NULL);
	}
	d->y += h;
	return rc ? KH_FAIL : KH_OK;
}

static int
draw_header(struct kh_table *t)
{
	const char **heads;
	size_t i;
	double h;
	int rc;

	if ((heads = calloc(t->n, sizeof(*heads))) == NULL)
		return fail(t->doc);
	for (i = 0; i < t->n; i++)
		heads[i] = t->cols[i].head;
	h = row_height(t, heads);
	if (kh_doc_need(t->doc, h) != KH_OK)
		rc = KH_FAIL;
	else
		rc = draw_row(t, heads, h, HEAD_GRAY, 1);
	free(heads);
	return rc;
}

struct kh_table *
kh_table_new(struct kh_doc *d, const struct kh_col *cols, size_t n,
    double size, struct kh_err *err)
{
	struct kh_table *t = NULL;
	double fixed = 0, share, x;
	size_t i, nfree = 0;
	int oom = 0;

	if (n == 0 || size < KH_MIN_TABLE_SIZE) {
		kh_err_sys(err, KH_USAGE, "a table needs columns and a size of "
		    "at least %.0f pt", KH_MIN_TABLE_SIZE);
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->cols = calloc(n, sizeof(*t->cols))) == NULL ||
	    (t->x = calloc(n, sizeof(*t->x))) == NULL)
		goto nomem;
	t->doc = d;
	t->n = n;
	t->size = size;
	for (i = 0; i < n; i++) {
		t->cols[i] = cols[i];
		t->cols[i].head = dup_or_null(cols[i].head ? cols[i].head : "",
		    &oom);
		fixed += cols[i].width;
		nfree += cols[i].width <= 0;
	}
	if (oom)
		goto nomem;
	share = nfree ? (d->right - d->left - fixed) / nfree : 0;
	if (nfree && share < 2 * CELL_PAD + size) {
		kh_err_sys(err, KH_USAGE, "table columns wider than the page");
		goto out;
	}
	for (i = 0, x = d->left; i < n; i++) {
		if (t->cols[i].width <= 0)
			t->cols[i].width = share;
		t->x[i] = x;
		x += t->cols[i].width;
	}
	t->width = x - d->left;
	if (draw_header(t) == KH_OK)
		return t;
	kh_err_sys(err, KH_FAIL, "out of memory drawing a table");
	goto out;
nomem:
	kh_err_sys(err, KH_FAIL, "out of memory creating a table");
out:
	if (t != NULL)
		t->doc = NULL;
	kh_table_end(t);
	return NULL;
}

int
kh_table_row(struct kh_table *t, const char *const *cells,
    enum kh_row_style style)
{
	struct kh_doc *d = t->doc;
	double h = row_height(t, cells);

	if (d->y + h > d->bottom + 0.001) {
		if (kh_doc_page_add(d) != KH_OK || draw_header(t) != KH_OK)
			return fail(d);
	}
	return draw_row(t, cells, h, style == KH_ROW_SHADE ? SHADE_GRAY : -1, 0);
}

void
kh_table_end(struct kh_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->doc != NULL)
		t->doc->y += t->size;
	for (i = 0; t->cols != NULL && i < t->n; i++)
		free((char *)t->cols[i].head);
	free(t->cols);
	free(t->x);
	free(t);
}

/* ---- charts ----------------------------------------------------------- */

static int
chart_title(struct kh_doc *d, double size, const char *title)
{
	if (title == NULL)
		return KH_OK;
	return kh_doc_para(d, size * 1.1, KH_LEFT, title, size * 0.3);
}

int
kh_doc_barchart(struct kh_doc *d, double size, const char *title,
    const struct kh_bar *bars, size_t n, long max)
{
	double lw = 0, vw = 0, w, area, rowh = size * KH_LEADING + 2, x0, len,
	    whole;
	size_t i;
	int rc = KH_OK;

	for (i = 0; i < n; i++) {
		if (max <= 0 || bars[i].value > max)
			max = bars[i].value > max ? bars[i].value : max;
		w = kh_doc_text_width(d, size, bars[i].label ? bars[i].label : "");
		lw = w > lw ? w : lw;
		w = kh_doc_text_width(d, size,
		    bars[i].value_text ? bars[i].value_text : "");
		vw = w > vw ? w : vw;
	}
	if (lw > (d->right - d->left) * 0.35)
		lw = (d->right - d->left) * 0.35;
	x0 = d->left + lw + size;
	area = d->right - x0 - vw - size;
	if (area < size * 4)
		return fail(d);
	/* whole on one page when it can be; else at least three rows here */
	whole = rowh * ((double)n + 1.5) + size;
	rc |= kh_doc_need(d, whole <= d->bottom - d->top ? whole :
	    rowh * (n < 3 ? n + 1 : 3));
	rc |= chart_title(d, size, title);
	for (i = 0; i < n; i++) {
		rc |= kh_doc_need(d, rowh);
		if (bars[i].label != NULL)
			rc |= kh_doc_text(d, x0 - size / 2, d->y + 1, size,
			    KH_RIGHT, bars[i].label);
		len = max > 0 && bars[i].value > 0 ?
		    area * (double)bars[i].value / (double)max : 0;
		if (len > 0)
			rc |= kh_doc_rect(d, x0, d->y + 1 + size * 0.2, len,
			    size * 0.95, 0.4, BAR_GRAY);
		if (bars[i].value_text != NULL)
			rc |= kh_doc_text(d, x0 + len + size / 2, d->y + 1,
			    size, KH_LEFT, bars[i].value_text);
		d->y += rowh;
	}
	rc |= kh_doc_line(d, x0, d->y - rowh * n, x0, d->y, 0.6);
	d->y += size;
	return rc ? fail(d) : KH_OK;
}

int
kh_doc_linechart(struct kh_doc *d, double size, const char *title,
    const char *const *xlabels, const long *values,
    const char *const *value_texts, size_t n, double height)
{
	double lh = size * KH_LEADING, top, base, x0, step, px, py, qx = 0,
	    qy = 0;
	long lo = 0, hi = 0;
	size_t i;
	int rc = KH_OK;

	if (n == 0 || height < 4 * lh)
		return fail(d);
	for (i = 0; i < n; i++) {
		lo = values[i] < lo ? values[i] : lo;
		hi = values[i] > hi ? values[i] : hi;
	}
	/*
	 * Totals of 80–100 points drawn from 0 are a flat line: when every
	 * value is positive, start the axis one spread below the lowest, so
	 * the change shows; each point carries its value text anyway.
	 */
	if (lo == 0 && n > 0) {
		long min = values[0];

		for (i = 1; i < n; i++)
			min = values[i] < min ? values[i] : min;
		if (min > 0)
			lo = min - (hi - min > hi / 20 ? hi - min : hi / 20);
		if (lo < 0)
			lo = 0;
	}
	if (hi == lo)
		hi = lo + 1;
	rc |= kh_doc_need(d, height + (title ? lh * 1.5 : 0));
	rc |= chart_title(d, size, title);
	top = d->y + lh;			/* room for value texts */
	base = d->y + height - lh;		/* room for x labels */
	x0 = d->left + size;
	step = (d->right - x0) / (double)n;
	rc |= kh_doc_line(d, x0, top - lh / 2, x0, base, 0.6);
	rc |= kh_doc_line(d, x0, base, d->right, base, 0.6);
	for (i = 0; i < n; i++) {
		px = x0 + step * (i + 0.5);
		py = base - (base - top) * (double)(values[i] - lo) /
		    (double)(hi - lo);
		if (i > 0)
			rc |= kh_doc_line(d, qx, qy, px, py, 1.0);
		rc |= kh_doc_rect(d, px - 2, py - 2, 4, 4, 0, 0);
		if (value_texts != NULL && value_texts[i] != NULL)
			rc |= kh_doc_text(d, px, py - lh, size, KH_CENTER,
			    value_texts[i]);
		if (xlabels != NULL && xlabels[i] != NULL)
			rc |= kh_doc_text(d, px, base + 1, size, KH_CENTER,
			    xlabels[i]);
		qx = px;
		qy = py;
	}
	d->y += height + size;
	return rc ? fail(d) : KH_OK;
}

/* ---- save: footers, subset, replay, atomic write ---------------------- */

/* Footer ("第 x 页 共 y 页" + opts.footer) and watermark on every page. */
static int
add_page_furniture(struct kh_doc *d)
{
	char buf[64];
	size_t p, keep = d->npages;
	double y = d->bottom + KH_MM(4), fsize = FOOTER_SIZE, room, w;
	struct op *op;

	if (y > d->ph - FOOTER_SIZE * KH_LEADING - 8)	/* thin bottom margin */
		y = d->ph - FOOTER_SIZE * KH_LEADING - 8;
	char *s;

	/*
	 * A long footer (a 64-digit chain head, say) is set smaller rather
	 * than run into the page number: what it says must stay whole.
	 */
	if (d->footer != NULL) {
		snprintf(buf, sizeof(buf), "第 %zu 页 共 %zu 页", keep, keep);
		room = d->right - d->left - kh_doc_text_width(d, FOOTER_SIZE,
		    buf) - KH_MM(4);
		w = kh_doc_text_width(d, FOOTER_SIZE, d->footer);
		if (w > room && room > 0)
			fsize = FOOTER_SIZE * room / w;
		if (fsize < FOOTER_MIN)
			fsize = FOOTER_MIN;
	}

	for (p = 0; p < keep; p++) {
		d->npages = p + 1;	/* new_op() records on page npages-1 */
		snprintf(buf, sizeof(buf), "第 %zu 页 共 %zu 页", p + 1, keep);
		if (kh_doc_text(d, d->right, y, FOOTER_SIZE, KH_RIGHT, buf))
			goto oom;
		if (d->footer != NULL && kh_doc_text(d, d->left, y,
		    fsize, KH_LEFT, d->footer))
			goto oom;
		if (d->watermark == NULL)
			continue;
		if ((s = sanitise(d, d->watermark)) == NULL ||
		    (op = new_op(d, OP_MARK)) == NULL) {
			free(s);
			goto oom;
		}
		op->text = s;
		op->size = MARK_SIZE;
		op->w = width_of(d, MARK_SIZE, s);
		op->gray = MARK_GRAY;
	}
	d->npages = keep;
	return KH_OK;
oom:
	d->npages = keep;
	return fail(d);
}

/* Ops in page order, watermark first on each page, else recording order. */
static int
op_cmp(const void *a, const void *b)
{
	const struct op *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	if ((x->kind == OP_MARK) != (y->kind == OP_MARK))
		return x->kind == OP_MARK ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct haru_err {
	HPDF_STATUS	 no, detail;
};

static void
haru_error(HPDF_STATUS no, HPDF_STATUS detail, void *arg)
{
	struct haru_err *he = arg;

	if (he->no == 0) {
		he->no = no;
		he->detail = detail;
	}
}

/* One "beginbfrange" block of n runs, each mapping codes to themselves. */
static HPDF_STATUS
put_ranges(HPDF_Stream st, size_t (*runs)[2], size_t n)
{
	HPDF_STATUS rc;
	char buf[64];
	size_t k;

	if (n == 0)
		return HPDF_OK;
	snprintf(buf, sizeof(buf), "%zu beginbfrange\n", n);
	rc = HPDF_Stream_WriteStr(st, buf);
	for (k = 0; k < n; k++) {
		snprintf(buf, sizeof(buf), "<%04zX> <%04zX> <%04zX>\n",
		    runs[k][0], runs[k][1], runs[k][0]);
		rc |= HPDF_Stream_WriteStr(st, buf);
	}
	return rc | HPDF_Stream_WriteStr(st, "endbfrange\n");
}

/*
 * libharu 2.3's ToUnicode CMap for UTF-8 text is a dummy (a cidrange in a
 * ToUnicode stream, which readers reject).  The codes it writes are the
 * UCS-2 values themselves, so the right map is the identity over the code
 * points in use: rewrite the stream in place with bfrange runs.
 */
static int
fix_tounicode(struct kh_doc *d, HPDF_Font font)
{
	static const char *drop[] = { "Type", "CMapName", "CIDSystemInfo",
	    "WMode" };
	size_t runs[100][2];
	size_t i, cp, end, n = 0;
	HPDF_STATUS rc = HPDF_OK;
	HPDF_Stream st;
	HPDF_Dict tu;

	tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (tu == NULL || (st = tu->stream) == NULL)
		return -1;
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		HPDF_Dict_RemoveElement(tu, drop[i]);	/* all four are there */
	HPDF_MemStream_FreeData(st);
	rc |= HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
	    "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-"
	    "UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	for (cp = 0; cp < 0x10000; cp = end) {
		end = cp + 1;
		if (!(d->used[cp >> 3] & (1u << (cp & 7))))
			continue;
		/* a run may not cross a change of the high byte */
		while (end < 0x10000 && (end & 0xFF) != 0 &&
		    (d->used[end >> 3] & (1u << (end & 7))))
			end++;
		runs[n][0] = cp;
		runs[n][1] = end - 1;
		if (++n == 100) {
			rc |= put_ranges(st, runs, n);
			n = 0;
		}
	}
	rc |= put_ranges(st, runs, n);
	rc |= HPDF_Stream_WriteStr(st, "endcmap\nCMapName currentdict /CMap "
	    "defineresource pop\nend\nend\n");
	return rc == HPDF_OK ? 0 : -1;
}

/*
 * PDF/A-1 wants a CIDSet (a bit per CID present) in the descriptor of a
 * subset CID font, and every descriptor needs a CapHeight; libharu 2.3
 * writes neither, and creates that descriptor only while writing the
 * file, in the Type0 font's before-write hook.  So both are made now,
 * parked in the font dictionary under private keys, and the hook is
 * wrapped to move them into the descriptor once that exists.
 */
#define CIDSET_KEY	"KaoheCIDSet"
#define CAP_KEY		"KaoheCapHeight"

static HPDF_Dict_BeforeWriteFunc haru_before_write;	/* libharu's own */

static HPDF_STATUS
before_write_cidset(HPDF_Dict font)
{
	HPDF_FontAttr attr = font->attr;
	HPDF_Dict set, desc;
	HPDF_Number cap;
	HPDF_STATUS st;

	if ((st = haru_before_write(font)) != HPDF_OK)
		return st;
	set = HPDF_Dict_GetItem(font, CIDSET_KEY, HPDF_OCLASS_DICT);
	cap = HPDF_Dict_GetItem(font, CAP_KEY, HPDF_OCLASS_NUMBER);
	desc = attr->fontdef->descriptor;
	if (set == NULL || cap == NULL || desc == NULL)
		return HPDF_OK;
	if ((st = HPDF_Dict_Add(desc, "CIDSet", set)) != HPDF_OK ||
	    (st = HPDF_Dict_AddNumber(desc, "CapHeight", cap->value)) != HPDF_OK)
		return st;
	HPDF_Dict_RemoveElement(font, CIDSET_KEY);
	return HPDF_Dict_RemoveElement(font, CAP_KEY);
}

static int
add_cidset(struct kh_doc *d, HPDF_Doc pdf, HPDF_Font font)
{
	unsigned char bits[0x10000 / 8];
	size_t cp, len = 1;
	HPDF_Dict set;

	memset(bits, 0, sizeof(bits));
	bits[0] = 0x80;				/* CID 0, .notdef */
	for (cp = 1; cp < 0x10000; cp++)	/* CID = UCS-2 code */
		if (d->used[cp >> 3] & (1u << (cp & 7))) {
			bits[cp >> 3] |= (unsigned char)(0x80u >> (cp & 7));
			len = (cp >> 3) + 1;
		}
	if (font->before_write_fn == NULL)
		return -1;
	if (haru_before_write == NULL)
		haru_before_write = font->before_write_fn;
	if ((set = HPDF_DictStream_New(pdf->mmgr, pdf->xref)) == NULL ||
	    HPDF_Stream_Write(set->stream, bits, len) != HPDF_OK ||
	    HPDF_Dict_Add(font, CIDSET_KEY, set) != HPDF_OK ||
	    HPDF_Dict_AddNumber(font, CAP_KEY,
	    (HPDF_INT32)lround(kh_font_cap_height(d->font))) != HPDF_OK)
		return -1;
	set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	font->before_write_fn = before_write_cidset;
	return 0;
}

/*
 * write(2) until all is written: a short write (the disk filling up) is
 * followed by one that fails with the reason, so errno always tells why.
 */
static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {		/* not for files; never loop forever */
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * libharu 2.3 reads fonts from files only (it has no LoadTTFontFromMem):
 * the subset goes into an anonymous memory file that libharu opens by
 * its /proc/self/fd name.  No temporary file ever has a name, so a run
 * killed at any moment leaves none behind.  libharu keeps its own
 * descriptor open (to embed the font when saving); ours is closed after
 * loading.  Returns the descriptor, or -1 with err set.
 */
static int
font_memfile(const unsigned char *data, size_t len, char path[64],
    struct kh_err *err)
{
	int fd;

	if ((fd = memfd_create("kaohe-font", MFD_CLOEXEC)) < 0) {
		kh_err_sys(err, KH_FAIL, "cannot hold the font subset in "
		    "memory: %s", strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) != 0) {
		kh_err_sys(err, KH_FAIL, "cannot hold the font subset in "
		    "memory: %s", strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	if (access(path, R_OK) != 0) {
		kh_err_sys(err, KH_FAIL, "%s: %s (libharu loads fonts by name: "
		    "is /proc mounted?)", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static HPDF_Font
load_subset(struct kh_doc *d, HPDF_Doc pdf, struct kh_err *err)
{
	uint32_t *cps = NULL;
	unsigned char *data = NULL;
	size_t n = 0, cp, len = 0;
	const char *name;
	char path[64];
	HPDF_Font font = NULL;
	int fd = -1;

	if ((cps = malloc(0x10000 * sizeof(*cps))) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory subsetting the font");
		goto out;
	}
	for (cp = 0; cp < 0x10000; cp++)
		if (d->used[cp >> 3] & (1u << (cp & 7)))
			cps[n++] = (uint32_t)cp;
	if (kh_font_subset(d->font, cps, n, &data, &len, err) != KH_OK ||
	    (fd = font_memfile(data, len, path, err)) < 0)
		goto out;
	name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
	if (name != NULL)
		font = HPDF_GetFont(pdf, name, "UTF-8");
	if (font != NULL && (fix_tounicode(d, font) < 0 ||
	    (d->pdfa && add_cidset(d, pdf, font) < 0)))
		font = NULL;
	if (font == NULL)
		kh_err_sys(err, KH_FAIL, "libharu could not load the font "
		    "subset (error 0x%04lX)", (unsigned long)HPDF_GetError(pdf));
out:
	if (fd >= 0)
		close(fd);
	free(data);
	free(cps);
	return font;
}

/* "YYYY-MM-DD[ T]HH:MM:SS" (seconds optional) into an HPDF_Date. */
static int
parse_date(const char *s, HPDF_Date *t)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	char sep = ' ';
	int n;

	memset(t, 0, sizeof(*t));
	t->ind = 'Z';
	n = sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d", &t->year, &t->month, &t->day,
	    &sep, &t->hour, &t->minutes, &t->seconds);
	if ((n != 3 && n < 6) || (n >= 4 && sep != ' ' && sep != 'T'))
		return -1;
	if (t->year < 1970 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > mdays[t->month - 1] + (t->month == 2 && t->year % 4 == 0 &&
	    (t->year % 100 != 0 || t->year % 400 == 0)) || t->hour < 0 ||
	    t->hour > 23 || t->minutes < 0 || t->minutes > 59 ||
	    t->seconds < 0 || t->seconds > 59)
		return -1;
	return 0;
}

/*
 * A /ID that depends only on the content, set before libharu's PDF/A code
 * would make one from the wall clock (HPDF_PDFA_GenerateID uses time()).
 */
static int
set_id(struct kh_doc *d, HPDF_Doc pdf)
{
	struct kh_sha256 *h;
	char hex[KH_SHA256_HEX], rec[256];
	HPDF_BYTE id[16];
	HPDF_Array arr;
	size_t i;

	if ((h = kh_sha256_new()) == NULL)
		return -1;
	for (i = 0; i < d->nops; i++) {
		const struct op *o = &d->ops[i];

		snprintf(rec, sizeof(rec), "%d %zu %.2f %.2f %.2f %.2f %.2f "
		    "%.2f %.2f\n", (int)o->kind, o->page, o->x, o->y, o->w,
		    o->h, o->size, o->lw, o->gray);
		kh_sha256_update(h, rec, strlen(rec));
		if (o->text != NULL)
			kh_sha256_update(h, o->text, strlen(o->text) + 1);
	}
	if (d->title != NULL)
		kh_sha256_update(h, d->title, strlen(d->title));
	if (d->date != NULL)
		kh_sha256_update(h, d->date, strlen(d->date));
	if (kh_sha256_final(h, hex) != 0)
		return -1;
	for (i = 0; i < sizeof(id); i++)
		sscanf(hex + 2 * i, "%2hhx", &id[i]);
	if ((arr = HPDF_Array_New(pdf->mmgr)) == NULL ||
	    HPDF_Dict_Add(pdf->trailer, "ID", arr) != HPDF_OK ||
	    HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, id, 16)) != HPDF_OK ||
	    HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, id, 16)) != HPDF_OK)
		return -1;
	return 0;
}

/*
 * sRGB output intent for PDF/A.  HPDF_PDFA_AppendOutputIntents in 2.3.0
 * writes the key as "DestOutputProfile " (trailing space), which no reader
 * finds, so the intent dictionary is built here with libharu's object API.
 */
static int
add_output_intent(struct kh_doc *d, HPDF_Doc pdf)
{
	HPDF_OutputIntent icc;
	HPDF_Dict intent;
	HPDF_Array arr;
	const char *name = "sRGB IEC61966-2.1";

	if ((icc = HPDF_LoadIccProfileFromFile(pdf, d->icc, 3)) == NULL)
		return -1;
	icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;	/* 7 KB -> 3 KB */
	if ((intent = HPDF_Dict_New(pdf->mmgr)) == NULL ||
	    HPDF_Xref_Add(pdf->xref, intent) != HPDF_OK)
		return -1;
	if (HPDF_Dict_AddName(intent, "Type", "OutputIntent") != HPDF_OK ||
	    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") != HPDF_OK ||
	    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
	    HPDF_String_New(pdf->mmgr, name, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(intent, "Info",
	    HPDF_String_New(pdf->mmgr, name, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(intent, "DestOutputProfile", icc) != HPDF_OK)
		return -1;
	if ((arr = HPDF_Array_New(pdf->mmgr)) == NULL ||
	    HPDF_Dict_Add(pdf->catalog, "OutputIntents", arr) != HPDF_OK ||
	    HPDF_Array_Add(arr, intent) != HPDF_OK)
		return -1;
	return 0;
}

/* Append s to the stream with XML's five special characters escaped. */
static HPDF_STATUS
xml_put(HPDF_Stream st, const char *s)
{
	HPDF_STATUS rc = HPDF_OK;
	const char *rep;
	size_t run;

	while (*s != '\0' && rc == HPDF_OK) {
		run = strcspn(s, "<>&'\"");
		if (run > 0)
			rc = HPDF_Stream_Write(st, (const HPDF_BYTE *)s, run);
		s += run;
		if (*s == '\0' || rc != HPDF_OK)
			break;
		rep = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ?
		    "&amp;" : *s == '\'' ? "&apos;" : "&quot;";
		rc = HPDF_Stream_WriteStr(st, rep);
		s++;
	}
	return rc;
}

/* <tag>escaped value</tag>, or nothing when value is NULL. */
static HPDF_STATUS
xml_elem(HPDF_Stream st, const char *open, const char *value,
    const char *close)
{
	if (value == NULL)
		return HPDF_OK;
	if (HPDF_Stream_WriteStr(st, open) != HPDF_OK ||
	    xml_put(st, value) != HPDF_OK)
		return HPDF_FAILD_TO_ALLOC_MEM;
	return HPDF_Stream_WriteStr(st, close);
}

/*
 * The PDF/A-1b XMP packet, written here rather than by
 * HPDF_PDFA_SetPDFAConformance, which in 2.3.0 names the key /SubType
 * (readers want /Subtype), does not escape < & in titles, and rejects a
 * UTC ('Z') date.  It mirrors the Info dictionary, as PDF/A requires.
 */
static int
add_xmp(struct kh_doc *d, HPDF_Doc pdf, const char *xmpdate)
{
	HPDF_Dict x;
	HPDF_Stream st;
	HPDF_STATUS rc = HPDF_OK;

	if ((x = HPDF_DictStream_New(pdf->mmgr, pdf->xref)) == NULL)
		return -1;
	st = x->stream;
	rc |= HPDF_Dict_AddName(x, "Type", "Metadata");
	rc |= HPDF_Dict_AddName(x, "Subtype", "XML");
	rc |= HPDF_Stream_WriteStr(st, "<?xpacket begin=\"\xEF\xBB\xBF\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
	    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
	    "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n");
	rc |= xml_elem(st, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
	    d->title, "</rdf:li></rdf:Alt></dc:title>\n");
	rc |= xml_elem(st, "<dc:creator><rdf:Seq><rdf:li>", d->author,
	    "</rdf:li></rdf:Seq></dc:creator>\n");
	rc |= xml_elem(st, "<dc:description><rdf:Alt><rdf:li "
	    "xml:lang=\"x-default\">", d->subject,
	    "</rdf:li></rdf:Alt></dc:description>\n");
	rc |= xml_elem(st, "<pdf:Keywords>", d->keywords, "</pdf:Keywords>\n");
	rc |= xml_elem(st, "<pdf:Producer>", HPDF_GetInfoAttr(pdf,
	    HPDF_INFO_PRODUCER), "</pdf:Producer>\n");
	rc |= xml_elem(st, "<xmp:CreatorTool>", d->creator,
	    "</xmp:CreatorTool>\n");
	rc |= xml_elem(st, "<xmp:CreateDate>", xmpdate, "</xmp:CreateDate>\n");
	rc |= xml_elem(st, "<xmp:ModifyDate>", xmpdate, "</xmp:ModifyDate>\n");
	rc |= HPDF_Stream_WriteStr(st, "<pdfaid:part>1</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>");
	rc |= HPDF_Dict_Add(pdf->catalog, "Metadata", x);
	pdf->pdf_version = HPDF_VER_14;
	return rc == HPDF_OK ? 0 : -1;
}

/* Info dictionary, dates, /ID, and the PDF/A pieces. */
static int
set_info(struct kh_doc *d, HPDF_Doc pdf, struct kh_err *err)
{
	HPDF_Date date;
	char xmpdate[32];

	if ((d->title && HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, d->title)) ||
	    (d->subject && HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT,
	    d->subject)) ||
	    (d->author && HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, d->author)) ||
	    (d->keywords && HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS,
	    d->keywords)) ||
	    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, d->creator))
		return kh_err_sys(err, KH_FAIL, "libharu refused the PDF "
		    "information");
	if (d->date != NULL) {
		if (parse_date(d->date, &date) < 0)
			return kh_err_sys(err, KH_USAGE, "bad PDF date \"%s\" "
			    "(want YYYY-MM-DD HH:MM:SS)", d->date);
		if (HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date) ||
		    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date))
			return kh_err_sys(err, KH_FAIL, "libharu refused the "
			    "PDF date");
		snprintf(xmpdate, sizeof(xmpdate), "%04d-%02d-%02dT%02d:%02d:"
		    "%02dZ", date.year, date.month, date.day, date.hour,
		    date.minutes, date.seconds);
	}
	if (set_id(d, pdf) < 0)
		return kh_err_sys(err, KH_FAIL, "cannot set the PDF /ID");
	if (!d->pdfa)
		return KH_OK;
	if (add_output_intent(d, pdf) < 0)
		return kh_err_sys(err, KH_FAIL, "%s: cannot embed the ICC "
		    "profile for PDF/A", d->icc);
	if (add_xmp(d, pdf, d->date != NULL ? xmpdate : NULL) < 0)
		return kh_err_sys(err, KH_FAIL, "cannot write the PDF/A "
		    "metadata");
	return KH_OK;
}

/* PDF y of a text baseline for a line box with its top at y. */
static double
baseline(struct kh_doc *d, double y, double size)
{
	double asc = kh_font_ascender(d->font);
	double desc = kh_font_descender(d->font);
	double em = asc - desc > 0 ? asc - desc : 1000;

	return d->ph - (y + size * (KH_LEADING - 1) / 2 + size * asc / em);
}

/*
 * What the page's graphics state holds, so that replay writes an operator
 * only when a value changes and keeps runs of text in one BT ... ET.
 */
struct pen {
	HPDF_Page	 pg;
	HPDF_Font	 font;
	int		 in_text;
	double		 gray;		/* fill gray */
	double		 lw;		/* line width */
	double		 size;		/* font size, < 0 none yet */
};

static HPDF_STATUS
pen_text(struct pen *p, int on)
{
	if (p->in_text == on)
		return HPDF_OK;
	p->in_text = on;
	return on ? HPDF_Page_BeginText(p->pg) : HPDF_Page_EndText(p->pg);
}

/* Whether the state already holds v; if not, it will once the caller sets it. */
static int
pen_holds(double *slot, double v)
{
	if (*slot == v)
		return 1;
	*slot = v;
	return 0;
}

static HPDF_STATUS
pen_gray(struct pen *p, double g)
{
	return pen_holds(&p->gray, g) ? HPDF_OK :
	    HPDF_Page_SetGrayFill(p->pg, g);
}

static HPDF_STATUS
pen_width(struct pen *p, double w)
{
	return pen_holds(&p->lw, w) ? HPDF_OK :
	    HPDF_Page_SetLineWidth(p->pg, w);
}

static HPDF_STATUS
pen_size(struct pen *p, double size)
{
	return pen_holds(&p->size, size) ? HPDF_OK :
	    HPDF_Page_SetFontAndSize(p->pg, p->font, size);
}

static HPDF_STATUS
replay_op(struct kh_doc *d, struct pen *p, const struct op *o)
{
	HPDF_STATUS st = HPDF_OK;
	double c = cos(M_PI / 4), s = sin(M_PI / 4);

	if (o->kind != OP_TEXT)
		st |= pen_text(p, 0);
	switch (o->kind) {
	case OP_TEXT:
		st |= pen_gray(p, o->gray);
		st |= pen_text(p, 1);
		st |= pen_size(p, o->size);
		st |= HPDF_Page_TextOut(p->pg, o->x, baseline(d, o->y, o->size),
		    o->text);
		break;
	case OP_MARK:	/* its own text object: the matrix is rotated */
		st |= pen_gray(p, o->gray);
		st |= HPDF_Page_BeginText(p->pg);
		st |= pen_size(p, o->size);
		st |= HPDF_Page_SetTextMatrix(p->pg, c, s, -s, c,
		    d->pw / 2 - (o->w / 2) * c, d->ph / 2 - (o->w / 2) * s);
		st |= HPDF_Page_ShowText(p->pg, o->text);
		st |= HPDF_Page_EndText(p->pg);
		break;
	case OP_LINE:
		st |= pen_width(p, o->lw);
		st |= HPDF_Page_MoveTo(p->pg, o->x, d->ph - o->y);
		st |= HPDF_Page_LineTo(p->pg, o->w, d->ph - o->h);
		st |= HPDF_Page_Stroke(p->pg);
		break;
	case OP_RECT:
		if (o->gray >= 0)
			st |= pen_gray(p, o->gray);
		if (o->lw > 0)
			st |= pen_width(p, o->lw);
		st |= HPDF_Page_Rectangle(p->pg, o->x, d->ph - o->y - o->h,
		    o->w, o->h);
		if (o->gray >= 0 && o->lw > 0)
			st |= HPDF_Page_FillStroke(p->pg);
		else if (o->gray >= 0)
			st |= HPDF_Page_Fill(p->pg);
		else if (o->lw > 0)
			st |= HPDF_Page_Stroke(p->pg);
		else
			st |= HPDF_Page_EndPath(p->pg);
		break;
	}
	return st;
}

static int
replay(struct kh_doc *d, HPDF_Doc pdf, HPDF_Font font, struct kh_err *err)
{
	struct pen p;
	size_t i, page = (size_t)-1;

	memset(&p, 0, sizeof(p));
	qsort(d->ops, d->nops, sizeof(*d->ops), op_cmp);
	for (i = 0; i < d->nops; i++) {
		while (page == (size_t)-1 || page < d->ops[i].page) {
			if ((p.pg != NULL && pen_text(&p, 0) != HPDF_OK) ||
			    (p.pg = HPDF_AddPage(pdf)) == NULL ||
			    HPDF_Page_SetWidth(p.pg, d->pw) != HPDF_OK ||
			    HPDF_Page_SetHeight(p.pg, d->ph) != HPDF_OK)
				return kh_err_sys(err, KH_FAIL, "libharu "
				    "could not add a page");
			p.font = font;
			p.in_text = 0;
			p.gray = 0;	/* a new page's graphics state */
			p.lw = 1;
			p.size = -1;
			page++;
		}
		if (replay_op(d, &p, &d->ops[i]) != HPDF_OK)
			return kh_err_sys(err, KH_FAIL, "libharu could not draw "
			    "on page %zu (error 0x%04lX)", page + 1,
			    (unsigned long)HPDF_GetError(pdf));
	}
	if (p.pg != NULL && pen_text(&p, 0) != HPDF_OK)
		return kh_err_sys(err, KH_FAIL, "libharu could not end a page");
	return KH_OK;
}

/*
 * Copy libharu's memory stream to fd.  libharu builds the whole file in
 * memory, so a failure there is its own (its error code says which);
 * writing is ours, and the message keeps errno (a full disk says so).
 */
static int
write_stream(HPDF_Doc pdf, int fd, const char *path, struct kh_err *err)
{
	HPDF_BYTE buf[65536];
	HPDF_UINT32 n;
	HPDF_STATUS st;

	if (HPDF_SaveToStream(pdf) != HPDF_OK)
		return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "libharu could not make the PDF (error 0x%04lX)",
		    (unsigned long)HPDF_GetError(pdf));
	HPDF_ResetStream(pdf);
	for (;;) {
		n = sizeof(buf);
		st = HPDF_ReadFromStream(pdf, buf, &n);
		if (n > 0 && write_all(fd, buf, n) != 0)
			return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
			    "cannot write the PDF: %s", strerror(errno));
		if (st == HPDF_STREAM_EOF)
			return KH_OK;
		if (st != HPDF_OK)
			return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
			    "libharu could not read back the PDF (error "
			    "0x%04lX)", (unsigned long)HPDF_GetError(pdf));
	}
}

/* Sync the directory holding path, so the rename itself is durable. */
static void
sync_dir(const char *path)
{
	char dir[4096];
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * The mode open(path, O_CREAT, 0666) would give: mkstemp makes 0600
 * whatever the umask, and the umask (kaohe --umask) is the one setting
 * for who may read the outputs.
 */
static mode_t
umasked_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* Write pdf to "<path>.XXXXXX", fsync, rename over path. */
static int
write_atomic(HPDF_Doc pdf, const char *path, struct kh_err *err)
{
	char tmp[4096];
	int fd = -1, rc = KH_FAIL;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp))
		return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "path too long");
	if ((fd = mkstemp(tmp)) < 0) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot create a file next to it: %s", strerror(errno));
		return KH_FAIL;
	}
	if (fchmod(fd, umasked_mode()) < 0) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot set the mode of %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_stream(pdf, fd, path, err) != KH_OK)
		goto out;
	if (fsync(fd) < 0) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot write the PDF: %s", strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot write the PDF: %s", strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot rename %s into place: %s", tmp, strerror(errno));
		goto out;
	}
	sync_dir(path);
	rc = KH_OK;
out:
	if (fd >= 0)
		close(fd);
	if (rc != KH_OK)
		unlink(tmp);
	return rc;
}

int
kh_doc_save(struct kh_doc *d, const char *path, struct kh_err *err)
{
	struct haru_err he = { 0, 0 };
	HPDF_Doc pdf = NULL;
	HPDF_Font font;
	int rc = KH_FAIL;

	if (d->saved)
		return kh_err_sys(err, KH_USAGE, "a document is saved once");
	d->saved = 1;
	if (kh_sig_check(err) != KH_OK)		/* stop between documents */
		return KH_FAIL;
	if (d->npages == 0)
		kh_doc_page_add(d);
	mark_used(d, ' ');
	if (add_page_furniture(d) != KH_OK || d->failed) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "out of memory laying out the document");
		goto out;
	}
	if ((pdf = HPDF_New(haru_error, &he)) == NULL) {
		kh_err_sys(err, KH_FAIL, "libharu could not start a document");
		goto out;
	}
	if (HPDF_SetCompressionMode(pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE |
	    HPDF_COMP_METADATA) != HPDF_OK ||
	    HPDF_UseUTFEncodings(pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(pdf, "UTF-8") != HPDF_OK) {
		kh_err_sys(err, KH_FAIL, "libharu lacks UTF-8 support");
		goto out;
	}
	if ((font = load_subset(d, pdf, err)) == NULL ||
	    set_info(d, pdf, err) != KH_OK || replay(d, pdf, font, err) != KH_OK)
		goto out;
	rc = write_atomic(pdf, path, err);
out:
	if (pdf != NULL)
		HPDF_Free(pdf);
	return rc;
}
