/*
 * store.c — the core of the SQLite system of record (see store.h for the
 * rules): the schema and its migrations, every SQL statement of the
 * storage layer with its cache and the helpers of store_int.h, opening
 * and transactions, and the tamper-evident chain with its verification.
 *
 * The rest of the layer: store_ledger.c (the writes import.c makes),
 * store_orders.c (staging an orders file; orderagg.c counts in memory),
 * store_month.c (what is in force, a month's input, month closing),
 * store_trail.c (the trail read back), results.c (scored months).
 *
 * Every statement is a constant SQL text with bound parameters; the only
 * SQL assembled at run time names a table from the constant whitelists
 * below, never data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orderagg.h"
#include "sig.h"
#include "store.h"
#include "store_int.h"

#define SCHEMA_VERSION	1
#define GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* ---- schema -------------------------------------------------------------- */

/* Append-only: every trail table refuses UPDATE and DELETE. */
#define APPEND_ONLY(t)							\
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t		\
	" BEGIN SELECT RAISE(ABORT, '" t " is append-only'); END;\n"	\
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t		\
	" BEGIN SELECT RAISE(ABORT, '" t " is append-only'); END;\n"

#define FILE_FK "INTEGER NOT NULL REFERENCES files(id) DEFERRABLE INITIALLY DEFERRED"

/*
 * Version 1.  Children of a file are written before its ledger row (whose
 * counts are known only at the end), hence the deferred foreign keys.
 * Orders are kept aggregated: per day x manager x brand (so a day file
 * newer than the month file can replace that day of it) and per
 * customer x brand with a bit mask of the days ordered (shelf rates).
 */
static const char schema_v1[] =
"CREATE TABLE files (\n"
"  id INTEGER PRIMARY KEY,\n"
"  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('roster','brands','targets','orders','assessments')),\n"
"  unit TEXT NOT NULL,\n"
"  unit_name TEXT NOT NULL,\n"
"  period TEXT NOT NULL,\n"
"  month TEXT NOT NULL CHECK (month = substr(period, 1, 7)),\n"
"  generated TEXT NOT NULL,\n"
"  generated_utc INTEGER NOT NULL,\n"
"  encoding TEXT NOT NULL,\n"
"  size INTEGER NOT NULL,\n"
"  imported_at TEXT NOT NULL,\n"
"  n_items INTEGER NOT NULL,\n"
"  n_lines INTEGER NOT NULL,\n"
"  summary TEXT NOT NULL);\n"
"CREATE INDEX files_kind_period ON files(kind, period, generated_utc);\n"
"CREATE INDEX files_month ON files(month, kind);\n"
"CREATE TABLE supersessions (\n"
"  old_file " FILE_FK ",\n"
"  new_file " FILE_FK ",\n"
"  PRIMARY KEY (old_file, new_file));\n"
"CREATE TABLE managers (\n"
"  file_id " FILE_FK ", id TEXT NOT NULL, name TEXT NOT NULL,\n"
"  grp TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('active','left')),\n"
"  from_date TEXT NOT NULL, PRIMARY KEY (file_id, id));\n"
"CREATE TABLE customers (\n"
"  file_id " FILE_FK ", id TEXT NOT NULL, name TEXT NOT NULL,\n"
"  manager TEXT NOT NULL, grade TEXT NOT NULL,\n"
"  status TEXT NOT NULL CHECK (status IN ('open','suspended','closed')),\n"
"  opened TEXT NOT NULL, PRIMARY KEY (file_id, id),\n"
"  FOREIGN KEY (file_id, manager) REFERENCES managers(file_id, id)\n"
"    DEFERRABLE INITIALLY DEFERRED);\n"
"CREATE TABLE brands (\n"
"  file_id " FILE_FK ", code TEXT NOT NULL, name TEXT NOT NULL,\n"
"  class INTEGER NOT NULL CHECK (class BETWEEN 1 AND 5),\n"
"  tar INTEGER NOT NULL, PRIMARY KEY (file_id, code));\n"
"CREATE TABLE key_brands (\n"
"  file_id " FILE_FK ", code TEXT NOT NULL, PRIMARY KEY (file_id, code));\n"
"CREATE TABLE targets (\n"
"  file_id " FILE_FK ", manager TEXT NOT NULL, indicator TEXT NOT NULL,\n"
"  value INTEGER NOT NULL, points INTEGER,\n"
"  PRIMARY KEY (file_id, manager, indicator));\n"
"CREATE TABLE order_volumes (\n"
"  file_id " FILE_FK ", day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),\n"
"  manager TEXT NOT NULL, brand TEXT NOT NULL, qty INTEGER NOT NULL,\n"
"  amount INTEGER NOT NULL, lines INTEGER NOT NULL,\n"
"  PRIMARY KEY (file_id, day, manager, brand));\n"
"CREATE TABLE order_shelves (\n"
"  file_id " FILE_FK ", customer TEXT NOT NULL, brand TEXT NOT NULL,\n"
"  days INTEGER NOT NULL, PRIMARY KEY (file_id, customer, brand));\n"
"CREATE TABLE records (\n"
"  id TEXT PRIMARY KEY, file_id " FILE_FK ", date TEXT NOT NULL,\n"
"  month TEXT NOT NULL CHECK (month = substr(date, 1, 7)),\n"
"  manager TEXT NOT NULL, item TEXT NOT NULL, count INTEGER NOT NULL,\n"
"  customer TEXT NOT NULL, value INTEGER, required INTEGER, points INTEGER,\n"
"  decision TEXT NOT NULL, recorder TEXT NOT NULL, role TEXT NOT NULL,\n"
"  note TEXT NOT NULL);\n"
"CREATE INDEX records_month ON records(month, manager);\n"
"CREATE TABLE voids (\n"
"  id TEXT PRIMARY KEY,\n"
"  record TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,\n"
"  file_id " FILE_FK ", date TEXT NOT NULL, reason TEXT NOT NULL,\n"
"  recorder TEXT NOT NULL, role TEXT NOT NULL);\n"
"CREATE TABLE month_events (\n"
"  id INTEGER PRIMARY KEY, month TEXT NOT NULL,\n"
"  event TEXT NOT NULL CHECK (event IN ('close','reopen')),\n"
"  reason TEXT NOT NULL, at TEXT NOT NULL);\n"
"CREATE TABLE chain (\n"
"  seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, rid INTEGER NOT NULL,\n"
"  hash TEXT NOT NULL, UNIQUE (tbl, rid));\n"
APPEND_ONLY("files") APPEND_ONLY("supersessions") APPEND_ONLY("managers")
APPEND_ONLY("customers") APPEND_ONLY("brands") APPEND_ONLY("key_brands")
APPEND_ONLY("targets") APPEND_ONLY("order_volumes")
APPEND_ONLY("order_shelves") APPEND_ONLY("records") APPEND_ONLY("voids")
APPEND_ONLY("month_events") APPEND_ONLY("chain");

/* Migrations by PRAGMA user_version: migrations[i] brings i to i + 1. */
static const char *const migrations[SCHEMA_VERSION] = { schema_v1 };

/*
 * Connection-private: the order ids of the file being imported that no
 * longer fit in memory (struct stage), for the duplicate check.  On disk
 * (a temporary file) because their number grows with the file; WITHOUT
 * ROWID keeps it one b-tree.
 */
static const char temp_tables[] =
"CREATE TEMP TABLE IF NOT EXISTS stage_order (id TEXT PRIMARY KEY)"
"  WITHOUT ROWID;";

/* Tables whose rows are links of the chain. */
static const char *const chained[] = {
	"files", "supersessions", "records", "voids", "month_events", NULL
};

/* A file's own rows, hashed into its ledger row's link, in a fixed order. */
static const char *const children[][2] = {
	{ "managers", "id" }, { "customers", "id" }, { "brands", "code" },
	{ "key_brands", "code" }, { "targets", "manager, indicator" },
	{ "order_volumes", "day, manager, brand" },
	{ "order_shelves", "customer, brand" }, { NULL, NULL }
};

/* ---- prepared statements -------------------------------------------------- */

/*
 * The orders in force for month ?1: the latest month file, masked to the
 * days that no newer day file replaces, plus the latest file of each such
 * day.  mask has bit d set for the days a file contributes.
 */
#define IN_FORCE_ORDERS \
"WITH mf AS (SELECT id, generated_utc AS g FROM files\n" \
"   WHERE kind = 'orders' AND period = ?1\n" \
"   ORDER BY generated_utc DESC, id DESC LIMIT 1),\n" \
" df AS (SELECT f.id, CAST(substr(f.period, 9, 2) AS INTEGER) AS d FROM files f\n" \
"   WHERE f.kind = 'orders' AND f.month = ?1 AND length(f.period) = 10\n" \
"   AND f.generated_utc > coalesce((SELECT g FROM mf), -9223372036854775807)\n" \
"   AND NOT EXISTS (SELECT 1 FROM files h WHERE h.kind = 'orders'\n" \
"     AND h.period = f.period AND h.generated_utc > f.generated_utc)),\n" \
" inforce AS (SELECT id, ~(SELECT coalesce(sum(1 << d), 0) FROM df) AS mask FROM mf\n" \
"   UNION ALL SELECT id, 1 << d FROM df)\n"

static const char *const sql[KH_S__N] = {
	[KH_S_FILE_SEEN] = "SELECT id FROM files WHERE sha256 = ?1",
	[KH_S_FIRST_UNIT] = "SELECT unit FROM files ORDER BY id LIMIT 1",
	[KH_S_SAME_INSTANT] = "SELECT name FROM files WHERE kind = ?1"
	    " AND period = ?2 AND generated_utc = ?3 LIMIT 1",
	[KH_S_NEWER_MONTH_ORDERS] = "SELECT name, generated FROM files"
	    " WHERE kind = 'orders' AND period = ?1 AND generated_utc >= ?2"
	    " ORDER BY generated_utc DESC LIMIT 1",
	[KH_S_NEXT_FILE_ID] = "SELECT coalesce(max(id), 0) + 1 FROM files",
	[KH_S_LATEST] = "SELECT id, name, generated, generated_utc FROM files"
	    " WHERE kind = ?1 AND period = ?2"
	    " ORDER BY generated_utc DESC, id DESC LIMIT 1",
	[KH_S_INSERT_FILE] = "INSERT INTO files (id, sha256, name, kind, unit,"
	    " unit_name, period, month, generated, generated_utc, encoding,"
	    " size, imported_at, n_items, n_lines, summary) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, substr(?7, 1, 7), ?8, ?9, ?10, ?11,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?12, ?13, ?14)",
	[KH_S_SUPERSEDE] = "INSERT INTO supersessions (old_file, new_file)"
	    " VALUES (?1, ?2)",
	[KH_S_DAYS_SUPERSEDED] = "SELECT f.id FROM files f WHERE f.kind = 'orders'"
	    " AND f.month = ?1 AND length(f.period) = 10"
	    " AND f.generated_utc > ?2 AND f.generated_utc <= ?3"
	    " AND NOT EXISTS (SELECT 1 FROM files h WHERE h.kind = 'orders'"
	    " AND h.period = f.period AND h.generated_utc > f.generated_utc)"
	    " ORDER BY f.period",
	[KH_S_ADD_MANAGER] = "INSERT INTO managers (file_id, id, name, grp,"
	    " status, from_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[KH_S_ADD_CUSTOMER] = "INSERT INTO customers (file_id, id, name, manager,"
	    " grade, status, opened) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[KH_S_ADD_BRAND] = "INSERT INTO brands (file_id, code, name, class, tar)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[KH_S_ADD_KEY_BRAND] = "INSERT INTO key_brands (file_id, code)"
	    " VALUES (?1, ?2)",
	[KH_S_ADD_TARGET] = "INSERT INTO targets (file_id, manager, indicator,"
	    " value, points) VALUES (?1, ?2, ?3, ?4, ?5)",
	[KH_S_FILE_TARGETS] = "SELECT manager, indicator, value, points"
	    " FROM targets WHERE file_id = ?1 ORDER BY rowid",
	[KH_S_STAGE_CLEAR_ORDER] = "DELETE FROM temp.stage_order",
	[KH_S_STAGE_ORDER] = "INSERT INTO temp.stage_order (id) VALUES (?1)",
	[KH_S_STAGE_HAS_ORDER] = "SELECT 1 FROM temp.stage_order WHERE id = ?1",
	[KH_S_FLUSH_VOL] = "INSERT INTO order_volumes (file_id, day, manager,"
	    " brand, qty, amount, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[KH_S_FLUSH_SHELF] = "INSERT INTO order_shelves (file_id, customer, brand,"
	    " days) VALUES (?1, ?2, ?3, ?4)",
	[KH_S_FIND_RECORD] = "SELECT id, date, manager, item, count, customer,"
	    " value, required, points, decision, recorder, role, note"
	    " FROM records WHERE id = ?1",
	[KH_S_FIND_VOID] = "SELECT id, record, date, reason, recorder, role"
	    " FROM voids WHERE id = ?1",
	[KH_S_VOID_OF] = "SELECT id FROM voids WHERE record = ?1",
	[KH_S_ADD_RECORD] = "INSERT INTO records (id, file_id, date, month,"
	    " manager, item, count, customer, value, required, points,"
	    " decision, recorder, role, note) VALUES (?1, ?2, ?3,"
	    " substr(?3, 1, 7), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[KH_S_ADD_VOID] = "INSERT INTO voids (id, record, file_id, date, reason,"
	    " recorder, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[KH_S_HAS_MANAGER] = "SELECT 1 FROM managers WHERE file_id = ?1 AND id = ?2",
	[KH_S_HAS_CUSTOMER] = "SELECT 1 FROM customers WHERE file_id = ?1"
	    " AND id = ?2",
	[KH_S_HAS_BRAND] = "SELECT 1 FROM brands WHERE file_id = ?1 AND code = ?2",
	[KH_S_IDS_MANAGERS] = "SELECT id FROM managers WHERE file_id = ?1",
	[KH_S_IDS_CUSTOMERS] = "SELECT id FROM customers WHERE file_id = ?1",
	[KH_S_IDS_BRANDS] = "SELECT code FROM brands WHERE file_id = ?1",
	[KH_S_LAST_HASH] = "SELECT hash, seq FROM chain ORDER BY seq DESC LIMIT 1",
	[KH_S_ADD_LINK] = "INSERT INTO chain (tbl, rid, hash) VALUES (?1, ?2, ?3)",
	[KH_S_MONTH_STATE] = "SELECT event FROM month_events WHERE month = ?1"
	    " ORDER BY id DESC LIMIT 1",
	[KH_S_ADD_EVENT] = "INSERT INTO month_events (month, event, reason, at)"
	    " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	[KH_S_NEWEST_MONTH] = "SELECT max(month) FROM files",
	[KH_S_UNIT_NAME] = "SELECT unit_name FROM files WHERE unit_name <> ''"
	    " ORDER BY generated_utc DESC, id DESC LIMIT 1",
	[KH_S_LOAD_MANAGERS] = "SELECT id, name, grp, status FROM managers"
	    " WHERE file_id = ?1 ORDER BY rowid",
	[KH_S_LOAD_CUSTOMERS] = "SELECT id, name, manager, status FROM customers"
	    " WHERE file_id = ?1 ORDER BY rowid",
	[KH_S_LOAD_BRANDS] = "SELECT code, name, class, tar FROM brands"
	    " WHERE file_id = ?1 ORDER BY rowid",
	[KH_S_LOAD_KEY_BRANDS] = "SELECT code FROM key_brands WHERE file_id = ?1"
	    " ORDER BY rowid",
	[KH_S_LOAD_TARGETS] = "SELECT manager, indicator, value, points"
	    " FROM targets WHERE file_id = ?1 ORDER BY rowid",
	[KH_S_LOAD_VOLUMES] = IN_FORCE_ORDERS
	    "SELECT v.manager, v.brand, sum(v.qty), sum(v.amount)"
	    " FROM order_volumes v JOIN inforce i ON i.id = v.file_id"
	    " WHERE (i.mask >> v.day) & 1 GROUP BY v.manager, v.brand"
	    " ORDER BY v.manager, v.brand",
	[KH_S_LOAD_SHELVES] = IN_FORCE_ORDERS
	    "SELECT DISTINCT s.customer, s.brand FROM order_shelves s"
	    " JOIN inforce i ON i.id = s.file_id WHERE s.days & i.mask"
	    " ORDER BY s.customer, s.brand",
	[KH_S_LOAD_RECORDS] = "SELECT r.id, r.date, r.manager, r.item, r.count,"
	    " r.customer, r.value, r.required, r.points, r.decision,"
	    " r.recorder, r.role, r.note, v.id, v.date, v.reason, v.recorder,"
	    " v.role, rf.name, vf.name"
	    " FROM records r JOIN files rf ON rf.id = r.file_id"
	    " LEFT JOIN voids v ON v.record = r.id"
	    " LEFT JOIN files vf ON vf.id = v.file_id"
	    " WHERE (?1 IS NULL OR r.month = ?1)"
	    " AND (?2 IS NULL OR r.manager = ?2)"
	    " ORDER BY r.date, r.id",
	[KH_S_TRAIL_LEDGER] = "SELECT f.id, f.name, f.kind, f.period, f.generated,"
	    " f.sha256, f.encoding, f.size, f.imported_at, f.n_items, f.n_lines,"
	    " f.summary, n.id, n.name, n.generated FROM files f"
	    " LEFT JOIN files n ON n.id = (SELECT min(new_file) FROM"
	    " supersessions WHERE old_file = f.id)"
	    " WHERE ?1 IS NULL OR f.month = ?1 ORDER BY f.id",
	[KH_S_TRAIL_TARGET_FILES] = "SELECT f.id, f.name, f.generated,"
	    " NOT EXISTS (SELECT 1 FROM files g WHERE g.kind = 'targets'"
	    " AND g.period = f.period AND (g.generated_utc > f.generated_utc"
	    " OR (g.generated_utc = f.generated_utc AND g.id > f.id))),"
	    " f.period FROM files f"
	    " WHERE f.kind = 'targets' AND (?1 IS NULL OR f.period = ?1)"
	    " ORDER BY f.period, f.generated_utc, f.id",
	[KH_S_TRAIL_EVENTS] = "SELECT id, month, event, reason, at"
	    " FROM month_events WHERE ?1 IS NULL OR month = ?1 ORDER BY id",
};

struct kh_store {
	sqlite3		*db;
	int		 in_tx;
	sqlite3_stmt	*stmt[KH_S__N];
	struct kh_orderagg *stage;	/* the orders file being imported */
};


/* ---- storage-layer helpers (store_int.h) ---------------------------------- */

int
kh_db_fail(struct kh_store *st, struct kh_err *err, const char *what)
{
	return kh_err_sys(err, KH_FAIL, "database: %s: %s", what,
	    st->db != NULL ? sqlite3_errmsg(st->db) : "not open");
}

sqlite3_stmt *
kh_db_prep(struct kh_store *st, enum kh_sid id, struct kh_err *err)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(st->db, sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[id],
		    NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "prepare");
			return NULL;
		}
		return st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/*
 * Trail walks prepare their own statements (not the cache), so that a
 * callback may call back into the store.
 */
int
kh_db_prepare_own(struct kh_store *st, enum kh_sid id, sqlite3_stmt **s,
    struct kh_err *err)
{
	if (sqlite3_prepare_v2(st->db, sql[id], -1, s, NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "trail");
	return KH_OK;
}

void
kh_db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void
kh_db_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL || v[0] == '\0')
		sqlite3_bind_null(s, i);
	else
		kh_db_bind_text(s, i, v);
}

const char *
kh_db_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

void
kh_db_col_copy(sqlite3_stmt *s, int i, char *dst, size_t len)
{
	snprintf(dst, len, "%s", kh_db_col_text(s, i));
}

int
kh_db_exec_done(struct kh_store *st, sqlite3_stmt *s, struct kh_err *err,
    const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kh_db_fail(st, err, what);
	return KH_OK;
}

/* ---- opening and migrations ---------------------------------------------- */

/*
 * Connection settings, each on purpose:
 * - foreign_keys=ON: SQLite leaves them off by default.
 * - journal_mode=DELETE, not WAL: a single process writes (main.c holds
 *   the run lock) and nothing reads concurrently, so WAL's concurrency
 *   buys nothing, while DELETE keeps the database one self-contained file
 *   after every commit: copying kaohe.db is a complete backup, and it
 *   works on network file systems, where WAL's shared memory does not.
 * - synchronous=FULL: this is the system of record; a commit that was
 *   reported must survive a power cut.
 * - busy_timeout: wait briefly rather than fail if a reader holds a lock.
 */
static const char pragmas[] =
	"PRAGMA foreign_keys = ON;"
	"PRAGMA journal_mode = DELETE;"
	"PRAGMA synchronous = FULL;"
	"PRAGMA busy_timeout = 5000;";

static int
migrate(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char buf[64];
	int version, rc = KH_FAIL;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		kh_db_fail(st, err, "reading the schema version");
		goto out;
	}
	version = sqlite3_column_int(s, 0);
	if (version > SCHEMA_VERSION) {
		kh_err_sys(err, KH_FAIL, "database schema version %d is newer "
		    "than this kaohe understands (%d)", version, SCHEMA_VERSION);
		goto out;
	}
	for (; version < SCHEMA_VERSION; version++) {
		if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL,
		    NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "migration");
			goto out;
		}
		/* user_version takes no parameter; the number is ours. */
		snprintf(buf, sizeof(buf), "PRAGMA user_version = %d",
		    version + 1);
		if (sqlite3_exec(st->db, migrations[version], NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db, buf, NULL, NULL, NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "migration");
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
		if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			kh_db_fail(st, err, "migration");
			goto out;
		}
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_open(const char *path, struct kh_store **out, struct kh_err *err)
{
	struct kh_store *st = NULL;
	int rc = KH_FAIL;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((st->stage = kh_orderagg_new()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot open database: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 0);
	if (sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, path);
		goto out;
	}
	if (migrate(st, err) != KH_OK)
		goto out;
	if (sqlite3_exec(st->db, temp_tables, NULL, NULL, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, path);
		goto out;
	}
	*out = st;
	st = NULL;
	rc = KH_OK;
out:
	kh_store_close(st);
	return rc;
}

void
kh_store_close(struct kh_store *st)
{
	size_t i;

	if (st == NULL)
		return;
	if (st->in_tx)
		kh_store_rollback(st);
	for (i = 0; i < KH_S__N; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	kh_orderagg_free(st->stage);
	free(st);
}

sqlite3 *
kh_store_db(struct kh_store *st)
{
	return st->db;
}

struct kh_orderagg *
kh_store_stage(struct kh_store *st)
{
	return st->stage;
}

int
kh_store_in_tx(const struct kh_store *st)
{
	return st->in_tx;
}

int
kh_store_begin(struct kh_store *st, struct kh_err *err)
{
	if (st->in_tx)
		return kh_err_sys(err, KH_FAIL, "database: nested transaction");
	if (kh_sig_check(err) != KH_OK)	/* nothing new after SIGTERM */
		return KH_FAIL;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return kh_db_fail(st, err, "begin");
	st->in_tx = 1;
	return KH_OK;
}

int
kh_store_commit(struct kh_store *st, struct kh_err *err)
{
	if (!st->in_tx)
		return kh_err_sys(err, KH_FAIL, "database: commit outside a "
		    "transaction");
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "commit");
		kh_store_rollback(st);
		return KH_FAIL;
	}
	st->in_tx = 0;
	return KH_OK;
}

void
kh_store_rollback(struct kh_store *st)
{
	size_t i;

	if (st == NULL || !st->in_tx)
		return;
	for (i = 0; i < KH_S__N; i++)
		if (st->stmt[i] != NULL)
			sqlite3_reset(st->stmt[i]);
	/* the ids it spilled to temp.stage_order go with the ROLLBACK */
	kh_orderagg_clear(st->stage);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

/* ---- the chain ----------------------------------------------------------- */

struct buf {
	char	*p;
	size_t	 len, cap;
};

static int
buf_add(struct buf *b, const void *data, size_t n)
{
	char *q;
	size_t ncap;

	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((q = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = q;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/*
 * Canonical text of the current row of s: every column as
 * "\nname=<type><length>:<value>", so no value can imitate another.
 */
static int
canon_row(sqlite3_stmt *s, struct buf *b)
{
	char head[96], *p;
	const char *name;
	const unsigned char *v;
	unsigned u;
	int i, n, type;

	for (i = 0; i < sqlite3_column_count(s); i++) {
		type = sqlite3_column_type(s, i);
		v = sqlite3_column_text(s, i);
		n = sqlite3_column_bytes(s, i);
		name = sqlite3_column_name(s, i);
		/* "\n%s=%c%d:" by hand: this runs for every column of every
		 * row a file adds (tens of thousands for an orders file) */
		p = head + sizeof(head);
		*--p = ':';
		u = (unsigned)n;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		*--p = type == SQLITE_NULL ? 'n' : type == SQLITE_INTEGER ? 'i' :
		    't';
		*--p = '=';
		if (buf_add(b, "\n", 1) != 0 ||
		    buf_add(b, name, strlen(name)) != 0 ||
		    buf_add(b, p, (size_t)(head + sizeof(head) - p)) != 0 ||
		    (n > 0 && buf_add(b, v, (size_t)n) != 0))
			return -1;
	}
	return 0;
}

/* SHA-256 over the canonical rows of every child table of a file. */
static int
children_digest(struct kh_store *st, sqlite3_int64 file_id,
    char hex[KH_SHA256_HEX], struct kh_err *err)
{
	struct kh_sha256 *h = NULL;
	sqlite3_stmt *s = NULL;
	struct buf b = { 0 };
	char q[160];
	size_t t;
	int r, rc = KH_FAIL;

	if ((h = kh_sha256_new()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	for (t = 0; children[t][0] != NULL; t++) {
		snprintf(q, sizeof(q), "SELECT * FROM %s WHERE file_id = ?1 "
		    "ORDER BY %s", children[t][0], children[t][1]);
		if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "chain");
			goto out;
		}
		sqlite3_bind_int64(s, 1, file_id);
		while ((r = sqlite3_step(s)) == SQLITE_ROW) {
			b.len = 0;
			if (buf_add(&b, children[t][0], strlen(children[t][0])) ||
			    canon_row(s, &b) != 0) {
				kh_err_sys(err, KH_FAIL, "out of memory");
				goto out;
			}
			kh_sha256_update(h, b.p, b.len + 1);
		}
		if (r != SQLITE_DONE) {
			kh_db_fail(st, err, "chain");
			goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	kh_sha256_final(h, hex);
	h = NULL;
	rc = KH_OK;
out:
	kh_sha256_free(h);
	sqlite3_finalize(s);
	free(b.p);
	return rc;
}

/*
 * The text a chain link covers: the row's canonical text, and for a
 * ledger row the digest of everything the file contributed.  *found = 0
 * if the row is gone.
 */
static int
link_text(struct kh_store *st, const char *tbl, sqlite3_int64 rid,
    struct buf *b, int *found, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char q[96], digest[KH_SHA256_HEX];
	int r, rc = KH_FAIL;

	*found = 0;
	b->len = 0;
	snprintf(q, sizeof(q), "SELECT * FROM %s WHERE rowid = ?1", tbl);
	if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	sqlite3_bind_int64(s, 1, rid);
	if ((r = sqlite3_step(s)) == SQLITE_DONE) {
		rc = KH_OK;
		goto out;
	}
	if (r != SQLITE_ROW) {
		kh_db_fail(st, err, "chain");
		goto out;
	}
	if (buf_add(b, tbl, strlen(tbl)) != 0 || canon_row(s, b) != 0) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	if (strcmp(tbl, "files") == 0) {
		if (children_digest(st, rid, digest, err) != KH_OK)
			goto out;
		if (buf_add(b, "\nchildren=", 10) != 0 ||
		    buf_add(b, digest, strlen(digest)) != 0) {
			kh_err_sys(err, KH_FAIL, "out of memory");
			goto out;
		}
	}
	*found = 1;
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_chain_append(struct kh_store *st, const char *tbl, sqlite3_int64 rid,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	struct buf b = { 0 };
	char prev[KH_SHA256_HEX], hex[KH_SHA256_HEX];
	int found, rc = KH_FAIL;

	if ((s = kh_db_prep(st, KH_S_LAST_HASH, err)) == NULL)
		goto out;
	if (sqlite3_step(s) == SQLITE_ROW)
		kh_db_col_copy(s, 0, prev, sizeof(prev));
	else
		snprintf(prev, sizeof(prev), "%s", GENESIS);
	sqlite3_reset(s);
	if (link_text(st, tbl, rid, &b, &found, err) != KH_OK)
		goto out;
	if (!found) {
		kh_err_sys(err, KH_FAIL, "chain: %s row %lld vanished", tbl,
		    (long long)rid);
		goto out;
	}
	kh_chain_link(prev, b.p, b.len, hex);
	if ((s = kh_db_prep(st, KH_S_ADD_LINK, err)) == NULL)
		goto out;
	kh_db_bind_text(s, 1, tbl);
	sqlite3_bind_int64(s, 2, rid);
	kh_db_bind_text(s, 3, hex);
	rc = kh_db_exec_done(st, s, err, "chain");
out:
	free(b.p);
	return rc;
}

int
kh_store_chain_inserted(struct kh_store *st, const char *tbl,
    struct kh_err *err)
{
	return kh_store_chain_append(st, tbl, sqlite3_last_insert_rowid(st->db),
	    err);
}

/* Every row of every chained table must have its link. */
static int
verify_unchained(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	char q[160];
	size_t t;
	int r, rc = KH_FAIL;

	for (t = 0; chained[t] != NULL; t++) {
		snprintf(q, sizeof(q), "SELECT rowid FROM %s WHERE rowid NOT IN "
		    "(SELECT rid FROM chain WHERE tbl = '%s') LIMIT 1",
		    chained[t], chained[t]);
		if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "verify");
			goto out;
		}
		if ((r = sqlite3_step(s)) == SQLITE_ROW) {
			rc = kh_err_sys(err, KH_REJECT, "trail broken: %s row %lld "
			    "was added outside the chain", chained[t],
			    (long long)sqlite3_column_int64(s, 0));
			goto out;
		}
		if (r != SQLITE_DONE) {
			kh_db_fail(st, err, "verify");
			goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	rc = KH_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

int
kh_store_verify(struct kh_store *st, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	struct buf b = { 0 };
	char prev[KH_SHA256_HEX] = GENESIS, hex[KH_SHA256_HEX], tbl[32];
	const unsigned char *stored;
	sqlite3_int64 seq, rid;
	int r, found, rc = KH_FAIL;

	if (sqlite3_prepare_v2(st->db, "SELECT seq, tbl, rid, hash FROM chain "
	    "ORDER BY seq", -1, &s, NULL) != SQLITE_OK) {
		kh_db_fail(st, err, "verify");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		seq = sqlite3_column_int64(s, 0);
		kh_db_col_copy(s, 1, tbl, sizeof(tbl));
		rid = sqlite3_column_int64(s, 2);
		stored = sqlite3_column_text(s, 3);
		if (link_text(st, tbl, rid, &b, &found, err) != KH_OK)
			goto out;
		if (!found) {
			rc = kh_err_sys(err, KH_REJECT, "trail broken at link "
			    "%lld: %s row %lld has been removed", (long long)seq, tbl,
			    (long long)rid);
			goto out;
		}
		kh_chain_link(prev, b.p, b.len, hex);
		if (stored == NULL || strcmp(hex, (const char *)stored) != 0) {
			rc = kh_err_sys(err, KH_REJECT, "trail broken at link "
			    "%lld: %s row %lld does not match its recorded hash (the "
			    "row or the chain was altered)", (long long)seq, tbl,
			    (long long)rid);
			goto out;
		}
		snprintf(prev, sizeof(prev), "%s", hex);
	}
	if (r != SQLITE_DONE) {
		kh_db_fail(st, err, "verify");
		goto out;
	}
	rc = verify_unchained(st, err);
out:
	sqlite3_finalize(s);
	free(b.p);
	return rc;
}

int
kh_store_chain_head(struct kh_store *st, char hex[KH_SHA256_HEX], long *links,
    struct kh_err *err)
{
	sqlite3_stmt *s;
	int r;

	snprintf(hex, KH_SHA256_HEX, "%s", GENESIS);
	*links = 0;
	if ((s = kh_db_prep(st, KH_S_LAST_HASH, err)) == NULL)
		return KH_FAIL;
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		kh_db_col_copy(s, 0, hex, KH_SHA256_HEX);
		*links = (long)sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? KH_OK :
	    kh_db_fail(st, err, "chain");
}

/* ---- kinds --------------------------------------------------------------- */

static const char *const kind_names[KH_KIND_N] = {
	"roster", "brands", "targets", "orders", "assessments"
};

const char *
kh_kind_name(enum kh_kind k)
{
	return (unsigned)k < KH_KIND_N ? kind_names[k] : "?";
}

int
kh_kind_parse(const char *s, enum kh_kind *out)
{
	int k;

	for (k = 0; k < KH_KIND_N; k++)
		if (s != NULL && strcmp(s, kind_names[k]) == 0) {
			*out = (enum kh_kind)k;
			return 0;
		}
	return -1;
}
