/*
 * pathlist.h — a growing list of owned strings: the exports found under
 * the input folder (run.c), the files a publication wrote (publish.c).
 */
#ifndef KH_PATHLIST_H
#define KH_PATHLIST_H

#include <stddef.h>

struct kh_pathlist {
	char	**v;
	size_t	  n, cap;
};

/* Append a copy of p; -1 when out of memory (the list unchanged). */
int	kh_pathlist_add(struct kh_pathlist *, const char *p);
/* Frees the strings and the array (not the struct); safe on a zeroed one. */
void	kh_pathlist_free(struct kh_pathlist *);

#endif
