/*
 * xmlin.h — a hardened, streaming XML element reader over libxml2.
 *
 * Every XML file kaohe reads (exports, the scheme, layouts, the calendar)
 * goes through here, so the defences live in one place: no network, no
 * DTD loading, no entity substitution, a document that declares a DOCTYPE
 * is refused outright (XXE, billion laughs), and names, attribute values,
 * attribute counts and nesting depth are bounded.  The reader streams
 * (xmlTextReader), so memory does not grow with the file.
 *
 * Encodings are those libxml2 knows through iconv: UTF-8, GBK, GB18030, …
 * as the XML declaration says; every string handed out is UTF-8.
 */
#ifndef KH_XMLIN_H
#define KH_XMLIN_H

#include <stddef.h>

#include "err.h"

#define KH_XML_MAX_DEPTH	8
#define KH_XML_MAX_ATTRS	32
#define KH_XML_MAX_NAME		64	/* bytes of an element/attribute name */
#define KH_XML_MAX_VALUE	2048	/* bytes of one attribute value */

struct kh_xml;

/* Open path for streaming.  On failure *out is NULL and err says why. */
int		 kh_xml_open(const char *path, struct kh_xml **out, struct kh_err *);
/* Same, over a memory buffer (tests, templates); name is used in messages. */
int		 kh_xml_open_memory(const char *buf, size_t len, const char *name,
		    struct kh_xml **out, struct kh_err *);
/*
 * Same, over a reader: read(arg, buf, len) hands out up to len bytes, 0
 * at the end, -1 on failure (infile.h: so the bytes parsed are the bytes
 * hashed).  The reader is not closed by kh_xml_close.
 */
int		 kh_xml_open_io(int (*read)(void *arg, char *buf, int len),
		    void *arg, const char *name, struct kh_xml **out,
		    struct kh_err *);
void		 kh_xml_close(struct kh_xml *);

/*
 * Advance to the next element start.  Returns 1 with the element's name
 * and depth (root = 0) available, 0 at a clean end of document, or -1
 * with err filled (malformed XML, DOCTYPE, limits exceeded, text content
 * where none is allowed is NOT an error: text is skipped).
 */
int		 kh_xml_next(struct kh_xml *, struct kh_err *);
const char	*kh_xml_name(const struct kh_xml *);
int		 kh_xml_depth(const struct kh_xml *);
long		 kh_xml_line(const struct kh_xml *);
const char	*kh_xml_path(const struct kh_xml *);
/* The document's declared encoding ("UTF-8" if none). Valid after the first kh_xml_next. */
const char	*kh_xml_encoding(const struct kh_xml *);

/* Attributes of the current element, valid until the next kh_xml_next. */
const char	*kh_xml_attr(const struct kh_xml *, const char *name);
size_t		 kh_xml_nattrs(const struct kh_xml *);
const char	*kh_xml_attr_name(const struct kh_xml *, size_t i);
/*
 * First attribute of the current element not in the NULL-terminated list
 * known, or NULL.  Exports grow new fields: callers warn, not fail.
 */
const char	*kh_xml_unknown_attr(const struct kh_xml *, const char *const *known);

#endif
