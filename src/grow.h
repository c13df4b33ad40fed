/*
 * grow.h — the one growing-array helper every module uses.
 */
#ifndef KH_GROW_H
#define KH_GROW_H

#include <stddef.h>

/*
 * Make *pp (an array of elements of size bytes with room for *cap, n of
 * them in use: n <= *cap) hold at least n + 1 elements, doubling, the new
 * room zero-filled.  0 on success; -1 when out of memory, with *pp and
 * *cap unchanged.
 */
int	kh_grow(void *pp, size_t *cap, size_t n, size_t size);
/*
 * The same for n + more elements at once (a run of bytes appended to a
 * buffer): the room at least doubles, or becomes exactly n + more when
 * that is more, so appends stay amortised O(1).  -1 also when n + more
 * overflows.  more == 0 only checks n <= *cap.
 */
int	kh_grow_n(void *pp, size_t *cap, size_t n, size_t more, size_t size);

#endif
