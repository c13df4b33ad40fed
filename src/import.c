/*
 * import.c — streaming readers of the five export kinds (see import.h).
 *
 * A file is read once (infile.h), in one streaming pass that hashes the
 * bytes as the parser takes them: the ledger's SHA-256 is that of the
 * data stored.  Where a rule refers forward inside the file — a roster's
 * customer may name a manager listed after it, a void may precede its
 * record — the few rows that do are held back and settled at the end of
 * the file, so memory grows with those, never with the file.  Orders are
 * checked against the month's roster and brands held in memory and
 * aggregated by the store (store.h).
 *
 * Before anything is stored the file must make sense as a whole: its
 * root against the clock and its period, its elements against its kind,
 * and at least one record of its kind where an empty file would replace
 * data in force.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decimal.h"
#include "grow.h"
#include "date.h"
#include "import.h"
#include "utf8.h"
#include "infile.h"
#include "score.h"
#include "trail.h"
#include "xmlin.h"

/* ---- values --------------------------------------------------------------- */

/*
 * The length of s if it is an identifier (1 to 32 of [0-9A-Za-z_.-]),
 * else 0.  By hand rather than strspn: it runs for every order and line.
 */
static size_t
is_ident(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL)
		return 0;
	for (n = 0; n <= 32; n++, p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '.' ||
		    *p == '-')
			continue;
		return *p == '\0' && n >= 1 ? n : 0;
	}
	return 0;
}

static int
num(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "YYYY-MM-DD", a real day of the domain's years. */
static int
valid_date(const char *s)
{
	return s != NULL && strlen(s) == 10 && kh_period_valid(s, 1);
}

/* ---- the state of one import ------------------------------------------------ */

struct imp {
	struct kh_store		*st;
	const struct kh_import_opts *o;
	const struct kh_scheme	*sc;		/* targets, assessments */
	const char		*path;
	struct kh_infile	*in;
	struct kh_xml		*x;
	struct kh_file_info	 fi;
	long			 file_id;
	char			 month[KH_MONTH_MAX];
	long			 root_line;
	/* a row held back, settled after the walk: where to place errors */
	long			 at_line;
	const char		*at_element;
	struct kh_import_summary *sum;
	struct kh_err		*err;
	long			 n_unknown;	/* elements of no kind */
	/* roster: customers met before their manager */
	struct held_customer {
		char	id[KH_CODE_MAX], manager[KH_CODE_MAX];
		long	line;
	}			*held_customers;
	size_t			 n_held_customers, cap_held_customers;
	/* assessments: voids met before their record */
	struct held_void { struct kh_void v; long line; } *held_voids;
	size_t			 n_held_voids, cap_held_voids;
	/* orders */
	long			 roster, brands;
	/* the ids of the month's roster and brands, for orders */
	struct kh_idset		*managers, *customers, *brand_ids;
	int			 in_order;
	char			 order_id[KH_CODE_MAX];
	char			 order_customer[KH_CODE_MAX];
	char			 order_manager[KH_CODE_MAX];
	int			 order_day;
	long			 n_items, n_lines, n_unchanged;
	long			 n_managers;	/* orders: distinct managers */
	/* targets: first line carrying points, per manager */
	struct pts_line { char manager[KH_CODE_MAX]; long line; } *pts;
	size_t			 n_pts, cap_pts;
	/* assessments: the roster of the last month looked up */
	char			 rec_month[KH_MONTH_MAX];
	long			 rec_roster;
};

/* Reject the file at the current element; record may be NULL. */
static int
bad(struct imp *im, const char *record, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct imp *im, const char *record, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (im->at_line > 0)
		return kh_err_set(im->err, KH_REJECT, im->path, im->at_line,
		    im->at_element, record, "%s", msg);
	return kh_err_set(im->err, KH_REJECT, im->path,
	    im->x != NULL ? kh_xml_line(im->x) : 0,
	    im->x != NULL ? kh_xml_name(im->x) : "export", record, "%s", msg);
}

/* Reject the file at its root element (what the file is as a whole). */
static int
root_bad(struct imp *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
root_bad(struct imp *im, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kh_err_set(im->err, KH_REJECT, im->path, im->root_line,
	    "export", NULL, "%s", msg);
}

/* A store rejection (duplicate key, closed month…) placed at this element. */
static int
placed(struct imp *im, int rc, const char *record)
{
	char msg[sizeof(im->err->msg)];

	if (rc != KH_REJECT || im->err == NULL)
		return rc;
	snprintf(msg, sizeof(msg), "%s", im->err->msg);
	return bad(im, record != NULL ? record : im->err->record, "%s", msg);
}

static void
warn(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct imp *im, const char *fmt, ...)
{
	struct kh_import_summary *s = im->sum;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->n_warnings < KH_IMPORT_MAX_WARNINGS)
		snprintf(s->warnings[s->n_warnings], sizeof(s->warnings[0]),
		    "%s:%ld: %s", im->path, im->x ? kh_xml_line(im->x) : 0, msg);
	s->n_warnings++;
}

static void
warn_unknown_attrs(struct imp *im, const char *const *known)
{
	const char *a = kh_xml_unknown_attr(im->x, known);

	if (a != NULL)
		warn(im, "<%s>: unknown attribute %s ignored", kh_xml_name(im->x), a);
}

/* ---- reading attributes --------------------------------------------------------- */

/*
 * Copy free text (names, notes, reasons) into dst.  The format bounds no
 * text, so an over-long one is cut at a UTF-8 character boundary with a
 * warning rather than costing the whole file.
 */
static void
copy_text(struct imp *im, const char *name, const char *v, char *dst,
    size_t len)
{
	size_t n = strlen(v);

	if (n < len) {
		memcpy(dst, v, n + 1);
		return;
	}
	kh_utf8_copy(dst, len, v);
	n = strlen(dst);
	warn(im, "<%s>: %s cut to %zu bytes", kh_xml_name(im->x), name, n);
}

/* Text attribute that must be present and not blank. */
static int
req(struct imp *im, const char *rec, const char *name, char *dst, size_t len)
{
	const char *v = kh_xml_attr(im->x, name);

	if (v == NULL || v[strspn(v, " \t\r\n")] == '\0')
		return bad(im, rec, "attribute %s is missing", name);
	copy_text(im, name, v, dst, len);
	return KH_OK;
}

/* Optional text attribute ("" if absent). */
static int
opt(struct imp *im, const char *name, char *dst, size_t len)
{
	const char *v = kh_xml_attr(im->x, name);

	dst[0] = '\0';
	if (v != NULL)
		copy_text(im, name, v, dst, len);
	return KH_OK;
}

static int
req_ident(struct imp *im, const char *rec, const char *name, char *dst)
{
	const char *v = kh_xml_attr(im->x, name);
	size_t n;

	if (v == NULL || v[0] == '\0')
		return bad(im, rec, "attribute %s is missing", name);
	if ((n = is_ident(v)) == 0)
		return bad(im, rec, "%s \"%.40s\" is not an identifier (1 to 32 "
		    "of 0-9 A-Z a-z _ . -)", name, v);
	memcpy(dst, v, n + 1);		/* n < KH_CODE_MAX */
	return KH_OK;
}

static int
req_date(struct imp *im, const char *rec, const char *name, char *dst)
{
	const char *v = kh_xml_attr(im->x, name);

	if (v == NULL || v[0] == '\0')
		return bad(im, rec, "attribute %s is missing", name);
	if (!valid_date(v))
		return bad(im, rec, "%s \"%.40s\" is not a calendar date "
		    "(YYYY-MM-DD)", name, v);
	memcpy(dst, v, KH_DATE_MAX);	/* valid: 10 bytes and NUL */
	return KH_OK;
}

static int
opt_date(struct imp *im, const char *rec, const char *name, char *dst)
{
	dst[0] = '\0';
	if (kh_xml_attr(im->x, name) == NULL)
		return KH_OK;
	return req_date(im, rec, name, dst);
}

/*
 * A decimal attribute with at most `places` fraction digits; *present
 * tells whether it was there (NULL = required).
 */
static int
dec_attr(struct imp *im, const char *rec, const char *name, int places,
    int allow_negative, int64_t *out, int *present)
{
	const char *v = kh_xml_attr(im->x, name);

	if (present != NULL)
		*present = v != NULL;
	if (v == NULL) {
		if (present != NULL)
			return KH_OK;
		return bad(im, rec, "attribute %s is missing", name);
	}
	if (kh_dec_parse(v, places, allow_negative, out) != 0) {
		if (places == 0)
			return bad(im, rec, "%s \"%.40s\" is not a whole "
			    "number%s", name, v, allow_negative ? "" :
			    " (no sign)");
		return bad(im, rec, "%s \"%.40s\" is not a decimal with at "
		    "most %d decimal places%s", name, v, places,
		    allow_negative ? "" : " (no sign)");
	}
	return KH_OK;
}

/* Which ledger row's data does the month need, and is it there? */
static int
need_file(struct imp *im, enum kh_kind kind, const char *month, long *id,
    const char *rec)
{
	int rc;

	if ((rc = kh_store_in_force(im->st, kind, month, id, im->err)) != KH_OK)
		return rc;
	if (*id == 0)
		return bad(im, rec, "no %s file for %s has been imported yet",
		    kh_kind_name(kind), month);
	return KH_OK;
}

static int
check_month_open(struct imp *im, const char *date, const char *rec)
{
	char month[KH_MONTH_MAX];
	int closed, rc;

	snprintf(month, sizeof(month), "%.7s", date);
	if ((rc = kh_store_month_closed(im->st, month, &closed, im->err)))
		return rc;
	if (closed)
		return bad(im, rec, "month %s is closed; reopen it (with a "
		    "reason) before changing its assessments", month);
	return KH_OK;
}

/* ---- roster ---------------------------------------------------------------------- */

static int
on_manager(struct imp *im)
{
	static const char *const known[] = { "id", "name", "group", "status",
	    "from", NULL };
	struct kh_roster_manager m;
	int rc;

	memset(&m, 0, sizeof(m));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "id", m.id)) ||
	    (rc = req(im, m.id, "name", m.name, sizeof(m.name))) ||
	    (rc = opt(im, "group", m.group, sizeof(m.group))) ||
	    (rc = req(im, m.id, "status", m.status, sizeof(m.status))) ||
	    (rc = opt_date(im, m.id, "from", m.from)))
		return rc;
	if (strcmp(m.status, "active") != 0 && strcmp(m.status, "left") != 0)
		return bad(im, m.id, "status \"%s\" is neither active nor left",
		    m.status);
	im->n_items++;
	return placed(im, kh_store_add_manager(im->st, im->file_id, &m,
	    im->err), m.id);
}

/* A customer whose manager is not listed yet: checked at the end. */
static int
hold_customer(struct imp *im, const struct kh_roster_customer *c)
{
	struct held_customer *h;

	if (kh_grow(&im->held_customers, &im->cap_held_customers,
	    im->n_held_customers, sizeof(*h)) != 0)
		return kh_err_sys(im->err, KH_FAIL, "out of memory");
	h = &im->held_customers[im->n_held_customers++];
	memcpy(h->id, c->id, sizeof(h->id));
	memcpy(h->manager, c->manager, sizeof(h->manager));
	h->line = kh_xml_line(im->x);
	return KH_OK;
}

static int
on_customer(struct imp *im)
{
	static const char *const known[] = { "id", "name", "manager", "grade",
	    "status", "opened", NULL };
	struct kh_roster_customer c;
	int rc, yes;

	memset(&c, 0, sizeof(c));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "id", c.id)) ||
	    (rc = req(im, c.id, "name", c.name, sizeof(c.name))) ||
	    (rc = req_ident(im, c.id, "manager", c.manager)) ||
	    (rc = opt(im, "grade", c.grade, sizeof(c.grade))) ||
	    (rc = req(im, c.id, "status", c.status, sizeof(c.status))) ||
	    (rc = opt_date(im, c.id, "opened", c.opened)))
		return rc;
	if (strcmp(c.status, "open") != 0 && strcmp(c.status, "suspended") != 0 &&
	    strcmp(c.status, "closed") != 0)
		return bad(im, c.id, "status \"%s\" is not open, suspended or "
		    "closed", c.status);
	if ((rc = kh_store_has_manager(im->st, im->file_id, c.manager, &yes,
	    im->err)))
		return rc;
	if (!yes && (rc = hold_customer(im, &c)))
		return rc;
	im->n_lines++;
	return placed(im, kh_store_add_customer(im->st, im->file_id, &c,
	    im->err), c.id);
}

/* The customers held back: their manager must have come later. */
static int
settle_customers(struct imp *im)
{
	struct held_customer *h;
	size_t i;
	int rc, yes;

	for (i = 0; i < im->n_held_customers; i++) {
		h = &im->held_customers[i];
		if ((rc = kh_store_has_manager(im->st, im->file_id, h->manager,
		    &yes, im->err)))
			return rc;
		if (!yes)
			return kh_err_set(im->err, KH_REJECT, im->path, h->line,
			    "customer", h->id, "manager %s is not a manager of "
			    "this roster", h->manager);
	}
	return KH_OK;
}

/* ---- brands ---------------------------------------------------------------------- */

static int
on_brand(struct imp *im)
{
	static const char *const known[] = { "code", "name", "class", "tar",
	    NULL };
	struct kh_brand b;
	int64_t cls;
	int rc;

	memset(&b, 0, sizeof(b));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "code", b.code)) ||
	    (rc = req(im, b.code, "name", b.name, sizeof(b.name))) ||
	    (rc = dec_attr(im, b.code, "class", 0, 0, &cls, NULL)) ||
	    (rc = dec_attr(im, b.code, "tar", 2, 0, &b.tar, NULL)))
		return rc;
	if (cls < 1 || cls > 5)
		return bad(im, b.code, "class %lld is not a price class 1..5",
		    (long long)cls);
	b.price_class = (int)cls;
	im->n_items++;
	return placed(im, kh_store_add_brand(im->st, im->file_id, &b, im->err),
	    b.code);
}

/* ---- targets --------------------------------------------------------------------- */

static int
on_key_brand(struct imp *im)
{
	static const char *const known[] = { "code", NULL };
	char code[KH_CODE_MAX];
	int rc, yes;

	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "code", code)))
		return rc;
	if (im->brands == 0 && (rc = need_file(im, KH_KIND_BRANDS, im->month,
	    &im->brands, code)))
		return rc;
	if ((rc = kh_store_has_brand(im->st, im->brands, code, &yes, im->err)))
		return rc;
	if (!yes)
		return bad(im, code, "key brand %s is not in the brands of %s",
		    code, im->month);
	return placed(im, kh_store_add_key_brand(im->st, im->file_id, code,
	    im->err), code);
}

static int
note_points_line(struct imp *im, const char *manager)
{
	size_t i;

	for (i = 0; i < im->n_pts; i++)
		if (strcmp(im->pts[i].manager, manager) == 0)
			return KH_OK;
	if (kh_grow(&im->pts, &im->cap_pts, im->n_pts, sizeof(*im->pts)) != 0)
		return kh_err_sys(im->err, KH_FAIL, "out of memory");
	snprintf(im->pts[im->n_pts].manager, KH_CODE_MAX, "%s", manager);
	im->pts[im->n_pts++].line = kh_xml_line(im->x);
	return KH_OK;
}

static int
on_target(struct imp *im)
{
	static const char *const known[] = { "manager", "indicator", "value",
	    "points", NULL };
	const struct kh_indicator_def *ind;
	struct kh_target t;
	int rc, yes;

	memset(&t, 0, sizeof(t));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "manager", t.manager)) ||
	    (rc = req_ident(im, t.manager, "indicator", t.indicator)))
		return rc;
	if ((ind = kh_scheme_indicator(im->sc, t.indicator)) == NULL)
		return bad(im, t.manager, "indicator %s is not an indicator of "
		    "the scheme %s", t.indicator, im->sc->id);
	if ((rc = dec_attr(im, t.manager, "value", 2, 0, &t.value, NULL)) ||
	    (rc = dec_attr(im, t.manager, "points", 2, 0, &t.points,
	    &t.has_points)))
		return rc;
	/*
	 * A zero target is valid input (scoring.md): for a key-brand
	 * indicator it means "none this month" and its points move; for any
	 * other it makes that manager incomplete, with the reason, while the
	 * rest of the team is scored.  Negative values are refused by
	 * dec_attr.
	 */
	if (im->roster == 0 && (rc = need_file(im, KH_KIND_ROSTER, im->month,
	    &im->roster, t.manager)))
		return rc;
	if ((rc = kh_store_has_manager(im->st, im->roster, t.manager, &yes,
	    im->err)))
		return rc;
	if (!yes)
		return bad(im, t.manager, "manager %s is not in the roster of %s",
		    t.manager, im->month);
	if (t.has_points && (rc = note_points_line(im, t.manager)))
		return rc;
	im->n_items++;
	return placed(im, kh_store_add_target(im->st, im->file_id, &t,
	    im->err), t.manager);
}

/*
 * Where a manager's targets give points, the points in force (given or
 * the scheme's, after the moves for missing targets) must add up to the
 * scheme's quantitative total.
 */
static int
check_points(struct imp *im)
{
	struct kh_target *t = NULL;
	int64_t pts[KH_MAX_INDICATORS], sum;
	char a[32], b[32];
	size_t n = 0, i;
	int rc;

	if (im->n_pts == 0)
		return KH_OK;
	if ((rc = kh_store_file_targets(im->st, im->file_id, &t, &n, im->err)))
		return rc;
	for (i = 0; i < im->n_pts; i++) {
		sum = kh_effective_points(im->sc, t, n, im->pts[i].manager, pts);
		if (sum != im->sc->quant_total) {
			rc = kh_err_set(im->err, KH_REJECT, im->path,
			    im->pts[i].line, "target", im->pts[i].manager,
			    "the points of manager %s's targets add up to %s, "
			    "not to the scheme's quantitative total %s",
			    im->pts[i].manager, kh_dec_format(sum, 2, a,
			    sizeof(a)), kh_dec_format(im->sc->quant_total, 2,
			    b, sizeof(b)));
			break;
		}
	}
	free(t);
	return rc;
}

/* ---- orders ---------------------------------------------------------------------- */

/*
 * The month's roster (managers, customers) and brands, loaded into
 * memory on first need: orders are then checked without a query per
 * order or line, in memory bounded by the roster and brands files.
 */
static int
order_roster(struct imp *im, const char *rec)
{
	int rc;

	if ((im->roster == 0 && (rc = need_file(im, KH_KIND_ROSTER, im->month,
	    &im->roster, rec))) ||
	    (rc = kh_store_idset_load(im->st, KH_IDS_CUSTOMERS, im->roster,
	    &im->customers, im->err)) ||
	    (rc = kh_store_idset_load(im->st, KH_IDS_MANAGERS, im->roster,
	    &im->managers, im->err)))
		return rc;
	return KH_OK;
}

static int
order_brands(struct imp *im, const char *rec)
{
	int rc;

	if (im->brands == 0 && (rc = need_file(im, KH_KIND_BRANDS, im->month,
	    &im->brands, rec)))
		return rc;
	return kh_store_idset_load(im->st, KH_IDS_BRANDS, im->brands,
	    &im->brand_ids, im->err);
}

static int
on_order(struct imp *im)
{
	static const char *const known[] = { "id", "date", "customer",
	    "manager", NULL };
	char date[KH_DATE_MAX];
	const char *id = im->order_id;
	int rc;

	im->in_order = 0;
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "id", im->order_id)) ||
	    (rc = req_date(im, id, "date", date)) ||
	    (rc = req_ident(im, id, "customer", im->order_customer)) ||
	    (rc = req_ident(im, id, "manager", im->order_manager)))
		return rc;
	if (strncmp(date, im->fi.period, strlen(im->fi.period)) != 0)
		return bad(im, id, "date %s is outside the file's period %s",
		    date, im->fi.period);
	if (im->managers == NULL && (rc = order_roster(im, id)))
		return rc;
	if (!kh_idset_has(im->customers, im->order_customer))
		return bad(im, id, "customer %s is not in the roster of %s",
		    im->order_customer, im->month);
	if (!kh_idset_has(im->managers, im->order_manager))
		return bad(im, id, "manager %s is not in the roster of %s",
		    im->order_manager, im->month);
	if ((rc = placed(im, kh_store_orders_stage_order(im->st, id, im->err),
	    id)))
		return rc;
	im->order_day = num(date + 8, 2);
	im->in_order = 1;
	im->n_items++;
	return KH_OK;
}

static int
on_line(struct imp *im)
{
	static const char *const known[] = { "brand", "qty", "amount", NULL };
	const char *where = im->order_id;
	char brand[KH_CODE_MAX], a[32], b[32];
	int64_t qty, amount;
	int rc;

	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, where, "brand", brand)) ||
	    (rc = dec_attr(im, where, "qty", 0, 0, &qty, NULL)) ||
	    (rc = dec_attr(im, where, "amount", 2, 0, &amount, NULL)))
		return rc;
	/* the line bounds of score.h keep every month's sums exact */
	if (qty <= 0 || qty > KH_LINE_MAX_QTY)
		return bad(im, where, "qty %lld is not a positive whole number "
		    "of 条 (at most %lld)", (long long)qty, KH_LINE_MAX_QTY);
	if (amount > KH_LINE_MAX_AMOUNT)
		return bad(im, where, "amount %s 元 is more than an order line "
		    "can plausibly hold (at most %s 元)", kh_dec_format(amount,
		    2, a, sizeof(a)), kh_dec_format(KH_LINE_MAX_AMOUNT, 2, b,
		    sizeof(b)));
	if (im->brand_ids == NULL && (rc = order_brands(im, where)))
		return rc;
	if (!kh_idset_has(im->brand_ids, brand))
		return bad(im, where, "brand %s is not in the brands of %s",
		    brand, im->month);
	im->n_lines++;
	return placed(im, kh_store_orders_stage_line(im->st, im->order_day,
	    im->order_manager, im->order_customer, brand, qty, amount,
	    im->err), where);
}

/* ---- assessments ------------------------------------------------------------------- */

/* The roster in force for the month of date (cached per month). */
static int
record_roster(struct imp *im, const char *date, const char *rec, long *roster)
{
	char month[KH_MONTH_MAX];
	int rc;

	snprintf(month, sizeof(month), "%.7s", date);
	if (strcmp(month, im->rec_month) != 0) {
		if ((rc = need_file(im, KH_KIND_ROSTER, month, &im->rec_roster,
		    rec)))
			return rc;
		snprintf(im->rec_month, sizeof(im->rec_month), "%s", month);
	}
	*roster = im->rec_roster;
	return KH_OK;
}

/* Rules that tie a record's attributes to its item's kind. */
static int
check_item_kind(struct imp *im, const struct kh_item_def *it,
    struct kh_record *r, int has_count)
{
	const char *id = r->id;
	char p[32], q[32];
	int has_dec;

	if (r->customer[0] != '\0' && r->count != 1)
		return bad(im, id, "a record naming a customer has count 1, "
		    "not %lld", (long long)r->count);
	if (it->kind == KH_ITEM_ONCE_PER_CUSTOMER && r->customer[0] == '\0')
		return bad(im, id, "item %s counts once per customer: the record "
		    "must name a customer", it->code);
	if (it->kind == KH_ITEM_RATE) {
		if (dec_attr(im, id, "value", 2, 0, &r->value, NULL) ||
		    dec_attr(im, id, "required", 2, 0, &r->required, NULL))
			return KH_REJECT;
		r->has_value = 1;
		if (has_count && r->count != 1)
			return bad(im, id, "rate item %s takes value and required, "
			    "not count", it->code);
	} else if (kh_xml_attr(im->x, "value") || kh_xml_attr(im->x, "required"))
		return bad(im, id, "value and required belong to rate items; "
		    "item %s is not one", it->code);
	has_dec = kh_xml_attr(im->x, "decision") != NULL;
	if (it->kind == KH_ITEM_PANEL) {
		if (dec_attr(im, id, "points", 2, 1, &r->points, &r->has_points))
			return KH_REJECT;
		if (!r->has_points)
			return bad(im, id, "panel item %s needs the points the "
			    "panel fixed", it->code);
		if (r->points == 0 || (r->points < 0) != (it->sign < 0))
			return bad(im, id, "points of item %s must be %s", it->code,
			    it->sign < 0 ? "negative (a deduction)" :
			    "positive (a bonus)");
		if (r->points > it->max_points || r->points < -it->max_points)
			return bad(im, id, "points %s of panel item %s are beyond "
			    "the scheme's max-points %s", kh_dec_format(r->points,
			    2, p, sizeof(p)), it->code, kh_dec_format(
			    it->max_points, 2, q, sizeof(q)));
		if (req(im, id, "decision", r->decision, sizeof(r->decision)))
			return KH_REJECT;
	} else if (kh_xml_attr(im->x, "points") || has_dec)
		return bad(im, id, "points and decision belong to panel items; "
		    "item %s is not one", it->code);
	return KH_OK;
}

/* Name the first field in which two deliveries of a record differ. */
static const char *
record_diff(const struct kh_record *a, const struct kh_record *b)
{
	if (strcmp(a->date, b->date)) return "date";
	if (strcmp(a->manager, b->manager)) return "manager";
	if (strcmp(a->item, b->item)) return "item";
	if (a->count != b->count) return "count";
	if (strcmp(a->customer, b->customer)) return "customer";
	if (a->has_value != b->has_value || (a->has_value &&
	    (a->value != b->value || a->required != b->required)))
		return "value/required";
	if (a->has_points != b->has_points || a->points != b->points)
		return "points";
	if (strcmp(a->decision, b->decision)) return "decision";
	if (strcmp(a->recorder, b->recorder)) return "recorder";
	if (strcmp(a->role, b->role)) return "role";
	if (strcmp(a->note, b->note)) return "note";
	return NULL;
}

static int
on_record(struct imp *im)
{
	static const char *const known[] = { "id", "date", "manager", "item",
	    "count", "customer", "value", "required", "points", "decision",
	    "recorder", "role", "note", NULL };
	const struct kh_item_def *it;
	struct kh_record r, old;
	const char *diff;
	long roster;
	int rc, yes, has_count, found;

	memset(&r, 0, sizeof(r));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "id", r.id)) ||
	    (rc = req_date(im, r.id, "date", r.date)) ||
	    (rc = req_ident(im, r.id, "manager", r.manager)) ||
	    (rc = req(im, r.id, "item", r.item, sizeof(r.item))) ||
	    (rc = req(im, r.id, "recorder", r.recorder, sizeof(r.recorder))) ||
	    (rc = req(im, r.id, "role", r.role, sizeof(r.role))) ||
	    (rc = opt(im, "note", r.note, sizeof(r.note))) ||
	    (rc = dec_attr(im, r.id, "count", 0, 0, &r.count, &has_count)))
		return rc;
	if (!has_count)
		r.count = 1;
	else if (r.count <= 0 || r.count > 100000)
		return bad(im, r.id, "count %lld is not a positive whole number",
		    (long long)r.count);
	if ((it = kh_scheme_item(im->sc, r.item)) == NULL)
		return bad(im, r.id, "item %s is not an item of the scheme %s",
		    r.item, im->sc->id);
	if (kh_xml_attr(im->x, "customer") != NULL &&
	    (rc = req_ident(im, r.id, "customer", r.customer)))
		return rc;
	if ((rc = check_item_kind(im, it, &r, has_count)))
		return rc;
	if ((rc = check_month_open(im, r.date, r.id)) ||
	    (rc = record_roster(im, r.date, r.id, &roster)) ||
	    (rc = kh_store_has_manager(im->st, roster, r.manager, &yes, im->err)))
		return rc;
	if (!yes)
		return bad(im, r.id, "manager %s is not in the roster of %.7s",
		    r.manager, r.date);
	if (r.customer[0] != '\0') {
		if ((rc = kh_store_has_customer(im->st, roster, r.customer, &yes,
		    im->err)))
			return rc;
		if (!yes)
			return bad(im, r.id, "customer %s is not in the roster "
			    "of %.7s", r.customer, r.date);
	}
	if ((rc = kh_store_find_record(im->st, r.id, &old, &found, im->err)))
		return rc;
	im->n_items++;
	/* a record id is stored once: re-delivering it would stay out of force */
	if (found == 2)
		return bad(im, r.id, "record %s came in a file since withdrawn: "
		    "its id stays taken; deliver it under a new id", r.id);
	if (found) {
		if ((diff = record_diff(&r, &old)) != NULL)
			return bad(im, r.id, "conflict: record %s was already "
			    "delivered with a different %s; the stored record "
			    "is kept", r.id, diff);
		im->n_unchanged++;
		return KH_OK;
	}
	return placed(im, kh_store_add_record(im->st, im->file_id, &r, im->err),
	    r.id);
}

/* Store a void whose record may be known: every rule of a void. */
static int
apply_void(struct imp *im, const struct kh_void *v)
{
	struct kh_void old;
	struct kh_record rec;
	char other[KH_CODE_MAX];
	int rc, found;

	if ((rc = kh_store_find_void(im->st, v->id, &old, &found, im->err)))
		return rc;
	if (found == 2)
		return bad(im, v->id, "void %s came in a file since withdrawn: "
		    "its id stays taken; deliver it under a new id", v->id);
	if (found) {
		if (strcmp(v->record, old.record) || strcmp(v->date, old.date) ||
		    strcmp(v->reason, old.reason) ||
		    strcmp(v->recorder, old.recorder) || strcmp(v->role, old.role))
			return bad(im, v->id, "conflict: void %s was already "
			    "delivered with different content; the stored void "
			    "is kept", v->id);
		im->n_unchanged++;
		return KH_OK;
	}
	if ((rc = kh_store_find_record(im->st, v->record, &rec, &found,
	    im->err)))
		return rc;
	if (!found)
		return bad(im, v->id, "void of unknown record %s (not delivered "
		    "yet: the file is tried again at the next run)", v->record);
	if (found == 2)
		return bad(im, v->id, "record %s came in a file since withdrawn: "
		    "it counts no more, there is nothing to void", v->record);
	if ((rc = kh_store_void_of(im->st, v->record, other, &found, im->err)))
		return rc;
	if (found == 2)
		return bad(im, v->id, "record %s was voided by %s in a file since "
		    "withdrawn; a record is voided once", v->record, other);
	if (found)
		return bad(im, v->id, "record %s is already voided by %s",
		    v->record, other);
	if ((rc = check_month_open(im, rec.date, v->id)) ||
	    (rc = check_month_open(im, v->date, v->id)))
		return rc;
	return placed(im, kh_store_add_void(im->st, im->file_id, v, im->err),
	    v->id);
}

static int
on_void(struct imp *im)
{
	static const char *const known[] = { "id", "record", "date", "reason",
	    "recorder", "role", NULL };
	struct kh_void v;
	struct kh_record rec;
	struct held_void *h;
	int rc, found;

	memset(&v, 0, sizeof(v));
	warn_unknown_attrs(im, known);
	if ((rc = req_ident(im, NULL, "id", v.id)) ||
	    (rc = req_ident(im, v.id, "record", v.record)) ||
	    (rc = req_date(im, v.id, "date", v.date)) ||
	    (rc = req(im, v.id, "reason", v.reason, sizeof(v.reason))) ||
	    (rc = req(im, v.id, "recorder", v.recorder, sizeof(v.recorder))) ||
	    (rc = req(im, v.id, "role", v.role, sizeof(v.role))))
		return rc;
	im->n_lines++;
	if ((rc = kh_store_find_record(im->st, v.record, &rec, &found,
	    im->err)))
		return rc;
	if (found)
		return apply_void(im, &v);
	/* its record may come later in this file: settled at the end */
	if (kh_grow(&im->held_voids, &im->cap_held_voids, im->n_held_voids,
	    sizeof(*h)) != 0)
		return kh_err_sys(im->err, KH_FAIL, "out of memory");
	h = &im->held_voids[im->n_held_voids++];
	h->v = v;
	h->line = kh_xml_line(im->x);
	return KH_OK;
}

/* The voids held back, in file order, at their own lines. */
static int
settle_voids(struct imp *im)
{
	size_t i;
	int rc = KH_OK;

	im->at_element = "void";
	for (i = 0; i < im->n_held_voids && rc == KH_OK; i++) {
		im->at_line = im->held_voids[i].line;
		rc = apply_void(im, &im->held_voids[i].v);
	}
	im->at_line = 0;
	return rc;
}

/* ---- the walk ---------------------------------------------------------------------- */

/* The elements of each kind: name and depth. */
struct handler {
	enum kh_kind	 kind;
	const char	*name;
	int		 depth;
	int		(*fn)(struct imp *);
};

static const struct handler handlers[] = {
	{ KH_KIND_ROSTER, "manager", 1, on_manager },
	{ KH_KIND_ROSTER, "customer", 1, on_customer },
	{ KH_KIND_BRANDS, "brand", 1, on_brand },
	{ KH_KIND_TARGETS, "key-brand", 1, on_key_brand },
	{ KH_KIND_TARGETS, "target", 1, on_target },
	{ KH_KIND_ORDERS, "order", 1, on_order },
	{ KH_KIND_ORDERS, "line", 2, on_line },
	{ KH_KIND_ASSESSMENTS, "record", 1, on_record },
	{ KH_KIND_ASSESSMENTS, "void", 1, on_void },
	{ KH_KIND_N, NULL, 0, NULL }
};

/* The main element of each kind, whose absence makes a file empty. */
static const char *const main_element[KH_KIND_N] = {
	"manager", "brand", "target", "order", "record"
};

/* "a roster", "an orders": for messages. */
static const char *
a_kind(enum kh_kind k)
{
	return k == KH_KIND_ORDERS || k == KH_KIND_ASSESSMENTS ? "an" : "a";
}

static int
dispatch(struct imp *im)
{
	const struct handler *h;
	const char *name = kh_xml_name(im->x);
	enum kh_kind kind = im->fi.kind;
	int depth = kh_xml_depth(im->x);

	if (depth <= 1)
		im->in_order = 0;
	for (h = handlers; h->name != NULL; h++) {
		if (strcmp(h->name, name) != 0)
			continue;
		/*
		 * A roster relabelled kind="orders" would otherwise be an
		 * empty orders file with warnings: it supersedes real data.
		 */
		if (h->kind != kind)
			return bad(im, NULL, "this element belongs in %s %s "
			    "file, not in this %s file: is the export's kind "
			    "right?", a_kind(h->kind), kh_kind_name(h->kind),
			    kh_kind_name(kind));
		if (h->fn == on_line && (depth != 2 || !im->in_order))
			return bad(im, NULL, "<line> outside an <order>");
		if (h->depth != depth)
			break;
		return h->fn(im);
	}
	im->n_unknown++;
	warn(im, "unknown element <%s> ignored", name);
	return KH_OK;
}

/* A document that does not even parse up to its root is not an export. */
static int
not_an_export(struct kh_err *err)
{
	static const char prefix[] = "not an export: ";
	size_t p = sizeof(prefix) - 1, n = strlen(err->msg);

	if (strncmp(err->msg, "malformed XML", 13) == 0 ||
	    strncmp(err->msg, "unreadable XML", 14) == 0) {
		if (n > sizeof(err->msg) - 1 - p)
			n = sizeof(err->msg) - 1 - p;
		memmove(err->msg + p, err->msg, n);
		memcpy(err->msg, prefix, p);
		err->msg[p + n] = '\0';
	}
	return KH_REJECT;
}

/* Read the root element of an open document into fi. */
static int
read_root(struct kh_xml *x, const char *path, struct kh_file_info *fi,
    struct kh_err *err)
{
	const char *kind, *unit, *name, *period, *gen;
	int r;

	if ((r = kh_xml_next(x, err)) < 0)
		return not_an_export(err);
	if (r == 0)
		return kh_err_set(err, KH_REJECT, path, 0, NULL, NULL,
		    "not an export: no root element");
#define ROOT_BAD(...) kh_err_set(err, KH_REJECT, path, kh_xml_line(x), \
	kh_xml_name(x), NULL, __VA_ARGS__)
	if (strcmp(kh_xml_name(x), "export") != 0)
		return ROOT_BAD("not an export: the root element must be "
		    "<export>, not <%s>", kh_xml_name(x));
	kind = kh_xml_attr(x, "kind");
	unit = kh_xml_attr(x, "unit");
	name = kh_xml_attr(x, "unit-name");
	period = kh_xml_attr(x, "period");
	gen = kh_xml_attr(x, "generated");
	if (kind == NULL || kh_kind_parse(kind, &fi->kind) != 0)
		return ROOT_BAD("kind \"%.40s\" is not roster, brands, targets, "
		    "orders or assessments", kind ? kind : "");
	if (!is_ident(unit))
		return ROOT_BAD("unit \"%.40s\" is missing or not an identifier",
		    unit ? unit : "");
	if (name != NULL && strlen(name) >= sizeof(fi->unit_name))
		return ROOT_BAD("unit-name is too long");
	if (period == NULL || !kh_period_valid(period, fi->kind == KH_KIND_ORDERS ||
	    fi->kind == KH_KIND_ASSESSMENTS))
		return ROOT_BAD("period \"%.40s\" is not a %s", period ? period :
		    "", fi->kind == KH_KIND_ORDERS || fi->kind ==
		    KH_KIND_ASSESSMENTS ? "month (YYYY-MM) or a day (YYYY-MM-DD)"
		    : "month (YYYY-MM)");
	if (gen == NULL || strlen(gen) >= sizeof(fi->generated) ||
	    kh_time_parse(gen, &fi->generated_utc) != 0)
		return ROOT_BAD("generated \"%.40s\" is not an ISO 8601 time "
		    "with offset (2013-05-17T23:40:05+08:00)", gen ? gen : "");
#undef ROOT_BAD
	snprintf(fi->unit, sizeof(fi->unit), "%s", unit);
	snprintf(fi->unit_name, sizeof(fi->unit_name), "%s", name ? name : "");
	snprintf(fi->period, sizeof(fi->period), "%s", period);
	snprintf(fi->generated, sizeof(fi->generated), "%s", gen);
	snprintf(fi->encoding, sizeof(fi->encoding), "%s", kh_xml_encoding(x));
	return KH_OK;
}

/* A parse that failed because the file could not be read says so. */
static int
read_failed(struct imp *im, int rc)
{
	const char *e = kh_infile_error(im->in);

	if (rc == KH_REJECT && e != NULL)
		return kh_err_set(im->err, KH_REJECT, im->path, 0, NULL, NULL,
		    "%s", e);
	return rc;
}

/* The rest of the document, one streaming pass. */
static int
walk(struct imp *im)
{
	int r, rc;

	while ((r = kh_xml_next(im->x, im->err)) == 1)
		if ((rc = dispatch(im)) != KH_OK)
			return rc;
	return r == 0 ? KH_OK : read_failed(im, KH_REJECT);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Open the file, take its pre-hash and read its root. */
static int
identify(struct imp *im)
{
	int rc;

	snprintf(im->fi.name, sizeof(im->fi.name), "%s", base_name(im->path));
	if ((rc = kh_infile_open(im->path, im->o->nofollow ?
	    KH_INFILE_NOFOLLOW : 0, &im->in, im->err)) != KH_OK ||
	    (rc = kh_infile_prehash(im->in, im->fi.sha256, im->err)) != KH_OK ||
	    (rc = kh_xml_open_io(kh_infile_read, im->in, im->path, &im->x,
	    im->err)) != KH_OK)
		return rc;
	if ((rc = read_root(im->x, im->path, &im->fi, im->err)) != KH_OK)
		return read_failed(im, rc);
	im->root_line = kh_xml_line(im->x);
	snprintf(im->month, sizeof(im->month), "%.7s", im->fi.period);
	return KH_OK;
}

/* now as a local ISO 8601 time with offset, for messages. */
static void
format_clock(int64_t now, char out[40])
{
	time_t t = (time_t)now;
	struct tm tm;
	int off;

	localtime_r(&t, &tm);
	off = (int)(tm.tm_gmtoff / 60) % 1440;
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    abs(off) / 60, abs(off) % 60);
}

/*
 * The root against the clock.  A file from the future stays in force
 * for good (nothing later supersedes it), a period far ahead becomes the
 * month every later run works on; orders and assessments report what
 * happened, so they cannot be generated before their period began (a
 * roster, brands or targets file issued ahead of its month is normal).
 */
static int
check_clock(struct imp *im)
{
	const struct kh_file_info *fi = &im->fi;
	char clock[40];
	time_t t = (time_t)im->o->now;
	struct tm tm;
	int ahead;

	format_clock(im->o->now, clock);
	if (fi->generated_utc > im->o->now + KH_IMPORT_CLOCK_SLACK)
		return root_bad(im, "generated %s is later than the clock "
		    "(%s): a file from the future would stay in force for good "
		    "(a typo, or the exporting machine's clock?)", fi->generated,
		    clock);
	if ((fi->kind == KH_KIND_ORDERS || fi->kind == KH_KIND_ASSESSMENTS) &&
	    strncmp(fi->generated, fi->period, strlen(fi->period)) < 0)
		return root_bad(im, "generated %s, before the %s %s that the "
		    "file reports on", fi->generated, strlen(fi->period) == 10 ?
		    "day" : "month", fi->period);
	localtime_r(&t, &tm);
	ahead = (num(fi->period, 4) * 12 + num(fi->period + 5, 2)) -
	    ((tm.tm_year + 1900) * 12 + tm.tm_mon + 1);
	if (ahead > 1)
		return root_bad(im, "period %s is more than one month ahead of "
		    "the clock (%s)", fi->period, clock);
	return KH_OK;
}

/*
 * Targets and assessments are checked against the scheme of their
 * period's year (indicator and item codes).  Without one, this file
 * alone is refused: other files, and other years, go on.
 */
static int
need_scheme(struct imp *im)
{
	struct kh_err e;
	int year = num(im->fi.period, 4);

	if (im->fi.kind != KH_KIND_TARGETS &&
	    im->fi.kind != KH_KIND_ASSESSMENTS)
		return KH_OK;
	kh_err_clear(&e);
	if (im->o->scheme != NULL && im->o->scheme(im->o->scheme_arg, year,
	    &im->sc, &e) == KH_OK && im->sc != NULL)
		return KH_OK;
	im->sc = NULL;
	return root_bad(im, "%s %s file is checked against the assessment "
	    "scheme of %d (its %s codes): %s", a_kind(im->fi.kind),
	    kh_kind_name(im->fi.kind), year, im->fi.kind == KH_KIND_TARGETS ?
	    "indicator" : "item", e.msg[0] != '\0' ? e.msg : "none given");
}

/*
 * A nightly day file without orders is a day without sales (exports.md:
 * one day file each night) and changes nothing; one that would replace
 * a delivered day with orders (the first such file imported, not
 * withdrawn) is refused like an empty month file.
 */
static int
check_empty_day(struct imp *im)
{
	struct kh_trail t;
	const struct kh_trail_file *e;
	char name[256] = "";
	size_t i;
	int rc;

	if ((rc = kh_store_trail_files(im->st, im->month, &t, im->err))
	    != KH_OK)
		return rc;
	for (i = 0; i < t.n_files && name[0] == '\0'; i++) {
		e = &t.files[i];
		if (strcmp(e->kind, "orders") == 0 && e->n_items > 0 &&
		    strcmp(e->period, im->fi.period) == 0 && e->withdrawal == 0)
			snprintf(name, sizeof(name), "%s", e->name);
	}
	kh_trail_clear(&t);
	if (name[0] == '\0')
		return KH_OK;
	return root_bad(im, "no <order> in this orders file: it would replace "
	    "%s, which has orders of %s", name, im->fi.period);
}

/*
 * A file with nothing of its kind: an empty roster, brands, targets or
 * month orders file would replace the one in force with nothing.
 */
static int
check_content(struct imp *im)
{
	enum kh_kind k = im->fi.kind;

	/* main_element[] is indexed by it; kh_kind_parse set it */
	assert((unsigned)k < KH_KIND_N);
	if (im->n_items > 0 || (k == KH_KIND_ASSESSMENTS && im->n_lines > 0))
		return KH_OK;
	if (im->n_unknown > 0)
		return root_bad(im, "no <%s> in this %s file, only %ld "
		    "element(s) kaohe does not know: is this the right kind of "
		    "export?", main_element[k], kh_kind_name(k), im->n_unknown);
	if (k == KH_KIND_ASSESSMENTS)
		return KH_OK;	/* records are never replaced as a file */
	if (k == KH_KIND_ORDERS && strlen(im->fi.period) == 10)
		return check_empty_day(im);
	return root_bad(im, "no <%s> in this %s file: an empty %s %s would "
	    "replace the one in force", main_element[k], kh_kind_name(k),
	    kh_kind_name(k), im->fi.period);
}

static void
summarise(struct imp *im)
{
	struct kh_import_summary *s = im->sum;
	const char *p = im->fi.period;
	char *c = s->counts;
	size_t n = sizeof(s->counts);

	switch (im->fi.kind) {
	case KH_KIND_ROSTER:
		snprintf(c, n, "roster %s: %ld managers, %ld customers", p,
		    im->n_items, im->n_lines);
		break;
	case KH_KIND_BRANDS:
		snprintf(c, n, "brands %s: %ld brands", p, im->n_items);
		break;
	case KH_KIND_TARGETS:
		snprintf(c, n, "targets %s: %ld targets", p, im->n_items);
		break;
	case KH_KIND_ORDERS:
		snprintf(c, n, "orders %s: %ld orders, %ld lines, %ld managers",
		    p, im->n_items, im->n_lines, im->n_managers);
		break;
	default:
		snprintf(c, n, "assessments %s: %ld records, %ld voids "
		    "(%ld already on record)", p, im->n_items, im->n_lines,
		    im->n_unchanged);
		break;
	}
}

/*
 * The ledger records the SHA-256 of the bytes parsed, which must be the
 * pre-hash the "already imported" check used: a file rewritten while it
 * was read is refused, never recorded with one hash and another's data.
 */
static int
finish_read(struct imp *im)
{
	return kh_infile_finish(im->in, im->fi.sha256, &im->fi.size, im->err);
}

/* What the walk held back, and the rules over the whole file. */
static int
settle(struct imp *im)
{
	int rc;

	switch (im->fi.kind) {
	case KH_KIND_ROSTER:
		rc = settle_customers(im);
		break;
	case KH_KIND_TARGETS:
		rc = check_points(im);
		break;
	case KH_KIND_ASSESSMENTS:
		rc = settle_voids(im);
		break;
	default:
		rc = KH_OK;
		break;
	}
	return rc != KH_OK ? rc : check_content(im);
}

/* The body of an import, inside the transaction. */
static int
import_body(struct imp *im)
{
	int rc;

	if ((rc = kh_store_file_admit(im->st, &im->fi, im->err)) != KH_OK) {
		if (rc == KH_REJECT) {
			snprintf(im->err->file, sizeof(im->err->file), "%s",
			    im->path);
			im->err->line = im->root_line;
		}
		return rc;
	}
	if ((rc = kh_store_file_reserve(im->st, &im->file_id, im->err)))
		return rc;
	if (im->fi.kind == KH_KIND_ORDERS &&
	    (rc = kh_store_orders_stage_begin(im->st, im->err)))
		return rc;
	if ((rc = walk(im)) != KH_OK || (rc = finish_read(im)) != KH_OK ||
	    (rc = settle(im)) != KH_OK)
		return rc;
	if (im->fi.kind == KH_KIND_ORDERS &&
	    (rc = kh_store_orders_flush(im->st, im->file_id, &im->n_managers,
	    im->err)))
		return rc;
	summarise(im);
	return kh_store_file_commit(im->st, im->file_id, &im->fi, im->n_items,
	    im->n_lines, im->sum->counts, im->sum->outcome_text,
	    sizeof(im->sum->outcome_text), im->err);
}


static void
clear(struct imp *im)
{
	kh_xml_close(im->x);
	kh_infile_close(im->in);
	free(im->pts);
	free(im->held_customers);
	free(im->held_voids);
	kh_idset_free(im->managers);
	kh_idset_free(im->customers);
	kh_idset_free(im->brand_ids);
}

static void
summary_root(struct imp *im, int identified)
{
	struct kh_import_summary *sum = im->sum;

	snprintf(sum->kind, sizeof(sum->kind), "%s", identified ?
	    kh_kind_name(im->fi.kind) : "");
	snprintf(sum->period, sizeof(sum->period), "%s", im->fi.period);
	snprintf(sum->generated, sizeof(sum->generated), "%s", im->fi.generated);
	snprintf(sum->sha256, sizeof(sum->sha256), "%s", im->fi.sha256);
	snprintf(sum->encoding, sizeof(sum->encoding), "%s", im->fi.encoding);
}

/* Import a new file: the checks of the whole, then one transaction. */
static int
import_new(struct imp *im)
{
	static const char *const root_known[] = { "kind", "unit", "unit-name",
	    "period", "generated", NULL };
	int rc;

	if ((rc = check_clock(im)) != KH_OK || (rc = need_scheme(im)) != KH_OK)
		return rc;
	warn_unknown_attrs(im, root_known);
	if (im->o->before_parse != NULL)
		im->o->before_parse(im->o->hook_arg, im->path);
	if ((rc = kh_store_begin(im->st, im->err)) != KH_OK)
		return rc;
	rc = import_body(im);
	if (rc == KH_OK)
		rc = kh_store_commit(im->st, im->err);
	else
		kh_store_rollback(im->st);
	im->sum->outcome = KH_IMPORT_IMPORTED;
	im->sum->n_items = im->n_items;
	im->sum->n_lines = im->n_lines;
	im->sum->n_unchanged = im->n_unchanged;
	snprintf(im->sum->sha256, sizeof(im->sum->sha256), "%s", im->fi.sha256);
	return rc;
}

int
kh_import_file_with(struct kh_store *st, const struct kh_import_opts *o,
    const char *path, struct kh_import_summary *sum, struct kh_err *err)
{
	struct imp im;
	long seen;
	int rc;

	memset(sum, 0, sizeof(*sum));
	memset(&im, 0, sizeof(im));
	im.st = st;
	im.o = o;
	im.path = path;
	im.sum = sum;
	im.err = err;
	snprintf(sum->file, sizeof(sum->file), "%s", path);
	rc = identify(&im);
	summary_root(&im, rc == KH_OK);
	if (rc != KH_OK)
		goto out;
	if ((rc = kh_store_file_seen(st, im.fi.sha256, &seen, err)) != KH_OK)
		goto out;
	if (seen != 0) {
		sum->outcome = KH_IMPORT_UNCHANGED;
		snprintf(sum->outcome_text, sizeof(sum->outcome_text),
		    "unchanged (already imported as ledger #%ld)", seen);
		snprintf(sum->counts, sizeof(sum->counts), "%s %s",
		    sum->kind, sum->period);
		goto out;
	}
	rc = import_new(&im);
out:
	clear(&im);
	return rc;
}

/* kh_import_file's scheme: the one it was given. */
static int
given_scheme(void *arg, int year, const struct kh_scheme **out,
    struct kh_err *err)
{
	(void)year;
	if ((*out = arg) == NULL)
		return kh_err_sys(err, KH_FAIL, "no scheme given");
	return KH_OK;
}

int
kh_import_file(struct kh_store *st, const struct kh_scheme *sc,
    const char *path, struct kh_import_summary *sum, struct kh_err *err)
{
	struct kh_import_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.scheme = given_scheme;
	o.scheme_arg = (void *)(uintptr_t)sc;
	if ((rc = kh_now(&o.now, err)) != KH_OK)
		return rc;
	return kh_import_file_with(st, &o, path, sum, err);
}

/* ---- dependency order ---------------------------------------------------------------- */

struct peek {
	size_t		idx;
	int		ok;
	enum kh_kind	kind;
	char		key[16];	/* period; a month as YYYY-MM-99 */
	int64_t		utc;
};

static int
cmp_peek(const void *pa, const void *pb)
{
	const struct peek *a = pa, *b = pb;
	int c;

	if (a->ok != b->ok)
		return a->ok ? -1 : 1;
	if (a->ok) {
		if (a->kind != b->kind)
			return a->kind < b->kind ? -1 : 1;
		if ((c = strcmp(a->key, b->key)) != 0)
			return c;
		if (a->utc != b->utc)
			return a->utc < b->utc ? -1 : 1;
	}
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int
kh_import_order(const char *const *paths, size_t n, size_t *order,
    struct kh_err *err)
{
	struct peek *pk;
	struct kh_file_info fi;
	struct kh_infile *in;
	struct kh_xml *x;
	struct kh_err ignored;
	size_t i;

	if (n == 0)
		return KH_OK;
	if ((pk = calloc(n, sizeof(*pk))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	for (i = 0; i < n; i++) {
		pk[i].idx = i;
		memset(&fi, 0, sizeof(fi));
		/* infile: a FIFO or device is never opened, so never waited on */
		if (kh_infile_open(paths[i], 0, &in, &ignored) != KH_OK)
			continue;
		if (kh_xml_open_io(kh_infile_read, in, paths[i], &x, &ignored)
		    == KH_OK) {
			pk[i].ok = read_root(x, paths[i], &fi, &ignored) == KH_OK;
			kh_xml_close(x);
		}
		kh_infile_close(in);
		pk[i].kind = fi.kind;
		pk[i].utc = fi.generated_utc;
		snprintf(pk[i].key, sizeof(pk[i].key), "%s%s", fi.period,
		    strlen(fi.period) == 7 ? "-99" : "");
	}
	qsort(pk, n, sizeof(*pk), cmp_peek);
	for (i = 0; i < n; i++)
		order[i] = pk[i].idx;
	free(pk);
	return KH_OK;
}
