/*
 * trail.c — ownership of struct kh_trail (see trail.h).
 */
#include <stdlib.h>
#include <string.h>

#include "trail.h"

void
kh_trail_clear(struct kh_trail *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n_events; i++)
		free(t->events[i].reason);
	free(t->files);
	free(t->targets);
	free(t->records);
	free(t->record_file);
	free(t->events);
	free(t->glyphs);
	memset(t, 0, sizeof(*t));
}
