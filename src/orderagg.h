/*
 * orderagg.h — the in-memory structures of an orders import, with no
 * SQL: id sets (a roster's managers and customers, a brands file's
 * codes, checked once per order or line), and the aggregate of the
 * orders file being imported (sums per day x manager x brand, days
 * ordered per customer x brand, the order ids seen so far).
 *
 * Owned by orderagg.c.  The storage layer (store.c) loads id sets from
 * the database, moves order ids to disk when kh_orderagg_ids_full says
 * so, and writes the sorted sums; this module only counts and sorts.
 * Memory grows with distinct keys (managers, customers, brands, days),
 * never with lines; the ids held in memory are bounded.
 */
#ifndef KH_ORDERAGG_H
#define KH_ORDERAGG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* ---- id sets ------------------------------------------------------------- */

struct kh_idset;
/* new: NULL when out of memory; free: NULL safe. */
struct kh_idset	*kh_idset_new(void);
void	 kh_idset_free(struct kh_idset *);
/* Add id (a no-op if present); -1 when out of memory or room. */
int	 kh_idset_add(struct kh_idset *, const char *id);
/* 1 if id is in the set, else 0. */
int	 kh_idset_has(const struct kh_idset *, const char *id);

/* ---- the orders of one file ---------------------------------------------- */

struct kh_orderagg;
/* new: NULL when out of memory; free: NULL safe. */
struct kh_orderagg *kh_orderagg_new(void);
void	 kh_orderagg_free(struct kh_orderagg *);
/* Forget everything staged and release its memory (a new file, a rollback). */
void	 kh_orderagg_clear(struct kh_orderagg *);

/*
 * Add a line of day 1..31 (KH_FAIL otherwise): qty and amount to its day
 * x manager x brand, the day to its customer x brand.  KH_REJECT when a
 * sum would leave 0..KH_MONTH_MAX_QTY or 0..KH_MONTH_MAX_AMOUNT (score.h:
 * more than a manager's whole month can plausibly hold); KH_FAIL when out
 * of memory.
 */
int	 kh_orderagg_line(struct kh_orderagg *, int day, const char *manager,
	    const char *customer, const char *brand, int64_t qty,
	    int64_t amount, struct kh_err *);

/*
 * Order ids.  At most KH_ORDERAGG_IDS are held in memory; when full
 * (kh_orderagg_ids_full) the caller takes them sorted, stores them
 * elsewhere and calls kh_orderagg_ids_spilled, which empties memory and
 * remembers the smallest and largest id ever spilled, so that
 * kh_orderagg_maybe_spilled answers "certainly not" for most new ids
 * (exports number their orders in ascending order).
 */
#define KH_ORDERAGG_IDS	((size_t)1 << 17)
/* 1 if id lies within the range of the spilled ids (look it up), else 0. */
int	 kh_orderagg_maybe_spilled(const struct kh_orderagg *,
	    const char *id);
/* Note id; *dup = 1 if it is already held in memory.  -1 out of memory. */
int	 kh_orderagg_note_id(struct kh_orderagg *, const char *id, int *dup);
/* 1 when KH_ORDERAGG_IDS are held: time to spill them. */
int	 kh_orderagg_ids_full(const struct kh_orderagg *);
/* The ids in memory in byte order; *v (caller frees) points into them. */
int	 kh_orderagg_ids_sorted(const struct kh_orderagg *, const char ***v,
	    size_t *n);
/* v, n as given by ids_sorted, now stored elsewhere.  -1 out of memory. */
int	 kh_orderagg_ids_spilled(struct kh_orderagg *, const char *const *v,
	    size_t n);

/*
 * The sums, for writing.  kh_orderagg_sort puts both kinds of row in
 * byte order of their names (day, manager, brand; customer, brand), so
 * the same file always yields the same rows in the same order; after it
 * no line may be added until kh_orderagg_clear.  -1 out of memory.
 * Names point into the aggregate and live until kh_orderagg_clear.
 */
struct kh_orderagg_volume {
	int		 day;
	const char	*manager, *brand;
	int64_t		 qty, amount, lines;
};
struct kh_orderagg_shelf {
	const char	*customer, *brand;
	int64_t		 days;		/* bit d: ordered on day d */
};
int	 kh_orderagg_sort(struct kh_orderagg *);
size_t	 kh_orderagg_n_volumes(const struct kh_orderagg *);
void	 kh_orderagg_volume(const struct kh_orderagg *, size_t i,
	    struct kh_orderagg_volume *);
size_t	 kh_orderagg_n_shelves(const struct kh_orderagg *);
void	 kh_orderagg_shelf(const struct kh_orderagg *, size_t i,
	    struct kh_orderagg_shelf *);
/* Distinct managers among the volume rows (after kh_orderagg_sort). */
long	 kh_orderagg_n_managers(const struct kh_orderagg *);

#endif
