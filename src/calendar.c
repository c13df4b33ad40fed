/*
 * calendar.c — civil dates and the working-day calendar (see calendar.h).
 *
 * Dates are handled as day numbers since 1970-01-01 (Howard Hinnant's
 * days_from_civil), which makes weekday and day arithmetic exact with
 * no struct tm, no time zone and no locale.  The calendar is a sorted
 * array of listed dates (holidays and make-up workdays) searched with
 * binary search; anything not listed is a working day iff it is Monday–Friday.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "grow.h"
#include "xmlin.h"

#define CAL_MAX_ENTRIES	4096	/* listed dates over all files */
#define CAL_MAX_YEARS	256	/* files (years) in one calendar */
#define CAL_NAME_MAX	64	/* bytes of a holiday name */

enum cal_kind { CAL_HOLIDAY, CAL_WORKDAY };

struct cal_entry {
	long		 day;		/* kh_date_to_days */
	enum cal_kind	 kind;
	char		 name[CAL_NAME_MAX];
	const char	*file;		/* owned by kh_calendar.files */
	long		 line;
};

struct kh_calendar {
	struct cal_entry *ent;		/* sorted by day, no duplicates */
	size_t		 nent, cap_ent;
	int		 years[CAL_MAX_YEARS];
	size_t		 nyears;
	char		**files;	/* names of the loaded files */
	size_t		 nfiles, cap_files;
};

/* ---- the calendar ----------------------------------------------------- */

int
kh_calendar_new(struct kh_calendar **out, struct kh_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return kh_err_sys(err, KH_FAIL, "calendar: out of memory");
	return KH_OK;
}

void
kh_calendar_free(struct kh_calendar *cal)
{
	size_t i;

	if (cal == NULL)
		return;
	for (i = 0; i < cal->nfiles; i++)
		free(cal->files[i]);
	free(cal->files);
	free(cal->ent);
	free(cal);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct cal_entry *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

static const struct cal_entry *
find(const struct kh_calendar *cal, long day)
{
	size_t lo = 0, hi = cal != NULL ? cal->nent : 0, mid;

	/* Binary search; entries are unique by day. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->ent[mid].day == day)
			return &cal->ent[mid];
		if (cal->ent[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What a file being read collects before it is merged into the calendar. */
struct cal_load {
	struct cal_entry *ent;
	size_t		 nent, cap;
	int		 year;
	const char	*file;
};

static int
load_error(struct kh_err *err, const struct cal_load *ld, long line,
    const char *element, const char *what, const char *value)
{
	return kh_err_set(err, KH_REJECT, ld->file, line, element, NULL,
	    "calendar: %s%s%s%s", what, value != NULL ? " \"" : "",
	    value != NULL ? value : "", value != NULL ? "\"" : "");
}

/* Read the root <calendar year="YYYY">. */
static int
read_root(struct kh_xml *x, struct cal_load *ld, struct kh_err *err)
{
	static const char *const known[] = { "year", NULL };
	const char *ys, *bad;
	int r;

	r = kh_xml_next(x, err);
	if (r < 0)
		return err->status;
	if (r == 0 || strcmp(kh_xml_name(x), "calendar") != 0)
		return load_error(err, ld, r == 0 ? 0 : kh_xml_line(x),
		    r == 0 ? NULL : kh_xml_name(x),
		    "the root element must be <calendar year=\"YYYY\">", NULL);
	if ((bad = kh_xml_unknown_attr(x, known)) != NULL)
		return load_error(err, ld, kh_xml_line(x), "calendar",
		    "unknown attribute", bad);
	ys = kh_xml_attr(x, "year");
	if (!kh_year_valid(ys) || (ld->year = atoi(ys)) < 1)
		return load_error(err, ld, kh_xml_line(x), "calendar",
		    "year must be four digits (1900..2999), got", ys != NULL ? ys : "(none)");
	return KH_OK;
}

/* Read one <holiday> or <workday> into ld. */
static int
read_entry(struct kh_xml *x, struct cal_load *ld, struct kh_err *err)
{
	static const char *const known[] = { "date", "name", NULL };
	const char *el = kh_xml_name(x), *ds, *name, *bad;
	long line = kh_xml_line(x);
	struct cal_entry *e;
	int y, m, d;

	if (kh_xml_depth(x) != 1 ||
	    (strcmp(el, "holiday") != 0 && strcmp(el, "workday") != 0))
		return load_error(err, ld, line, el,
		    "only <holiday> and <workday> may stand in <calendar>, got", el);
	if ((bad = kh_xml_unknown_attr(x, known)) != NULL)
		return load_error(err, ld, line, el, "unknown attribute", bad);
	ds = kh_xml_attr(x, "date");
	if (kh_date_parse(ds, &y, &m, &d) != 0)
		return load_error(err, ld, line, el,
		    "date must be a real YYYY-MM-DD, got", ds != NULL ? ds : "(none)");
	if (y != ld->year)
		return load_error(err, ld, line, el,
		    "date lies outside the file's year:", ds);
	name = kh_xml_attr(x, "name");
	if (name == NULL)
		name = "";
	if (strlen(name) >= CAL_NAME_MAX)
		return load_error(err, ld, line, el, "name too long:", name);
	if (strcmp(el, "workday") == 0 && kh_date_weekday(y, m, d) != 0 &&
	    kh_date_weekday(y, m, d) != 6)
		return load_error(err, ld, line, el,
		    "a make-up workday must fall on a weekend, got", ds);
	if (ld->nent >= CAL_MAX_ENTRIES)
		return load_error(err, ld, line, el,
		    "too many dates (over 4096)", NULL);
	if (kh_grow(&ld->ent, &ld->cap, ld->nent, sizeof(*ld->ent)) != 0)
		return kh_err_sys(err, KH_FAIL, "calendar: out of memory");
	e = &ld->ent[ld->nent++];
	memset(e, 0, sizeof(*e));
	e->day = kh_date_to_days(y, m, d);
	e->kind = strcmp(el, "holiday") == 0 ? CAL_HOLIDAY : CAL_WORKDAY;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->line = line;
	return KH_OK;
}

/*
 * A date listed twice, in this file or an earlier one, is an error: the
 * message says both places, and whether the two disagree (holiday and
 * workday), which is the mistake a hand-edited calendar usually has.
 */
static int
check_duplicates(const struct kh_calendar *cal, struct cal_load *ld,
    struct kh_err *err)
{
	const struct cal_entry *a, *b;
	char ds[11];
	int y, m, d;
	size_t i;

	qsort(ld->ent, ld->nent, sizeof(*ld->ent), entry_cmp);
	for (i = 0; i < ld->nent; i++) {
		a = &ld->ent[i];
		b = (i > 0 && ld->ent[i - 1].day == a->day) ? &ld->ent[i - 1] : NULL;
		if (b == NULL)
			b = find(cal, a->day);
		if (b == NULL)
			continue;
		kh_date_from_days(a->day, &y, &m, &d);
		kh_date_format(y, m, d, ds);
		return kh_err_set(err, KH_REJECT, ld->file, a->line,
		    a->kind == CAL_HOLIDAY ? "holiday" : "workday", NULL,
		    "calendar: %s is listed twice (also at %s:%ld)%s", ds,
		    b->file != NULL ? b->file : ld->file, b->line,
		    a->kind != b->kind ? ", both as holiday and as workday" : "");
	}
	return KH_OK;
}

/* Merge a checked load into cal; all-or-nothing. */
static int
merge(struct kh_calendar *cal, struct cal_load *ld, struct kh_err *err)
{
	char *fname = NULL;
	size_t i;

	if (cal->nyears == CAL_MAX_YEARS || cal->nent + ld->nent > CAL_MAX_ENTRIES)
		return load_error(err, ld, 0, NULL,
		    "too many calendar files or dates", NULL);
	/* room first: a failure leaves cal as it was (only roomier) */
	if ((fname = strdup(ld->file)) == NULL ||
	    kh_grow(&cal->files, &cal->cap_files, cal->nfiles,
	    sizeof(*cal->files)) != 0 ||
	    kh_grow_n(&cal->ent, &cal->cap_ent, cal->nent, ld->nent,
	    sizeof(*cal->ent)) != 0)
		goto oom;
	cal->files[cal->nfiles++] = fname;
	for (i = 0; i < ld->nent; i++) {
		ld->ent[i].file = fname;
		cal->ent[cal->nent++] = ld->ent[i];
	}
	if (cal->nent > 1)	/* a file of no dates leaves ent NULL */
		qsort(cal->ent, cal->nent, sizeof(*cal->ent), entry_cmp);
	for (i = 0; i < cal->nyears && cal->years[i] != ld->year; i++)
		;
	if (i == cal->nyears)
		cal->years[cal->nyears++] = ld->year;
	return KH_OK;
oom:
	free(fname);
	return kh_err_sys(err, KH_FAIL, "calendar: out of memory");
}

/* Read an opened document into cal (all or nothing); closes x. */
static int
add_xml(struct kh_calendar *cal, struct kh_xml *x, const char *name,
    struct kh_err *err)
{
	struct cal_load ld;
	int rc, r;

	memset(&ld, 0, sizeof(ld));
	ld.file = name;
	if ((rc = read_root(x, &ld, err)) != KH_OK)
		goto out;
	while ((r = kh_xml_next(x, err)) == 1)
		if ((rc = read_entry(x, &ld, err)) != KH_OK)
			goto out;
	if (r < 0) {
		rc = err->status;
		goto out;
	}
	if ((rc = check_duplicates(cal, &ld, err)) != KH_OK)
		goto out;
	rc = merge(cal, &ld, err);
out:
	free(ld.ent);
	kh_xml_close(x);
	return rc;
}

int
kh_calendar_add_file(struct kh_calendar *cal, const char *path,
    struct kh_err *err)
{
	struct kh_xml *x = NULL;
	int rc;

	if ((rc = kh_xml_open(path, &x, err)) != KH_OK)
		return rc;
	return add_xml(cal, x, path, err);
}

int
kh_calendar_add_memory(struct kh_calendar *cal, const char *buf, size_t len,
    const char *name, struct kh_err *err)
{
	struct kh_xml *x = NULL;
	int rc;

	if ((rc = kh_xml_open_memory(buf, len, name, &x, err)) != KH_OK)
		return rc;
	return add_xml(cal, x, name, err);
}

int
kh_calendar_load(const char *path, struct kh_calendar **out, struct kh_err *err)
{
	struct kh_calendar *cal = NULL;
	int rc;

	*out = NULL;
	if ((rc = kh_calendar_new(&cal, err)) != KH_OK)
		return rc;
	if ((rc = kh_calendar_add_file(cal, path, err)) != KH_OK) {
		kh_calendar_free(cal);
		return rc;
	}
	*out = cal;
	return KH_OK;
}

static int
is_calendar_name(const char *n)
{
	size_t len = strlen(n);

	return len > 13 && strncmp(n, "calendar-", 9) == 0 &&
	    strcmp(n + len - 4, ".xml") == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
kh_calendar_load_dir(const char *dir, struct kh_calendar **out,
    struct kh_err *err)
{
	struct kh_calendar *cal = NULL;
	struct dirent *de;
	DIR *dp = NULL;
	char **names = NULL, path[1024];
	size_t n = 0, cap = 0, i;
	int rc = KH_FAIL;

	*out = NULL;
	if ((dp = opendir(dir)) == NULL) {
		rc = kh_err_set(err, KH_FAIL, dir, 0, NULL, NULL,
		    "calendar: cannot open the templates folder");
		goto out;
	}
	while ((de = readdir(dp)) != NULL) {
		if (!is_calendar_name(de->d_name))
			continue;
		if (kh_grow(&names, &cap, n, sizeof(*names)) != 0 ||
		    (names[n] = strdup(de->d_name)) == NULL)
			goto oom;
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	if ((rc = kh_calendar_new(&cal, err)) != KH_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
		    sizeof(path)) {
			rc = kh_err_set(err, KH_FAIL, dir, 0, NULL, NULL,
			    "calendar: path too long");
			goto out;
		}
		if ((rc = kh_calendar_add_file(cal, path, err)) != KH_OK)
			goto out;
	}
	*out = cal;
	cal = NULL;
	rc = KH_OK;
	goto out;
oom:
	rc = kh_err_sys(err, KH_FAIL, "calendar: out of memory");
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (dp != NULL)
		closedir(dp);
	kh_calendar_free(cal);
	return rc;
}

int
kh_calendar_covers(const struct kh_calendar *cal, int y)
{
	size_t i;

	for (i = 0; cal != NULL && i < cal->nyears; i++)
		if (cal->years[i] == y)
			return 1;
	return 0;
}

static int
workday_at(const struct kh_calendar *cal, long day)
{
	const struct cal_entry *e = find(cal, day);
	long w;

	if (e != NULL)
		return e->kind == CAL_WORKDAY;
	w = (day + 4) % 7;
	if (w < 0)
		w += 7;
	return w != 0 && w != 6;
}

int
kh_calendar_is_workday(const struct kh_calendar *cal, int y, int m, int d)
{
	if (!kh_date_valid(y, m, d))
		return -1;
	return workday_at(cal, kh_date_to_days(y, m, d));
}

const char *
kh_calendar_name(const struct kh_calendar *cal, int y, int m, int d)
{
	const struct cal_entry *e;

	if (!kh_date_valid(y, m, d))
		return NULL;
	e = find(cal, kh_date_to_days(y, m, d));
	return e != NULL ? e->name : NULL;
}

int
kh_calendar_add_workdays(const struct kh_calendar *cal, const char *date,
    int n, char out[11])
{
	long day, lo, hi;
	int y, m, d, step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;

	if (kh_date_parse(date, &y, &m, &d) != 0)
		return KH_USAGE;
	day = kh_date_to_days(y, m, d);
	lo = kh_date_to_days(1, 1, 1);
	hi = kh_date_to_days(9999, 12, 31);
	/* Terminates: at most CAL_MAX_ENTRIES listed dates, the rest is weekly. */
	while (left > 0) {
		day += step;
		if (day < lo || day > hi)
			return KH_USAGE;
		if (workday_at(cal, day))
			left--;
	}
	kh_date_from_days(day, &y, &m, &d);
	kh_date_format(y, m, d, out);
	return KH_OK;
}

int
kh_calendar_nth_workday_of_month(const struct kh_calendar *cal,
    const char *month, int n, char out[11])
{
	int y, m, d, dim;

	if (kh_month_parse(month, &y, &m) != 0 || n < 1)
		return KH_USAGE;
	dim = kh_date_days_in_month(y, m);
	for (d = 1; d <= dim; d++)
		if (workday_at(cal, kh_date_to_days(y, m, d)) && --n == 0) {
			kh_date_format(y, m, d, out);
			return KH_OK;
		}
	return KH_USAGE;
}
