/*
 * store_trail.c — the audit trail read back into trail.h's model
 * (kh_store_trail_load, declared in store.h): the ledger, the targets
 * revisions, the assessment records and the month events, each one
 * statement walked by the same loop (walk) with its own row reader.
 *
 * Part of the storage layer: it reads store.c's tables through the
 * statements and helpers of store_int.h.  Texts people wrote (reasons)
 * are copied whole.
 */
#include <stdio.h>
#include <string.h>

#include "grow.h"
#include "store.h"
#include "store_int.h"
#include "trail.h"

/* Fills one element from the current row; -1 when out of memory. */
typedef int (*row_reader)(sqlite3_stmt *, void *elem);

/*
 * The one walk: statement id with ?1 = month and, where it has one,
 * ?2 = manager (NULL: any), one element of size appended to the array
 * *arrp (n elements) per row.  An element is counted before it is read,
 * so that kh_trail_clear frees what a failed reader had copied.
 */
static int
walk(struct kh_store *st, enum kh_sid id, const char *month,
    const char *manager, void *arrp, size_t *n, size_t size,
    row_reader reader, struct kh_err *err)
{
	sqlite3_stmt *s;
	char **arr = arrp;
	size_t cap = *n;
	int r, rc = KH_OK;

	if ((s = kh_db_prep(st, id, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_opt(s, 1, month);
	if (sqlite3_bind_parameter_count(s) >= 2)	/* the records' */
		kh_db_bind_opt(s, 2, manager);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(arr, &cap, *n, size) != 0) {
			rc = kh_err_sys(err, KH_FAIL, "out of memory");
			break;
		}
		if (reader(s, *arr + (*n)++ * size) != 0) {
			rc = kh_err_sys(err, KH_FAIL, "out of memory");
			break;
		}
	}
	if (rc == KH_OK && r != SQLITE_DONE)
		rc = kh_db_fail(st, err, "reading the trail");
	sqlite3_reset(s);
	return rc;
}

/* Column i copied whole into *out; -1 when out of memory. */
static int
col_dup(sqlite3_stmt *s, int i, char **out)
{
	return (*out = strdup(kh_db_col_text(s, i))) == NULL ? -1 : 0;
}

/* ---- the row readers ----------------------------------------------------- */

static int
read_file(sqlite3_stmt *s, void *elem)
{
	struct kh_trail_file *e = elem;

	e->id = (long)sqlite3_column_int64(s, 0);
	kh_db_col_copy(s, 1, e->name, sizeof(e->name));
	kh_db_col_copy(s, 2, e->kind, sizeof(e->kind));
	kh_db_col_copy(s, 3, e->period, sizeof(e->period));
	kh_db_col_copy(s, 4, e->generated, sizeof(e->generated));
	kh_db_col_copy(s, 5, e->sha256, sizeof(e->sha256));
	kh_db_col_copy(s, 6, e->encoding, sizeof(e->encoding));
	e->size = sqlite3_column_int64(s, 7);
	kh_db_col_copy(s, 8, e->imported_at, sizeof(e->imported_at));
	e->n_items = (long)sqlite3_column_int64(s, 9);
	e->n_lines = (long)sqlite3_column_int64(s, 10);
	kh_db_col_copy(s, 11, e->summary, sizeof(e->summary));
	e->superseded_by = (long)sqlite3_column_int64(s, 12);
	kh_db_col_copy(s, 13, e->superseded_by_name,
	    sizeof(e->superseded_by_name));
	kh_db_col_copy(s, 14, e->superseded_by_generated,
	    sizeof(e->superseded_by_generated));
	e->withdrawal = (long)sqlite3_column_int64(s, 15);
	kh_db_col_copy(s, 18, e->withdrawn_at, sizeof(e->withdrawn_at));
	e->in_force = sqlite3_column_int(s, 19);
	if (e->withdrawal == 0)
		return 0;
	return col_dup(s, 16, &e->withdrawn_reason) != 0 ||
	    col_dup(s, 17, &e->withdrawn_by) != 0 ? -1 : 0;
}

static int
read_revision(sqlite3_stmt *s, void *elem)
{
	struct kh_trail_revision *v = elem;

	v->file_id = (long)sqlite3_column_int64(s, 0);
	kh_db_col_copy(s, 1, v->name, sizeof(v->name));
	kh_db_col_copy(s, 2, v->generated, sizeof(v->generated));
	v->in_force = sqlite3_column_int(s, 3);
	kh_db_col_copy(s, 4, v->month, sizeof(v->month));
	v->withdrawn = sqlite3_column_int(s, 5);
	return 0;
}

static int
read_record(sqlite3_stmt *s, void *elem)
{
	struct kh_trail_record *t = elem;

	kh_store_read_record(s, &t->r);
	kh_store_read_void_cols(s, &t->r, t->void_role, sizeof(t->void_role));
	kh_db_col_copy(s, 18, t->file, sizeof(t->file));
	kh_db_col_copy(s, 19, t->void_file, sizeof(t->void_file));
	return 0;
}

static int
read_event(sqlite3_stmt *s, void *elem)
{
	struct kh_trail_event *e = elem;

	e->seq = (long)sqlite3_column_int64(s, 0);
	kh_db_col_copy(s, 1, e->month, sizeof(e->month));
	kh_db_col_copy(s, 2, e->action, sizeof(e->action));
	kh_db_col_copy(s, 4, e->at, sizeof(e->at));
	return col_dup(s, 3, &e->reason);
}

/* ---- loading ------------------------------------------------------------- */

static int
load_files(struct kh_store *st, const char *month, struct kh_trail *t,
    struct kh_err *err)
{
	return walk(st, KH_S_TRAIL_LEDGER, month, NULL, &t->files, &t->n_files,
	    sizeof(*t->files), read_file, err);
}

/* Every targets revision, each with its targets and key brands. */
static int
load_revisions(struct kh_store *st, const char *month, struct kh_trail *t,
    struct kh_err *err)
{
	struct kh_trail_revision *v;
	size_t i;
	int rc;

	if ((rc = walk(st, KH_S_TRAIL_TARGET_FILES, month, NULL,
	    &t->revisions, &t->n_revisions, sizeof(*t->revisions),
	    read_revision, err)) != KH_OK)
		return rc;
	for (i = 0; i < t->n_revisions; i++) {
		v = &t->revisions[i];
		if ((rc = kh_store_load_rows(st, KH_S_LOAD_TARGETS, v->file_id,
		    NULL, &v->targets, &v->n_targets, sizeof(*v->targets),
		    kh_store_row_target, err)) != KH_OK ||
		    (rc = kh_store_load_rows(st, KH_S_LOAD_KEY_BRANDS,
		    v->file_id, NULL, &v->key_brands, &v->n_key_brands,
		    sizeof(*v->key_brands), kh_store_row_key_brand, err))
		    != KH_OK)
			return rc;
	}
	return KH_OK;
}

int
kh_store_trail_files(struct kh_store *st, const char *month,
    struct kh_trail *t, struct kh_err *err)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = load_files(st, month, t, err)) != KH_OK)
		kh_trail_clear(t);
	return rc;
}

int
kh_store_trail_load(struct kh_store *st, const char *month,
    const char *manager, struct kh_trail *t, struct kh_err *err)
{
	int rc = KH_FAIL;

	memset(t, 0, sizeof(*t));
	if (month != NULL)
		snprintf(t->month, sizeof(t->month), "%s", month);
	if (manager != NULL && (t->manager = strdup(manager)) == NULL) {
		rc = kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	if ((rc = load_files(st, month, t, err)) != KH_OK ||
	    (rc = load_revisions(st, month, t, err)) != KH_OK ||
	    (rc = walk(st, KH_S_LOAD_RECORDS, month, manager, &t->records,
	    &t->n_records, sizeof(*t->records), read_record, err)) != KH_OK ||
	    (rc = walk(st, KH_S_TRAIL_EVENTS, month, NULL, &t->events,
	    &t->n_events, sizeof(*t->events), read_event, err)) != KH_OK)
		goto out;
	if (month != NULL)
		rc = kh_store_month_closed(st, month, &t->closed, err);
out:
	if (rc != KH_OK)
		kh_trail_clear(t);
	return rc;
}
