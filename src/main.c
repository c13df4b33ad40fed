/*
 * main.c — the command layer: options, subcommands, the lock, messages
 * and the exit status.  Everything else is in libkaohe (run.h and below);
 * this is the only file that prints and exits.
 */
#include <getopt.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"	/* KH_DATADIR, KH_VERSION: made from PREFIX, VERSION */
#include "date.h"
#include "err.h"
#include "lock.h"
#include "run.h"
#include "sig.h"

#define LOCK_WAIT_MS 5000

static int verbosity = 1;	/* 0 -q, 1 normal, 2 -v */

static const char usage_text[] =
"usage: kaohe [options] command [arguments]\n"
"\n"
"commands:\n"
"  run     [--month YYYY-MM|previous] [--final]   import new files, score, render\n"
"  import  FILE...                                import only\n"
"  score   --month M                              (re)compute a month from stored data\n"
"  render  --month M | --year YYYY                PDFs and CSV from stored results\n"
"  close   M                                      freeze a month (final results)\n"
"  reopen  M --reason TEXT                        reopen a closed month, on record\n"
"  annual  YYYY                                   annual sheet from closed months\n"
"  trail   [--month M] [--manager ID]             the audit trail, as text\n"
"  files   [--month M]                            the file ledger, with ids\n"
"  withdraw FILE-ID --reason TEXT [--by NAME]     take a wrongly delivered file\n"
"                                                 out of force, on record\n"
"  verify  [--head HEX]                           check the record and the archive;\n"
"                                                 prints the chain head\n"
"  init                                           start a new, empty record (database)\n"
"\n"
"options:\n"
"  --db FILE          database (default kaohe.db)\n"
"  --input DIR        exports folder (default input)\n"
"  --output DIR       output folder (default output)\n"
"  --templates DIR    scheme, layouts, calendar (default templates)\n"
"  --umask OCTAL      mask for the files and folders made (default 077:\n"
"                     owner only; 027 lets the group read)\n"
"  -q, -v             quieter, more verbose\n"
"  --help, --version\n"
"\n"
"exit status: 0 done; 1 done but input rejected or a manager incomplete;\n"
"2 usage error; 3 system failure (nothing of the failed step kept);\n"
"4 the record fails verification (verify)\n";

static void
say(void *arg, enum kh_say_level level, const char *msg)
{
	(void)arg;
	if (level == KH_SAY_RESULT)
		printf("%s\n", msg);
	else if (level >= KH_SAY_WARN)
		fprintf(stderr, "kaohe: %s\n", msg);
	else if (level == KH_SAY_INFO && verbosity >= 1)
		printf("%s\n", msg);
	else if (level == KH_SAY_DEBUG && verbosity >= 2)
		printf("%s\n", msg);
}

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kaohe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(kaohe --help lists the commands)\n", stderr);
	return KH_USAGE;
}

/*
 * The default templates folder: ./templates (a working copy, the cron
 * folder), else the one `make install` put under PREFIX/share/kaohe.
 */
static const char *
default_templates(void)
{
	struct stat sb;

	if (stat("templates", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "templates";
	return KH_DATADIR "/templates";
}

/* "previous": the month before this one, by kaohe's clock (date.h). */
static int
previous_month(char out[16])
{
	struct kh_err err;
	int64_t now;
	char month[8];

	kh_err_clear(&err);
	if (kh_now(&now, &err) != KH_OK)
		return usage_error("%s", err.msg);
	kh_time_local(now, "%Y-%m", month, sizeof(month));
	if (kh_month_add(month, -1, out) != KH_OK)
		return usage_error("no month before %s", month);
	return -1;
}

struct cmdline {
	struct kh_session_opts opts;
	mode_t		 umask;		/* applied before anything is made */
	const char	*cmd;
	const char	*month;
	const char	*year;
	const char	*manager;
	const char	*reason;
	const char	*head;
	const char	*by;
	long		 file_id;
	int		 final;
	char	       **args;
	int		 nargs;
};

enum { OPT_DB = 256, OPT_INPUT, OPT_OUTPUT, OPT_TEMPLATES, OPT_MONTH,
	OPT_YEAR, OPT_FINAL, OPT_MANAGER, OPT_REASON, OPT_HEAD, OPT_BY,
	OPT_HELP, OPT_VERSION, OPT_UMASK };

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "final", no_argument, NULL, OPT_FINAL },
	{ "manager", required_argument, NULL, OPT_MANAGER },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "head", required_argument, NULL, OPT_HEAD },
	{ "by", required_argument, NULL, OPT_BY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "umask", required_argument, NULL, OPT_UMASK },
	{ NULL, 0, NULL, 0 }
};

/* An octal mask, 0 to 0777. */
static int
parse_umask(const char *s, mode_t *out)
{
	char *end;
	long v;

	if (s[0] < '0' || s[0] > '7')
		return -1;
	v = strtol(s, &end, 8);
	if (*end != '\0' || v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

/* Returns -1 to go on, or an exit status. */
static int
parse(int argc, char **argv, struct cmdline *c)
{
	int ch;

	memset(c, 0, sizeof(*c));
	c->opts.db = "kaohe.db";
	c->opts.input = "input";
	c->opts.output = "output";
	c->opts.templates = default_templates();
	c->opts.say = say;
	c->umask = 077;		/* pay data: owner only unless told */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "qv", long_opts, NULL)) != -1) {
		switch (ch) {
		case OPT_DB: c->opts.db = optarg; break;
		case OPT_INPUT: c->opts.input = optarg; break;
		case OPT_OUTPUT: c->opts.output = optarg; break;
		case OPT_TEMPLATES: c->opts.templates = optarg; break;
		case OPT_MONTH: c->month = optarg; break;
		case OPT_YEAR: c->year = optarg; break;
		case OPT_FINAL: c->final = 1; break;
		case OPT_MANAGER: c->manager = optarg; break;
		case OPT_REASON: c->reason = optarg; break;
		case OPT_HEAD: c->head = optarg; break;
		case OPT_BY: c->by = optarg; break;
		case OPT_UMASK:
			if (parse_umask(optarg, &c->umask) != 0)
				return usage_error("--umask wants an octal "
				    "mask such as 077, not '%s'", optarg);
			break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity = 2; break;
		case OPT_HELP: fputs(usage_text, stdout); return KH_OK;
		case OPT_VERSION: puts("kaohe " KH_VERSION); return KH_OK;
		default:
			return usage_error("unknown or incomplete option %s",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no command given");
	c->cmd = argv[optind];
	c->args = argv + optind + 1;
	c->nargs = argc - optind - 1;
	return -1;
}

/* withdraw FILE-ID --reason TEXT [--by NAME] */
static int
check_withdraw(struct cmdline *c)
{
	const char *id = c->nargs == 1 ? c->args[0] : "";

	if (c->nargs != 1 || id[0] == '\0' || strlen(id) > 15 ||
	    strspn(id, "0123456789") != strlen(id) ||
	    (c->file_id = atol(id)) <= 0)
		return usage_error("withdraw wants one file id, as `kaohe files` "
		    "lists them");
	if (c->reason == NULL || c->reason[strspn(c->reason, " \t")] == '\0')
		return usage_error("withdraw wants --reason TEXT: the "
		    "withdrawal is on record");
	return -1;
}

/*
 * An option the command does not take is a usage error, not silently
 * ignored (`close 2013-05 --final` does not do what it seems to).
 * Commands not listed check their own.
 */
static int
check_options(const struct cmdline *c)
{
	static const struct { const char *cmd, *takes; } t[] = {
		{ "run", "month final" }, { "import", "" }, { "score", "month" },
		{ "render", "month year" }, { "close", "" },
		{ "reopen", "reason" }, { "annual", "" },
		{ "trail", "month manager" }, { "verify", "" },
	};
	const struct { const char *name; int given; } o[] = {
		{ "month", c->month != NULL }, { "year", c->year != NULL },
		{ "final", c->final }, { "manager", c->manager != NULL },
		{ "reason", c->reason != NULL },
	};
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(t[i].cmd, c->cmd) != 0)
			continue;
		for (k = 0; k < sizeof(o) / sizeof(o[0]); k++)
			if (o[k].given && strstr(t[i].takes, o[k].name) == NULL)
				return usage_error("%s takes no --%s", c->cmd,
				    o[k].name);
	}
	return -1;
}

/* Check what each command accepts; fill month/year from positionals. */
static int
check_command(struct cmdline *c, char prev[16])
{
	const char *cmd = c->cmd;
	int st;

	if ((st = check_options(c)) >= 0)
		return st;

	if (c->month != NULL && strcmp(c->month, "previous") == 0 &&
	    strcmp(cmd, "run") == 0) {
		if ((st = previous_month(prev)) >= 0)
			return st;
		c->month = prev;
	}
	if (c->month != NULL && !kh_month_valid(c->month))
		return usage_error("--month wants YYYY-MM, not '%s'", c->month);
	if (c->year != NULL && !kh_year_valid(c->year))
		return usage_error("--year wants YYYY, not '%s'", c->year);
	if (c->head != NULL && (strlen(c->head) != 64 ||
	    strspn(c->head, "0123456789abcdef") != 64))
		return usage_error("--head wants the 64 lower-case hex digits "
		    "that verify printed, not '%s'", c->head);
	if (c->head != NULL && strcmp(cmd, "verify") != 0)
		return usage_error("--head goes with verify");
	if (c->by != NULL && strcmp(cmd, "withdraw") != 0)
		return usage_error("--by goes with withdraw");
	if (strcmp(cmd, "withdraw") == 0)
		return check_withdraw(c);
	if (strcmp(cmd, "import") == 0) {
		if (c->nargs == 0)
			return usage_error("import wants one or more files");
		return -1;
	}
	if (strcmp(cmd, "close") == 0 || strcmp(cmd, "reopen") == 0) {
		if (c->nargs != 1 || !kh_month_valid(c->args[0]))
			return usage_error("%s wants one month, YYYY-MM (year 1900 to 2999)", cmd);
		c->month = c->args[0];
		if (strcmp(cmd, "reopen") == 0 &&
		    (c->reason == NULL || c->reason[0] == '\0'))
			return usage_error("reopen wants --reason TEXT: the "
			    "reopening is on record");
		return -1;
	}
	if (strcmp(cmd, "annual") == 0) {
		if (c->nargs != 1 || !kh_year_valid(c->args[0]))
			return usage_error("annual wants one year, YYYY (1900 to 2999)");
		c->year = c->args[0];
		return -1;
	}
	if (c->nargs != 0)
		return usage_error("%s takes no argument '%s'", cmd, c->args[0]);
	if (strcmp(cmd, "score") == 0 && c->month == NULL)
		return usage_error("score wants --month YYYY-MM");
	if (strcmp(cmd, "render") == 0 && (c->month == NULL) == (c->year == NULL))
		return usage_error("render wants --month YYYY-MM or --year YYYY");
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "score") != 0 &&
	    strcmp(cmd, "render") != 0 && strcmp(cmd, "trail") != 0 &&
	    strcmp(cmd, "verify") != 0 && strcmp(cmd, "init") != 0 &&
	    strcmp(cmd, "files") != 0)
		return usage_error("unknown command '%s'", cmd);
	return -1;
}

static int
dispatch(struct kh_run *r, struct cmdline *c)
{
	const char *cmd = c->cmd;
	char month[8];
	int st;

	if (strcmp(cmd, "import") == 0)
		return kh_run_import(r, (const char *const *)c->args,
		    (size_t)c->nargs);
	if (strcmp(cmd, "run") == 0) {
		st = kh_run_import(r, NULL, 0);
		if (st >= KH_USAGE)
			return st;
		if (c->month == NULL) {
			if (kh_run_newest_month(r, month) != KH_OK)
				return kh_worst(st, KH_REJECT);
			c->month = month;
		}
		return kh_worst(st, kh_run_month(r, c->month, c->final));
	}
	if (strcmp(cmd, "score") == 0)
		return kh_run_score(r, c->month);
	if (strcmp(cmd, "render") == 0)
		return c->month != NULL ? kh_run_render_month(r, c->month) :
		    kh_run_annual(r, atoi(c->year));
	if (strcmp(cmd, "close") == 0)
		return kh_run_close_month(r, c->month);
	if (strcmp(cmd, "reopen") == 0)
		return kh_run_reopen_month(r, c->month, c->reason);
	if (strcmp(cmd, "annual") == 0)
		return kh_run_annual(r, atoi(c->year));
	if (strcmp(cmd, "trail") == 0)
		return kh_run_trail(r, c->month, c->manager, stdout);
	if (strcmp(cmd, "files") == 0)
		return kh_run_files(r, c->month, stdout);
	if (strcmp(cmd, "withdraw") == 0)
		return kh_run_withdraw(r, c->file_id, c->reason, c->by);
	if (strcmp(cmd, "init") == 0) {
		printf("%s: a new, empty record\n", c->opts.db);
		return KH_OK;
	}
	return kh_run_verify(r, c->head);
}

/* How the command uses the record (run.h): open mode and locking. */
static enum kh_run_mode
command_mode(const char *cmd)
{
	if (strcmp(cmd, "verify") == 0 || strcmp(cmd, "trail") == 0 ||
	    strcmp(cmd, "files") == 0)
		return KH_RUN_READ;
	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "import") == 0)
		return KH_RUN_IMPORT;
	if (strcmp(cmd, "init") == 0)
		return KH_RUN_INIT;
	return KH_RUN_WRITE;
}

int
main(int argc, char **argv)
{
	struct cmdline c;
	struct kh_lock *lock = NULL;
	struct kh_run *r = NULL;
	struct kh_err err;
	char buf[2048], prev[16];
	enum kh_run_mode mode;
	int st;

	if ((st = parse(argc, argv, &c)) >= 0)
		return st;
	umask(c.umask);
	if (kh_sig_install() != 0) {
		perror("kaohe: sigaction");
		return KH_FAIL;
	}
	if ((st = check_command(&c, prev)) >= 0)
		return st;
	kh_err_clear(&err);
	c.opts.command = c.cmd;
	mode = command_mode(c.cmd);
	/* readers take no lock: they write nothing (a read-only copy works) */
	if (mode != KH_RUN_READ && (st = kh_lock_acquire(c.opts.db,
	    LOCK_WAIT_MS, &lock, &err)) != KH_OK)
		goto out;
	if ((st = kh_run_open(&c.opts, mode, &r, &err)) != KH_OK)
		goto out;
	st = dispatch(r, &c);
	st = kh_worst(st, kh_run_finish(r));
out:
	if (err.msg[0] != '\0')
		fprintf(stderr, "kaohe: %s\n", kh_err_format(&err, buf,
		    sizeof(buf)));
	kh_run_close(r);
	kh_lock_release(lock);
	/* a write that failed earlier leaves only the error flag behind */
	if ((fflush(stdout) != 0 || ferror(stdout)) && st < KH_FAIL) {
		fprintf(stderr, "kaohe: cannot write to standard output\n");
		st = KH_FAIL;
	}
	return st;
}
