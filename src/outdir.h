/*
 * outdir.h — output folders that appear whole or not at all.
 *
 * A month's outputs (scores.csv, scorecards/, team.pdf, trail.pdf) are
 * written into a fresh hidden folder beside the final one; commit swaps
 * the two in one atomic renameat2(RENAME_EXCHANGE) and removes the old
 * one.  A crash at any point leaves output/<month>/ as it was or as it
 * should be; hidden leftovers of a crashed run are swept by the next
 * (only those of a process that is gone).
 */
#ifndef KH_OUTDIR_H
#define KH_OUTDIR_H

#include "err.h"

struct kh_outdir;

/* Start building root/name (e.g. "output", "2013-05"). */
int	kh_outdir_begin(const char *root, const char *name,
	    struct kh_outdir **out, struct kh_err *);
/* Where to write files while building. */
const char *kh_outdir_path(const struct kh_outdir *);
/* Make a subfolder (e.g. "scorecards") of the folder being built. */
int	kh_outdir_mkdir(struct kh_outdir *, const char *sub, struct kh_err *);
/* Swap the built folder into place (fsynced). */
int	kh_outdir_commit(struct kh_outdir *, struct kh_err *);
/* fsync the folders of what was built (before the record says it exists). */
void	kh_outdir_sync(struct kh_outdir *);
/* Do not discard the built folder on free: the record already has it. */
void	kh_outdir_keep(struct kh_outdir *);
/* fsync one folder (its entries); quiet, best effort. */
void	kh_fsync_dir(const char *path);
/* Discard whatever was built (after a failure or instead of commit). */
void	kh_outdir_free(struct kh_outdir *);
/*
 * Remove leftovers of dead runs under root: ".NAME.tmp-PID" folders of
 * ours whose process is gone.  kh_outdir_begin calls it.
 */
void	kh_outdir_sweep(const char *root);
/* mkdir -p. */
int	kh_mkdirs(const char *path, struct kh_err *);
/* rm -r; quiet, best effort. */
void	kh_rmtree(const char *path);

#endif
