/*
 * fname.c — identifiers as file names and back (see fname.h).
 */
#include <string.h>

#include "fname.h"

static const char hex[] = "0123456789ABCDEF";

/* A byte that stands for itself at this place of the name. */
static int
plain(unsigned char c, int first)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_' || (c == '-' && !first);
}

static unsigned char
upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* CON, PRN, AUX, NUL, COM0-9, LPT0-9 in any case: devices on Windows. */
static int
device(const char *s)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL" };
	char u[5];
	size_t i, n = strlen(s);

	if (n < 3 || n > 4)
		return 0;
	for (i = 0; i < n; i++)
		u[i] = (char)upper((unsigned char)s[i]);
	u[n] = '\0';
	if (n == 4)
		return (strncmp(u, "COM", 3) == 0 || strncmp(u, "LPT", 3) == 0) &&
		    u[3] >= '0' && u[3] <= '9';
	for (i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		if (strcmp(u, dev[i]) == 0)
			return 1;
	return 0;
}

int
kh_fname_encode(const char *id, char *out, size_t len)
{
	const unsigned char *p;
	size_t n = 0;
	int dev;

	if (id == NULL || *id == '\0')
		return -1;
	dev = device(id);
	for (p = (const unsigned char *)id; *p != '\0'; p++) {
		if (plain(*p, p == (const unsigned char *)id) &&
		    !(dev && p == (const unsigned char *)id)) {
			if (n + 1 >= len)
				return -1;
			out[n++] = (char)*p;
			continue;
		}
		if (n + 3 >= len)
			return -1;
		out[n++] = '%';
		out[n++] = hex[*p >> 4];
		out[n++] = hex[*p & 15];
	}
	out[n] = '\0';
	return 0;
}

/* Value of an upper-case hex digit, or -1 (lower case is not ours). */
static int
hexval(char c)
{
	const char *p = c != '\0' ? strchr(hex, c) : NULL;

	return p != NULL ? (int)(p - hex) : -1;
}

/*
 * Decode, checking on the way that each byte is written the one way
 * kh_fname_encode writes it: a literal only where it may stand for
 * itself, an escape only where it must (the first byte of a device
 * name is checked once the whole name is known).
 */
int
kh_fname_decode(const char *name, char *out, size_t len)
{
	const char *p = name;
	size_t n = 0;
	int hi, lo, esc, first_esc = 0;
	unsigned char b;

	if (name == NULL || *name == '\0')
		return -1;
	while (*p != '\0') {
		if ((esc = *p == '%') != 0) {
			if ((hi = hexval(p[1])) < 0 || (lo = hexval(p[2])) < 0)
				return -1;
			b = (unsigned char)(hi << 4 | lo);
			p += 3;
		} else
			b = (unsigned char)*p++;
		if (b == '\0' || n + 1 >= len)
			return -1;
		if (n == 0)
			first_esc = esc;
		else if (esc == plain(b, 0))
			return -1;
		out[n++] = (char)b;
	}
	out[n] = '\0';
	/* the first byte is escaped exactly when it is not plain or starts a device */
	if (first_esc != (!plain((unsigned char)out[0], 1) || device(out)))
		return -1;
	return 0;
}
