/*
 * run.c — one invocation's work (see run.h).  With publish.c, the only
 * place that moves data between the store, the scoring core and the
 * outputs:
 *
 *	exports --import.c--> store --kh_store_load_month--> kh_month_input
 *	  --kh_score_month--> kh_month_result --results.c--> store
 *	  --kh_results_load--> documents, scores.csv   (publish.c; never
 *	  recomputed)
 *
 * Here: opening a run, choosing the scheme, importing, scoring, closing
 * and reopening months, and the lookups (trail, verify).
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
#include "esc.h"
#include "import.h"
#include "outdir.h"
#include "results.h"
#include "run.h"
#include "run_int.h"
#include "scheme.h"
#include "score.h"
#include "sig.h"
#include "store.h"
#include "trail.h"
#include "xmlin.h"


/* Copy src into dst[size], cut if need be at a UTF-8 character boundary. */
void
kh_run_scopy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- messages ------------------------------------------------------------ */

void
kh_run_sayf(struct kh_run *r, enum kh_say_level level, const char *fmt, ...)
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
int
kh_run_say_err(struct kh_run *r, const struct kh_err *err, int st)
{
	char buf[2048];

	if (st == KH_OK)
		return st;
	kh_run_sayf(r, st == KH_REJECT ? KH_SAY_WARN : KH_SAY_ERROR, "%s",
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
 * a new one is issued).  Loaded once per run.  KH_USAGE for a year
 * before every scheme: the month asked for is not one kaohe can assess.
 */
int
kh_run_scheme(struct kh_run *r, int year, const struct kh_scheme **out,
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
		return kh_err_sys(err, KH_USAGE, "no assessment scheme for %d "
		    "in %s (scheme-%d.xml)", year, r->opts.templates, year);
	if (r->n_schemes == KH_RUN_MAX_SCHEMES)
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

int
kh_run_month_year(const char *month)
{
	return atoi(month);
}

/* ---- import -------------------------------------------------------------- */

int
kh_pathlist_add(struct kh_pathlist *l, const char *p)
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

void
kh_pathlist_free(struct kh_pathlist *l)
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
list_xml(const char *dir, int depth, struct kh_pathlist *l)
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
			rc = kh_pathlist_add(l, path);
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

	kh_run_sayf(r, sum->outcome == KH_IMPORT_IMPORTED || explicit ?
	    KH_SAY_INFO : KH_SAY_DEBUG, "%s: %s; %s", sum->file, sum->counts,
	    sum->outcome_text);
	for (i = 0; i < sum->n_warnings && i < KH_IMPORT_MAX_WARNINGS; i++)
		kh_run_sayf(r, KH_SAY_WARN, "%s", sum->warnings[i]);
	if (sum->n_warnings > KH_IMPORT_MAX_WARNINGS)
		kh_run_sayf(r, KH_SAY_WARN, "%s: %zu more warnings", sum->file,
		    sum->n_warnings - KH_IMPORT_MAX_WARNINGS);
}

int
kh_run_import(struct kh_run *r, const char *const *paths, size_t n)
{
	struct kh_pathlist l = { NULL, 0, 0 };
	struct kh_import_summary sum;
	struct kh_err err;
	const struct kh_scheme *scheme;
	const char *path;
	size_t i, *order = NULL;
	int worst = KH_OK, st, imported = 0, rejected = 0;

	kh_err_clear(&err);
	if (paths == NULL) {
		if (list_xml(r->opts.input, 0, &l) != 0) {
			kh_run_sayf(r, KH_SAY_ERROR, "%s: cannot read the input "
			    "folder: %s", r->opts.input, strerror(errno));
			worst = KH_FAIL;
			goto out;
		}
	} else {
		for (i = 0; i < n; i++)
			if (kh_pathlist_add(&l, paths[i]) != 0) {
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
		worst = kh_run_say_err(r, &err, st);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		path = l.v[order[i]];
		kh_err_clear(&err);
		memset(&sum, 0, sizeof(sum));
		if ((st = kh_sig_check(&err)) != KH_OK) {
			worst = kh_worst(worst, kh_run_say_err(r, &err, st));
			break;
		}
		st = kh_run_scheme(r, file_year(path), &scheme, &err);
		if (st == KH_USAGE) {	/* no scheme for its year: it waits */
			rejected++;
			kh_run_sayf(r, KH_SAY_WARN, "%s: not imported: %s", path,
			    err.msg);
			worst = kh_worst(worst, KH_REJECT);
			continue;
		}
		if (st != KH_OK) {
			worst = kh_worst(worst, kh_run_say_err(r, &err, st));
			break;
		}
		st = kh_import_file(r->store, scheme, path, &sum, &err);
		if (st == KH_OK) {
			report_summary(r, &sum, paths != NULL);
			if (sum.outcome == KH_IMPORT_IMPORTED)
				imported++;
		} else {
			rejected++;
			kh_run_say_err(r, &err, st);
		}
		worst = kh_worst(worst, st);
		if (st >= KH_FAIL)
			break;
	}
	if (paths == NULL)
		kh_run_sayf(r, imported ? KH_SAY_INFO : KH_SAY_DEBUG,
		    "%zu file(s) read, %d imported, %d rejected", l.n,
		    imported, rejected);
out:
	free(order);
	kh_pathlist_free(&l);
	return worst;
}

int
kh_run_newest_month(struct kh_run *r, char month[8])
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_newest_month(r->store, month, &err)) != KH_OK)
		return kh_run_say_err(r, &err, st);
	if (month[0] == '\0') {
		kh_run_sayf(r, KH_SAY_ERROR, "nothing has been imported yet: put the "
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

int
kh_run_month_closed(struct kh_run *r, const char *month, int *closed)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_month_closed(r->store, month, closed, &err))
	    != KH_OK)
		return kh_run_say_err(r, &err, st);
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
	if ((st = kh_run_month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_run_sayf(r, KH_SAY_WARN, "%s is closed: its results are final and "
		    "are not recomputed (kaohe reopen %s --reason ...)", month,
		    month);
		return KH_REJECT;
	}
	if ((st = kh_run_scheme(r, kh_run_month_year(month), &scheme, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_store_load_month(r->store, month, &in, &err)) != KH_OK)
		goto out;
	if ((st = kh_score_month(scheme, &in, &res, &err)) != KH_OK)
		goto out;
	kh_run_scopy(meta.scheme_id, sizeof(meta.scheme_id), scheme->id);
	kh_run_scopy(meta.scheme_sha256, sizeof(meta.scheme_sha256), scheme->sha256);
	fingerprint(scheme, &in, meta.fingerprint);
	now_iso(meta.scored_at);
	if ((st = kh_results_save(r->store, &res, &meta, &stored, &err))
	    != KH_OK)
		goto out;
	kh_run_sayf(r, KH_SAY_INFO, "%s scored: %zu managers%s", month, res.n,
	    stored ? "" : " (inputs unchanged, results kept)");
	for (i = 0; i < res.n; i++)
		if (res.results[i].incomplete) {
			kh_run_sayf(r, KH_SAY_WARN, "%s: %s %s is incomplete: %s",
			    month, res.results[i].manager,
			    res.results[i].name, res.results[i].reason);
			worst = KH_REJECT;
		}
out:
	kh_month_input_clear(&in);
	kh_month_result_clear(&res);
	if (st != KH_OK)
		return kh_run_say_err(r, &err, st);
	return worst;
}

/* ---- month state ---------------------------------------------------------- */

/* Whether month has stored results (a run could score it). */
static int
scored(struct kh_run *r, const char *month)
{
	struct kh_err err;
	char hex[65];

	kh_err_clear(&err);
	return kh_results_fingerprint(r->store, month, hex, &err) == KH_OK &&
	    hex[0] != '\0';
}

int
kh_run_close_month(struct kh_run *r, const char *month)
{
	struct kh_err err;
	int st, closed, worst;

	kh_err_clear(&err);
	if ((st = kh_run_month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_run_sayf(r, KH_SAY_WARN, "%s is already closed", month);
		return KH_USAGE;
	}
	/* Close what the data says now: score first (no-op if unchanged). */
	worst = kh_run_score(r, month);
	if (worst >= KH_USAGE || !scored(r, month)) {
		kh_run_sayf(r, KH_SAY_WARN, "%s not closed: it has no results",
		    month);
		return kh_worst(worst, KH_REJECT);
	}
	if ((st = kh_store_close_month(r->store, month, &err)) != KH_OK)
		return kh_run_say_err(r, &err, st);
	kh_run_sayf(r, KH_SAY_INFO, "%s closed: results are final", month);
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
		return kh_run_say_err(r, &err, st);
	kh_run_sayf(r, KH_SAY_INFO, "%s reopened (%s): results are provisional "
	    "until it is closed again", month, reason);
	return kh_run_render_month(r, month);
}

int
kh_run_month(struct kh_run *r, const char *month, int final)
{
	int st, closed, worst = KH_OK;

	if ((st = kh_run_month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_run_sayf(r, KH_SAY_DEBUG, "%s is closed: rendering its final "
		    "results", month);
		return kh_run_render_month(r, month);
	}
	if (final)
		return kh_run_close_month(r, month);
	worst = kh_run_score(r, month);
	if (worst >= KH_USAGE || !scored(r, month))
		return kh_worst(worst, KH_REJECT);
	return kh_worst(worst, kh_run_render_month(r, month));
}

/* ---- looking things up ---------------------------------------------------- */

static int
print_glyph(const char *doc, uint32_t cp, const char *context, void *arg)
{
	kh_esc_printf(arg, "  %s: U+%04X in \"%s\"\n", doc, (unsigned)cp,
	    context);
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
		kh_esc_printf(out, "Results of %s: not scored yet\n", month);
		kh_err_clear(err);
		return KH_OK;
	}
	if (st != KH_OK)
		return st;
	kh_esc_printf(out, "Results of %s (%s): run #%lld, scored %s, scheme "
	    "%s, inputs %s\n", month, closed ? "final" : "provisional",
	    (long long)meta.run_id, meta.scored_at, meta.scheme_id,
	    meta.fingerprint);
	for (i = 0; i < res.n; i++) {
		x = &res.results[i];
		if (manager != NULL && strcmp(manager, x->manager) != 0)
			continue;
		if (x->incomplete)
			kh_esc_printf(out, "  %s %s: incomplete: %s\n",
			    x->manager, x->name, x->reason);
		else
			kh_esc_printf(out, "  %s %s: total %s, rank %d\n",
			    x->manager, x->name, kh_dec_format(x->total, 2, a,
			    sizeof(a)), x->rank);
		for (k = 0; k < res.n_lines; k++) {
			if (strcmp(res.lines[k].manager, x->manager) != 0)
				continue;
			kh_esc_printf(out, "      %2d. %s", res.lines[k].seq,
			    res.lines[k].text);
			if (res.lines[k].has_points)
				kh_esc_printf(out, "  [%s]", kh_dec_format(
				    res.lines[k].points, 2, b, sizeof(b)));
			fputc('\n', out);
		}
	}
	fputs("Characters not in the font, printed as 〓:\n", out);
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
	return kh_run_say_err(r, &err, st);
}

static void
report_output(void *arg, const char *path, const char *problem)
{
	struct kh_run *r = arg;

	kh_run_sayf(r, KH_SAY_WARN, "%s/%s: %s", r->opts.output, path, problem);
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
	worst = kh_run_say_err(r, &err, st);
	/*
	 * The chain has no secret: whoever rewrites a row and every later
	 * link goes unnoticed by the database alone.  The head printed here,
	 * kept elsewhere (the month-end log, a signed sheet), closes that gap.
	 */
	if (st == KH_OK && kh_store_chain_head(r->store, head, &links, &err)
	    == KH_OK)
		kh_run_sayf(r, KH_SAY_INFO, "trail: the chain of %ld records is "
		    "intact; its head is %s (compare with a copy kept outside "
		    "the database)", links, head);
	kh_err_clear(&err);
	st = kh_results_verify_outputs(r->store, r->opts.output,
	    report_output, r, &err);
	worst = kh_worst(worst, kh_run_say_err(r, &err, st));
	if (st == KH_OK)
		kh_run_sayf(r, KH_SAY_INFO, "outputs: every archived file matches "
		    "its recorded SHA-256");
	return worst;
}
