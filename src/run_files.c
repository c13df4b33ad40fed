/*
 * run_files.c — the file ledger as the operator sees it (see
 * run_files.h): `kaohe files` and `kaohe withdraw`, over the session.
 */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "run_files.h"
#include "store.h"
#include "trail.h"

static void
print_entry(FILE *out, const struct kh_trail_file *e)
{
	char state[96];

	if (e->withdrawal != 0)
		snprintf(state, sizeof(state), "withdrawn");
	else if (e->in_force)
		snprintf(state, sizeof(state), "in force");
	else if (e->superseded_by != 0)
		snprintf(state, sizeof(state), "replaced by #%ld",
		    e->superseded_by);
	else
		snprintf(state, sizeof(state), "replaced");
	fprintf(out, "#%-5ld %-11s %-10s %-25s %-18s %s\n", e->id, e->kind,
	    e->period, e->generated, state, e->name);
	if (e->withdrawal != 0)
		fprintf(out, "       withdrawn %s by %s: %s\n", e->withdrawn_at,
		    e->withdrawn_by[0] != '\0' ? e->withdrawn_by : "(not given)",
		    e->withdrawn_reason);
}

int
kh_run_files_list(struct kh_session *s, const char *month, FILE *out)
{
	struct kh_trail t;
	struct kh_err err;
	size_t i;
	int st;

	kh_err_clear(&err);
	fprintf(out, "%-6s %-11s %-10s %-25s %-18s %s\n", "id", "kind",
	    "period", "generated", "state", "file");
	if ((st = kh_store_trail_files(s->store, month, &t, &err)) != KH_OK)
		return kh_say_err(s, &err, st);
	for (i = 0; i < t.n_files; i++)
		print_entry(out, &t.files[i]);
	kh_trail_clear(&t);
	return KH_OK;
}

/* Who withdraws when --by is not given: the account running kaohe. */
static const char *
default_by(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL && pw->pw_name != NULL ? pw->pw_name : "";
}

int
kh_run_files_withdraw(struct kh_session *s, long file_id, const char *reason,
    const char *by)
{
	struct kh_trail_file e;
	struct kh_err err;
	int st;

	kh_err_clear(&err);
	if (by == NULL || by[0] == '\0')
		by = default_by();
	if ((st = kh_store_withdraw(s->store, file_id, reason, by, &e, &err))
	    != KH_OK)
		return kh_say_err(s, &err, st);
	kh_sayf(s, KH_SAY_INFO, "#%ld %s (%s %s, generated %s) withdrawn: "
	    "%s; what it replaced is in force again, and the next run "
	    "rescores %.7s (kaohe run --month %.7s)", e.id, e.name, e.kind,
	    e.period, e.generated, reason, e.period, e.period);
	return KH_OK;
}
