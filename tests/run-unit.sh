#!/bin/sh
# Run every cmocka unit test binary in $1/tests; fail if any fails.
build=${1:-build}
pass=0; fail=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit test programs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
