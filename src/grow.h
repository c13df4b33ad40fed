/*
 * grow.h — the one growing-array helper every module uses.
 */
#ifndef KH_GROW_H
#define KH_GROW_H

#include <stddef.h>

/*
 * Make *pp (an array of elements of size bytes with room for *cap) hold
 * at least n + 1 elements, doubling, the new room zero-filled.  0 on
 * success; -1 when out of memory, with *pp and *cap unchanged.
 */
int	kh_grow(void *pp, size_t *cap, size_t n, size_t size);

#endif
