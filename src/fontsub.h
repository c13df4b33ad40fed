/*
 * fontsub.h — the CJK font: measuring from the full face, and a HarfBuzz
 * subset holding only the characters one document uses.
 *
 * Owned by the rendering layer (floor 1).  libharu 2.3 mishandles large CJK
 * fonts (composite glyph ids read as signed 16-bit: blank glyphs; the whole
 * font embedded: 0.5 MB a page).  A subset built per document with glyph
 * ids renumbered from 0 avoids both; its cmap is kept, because text
 * extraction goes through it (libharu writes a dummy ToUnicode).
 *
 * Measuring is per code point (nominal glyph, horizontal advance, no
 * kerning or shaping), which is exactly what libharu draws.
 */
#ifndef KH_FONTSUB_H
#define KH_FONTSUB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define KH_DEFAULT_FONT	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define KH_FONTCONF	"fonts.conf"

/* The font choice of templates/fonts.conf (see fonts/README.md). */
struct kh_fontconf {
	char		 path[1024];	/* the TrueType file (.ttf / .ttc) */
	unsigned	 face;		/* face index in a collection */
};

/*
 * Read <templates_dir>/fonts.conf: lines "font = PATH" and "face = N",
 * blank lines and '#' comments.  A relative PATH is taken from the
 * templates folder.  No file: the default font, face 0, KH_OK.  A bad
 * line: KH_USAGE naming the file and line.  Does not open the font.
 */
int		 kh_fontconf_load(const char *templates_dir,
		    struct kh_fontconf *, struct kh_err *);

struct kh_font;

/* Open face `index` of a TrueType file or collection (.ttf, .ttc). */
struct kh_font	*kh_font_open(const char *path, unsigned index, struct kh_err *);
void		 kh_font_close(struct kh_font *);

/* Nonzero if the font maps cp to a glyph and libharu can draw it (BMP). */
int		 kh_font_has(const struct kh_font *, uint32_t cp);
/* Advance of cp in thousandths of the font size (0 if the font lacks it). */
double		 kh_font_advance(const struct kh_font *, uint32_t cp);
/* Ascender and descender (negative) in thousandths of the font size. */
double		 kh_font_ascender(const struct kh_font *);
double		 kh_font_descender(const struct kh_font *);
/* Height of capital letters in thousandths (ascender if the font lacks it). */
double		 kh_font_cap_height(const struct kh_font *);

/*
 * A TrueType font holding only the given code points (plus .notdef),
 * glyph ids renumbered, cmap kept, hinting dropped.  *data is malloc'd;
 * the caller frees it.  Code points the font lacks are ignored.
 */
int		 kh_font_subset(const struct kh_font *, const uint32_t *cps,
		    size_t ncps, unsigned char **data, size_t *len,
		    struct kh_err *);

#endif
