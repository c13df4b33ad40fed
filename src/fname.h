/*
 * fname.h — identifiers as file names: one to one, and back.
 *
 * A manager id ([0-9A-Za-z_.-]{1,32}, exports.md) is never used as a
 * file name as it stands: "." and ".." are folders, a leading dot hides
 * a file, a leading "-" reads as an option to shell tools, Windows drops
 * a trailing dot and keeps CON, NUL, COM1 … for devices, and the old
 * "prefix an underscore" rule sent ".a" and "_.a" to the same file.
 *
 * The mapping, for any string of bytes:
 *   - 0-9 A-Z a-z _ and - stand for themselves, except a leading "-";
 *   - every other byte, and a leading "-", is "%" and two upper-case hex
 *     digits ("." -> "%2E", "%" -> "%25", "-x" -> "%2Dx");
 *   - a name that would be a Windows device name (CON, PRN, AUX, NUL,
 *     COM1-9, LPT1-9, in any case) has its first byte escaped too
 *     ("NUL" -> "%4EUL").
 * So KM001 stays KM001, ".a" is "%2Ea", "_.a" is "_%2Ea", ".." is
 * "%2E%2E", "a." is "a%2E": names of [0-9A-Za-z_%-] only, never empty,
 * never starting with "." or "-", never holding "/" or ".", so that
 * "<name>.pdf" is always a plain file of its own.  Decoding undoes it,
 * and accepts only names that encoding produces, so the two are exact
 * inverses.  Left as is: file systems that ignore case ("KM001" and
 * "km001" share a file there).
 */
#ifndef KH_FNAME_H
#define KH_FNAME_H

#include <stddef.h>

/* Room for the name of an identifier of 32 bytes: every byte escaped. */
#define KH_FNAME_MAX	(3 * 32 + 1)

/* id -> name in out (len bytes with NUL); -1 if id is empty or out too small. */
int	kh_fname_encode(const char *id, char *out, size_t len);
/* name -> id; -1 if name is not what kh_fname_encode makes, or out too small. */
int	kh_fname_decode(const char *name, char *out, size_t len);

#endif
