/*
 * store_month.c — reading what is in force (store.h): the latest roster,
 * brands and targets files of a month and look-ups and id sets in them;
 * a month's scoring input (kh_store_load_month) with the row readers the
 * trail shares (store_int.h); and the month closings and reopenings,
 * chained like the rest of the trail.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "orderagg.h"
#include "grow.h"
#include "store.h"
#include "store_int.h"

/* ---- what is in force -------------------------------------------------- */

int
kh_store_in_force(struct kh_store *st, enum kh_kind kind, const char *month,
    long *file_id, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*file_id = 0;
	if ((s = kh_db_prep(st, KH_S_LATEST, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, kh_kind_name(kind));
	kh_db_bind_text(s, 2, month);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*file_id = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "ledger");
}

static int
exists(struct kh_store *st, enum kh_sid id, long file_id, const char *key,
    int *yes, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*yes = 0;
	if ((s = kh_db_prep(st, id, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_int64(s, 1, file_id);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	*yes = r == SQLITE_ROW;
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "lookup");
}

int
kh_store_has_manager(struct kh_store *st, long roster, const char *id,
    int *yes, struct kh_err *err)
{
	return exists(st, KH_S_HAS_MANAGER, roster, id, yes, err);
}

int
kh_store_has_customer(struct kh_store *st, long roster, const char *id,
    int *yes, struct kh_err *err)
{
	return exists(st, KH_S_HAS_CUSTOMER, roster, id, yes, err);
}

int
kh_store_has_brand(struct kh_store *st, long brands, const char *code,
    int *yes, struct kh_err *err)
{
	return exists(st, KH_S_HAS_BRAND, brands, code, yes, err);
}

int
kh_store_idset_load(struct kh_store *st, enum kh_ids which, long file_id,
    struct kh_idset **out, struct kh_err *err)
{
	static const enum kh_sid ids[] = { KH_S_IDS_MANAGERS,
	    KH_S_IDS_CUSTOMERS, KH_S_IDS_BRANDS };
	struct kh_idset *set = NULL;
	const unsigned char *v;
	sqlite3_stmt *s;
	int r, rc = KH_FAIL;

	*out = NULL;
	if ((set = kh_idset_new()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	if ((s = kh_db_prep(st, ids[which], err)) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, file_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if ((v = sqlite3_column_text(s, 0)) != NULL &&
		    kh_idset_add(set, (const char *)v) != 0) {
			sqlite3_reset(s);
			kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
	sqlite3_reset(s);
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "lookup");
		goto out;
	}
	*out = set;
	set = NULL;
	rc = KH_OK;
out:
	kh_idset_free(set);
	return rc;
}

/* ---- a month for scoring ----------------------------------------------- */


void
kh_store_read_record(sqlite3_stmt *s, struct kh_record *r)
{
	memset(r, 0, sizeof(*r));
	kh_db_col_copy(s, 0, r->id, sizeof(r->id));
	kh_db_col_copy(s, 1, r->date, sizeof(r->date));
	kh_db_col_copy(s, 2, r->manager, sizeof(r->manager));
	kh_db_col_copy(s, 3, r->item, sizeof(r->item));
	r->count = sqlite3_column_int64(s, 4);
	kh_db_col_copy(s, 5, r->customer, sizeof(r->customer));
	r->has_value = sqlite3_column_type(s, 6) != SQLITE_NULL;
	r->value = sqlite3_column_int64(s, 6);
	r->required = sqlite3_column_int64(s, 7);
	r->has_points = sqlite3_column_type(s, 8) != SQLITE_NULL;
	r->points = sqlite3_column_int64(s, 8);
	kh_db_col_copy(s, 9, r->decision, sizeof(r->decision));
	kh_db_col_copy(s, 10, r->recorder, sizeof(r->recorder));
	kh_db_col_copy(s, 11, r->role, sizeof(r->role));
	kh_db_col_copy(s, 12, r->note, sizeof(r->note));
}

void
kh_store_read_void_cols(sqlite3_stmt *s, struct kh_record *r, char *role,
    size_t len)
{
	r->voided = sqlite3_column_type(s, 13) != SQLITE_NULL;
	if (!r->voided)
		return;
	kh_db_col_copy(s, 13, r->void_id, sizeof(r->void_id));
	kh_db_col_copy(s, 14, r->void_date, sizeof(r->void_date));
	kh_db_col_copy(s, 15, r->void_reason, sizeof(r->void_reason));
	kh_db_col_copy(s, 16, r->void_recorder, sizeof(r->void_recorder));
	if (role != NULL)
		kh_db_col_copy(s, 17, role, len);
}

/*
 * One loader per array of the month input: a statement bound to a file
 * id (or the month) and a row reader.  Kept as a table so that the load
 * is a loop, not eight copies of it.
 */
static void
row_manager(sqlite3_stmt *s, void *p)
{
	struct kh_manager *m = p;
	char status[16];

	kh_db_col_copy(s, 0, m->id, sizeof(m->id));
	kh_db_col_copy(s, 1, m->name, sizeof(m->name));
	kh_db_col_copy(s, 2, m->group, sizeof(m->group));
	kh_db_col_copy(s, 3, status, sizeof(status));
	m->left = strcmp(status, "left") == 0;
}

static void
row_customer(sqlite3_stmt *s, void *p)
{
	struct kh_customer *c = p;
	char status[16];

	kh_db_col_copy(s, 0, c->id, sizeof(c->id));
	kh_db_col_copy(s, 1, c->name, sizeof(c->name));
	kh_db_col_copy(s, 2, c->manager, sizeof(c->manager));
	kh_db_col_copy(s, 3, status, sizeof(status));
	c->open = strcmp(status, "open") == 0;
}

static void
row_brand(sqlite3_stmt *s, void *p)
{
	struct kh_brand *b = p;

	kh_db_col_copy(s, 0, b->code, sizeof(b->code));
	kh_db_col_copy(s, 1, b->name, sizeof(b->name));
	b->price_class = sqlite3_column_int(s, 2);
	b->tar = sqlite3_column_int64(s, 3);
}

void
kh_store_row_key_brand(sqlite3_stmt *s, void *p)
{
	kh_db_col_copy(s, 0, p, KH_CODE_MAX);
}

void
kh_store_row_target(sqlite3_stmt *s, void *p)
{
	struct kh_target *t = p;

	kh_db_col_copy(s, 0, t->manager, sizeof(t->manager));
	kh_db_col_copy(s, 1, t->indicator, sizeof(t->indicator));
	t->value = sqlite3_column_int64(s, 2);
	t->has_points = sqlite3_column_type(s, 3) != SQLITE_NULL;
	t->points = sqlite3_column_int64(s, 3);
}

/*
 * A sum given in halves (KH_S_LOAD_VOLUMES): high << 32 + low, exact; a
 * sum beyond int64_t is held at INT64_MAX (INT64_MIN), far past every
 * bound of score.h, so the manager is reported, never scored with it.
 */
static int64_t
join_halves(sqlite3_stmt *s, int col)
{
	__int128 v = (__int128)sqlite3_column_int64(s, col) * ((__int128)1 << 32)
	    + sqlite3_column_int64(s, col + 1);

	return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN :
	    (int64_t)v;
}

static void
row_volume(sqlite3_stmt *s, void *p)
{
	struct kh_volume *v = p;

	kh_db_col_copy(s, 0, v->manager, sizeof(v->manager));
	kh_db_col_copy(s, 1, v->brand, sizeof(v->brand));
	v->qty = join_halves(s, 2);
	v->amount = join_halves(s, 4);
}

static void
row_shelf(sqlite3_stmt *s, void *p)
{
	struct kh_shelf *h = p;

	kh_db_col_copy(s, 0, h->customer, sizeof(h->customer));
	kh_db_col_copy(s, 1, h->brand, sizeof(h->brand));
}

static void
row_record(sqlite3_stmt *s, void *p)
{
	kh_store_read_record(s, p);
	kh_store_read_void_cols(s, p, NULL, 0);
}

int
kh_store_load_rows(struct kh_store *st, enum kh_sid id, sqlite3_int64 key,
    const char *month, void *arrp, size_t *n, size_t size,
    void (*row)(sqlite3_stmt *, void *), struct kh_err *err)
{
	sqlite3_stmt *s;
	char **arr = arrp;
	size_t cap = 0;
	int r;

	assert(*n == 0 && *arr == NULL);	/* cap starts at 0 */
	if ((s = kh_db_prep(st, id, err)) == NULL)
		return KH_FAIL;
	if (month != NULL)
		kh_db_bind_text(s, 1, month);
	else
		sqlite3_bind_int64(s, 1, key);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (kh_grow(arr, &cap, *n, size) != 0) {
			sqlite3_reset(s);
			return kh_err_sys(err, KH_FAIL, "out of memory");
		}
		row(s, *arr + *n * size);
		(*n)++;
	}
	sqlite3_reset(s);
	return r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "loading a month");
}

int
kh_store_load_month(struct kh_store *st, const char *month,
    struct kh_month_input *in, struct kh_err *err)
{
	long roster, brands, targets;
	int rc = KH_FAIL;

	memset(in, 0, sizeof(*in));
	snprintf(in->month, sizeof(in->month), "%s", month);
	if (kh_store_in_force(st, KH_KIND_ROSTER, month, &roster, err) ||
	    kh_store_in_force(st, KH_KIND_BRANDS, month, &brands, err) ||
	    kh_store_in_force(st, KH_KIND_TARGETS, month, &targets, err))
		goto out;
	if (roster == 0) {
		rc = kh_err_sys(err, KH_REJECT, "no roster for %s has been "
		    "imported yet: the month cannot be scored", month);
		goto out;
	}
	if (kh_store_load_rows(st, KH_S_LOAD_MANAGERS, roster, NULL,
	    &in->managers, &in->n_managers, sizeof(*in->managers),
	    row_manager, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_CUSTOMERS, roster, NULL,
	    &in->customers, &in->n_customers, sizeof(*in->customers),
	    row_customer, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_BRANDS, brands, NULL,
	    &in->brands, &in->n_brands, sizeof(*in->brands),
	    row_brand, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_KEY_BRANDS, targets, NULL,
	    &in->key_brands, &in->n_key_brands, sizeof(*in->key_brands),
	    kh_store_row_key_brand, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_TARGETS, targets, NULL,
	    &in->targets, &in->n_targets, sizeof(*in->targets),
	    kh_store_row_target, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_VOLUMES, 0, month,
	    &in->volumes, &in->n_volumes, sizeof(*in->volumes),
	    row_volume, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_SHELVES, 0, month,
	    &in->shelves, &in->n_shelves, sizeof(*in->shelves),
	    row_shelf, err) ||
	    kh_store_load_rows(st, KH_S_LOAD_RECORDS, 0, month,
	    &in->records, &in->n_records, sizeof(*in->records),
	    row_record, err))
		goto out;
	rc = KH_OK;
out:
	if (rc != KH_OK)
		kh_month_input_clear(in);
	return rc;
}

/* ---- months and unit --------------------------------------------------- */


int
kh_store_month_closed(struct kh_store *st, const char *month, int *closed,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	char ev[8] = "";
	int r;

	*closed = 0;
	if ((s = kh_db_prep(st, KH_S_MONTH_STATE, err)) == NULL)
		return KH_FAIL;
	kh_db_bind_text(s, 1, month);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		kh_db_col_copy(s, 0, ev, sizeof(ev));
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return kh_db_fail(st, err, "month state");
	*closed = strcmp(ev, "close") == 0;
	return KH_OK;
}

/* Append a month event in its own transaction unless one is open. */
static int
month_event(struct kh_store *st, const char *month, const char *event,
    const char *reason, struct kh_err *err)
{
	sqlite3_stmt *s;
	int own = !kh_store_in_tx(st);

	if (own && kh_store_begin(st, err) != KH_OK)
		return KH_FAIL;
	if ((s = kh_db_prep(st, KH_S_ADD_EVENT, err)) == NULL)
		goto fail;
	kh_db_bind_text(s, 1, month);
	kh_db_bind_text(s, 2, event);
	kh_db_bind_text(s, 3, reason);
	if (kh_db_exec_done(st, s, err, "month event") != KH_OK ||
	    kh_store_chain_inserted(st, "month_events", err) != KH_OK)
		goto fail;
	return own ? kh_store_commit(st, err) : KH_OK;
fail:
	if (own)
		kh_store_rollback(st);
	return KH_FAIL;
}

int
kh_store_close_month(struct kh_store *st, const char *month, struct kh_err *err)
{
	int closed;

	if (!kh_month_valid(month))
		return kh_err_sys(err, KH_USAGE, "not a month (YYYY-MM): %s",
		    month != NULL ? month : "(none)");
	if (kh_store_month_closed(st, month, &closed, err) != KH_OK)
		return KH_FAIL;
	if (closed)
		return kh_err_sys(err, KH_USAGE, "month %s is already closed",
		    month);
	return month_event(st, month, "close", "", err);
}

int
kh_store_reopen_month(struct kh_store *st, const char *month,
    const char *reason, struct kh_err *err)
{
	int closed;

	if (!kh_month_valid(month))
		return kh_err_sys(err, KH_USAGE, "not a month (YYYY-MM): %s",
		    month != NULL ? month : "(none)");
	if (reason == NULL || reason[strspn(reason, " \t")] == '\0')
		return kh_err_sys(err, KH_USAGE, "reopening %s needs a reason",
		    month);
	if (kh_store_month_closed(st, month, &closed, err) != KH_OK)
		return KH_FAIL;
	if (!closed)
		return kh_err_sys(err, KH_USAGE, "month %s is not closed", month);
	return month_event(st, month, "reopen", reason, err);
}

int
kh_store_newest_month(struct kh_store *st, char month[KH_MONTH_MAX],
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	month[0] = '\0';
	if ((s = kh_db_prep(st, KH_S_NEWEST_MONTH, err)) == NULL)
		return KH_FAIL;
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		kh_db_col_copy(s, 0, month, KH_MONTH_MAX);
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "ledger");
}

int
kh_store_unit(struct kh_store *st, char code[KH_CODE_MAX], char name[256],
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	code[0] = name[0] = '\0';
	if ((s = kh_db_prep(st, KH_S_FIRST_UNIT, err)) == NULL)
		return KH_FAIL;
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		kh_db_col_copy(s, 0, code, KH_CODE_MAX);
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return kh_db_fail(st, err, "reading the unit");
	if ((s = kh_db_prep(st, KH_S_UNIT_NAME, err)) == NULL)
		return KH_FAIL;
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		kh_db_col_copy(s, 0, name, 256);
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return kh_db_fail(st, err, "reading the unit");
	return KH_OK;
}

/*
 * The latest close of month: its link (checked) and time, what a final
 * document prints as the record it was made from.  *found = 0 if the
 * month was never closed.
 */
int
kh_store_month_close_link(struct kh_store *st, const char *month,
    struct kh_link *link, char at[32], int *found, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	sqlite3_int64 id = 0;
	int r, rc = KH_FAIL;

	*found = 0;
	at[0] = '\0';
	if (sqlite3_prepare_v2(kh_store_db(st), "SELECT id, at FROM "
	    "month_events WHERE month = ?1 AND event = 'close' ORDER BY id "
	    "DESC LIMIT 1", -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "month state");
		goto out;
	}
	kh_db_bind_text(s, 1, month);
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, at, 32);
		*found = 1;
	} else if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "month state");
		goto out;
	}
	rc = *found ? kh_store_chain_link_of(st, "month_events", id, link, err) :
	    KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}
