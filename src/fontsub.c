/*
 * fontsub.c — open a CJK face with HarfBuzz, measure code points, and cut
 * a per-document subset for libharu (see fontsub.h for why).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

#include "fontsub.h"

struct kh_font {
	hb_blob_t	*blob;
	hb_face_t	*face;
	hb_font_t	*font;
	double		 upem;
	double		 ascender;	/* thousandths of the size */
	double		 descender;
};

struct kh_font *
kh_font_open(const char *path, unsigned index, struct kh_err *err)
{
	struct kh_font *f = NULL;
	hb_font_extents_t ext;
	unsigned count;

	if (path == NULL)
		path = KH_DEFAULT_FONT;
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory opening font %s", path);
		return NULL;
	}
	f->blob = hb_blob_create_from_file_or_fail(path);
	if (f->blob == NULL) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot read the font file (see fonts/README.md to choose a font)");
		goto fail;
	}
	count = hb_face_count(f->blob);
	if (index >= count) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "not a TrueType font, or no face %u in it (it has %u)",
		    index, count);
		goto fail;
	}
	f->face = hb_face_create(f->blob, index);
	f->upem = hb_face_get_upem(f->face);
	if (f->upem <= 0 || (f->font = hb_font_create(f->face)) == NULL) {
		kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "face %u has no usable metrics", index);
		goto fail;
	}
	hb_font_get_h_extents(f->font, &ext);
	f->ascender = ext.ascender * 1000.0 / f->upem;
	f->descender = ext.descender * 1000.0 / f->upem;
	return f;
fail:
	kh_font_close(f);
	return NULL;
}

void
kh_font_close(struct kh_font *f)
{
	if (f == NULL)
		return;
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f);
}

int
kh_font_has(const struct kh_font *f, uint32_t cp)
{
	hb_codepoint_t g;

	if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return hb_font_get_nominal_glyph(f->font, cp, &g) && g != 0;
}

double
kh_font_advance(const struct kh_font *f, uint32_t cp)
{
	hb_codepoint_t g;

	if (!hb_font_get_nominal_glyph(f->font, cp, &g))
		return 0;
	return hb_font_get_glyph_h_advance(f->font, g) * 1000.0 / f->upem;
}

double
kh_font_ascender(const struct kh_font *f)
{
	return f->ascender;
}

double
kh_font_descender(const struct kh_font *f)
{
	return f->descender;
}

/*
 * Renumbered glyph ids (no RETAIN_GIDS) keep every id far below 32768,
 * which libharu reads as a signed 16-bit number in composite glyphs.
 * Hinting is useless in a PDF and costs size.  Layout tables are dropped:
 * libharu draws nominal glyphs only.
 */
double
kh_font_cap_height(const struct kh_font *f)
{
	hb_position_t cap;

	if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT,
	    &cap) || cap <= 0)
		return f->ascender;
	return cap * 1000.0 / f->upem;
}

/*
 * libharu 2.3 always writes the hinting tables 'cvt ', 'fpgm' and 'prep'
 * into the embedded font, an empty one where the font has none, and then
 * seeks to each table's start in a stream of 4096-byte buffers: an empty
 * table that starts exactly at a buffer boundary (the end of the data so
 * far) makes the seek fail, HPDF_INVALID_OBJECT, and the document cannot
 * be saved.  Which subsets hit it depends on their size alone.  So the
 * subset (hinting dropped) gets three tiny tables that do nothing: a CVT
 * of two zero values and programs that push one byte and pop it.  Takes
 * over sub; NULL when out of memory.
 */
static hb_face_t *
with_hinting_stubs(hb_face_t *sub)
{
	static const char cvt[4] = { 0, 0, 0, 0 };
	static const char noop[3] = { (char)0xB0, 0x00, 0x21 }; /* PUSHB 0; POP */
	static const struct { hb_tag_t tag; const char *data; unsigned len; }
	    stubs[] = {
		{ HB_TAG('c','v','t',' '), cvt, sizeof(cvt) },
		{ HB_TAG('f','p','g','m'), noop, sizeof(noop) },
		{ HB_TAG('p','r','e','p'), noop, sizeof(noop) },
	};
	hb_tag_t tags[64];
	unsigned n = 64, i;
	hb_face_t *b = NULL, *parsed;
	hb_blob_t *t;

	/* a subset face lists no tables until it is serialised and read back */
	t = hb_face_reference_blob(sub);
	parsed = hb_face_create(t, 0);
	hb_blob_destroy(t);
	hb_face_destroy(sub);
	sub = parsed;
	if ((b = hb_face_builder_create()) == NULL)
		goto fail;
	hb_face_get_table_tags(sub, 0, &n, tags);
	for (i = 0; i < n; i++) {
		t = hb_face_reference_table(sub, tags[i]);
		hb_face_builder_add_table(b, tags[i], t);
		hb_blob_destroy(t);
	}
	for (i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++) {
		t = hb_face_reference_table(sub, stubs[i].tag);
		if (hb_blob_get_length(t) == 0) {
			hb_blob_destroy(t);
			t = hb_blob_create(stubs[i].data, stubs[i].len,
			    HB_MEMORY_MODE_READONLY, NULL, NULL);
			hb_face_builder_add_table(b, stubs[i].tag, t);
		}
		hb_blob_destroy(t);
	}
	hb_face_destroy(sub);
	return b;
fail:
	hb_face_destroy(sub);
	return NULL;
}

int
kh_font_subset(const struct kh_font *f, const uint32_t *cps, size_t ncps,
    unsigned char **data, size_t *len, struct kh_err *err)
{
	static const hb_tag_t drop[] = {
		HB_TAG('G','S','U','B'), HB_TAG('G','P','O','S'),
		HB_TAG('G','D','E','F'), HB_TAG('g','a','s','p'),
		HB_TAG('D','S','I','G'), HB_TAG('k','e','r','n'),
	};
	hb_subset_input_t *in = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	hb_set_t *set;
	const char *bytes;
	unsigned blen = 0;
	size_t i;
	int rc = KH_FAIL;

	*data = NULL;
	*len = 0;
	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory subsetting the font");
		goto out;
	}
	set = hb_subset_input_unicode_set(in);
	for (i = 0; i < ncps; i++)
		hb_set_add(set, cps[i]);
	set = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		hb_set_add(set, drop[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	if ((sub = hb_subset_or_fail(f->face, in)) == NULL) {
		kh_err_sys(err, KH_FAIL, "HarfBuzz could not subset the font");
		goto out;
	}
	if ((sub = with_hinting_stubs(sub)) == NULL) {
		kh_err_sys(err, KH_FAIL, "out of memory subsetting the font");
		goto out;
	}
	blob = hb_face_reference_blob(sub);
	bytes = hb_blob_get_data(blob, &blen);
	if (bytes == NULL || blen == 0 || (*data = malloc(blen)) == NULL) {
		kh_err_sys(err, KH_FAIL, "empty font subset or out of memory");
		goto out;
	}
	memcpy(*data, bytes, blen);
	*len = blen;
	rc = KH_OK;
out:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	return rc;
}

/* Strip leading and trailing blanks in place. */
static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One "key = value" line into conf; -1 with a reason on error. */
static int
conf_line(const char *dir, char *line, struct kh_fontconf *c,
    const char **why)
{
	char *eq, *key, *val, *end;
	unsigned long face;
	int n;

	if ((eq = strchr(line, '=')) == NULL) {
		*why = "expected \"key = value\"";
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (strcmp(key, "font") == 0) {
		if (val[0] == '\0') {
			*why = "empty font path";
			return -1;
		}
		n = val[0] == '/' ?
		    snprintf(c->path, sizeof(c->path), "%s", val) :
		    snprintf(c->path, sizeof(c->path), "%s/%s", dir, val);
		if (n < 0 || (size_t)n >= sizeof(c->path)) {
			*why = "font path too long";
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "face") == 0) {
		errno = 0;
		face = strtoul(val, &end, 10);
		if (val[0] < '0' || val[0] > '9' || *end != '\0' || errno ||
		    face > 255) {
			*why = "face must be a whole number 0..255";
			return -1;
		}
		c->face = (unsigned)face;
		return 0;
	}
	*why = "unknown key (want font or face)";
	return -1;
}

int
kh_fontconf_load(const char *dir, struct kh_fontconf *c, struct kh_err *err)
{
	char path[1024], line[1200], *s;
	const char *why = NULL;
	long lineno = 0;
	FILE *fp;
	int rc = KH_OK;

	snprintf(c->path, sizeof(c->path), "%s", KH_DEFAULT_FONT);
	c->face = 0;
	if (dir == NULL)
		return KH_OK;
	snprintf(path, sizeof(path), "%s/%s", dir, KH_FONTCONF);
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return KH_OK;
		return kh_err_set(err, KH_FAIL, path, 0, NULL, NULL,
		    "cannot read: %s", strerror(errno));
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			why = "line too long";
			break;
		}
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		s = trim(line);
		if (*s != '\0' && conf_line(dir, s, c, &why) < 0)
			break;
	}
	if (why != NULL)
		rc = kh_err_set(err, KH_USAGE, path, lineno, NULL, NULL, "%s",
		    why);
	else if (ferror(fp))
		rc = kh_err_set(err, KH_FAIL, path, lineno, NULL, NULL,
		    "read error");
	fclose(fp);
	return rc;
}
