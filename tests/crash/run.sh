#!/usr/bin/env bash
# Crash safety: kill -9 `kaohe run` at many points of its work and check
# after each kill that nothing is half-written (brief: "a crash at any
# point leaves the database and the output folder as they were or as they
# should be"):
#   - the database passes SQLite's integrity check and kaohe's chain check;
#   - output/2013-05/ is absent or whole: scores.csv, team.pdf, trail.pdf
#     and one scorecard per manager, every PDF complete (%%EOF), and no
#     temporary file under the folder;
# and that a run after the last kill ends as a run that was never killed
# (same scores.csv as an undisturbed run).
#
# usage: tests/crash/run.sh KAOHE [KILLS]
set -u
kaohe=${1:-./kaohe}
kills=${2:-16}
case "$kaohe" in /*) ;; *) kaohe="$PWD/$kaohe" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/kaohe-crash.XXXXXX) || exit 3
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL crash: $*"; }
k()    { "$kaohe" -q --templates "$root/templates" --input "$root/input" "$@"; }

# the undisturbed run, for comparison
k --db "$tmp/ref.db" --output "$tmp/ref" run --month 2013-05 2>/dev/null
[ -f "$tmp/ref/2013-05/scores.csv" ] || { echo "crash: reference run failed"; exit 1; }
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
	return 0
}

check_db() {		# $1: database
	[ -e "$1" ] || return 0
	python3 - "$1" <<'PY' || return 1
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0]
sys.exit(0 if r == "ok" else print(r) or 1)
PY
	"$kaohe" --templates "$root/templates" --db "$1" --output "$tmp/out" verify 2>/dev/null |
		grep -q "is intact" || { echo "chain check failed"; return 1; }
}

i=0
while [ $i -lt "$kills" ]; do
	i=$((i + 1))
	# spread the kills over the whole run: import, scoring, rendering
	delay=$(awk -v i="$i" 'BEGIN { printf "%.3f", 0.02 + 0.7 * ((i * 37) % 100) / 100 }')
	k --db "$tmp/k.db" --output "$tmp/out" run --month 2013-05 >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if why=$(check_db "$tmp/k.db"); then ok; else bad "kill $i after ${delay}s: database: $why"; fi
	if why=$(check_whole "$tmp/out"); then ok; else bad "kill $i after ${delay}s: output: $why"; fi
done

# a run after all that ends like the undisturbed one
if k --db "$tmp/k.db" --output "$tmp/out" run --month 2013-05 >/dev/null 2>&1; then ok
else bad "the run after the kills failed"; fi
if cmp -s "$tmp/ref/2013-05/scores.csv" "$tmp/out/2013-05/scores.csv"; then ok
else bad "scores.csv after the kills differs from an undisturbed run"; fi
if [ -z "$(ls -A "$tmp/out" | grep '^\.')" ]; then ok
else bad "leftover temporary folders: $(ls -A "$tmp/out" | grep '^\.')"; fi

echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
