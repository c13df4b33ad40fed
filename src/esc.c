/*
 * esc.c — escaped printing of stored text (see esc.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "esc.h"

/* Bytes of the escape for the character at s, written to buf; 0 if none. */
static size_t
escape_at(const unsigned char *s, char buf[8], size_t *consumed)
{
	*consumed = 1;
	switch (s[0]) {
	case '\\': return (size_t)snprintf(buf, 8, "\\\\");
	case '\n': return (size_t)snprintf(buf, 8, "\\n");
	case '\r': return (size_t)snprintf(buf, 8, "\\r");
	case '\t': return (size_t)snprintf(buf, 8, "\\t");
	}
	if (s[0] < 0x20 || s[0] == 0x7f)
		return (size_t)snprintf(buf, 8, "\\x%02x", s[0]);
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {	/* C1 */
		*consumed = 2;
		return (size_t)snprintf(buf, 8, "\\u%04x", s[1]);
	}
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
		*consumed = 3;
		return (size_t)snprintf(buf, 8, "\\u%04x",
		    0x2000u | (s[2] & 0x3fu));
	}
	return 0;
}

int
kh_esc_fputs(const char *s, FILE *out)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char buf[8];
	size_t n, used;

	for (; *p != '\0'; p += used) {
		if ((n = escape_at(p, buf, &used)) == 0)
			continue;
		fwrite(run, 1, (size_t)(p - run), out);
		fwrite(buf, 1, n, out);
		run = p + used;
	}
	fwrite(run, 1, (size_t)(p - run), out);
	return ferror(out) ? -1 : 0;
}

/* One integer conversion spec[] (length modifier in it) from *ap. */
static void
print_int(FILE *out, const char *spec, char conv, va_list *ap)
{
	int is_signed = conv == 'd' || conv == 'i';

	if (strstr(spec, "ll") != NULL && is_signed)
		fprintf(out, spec, va_arg(*ap, long long));
	else if (strstr(spec, "ll") != NULL)
		fprintf(out, spec, va_arg(*ap, unsigned long long));
	else if (strchr(spec, 'l') != NULL && is_signed)
		fprintf(out, spec, va_arg(*ap, long));
	else if (strchr(spec, 'l') != NULL)
		fprintf(out, spec, va_arg(*ap, unsigned long));
	else if (strchr(spec, 'z') != NULL)
		fprintf(out, spec, va_arg(*ap, size_t));
	else if (strchr(spec, 'j') != NULL && is_signed)
		fprintf(out, spec, va_arg(*ap, intmax_t));
	else if (strchr(spec, 'j') != NULL)
		fprintf(out, spec, va_arg(*ap, uintmax_t));
	else if (strchr(spec, 't') != NULL)
		fprintf(out, spec, va_arg(*ap, ptrdiff_t));
	else if (is_signed)	/* int, and what h and hh promote to */
		fprintf(out, spec, va_arg(*ap, int));
	else
		fprintf(out, spec, va_arg(*ap, unsigned));
}

int
kh_esc_vprintf(FILE *out, const char *fmt, va_list ap)
{
	const char *p = fmt, *q;
	char spec[32];
	va_list args;
	size_t n;
	int rc = 0;

	va_copy(args, ap);	/* passed on by address: portable va_arg */
	while (*p != '\0' && rc == 0) {
		if (*p != '%') {
			n = strcspn(p, "%");
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		q = p + 1 + strspn(p + 1, "-+ #0123456789.hlzjt");
		n = (size_t)(q - p) + 1;
		if (*q == '\0' || n >= sizeof(spec)) {
			rc = -1;	/* not a format this takes */
			break;
		}
		memcpy(spec, p, n);
		spec[n] = '\0';
		if (*q == '%')
			fputc('%', out);
		else if (*q == 's')
			kh_esc_fputs(va_arg(args, const char *), out);
		else if (strchr("diuxXo", *q) != NULL)
			print_int(out, spec, *q, &args);
		else
			rc = -1;
		p = q + 1;
	}
	va_end(args);
	return rc != 0 || ferror(out) ? -1 : 0;
}

int
kh_esc_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kh_esc_vprintf(out, fmt, ap);
	va_end(ap);
	return rc;
}
