/*
 * docs_team.c — the team sheet and public notice (月度考核结果公示), A4
 * landscape, laid out by templates/layouts/team.xml.
 *
 * Every ranked manager by rank with each indicator's score, quantitative,
 * qualitative and total; the incomplete ones with the reason; a bar chart
 * of totals; the notice with its posting period, the date objections are
 * due and the date the results are due to the leadership panel, counted
 * in working days of the calendar from the layout's parameters; the
 * panel leader's signature.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "docs_int.h"
#include "score.h"

static const char *const tm_texts[] = { "pdf_title", "pdf_subject", "title",
	"info", "notice", "sign", "footer", "watermark", "none_ranked",
	"title_provisional", "notice_provisional",
	"none_incomplete", NULL };
static const char *const tm_params[] = { "post_start", "post_days",
	"objection_days", "due_workday", "sign_space", NULL };
static const char *const tm_charts[] = { "totals", NULL };
static const char *const tm_rank_fields[] = { "rank", "manager", "name",
	"group", "indicators", "quantitative", "deductions", "bonuses",
	"qualitative", "total", NULL };
static const char *const tm_inc_fields[] = { "manager", "name", "group",
	"reason", NULL };
static const struct kh_layout_table_spec tm_tables[] = {
	{ "ranking", tm_rank_fields },
	{ "incomplete", tm_inc_fields },
};
static const char *const tm_placeholders[] = { "unit", "month", "year",
	"period", "generated", "fingerprint", "chain_seq", "chain_head", "chain_at", "assessed", "ranked", "from",
	"to", "objection", "due", "post_days", "objection_days", "scheme",
	"indicator", NULL };
static const struct kh_layout_spec tm_spec = {
	"team", tm_texts, tm_params, tm_charts, tm_tables,
	sizeof(tm_tables) / sizeof(tm_tables[0]), tm_placeholders
};

/* The notice's dates, "2013年6月3日" style. */
struct notice_dates {
	char	from[32], to[32], objection[32], due[32];
	char	post_days[24], objection_days[24];
};

/* "2013-05" -> "2013-06". */
static int
next_month(const char *month, char out[8])
{
	char first[11], later[11];
	int y, m, d;

	/* the 1st of the month plus 31 days is always in the next month */
	if (kh_month_parse(month, &y, &m) != 0)
		return -1;
	kh_date_format(y, m, 1, first);
	if (kh_date_add_days(first, 31, later) != KH_OK ||
	    kh_date_parse(later, &y, &m, &d) != 0)
		return -1;
	memcpy(out, later, 7);
	out[7] = '\0';
	return 0;
}

/*
 * Posting from the post_start-th working day of the next month for
 * post_days working days; objections within objection_days working days
 * of the first day; due to the panel on the due_workday-th working day.
 */
static int
notice_dates(const struct kh_docs_out *o, const char *month,
    struct notice_dates *nd, struct kh_err *err)
{
	const struct kh_layout *l = o->layout;
	struct kh_calendar *own = NULL;
	const struct kh_calendar *cal = o->ctx->calendar;
	long start = kh_layout_param(l, "post_start");
	long days = kh_layout_param(l, "post_days");
	long objd = kh_layout_param(l, "objection_days");
	long due = kh_layout_param(l, "due_workday");
	char next[8], from[11], to[11], obj[11], dd[11];
	int rc = KH_USAGE;

	if (start < 1 || days < 1 || objd < 1 || due < 1)
		return kh_err_set(err, KH_REJECT, "team.xml", 0, "param", NULL,
		    "layout: post_start, post_days, objection_days and "
		    "due_workday must be at least 1");
	if (cal == NULL) {
		if (kh_calendar_new(&own, err) != KH_OK)
			return KH_FAIL;
		cal = own;
	}
	if (next_month(month, next) != 0 ||
	    kh_calendar_nth_workday_of_month(cal, next, (int)start, from) ||
	    kh_calendar_add_workdays(cal, from, (int)days - 1, to) ||
	    kh_calendar_add_workdays(cal, from, (int)objd - 1, obj) ||
	    kh_calendar_nth_workday_of_month(cal, next, (int)due, dd)) {
		kh_err_sys(err, KH_USAGE, "team %s: cannot count the notice's "
		    "working days in the month after", month);
		goto out;
	}
	kh_docs_date_cn(from, nd->from, sizeof(nd->from));
	kh_docs_date_cn(to, nd->to, sizeof(nd->to));
	kh_docs_date_cn(obj, nd->objection, sizeof(nd->objection));
	kh_docs_date_cn(dd, nd->due, sizeof(nd->due));
	snprintf(nd->post_days, sizeof(nd->post_days), "%ld", days);
	snprintf(nd->objection_days, sizeof(nd->objection_days), "%ld", objd);
	rc = KH_OK;
out:
	kh_calendar_free(own);
	return rc;
}

/* The ranking table's columns, "indicators" expanded per scheme indicator. */
static void
ranking_cols(const struct kh_docs_out *o, const struct kh_layout_table *lt,
    const struct kh_docs_vars *base, struct kh_docs_cols *c)
{
	const struct kh_scheme *s = o->ctx->scheme;
	char field[KH_DOCS_FIELD_MAX], head[KH_DOCS_HEAD_MAX];

	c->n = 0;
	for (size_t i = 0; i < lt->ncols; i++) {
		const struct kh_layout_col *lc = &lt->cols[i];

		if (strcmp(lc->field, "indicators") != 0) {
			kh_docs_cols_add(c, lc->field, lc->head, lc->width,
			    lc->align);
			continue;
		}
		for (size_t k = 0; k < s->n_ind; k++) {
			struct kh_docs_vars v = *base;

			kh_docs_var(&v, "indicator", s->ind[k].name);
			kh_layout_expand(lc->head, v.names, v.values, v.n, head,
			    sizeof(head));
			snprintf(field, sizeof(field), "ind:%s", s->ind[k].code);
			kh_docs_cols_add(c, field, head, lc->width, lc->align);
		}
	}
}

static void
ranking_row(const struct kh_result *r, struct kh_docs_row *row)
{
	char a[32], field[KH_DOCS_FIELD_MAX];

	kh_docs_row_reset(row);
	kh_docs_set(row, "rank", "%d", r->rank);
	kh_docs_set(row, "manager", "%s", r->manager);
	kh_docs_set(row, "name", "%s", r->name);
	kh_docs_set(row, "group", "%s", r->group);
	for (size_t k = 0; k < r->n_ind; k++) {
		snprintf(field, sizeof(field), "ind:%s", r->ind[k].code);
		kh_docs_set(row, field, "%s", kh_docs_num(r->ind[k].score, a,
		    sizeof(a)));
	}
	kh_docs_set_sums(row, r);
}

/* One table over the results in order, ranked or incomplete ones only. */
static int
results_table(struct kh_docs_out *o, const struct kh_month_result *mr,
    const size_t *order, int incomplete, const struct kh_docs_vars *v)
{
	const struct kh_layout_table *lt = kh_layout_table(o->layout,
	    incomplete ? "incomplete" : "ranking");
	struct kh_docs_cols *cols = NULL;
	struct kh_docs_row *row = NULL;
	struct kh_table *t = NULL;
	int rc;

	assert(lt != NULL);	/* in the spec: kh_layout_load checked */
	if ((rc = kh_docs_bufs_new(o, &cols, &row)) != KH_OK)
		goto out;
	if (incomplete)
		kh_docs_cols_plain(cols, lt);
	else
		ranking_cols(o, lt, v, cols);
	for (size_t i = 0; i < mr->n && rc == KH_OK; i++) {
		const struct kh_result *r = &mr->results[order[i]];

		if (!r->incomplete != !incomplete)
			continue;
		/* the table starts with its first row: none, no heading */
		if (t == NULL && (rc = kh_docs_table_start(o, cols, lt, v, 60,
		    &t)) != KH_OK)
			goto out;
		if (incomplete) {
			kh_docs_row_reset(row);
			kh_docs_set(row, "manager", "%s", r->manager);
			kh_docs_set(row, "name", "%s", r->name);
			kh_docs_set(row, "group", "%s", r->group);
			kh_docs_set(row, "reason", "%s", r->reason);
		} else {
			ranking_row(r, row);
		}
		rc = kh_docs_table_row(t, cols, row, KH_ROW_PLAIN);
	}
	/* a numbered section of the notice says "none" rather than vanish */
	if (t == NULL && incomplete && rc == KH_OK &&
	    (rc = kh_docs_table_heading(o, lt, v, 20)) == KH_OK)
		rc = kh_doc_para(o->doc, kh_layout_fonts(o->layout)->body,
		    KH_LEFT, kh_layout_text(o->layout, "none_incomplete"), 4);
out:
	kh_docs_bufs_free(t, cols, row);
	return rc;
}

static int
totals_chart(struct kh_docs_out *o, const struct kh_month_result *mr,
    const size_t *order)
{
	struct kh_bar *bars = NULL;
	char (*text)[32] = NULL;
	const char *title;
	long max = 10000;
	double size;
	size_t n = 0;
	int rc = KH_FAIL;

	if (!kh_layout_chart(o->layout, "totals", &title))
		return KH_OK;
	bars = calloc(mr->n + 1, sizeof(*bars));
	text = calloc(mr->n + 1, sizeof(*text));
	if (bars == NULL || text == NULL)
		goto out;
	for (size_t i = 0; i < mr->n; i++) {
		const struct kh_result *r = &mr->results[order[i]];

		if (r->incomplete)
			continue;
		bars[n].label = r->name;
		bars[n].value = (long)r->total;
		bars[n].value_text = kh_docs_num(r->total, text[n], 32);
		if (bars[n].value > max)
			max = bars[n].value;
		n++;
	}
	rc = KH_OK;
	if (n == 0)
		goto out;
	/* keep the heading with the whole chart (render's row height) */
	size = kh_layout_fonts(o->layout)->chart;
	if ((rc = kh_docs_heading(o, title, (size * KH_LEADING + 2) *
	    ((double)n + 1.5) + size)) == KH_OK)
		rc = kh_doc_barchart(o->doc, size, NULL, bars, n, max);
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + 6);
out:
	free(bars);
	free(text);
	return rc;
}

/* The panel leader's signature, with blank room above it for the hand. */
static int
signature(struct kh_docs_out *o, const struct kh_docs_vars *v)
{
	const struct kh_layout_fonts *f = kh_layout_fonts(o->layout);
	double space = (double)kh_layout_param(o->layout, "sign_space");
	char sign[KH_DOCS_TEXT_MAX];
	int rc;

	kh_docs_textf(o, "sign", v, sign, sizeof(sign));
	if ((rc = kh_doc_need(o->doc, space + 2 * f->body * KH_LEADING)) !=
	    KH_OK)
		return rc;
	kh_doc_set_y(o->doc, kh_doc_y(o->doc) + space);
	return kh_doc_para(o->doc, f->body, KH_RIGHT, sign, 0);
}

int
kh_docs_team(const struct kh_docs_ctx *ctx, const struct kh_month_result *mr,
    const char *path, struct kh_err *err)
{
	struct kh_docs_out o;
	struct kh_docs_vars v = { .n = 0 };
	struct notice_dates nd;
	size_t *order = NULL, ranked = 0;
	char month[32], year[8], nass[16], nrank[16], buf[KH_DOCS_TEXT_MAX];
	int rc;

	if ((order = calloc(mr->n + 1, sizeof(*order))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	kh_result_order(mr->results, mr->n, order);
	for (size_t i = 0; i < mr->n; i++)
		ranked += !mr->results[i].incomplete;
	kh_docs_month_cn(mr->month, month, sizeof(month));
	snprintf(year, sizeof(year), "%.4s", mr->month);
	snprintf(nass, sizeof(nass), "%zu", mr->n);
	snprintf(nrank, sizeof(nrank), "%zu", ranked);
	kh_docs_var(&v, "month", month);
	kh_docs_var(&v, "year", year);
	kh_docs_var(&v, "period", mr->month);
	kh_docs_var(&v, "assessed", nass);
	kh_docs_var(&v, "ranked", nrank);
	kh_docs_var(&v, "scheme", ctx->scheme->name);
	if ((rc = kh_docs_open(&o, ctx, "team", &tm_spec, &v, err)) != KH_OK)
		goto out;
	if ((rc = notice_dates(&o, mr->month, &nd, err)) != KH_OK) {
		kh_docs_abort(&o);
		goto out;
	}
	kh_docs_var(&v, "from", nd.from);
	kh_docs_var(&v, "to", nd.to);
	kh_docs_var(&v, "objection", nd.objection);
	kh_docs_var(&v, "due", nd.due);
	kh_docs_var(&v, "post_days", nd.post_days);
	kh_docs_var(&v, "objection_days", nd.objection_days);

	/*
	 * Only a final month's sheet is a notice (公示): the nightly trial
	 * says what it is and carries no posting wording nor signature, so
	 * that it cannot be posted by mistake.
	 */
	rc = kh_docs_title(&o, kh_docs_textf(&o, ctx->final ? "title" :
	    "title_provisional", &v, buf, sizeof(buf)));
	if (rc == KH_OK)
		rc = kh_docs_para(&o, "info", &v, 4);
	if (rc == KH_OK)
		rc = kh_docs_para(&o, ctx->final ? "notice" :
		    "notice_provisional", &v, 6);
	if (rc == KH_OK && ranked == 0)
		rc = kh_docs_para(&o, "none_ranked", &v, 4);
	if (rc == KH_OK)
		rc = results_table(&o, mr, order, 0, &v);
	if (rc == KH_OK)
		rc = results_table(&o, mr, order, 1, &v);
	/* the notice ends with its signature; the chart illustrates it */
	if (rc == KH_OK && ctx->final)
		rc = signature(&o, &v);
	if (rc == KH_OK)
		rc = totals_chart(&o, mr, order);
	if (rc != KH_OK) {
		rc = kh_docs_fail(&o, mr->month, err);
		goto out;
	}
	rc = kh_docs_close(&o, path, err);
out:
	free(order);
	return rc;
}
