#!/bin/sh
# Run every cmocka unit test program in $1/tests; fail if any fails.
#
# Each program's output is shown as it ran.  A program counts as passed
# only if it exits 0 AND ends with cmocka's summary ("[  PASSED  ] N
# test(s)."): one that stops early (exit(0) in a test, a crash in a
# forked child mistaken for the parent) has not run all its tests.  The
# last line is the total over all programs.
build=${1:-build}
log=$(mktemp) || exit 3
trap 'rm -f "$log"' EXIT
pass=0; fail=0; tests=0; tpass=0
for t in "$build"/tests/test_*; do
	case $t in *.o|*.d) continue ;; esac
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	run=$(sed -n 's/^\[==========\] \([0-9][0-9]*\) test(s) run\.$/\1/p' "$log" | tail -1)
	ok=$(tail -1 "$log" | sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\.$/\1/p')
	bad=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:$/\1/p' "$log" | tail -1)
	tests=$((tests + ${run:-0}))
	if [ -n "$run" ]; then
		tpass=$((tpass + run - ${bad:-0}))
	fi
	if [ "$rc" -eq 0 ] && [ -n "$run" ] && [ "$ok" = "$run" ]; then
		pass=$((pass + 1))
	elif [ -z "$run" ]; then
		fail=$((fail + 1))
		echo "FAILED: $t (exit $rc, no cmocka summary: it did not run to the end)"
	else
		fail=$((fail + 1))
		echo "FAILED: $t (exit $rc, $((run - ${bad:-0})) of $run tests passed${ok:+, but the summary is not its last line})"
	fi
done
echo "unit tests: $tpass of $tests passed in $((pass + fail)) programs ($pass passed, $fail failed)"
[ "$fail" -eq 0 ] && [ $((pass + fail)) -gt 0 ]
