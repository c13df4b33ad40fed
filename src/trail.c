/*
 * trail.c — the trail model's ownership (see trail.h).
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
	for (i = 0; i < t->n_files; i++) {
		free(t->files[i].withdrawn_reason);
		free(t->files[i].withdrawn_by);
	}
	for (i = 0; i < t->n_revisions; i++) {
		free(t->revisions[i].targets);
		free(t->revisions[i].key_brands);
	}
	for (i = 0; i < t->n_events; i++)
		free(t->events[i].reason);
	free(t->manager);
	free(t->files);
	free(t->revisions);
	free(t->records);
	free(t->events);
	free(t->glyphs);
	memset(t, 0, sizeof(*t));
}

int
kh_trail_add_glyphs(struct kh_trail *t, const struct kh_trail_glyph *g,
    size_t n)
{
	struct kh_trail_glyph *grown;

	if (n == 0)
		return 0;
	if (n > SIZE_MAX / sizeof(*g) - t->n_glyphs ||
	    (grown = realloc(t->glyphs, (t->n_glyphs + n) * sizeof(*g)))
	    == NULL)
		return -1;
	memcpy(grown + t->n_glyphs, g, n * sizeof(*g));
	t->glyphs = grown;
	t->n_glyphs += n;
	return 0;
}

/* ---- the trail as text --------------------------------------------------- */
