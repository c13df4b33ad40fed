/*
 * trail.h — the audit trail (考核痕迹) as plain data, and as text.
 *
 * The one model of the trail: the storage layer fills it (the file
 * ledger with its supersessions and withdrawals, every targets revision,
 * the assessment records with their voids, the month's closes and
 * reopenings: kh_store_trail_load in store_trail.c; the characters a
 * run's documents drew as 〓: kh_results_glyphs, or the documents being
 * drawn), and it is rendered twice: as text for `kaohe trail` (here)
 * and as trail.pdf (docs_trail.c).  No SQL and no PDF here.  Texts that
 * people wrote (reasons, notes) are kept whole.
 */
#ifndef KH_TRAIL_H
#define KH_TRAIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"

struct kh_month_result;
struct kh_run_meta;

/* One imported file, as the ledger keeps it. */
struct kh_trail_file {
	long	id;
	char	name[256];		/* base name as delivered */
	char	kind[16];		/* roster, brands, targets, orders, assessments */
	char	period[KH_DATE_MAX];	/* YYYY-MM or YYYY-MM-DD */
	char	generated[KH_GEN_MAX];	/* as in the file */
	char	sha256[65];
	char	encoding[32];
	int64_t	size;			/* bytes */
	char	imported_at[32];	/* UTC, ISO 8601 */
	long	n_items, n_lines;
	char	summary[256];		/* "orders 2013-05-02: 52 orders, …" */
	int	in_force;		/* now, withdrawals counted */
	/* the file that replaced it, 0 if none (withdrawn ones left out) */
	long	superseded_by;
	char	superseded_by_name[256];
	char	superseded_by_generated[KH_GEN_MAX];
	/* taken out of force on record (kaohe withdraw), 0 if never */
	long	withdrawal;
	char	*withdrawn_reason;	/* whole, owned; NULL if not withdrawn */
	char	*withdrawn_by;		/* whole, owned; "" if not given */
	char	withdrawn_at[32];	/* UTC, ISO 8601 */
};

/* One targets file of a month, with its targets and key brands. */
struct kh_trail_revision {
	long		 file_id;
	char		 month[KH_MONTH_MAX];
	char		 name[256];
	char		 generated[KH_GEN_MAX];
	int		 in_force;	/* the latest: in force at month end */
	int		 withdrawn;	/* taken out of force: never in force */
	struct kh_target *targets;	size_t n_targets;
	char	       (*key_brands)[KH_CODE_MAX]; size_t n_key_brands;
};

/* An assessment record with its void (if any) and where they came from. */
struct kh_trail_record {
	struct kh_record r;
	char	file[256];		/* the file that delivered it */
	char	void_role[KH_NAME_MAX];
	char	void_file[256];
};

/* A month event: close or reopen. */
struct kh_trail_event {
	long	seq;
	char	month[KH_MONTH_MAX];
	char	action[8];		/* close | reopen */
	char	*reason;		/* whole, owned; "" if none */
	char	at[32];			/* UTC, ISO 8601 */
};

/* A character a document could not draw and printed as 〓. */
struct kh_trail_glyph {
	char		doc[128];	/* "scorecards/KM001.pdf" (fname.h) */
	uint32_t	cp;		/* the code point */
	char		context[96];	/* the text around it (render.h) */
};

struct kh_trail {
	char			 month[KH_MONTH_MAX];	/* "": every month */
	char			*manager;	/* records of one manager; NULL: all */
	int			 closed;	/* a month: closed now */
	struct kh_trail_file	*files;		size_t n_files;
	struct kh_trail_revision *revisions;	size_t n_revisions;
	struct kh_trail_record	*records;	size_t n_records; /* incl. voided */
	struct kh_trail_event	*events;	size_t n_events;
	struct kh_trail_glyph	*glyphs;	size_t n_glyphs;
};

/* Frees what the trail owns (not the struct); safe on a zeroed struct. */
void	kh_trail_clear(struct kh_trail *);
/* Append copies of n glyph notes; -1 when out of memory. */
int	kh_trail_add_glyphs(struct kh_trail *, const struct kh_trail_glyph *,
	    size_t n);

#endif
