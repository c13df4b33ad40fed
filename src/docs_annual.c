/*
 * docs_annual.c — the annual sheet (年度考核汇总), A4 landscape, laid out
 * by templates/layouts/annual.xml: managers × months (all twelve, or only
 * the closed ones, as the layout says) with the sum and the rank, then a
 * small trend chart of each manager's monthly totals.
 *
 * The rows (sums, ranks, names) come from kh_score_year (score.h); the
 * monthly cells are read from the closed months' stored results.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "docs_int.h"

static const char *const an_texts[] = { "pdf_title", "pdf_subject", "title",
	"info", "none", "incomplete_cell", "absent_cell", "trend_title",
	"footer", "watermark", NULL };
static const char *const an_params[] = { "all_months", "chart_height",
	NULL };
static const char *const an_charts[] = { "trend", NULL };
static const char *const an_fields[] = { "rank", "manager", "name", "group",
	"months", "count", "total", NULL };
static const struct kh_layout_table_spec an_tables[] = {
	{ "annual", an_fields },
};
static const char *const an_placeholders[] = { "unit", "year", "generated",
	"fingerprint", "chain_seq", "chain_head", "chain_at", "closed", "count", "mon", "name", "manager", "group",
	NULL };
static const struct kh_layout_spec an_spec = {
	"annual", an_texts, an_params, an_charts, an_tables,
	sizeof(an_tables) / sizeof(an_tables[0]), an_placeholders
};

/* Month number 1..12 of a result set, 0 if malformed. */
static int
month_of(const struct kh_month_result *m)
{
	int y, mo;

	return kh_month_parse(m->month, &y, &mo) == 0 ? mo : 0;
}

/* The manager's result in one month, or NULL if not on that roster. */
static const struct kh_result *
find_result(const struct kh_month_result *m, const char *manager)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->results[i].manager, manager) == 0)
			return &m->results[i];
	return NULL;
}

/* The month's closed result set for month number mo, or NULL. */
static const struct kh_month_result *
closed_month(const struct kh_month_result *months, size_t n, int mo)
{
	for (size_t i = 0; i < n; i++)
		if (month_of(&months[i]) == mo)
			return &months[i];
	return NULL;
}

/* One cell: the total, 未完成, — when not on the roster. */
static void
month_cell(const struct kh_docs_out *o, const struct kh_month_result *m,
    const char *manager, char *buf, size_t len, long *value)
{
	const struct kh_result *r = m != NULL ? find_result(m, manager) : NULL;

	*value = 0;
	if (m == NULL)
		snprintf(buf, len, "%s", "");
	else if (r == NULL)
		snprintf(buf, len, "%s", kh_layout_text(o->layout,
		    "absent_cell"));
	else if (r->incomplete)
		snprintf(buf, len, "%s", kh_layout_text(o->layout,
		    "incomplete_cell"));
	else {
		kh_docs_num(r->total, buf, len);
		*value = (long)r->total;
	}
}

/* Columns, "months" expanded into one column per month shown. */
static void
annual_cols(const struct kh_docs_out *o, const struct kh_layout_table *lt,
    const struct kh_month_result *months, size_t n_months,
    const struct kh_docs_vars *base, struct kh_docs_cols *c)
{
	int all = kh_layout_param(o->layout, "all_months") != 0;
	char field[KH_DOCS_FIELD_MAX], head[KH_DOCS_HEAD_MAX], mon[16];

	c->n = 0;
	for (size_t i = 0; i < lt->ncols; i++) {
		const struct kh_layout_col *lc = &lt->cols[i];

		if (strcmp(lc->field, "months") != 0) {
			kh_docs_cols_add(c, lc->field, lc->head, lc->width,
			    lc->align);
			continue;
		}
		for (int mo = 1; mo <= 12; mo++) {
			struct kh_docs_vars v = *base;

			if (!all && closed_month(months, n_months, mo) == NULL)
				continue;
			snprintf(mon, sizeof(mon), "%d", mo);
			kh_docs_var(&v, "mon", mon);
			kh_layout_expand(lc->head, v.names, v.values, v.n, head,
			    sizeof(head));
			snprintf(field, sizeof(field), "month:%d", mo);
			kh_docs_cols_add(c, field, head, lc->width, lc->align);
		}
	}
}

static int
table(struct kh_docs_out *o, const struct kh_month_result *months,
    size_t n_months, const struct kh_annual_row *rows, size_t n_rows,
    const struct kh_docs_vars *v)
{
	const struct kh_layout_table *lt = kh_layout_table(o->layout, "annual");
	struct kh_docs_cols *cols = NULL;
	struct kh_docs_row *row = NULL;
	struct kh_table *t = NULL;
	char cell[64], field[KH_DOCS_FIELD_MAX];
	long value;
	int rc;

	assert(lt != NULL);	/* in the spec: kh_layout_load checked */
	if ((rc = kh_docs_bufs_new(o, &cols, &row)) != KH_OK)
		goto out;
	annual_cols(o, lt, months, n_months, v, cols);
	if ((rc = kh_docs_table_start(o, cols, lt, v, 60, &t)) != KH_OK)
		goto out;
	for (size_t i = 0; i < n_rows && rc == KH_OK; i++) {
		const struct kh_annual_row *r = &rows[i];

		kh_docs_row_reset(row);
		kh_docs_set(row, "rank", "%d", r->rank);
		kh_docs_set(row, "manager", "%s", r->manager);
		kh_docs_set(row, "name", "%s", r->name);
		kh_docs_set(row, "group", "%s", r->group);
		for (int mo = 1; mo <= 12; mo++) {
			month_cell(o, closed_month(months, n_months, mo),
			    r->manager, cell, sizeof(cell), &value);
			snprintf(field, sizeof(field), "month:%d", mo);
			kh_docs_set(row, field, "%s", cell);
		}
		kh_docs_set(row, "count", "%d", r->months);
		kh_docs_set(row, "total", "%s", kh_docs_num(r->total, cell,
		    sizeof(cell)));
		rc = kh_docs_table_row(t, cols, row, KH_ROW_PLAIN);
	}
out:
	kh_docs_bufs_free(t, cols, row);
	return rc;
}

/* One line chart per manager over the closed months. */
static int
trends(struct kh_docs_out *o, const struct kh_month_result *months,
    size_t n_months, const struct kh_annual_row *rows, size_t n_rows,
    const struct kh_docs_vars *base)
{
	const struct kh_layout_fonts *f = kh_layout_fonts(o->layout);
	double height = KH_MM((double)kh_layout_param(o->layout,
	    "chart_height"));
	const char *heading;
	const char *xl[12], *vt[12];
	char xlab[12][16], vtext[12][32], title[512];
	long values[12];
	int rc = KH_OK;

	if (!kh_layout_chart(o->layout, "trend", &heading) || n_months == 0)
		return KH_OK;
	if (height < 20)
		height = 20;
	kh_layout_expand(heading, base->names, base->values, base->n, title,
	    sizeof(title));
	if ((rc = kh_docs_heading(o, title, height + f->chart * 3)) != KH_OK)
		return rc;
	for (size_t i = 0; i < n_rows && rc == KH_OK; i++) {
		struct kh_docs_vars v = *base;
		size_t n = 0;

		for (size_t k = 0; k < n_months && n < 12; k++, n++) {
			snprintf(xlab[n], sizeof(xlab[n]), "%d月",
			    month_of(&months[k]));
			month_cell(o, &months[k], rows[i].manager, vtext[n],
			    sizeof(vtext[n]), &values[n]);
			xl[n] = xlab[n];
			vt[n] = vtext[n];
		}
		kh_docs_var(&v, "name", rows[i].name);
		kh_docs_var(&v, "manager", rows[i].manager);
		kh_docs_var(&v, "group", rows[i].group);
		kh_docs_textf(o, "trend_title", &v, title, sizeof(title));
		if ((rc = kh_doc_need(o->doc, height + f->chart * 3)) == KH_OK)
			rc = kh_doc_linechart(o->doc, f->chart, title, xl,
			    values, vt, n, height);
		kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 6);
	}
	return rc;
}

int
kh_docs_annual(const struct kh_docs_ctx *ctx, int year,
    const struct kh_month_result *months, size_t n_months,
    const struct kh_annual_row *rows, size_t n_rows, const char *path,
    struct kh_err *err)
{
	struct kh_docs_out o;
	struct kh_docs_vars v = { .n = 0 };
	char ys[16], count[24], closed[128], buf[KH_DOCS_TEXT_MAX];
	size_t off = 0;
	int rc;

	snprintf(ys, sizeof(ys), "%d", year);
	snprintf(count, sizeof(count), "%zu", n_rows);
	closed[0] = '\0';
	for (size_t i = 0; i < n_months && off + 8 < sizeof(closed); i++)
		off += (size_t)snprintf(closed + off, sizeof(closed) - off,
		    "%s%d月", i > 0 ? "、" : "", month_of(&months[i]));
	kh_docs_var(&v, "year", ys);
	kh_docs_var(&v, "count", count);
	kh_docs_var(&v, "closed", closed);
	if ((rc = kh_docs_open(&o, ctx, "annual", &an_spec, &v, err)) != KH_OK)
		return rc;
	rc = kh_docs_title(&o, kh_docs_textf(&o, "title", &v, buf,
	    sizeof(buf)));
	if (rc == KH_OK)
		rc = kh_docs_para(&o, "info", &v, 4);
	if (rc == KH_OK && n_months == 0)
		rc = kh_docs_para(&o, "none", &v, 4);
	if (rc == KH_OK && n_rows > 0)
		rc = table(&o, months, n_months, rows, n_rows, &v);
	if (rc == KH_OK)
		rc = trends(&o, months, n_months, rows, n_rows, &v);
	if (rc != KH_OK)
		return kh_docs_fail(&o, ys, err);
	return kh_docs_close(&o, path, err);
}
