/*
 * session.h — what one invocation holds open for the modules that do its
 * work: the options, the store, the calendar, the schemes loaded so far,
 * and the say() messages through which they report.
 *
 * run.c opens it (deciding how the store may be opened) and hands it
 * down to run_files.c and publish.c; those use nothing of run.c, so the
 * dependency runs one way: main.c -> run.c -> run_files.c, publish.c ->
 * session.c.  Nothing here prints: say() is main.c's callback.
 */
#ifndef KH_SESSION_H
#define KH_SESSION_H

#include <stddef.h>

#include "err.h"

struct kh_calendar;
struct kh_scheme;
struct kh_store;

enum kh_say_level {
	KH_SAY_DEBUG,		/* -v only */
	KH_SAY_INFO,		/* one line per file / document; not with -q */
	KH_SAY_WARN,		/* always, on stderr */
	KH_SAY_ERROR,		/* always, on stderr */
	KH_SAY_RESULT		/* always, on stdout, even with -q (verify's head) */
};

struct kh_session_opts {
	const char	*db;		/* kaohe.db */
	const char	*input;		/* input */
	const char	*output;	/* output */
	const char	*templates;	/* templates */
	const char	*command;	/* "run", for the chain-heads log */
	void		(*say)(void *arg, enum kh_say_level, const char *msg);
	void		*say_arg;
};

#define KH_SESSION_MAX_SCHEMES 8

struct kh_session {
	struct kh_session_opts	 opts;
	struct kh_store		*store;
	struct kh_calendar	*calendar;	/* NULL when only reading */
	struct {
		int		 year;
		struct kh_scheme *scheme;
	}			 schemes[KH_SESSION_MAX_SCHEMES];
	size_t			 n_schemes;
};

/* Frees what the session holds (store, calendar, schemes); NULL safe. */
void	kh_session_clear(struct kh_session *);

void	kh_sayf(struct kh_session *, enum kh_say_level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Report err at its own grade (nothing for KH_OK); returns st. */
int	kh_say_err(struct kh_session *, const struct kh_err *, int st);

/*
 * The scheme in force for a year: templates/scheme-YYYY.xml, else the
 * newest scheme-*.xml of an earlier year.  Loaded once per session.
 */
int	kh_session_scheme(struct kh_session *, int year,
	    const struct kh_scheme **, struct kh_err *);

#endif
