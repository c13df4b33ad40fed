/*
 * test_xmlin.c — the hardened reader's limits (xmlin.h): each limit just
 * below is read, just above is refused, and the refusal names the file
 * and the line of the element at fault.
 *
 *   element and attribute names  KH_XML_MAX_NAME  (64 bytes)
 *   one attribute value          KH_XML_MAX_VALUE (2048 bytes, decoded)
 *   attributes on one element    KH_XML_MAX_ATTRS (32)
 *   nesting depth                KH_XML_MAX_DEPTH (8, the root is 0)
 *   a DOCTYPE                    never, whatever it declares
 *   entities                     the five predefined and character
 *                                references only
 *   size                         libxml2's own text limit (no
 *                                XML_PARSE_HUGE), 2 GiB for a buffer
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmlin.h"

#define NAME	"limits.xml"	/* the name the reader is given */
#define HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\n"	/* lines 1-2 */
#define TAIL	"\n</r>\n"

/* A document built piece by piece. */
struct doc {
	char	*buf;
	size_t	 len, cap;
};

static void
put_n(struct doc *d, const char *s, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 256;

		while (cap < d->len + n + 1)
			cap *= 2;
		assert_non_null(d->buf = realloc(d->buf, cap));
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

static void
put(struct doc *d, const char *s)
{
	put_n(d, s, strlen(s));
}

/* n copies of s */
static void
put_rep(struct doc *d, const char *s, size_t n)
{
	while (n-- > 0)
		put(d, s);
}

static void
doc_free(struct doc *d)
{
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

/*
 * Read d to its end.  Returns the reader positioned on the element on
 * line `line` (the caller closes it), the rest of the document checked:
 * every element read, a clean end, nothing refused.
 */
static struct kh_xml *
accepted_at(const struct doc *d, long line)
{
	struct kh_xml *x, *rest;
	struct kh_err err;
	char msg[2048];
	int r;

	kh_err_clear(&err);
	assert_int_equal(kh_xml_open_memory(d->buf, d->len, NAME, &rest, &err),
	    KH_OK);
	while ((r = kh_xml_next(rest, &err)) == 1)
		;
	if (r != 0)
		fail_msg("refused: %s", kh_err_format(&err, msg, sizeof(msg)));
	kh_xml_close(rest);

	assert_int_equal(kh_xml_open_memory(d->buf, d->len, NAME, &x, &err),
	    KH_OK);
	while ((r = kh_xml_next(x, &err)) == 1 && kh_xml_line(x) != line)
		;
	assert_int_equal(r, 1);
	return x;
}

/*
 * d is refused at line (0: no line) with a message containing want; the
 * formatted message starts with the file and line.  Returns how many
 * elements were read before the refusal.
 */
static int
refused_at(const struct doc *d, long line, const char *want)
{
	struct kh_xml *x;
	struct kh_err err;
	char msg[2048], where[64];
	int r, n = 0;

	kh_err_clear(&err);
	assert_int_equal(kh_xml_open_memory(d->buf, d->len, NAME, &x, &err),
	    KH_OK);
	while ((r = kh_xml_next(x, &err)) == 1)
		n++;
	kh_xml_close(x);
	assert_int_equal(r, -1);
	assert_int_equal(err.status, KH_REJECT);
	assert_string_equal(err.file, NAME);
	assert_int_equal(err.line, line);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%ld: ", NAME, line);
	else
		snprintf(where, sizeof(where), "%s: ", NAME);
	kh_err_format(&err, msg, sizeof(msg));
	assert_memory_equal(msg, where, strlen(where));
	return n;
}

/* HEAD, then line 3: <NAME/> with an element name of `n` copies of s */
static void
element_named(struct doc *d, const char *s, size_t n)
{
	put(d, HEAD "<");
	put_rep(d, s, n);
	put(d, "/>" TAIL);
}

static void
test_element_name(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;
	char want[KH_XML_MAX_NAME + 1];

	(void)state;
	element_named(&d, "n", KH_XML_MAX_NAME);
	x = accepted_at(&d, 3);
	memset(want, 'n', KH_XML_MAX_NAME);
	want[KH_XML_MAX_NAME] = '\0';
	assert_string_equal(kh_xml_name(x), want);
	kh_xml_close(x);
	doc_free(&d);

	element_named(&d, "n", KH_XML_MAX_NAME + 1);
	assert_int_equal(refused_at(&d, 3, "element name too long"), 1);
	doc_free(&d);

	/* bytes, not characters: 21 × 中 + "a" is 64 bytes, 22 × 中 is 66 */
	put(&d, HEAD "<");
	put_rep(&d, "中", 21);
	put(&d, "a/>" TAIL);
	kh_xml_close(accepted_at(&d, 3));
	doc_free(&d);
	element_named(&d, "中", 22);
	refused_at(&d, 3, "element name too long");
	doc_free(&d);
}

static void
test_attribute_name(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;

	(void)state;
	put(&d, HEAD "<e ");
	put_rep(&d, "a", KH_XML_MAX_NAME - 1);
	put(&d, "z=\"v\"/>" TAIL);
	x = accepted_at(&d, 3);
	assert_int_equal(kh_xml_nattrs(x), 1);
	assert_int_equal(strlen(kh_xml_attr_name(x, 0)), KH_XML_MAX_NAME);
	kh_xml_close(x);
	doc_free(&d);

	put(&d, HEAD "<e ");
	put_rep(&d, "a", KH_XML_MAX_NAME);
	put(&d, "z=\"v\"/>" TAIL);
	refused_at(&d, 3, "attribute name too long");
	doc_free(&d);
}

static void
test_attribute_value(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;
	struct kh_err err;
	const char *v;

	(void)state;
	put(&d, HEAD "<e v=\"");
	put_rep(&d, "x", KH_XML_MAX_VALUE);
	put(&d, "\"/>\n<f v=\"short\"/>" TAIL);
	x = accepted_at(&d, 3);
	assert_non_null(v = kh_xml_attr(x, "v"));
	assert_int_equal(strlen(v), KH_XML_MAX_VALUE);
	assert_int_equal(strspn(v, "x"), KH_XML_MAX_VALUE);
	/* the slot's buffer is reused: the next value is whole, not a tail */
	assert_int_equal(kh_xml_next(x, &err), 1);
	assert_string_equal(kh_xml_attr(x, "v"), "short");
	kh_xml_close(x);
	doc_free(&d);

	put(&d, HEAD "<e v=\"");
	put_rep(&d, "x", KH_XML_MAX_VALUE + 1);
	put(&d, "\"/>" TAIL);
	refused_at(&d, 3, "value of attribute v too long");
	doc_free(&d);

	/* the limit is on the value as decoded: &amp; is one byte */
	put(&d, HEAD "<e v=\"");
	put_rep(&d, "x", KH_XML_MAX_VALUE - 1);
	put(&d, "&amp;\"/>" TAIL);
	x = accepted_at(&d, 3);
	assert_non_null(v = kh_xml_attr(x, "v"));
	assert_int_equal(strlen(v), KH_XML_MAX_VALUE);
	assert_int_equal(v[KH_XML_MAX_VALUE - 1], '&');
	kh_xml_close(x);
	doc_free(&d);

	put(&d, HEAD "<e v=\"");
	put_rep(&d, "x", KH_XML_MAX_VALUE);
	put(&d, "&amp;\"/>" TAIL);
	refused_at(&d, 3, "value of attribute v too long");
	doc_free(&d);
}

/* HEAD, then line 3: <e a0="0" a1="1" …/> with n attributes */
static void
element_with_attrs(struct doc *d, int n)
{
	char a[32];
	int i;

	put(d, HEAD "<e");
	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), " a%d=\"%d\"", i, i);
		put(d, a);
	}
	put(d, "/>" TAIL);
}

static void
test_attribute_count(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;

	(void)state;
	element_with_attrs(&d, KH_XML_MAX_ATTRS);
	x = accepted_at(&d, 3);
	assert_int_equal(kh_xml_nattrs(x), KH_XML_MAX_ATTRS);
	assert_string_equal(kh_xml_attr(x, "a0"), "0");
	assert_string_equal(kh_xml_attr(x, "a31"), "31");
	assert_string_equal(kh_xml_attr_name(x, KH_XML_MAX_ATTRS - 1), "a31");
	assert_null(kh_xml_attr_name(x, KH_XML_MAX_ATTRS));
	kh_xml_close(x);
	doc_free(&d);

	element_with_attrs(&d, KH_XML_MAX_ATTRS + 1);
	refused_at(&d, 3, "more than 32 attributes on one element");
	doc_free(&d);
}

/* elements nested to depth `deepest` (the root is 0), one a line from line 2 */
static void
nested(struct doc *d, int deepest)
{
	int i;

	put(d, "<?xml version=\"1.0\"?>\n");
	for (i = 0; i <= deepest; i++)
		put(d, "<d>\n");
	for (i = 0; i <= deepest; i++)
		put(d, "</d>\n");
}

static void
test_depth(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;

	(void)state;
	nested(&d, KH_XML_MAX_DEPTH);
	x = accepted_at(&d, KH_XML_MAX_DEPTH + 2);
	assert_int_equal(kh_xml_depth(x), KH_XML_MAX_DEPTH);
	kh_xml_close(x);
	doc_free(&d);

	nested(&d, KH_XML_MAX_DEPTH + 1);
	/* every element above it read, the one too deep refused at its line */
	assert_int_equal(refused_at(&d, KH_XML_MAX_DEPTH + 3,
	    "elements nested deeper than 8 levels"), KH_XML_MAX_DEPTH + 1);
	doc_free(&d);
}

/*
 * Any DOCTYPE is refused before the first element is handed out.  The
 * reader hands the DOCTYPE over only after reading past it, so the
 * refusal names the file without a line rather than a wrong one.
 */
static void
test_doctype_refused(void **state)
{
	static const char *const doctypes[] = {
		"<!DOCTYPE r>\n",
		/* external DTD: never fetched (the port would refuse anyway) */
		"<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">\n",
		"<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n",
		/* entity declarations, the first steps of a billion laughs */
		"<!DOCTYPE r [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n",
	};
	struct doc d = { 0 };
	size_t i;

	(void)state;
	put(&d, "<?xml version=\"1.0\"?>\n<r a=\"x\">\n<e/>\n</r>\n");
	kh_xml_close(accepted_at(&d, 3));
	doc_free(&d);
	for (i = 0; i < sizeof(doctypes) / sizeof(doctypes[0]); i++) {
		put(&d, "<?xml version=\"1.0\"?>\n");
		put(&d, doctypes[i]);
		put(&d, "<r a=\"x\">\n<e/>\n</r>\n");
		assert_int_equal(refused_at(&d, 0, "a DOCTYPE (DTD or entity "
		    "declarations) is never accepted"), 0);
		doc_free(&d);
	}
}

static void
test_entities(void **state)
{
	struct doc d = { 0 };
	struct kh_xml *x;

	(void)state;
	/* the five predefined entities and character references: decoded */
	put(&d, HEAD "<e v=\"&amp;&lt;&gt;&quot;&apos;&#x4E2D;&#65;\">"
	    "&amp;&#x4E2D;</e>" TAIL);
	x = accepted_at(&d, 3);
	assert_string_equal(kh_xml_attr(x, "v"), "&<>\"'中A");
	kh_xml_close(x);
	doc_free(&d);

	/* anything else is undeclared (no DOCTYPE can declare it) */
	put(&d, HEAD "<e v=\"&foo;\"/>" TAIL);
	refused_at(&d, 3, "Entity 'foo' not defined");
	doc_free(&d);
	put(&d, HEAD "<e>&foo;</e>" TAIL);
	refused_at(&d, 3, "Entity 'foo' not defined");
	doc_free(&d);
}

/* HEAD, then line 3: <t> with n bytes of text, then <u/> on line 4 */
static void
text_of(struct doc *d, size_t n)
{
	put(d, HEAD "<t>");
	assert_non_null(d->buf = realloc(d->buf, d->len + n + 64));
	d->cap = d->len + n + 64;
	memset(d->buf + d->len, 'x', n);
	d->len += n;
	d->buf[d->len] = '\0';
	put(d, "</t>\n<u/>" TAIL);
}

/*
 * Size: libxml2's own limits stay on (no XML_PARSE_HUGE): one text node
 * of up to 10,000,000 bytes (XML_MAX_TEXT_LENGTH), never more; a memory
 * buffer of 2 GiB or more is refused before it is read.
 */
static void
test_size(void **state)
{
	static const char tiny[] = "<r/>";
	struct doc d = { 0 };
	struct kh_xml *x, *held;
	struct kh_err err;

	(void)state;
	text_of(&d, 10000000);
	kh_xml_close(accepted_at(&d, 4));
	doc_free(&d);
	text_of(&d, 10000001);
	assert_int_equal(refused_at(&d, 3, "huge text node"), 2);
	doc_free(&d);

	kh_err_clear(&err);
	assert_int_equal(kh_xml_open_memory(tiny, sizeof(tiny) - 1, NAME, &held,
	    &err), KH_OK);
	x = held;			/* must come back NULL */
	assert_int_equal(kh_xml_open_memory(tiny, (size_t)0x7fffffff + 1,
	    NAME, &x, &err), KH_REJECT);
	kh_xml_close(held);
	assert_null(x);
	assert_string_equal(err.file, NAME);
	assert_string_equal(err.msg, "document too large");
}

/* A file on disk: the refusal names the path it was opened with. */
static void
test_file_named(void **state)
{
	char path[] = "/tmp/kaohe-xmlin-XXXXXX";
	struct doc d = { 0 };
	struct kh_xml *x;
	struct kh_err err;
	int fd, r;

	(void)state;
	element_with_attrs(&d, KH_XML_MAX_ATTRS + 1);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, d.buf, d.len), (ssize_t)d.len);
	close(fd);
	doc_free(&d);

	kh_err_clear(&err);
	assert_int_equal(kh_xml_open(path, &x, &err), KH_OK);
	assert_int_equal(kh_xml_next(x, &err), 1);	/* <r> */
	r = kh_xml_next(x, &err);
	kh_xml_close(x);
	unlink(path);
	assert_int_equal(r, -1);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "more than 32 attributes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_element_name),
		cmocka_unit_test(test_attribute_name),
		cmocka_unit_test(test_attribute_value),
		cmocka_unit_test(test_attribute_count),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_file_named),
	};

	return cmocka_run_group_tests_name("xmlin", tests, NULL, NULL);
}
