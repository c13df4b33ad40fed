/*
 * docs.c — what the four documents share (docs_int.h): the layout and the
 * PDF opened from the run context, formatting of numbers and dates,
 * layout-driven tables, and saving with the missing-glyph report.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"	/* KH_VERSION */
#include "decimal.h"
#include "docs_int.h"
#include "fontsub.h"
#include "utf8.h"

void
kh_docs_var(struct kh_docs_vars *v, const char *name, const char *value)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0) {
			v->values[i] = value;
			return;
		}
	/* the names are the documents' own, far fewer than the room */
	assert(v->n < sizeof(v->names) / sizeof(v->names[0]));
	if (v->n < sizeof(v->names) / sizeof(v->names[0])) {
		v->names[v->n] = name;
		v->values[v->n++] = value;
	}
}

char *
kh_docs_textf(const struct kh_docs_out *o, const char *id,
    const struct kh_docs_vars *v, char *out, size_t len)
{
	return kh_layout_expand(kh_layout_text(o->layout, id), v->names,
	    v->values, v->n, out, len);
}

char *
kh_docs_num(int64_t v, char *buf, size_t len)
{
	return kh_dec_format(v, 2, buf, len);
}

char *
kh_docs_signed(int64_t v, char *buf, size_t len)
{
	char tmp[32];

	kh_dec_format(v, 2, tmp, sizeof(tmp));
	snprintf(buf, len, "%s%s", v > 0 ? "+" : "", tmp);
	return buf;
}

char *
kh_docs_month_cn(const char *month, char *buf, size_t len)
{
	int y, m;

	if (month != NULL && kh_month_parse(month, &y, &m) == 0)
		snprintf(buf, len, "%d年%d月", y, m);
	else
		snprintf(buf, len, "%s", month != NULL ? month : "");
	return buf;
}

char *
kh_docs_date_cn(const char *date, char *buf, size_t len)
{
	int y, m, d;

	if (date != NULL && kh_date_parse(date, &y, &m, &d) == 0)
		snprintf(buf, len, "%d年%d月%d日", y, m, d);
	else
		snprintf(buf, len, "%s", date != NULL ? date : "");
	return buf;
}

char *
kh_docs_time(const char *at, char *buf, size_t len)
{
	snprintf(buf, len, "%s", at != NULL ? at : "");
	if (strlen(buf) > 10 && buf[10] == 'T')
		buf[10] = ' ';
	return buf;
}

/*
 * The PDF date of a run: scored_at ("2013-06-03T08:00:00+08:00") in UTC
 * as "2013-06-03 00:00:00", since render marks its dates as UTC.  "" if
 * scored_at is not an ISO 8601 time with offset (runs scored before
 * kaohe kept the offset).
 */
static void
pdf_date(const char *at, char out[32])
{
	int64_t t;
	char z[21];

	out[0] = '\0';
	if (at == NULL || kh_time_parse(at, &t) != 0)
		return;
	kh_time_utc(t, z);
	snprintf(out, 32, "%.10s %.8s", z, z + 11);
}

int
kh_docs_open(struct kh_docs_out *o, const struct kh_docs_ctx *ctx,
    const char *name, const struct kh_layout_spec *spec,
    struct kh_docs_vars *v, struct kh_err *err)
{
	struct kh_doc_opts opts;
	struct kh_fontconf fc;
	char path[1024], footer[512], mark[256], date[32];
	char title[512], subject[512];
	const char *tdir = ctx->templates_dir != NULL ? ctx->templates_dir :
	    "templates";
	int rc;

	memset(o, 0, sizeof(*o));
	kh_err_clear(&o->err);
	o->ctx = ctx;
	o->name = name;
	snprintf(path, sizeof(path), "%s/layouts/%s.xml", tdir, name);
	if ((rc = kh_layout_load(path, spec, &o->layout, err)) != KH_OK)
		return rc;
	if ((rc = kh_fontconf_load(tdir, &fc, err)) != KH_OK) {
		kh_docs_abort(o);
		return rc;
	}

	kh_docs_time(ctx->meta != NULL ? ctx->meta->scored_at : "",
	    o->generated, sizeof(o->generated));
	snprintf(o->fingerprint, sizeof(o->fingerprint), "%.16s",
	    ctx->meta != NULL ? ctx->meta->fingerprint : "");
	pdf_date(ctx->meta != NULL ? ctx->meta->scored_at : NULL, date);
	kh_docs_time(ctx->anchor_at != NULL ? ctx->anchor_at : "",
	    o->anchor_at, sizeof(o->anchor_at));
	snprintf(o->anchor_seq, sizeof(o->anchor_seq), "%lld",
	    (long long)ctx->anchor_seq);
	kh_docs_var(v, "chain_head", ctx->anchor_hash != NULL ?
	    ctx->anchor_hash : "");
	kh_docs_var(v, "chain_seq", o->anchor_seq);
	kh_docs_var(v, "chain_at", o->anchor_at);
	kh_docs_var(v, "generated", o->generated);
	kh_docs_var(v, "fingerprint", o->fingerprint);
	kh_docs_var(v, "unit", ctx->unit_name != NULL ? ctx->unit_name : "");
	kh_docs_textf(o, "footer", v, footer, sizeof(footer));
	kh_docs_textf(o, "watermark", v, mark, sizeof(mark));
	kh_docs_textf(o, "pdf_title", v, title, sizeof(title));
	kh_docs_textf(o, "pdf_subject", v, subject, sizeof(subject));

	memset(&opts, 0, sizeof(opts));
	opts.font_path = fc.path;
	opts.font_index = fc.face;
	opts.page = kh_layout_page(o->layout);
	kh_layout_margins(o->layout, &opts.margin_left, &opts.margin_right,
	    &opts.margin_top, &opts.margin_bottom);
	opts.title = title;
	opts.subject = subject;
	opts.author = ctx->unit_name != NULL ? ctx->unit_name : "";
	opts.creator = "kaohe " KH_VERSION;
	opts.date = date[0] != '\0' ? date : NULL;
	opts.footer = footer;
	opts.watermark = ctx->final ? NULL : mark;
	opts.pdfa = 1;
	if ((o->doc = kh_doc_new(&opts, err)) == NULL) {
		kh_docs_abort(o);
		return KH_FAIL;
	}
	if (kh_doc_page_add(o->doc) != KH_OK) {
		kh_docs_abort(o);
		return kh_err_sys(err, KH_FAIL, "%s: cannot start a page",
		    name);
	}
	kh_doc_box(o->doc, &o->left, &o->top, &o->right, &o->bottom);
	return KH_OK;
}

void
kh_docs_abort(struct kh_docs_out *o)
{
	kh_doc_free(o->doc);
	kh_layout_free(o->layout);
	o->doc = NULL;
	o->layout = NULL;
}

int
kh_docs_fail(struct kh_docs_out *o, const char *what, struct kh_err *err)
{
	int rc;

	if (o->err.status != KH_OK) {
		*err = o->err;
		rc = o->err.status;
	} else {
		rc = kh_err_sys(err, KH_FAIL, "%s %s: drawing failed", o->name,
		    what);
	}
	kh_docs_abort(o);
	return rc;
}

int
kh_docs_close(struct kh_docs_out *o, const char *path, struct kh_err *err)
{
	const struct kh_missing *miss = NULL;
	size_t n;
	int rc;

	rc = kh_doc_save(o->doc, path, err);
	if (rc == KH_OK && o->ctx->missing != NULL) {
		n = kh_doc_missing(o->doc, &miss);
		for (size_t i = 0; i < n; i++)
			o->ctx->missing(o->ctx->missing_arg, o->name, &miss[i]);
	}
	kh_docs_abort(o);
	return rc;
}

int
kh_docs_title(struct kh_docs_out *o, const char *utf8)
{
	double size = kh_layout_fonts(o->layout)->title;
	double y = kh_doc_y(o->doc);
	int rc;

	rc = kh_doc_text(o->doc, (o->left + o->right) / 2, y, size, KH_CENTER,
	    utf8);
	kh_doc_set_y(o->doc, y + size * KH_LEADING + 6);
	return rc;
}

int
kh_docs_heading(struct kh_docs_out *o, const char *utf8, double keep)
{
	double size = kh_layout_fonts(o->layout)->heading;
	double y;
	int rc;

	if (utf8 == NULL || utf8[0] == '\0')
		return KH_OK;
	if ((rc = kh_doc_need(o->doc, size * KH_LEADING + keep)) != KH_OK)
		return rc;
	y = kh_doc_y(o->doc);
	rc = kh_doc_text(o->doc, o->left, y, size, KH_LEFT, utf8);
	kh_doc_set_y(o->doc, y + size * KH_LEADING + 3);
	return rc;
}

int
kh_docs_para(struct kh_docs_out *o, const char *id,
    const struct kh_docs_vars *v, double gap)
{
	char buf[KH_DOCS_TEXT_MAX];

	return kh_doc_para(o->doc, kh_layout_fonts(o->layout)->body, KH_LEFT,
	    kh_docs_textf(o, id, v, buf, sizeof(buf)), gap);
}

int
kh_docs_table_heading(struct kh_docs_out *o, const struct kh_layout_table *lt,
    const struct kh_docs_vars *v, double keep)
{
	char title[512];

	kh_layout_expand(lt->title, v->names, v->values, v->n, title,
	    sizeof(title));
	return kh_docs_heading(o, title, keep);
}

int
kh_docs_table_start(struct kh_docs_out *o, struct kh_docs_cols *c,
    const struct kh_layout_table *lt, const struct kh_docs_vars *v,
    double keep, struct kh_table **t)
{
	int rc;

	*t = NULL;
	if ((rc = kh_docs_table_heading(o, lt, v, keep)) != KH_OK)
		return rc;
	/* o->err says why: the layout's widths, or out of memory */
	if ((*t = kh_docs_table_new(o, c, lt->id, &o->err)) == NULL)
		return KH_FAIL;
	return KH_OK;
}

int
kh_docs_bufs_new(struct kh_docs_out *o, struct kh_docs_cols **c,
    struct kh_docs_row **r)
{
	*r = NULL;
	if ((*c = kh_docs_cols_new(o)) == NULL ||
	    (*r = kh_docs_row_new(o)) == NULL)
		return KH_FAIL;
	return KH_OK;
}

void
kh_docs_bufs_free(struct kh_table *t, struct kh_docs_cols *c,
    struct kh_docs_row *r)
{
	kh_table_end(t);
	kh_docs_row_free(r);
	kh_docs_cols_free(c);
}

struct kh_docs_cols *
kh_docs_cols_new(struct kh_docs_out *o)
{
	struct kh_docs_cols *c;

	if ((c = malloc(sizeof(*c))) == NULL) {
		kh_err_sys(&o->err, KH_FAIL, "%s: out of memory", o->name);
		return NULL;
	}
	c->n = 0;
	return c;
}

void
kh_docs_cols_free(struct kh_docs_cols *c)
{
	free(c);
}

void
kh_docs_cols_add(struct kh_docs_cols *c, const char *field, const char *head,
    double width, enum kh_align align)
{
	size_t i = c->n;

	/*
	 * Not an assert: the layout (input) may repeat "indicators" or
	 * "months", each expanding to up to 16 or 12 columns; columns past
	 * the room are left out, as before.
	 */
	if (i >= KH_DOCS_MAX_COLS)
		return;
	snprintf(c->field[i], sizeof(c->field[i]), "%s", field);
	snprintf(c->head[i], sizeof(c->head[i]), "%s", head);
	c->col[i].head = c->head[i];
	c->col[i].width = width;
	c->col[i].align = align;
	c->n++;
}

void
kh_docs_cols_plain(struct kh_docs_cols *c, const struct kh_layout_table *t)
{
	c->n = 0;
	for (size_t i = 0; i < t->ncols; i++)
		kh_docs_cols_add(c, t->cols[i].field, t->cols[i].head,
		    t->cols[i].width, t->cols[i].align);
}

struct kh_docs_row *
kh_docs_row_new(struct kh_docs_out *o)
{
	struct kh_docs_row *r;

	if ((r = malloc(sizeof(*r))) == NULL) {
		kh_err_sys(&o->err, KH_FAIL, "%s: out of memory", o->name);
		return NULL;
	}
	r->n = 0;
	return r;
}

void
kh_docs_row_free(struct kh_docs_row *r)
{
	free(r);
}

void
kh_docs_row_reset(struct kh_docs_row *r)
{
	r->n = 0;
}

void
kh_docs_set(struct kh_docs_row *r, const char *field, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->field[i], field) == 0)
			break;
	/* the fields a document's code sets: at most 25 (team's ranking) */
	assert(i < KH_DOCS_MAX_COLS);
	if (i == KH_DOCS_MAX_COLS)
		return;
	if (i == r->n) {
		snprintf(r->field[i], sizeof(r->field[i]), "%s", field);
		r->n++;
	}
	va_start(ap, fmt);
	vsnprintf(r->value[i], sizeof(r->value[i]), fmt, ap);
	va_end(ap);
	kh_utf8_trim(r->value[i]);
}

void
kh_docs_set_sums(struct kh_docs_row *row, const struct kh_result *r)
{
	char a[32];

	kh_docs_set(row, "quantitative", "%s", kh_docs_num(r->quantitative, a,
	    sizeof(a)));
	kh_docs_set(row, "deductions", "%s", kh_docs_num(r->deductions, a,
	    sizeof(a)));
	kh_docs_set(row, "bonuses", "%s", kh_docs_num(r->bonuses, a,
	    sizeof(a)));
	kh_docs_set(row, "qualitative", "%s", kh_docs_num(r->qualitative, a,
	    sizeof(a)));
	kh_docs_set(row, "total", "%s", kh_docs_num(r->total, a, sizeof(a)));
}

int
kh_docs_table_row(struct kh_table *t, const struct kh_docs_cols *c,
    const struct kh_docs_row *r, enum kh_row_style style)
{
	const char *cells[KH_DOCS_MAX_COLS];

	assert(c->n <= KH_DOCS_MAX_COLS && r->n <= KH_DOCS_MAX_COLS);
	for (size_t i = 0; i < c->n; i++) {
		cells[i] = NULL;
		for (size_t j = 0; j < r->n; j++)
			if (strcmp(c->field[i], r->field[j]) == 0)
				cells[i] = r->value[j];
	}
	return kh_table_row(t, cells, style);
}

/* Length of the UTF-8 sequence starting with byte c. */
static size_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Break head at the character where the first half reaches half the width. */
static void
balance_head(struct kh_doc *doc, double size, double room, char *head,
    size_t cap)
{
	double total = kh_doc_text_width(doc, size, head), w;
	size_t len = strlen(head), i;
	char part[KH_DOCS_HEAD_MAX];

	if (strchr(head, '\n') != NULL || total <= room || len + 2 > cap ||
	    len >= sizeof(part))
		return;
	for (i = 0; i < len; i += u8len((unsigned char)head[i])) {
		memcpy(part, head, i);
		part[i] = '\0';
		w = kh_doc_text_width(doc, size, part);
		if (i > 0 && w * 2 >= total)
			break;
	}
	if (i == 0 || i >= len)
		return;
	memmove(head + i + 1, head + i, len - i + 1);
	head[i] = '\n';
}

struct kh_table *
kh_docs_table_new(struct kh_docs_out *o, struct kh_docs_cols *c,
    const char *table_id, struct kh_err *err)
{
	double size = kh_layout_fonts(o->layout)->table, fixed = 0;

	for (size_t i = 0; i < c->n; i++)
		fixed += c->col[i].width;
	if (fixed > o->right - o->left + 0.5) {
		kh_err_sys(err, KH_REJECT, "layout %s: table \"%s\" is %.0f mm "
		    "wide, the page has room for %.0f mm", o->name, table_id,
		    fixed * 25.4 / 72.0, (o->right - o->left) * 25.4 / 72.0);
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->col[i].width > 0)
			balance_head(o->doc, size, c->col[i].width - 6.5,
			    c->head[i], sizeof(c->head[i]));
	return kh_table_new(o->doc, c->col, c->n, size, err);
}
