/*
 * linebreak.h — greedy line breaking of UTF-8 text for CJK documents.
 *
 * Owned by the rendering layer (floor 1).  Break opportunities come from
 * libunibreak (UAX #14, language "zh"): a line may break between any two
 * Chinese characters, but never before 。，、）》 and the like nor after
 * （《; Latin words and numbers stay whole unless a word alone is wider
 * than the line (then it is cut where it overflows).  '\n' always breaks.
 *
 * Widths come from a caller's function, so the module knows no font.
 */
#ifndef KH_LINEBREAK_H
#define KH_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Advance width of one code point, in the caller's unit. */
typedef double	(*kh_advance_fn)(void *arg, uint32_t cp);

/* One line: a byte range of the input, trailing spaces and '\n' excluded. */
struct kh_text_line {
	size_t	 off;
	size_t	 len;
	double	 width;
};

/*
 * Break utf8 (NUL-terminated, valid UTF-8 expected; invalid bytes count as
 * U+FFFD) into lines no wider than `width` where possible.  *lines is
 * malloc'd (the caller frees it); an empty string gives one empty line.
 */
int	kh_linebreak(const char *utf8, double width, kh_advance_fn, void *arg,
	    struct kh_text_line **lines, size_t *nlines, struct kh_err *);

/*
 * Decode one code point at s (length n > 0); stores its byte length in
 * *adv (>= 1).  Invalid or truncated sequences give U+FFFD.
 */
uint32_t kh_utf8_next(const char *s, size_t n, size_t *adv);

#endif
