/*
 * store_int.h — FOR STORAGE-LAYER MODULES ONLY (store.c, store_*.c,
 * results.c).  Never include it from import, scoring, documents or main.
 *
 * What the files of the storage layer share: the ids of store.c's cached
 * prepared statements, the small SQLite helpers every one of them needs
 * (reporting a failed call, binding, copying a column),
 * two accessors of the private struct kh_store, the chain
 * appends, and the row readers.  store.c defines the helpers and the
 * accessors, store_chain.c the chain appends, store_month.c the row
 * readers.
 */
#ifndef KH_STORE_INT_H
#define KH_STORE_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "err.h"
#include "store.h"

/* The statements store.c prepares once and keeps (texts in store.c). */
enum kh_sid {
	KH_S_FILE_SEEN, KH_S_FIRST_UNIT, KH_S_SAME_INSTANT,
	KH_S_NEWER_MONTH_ORDERS, KH_S_NEXT_FILE_ID, KH_S_LATEST,
	KH_S_INSERT_FILE, KH_S_SUPERSEDE, KH_S_DAYS_SUPERSEDED,
	KH_S_ADD_MANAGER, KH_S_ADD_CUSTOMER, KH_S_ADD_BRAND, KH_S_ADD_KEY_BRAND,
	KH_S_ADD_TARGET, KH_S_FILE_TARGETS, KH_S_STAGE_CLEAR_ORDER,
	KH_S_STAGE_ORDER, KH_S_STAGE_HAS_ORDER, KH_S_FLUSH_VOL,
	KH_S_FLUSH_SHELF, KH_S_FIND_RECORD, KH_S_FIND_VOID, KH_S_VOID_OF,
	KH_S_ADD_RECORD, KH_S_ADD_VOID, KH_S_HAS_MANAGER, KH_S_HAS_CUSTOMER,
	KH_S_HAS_BRAND, KH_S_IDS_MANAGERS, KH_S_IDS_CUSTOMERS, KH_S_IDS_BRANDS,
	KH_S_LAST_HASH, KH_S_ADD_LINK, KH_S_MONTH_STATE, KH_S_ADD_EVENT,
	KH_S_NEWEST_MONTH, KH_S_UNIT_NAME, KH_S_LOAD_MANAGERS,
	KH_S_LOAD_CUSTOMERS, KH_S_LOAD_BRANDS, KH_S_LOAD_KEY_BRANDS,
	KH_S_LOAD_TARGETS, KH_S_LOAD_VOLUMES, KH_S_LOAD_SHELVES,
	KH_S_LOAD_RECORDS, KH_S_TRAIL_LEDGER, KH_S_TRAIL_TARGET_FILES,
	KH_S_TRAIL_EVENTS, KH_S_FILE_BY_ID, KH_S_FILE_MONTHS,
	KH_S_ADD_WITHDRAWAL,
	/* results.c: scoring runs, publications, output ledger, glyph notes */
	KH_S_RUN_FINGERPRINT, KH_S_RUN_LATEST, KH_S_RUN_NEXT_ID,
	KH_S_RUN_INSERT, KH_S_RESULT_INSERT, KH_S_INDICATOR_INSERT,
	KH_S_LINE_INSERT, KH_S_RESULTS_LOAD, KH_S_INDICATORS_LOAD,
	KH_S_LINES_LOAD, KH_S_PUB_SAME, KH_S_PUB_INSERT, KH_S_OUTPUT_INSERT,
	KH_S_PUB_EXPECTED, KH_S_PUB_ROOTS, KH_S_GLYPH_INSERT, KH_S_GLYPHS,
	KH_S__N
};

/*
 * The cached statement id, reset and with its bindings cleared; NULL
 * with err filled if it cannot be prepared.  Taking it again resets it,
 * so no walk may hold it across a callback (see kh_db_prepare_own).
 */
sqlite3_stmt	*kh_db_prep(struct kh_store *, enum kh_sid,
		    struct kh_err *);
/*
 * Prepare statement id afresh (the caller finalizes it): for walks whose
 * callbacks may call back into the store.
 */
int		 kh_db_prepare_own(struct kh_store *, enum kh_sid,
		    sqlite3_stmt **, struct kh_err *);
/* The aggregate of the orders file being staged (store_orders.c). */
struct kh_orderagg *kh_store_stage(struct kh_store *);
/* 1 while a kh_store_begin transaction is open, else 0. */
int		 kh_store_in_tx(const struct kh_store *);
/* KH_FAIL with "database: <what>: <SQLite's message>". */
int		 kh_db_fail(struct kh_store *, struct kh_err *,
		    const char *what);
/* Step a statement that returns no row, then reset it; KH_OK or KH_FAIL. */
int		 kh_db_exec_done(struct kh_store *, sqlite3_stmt *,
		    struct kh_err *, const char *what);

void		 kh_db_bind_text(sqlite3_stmt *, int, const char *);
/* Bind v, or NULL when v is NULL or "" (optional filters). */
void		 kh_db_bind_opt(sqlite3_stmt *, int, const char *v);
/* Column i as text, "" for NULL; valid until the next step or reset. */
const char	*kh_db_col_text(sqlite3_stmt *, int);
/* Column i copied into dst (truncated to len), "" for NULL. */
void		 kh_db_col_copy(sqlite3_stmt *, int, char *dst, size_t len);

/*
 * Append the chain link for row rid of tbl (one of the chained tables:
 * files, supersessions, records, voids, month_events); _inserted for
 * the row the connection inserted last.
 */
int		 kh_store_chain_append(struct kh_store *, const char *tbl,
		    sqlite3_int64 rid, struct kh_err *);
int		 kh_store_chain_inserted(struct kh_store *, const char *tbl,
		    struct kh_err *);
/* Link the rows of tbl that have none yet (a migration's hook). */
int		 kh_store_chain_adopt(struct kh_store *, const char *tbl,
		    struct kh_err *);

/*
 * Row readers (store_month.c) shared by the month load, the ledger
 * (store_ledger.c), the trail (store_trail.c) and the results
 * (results.c).  kh_store_load_rows runs statement id bound to (key, a
 * file's or a run's id), or to (month) when month is not NULL, and
 * fills the empty array *arrp (*n == 0: its room is not known here) with
 * one element of size per row, zero-filled, then filled by row; the
 * caller frees the array, also after a failure.
 */
int		 kh_store_load_rows(struct kh_store *, enum kh_sid,
		    sqlite3_int64 key, const char *month, void *arrp, size_t *n,
		    size_t size, void (*row)(sqlite3_stmt *, void *),
		    struct kh_err *);
/* One struct kh_target; one key brand code (char[KH_CODE_MAX]). */
void		 kh_store_row_target(sqlite3_stmt *, void *);
void		 kh_store_row_key_brand(sqlite3_stmt *, void *);
/* Columns 0..12 of KH_S_FIND_RECORD / KH_S_LOAD_RECORDS into r. */
void		 kh_store_read_record(sqlite3_stmt *, struct kh_record *r);
/* Columns 13..17 of KH_S_LOAD_RECORDS: the void, if any (role if given). */
void		 kh_store_read_void_cols(sqlite3_stmt *,
		    struct kh_record *r, char *role, size_t len);

/* Grow *pp (elements of size, zero-filled) so that it holds n + 1. */

#endif
