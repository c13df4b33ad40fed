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
 * Here: opening a run (its session, session.h), importing, scoring,
 * closing and reopening months, and the lookups (trail, verify); the
 * outputs are publish.c's and the file ledger run_files.c's, both called
 * on the session, never calling back up here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "calendar.h"
#include "chain.h"
#include "crashpoint.h"
#include "date.h"
#include "import.h"
#include "outdir.h"
#include "pathlist.h"
#include "publish.h"
#include "results.h"
#include "run.h"
#include "run_files.h"
#include "scheme.h"
#include "score.h"
#include "session.h"
#include "sig.h"
#include "store.h"
#include "trail_text.h"
#include "utf8.h"



/* One invocation: the session it works in, and the chain when opened. */
struct kh_run {
	struct kh_session	 s;
	char			 head0[65];	/* the chain when opened */
	long			 links0;
	int			 pending;	/* interrupted publications */
};

/* ---- opening ------------------------------------------------------------- */

/*
 * Whether the output folder already holds published results (a month or
 * year folder, or the chain-heads log): then a missing or empty database
 * is a lost record, not a fresh install, and must not be started anew.
 */
static int
archive_exists(const char *output)
{
	DIR *d;
	struct dirent *e;
	const char *n;
	int found = 0;

	if ((d = opendir(output)) == NULL)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		n = e->d_name;
		found = strcmp(n, KH_HEADS_LOG) == 0 ||
		    (strspn(n, "0123456789") == 4 && (n[4] == '\0' ||
		    (n[4] == '-' && strspn(n + 5, "0123456789") == 2 &&
		    n[7] == '\0')));
	}
	closedir(d);
	return found;
}

/* The store's open mode for a run's mode; KH_USAGE/KH_FAIL refusals. */
static int
open_mode(const struct kh_session_opts *opts, enum kh_run_mode mode,
    enum kh_open_mode *om, struct kh_err *err)
{
	struct stat sb;
	int exists = stat(opts->db, &sb) == 0;

	switch (mode) {
	case KH_RUN_READ:
		*om = KH_OPEN_READONLY;
		return KH_OK;
	case KH_RUN_WRITE:
		*om = KH_OPEN_EXISTING;
		return KH_OK;
	case KH_RUN_INIT:
		if (exists && sb.st_size > 0)
			return kh_err_set(err, KH_USAGE, opts->db, 0, NULL, NULL,
			    "a database is already there; init starts a new "
			    "record only where there is none");
		if (archive_exists(opts->output))
			return kh_err_set(err, KH_USAGE, opts->output, 0, NULL,
			    NULL, "holds the published results of a record; a "
			    "new record needs its own output folder (--output)");
		*om = KH_OPEN_CREATE;
		return KH_OK;
	case KH_RUN_IMPORT:
		*om = KH_OPEN_EXISTING;
		if (exists && sb.st_size > 0)
			return KH_OK;
		if (!archive_exists(opts->output)) {
			*om = KH_OPEN_CREATE;
			return KH_OK;
		}
		return kh_err_set(err, KH_FAIL, opts->db, 0, NULL, NULL,
		    "the database is %s, but %s/ holds published results: the "
		    "record they came from is elsewhere or lost.  Restore it "
		    "(or name it with --db); `kaohe init` starts a new record "
		    "deliberately", exists ? "empty" : "missing", opts->output);
	}
	return kh_err_sys(err, KH_FAIL, "unknown open mode");
}

/*
 * The last head in the chain-heads log must still be in the chain at the
 * length logged: a record cut back to before its last logged command
 * (deleting a close and everything after it, say) is refused before
 * anything is added to it.
 */
static int
last_logged_head(struct kh_run *r, struct kh_err *err)
{
	FILE *f;
	char path[4096], line[512], last[512] = "", *h, *l;
	long seq;
	int st;

	snprintf(path, sizeof(path), "%s/%s", r->s.opts.output, KH_HEADS_LOG);
	if ((f = fopen(path, "r")) == NULL)
		return KH_OK;
	while (fgets(line, sizeof(line), f) != NULL)
		memcpy(last, line, sizeof(last));
	fclose(f);
	if ((h = strstr(last, " head=")) == NULL ||
	    (l = strstr(last, " links=")) == NULL || strlen(h) < 6 + 64)
		return KH_OK;		/* verify reports a malformed log */
	h[6 + 64] = '\0';
	if ((st = kh_store_chain_find(r->s.store, h + 6, &seq, err)) != KH_OK)
		return st;
	if (seq != strtol(l + 7, NULL, 10))
		return kh_err_set(err, KH_BROKEN, path, 0, NULL, NULL, "the last "
		    "logged head %.16s… is not in the chain: the record was "
		    "rewritten or cut back; nothing was done (kaohe verify)",
		    h + 6);
	return KH_OK;
}

int
kh_run_open(const struct kh_session_opts *opts, enum kh_run_mode mode,
    struct kh_run **out, struct kh_err *err)
{
	struct kh_run *r = NULL;
	enum kh_open_mode om;
	int rc = KH_FAIL;

	*out = NULL;
	if ((rc = open_mode(opts, mode, &om, err)) != KH_OK)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	r->s.opts = *opts;
	if ((rc = kh_store_open_mode(opts->db, om, &r->s.store, err)) != KH_OK)
		goto out;
	if (mode != KH_RUN_READ) {
		if ((rc = kh_store_quick_check(r->s.store, err)) != KH_OK ||
		    (rc = kh_store_chain_head(r->s.store, r->head0, &r->links0,
		    err)) != KH_OK || (rc = last_logged_head(r, err)) != KH_OK)
			goto out;
		if ((rc = kh_calendar_load_dir(opts->templates, &r->s.calendar,
		    err)) != KH_OK)
			goto out;
	}
	*out = r;
	r = NULL;
	rc = KH_OK;
out:
	kh_run_close(r);
	return rc;
}

/*
 * After a command that changed the record: one line in the output
 * folder's chain-heads log, for operators to copy off the machine; every
 * head written there must remain one the chain passed through, which
 * `verify` checks.
 */
int
kh_run_finish(struct kh_run *r)
{
	struct kh_err err;
	char head[KH_SHA256_HEX], line[256], path[4096], at[40];
	int64_t now;
	long links;
	int fd, st = KH_OK;
	size_t len;

	if (r == NULL || kh_store_readonly(r->s.store))
		return KH_OK;
	kh_err_clear(&err);
	if (kh_store_chain_head(r->s.store, head, &links, &err) != KH_OK)
		return kh_say_err(&r->s, &err, KH_FAIL);
	if (links == r->links0 && strcmp(head, r->head0) == 0)
		return KH_OK;
	if (kh_now(&now, &err) != KH_OK)
		return kh_say_err(&r->s, &err, KH_USAGE);
	kh_time_iso(now, at);
	len = (size_t)snprintf(line, sizeof(line), "%s links=%ld head=%s "
	    "cmd=%s\n", at, links, head, r->s.opts.command != NULL ?
	    r->s.opts.command : "-");
	snprintf(path, sizeof(path), "%s/%s", r->s.opts.output, KH_HEADS_LOG);
	if (kh_mkdirs(r->s.opts.output, &err) != KH_OK ||
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) < 0)
		st = KH_FAIL;
	else {
		if (write(fd, line, len) != (ssize_t)len || fsync(fd) != 0)
			st = KH_FAIL;
		close(fd);
	}
	if (st != KH_OK)
		kh_sayf(&r->s, KH_SAY_ERROR, "%s: cannot log the chain head %s "
		    "(%ld links): %s; write it down", path, head, links,
		    strerror(errno));
	else
		kh_sayf(&r->s, KH_SAY_DEBUG, "chain head %s (%ld links) "
		    "logged in %s", head, links, path);
	return st;
}

void
kh_run_close(struct kh_run *r)
{
	if (r == NULL)
		return;
	kh_session_clear(&r->s);
	free(r);
}

/* ---- import -------------------------------------------------------------- */

#define KH_RUN_INPUT_DEPTH	8	/* folders under input/ read */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the walk of the input folder met besides exports. */
struct listing {
	struct kh_session	*s;
	struct kh_pathlist	*l;
	int			 worst;
	int			 refused;	/* not regular, unreadable */
};

static const char *
odd_type(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/*
 * Every regular file under dir, whatever its name (the kind is read from
 * the root; junk is refused by name when imported).  Nothing is skipped
 * without a word: hidden entries (editors' .swp files, .git) under -v,
 * symbolic links (never followed) and folders deeper than
 * KH_RUN_INPUT_DEPTH on stderr; FIFOs, devices and sockets are refused by
 * name without being opened.  -1 only if the top folder cannot be read.
 */
static int
list_inputs(struct listing *ls, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	struct stat sb;
	char path[4096];
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		if (depth == 0)
			return -1;
		kh_sayf(ls->s, KH_SAY_WARN, "%s: folder not read: %s", dir,
		    strerror(errno));
		ls->worst = kh_worst(ls->worst, KH_REJECT);
		ls->refused++;
		return 0;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e->d_name) >= sizeof(path)) {
			kh_sayf(ls->s, KH_SAY_WARN, "%s/%.40s...: name too "
			    "long, not read", dir, e->d_name);
			ls->worst = kh_worst(ls->worst, KH_REJECT);
			continue;
		}
		if (e->d_name[0] == '.') {
			kh_sayf(ls->s, KH_SAY_DEBUG, "%s: hidden, not read",
			    path);
			continue;
		}
		if (lstat(path, &sb) != 0) {
			kh_sayf(ls->s, KH_SAY_WARN, "%s: not read: %s", path,
			    strerror(errno));
			ls->worst = kh_worst(ls->worst, KH_REJECT);
			ls->refused++;
		} else if (S_ISLNK(sb.st_mode))
			kh_sayf(ls->s, KH_SAY_WARN, "%s: a symbolic link, not "
			    "followed (copy the export itself into %s)", path,
			    ls->s->opts.input);
		else if (S_ISDIR(sb.st_mode) && depth + 1 > KH_RUN_INPUT_DEPTH)
			kh_sayf(ls->s, KH_SAY_WARN, "%s: folder nested deeper "
			    "than %d levels, not read", path, KH_RUN_INPUT_DEPTH);
		else if (S_ISDIR(sb.st_mode))
			rc = list_inputs(ls, path, depth + 1);
		else if (S_ISREG(sb.st_mode))
			rc = kh_pathlist_add(ls->l, path);
		else {
			kh_sayf(ls->s, KH_SAY_WARN, "%s: %s: refused without "
			    "opening it (an export is a regular file)", path,
			    odd_type(sb.st_mode));
			ls->worst = kh_worst(ls->worst, KH_REJECT);
			ls->refused++;
		}
	}
	closedir(d);
	return rc;
}

/*
 * The scheme a targets or assessments file is checked against, looked
 * up when the importer has read its period: a year without a scheme
 * refuses those files alone, by name.
 */
static int
import_scheme(void *arg, int year, const struct kh_scheme **out,
    struct kh_err *err)
{
	return kh_session_scheme(arg, year, out, err);
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

	kh_sayf(&r->s, sum->outcome == KH_IMPORT_IMPORTED || explicit ?
	    KH_SAY_INFO : KH_SAY_DEBUG, "%s: %s; %s", sum->file, sum->counts,
	    sum->outcome_text);
	for (i = 0; i < sum->n_warnings && i < KH_IMPORT_MAX_WARNINGS; i++)
		kh_sayf(&r->s, KH_SAY_WARN, "%s", sum->warnings[i]);
	if (sum->n_warnings > KH_IMPORT_MAX_WARNINGS)
		kh_sayf(&r->s, KH_SAY_WARN, "%s: %zu more warnings", sum->file,
		    sum->n_warnings - KH_IMPORT_MAX_WARNINGS);
}

/* The files to import: those named, or every one under the input folder. */
static int
gather(struct kh_run *r, const char *const *paths, size_t n,
    struct listing *ls, struct kh_err *err)
{
	size_t i;

	if (paths == NULL) {
		if (list_inputs(ls, r->s.opts.input, 0) != 0)
			return kh_err_sys(err, KH_FAIL, "%s: cannot read the "
			    "input folder: %s", r->s.opts.input, strerror(errno));
		return KH_OK;
	}
	for (i = 0; i < n; i++)
		if (kh_pathlist_add(ls->l, paths[i]) != 0)
			return kh_err_sys(err, KH_FAIL, "out of memory");
	return KH_OK;
}

int
kh_run_import(struct kh_run *r, const char *const *paths, size_t n)
{
	struct kh_pathlist l = { NULL, 0, 0 };
	struct listing ls = { &r->s, &l, KH_OK, 0 };
	struct kh_import_summary sum;
	struct kh_import_opts io;
	struct kh_err err;
	const char *path;
	size_t i, *order = NULL;
	int worst = KH_OK, st, imported = 0, rejected = 0;

	kh_err_clear(&err);
	memset(&io, 0, sizeof(io));
	io.scheme = import_scheme;
	io.scheme_arg = &r->s;
	io.nofollow = paths == NULL;	/* run: links are reported, not read */
	if ((st = kh_now(&io.now, &err)) != KH_OK ||
	    (st = gather(r, paths, n, &ls, &err)) != KH_OK) {
		worst = kh_say_err(&r->s, &err, st);
		goto out;
	}
	worst = ls.worst;
	rejected = ls.refused;
	qsort(l.v, l.n, sizeof(*l.v), cmp_str);
	if (l.n > 0 && (order = calloc(l.n, sizeof(*order))) == NULL) {
		worst = KH_FAIL;
		goto out;
	}
	if ((st = kh_import_order((const char *const *)l.v, l.n, order,
	    &err)) != KH_OK) {
		worst = kh_say_err(&r->s, &err, st);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		path = l.v[order[i]];
		kh_err_clear(&err);
		if ((st = kh_sig_check(&err)) != KH_OK) {
			worst = kh_worst(worst, kh_say_err(&r->s, &err, st));
			break;
		}
		st = kh_import_file_with(r->s.store, &io, path, &sum, &err);
		kh_crashpoint("import-file");
		if (st == KH_OK) {
			report_summary(r, &sum, paths != NULL);
			if (sum.outcome == KH_IMPORT_IMPORTED)
				imported++;
		} else {
			rejected++;
			kh_say_err(&r->s, &err, st);
		}
		worst = kh_worst(worst, st);
		if (st >= KH_FAIL)
			break;
	}
	if (paths == NULL)
		kh_sayf(&r->s, imported || rejected ? KH_SAY_INFO :
		    KH_SAY_DEBUG, "%zu file(s) read, %d imported, %d rejected",
		    l.n, imported, rejected);
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
	if ((st = kh_store_newest_month(r->s.store, month, &err)) != KH_OK)
		return kh_say_err(&r->s, &err, st);
	if (month[0] == '\0') {
		kh_sayf(&r->s, KH_SAY_ERROR, "nothing has been imported yet: put the "
		    "exports in %s/ or name a month with --month",
		    r->s.opts.input);
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
static int
fingerprint(const struct kh_scheme *s, const struct kh_month_input *in,
    char hex[65], struct kh_err *err)
{
	struct kh_sha256 *h = kh_sha256_new();
	size_t i;

	/* an empty fingerprint would match nothing and be kept: refuse */
	if (h == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory (input "
		    "fingerprint)");
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
	if (kh_sha256_final(h, hex) != 0)
		return kh_err_sys(err, KH_FAIL, "out of memory (input "
		    "fingerprint)");
	return KH_OK;
}

/* Whether month is closed; reports a failure itself. */
static int
month_closed(struct kh_run *r, const char *month, int *closed)
{
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_month_closed(r->s.store, month, closed, &err))
	    != KH_OK)
		return kh_say_err(&r->s, &err, st);
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
	int64_t now;
	size_t i;
	int st, closed, stored, worst = KH_OK;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	memset(&meta, 0, sizeof(meta));
	kh_err_clear(&err);
	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_sayf(&r->s, KH_SAY_WARN, "%s is closed: its results are final and "
		    "are not recomputed (kaohe reopen %s --reason ...)", month,
		    month);
		return KH_REJECT;
	}
	if ((st = kh_session_scheme(&r->s, atoi(month), &scheme, &err))
	    != KH_OK)
		goto out;
	if ((st = kh_store_load_month(r->s.store, month, &in, &err)) != KH_OK)
		goto out;
	if ((st = kh_score_month(scheme, &in, &res, &err)) != KH_OK)
		goto out;
	kh_utf8_copy(meta.scheme_id, sizeof(meta.scheme_id), scheme->id);
	kh_utf8_copy(meta.scheme_sha256, sizeof(meta.scheme_sha256), scheme->sha256);
	meta.qual_base = scheme->qual_base;
	meta.qual_floor = scheme->qual_floor;
	meta.has_qual_cap = scheme->has_qual_cap;
	meta.qual_cap = scheme->qual_cap;
	if ((st = fingerprint(scheme, &in, meta.fingerprint, &err)) != KH_OK)
		goto out;
	if ((st = kh_now(&now, &err)) != KH_OK)
		goto out;
	kh_time_iso(now, meta.scored_at);
	if ((st = kh_results_save(r->s.store, &res, &meta, &stored, &err))
	    != KH_OK)
		goto out;
	kh_crashpoint("score-saved");
	kh_sayf(&r->s, KH_SAY_INFO, "%s scored: %zu managers%s", month, res.n,
	    stored ? "" : " (inputs unchanged, results kept)");
	for (i = 0; i < res.n; i++)
		if (res.results[i].incomplete) {
			kh_sayf(&r->s, KH_SAY_WARN, "%s: %s %s is incomplete: %s",
			    month, res.results[i].manager,
			    res.results[i].name, res.results[i].reason);
			worst = KH_REJECT;
		}
out:
	kh_month_input_clear(&in);
	kh_month_result_clear(&res);
	if (st != KH_OK)
		return kh_say_err(&r->s, &err, st);
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
	return kh_results_fingerprint(r->s.store, month, hex, &err) == KH_OK &&
	    hex[0] != '\0';
}

int
kh_run_close_month(struct kh_run *r, const char *month)
{
	struct kh_err err;
	int st, closed, worst;

	kh_err_clear(&err);
	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_sayf(&r->s, KH_SAY_WARN, "%s is already closed", month);
		return KH_USAGE;
	}
	/* Close what the data says now: score first (no-op if unchanged). */
	worst = kh_run_score(r, month);
	if (worst >= KH_USAGE || !scored(r, month)) {
		kh_sayf(&r->s, KH_SAY_WARN, "%s not closed: it has no results",
		    month);
		return kh_worst(worst, KH_REJECT);
	}
	/* closed together with its final outputs, or not at all */
	if ((st = kh_publish_month(&r->s, month, KH_PUB_CLOSE, NULL)) != KH_OK) {
		kh_sayf(&r->s, KH_SAY_WARN, "%s not closed: it stays open with "
		    "its previous outputs", month);
		/* the step failed and nothing of it was kept */
		return kh_worst(worst, kh_worst(st, KH_FAIL));
	}
	kh_sayf(&r->s, KH_SAY_INFO, "%s closed: results are final", month);
	return worst;
}

int
kh_run_reopen_month(struct kh_run *r, const char *month, const char *reason)
{
	int st, closed;

	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (!closed) {
		kh_sayf(&r->s, KH_SAY_WARN, "month %s is not closed", month);
		return KH_USAGE;
	}
	if ((st = kh_publish_month(&r->s, month, KH_PUB_REOPEN, reason)) != KH_OK)
		return st;
	kh_sayf(&r->s, KH_SAY_INFO, "%s reopened (%s): results are provisional "
	    "until it is closed again", month, reason);
	return KH_OK;
}

int
kh_run_month(struct kh_run *r, const char *month, int final)
{
	int st, closed, worst = KH_OK;

	if ((st = month_closed(r, month, &closed)) != KH_OK)
		return st;
	if (closed) {
		kh_sayf(&r->s, KH_SAY_DEBUG, "%s is closed: rendering its final "
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

/* ---- outputs and the ledger (publish.c, run_files.c) ---------------------- */

int
kh_run_render_month(struct kh_run *r, const char *month)
{
	return kh_publish_month(&r->s, month, KH_PUB_NONE, NULL);
}

int
kh_run_annual(struct kh_run *r, int year)
{
	return kh_publish_annual(&r->s, year);
}

int
kh_run_files(struct kh_run *r, const char *month, FILE *out)
{
	return kh_run_files_list(&r->s, month, out);
}

int
kh_run_withdraw(struct kh_run *r, long file_id, const char *reason,
    const char *by)
{
	return kh_run_files_withdraw(&r->s, file_id, reason, by);
}

/* ---- looking things up ---------------------------------------------------- */

/*
 * After a month's trail, its stored computation: every explanation line
 * of the run in force, and the characters its documents drew as 〓.
 */
static int
trail_results(struct kh_run *r, struct kh_trail *t, FILE *out,
    struct kh_err *err)
{
	struct kh_month_result res;
	struct kh_run_meta meta;
	int st;

	st = kh_results_load(r->s.store, t->month, &res, &meta, err);
	if (st == KH_REJECT) {
		kh_err_clear(err);
		return kh_trail_print_results(out, t, NULL, NULL, err);
	}
	if (st == KH_OK && (st = kh_results_glyphs(r->s.store, meta.run_id, t,
	    err)) == KH_OK)
		st = kh_trail_print_results(out, t, &res, &meta, err);
	kh_month_result_clear(&res);
	return st;
}

int
kh_run_trail(struct kh_run *r, const char *month, const char *manager,
    FILE *out)
{
	struct kh_trail t;
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if ((st = kh_store_trail_load(r->s.store, month, manager, &t, &err))
	    != KH_OK)
		return kh_say_err(&r->s, &err, st);
	st = kh_trail_print(out, &t, &err);
	if (st == KH_OK && month != NULL)
		st = trail_results(r, &t, out, &err);
	kh_trail_clear(&t);
	return kh_say_err(&r->s, &err, st);
}

/*
 * A publication recorded but not yet in place (the run was killed between
 * its commit and its swap) is not a broken record: its folder waits,
 * complete, beside the old one, and the next command puts it in place.
 */
static int
skip_pending(void *arg, const char *root)
{
	struct kh_run *r = arg;
	struct kh_err err;
	char left[4096];

	kh_err_clear(&err);
	if (kh_publish_pending(&r->s, root, left, sizeof(left), &err) != 1)
		return 0;
	kh_sayf(&r->s, KH_SAY_WARN, "%s/%s: its latest publication was "
	    "interrupted before it was put in place; it waits complete in %s "
	    "and the next kaohe command completes it", r->s.opts.output, root,
	    left);
	r->pending++;
	return 1;
}

static void
report_output(void *arg, const char *path, const char *problem)
{
	struct kh_run *r = arg;

	kh_sayf(&r->s, KH_SAY_WARN, "%s/%s: %s", r->s.opts.output, path, problem);
}

/*
 * Every head in the output folder's chain-heads log must be one the chain
 * passed through, at the length logged with it: a chain rewritten or cut
 * back since (deleting the last close and its link, say) is caught as
 * long as the log is.
 */
static int
verify_heads_log(struct kh_run *r, struct kh_err *err)
{
	FILE *f;
	char path[4096], line[512], *h, *l;
	long seq, links, n = 0, lineno = 0;
	int st = KH_OK;

	snprintf(path, sizeof(path), "%s/%s", r->s.opts.output, KH_HEADS_LOG);
	if ((f = fopen(path, "r")) == NULL) {
		kh_sayf(&r->s, KH_SAY_DEBUG, "%s: none, no logged head to check",
		    path);
		return KH_OK;
	}
	while (st == KH_OK && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if ((h = strstr(line, " head=")) == NULL ||
		    (l = strstr(line, " links=")) == NULL) {
			st = kh_err_set(err, KH_BROKEN, path, lineno, NULL, NULL,
			    "not a chain-heads line");
			break;
		}
		h[6 + 64] = '\0';
		links = strtol(l + 7, NULL, 10);
		if ((st = kh_store_chain_find(r->s.store, h + 6, &seq, err))
		    != KH_OK)
			break;
		if (seq != links)
			st = kh_err_set(err, KH_BROKEN, path, lineno, NULL, NULL,
			    "head %.16s… (%ld links) logged here is not in the "
			    "chain: the record was rewritten or cut back since",
			    h + 6, links);
		n++;
	}
	fclose(f);
	if (st == KH_OK)
		kh_sayf(&r->s, KH_SAY_INFO, "heads log: all %ld logged head(s) "
		    "are in the chain (%s)", n, path);
	return st;
}

/* A head kept outside (--head) must be one the chain passed through. */
static int
verify_known_head(struct kh_run *r, const char *head, long links,
    struct kh_err *err)
{
	long seq;
	int st;

	if ((st = kh_store_chain_find(r->s.store, head, &seq, err)) != KH_OK)
		return st;
	if (seq < 0)
		return kh_err_sys(err, KH_BROKEN, "head %s is not in the chain: "
		    "the record was rewritten or cut back since it was taken",
		    head);
	kh_sayf(&r->s, KH_SAY_RESULT, "head %.16s… is link %ld of %ld: %ld "
	    "link(s) added since", head, seq, links, links - seq);
	return KH_OK;
}

int
kh_run_verify(struct kh_run *r, const char *head)
{
	struct kh_err err;
	char last[KH_SHA256_HEX];
	long links = 0;
	int st, worst = KH_OK;

	kh_err_clear(&err);
	st = kh_store_verify(r->s.store, &err);
	worst = kh_worst(worst, kh_say_err(&r->s, &err, st));
	if (st == KH_OK) {
		kh_err_clear(&err);
		st = kh_results_verify_sums(r->s.store, &err);
		worst = kh_worst(worst, kh_say_err(&r->s, &err, st));
	}
	kh_err_clear(&err);
	if (kh_store_chain_head(r->s.store, last, &links, &err) != KH_OK)
		worst = kh_worst(worst, kh_say_err(&r->s, &err, KH_BROKEN));
	/*
	 * The chain has no secret: whoever rewrites a row and every later
	 * link goes unnoticed by the database alone.  The head printed here,
	 * kept elsewhere (the heads log copied off, the month-end log, a
	 * signed sheet), closes that gap: `verify --head` checks it.
	 */
	kh_sayf(&r->s, KH_SAY_RESULT, "chain: %ld links, head %s", links, last);
	kh_err_clear(&err);
	if (head != NULL)
		worst = kh_worst(worst, kh_say_err(&r->s, &err,
		    verify_known_head(r, head, links, &err)));
	kh_err_clear(&err);
	worst = kh_worst(worst, kh_say_err(&r->s, &err,
	    verify_heads_log(r, &err)));
	kh_err_clear(&err);
	st = kh_results_verify_outputs(r->s.store, r->s.opts.output, skip_pending,
	    report_output, r, &err);
	worst = kh_worst(worst, kh_say_err(&r->s, &err, st));
	if (st == KH_OK && r->pending == 0)
		kh_sayf(&r->s, KH_SAY_INFO, "outputs: every published file "
		    "matches its recorded SHA-256, and nothing else is there");
	if (worst == KH_OK && r->pending > 0) {
		kh_sayf(&r->s, KH_SAY_RESULT, "verify: the record is intact; %d "
		    "publication(s) wait to be put in place", r->pending);
		return KH_REJECT;
	}
	kh_sayf(&r->s, KH_SAY_RESULT, worst == KH_OK ? "verify: the record is "
	    "intact" : "verify: the record FAILS verification (see above)");
	return worst;
}
