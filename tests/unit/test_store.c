/*
 * test_store.c — the SQLite system of record: migrations, append-only
 * triggers, the chain and its verification, supersession bookkeeping and
 * the orders in force, month closing and reopening, the trail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "store_test_util.h"
#include "trail_text.h"

struct fixture {
	struct tdir	 dir;
	char		 db[128];
	struct kh_store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kh_err err;

	tdir_make(&f->dir);
	tdir_file(&f->dir, "kaohe.db", f->db, sizeof(f->db));
	if (kh_store_open(f->db, &f->st, &err) != KH_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	kh_store_close(f->st);
	tdir_remove(&f->dir);
	free(f);
	return 0;
}

/* Rows of a file written through the store's own API. */
struct rows {
	const char	*managers[4];		/* "id" */
	const char	*customers[4][2];	/* id, manager */
	const char	*brands[4];
	struct { int day; const char *m, *c, *b; int64_t qty, amount; } lines[6];
};

static int
fill(struct kh_store *st, long id, const struct rows *r, struct kh_err *err)
{
	struct kh_roster_manager m;
	struct kh_roster_customer c;
	struct kh_brand b;
	long nm;
	int i, rc;

	for (i = 0; i < 4 && r->managers[i]; i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.id, sizeof(m.id), "%s", r->managers[i]);
		snprintf(m.name, sizeof(m.name), "经理%d", i + 1);
		snprintf(m.status, sizeof(m.status), "active");
		if ((rc = kh_store_add_manager(st, id, &m, err)))
			return rc;
	}
	for (i = 0; i < 4 && r->customers[i][0]; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.id, sizeof(c.id), "%s", r->customers[i][0]);
		snprintf(c.manager, sizeof(c.manager), "%s", r->customers[i][1]);
		snprintf(c.name, sizeof(c.name), "客户%d", i + 1);
		snprintf(c.status, sizeof(c.status), "open");
		if ((rc = kh_store_add_customer(st, id, &c, err)))
			return rc;
	}
	for (i = 0; i < 4 && r->brands[i]; i++) {
		memset(&b, 0, sizeof(b));
		snprintf(b.code, sizeof(b.code), "%s", r->brands[i]);
		snprintf(b.name, sizeof(b.name), "品牌%d", i + 1);
		b.price_class = 3;
		b.tar = 1000;
		if ((rc = kh_store_add_brand(st, id, &b, err)))
			return rc;
	}
	if (r->lines[0].m == NULL)
		return KH_OK;
	if ((rc = kh_store_orders_stage_begin(st, err)))
		return rc;
	for (i = 0; i < 6 && r->lines[i].m; i++)
		if ((rc = kh_store_orders_stage_line(st, r->lines[i].day,
		    r->lines[i].m, r->lines[i].c, r->lines[i].b,
		    r->lines[i].qty, r->lines[i].amount, err)))
			return rc;
	return kh_store_orders_flush(st, id, &nm, err);
}

/*
 * Put one file in the ledger the way import.c does; returns the status
 * of admission or writing, the ledger id in *id, the outcome text.
 */
static int
put(struct kh_store *st, enum kh_kind kind, const char *period, int64_t utc,
    const struct rows *r, long *id, char *outcome, struct kh_err *err)
{
	struct kh_file_info fi;
	char seed[64];
	int rc;

	memset(&fi, 0, sizeof(fi));
	fi.kind = kind;
	snprintf(fi.name, sizeof(fi.name), "%s-%s-%lld.xml", kh_kind_name(kind),
	    period, (long long)utc);
	snprintf(fi.unit, sizeof(fi.unit), "530421");
	snprintf(fi.period, sizeof(fi.period), "%s", period);
	snprintf(fi.generated, sizeof(fi.generated), "@%lld", (long long)utc);
	fi.generated_utc = utc;
	snprintf(fi.encoding, sizeof(fi.encoding), "UTF-8");
	snprintf(seed, sizeof(seed), "%s|%s|%lld", kh_kind_name(kind), period,
	    (long long)utc);
	kh_sha256_buf(seed, strlen(seed), fi.sha256);
	if ((rc = kh_store_begin(st, err)))
		return rc;
	if ((rc = kh_store_file_admit(st, &fi, err)) ||
	    (rc = kh_store_file_reserve(st, id, err)) ||
	    (rc = fill(st, *id, r, err)) ||
	    (rc = kh_store_file_commit(st, *id, &fi, 0, 0, "test", outcome,
	    256, err)) ||
	    (rc = kh_store_commit(st, err))) {
		kh_store_rollback(st);
		return rc;
	}
	return KH_OK;
}

static const struct rows roster = {
	.managers = { "KM1", "KM2" },
	.customers = { { "C1", "KM1" }, { "C2", "KM2" } },
};
static const struct rows brands = { .brands = { "B1", "B2" } };

/* ---- tests --------------------------------------------------------------- */

static void
test_fresh_database(void **state)
{
	struct fixture *f = *state;
	struct kh_store *again = NULL;
	struct kh_err err;
	char month[KH_MONTH_MAX], unit[KH_CODE_MAX], name[256];

	assert_int_equal(db_int(f->st, "PRAGMA user_version"), 3);
	assert_int_equal(db_int(f->st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(db_int(f->st, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('files', 'supersessions', "
	    "'managers', 'customers', 'brands', 'key_brands', 'targets', "
	    "'order_volumes', 'order_shelves', 'records', 'voids', "
	    "'month_events', 'chain', 'score_run', 'score_result', "
	    "'score_indicator', 'score_line', 'publication', 'output_file', "
	    "'glyph_note', 'withdrawals')"), 21);
	/* every table but the chain's own temp staging refuses change */
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'trigger'"), 42);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
	assert_int_equal(kh_store_newest_month(f->st, month, &err), KH_OK);
	assert_string_equal(month, "");
	assert_int_equal(kh_store_unit(f->st, unit, name, &err), KH_OK);
	assert_string_equal(unit, "");
	/* Reopening an up-to-date database migrates nothing. */
	assert_int_equal(kh_store_open(f->db, &again, &err), KH_OK);
	kh_store_close(again);
	assert_int_equal(db_int(f->st, "PRAGMA user_version"), 3);
	/* A database from a newer kaohe is refused, not damaged. */
	assert_int_equal(db_exec(f->st, "PRAGMA user_version = 9", NULL, 0),
	    SQLITE_OK);
	assert_int_equal(kh_store_open(f->db, &again, &err), KH_FAIL);
	assert_null(again);
	assert_non_null(strstr(err.msg, "newer"));
}

static void
test_append_only(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char msg[256], out[256];
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	assert_int_equal(db_exec(f->st, "UPDATE files SET name = 'x'", msg,
	    sizeof(msg)), SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "files is append-only"));
	assert_int_equal(db_exec(f->st, "DELETE FROM managers", msg,
	    sizeof(msg)), SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "managers is append-only"));
	assert_int_equal(db_exec(f->st, "DELETE FROM chain", msg, sizeof(msg)),
	    SQLITE_CONSTRAINT);
	assert_int_equal(db_exec(f->st, "UPDATE chain SET hash = 'x'", msg,
	    sizeof(msg)), SQLITE_CONSTRAINT);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM managers"), 2);
	/* A duplicate key of one file is the file's fault, with the key. */
	assert_int_equal(kh_store_begin(f->st, &err), KH_OK);
	{
		struct kh_roster_manager m = { "KM1", "重复", "", "active", "" };

		assert_int_equal(kh_store_add_manager(f->st, id, &m, &err),
		    KH_REJECT);
		assert_non_null(strstr(err.msg, "duplicate manager KM1"));
	}
	kh_store_rollback(f->st);
}

static void
add_record(struct kh_store *st, const char *id, const char *note)
{
	struct kh_record r;
	struct kh_err err;
	long fid;
	char out[256];

	assert_int_equal(put(st, KH_KIND_ASSESSMENTS, "2013-05-17", 5000 +
	    (long)strlen(note), &(struct rows){ 0 }, &fid, out, &err), KH_OK);
	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.date, sizeof(r.date), "2013-05-17");
	snprintf(r.manager, sizeof(r.manager), "KM1");
	snprintf(r.item, sizeof(r.item), "1.3.2");
	r.count = 2;
	snprintf(r.recorder, sizeof(r.recorder), "王强");
	snprintf(r.role, sizeof(r.role), "纪检监察员");
	snprintf(r.note, sizeof(r.note), "%s", note);
	assert_int_equal(kh_store_begin(st, &err), KH_OK);
	assert_int_equal(kh_store_add_record(st, fid, &r, &err), KH_OK);
	assert_int_equal(kh_store_commit(st, &err), KH_OK);
}

static void
test_chain_detects_tampering(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[256];
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	add_record(f->st, "KH1", "漏访2户");
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	/* files, records, voids, month events and supersessions are links */
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM chain"), 4);
	{
		char head[KH_SHA256_HEX];
		long links;

		assert_int_equal(kh_store_chain_head(f->st, head, &links, &err),
		    KH_OK);
		assert_int_equal(links, 4);
		assert_int_equal(strlen(head), 64);
		assert_int_equal(db_int(f->st, "SELECT count(*) FROM chain "
		    "WHERE seq = 4"), 1);
		/* each new trail row moves the head */
		assert_int_equal(kh_store_reopen_month(f->st, "2013-05", "复核",
		    &err), KH_OK);
		{
			char head2[KH_SHA256_HEX];

			assert_int_equal(kh_store_chain_head(f->st, head2, &links,
			    &err), KH_OK);
			assert_int_equal(links, 5);
			assert_string_not_equal(head, head2);
		}
	}
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);

	/* Someone drops the trigger and edits a record's note. */
	assert_int_equal(db_exec(f->st, "DROP TRIGGER records_no_update; "
	    "UPDATE records SET note = '漏访1户' WHERE id = 'KH1'", NULL, 0),
	    SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "records row 1"));
	assert_non_null(strstr(err.msg, "link 3:"));
	/* Putting it back restores the chain. */
	assert_int_equal(db_exec(f->st, "UPDATE records SET note = '漏访2户' "
	    "WHERE id = 'KH1'", NULL, 0), SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);

	/* A roster's manager renamed: caught through the file's link. */
	assert_int_equal(db_exec(f->st, "DROP TRIGGER managers_no_update; "
	    "UPDATE managers SET name = '别人' WHERE id = 'KM2'", NULL, 0),
	    SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "files row 1"));
}

static void
test_chain_detects_removed_and_added_rows(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[256];
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	add_record(f->st, "KH1", "a");
	add_record(f->st, "KH2", "bb");
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
	/* A row slipped in without its link. */
	assert_int_equal(db_exec(f->st, "INSERT INTO month_events (month, event, reason, at) VALUES "
	    "('2013-05', 'close', '', 'x')", NULL, 0), SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "month_events row 1 was added outside"));
	assert_int_equal(db_exec(f->st, "DROP TRIGGER month_events_no_delete; "
	    "DELETE FROM month_events; DROP TRIGGER records_no_delete; "
	    "DELETE FROM records WHERE id = 'KH1'", NULL, 0), SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "records row 1 has been removed"));
}

static void
test_supersession_of_monthly_files(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[256];
	long r1, r2, r0, cur, x;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &r1, out, &err), KH_OK);
	assert_string_equal(out, "imported");
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 2000, &roster,
	    &r2, out, &err), KH_OK);
	assert_non_null(strstr(out, "supersedes roster 2013-05 of @1000"));
	/* An older export arriving late is kept, but superseded at once. */
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 500, &roster,
	    &r0, out, &err), KH_OK);
	assert_non_null(strstr(out, "already superseded by roster 2013-05 of "
	    "@2000"));
	assert_int_equal(kh_store_in_force(f->st, KH_KIND_ROSTER, "2013-05",
	    &cur, &err), KH_OK);
	assert_int_equal(cur, r2);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM supersessions"), 2);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM supersessions "
	    "WHERE old_file = 1 AND new_file = 2"), 1);
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM supersessions "
	    "WHERE old_file = 3 AND new_file = 2"), 1);
	/* Same kind, period and instant, other bytes: a conflict. */
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 2000, &brands,
	    &x, out, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "conflict"));
	assert_int_equal(db_int(f->st, "SELECT count(*) FROM files"), 3);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
}

static void
test_orders_in_force(void **state)
{
	struct fixture *f = *state;
	struct kh_month_input in;
	struct kh_err err;
	char out[256];
	long id;
	const struct rows d17 = { .lines = {
		{ 17, "KM1", "C1", "B1", 10, 100000 },
		{ 17, "KM2", "C2", "B2", 5, 50000 } } };
	const struct rows month = { .lines = {
		{ 17, "KM1", "C1", "B1", 12, 120000 },
		{ 18, "KM1", "C1", "B2", 3, 30000 },
		{ 18, "KM2", "C2", "B1", 4, 40000 } } };
	const struct rows d18 = { .lines = {
		{ 18, "KM2", "C2", "B1", 7, 70000 } } };
	const struct rows d18b = { .lines = {
		{ 18, "KM2", "C2", "B1", 1, 10000 } } };

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 10, &roster,
	    &id, out, &err), KH_OK);
	assert_int_equal(put(f->st, KH_KIND_BRANDS, "2013-05", 10, &brands,
	    &id, out, &err), KH_OK);
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05-17", 100, &d17,
	    &id, out, &err), KH_OK);
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05", 200, &month,
	    &id, out, &err), KH_OK);
	assert_non_null(strstr(out, "supersedes 1 day file"));
	/* A day file older than the month file is stale. */
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05-18", 150, &d18,
	    &id, out, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "stale"));
	/* ... and so is one of the very same instant: the month file wins */
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05-19", 200, &d18,
	    &id, out, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "is not older than this day file"));
	/* A newer day file replaces that day of the month file. */
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05-18", 300, &d18,
	    &id, out, &err), KH_OK);
	assert_int_equal(put(f->st, KH_KIND_ORDERS, "2013-05-18", 250, &d18b,
	    &id, out, &err), KH_OK);
	assert_non_null(strstr(out, "already superseded"));

	assert_int_equal(kh_store_load_month(f->st, "2013-05", &in, &err),
	    KH_OK);
	/* KM1/B1: day 17 of the month file; KM1/B2 (day 18) is replaced by
	 * the day file, which has only KM2/B1 7 条. */
	assert_int_equal(in.n_volumes, 2);
	assert_string_equal(in.volumes[0].manager, "KM1");
	assert_string_equal(in.volumes[0].brand, "B1");
	assert_int_equal(in.volumes[0].qty, 12);
	assert_int_equal(in.volumes[0].amount, 120000);
	assert_string_equal(in.volumes[1].manager, "KM2");
	assert_string_equal(in.volumes[1].brand, "B1");
	assert_int_equal(in.volumes[1].qty, 7);
	assert_int_equal(in.volumes[1].amount, 70000);
	assert_int_equal(in.n_shelves, 2);
	assert_string_equal(in.shelves[0].customer, "C1");
	assert_string_equal(in.shelves[0].brand, "B1");
	assert_string_equal(in.shelves[1].customer, "C2");
	assert_string_equal(in.shelves[1].brand, "B1");
	assert_int_equal(in.n_managers, 2);
	assert_int_equal(in.n_customers, 2);
	assert_int_equal(in.customers[1].open, 1);
	assert_int_equal(in.n_brands, 2);
	kh_month_input_clear(&in);
	kh_month_input_clear(&in);	/* safe twice */
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
}

static void
test_load_month_needs_roster(void **state)
{
	struct fixture *f = *state;
	struct kh_month_input in;
	struct kh_err err;

	assert_int_equal(kh_store_load_month(f->st, "2013-06", &in, &err),
	    KH_REJECT);
	assert_non_null(strstr(err.msg, "no roster for 2013-06"));
	assert_null(in.managers);
}

/* `kaohe trail`'s text of a month as run.c makes it: loaded, then printed. */
static char *
trail_text(struct kh_store *st, const char *month)
{
	struct kh_trail t;
	struct kh_err err;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	assert_int_equal(kh_store_trail_load(st, month, NULL, &t, &err), KH_OK);
	assert_non_null(mem = open_memstream(&text, &len));
	assert_int_equal(kh_trail_print(mem, &t, &err), KH_OK);
	fclose(mem);
	kh_trail_clear(&t);
	return text;
}

static void
test_close_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct kh_trail t;
	struct kh_err err;
	char out[256];
	int closed;
	long id;

	assert_int_equal(kh_store_month_closed(f->st, "2013-05", &closed, &err),
	    KH_OK);
	assert_int_equal(closed, 0);
	assert_int_equal(kh_store_close_month(f->st, "2013-5", &err), KH_USAGE);
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	assert_int_equal(kh_store_month_closed(f->st, "2013-05", &closed, &err),
	    KH_OK);
	assert_int_equal(closed, 1);
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_USAGE);
	assert_non_null(strstr(err.msg, "already closed"));
	/* A closed month refuses its files. */
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 10, &roster,
	    &id, out, &err), KH_REJECT);
	assert_non_null(strstr(err.msg, "month 2013-05 is closed"));
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-06", 10, &roster,
	    &id, out, &err), KH_OK);
	assert_int_equal(kh_store_reopen_month(f->st, "2013-05", "  ", &err),
	    KH_USAGE);
	assert_int_equal(kh_store_reopen_month(f->st, "2013-05", "补录投诉记录",
	    &err), KH_OK);
	assert_int_equal(kh_store_month_closed(f->st, "2013-05", &closed, &err),
	    KH_OK);
	assert_int_equal(closed, 0);
	assert_int_equal(kh_store_reopen_month(f->st, "2013-05", "again", &err),
	    KH_USAGE);
	assert_int_equal(kh_store_trail_load(f->st, "2013-05", NULL, &t, &err),
	    KH_OK);
	assert_int_equal(t.n_events, 2);
	assert_string_equal(t.events[0].action, "close");
	assert_string_equal(t.events[0].reason, "");
	assert_string_equal(t.events[1].action, "reopen");
	assert_string_equal(t.events[1].reason, "补录投诉记录");
	assert_int_equal(t.closed, 0);
	kh_trail_clear(&t);
	assert_int_equal(kh_store_verify(f->st, &err), KH_OK);
}

static void
test_trail_print(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[256], *text, month[KH_MONTH_MAX];
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 2000, &roster,
	    &id, out, &err), KH_OK);
	add_record(f->st, "KH20130517001", "线路抽查漏访2户");
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	assert_int_equal(kh_store_newest_month(f->st, month, &err), KH_OK);
	assert_string_equal(month, "2013-05");
	text = trail_text(f->st, "2013-05");
	assert_non_null(strstr(text, "#1 roster-2013-05-1000.xml  roster 2013-05"));
	assert_non_null(strstr(text, "superseded by #2 roster-2013-05-2000.xml"));
	assert_non_null(strstr(text, "KH20130517001 2013-05-17 KM1 item 1.3.2 "
	    "count 2"));
	assert_non_null(strstr(text, "recorded by 王强 (纪检监察员): 线路抽查漏访2户"));
	assert_non_null(strstr(text, " close 2013-05"));
	free(text);
}

/*
 * `kaohe trail` keeps every text whole (a 1,000-byte reopen reason) and
 * escapes control characters, so that a note or a reason with a newline
 * cannot forge a line of the trail.
 */
static void
test_trail_text_whole_and_escaped(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char reason[1200], want[1300], *text;
	size_t i;

	add_record(f->st, "KH20130517001", "漏访\n  KH20130517999 2013-05-17 "
	    "KM2 item 1.1 count 1\x1b[2J");
	assert_int_equal(kh_store_close_month(f->st, "2013-05", &err), KH_OK);
	for (i = 0; i < 990; i++)
		reason[i] = (char)('a' + i % 26);
	snprintf(reason + 990, sizeof(reason) - 990, "\n  x\xe2\x80\xa8" "end");
	assert_int_equal(kh_store_reopen_month(f->st, "2013-05", reason, &err),
	    KH_OK);
	text = trail_text(f->st, "2013-05");
	assert_non_null(strstr(text, ": 漏访\\n  KH20130517999 2013-05-17 KM2 "
	    "item 1.1 count 1\\x1b[2J  ["));
	assert_null(strstr(text, "\n  KH20130517999"));
	memcpy(want, reason, 990);
	snprintf(want + 990, sizeof(want) - 990, "\\n  x\\u2028end\n");
	assert_non_null(strstr(text, want));
	assert_null(strstr(text, "\n  x"));
	free(text);
}

/*
 * The duplicate check of order ids holds the latest ids in memory and
 * spills older ones to disk: 300,000 ids (two spills), not in ascending
 * order, then duplicates from the first spill, from memory, and new ids
 * inside and outside the spilled range.
 */
static void
order_id(char *buf, size_t len, long i)
{
	snprintf(buf, len, "O%06ld", i);
}

static void
test_order_ids_spill(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char id[32];
	long i, n = 300000;

	assert_int_equal(kh_store_begin(f->st, &err), KH_OK);
	assert_int_equal(kh_store_orders_stage_begin(f->st, &err), KH_OK);
	for (i = 0; i < n; i++) {
		order_id(id, sizeof(id), i * 7919 % n);
		if (kh_store_orders_stage_order(f->st, id, &err) != KH_OK)
			fail_msg("order %s: %s", id, err.msg);
	}
	/* O000000 went first, so to disk; O(299999 * 7919 % n) is in memory */
	order_id(id, sizeof(id), 0);
	assert_int_equal(kh_store_orders_stage_order(f->st, id, &err),
	    KH_REJECT);
	assert_string_equal(err.msg, "order O000000 appears twice in this file");
	assert_string_equal(err.record, "O000000");
	order_id(id, sizeof(id), (n - 1) * 7919 % n);
	assert_int_equal(kh_store_orders_stage_order(f->st, id, &err),
	    KH_REJECT);
	order_id(id, sizeof(id), 150000);
	assert_int_equal(kh_store_orders_stage_order(f->st, id, &err),
	    KH_REJECT);
	/* new: inside the spilled range, below and above it */
	assert_int_equal(kh_store_orders_stage_order(f->st, "O000000a", &err),
	    KH_OK);
	assert_int_equal(kh_store_orders_stage_order(f->st, "A1", &err), KH_OK);
	assert_int_equal(kh_store_orders_stage_order(f->st, "P1", &err), KH_OK);
	assert_int_equal(kh_store_orders_stage_order(f->st, "O000000a", &err),
	    KH_REJECT);
	/* a new file starts afresh */
	assert_int_equal(kh_store_orders_stage_begin(f->st, &err), KH_OK);
	assert_int_equal(kh_store_orders_stage_order(f->st, "O000000", &err),
	    KH_OK);
	kh_store_rollback(f->st);
}

/*
 * Issue 7: no silent new database.  A missing file is refused without
 * being created, an emptied one without being touched, a foreign one as
 * damaged; READONLY writes nothing, not even to a valid record.
 */
static void
test_open_modes(void **state)
{
	struct fixture *f = *state;
	struct kh_store *st = NULL;
	struct kh_err err;
	struct stat sb;
	char path[256], before[KH_SHA256_HEX], after[KH_SHA256_HEX];

	tdir_file(&f->dir, "typo.db", path, sizeof(path));
	assert_int_equal(kh_store_open_mode(path, KH_OPEN_EXISTING, &st, &err),
	    KH_USAGE);
	assert_int_equal(kh_store_open_mode(path, KH_OPEN_READONLY, &st, &err),
	    KH_USAGE);
	assert_null(st);
	assert_int_not_equal(stat(path, &sb), 0);	/* not created */
	tdir_write(&f->dir, "empty.db", "", 0, path, sizeof(path));
	assert_int_equal(kh_store_open_mode(path, KH_OPEN_EXISTING, &st, &err),
	    KH_FAIL);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);		/* left as it was */
	tdir_write(&f->dir, "junk.db", "this is not a database, it is text "
	    "that only looks like a file", 0, path, sizeof(path));
	assert_int_equal(kh_store_open_mode(path, KH_OPEN_READONLY, &st, &err),
	    KH_BROKEN);
	/* a valid record, read-only: verify runs and the bytes stay */
	assert_int_equal(kh_sha256_file(f->db, before, &err), KH_OK);
	assert_int_equal(kh_store_open_mode(f->db, KH_OPEN_READONLY, &st, &err),
	    KH_OK);
	assert_int_equal(kh_store_verify(st, &err), KH_OK);
	assert_int_not_equal(sqlite3_exec(kh_store_db(st), "INSERT INTO "
	    "month_events (month, event, reason, at) VALUES ('2013-05', "
	    "'close', '', 'x')", NULL, NULL, NULL), SQLITE_OK);
	kh_store_close(st);
	assert_int_equal(kh_sha256_file(f->db, after, &err), KH_OK);
	assert_string_equal(before, after);
}

/*
 * Issue 7: rows planted for the next, predictable file id would be
 * absorbed into that file's digest.  Import refuses to start on such a
 * slot (nothing written) and verify names the orphan meanwhile.
 */
static void
test_dirty_file_slot(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	char out[256];
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	assert_int_equal(db_exec(f->st, "PRAGMA foreign_keys = OFF; INSERT "
	    "INTO managers VALUES (2, 'KM9', '假人', 'g', 'active', '')", NULL,
	    0), SQLITE_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "managers row"));
	assert_non_null(strstr(err.msg, "names a files that does not exist"));
	assert_int_equal(kh_store_file_reserve(f->st, &id, &err), KH_FAIL);
	assert_non_null(strstr(err.msg, "tampered"));
	assert_non_null(strstr(err.msg, "files 2"));
}

/* A damaged page is found by SQLite's integrity check within verify. */
static void
test_verify_finds_damage(void **state)
{
	struct fixture *f = *state;
	struct kh_err err;
	static char zero[65536];
	char out[256];
	int64_t root, psize;
	FILE *fp;
	long id;

	assert_int_equal(put(f->st, KH_KIND_ROSTER, "2013-05", 1000, &roster,
	    &id, out, &err), KH_OK);
	/* the root page of an index zeroed, as a failing disk might */
	root = db_int(f->st, "SELECT rootpage FROM sqlite_master WHERE name "
	    "= 'files_kind_period'");
	psize = db_int(f->st, "PRAGMA page_size");
	assert_true(root > 1);
	kh_store_close(f->st);
	f->st = NULL;
	memset(zero, 0, sizeof(zero));
	assert_non_null(fp = fopen(f->db, "r+b"));
	assert_int_equal(fseek(fp, (long)((root - 1) * psize), SEEK_SET), 0);
	assert_int_equal(fwrite(zero, 1, (size_t)psize, fp), (size_t)psize);
	fclose(fp);
	assert_int_equal(kh_store_open_mode(f->db, KH_OPEN_READONLY, &f->st,
	    &err), KH_OK);
	assert_int_equal(kh_store_verify(f->st, &err), KH_BROKEN);
	assert_non_null(strstr(err.msg, "integrity check"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_detects_tampering,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_chain_detects_removed_and_added_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supersession_of_monthly_files,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_orders_in_force, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_month_needs_roster,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_and_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trail_print, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trail_text_whole_and_escaped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_ids_spill, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dirty_file_slot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_damage, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
