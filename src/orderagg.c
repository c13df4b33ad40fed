/*
 * orderagg.c — id sets and the aggregate of an orders file, in memory
 * (see orderagg.h).  Layout: a string table (dense indexes, one arena),
 * a map of sums under 64-bit keys, then the id sets and the aggregate
 * built on them.  No SQL here: store.c does the disk side.
 */
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "grow.h"
#include "orderagg.h"
#include "model.h"

/* ---- a string table ---------------------------------------------------- */

/*
 * A set of strings, each given a dense index in order of insertion: the
 * ids of a roster or brands file (struct kh_idset), the names the staged
 * orders use and the order ids held in memory.  Open addressing over
 * FNV-1a; the strings live in one arena.  Memory grows with the
 * distinct strings, never with lines.
 */
struct strtab {
	char		*arena;		/* NUL-terminated strings */
	size_t		 alen, acap;
	size_t		*off;		/* off[i]: string i in arena */
	size_t		 n, cap;
	uint32_t	*slot;		/* 1 + index of a string; 0 = empty */
	size_t		 nslot;		/* a power of two, or 0 */
};

#define STRTAB_MAX	((size_t)1 << 28)	/* strings in one table */
/* a name's rank takes 29 bits of a sorted key (sort_vol, sort_shelf) */
_Static_assert(STRTAB_MAX <= ((size_t)1 << 29), "ranks fit their bits");

static uint32_t
fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static const char *
strtab_str(const struct strtab *t, size_t i)
{
	return t->arena + t->off[i];
}

/* The slot holding s (len bytes), or the empty slot where it would go. */
static size_t
strtab_probe(const struct strtab *t, const char *s, size_t len)
{
	size_t mask = t->nslot - 1, i = fnv1a(s, len) & mask;
	const char *k;

	for (; t->slot[i] != 0; i = (i + 1) & mask) {
		k = strtab_str(t, t->slot[i] - 1);
		/* strncmp stops at k's end: k may be shorter than s */
		if (strncmp(k, s, len) == 0 && k[len] == '\0')
			break;
	}
	return i;
}

/* 1 + index of s, or 0 if s is not in the set. */
static size_t
strtab_find(const struct strtab *t, const char *s)
{
	return t->nslot == 0 ? 0 : t->slot[strtab_probe(t, s, strlen(s))];
}

static int
strtab_rehash(struct strtab *t, size_t nslot)
{
	uint32_t *slot;
	size_t i, j;
	const char *k;

	if ((slot = calloc(nslot, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		k = strtab_str(t, i);
		for (j = fnv1a(k, strlen(k)) & (nslot - 1); slot[j] != 0;
		    j = (j + 1) & (nslot - 1))
			;
		slot[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

/* *idx = index of s, added if new; -1 when out of memory or room. */
static int
strtab_intern(struct strtab *t, const char *s, size_t *idx)
{
	size_t len = strlen(s), i;

	if ((t->n + 1) * 2 > t->nslot &&
	    strtab_rehash(t, t->nslot ? t->nslot * 2 : 64) != 0)
		return -1;
	i = strtab_probe(t, s, len);
	if (t->slot[i] != 0) {
		*idx = t->slot[i] - 1;
		return 0;
	}
	if (t->n >= STRTAB_MAX || kh_grow(&t->off, &t->cap, t->n,
	    sizeof(*t->off)) != 0)
		return -1;
	if (kh_grow_n(&t->arena, &t->acap, t->alen, len + 1, 1) != 0)
		return -1;
	memcpy(t->arena + t->alen, s, len + 1);
	t->off[t->n] = t->alen;
	t->alen += len + 1;
	t->slot[i] = (uint32_t)(t->n + 1);
	*idx = t->n++;
	return 0;
}

/* Empty t, keeping its memory for reuse. */
static void
strtab_reset(struct strtab *t)
{
	if (t->nslot > 0)
		memset(t->slot, 0, t->nslot * sizeof(*t->slot));
	t->n = 0;
	t->alen = 0;
}

static void
strtab_clear(struct strtab *t)
{
	free(t->arena);
	free(t->off);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* ---- sums under 64-bit keys ------------------------------------------- */

/* Sums under a 64-bit key; key 0 marks an empty slot. */
struct agg {
	uint64_t	key;
	int64_t		v[3];
};

struct aggmap {
	struct agg	*e;
	size_t		 n, nslot;	/* nslot a power of two, or 0 */
};

static size_t
mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k;
}

static int
agg_rehash(struct aggmap *m, size_t nslot)
{
	struct agg *e;
	size_t i, j;

	if ((e = calloc(nslot, sizeof(*e))) == NULL)
		return -1;
	for (i = 0; i < m->nslot; i++) {
		if (m->e[i].key == 0)
			continue;
		for (j = mix64(m->e[i].key) & (nslot - 1); e[j].key != 0;
		    j = (j + 1) & (nslot - 1))
			;
		e[j] = m->e[i];
	}
	free(m->e);
	m->e = e;
	m->nslot = nslot;
	return 0;
}

/* The sums of key (> 0), zero if new; NULL when out of memory. */
static struct agg *
agg_get(struct aggmap *m, uint64_t key)
{
	size_t i;

	if ((m->n + 1) * 2 > m->nslot &&
	    agg_rehash(m, m->nslot ? m->nslot * 2 : 256) != 0)
		return NULL;
	for (i = mix64(key) & (m->nslot - 1); m->e[i].key != key;
	    i = (i + 1) & (m->nslot - 1))
		if (m->e[i].key == 0) {
			m->e[i].key = key;
			m->n++;
			break;
		}
	return &m->e[i];
}

static void
agg_clear(struct aggmap *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* ---- id sets ----------------------------------------------------------- */

struct kh_idset {
	struct strtab	t;
};

struct kh_idset *
kh_idset_new(void)
{
	return calloc(1, sizeof(struct kh_idset));
}

void
kh_idset_free(struct kh_idset *set)
{
	if (set == NULL)
		return;
	strtab_clear(&set->t);
	free(set);
}

int
kh_idset_add(struct kh_idset *set, const char *id)
{
	size_t idx;

	return strtab_intern(&set->t, id, &idx);
}

int
kh_idset_has(const struct kh_idset *set, const char *id)
{
	return strtab_find(&set->t, id) != 0;
}

/* ---- the orders of one file -------------------------------------------- */

/*
 * names holds the managers, customers and brands the lines name, vol the
 * sums per day x manager x brand (key day | manager << 5 | brand << 34;
 * qty, amount, lines), shelf the days ordered per customer x brand (key
 * 1 + customer | brand << 32; mask of days).  kh_orderagg_sort rewrites
 * both keys in ranks of the names (see sort_vol, sort_shelf) and packs
 * the entries, n_vol and n_shelf of them, at the front of each map.
 *
 * ids holds the latest order ids, at most KH_ORDERAGG_IDS of them; lo
 * and hi are the smallest and largest id ever spilled.
 */
struct kh_orderagg {
	struct strtab	names;
	size_t		 last_m, last_c;	/* 1 + index: last line's */
	struct aggmap	vol, shelf;
	struct strtab	ids;
	char		*lo, *hi;	/* NULL until the first spill */
	size_t		*order;		/* after sort: name of rank r */
	size_t		 n_vol, n_shelf;
	long		 n_managers;
};

struct kh_orderagg *
kh_orderagg_new(void)
{
	return calloc(1, sizeof(struct kh_orderagg));
}

void
kh_orderagg_clear(struct kh_orderagg *ag)
{
	strtab_clear(&ag->names);
	ag->last_m = ag->last_c = 0;
	agg_clear(&ag->vol);
	agg_clear(&ag->shelf);
	strtab_clear(&ag->ids);
	free(ag->lo);
	free(ag->hi);
	ag->lo = ag->hi = NULL;
	free(ag->order);
	ag->order = NULL;
	ag->n_vol = ag->n_shelf = 0;
	ag->n_managers = 0;
}

void
kh_orderagg_free(struct kh_orderagg *ag)
{
	if (ag == NULL)
		return;
	kh_orderagg_clear(ag);
	free(ag);
}

/* a += b, or -1 if the sum leaves 0..max (checked: never wraps). */
static int
add_sum(int64_t *a, int64_t b, int64_t max)
{
	return __builtin_add_overflow(*a, b, a) || *a < 0 || *a > max ? -1 : 0;
}

/*
 * Index of a staged name; *last (1 + index) remembers the previous one,
 * as the lines of an order repeat its manager and customer.
 */
static int
name_of(struct kh_orderagg *ag, const char *s, size_t *last, size_t *idx)
{
	if (*last != 0 && strcmp(strtab_str(&ag->names, *last - 1), s) == 0) {
		*idx = *last - 1;
		return 0;
	}
	if (strtab_intern(&ag->names, s, idx) != 0)
		return -1;
	*last = *idx + 1;
	return 0;
}

int
kh_orderagg_line(struct kh_orderagg *ag, int day, const char *manager,
    const char *customer, const char *brand, int64_t qty, int64_t amount,
    struct kh_err *err)
{
	struct agg *v, *sh;
	size_t m, c, b;
	char buf[32];

	if (day < 1 || day > 31)
		return kh_err_sys(err, KH_FAIL, "staging: day %d", day);
	if (name_of(ag, manager, &ag->last_m, &m) != 0 ||
	    name_of(ag, customer, &ag->last_c, &c) != 0 ||
	    strtab_intern(&ag->names, brand, &b) != 0 ||
	    (v = agg_get(&ag->vol, (uint64_t)day | (uint64_t)m << 5 |
	    (uint64_t)b << 34)) == NULL ||
	    (sh = agg_get(&ag->shelf, (uint64_t)(c + 1) |
	    (uint64_t)b << 32)) == NULL)
		return kh_err_sys(err, KH_FAIL, "staging: out of memory");
	if (add_sum(&v->v[0], qty, KH_MONTH_MAX_QTY) != 0 ||
	    add_sum(&v->v[1], amount, KH_MONTH_MAX_AMOUNT) != 0)
		return kh_err_set(err, KH_REJECT, NULL, 0, NULL, NULL,
		    "the orders of day %d for manager %s and brand %s add up "
		    "to more than a manager's whole month can plausibly hold "
		    "(%lld 条, %s 元)", day, manager, brand,
		    (long long)KH_MONTH_MAX_QTY, kh_dec_format(
		    KH_MONTH_MAX_AMOUNT, 2, buf, sizeof(buf)));
	v->v[2]++;
	sh->v[0] |= (int64_t)1 << day;
	return KH_OK;
}

/* ---- order ids --------------------------------------------------------- */

int
kh_orderagg_maybe_spilled(const struct kh_orderagg *ag, const char *id)
{
	return ag->lo != NULL && strcmp(id, ag->lo) >= 0 &&
	    strcmp(id, ag->hi) <= 0;
}

int
kh_orderagg_note_id(struct kh_orderagg *ag, const char *id, int *dup)
{
	size_t n = ag->ids.n, idx;

	if (strtab_intern(&ag->ids, id, &idx) != 0)
		return -1;
	*dup = ag->ids.n == n;
	return 0;
}

int
kh_orderagg_ids_full(const struct kh_orderagg *ag)
{
	return ag->ids.n >= KH_ORDERAGG_IDS;
}

static int
cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

int
kh_orderagg_ids_sorted(const struct kh_orderagg *ag, const char ***out,
    size_t *n)
{
	const char **v;
	size_t i;

	*out = NULL;
	*n = 0;
	if ((v = calloc(ag->ids.n + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < ag->ids.n; i++)
		v[i] = strtab_str(&ag->ids, i);
	qsort(v, ag->ids.n, sizeof(*v), cmp_str);
	*out = v;
	*n = ag->ids.n;
	return 0;
}

/* Keep *bound = s if it is unset, or if s lies beyond it (side -1/+1). */
static int
widen(char **bound, const char *s, int side)
{
	char *d;

	if (*bound != NULL && strcmp(s, *bound) * side <= 0)
		return 0;
	if ((d = strdup(s)) == NULL)
		return -1;
	free(*bound);
	*bound = d;
	return 0;
}

int
kh_orderagg_ids_spilled(struct kh_orderagg *ag, const char *const *v,
    size_t n)
{
	if (n > 0 && (widen(&ag->lo, v[0], -1) != 0 ||
	    widen(&ag->hi, v[n - 1], 1) != 0))
		return -1;
	strtab_reset(&ag->ids);
	return 0;
}

/* ---- sorting the sums for writing -------------------------------------- */

static int
cmp_agg(const void *pa, const void *pb)
{
	const struct agg *a = pa, *b = pb;

	return a->key < b->key ? -1 : a->key > b->key;
}

struct name_pos {
	const char	*s;
	size_t		 idx;
};

static int
cmp_name_pos(const void *pa, const void *pb)
{
	return strcmp(((const struct name_pos *)pa)->s,
	    ((const struct name_pos *)pb)->s);
}

/*
 * rank[i] = place of name i in byte order (SQLite's BINARY collation),
 * and order[r] = the name at place r.  Keys rewritten in ranks sort as
 * the old ORDER BY of the names did, so the rows go in in the same order.
 */
static int
rank_names(const struct strtab *t, size_t **rank, size_t **order)
{
	struct name_pos *np;
	size_t i;

	np = calloc(t->n + 1, sizeof(*np));
	*rank = calloc(t->n + 1, sizeof(**rank));
	*order = calloc(t->n + 1, sizeof(**order));
	if (np == NULL || *rank == NULL || *order == NULL) {
		free(np);
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		np[i].s = strtab_str(t, i);
		np[i].idx = i;
	}
	qsort(np, t->n, sizeof(*np), cmp_name_pos);
	for (i = 0; i < t->n; i++) {
		(*rank)[np[i].idx] = i;
		(*order)[i] = np[i].idx;
	}
	free(np);
	return 0;
}

/* The used entries of m, packed at its front and sorted by key. */
static size_t
agg_sorted(struct aggmap *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nslot; i++)
		if (m->e[i].key != 0)
			m->e[n++] = m->e[i];
	if (n > 0)
		qsort(m->e, n, sizeof(*m->e), cmp_agg);
	return n;
}

#define LOW(k, bits)	((size_t)((k) & (((uint64_t)1 << (bits)) - 1)))

/* Volume keys become day << 58 | rank(manager) << 29 | rank(brand). */
static void
sort_vol(struct kh_orderagg *ag, const size_t *rank)
{
	struct aggmap *m = &ag->vol;
	uint64_t k;
	size_t i;

	for (i = 0; i < m->nslot; i++)
		if ((k = m->e[i].key) != 0)
			m->e[i].key = (k & 31) << 58 |
			    (uint64_t)rank[LOW(k >> 5, 29)] << 29 |
			    (uint64_t)rank[(size_t)(k >> 34)];
	ag->n_vol = agg_sorted(m);
}

/* Shelf keys become 1 << 62 | rank(customer) << 32 | rank(brand). */
static void
sort_shelf(struct kh_orderagg *ag, const size_t *rank)
{
	struct aggmap *m = &ag->shelf;
	uint64_t k;
	size_t i;

	/* bit 62 keeps a rewritten key from reading as "empty" */
	for (i = 0; i < m->nslot; i++)
		if ((k = m->e[i].key) != 0)
			m->e[i].key = (uint64_t)1 << 62 |
			    (uint64_t)rank[LOW(k, 32) - 1] << 32 |
			    (uint64_t)rank[(size_t)(k >> 32)];
	ag->n_shelf = agg_sorted(m);
}

/* Distinct managers among the sorted volume rows. */
static int
count_managers(struct kh_orderagg *ag)
{
	unsigned char *seen;
	size_t i, mgr;

	if ((seen = calloc(ag->names.n + 1, 1)) == NULL)
		return -1;
	ag->n_managers = 0;
	for (i = 0; i < ag->n_vol; i++) {
		mgr = ag->order[LOW(ag->vol.e[i].key >> 29, 29)];
		if (!seen[mgr]) {
			seen[mgr] = 1;
			ag->n_managers++;
		}
	}
	free(seen);
	return 0;
}

int
kh_orderagg_sort(struct kh_orderagg *ag)
{
	size_t *rank = NULL;
	int rc = -1;

	free(ag->order);
	ag->order = NULL;
	if (rank_names(&ag->names, &rank, &ag->order) != 0)
		goto out;
	sort_vol(ag, rank);
	sort_shelf(ag, rank);
	rc = count_managers(ag);
out:
	free(rank);
	return rc;
}

size_t
kh_orderagg_n_volumes(const struct kh_orderagg *ag)
{
	return ag->n_vol;
}

void
kh_orderagg_volume(const struct kh_orderagg *ag, size_t i,
    struct kh_orderagg_volume *out)
{
	const struct agg *e = &ag->vol.e[i];

	out->day = (int)(e->key >> 58);
	out->manager = strtab_str(&ag->names, ag->order[LOW(e->key >> 29, 29)]);
	out->brand = strtab_str(&ag->names, ag->order[LOW(e->key, 29)]);
	out->qty = e->v[0];
	out->amount = e->v[1];
	out->lines = e->v[2];
}

size_t
kh_orderagg_n_shelves(const struct kh_orderagg *ag)
{
	return ag->n_shelf;
}

void
kh_orderagg_shelf(const struct kh_orderagg *ag, size_t i,
    struct kh_orderagg_shelf *out)
{
	const struct agg *e = &ag->shelf.e[i];

	out->customer = strtab_str(&ag->names,
	    ag->order[LOW(e->key >> 32, 30)]);
	out->brand = strtab_str(&ag->names, ag->order[LOW(e->key, 32)]);
	out->days = e->v[0];
}

long
kh_orderagg_n_managers(const struct kh_orderagg *ag)
{
	return ag->n_managers;
}
