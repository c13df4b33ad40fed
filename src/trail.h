/*
 * trail.h — the audit trail of a month (考核痕迹) as plain data.
 *
 * The storage layer fills a struct kh_trail from the database (files,
 * supersessions, target revisions, assessment records with their voids,
 * month events); `kaohe trail` prints it as text and docs_trail.c prints
 * it as the archive PDF.  No SQL here: plain structs, owned by the trail.
 */
#ifndef KH_TRAIL_H
#define KH_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* One imported file, as the ledger keeps it. */
struct kh_trail_file {
	int64_t	id;
	char	name[256];		/* base name as delivered */
	char	kind[16];		/* roster, brands, targets, orders, assessments */
	char	period[KH_DATE_MAX];	/* YYYY-MM or YYYY-MM-DD */
	char	generated[40];		/* as in the file */
	char	sha256[65];
	char	imported_at[40];
	char	encoding[24];
	char	outcome[160];		/* "in force", "superseded by #12 (…)" */
	char	summary[160];		/* "63 orders, 241 lines" */
};

/* One target of one revision (targets file) of the month. */
struct kh_trail_target {
	int64_t	file_id;		/* the revision */
	char	generated[40];
	int	in_force;		/* the revision in force at month end */
	char	manager[KH_CODE_MAX];
	char	indicator[KH_CODE_MAX];
	int64_t	value;			/* hundredths */
	int	has_points;
	int64_t	points;			/* hundredths */
};

/* A month event: close or reopen. */
struct kh_trail_event {
	char	at[40];
	char	action[16];		/* "close", "reopen" */
	char	*reason;		/* whole, owned by the trail; NULL: none */
};

/* A character a document could not draw and printed as 〓. */
struct kh_trail_glyph {
	char		doc[128];		/* "scorecards/KM001.pdf" (fname.h) */
	uint32_t	cp;			/* the code point */
	char		context[96];		/* the text around it */
};

struct kh_trail {
	char			 month[KH_MONTH_MAX];
	struct kh_trail_file	*files;		size_t n_files;
	struct kh_trail_target	*targets;	size_t n_targets;
	struct kh_record	*records;	size_t n_records;  /* incl. voided */
	char		       (*record_file)[256]; /* file that delivered each record */
	struct kh_trail_event	*events;	size_t n_events;
	struct kh_trail_glyph	*glyphs;	size_t n_glyphs;
};

/* Frees the arrays (not the struct); safe on a zeroed struct. */
void	kh_trail_clear(struct kh_trail *);

#endif
