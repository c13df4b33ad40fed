/*
 * infile.c — an export file read once, hashed as parsed (see infile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infile.h"

struct kh_infile {
	int		 fd;
	char		 path[512];
	struct stat	 sb;		/* identity at opening */
	struct kh_sha256 *h;		/* over the bytes read since byte 0 */
	int64_t		 n_read;
	int		 prehashed;
	char		 pre[KH_SHA256_HEX];
	char		 error[256];	/* first read error, "" if none */
};

static const char *
type_name(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

static int
refuse(const char *path, struct kh_err *err, const char *what,
    const char *detail)
{
	return kh_err_set(err, KH_REJECT, path, 0, NULL, NULL, what, detail);
}

/* The file is the one opened, unchanged: same inode, size and times. */
static int
same_identity(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * What the name is, before anything opens it: a FIFO would block the
 * open (holding the run's lock), a device might act on being opened.
 */
static int
check_name(const char *path, int flags, struct stat *sb, struct kh_err *err)
{
	int r = (flags & KH_INFILE_NOFOLLOW) ? lstat(path, sb) : stat(path, sb);

	if (r != 0)
		return refuse(path, err, "cannot read: %s", strerror(errno));
	if (S_ISLNK(sb->st_mode))
		return refuse(path, err, "%s: a symbolic link is not followed "
		    "(copy the export itself into the input folder)", "refused");
	if (!S_ISREG(sb->st_mode))
		return refuse(path, err, "%s: refused without opening it (an "
		    "export is a regular file)", type_name(sb->st_mode));
	if ((int64_t)sb->st_size > KH_INFILE_MAX_BYTES)
		return refuse(path, err, "%s: larger than the 4 GiB an export "
		    "may have", "refused");
	return KH_OK;
}

int
kh_infile_open(const char *path, int flags, struct kh_infile **out,
    struct kh_err *err)
{
	struct kh_infile *f;
	struct stat sb;
	int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, rc;

	*out = NULL;
	if ((rc = check_name(path, flags, &sb, err)) != KH_OK)
		return rc;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	snprintf(f->path, sizeof(f->path), "%s", path);
	if (flags & KH_INFILE_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	/* O_NONBLOCK: should a FIFO take the name after the check, no hang */
	if ((f->fd = open(path, oflags)) < 0) {
		rc = refuse(path, err, "cannot open: %s", strerror(errno));
		free(f);
		return rc;
	}
	if (fstat(f->fd, &f->sb) != 0 || !S_ISREG(f->sb.st_mode) ||
	    f->sb.st_dev != sb.st_dev || f->sb.st_ino != sb.st_ino) {
		rc = refuse(path, err, "%s: the file was replaced while it was "
		    "being opened", "refused");
		goto fail;
	}
	if ((f->h = kh_sha256_new()) == NULL) {
		rc = kh_err_sys(err, KH_FAIL, "out of memory");
		goto fail;
	}
	*out = f;
	return KH_OK;
fail:
	kh_infile_close(f);
	return rc;
}

void
kh_infile_close(struct kh_infile *f)
{
	if (f == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	kh_sha256_free(f->h);
	free(f);
}

static ssize_t
read_some(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Back to byte 0 with a fresh hash. */
static int
rewind_file(struct kh_infile *f, struct kh_err *err)
{
	kh_sha256_free(f->h);
	f->n_read = 0;
	if ((f->h = kh_sha256_new()) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if (lseek(f->fd, 0, SEEK_SET) != 0)
		return refuse(f->path, err, "cannot read: %s", strerror(errno));
	return KH_OK;
}

int
kh_infile_prehash(struct kh_infile *f, char hex[KH_SHA256_HEX],
    struct kh_err *err)
{
	char buf[65536];
	ssize_t n;
	int rc;

	if ((rc = rewind_file(f, err)) != KH_OK)
		return rc;
	while ((n = read_some(f->fd, buf, sizeof(buf))) > 0) {
		if ((f->n_read += n) > KH_INFILE_MAX_BYTES)
			return refuse(f->path, err, "%s: larger than the 4 GiB "
			    "an export may have", "refused");
		kh_sha256_update(f->h, buf, (size_t)n);
	}
	if (n < 0)
		return refuse(f->path, err, "cannot read: %s", strerror(errno));
	rc = kh_sha256_final(f->h, f->pre);
	f->h = NULL;
	if (rc != 0)
		return kh_err_sys(err, KH_FAIL, "%s: hashing failed (out of "
		    "memory)", f->path);
	f->prehashed = 1;
	memcpy(hex, f->pre, KH_SHA256_HEX);
	return rewind_file(f, err);
}

int
kh_infile_read(void *arg, char *buf, int len)
{
	struct kh_infile *f = arg;
	ssize_t n;

	if (f->error[0] != '\0' || len < 0)
		return -1;
	if ((n = read_some(f->fd, buf, (size_t)len)) < 0) {
		snprintf(f->error, sizeof(f->error), "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	if ((f->n_read += n) > KH_INFILE_MAX_BYTES) {
		snprintf(f->error, sizeof(f->error), "refused: larger than the "
		    "4 GiB an export may have");
		return -1;
	}
	kh_sha256_update(f->h, buf, (size_t)n);
	return (int)n;
}

const char *
kh_infile_error(const struct kh_infile *f)
{
	return f != NULL && f->error[0] != '\0' ? f->error : NULL;
}

int
kh_infile_finish(struct kh_infile *f, char hex[KH_SHA256_HEX], int64_t *size,
    struct kh_err *err)
{
	struct stat now;
	char rest[512];
	ssize_t n;
	int hashed;

	/* Bytes past the parser's end can only have been appended since. */
	n = read_some(f->fd, rest, sizeof(rest));
	hashed = kh_sha256_final(f->h, hex) == 0;
	f->h = NULL;
	*size = f->n_read;
	if (!hashed)
		return kh_err_sys(err, KH_FAIL, "%s: hashing failed (out of "
		    "memory)", f->path);
	if (n != 0 || (f->prehashed && strcmp(hex, f->pre) != 0) ||
	    fstat(f->fd, &now) != 0 || !same_identity(&f->sb, &now) ||
	    f->n_read != (int64_t)now.st_size)
		return refuse(f->path, err, "%s: the file changed while it was "
		    "being read (the next run tries it again)", "refused");
	return KH_OK;
}
