/*
 * trail_text.c — the trail as text for `kaohe trail` (see trail_text.h).
 * Every stored text goes through esc.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "esc.h"
#include "trail_text.h"

static void
print_file(FILE *out, const struct kh_trail_file *e)
{
	kh_esc_printf(out, "  #%ld %s  %s %s  generated %s  imported %s\n",
	    e->id, e->name, e->kind, e->period, e->generated, e->imported_at);
	kh_esc_printf(out, "      sha256 %s  %s, %lld bytes  %s\n", e->sha256,
	    e->encoding, (long long)e->size, e->summary);
	if (e->superseded_by != 0)
		kh_esc_printf(out, "      superseded by #%ld %s (generated "
		    "%s)\n", e->superseded_by, e->superseded_by_name,
		    e->superseded_by_generated);
	if (e->withdrawal != 0)
		kh_esc_printf(out, "      WITHDRAWN %s by %s: %s\n",
		    e->withdrawn_at, e->withdrawn_by != NULL &&
		    e->withdrawn_by[0] != '\0' ? e->withdrawn_by :
		    "(not given)", e->withdrawn_reason != NULL ?
		    e->withdrawn_reason : "");
}

static void
print_revision(FILE *out, const struct kh_trail_revision *t)
{
	char v[32], p[32];
	size_t i;

	kh_esc_printf(out, "  #%ld %s %s generated %s%s\n", t->file_id,
	    t->name, t->month, t->generated, t->withdrawn ? "  (withdrawn)" :
	    t->in_force ? "  (in force)" : "  (replaced)");
	fputs("      key brands:", out);
	for (i = 0; i < t->n_key_brands; i++)
		kh_esc_printf(out, " %s", t->key_brands[i]);
	fputs(t->n_key_brands ? "\n" : " none\n", out);
	for (i = 0; i < t->n_targets; i++) {
		kh_dec_format(t->targets[i].value, 2, v, sizeof(v));
		kh_esc_printf(out, "      %s %s %s", t->targets[i].manager,
		    t->targets[i].indicator, v);
		if (t->targets[i].has_points)
			kh_esc_printf(out, " points %s", kh_dec_format(
			    t->targets[i].points, 2, p, sizeof(p)));
		fputc('\n', out);
	}
}

static void
print_record(FILE *out, const struct kh_trail_record *t)
{
	const struct kh_record *r = &t->r;
	char a[32], b[32];

	kh_esc_printf(out, "  %s %s %s item %s", r->id, r->date, r->manager,
	    r->item);
	if (!r->has_value && !r->has_points)
		kh_esc_printf(out, " count %lld", (long long)r->count);
	if (r->customer[0] != '\0')
		kh_esc_printf(out, " customer %s", r->customer);
	if (r->has_value)
		kh_esc_printf(out, " value %s%% required %s%%",
		    kh_dec_format(r->value, 2, a, sizeof(a)),
		    kh_dec_format(r->required, 2, b, sizeof(b)));
	if (r->has_points)
		kh_esc_printf(out, " points %s decision %s",
		    kh_dec_format(r->points, 2, a, sizeof(a)), r->decision);
	kh_esc_printf(out, "\n      recorded by %s (%s)%s%s  [%s]\n",
	    r->recorder, r->role, r->note[0] ? ": " : "", r->note, t->file);
	if (r->voided)
		kh_esc_printf(out, "      VOID %s %s by %s (%s): %s  [%s]\n",
		    r->void_id, r->void_date, r->void_recorder, t->void_role,
		    r->void_reason, t->void_file);
}

static void
print_event(FILE *out, const struct kh_trail_event *e)
{
	const char *reason = e->reason != NULL ? e->reason : "";

	kh_esc_printf(out, "  %s %s %s%s%s\n", e->at, e->action, e->month,
	    reason[0] ? ": " : "", reason);
}

static int
written(FILE *out, struct kh_err *err)
{
	if (ferror(out))
		return kh_err_sys(err, KH_FAIL, "cannot write the trail");
	return KH_OK;
}

int
kh_trail_print(FILE *out, const struct kh_trail *t, struct kh_err *err)
{
	const char *of = t->month[0] ? " of " : "";
	size_t i;

	kh_esc_printf(out, "Files%s%s:\n", of, t->month);
	for (i = 0; i < t->n_files; i++)
		print_file(out, &t->files[i]);
	kh_esc_printf(out, "Targets%s%s, every revision:\n", of, t->month);
	for (i = 0; i < t->n_revisions; i++)
		print_revision(out, &t->revisions[i]);
	kh_esc_printf(out, "Assessment records%s%s%s%s:\n", of, t->month,
	    t->manager ? ", manager " : "", t->manager ? t->manager : "");
	for (i = 0; i < t->n_records; i++)
		print_record(out, &t->records[i]);
	fputs("Month closings and reopenings:\n", out);
	for (i = 0; i < t->n_events; i++)
		print_event(out, &t->events[i]);
	return written(out, err);
}

/* One manager's result and explanation lines. */
static void
print_result(FILE *out, const struct kh_month_result *res,
    const struct kh_result *x)
{
	char a[32], b[32];
	size_t k;

	if (x->incomplete)
		kh_esc_printf(out, "  %s %s: incomplete: %s\n", x->manager,
		    x->name, x->reason);
	else
		kh_esc_printf(out, "  %s %s: total %s, rank %d\n", x->manager,
		    x->name, kh_dec_format(x->total, 2, a, sizeof(a)),
		    x->rank);
	for (k = 0; k < res->n_lines; k++) {
		if (strcmp(res->lines[k].manager, x->manager) != 0)
			continue;
		kh_esc_printf(out, "      %2d. %s", res->lines[k].seq,
		    res->lines[k].text);
		if (res->lines[k].has_points)
			kh_esc_printf(out, "  [%s]", kh_dec_format(
			    res->lines[k].points, 2, b, sizeof(b)));
		fputc('\n', out);
	}
}

int
kh_trail_print_results(FILE *out, const struct kh_trail *t,
    const struct kh_month_result *res, const struct kh_run_meta *meta,
    struct kh_err *err)
{
	size_t i;

	if (res == NULL) {
		kh_esc_printf(out, "Results of %s: not scored yet\n", t->month);
		return written(out, err);
	}
	kh_esc_printf(out, "Results of %s (%s): run #%lld, scored %s, scheme "
	    "%s, inputs %s\n", t->month, t->closed ? "final" : "provisional",
	    (long long)meta->run_id, meta->scored_at, meta->scheme_id,
	    meta->fingerprint);
	for (i = 0; i < res->n; i++)
		if (t->manager == NULL ||
		    strcmp(t->manager, res->results[i].manager) == 0)
			print_result(out, res, &res->results[i]);
	fputs("Characters not in the font, printed as 〓:\n", out);
	for (i = 0; i < t->n_glyphs; i++)
		kh_esc_printf(out, "  %s: U+%04X in \"%s\"\n", t->glyphs[i].doc,
		    (unsigned)t->glyphs[i].cp, t->glyphs[i].context);
	return written(out, err);
}
