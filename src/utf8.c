/*
 * utf8.c — UTF-8 strings cut only between characters (see utf8.h).
 */
#include <string.h>

#include "utf8.h"

static int
continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t
kh_utf8_fit(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && continuation((unsigned char)s[max]))
		max--;
	return max;
}

void
kh_utf8_copy(char *dst, size_t size, const char *src)
{
	size_t n = kh_utf8_fit(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
kh_utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char c;

	/* the start of the last sequence: at most 3 continuation bytes back */
	while (i > 0 && n - i < 4 && continuation((unsigned char)s[i - 1]))
		i--;
	if (i == 0 || (c = (unsigned char)s[i - 1]) < 0x80)
		return;
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}
