/*
 * utf8.h — UTF-8 strings cut only between characters.
 *
 * kaohe keeps names, notes and reasons in fixed buffers; whenever one is
 * too long it is cut, and a cut must never split a multi-byte sequence
 * (a half character prints as garbage and breaks the PDF's text).  Every
 * cut in kaohe goes through these.
 */
#ifndef KH_UTF8_H
#define KH_UTF8_H

#include <stddef.h>

/*
 * The largest k <= max (and <= strlen(s)) such that s[0..k) ends between
 * characters: a cut there splits no sequence.
 */
size_t	kh_utf8_fit(const char *s, size_t max);
/* Copy src into dst[size] (size > 0), cut between characters if need be. */
void	kh_utf8_copy(char *dst, size_t size, const char *src);
/*
 * s was cut somewhere (a truncating snprintf): drop an incomplete last
 * sequence, if any, so that s ends between characters.
 */
void	kh_utf8_trim(char *s);

#endif
