#!/usr/bin/env bash
# Crash safety: kaohe is killed (SIGKILL) at named points of its work, and
# after each kill nothing is half-written (brief: "a crash at any point
# leaves the database and the output folder as they were or as they
# should be"; issue 7: "a month becomes closed only together with its
# final outputs").
#
# Every kill is planned: KAOHE_CRASHPOINT=NAME[:N] makes kaohe kill itself
# the N-th time it passes kh_crashpoint(NAME) (src/crashpoint.h), and the
# test FAILS unless the process did die by SIGKILL there (status 137):
# a kill that missed a live process is a failure, never a pass.
#
# After each kill:
#   - the database passes SQLite's integrity check and `kaohe verify`
#     (exit 0; or exit 1 with a publication that was recorded but not
#     yet put in place, which the next command completes);
#   - the month is either open with provisional outputs or closed with
#     final ones, never a mix, once the next command has run;
#   - output/<month>/ is absent or whole, with no temporary file in it;
# and the same command run again ends as an undisturbed run did (same
# scores.csv, same bytes of every output).
#
# usage: tests/crash/run.sh KAOHE
set -u
kaohe=${1:-./kaohe}
case "$kaohe" in /*) ;; *) kaohe="$PWD/$kaohe" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/kaohe-crash.XXXXXX) || exit 3
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL crash: $*"; }
k()    { timeout 120 "$kaohe" -q --templates "$root/templates" \
	    --input "$root/input" "$@"; }

# the undisturbed runs, for comparison: May provisional, then May final
k --db "$tmp/ref.db" --output "$tmp/ref" run --month 2013-05 >/dev/null 2>&1
cp "$tmp/ref.db" "$tmp/prov.db"; cp -R "$tmp/ref" "$tmp/prov"
k --db "$tmp/ref.db" --output "$tmp/ref" run --month 2013-05 --final >/dev/null 2>&1
[ -f "$tmp/ref/2013-05/scores.csv" ] && grep -q ',final' "$tmp/ref/2013-05/scores.csv" ||
	{ echo "crash: reference run failed"; exit 1; }
managers=$(ls "$tmp/ref/2013-05/scorecards" | wc -l)

check_whole() {		# $1: output root
	local d="$1/2013-05" f
	[ -e "$d" ] || return 0
	for f in scores.csv team.pdf trail.pdf; do
		[ -s "$d/$f" ] || { echo "missing $f"; return 1; }
	done
	[ "$(ls "$d/scorecards" 2>/dev/null | grep -c '\.pdf$')" -eq "$managers" ] ||
		{ echo "scorecards incomplete"; return 1; }
	for f in "$d"/*.pdf "$d"/scorecards/*; do
		case "$f" in *.pdf) ;; *) echo "stray file $f"; return 1 ;; esac
		tail -c 16 "$f" | grep -q '%%EOF' || { echo "truncated $f"; return 1; }
	done
}

# a database killed in its very first transaction holds no schema: that
# is the record as it was (nothing), provided nothing was published
fresh_db() {
	python3 -c 'import sqlite3,sys
n = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
sys.exit(0 if n == 0 else 1)' "$1"
}

check_db() {		# $1: database, $2: output root
	[ -e "$1" ] || return 0
	if fresh_db "$1"; then
		[ -z "$(ls -A "$2" 2>/dev/null)" ] && return 0
		echo "an empty database beside published outputs"; return 1
	fi
	python3 - "$1" <<'PY' || return 1
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0]
sys.exit(0 if r == "ok" else print(r) or 1)
PY
	"$kaohe" --db "$1" --output "$2" verify >"$tmp/v.out" 2>"$tmp/v.err"
	case $? in
	0) ;;
	1) grep -q "interrupted before it was put in place" "$tmp/v.err" ||
		{ echo "verify exit 1:"; cat "$tmp/v.err"; return 1; } ;;
	*) echo "verify failed:"; cat "$tmp/v.err"; return 1 ;;
	esac
}

# open with provisional outputs, or closed with final ones (or nothing yet)
check_state() {		# $1: database, $2: output root
	local closed csv="$2/2013-05/scores.csv"
	[ -e "$1" ] || return 0
	fresh_db "$1" && return 0
	closed=$(python3 -c 'import sqlite3,sys
r = sqlite3.connect(sys.argv[1]).execute("SELECT event FROM month_events WHERE month = ? ORDER BY id DESC LIMIT 1", ("2013-05",)).fetchone()
print("yes" if r and r[0] == "close" else "no")' "$1")
	[ -f "$csv" ] || { [ "$closed" = no ] && return 0; echo "closed without outputs"; return 1; }
	if [ "$closed" = yes ]; then grep -q ',final' "$csv" || { echo "closed, but scores.csv is not final"; return 1; }
	else grep -q ',final' "$csv" && { echo "open, but scores.csv is final"; return 1; }; fi
	return 0
}

# crash SCENARIO POINT: kill `run` at POINT, then check; SCENARIO fresh
# (empty database, May provisional) or final (May provisional, then
# run --final)
crash() {
	local scen=$1 point=$2 w="$tmp/$1-${2//:/-}" args st why
	mkdir -p "$w"
	if [ "$scen" = fresh ]; then args="run --month 2013-05"
	else cp "$tmp/prov.db" "$w/k.db"; cp -R "$tmp/prov" "$w/out"
		args="run --month 2013-05 --final"; fi
	KAOHE_CRASHPOINT=$point k --db "$w/k.db" --output "$w/out" $args >/dev/null 2>"$w/err"
	st=$?
	if [ $st -eq 137 ]; then ok
	else bad "$scen $point: no kill (exit $st): the point was not reached by a live process"; return; fi
	if why=$(check_db "$w/k.db" "$w/out"); then ok; else bad "$scen $point: database: $why"; fi
	if why=$(check_whole "$w/out"); then ok; else bad "$scen $point: output: $why"; fi
	# the next command completes an interrupted publication
	k --db "$w/k.db" --output "$w/out" trail --month 2013-05 >/dev/null 2>&1
	[ -e "$w/k.db" ] && "$kaohe" -q --templates "$root/templates" --input "$w/none" \
	    --db "$w/k.db" --output "$w/out" render --month 2013-05 >/dev/null 2>&1
	if why=$(check_state "$w/k.db" "$w/out"); then ok; else bad "$scen $point: state: $why"; fi
	# the same command again ends as if never killed
	if k --db "$w/k.db" --output "$w/out" $args >/dev/null 2>"$w/err2"; then ok
	else bad "$scen $point: the run after the kill failed: $(head -3 "$w/err2")"; fi
	# (the PDFs print the time of the run or close they show: only the
	# payroll file can be compared byte for byte across separate runs)
	if [ "$scen" = final ]; then ref="$tmp/ref"; else ref="$tmp/prov"; fi
	if cmp -s "$ref/2013-05/scores.csv" "$w/out/2013-05/scores.csv"; then ok
	else bad "$scen $point: scores.csv after the rerun differs from an undisturbed run"; fi
	if [ "$(ls "$w/out/2013-05/scorecards" | wc -l)" -eq "$managers" ]; then ok
	else bad "$scen $point: scorecards after the rerun incomplete"; fi
	if [ -z "$(ls -A "$w/out" | grep '^\.')" ]; then ok
	else bad "$scen $point: leftover temporary folders: $(ls -A "$w/out" | grep '^\.')"; fi
	if "$kaohe" --db "$w/k.db" --output "$w/out" verify >/dev/null 2>&1; then ok
	else bad "$scen $point: verify after the rerun fails"; fi
}

# importing: the first, an orders file's, the last file's commit; scoring
for p in store-commit:1 store-commit:9 store-commit:40 import-file:3 \
    import-file:60 score-saved render-doc:1 render-doc:6 publish-event \
    publish-before-commit publish-committed publish-swapped; do
	crash fresh "$p"
done
# closing: the close and its final outputs, at every step
for p in score-saved render-doc:1 render-doc:10 publish-event \
    publish-before-commit store-commit:1 publish-committed publish-swapped; do
	crash final "$p"
done

echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
