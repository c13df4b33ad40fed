#!/bin/sh
# Import and whole-run figures (called by tests/bench/run.sh KAOHE BUILD).
#
#  1. the bundled sample: a full `kaohe run --final` of both months from an
#     empty database, wall and CPU seconds;
#  2. one large orders file (BENCH_LINES order lines, default 1,000,000)
#     streamed in on top of the sample: lines per second and peak RSS,
#     which must not grow with the file (compare BENCH_LINES=200000).
set -u
kaohe=${1:-./kaohe}
build=${2:-build}
lines=${BENCH_LINES:-1000000}
tmp=${TMPDIR:-/tmp}
out=$(mktemp -d "$tmp/kaohe-bench-import.XXXXXX") || exit 3
trap 'rm -rf "$out"' EXIT INT TERM
timef="%e s wall, %U s user, %S s sys, %M KB peak RSS"
# GNU time reports on stderr; keep the figures in order on stdout
exec 2>&1

echo "== whole run: bundled sample, 2 months, from an empty database =="
/usr/bin/time -f "   run --month 2013-04 --final: $timef" \
    "$kaohe" -q --db "$out/k.db" --output "$out/out" run --month 2013-04 --final
/usr/bin/time -f "   run --month 2013-05 --final: $timef" \
    "$kaohe" -q --db "$out/k.db" --output "$out/out" run --month 2013-05 --final
/usr/bin/time -f "   rerun, nothing new:          $timef" \
    "$kaohe" -q --db "$out/k.db" --output "$out/out" run --month 2013-05

echo "== import: one orders file of $lines lines on top of the sample =="
"$build/tools/gen" --big-orders "$lines" --out "$out/big.xml" || exit 3
"$kaohe" -q --db "$out/k2.db" --output "$out/out2" import input/2013-05/roster.xml \
    input/2013-05/brands.xml input/2013-05/targets.xml >/dev/null
size=$(stat -c %s "$out/big.xml")
t0=$(date +%s.%N)
/usr/bin/time -f "   $timef" "$kaohe" -q --db "$out/k2.db" --output "$out/out2" \
    import "$out/big.xml"
t1=$(date +%s.%N)
echo "$t0 $t1 $lines $size" | awk '{ d = $2 - $1; printf "   %.0f lines/s, %.1f MB/s (%.1f MB file)\n", $3 / d, $4 / d / 1048576, $4 / 1048576 }'
