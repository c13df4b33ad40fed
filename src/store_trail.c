/*
 * store_trail.c — the audit trail read back: the walks over the ledger,
 * the targets revisions, the assessment records and the month events
 * (kh_store_trail_*, declared in store.h), and all of them as text for
 * `kaohe trail` (kh_store_trail_print): every stored text whole and
 * escaped (esc.h), so that no note or reason can forge a line.
 *
 * Part of the storage layer: it reads store.c's tables through the
 * statements and helpers of store_int.h.  Each walk prepares its own
 * statement, so a callback may call back into the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "esc.h"
#include "grow.h"
#include "store.h"
#include "store_int.h"

/* ---- the walks ----------------------------------------------------------- */

int
kh_store_trail_ledger(struct kh_store *st, const char *month,
    int (*cb)(const struct kh_ledger_entry *, void *), void *arg,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_ledger_entry e;
	int r, rc;

	if ((rc = kh_db_prepare_own(st, KH_S_TRAIL_LEDGER, &s, err)) != KH_OK)
		return rc;
	kh_db_bind_opt(s, 1, month);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = (long)sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, e.name, sizeof(e.name));
		kh_db_col_copy(s, 2, e.kind, sizeof(e.kind));
		kh_db_col_copy(s, 3, e.period, sizeof(e.period));
		kh_db_col_copy(s, 4, e.generated, sizeof(e.generated));
		kh_db_col_copy(s, 5, e.sha256, sizeof(e.sha256));
		kh_db_col_copy(s, 6, e.encoding, sizeof(e.encoding));
		e.size = sqlite3_column_int64(s, 7);
		kh_db_col_copy(s, 8, e.imported_at, sizeof(e.imported_at));
		e.n_items = (long)sqlite3_column_int64(s, 9);
		e.n_lines = (long)sqlite3_column_int64(s, 10);
		kh_db_col_copy(s, 11, e.summary, sizeof(e.summary));
		e.superseded_by = (long)sqlite3_column_int64(s, 12);
		kh_db_col_copy(s, 13, e.superseded_by_name,
		    sizeof(e.superseded_by_name));
		kh_db_col_copy(s, 14, e.superseded_by_generated,
		    sizeof(e.superseded_by_generated));
		e.withdrawal = (long)sqlite3_column_int64(s, 15);
		kh_db_col_copy(s, 16, e.withdrawn_reason,
		    sizeof(e.withdrawn_reason));
		kh_db_col_copy(s, 17, e.withdrawn_by, sizeof(e.withdrawn_by));
		kh_db_col_copy(s, 18, e.withdrawn_at, sizeof(e.withdrawn_at));
		e.in_force = sqlite3_column_int(s, 19);
		if ((rc = cb(&e, arg)) != KH_OK)
			goto out;
	}
	rc = r == SQLITE_DONE ? KH_OK : kh_db_fail(st, err, "trail");
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_trail_targets(struct kh_store *st, const char *month,
    int (*cb)(const struct kh_targets_revision *, void *), void *arg,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_targets_revision *revs = NULL;
	size_t cap = 0, n = 0, i;
	int r, rc;

	if ((rc = kh_db_prepare_own(st, KH_S_TRAIL_TARGET_FILES, &s,
	    err)) != KH_OK)
		return rc;
	kh_db_bind_opt(s, 1, month);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(&revs, &cap, n, sizeof(*revs)) != 0) {
			rc = kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
		revs[n].file_id = (long)sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, revs[n].name, sizeof(revs[n].name));
		kh_db_col_copy(s, 2, revs[n].generated,
		    sizeof(revs[n].generated));
		revs[n].in_force = sqlite3_column_int(s, 3);
		kh_db_col_copy(s, 4, revs[n].month, sizeof(revs[n].month));
		revs[n].withdrawn = sqlite3_column_int(s, 5);
		n++;
	}
	if (r != SQLITE_DONE) {
		rc = kh_db_fail(st, err, "trail");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = kh_store_load_rows(st, KH_S_LOAD_TARGETS,
		    revs[i].file_id, NULL, &revs[i].targets,
		    &revs[i].n_targets, sizeof(*revs[i].targets),
		    kh_store_row_target, err)) != KH_OK ||
		    (rc = kh_store_load_rows(st, KH_S_LOAD_KEY_BRANDS,
		    revs[i].file_id, NULL, &revs[i].key_brands,
		    &revs[i].n_key_brands, sizeof(*revs[i].key_brands),
		    kh_store_row_key_brand, err)) != KH_OK)
			goto out;
	}
	for (i = 0; i < n; i++)
		if ((rc = cb(&revs[i], arg)) != KH_OK)
			goto out;
	rc = KH_OK;
out:
	for (i = 0; i < n; i++) {
		free(revs[i].targets);
		free(revs[i].key_brands);
	}
	free(revs);
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_trail_records(struct kh_store *st, const char *month,
    const char *manager, int (*cb)(const struct kh_trail_record *, void *),
    void *arg, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_trail_record t;
	int r, rc;

	if ((rc = kh_db_prepare_own(st, KH_S_LOAD_RECORDS, &s, err)) != KH_OK)
		return rc;
	kh_db_bind_opt(s, 1, month);
	kh_db_bind_opt(s, 2, manager);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&t, 0, sizeof(t));
		kh_store_read_record(s, &t.r);
		kh_store_read_void_cols(s, &t.r, t.void_role,
		    sizeof(t.void_role));
		kh_db_col_copy(s, 18, t.file, sizeof(t.file));
		kh_db_col_copy(s, 19, t.void_file, sizeof(t.void_file));
		if ((rc = cb(&t, arg)) != KH_OK)
			goto out;
	}
	rc = r == SQLITE_DONE ? KH_OK : kh_db_fail(st, err, "trail");
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_trail_events(struct kh_store *st, const char *month,
    int (*cb)(const struct kh_month_event *, void *), void *arg,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct kh_month_event e;
	int r, rc;

	if ((rc = kh_db_prepare_own(st, KH_S_TRAIL_EVENTS, &s, err)) != KH_OK)
		return rc;
	kh_db_bind_opt(s, 1, month);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.seq = (long)sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, e.month, sizeof(e.month));
		kh_db_col_copy(s, 2, e.event, sizeof(e.event));
		e.reason = kh_db_col_text(s, 3);
		kh_db_col_copy(s, 4, e.at, sizeof(e.at));
		if ((rc = cb(&e, arg)) != KH_OK)
			goto out;
	}
	rc = r == SQLITE_DONE ? KH_OK : kh_db_fail(st, err, "trail");
out:
	sqlite3_finalize(s);
	return rc;
}

/* ---- the trail as text --------------------------------------------------- */

static int
print_file(const struct kh_ledger_entry *e, void *arg)
{
	FILE *out = arg;

	kh_esc_printf(out, "  #%ld %s  %s %s  generated %s  imported %s\n",
	    e->id, e->name, e->kind, e->period, e->generated, e->imported_at);
	kh_esc_printf(out, "      sha256 %s  %s, %lld bytes  %s\n", e->sha256,
	    e->encoding, (long long)e->size, e->summary);
	if (e->superseded_by != 0)
		kh_esc_printf(out, "      superseded by #%ld %s (generated "
		    "%s)\n", e->superseded_by, e->superseded_by_name,
		    e->superseded_by_generated);
	if (e->withdrawal != 0)
		fprintf(out, "      WITHDRAWN %s by %s: %s\n", e->withdrawn_at,
		    e->withdrawn_by[0] != '\0' ? e->withdrawn_by : "(not given)",
		    e->withdrawn_reason);
	return KH_OK;
}

static int
print_targets(const struct kh_targets_revision *t, void *arg)
{
	FILE *out = arg;
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
	return KH_OK;
}

static int
print_record(const struct kh_trail_record *t, void *arg)
{
	const struct kh_record *r = &t->r;
	FILE *out = arg;
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
	return KH_OK;
}

static int
print_event(const struct kh_month_event *e, void *arg)
{
	FILE *out = arg;

	kh_esc_printf(out, "  %s %s %s%s%s\n", e->at, e->event, e->month,
	    e->reason[0] ? ": " : "", e->reason);
	return KH_OK;
}

int
kh_store_trail_print(struct kh_store *st, const char *month,
    const char *manager, FILE *out, struct kh_err *err)
{
	int rc;

	kh_esc_printf(out, "Files%s%s:\n", month ? " of " : "",
	    month ? month : "");
	if ((rc = kh_store_trail_ledger(st, month, print_file, out, err)))
		return rc;
	kh_esc_printf(out, "Targets%s%s, every revision:\n",
	    month ? " of " : "", month ? month : "");
	if ((rc = kh_store_trail_targets(st, month, print_targets, out, err)))
		return rc;
	kh_esc_printf(out, "Assessment records%s%s%s%s:\n", month ? " of " : "",
	    month ? month : "", manager ? ", manager " : "",
	    manager ? manager : "");
	if ((rc = kh_store_trail_records(st, month, manager, print_record, out,
	    err)))
		return rc;
	fputs("Month closings and reopenings:\n", out);
	if ((rc = kh_store_trail_events(st, month, print_event, out, err)))
		return rc;
	if (ferror(out))
		return kh_err_sys(err, KH_FAIL, "cannot write the trail");
	return KH_OK;
}
