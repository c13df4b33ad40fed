/*
 * pathlist.c — a growing list of owned strings (see pathlist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "pathlist.h"

int
kh_pathlist_add(struct kh_pathlist *l, const char *p)
{
	char *copy;

	if ((copy = strdup(p)) == NULL)
		return -1;
	if (kh_grow(&l->v, &l->cap, l->n, sizeof(*l->v)) != 0) {
		free(copy);
		return -1;
	}
	l->v[l->n++] = copy;
	return 0;
}

void
kh_pathlist_free(struct kh_pathlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
