/*
 * store_ledger.c — writing the ledger: what import.c calls, inside
 * kh_store_begin/commit, to admit a file, write what it contributed
 * (roster, brands, targets, assessment records and voids) and finally
 * its ledger row with what it supersedes, each chained row linked on the
 * way (see store.h).  A key clash is the file's fault (KH_REJECT); any
 * other database failure is KH_FAIL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "store.h"
#include "store_int.h"

/* ---- files --------------------------------------------------------------- */

int
kh_store_file_seen(struct kh_store *st, const char *sha256, long *file_id,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*file_id = 0;
	if ((s = kh_db_prep(st, KH_S_FILE_SEEN, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, sha256);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*file_id = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "ledger");
}

/* Refuse with the file named and the root element as the place. */
static int
refuse(struct kh_err *err, const struct kh_file_info *fi, const char *what,
    const char *detail1, const char *detail2)
{
	return kh_err_set(err, KH_REJECT, fi->name, 0, "export", NULL, what,
	    detail1, detail2);
}

int
kh_store_file_admit(struct kh_store *st, const struct kh_file_info *fi,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	char unit[KH_CODE_MAX] = "", name[256], gen[KH_GEN_MAX], month[8];
	int closed, r;

	if ((s = kh_db_prep(st, KH_S_FIRST_UNIT, err)) == NULL)
		return KH_FAIL;
	if (sqlite3_step(s) == SQLITE_ROW)
		kh_db_col_copy(s, 0, unit, sizeof(unit));
	sqlite3_reset(s);
	if (unit[0] != '\0' && strcmp(unit, fi->unit) != 0)
		return refuse(err, fi, "this database holds unit %s; the file "
		    "is of unit %s", unit, fi->unit);
	snprintf(month, sizeof(month), "%.7s", fi->period);
	if (kh_store_month_closed(st, month, &closed, err) != KH_OK)
		return KH_FAIL;
	if (closed && fi->kind != KH_KIND_ASSESSMENTS)
		return refuse(err, fi, "month %s is closed; reopen it (with a "
		    "reason) before importing %s for it", month,
		    kh_kind_name(fi->kind));
	if (fi->kind != KH_KIND_ASSESSMENTS) {
		if ((s = kh_db_prep(st, KH_S_SAME_INSTANT, err)) == NULL)
			return KH_FAIL;
		kh_db_bind_text(s, 1, kh_kind_name(fi->kind));
		kh_db_bind_text(s, 2, fi->period);
		sqlite3_bind_int64(s, 3, fi->generated_utc);
		r = sqlite3_step(s);
		kh_db_col_copy(s, 0, name, sizeof(name));
		sqlite3_reset(s);
		if (r == SQLITE_ROW)
			return refuse(err, fi, "conflict: %s, already imported, "
			    "has the same kind, period and generated time (%s) "
			    "but different content", name, fi->generated);
	}
	if (fi->kind == KH_KIND_ORDERS && strlen(fi->period) == 10) {
		if ((s = kh_db_prep(st, KH_S_NEWER_MONTH_ORDERS, err)) == NULL)
			return KH_FAIL;
		kh_db_bind_text(s, 1, month);
		sqlite3_bind_int64(s, 2, fi->generated_utc);
		r = sqlite3_step(s);
		kh_db_col_copy(s, 0, name, sizeof(name));
		kh_db_col_copy(s, 1, gen, sizeof(gen));
		sqlite3_reset(s);
		if (r == SQLITE_ROW) {
			kh_err_set(err, KH_REJECT, fi->name, 0, "export", NULL,
			    "stale: the month orders file %s of %s, generated "
			    "%s, is not older than this day file (generated %s)",
			    name, month, gen, fi->generated);
			return KH_REJECT;
		}
	}
	return KH_OK;
}

int
kh_store_file_reserve(struct kh_store *st, long *file_id, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_NEXT_FILE_ID, err)) == NULL)
		return KH_FAIL;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return kh_db_fail(st, err, "ledger");
	}
	*file_id = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return kh_store_slot_clean(st, "files", *file_id, err);
}

static int
supersede(struct kh_store *st, long old_file, long new_file,
    struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_SUPERSEDE, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, old_file);
	sqlite3_bind_int64(s, 2, new_file);
	if (kh_db_exec_done(st, s, err, "supersession") != KH_OK)
		return KH_FAIL;
	return kh_store_chain_inserted(st, "supersessions", err);
}

/*
 * A month orders file that is the newest of its month supersedes the day
 * files in force that are not newer than it (a tie goes to the month
 * file, as kh_store_file_admit refuses such a day file arriving later).
 * *n counts them.
 */
static int
supersede_days(struct kh_store *st, long file_id,
    const struct kh_file_info *fi, int64_t prev_month_utc, long *n,
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	long *ids = NULL;
	size_t cap = 0, k = 0, i;
	int r, rc = KH_FAIL;

	*n = 0;
	if ((s = kh_db_prep(st, KH_S_DAYS_SUPERSEDED, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, fi->period);
	sqlite3_bind_int64(s, 2, prev_month_utc);
	sqlite3_bind_int64(s, 3, fi->generated_utc);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(&ids, &cap, k, sizeof(*ids)) != 0) {
			kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
		ids[k++] = (long)sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "supersession");
		goto out;
	}
	for (i = 0; i < k; i++)
		if (supersede(st, ids[i], file_id, err) != KH_OK)
			goto out;
	*n = (long)k;
	rc = KH_OK;
out:
	free(ids);
	return rc;
}

static int
insert_file(struct kh_store *st, long file_id, const struct kh_file_info *fi,
    long n_items, long n_lines, const char *summary, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_INSERT_FILE, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, fi->sha256);
	kh_db_bind_text(s, 3, fi->name);
	kh_db_bind_text(s, 4, kh_kind_name(fi->kind));
	kh_db_bind_text(s, 5, fi->unit);
	kh_db_bind_text(s, 6, fi->unit_name);
	kh_db_bind_text(s, 7, fi->period);
	kh_db_bind_text(s, 8, fi->generated);
	sqlite3_bind_int64(s, 9, fi->generated_utc);
	kh_db_bind_text(s, 10, fi->encoding);
	sqlite3_bind_int64(s, 11, fi->size);
	sqlite3_bind_int64(s, 12, n_items);
	sqlite3_bind_int64(s, 13, n_lines);
	kh_db_bind_text(s, 14, summary);
	if (kh_db_exec_done(st, s, err, "ledger") != KH_OK)
		return KH_FAIL;
	return kh_store_chain_append(st, "files", file_id, err);
}

int
kh_store_file_commit(struct kh_store *st, long file_id,
    const struct kh_file_info *fi, long n_items, long n_lines,
    const char *summary, char *outcome, size_t outcome_len,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	char lname[256] = "", lgen[KH_GEN_MAX] = "", tmp[512] = "imported";
	long lid = 0, ndays = 0;
	int64_t lutc = INT64_MIN;
	int r, newest;

	if ((s = kh_db_prep(st, KH_S_LATEST, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, kh_kind_name(fi->kind));
	kh_db_bind_text(s, 2, fi->period);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		lid = (long)sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, lname, sizeof(lname));
		kh_db_col_copy(s, 2, lgen, sizeof(lgen));
		lutc = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return kh_db_fail(st, err, "ledger");
	if (insert_file(st, file_id, fi, n_items, n_lines, summary, err) != KH_OK)
		return KH_FAIL;
	newest = lid == 0 || lutc < fi->generated_utc;
	if (fi->kind != KH_KIND_ASSESSMENTS && lid != 0) {
		if (newest ? supersede(st, lid, file_id, err) :
		    supersede(st, file_id, lid, err))
			return KH_FAIL;
		snprintf(tmp, sizeof(tmp), newest ?
		    "imported, supersedes %s %s of %s (%s)" :
		    "imported, but already superseded by %s %s of %s (%s)",
		    kh_kind_name(fi->kind), fi->period, lgen, lname);
	}
	if (fi->kind == KH_KIND_ORDERS && strlen(fi->period) == 7 && newest) {
		if (supersede_days(st, file_id, fi, lutc, &ndays, err) != KH_OK)
			return KH_FAIL;
		if (ndays > 0)
			snprintf(tmp + strlen(tmp), sizeof(tmp) - strlen(tmp),
			    "%s supersedes %ld day file%s", lid ? "; also" :
			    ",", ndays, ndays == 1 ? "" : "s");
	}
	if (outcome != NULL)
		snprintf(outcome, outcome_len, "%s", tmp);
	return KH_OK;
}

/* Step an insert of a file's row; a key clash is the file's fault. */
static int
insert_row(struct kh_store *st, sqlite3_stmt *s, struct kh_err *err,
    const char *what, const char *key)
{
	int r = sqlite3_step(s);

	sqlite3_reset(s);
	if (r == SQLITE_DONE)
		return KH_OK;
	if (r == SQLITE_CONSTRAINT)
		return kh_err_set(err, KH_REJECT, NULL, 0, NULL, key,
		    "duplicate %s %s in this file", what, key);
	return kh_db_fail(st, err, what);
}

int
kh_store_add_manager(struct kh_store *st, long file_id,
    const struct kh_roster_manager *m, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_ADD_MANAGER, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, m->id);
	kh_db_bind_text(s, 3, m->name);
	kh_db_bind_text(s, 4, m->group);
	kh_db_bind_text(s, 5, m->status);
	kh_db_bind_text(s, 6, m->from);
	return insert_row(st, s, err, "manager", m->id);
}

int
kh_store_add_customer(struct kh_store *st, long file_id,
    const struct kh_roster_customer *c, struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_ADD_CUSTOMER, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, c->id);
	kh_db_bind_text(s, 3, c->name);
	kh_db_bind_text(s, 4, c->manager);
	kh_db_bind_text(s, 5, c->grade);
	kh_db_bind_text(s, 6, c->status);
	kh_db_bind_text(s, 7, c->opened);
	return insert_row(st, s, err, "customer", c->id);
}

int
kh_store_add_brand(struct kh_store *st, long file_id, const struct kh_brand *b,
    struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_ADD_BRAND, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, b->code);
	kh_db_bind_text(s, 3, b->name);
	sqlite3_bind_int(s, 4, b->price_class);
	sqlite3_bind_int64(s, 5, b->tar);
	return insert_row(st, s, err, "brand", b->code);
}

int
kh_store_add_key_brand(struct kh_store *st, long file_id, const char *code,
    struct kh_err *err)
{
	sqlite3_stmt *s;

	if ((s = kh_db_prep(st, KH_S_ADD_KEY_BRAND, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, code);
	return insert_row(st, s, err, "key brand", code);
}

int
kh_store_add_target(struct kh_store *st, long file_id,
    const struct kh_target *t, struct kh_err *err)
{
	sqlite3_stmt *s;
	char key[2 * KH_CODE_MAX + 4];

	if ((s = kh_db_prep(st, KH_S_ADD_TARGET, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, t->manager);
	kh_db_bind_text(s, 3, t->indicator);
	sqlite3_bind_int64(s, 4, t->value);
	if (t->has_points)
		sqlite3_bind_int64(s, 5, t->points);
	snprintf(key, sizeof(key), "%s/%s", t->manager, t->indicator);
	return insert_row(st, s, err, "target", key);
}

/* Read all targets of a file into a fresh array. */
static int
load_targets(struct kh_store *st, enum kh_sid id, long file_id,
    struct kh_target **out, size_t *n, struct kh_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	if ((s = kh_db_prep(st, id, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(out, &cap, *n, sizeof(**out)) != 0) {
			sqlite3_reset(s);
			return kh_err_sys(err, KH_FAIL, "out of memory");
		}
		kh_store_row_target(s, &(*out)[(*n)++]);
	}
	sqlite3_reset(s);
	return r == SQLITE_DONE ? KH_OK : kh_db_fail(st, err, "targets");
}

int
kh_store_file_targets(struct kh_store *st, long file_id,
    struct kh_target **out, size_t *n, struct kh_err *err)
{
	return load_targets(st, KH_S_FILE_TARGETS, file_id, out, n, err);
}

/* ---- records and voids --------------------------------------------------- */

int
kh_store_find_record(struct kh_store *st, const char *id, struct kh_record *out,
    int *found, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*found = 0;
	if ((s = kh_db_prep(st, KH_S_FIND_RECORD, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, id);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_store_read_record(s, out);
		*found = 1 + sqlite3_column_int(s, 13);
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "records");
}

int
kh_store_find_void(struct kh_store *st, const char *id, struct kh_void *out,
    int *found, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*found = 0;
	if ((s = kh_db_prep(st, KH_S_FIND_VOID, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, id);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		kh_db_col_copy(s, 0, out->id, sizeof(out->id));
		kh_db_col_copy(s, 1, out->record, sizeof(out->record));
		kh_db_col_copy(s, 2, out->date, sizeof(out->date));
		kh_db_col_copy(s, 3, out->reason, sizeof(out->reason));
		kh_db_col_copy(s, 4, out->recorder, sizeof(out->recorder));
		kh_db_col_copy(s, 5, out->role, sizeof(out->role));
		*found = 1 + sqlite3_column_int(s, 6);
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "voids");
}

int
kh_store_void_of(struct kh_store *st, const char *record_id,
    char void_id[KH_CODE_MAX], int *found, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*found = 0;
	void_id[0] = '\0';
	if ((s = kh_db_prep(st, KH_S_VOID_OF, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, record_id);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_db_col_copy(s, 0, void_id, KH_CODE_MAX);
		*found = 1 + sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "voids");
}

int
kh_store_add_record(struct kh_store *st, long file_id, const struct kh_record *r,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = kh_db_prep(st, KH_S_ADD_RECORD, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, r->id);
	sqlite3_bind_int64(s, 2, file_id);
	kh_db_bind_text(s, 3, r->date);
	kh_db_bind_text(s, 4, r->manager);
	kh_db_bind_text(s, 5, r->item);
	sqlite3_bind_int64(s, 6, r->count);
	kh_db_bind_text(s, 7, r->customer);
	if (r->has_value) {
		sqlite3_bind_int64(s, 8, r->value);
		sqlite3_bind_int64(s, 9, r->required);
	}
	if (r->has_points)
		sqlite3_bind_int64(s, 10, r->points);
	kh_db_bind_text(s, 11, r->decision);
	kh_db_bind_text(s, 12, r->recorder);
	kh_db_bind_text(s, 13, r->role);
	kh_db_bind_text(s, 14, r->note);
	if ((rc = insert_row(st, s, err, "record", r->id)) != KH_OK)
		return rc;
	return kh_store_chain_inserted(st, "records", err);
}

int
kh_store_add_void(struct kh_store *st, long file_id, const struct kh_void *v,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = kh_db_prep(st, KH_S_ADD_VOID, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, v->id);
	kh_db_bind_text(s, 2, v->record);
	sqlite3_bind_int64(s, 3, file_id);
	kh_db_bind_text(s, 4, v->date);
	kh_db_bind_text(s, 5, v->reason);
	kh_db_bind_text(s, 6, v->recorder);
	kh_db_bind_text(s, 7, v->role);
	if ((rc = insert_row(st, s, err, "void", v->id)) != KH_OK)
		return rc;
	return kh_store_chain_inserted(st, "voids", err);
}

/* ---- withdrawals ----------------------------------------------------------- */

/* Refuse when a month the file touches is closed. */
static int
months_open(struct kh_store *st, long file_id, char month[KH_MONTH_MAX],
    struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char m[KH_MONTH_MAX];
	int r, closed, rc;

	if ((rc = kh_db_prepare_own(st, KH_S_FILE_MONTHS, &s, err)) != KH_OK)
		return rc;
	sqlite3_bind_int64(s, 1, file_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_db_col_copy(s, 0, m, sizeof(m));
		if ((rc = kh_store_month_closed(st, m, &closed, err)) != KH_OK)
			goto out;
		if (closed) {
			rc = kh_err_sys(err, KH_REJECT, "month %s is closed; "
			    "reopen it (with a reason) before withdrawing file "
			    "#%ld, which %s it", m, file_id, strcmp(m, month) == 0 ?
			    "belongs to" : "has records of");
			goto out;
		}
	}
	rc = r == SQLITE_DONE ? KH_OK : kh_db_fail(st, err, "withdrawal");
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_withdraw(struct kh_store *st, long file_id, const char *reason,
    const char *by, struct kh_trail_file *out, struct kh_err *err)
{
	sqlite3_stmt *s;
	char at[32] = "";
	long wid = 0;
	int r, rc;

	memset(out, 0, sizeof(*out));
	if (reason == NULL || reason[strspn(reason, " \t")] == '\0')
		return kh_err_sys(err, KH_USAGE, "withdrawing a file needs a "
		    "reason");
	if ((rc = kh_store_begin(st, err)) != KH_OK)
		return rc;
	if ((s = kh_db_prep(st, KH_S_FILE_BY_ID, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, file_id);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = file_id;
		kh_db_col_copy(s, 0, out->name, sizeof(out->name));
		kh_db_col_copy(s, 1, out->kind, sizeof(out->kind));
		kh_db_col_copy(s, 2, out->period, sizeof(out->period));
		kh_db_col_copy(s, 3, out->generated, sizeof(out->generated));
		wid = (long)sqlite3_column_int64(s, 4);
		kh_db_col_copy(s, 5, at, sizeof(at));
	}
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		kh_db_fail(st, err, "withdrawal");
		goto fail;
	}
	if (r == SQLITE_DONE)
		rc = kh_err_sys(err, KH_USAGE, "there is no file #%ld in the "
		    "ledger (kaohe files lists them)", file_id);
	else if (wid != 0)
		rc = kh_err_sys(err, KH_USAGE, "file #%ld (%s) was already "
		    "withdrawn at %s", file_id, out->name, at);
	else {
		snprintf(at, sizeof(at), "%.7s", out->period);
		rc = months_open(st, file_id, at, err);
	}
	if (rc != KH_OK)
		goto fail;
	if ((s = kh_db_prep(st, KH_S_ADD_WITHDRAWAL, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, file_id);
	kh_db_bind_text(s, 2, reason);
	kh_db_bind_text(s, 3, by != NULL ? by : "");
	if (kh_db_exec_done(st, s, err, "withdrawal") != KH_OK ||
	    kh_store_chain_inserted(st, "withdrawals", err) != KH_OK)
		goto fail;
	return kh_store_commit(st, err);
fail:
	kh_store_rollback(st);
	return rc != KH_OK ? rc : KH_FAIL;
}
