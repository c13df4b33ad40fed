/*
 * store.c — the core of the SQLite system of record (see store.h for the
 * rules): the schema and its migrations, every SQL statement of the
 * storage layer with its cache and the helpers of store_int.h, opening
 * and transactions.  The tamper-evident chain and `verify`'s checks are
 * store_chain.c's.
 *
 * The rest of the layer: store_ledger.c (the writes import.c makes),
 * store_orders.c (staging an orders file; orderagg.c counts in memory),
 * store_month.c (what is in force, a month's input, month closing),
 * store_chain.c (the chain and the record's verification),
 * store_trail.c (the trail read back), results.c (scored months).
 *
 * Every statement is a constant SQL text with bound parameters; the only
 * SQL assembled at run time names a table from the constant whitelists
 * below, never data.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crashpoint.h"
#include "date.h"
#include "orderagg.h"
#include "sig.h"
#include "store.h"
#include "store_int.h"

#define SCHEMA_VERSION	3

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

/*
 * Version 2: the scored and published record joins the chain.  The
 * result tables (created by results.c with IF NOT EXISTS before there
 * was one schema) are created here if missing, runs keep the
 * qualitative parameters they were scored with (so that `verify` can
 * re-add every run without the templates), and each publication of an
 * output folder is a row whose files are its children in output_file.
 * migrate_v2 then chains the rows written before the chain covered
 * them.
 */
static const char schema_v2[] =
"CREATE TABLE IF NOT EXISTS score_run (\n"
"  id INTEGER PRIMARY KEY, month TEXT NOT NULL, scheme_id TEXT NOT NULL,\n"
"  scheme_sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL,\n"
"  scored_at TEXT NOT NULL);\n"
"CREATE INDEX IF NOT EXISTS score_run_month ON score_run(month, id);\n"
"CREATE TABLE IF NOT EXISTS score_result (\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id), pos INTEGER NOT NULL,\n"
"  manager TEXT NOT NULL, name TEXT NOT NULL, grp TEXT NOT NULL,\n"
"  incomplete INTEGER NOT NULL, reason TEXT NOT NULL,\n"
"  quantitative INTEGER NOT NULL, deductions INTEGER NOT NULL,\n"
"  bonuses INTEGER NOT NULL, qualitative INTEGER NOT NULL,\n"
"  total INTEGER NOT NULL, rank INTEGER NOT NULL,\n"
"  PRIMARY KEY (run_id, manager));\n"
"CREATE TABLE IF NOT EXISTS score_indicator (\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),\n"
"  manager TEXT NOT NULL, pos INTEGER NOT NULL, code TEXT NOT NULL,\n"
"  points INTEGER NOT NULL, has_target INTEGER NOT NULL,\n"
"  target INTEGER NOT NULL, actual INTEGER NOT NULL,\n"
"  completion INTEGER NOT NULL, score INTEGER NOT NULL,\n"
"  PRIMARY KEY (run_id, manager, pos));\n"
"CREATE TABLE IF NOT EXISTS score_line (\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),\n"
"  manager TEXT NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL,\n"
"  ref TEXT NOT NULL, date TEXT NOT NULL, item TEXT NOT NULL,\n"
"  customer TEXT NOT NULL, count INTEGER NOT NULL,\n"
"  has_points INTEGER NOT NULL, points INTEGER NOT NULL,\n"
"  recorder TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,\n"
"  PRIMARY KEY (run_id, manager, seq));\n"
"CREATE TABLE IF NOT EXISTS output_file (\n"
"  id INTEGER PRIMARY KEY,\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),\n"
"  path TEXT NOT NULL, sha256 TEXT NOT NULL);\n"
"CREATE INDEX IF NOT EXISTS output_file_path ON output_file(path, id);\n"
"CREATE TABLE IF NOT EXISTS glyph_note (\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),\n"
"  doc TEXT NOT NULL, cp INTEGER NOT NULL, context TEXT NOT NULL,\n"
"  UNIQUE (run_id, doc, cp));\n"
"ALTER TABLE score_run ADD COLUMN qual_base INTEGER;\n"
"ALTER TABLE score_run ADD COLUMN qual_floor INTEGER;\n"
"ALTER TABLE score_run ADD COLUMN qual_cap INTEGER;\n"
"CREATE TABLE publication (\n"
"  id INTEGER PRIMARY KEY,\n"
"  root TEXT NOT NULL,\n"
"  run_id INTEGER NOT NULL REFERENCES score_run(id),\n"
"  state TEXT NOT NULL CHECK (state IN ('provisional','announced','final')),\n"
"  anchor_seq INTEGER NOT NULL, anchor TEXT NOT NULL,\n"
"  at TEXT NOT NULL);\n"
"CREATE INDEX publication_root ON publication(root, id);\n"
"ALTER TABLE output_file ADD COLUMN publication_id INTEGER\n"
"  REFERENCES publication(id);\n"
"CREATE INDEX output_file_pub ON output_file(publication_id);\n"
"DROP TRIGGER IF EXISTS glyph_note_ro1; DROP TRIGGER IF EXISTS glyph_note_ro2;\n"
"DROP TRIGGER IF EXISTS score_run_ro1; DROP TRIGGER IF EXISTS score_run_ro2;\n"
"DROP TRIGGER IF EXISTS score_result_ro1;\n"
"DROP TRIGGER IF EXISTS score_result_ro2;\n"
"DROP TRIGGER IF EXISTS score_indicator_ro1;\n"
"DROP TRIGGER IF EXISTS score_indicator_ro2;\n"
"DROP TRIGGER IF EXISTS score_line_ro1; DROP TRIGGER IF EXISTS score_line_ro2;\n"
"DROP TRIGGER IF EXISTS output_file_ro1; DROP TRIGGER IF EXISTS output_file_ro2;\n"
APPEND_ONLY("score_run") APPEND_ONLY("score_result")
APPEND_ONLY("score_indicator") APPEND_ONLY("score_line")
APPEND_ONLY("output_file") APPEND_ONLY("glyph_note")
APPEND_ONLY("publication");

static int migrate_v2(struct kh_store *, struct kh_err *);

/*
 * Version 3: a wrongly delivered file taken out of force, on record.  The
 * file and its rows stay; every "in force" read skips a withdrawn file
 * (NOT_WITHDRAWN below), so what it superseded is in force again.  A file
 * is withdrawn once.
 */
static const char schema_v3[] =
"CREATE TABLE withdrawals (\n"
"  id INTEGER PRIMARY KEY,\n"
"  file_id INTEGER NOT NULL UNIQUE REFERENCES files(id),\n"
"  reason TEXT NOT NULL CHECK (length(reason) > 0),\n"
"  withdrawn_by TEXT NOT NULL, at TEXT NOT NULL);\n"
APPEND_ONLY("withdrawals");

/*
 * Migrations by PRAGMA user_version: migrations[i] brings i to i + 1,
 * its SQL first, then its hook (if any), in one transaction.
 */
static const struct {
	const char	*sql;
	int		(*hook)(struct kh_store *, struct kh_err *);
} migrations[SCHEMA_VERSION] = {
	{ schema_v1, NULL },
	{ schema_v2, migrate_v2 },
	{ schema_v3, NULL },
};

/*
 * Connection-private: the order ids of the file being imported that no
 * longer fit in memory (struct stage), for the duplicate check.  On disk
 * (a temporary file) because their number grows with the file; WITHOUT
 * ROWID keeps it one b-tree.
 */
static const char temp_tables[] =
"CREATE TEMP TABLE IF NOT EXISTS stage_order (id TEXT PRIMARY KEY)"
"  WITHOUT ROWID;";

/* ---- prepared statements -------------------------------------------------- */

/* A file not taken out of force by `kaohe withdraw` (schema_v3). */
#define NOT_WITHDRAWN(col) \
	" " col " NOT IN (SELECT file_id FROM withdrawals)"

/*
 * Whether file f (its withdrawal w joined) is in force now, by the rules
 * of store.h: not withdrawn; assessments always (records count one by
 * one); otherwise no later file of its kind and period, and for a day
 * orders file no month file of its month generated at or after it.
 */
#define FILE_IN_FORCE \
"CASE WHEN w.id IS NOT NULL THEN 0 WHEN f.kind = 'assessments' THEN 1\n" \
" WHEN EXISTS (SELECT 1 FROM files g WHERE g.kind = f.kind\n" \
"   AND g.period = f.period AND" NOT_WITHDRAWN("g.id") "\n" \
"   AND (g.generated_utc > f.generated_utc OR (g.generated_utc =\n" \
"   f.generated_utc AND g.id > f.id))) THEN 0\n" \
" WHEN f.kind = 'orders' AND length(f.period) = 10 AND EXISTS (SELECT 1\n" \
"   FROM files m WHERE m.kind = 'orders' AND m.period = f.month\n" \
"   AND" NOT_WITHDRAWN("m.id") " AND m.generated_utc >= f.generated_utc)\n" \
"   THEN 0 ELSE 1 END"

/*
 * The orders in force for month ?1: the latest month file, masked to the
 * days that no newer day file replaces, plus the latest file of each such
 * day.  mask has bit d set for the days a file contributes.
 */
#define IN_FORCE_ORDERS \
"WITH mf AS (SELECT id, generated_utc AS g FROM files\n" \
"   WHERE kind = 'orders' AND period = ?1 AND" NOT_WITHDRAWN("id") "\n" \
"   ORDER BY generated_utc DESC, id DESC LIMIT 1),\n" \
" df AS (SELECT f.id, CAST(substr(f.period, 9, 2) AS INTEGER) AS d FROM files f\n" \
"   WHERE f.kind = 'orders' AND f.month = ?1 AND length(f.period) = 10\n" \
"   AND" NOT_WITHDRAWN("f.id") "\n" \
"   AND f.generated_utc > coalesce((SELECT g FROM mf), -9223372036854775807)\n" \
"   AND NOT EXISTS (SELECT 1 FROM files h WHERE h.kind = 'orders'\n" \
"     AND h.period = f.period AND h.generated_utc > f.generated_utc\n" \
"     AND" NOT_WITHDRAWN("h.id") ")),\n" \
" inforce AS (SELECT id, ~(SELECT coalesce(sum(1 << d), 0) FROM df) AS mask FROM mf\n" \
"   UNION ALL SELECT id, 1 << d FROM df)\n"

static const char *const sql[KH_S__N] = {
	[KH_S_FILE_SEEN] = "SELECT id FROM files WHERE sha256 = ?1",
	[KH_S_FIRST_UNIT] = "SELECT unit FROM files ORDER BY id LIMIT 1",
	[KH_S_SAME_INSTANT] = "SELECT name FROM files WHERE kind = ?1"
	    " AND period = ?2 AND generated_utc = ?3 AND" NOT_WITHDRAWN("id")
	    " LIMIT 1",
	[KH_S_NEWER_MONTH_ORDERS] = "SELECT name, generated FROM files"
	    " WHERE kind = 'orders' AND period = ?1 AND generated_utc >= ?2"
	    " AND" NOT_WITHDRAWN("id") " ORDER BY generated_utc DESC LIMIT 1",
	[KH_S_NEXT_FILE_ID] = "SELECT coalesce(max(id), 0) + 1 FROM files",
	[KH_S_LATEST] = "SELECT id, name, generated, generated_utc FROM files"
	    " WHERE kind = ?1 AND period = ?2 AND" NOT_WITHDRAWN("id")
	    " ORDER BY generated_utc DESC, id DESC LIMIT 1",
	[KH_S_INSERT_FILE] = "INSERT INTO files (id, sha256, name, kind, unit,"
	    " unit_name, period, month, generated, generated_utc, encoding,"
	    " size, imported_at, n_items, n_lines, summary) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, substr(?7, 1, 7), ?8, ?9, ?10, ?11,"
	    " kh_now(), ?12, ?13, ?14)",
	[KH_S_SUPERSEDE] = "INSERT INTO supersessions (old_file, new_file)"
	    " VALUES (?1, ?2)",
	[KH_S_DAYS_SUPERSEDED] = "SELECT f.id FROM files f WHERE f.kind = 'orders'"
	    " AND f.month = ?1 AND length(f.period) = 10"
	    " AND f.generated_utc > ?2 AND f.generated_utc <= ?3"
	    " AND" NOT_WITHDRAWN("f.id")
	    " AND NOT EXISTS (SELECT 1 FROM files h WHERE h.kind = 'orders'"
	    " AND h.period = f.period AND h.generated_utc > f.generated_utc"
	    " AND" NOT_WITHDRAWN("h.id") ") ORDER BY f.period",
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
	    " value, required, points, decision, recorder, role, note,"
	    " file_id IN (SELECT file_id FROM withdrawals)"
	    " FROM records WHERE id = ?1",
	[KH_S_FIND_VOID] = "SELECT id, record, date, reason, recorder, role,"
	    " file_id IN (SELECT file_id FROM withdrawals)"
	    " FROM voids WHERE id = ?1",
	[KH_S_VOID_OF] = "SELECT id, file_id IN (SELECT file_id FROM withdrawals)"
	    " FROM voids WHERE record = ?1",
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
	    " VALUES (?1, ?2, ?3, kh_now())",
	[KH_S_NEWEST_MONTH] = "SELECT max(month) FROM files WHERE"
	    NOT_WITHDRAWN("id"),
	[KH_S_UNIT_NAME] = "SELECT unit_name FROM files WHERE unit_name <> ''"
	    " AND" NOT_WITHDRAWN("id")
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
	/*
	 * Each sum in two halves (high bits, low 32 bits): SQLite's sum()
	 * stops the query with "integer overflow" past int64_t, which a
	 * month's stored rows can reach (each row is a file's day, up to
	 * KH_MONTH_MAX_*); halves of at most 2^31 cannot, row_volume joins
	 * them exactly and the scoring core judges the sum (score.h).
	 */
	[KH_S_LOAD_VOLUMES] = IN_FORCE_ORDERS
	    "SELECT v.manager, v.brand, sum(v.qty >> 32),"
	    " sum(v.qty & 4294967295), sum(v.amount >> 32),"
	    " sum(v.amount & 4294967295)"
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
	    " LEFT JOIN voids v ON v.record = r.id AND" NOT_WITHDRAWN("v.file_id")
	    " LEFT JOIN files vf ON vf.id = v.file_id"
	    " WHERE" NOT_WITHDRAWN("r.file_id") " AND (?1 IS NULL OR r.month = ?1)"
	    " AND (?2 IS NULL OR r.manager = ?2)"
	    " ORDER BY r.date, r.id",
	[KH_S_TRAIL_LEDGER] = "SELECT f.id, f.name, f.kind, f.period, f.generated,"
	    " f.sha256, f.encoding, f.size, f.imported_at, f.n_items, f.n_lines,"
	    " f.summary, n.id, n.name, n.generated, w.id, w.reason,"
	    " w.withdrawn_by, w.at, " FILE_IN_FORCE " FROM files f"
	    " LEFT JOIN files n ON n.id = (SELECT min(new_file) FROM"
	    " supersessions WHERE old_file = f.id AND" NOT_WITHDRAWN("new_file")
	    ") LEFT JOIN withdrawals w ON w.file_id = f.id"
	    " WHERE ?1 IS NULL OR f.month = ?1 ORDER BY f.id",
	[KH_S_TRAIL_TARGET_FILES] = "SELECT f.id, f.name, f.generated,"
	    NOT_WITHDRAWN("f.id") " AND NOT EXISTS (SELECT 1 FROM files g"
	    " WHERE g.kind = 'targets' AND g.period = f.period"
	    " AND" NOT_WITHDRAWN("g.id") " AND (g.generated_utc > f.generated_utc"
	    " OR (g.generated_utc = f.generated_utc AND g.id > f.id))),"
	    " f.period, f.id IN (SELECT file_id FROM withdrawals) FROM files f"
	    " WHERE f.kind = 'targets' AND (?1 IS NULL OR f.period = ?1)"
	    " ORDER BY f.period, f.generated_utc, f.id",
	[KH_S_TRAIL_EVENTS] = "SELECT id, month, event, reason, at"
	    " FROM month_events WHERE ?1 IS NULL OR month = ?1 ORDER BY id",
	[KH_S_FILE_BY_ID] = "SELECT f.name, f.kind, f.period, f.generated,"
	    " w.id, w.at FROM files f LEFT JOIN withdrawals w ON w.file_id = f.id"
	    " WHERE f.id = ?1",
	[KH_S_FILE_MONTHS] = "SELECT month FROM files WHERE id = ?1"
	    " UNION SELECT month FROM records WHERE file_id = ?1"
	    " UNION SELECT substr(date, 1, 7) FROM voids WHERE file_id = ?1"
	    " UNION SELECT r.month FROM voids v JOIN records r ON r.id = v.record"
	    " WHERE v.file_id = ?1 ORDER BY 1",
	[KH_S_ADD_WITHDRAWAL] = "INSERT INTO withdrawals (file_id, reason,"
	    " withdrawn_by, at) VALUES (?1, ?2, ?3,"
	    " kh_now())",
	/* results.c */
	[KH_S_RUN_FINGERPRINT] = "SELECT fingerprint FROM "
	    "score_run WHERE month = ?1 ORDER BY id DESC LIMIT 1",
	[KH_S_RUN_LATEST] = "SELECT id, month, scheme_id,"
	    " scheme_sha256, fingerprint, scored_at FROM score_run"
	    " WHERE month = ?1 ORDER BY id DESC LIMIT 1",
	[KH_S_RUN_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM "
	    "score_run",
	[KH_S_RUN_INSERT] = "INSERT INTO score_run (id, month,"
	    " scheme_id, scheme_sha256, fingerprint, scored_at, qual_base,"
	    " qual_floor, qual_cap) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[KH_S_RESULT_INSERT] = "INSERT INTO score_result VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
	[KH_S_INDICATOR_INSERT] = "INSERT INTO score_indicator VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[KH_S_LINE_INSERT] = "INSERT INTO score_line VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
	[KH_S_RESULTS_LOAD] = "SELECT manager, name, grp, incomplete,"
	    " reason, quantitative, deductions, bonuses, qualitative, total,"
	    " rank FROM score_result WHERE run_id = ?1 ORDER BY pos",
	[KH_S_INDICATORS_LOAD] = "SELECT manager, code, points, has_target,"
	    " target, actual, completion, score FROM score_indicator"
	    " WHERE run_id = ?1 ORDER BY manager, pos",
	[KH_S_LINES_LOAD] = "SELECT l.manager, seq, kind, ref, date,"
	    " item, customer, count, has_points, points, recorder, role, text"
	    " FROM score_line l JOIN score_result r"
	    " ON r.run_id = l.run_id AND r.manager = l.manager"
	    " WHERE l.run_id = ?1 ORDER BY r.pos, l.seq",
	[KH_S_PUB_SAME] = "SELECT o.path, o.sha256 FROM"
	    " output_file o WHERE o.publication_id = (SELECT id FROM"
	    " publication WHERE root = ?1 AND run_id = ?2 AND state = ?3"
	    " AND anchor_seq = ?4 AND id = (SELECT max(id) FROM publication"
	    " WHERE root = ?1)) ORDER BY o.path",
	[KH_S_PUB_INSERT] = "INSERT INTO publication (root,"
	    " run_id, state, anchor_seq, anchor, at) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, kh_now())",
	[KH_S_OUTPUT_INSERT] = "INSERT INTO output_file"
	    " (run_id, path, sha256, publication_id) VALUES (?1, ?2, ?3, ?4)",
	[KH_S_PUB_EXPECTED] = "SELECT path, sha256 FROM"
	    " output_file WHERE publication_id = (SELECT max(id) FROM"
	    " publication WHERE root = ?1)"
	    " UNION ALL SELECT path, sha256 FROM output_file o"
	    " WHERE NOT EXISTS (SELECT 1 FROM publication WHERE root = ?1)"
	    " AND publication_id IS NULL AND substr(path, 1, length(?1) + 1)"
	    " = ?1 || '/' AND id = (SELECT max(id) FROM output_file"
	    " WHERE path = o.path) ORDER BY 1",
	[KH_S_PUB_ROOTS] = "SELECT root FROM publication"
	    " UNION SELECT substr(path, 1, instr(path, '/') - 1) FROM"
	    " output_file WHERE publication_id IS NULL ORDER BY 1",
	[KH_S_GLYPH_INSERT] = "INSERT OR IGNORE INTO"
	    " glyph_note (run_id, doc, cp, context) VALUES (?1, ?2, ?3, ?4)",
	[KH_S_GLYPHS] = "SELECT doc, cp, context FROM"
	    " glyph_note WHERE run_id = ?1 ORDER BY doc, cp",
};

struct kh_store {
	sqlite3		*db;
	char		 now[21];	/* the command's clock, UTC (kh_now) */
	int		 in_tx;
	int		 readonly;
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
	sqlite3_stmt *s;

	/* sql[] is indexed by enum kh_sid and names every statement */
	assert((unsigned)id < KH_S__N && sql[id] != NULL);
	s = st->stmt[id];
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
 * Walks (the trail's, results.c's) prepare their own statements (not the
 * cache), so that a callback may call back into the store.
 */
int
kh_db_prepare_own(struct kh_store *st, enum kh_sid id, sqlite3_stmt **s,
    struct kh_err *err)
{
	assert((unsigned)id < KH_S__N && sql[id] != NULL);
	if (sqlite3_prepare_v2(st->db, sql[id], -1, s, NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "prepare");
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

/* Read-only (verify, trail): no journal change, no write of any kind. */
static const char pragmas_ro[] =
	"PRAGMA query_only = ON;"
	"PRAGMA busy_timeout = 5000;";

static int
schema_version(struct kh_store *st, int *version, struct kh_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = KH_OK;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		rc = kh_db_fail(st, err, "reading the schema version");
	else
		*version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int
migrate(struct kh_store *st, struct kh_err *err)
{
	char buf[64];
	int version, rc = KH_FAIL;

	if (schema_version(st, &version, err) != KH_OK)
		return KH_FAIL;
	if (version > SCHEMA_VERSION)
		return kh_err_sys(err, KH_FAIL, "database schema version %d is "
		    "newer than this kaohe understands (%d)", version,
		    SCHEMA_VERSION);
	for (; version < SCHEMA_VERSION; version++) {
		if (kh_store_begin(st, err) != KH_OK)
			return KH_FAIL;
		/* user_version takes no parameter; the number is ours. */
		snprintf(buf, sizeof(buf), "PRAGMA user_version = %d",
		    version + 1);
		if (sqlite3_exec(st->db, migrations[version].sql, NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db, buf, NULL, NULL, NULL) != SQLITE_OK) {
			kh_db_fail(st, err, "migration");
			goto fail;
		}
		if (migrations[version].hook != NULL &&
		    migrations[version].hook(st, err) != KH_OK)
			goto fail;
		if (kh_store_commit(st, err) != KH_OK)
			return KH_FAIL;
	}
	return KH_OK;
fail:
	kh_store_rollback(st);
	return rc;
}

/*
 * Whether path holds a database worth opening: it must exist, be a
 * regular file and not be empty.  A typo in --db or an emptied file must
 * never be taken for a new, empty record (issue: a truncated kaohe.db
 * made the next run forget every close).
 */
static int
check_existing(const char *path, struct kh_err *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return kh_err_set(err, KH_USAGE, path, 0, NULL, NULL,
		    "no such database (%s); `kaohe init` creates a new one",
		    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return kh_err_set(err, KH_USAGE, path, 0, NULL, NULL,
		    "not a database file");
	if (sb.st_size == 0)
		return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "the database file is empty (0 bytes): restore it from "
		    "a backup; kaohe does not start a new record in its place");
	return KH_OK;
}

/*
 * SQL kh_now(): the time a row is written at (imported_at, a close, a
 * publication), from kaohe's one clock (date.h), read once when the
 * store opens: every row of one command carries the same instant, and
 * KAOHE_NOW makes a whole run reproducible.
 */
static void
sql_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct kh_store *st = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, st->now, -1, SQLITE_STATIC);
}

static int
set_clock(struct kh_store *st, struct kh_err *err)
{
	int64_t now;
	int rc;

	if ((rc = kh_now(&now, err)) != KH_OK)
		return rc;
	kh_time_utc(now, st->now);
	if (sqlite3_create_function_v2(st->db, "kh_now", 0, SQLITE_UTF8, st,
	    sql_now, NULL, NULL, NULL) != SQLITE_OK)
		return kh_db_fail(st, err, "clock");
	return KH_OK;
}

/* A damaged file is the record failing verification, not an I/O error. */
static int
open_fail(struct kh_store *st, const char *path, struct kh_err *err)
{
	int code = st->db != NULL ? sqlite3_errcode(st->db) : SQLITE_ERROR;

	return kh_err_set(err, code == SQLITE_CORRUPT || code == SQLITE_NOTADB ?
	    KH_BROKEN : KH_FAIL, path, 0, NULL, NULL,
	    "cannot open database: %s", st->db != NULL ?
	    sqlite3_errmsg(st->db) : "out of memory");
}

int
kh_store_open_mode(const char *path, enum kh_open_mode mode,
    struct kh_store **out, struct kh_err *err)
{
	struct kh_store *st = NULL;
	int rc = KH_FAIL, flags, version;

	*out = NULL;
	if (mode != KH_OPEN_CREATE && (rc = check_existing(path, err)) != KH_OK)
		return rc;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((st->stage = kh_orderagg_new()) == NULL) {
		rc = kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	st->readonly = mode == KH_OPEN_READONLY;
	flags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE |
	    (mode == KH_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = open_fail(st, path, err);
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 0);
	if ((rc = set_clock(st, err)) != KH_OK)
		goto out;
	if (sqlite3_exec(st->db, st->readonly ? pragmas_ro : pragmas, NULL,
	    NULL, NULL) != SQLITE_OK) {
		rc = open_fail(st, path, err);
		goto out;
	}
	if (st->readonly) {
		if ((rc = schema_version(st, &version, err)) != KH_OK) {
			rc = open_fail(st, path, err);
			goto out;
		}
		if (version != SCHEMA_VERSION) {
			rc = kh_err_set(err, version == 0 ? KH_BROKEN : KH_FAIL,
			    path, 0, NULL, NULL, version == 0 ? "not a kaohe "
			    "database (no schema)" : "schema version %d: open it "
			    "once with a writing command of this kaohe (%d) to "
			    "bring it up to date", version, SCHEMA_VERSION);
			goto out;
		}
	} else {
		rc = KH_OK;
		if (mode == KH_OPEN_EXISTING &&
		    (rc = schema_version(st, &version, err)) == KH_OK &&
		    version == 0)
			rc = kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
			    "not a kaohe database (no schema); `kaohe init` "
			    "creates a new one elsewhere");
		if (rc != KH_OK || (rc = migrate(st, err)) != KH_OK)
			goto out;
		if (sqlite3_exec(st->db, temp_tables, NULL, NULL, NULL)
		    != SQLITE_OK) {
			rc = kh_db_fail(st, err, path);
			goto out;
		}
	}
	*out = st;
	st = NULL;
	rc = KH_OK;
out:
	kh_store_close(st);
	return rc;
}

int
kh_store_open(const char *path, struct kh_store **out, struct kh_err *err)
{
	return kh_store_open_mode(path, KH_OPEN_CREATE, out, err);
}

int
kh_store_readonly(const struct kh_store *st)
{
	return st->readonly;
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
	kh_crashpoint("store-commit");
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

/*
 * Migration 2's hook: the runs, output ledger and glyph notes written
 * before the chain covered them become links now, oldest first, so that
 * from here on a row of those tables without its link is an error.
 */
static int
migrate_v2(struct kh_store *st, struct kh_err *err)
{
	if (kh_store_chain_adopt(st, "score_run", err) != KH_OK ||
	    kh_store_chain_adopt(st, "output_file", err) != KH_OK ||
	    kh_store_chain_adopt(st, "glyph_note", err) != KH_OK)
		return KH_FAIL;
	return KH_OK;
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
