/*
 * esc.h — stored text printed so that it stays on its own line.
 *
 * Names, notes and reasons come from exports and the command line; a
 * newline in one must not start what reads as another line of `kaohe
 * trail` (a forged record or reopening), nor may a terminal control
 * sequence reach the screen.  Printed through these, a backslash becomes
 * "\\", newline, carriage return and tab "\n", "\r", "\t", every other
 * C0 control and DEL "\xHH", the C1 controls (NEL among them) "\u00HH",
 * and the line and paragraph separators "\u2028", "\u2029".  The rest of
 * the text, Chinese included, is printed as it is.
 */
#ifndef KH_ESC_H
#define KH_ESC_H

#include <stdarg.h>
#include <stdio.h>

/* s, escaped; -1 on a write error. */
int	kh_esc_fputs(const char *s, FILE *out);
/*
 * fprintf where every %s argument is escaped (the format's own text,
 * newlines included, is not).  Conversions: %s (no width or precision),
 * d i u x X o with flags, width, precision and hh h l ll z j t, and %%.
 */
int	kh_esc_printf(FILE *out, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	kh_esc_vprintf(FILE *out, const char *fmt, va_list ap);

#endif
