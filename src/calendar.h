/*
 * calendar.h — the working-day calendar (plain dates are date.h's).
 *
 * The working calendar: scoring.md makes the month's results due "within the first 3
 * working days of the next month", where weekends and public holidays are
 * not working days and make-up weekends (调休) are.  Holidays move every
 * year by State Council notice, so they are data, not code:
 * templates/calendar-YYYY.xml, one file a year:
 *
 *   <calendar year="2013">
 *     <holiday date="2013-05-01" name="劳动节"/>
 *     <workday date="2013-04-27" name="调休"/>
 *   </calendar>
 *
 * A holiday may fall on a weekend (it changes nothing then); a make-up
 * workday must fall on a weekend.  A year with no file loaded is treated
 * as plain Monday–Friday (kh_calendar_covers says whether it was loaded,
 * so the caller can warn).
 *
 * The calendar owns everything it loaded; kh_calendar_free(NULL) is safe.
 * Functions return KH_OK, or a graded status with struct kh_err filled
 * (file, line, what); nothing is printed.
 */
#ifndef KH_CALENDAR_H
#define KH_CALENDAR_H

#include <stddef.h>

#include "date.h"
#include "err.h"

/* ---- the working calendar --------------------------------------------- */

struct kh_calendar;

/* An empty calendar (weekends only). */
int	kh_calendar_new(struct kh_calendar **out, struct kh_err *);
void	kh_calendar_free(struct kh_calendar *);
/*
 * Load one calendar file into a new calendar (*out is NULL on failure).
 * Errors (KH_REJECT): malformed XML, wrong root, unknown element, a
 * malformed date or one outside the file's year, the same date listed
 * twice, a date both holiday and workday, a make-up workday that is not
 * a weekend — each with file and line.
 */
int	kh_calendar_load(const char *path, struct kh_calendar **out,
	    struct kh_err *);
/* Load every calendar-*.xml of dir (in name order) into a new calendar. */
int	kh_calendar_load_dir(const char *dir, struct kh_calendar **out,
	    struct kh_err *);
/*
 * Add one more file (or an in-memory document, for tests) to cal.  On
 * failure cal is left exactly as it was.  A date already listed by an
 * earlier file is an error, as within one file.
 */
int	kh_calendar_add_file(struct kh_calendar *, const char *path,
	    struct kh_err *);
int	kh_calendar_add_memory(struct kh_calendar *, const char *buf,
	    size_t len, const char *name, struct kh_err *);

/* 1 if some loaded file covers year y, else 0. */
int	kh_calendar_covers(const struct kh_calendar *, int y);
/* 1 if y-m-d is a working day, 0 if not, -1 if it is not a valid date. */
int	kh_calendar_is_workday(const struct kh_calendar *, int y, int m, int d);
/* The holiday/workday name of a listed date ("劳动节", "调休"), or NULL. */
const char *kh_calendar_name(const struct kh_calendar *, int y, int m, int d);
/*
 * The n-th working day after date (n >= 1; n = 0 gives date itself;
 * n < 0 counts backwards), into out.  KH_USAGE on a malformed date or if
 * the search leaves years 1..9999.
 */
int	kh_calendar_add_workdays(const struct kh_calendar *, const char *date,
	    int n, char out[11]);
/*
 * The n-th working day (n >= 1) of month "YYYY-MM" into out; KH_USAGE if
 * the month is malformed, n < 1, or the month has fewer working days.
 */
int	kh_calendar_nth_workday_of_month(const struct kh_calendar *,
	    const char *month, int n, char out[11]);

#endif
