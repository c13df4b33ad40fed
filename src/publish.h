/*
 * publish.h — one run's outputs, from STORED results only: a month's
 * folder (scores.csv, a scorecard per manager, the team sheet and public
 * notice, the audit trail) and a year's (annual.csv, annual.pdf), each
 * built aside and swapped into place whole, every file's SHA-256 kept in
 * the output ledger that `kaohe verify` checks.
 *
 * Called by run.c on an open session; uses nothing of run.c.  Each
 * function reports through say() and returns the worst status met.
 */
#ifndef KH_PUBLISH_H
#define KH_PUBLISH_H

#include <stddef.h>

#include "err.h"
#include "session.h"

/* The month event published together with a month's outputs. */
enum kh_pub_event { KH_PUB_NONE, KH_PUB_CLOSE, KH_PUB_REOPEN };

/*
 * Write output/<month>/ from the stored results, in the same transaction
 * as the event (if any) that changes the month's state.
 */
int	kh_publish_month(struct kh_session *, const char *month,
	    enum kh_pub_event, const char *reason);
/* Write output/<year>/annual.{pdf,csv} from the closed months. */
int	kh_publish_annual(struct kh_session *, int year);
/*
 * 1 if root's latest publication was recorded but its folder was not
 * swapped in (a dead run's folder holds it: path in leftover), 0 if not,
 * -1 on failure (err).
 */
int	kh_publish_pending(struct kh_session *, const char *root,
	    char *leftover, size_t len, struct kh_err *);
/* Put in place a publication the record has but its folder does not. */
int	kh_publish_recover(struct kh_session *);

#endif
