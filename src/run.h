/*
 * run.h — one invocation's work: the only place that moves data between
 * the store, the scoring core and the outputs.
 *
 * main.c parses the command line and calls one kh_run_* verb on an open
 * struct kh_run; the verbs report progress and problems through the say()
 * callback (main.c prints them) and return the worst status met, which is
 * the exit status of interface.md.
 */
#ifndef KH_RUN_H
#define KH_RUN_H

#include <stdio.h>

#include "err.h"

enum kh_say_level {
	KH_SAY_DEBUG,		/* -v only */
	KH_SAY_INFO,		/* one line per file / document; not with -q */
	KH_SAY_WARN,		/* always, on stderr */
	KH_SAY_ERROR		/* always, on stderr */
};

struct kh_run_opts {
	const char	*db;		/* kaohe.db */
	const char	*input;		/* input */
	const char	*output;	/* output */
	const char	*templates;	/* templates */
	void		(*say)(void *arg, enum kh_say_level, const char *msg);
	void		*say_arg;
};

struct kh_run;

int	kh_run_open(const struct kh_run_opts *, struct kh_run **, struct kh_err *);
void	kh_run_close(struct kh_run *);

/* Import the given files (NULL/0: every regular file under the input folder). */
int	kh_run_import(struct kh_run *, const char *const *paths, size_t n);
/* Month of the newest imported data into month[8]; KH_REJECT if none. */
int	kh_run_newest_month(struct kh_run *, char month[8]);
/* Score a month from stored data and keep the results (refused if closed). */
int	kh_run_score(struct kh_run *, const char *month);
/* Write output/<month>/ from the stored results. */
int	kh_run_render_month(struct kh_run *, const char *month);
/* Write output/<year>/annual.{pdf,csv} from the closed months. */
int	kh_run_annual(struct kh_run *, int year);
/* The whole job: import new files, score (unless closed), render, maybe close. */
int	kh_run_month(struct kh_run *, const char *month, int final);
int	kh_run_close_month(struct kh_run *, const char *month);
int	kh_run_reopen_month(struct kh_run *, const char *month, const char *reason);
int	kh_run_trail(struct kh_run *, const char *month, const char *manager, FILE *);
int	kh_run_verify(struct kh_run *);

#endif
