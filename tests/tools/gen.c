/*
 * gen.c — the seeded generator of kaohe's bundled sample (input/).
 *
 *   gen [--seed N] --out DIR [--expect FILE]   the sample county, 2013-04 and 2013-05
 *   gen [--seed N] --big-orders N --out FILE   one large May orders file (benchmarks)
 *
 * The sample is a small but realistic county marketing unit (530421): ten
 * customer managers in three groups, about 300 retailers, 30 brands, two
 * months of roster, brands, targets (with a mid-month adjustment in May),
 * one orders file a working day (plus a re-exported April month file) and
 * weekly and month-end assessment files, some in GBK and GB18030.  The
 * edge cases scoring.md and exports.md describe are planted on purpose at
 * fixed places; --expect writes them down with the per-manager aggregates
 * and the scores they should give (an independent computation, in exact
 * integers), for the integrator to check kaohe against.
 *
 * Output is a pure function of the seed: the PRNG is our own splitmix64
 * and every `generated` time comes from the data, never from the clock.
 * XML is written by hand with escaping; GBK/GB18030 through iconv(3).
 * Date helpers come from src/calendar.h; nothing else of kaohe is used.
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar.h"

#define UNIT		"530421"
#define UNIT_NAME	"某县烟草专卖局（营销部）"
#define NMGR		10
#define NCUST		300	/* customers in April; May adds one new */
#define MAXCUST		(NCUST + 1)
#define NKEY		3
#define NIND		6
#define MAXLINES	6
#define PORT_MAX	16

/* ---- small helpers ----------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);

	if (q == NULL)
		die("out of memory");
	return q;
}

/* splitmix64: tiny, well mixed, and the same on every platform. */
struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in lo..hi inclusive (the modulo bias is far below notice here). */
static long
rng_int(struct rng *r, long lo, long hi)
{
	return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int
rng_pct(struct rng *r, int pct)
{
	return rng_int(r, 0, 99) < pct;
}

/* A growing UTF-8 text buffer. */
struct buf {
	char	*p;
	size_t	 len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_printf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		die("internal: line too long");
	buf_add(b, tmp, (size_t)n);
}

/* ` name="value"` with the five XML specials escaped. */
static void
buf_attr(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, " %s=\"", name);
	for (; *v != '\0'; v++) {
		switch (*v) {
		case '&': buf_add(b, "&amp;", 5); break;
		case '<': buf_add(b, "&lt;", 4); break;
		case '>': buf_add(b, "&gt;", 4); break;
		case '"': buf_add(b, "&quot;", 6); break;
		case '\'': buf_add(b, "&apos;", 6); break;
		default: buf_add(b, v, 1); break;
		}
	}
	buf_add(b, "\"", 1);
}

/* Hundredths as "123.45" (v >= 0 or negative with sign). */
static const char *
dec2(long v, char *out, size_t len)
{
	snprintf(out, len, "%s%ld.%02ld", v < 0 ? "-" : "", labs(v) / 100, labs(v) % 100);
	return out;
}

static void
mkdirs(const char *path)
{
	char tmp[1024], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			die("mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		die("mkdir %s: %s", tmp, strerror(errno));
}

/* Write b (UTF-8) to dir/name in encoding enc, creating folders. */
static void
write_file(const char *dir, const char *name, const char *enc, const struct buf *b)
{
	char path[1024], *slash, *out = NULL, *in, *o;
	size_t inleft, outleft, cap;
	iconv_t cd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		mkdirs(path);
		*slash = '/';
	}
	if ((f = fopen(path, "wb")) == NULL)
		die("%s: %s", path, strerror(errno));
	if (strcmp(enc, "UTF-8") == 0) {
		fwrite(b->p, 1, b->len, f);
	} else {
		if ((cd = iconv_open(enc, "UTF-8")) == (iconv_t)-1)
			die("iconv_open %s: %s", enc, strerror(errno));
		cap = b->len * 2 + 16;
		out = xrealloc(NULL, cap);
		in = b->p;
		inleft = b->len;
		o = out;
		outleft = cap;
		if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1)
			die("%s: cannot encode in %s near \"%.20s\"", path, enc, in);
		iconv_close(cd);
		fwrite(out, 1, cap - outleft, f);
		free(out);
	}
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

static void
export_open(struct buf *b, const char *enc, const char *kind, const char *period,
    const char *generated)
{
	b->len = 0;
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n<export", enc);
	buf_attr(b, "kind", kind);
	buf_attr(b, "unit", UNIT);
	buf_attr(b, "unit-name", UNIT_NAME);
	buf_attr(b, "period", period);
	buf_attr(b, "generated", generated);
	buf_add(b, ">\n", 2);
}

static void
export_close(struct buf *b)
{
	buf_add(b, "</export>\n", 10);
}

/* ---- the world: managers, customers, brands ---------------------------- */

static const struct mgr_def {
	const char *id, *name, *group, *from;
} MGR[NMGR] = {
	{ "KM001", "张伟", "城区一组", "2009-03-01" },
	{ "KM002", "李娜", "城区一组", "2010-07-01" },
	{ "KM003", "王磊", "城区一组", "2008-05-01" },
	{ "KM004", "陈静", "城区一组", "2011-02-15" },
	{ "KM005", "杨帆", "城区二组", "2010-03-01" },
	{ "KM006", "黄海", "城区二组", "2007-09-01" },
	{ "KM007", "周敏", "城区二组", "2012-04-01" },
	{ "KM008", "吴涛", "农村组", "2006-06-01" },
	{ "KM009", "徐丽", "农村组", "2011-08-01" },
	{ "KM010", "孙斌", "农村组", "2012-10-08" },
};
#define KM(n)	((n) - 1)	/* KM(3) is the index of KM003 */

/* price: 分 a 条 (wholesale); weight: how often retailers stock it. */
static const struct brand_def {
	const char *name;
	int cls;
	const char *tar;
	long tar_h, price;
	int weight;
} BRAND[] = {
	{ "中华(硬)", 1, "11", 1100, 37100, 3 },
	{ "中华(软)", 1, "11", 1100, 58300, 1 },
	{ "玉溪(软)", 1, "11", 1100, 18550, 5 },
	{ "云烟(软珍品)", 1, "11", 1100, 18020, 6 },
	{ "芙蓉王(硬)", 1, "11", 1100, 21200, 3 },
	{ "黄鹤楼(软蓝)", 1, "10", 1000, 16000, 2 },
	{ "云烟(紫)", 2, "11", 1100, 8480, 6 },
	{ "红河(软88)", 2, "10", 1000, 9010, 3 },
	{ "黄金叶(乐途)", 2, "8", 800, 9540, 3 },
	{ "七匹狼(白)", 2, "8", 800, 7750, 3 },
	{ "娇子(X)", 2, "5", 500, 8800, 2 },
	{ "南京(炫赫门)", 2, "6", 600, 7950, 3 },
	{ "红塔山(经典1956)", 3, "10", 1000, 6890, 10 },
	{ "云烟(软)", 3, "11", 1100, 5830, 8 },
	{ "红河(硬)", 3, "10", 1000, 4240, 8 },
	{ "阿诗玛(硬)", 3, "10", 1000, 4770, 4 },
	{ "红塔山(新势力)", 3, "6", 600, 4200, 3 },
	{ "石林(硬)", 3, "11", 1100, 3180, 4 },
	{ "红梅(软黄)", 4, "11", 1100, 2332, 6 },
	{ "春城(软)", 4, "10", 1000, 2756, 4 },
	{ "红山茶(软)", 4, "11", 1100, 2226, 4 },
	{ "白沙(软)", 4, "11", 1100, 2120, 3 },
	{ "大前门(软)", 4, "11", 1100, 2544, 3 },
	{ "红双喜(软)", 4, "10", 1000, 2650, 3 },
	{ "哈德门(软)", 4, "7.5", 750, 1750, 3 },
	{ "黄金叶(软大金圆)", 4, "11", 1100, 1908, 3 },
	{ "石林(软)", 5, "11", 1100, 1484, 4 },
	{ "金沙江(软)", 5, "11", 1100, 1166, 3 },
	{ "红金龙(软)", 5, "11", 1100, 1272, 2 },
	{ "大丰收(软)", 5, "11", 1100, 954, 2 },
};
#define NBRAND	((int)(sizeof(BRAND) / sizeof(BRAND[0])))
#define B_HTS1956	12	/* 红塔山(经典1956): the code of exports.md's example */

/* The month's key brands (重点品牌), indexes into BRAND. */
static const int KEY[2][NKEY] = { { 3, 12, 2 }, { 3, 12, 14 } };

enum cstatus { C_OPEN, C_SUSPENDED, C_CLOSED, C_ABSENT };
static const char *const CSTATUS[] = { "open", "suspended", "closed", "" };

struct customer {
	char	 id[24];
	char	 name[96];
	int	 grade, slot;
	char	 opened[11];
	int	 mgr[2];		/* roster manager, April and May */
	enum cstatus status[2];
	int	 port[PORT_MAX];	/* brands the shop stocks */
	int	 nport;
};

struct world {
	struct customer c[MAXCUST];
	int	 ncust;
	char	 code[NBRAND][14];
};

/* Fixed characters of the story (customer indexes, 0-based). */
#define C_MOVED_APR	12	/* 530421100013: KM001 -> KM002 on 2013-04-15 */
#define C_SUSP_MAY	45	/* 530421100046: open in April, suspended in May */
#define C_REOPEN_MAY	100	/* 530421100101: suspended in April, open in May */
#define C_NEW_MAY	NCUST	/* 530421100301: new in May (新入网), KM004 */
#define C_AMP		7	/* name with '&' */
#define C_QUOTE		33	/* name with “” and <> */
#define C_LATE		20	/* 530421100021 (KM001): the late April order */
#define C_PRAISE	3	/* 530421100004 (KM001): praises twice in May */
#define C_PRAISE2	17	/* 530421100018 (KM001): praises once in May */
#define KM010_LAST	"2013-05-09"	/* KM010's last working day */
#define COVER_FROM	"2013-05-20"	/* KM006 on leave, KM005 covers */
#define COVER_TO	"2013-05-24"

static void
ean13(const char *twelve, char out[14])
{
	int i, sum = 0;

	for (i = 0; i < 12; i++)
		sum += (twelve[i] - '0') * (i % 2 ? 3 : 1);
	memcpy(out, twelve, 12);
	out[12] = (char)('0' + (10 - sum % 10) % 10);
	out[13] = '\0';
}

static void
make_brands(struct world *w)
{
	char twelve[16];
	int i;

	for (i = 0; i < NBRAND; i++) {
		if (i == B_HTS1956) {
			snprintf(w->code[i], sizeof(w->code[i]), "6901028075015");
			continue;
		}
		/* 6901028 + a five-digit item number + check digit */
		snprintf(twelve, sizeof(twelve), "6901028%05u",
		    (unsigned)(10127 + i * 2311 % 89000) % 100000u);
		ean13(twelve, w->code[i]);
	}
}

static const char *const SURNAME[] = {
	"李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
	"徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
};
static const char *const PREFIX[] = {
	"兴隆", "福源", "金穗", "顺发", "宏达", "鑫源", "永安", "万家", "惠民", "佳佳",
	"红星", "东方", "南门", "北街", "新华", "团结", "和平", "友谊", "长城", "平安",
	"吉祥", "如意", "富民", "丰收", "利民", "便民", "阳光", "春华", "联华", "家乐",
};
static const char *const VILLAGE[] = {
	"大河村", "石桥村", "新庄", "李家营", "高坡村", "马场村", "松林村", "白石村",
	"龙潭村", "三岔河", "小寨村", "河口村",
};
static const char *const SUFFIX[] = {
	"便利店", "超市", "烟酒商行", "副食店", "小卖部", "商店", "百货店", "烟酒店",
	"食杂店", "批发部",
};
#define N(a)	((long)(sizeof(a) / sizeof((a)[0])))

static int
name_taken(const struct world *w, int upto, const char *name)
{
	int i;

	for (i = 0; i < upto; i++)
		if (strcmp(w->c[i].name, name) == 0)
			return 1;
	return 0;
}

/* A shop name: town shops by brand-like prefix or "X记", village shops by village. */
static void
shop_name(struct rng *r, const struct world *w, int i, int rural, char *out, size_t len)
{
	do {
		if (rural)
			snprintf(out, len, "%s%s家%s", VILLAGE[rng_int(r, 0, N(VILLAGE) - 1)],
			    SURNAME[rng_int(r, 0, N(SURNAME) - 1)],
			    SUFFIX[rng_int(r, 0, 4) == 0 ? 2 : 4 + rng_int(r, 0, 1)]);
		else if (rng_pct(r, 35))
			snprintf(out, len, "%s记%s", SURNAME[rng_int(r, 0, N(SURNAME) - 1)],
			    SUFFIX[rng_int(r, 0, N(SUFFIX) - 1)]);
		else
			snprintf(out, len, "%s%s", PREFIX[rng_int(r, 0, N(PREFIX) - 1)],
			    SUFFIX[rng_int(r, 0, N(SUFFIX) - 1)]);
	} while (name_taken(w, i, out));
}

/* One brand drawn by popularity weight. */
static int
pick_brand(struct rng *r)
{
	int total = 0, acc = 0, pick, b;

	for (b = 0; b < NBRAND; b++)
		total += BRAND[b].weight;
	pick = (int)rng_int(r, 0, total - 1);
	for (b = 0; b < NBRAND - 1; b++)
		if ((acc += BRAND[b].weight) > pick)
			break;
	return b;
}

/* Brands a shop stocks: 5–10 by popularity weight, no repeats. */
static void
make_portfolio(struct rng *r, struct customer *c)
{
	int i, k, b;

	c->nport = (int)rng_int(r, 5, 10);
	for (k = 0; k < c->nport; k++) {
		do {
			b = pick_brand(r);
			for (i = 0; i < k && c->port[i] != b; i++)
				;
		} while (i < k);
		c->port[k] = b;
	}
}

static void
make_customers(struct rng *r, struct world *w)
{
	struct customer *c;
	int i, y, m, d;

	w->ncust = MAXCUST;
	for (i = 0; i < MAXCUST; i++) {
		c = &w->c[i];
		snprintf(c->id, sizeof(c->id), UNIT "1%05u", (unsigned)(i + 1) % 100000u);
		c->mgr[0] = c->mgr[1] = i < NCUST ? i / (NCUST / NMGR) : KM(4);
		shop_name(r, w, i, c->mgr[0] >= KM(8), c->name, sizeof(c->name));
		c->grade = (int)rng_int(r, 1, 30);
		c->slot = (int)rng_int(r, 0, 4);
		y = (int)rng_int(r, 2003, 2012);
		m = (int)rng_int(r, 1, 12);
		d = (int)rng_int(r, 1, kh_date_days_in_month(y, m));
		kh_date_format(y, m, d, c->opened);
		c->status[0] = c->status[1] = C_OPEN;
		if (i < NCUST && rng_pct(r, 3))
			c->status[0] = c->status[1] = C_SUSPENDED;
		else if (i < NCUST && rng_pct(r, 1))
			c->status[0] = c->status[1] = C_CLOSED;
		make_portfolio(r, c);
	}
	snprintf(w->c[C_AMP].name, sizeof(w->c[C_AMP].name), "兄弟&朋友便利店");
	snprintf(w->c[C_QUOTE].name, sizeof(w->c[C_QUOTE].name), "“老地方”烟酒店<南门>");
	w->c[C_MOVED_APR].mgr[0] = w->c[C_MOVED_APR].mgr[1] = KM(2);
	/* shops the planted records and the late April order name stay open */
	w->c[C_PRAISE].status[0] = w->c[C_PRAISE].status[1] = C_OPEN;
	w->c[C_PRAISE2].status[0] = w->c[C_PRAISE2].status[1] = C_OPEN;
	w->c[C_LATE].status[0] = w->c[C_LATE].status[1] = C_OPEN;
	w->c[C_SUSP_MAY].status[0] = C_OPEN;
	w->c[C_SUSP_MAY].status[1] = C_SUSPENDED;
	w->c[C_REOPEN_MAY].status[0] = C_SUSPENDED;
	w->c[C_REOPEN_MAY].status[1] = C_OPEN;
	w->c[C_NEW_MAY].status[0] = C_ABSENT;
	snprintf(w->c[C_NEW_MAY].opened, sizeof(w->c[C_NEW_MAY].opened), "2013-05-06");
	snprintf(w->c[C_NEW_MAY].name, sizeof(w->c[C_NEW_MAY].name), "新城花园便利店");
	w->c[C_NEW_MAY].grade = 5;
	/* KM010 leaves in May: his shops go to KM009 in the May roster. */
	for (i = 0; i < NCUST; i++)
		if (w->c[i].mgr[1] == KM(10))
			w->c[i].mgr[1] = KM(9);
}

/* ---- calendar of April and May 2013 ------------------------------------ */

/*
 * April and May 2013 as in templates/calendar-2013.xml (清明 4-4..6 with
 * 4-7 worked, 劳动节 4-29..5-1 with 4-27/28 worked), kept here so that the
 * generator needs no template file.
 */
static int
workday(const char *date)
{
	static const char *const off[] = { "2013-04-04", "2013-04-05", "2013-04-29",
		"2013-04-30", "2013-05-01", NULL };
	static const char *const on[] = { "2013-04-07", "2013-04-27", "2013-04-28", NULL };
	int y, m, d, i, wd;

	for (i = 0; off[i] != NULL; i++)
		if (strcmp(date, off[i]) == 0)
			return 0;
	for (i = 0; on[i] != NULL; i++)
		if (strcmp(date, on[i]) == 0)
			return 1;
	if (kh_date_parse(date, &y, &m, &d) != 0)
		die("internal: bad date %s", date);
	wd = kh_date_weekday(y, m, d);
	return wd != 0 && wd != 6;
}

/* Working days of 2013-(mon) into days[][11]; returns how many. */
static int
workdays(int mon, char days[31][11])
{
	int d, n = 0;
	char s[11];

	for (d = 1; d <= kh_date_days_in_month(2013, mon); d++) {
		kh_date_format(2013, mon, d, s);
		if (workday(s))
			memcpy(days[n++], s, 11);
	}
	return n;
}

/* ---- orders ------------------------------------------------------------- */

struct order {
	char	 id[32];
	char	 date[11];
	int	 cust, mgr, nlines;
	int	 brand[MAXLINES], qty[MAXLINES];
	long	 amount[MAXLINES];	/* 分 */
};

struct orders {
	struct order *o;
	size_t	 n, cap;
};

static struct order *
order_new(struct orders *os)
{
	if (os->n == os->cap) {
		os->cap = os->cap ? os->cap * 2 : 512;
		os->o = xrealloc(os->o, os->cap * sizeof(*os->o));
	}
	memset(&os->o[os->n], 0, sizeof(os->o[0]));
	return &os->o[os->n++];
}

/* Who is credited with customer ci's order on date in month mi (0 April, 1 May). */
static int
credited(const struct world *w, int ci, int mi, const char *date)
{
	const struct customer *c = &w->c[ci];

	if (mi == 0 && ci == C_MOVED_APR && strcmp(date, "2013-04-15") < 0)
		return KM(1);
	if (mi == 1 && c->mgr[0] == KM(10) && ci < NCUST && strcmp(date, KM010_LAST) <= 0)
		return KM(10);
	if (mi == 1 && c->mgr[1] == KM(6) && strcmp(date, COVER_FROM) >= 0 &&
	    strcmp(date, COVER_TO) <= 0)
		return KM(5);
	return c->mgr[mi];
}

/* Fill one order of customer ci: 1–6 distinct lines from what the shop stocks. */
static void
fill_lines(struct rng *r, const struct customer *c, const int *keys, struct order *o)
{
	int port[PORT_MAX + NKEY], np = 0, i, j, t, maxq;

	for (i = 0; i < c->nport; i++)
		port[np++] = c->port[i];
	/* The month's key brands are pushed: most shops take them. */
	for (i = 0; i < NKEY && keys != NULL; i++) {
		for (j = 0; j < np && port[j] != keys[i]; j++)
			;
		if (j == np && (c->grade + i * 7) % 10 < 8)
			port[np++] = keys[i];
	}
	for (i = np - 1; i > 0; i--) {	/* shuffle, then take a prefix */
		j = (int)rng_int(r, 0, i);
		t = port[i];
		port[i] = port[j];
		port[j] = t;
	}
	o->nlines = (int)rng_int(r, 1, np < MAXLINES ? np : MAXLINES);
	maxq = 3 + c->grade / 2;
	for (i = 0; i < o->nlines; i++) {
		o->brand[i] = port[i];
		o->qty[i] = (int)rng_int(r, 1, maxq > 30 ? 30 : maxq);
		if (BRAND[port[i]].cls == 1 && o->qty[i] > 5)
			o->qty[i] = (int)rng_int(r, 1, 5);
		o->amount[i] = BRAND[port[i]].price * o->qty[i];
	}
}

static void
make_orders(struct rng *r, const struct world *w, int mi, struct orders *os)
{
	char days[31][11];
	int nd, di, ci, seq;
	struct order *o;

	nd = workdays(mi + 4, days);
	for (di = 0; di < nd; di++) {
		seq = 0;
		for (ci = 0; ci < w->ncust; ci++) {
			const struct customer *c = &w->c[ci];

			if (c->status[mi] != C_OPEN || strcmp(c->opened, days[di]) > 0)
				continue;
			if (c->slot != di % 5)
				continue;
			if (!rng_pct(r, 88))
				continue;
			o = order_new(os);
			snprintf(o->id, sizeof(o->id), "DD%.4s%.2s%.2s%04u", days[di],
			    days[di] + 5, days[di] + 8, (unsigned)++seq % 10000u);
			memcpy(o->date, days[di], 11);
			o->cust = ci;
			o->mgr = credited(w, ci, mi, days[di]);
			fill_lines(r, c, KEY[mi], o);
		}
	}
}

static void
write_order(struct buf *b, const struct world *w, const struct order *o)
{
	char amt[32], q[16];
	int i;

	buf_add(b, "  <order", 8);
	buf_attr(b, "id", o->id);
	buf_attr(b, "date", o->date);
	buf_attr(b, "customer", w->c[o->cust].id);
	buf_attr(b, "manager", MGR[o->mgr].id);
	buf_add(b, ">\n", 2);
	for (i = 0; i < o->nlines; i++) {
		snprintf(q, sizeof(q), "%d", o->qty[i]);
		buf_add(b, "    <line", 9);
		buf_attr(b, "brand", w->code[o->brand[i]]);
		buf_attr(b, "qty", q);
		buf_attr(b, "amount", dec2(o->amount[i], amt, sizeof(amt)));
		buf_add(b, "/>\n", 3);
	}
	buf_add(b, "  </order>\n", 11);
}

/* Day files with orders (day files with GBK / GB18030 where noted). */
static void
write_day_orders(const char *out, const struct world *w, int mi, const struct orders *os)
{
	char days[31][11], name[128], gen[40];
	struct buf b = { 0 };
	const char *enc;
	int nd, di;
	size_t i;

	nd = workdays(mi + 4, days);
	for (di = 0; di < nd; di++) {
		enc = strcmp(days[di], "2013-05-15") == 0 ? "GBK" :
		    strcmp(days[di], "2013-04-18") == 0 ? "GB18030" : "UTF-8";
		snprintf(gen, sizeof(gen), "%.10sT23:%02d:%02d+08:00", days[di],
		    30 + di % 20, (di * 7) % 60);
		export_open(&b, enc, "orders", days[di], gen);
		for (i = 0; i < os->n; i++)
			if (strcmp(os->o[i].date, days[di]) == 0)
				write_order(&b, w, &os->o[i]);
		export_close(&b);
		snprintf(name, sizeof(name), "2013-%02d/orders/orders-%.10s.xml", mi + 4, days[di]);
		write_file(out, name, enc, &b);
	}
	free(b.p);
}

/*
 * The April re-export (月底重新导出): the whole month, one order corrected
 * (a line's qty raised by 2) and one late order added — so a reader that
 * wrongly keeps the day files gets different sums.
 */
struct april_fix {
	char	 corrected[32];
	int	 old_qty, new_qty, brand;
	char	 added[32];
};

static void
april_month_file(const char *out, const struct world *w, struct orders *os,
    struct april_fix *fx)
{
	struct buf b = { 0 };
	struct order *o;
	size_t i;

	for (i = 0; i < os->n; i++)
		if (strcmp(os->o[i].date, "2013-04-18") == 0 &&
		    strcmp(os->o[i].id, "DD201304180007") >= 0)
			break;
	if (i == os->n)
		die("internal: no order to correct");
	o = &os->o[i];
	snprintf(fx->corrected, sizeof(fx->corrected), "%s", o->id);
	fx->brand = o->brand[0];
	fx->old_qty = o->qty[0];
	o->qty[0] += 2;
	fx->new_qty = o->qty[0];
	o->amount[0] = BRAND[o->brand[0]].price * o->qty[0];

	o = order_new(os);
	snprintf(o->id, sizeof(o->id), "DD201304260901");
	snprintf(o->date, sizeof(o->date), "2013-04-26");
	o->cust = C_LATE;				/* 530421100021, KM001 */
	o->mgr = w->c[C_LATE].mgr[0];
	o->nlines = 2;
	o->brand[0] = 12;
	o->qty[0] = 10;
	o->brand[1] = 18;
	o->qty[1] = 5;
	o->amount[0] = BRAND[12].price * 10;
	o->amount[1] = BRAND[18].price * 5;
	snprintf(fx->added, sizeof(fx->added), "%s", o->id);

	export_open(&b, "UTF-8", "orders", "2013-04", "2013-05-02T01:15:00+08:00");
	for (i = 0; i < os->n; i++)
		write_order(&b, w, &os->o[i]);
	export_close(&b);
	write_file(out, "2013-04/orders/orders-2013-04.xml", "UTF-8", &b);
	free(b.p);
}

/* ---- aggregates and targets -------------------------------------------- */

struct agg {
	long	 qty, low_grade, low_tar, key;	/* 条 */
	long	 amount;			/* 分 */
	long	 shelf_hits;			/* Σ over key brands of shops that took it */
	long	 open_shops;
};

static int
is_key(int mi, int b)
{
	int k;

	for (k = 0; k < NKEY; k++)
		if (KEY[mi][k] == b)
			return 1;
	return 0;
}

static void
aggregate(const struct world *w, int mi, const struct orders *os, struct agg a[NMGR])
{
	static unsigned char took[MAXCUST][NKEY];
	const struct order *o;
	size_t i;
	int l, k, ci;

	memset(a, 0, NMGR * sizeof(*a));
	memset(took, 0, sizeof(took));
	for (i = 0; i < os->n; i++) {
		o = &os->o[i];
		for (l = 0; l < o->nlines; l++) {
			a[o->mgr].qty += o->qty[l];
			a[o->mgr].amount += o->amount[l];
			if (BRAND[o->brand[l]].cls >= 4)
				a[o->mgr].low_grade += o->qty[l];
			if (BRAND[o->brand[l]].tar_h <= 800)
				a[o->mgr].low_tar += o->qty[l];
			if (is_key(mi, o->brand[l]))
				a[o->mgr].key += o->qty[l];
			for (k = 0; k < NKEY; k++)
				if (KEY[mi][k] == o->brand[l])
					took[o->cust][k] = 1;
		}
	}
	for (ci = 0; ci < w->ncust; ci++) {
		if (w->c[ci].status[mi] != C_OPEN)
			continue;
		a[w->c[ci].mgr[mi]].open_shops++;
		for (k = 0; k < NKEY; k++)
			a[w->c[ci].mgr[mi]].shelf_hits += took[ci][k];
	}
}

enum { I_TOTAL, I_LOW_GRADE, I_LOW_TAR, I_KEY_VOL, I_SHELF, I_RPC };
static const char *const IND[NIND] = { "total_volume", "low_grade_volume",
	"low_tar_volume", "key_brand_volume", "key_brand_shelf_rate", "revenue_per_case" };
static const long IND_POINTS[NIND] = { 2000, 500, 500, 500, 500, 2000 };

struct targets {
	long	 v[NMGR][NIND];		/* hundredths; -1 = no target */
	long	 pts[NMGR][NIND];	/* hundredths; -1 = scheme's */
};

/* A volume target near actual × permille / 1000, rounded like a planner would. */
static long
vol_target(long qty, long permille)
{
	long h = qty * 100 * permille / (250L * 1000), step = h >= 1000 ? 50 : 10;

	h = (h + step / 2) / step * step;
	return h < 10 ? 10 : h;
}

static void
make_targets(struct rng *r, const struct agg a[NMGR], struct targets *t)
{
	long f, rpc;
	int m, i;

	for (m = 0; m < NMGR; m++) {
		/* completion 1000/f: from about 80% to 110% */
		f = rng_int(r, 900, 1250);
		t->v[m][I_TOTAL] = vol_target(a[m].qty, f);
		t->v[m][I_LOW_GRADE] = vol_target(a[m].low_grade, f + rng_int(r, -80, 80));
		t->v[m][I_LOW_TAR] = vol_target(a[m].low_tar, f + rng_int(r, -80, 80));
		t->v[m][I_KEY_VOL] = vol_target(a[m].key, f + rng_int(r, -80, 80));
		t->v[m][I_SHELF] = rng_int(r, 14, 19) * 500;	/* 70.00 .. 95.00 % */
		rpc = a[m].qty > 0 ? a[m].amount * 250 / a[m].qty : 1500000;
		rpc = rpc * rng_int(r, 920, 1080) / 1000;
		t->v[m][I_RPC] = (rpc + 5000) / 10000 * 10000;	/* whole 100 元 */
		for (i = 0; i < NIND; i++)
			t->pts[m][i] = -1;
	}
}

static void
write_targets(const char *out, const char *name, const char *enc, int mi,
    const char *gen, const struct world *w, const struct targets *t)
{
	struct buf b = { 0 };
	char v[32], p[32];
	int m, i, k;

	export_open(&b, enc, "targets", mi == 0 ? "2013-04" : "2013-05", gen);
	for (k = 0; k < NKEY; k++) {
		buf_add(&b, "  <key-brand", 12);
		buf_attr(&b, "code", w->code[KEY[mi][k]]);
		buf_add(&b, "/>\n", 3);
	}
	for (m = 0; m < NMGR; m++)
		for (i = 0; i < NIND; i++) {
			if (t->v[m][i] < 0)
				continue;
			buf_add(&b, "  <target", 9);
			buf_attr(&b, "manager", MGR[m].id);
			buf_attr(&b, "indicator", IND[i]);
			buf_attr(&b, "value", dec2(t->v[m][i], v, sizeof(v)));
			if (t->pts[m][i] >= 0)
				buf_attr(&b, "points", dec2(t->pts[m][i], p, sizeof(p)));
			buf_add(&b, "/>\n", 3);
		}
	export_close(&b);
	write_file(out, name, enc, &b);
	free(b.p);
}

/* ---- roster and brands --------------------------------------------------- */

static void
write_roster(const char *out, const struct world *w, int mi, const char *enc)
{
	struct buf b = { 0 };
	char g[8], name[64];
	int m, ci;

	export_open(&b, enc, "roster", mi == 0 ? "2013-04" : "2013-05",
	    mi == 0 ? "2013-04-01T08:30:00+08:00" : "2013-05-02T08:30:00+08:00");
	for (m = 0; m < NMGR; m++) {
		buf_add(&b, "  <manager", 10);
		buf_attr(&b, "id", MGR[m].id);
		buf_attr(&b, "name", MGR[m].name);
		buf_attr(&b, "group", MGR[m].group);
		buf_attr(&b, "status", mi == 1 && m == KM(10) ? "left" : "active");
		buf_attr(&b, "from", MGR[m].from);
		buf_add(&b, "/>\n", 3);
	}
	for (ci = 0; ci < w->ncust; ci++) {
		const struct customer *c = &w->c[ci];

		if (c->status[mi] == C_ABSENT)
			continue;
		snprintf(g, sizeof(g), "%d", c->grade);
		buf_add(&b, "  <customer", 11);
		buf_attr(&b, "id", c->id);
		buf_attr(&b, "name", c->name);
		buf_attr(&b, "manager", MGR[c->mgr[mi]].id);
		buf_attr(&b, "grade", g);
		buf_attr(&b, "status", CSTATUS[c->status[mi]]);
		buf_attr(&b, "opened", c->opened);
		buf_add(&b, "/>\n", 3);
	}
	export_close(&b);
	snprintf(name, sizeof(name), "2013-%02d/roster.xml", mi + 4);
	write_file(out, name, enc, &b);
	free(b.p);
}

static void
write_brands(const char *out, const struct world *w, int mi)
{
	struct buf b = { 0 };
	char cls[4], name[64];
	int i;

	export_open(&b, "UTF-8", "brands", mi == 0 ? "2013-04" : "2013-05",
	    mi == 0 ? "2013-04-01T08:31:00+08:00" : "2013-05-02T08:31:00+08:00");
	for (i = 0; i < NBRAND; i++) {
		snprintf(cls, sizeof(cls), "%d", BRAND[i].cls);
		buf_add(&b, "  <brand", 8);
		buf_attr(&b, "code", w->code[i]);
		buf_attr(&b, "name", BRAND[i].name);
		buf_attr(&b, "class", cls);
		buf_attr(&b, "tar", BRAND[i].tar);
		buf_add(&b, "/>\n", 3);
	}
	export_close(&b);
	snprintf(name, sizeof(name), "2013-%02d/brands.xml", mi + 4);
	write_file(out, name, "UTF-8", &b);
	free(b.p);
}

/* ---- assessments --------------------------------------------------------- */

enum ikind { K_UNIT, K_RATE, K_PANEL, K_ONCE };

static const struct item_def {
	const char *code;
	enum ikind kind;
	long points;		/* hundredths, signed; panel: 0 */
	int with_customer;	/* the fault concerns one household */
	const char *note;
} ITEM[] = {
	{ "1.1.1", K_UNIT, -50, 0, "未按时完成本月品牌分析" },
	{ "1.2.1", K_UNIT, -50, 0, "周工作安排未按时上报" },
	{ "1.3.1", K_UNIT, -50, 0, "无正当理由未按计划线路拜访" },
	{ "1.3.2", K_UNIT, -50, 0, "线路抽查发现漏访" },
	{ "1.3.3", K_UNIT, -50, 1, "客户不清楚客户经理服务电话" },
	{ "1.3.4", K_UNIT, -100, 1, "客户不清楚本月促销政策" },
	{ "1.3.6", K_UNIT, -200, 1, "促销品未在一个拜访周期内发放到位" },
	{ "1.3.7", K_UNIT, -50, 1, "破损价签未在下次拜访时补充" },
	{ "1.3.8", K_UNIT, -50, 0, "日总结未按时完成" },
	{ "1.4.1", K_UNIT, -50, 0, "周工作总结未按时上报" },
	{ "1.5.1", K_UNIT, -50, 0, "月度工作总结未按时完成" },
	{ "2.1", K_UNIT, -50, 0, "信息采集任务未完成" },
	{ "3.1", K_UNIT, -50, 1, "客户不了解科学定量" },
	{ "4.1", K_UNIT, -50, 0, "未按时完成月度需求预测" },
	{ "5.1", K_UNIT, -50, 0, "经营指导户数不足" },
	{ "7.1", K_UNIT, -100, 1, "客户停业未按规定反馈" },
	{ "8.1", K_UNIT, -50, 0, "未按时参加周五业务学习" },
	{ "8.2", K_UNIT, -50, 0, "学习笔记不认真" },
	{ "9.1", K_UNIT, -300, 1, "客户投诉送货时间未告知，经核实属实" },
	{ "1.3.5", K_RATE, -10, 0, "订单成功率" },
	{ "3.3", K_RATE, -10, 0, "科学定量完成率" },
	{ "10.1", K_PANEL, 0, 0, "" },
	{ "10.2", K_PANEL, 0, 0, "" },
	{ "10.3", K_ONCE, 200, 1, "客户书面表扬" },
	{ "10.4", K_PANEL, 0, 0, "" },
};
#define NITEM		((int)(sizeof(ITEM) / sizeof(ITEM[0])))
#define NRANDOM_ITEM	19	/* the first ones are drawn at random */

static const struct who {
	const char *name, *role;
} WHO[] = {
	{ "王强", "纪检监察员" }, { "赵敏", "统计分析员" }, { "刘洋", "组长" },
	{ "周平", "副组长" },
};
enum { W_WANG, W_ZHAO, W_LIU, W_ZHOU };

struct rec {
	char	 id[32], date[11];
	int	 is_void;
	/* record */
	int	 mgr, item, count, cust;	/* cust -1: none */
	long	 value, required;		/* rate, hundredths; -1 none */
	long	 points;			/* panel, hundredths */
	const char *decision;
	char	 note[160];
	int	 who;
	/* void */
	char	 target[32];
	const char *reason;
};

struct afile {
	char	 period[11], generated[32], name[96];
	const char *enc;
	struct rec r[128];
	int	 n, seq;
};

static int
item_index(const char *code)
{
	int i;

	for (i = 0; i < NITEM; i++)
		if (strcmp(ITEM[i].code, code) == 0)
			return i;
	die("internal: item %s", code);
}

static struct rec *
rec_new(struct afile *f, const char *date)
{
	struct rec *r;

	if (f->n == N(f->r))
		die("internal: too many records in %s", f->name);
	r = &f->r[f->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "KH%.4s%.2s%.2s%03u", date, date + 5, date + 8,
	    (unsigned)++f->seq % 1000u);
	memcpy(r->date, date, 11);
	r->cust = -1;
	r->value = r->required = -1;
	r->count = 1;
	return r;
}

static struct rec *
add_rec(struct afile *f, const char *date, int mgr, const char *item, int who)
{
	struct rec *r = rec_new(f, date);

	r->mgr = mgr;
	r->item = item_index(item);
	r->who = who;
	snprintf(r->note, sizeof(r->note), "%s", ITEM[r->item].note);
	return r;
}

static struct rec *
add_void(struct afile *f, const char *date, const char *target, const char *reason)
{
	struct rec *r = rec_new(f, date);

	r->is_void = 1;
	r->mgr = -1;
	r->who = W_LIU;
	snprintf(r->target, sizeof(r->target), "%s", target);
	r->reason = reason;
	return r;
}

/* A random open shop of manager m in month mi (for household records). */
static int
shop_of(struct rng *r, const struct world *w, int mi, int m)
{
	int ci, tries;

	for (tries = 0; tries < 1000; tries++) {
		ci = (int)rng_int(r, 0, w->ncust - 1);
		if (w->c[ci].mgr[mi] == m && w->c[ci].status[mi] == C_OPEN)
			return ci;
	}
	die("internal: manager %s has no open shop", MGR[m].id);
}

static void
random_record(struct rng *r, const struct world *w, int mi, struct afile *f,
    const char *date, int m)
{
	int it = (int)rng_int(r, 0, NRANDOM_ITEM - 1);
	struct rec *x = add_rec(f, date, m, ITEM[it].code, (int)rng_int(r, 0, 2));

	if (ITEM[it].with_customer && rng_pct(r, 70)) {
		x->cust = shop_of(r, w, mi, m);
	} else if (ITEM[it].points == -50) {
		x->count = (int)rng_int(r, 1, 3);
		if (x->count > 1)
			snprintf(x->note, sizeof(x->note), "%s，共%d处", ITEM[it].note, x->count);
	}
}

static void
write_assessments(const char *out, const struct world *w, const struct afile *f)
{
	struct buf b = { 0 };
	char v[32], cnt[16];
	const struct rec *x;
	int i;

	export_open(&b, f->enc, "assessments", f->period, f->generated);
	for (i = 0; i < f->n; i++) {
		x = &f->r[i];
		if (x->is_void) {
			buf_add(&b, "  <void", 7);
			buf_attr(&b, "id", x->id);
			buf_attr(&b, "record", x->target);
			buf_attr(&b, "date", x->date);
			buf_attr(&b, "reason", x->reason);
			buf_attr(&b, "recorder", WHO[x->who].name);
			buf_attr(&b, "role", WHO[x->who].role);
			buf_add(&b, "/>\n", 3);
			continue;
		}
		buf_add(&b, "  <record", 9);
		buf_attr(&b, "id", x->id);
		buf_attr(&b, "date", x->date);
		buf_attr(&b, "manager", MGR[x->mgr].id);
		buf_attr(&b, "item", ITEM[x->item].code);
		if (x->count != 1) {
			snprintf(cnt, sizeof(cnt), "%d", x->count);
			buf_attr(&b, "count", cnt);
		}
		if (x->cust >= 0)
			buf_attr(&b, "customer", w->c[x->cust].id);
		if (x->value >= 0) {
			buf_attr(&b, "value", dec2(x->value, v, sizeof(v)));
			buf_attr(&b, "required", dec2(x->required, v, sizeof(v)));
		}
		if (ITEM[x->item].kind == K_PANEL) {
			buf_attr(&b, "points", dec2(x->points, v, sizeof(v)));
			buf_attr(&b, "decision", x->decision);
		}
		buf_attr(&b, "recorder", WHO[x->who].name);
		buf_attr(&b, "role", WHO[x->who].role);
		if (x->note[0] != '\0')
			buf_attr(&b, "note", x->note);
		buf_add(&b, "/>\n", 3);
	}
	export_close(&b);
	write_file(out, f->name, f->enc, &b);
	free(b.p);
}

static void
afile_init(struct afile *f, int mi, const char *period, const char *gen, const char *enc)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->period, sizeof(f->period), "%s", period);
	snprintf(f->generated, sizeof(f->generated), "%s", gen);
	snprintf(f->name, sizeof(f->name), "2013-%02d/assessments/assessments-%s.xml",
	    mi + 4, period);
	f->enc = enc;
}

/* The month's rate checks (订单成功率, 科学定量完成率) for every manager. */
static void
rate_checks(struct rng *r, struct afile *f, const char *date, int mi)
{
	struct rec *x;
	int m;

	for (m = 0; m < NMGR; m++) {
		if (mi == 1 && m == KM(10))
			continue;	/* left: no month-end check */
		x = add_rec(f, date, m, "1.3.5", W_ZHAO);
		x->required = 9800;
		x->value = rng_int(r, 9550, 10000);
		x->note[0] = '\0';
		x = add_rec(f, date, m, "3.3", W_ZHAO);
		x->required = 9500;
		x->value = rng_int(r, 9000, 10000);
		x->note[0] = '\0';
	}
}

static struct rec *
find_rate(struct afile *f, int m, const char *item)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->r[i].is_void && f->r[i].mgr == m &&
		    strcmp(ITEM[f->r[i].item].code, item) == 0)
			return &f->r[i];
	die("internal: no %s for %s", item, MGR[m].id);
}

/* Everything planted, for the expectations file. */
struct plant {
	char	 a_void_rec[32], a_void[32];		/* April, void in a later file */
	char	 a_rate_old[32], a_rate_new[32];	/* KM004 1.3.5 superseded */
	char	 a_panel[32];				/* KM005 10.2 */
	char	 m_praise1[32], m_praise2[32], m_praise3[32];	/* KM001 10.3 */
	int	 m_praise_cust, m_praise_cust2;
	char	 m_same_rec[32], m_same_void[32];	/* void in the same file */
	char	 m_tie_lo[32], m_tie_hi[32];		/* KM005 3.3 same date */
	char	 m_panel_neg[32], m_panel_pos[32];
	char	 m_rate_early[32], m_rate_voided[32], m_rate_void[32];	/* KM009 */
};

static void
april_assessments(struct rng *r, const char *out, const struct world *w,
    struct afile fs[4], struct plant *p)
{
	static const char *const day[] = { "2013-04-08", "2013-04-15", "2013-04-22" };
	struct rec *x;
	int i, m, k, n;

	for (i = 0; i < 3; i++) {
		char gen[40];

		snprintf(gen, sizeof(gen), "%sT18:%02d:00+08:00", day[i], 5 + i * 11);
		afile_init(&fs[i], 0, day[i], gen, i == 1 ? "GBK" : "UTF-8");
	}
	afile_init(&fs[3], 0, "2013-04", "2013-04-28T19:30:00+08:00", "UTF-8");
	/* background: 0–3 random faults a manager, over the weekly checks */
	for (m = 0; m < NMGR; m++) {
		n = (int)rng_int(r, 0, 3);
		for (k = 0; k < n; k++) {
			i = (int)rng_int(r, 0, 3);
			random_record(r, w, 0, &fs[i], i < 3 ? day[i] : "2013-04-28", m);
		}
	}
	/* planted: a 漏访 record, voided by the 04-22 check below */
	x = add_rec(&fs[1], day[1], KM(2), "1.3.2", W_WANG);
	x->count = 2;
	snprintf(x->note, sizeof(x->note), "线路抽查漏访2户");
	snprintf(p->a_void_rec, sizeof(p->a_void_rec), "%s", x->id);
	/*
	 * planted: the 04-22 check voids it.  (A void in the month file of a
	 * record of a day file would depend on how an importer orders "2013-04"
	 * against "2013-04-15"; the sample keeps clear of that.)
	 */
	x = add_void(&fs[2], day[2], p->a_void_rec, "复核后撤销：客户当日停业");
	snprintf(p->a_void, sizeof(p->a_void), "%s", x->id);
	/* planted: KM004's order success rate checked on 04-22, again at month end */
	x = add_rec(&fs[2], day[2], KM(4), "1.3.5", W_ZHAO);
	x->value = 9350;
	x->required = 9800;
	snprintf(x->note, sizeof(x->note), "周抽查订单成功率");
	snprintf(p->a_rate_old, sizeof(p->a_rate_old), "%s", x->id);

	rate_checks(r, &fs[3], "2013-04-28", 0);
	x = find_rate(&fs[3], KM(4), "1.3.5");
	x->value = 9640;
	snprintf(p->a_rate_new, sizeof(p->a_rate_new), "%s", x->id);
	x = add_rec(&fs[3], "2013-04-28", KM(5), "10.2", W_LIU);
	x->points = 100;
	x->decision = "考评小组2013年第4次会议";
	snprintf(x->note, sizeof(x->note), "参加县局“五四”青年演讲比赛");
	snprintf(p->a_panel, sizeof(p->a_panel), "%s", x->id);
	for (i = 0; i < 4; i++)
		write_assessments(out, w, &fs[i]);
}

static void
may_assessments(struct rng *r, const char *out, const struct world *w,
    struct afile fs[5], struct plant *p)
{
	static const char *const day[] = { "2013-05-06", "2013-05-13", "2013-05-20", "2013-05-27" };
	struct rec *x;
	int i, m, k, n;

	for (i = 0; i < 4; i++) {
		char gen[40];

		snprintf(gen, sizeof(gen), "%sT17:%02d:00+08:00", day[i], 40 + i * 4);
		afile_init(&fs[i], 1, day[i], gen, i == 2 ? "GB18030" : i == 1 ? "GBK" : "UTF-8");
	}
	afile_init(&fs[4], 1, "2013-05", "2013-05-31T19:45:00+08:00", "UTF-8");
	for (m = 0; m < NMGR; m++) {
		if (m == KM(10))
			continue;
		n = (int)rng_int(r, 0, 4);
		for (k = 0; k < n; k++) {
			i = (int)rng_int(r, 0, 4);
			random_record(r, w, 1, &fs[i], i < 4 ? day[i] : "2013-05-31", m);
		}
	}
	/* planted: the same customer praises KM001 twice (counts once), another once */
	p->m_praise_cust = C_PRAISE;
	p->m_praise_cust2 = C_PRAISE2;
	x = add_rec(&fs[0], day[0], KM(1), "10.3", W_WANG);
	x->cust = p->m_praise_cust;
	snprintf(x->note, sizeof(x->note), "客户来信表扬送货及时");
	snprintf(p->m_praise1, sizeof(p->m_praise1), "%s", x->id);
	x = add_rec(&fs[2], day[2], KM(1), "10.3", W_WANG);
	x->cust = p->m_praise_cust;
	snprintf(x->note, sizeof(x->note), "同一客户再次书面表扬（当月不累计）");
	snprintf(p->m_praise2, sizeof(p->m_praise2), "%s", x->id);
	x = add_rec(&fs[3], day[3], KM(1), "10.3", W_WANG);
	x->cust = p->m_praise_cust2;
	snprintf(x->note, sizeof(x->note), "客户书面表扬经营指导细致");
	snprintf(p->m_praise3, sizeof(p->m_praise3), "%s", x->id);
	/* planted: a record and its void in the same (GB18030) file */
	x = add_rec(&fs[2], day[2], KM(7), "1.3.4", W_WANG);
	x->cust = shop_of(r, w, 1, KM(7));
	snprintf(p->m_same_rec, sizeof(p->m_same_rec), "%s", x->id);
	x = add_void(&fs[2], day[2], p->m_same_rec, "录入错误，客户经理非该户责任人");
	snprintf(p->m_same_void, sizeof(p->m_same_void), "%s", x->id);
	/* planted: KM009's 1.3.5 on 05-27; the month-end one is voided, so 05-27 counts */
	x = add_rec(&fs[3], day[3], KM(9), "1.3.5", W_ZHAO);
	x->value = 9400;
	x->required = 9800;
	snprintf(x->note, sizeof(x->note), "周抽查订单成功率");
	snprintf(p->m_rate_early, sizeof(p->m_rate_early), "%s", x->id);

	rate_checks(r, &fs[4], "2013-05-31", 1);
	x = find_rate(&fs[4], KM(9), "1.3.5");
	x->value = 9750;
	snprintf(p->m_rate_voided, sizeof(p->m_rate_voided), "%s", x->id);
	/* planted: KM005's 3.3 twice on the same date: the greater id counts */
	x = find_rate(&fs[4], KM(5), "3.3");
	x->value = 9000;
	snprintf(p->m_tie_lo, sizeof(p->m_tie_lo), "%s", x->id);
	x = add_rec(&fs[4], "2013-05-31", KM(5), "3.3", W_ZHAO);
	x->value = 9300;
	x->required = 9500;
	snprintf(x->note, sizeof(x->note), "复核更正：科学定量完成率");
	snprintf(p->m_tie_hi, sizeof(p->m_tie_hi), "%s", x->id);
	x = add_rec(&fs[4], "2013-05-31", KM(8), "10.1", W_LIU);
	x->points = -200;
	x->decision = "考评小组2013年第5次会议";
	snprintf(x->note, sizeof(x->note), "违规代客户垫付货款");
	snprintf(p->m_panel_neg, sizeof(p->m_panel_neg), "%s", x->id);
	x = add_rec(&fs[4], "2013-05-31", KM(3), "10.4", W_LIU);
	x->points = 150;
	x->decision = "考评小组2013年第5次会议";
	snprintf(x->note, sizeof(x->note), "“订单预采集”建议被市公司采用");
	snprintf(p->m_panel_pos, sizeof(p->m_panel_pos), "%s", x->id);
	x = add_void(&fs[4], "2013-05-31", p->m_rate_voided, "数据取数错误，以5月27日抽查为准");
	snprintf(p->m_rate_void, sizeof(p->m_rate_void), "%s", x->id);
	for (i = 0; i < 5; i++)
		write_assessments(out, w, &fs[i]);
}

/* ---- expected scores (independent of kaohe's code) ---------------------- */

/* round(num / den) half away from zero, num >= 0, den > 0 */
static long
rdiv(long long num, long long den)
{
	return (long)((2 * num + den) / (2 * den));
}

struct result {
	long	 ind[NIND], pts[NIND];	/* score and points of each indicator */
	long	 quant, ded, bon, qual, total;
	int	 rank;
	char	 moved[128];
};

static void
score_quant(const struct agg *a, const struct targets *t, int m, struct result *res)
{
	long long num[NIND], den[NIND];
	int i;

	res->moved[0] = '\0';
	for (i = 0; i < NIND; i++)
		res->pts[i] = t->pts[m][i] >= 0 ? t->pts[m][i] : IND_POINTS[i];
	if (t->v[m][I_KEY_VOL] <= 0) {
		res->pts[I_TOTAL] += res->pts[I_KEY_VOL];
		res->pts[I_KEY_VOL] = 0;
		strcat(res->moved, "key_brand_volume→total_volume ");
	}
	if (t->v[m][I_SHELF] <= 0) {
		res->pts[I_RPC] += res->pts[I_SHELF];
		res->pts[I_SHELF] = 0;
		strcat(res->moved, "key_brand_shelf_rate→revenue_per_case");
	}
	/* actual / target as exact fractions; targets in hundredths */
	num[I_TOTAL] = a->qty * 100LL;		den[I_TOTAL] = 250LL * t->v[m][I_TOTAL];
	num[I_LOW_GRADE] = a->low_grade * 100LL; den[I_LOW_GRADE] = 250LL * t->v[m][I_LOW_GRADE];
	num[I_LOW_TAR] = a->low_tar * 100LL;	den[I_LOW_TAR] = 250LL * t->v[m][I_LOW_TAR];
	num[I_KEY_VOL] = a->key * 100LL;	den[I_KEY_VOL] = 250LL * t->v[m][I_KEY_VOL];
	/* shelf: (hits / (K·n) · 100 %) / (T/100 %) */
	num[I_SHELF] = a->shelf_hits * 10000LL;
	den[I_SHELF] = (long long)NKEY * a->open_shops * t->v[m][I_SHELF];
	/* rpc: (amount分/100) / (qty/250) / (T分/100) */
	num[I_RPC] = a->amount * 250LL;
	den[I_RPC] = (long long)a->qty * t->v[m][I_RPC];
	res->quant = 0;
	for (i = 0; i < NIND; i++) {
		if (res->pts[i] == 0 || t->v[m][i] <= 0 || num[i] == 0 || den[i] == 0)
			res->ind[i] = 0;
		else if (num[i] >= den[i])
			res->ind[i] = res->pts[i];
		else
			res->ind[i] = rdiv(res->pts[i] * num[i], den[i]);
		res->quant += res->ind[i];
	}
}

static int
voided(const struct afile *fs, int nf, const char *id)
{
	int f, i;

	for (f = 0; f < nf; f++)
		for (i = 0; i < fs[f].n; i++)
			if (fs[f].r[i].is_void && strcmp(fs[f].r[i].target, id) == 0)
				return 1;
	return 0;
}

static void
score_qual(const struct afile *fs, int nf, int m, struct result *res)
{
	const struct rec *x, *best[NITEM] = { 0 };
	int seen[MAXCUST] = { 0 };
	int f, i;
	long short_h;

	res->ded = res->bon = 0;
	for (f = 0; f < nf; f++)
		for (i = 0; i < fs[f].n; i++) {
			x = &fs[f].r[i];
			if (x->is_void || x->mgr != m || voided(fs, nf, x->id))
				continue;
			switch (ITEM[x->item].kind) {
			case K_UNIT:
				res->ded += -ITEM[x->item].points * x->count;
				break;
			case K_PANEL:
				if (x->points < 0)
					res->ded += -x->points;
				else
					res->bon += x->points;
				break;
			case K_ONCE:
				if (!seen[x->cust]++)
					res->bon += ITEM[x->item].points;
				break;
			case K_RATE:
				if (best[x->item] == NULL ||
				    strcmp(x->date, best[x->item]->date) > 0 ||
				    (strcmp(x->date, best[x->item]->date) == 0 &&
				    strcmp(x->id, best[x->item]->id) > 0))
					best[x->item] = x;
				break;
			}
		}
	for (i = 0; i < NITEM; i++) {
		if (best[i] == NULL)
			continue;
		short_h = best[i]->required - best[i]->value;
		if (short_h > 0)
			res->ded += (short_h / 100) * -ITEM[i].points;
	}
	res->qual = 4000 - res->ded + res->bon;
	if (res->qual < 0)
		res->qual = 0;
}

static void
rank(struct result res[NMGR])
{
	int m, k;

	for (m = 0; m < NMGR; m++) {
		res[m].rank = 1;
		for (k = 0; k < NMGR; k++)
			if (res[k].total > res[m].total)
				res[m].rank++;
	}
}

static void
write_expect_month(FILE *f, const char *ym, const struct agg a[NMGR],
    const struct targets *t, const struct afile *fs, int nf)
{
	struct result res[NMGR];
	char s[NIND + 6][24];
	int m, i;

	for (m = 0; m < NMGR; m++) {
		score_quant(&a[m], t, m, &res[m]);
		score_qual(fs, nf, m, &res[m]);
		res[m].total = res[m].quant + res[m].qual;
	}
	rank(res);
	fprintf(f, "\n### %s: aggregates (from the orders in force)\n\n", ym);
	fprintf(f, "| manager | Σqty 条 | Σamount 元 | low-grade 条 | low-tar 条 | key 条 | "
	    "open shops | shelf hits (Σ over %d key brands) |\n", NKEY);
	fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (m = 0; m < NMGR; m++)
		fprintf(f, "| %s %s | %ld | %s | %ld | %ld | %ld | %ld | %ld |\n", MGR[m].id,
		    MGR[m].name, a[m].qty, dec2(a[m].amount, s[0], sizeof(s[0])),
		    a[m].low_grade, a[m].low_tar, a[m].key, a[m].open_shops, a[m].shelf_hits);
	fprintf(f, "\n### %s: targets in force\n\n", ym);
	fprintf(f, "| manager | total_volume | low_grade | low_tar | key_volume | shelf %% | rev/case | points given |\n");
	fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
	for (m = 0; m < NMGR; m++) {
		fprintf(f, "| %s |", MGR[m].id);
		for (i = 0; i < NIND; i++)
			fprintf(f, " %s |", t->v[m][i] < 0 ? "—" : dec2(t->v[m][i], s[i], sizeof(s[i])));
		for (i = 0; i < NIND; i++)
			if (t->pts[m][i] >= 0)
				fprintf(f, " %s=%s", IND[i], dec2(t->pts[m][i], s[0], sizeof(s[0])));
		fprintf(f, " |\n");
	}
	fprintf(f, "\n### %s: expected scores (scheme-2013 defaults)\n\n", ym);
	fprintf(f, "| manager | total_vol | low_grade | low_tar | key_vol | shelf | rev/case | "
	    "quant | deductions | bonuses | qual | total | rank | points moved |\n");
	fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
	for (m = 0; m < NMGR; m++) {
		fprintf(f, "| %s |", MGR[m].id);
		for (i = 0; i < NIND; i++)
			fprintf(f, " %s |", dec2(res[m].ind[i], s[i], sizeof(s[i])));
		fprintf(f, " %s | %s | %s | %s | %s | %d | %s |\n",
		    dec2(res[m].quant, s[0], sizeof(s[0])), dec2(res[m].ded, s[1], sizeof(s[1])),
		    dec2(res[m].bon, s[2], sizeof(s[2])), dec2(res[m].qual, s[3], sizeof(s[3])),
		    dec2(res[m].total, s[4], sizeof(s[4])), res[m].rank, res[m].moved);
	}
}

/* ---- main flows ----------------------------------------------------------- */

static void
usage(void)
{
	fputs("usage: gen [--seed N] --out DIR [--expect FILE]\n"
	    "       gen [--seed N] --big-orders N --out FILE\n", stderr);
	exit(2);
}

static void
write_expect(const char *path, uint64_t seed, const struct world *w,
    const struct agg aa[2][NMGR], const struct targets *ta, const struct targets *tm,
    const struct afile *fa, const struct afile *fm, const struct plant *p,
    const struct april_fix *fx)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "# The bundled sample: what is planted, what it should score\n\n"
	    "Written by `build/tools/gen --seed %llu --out input --expect %s`;\n"
	    "do not edit by hand, regenerate.  The aggregates and scores below are\n"
	    "computed by gen itself in exact integers (scheme-2013 defaults: points\n"
	    "20/5/5/5/5/20, cap 1.00, rate shortfall in whole points, no cap on the\n"
	    "qualitative score), independently of kaohe's scoring code: where kaohe\n"
	    "differs, one of the two is wrong.  Provisional or final makes no difference\n"
	    "to the numbers.\n\n", (unsigned long long)seed, path);
	fprintf(f, "Planted cases (ids are those of this seed):\n\n");
	fprintf(f, "- Encodings: GBK: 2013-04/roster.xml, 2013-04/assessments/assessments-2013-04-15.xml, "
	    "2013-05/orders/orders-2013-05-15.xml, 2013-05/assessments/assessments-2013-05-13.xml; "
	    "GB18030: 2013-04/orders/orders-2013-04-18.xml, 2013-05/targets-adjust-0515.xml, "
	    "2013-05/assessments/assessments-2013-05-20.xml; the rest UTF-8.\n");
	fprintf(f, "- Escaping: customer %s is named \"%s\", customer %s \"%s\" "
	    "(written as &amp; &lt; &gt; in the XML).\n", w->c[C_AMP].id, w->c[C_AMP].name,
	    w->c[C_QUOTE].id, w->c[C_QUOTE].name);
	fprintf(f, "- Working days: orders-2013-04-07, -04-27 and -04-28 are 调休 weekends; "
	    "there is no file for 04-04..04-06 (清明) nor 04-29..05-01 (劳动节).\n");
	fprintf(f, "- Customer moved: %s is KM002's in both rosters; its April orders before "
	    "2013-04-15 are credited to KM001.\n", w->c[C_MOVED_APR].id);
	fprintf(f, "- Manager left: KM010 is `left` in the May roster; his shops are KM009's in "
	    "May; May orders up to %s are credited to KM010 (he has no open shops in May, "
	    "so his shelf rate would be 0; he has no shelf-rate target in the adjusted set).\n",
	    KM010_LAST);
	fprintf(f, "- Cover: KM006's shops' orders %s..%s are credited to KM005 "
	    "(shelf rate still counts them for KM006, whose roster they are in).\n",
	    COVER_FROM, COVER_TO);
	fprintf(f, "- Customer status: %s open in April, suspended in May; %s suspended in April, "
	    "open in May; %s new in May (opened 2013-05-06, KM004, first order after that).\n",
	    w->c[C_SUSP_MAY].id, w->c[C_REOPEN_MAY].id, w->c[C_NEW_MAY].id);
	fprintf(f, "- Targets: April: KM006 has no key_brand_shelf_rate target (5 points → "
	    "revenue_per_case). May: targets.xml (05-03) is replaced by targets-adjust-0515.xml "
	    "(05-15, GB18030): KM002 total_volume lowered, KM010's volumes cut and his shelf "
	    "target dropped (→ revenue_per_case), KM007 key_brand_volume 0.00 (zero = missing: "
	    "→ total_volume), KM003 points given total_volume 25, revenue_per_case 15 "
	    "(25+5+5+5+5+15 = 60).\n");
	fprintf(f, "- Import order: the April month orders file (period 2013-04, generated "
	    "2013-05-02T01:15) is newer than every April day file, so it supersedes them all. "
	    "An importer that imported it before the day files would reject each day file "
	    "as stale: sort a month's period after its days (or by generated within a month).\n");
	fprintf(f, "- Qualitative above 40: KM001's May bonuses (+4.00) exceed his deductions; "
	    "the default scheme has no upper cap.\n");
	fprintf(f, "- April month orders file: `%s` line 1 (brand %s %s) qty %d → %d; "
	    "late order `%s` (customer %s) added.\n", fx->corrected, w->code[fx->brand],
	    BRAND[fx->brand].name, fx->old_qty, fx->new_qty, fx->added, w->c[C_LATE].id);
	fprintf(f, "- April void: record `%s` (KM002 1.3.2 count 2, GBK file 2013-04-15) "
	    "voided by `%s` in the 2013-04-22 file.\n", p->a_void_rec, p->a_void);
	fprintf(f, "- April rate supersession: KM004 1.3.5 `%s` (04-22, 93.50/98.00) "
	    "superseded by `%s` (04-28, 96.40/98.00 → 1 point short → −0.10).\n",
	    p->a_rate_old, p->a_rate_new);
	fprintf(f, "- April panel bonus: `%s` KM005 10.2 +1.00.\n", p->a_panel);
	fprintf(f, "- May repeat praise: KM001 10.3 customer %s `%s` (05-06) and `%s` "
	    "(05-20, GB18030 file) count once; customer %s `%s` (05-27): bonus +4.00.\n",
	    w->c[p->m_praise_cust].id, p->m_praise1, p->m_praise2,
	    w->c[p->m_praise_cust2].id, p->m_praise3);
	fprintf(f, "- May void in the same file: `%s` (KM007 1.3.4) voided by `%s` (2013-05-20).\n",
	    p->m_same_rec, p->m_same_void);
	fprintf(f, "- May rate tie: KM005 3.3 `%s` (90.00/95.00) and `%s` (93.00/95.00), "
	    "both 05-31: the greater id counts → −0.20.\n", p->m_tie_lo, p->m_tie_hi);
	fprintf(f, "- May voided latest rate: KM009 1.3.5 `%s` (05-31, 97.50) voided by `%s`, "
	    "so `%s` (05-27, 94.00/98.00 → −0.40) counts.\n", p->m_rate_voided,
	    p->m_rate_void, p->m_rate_early);
	fprintf(f, "- May panels: `%s` KM008 10.1 −2.00; `%s` KM003 10.4 +1.50.\n",
	    p->m_panel_neg, p->m_panel_pos);
	write_expect_month(f, "2013-04", aa[0], ta, fa, 4);
	write_expect_month(f, "2013-05", aa[1], tm, fm, 5);
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

static void
make_sample(uint64_t seed, const char *out, const char *expect)
{
	static struct world w;
	static struct afile fa[4], fm[5];
	struct orders os[2] = { { 0 } };
	struct agg aa[2][NMGR];
	struct targets ta, tm0, tm;
	struct april_fix fx;
	struct plant p;
	struct rng r = { seed };
	int mi, i;

	memset(&p, 0, sizeof(p));
	make_brands(&w);
	make_customers(&r, &w);
	for (mi = 0; mi < 2; mi++) {
		write_roster(out, &w, mi, mi == 0 ? "GBK" : "UTF-8");
		write_brands(out, &w, mi);
		make_orders(&r, &w, mi, &os[mi]);
		write_day_orders(out, &w, mi, &os[mi]);
	}
	april_month_file(out, &w, &os[0], &fx);
	for (mi = 0; mi < 2; mi++)
		aggregate(&w, mi, &os[mi], aa[mi]);

	/* April: KM006 gets no shelf-rate target (its 5 points go to rev/case). */
	make_targets(&r, aa[0], &ta);
	ta.v[KM(6)][I_SHELF] = -1;
	write_targets(out, "2013-04/targets.xml", "UTF-8", 0, "2013-04-02T16:20:00+08:00", &w, &ta);

	/* May: targets at the start of the month for full-month volumes ... */
	make_targets(&r, aa[1], &tm0);
	for (i = I_TOTAL; i <= I_KEY_VOL; i++)	/* set before he gave notice */
		tm0.v[KM(10)][i] = tm0.v[KM(9)][i];
	write_targets(out, "2013-05/targets.xml", "UTF-8", 1, "2013-05-03T16:10:00+08:00", &w, &tm0);
	/* ... and the 月中调整 on 05-15, replacing the whole set. */
	tm = tm0;
	tm.v[KM(2)][I_TOTAL] = tm.v[KM(2)][I_TOTAL] * 9 / 10 / 10 * 10;
	tm.v[KM(10)][I_TOTAL] = vol_target(aa[1][KM(10)].qty, 1200);
	tm.v[KM(10)][I_LOW_GRADE] = vol_target(aa[1][KM(10)].low_grade, 1050);
	tm.v[KM(10)][I_LOW_TAR] = vol_target(aa[1][KM(10)].low_tar, 1050);
	tm.v[KM(10)][I_KEY_VOL] = vol_target(aa[1][KM(10)].key, 1050);
	tm.v[KM(10)][I_SHELF] = -1;		/* no shops left: no shelf target */
	tm.v[KM(7)][I_KEY_VOL] = 0;		/* zero counts as missing */
	tm.pts[KM(3)][I_TOTAL] = 2500;		/* points given: 25+5+5+5+5+15 = 60 */
	tm.pts[KM(3)][I_RPC] = 1500;
	write_targets(out, "2013-05/targets-adjust-0515.xml", "GB18030", 1,
	    "2013-05-15T17:30:00+08:00", &w, &tm);

	april_assessments(&r, out, &w, fa, &p);
	may_assessments(&r, out, &w, fm, &p);
	if (expect != NULL)
		write_expect(expect, seed, &w, (const struct agg (*)[NMGR])aa, &ta, &tm,
		    fa, fm, &p, &fx);
	free(os[0].o);
	free(os[1].o);
}

/* Unsigned decimal into p, returns the end. */
static char *
put_u(char *p, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * N order lines for May, valid against the sample's May roster and brands
 * (same seed), streamed: constant memory, formatted by hand for speed.
 */
static void
big_orders(uint64_t seed, unsigned long nlines, const char *path)
{
	static struct world w;
	static char obuf[1 << 20];
	char days[31][11], line[512], *q;
	struct rng r = { seed };
	unsigned long done = 0, seq = 0, amt;
	int nd, di, ci, nl, l, b, qty;
	FILE *f;

	make_brands(&w);
	make_customers(&r, &w);
	nd = workdays(5, days);
	if ((f = fopen(path, "wb")) == NULL)
		die("%s: %s", path, strerror(errno));
	setvbuf(f, obuf, _IOFBF, sizeof(obuf));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export kind=\"orders\" "
	    "unit=\"" UNIT "\" unit-name=\"" UNIT_NAME "\" period=\"2013-05\" "
	    "generated=\"2013-06-01T03:00:00+08:00\">\n");
	r.s ^= 0xB16B16B16ULL;
	while (done < nlines) {
		di = (int)(done * (unsigned long)nd / nlines);
		do
			ci = (int)rng_int(&r, 0, w.ncust - 1);
		while (w.c[ci].status[1] != C_OPEN || strcmp(w.c[ci].opened, days[di]) > 0);
		nl = (int)rng_int(&r, 1, w.c[ci].nport < MAXLINES ? w.c[ci].nport : MAXLINES);
		if ((unsigned long)nl > nlines - done)
			nl = (int)(nlines - done);
		q = line;
		q += sprintf(q, "  <order id=\"DD%.4s%.2s%.2s", days[di], days[di] + 5, days[di] + 8);
		q += sprintf(q, "%08lu\" date=\"%s\" customer=\"%s\" manager=\"%s\">\n", ++seq,
		    days[di], w.c[ci].id, MGR[credited(&w, ci, 1, days[di])].id);
		fwrite(line, 1, (size_t)(q - line), f);
		for (l = 0; l < nl; l++) {
			b = w.c[ci].port[l % w.c[ci].nport];
			qty = (int)rng_int(&r, 1, 30);
			amt = (unsigned long)(BRAND[b].price * qty);
			q = line;
			memcpy(q, "    <line brand=\"", 17);
			q += 17;
			memcpy(q, w.code[b], 13);
			q += 13;
			memcpy(q, "\" qty=\"", 7);
			q += 7;
			q = put_u(q, (unsigned long)qty);
			memcpy(q, "\" amount=\"", 10);
			q += 10;
			q = put_u(q, amt / 100);
			*q++ = '.';
			*q++ = (char)('0' + amt % 100 / 10);
			*q++ = (char)('0' + amt % 10);
			memcpy(q, "\"/>\n", 4);
			q += 4;
			fwrite(line, 1, (size_t)(q - line), f);
		}
		fputs("  </order>\n", f);
		done += (unsigned long)nl;
	}
	fputs("</export>\n", f);
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *expect = NULL;
	unsigned long long seed = 20130501ULL;
	unsigned long big = 0;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			seed = strtoull(argv[++i], &end, 10);
			if (*end != '\0')
				usage();
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
			expect = argv[++i];
		} else if (strcmp(argv[i], "--big-orders") == 0 && i + 1 < argc) {
			big = strtoul(argv[++i], &end, 10);
			if (*end != '\0' || big == 0)
				usage();
		} else {
			usage();
		}
	}
	if (out == NULL)
		usage();
	if (big > 0)
		big_orders(seed, big, out);
	else
		make_sample(seed, out, expect);
	return 0;
}
