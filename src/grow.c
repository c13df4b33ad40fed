/*
 * grow.c — growing arrays (see grow.h).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int
kh_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	return kh_grow_n(pp, cap, n, 1, size);
}

int
kh_grow_n(void *pp, size_t *cap, size_t n, size_t more, size_t size)
{
	void **p = pp;
	size_t need, ncap;
	void *q;

	/* n counts elements in use: the room zeroed starts at *cap */
	assert(n <= *cap);
	if (more > SIZE_MAX - n)
		return -1;
	need = n + more;
	if (need <= *cap)
		return 0;
	/* the capacity only changes once realloc has given the room */
	ncap = *cap == 0 ? 16 : *cap <= SIZE_MAX / 2 ? *cap * 2 : SIZE_MAX;
	if (ncap < need)
		ncap = need;
	if (size == 0 || ncap > SIZE_MAX / size ||
	    (q = realloc(*p, ncap * size)) == NULL)
		return -1;
	memset((char *)q + *cap * size, 0, (ncap - *cap) * size);
	*p = q;
	*cap = ncap;
	return 0;
}
