/*
 * docs_layout.c — loading and checking the documents' layout templates
 * (see docs_layout.h and templates/layouts/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "docs_layout.h"
#include "utf8.h"
#include "xmlin.h"

#define MAX_TEXTS	64
#define MAX_PARAMS	32
#define MAX_CHARTS	16
#define MAX_TABLES	16

struct named {
	char	 id[KH_LAYOUT_ID_MAX];
	char	*value;		/* texts, chart titles */
	long	 num;		/* params; charts: shown */
	long	 line;
};

struct kh_layout {
	char			 name[512];	/* file, for messages */
	enum kh_page_size	 page;
	double			 margin[4];	/* left, right, top, bottom, pt */
	struct kh_layout_fonts	 fonts;
	struct named		 texts[MAX_TEXTS];	size_t n_texts;
	struct named		 params[MAX_PARAMS];	size_t n_params;
	struct named		 charts[MAX_CHARTS];	size_t n_charts;
	struct kh_layout_table	 tables[MAX_TABLES];	size_t n_tables;
};

/* Parser state: the layout being filled, the spec, the reader. */
struct parse {
	struct kh_layout		*l;
	const struct kh_layout_spec	*spec;
	struct kh_xml			*x;
	const struct kh_layout_table_spec *tspec;	/* of the open <table> */
	struct kh_layout_table		*table;		/* open <table>, or NULL */
	int				 seen_margins, seen_fonts;
};

static int
in_list(const char *const *list, const char *s)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Fill err for the current element: "layout file:line: <el>: msg". */
static int
refuse(struct parse *p, struct kh_err *err, const char *fmt, const char *a,
    const char *b)
{
	char msg[768];

	snprintf(msg, sizeof(msg), fmt, a != NULL ? a : "", b != NULL ? b : "");
	return kh_err_set(err, KH_REJECT, p->l->name, kh_xml_line(p->x),
	    kh_xml_name(p->x), NULL, "layout: %s", msg);
}

/* Required attribute, or a refusal. */
static const char *
need_attr(struct parse *p, const char *name, struct kh_err *err)
{
	const char *v = kh_xml_attr(p->x, name);

	if (v == NULL || v[0] == '\0')
		refuse(p, err, "missing attribute %s", name, NULL);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int
check_attrs(struct parse *p, const char *const *known, struct kh_err *err)
{
	const char *u = kh_xml_unknown_attr(p->x, known);

	if (u != NULL)
		return refuse(p, err, "unknown attribute %s", u, NULL);
	return KH_OK;
}

/* Every {name} in s must be a placeholder the document knows. */
static int
check_placeholders(struct parse *p, const char *s, struct kh_err *err)
{
	char name[KH_LAYOUT_ID_MAX];
	const char *e;
	size_t n;

	for (; *s != '\0'; s++) {
		if (s[0] == '{' && s[1] == '{') {
			s++;
			continue;
		}
		if (s[0] != '{')
			continue;
		e = strchr(s, '}');
		n = e != NULL ? (size_t)(e - s - 1) : 0;
		if (e == NULL || n == 0 || n >= sizeof(name))
			return refuse(p, err, "unterminated or empty "
			    "placeholder near \"%.20s\"", s, NULL);
		memcpy(name, s + 1, n);
		name[n] = '\0';
		if (!in_list(p->spec->placeholders, name))
			return refuse(p, err, "unknown placeholder {%s}",
			    name, NULL);
		s = e;
	}
	return KH_OK;
}

/*
 * The opening every named element shares: only known attributes, and
 * the one that names it (key).  NULL when refused, *rc saying how.
 */
static const char *
el_name(struct parse *p, const char *const *known, const char *key, int *rc,
    struct kh_err *err)
{
	const char *name;

	if ((*rc = check_attrs(p, known, err)) != KH_OK)
		return NULL;
	if ((name = need_attr(p, key, err)) == NULL)
		*rc = KH_REJECT;
	return name;
}

/* An optional attribute printed in a document: "" when absent. */
static int
text_attr(struct parse *p, const char *attr, const char **out,
    struct kh_err *err)
{
	if ((*out = kh_xml_attr(p->x, attr)) == NULL)
		*out = "";
	return check_placeholders(p, *out, err);
}

/* The layout keeps its own copy of each text (the reader's is reused). */
static int
dup_text(char **dst, const char *s, struct kh_err *err)
{
	if ((*dst = strdup(s)) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	return KH_OK;
}

/* A size or width: decimal with one place, > 0 and <= max. */
static int
parse_tenths(struct parse *p, const char *attr, long max, double *out,
    struct kh_err *err)
{
	const char *v = kh_xml_attr(p->x, attr);
	int64_t t;

	if (v == NULL)
		return KH_OK;
	if (kh_dec_parse(v, 1, 0, &t) != 0 || t > max * 10)
		return refuse(p, err, "%s=\"%s\" is not a number in range",
		    attr, v);
	*out = (double)t / 10.0;
	return KH_OK;
}

static struct named *
find_named(struct named *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* Add an id to one of the named lists, refusing unknown ids and repeats. */
static struct named *
add_named(struct parse *p, struct named *v, size_t *n, size_t max,
    const char *const *allowed, const char *what, const char *id,
    struct kh_err *err)
{
	if (!in_list(allowed, id)) {
		refuse(p, err, "unknown %s \"%s\"", what, id);
		return NULL;
	}
	if (find_named(v, *n, id) != NULL) {
		refuse(p, err, "%s \"%s\" given twice", what, id);
		return NULL;
	}
	if (*n >= max) {
		refuse(p, err, "too many %s elements%s", what, NULL);
		return NULL;
	}
	snprintf(v[*n].id, sizeof(v[*n].id), "%s", id);
	v[*n].line = kh_xml_line(p->x);
	return &v[(*n)++];
}

static int
el_root(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "document", "page", NULL };
	const char *doc, *page;
	int rc;

	if (strcmp(kh_xml_name(p->x), "layout") != 0)
		return refuse(p, err, "the root element must be <layout>, "
		    "not <%s>", kh_xml_name(p->x), NULL);
	if ((rc = check_attrs(p, known, err)) != KH_OK)
		return rc;
	if ((doc = need_attr(p, "document", err)) == NULL)
		return KH_REJECT;
	if (strcmp(doc, p->spec->document) != 0)
		return refuse(p, err, "document=\"%s\": this file must lay "
		    "out \"%s\"", doc, p->spec->document);
	page = kh_xml_attr(p->x, "page");
	if (page == NULL || strcmp(page, "a4-portrait") == 0)
		p->l->page = KH_A4_PORTRAIT;
	else if (strcmp(page, "a4-landscape") == 0)
		p->l->page = KH_A4_LANDSCAPE;
	else
		return refuse(p, err, "page=\"%s\": use a4-portrait or "
		    "a4-landscape", page, NULL);
	return KH_OK;
}

static int
el_margins(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "left", "right", "top",
	    "bottom", NULL };
	double mm[4] = { 0, 0, 0, 0 };
	int rc = check_attrs(p, known, err);

	if (rc != KH_OK)
		return rc;
	if (p->seen_margins++)
		return refuse(p, err, "<margins> given twice%s", NULL, NULL);
	for (int i = 0; i < 4 && rc == KH_OK; i++)
		rc = parse_tenths(p, known[i], 60, &mm[i], err);
	for (int i = 0; i < 4; i++)
		p->l->margin[i] = KH_MM(mm[i]);
	return rc;
}

static int
el_fonts(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "title", "heading", "body",
	    "table", "chart", "small", NULL };
	struct kh_layout_fonts *f = &p->l->fonts;
	double *slot[] = { &f->title, &f->heading, &f->body, &f->table,
	    &f->chart, &f->small };
	int rc = check_attrs(p, known, err);

	if (rc != KH_OK)
		return rc;
	if (p->seen_fonts++)
		return refuse(p, err, "<fonts> given twice%s", NULL, NULL);
	for (int i = 0; i < 6 && rc == KH_OK; i++)
		rc = parse_tenths(p, known[i], 72, slot[i], err);
	if (rc == KH_OK && (f->table < KH_MIN_TABLE_SIZE ||
	    f->chart < KH_MIN_TABLE_SIZE))
		return refuse(p, err, "table and chart text must be at least "
		    "9 pt%s", NULL, NULL);
	for (int i = 0; i < 6 && rc == KH_OK; i++)
		if (*slot[i] < 6.0)
			return refuse(p, err, "%s size below 6 pt", known[i],
			    NULL);
	return rc;
}

static int
el_text(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "id", "value", NULL };
	const char *id, *value;
	struct named *n;
	int rc;

	if ((id = el_name(p, known, "id", &rc, err)) == NULL)
		return rc;
	if ((value = kh_xml_attr(p->x, "value")) == NULL)
		return refuse(p, err, "missing attribute value%s", NULL, NULL);
	if ((rc = check_placeholders(p, value, err)) != KH_OK)
		return rc;
	n = add_named(p, p->l->texts, &p->l->n_texts, MAX_TEXTS,
	    p->spec->texts, "text", id, err);
	if (n == NULL)
		return KH_REJECT;
	return dup_text(&n->value, value, err);
}

static int
el_param(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "name", "value", NULL };
	const char *id, *value;
	struct named *n;
	int64_t v;
	int rc;

	if ((id = el_name(p, known, "name", &rc, err)) == NULL)
		return rc;
	if ((value = need_attr(p, "value", err)) == NULL)
		return KH_REJECT;
	if (kh_dec_parse(value, 0, 0, &v) != 0 || v > 1000)
		return refuse(p, err, "param %s: value=\"%s\" is not a whole "
		    "number 0..1000", id, value);
	n = add_named(p, p->l->params, &p->l->n_params, MAX_PARAMS,
	    p->spec->params, "param", id, err);
	if (n == NULL)
		return KH_REJECT;
	n->num = (long)v;
	return KH_OK;
}

static int
el_chart(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "id", "show", "title", NULL };
	const char *id, *show, *title;
	struct named *n;
	int rc;

	if ((id = el_name(p, known, "id", &rc, err)) == NULL)
		return rc;
	show = kh_xml_attr(p->x, "show");
	if (show != NULL && strcmp(show, "yes") != 0 && strcmp(show, "no") != 0)
		return refuse(p, err, "show=\"%s\": use yes or no", show, NULL);
	if ((rc = text_attr(p, "title", &title, err)) != KH_OK)
		return rc;
	n = add_named(p, p->l->charts, &p->l->n_charts, MAX_CHARTS,
	    p->spec->charts, "chart", id, err);
	if (n == NULL)
		return KH_REJECT;
	n->num = show == NULL || strcmp(show, "yes") == 0;
	return dup_text(&n->value, title, err);
}

static int
el_table(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "id", "title", NULL };
	const char *id, *title;
	struct kh_layout_table *t;
	int rc;

	if ((id = el_name(p, known, "id", &rc, err)) == NULL)
		return rc;
	p->tspec = NULL;
	for (size_t i = 0; i < p->spec->n_tables; i++)
		if (strcmp(p->spec->tables[i].id, id) == 0)
			p->tspec = &p->spec->tables[i];
	if (p->tspec == NULL)
		return refuse(p, err, "unknown table \"%s\"", id, NULL);
	if (kh_layout_table(p->l, id) != NULL)
		return refuse(p, err, "table \"%s\" given twice", id, NULL);
	if (p->l->n_tables >= MAX_TABLES)
		return refuse(p, err, "too many tables%s", NULL, NULL);
	if ((rc = text_attr(p, "title", &title, err)) != KH_OK)
		return rc;
	t = &p->l->tables[p->l->n_tables++];
	snprintf(t->id, sizeof(t->id), "%s", id);
	if ((rc = dup_text(&t->title, title, err)) == KH_OK)
		p->table = t;
	return rc;
}

static int
el_column(struct parse *p, struct kh_err *err)
{
	static const char *const known[] = { "field", "head", "width",
	    "align", NULL };
	struct kh_layout_col *c;
	const char *field, *head, *align;
	double w = 0;
	int rc;

	if ((field = el_name(p, known, "field", &rc, err)) == NULL)
		return rc;
	if (!in_list(p->tspec->fields, field))
		return refuse(p, err, "unknown field \"%s\" in table \"%s\"",
		    field, p->table->id);
	if (p->table->ncols >= KH_LAYOUT_MAX_COLS)
		return refuse(p, err, "too many columns in table \"%s\"",
		    p->table->id, NULL);
	if ((rc = text_attr(p, "head", &head, err)) != KH_OK ||
	    (rc = parse_tenths(p, "width", 400, &w, err)) != KH_OK)
		return rc;
	c = &p->table->cols[p->table->ncols];
	align = kh_xml_attr(p->x, "align");
	if (align == NULL || strcmp(align, "left") == 0)
		c->align = KH_LEFT;
	else if (strcmp(align, "center") == 0)
		c->align = KH_CENTER;
	else if (strcmp(align, "right") == 0)
		c->align = KH_RIGHT;
	else
		return refuse(p, err, "align=\"%s\": use left, center or "
		    "right", align, NULL);
	snprintf(c->field, sizeof(c->field), "%s", field);
	c->width = KH_MM(w);
	if ((rc = dup_text(&c->head, head, err)) == KH_OK)
		p->table->ncols++;
	return rc;
}

/* One element, dispatched on depth and name. */
static int
element(struct parse *p, struct kh_err *err)
{
	const char *name = kh_xml_name(p->x);
	int depth = kh_xml_depth(p->x);

	if (depth == 0)
		return el_root(p, err);
	if (depth == 2 && p->table != NULL && strcmp(name, "column") == 0)
		return el_column(p, err);
	if (depth != 1)
		return refuse(p, err, "<%s> is not allowed here", name, NULL);
	p->table = NULL;
	if (strcmp(name, "margins") == 0)
		return el_margins(p, err);
	if (strcmp(name, "fonts") == 0)
		return el_fonts(p, err);
	if (strcmp(name, "text") == 0)
		return el_text(p, err);
	if (strcmp(name, "param") == 0)
		return el_param(p, err);
	if (strcmp(name, "chart") == 0)
		return el_chart(p, err);
	if (strcmp(name, "table") == 0)
		return el_table(p, err);
	return refuse(p, err, "unknown element <%s>", name, NULL);
}

/* Everything the spec lists must be in the file. */
static int
check_complete(const struct kh_layout *l, const struct kh_layout_spec *s,
    struct kh_err *err)
{
	const char *const *id;

	for (id = s->texts; id != NULL && *id != NULL; id++)
		if (find_named((struct named *)l->texts, l->n_texts, *id) == NULL)
			return kh_err_set(err, KH_REJECT, l->name, 0, "text",
			    *id, "layout: text \"%s\" is missing", *id);
	for (id = s->params; id != NULL && *id != NULL; id++)
		if (find_named((struct named *)l->params, l->n_params, *id) == NULL)
			return kh_err_set(err, KH_REJECT, l->name, 0, "param",
			    *id, "layout: param \"%s\" is missing", *id);
	for (id = s->charts; id != NULL && *id != NULL; id++)
		if (find_named((struct named *)l->charts, l->n_charts, *id) == NULL)
			return kh_err_set(err, KH_REJECT, l->name, 0, "chart",
			    *id, "layout: chart \"%s\" is missing", *id);
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct kh_layout_table *t = kh_layout_table(l,
		    s->tables[i].id);

		if (t == NULL || t->ncols == 0)
			return kh_err_set(err, KH_REJECT, l->name, 0, "table",
			    s->tables[i].id, "layout: table \"%s\" is missing "
			    "or has no columns", s->tables[i].id);
	}
	return KH_OK;
}

static struct kh_layout *
layout_new(const char *name)
{
	struct kh_layout *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->fonts = (struct kh_layout_fonts){ 16, 11, 10, 9.5, 9, 8 };
	return l;
}

/* The body of both loaders, over an opened reader. */
static int
load(struct kh_xml *x, const char *name, const struct kh_layout_spec *spec,
    struct kh_layout **out, struct kh_err *err)
{
	struct parse p;
	int rc = KH_FAIL, r;

	memset(&p, 0, sizeof(p));
	p.spec = spec;
	p.x = x;
	if ((p.l = layout_new(name)) == NULL) {
		rc = kh_err_sys(err, KH_FAIL, "out of memory");
		goto out;
	}
	while ((r = kh_xml_next(x, err)) == 1)
		if ((rc = element(&p, err)) != KH_OK)
			goto out;
	if (r < 0) {
		rc = err->status != KH_OK ? err->status : KH_REJECT;
		goto out;
	}
	if ((rc = check_complete(p.l, spec, err)) != KH_OK)
		goto out;
	*out = p.l;
	p.l = NULL;
	rc = KH_OK;
out:
	kh_layout_free(p.l);
	return rc;
}

int
kh_layout_load(const char *path, const struct kh_layout_spec *spec,
    struct kh_layout **out, struct kh_err *err)
{
	struct kh_xml *x = NULL;
	int rc;

	*out = NULL;
	if ((rc = kh_xml_open(path, &x, err)) != KH_OK)
		return rc;
	rc = load(x, path, spec, out, err);
	kh_xml_close(x);
	return rc;
}

int
kh_layout_load_memory(const char *buf, size_t len, const char *name,
    const struct kh_layout_spec *spec, struct kh_layout **out,
    struct kh_err *err)
{
	struct kh_xml *x = NULL;
	int rc;

	*out = NULL;
	if ((rc = kh_xml_open_memory(buf, len, name, &x, err)) != KH_OK)
		return rc;
	rc = load(x, name, spec, out, err);
	kh_xml_close(x);
	return rc;
}

void
kh_layout_free(struct kh_layout *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n_texts; i++)
		free(l->texts[i].value);
	for (size_t i = 0; i < l->n_charts; i++)
		free(l->charts[i].value);
	for (size_t i = 0; i < l->n_tables; i++) {
		free(l->tables[i].title);
		for (size_t j = 0; j < l->tables[i].ncols; j++)
			free(l->tables[i].cols[j].head);
	}
	free(l);
}

enum kh_page_size
kh_layout_page(const struct kh_layout *l)
{
	return l->page;
}

void
kh_layout_margins(const struct kh_layout *l, double *left, double *right,
    double *top, double *bottom)
{
	*left = l->margin[0];
	*right = l->margin[1];
	*top = l->margin[2];
	*bottom = l->margin[3];
}

const struct kh_layout_fonts *
kh_layout_fonts(const struct kh_layout *l)
{
	return &l->fonts;
}

const char *
kh_layout_text(const struct kh_layout *l, const char *id)
{
	for (size_t i = 0; i < l->n_texts; i++)
		if (strcmp(l->texts[i].id, id) == 0)
			return l->texts[i].value;
	return "";
}

long
kh_layout_param(const struct kh_layout *l, const char *name)
{
	for (size_t i = 0; i < l->n_params; i++)
		if (strcmp(l->params[i].id, name) == 0)
			return l->params[i].num;
	return 0;
}

int
kh_layout_chart(const struct kh_layout *l, const char *id, const char **title)
{
	*title = "";
	for (size_t i = 0; i < l->n_charts; i++)
		if (strcmp(l->charts[i].id, id) == 0) {
			*title = l->charts[i].value;
			return (int)l->charts[i].num;
		}
	return 0;
}

const struct kh_layout_table *
kh_layout_table(const struct kh_layout *l, const char *id)
{
	for (size_t i = 0; i < l->n_tables; i++)
		if (strcmp(l->tables[i].id, id) == 0)
			return &l->tables[i];
	return NULL;
}

char *
kh_layout_expand(const char *tpl, const char *const *names,
    const char *const *values, size_t n, char *out, size_t len)
{
	size_t o = 0;

#define PUT(c) do { if (o + 1 < len) out[o++] = (c); } while (0)
	if (len == 0)
		return out;
	while (*tpl != '\0') {
		const char *e;
		size_t k, i;

		if (tpl[0] == '{' && tpl[1] == '{') {
			PUT('{');
			tpl += 2;
			continue;
		}
		if (tpl[0] != '{' || (e = strchr(tpl, '}')) == NULL) {
			PUT(*tpl);
			tpl++;
			continue;
		}
		k = (size_t)(e - tpl - 1);
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == k &&
			    memcmp(names[i], tpl + 1, k) == 0)
				break;
		if (i == n) {
			PUT(*tpl);
			tpl++;
			continue;
		}
		for (const char *v = values[i]; v != NULL && *v != '\0'; v++)
			PUT(*v);
		tpl = e + 1;
	}
#undef PUT
	out[o] = '\0';
	kh_utf8_trim(out);
	return out;
}

