/*
 * infile.h — an export file opened for import: a regular file only,
 * read through once, hashing exactly the bytes handed to the parser.
 *
 * A FIFO, device or socket is refused by its name without being opened
 * (opening a FIFO blocks; opening a device may act on it); a symbolic
 * link is refused where the caller asks (`run`'s folder walk never
 * follows one).  The ledger records the SHA-256 of the bytes parsed, not
 * of a separate read: kh_infile_prehash takes the hash of the file as it
 * is (to skip files already imported without parsing them), and
 * kh_infile_finish refuses the file when the bytes parsed hash
 * differently or the file's identity (size, times, inode) moved while it
 * was read: a file rewritten in place during an import is never recorded
 * with one hash and stored with another's data.
 */
#ifndef KH_INFILE_H
#define KH_INFILE_H

#include <stdint.h>

#include "chain.h"
#include "err.h"

/*
 * The largest export read: 4 GiB.  A province's month orders file is
 * about 730 MB; the file is streamed, so this bounds time, not memory.
 */
#define KH_INFILE_MAX_BYTES	((int64_t)4 << 30)

enum { KH_INFILE_NOFOLLOW = 1 };	/* refuse a symbolic link */

struct kh_infile;

/*
 * Open path for reading.  KH_REJECT, naming the file, when it is not a
 * regular file (checked before opening), is a symbolic link under
 * KH_INFILE_NOFOLLOW, is larger than KH_INFILE_MAX_BYTES or cannot be
 * opened.
 */
int	kh_infile_open(const char *path, int flags, struct kh_infile **out,
	    struct kh_err *);
void	kh_infile_close(struct kh_infile *);		/* NULL safe */
/* SHA-256 of the whole file as it is now; the next read starts at byte 0. */
int	kh_infile_prehash(struct kh_infile *, char hex[KH_SHA256_HEX],
	    struct kh_err *);
/*
 * The reader for xmlin's kh_xml_open_io: up to len bytes into buf, each
 * one hashed; 0 at the end, -1 on a read error or past the size limit
 * (kh_infile_error then says which).
 */
int	kh_infile_read(void *infile, char *buf, int len);
const char *kh_infile_error(const struct kh_infile *);	/* NULL if none */
/*
 * After the parser's end of document (libxml2 reads to the end of the
 * file before it reports one): compare the hash of the bytes read with
 * the pre-hash, and the file's identity with the one taken at opening.
 * KH_OK and hex/size of the bytes read, or KH_REJECT "the file changed
 * while it was being read".
 */
int	kh_infile_finish(struct kh_infile *, char hex[KH_SHA256_HEX],
	    int64_t *size, struct kh_err *);

#endif
