/*
 * docs_trail.c — the audit trail of a month (考核痕迹), A4 portrait, laid
 * out by templates/layouts/trail.xml: the file ledger, every assessment
 * record (voided and superseded ones marked, with who and why), every
 * revision of the targets, every explanation line of every manager, and
 * the closes and reopenings of the month.
 */
#include <stdio.h>
#include <string.h>

#include "docs_int.h"

static const char *const tr_texts[] = { "pdf_title", "pdf_subject", "title",
	"info", "none", "footer", "watermark", "kind_roster", "kind_brands",
	"kind_targets", "kind_orders", "kind_assessments", "status_record",
	"status_voided", "status_superseded", "status_repeat", "status_none",
	"void_detail", "in_force", "replaced", "line_indicator",
	"line_override", "line_move", "line_record", "line_voided",
	"line_superseded", "line_repeat", "line_qualitative", "line_total",
	"line_incomplete", "event_close", "event_reopen", NULL };
static const char *const tr_params[] = { "hash_group", NULL };
static const char *const tr_charts[] = { NULL };
static const char *const tr_file_fields[] = { "id", "name", "kind", "period",
	"generated", "sha256", "imported", "encoding", "outcome", "summary",
	NULL };
static const char *const tr_record_fields[] = { "id", "id_date", "file",
	"date",
	"manager", "code", "item", "count", "customer", "value", "points",
	"decision", "note", "detail", "recorder", "status", NULL };
static const char *const tr_target_fields[] = { "revision", "generated",
	"state", "manager", "indicator", "value", "points", NULL };
static const char *const tr_line_fields[] = { "manager", "seq", "kind",
	"ref", "points", "text", NULL };
static const char *const tr_event_fields[] = { "at", "action", "reason",
	NULL };
static const char *const tr_glyph_fields[] = { "doc", "code", "context",
	NULL };
static const struct kh_layout_table_spec tr_tables[] = {
	{ "files", tr_file_fields },
	{ "records", tr_record_fields },
	{ "targets", tr_target_fields },
	{ "lines", tr_line_fields },
	{ "events", tr_event_fields },
	{ "glyphs", tr_glyph_fields },
};
static const char *const tr_placeholders[] = { "unit", "month", "year",
	"period", "generated", "fingerprint", "chain_seq", "chain_head", "chain_at", "fingerprint_full", "scheme",
	"scheme_sha256", "run", "when", "who", "why", "void", NULL };
static const struct kh_layout_spec tr_spec = {
	"trail", tr_texts, tr_params, tr_charts, tr_tables,
	sizeof(tr_tables) / sizeof(tr_tables[0]), tr_placeholders
};

/* A section: heading, then a table opened on the first row. */
struct section {
	struct kh_docs_out		*o;
	const struct kh_docs_vars	*v;
	const struct kh_layout_table	*lt;
	struct kh_docs_cols		*cols;	/* on the heap (docs_int.h) */
	struct kh_docs_row		*row;	/* the row being filled */
	struct kh_table			*t;
	int				 rc;
};

static void
section_begin(struct section *s, struct kh_docs_out *o,
    const struct kh_docs_vars *v, const char *id)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->v = v;
	s->lt = kh_layout_table(o->layout, id);
	/* o->err says out of memory */
	if ((s->rc = kh_docs_bufs_new(o, &s->cols, &s->row)) != KH_OK)
		return;
	kh_docs_cols_plain(s->cols, s->lt);
	s->rc = kh_docs_table_heading(o, s->lt, v, 50);
}

static void
section_row(struct section *s, const struct kh_docs_row *row,
    enum kh_row_style style)
{
	if (s->rc != KH_OK)
		return;
	if (s->t == NULL && (s->t = kh_docs_table_new(s->o, s->cols,
	    s->lt->id, &s->o->err)) == NULL) {
		s->rc = KH_FAIL;
		return;
	}
	s->rc = kh_docs_table_row(s->t, s->cols, row, style);
}

static int
section_end(struct section *s)
{
	if (s->t == NULL && s->rc == KH_OK)
		s->rc = kh_docs_para(s->o, "none", s->v, 6);
	kh_docs_bufs_free(s->t, s->cols, s->row);
	return s->rc;
}

/* A SHA-256 in groups of hash_group hex digits, one group a line. */
static void
hash_lines(const struct kh_docs_out *o, const char *hex, char *out,
    size_t len)
{
	long g = kh_layout_param(o->layout, "hash_group");
	size_t n = strlen(hex), k = 0;

	if (g <= 0)
		g = 64;
	for (size_t i = 0; i < n && k + 2 < len; i++) {
		if (i > 0 && i % (size_t)g == 0)
			out[k++] = '\n';
		out[k++] = hex[i];
	}
	out[k] = '\0';
}

static const char *
kind_text(const struct kh_docs_out *o, const char *kind)
{
	char id[48];
	const char *t;

	snprintf(id, sizeof(id), "kind_%s", kind);
	t = kh_layout_text(o->layout, id);
	return t[0] != '\0' ? t : kind;
}

/* What became of a file: withdrawn, superseded, or in force. */
static const char *
file_outcome(const struct kh_trail_file *f, char *buf, size_t len)
{
	if (f->withdrawal != 0)
		snprintf(buf, len, "已撤回 (%s)", f->withdrawn_at);
	else if (f->superseded_by != 0)
		snprintf(buf, len, "被 #%ld 取代 (%s)", f->superseded_by,
		    f->superseded_by_generated);
	else
		snprintf(buf, len, "有效");
	return buf;
}

static int
files(struct kh_docs_out *o, const struct kh_trail *tr,
    const struct kh_docs_vars *v)
{
	struct section s;
	struct kh_docs_row *row;
	char hash[96], tm[48], outcome[160];

	section_begin(&s, o, v, "files");
	row = s.row;
	for (size_t i = 0; s.rc == KH_OK && i < tr->n_files; i++) {
		const struct kh_trail_file *f = &tr->files[i];

		kh_docs_row_reset(row);
		kh_docs_set(row, "id", "#%ld", f->id);
		kh_docs_set(row, "name", "%s", f->name);
		kh_docs_set(row, "kind", "%s", kind_text(o, f->kind));
		kh_docs_set(row, "period", "%s", f->period);
		kh_docs_set(row, "generated", "%s", kh_docs_time(f->generated,
		    tm, sizeof(tm)));
		hash_lines(o, f->sha256, hash, sizeof(hash));
		kh_docs_set(row, "sha256", "%s", hash);
		kh_docs_set(row, "imported", "%s", kh_docs_time(f->imported_at,
		    tm, sizeof(tm)));
		kh_docs_set(row, "encoding", "%s", f->encoding);
		kh_docs_set(row, "outcome", "%s", file_outcome(f, outcome,
		    sizeof(outcome)));
		kh_docs_set(row, "summary", "%s", f->summary);
		section_row(&s, row, KH_ROW_PLAIN);
	}
	return section_end(&s);
}

/* The month result's line about record id of manager, or NULL. */
static const struct kh_line *
record_line(const struct kh_month_result *mr, const struct kh_record *r)
{
	for (size_t i = 0; i < mr->n_lines; i++) {
		const struct kh_line *l = &mr->lines[i];

		if ((l->kind == KH_LINE_RECORD || l->kind == KH_LINE_VOIDED ||
		    l->kind == KH_LINE_SUPERSEDED ||
		    l->kind == KH_LINE_REPEAT) &&
		    strcmp(l->ref, r->id) == 0 &&
		    strcmp(l->manager, r->manager) == 0)
			return l;
	}
	return NULL;
}

/* Add s as a new line of buf (nothing if s is empty). */
static void
append_line(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (s == NULL || s[0] == '\0' || n + 1 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", n > 0 ? "\n" : "", s);
}

/* Status of a record: from its explanation line, the void, or none. */
static void
record_status(const struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_record *r, const struct kh_docs_vars *base,
    struct kh_docs_row *row, int *counted)
{
	const struct kh_line *l = record_line(mr, r);
	const char *id = "status_none";
	char pts[32], buf[1024], voidtxt[1024];
	struct kh_docs_vars v = *base;

	*counted = l != NULL && l->kind == KH_LINE_RECORD;
	if (r->voided || (l != NULL && l->kind == KH_LINE_VOIDED))
		id = "status_voided";
	else if (l != NULL && l->kind == KH_LINE_SUPERSEDED)
		id = "status_superseded";
	else if (l != NULL && l->kind == KH_LINE_REPEAT)
		id = "status_repeat";
	else if (l != NULL)
		id = "status_record";
	voidtxt[0] = '\0';
	if (r->voided) {
		kh_docs_var(&v, "void", r->void_id);
		kh_docs_var(&v, "when", r->void_date);
		kh_docs_var(&v, "who", r->void_recorder);
		kh_docs_var(&v, "why", r->void_reason);
		kh_docs_textf(o, "void_detail", &v, voidtxt, sizeof(voidtxt));
	}
	buf[0] = '\0';
	append_line(buf, sizeof(buf), kh_layout_text(o->layout, id));
	append_line(buf, sizeof(buf), voidtxt);
	if (l != NULL && !*counted && !r->voided)
		append_line(buf, sizeof(buf), l->text);
	kh_docs_set(row, "status", "%s", buf);
	kh_docs_set(row, "points", "%s", kh_docs_signed(*counted &&
	    l->has_points ? l->points : 0, pts, sizeof(pts)));
}

static void
record_fields(const struct kh_docs_out *o, const struct kh_trail_record *t,
    struct kh_docs_row *row)
{
	const struct kh_record *r = &t->r;
	const struct kh_item_def *it = kh_scheme_item(o->ctx->scheme, r->item);
	char a[32], b[32], value[96], detail[1200];

	kh_docs_row_reset(row);
	kh_docs_set(row, "id", "%s", r->id);
	kh_docs_set(row, "file", "%s", t->file);
	kh_docs_set(row, "date", "%s", r->date);
	kh_docs_set(row, "id_date", "%s\n%s", r->id, r->date);
	kh_docs_set(row, "manager", "%s", r->manager);
	kh_docs_set(row, "code", "%s", r->item);
	kh_docs_set(row, "item", "%s %s", r->item, it != NULL ? it->text : "");
	kh_docs_set(row, "count", "%lld", (long long)r->count);
	kh_docs_set(row, "customer", "%s", r->customer);
	value[0] = '\0';
	if (r->has_value)
		snprintf(value, sizeof(value), "%s%% / %s%%", kh_docs_num(
		    r->value, a, sizeof(a)), kh_docs_num(r->required, b,
		    sizeof(b)));
	kh_docs_set(row, "value", "%s", value);
	kh_docs_set(row, "decision", "%s", r->decision);
	kh_docs_set(row, "note", "%s", r->note);
	detail[0] = '\0';
	append_line(detail, sizeof(detail), r->customer);
	append_line(detail, sizeof(detail), value);
	append_line(detail, sizeof(detail), r->decision);
	append_line(detail, sizeof(detail), r->note);
	kh_docs_set(row, "detail", "%s", detail);
	kh_docs_set(row, "recorder", "%s%s%s", r->recorder,
	    r->role[0] != '\0' ? "\n" : "", r->role);
}

static int
records(struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_trail *tr, const struct kh_docs_vars *v)
{
	struct section s;
	int counted;

	section_begin(&s, o, v, "records");
	for (size_t i = 0; s.rc == KH_OK && i < tr->n_records; i++) {
		record_fields(o, &tr->records[i], s.row);
		record_status(o, mr, &tr->records[i].r, v, s.row, &counted);
		section_row(&s, s.row, counted ? KH_ROW_PLAIN : KH_ROW_SHADE);
	}
	return section_end(&s);
}

/* One target of a revision: shaded unless that revision is in force. */
static int
target_row(struct kh_docs_out *o, struct section *s,
    const struct kh_trail_revision *rev, const struct kh_target *t)
{
	const struct kh_indicator_def *d = kh_scheme_indicator(o->ctx->scheme,
	    t->indicator);
	struct kh_docs_row *row = s->row;
	char a[32], tm[48];

	kh_docs_row_reset(row);
	kh_docs_set(row, "revision", "#%ld", rev->file_id);
	kh_docs_set(row, "generated", "%s", kh_docs_time(rev->generated, tm,
	    sizeof(tm)));
	kh_docs_set(row, "state", "%s", kh_layout_text(o->layout,
	    rev->in_force ? "in_force" : "replaced"));
	kh_docs_set(row, "manager", "%s", t->manager);
	kh_docs_set(row, "indicator", "%s", d != NULL ? d->name :
	    t->indicator);
	kh_docs_set(row, "value", "%s%s%s", kh_docs_num(t->value, a,
	    sizeof(a)), d != NULL ? " " : "", d != NULL ? d->unit : "");
	if (t->has_points)
		kh_docs_set(row, "points", "%s", kh_docs_num(t->points, a,
		    sizeof(a)));
	section_row(s, row, rev->in_force ? KH_ROW_PLAIN : KH_ROW_SHADE);
	return s->rc;
}

static int
targets(struct kh_docs_out *o, const struct kh_trail *tr,
    const struct kh_docs_vars *v)
{
	struct section s;
	const struct kh_trail_revision *rev;

	section_begin(&s, o, v, "targets");
	for (size_t i = 0; s.rc == KH_OK && i < tr->n_revisions; i++) {
		rev = &tr->revisions[i];
		for (size_t k = 0; k < rev->n_targets; k++)
			target_row(o, &s, rev, &rev->targets[k]);
	}
	return section_end(&s);
}

static const char *const line_ids[] = {
	[KH_LINE_INDICATOR] = "line_indicator",
	[KH_LINE_OVERRIDE] = "line_override",
	[KH_LINE_MOVE] = "line_move",
	[KH_LINE_RECORD] = "line_record",
	[KH_LINE_VOIDED] = "line_voided",
	[KH_LINE_SUPERSEDED] = "line_superseded",
	[KH_LINE_REPEAT] = "line_repeat",
	[KH_LINE_QUALITATIVE] = "line_qualitative",
	[KH_LINE_TOTAL] = "line_total",
	[KH_LINE_INCOMPLETE] = "line_incomplete",
};

static int
lines(struct kh_docs_out *o, const struct kh_month_result *mr,
    const struct kh_docs_vars *v)
{
	struct section s;
	struct kh_docs_row *row;
	char a[32];

	section_begin(&s, o, v, "lines");
	row = s.row;
	for (size_t i = 0; s.rc == KH_OK && i < mr->n_lines; i++) {
		const struct kh_line *l = &mr->lines[i];
		const struct kh_indicator_def *d;
		size_t k = (size_t)l->kind;

		kh_docs_row_reset(row);
		kh_docs_set(row, "manager", "%s", l->manager);
		kh_docs_set(row, "seq", "%d", l->seq);
		kh_docs_set(row, "kind", "%s", k < sizeof(line_ids) /
		    sizeof(line_ids[0]) ? kh_layout_text(o->layout,
		    line_ids[k]) : "?");
		d = kh_scheme_indicator(o->ctx->scheme, l->ref);
		kh_docs_set(row, "ref", "%s", d != NULL ? d->name : l->ref);
		if (l->has_points)
			kh_docs_set(row, "points", "%s", kh_docs_signed(
			    l->points, a, sizeof(a)));
		kh_docs_set(row, "text", "%s", l->text);
		section_row(&s, row, KH_ROW_PLAIN);
	}
	return section_end(&s);
}

static int
events(struct kh_docs_out *o, const struct kh_trail *tr,
    const struct kh_docs_vars *v)
{
	struct section s;
	struct kh_docs_row *row;
	char tm[48];

	section_begin(&s, o, v, "events");
	row = s.row;
	for (size_t i = 0; s.rc == KH_OK && i < tr->n_events; i++) {
		const struct kh_trail_event *e = &tr->events[i];
		const char *act = strcmp(e->action, "close") == 0 ?
		    "event_close" : strcmp(e->action, "reopen") == 0 ?
		    "event_reopen" : NULL;

		kh_docs_row_reset(row);
		kh_docs_set(row, "at", "%s", kh_docs_time(e->at, tm,
		    sizeof(tm)));
		kh_docs_set(row, "action", "%s", act != NULL ?
		    kh_layout_text(o->layout, act) : e->action);
		kh_docs_set(row, "reason", "%s", e->reason != NULL ?
		    e->reason : "");
		section_row(&s, row, KH_ROW_PLAIN);
	}
	return section_end(&s);
}

/*
 * Characters the month's other documents could not draw (printed there
 * as 〓): kept here so the archive says which name or record was not
 * printed as written.
 */
static int
glyphs(struct kh_docs_out *o, const struct kh_trail *tr,
    const struct kh_docs_vars *v)
{
	struct section s;
	struct kh_docs_row *row;

	section_begin(&s, o, v, "glyphs");
	row = s.row;
	for (size_t i = 0; s.rc == KH_OK && i < tr->n_glyphs; i++) {
		const struct kh_trail_glyph *g = &tr->glyphs[i];

		kh_docs_row_reset(row);
		kh_docs_set(row, "doc", "%s", g->doc);
		kh_docs_set(row, "code", "U+%04X", (unsigned)g->cp);
		kh_docs_set(row, "context", "%s", g->context);
		section_row(&s, row, KH_ROW_PLAIN);
	}
	return section_end(&s);
}

int
kh_docs_trail(const struct kh_docs_ctx *ctx, const struct kh_month_result *mr,
    const struct kh_trail *tr, const char *path, struct kh_err *err)
{
	const struct kh_run_meta *m = ctx->meta;
	struct kh_docs_out o;
	struct kh_docs_vars v = { .n = 0 };
	char month[32], year[8], run[24], buf[KH_DOCS_TEXT_MAX];
	int rc;

	kh_docs_month_cn(mr->month, month, sizeof(month));
	snprintf(year, sizeof(year), "%.4s", mr->month);
	snprintf(run, sizeof(run), "%lld", m != NULL ? (long long)m->run_id :
	    0LL);
	kh_docs_var(&v, "month", month);
	kh_docs_var(&v, "year", year);
	kh_docs_var(&v, "period", mr->month);
	kh_docs_var(&v, "run", run);
	kh_docs_var(&v, "scheme", ctx->scheme->name);
	kh_docs_var(&v, "scheme_sha256", m != NULL ? m->scheme_sha256 : "");
	kh_docs_var(&v, "fingerprint_full", m != NULL ? m->fingerprint : "");
	if ((rc = kh_docs_open(&o, ctx, "trail", &tr_spec, &v, err)) != KH_OK)
		return rc;
	rc = kh_docs_title(&o, kh_docs_textf(&o, "title", &v, buf,
	    sizeof(buf)));
	if (rc == KH_OK)
		rc = kh_docs_para(&o, "info", &v, 6);
	if (rc == KH_OK)
		rc = files(&o, tr, &v);
	if (rc == KH_OK)
		rc = records(&o, mr, tr, &v);
	if (rc == KH_OK)
		rc = targets(&o, tr, &v);
	if (rc == KH_OK)
		rc = lines(&o, mr, &v);
	if (rc == KH_OK)
		rc = events(&o, tr, &v);
	if (rc == KH_OK)
		rc = glyphs(&o, tr, &v);
	if (rc != KH_OK)
		return kh_docs_fail(&o, mr->month, err);
	return kh_docs_close(&o, path, err);
}
