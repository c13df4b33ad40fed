/*
 * run_files.h — the file ledger as the operator sees it: `kaohe files`
 * lists every imported file with its id and whether it is in force;
 * `kaohe withdraw` takes a wrongly delivered one out of force, on
 * record.  Called by run.c on an open session; uses nothing of run.c.
 */
#ifndef KH_RUN_FILES_H
#define KH_RUN_FILES_H

#include <stdio.h>

#include "session.h"

/* The ledger with ids and what is in force (month NULL: every file). */
int	kh_run_files_list(struct kh_session *, const char *month, FILE *);
/* See kh_run_withdraw in run.h. */
int	kh_run_files_withdraw(struct kh_session *, long file_id,
	    const char *reason, const char *by);

#endif
