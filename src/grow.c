/*
 * grow.c — growing arrays (see grow.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int
kh_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;
	size_t ncap;
	void *q;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap <= n)
		ncap = n + 1;
	if (size == 0 || ncap > SIZE_MAX / size ||
	    (q = realloc(*p, ncap * size)) == NULL)
		return -1;
	memset((char *)q + *cap * size, 0, (ncap - *cap) * size);
	*p = q;
	*cap = ncap;
	return 0;
}
