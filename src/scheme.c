/*
 * scheme.c — loading and validating the assessment scheme file.
 *
 * Owned by the scoring core.  The file is read once into memory (so the
 * SHA-256 fingerprint and the parse see the same bytes), parsed with the
 * hardened reader, and checked as a whole: after kh_scheme_load succeeds,
 * scoring trusts every code, kind, sign and sum in it.  Any error names
 * the file, the line and what is wrong; a scheme error is KH_FAIL (the
 * run cannot score without its method).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "decimal.h"
#include "grow.h"
#include "scheme.h"
#include "xmlin.h"

#define SCHEME_MAX_BYTES	(1024 * 1024)	/* a scheme is a few KB */
#define SCHEME_MAX_ITEMS	1000

/* Parse state: where we are and what has been seen. */
struct loader {
	const char	*path;
	struct kh_xml	*x;
	struct kh_scheme *s;
	struct kh_err	*err;
	size_t		 items_cap;
	char		 parent[KH_XML_MAX_DEPTH + 2][KH_XML_MAX_NAME + 1];
	char		 group[128];
	int		 seen_root, seen_quant, seen_qual;
	long		 quant_line;
	long		 ind_line[KH_MAX_INDICATORS];
};

/* An error at the current element; always returns KH_FAIL. */
static int
bad(struct loader *l, const char *record, const char *fmt, const char *a,
    const char *b)
{
	char msg[600];

	snprintf(msg, sizeof(msg), fmt, a != NULL ? a : "", b != NULL ? b : "");
	return kh_err_set(l->err, KH_FAIL, l->path, kh_xml_line(l->x),
	    kh_xml_name(l->x), record, "scheme: %s", msg);
}

/* Same, at a remembered line (checks made after the whole parse). */
static int
bad_at(struct loader *l, long line, const char *element, const char *record,
    const char *fmt, const char *a, const char *b)
{
	char msg[600];

	snprintf(msg, sizeof(msg), fmt, a != NULL ? a : "", b != NULL ? b : "");
	return kh_err_set(l->err, KH_FAIL, l->path, line, element, record,
	    "scheme: %s", msg);
}

static int
check_attrs(struct loader *l, const char *const *known)
{
	const char *u = kh_xml_unknown_attr(l->x, known);

	if (u != NULL)
		return bad(l, NULL, "unknown attribute %s on <%s>", u,
		    kh_xml_name(l->x));
	return KH_OK;
}

/* Copy a required attribute into dst (size len); refuse empty and too long. */
static int
get_str(struct loader *l, const char *name, char *dst, size_t len,
    const char *record)
{
	const char *v = kh_xml_attr(l->x, name);

	if (v == NULL || *v == '\0')
		return bad(l, record, "missing required attribute %s on <%s>",
		    name, kh_xml_name(l->x));
	if (strlen(v) >= len)
		return bad(l, record, "attribute %s is too long (\"%s\")", name, v);
	memcpy(dst, v, strlen(v) + 1);
	return KH_OK;
}

/* Identifier rule of exports.md: [0-9A-Za-z_.-], 1..32 bytes. */
static int
get_code(struct loader *l, const char *name, char *dst, size_t len)
{
	const char *p;

	if (get_str(l, name, dst, len, NULL) != KH_OK)
		return KH_FAIL;
	for (p = dst; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return bad(l, dst, "attribute %s: \"%s\" is not a code "
			    "([0-9A-Za-z_.-])", name, dst);
	return KH_OK;
}

/*
 * A decimal attribute with `places` fraction digits.  Absent: *out = dflt
 * if !required, else an error.
 */
static int
get_dec(struct loader *l, const char *name, int places, int neg, int required,
    int64_t dflt, int64_t *out, const char *record)
{
	const char *v = kh_xml_attr(l->x, name);

	if (v == NULL) {
		if (required)
			return bad(l, record, "missing required attribute %s on <%s>",
			    name, kh_xml_name(l->x));
		*out = dflt;
		return KH_OK;
	}
	if (kh_dec_parse(v, places, neg, out) != 0)
		return bad(l, record, "attribute %s: \"%s\" is not a valid number "
		    "here (plain decimal, sign and places as documented)", name, v);
	return KH_OK;
}

/* A number of points (2 places) within ±KH_SCHEME_MAX_POINTS. */
static int
get_points(struct loader *l, const char *name, int neg, int required,
    int64_t dflt, int64_t *out, const char *record)
{
	if (get_dec(l, name, 2, neg, required, dflt, out, record) != KH_OK)
		return KH_FAIL;
	if (*out > KH_SCHEME_MAX_POINTS || *out < -KH_SCHEME_MAX_POINTS)
		return bad(l, record, "attribute %s: \"%s\" is beyond 10000 "
		    "points, the most a scheme may give or take", name,
		    kh_xml_attr(l->x, name));
	return KH_OK;
}

/* "4 5" -> bits 4 and 5; classes are 1..9. */
static int
get_classes(struct loader *l, unsigned *mask)
{
	const char *v = kh_xml_attr(l->x, "low-grade-classes"), *p;

	*mask = 0;
	if (v == NULL)
		return bad(l, NULL, "missing required attribute %s on <%s>",
		    "low-grade-classes", kh_xml_name(l->x));
	for (p = v; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (*p < '1' || *p > '9' || (p[1] != ' ' && p[1] != '\0'))
			return bad(l, NULL, "low-grade-classes: \"%s\" is not a "
			    "space-separated list of classes 1..9", v, NULL);
		*mask |= 1u << (*p - '0');
	}
	if (*mask == 0)
		return bad(l, NULL, "low-grade-classes is empty%s%s", NULL, NULL);
	return KH_OK;
}

static int
on_root(struct loader *l)
{
	static const char *const known[] = { "id", "name", "rounding",
	    "places", NULL };
	struct kh_scheme *s = l->s;
	int64_t places;

	if (strcmp(kh_xml_name(l->x), "scheme") != 0)
		return bad(l, NULL, "the root element must be <scheme>, not <%s>",
		    kh_xml_name(l->x), NULL);
	l->seen_root = 1;
	if (check_attrs(l, known) || get_code(l, "id", s->id, sizeof(s->id)) ||
	    get_str(l, "name", s->name, sizeof(s->name), NULL))
		return KH_FAIL;
	if (kh_xml_attr(l->x, "rounding") == NULL ||
	    strcmp(kh_xml_attr(l->x, "rounding"), "half-away-from-zero") != 0)
		return bad(l, NULL, "rounding must be \"half-away-from-zero\" "
		    "(the only rule kaohe implements)%s%s", NULL, NULL);
	if (get_dec(l, "places", 0, 0, 1, 2, &places, NULL))
		return KH_FAIL;
	if (places != 2)
		return bad(l, NULL, "places must be 2: scores are kept in "
		    "hundredths%s%s", NULL, NULL);
	s->round_places = 2;
	return KH_OK;
}

static int
on_quantitative(struct loader *l)
{
	static const char *const known[] = { "total", "cap", "case-size",
	    "low-grade-classes", "low-tar-max", NULL };
	struct kh_scheme *s = l->s;

	if (l->seen_quant++)
		return bad(l, NULL, "more than one <quantitative>%s%s", NULL, NULL);
	l->quant_line = kh_xml_line(l->x);
	if (check_attrs(l, known) ||
	    get_points(l, "total", 0, 1, 0, &s->quant_total, NULL) ||
	    get_dec(l, "cap", 2, 0, 0, 100, &s->cap, NULL) ||
	    get_dec(l, "case-size", 0, 0, 1, 0, &s->case_size, NULL) ||
	    get_classes(l, &s->low_grade_classes) ||
	    get_dec(l, "low-tar-max", 2, 0, 1, 0, &s->low_tar_max, NULL))
		return KH_FAIL;
	if (s->cap <= 0 || s->cap > KH_SCHEME_MAX_CAP)
		return bad(l, NULL, "cap must be above 0 and at most 100.00 "
		    "(1.00 = 100%%)%s%s", NULL, NULL);
	if (s->case_size <= 0 || s->case_size > 1000000)
		return bad(l, NULL, "case-size must be a whole number of 条 "
		    "above 0%s%s", NULL, NULL);
	return KH_OK;
}

static int
parse_measure(const char *v, enum kh_measure *m)
{
	if (strcmp(v, "volume") == 0)
		*m = KH_MEASURE_VOLUME;
	else if (strcmp(v, "revenue_per_case") == 0)
		*m = KH_MEASURE_REVENUE_PER_CASE;
	else if (strcmp(v, "shelf_rate") == 0)
		*m = KH_MEASURE_SHELF_RATE;
	else
		return -1;
	return 0;
}

static int
parse_filter(const char *v, enum kh_filter *f)
{
	if (strcmp(v, "all") == 0)
		*f = KH_FILTER_ALL;
	else if (strcmp(v, "low_grade") == 0)
		*f = KH_FILTER_LOW_GRADE;
	else if (strcmp(v, "low_tar") == 0)
		*f = KH_FILTER_LOW_TAR;
	else if (strcmp(v, "key_brand") == 0)
		*f = KH_FILTER_KEY_BRAND;
	else
		return -1;
	return 0;
}

static int
on_indicator(struct loader *l)
{
	static const char *const known[] = { "code", "name", "unit", "points",
	    "measure", "filter", "if-missing", NULL };
	struct kh_scheme *s = l->s;
	struct kh_indicator_def *d;
	const char *v;
	char measure[32], filter[32] = "all";

	if (s->n_ind == KH_MAX_INDICATORS)
		return bad(l, NULL, "more than 16 indicators%s%s", NULL, NULL);
	d = &s->ind[s->n_ind];
	memset(d, 0, sizeof(*d));
	if (check_attrs(l, known) || get_code(l, "code", d->code, sizeof(d->code)))
		return KH_FAIL;
	if (kh_scheme_indicator(s, d->code) != NULL)
		return bad(l, d->code, "duplicate indicator code %s", d->code, NULL);
	if (get_str(l, "name", d->name, sizeof(d->name), d->code) ||
	    get_str(l, "unit", d->unit, sizeof(d->unit), d->code) ||
	    get_points(l, "points", 0, 1, 0, &d->points, d->code) ||
	    get_str(l, "measure", measure, sizeof(measure), d->code))
		return KH_FAIL;
	if (kh_xml_attr(l->x, "filter") != NULL &&
	    get_str(l, "filter", filter, sizeof(filter), d->code))
		return KH_FAIL;
	if (parse_measure(measure, &d->measure) != 0)
		return bad(l, d->code, "unknown measure \"%s\" (volume, "
		    "revenue_per_case or shelf_rate)", measure, NULL);
	if (parse_filter(filter, &d->filter) != 0)
		return bad(l, d->code, "unknown filter \"%s\" (all, low_grade, "
		    "low_tar or key_brand)", filter, NULL);
	if (d->measure == KH_MEASURE_SHELF_RATE && d->filter != KH_FILTER_KEY_BRAND)
		return bad(l, d->code, "measure shelf_rate is over the key "
		    "brands: it needs filter=\"key_brand\"%s%s", NULL, NULL);
	if ((v = kh_xml_attr(l->x, "if-missing")) != NULL &&
	    get_code(l, "if-missing", d->if_missing, sizeof(d->if_missing)))
		return KH_FAIL;
	l->ind_line[s->n_ind++] = kh_xml_line(l->x);
	return KH_OK;
}

static int
on_qualitative(struct loader *l)
{
	static const char *const known[] = { "base", "floor", "cap",
	    "rate-shortfall", NULL };
	struct kh_scheme *s = l->s;
	const char *v;

	if (l->seen_qual++)
		return bad(l, NULL, "more than one <qualitative>%s%s", NULL, NULL);
	if (check_attrs(l, known) ||
	    get_points(l, "base", 0, 1, 0, &s->qual_base, NULL) ||
	    get_points(l, "floor", 0, 0, 0, &s->qual_floor, NULL))
		return KH_FAIL;
	if (kh_xml_attr(l->x, "cap") != NULL) {
		if (get_points(l, "cap", 0, 1, 0, &s->qual_cap, NULL))
			return KH_FAIL;
		s->has_qual_cap = 1;
		if (s->qual_cap < s->qual_floor)
			return bad(l, NULL, "cap is below floor%s%s", NULL, NULL);
	}
	v = kh_xml_attr(l->x, "rate-shortfall");
	if (v == NULL || strcmp(v, "whole") == 0)
		s->shortfall = KH_SHORTFALL_WHOLE;
	else if (strcmp(v, "exact") == 0)
		s->shortfall = KH_SHORTFALL_EXACT;
	else if (strcmp(v, "half-up") == 0)
		s->shortfall = KH_SHORTFALL_HALF_UP;
	else
		return bad(l, NULL, "unknown rate-shortfall \"%s\" (whole, exact "
		    "or half-up)", v, NULL);
	return KH_OK;
}

static int
on_group(struct loader *l)
{
	static const char *const known[] = { "title", NULL };

	if (check_attrs(l, known))
		return KH_FAIL;
	return get_str(l, "title", l->group, sizeof(l->group), NULL);
}

static int
parse_kind(const char *v, enum kh_item_kind *k)
{
	if (strcmp(v, "unit") == 0)
		*k = KH_ITEM_UNIT;
	else if (strcmp(v, "rate") == 0)
		*k = KH_ITEM_RATE;
	else if (strcmp(v, "panel") == 0)
		*k = KH_ITEM_PANEL;
	else if (strcmp(v, "once-per-customer") == 0)
		*k = KH_ITEM_ONCE_PER_CUSTOMER;
	else
		return -1;
	return 0;
}

static struct kh_item_def *
new_item(struct loader *l)
{
	struct kh_scheme *s = l->s;
	struct kh_item_def *p;

	if (kh_grow(&s->items, &l->items_cap, s->n_items,
	    sizeof(*s->items)) != 0)
		return NULL;
	p = &s->items[s->n_items];
	memset(p, 0, sizeof(*p));
	return p;
}

/*
 * A panel item's max-points: required, above 0 (a record's |points| may
 * not exceed it); no other kind takes one.
 */
static int
check_max_points(struct loader *l, struct kh_item_def *d)
{
	int has = kh_xml_attr(l->x, "max-points") != NULL;

	if (d->kind != KH_ITEM_PANEL) {
		if (has)
			return bad(l, d->code, "item %s: max-points belongs to "
			    "panel items%s", d->code, NULL);
		return KH_OK;
	}
	if (!has)
		return bad(l, d->code, "panel item %s needs max-points, the "
		    "most points one record may give or take", d->code, NULL);
	if (get_points(l, "max-points", 0, 1, 0, &d->max_points, d->code))
		return KH_FAIL;
	if (d->max_points == 0)
		return bad(l, d->code, "panel item %s: max-points must be above "
		    "0%s", d->code, NULL);
	return KH_OK;
}

/* Points, kind and sign must agree: see templates/README.md. */
static int
check_item(struct loader *l, struct kh_item_def *d, int has_points)
{
	if (d->kind == KH_ITEM_PANEL) {
		if (has_points && d->points != 0)
			return bad(l, d->code, "item %s is a panel item: its points "
			    "come from each record, the scheme's must be 0 or "
			    "absent", d->code, NULL);
		return check_max_points(l, d);
	}
	if (check_max_points(l, d) != KH_OK)
		return KH_FAIL;
	if (!has_points || d->points == 0)
		return bad(l, d->code, "item %s needs non-zero points (only "
		    "panel items take their points from the record)", d->code,
		    NULL);
	if ((d->points < 0) != (d->sign < 0))
		return bad(l, d->code, "item %s: the sign of points contradicts "
		    "sign=\"%s\"", d->code, d->sign < 0 ? "deduction" : "bonus");
	return KH_OK;
}

static int
on_item(struct loader *l)
{
	static const char *const known[] = { "code", "kind", "sign", "points",
	    "max-points", "text", NULL };
	struct kh_item_def *d;
	char kind[32], sign[16];
	int has_points;

	if (l->s->n_items >= SCHEME_MAX_ITEMS)
		return bad(l, NULL, "more than 1000 items%s%s", NULL, NULL);
	if ((d = new_item(l)) == NULL)
		return kh_err_sys(l->err, KH_FAIL, "out of memory");
	if (check_attrs(l, known) || get_code(l, "code", d->code, sizeof(d->code)))
		return KH_FAIL;
	if (kh_scheme_item(l->s, d->code) != NULL)
		return bad(l, d->code, "duplicate item code %s", d->code, NULL);
	if (get_str(l, "kind", kind, sizeof(kind), d->code) ||
	    get_str(l, "sign", sign, sizeof(sign), d->code) ||
	    get_str(l, "text", d->text, sizeof(d->text), d->code))
		return KH_FAIL;
	if (parse_kind(kind, &d->kind) != 0)
		return bad(l, d->code, "unknown kind \"%s\" (unit, rate, panel "
		    "or once-per-customer)", kind, NULL);
	if (strcmp(sign, "deduction") == 0)
		d->sign = -1;
	else if (strcmp(sign, "bonus") == 0)
		d->sign = 1;
	else
		return bad(l, d->code, "unknown sign \"%s\" (deduction or bonus)",
		    sign, NULL);
	has_points = kh_xml_attr(l->x, "points") != NULL;
	if (get_points(l, "points", 1, 0, 0, &d->points, d->code) ||
	    check_item(l, d, has_points))
		return KH_FAIL;
	memcpy(d->group, l->group, sizeof(d->group));
	l->s->n_items++;	/* counted only once valid */
	return KH_OK;
}

/* Dispatch one element by its name and its parent's name. */
static int
on_element(struct loader *l)
{
	const char *name = kh_xml_name(l->x);
	int depth = kh_xml_depth(l->x);
	const char *parent = depth > 0 ? l->parent[depth - 1] : "";

	snprintf(l->parent[depth], sizeof(l->parent[0]), "%s", name);
	if (depth == 0)
		return on_root(l);
	if (depth == 1 && strcmp(name, "quantitative") == 0)
		return on_quantitative(l);
	if (depth == 1 && strcmp(name, "qualitative") == 0)
		return on_qualitative(l);
	if (strcmp(parent, "quantitative") == 0 && strcmp(name, "indicator") == 0)
		return on_indicator(l);
	if (strcmp(parent, "qualitative") == 0 && strcmp(name, "group") == 0)
		return on_group(l);
	if (strcmp(name, "item") == 0 && (strcmp(parent, "group") == 0 ||
	    strcmp(parent, "qualitative") == 0)) {
		if (strcmp(parent, "qualitative") == 0)
			l->group[0] = '\0';
		return on_item(l);
	}
	return bad(l, NULL, "unexpected element <%s> inside <%s>", name, parent);
}

/* Checks over the whole file: sums and cross references. */
static int
check_whole(struct loader *l)
{
	struct kh_scheme *s = l->s;
	const struct kh_indicator_def *t;
	char a[32], b[32];
	int64_t sum = 0;
	size_t i;

	if (!l->seen_quant || !l->seen_qual)
		return bad_at(l, 0, "scheme", NULL, "the scheme needs both "
		    "<quantitative> and <qualitative>%s%s", NULL, NULL);
	if (s->n_ind == 0)
		return bad_at(l, l->quant_line, "quantitative", NULL,
		    "no <indicator>%s%s", NULL, NULL);
	for (i = 0; i < s->n_ind; i++) {
		sum += s->ind[i].points;
		if (s->ind[i].if_missing[0] == '\0')
			continue;
		if (strcmp(s->ind[i].if_missing, s->ind[i].code) == 0)
			return bad_at(l, l->ind_line[i], "indicator", s->ind[i].code,
			    "if-missing of %s names the indicator itself%s",
			    s->ind[i].code, NULL);
		if ((t = kh_scheme_indicator(s, s->ind[i].if_missing)) == NULL)
			return bad_at(l, l->ind_line[i], "indicator", s->ind[i].code,
			    "if-missing names an unknown indicator %s%s",
			    s->ind[i].if_missing, NULL);
		if (t->if_missing[0] != '\0')
			return bad_at(l, l->ind_line[i], "indicator", s->ind[i].code,
			    "if-missing names %s, which itself moves its points "
			    "(no chains)%s", t->code, NULL);
	}
	if (sum != s->quant_total)
		return bad_at(l, l->quant_line, "quantitative", NULL,
		    "indicator points add up to %s, not the total %s",
		    kh_dec_format(sum, 2, a, sizeof(a)),
		    kh_dec_format(s->quant_total, 2, b, sizeof(b)));
	return KH_OK;
}

static int
parse(struct loader *l)
{
	int r;

	while ((r = kh_xml_next(l->x, l->err)) == 1)
		if (on_element(l) != KH_OK)
			return KH_FAIL;
	if (r < 0) {
		l->err->status = KH_FAIL;
		return KH_FAIL;
	}
	if (!l->seen_root)
		return bad_at(l, 0, NULL, NULL, "empty document%s%s", NULL, NULL);
	return check_whole(l);
}

int
kh_scheme_load_memory(const char *buf, size_t len, const char *name,
    struct kh_scheme **out, struct kh_err *err)
{
	struct loader l;
	struct kh_err dummy;
	int rc = KH_FAIL;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.path = name;
	l.err = err != NULL ? err : &dummy;
	if ((l.s = calloc(1, sizeof(*l.s))) == NULL) {
		kh_err_sys(l.err, KH_FAIL, "out of memory");
		goto out;
	}
	if (kh_sha256_buf(buf, len, l.s->sha256) != 0) {
		kh_err_sys(l.err, KH_FAIL, "scheme: hashing failed (out of "
		    "memory)");
		goto out;
	}
	if (kh_xml_open_memory(buf, len, name, &l.x, l.err) != KH_OK) {
		l.err->status = KH_FAIL;
		goto out;
	}
	if (parse(&l) != KH_OK)
		goto out;
	*out = l.s;
	l.s = NULL;
	rc = KH_OK;
out:
	kh_xml_close(l.x);
	kh_scheme_free(l.s);
	return rc;
}

/* Read the whole file (bounded) so hash and parse see the same bytes. */
static int
slurp(const char *path, char **buf, size_t *len, struct kh_err *err)
{
	FILE *f = NULL;
	char *b = NULL;
	size_t n;
	int rc = KH_FAIL;

	*buf = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "scheme: cannot open the scheme file");
		goto out;
	}
	if ((b = malloc(SCHEME_MAX_BYTES + 1)) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	n = fread(b, 1, SCHEME_MAX_BYTES + 1, f);
	if (ferror(f)) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "scheme: read error");
		goto out;
	}
	if (n > SCHEME_MAX_BYTES) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "scheme: file larger than 1 MiB");
		goto out;
	}
	*buf = b;
	*len = n;
	b = NULL;
	rc = KH_OK;
out:
	if (f != NULL)
		fclose(f);
	free(b);
	return rc;
}

int
kh_scheme_load(const char *path, struct kh_scheme **out, struct kh_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = slurp(path, &buf, &len, err)) == KH_OK)
		rc = kh_scheme_load_memory(buf, len, path, out, err);
	free(buf);
	return rc;
}

void
kh_scheme_free(struct kh_scheme *s)
{
	if (s == NULL)
		return;
	free(s->items);
	free(s);
}

const struct kh_item_def *
kh_scheme_item(const struct kh_scheme *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->n_items; i++)
		if (strcmp(s->items[i].code, code) == 0)
			return &s->items[i];
	return NULL;
}

const struct kh_indicator_def *
kh_scheme_indicator(const struct kh_scheme *s, const char *code)
{
	int i = kh_scheme_indicator_index(s, code);

	return i < 0 ? NULL : &s->ind[i];
}

int
kh_scheme_indicator_index(const struct kh_scheme *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->n_ind; i++)
		if (strcmp(s->ind[i].code, code) == 0)
			return (int)i;
	return -1;
}
