#!/bin/sh
# Performance figures: `make bench` runs  tests/bench/run.sh ./kaohe BUILD
#
# PDF layer: one scorecard-like page (31 rows of Chinese, embedded subset
# font) rendered N times by build/tools/bench_render, and the same page by
# ReportLab (tests/bench/rl_table.py) for comparison.  Prints ms per page
# and bytes per file for each.  Target: kaohe faster per page than
# ReportLab and no more than 1.5 times its size.
#
# Other benchmarks may be added as tests/bench/bench_*.sh (called with the
# same two arguments).
set -u
kaohe=${1:-./kaohe}
build=${2:-build}
n=${BENCH_N:-50}
here=$(dirname "$0")
# tmpfs if there is one: ReportLab does not fsync, kaohe does
tmp=${TMPDIR:-/tmp}; [ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
out=$(mktemp -d "$tmp/kaohe-bench.XXXXXX") || exit 3
trap 'rm -rf "$out"' EXIT INT TERM

if [ ! -x "$build/tools/bench_render" ]; then
	echo "bench: $build/tools/bench_render missing (make tools)" >&2
	exit 3
fi

# ReportLab 3.6 (Debian python3-reportlab), installed if missing.
py=/usr/bin/python3
if ! $py -c 'import reportlab' 2>/dev/null; then
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "bench: installing python3-reportlab for the comparison" >&2
	$sudo apt-get install -y -qq --no-install-recommends python3-reportlab \
	    >/dev/null 2>&1 || echo "bench: could not install python3-reportlab" >&2
fi

echo "== PDF: one page, 31-row Chinese table, N=$n =="
k=$("$build/tools/bench_render" -n "$n" "$out") || exit 3
echo "$k"
"$build/tools/bench_render" -n "$n" -a "$out" || exit 3
"$build/tools/bench_render" -n "$n" -a -s "$out" || exit 3
if $py -c 'import reportlab' 2>/dev/null; then
	r=$($py "$here/rl_table.py" "$n" "$out") || exit 3
	echo "$r"
	# verdict: kaohe (plain) against ReportLab on the same page
	echo "$k" "$r" | awk '{
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^(kaohe|reportlab)/) who = $i;
			if (split($i, kv, "=") == 2) v[who, kv[1]] = kv[2];
		}
		printf("kaohe/reportlab: cpu time %.2fx, size %.2fx (targets < 1, <= 1.5)\n",
		    v["kaohe", "cpu_ms_per_page"] / v["reportlab", "cpu_ms_per_page"],
		    v["kaohe", "bytes"] / v["reportlab", "bytes"]) }'
else
	echo "reportlab: not available, no comparison"
fi

for b in "$here"/bench_*.sh; do
	[ -e "$b" ] || continue
	sh "$b" "$kaohe" "$build" || exit 3
done
