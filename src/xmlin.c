/*
 * xmlin.c — the hardened libxml2 reader (see xmlin.h for the rules).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "grow.h"
#include "xmlin.h"

/*
 * One attribute slot.  The value buffer is kept from element to element
 * and grown as needed (at most KH_XML_MAX_VALUE + 1 bytes), so reading
 * an element allocates nothing once the slots have warmed up.
 */
struct kh_attr {
	char	 name[KH_XML_MAX_NAME + 1];
	char	*value;
	size_t	 cap;			/* bytes allocated at value */
};

struct kh_xml {
	xmlTextReaderPtr reader;
	char		 path[512];
	char		 name[KH_XML_MAX_NAME + 1];
	int		 depth;
	long		 line;
	struct kh_attr	 attrs[KH_XML_MAX_ATTRS];
	size_t		 nattrs;
	char		 encoding[32];
	/* first libxml2 error, captured by the structured handler */
	int		 xml_failed;
	long		 xml_line;
	char		 xml_msg[512];
};

/*
 * Parser options: never the network, never load or validate a DTD, never
 * substitute entities, keep libxml2's own size limits (no XML_PARSE_HUGE).
 * NOBLANKS: the reader skips text anyway; not building the whitespace
 * between elements as nodes saves ~5% of a large import.
 */
#define KH_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | \
    XML_PARSE_NOERROR | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES | \
    XML_PARSE_NOBLANKS)

static void
capture_error(void *arg, xmlErrorPtr e)
{
	struct kh_xml *x = arg;
	size_t n;

	if (x->xml_failed || e == NULL || e->level < XML_ERR_ERROR)
		return;
	x->xml_failed = 1;
	x->xml_line = e->line;
	snprintf(x->xml_msg, sizeof(x->xml_msg), "%s",
	    e->message != NULL ? e->message : "malformed XML");
	n = strlen(x->xml_msg);
	while (n > 0 && (x->xml_msg[n - 1] == '\n' || x->xml_msg[n - 1] == ' '))
		x->xml_msg[--n] = '\0';
}

/*
 * libxml2 reports some errors (encoding conversion, I/O) through its
 * global generic handler, which prints to stderr; kaohe reports them
 * itself, once, from the reader's structured handler.
 */
static char generic_msg[256];	/* first such message since the last open */

static void
silent(void *ctx, const char *msg, ...)
{
	va_list ap;
	size_t n;

	(void)ctx;
	if (generic_msg[0] != '\0')
		return;
	va_start(ap, msg);
	vsnprintf(generic_msg, sizeof(generic_msg), msg, ap);
	va_end(ap);
	n = strlen(generic_msg);
	while (n > 0 && (generic_msg[n - 1] == '\n' || generic_msg[n - 1] == ' '))
		generic_msg[--n] = '\0';
}

/*
 * Refuse external entity loading even if some option let it through:
 * kaohe never needs anything outside the file it was given.
 */
static xmlParserInputPtr
no_external_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void
free_attrs(struct kh_xml *x)
{
	size_t i;

	for (i = 0; i < KH_XML_MAX_ATTRS; i++) {
		free(x->attrs[i].value);
		x->attrs[i].value = NULL;
		x->attrs[i].cap = 0;
	}
	x->nattrs = 0;
}

/* Copy len bytes of v and a NUL into slot a; -1 when out of memory. */
static int
set_value(struct kh_attr *a, const char *v, size_t len)
{
	/* the slot is reused for each element: room for this value */
	if (kh_grow_n(&a->value, &a->cap, 0, len + 1, 1) != 0)
		return -1;
	memcpy(a->value, v, len);
	a->value[len] = '\0';
	return 0;
}

static int
finish_open(struct kh_xml *x, struct kh_xml **out, struct kh_err *err)
{
	if (x->reader == NULL) {
		kh_err_set(err, KH_REJECT, x->path, 0, NULL, NULL,
		    "cannot open as XML");
		free(x);
		*out = NULL;
		return KH_REJECT;
	}
	xmlTextReaderSetStructuredErrorHandler(x->reader, capture_error, x);
	*out = x;
	return KH_OK;
}

/*
 * A reader's state, named for messages, with libxml2's global hooks set
 * (no external entity, no message of its own) before any parse starts.
 */
static struct kh_xml *
new_xml(const char *name)
{
	struct kh_xml *x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	snprintf(x->path, sizeof(x->path), "%s", name);
	xmlSetExternalEntityLoader(no_external_entities);
	xmlSetGenericErrorFunc(NULL, silent);
	generic_msg[0] = '\0';
	return x;
}

int
kh_xml_open(const char *path, struct kh_xml **out, struct kh_err *err)
{
	struct kh_xml *x;

	*out = NULL;
	if ((x = new_xml(path)) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	x->reader = xmlReaderForFile(path, NULL, KH_XML_OPTIONS);
	return finish_open(x, out, err);
}

int
kh_xml_open_memory(const char *buf, size_t len, const char *name,
    struct kh_xml **out, struct kh_err *err)
{
	struct kh_xml *x;

	*out = NULL;
	if (len > (size_t)0x7fffffff)
		return kh_err_set(err, KH_REJECT, name, 0, NULL, NULL,
		    "document too large");
	if ((x = new_xml(name)) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	x->reader = xmlReaderForMemory(buf, (int)len, name, NULL,
	    KH_XML_OPTIONS);
	return finish_open(x, out, err);
}

int
kh_xml_open_io(int (*read)(void *, char *, int), void *arg, const char *name,
    struct kh_xml **out, struct kh_err *err)
{
	struct kh_xml *x;

	*out = NULL;
	if ((x = new_xml(name)) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	x->reader = xmlReaderForIO(read, NULL, arg, name, NULL, KH_XML_OPTIONS);
	return finish_open(x, out, err);
}

void
kh_xml_close(struct kh_xml *x)
{
	if (x == NULL)
		return;
	free_attrs(x);
	if (x->reader != NULL)
		xmlFreeTextReader(x->reader);
	free(x);
}

/* Reject the document at the current line; always returns -1. */
static int
fail(struct kh_xml *x, struct kh_err *err, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	kh_err_set(err, KH_REJECT, x->path, x->line > 0 ? x->line : 0, NULL,
	    NULL, "%s", msg);
	return -1;
}

static int
read_attrs(struct kh_xml *x, struct kh_err *err)
{
	const xmlChar *n, *v;
	size_t nlen, vlen;

	x->nattrs = 0;
	if (xmlTextReaderMoveToFirstAttribute(x->reader) != 1)
		return 0;
	do {
		n = xmlTextReaderConstName(x->reader);
		v = xmlTextReaderConstValue(x->reader);
		if (n == NULL)
			continue;
		if (x->nattrs == KH_XML_MAX_ATTRS)
			return fail(x, err, "more than %s attributes on one element", "32");
		if ((nlen = strlen((const char *)n)) > KH_XML_MAX_NAME)
			return fail(x, err, "attribute name too long (%s)", "over 64 bytes");
		vlen = v != NULL ? strlen((const char *)v) : 0;
		if (vlen > KH_XML_MAX_VALUE)
			return fail(x, err, "value of attribute %s too long (over 2048 bytes)",
			    (const char *)n);
		memcpy(x->attrs[x->nattrs].name, n, nlen + 1);
		if (set_value(&x->attrs[x->nattrs], v != NULL ? (const char *)v :
		    "", vlen) != 0) {
			kh_err_sys(err, KH_FAIL, "out of memory");
			return -1;
		}
		x->nattrs++;
	} while (xmlTextReaderMoveToNextAttribute(x->reader) == 1);
	xmlTextReaderMoveToElement(x->reader);
	return 0;
}

static int
xml_error(struct kh_xml *x, struct kh_err *err)
{
	if (x->xml_failed)
		kh_err_set(err, KH_REJECT, x->path, x->xml_line, NULL, NULL,
		    "malformed XML: %s", x->xml_msg);
	else
		kh_err_set(err, KH_REJECT, x->path,
		    xmlTextReaderGetParserLineNumber(x->reader), NULL, NULL,
		    "unreadable XML: %s", generic_msg[0] != '\0' ? generic_msg :
		    "parse error");
	return -1;
}

/*
 * The line of the current node itself; the parser's own line number runs
 * ahead of the node by however much it has buffered.
 */
static long
node_line(struct kh_xml *x)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
	long l = node != NULL ? xmlGetLineNo(node) : -1;

	return l > 0 ? l : xmlTextReaderGetParserLineNumber(x->reader);
}

int
kh_xml_next(struct kh_xml *x, struct kh_err *err)
{
	const xmlChar *n, *enc;
	size_t nlen;
	int r, type;

	for (;;) {
		r = xmlTextReaderRead(x->reader);
		if (x->xml_failed || r < 0)
			return xml_error(x, err);
		if (r == 0)
			return 0;
		type = xmlTextReaderNodeType(x->reader);
		x->line = node_line(x);
		/*
		 * The reader hands out the DOCTYPE only after reading past it:
		 * no line is better than the wrong one.
		 */
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			x->line = 0;
			return fail(x, err, "%s: a DOCTYPE (DTD or entity "
			    "declarations) is never accepted", "refused");
		}
		if (type == XML_READER_TYPE_ENTITY_REFERENCE ||
		    type == XML_READER_TYPE_ENTITY)
			return fail(x, err, "%s: entity references are never "
			    "accepted", "refused");
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (x->encoding[0] == '\0') {
			enc = xmlTextReaderConstEncoding(x->reader);
			snprintf(x->encoding, sizeof(x->encoding), "%s",
			    enc != NULL ? (const char *)enc : "UTF-8");
		}
		x->depth = xmlTextReaderDepth(x->reader);
		if (x->depth > KH_XML_MAX_DEPTH)
			return fail(x, err, "elements nested deeper than %s levels", "8");
		n = xmlTextReaderConstName(x->reader);
		if (n == NULL || (nlen = strlen((const char *)n)) > KH_XML_MAX_NAME)
			return fail(x, err, "element name too long (%s)", "over 64 bytes");
		memcpy(x->name, n, nlen + 1);
		if (read_attrs(x, err) != 0)
			return -1;
		return 1;
	}
}

const char *
kh_xml_name(const struct kh_xml *x)
{
	return x->name;
}

int
kh_xml_depth(const struct kh_xml *x)
{
	return x->depth;
}

long
kh_xml_line(const struct kh_xml *x)
{
	return x->line;
}

const char *
kh_xml_path(const struct kh_xml *x)
{
	return x->path;
}

const char *
kh_xml_encoding(const struct kh_xml *x)
{
	return x->encoding[0] != '\0' ? x->encoding : "UTF-8";
}

const char *
kh_xml_attr(const struct kh_xml *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->nattrs; i++)
		if (strcmp(x->attrs[i].name, name) == 0)
			return x->attrs[i].value;
	return NULL;
}

size_t
kh_xml_nattrs(const struct kh_xml *x)
{
	return x->nattrs;
}

const char *
kh_xml_attr_name(const struct kh_xml *x, size_t i)
{
	return i < x->nattrs ? x->attrs[i].name : NULL;
}

const char *
kh_xml_unknown_attr(const struct kh_xml *x, const char *const *known)
{
	size_t i, k;

	for (i = 0; i < x->nattrs; i++) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(x->attrs[i].name, known[k]) == 0)
				break;
		if (known[k] == NULL)
			return x->attrs[i].name;
	}
	return NULL;
}
