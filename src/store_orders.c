/*
 * store_orders.c — the disk side of staging an orders file (see store.h,
 * kh_store_orders_*): the order ids that no longer fit in memory, kept in
 * the connection's temp.stage_order for the duplicate check, and the
 * writing of the sorted sums under the file's ledger id.  The counting
 * and sorting themselves are orderagg.c's, on the store's aggregate.
 */
#include <stdlib.h>

#include "orderagg.h"
#include "store.h"
#include "store_int.h"

int
kh_store_orders_stage_begin(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s;

	kh_orderagg_clear(kh_store_stage(st));
	if ((s = kh_db_prep(st, KH_S_STAGE_CLEAR_ORDER, err)) == NULL)
		return KH_FAIL;
	return kh_db_exec_done(st, s, err, "staging");
}

/*
 * Move the order ids held in memory to temp.stage_order, in sorted order
 * (cheap b-tree inserts); none can clash, each was checked on entry.
 */
static int
spill_ids(struct kh_store *st, struct kh_err *err)
{
	struct kh_orderagg *ag = kh_store_stage(st);
	const char **v = NULL;
	sqlite3_stmt *s;
	size_t i, n;
	int rc = KH_FAIL;

	if (kh_orderagg_ids_sorted(ag, &v, &n) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	for (i = 0; i < n; i++) {
		if ((s = kh_db_prep(st, KH_S_STAGE_ORDER, err)) == NULL)
			goto out;
		sqlite3_bind_text(s, 1, v[i], -1, SQLITE_STATIC);
		if (kh_db_exec_done(st, s, err, "staging") != KH_OK)
			goto out;
	}
	if (kh_orderagg_ids_spilled(ag, v, n) != 0) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	rc = KH_OK;
out:
	free(v);
	return rc;
}

/* Was id spilled to temp.stage_order? */
static int
spilled(struct kh_store *st, const char *id, int *yes, struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	*yes = 0;
	if (!kh_orderagg_maybe_spilled(kh_store_stage(st), id))
		return KH_OK;
	if ((s = kh_db_prep(st, KH_S_STAGE_HAS_ORDER, err)) == NULL)
		return KH_FAIL;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	*yes = r == SQLITE_ROW;
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "staging");
}

int
kh_store_orders_stage_order(struct kh_store *st, const char *id,
    struct kh_err *err)
{
	struct kh_orderagg *ag = kh_store_stage(st);
	int yes, dup;

	if (spilled(st, id, &yes, err) != KH_OK)
		return KH_FAIL;
	if (kh_orderagg_note_id(ag, id, &dup) != 0)
		return kh_err_sys(err, KH_FAIL, "staging: out of memory");
	if (yes || dup)
		return kh_err_set(err, KH_REJECT, NULL, 0, NULL, id,
		    "order %s appears twice in this file", id);
	return kh_orderagg_ids_full(ag) ? spill_ids(st, err) : KH_OK;
}

int
kh_store_orders_stage_line(struct kh_store *st, int day, const char *manager,
    const char *customer, const char *brand, int64_t qty, int64_t amount,
    struct kh_err *err)
{
	return kh_orderagg_line(kh_store_stage(st), day, manager, customer,
	    brand, qty, amount, err);
}

/* Insert the day x manager x brand sums, by day, manager, brand. */
static int
flush_vol(struct kh_store *st, long file_id, struct kh_err *err)
{
	struct kh_orderagg *ag = kh_store_stage(st);
	struct kh_orderagg_volume v;
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < kh_orderagg_n_volumes(ag); i++) {
		kh_orderagg_volume(ag, i, &v);
		if ((s = kh_db_prep(st, KH_S_FLUSH_VOL, err)) == NULL)
			return KH_FAIL;
		sqlite3_bind_int64(s, 1, file_id);
		sqlite3_bind_int(s, 2, v.day);
		sqlite3_bind_text(s, 3, v.manager, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, v.brand, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, v.qty);
		sqlite3_bind_int64(s, 6, v.amount);
		sqlite3_bind_int64(s, 7, v.lines);
		if (kh_db_exec_done(st, s, err, "orders") != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

/* Insert the customer x brand day masks, by customer, brand. */
static int
flush_shelf(struct kh_store *st, long file_id, struct kh_err *err)
{
	struct kh_orderagg *ag = kh_store_stage(st);
	struct kh_orderagg_shelf h;
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < kh_orderagg_n_shelves(ag); i++) {
		kh_orderagg_shelf(ag, i, &h);
		if ((s = kh_db_prep(st, KH_S_FLUSH_SHELF, err)) == NULL)
			return KH_FAIL;
		sqlite3_bind_int64(s, 1, file_id);
		sqlite3_bind_text(s, 2, h.customer, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, h.brand, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, h.days);
		if (kh_db_exec_done(st, s, err, "orders") != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
}

/*
 * The staged sums go in sorted by their keys' names, as the SQL staging
 * inserted them (ORDER BY), so a database is the same run after run.
 */
int
kh_store_orders_flush(struct kh_store *st, long file_id, long *n_managers,
    struct kh_err *err)
{
	struct kh_orderagg *ag = kh_store_stage(st);

	*n_managers = 0;
	if (kh_orderagg_sort(ag) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	*n_managers = kh_orderagg_n_managers(ag);
	if (flush_vol(st, file_id, err) != KH_OK ||
	    flush_shelf(st, file_id, err) != KH_OK)
		return KH_FAIL;
	return kh_store_orders_stage_begin(st, err);
}
