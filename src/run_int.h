/*
 * run_int.h — what run.c (one run: import, score, month state, lookups)
 * shares with publish.c (one run's outputs: scores.csv, the documents,
 * the annual sheet).  For those two files only.
 */
#ifndef KH_RUN_INT_H
#define KH_RUN_INT_H

#include <stddef.h>

#include "run.h"
#include "scheme.h"

struct kh_calendar;
struct kh_store;

#define KH_RUN_MAX_SCHEMES 8

struct kh_run {
	struct kh_run_opts	 opts;
	struct kh_store		*store;
	struct kh_calendar	*calendar;
	struct {
		int		 year;
		struct kh_scheme *scheme;
	}			 schemes[KH_RUN_MAX_SCHEMES];
	size_t			 n_schemes;
	char			 head0[65];	/* the chain when opened */
	long			 links0;
	int			 pending;	/* interrupted publications */
};

/* A growing list of owned strings. */
struct kh_pathlist {
	char	**v;
	size_t	  n, cap;
};

int	kh_pathlist_add(struct kh_pathlist *, const char *);
void	kh_pathlist_free(struct kh_pathlist *);
void	kh_run_sayf(struct kh_run *, enum kh_say_level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Report err at its own grade; returns st. */
int	kh_run_say_err(struct kh_run *, const struct kh_err *, int st);
/* The scheme in force for a year (loaded once per run). */
int	kh_run_scheme(struct kh_run *, int year, const struct kh_scheme **,
	    struct kh_err *);
int	kh_run_month_year(const char *month);
/* Whether month is closed; reports a failure itself. */
int	kh_run_month_closed(struct kh_run *, const char *month, int *closed);

/* ---- publish.c: a run's outputs ---------------------------------------- */

/* The month event published together with a month's outputs. */
enum kh_pub_event { KH_PUB_NONE, KH_PUB_CLOSE, KH_PUB_REOPEN };
int	kh_publish_month(struct kh_run *, const char *month, enum kh_pub_event,
	    const char *reason);
/*
 * 1 if root's latest publication was recorded but its folder was not
 * swapped in (a dead run's folder holds it: path in leftover), 0 if not,
 * -1 on failure (err).
 */
int	kh_publish_pending(struct kh_run *, const char *root, char *leftover,
	    size_t len, struct kh_err *);
/* Put in place a publication the record has but its folder does not. */
int	kh_publish_recover(struct kh_run *);

#endif
