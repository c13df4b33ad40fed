/*
 * date.h — plain civil dates, months and instants: the one place that
 * knows how a date, a month, a period or a time of day is written,
 * checked and counted, and what time it is.
 *
 * Dates are proleptic Gregorian.  The domain's dates (periods of the
 * exports, --month, close and reopen) lie in the years 1900..2999: a
 * year outside is a typo, refused where it is typed.  Instants are epoch
 * seconds; kh_now() is kaohe's one clock, which KAOHE_NOW replaces for
 * tests and replays.  Nothing here prints, allocates or fails silently.
 */
#ifndef KH_DATE_H
#define KH_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define KH_YEAR_MIN	1900	/* the domain's years (periods, --month) */
#define KH_YEAR_MAX	2999

/* 1 for a leap year of the Gregorian calendar, else 0. */
int	kh_date_is_leap(int y);
/* Days in month m (1..12) of year y; 0 if m is out of range. */
int	kh_date_days_in_month(int y, int m);
/* 1 if y-m-d is a real date with 1 <= y <= 9999, else 0. */
int	kh_date_valid(int y, int m, int d);
/* Day of the week of a valid date: 0 = Sunday .. 6 = Saturday (like tm_wday). */
int	kh_date_weekday(int y, int m, int d);
/* Days since 1970-01-01 of a valid date (negative before), and back. */
long	kh_date_to_days(int y, int m, int d);
void	kh_date_from_days(long days, int *y, int *m, int *d);
/*
 * Strict parsers: exactly "YYYY-MM-DD" (10 bytes) or "YYYY-MM" (7 bytes),
 * digits only, a real date/month.  Return 0 and fill the out parameters,
 * or -1 (out parameters untouched).
 */
int	kh_date_parse(const char *s, int *y, int *m, int *d);
int	kh_month_parse(const char *s, int *y, int *m);
/* "YYYY-MM-DD" into out (11 bytes with NUL). */
void	kh_date_format(int y, int m, int d, char out[11]);
/* date + n days (n may be negative) into out; KH_USAGE if date is malformed. */
int	kh_date_add_days(const char *date, long n, char out[11]);
/* month "YYYY-MM" + n months (n may be negative) into out; KH_USAGE if malformed. */
int	kh_month_add(const char *month, int n, char out[8]);

/*
 * The domain's spellings: "YYYY-MM" with a year of KH_YEAR_MIN..MAX; a
 * period is such a month or a real day of one ("YYYY-MM-DD", when
 * allow_day); "YYYY" likewise.  1 if s is one, else 0.
 */
int	kh_month_valid(const char *s);
int	kh_year_valid(const char *s);
int	kh_period_valid(const char *s, int allow_day);

/* ---- instants ---------------------------------------------------------- */

/*
 * ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" -> epoch seconds
 * (a fraction is accepted and ignored).  -1 if malformed or without an
 * offset: instants are compared, so the offset is required.
 */
int	kh_time_parse(const char *s, int64_t *utc);
/*
 * Now: KAOHE_NOW when set (epoch seconds, or an ISO 8601 time with
 * offset), else SOURCE_DATE_EPOCH (kept for reproducible runs), else the
 * system clock.  KH_USAGE with err filled if the variable is malformed.
 */
int	kh_now(int64_t *now, struct kh_err *);
/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void	kh_time_utc(int64_t t, char out[21]);
/* t in local time as ISO 8601 with offset: "2013-06-03T08:00:00+08:00". */
void	kh_time_iso(int64_t t, char out[26]);
/* t in local time, strftime(fmt) ("%Y-%m-%d %H:%M:%S", "%FT%T%z"). */
void	kh_time_local(int64_t t, const char *fmt, char *out, size_t len);

#endif
