/*
 * date.c — plain civil dates, months and instants (see date.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

int
kh_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
kh_date_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return dim[m - 1] + (m == 2 && kh_date_is_leap(y));
}

int
kh_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 &&
	    d >= 1 && d <= kh_date_days_in_month(y, m);
}

long
kh_date_to_days(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
kh_date_from_days(long days, int *y, int *m, int *d)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int
kh_date_weekday(int y, int m, int d)
{
	long days = kh_date_to_days(y, m, d);	/* 1970-01-01 was a Thursday */
	long w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* n decimal digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
kh_month_parse(const char *s, int *y, int *m)
{
	int yy, mm;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	yy = digits(s, 4);
	mm = digits(s + 5, 2);
	if (yy < 1 || mm < 1 || mm > 12)
		return -1;
	*y = yy;
	*m = mm;
	return 0;
}

int
kh_date_parse(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	yy = digits(s, 4);
	mm = digits(s + 5, 2);
	dd = digits(s + 8, 2);
	if (!kh_date_valid(yy, mm, dd))
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

void
kh_date_format(int y, int m, int d, char out[11])
{
	/* By hand: the range is fixed, and snprintf would need a bigger buffer. */
	unsigned uy = (unsigned)y % 10000, um = (unsigned)m % 100, ud = (unsigned)d % 100;

	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
}

int
kh_date_add_days(const char *date, long n, char out[11])
{
	int y, m, d;
	long days;

	if (kh_date_parse(date, &y, &m, &d) != 0)
		return KH_USAGE;
	days = kh_date_to_days(y, m, d) + n;
	if (days < kh_date_to_days(1, 1, 1) || days > kh_date_to_days(9999, 12, 31))
		return KH_USAGE;
	kh_date_from_days(days, &y, &m, &d);
	kh_date_format(y, m, d, out);
	return KH_OK;
}

int
kh_month_add(const char *month, int n, char out[8])
{
	char tmp[11];
	long idx;
	int y, m;

	if (kh_month_parse(month, &y, &m) != 0)
		return KH_USAGE;
	idx = (long)y * 12 + (m - 1) + n;
	if (idx < 12 || idx > 9999L * 12 + 11)
		return KH_USAGE;
	kh_date_format((int)(idx / 12), (int)(idx % 12) + 1, 1, tmp);
	memcpy(out, tmp, 7);
	out[7] = '\0';
	return KH_OK;
}

int
kh_month_valid(const char *s)
{
	int y, m;

	return kh_month_parse(s, &y, &m) == 0 && y >= KH_YEAR_MIN &&
	    y <= KH_YEAR_MAX;
}

int
kh_year_valid(const char *s)
{
	int y;

	return s != NULL && strlen(s) == 4 && (y = digits(s, 4)) >= KH_YEAR_MIN &&
	    y <= KH_YEAR_MAX;
}

int
kh_period_valid(const char *s, int allow_day)
{
	int y, m, d;

	if (s != NULL && strlen(s) == 10)
		return allow_day && kh_date_parse(s, &y, &m, &d) == 0 &&
		    y >= KH_YEAR_MIN && y <= KH_YEAR_MAX;
	return kh_month_valid(s);
}

/* ---- instants ---------------------------------------------------------- */

int
kh_time_parse(const char *s, int64_t *utc)
{
	const char *p;
	int y, mo, d, h, mi, sec, oh, om, sign;
	char date[11];

	if (s == NULL || strlen(s) < 20)
		return -1;
	snprintf(date, sizeof(date), "%.10s", s);
	if (kh_date_parse(date, &y, &mo, &d) != 0 ||
	    (s[10] != 'T' && s[10] != 't') || (h = digits(s + 11, 2)) < 0 ||
	    s[13] != ':' || (mi = digits(s + 14, 2)) < 0 || s[16] != ':' ||
	    (sec = digits(s + 17, 2)) < 0)
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.' || *p == ',') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		oh = om = 0, sign = 1;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    (oh = digits(p + 1, 2)) >= 0 && p[3] == ':' &&
	    (om = digits(p + 4, 2)) >= 0) {
		sign = *p == '-' ? -1 : 1;
		if (oh > 14 || om > 59)
			return -1;
	} else
		return -1;
	*utc = (int64_t)kh_date_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - sign * (oh * 3600 + om * 60);
	return 0;
}

/* One clock variable: epoch seconds or an ISO 8601 time with offset. */
static int
clock_var(const char *name, int64_t *now, struct kh_err *err)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end != s && *end == '\0' && errno == 0) {
		*now = (int64_t)v;
		return 1;
	}
	if (kh_time_parse(s, now) == 0)
		return 1;
	kh_err_sys(err, KH_USAGE, "%s=\"%.40s\" is neither epoch seconds "
	    "nor an ISO 8601 time with offset", name, s);
	return -1;
}

int
kh_now(int64_t *now, struct kh_err *err)
{
	int r;

	*now = (int64_t)time(NULL);
	if ((r = clock_var("KAOHE_NOW", now, err)) == 0)
		r = clock_var("SOURCE_DATE_EPOCH", now, err);
	return r < 0 ? KH_USAGE : KH_OK;
}

void
kh_time_utc(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
kh_time_local(int64_t t, const char *fmt, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (strftime(out, len, fmt, &tm) == 0 && len > 0)
		out[0] = '\0';
}

void
kh_time_iso(int64_t t, char out[26])
{
	char z[8];

	kh_time_local(t, "%Y-%m-%dT%H:%M:%S", out, 26);
	kh_time_local(t, "%z", z, sizeof(z));		/* "+0800" */
	if (strlen(out) == 19 && strlen(z) == 5)
		snprintf(out + 19, 7, "%.3s:%.2s", z, z + 3);
}
