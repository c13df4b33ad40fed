/*
 * outdir.c — atomic output folders (see outdir.h).  Folders are made
 * 0777 less the umask: the umask alone (kaohe --umask, owner only by
 * default) decides who may read the outputs.
 */
#define _GNU_SOURCE	/* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "sig.h"

struct kh_outdir {
	char	root[2048];
	char	final[4096];
	char	tmp[4096];
	int	keep;		/* leave tmp on free (kh_outdir_keep) */
};

int
kh_mkdirs(const char *path, struct kh_err *err)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return kh_err_sys(err, KH_FAIL, "path too long: %s", path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return kh_err_sys(err, KH_FAIL, "%s: %s", buf,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return kh_err_sys(err, KH_FAIL, "%s: %s", buf, strerror(errno));
	return KH_OK;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
kh_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
kh_fsync_dir(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * The pid in a build folder's name ".NAME.tmp-PID" as kh_outdir_begin
 * makes it; 0 if name is not one.
 */
static long
tmp_pid(const char *name)
{
	const char *t = strstr(name, ".tmp-");
	char *end;
	long pid;

	if (name[0] != '.' || t == NULL || t == name + 1 ||
	    t[5] < '1' || t[5] > '9')
		return 0;
	errno = 0;
	pid = strtol(t + 5, &end, 10);
	if (errno != 0 || *end != '\0' || pid > INT_MAX)
		return 0;
	return pid;
}

/*
 * Whether root/name is the build folder of a run that is gone.  Another
 * run may be writing into the same output folder (another database, or a
 * command that takes no lock), so a folder whose process is alive is
 * never touched; nor anything that is not our own plain folder.  (A dead
 * run's pid taken by a new process keeps its folder until that ends.)
 */
static int
stale_tmp(const char *root, const char *name, char path[4096])
{
	long pid = tmp_pid(name);
	struct stat sb;

	if (pid == 0 || pid == (long)getpid())
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
		return 0;		/* alive */
	if ((size_t)snprintf(path, 4096, "%s/%s", root, name) >= 4096)
		return 0;
	return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_uid == geteuid();
}

void
kh_outdir_sweep(const char *root)
{
	DIR *d;
	struct dirent *e;
	char path[4096];

	if ((d = opendir(root)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (stale_tmp(root, e->d_name, path))
			kh_rmtree(path);
	closedir(d);
}

int
kh_outdir_begin(const char *root, const char *name, struct kh_outdir **out,
    struct kh_err *err)
{
	struct kh_outdir *o = NULL;
	int rc = KH_FAIL;

	*out = NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return kh_err_sys(err, KH_FAIL, "out of memory");
	if (strchr(name, '/') != NULL || name[0] == '.' || name[0] == '\0') {
		kh_err_sys(err, KH_FAIL, "bad output folder name '%s'", name);
		goto out;
	}
	if (strlen(root) + strlen(name) + 32 >= sizeof(o->root)) {
		kh_err_sys(err, KH_FAIL, "output path too long: %s", root);
		goto out;
	}
	memcpy(o->root, root, strlen(root) + 1);
	snprintf(o->final, sizeof(o->final), "%s/%s", o->root, name);
	snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.tmp-%ld", o->root, name,
	    (long)getpid());
	if ((rc = kh_mkdirs(root, err)) != KH_OK)
		goto out;
	kh_outdir_sweep(root);
	kh_rmtree(o->tmp);
	if (mkdir(o->tmp, 0777) != 0) {
		rc = kh_err_sys(err, KH_FAIL, "%s: %s", o->tmp,
		    strerror(errno));
		goto out;
	}
	*out = o;
	o = NULL;
	rc = KH_OK;
out:
	free(o);
	return rc;
}

const char *
kh_outdir_path(const struct kh_outdir *o)
{
	return o->tmp;
}

int
kh_outdir_mkdir(struct kh_outdir *o, const char *sub, struct kh_err *err)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", o->tmp, sub)
	    >= sizeof(path))
		return kh_err_sys(err, KH_FAIL, "path too long: %s", sub);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return kh_err_sys(err, KH_FAIL, "%s: %s", path,
		    strerror(errno));
	return KH_OK;
}

int
kh_outdir_commit(struct kh_outdir *o, struct kh_err *err)
{
	struct stat sb;

	if (kh_sig_check(err) != KH_OK)	/* a stopped run changes nothing */
		return KH_FAIL;
	kh_fsync_dir(o->tmp);
	if (stat(o->final, &sb) == 0) {
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final,
		    RENAME_EXCHANGE) != 0)
			return kh_err_sys(err, KH_FAIL, "cannot replace %s: %s",
			    o->final, strerror(errno));
		/* o->tmp now holds the previous outputs */
	} else if (rename(o->tmp, o->final) != 0)
		return kh_err_sys(err, KH_FAIL, "cannot create %s: %s",
		    o->final, strerror(errno));
	kh_fsync_dir(o->root);
	return KH_OK;
}

/* fsync every folder of the tree being built (the files sync themselves). */
static int
sync_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		kh_fsync_dir(path);
	return 0;
}

void
kh_outdir_sync(struct kh_outdir *o)
{
	nftw(o->tmp, sync_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
kh_outdir_keep(struct kh_outdir *o)
{
	o->keep = 1;
}

void
kh_outdir_free(struct kh_outdir *o)
{
	if (o == NULL)
		return;
	if (!o->keep)
		kh_rmtree(o->tmp);
	free(o);
}
