/*
 * trail_text.h — the audit trail (trail.h) rendered as text, for
 * `kaohe trail`; docs_trail.c renders the same model as trail.pdf.
 */
#ifndef KH_TRAIL_TEXT_H
#define KH_TRAIL_TEXT_H

#include <stdio.h>

#include "err.h"
#include "results.h"
#include "trail.h"

/*
 * `kaohe trail` as text on out: the files, the targets revisions, the
 * records and the month events, every stored text whole and escaped
 * (esc.h) so that no note or reason can forge a line.
 */
int	kh_trail_print(FILE *out, const struct kh_trail *, struct kh_err *);
/*
 * Then, for a month, its stored computation: every explanation line of
 * the run in force (res and meta; res NULL: not scored yet), so that each
 * number of scores.csv can be followed back to the targets and records
 * printed above it, and the trail's glyph notes.
 */
int	kh_trail_print_results(FILE *out, const struct kh_trail *,
	    const struct kh_month_result *, const struct kh_run_meta *,
	    struct kh_err *);

#endif
