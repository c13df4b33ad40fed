/*
 * linebreak.c — greedy UAX #14 line breaking over libunibreak.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * libunibreak's <linebreak.h> has the same name as ours, and -Isrc finds
 * ours first; <wordbreak.h> includes it as "linebreak.h" from its own
 * directory, which reaches the library's header.
 */
#include <wordbreak.h>

#include "grow.h"
#include "linebreak.h"

struct lines {
	struct kh_text_line	*v;
	size_t		 n, cap;
};

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;

static void
lb_init(void)
{
	init_linebreak();
}

uint32_t
kh_utf8_next(const char *s, size_t n, size_t *adv)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp, min;
	size_t len, i;

	*adv = 1;
	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xE0) == 0xC0) {
		len = 2; cp = u[0] & 0x1F; min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3; cp = u[0] & 0x0F; min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4; cp = u[0] & 0x07; min = 0x10000;
	} else
		return 0xFFFD;
	if (len > n)
		return 0xFFFD;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*adv = len;
	return cp;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Width of the bytes [from, to) of s. */
static double
range_width(const char *s, size_t from, size_t to, kh_advance_fn fn,
    void *arg)
{
	double w = 0;
	size_t a;

	while (from < to) {
		w += fn(arg, kh_utf8_next(s + from, to - from, &a));
		from += a;
	}
	return w;
}

/* Append [from, to) minus trailing white space. */
static int
emit(struct lines *l, const char *s, size_t from, size_t to,
    kh_advance_fn fn, void *arg)
{
	while (to > from && is_space(s[to - 1]))
		to--;
	if (kh_grow(&l->v, &l->cap, l->n, sizeof(*l->v)) != 0)
		return -1;
	l->v[l->n].off = from;
	l->v[l->n].len = to - from;
	l->v[l->n].width = range_width(s, from, to, fn, arg);
	l->n++;
	return 0;
}

static size_t
skip_spaces(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Nonzero if [from, to) holds something other than white space. */
static int
has_ink(const char *s, size_t from, size_t to)
{
	for (; from < to; from++)
		if (!is_space(s[from]))
			return 1;
	return 0;
}

/*
 * Greedy: add characters while they fit; on overflow break at the last
 * opportunity on the line, or, if there is none (one long word), right
 * before the overflowing character.  Spaces never overflow (they hang and
 * are trimmed).
 */
int
kh_linebreak(const char *s, double width, kh_advance_fn fn, void *arg,
    struct kh_text_line **out, size_t *nout, struct kh_err *err)
{
	struct lines l = { NULL, 0, 0 };
	char *brks = NULL;
	size_t n = strlen(s), i = 0, a, start = 0, last = 0;
	double cur = 0, w;
	uint32_t cp;
	int rc = KH_FAIL;

	*out = NULL;
	*nout = 0;
	pthread_once(&lb_once, lb_init);
	if (n > 0 && (brks = malloc(n)) == NULL)
		goto oom;
	if (n > 0)
		set_linebreaks_utf8((const utf8_t *)s, n, "zh", brks);
	while (i < n) {
		cp = kh_utf8_next(s + i, n - i, &a);
		w = is_space(s[i]) && cp < 0x80 && cp != ' ' && cp != '\t' ?
		    0 : fn(arg, cp);
		if (cur + w > width && !is_space(s[i]) && has_ink(s, start, i)) {
			size_t brk = last > start ? last : i;

			if (emit(&l, s, start, brk, fn, arg) < 0)
				goto oom;
			start = skip_spaces(s, brk, n);
			last = start;
			cur = range_width(s, start, i, fn, arg);
			if (cur + w > width && has_ink(s, start, i)) {
				if (emit(&l, s, start, i, fn, arg) < 0)
					goto oom;
				start = last = i;
				cur = 0;
			}
		}
		cur += w;
		i += a;
		if (brks[i - 1] == LINEBREAK_MUSTBREAK && i < n) {
			if (emit(&l, s, start, i, fn, arg) < 0)
				goto oom;
			start = last = i;
			cur = 0;
		} else if (brks[i - 1] == LINEBREAK_ALLOWBREAK)
			last = i;
	}
	if (emit(&l, s, start, n, fn, arg) < 0)
		goto oom;
	*out = l.v;
	*nout = l.n;
	l.v = NULL;
	rc = KH_OK;
	goto out;
oom:
	kh_err_sys(err, KH_FAIL, "out of memory breaking lines");
out:
	free(l.v);
	free(brks);
	return rc;
}
