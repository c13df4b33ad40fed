#!/usr/bin/env bash
# run.sh — regression corpus: one script per attack or operator mistake
# that an issue reported, each proving the outcome (exit status, the
# message, and the database/outputs unchanged or correctly changed).
#
#   tests/regress/run.sh KAOHE
#
# Every tests/regress/cases/*.sh is run in its own bash with lib.sh
# sourced and a fresh work folder $W; a case reports through ok/bad.
# Ends with "regress: N passed, M failed"; exit 1 on any failure.
set -u
[ $# -ge 1 ] || { echo "usage: $0 KAOHE" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
KAOHE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kaohe-regress.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0 fail=0
for c in "$HERE"/cases/*.sh; do
	[ -f "$c" ] || continue
	name=$(basename "$c" .sh)
	W="$TMP/$name"
	mkdir -p "$W"
	KAOHE="$KAOHE" ROOT="$HERE/../.." W="$W" CASE="$name" \
	    bash -c 'source "$0/lib.sh"; source "$1"; finish' "$HERE" "$c" \
	    >"$W.log" 2>&1
	st=$?
	p=$(grep -c '^ok ' "$W.log"); f=$(grep -c '^FAIL ' "$W.log")
	if [ $st -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "FAIL $name: the case script itself failed (exit $st)"
	fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then sed 's/^/  /' "$W.log" | tail -n 60; fi
done
echo "regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
