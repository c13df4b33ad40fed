/*
 * err.h — the error story every module hands back to its caller.
 *
 * Modules never print and never exit: they fill a struct kh_err (file,
 * line, element, record id, reason) and return a graded status.  Only the
 * command layer (main.c) prints and chooses the exit status, worst level
 * wins, the way mandoc grades its diagnostics.
 */
#ifndef KH_ERR_H
#define KH_ERR_H

#include <stddef.h>

/* Graded status; the numbers are the exit codes of interface.md. */
enum kh_status {
	KH_OK = 0,	/* everything done */
	KH_REJECT = 1,	/* done, but some input rejected / result incomplete */
	KH_USAGE = 2,	/* the caller asked for something impossible */
	KH_FAIL = 3,	/* system or internal failure, nothing kept */
	KH_BROKEN = 4	/* the record fails verification (verify) */
};

struct kh_err {
	enum kh_status	 status;
	char		 file[512];	/* input file, "" if none */
	long		 line;		/* 1-based, 0 if unknown */
	char		 element[64];	/* XML element, "" if none */
	char		 record[64];	/* record / order / manager id */
	char		 msg[1024];	/* what is wrong, in plain words */
};

void	kh_err_clear(struct kh_err *);
/* Set every field at once; returns status so callers can `return kh_err_set(...)`. */
int	kh_err_set(struct kh_err *, enum kh_status, const char *file,
	    long line, const char *element, const char *record,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Shorthand for errors with no location. */
int	kh_err_sys(struct kh_err *, enum kh_status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* "file:line: <element id=…>: msg" into buf; returns buf. */
const char *kh_err_format(const struct kh_err *, char *buf, size_t len);
/* The worse of two statuses. */
static inline int kh_worst(int a, int b) { return a > b ? a : b; }

#endif
