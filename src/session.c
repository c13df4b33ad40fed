/*
 * session.c — what one invocation holds open (see session.h): its
 * messages and the schemes it has loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "scheme.h"
#include "session.h"
#include "store.h"

void
kh_session_clear(struct kh_session *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_schemes; i++)
		kh_scheme_free(s->schemes[i].scheme);
	kh_calendar_free(s->calendar);
	kh_store_close(s->store);
	memset(s, 0, sizeof(*s));
}

/* ---- messages ------------------------------------------------------------ */

void
kh_sayf(struct kh_session *s, enum kh_say_level level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	if (s->opts.say == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->opts.say(s->opts.say_arg, level, buf);
}

int
kh_say_err(struct kh_session *s, const struct kh_err *err, int st)
{
	char buf[2048];

	if (st == KH_OK)
		return st;
	kh_sayf(s, st == KH_REJECT ? KH_SAY_WARN : KH_SAY_ERROR, "%s",
	    kh_err_format(err, buf, sizeof(buf)));
	return st;
}

/* ---- schemes ------------------------------------------------------------- */

/*
 * A method stays in force until a new one is issued, hence the newest
 * scheme of a year not after the one asked for.  KH_USAGE for a year
 * before every scheme: the month asked for is not one kaohe can assess.
 */
int
kh_session_scheme(struct kh_session *s, int year,
    const struct kh_scheme **out, struct kh_err *err)
{
	DIR *d = NULL;
	struct dirent *e;
	char path[4096];
	int best = 0, y, rc;
	size_t i;

	*out = NULL;
	for (i = 0; i < s->n_schemes; i++)
		if (s->schemes[i].year == year) {
			*out = s->schemes[i].scheme;
			return KH_OK;
		}
	if ((d = opendir(s->opts.templates)) == NULL)
		return kh_err_sys(err, KH_FAIL, "%s: %s", s->opts.templates,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, "scheme-%4d.xml", &y) == 1 &&
		    strlen(e->d_name) == strlen("scheme-0000.xml") &&
		    y <= year && y > best)
			best = y;
	}
	closedir(d);
	if (best == 0)
		return kh_err_sys(err, KH_USAGE, "no assessment scheme for %d "
		    "in %s (scheme-%d.xml)", year, s->opts.templates, year);
	if (s->n_schemes == KH_SESSION_MAX_SCHEMES)
		return kh_err_sys(err, KH_FAIL, "too many schemes in one run");
	snprintf(path, sizeof(path), "%s/scheme-%04d.xml", s->opts.templates,
	    best);
	if ((rc = kh_scheme_load(path, &s->schemes[s->n_schemes].scheme, err))
	    != KH_OK)
		return rc;
	s->schemes[s->n_schemes].year = year;
	*out = s->schemes[s->n_schemes++].scheme;
	return KH_OK;
}
