/*
 * docs_layout.h — the layout templates of the documents
 * (templates/layouts/<document>.xml), loaded and checked.
 *
 * Owned by the documents layer (docs*.c).  A layout says what a document
 * prints and where, so that moving a column or rewording the notice is an
 * edit of the template, not a patch: page and margins, font sizes, fixed
 * texts with {placeholders}, whole-number parameters (e.g. the notice's
 * day counts), charts on or off with their titles, and every table's
 * columns (field, header, width in mm, alignment).  The format is written
 * up in templates/layouts/README.md.
 *
 * Each document passes a struct kh_layout_spec naming what it understands;
 * the loader refuses (KH_REJECT, file and line) anything malformed, any
 * unknown element, attribute, id, field or placeholder, duplicates, and
 * anything the spec requires that the file lacks.  Read through xmlin.h.
 */
#ifndef KH_DOCS_LAYOUT_H
#define KH_DOCS_LAYOUT_H

#include <stddef.h>

#include "err.h"
#include "render.h"

#define KH_LAYOUT_MAX_COLS	24
#define KH_LAYOUT_ID_MAX	32

/* What a document accepts: every id listed here is required in the file. */
struct kh_layout_table_spec {
	const char		 *id;
	const char *const	 *fields;	/* NULL-terminated */
};

struct kh_layout_spec {
	const char		 *document;	/* <layout document="…"> */
	const char *const	 *texts;	/* NULL-terminated text ids */
	const char *const	 *params;	/* NULL-terminated parameter names */
	const char *const	 *charts;	/* NULL-terminated chart ids */
	const struct kh_layout_table_spec *tables;
	size_t			  n_tables;
	const char *const	 *placeholders;	/* names allowed inside {…} */
};

struct kh_layout_col {
	char		 field[KH_LAYOUT_ID_MAX];
	char		*head;
	double		 width;		/* pt (converted from mm), 0 = share */
	enum kh_align	 align;
};

struct kh_layout_table {
	char			 id[KH_LAYOUT_ID_MAX];
	char			*title;		/* "" if none */
	struct kh_layout_col	 cols[KH_LAYOUT_MAX_COLS];
	size_t			 ncols;
};

/* Font sizes in pt, by role. */
struct kh_layout_fonts {
	double	title, heading, body, table, chart, small;
};

struct kh_layout;

int	kh_layout_load(const char *path, const struct kh_layout_spec *,
	    struct kh_layout **out, struct kh_err *);
int	kh_layout_load_memory(const char *buf, size_t len, const char *name,
	    const struct kh_layout_spec *, struct kh_layout **out, struct kh_err *);
void	kh_layout_free(struct kh_layout *);

enum kh_page_size kh_layout_page(const struct kh_layout *);
/* Margins in pt; 0 where the file gives none (render's default). */
void	kh_layout_margins(const struct kh_layout *, double *left, double *right,
	    double *top, double *bottom);
const struct kh_layout_fonts *kh_layout_fonts(const struct kh_layout *);
/* The text of id, or "" (never NULL; required ids are always there). */
const char *kh_layout_text(const struct kh_layout *, const char *id);
long	kh_layout_param(const struct kh_layout *, const char *name);
/* 1 if chart id is shown; its title (never NULL) in *title. */
int	kh_layout_chart(const struct kh_layout *, const char *id,
	    const char **title);
const struct kh_layout_table *kh_layout_table(const struct kh_layout *,
	    const char *id);

/*
 * Replace each {name} of tpl by the value of the same index in names /
 * values (n pairs); "{{" gives "{".  Unknown names are kept as written
 * (the loader already refused them).  Always NUL-terminates; returns out.
 */
char	*kh_layout_expand(const char *tpl, const char *const *names,
	    const char *const *values, size_t n, char *out, size_t len);


#endif
