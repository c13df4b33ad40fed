/*
 * run.h — one invocation's work: the only place that moves data between
 * the store, the scoring core and the outputs.
 *
 * main.c parses the command line and calls one kh_run_* verb on an open
 * struct kh_run; the verbs report progress and problems through the say()
 * callback of the session's options (session.h; main.c prints them) and
 * return the worst status met, which is the exit status of interface.md.
 */
#ifndef KH_RUN_H
#define KH_RUN_H

#include <stdio.h>

#include "err.h"
#include "session.h"

/* The log of chain heads, in the output folder (see kh_run_finish). */
#define KH_HEADS_LOG "chain-heads.log"

/*
 * What a command does to the record, which decides how it is opened:
 * READ never writes and needs no lock nor templates (verify, trail);
 * WRITE needs an existing record; IMPORT (run, import) may create one
 * where no published results exist; INIT creates one where none is.
 */
enum kh_run_mode { KH_RUN_READ, KH_RUN_WRITE, KH_RUN_IMPORT, KH_RUN_INIT };

struct kh_run;

int	kh_run_open(const struct kh_session_opts *, enum kh_run_mode,
	    struct kh_run **, struct kh_err *);
/* Log the chain head if the command changed the record (not for READ). */
int	kh_run_finish(struct kh_run *);
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
/* The file ledger with ids and what is in force (month NULL: every file). */
int	kh_run_files(struct kh_run *, const char *month, FILE *);
/*
 * Take a wrongly delivered file out of force, on record, with the
 * reason and who (by NULL: the account running kaohe); refused while a
 * month it touches is closed.  The month is rescored by the next run.
 */
int	kh_run_withdraw(struct kh_run *, long file_id, const char *reason,
	    const char *by);
/*
 * Check the whole record and the archive; print the chain head and its
 * length whatever the verbosity.  head (may be NULL): a head kept
 * outside, which the chain must have passed through.  KH_BROKEN when
 * anything fails verification.
 */
int	kh_run_verify(struct kh_run *, const char *head);

#endif
