/*
 * docs_scorecard.c — the scorecard (个人月度考核表): one manager, one
 * month, A4 portrait, laid out by templates/layouts/scorecard.xml.
 *
 * Header (unit, month, manager), the quantitative table with the moves of
 * points in words, a completion chart, the qualitative table of every
 * record line (effective ones and, at 0 points and shaded, voided /
 * superseded / repeated ones), the qualitative sum line, totals with rank
 * and year to date, and the signature line.  An incomplete manager gets the header,
 * 未完成考核 and the reason, and no scores.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "docs_int.h"

static const char *const sc_texts[] = { "title", "info", "manager",
	"moves_heading", "qual_heading", "no_records", "incomplete",
	"incomplete_reason", "quant_total", "no_target", "status_record",
	"status_voided", "status_superseded", "status_repeat", "sign",
	"footer", "watermark", "pdf_title", "pdf_subject", NULL };
static const char *const sc_params[] = { "sign_space", NULL };
static const char *const sc_charts[] = { "completion", NULL };
static const char *const sc_quant_fields[] = { "indicator", "unit",
	"points", "target", "actual", "completion", "score", NULL };
static const char *const sc_qual_fields[] = { "seq", "ref", "date", "code",
	"item", "customer", "detail", "count", "points", "recorder", "status",
	NULL };
static const char *const sc_total_fields[] = { "quantitative",
	"deductions", "bonuses", "qualitative", "total", "rank", "ytd", NULL };
static const struct kh_layout_table_spec sc_tables[] = {
	{ "quantitative", sc_quant_fields },
	{ "qualitative", sc_qual_fields },
	{ "totals", sc_total_fields },
};
static const char *const sc_placeholders[] = { "unit", "month", "year",
	"name", "manager", "group", "reason", "generated", "fingerprint", "chain_seq", "chain_head", "chain_at",
	"ranked", "period", NULL };

static const struct kh_layout_spec sc_spec = {
	"scorecard", sc_texts, sc_params, sc_charts, sc_tables,
	sizeof(sc_tables) / sizeof(sc_tables[0]), sc_placeholders
};

/* A paragraph of body text across the box, then a small gap. */
static int
para(struct kh_docs_out *o, const char *utf8)
{
	return kh_doc_para(o->doc, kh_layout_fonts(o->layout)->body, KH_LEFT,
	    utf8, 3);
}

/* Title, unit / month line and manager line. */
static int
header(struct kh_docs_out *o, const struct kh_docs_vars *v)
{
	char buf[KH_DOCS_TEXT_MAX];
	int rc;

	if ((rc = kh_docs_title(o, kh_docs_textf(o, "title", v, buf,
	    sizeof(buf)))) != KH_OK)
		return rc;
	if ((rc = para(o, kh_docs_textf(o, "info", v, buf, sizeof(buf)))) !=
	    KH_OK)
		return rc;
	rc = para(o, kh_docs_textf(o, "manager", v, buf, sizeof(buf)));
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 4);
	return rc;
}

static int
quantitative(struct kh_docs_out *o, const struct kh_result *r,
    const struct kh_docs_vars *v)
{
	const struct kh_layout_table *lt = kh_layout_table(o->layout,
	    "quantitative");
	const struct kh_scheme *s = o->ctx->scheme;
	struct kh_docs_cols *cols = NULL;
	struct kh_docs_row *row = NULL;
	struct kh_table *t = NULL;
	char a[32], b[32];
	int64_t points = 0;
	int rc;

	assert(lt != NULL);	/* in the spec: kh_layout_load checked */
	if ((rc = kh_docs_bufs_new(o, &cols, &row)) != KH_OK)
		goto out;
	kh_docs_cols_plain(cols, lt);
	if ((rc = kh_docs_table_start(o, cols, lt, v, 60, &t)) != KH_OK)
		goto out;
	for (size_t i = 0; i < r->n_ind && rc == KH_OK; i++) {
		const struct kh_indicator_result *ir = &r->ind[i];
		const struct kh_indicator_def *d = kh_scheme_indicator(s,
		    ir->code);

		kh_docs_row_reset(row);
		kh_docs_set(row, "indicator", "%s", d != NULL ? d->name :
		    ir->code);
		kh_docs_set(row, "unit", "%s", d != NULL ? d->unit : "");
		kh_docs_set(row, "points", "%s", kh_docs_num(ir->points, a,
		    sizeof(a)));
		if (ir->has_target) {
			kh_docs_set(row, "target", "%s", kh_docs_num(
			    ir->target, a, sizeof(a)));
			kh_docs_set(row, "completion", "%s%%", kh_docs_num(
			    ir->completion, b, sizeof(b)));
		} else {
			kh_docs_set(row, "target", "%s",
			    kh_layout_text(o->layout, "no_target"));
			kh_docs_set(row, "completion", "—");
		}
		kh_docs_set(row, "actual", "%s", kh_docs_num(ir->actual, a,
		    sizeof(a)));
		kh_docs_set(row, "score", "%s", kh_docs_num(ir->score, a,
		    sizeof(a)));
		points += ir->points;
		rc = kh_docs_table_row(t, cols, row, KH_ROW_PLAIN);
	}
	kh_docs_row_reset(row);
	kh_docs_set(row, "indicator", "%s", kh_layout_text(o->layout,
	    "quant_total"));
	kh_docs_set(row, "points", "%s", kh_docs_num(points, a, sizeof(a)));
	kh_docs_set(row, "score", "%s", kh_docs_num(r->quantitative, a,
	    sizeof(a)));
	if (rc == KH_OK)
		rc = kh_docs_table_row(t, cols, row, KH_ROW_SHADE);
out:
	kh_docs_bufs_free(t, cols, row);
	return rc;
}

/* The moves and overrides of points, in words. */
static int
moves(struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_result *r, const struct kh_docs_vars *v)
{
	char buf[KH_DOCS_TEXT_MAX];
	int rc = KH_OK, any = 0;

	for (size_t i = 0; i < mr->n_lines && rc == KH_OK; i++) {
		const struct kh_line *l = &mr->lines[i];

		if (strcmp(l->manager, r->manager) != 0 ||
		    (l->kind != KH_LINE_MOVE && l->kind != KH_LINE_OVERRIDE))
			continue;
		if (!any++)
			rc = para(o, kh_docs_textf(o, "moves_heading", v, buf,
			    sizeof(buf)));
		snprintf(buf, sizeof(buf), "· %s", l->text);
		if (rc == KH_OK)
			rc = para(o, buf);
	}
	if (any)
		kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 4);
	return rc;
}

static const char *
status_text(const struct kh_docs_out *o, enum kh_line_kind k)
{
	switch (k) {
	case KH_LINE_VOIDED:
		return kh_layout_text(o->layout, "status_voided");
	case KH_LINE_SUPERSEDED:
		return kh_layout_text(o->layout, "status_superseded");
	case KH_LINE_REPEAT:
		return kh_layout_text(o->layout, "status_repeat");
	default:
		return kh_layout_text(o->layout, "status_record");
	}
}

static int
is_record_line(enum kh_line_kind k)
{
	return k == KH_LINE_RECORD || k == KH_LINE_VOIDED ||
	    k == KH_LINE_SUPERSEDED || k == KH_LINE_REPEAT;
}

/*
 * The part of an explanation line that a row does not already show: the
 * date, item and recorder have their own columns, so the line's head
 * ("date code wording：") and its "（记录人 …）" tail are left out.
 */
static void
line_detail(const char *text, char *out, size_t len)
{
	static const char colon[] = "：", recorder[] = "（记录人";
	const char *p = strstr(text, colon), *end;
	size_t n;

	p = p != NULL ? p + strlen(colon) : text;
	end = strstr(p, recorder);
	n = end != NULL ? (size_t)(end - p) : strlen(p);
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* One record line as a row; lines not counted show 0.00 and their status. */
static void
record_row(const struct kh_docs_out *o, const struct kh_line *l, int n,
    struct kh_docs_row *row)
{
	const struct kh_item_def *it = kh_scheme_item(o->ctx->scheme, l->item);
	int counted = l->kind == KH_LINE_RECORD;
	char a[32], detail[sizeof(l->text)];

	kh_docs_row_reset(row);
	kh_docs_set(row, "seq", "%d", n);
	kh_docs_set(row, "ref", "%s", l->ref);
	kh_docs_set(row, "date", "%s", l->date);
	kh_docs_set(row, "code", "%s", l->item);
	kh_docs_set(row, "item", "%s", it != NULL ? it->text : l->item);
	kh_docs_set(row, "customer", "%s", l->customer);
	if (counted && (it == NULL || it->kind == KH_ITEM_UNIT ||
	    it->kind == KH_ITEM_ONCE_PER_CUSTOMER))
		kh_docs_set(row, "detail", "%s", l->customer);
	else {
		line_detail(l->text, detail, sizeof(detail));
		kh_docs_set(row, "detail", "%s", detail);
	}
	kh_docs_set(row, "count", "%lld", (long long)l->count);
	kh_docs_set(row, "points", "%s", kh_docs_signed(counted &&
	    l->has_points ? l->points : 0, a, sizeof(a)));
	kh_docs_set(row, "recorder", "%s", l->recorder);
	kh_docs_set(row, "status", "%s", status_text(o, l->kind));
}

static int
qualitative(struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_result *r, const struct kh_docs_vars *v)
{
	const struct kh_layout_table *lt = kh_layout_table(o->layout,
	    "qualitative");
	struct kh_docs_cols *cols = NULL;
	struct kh_docs_row *row = NULL;
	struct kh_table *t = NULL;
	char buf[KH_DOCS_TEXT_MAX];
	int rc, n = 0;

	assert(lt != NULL);	/* in the spec: kh_layout_load checked */
	if ((rc = kh_docs_bufs_new(o, &cols, &row)) != KH_OK)
		goto out;
	kh_docs_cols_plain(cols, lt);
	if ((rc = kh_docs_table_heading(o, lt, v, 60)) != KH_OK)
		goto out;
	for (size_t i = 0; i < mr->n_lines && rc == KH_OK; i++) {
		const struct kh_line *l = &mr->lines[i];

		if (strcmp(l->manager, r->manager) != 0 ||
		    !is_record_line(l->kind))
			continue;
		if (t == NULL && (t = kh_docs_table_new(o, cols, lt->id,
		    &o->err)) == NULL) {
			rc = KH_FAIL;
			goto out;
		}
		record_row(o, l, ++n, row);
		rc = kh_docs_table_row(t, cols, row, l->kind ==
		    KH_LINE_RECORD ? KH_ROW_PLAIN : KH_ROW_SHADE);
	}
	if (t != NULL) {
		kh_table_end(t);
		t = NULL;
	} else
		rc = para(o, kh_docs_textf(o, "no_records", v, buf,
		    sizeof(buf)));
	for (size_t i = 0; i < mr->n_lines && rc == KH_OK; i++)
		if (strcmp(mr->lines[i].manager, r->manager) == 0 &&
		    mr->lines[i].kind == KH_LINE_QUALITATIVE) {
			snprintf(buf, sizeof(buf), "%s%s",
			    kh_layout_text(o->layout, "qual_heading"),
			    mr->lines[i].text);
			rc = para(o, buf);
		}
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 4);
out:
	kh_docs_bufs_free(t, cols, row);
	return rc;
}

static int
totals(struct kh_docs_out *o, const struct kh_result *r, int64_t ytd,
    size_t ranked, const struct kh_docs_vars *v)
{
	const struct kh_layout_table *lt = kh_layout_table(o->layout, "totals");
	struct kh_docs_cols *cols = NULL;
	struct kh_docs_row *row = NULL;
	struct kh_table *t = NULL;
	char a[32];
	int rc;

	assert(lt != NULL);	/* in the spec: kh_layout_load checked */
	if ((rc = kh_docs_bufs_new(o, &cols, &row)) != KH_OK)
		goto out;
	kh_docs_cols_plain(cols, lt);
	if ((rc = kh_docs_table_start(o, cols, lt, v, 40, &t)) != KH_OK)
		goto out;
	kh_docs_row_reset(row);
	kh_docs_set_sums(row, r);
	if (r->rank > 0)
		kh_docs_set(row, "rank", "%d / %zu", r->rank, ranked);
	else
		kh_docs_set(row, "rank", "—");
	kh_docs_set(row, "ytd", "%s", kh_docs_num(ytd, a, sizeof(a)));
	rc = kh_docs_table_row(t, cols, row, KH_ROW_PLAIN);
out:
	kh_docs_bufs_free(t, cols, row);
	return rc;
}

/* Completion per indicator as bars, scaled so that 100% is the same length. */
static int
chart(struct kh_docs_out *o, const struct kh_result *r)
{
	struct kh_bar bars[KH_MAX_INDICATORS];
	char text[KH_MAX_INDICATORS][32], num[32];
	const char *title;
	long max = 10000;
	size_t n = 0;
	int rc;

	if (!kh_layout_chart(o->layout, "completion", &title))
		return KH_OK;
	if ((rc = kh_docs_heading(o, title, 80)) != KH_OK)
		return rc;
	for (size_t i = 0; i < r->n_ind && i < KH_MAX_INDICATORS; i++) {
		const struct kh_indicator_result *ir = &r->ind[i];
		const struct kh_indicator_def *d = kh_scheme_indicator(
		    o->ctx->scheme, ir->code);

		bars[n].label = d != NULL ? d->name : ir->code;
		bars[n].value = ir->has_target ? (long)ir->completion : 0;
		if (ir->has_target)
			snprintf(text[n], sizeof(text[n]), "%s%%",
			    kh_docs_num(ir->completion, num, sizeof(num)));
		else
			snprintf(text[n], sizeof(text[n]), "%s",
			    kh_layout_text(o->layout, "no_target"));
		bars[n].value_text = text[n];
		if (bars[n].value > max)
			max = bars[n].value;
		n++;
	}
	rc = kh_doc_barchart(o->doc, kh_layout_fonts(o->layout)->chart, NULL,
	    bars, n, max);
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 6);
	return rc;
}

/* The signature line, kept on one page with some room above it. */
static int
signature(struct kh_docs_out *o, const struct kh_docs_vars *v)
{
	double space = (double)kh_layout_param(o->layout, "sign_space");
	double size = kh_layout_fonts(o->layout)->body;
	char buf[KH_DOCS_TEXT_MAX];
	int rc;

	if ((rc = kh_doc_need(o->doc, space + size * KH_LEADING)) != KH_OK)
		return rc;
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + space);
	return kh_doc_para(o->doc, size, KH_LEFT, kh_docs_textf(o, "sign", v,
	    buf, sizeof(buf)), 0);
}

static int
incomplete(struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_result *r, const struct kh_docs_vars *v)
{
	const struct kh_layout_fonts *f = kh_layout_fonts(o->layout);
	char buf[KH_DOCS_TEXT_MAX];
	double y = kh_doc_y(o->doc) + 10;
	int rc;

	rc = kh_doc_text(o->doc, (o->left + o->right) / 2, y, f->title,
	    KH_CENTER, kh_docs_textf(o, "incomplete", v, buf, sizeof(buf)));
	kh_doc_set_y(o->doc, y + f->title * KH_LEADING + 10);
	if (rc == KH_OK)
		rc = para(o, kh_docs_textf(o, "incomplete_reason", v, buf,
		    sizeof(buf)));
	for (size_t i = 0; i < mr->n_lines && rc == KH_OK; i++) {
		const struct kh_line *l = &mr->lines[i];

		/* lines that say more than the reason printed above */
		if (strcmp(l->manager, r->manager) == 0 &&
		    l->kind == KH_LINE_INCOMPLETE &&
		    strstr(l->text, r->reason) == NULL) {
			snprintf(buf, sizeof(buf), "· %s", l->text);
			rc = para(o, buf);
		}
	}
	return rc;
}

int
kh_docs_scorecard(const struct kh_docs_ctx *ctx,
    const struct kh_month_result *mr, const struct kh_result *r,
    int64_t ytd_total, size_t ranked, const char *path, struct kh_err *err)
{
	struct kh_docs_out o;
	struct kh_docs_vars v = { .n = 0 };
	char month[32], year[8], nranked[24];
	int rc;

	kh_docs_month_cn(mr->month, month, sizeof(month));
	snprintf(year, sizeof(year), "%.4s", mr->month);
	snprintf(nranked, sizeof(nranked), "%zu", ranked);
	kh_docs_var(&v, "unit", ctx->unit_name != NULL ? ctx->unit_name : "");
	kh_docs_var(&v, "month", month);
	kh_docs_var(&v, "year", year);
	kh_docs_var(&v, "name", r->name);
	kh_docs_var(&v, "manager", r->manager);
	kh_docs_var(&v, "group", r->group);
	kh_docs_var(&v, "reason", r->reason);
	kh_docs_var(&v, "ranked", nranked);
	kh_docs_var(&v, "period", mr->month);

	if ((rc = kh_docs_open(&o, ctx, "scorecard", &sc_spec, &v, err)) !=
	    KH_OK)
		return rc;
	if ((rc = header(&o, &v)) != KH_OK)
		goto fail;
	if (r->incomplete) {
		rc = incomplete(&o, mr, r, &v);
	} else {
		if ((rc = quantitative(&o, r, &v)) == KH_OK &&
		    (rc = moves(&o, mr, r, &v)) == KH_OK &&
		    (rc = chart(&o, r)) == KH_OK &&
		    (rc = qualitative(&o, mr, r, &v)) == KH_OK)
			rc = totals(&o, r, ytd_total, ranked, &v);
	}
	if (rc == KH_OK)
		rc = signature(&o, &v);
	if (rc != KH_OK)
		goto fail;
	return kh_docs_close(&o, path, err);
fail:
	return kh_docs_fail(&o, r->manager, err);
}
