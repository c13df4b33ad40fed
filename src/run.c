/*
 * run.c — one invocation's work (see run.h).  The only module that moves
 * data between the store, the scoring core and the outputs:
 *
 *	exports --import.c--> store --kh_store_load_month--> kh_month_input
 *	  --kh_score_month--> kh_month_result --results.c--> store
 *	  --kh_results_load--> documents, scores.csv   (never recomputed)
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "chain.h"
#include "csvout.h"
#include "decimal.h"
#include "docs.h"
#include "import.h"
#include "outdir.h"
#include "results.h"
#include "run.h"
#include "scheme.h"
#include "score.h"
#include "store.h"
#include "trail.h"
#include "xmlin.h"

#define MAX_SCHEMES 8

struct kh_run {
	struct kh_run_opts	 opts;
	struct kh_store		*store;
	struct kh_calendar	*calendar;
	struct {
		int		 year;
		struct kh_scheme *scheme;
	}			 schemes[MAX_SCHEMES];
	size_t			 n_schemes;
};

/* Copy src into dst[size], truncating (on a character boundary is not needed: display only). */
static void
scopy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- messages ------------------------------------------------------------ */

static void
sayf(struct kh_run *r, enum kh_say_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sayf(struct kh_run *r, enum kh_say_level level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	if (r->opts.say == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->opts.say(r->opts.say_arg, level, buf);
}

/* Report err at its own grade; returns its status. */
static int
say_err(struct kh_run *r, const struct kh_err *err, int st)
{
	char buf[2048];

	if (st == KH_OK)
		return st;
	sayf(r, st == KH_REJECT ? KH_SAY_WARN : KH_SAY_ERROR, "%s",
	    kh_err_format(err, buf, sizeof(buf)));
	return st;
}

/* ---- opening ------------------------------------------------------------- */

int
kh_run_open(const struct kh_run_opts *opts, struct kh_run **out,
    struct kh_err *err)
{
	struct kh_run *r = NULL;
	int rc = KH_FAIL;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	r->opts = *opts;
	if ((rc = kh_store_open(opts->db, &r->store, err)) != KH_OK)
		goto out;
	if ((rc = kh_results_migrate(r->store, err)) != KH_OK)
		goto out;
	if ((rc = kh_calendar_load_dir(opts->templates, &r->calendar, err))
	    != KH_OK)
		goto out;
	*out = r;
	r = NULL;
	rc = KH_OK;
out:
	kh_run_close(r);
	return rc;
}

void
kh_run_close(struct kh_run *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_schemes; i++)
		kh_scheme_free(r->schemes[i].scheme);
	kh_calendar_free(r->calendar);
	kh_store_close(r->store);
	free(r);
}

/*
 * The scheme in force for a year: templates/scheme-YYYY.xml, else the
 * newest scheme-*.xml of an earlier year (a method stays in force until
 * a new one is issued).  Loaded once per run.
 */
static int
scheme_for_year(struct kh_run *r, int year, const struct kh_scheme **out,
    struct kh_err *err)
{
	DIR *d = NULL;
	struct dirent *e;
	char path[4096];
	int best = 0, y, rc;
	size_t i;

	*out = NULL;
	for (i = 0; i < r->n_schemes; i++)
		if (r->schemes[i].year == year) {
			*out = r->schemes[i].scheme;
			return KH_OK;
		}
	if ((d = opendir(r->opts.templates)) == NULL)
		return kh_err_sys(err, KH_FAIL, "%s: %s", r->opts.templates,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, "scheme-%4d.xml", &y) == 1 &&
		    strlen(e->d_name) == strlen("scheme-0000.xml") &&
		    y <= year && y > best)
			best = y;
	}
	closedir(d);
	if (best == 0)
		return kh_err_sys(err, KH_FAIL, "no assessment scheme for %d "
		    "in %s (scheme-%d.xml)", year, r->opts.templates, year);
	if (r->n_schemes == MAX_SCHEMES)
		return kh_err_sys(err, KH_FAIL, "too many schemes in one run");
	snprintf(path, sizeof(path), "%s/scheme-%04d.xml", r->opts.templates,
	    best);
	if ((rc = kh_scheme_load(path, &r->schemes[r->n_schemes].scheme, err))
	    != KH_OK)
		return rc;
	r->schemes[r->n_schemes].year = year;
	*out = r->schemes[r->n_schemes++].scheme;
	return KH_OK;
}

static int
month_year(const char *month)
{
	return atoi(month);
}

/* ---- import -------------------------------------------------------------- */

struct pathlist {
	char	**v;
	size_t	  n, cap;
};

static int
pathlist_add(struct pathlist *l, const char *p)
{
	char **grown;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((grown = realloc(l->v, l->cap * sizeof(*grown))) == NULL)
			return -1;
		l->v = grown;
	}
	if ((l->v[l->n] = strdup(p)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void
pathlist_free(struct pathlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.xml under dir, hidden entries skipped, depth-limited. */
static int
list_xml(const char *dir, int depth, struct pathlist *l)
{
	DIR *d;
	struct dirent *e;
	struct stat sb;
	char path[4096];
	size_t len;
	int rc = 0;

	if (depth > 8 || (d = opendir(dir)) == NULL)
		return depth == 0 ? -1 : 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &sb) != 0)
			continue;
		len = strlen(e->d_name);
		if (S_ISDIR(sb.st_mode))
			rc = list_xml(path, depth + 1, l);
		else if (S_ISREG(sb.st_mode) && len > 4 &&
		    strcmp(e->d_name + len - 4, ".xml") == 0)
			rc = pathlist_add(l, path);
	}
	closedir(d);
	return rc;
}

/*
 * The year of an export, from its root's period, to pick the scheme that
 * validates it (item codes, indicators).  An unreadable root gives this
 * year's: the importer then rejects the file with the real reason.
 */
static int
file_year(const char *path)
{
	struct kh_xml *x = NULL;
	struct kh_err err;
	const char *period;
	time_t now = time(NULL);
	struct tm tm;
	int year;

	localtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	kh_err_clear(&err);
	if (kh_xml_open(path, &x, &err) == KH_OK &&
	    kh_xml_next(x, &err) == 1 &&
	    (period = kh_xml_attr(x, "period")) != NULL &&
	    strlen(period) >= 4 && strspn(period, "0123456789") >= 4)
		year = atoi(period);
	kh_xml_close(x);
	return year;
}

/*
 * One line per file: always for `kaohe import`; for `run`, only files
 * that brought something new (the nightly log stays short).
 */
static void
report_summary(struct kh_run *r, const struct kh_import_summary *sum,
    int explicit)
{
	size_t i;

	sayf(r, sum->outcome == KH_IMPORT_IMPORTED || explicit ?
	    KH_SAY_INFO : KH_SAY_DEBUG, "%s: %s; %s", sum->file, sum->counts,
	    sum->outcome_text);
	for (i = 0; i < sum->n_warnings && i < KH_IMPORT_MAX_WARNINGS; i++)
		sayf(r, KH_SAY_WARN, "%s", sum->warnings[i]);
	if (sum->n_warnings > KH_IMPORT_MAX_WARNINGS)
		sayf(r, KH_SAY_WARN, "%s: %zu more warnings", sum->file,
		    sum->n_warnings - KH_IMPORT_MAX_WARNINGS);
}

int
kh_run_import(struct kh_run *r, const char *const *paths, size_t n)
{
	struct pathlist l = { NULL, 0, 0 };
	struct kh_import_summary sum;
	struct kh_err err;
	const struct kh_scheme *scheme;
	const char *path;
	size_t i, *order = NULL;
	int worst = KH_OK, st, imported = 0, rejected = 0;

	kh_err_clear(&err);
	if (paths == NULL) {
		if (list_xml(r->opts.input, 0, &l) != 0) {
			sayf(r, KH_SAY_ERROR, "%s: cannot read the input "
			    "folder: %s", r->opts.input, strerror(errno));
			worst = KH_FAIL;
			goto out;
		}
	} else {
		for (i = 0; i < n; i++)
			if (pathlist_add(&l, paths[i]) != 0) {
				worst = KH_FAIL;
				goto out;
			}
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_str);
	if (l.n > 0 && (order = calloc(l.n, sizeof(*order))) == NULL) {
		worst = KH_FAIL;
		goto out;
	}
	if ((st = kh_import_order((const char *const *)l.v, l.n, order,
	    &err)) != KH_OK) {
		worst = say_err(r, &err, st);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		path = l.v[order[i]];
		kh_err_clear(&err);
		memset(&sum, 0, sizeof(sum));
		if ((st = scheme_for_year(r, file_year(path), &scheme, &err))
		    != KH_OK) {
			worst = kh_worst(worst, say_err(r, &err, st));
			break;
		}
		st = kh_import_file(r->store, scheme, path, &sum, &err);
		if (st == KH_OK) {
			report_summary(r, &sum, paths != NULL);
			if (sum.outcome == KH_IMPORT_IMPORTED)
				imported++;
		} else {
			rejected++;
			say_err(r, &err, st);
		}
		worst = kh_worst(worst, st);
		if (st >= KH_FAIL)
			break;
	}
	if (paths == NULL)
		sayf(r, imported ? KH_SAY_INFO : KH_SAY_DEBUG,
		    "%zu file(s) read, %d imported, %d rejected", l.n,
		    imported, rejected);
out:
	free(order);
	pathlist_free(&l);
	return worst;
}

int
kh_run_newest_month(struct kh_run *r, char month[8])
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_newest_month(r->store, month, &err)) != KH_OK)
		return say_err(r, &err, st);
	if (month[0] == '\0') {
		sayf(r, KH_SAY_ERROR, "nothing has been imported yet: put the "
		    "exports in %s/ or name a month with --month",
		    r->opts.input);
		return KH_REJECT;
	}
	return KH_OK;
}

/* ---- scoring ------------------------------------------------------------- */

static void
hash_str(struct kh_sha256 *h, const char *s)
{
	kh_sha256_update(h, s, strlen(s) + 1);	/* NUL separates fields */
}

static void
hash_int(struct kh_sha256 *h, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	hash_str(h, buf);
}

/*
 * The input fingerprint: SHA-256 over a canonical serialisation of
 * everything scoring reads.  Equal fingerprints mean equal results, so a
 * rerun on unchanged data stores nothing and renders the same bytes.
 */
static void
fingerprint(const struct kh_scheme *s, const struct kh_month_input *in,
    char hex[65])
{
	struct kh_sha256 *h = kh_sha256_new();
	size_t i;

	if (h == NULL) {
		hex[0] = '\0';
		return;
	}
	hash_str(h, s->sha256);
	hash_str(h, in->month);
	for (i = 0; i < in->n_managers; i++) {
		hash_str(h, in->managers[i].id);
		hash_str(h, in->managers[i].name);
		hash_str(h, in->managers[i].group);
		hash_int(h, in->managers[i].left);
	}
	for (i = 0; i < in->n_customers; i++) {
		hash_str(h, in->customers[i].id);
		hash_str(h, in->customers[i].manager);
		hash_int(h, in->customers[i].open);
	}
	for (i = 0; i < in->n_brands; i++) {
		hash_str(h, in->brands[i].code);
		hash_int(h, in->brands[i].price_class);
		hash_int(h, in->brands[i].tar);
	}
	for (i = 0; i < in->n_key_brands; i++)
		hash_str(h, in->key_brands[i]);
	for (i = 0; i < in->n_targets; i++) {
		hash_str(h, in->targets[i].manager);
		hash_str(h, in->targets[i].indicator);
		hash_int(h, in->targets[i].value);
		hash_int(h, in->targets[i].has_points);
		hash_int(h, in->targets[i].points);
	}
	for (i = 0; i < in->n_volumes; i++) {
		hash_str(h, in->volumes[i].manager);
		hash_str(h, in->volumes[i].brand);
		hash_int(h, in->volumes[i].qty);
		hash_int(h, in->volumes[i].amount);
	}
	for (i = 0; i < in->n_shelves; i++) {
		hash_str(h, in->shelves[i].customer);
		hash_str(h, in->shelves[i].brand);
	}
	for (i = 0; i < in->n_records; i++) {
		const struct kh_record *x = &in->records[i];

		hash_str(h, x->id);
		hash_str(h, x->date);
		hash_str(h, x->manager);
		hash_str(h, x->item);
		hash_int(h, x->count);
		hash_str(h, x->customer);
		hash_int(h, x->value);
		hash_int(h, x->required);
		hash_int(h, x->points);
		hash_str(h, x->recorder);
		hash_str(h, x->note);
		hash_int(h, x->voided);
		hash_str(h, x->void_id);
	}
	kh_sha256_final(h, hex);
}

/* Scoring time: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
static void
now_iso(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde != NULL ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static int
month_closed(struct kh_run *r, const char *month, int *closed)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_month_closed(r->store, month, closed, &err))
	    != KH_OK)
		return say_err(r, &err, st);
	return KH_OK;
}

int
kh_run_score(struct kh_run *r, const char *month)
{
	struct kh_month_input in;
	struct kh_month_result res;
	struct kh_run_meta meta;
	const struct kh_scheme *scheme;
	struct kh_err err;
	size_t i;
	int st, closed, stored, worst = KH_OK;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	memset(&meta, 0, sizeof(meta));
	kh_err_clear(&err);
	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		sayf(r, KH_SAY_WARN, "%s is closed: its results are final and "
		    "are not recomputed (kaohe reopen %s --reason ...)", month,
		    month);
		return KH_REJECT;
	}
	if ((st = scheme_for_year(r, month_year(month), &scheme, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_store_load_month(r->store, month, &in, &err)) != KH_OK)
		goto out;
	if ((st = kh_score_month(scheme, &in, &res, &err)) != KH_OK)
		goto out;
	scopy(meta.scheme_id, sizeof(meta.scheme_id), scheme->id);
	scopy(meta.scheme_sha256, sizeof(meta.scheme_sha256), scheme->sha256);
	fingerprint(scheme, &in, meta.fingerprint);
	now_iso(meta.scored_at);
	if ((st = kh_results_save(r->store, &res, &meta, &stored, &err))
	    != KH_OK)
		goto out;
	sayf(r, KH_SAY_INFO, "%s scored: %zu managers%s", month, res.n,
	    stored ? "" : " (inputs unchanged, results kept)");
	for (i = 0; i < res.n; i++)
		if (res.results[i].incomplete) {
			sayf(r, KH_SAY_WARN, "%s: %s %s is incomplete: %s",
			    month, res.results[i].manager,
			    res.results[i].name, res.results[i].reason);
			worst = KH_REJECT;
		}
out:
	kh_month_input_clear(&in);
	kh_month_result_clear(&res);
	if (st != KH_OK)
		return say_err(r, &err, st);
	return worst;
}

/* ---- the trail as plain data (for trail.pdf) ------------------------------ */

static void *
grow(void *v, size_t n, size_t *cap, size_t size)
{
	void *g;

	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 32;
	if ((g = realloc(v, *cap * size)) == NULL)
		return NULL;
	return g;
}

struct trail_fill {
	struct kh_trail	*t;
	size_t		 cap_files, cap_targets, cap_records, cap_events;
};

static int
fill_file(const struct kh_ledger_entry *e, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_file *x;
	void *g;

	if ((g = grow(f->t->files, f->t->n_files, &f->cap_files,
	    sizeof(*x))) == NULL)
		return KH_FAIL;
	f->t->files = g;
	x = &f->t->files[f->t->n_files++];
	memset(x, 0, sizeof(*x));
	x->id = e->id;
	scopy(x->name, sizeof(x->name), e->name);
	scopy(x->kind, sizeof(x->kind), e->kind);
	scopy(x->period, sizeof(x->period), e->period);
	scopy(x->generated, sizeof(x->generated), e->generated);
	scopy(x->sha256, sizeof(x->sha256), e->sha256);
	scopy(x->imported_at, sizeof(x->imported_at), e->imported_at);
	scopy(x->encoding, sizeof(x->encoding), e->encoding);
	scopy(x->summary, sizeof(x->summary), e->summary);
	if (e->superseded_by != 0)
		snprintf(x->outcome, sizeof(x->outcome), "被 #%ld 取代 (%s)",
		    e->superseded_by, e->superseded_by_generated);
	else
		snprintf(x->outcome, sizeof(x->outcome), "有效");
	return KH_OK;
}

static int
fill_targets(const struct kh_targets_revision *rev, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_target *x;
	size_t i;
	void *g;

	for (i = 0; i < rev->n_targets; i++) {
		if ((g = grow(f->t->targets, f->t->n_targets, &f->cap_targets,
		    sizeof(*x))) == NULL)
			return KH_FAIL;
		f->t->targets = g;
		x = &f->t->targets[f->t->n_targets++];
		memset(x, 0, sizeof(*x));
		x->file_id = rev->file_id;
		scopy(x->generated, sizeof(x->generated), rev->generated);
		x->in_force = rev->in_force;
		scopy(x->manager, sizeof(x->manager), rev->targets[i].manager);
		scopy(x->indicator, sizeof(x->indicator), rev->targets[i].indicator);
		x->value = rev->targets[i].value;
		x->has_points = rev->targets[i].has_points;
		x->points = rev->targets[i].points;
	}
	return KH_OK;
}

static int
fill_record(const struct kh_trail_record *rec, void *arg)
{
	struct trail_fill *f = arg;
	size_t cap = f->cap_records;
	void *g, *h;

	if ((g = grow(f->t->records, f->t->n_records, &f->cap_records,
	    sizeof(struct kh_record))) == NULL)
		return KH_FAIL;
	f->t->records = g;
	if (cap != f->cap_records) {
		if ((h = realloc(f->t->record_file, f->cap_records *
		    sizeof(int64_t))) == NULL)
			return KH_FAIL;
		f->t->record_file = h;
	}
	f->t->records[f->t->n_records] = rec->r;
	f->t->record_file[f->t->n_records] = 0;
	f->t->n_records++;
	return KH_OK;
}

static int
fill_event(const struct kh_month_event *e, void *arg)
{
	struct trail_fill *f = arg;
	struct kh_trail_event *x;
	void *g;

	if ((g = grow(f->t->events, f->t->n_events, &f->cap_events,
	    sizeof(*x))) == NULL)
		return KH_FAIL;
	f->t->events = g;
	x = &f->t->events[f->t->n_events++];
	memset(x, 0, sizeof(*x));
	scopy(x->at, sizeof(x->at), e->at);
	scopy(x->action, sizeof(x->action), e->event);
	scopy(x->reason, sizeof(x->reason), e->reason);
	return KH_OK;
}

static int
load_trail(struct kh_run *r, const char *month, struct kh_trail *t,
    struct kh_err *err)
{
	struct trail_fill f;
	int st;

	memset(t, 0, sizeof(*t));
	memset(&f, 0, sizeof(f));
	f.t = t;
	scopy(t->month, sizeof(t->month), month);
	if ((st = kh_store_trail_ledger(r->store, month, fill_file, &f, err))
	    != KH_OK ||
	    (st = kh_store_trail_targets(r->store, month, fill_targets, &f,
	    err)) != KH_OK ||
	    (st = kh_store_trail_records(r->store, month, NULL, fill_record,
	    &f, err)) != KH_OK ||
	    (st = kh_store_trail_events(r->store, month, fill_event, &f,
	    err)) != KH_OK) {
		if (err->msg[0] == '\0')
			kh_err_sys(err, KH_FAIL, "out of memory");
		kh_trail_clear(t);
	}
	return st;
}

/* ---- rendering ----------------------------------------------------------- */

/*
 * A manager id as a file name: ids are [0-9A-Za-z_.-]{1,32} (checked at
 * import), so only a leading dot ("..", ".x") could misbehave.
 */
static void
safe_name(const char *id, char out[40])
{
	snprintf(out, 40, "%s%s", id[0] == '.' ? "_" : "", id);
}

struct render_job {
	struct kh_run		*r;
	const char		*month;
	const char		*relroot;	/* "2013-05" or "2013" */
	const char		*doc;		/* file being written, relative */
	struct kh_outdir	*od;
	struct pathlist		 written;	/* paths relative to relroot */
	struct kh_trail_glyph	*glyphs;	/* drawn as 〓, for the trail */
	size_t			 n_glyphs, cap_glyphs;
};

/*
 * A character the font lacks: warn (naming the document and the text it
 * stood in, so the manager or record can be found) and keep it for the
 * trail and the database.
 */
static void
on_missing(void *arg, const char *doc, const struct kh_missing *m)
{
	struct render_job *j = arg;
	struct kh_trail_glyph *g;
	void *grown;

	(void)doc;
	sayf(j->r, KH_SAY_WARN, "%s/%s: U+%04X is not in the font, drawn as "
	    "〓 (in \"%s\")", j->relroot, j->doc, (unsigned)m->cp, m->context);
	if ((grown = grow(j->glyphs, j->n_glyphs, &j->cap_glyphs,
	    sizeof(*g))) == NULL)
		return;
	j->glyphs = grown;
	g = &j->glyphs[j->n_glyphs++];
	memset(g, 0, sizeof(*g));
	scopy(g->doc, sizeof(g->doc), j->doc);
	g->cp = m->cp;
	scopy(g->context, sizeof(g->context), m->context);
}

static int
job_path(struct render_job *j, const char *rel, char path[4096])
{
	if ((size_t)snprintf(path, 4096, "%s/%s", kh_outdir_path(j->od), rel)
	    >= 4096)
		return -1;
	if (pathlist_add(&j->written, rel) != 0)
		return -1;
	j->doc = j->written.v[j->written.n - 1];
	return 0;
}

/* Record each written file's SHA-256, then swap the folder into place. */
static int
job_commit(struct render_job *j, int64_t run_id, struct kh_err *err)
{
	char path[8448], rel[4200], hex[KH_SHA256_HEX];
	size_t i;
	int st;

	if ((st = kh_store_begin(j->r->store, err)) != KH_OK)
		return st;
	for (i = 0; i < j->written.n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    kh_outdir_path(j->od), j->written.v[i]) >= sizeof(path) ||
		    (size_t)snprintf(rel, sizeof(rel), "%s/%s", j->relroot,
		    j->written.v[i]) >= sizeof(rel)) {
			st = kh_err_sys(err, KH_FAIL, "output path too long");
			goto fail;
		}
		if ((st = kh_sha256_file(path, hex, err)) != KH_OK ||
		    (st = kh_results_note_output(j->r->store, run_id, rel, hex,
		    err)) != KH_OK)
			goto fail;
	}
	for (i = 0; i < j->n_glyphs; i++)
		if ((st = kh_results_note_glyph(j->r->store, run_id,
		    j->glyphs[i].doc, j->glyphs[i].cp, j->glyphs[i].context,
		    err)) != KH_OK)
			goto fail;
	if ((st = kh_outdir_commit(j->od, err)) != KH_OK)
		goto fail;
	return kh_store_commit(j->r->store, err);
fail:
	kh_store_rollback(j->r->store);
	return st;
}

static int
write_csv(struct render_job *j, const struct kh_scheme *s,
    const struct kh_month_result *res, int final, struct kh_err *err)
{
	char path[4096];
	FILE *f;
	int st;

	if (job_path(j, "scores.csv", path) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((f = fopen(path, "wb")) == NULL)
		return kh_err_sys(err, KH_FAIL, "%s: %s", path,
		    strerror(errno));
	st = kh_csv_write_scores(f, s, res, final ? "final" : "provisional",
	    err);
	if (fclose(f) != 0 && st == KH_OK)
		st = kh_err_sys(err, KH_FAIL, "%s: %s", path, strerror(errno));
	return st;
}

/* Year-to-date total of a manager: closed earlier months + this one. */
static int64_t
ytd_total(struct kh_run *r, const char *month, const struct kh_result *x)
{
	struct kh_month_result prev;
	struct kh_run_meta meta;
	struct kh_err err;
	char m[32];
	int64_t sum = x->incomplete ? 0 : x->total;
	int y = atoi(month), mo = atoi(month + 5), k, closed;
	size_t i;

	for (k = 1; k < mo; k++) {
		snprintf(m, sizeof(m), "%04d-%02d", y % 10000, k);
		kh_err_clear(&err);
		if (kh_store_month_closed(r->store, m, &closed, &err) != KH_OK ||
		    !closed ||
		    kh_results_load(r->store, m, &prev, &meta, &err) != KH_OK)
			continue;
		for (i = 0; i < prev.n; i++)
			if (strcmp(prev.results[i].manager, x->manager) == 0 &&
			    !prev.results[i].incomplete)
				sum += prev.results[i].total;
		kh_month_result_clear(&prev);
	}
	return sum;
}

static int
write_docs(struct render_job *j, struct kh_docs_ctx *ctx,
    const struct kh_month_result *res, struct kh_err *err)
{
	struct kh_trail trail;
	char path[4096], rel[64], name[40];
	size_t i, ranked = 0;
	int st;

	for (i = 0; i < res->n; i++)
		if (res->results[i].rank > 0)
			ranked++;
	if ((st = kh_outdir_mkdir(j->od, "scorecards", err)) != KH_OK)
		return st;
	for (i = 0; i < res->n; i++) {
		safe_name(res->results[i].manager, name);
		snprintf(rel, sizeof(rel), "scorecards/%s.pdf", name);
		if (job_path(j, rel, path) != 0)
			return kh_err_sys(err, KH_FAIL, "out of memory");
		if ((st = kh_docs_scorecard(ctx, res, &res->results[i],
		    ytd_total(j->r, j->month, &res->results[i]), ranked, path,
		    err)) != KH_OK)
			return st;
	}
	if (job_path(j, "team.pdf", path) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if ((st = kh_docs_team(ctx, res, path, err)) != KH_OK)
		return st;
	if ((st = load_trail(j->r, j->month, &trail, err)) != KH_OK)
		return st;
	if (j->n_glyphs > 0 && (trail.glyphs = calloc(j->n_glyphs,
	    sizeof(*trail.glyphs))) != NULL) {
		memcpy(trail.glyphs, j->glyphs, j->n_glyphs *
		    sizeof(*trail.glyphs));
		trail.n_glyphs = j->n_glyphs;
	}
	if (job_path(j, "trail.pdf", path) != 0)
		st = kh_err_sys(err, KH_FAIL, "out of memory");
	else
		st = kh_docs_trail(ctx, res, &trail, path, err);
	kh_trail_clear(&trail);
	return st;
}

static void
docs_ctx(struct kh_run *r, const struct kh_scheme *s,
    const struct kh_run_meta *meta, int final, char unit[KH_CODE_MAX],
    char unit_name[256], struct render_job *j, struct kh_docs_ctx *ctx)
{
	struct kh_err err;

	kh_err_clear(&err);
	if (kh_store_unit(r->store, unit, unit_name, &err) != KH_OK)
		unit[0] = unit_name[0] = '\0';
	memset(ctx, 0, sizeof(*ctx));
	ctx->templates_dir = r->opts.templates;
	ctx->scheme = s;
	ctx->calendar = r->calendar;
	ctx->unit_code = unit;
	/* an export without unit-name: the code, set apart from the title */
	if (unit_name[0] == '\0')
		snprintf(unit_name, 256, "%s ", unit);
	ctx->unit_name = unit_name;
	ctx->final = final;
	ctx->meta = meta;
	ctx->missing = on_missing;
	ctx->missing_arg = j;
}

int
kh_run_render_month(struct kh_run *r, const char *month)
{
	struct render_job j;
	struct kh_month_result res;
	struct kh_run_meta meta;
	struct kh_docs_ctx ctx;
	const struct kh_scheme *s;
	struct kh_err err;
	char unit[KH_CODE_MAX], unit_name[256];
	int st, closed;

	memset(&j, 0, sizeof(j));
	memset(&res, 0, sizeof(res));
	kh_err_clear(&err);
	j.r = r;
	j.month = month;
	j.relroot = month;
	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if ((st = kh_results_load(r->store, month, &res, &meta, &err))
	    != KH_OK)
		goto out;
	if ((st = scheme_for_year(r, month_year(month), &s, &err)) != KH_OK)
		goto out;
	kh_outdir_sweep(r->opts.output);
	if ((st = kh_outdir_begin(r->opts.output, month, &j.od, &err))
	    != KH_OK)
		goto out;
	docs_ctx(r, s, &meta, closed, unit, unit_name, &j, &ctx);
	if ((st = write_csv(&j, s, &res, closed, &err)) != KH_OK ||
	    (st = write_docs(&j, &ctx, &res, &err)) != KH_OK ||
	    (st = job_commit(&j, meta.run_id, &err)) != KH_OK)
		goto out;
	sayf(r, KH_SAY_INFO, "%s/%s/: scores.csv, %zu scorecards, team.pdf, "
	    "trail.pdf (%s)", r->opts.output, month, res.n,
	    closed ? "final" : "provisional");
out:
	kh_outdir_free(j.od);
	pathlist_free(&j.written);
	free(j.glyphs);
	kh_month_result_clear(&res);
	return say_err(r, &err, st);
}

/* ---- the year ------------------------------------------------------------ */

int
kh_run_annual(struct kh_run *r, int year)
{
	struct render_job j;
	struct kh_month_result months[12];
	struct kh_run_meta meta, last;
	struct kh_annual_row *rows = NULL;
	struct kh_docs_ctx ctx;
	const struct kh_scheme *s;
	struct kh_err err;
	char m[32], path[4096], unit[KH_CODE_MAX], unit_name[256], yname[8];
	size_t n = 0, nrows = 0, i;
	int st, closed, k;
	FILE *f;

	memset(&j, 0, sizeof(j));
	memset(&last, 0, sizeof(last));
	kh_err_clear(&err);
	j.r = r;
	snprintf(yname, sizeof(yname), "%04d", year % 10000);
	j.relroot = yname;
	for (k = 1; k <= 12; k++) {
		snprintf(m, sizeof(m), "%04d-%02d", year % 10000, k);
		if ((st = kh_store_month_closed(r->store, m, &closed, &err))
		    != KH_OK)
			goto out;
		if (!closed)
			continue;
		if ((st = kh_results_load(r->store, m, &months[n], &meta,
		    &err)) != KH_OK)
			goto out;
		last = meta;
		n++;
	}
	if (n == 0) {
		st = kh_err_sys(&err, KH_REJECT, "no month of %d is closed yet "
		    "(kaohe close YYYY-MM)", year);
		goto out;
	}
	if ((st = scheme_for_year(r, year, &s, &err)) != KH_OK ||
	    (st = kh_score_year(months, n, &rows, &nrows, &err)) != KH_OK)
		goto out;
	if ((st = kh_outdir_begin(r->opts.output, yname, &j.od, &err))
	    != KH_OK)
		goto out;
	if (job_path(&j, "annual.csv", path) != 0 ||
	    (f = fopen(path, "wb")) == NULL) {
		st = kh_err_sys(&err, KH_FAIL, "%s: cannot write", path);
		goto out;
	}
	st = kh_csv_write_annual(f, year, rows, nrows, &err);
	if (fclose(f) != 0 && st == KH_OK)
		st = kh_err_sys(&err, KH_FAIL, "%s: %s", path, strerror(errno));
	if (st != KH_OK)
		goto out;
	docs_ctx(r, s, &last, 1, unit, unit_name, &j, &ctx);
	if (job_path(&j, "annual.pdf", path) != 0) {
		st = kh_err_sys(&err, KH_FAIL, "out of memory");
		goto out;
	}
	if ((st = kh_docs_annual(&ctx, year, months, n, rows, nrows, path,
	    &err)) != KH_OK ||
	    (st = job_commit(&j, last.run_id, &err)) != KH_OK)
		goto out;
	sayf(r, KH_SAY_INFO, "%s/%04d/: annual.csv, annual.pdf (%zu closed "
	    "month(s), %zu managers)", r->opts.output, year % 10000, n, nrows);
out:
	for (i = 0; i < n; i++)
		kh_month_result_clear(&months[i]);
	kh_annual_free(rows);
	kh_outdir_free(j.od);
	pathlist_free(&j.written);
	free(j.glyphs);
	return say_err(r, &err, st);
}

/* ---- month state ---------------------------------------------------------- */

int
kh_run_close_month(struct kh_run *r, const char *month)
{
	struct kh_err err;
	int st, closed, worst;

	kh_err_clear(&err);
	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		sayf(r, KH_SAY_WARN, "%s is already closed", month);
		return KH_USAGE;
	}
	/* Close what the data says now: score first (no-op if unchanged). */
	worst = kh_run_score(r, month);
	if (worst >= KH_USAGE)
		return worst;
	if ((st = kh_store_close_month(r->store, month, &err)) != KH_OK)
		return say_err(r, &err, st);
	sayf(r, KH_SAY_INFO, "%s closed: results are final", month);
	return kh_worst(worst, kh_run_render_month(r, month));
}

int
kh_run_reopen_month(struct kh_run *r, const char *month, const char *reason)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_reopen_month(r->store, month, reason, &err))
	    != KH_OK)
		return say_err(r, &err, st);
	sayf(r, KH_SAY_INFO, "%s reopened (%s): results are provisional "
	    "until it is closed again", month, reason);
	return kh_run_render_month(r, month);
}

int
kh_run_month(struct kh_run *r, const char *month, int final)
{
	int st, closed, worst = KH_OK;

	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		sayf(r, KH_SAY_DEBUG, "%s is closed: rendering its final "
		    "results", month);
		return kh_run_render_month(r, month);
	}
	if (final)
		return kh_run_close_month(r, month);
	worst = kh_run_score(r, month);
	if (worst >= KH_USAGE)
		return worst;
	return kh_worst(worst, kh_run_render_month(r, month));
}

/* ---- looking things up ---------------------------------------------------- */

static int
print_glyph(const char *doc, uint32_t cp, const char *context, void *arg)
{
	fprintf(arg, "  %s: U+%04X in \"%s\"\n", doc, (unsigned)cp, context);
	return KH_OK;
}

/*
 * The stored computation of a month: every explanation line of the run
 * in force, so that each number of scores.csv can be followed back to
 * the targets and records printed above it.
 */
static int
print_results(struct kh_run *r, const char *month, const char *manager,
    FILE *out, struct kh_err *err)
{
	struct kh_month_result res;
	struct kh_run_meta meta;
	const struct kh_result *x;
	char a[32], b[32];
	size_t i, k;
	int st, closed;

	if ((st = kh_store_month_closed(r->store, month, &closed, err))
	    != KH_OK)
		return st;
	st = kh_results_load(r->store, month, &res, &meta, err);
	if (st == KH_REJECT) {
		fprintf(out, "Results of %s: not scored yet\n", month);
		kh_err_clear(err);
		return KH_OK;
	}
	if (st != KH_OK)
		return st;
	fprintf(out, "Results of %s (%s): run #%lld, scored %s, scheme %s, "
	    "inputs %s\n", month, closed ? "final" : "provisional",
	    (long long)meta.run_id, meta.scored_at, meta.scheme_id,
	    meta.fingerprint);
	for (i = 0; i < res.n; i++) {
		x = &res.results[i];
		if (manager != NULL && strcmp(manager, x->manager) != 0)
			continue;
		if (x->incomplete)
			fprintf(out, "  %s %s: incomplete: %s\n", x->manager,
			    x->name, x->reason);
		else
			fprintf(out, "  %s %s: total %s, rank %d\n", x->manager,
			    x->name, kh_dec_format(x->total, 2, a, sizeof(a)),
			    x->rank);
		for (k = 0; k < res.n_lines; k++) {
			if (strcmp(res.lines[k].manager, x->manager) != 0)
				continue;
			fprintf(out, "      %2d. %s", res.lines[k].seq,
			    res.lines[k].text);
			if (res.lines[k].has_points)
				fprintf(out, "  [%s]", kh_dec_format(
				    res.lines[k].points, 2, b, sizeof(b)));
			fputc('\n', out);
		}
	}
	fprintf(out, "Characters not in the font, printed as 〓:\n");
	if ((st = kh_results_glyphs(r->store, meta.run_id, print_glyph, out,
	    err)) != KH_OK) {
		kh_month_result_clear(&res);
		return st;
	}
	kh_month_result_clear(&res);
	return KH_OK;
}

int
kh_run_trail(struct kh_run *r, const char *month, const char *manager,
    FILE *out)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	st = kh_store_trail_print(r->store, month, manager, out, &err);
	if (st == KH_OK && month != NULL)
		st = print_results(r, month, manager, out, &err);
	return say_err(r, &err, st);
}

static void
report_output(void *arg, const char *path, const char *problem)
{
	struct kh_run *r = arg;

	sayf(r, KH_SAY_WARN, "%s/%s: %s", r->opts.output, path, problem);
}

int
kh_run_verify(struct kh_run *r)
{
	struct kh_err err;
	char head[KH_SHA256_HEX];
	long links;
	int st, worst;

	kh_err_clear(&err);
	st = kh_store_verify(r->store, &err);
	worst = say_err(r, &err, st);
	/*
	 * The chain has no secret: whoever rewrites a row and every later
	 * link goes unnoticed by the database alone.  The head printed here,
	 * kept elsewhere (the month-end log, a signed sheet), closes that gap.
	 */
	if (st == KH_OK && kh_store_chain_head(r->store, head, &links, &err)
	    == KH_OK)
		sayf(r, KH_SAY_INFO, "trail: the chain of %ld records is "
		    "intact; its head is %s (compare with a copy kept outside "
		    "the database)", links, head);
	kh_err_clear(&err);
	st = kh_results_verify_outputs(r->store, r->opts.output,
	    report_output, r, &err);
	worst = kh_worst(worst, say_err(r, &err, st));
	if (st == KH_OK)
		sayf(r, KH_SAY_INFO, "outputs: every archived file matches "
		    "its recorded SHA-256");
	return worst;
}
