/*
 * err.c — filling and formatting struct kh_err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

void
kh_err_clear(struct kh_err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

static void
copy_field(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

int
kh_err_set(struct kh_err *e, enum kh_status st, const char *file, long line,
    const char *element, const char *record, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return st;
	e->status = st;
	copy_field(e->file, sizeof(e->file), file);
	e->line = line;
	copy_field(e->element, sizeof(e->element), element);
	copy_field(e->record, sizeof(e->record), record);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return st;
}

int
kh_err_sys(struct kh_err *e, enum kh_status st, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return st;
	memset(e, 0, sizeof(*e));
	e->status = st;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return st;
}

const char *
kh_err_format(const struct kh_err *e, char *buf, size_t len)
{
	size_t off = 0;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
#define APPEND(...) do {						\
	n = snprintf(buf + off, len - off, __VA_ARGS__);		\
	if (n < 0 || (size_t)n >= len - off) return buf;		\
	off += (size_t)n;						\
} while (0)
	if (e->file[0] != '\0') {
		if (e->line > 0)
			APPEND("%s:%ld: ", e->file, e->line);
		else
			APPEND("%s: ", e->file);
	}
	if (e->element[0] != '\0') {
		if (e->record[0] != '\0')
			APPEND("<%s id=\"%s\">: ", e->element, e->record);
		else
			APPEND("<%s>: ", e->element);
	} else if (e->record[0] != '\0')
		APPEND("%s: ", e->record);
	APPEND("%s", e->msg);
#undef APPEND
	return buf;
}
