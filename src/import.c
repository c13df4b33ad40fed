/*
 * import.c — streaming readers of the five export kinds (see import.h).
 *
 * A file is walked with xmlin.h once, or twice where a rule refers
 * forward inside the file: a roster's customers name managers that may
 * come later, and a void may precede its record in the same file.  So
 * roster and assessments files are read in two passes (managers, then
 * customers; records, then voids), each streaming: memory never grows
 * with the file.  Orders are checked against the month's roster and
 * brands held in memory and aggregated by the store (store.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decimal.h"
#include "import.h"
#include "score.h"
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
digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
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

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* "YYYY-MM" (len 7) or "YYYY-MM-DD" (len 10), a real calendar date. */
static int
valid_period(const char *s, int allow_day)
{
	size_t n = s != NULL ? strlen(s) : 0;
	int y, m;

	if ((n != 7 && n != 10) || (n == 10 && !allow_day) ||
	    digits(s, 4) || s[4] != '-' || digits(s + 5, 2))
		return 0;
	y = num(s, 4);
	m = num(s + 5, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12)
		return 0;
	if (n == 7)
		return 1;
	return s[7] == '-' && !digits(s + 8, 2) && num(s + 8, 2) >= 1 &&
	    num(s + 8, 2) <= days_in_month(y, m);
}

static int
valid_date(const char *s)
{
	return s != NULL && strlen(s) == 10 && valid_period(s, 1);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" -> UTC epoch
 * seconds (a fraction is accepted and ignored).  -1 if malformed or
 * without an offset: instants are compared, so the offset is required.
 */
static int
parse_generated(const char *s, int64_t *utc)
{
	const char *p;
	int h, mi, sec, oh, om, sign;
	char date[KH_DATE_MAX];

	if (s == NULL || strlen(s) < 20)
		return -1;
	snprintf(date, sizeof(date), "%.10s", s);
	if (!valid_date(date) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2) ||
	    s[13] != ':' || digits(s + 14, 2) || s[16] != ':' ||
	    digits(s + 17, 2))
		return -1;
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	sec = num(s + 17, 2);
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.' || *p == ',') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		oh = om = 0, sign = 1;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    !digits(p + 1, 2) && p[3] == ':' && !digits(p + 4, 2)) {
		sign = *p == '-' ? -1 : 1;
		oh = num(p + 1, 2);
		om = num(p + 4, 2);
		if (oh > 14 || om > 59)
			return -1;
	} else
		return -1;
	*utc = days_from_civil(num(s, 4), num(s + 5, 2), num(s + 8, 2)) *
	    86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	return 0;
}

/* ---- the state of one import ------------------------------------------------ */

struct imp {
	struct kh_store		*st;
	const struct kh_scheme	*sc;
	const char		*path;
	struct kh_xml		*x;
	struct kh_file_info	 fi;
	long			 file_id;
	int			 pass;		/* 1 or 2 */
	char			 month[KH_MONTH_MAX];
	long			 root_line;
	struct stat		 sb;		/* when identified */
	struct kh_import_summary *sum;
	struct kh_err		*err;
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
	return kh_err_set(im->err, KH_REJECT, im->path,
	    im->x != NULL ? kh_xml_line(im->x) : 0,
	    im->x != NULL ? kh_xml_name(im->x) : "export", record, "%s", msg);
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
	n = len - 1;
	while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, v, n);
	dst[n] = '\0';
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
	if (!yes)
		return bad(im, c.id, "manager %s is not a manager of this "
		    "roster", c.manager);
	im->n_lines++;
	return placed(im, kh_store_add_customer(im->st, im->file_id, &c,
	    im->err), c.id);
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
	if (im->n_pts == im->cap_pts) {
		struct pts_line *p;
		size_t ncap = im->cap_pts ? im->cap_pts * 2 : 16;

		if ((p = realloc(im->pts, ncap * sizeof(*p))) == NULL)
			return kh_err_sys(im->err, KH_FAIL, "out of memory");
		im->pts = p;
		im->cap_pts = ncap;
	}
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

static int
on_void(struct imp *im)
{
	static const char *const known[] = { "id", "record", "date", "reason",
	    "recorder", "role", NULL };
	struct kh_void v, old;
	struct kh_record rec;
	char other[KH_CODE_MAX];
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
	if ((rc = kh_store_find_void(im->st, v.id, &old, &found, im->err)))
		return rc;
	if (found) {
		if (strcmp(v.record, old.record) || strcmp(v.date, old.date) ||
		    strcmp(v.reason, old.reason) ||
		    strcmp(v.recorder, old.recorder) || strcmp(v.role, old.role))
			return bad(im, v.id, "conflict: void %s was already "
			    "delivered with different content; the stored void "
			    "is kept", v.id);
		im->n_unchanged++;
		return KH_OK;
	}
	if ((rc = kh_store_find_record(im->st, v.record, &rec, &found, im->err)))
		return rc;
	if (!found)
		return bad(im, v.id, "void of unknown record %s (not delivered "
		    "yet: the file is tried again at the next run)", v.record);
	if ((rc = kh_store_void_of(im->st, v.record, other, &found, im->err)))
		return rc;
	if (found)
		return bad(im, v.id, "record %s is already voided by %s",
		    v.record, other);
	if ((rc = check_month_open(im, rec.date, v.id)) ||
	    (rc = check_month_open(im, v.date, v.id)))
		return rc;
	return placed(im, kh_store_add_void(im->st, im->file_id, &v, im->err),
	    v.id);
}

/* ---- the walk ---------------------------------------------------------------------- */

/* Elements each kind knows: name, depth, the pass that handles it. */
struct handler {
	enum kh_kind	 kind;
	const char	*name;
	int		 depth;
	int		 pass;
	int		(*fn)(struct imp *);
};

static const struct handler handlers[] = {
	{ KH_KIND_ROSTER, "manager", 1, 1, on_manager },
	{ KH_KIND_ROSTER, "customer", 1, 2, on_customer },
	{ KH_KIND_BRANDS, "brand", 1, 1, on_brand },
	{ KH_KIND_TARGETS, "key-brand", 1, 1, on_key_brand },
	{ KH_KIND_TARGETS, "target", 1, 1, on_target },
	{ KH_KIND_ORDERS, "order", 1, 1, on_order },
	{ KH_KIND_ORDERS, "line", 2, 1, on_line },
	{ KH_KIND_ASSESSMENTS, "record", 1, 1, on_record },
	{ KH_KIND_ASSESSMENTS, "void", 1, 2, on_void },
	{ KH_KIND_N, NULL, 0, 0, NULL }
};

static int
dispatch(struct imp *im)
{
	const struct handler *h;
	const char *name = kh_xml_name(im->x);
	int depth = kh_xml_depth(im->x);

	if (depth <= 1)
		im->in_order = 0;
	for (h = handlers; h->name != NULL; h++) {
		if (h->kind != im->fi.kind || strcmp(h->name, name) != 0)
			continue;
		if (h->fn == on_line && (depth != 2 || !im->in_order))
			return bad(im, NULL, "<line> outside an <order>");
		if (h->depth != depth)
			break;
		return h->pass == im->pass ? h->fn(im) : KH_OK;
	}
	if (im->pass == 1)
		warn(im, "unknown element <%s> ignored", name);
	return KH_OK;
}

/*
 * Read the root element of an open document into fi.  Unknown root
 * attributes are warned about through im when im is not NULL.
 */
static int
read_root(struct kh_xml *x, const char *path, struct kh_file_info *fi,
    struct kh_err *err)
{
	const char *kind, *unit, *name, *period, *gen;
	int r;

	if ((r = kh_xml_next(x, err)) < 0)
		return KH_REJECT;
	if (r == 0)
		return kh_err_set(err, KH_REJECT, path, 0, NULL, NULL,
		    "no root element");
#define ROOT_BAD(...) kh_err_set(err, KH_REJECT, path, kh_xml_line(x), \
	kh_xml_name(x), NULL, __VA_ARGS__)
	if (strcmp(kh_xml_name(x), "export") != 0)
		return ROOT_BAD("the root element must be <export>");
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
	if (period == NULL || !valid_period(period, fi->kind == KH_KIND_ORDERS ||
	    fi->kind == KH_KIND_ASSESSMENTS))
		return ROOT_BAD("period \"%.40s\" is not a %s", period ? period :
		    "", fi->kind == KH_KIND_ORDERS || fi->kind ==
		    KH_KIND_ASSESSMENTS ? "month (YYYY-MM) or a day (YYYY-MM-DD)"
		    : "month (YYYY-MM)");
	if (gen == NULL || strlen(gen) >= sizeof(fi->generated) ||
	    parse_generated(gen, &fi->generated_utc) != 0)
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

/* One streaming pass over the whole file. */
static int
walk(struct imp *im, int pass)
{
	static const char *const root_known[] = { "kind", "unit", "unit-name",
	    "period", "generated", NULL };
	struct kh_file_info fi;
	int r, rc;

	im->pass = pass;
	im->in_order = 0;
	if ((rc = kh_xml_open(im->path, &im->x, im->err)) != KH_OK)
		return rc;
	if ((rc = read_root(im->x, im->path, &fi, im->err)) != KH_OK)
		goto out;
	if (pass == 1)
		warn_unknown_attrs(im, root_known);
	while ((r = kh_xml_next(im->x, im->err)) == 1)
		if ((rc = dispatch(im)) != KH_OK)
			goto out;
	rc = r == 0 ? KH_OK : KH_REJECT;
out:
	kh_xml_close(im->x);
	im->x = NULL;
	return rc;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Read the file's identity: size, SHA-256, root. */
static int
identify(struct imp *im)
{
	struct stat *sb = &im->sb;
	int rc;

	snprintf(im->fi.name, sizeof(im->fi.name), "%s", base_name(im->path));
	if (stat(im->path, sb) != 0 || !S_ISREG(sb->st_mode))
		return kh_err_set(im->err, KH_REJECT, im->path, 0, NULL, NULL,
		    "not a readable regular file");
	im->fi.size = (int64_t)sb->st_size;
	if ((rc = kh_sha256_file(im->path, im->fi.sha256, im->err)) != KH_OK)
		return rc;
	if ((rc = kh_xml_open(im->path, &im->x, im->err)) != KH_OK)
		return rc;
	rc = read_root(im->x, im->path, &im->fi, im->err);
	im->root_line = kh_xml_line(im->x);
	kh_xml_close(im->x);
	im->x = NULL;
	snprintf(im->month, sizeof(im->month), "%.7s", im->fi.period);
	return rc;
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
 * The ledger keeps the SHA-256 taken before parsing: a file still being
 * written by the exporter while it was read is refused, not half kept.
 */
static int
unchanged_since_identified(struct imp *im)
{
	struct stat now;

	if (stat(im->path, &now) != 0 || now.st_size != im->sb.st_size ||
	    now.st_mtime != im->sb.st_mtime || now.st_ino != im->sb.st_ino)
		return kh_err_set(im->err, KH_REJECT, im->path, 0, NULL, NULL,
		    "the file changed while it was being imported");
	return KH_OK;
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
	if ((rc = walk(im, 1)) != KH_OK)
		return rc;
	if ((im->fi.kind == KH_KIND_ROSTER ||
	    im->fi.kind == KH_KIND_ASSESSMENTS) && (rc = walk(im, 2)) != KH_OK)
		return rc;
	if (im->fi.kind == KH_KIND_TARGETS && (rc = check_points(im)) != KH_OK)
		return rc;
	if ((rc = unchanged_since_identified(im)) != KH_OK)
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

int
kh_import_file(struct kh_store *st, const struct kh_scheme *sc,
    const char *path, struct kh_import_summary *sum, struct kh_err *err)
{
	struct imp im;
	long seen;
	int rc;

	memset(sum, 0, sizeof(*sum));
	memset(&im, 0, sizeof(im));
	im.st = st;
	im.sc = sc;
	im.path = path;
	im.sum = sum;
	im.err = err;
	snprintf(sum->file, sizeof(sum->file), "%s", path);
	rc = identify(&im);
	snprintf(sum->kind, sizeof(sum->kind), "%s", rc == KH_OK ?
	    kh_kind_name(im.fi.kind) : "");
	snprintf(sum->period, sizeof(sum->period), "%s", im.fi.period);
	snprintf(sum->generated, sizeof(sum->generated), "%s", im.fi.generated);
	snprintf(sum->sha256, sizeof(sum->sha256), "%s", im.fi.sha256);
	snprintf(sum->encoding, sizeof(sum->encoding), "%s", im.fi.encoding);
	if (rc != KH_OK)
		return rc;
	if (sc == NULL && (im.fi.kind == KH_KIND_TARGETS ||
	    im.fi.kind == KH_KIND_ASSESSMENTS))
		return kh_err_sys(err, KH_FAIL, "importing %s needs the scheme",
		    kh_kind_name(im.fi.kind));
	if ((rc = kh_store_file_seen(st, im.fi.sha256, &seen, err)) != KH_OK)
		return rc;
	if (seen != 0) {
		sum->outcome = KH_IMPORT_UNCHANGED;
		snprintf(sum->outcome_text, sizeof(sum->outcome_text),
		    "unchanged (already imported as ledger #%ld)", seen);
		snprintf(sum->counts, sizeof(sum->counts), "%s %s",
		    sum->kind, sum->period);
		return KH_OK;
	}
	if ((rc = kh_store_begin(st, err)) != KH_OK)
		return rc;
	rc = import_body(&im);
	if (rc == KH_OK)
		rc = kh_store_commit(st, err);
	else
		kh_store_rollback(st);
	kh_xml_close(im.x);
	free(im.pts);
	kh_idset_free(im.managers);
	kh_idset_free(im.customers);
	kh_idset_free(im.brand_ids);
	sum->outcome = KH_IMPORT_IMPORTED;
	sum->n_items = im.n_items;
	sum->n_lines = im.n_lines;
	sum->n_unchanged = im.n_unchanged;
	return rc;
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
		if (kh_xml_open(paths[i], &x, &ignored) != KH_OK)
			continue;
		pk[i].ok = read_root(x, paths[i], &fi, &ignored) == KH_OK;
		kh_xml_close(x);
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
