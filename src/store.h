/*
 * store.h — the SQLite system of record: the file ledger, what each
 * imported file contributed (rosters, brands, targets, aggregated
 * orders, assessment records and voids), month closings, and the
 * tamper-evident chain over the trail.
 *
 * Owned by store.c and the store_*.c files it names (one per section
 * below; store_int.h is what they share).  Everything in the database
 * is append-only (triggers refuse UPDATE and DELETE); "replacing" is
 * expressed by newer rows, and what is in force is decided by the rules
 * of exports.md at read time:
 *   - roster, brands, targets: the latest file (by generated instant) of
 *     the month;
 *   - orders of a month: the latest month file, except for days that
 *     have a day file generated after it (latest per day), plus those day
 *     files.
 * import.c calls the write functions inside kh_store_begin/commit so a
 * rejected file leaves the database exactly as it was.  run.c reads a
 * month with kh_store_load_month; the trail is read into trail.h's model
 * with kh_store_trail_load.
 */
#ifndef KH_STORE_H
#define KH_STORE_H

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "chain.h"
#include "err.h"
#include "orderagg.h"
#include "model.h"
#include "trail.h"

struct kh_store;

/* ---- opening, transactions (store.c); chain, verify (store_chain.c) -- */

/*
 * How a command may open the record: CREATE makes a new database if
 * there is none (init, and run/import on a fresh install); EXISTING
 * refuses a missing, empty or foreign file (every other writing
 * command); READONLY also writes nothing at all, not even a migration,
 * so that `verify` and `trail` work on a read-only archive copy.
 * A missing file is KH_USAGE, an empty or foreign one KH_FAIL, a
 * damaged one KH_BROKEN; EXISTING and CREATE bring the schema up to
 * date.
 */
enum kh_open_mode { KH_OPEN_CREATE, KH_OPEN_EXISTING, KH_OPEN_READONLY };
int	 kh_store_open_mode(const char *path, enum kh_open_mode,
	    struct kh_store **out, struct kh_err *);
/* kh_store_open_mode(path, KH_OPEN_CREATE, ...). */
int	 kh_store_open(const char *path, struct kh_store **out, struct kh_err *);
int	 kh_store_readonly(const struct kh_store *);
void	 kh_store_close(struct kh_store *);		/* NULL safe */
/*
 * The raw handle, for storage-layer modules only (results.c keeping
 * scores next to the ledger).  Never for import, scoring or documents.
 */
sqlite3	*kh_store_db(struct kh_store *);
/* One write transaction (BEGIN IMMEDIATE); rollback is NULL/idle safe. */
int	 kh_store_begin(struct kh_store *, struct kh_err *);
int	 kh_store_commit(struct kh_store *, struct kh_err *);
void	 kh_store_rollback(struct kh_store *);
/*
 * Check the whole record: SQLite's integrity check, every link of the
 * chain recomputed from its row (and a parent's children), every row of
 * a chained table linked, every reference naming an existing row.
 * KH_OK if intact; KH_BROKEN with the first problem named (table, row,
 * what) if anything was changed, removed or added behind the store's
 * back or the file is damaged.
 */
int	 kh_store_verify(struct kh_store *, struct kh_err *);
/* One link: its number in the chain and its hash. */
struct kh_link {
	int64_t	seq;
	char	hash[KH_SHA256_HEX];
};
/*
 * The link of row rid of a chained table, checked against the row;
 * KH_BROKEN if the row has no link or does not match it.
 */
int	 kh_store_chain_link_of(struct kh_store *, const char *tbl,
	    sqlite3_int64 rid, struct kh_link *, struct kh_err *);
/*
 * Cheap checks before writing: links numbered without a gap, the last
 * link matching its row.  KH_BROKEN (nothing to be done) otherwise.
 */
int	 kh_store_quick_check(struct kh_store *, struct kh_err *);
/* *seq = number of the link whose hash is hex (0: the genesis), -1: none. */
int	 kh_store_chain_find(struct kh_store *, const char *hex, long *seq,
	    struct kh_err *);
/*
 * KH_FAIL (tampering) if any row already names id of tbl ("files",
 * "score_run") before that row is written.
 */
int	 kh_store_slot_clean(struct kh_store *, const char *tbl,
	    sqlite3_int64 id, struct kh_err *);
/*
 * The latest link and the number of links.  The chain has no secret: one
 * who rewrites a row and every later link goes unnoticed unless the head
 * was written down elsewhere, so print it (trail.pdf, `kaohe verify`)
 * and compare it with the one printed last time.
 */
int	 kh_store_chain_head(struct kh_store *, char hex[KH_SHA256_HEX],
	    long *links, struct kh_err *);

/* ---- kinds of export (store.c) -------------------------------------------- */

enum kh_kind {
	KH_KIND_ROSTER, KH_KIND_BRANDS, KH_KIND_TARGETS, KH_KIND_ORDERS,
	KH_KIND_ASSESSMENTS, KH_KIND_N
};
const char *kh_kind_name(enum kh_kind);
/* 0 and *out set if s is one of the five kinds, else -1. */
int	 kh_kind_parse(const char *s, enum kh_kind *out);

/* ---- the ledger: what import.c writes (store_ledger.c, store_orders.c) --- */

/* The root of an export file, validated by import.c. */
struct kh_file_info {
	char		name[256];		/* base name of the file */
	enum kh_kind	kind;
	char		unit[KH_CODE_MAX];
	char		unit_name[256];
	char		period[KH_DATE_MAX];	/* YYYY-MM or YYYY-MM-DD */
	char		generated[KH_GEN_MAX];	/* as written */
	int64_t		generated_utc;		/* epoch seconds */
	char		encoding[32];
	int64_t		size;			/* bytes */
	char		sha256[KH_SHA256_HEX];
};

struct kh_roster_manager {
	char	id[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	char	group[KH_NAME_MAX];
	char	status[16];			/* active | left */
	char	from[KH_DATE_MAX];		/* "" if not given */
};

struct kh_roster_customer {
	char	id[KH_CODE_MAX];
	char	name[KH_NAME_MAX];
	char	manager[KH_CODE_MAX];
	char	grade[16];
	char	status[16];			/* open | suspended | closed */
	char	opened[KH_DATE_MAX];
};

struct kh_void {
	char	id[KH_CODE_MAX];
	char	record[KH_CODE_MAX];
	char	date[KH_DATE_MAX];
	char	reason[256];
	char	recorder[KH_NAME_MAX];
	char	role[KH_NAME_MAX];
};

/* *file_id = ledger id of the file with this SHA-256, or 0 if never seen. */
int	kh_store_file_seen(struct kh_store *, const char *sha256, long *file_id,
	    struct kh_err *);
/*
 * May this file enter the ledger?  KH_REJECT (err says why) when it is of
 * another unit, when another file has the same kind, period and generated
 * instant (conflict), when it is a day orders file older than an imported
 * month file of its month (stale), or when its period's month is closed.
 */
int	kh_store_file_admit(struct kh_store *, const struct kh_file_info *,
	    struct kh_err *);
/* The id the next ledger row will get (children are written first). */
int	kh_store_file_reserve(struct kh_store *, long *file_id, struct kh_err *);
/*
 * Write the ledger row last, with its counts and summary, record what it
 * supersedes or is superseded by, and chain it.  outcome (may be NULL)
 * receives e.g. "imported, supersedes orders 2013-05-17 of <generated>".
 */
int	kh_store_file_commit(struct kh_store *, long file_id,
	    const struct kh_file_info *, long n_items, long n_lines,
	    const char *summary, char *outcome, size_t outcome_len,
	    struct kh_err *);

/* Rows of a file; KH_REJECT on a duplicate key (err names it). */
int	kh_store_add_manager(struct kh_store *, long file_id,
	    const struct kh_roster_manager *, struct kh_err *);
int	kh_store_add_customer(struct kh_store *, long file_id,
	    const struct kh_roster_customer *, struct kh_err *);
int	kh_store_add_brand(struct kh_store *, long file_id,
	    const struct kh_brand *, struct kh_err *);
int	kh_store_add_key_brand(struct kh_store *, long file_id,
	    const char *code, struct kh_err *);
int	kh_store_add_target(struct kh_store *, long file_id,
	    const struct kh_target *, struct kh_err *);
/* The targets written so far for file_id (caller frees *out). */
int	kh_store_file_targets(struct kh_store *, long file_id,
	    struct kh_target **out, size_t *n, struct kh_err *);

/*
 * Orders are aggregated while streaming, in memory (orderagg.c; memory
 * grows with distinct keys, not lines): per day × manager × brand the
 * qty, amount and line count, and per customer × brand the days ordered.
 * Order ids, whose number grows with the file, are held in memory up to
 * a fixed bound and beyond it in a temporary table.  stage_begin starts
 * a file (a rollback also discards what was staged); stage_line takes a
 * day 1..31 and rejects a sum that would overflow; flush writes the sums
 * in key order, so the same file always makes the same rows.
 */
int	kh_store_orders_stage_begin(struct kh_store *, struct kh_err *);
int	kh_store_orders_stage_line(struct kh_store *, int day,
	    const char *manager, const char *customer, const char *brand,
	    int64_t qty, int64_t amount, struct kh_err *);
/* Note an order id; KH_REJECT if it already occurred in this file. */
int	kh_store_orders_stage_order(struct kh_store *, const char *id,
	    struct kh_err *);
/* Move the staged aggregates under file_id; *n_managers distinct managers. */
int	kh_store_orders_flush(struct kh_store *, long file_id,
	    long *n_managers, struct kh_err *);

/*
 * A stored record (void fields left empty) / void by id.  *found: 0 not
 * stored, 1 stored, 2 stored but delivered in a file since withdrawn
 * (out of force; its id stays taken).  The same for kh_store_void_of.
 */
int	kh_store_find_record(struct kh_store *, const char *id,
	    struct kh_record *out, int *found, struct kh_err *);
int	kh_store_find_void(struct kh_store *, const char *id,
	    struct kh_void *out, int *found, struct kh_err *);
/* The void (if any) already cancelling record_id. */
int	kh_store_void_of(struct kh_store *, const char *record_id,
	    char void_id[KH_CODE_MAX], int *found, struct kh_err *);
int	kh_store_add_record(struct kh_store *, long file_id,
	    const struct kh_record *, struct kh_err *);
int	kh_store_add_void(struct kh_store *, long file_id,
	    const struct kh_void *, struct kh_err *);

/* ---- what is in force (store_month.c) ------------------------------------ */

/* Latest roster / brands / targets file of month, or *file_id = 0. */
int	kh_store_in_force(struct kh_store *, enum kh_kind, const char *month,
	    long *file_id, struct kh_err *);
int	kh_store_has_manager(struct kh_store *, long roster_file,
	    const char *id, int *yes, struct kh_err *);
int	kh_store_has_customer(struct kh_store *, long roster_file,
	    const char *id, int *yes, struct kh_err *);
int	kh_store_has_brand(struct kh_store *, long brands_file,
	    const char *code, int *yes, struct kh_err *);

/*
 * The ids of one file's managers, customers or brands as an in-memory
 * set, loaded with one query: checking an orders file against its roster
 * and brands then costs no query per order or line.  Memory grows with
 * the roster or brands file, not with the file being checked.
 */
enum kh_ids { KH_IDS_MANAGERS, KH_IDS_CUSTOMERS, KH_IDS_BRANDS };
/* kh_idset_has and kh_idset_free are in orderagg.h (included above). */
int	kh_store_idset_load(struct kh_store *, enum kh_ids, long file_id,
	    struct kh_idset **out, struct kh_err *);

/*
 * Fill a month's scoring input from the data in force.  KH_REJECT, naming
 * what is missing, when no roster of the month has been imported.
 */
int	kh_store_load_month(struct kh_store *, const char *month,
	    struct kh_month_input *out, struct kh_err *);

/* ---- months and unit (store_month.c) ------------------------------------- */

int	kh_store_month_closed(struct kh_store *, const char *month, int *closed,
	    struct kh_err *);
/* KH_USAGE if already closed / not closed or reason empty. */
int	kh_store_close_month(struct kh_store *, const char *month,
	    struct kh_err *);
int	kh_store_reopen_month(struct kh_store *, const char *month,
	    const char *reason, struct kh_err *);
/* The link and time of month's latest close; *found = 0 if none. */
int	kh_store_month_close_link(struct kh_store *, const char *month,
	    struct kh_link *, char at[32], int *found, struct kh_err *);
/* Month of the newest imported data; "" if the ledger is empty. */
int	kh_store_newest_month(struct kh_store *, char month[KH_MONTH_MAX],
	    struct kh_err *);
/* The unit this database holds; "" and "" if nothing imported yet. */
int	kh_store_unit(struct kh_store *, char code[KH_CODE_MAX],
	    char name[256], struct kh_err *);

/* ---- the trail, for `kaohe trail` and trail.pdf (store_trail.c) --------- */

/*
 * Fill *t (trail.h) with the trail of month (NULL: every month): the
 * file ledger, every targets revision, the assessment records (of
 * manager only, unless NULL) with their voids, the month events and, for
 * a month, whether it is closed.  Not the glyph notes (results.h).  On
 * failure *t is left cleared; else the caller kh_trail_clear()s it.
 */
int	kh_store_trail_load(struct kh_store *, const char *month,
	    const char *manager, struct kh_trail *, struct kh_err *);
/* Only the file ledger of month (NULL: every file), into t->files. */
int	kh_store_trail_files(struct kh_store *, const char *month,
	    struct kh_trail *, struct kh_err *);

/*
 * Take a wrongly delivered file out of force, on record (a chained row
 * with reason, by whom and when): every "in force" read skips it from
 * then on, so what it superseded is in force again, and a withdrawn
 * assessments file's records and voids count no more (their ids stay
 * taken).  Its rows stay.  out receives the file's id, name, kind,
 * period and generated (nothing it would own).  KH_USAGE: no such file,
 * already withdrawn, or no reason; KH_REJECT: a month the file touches
 * is closed.
 */
int	kh_store_withdraw(struct kh_store *, long file_id, const char *reason,
	    const char *by, struct kh_trail_file *out, struct kh_err *);

#endif
