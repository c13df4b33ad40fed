#!/usr/bin/env bash
# run.sh — whole-run golden tests of kaohe.
#
#   tests/golden/run.sh KAOHE BUILD-DIR      (make golden / make test / make san)
#
# (BUILD-DIR is accepted for the Makefile's sake; nothing here needs it.)
# Every case runs kaohe in a fresh temporary folder (--db, --output there,
# --input and --templates given) and compares what it leaves behind with
# results computed independently: by oracle.py (a separate Python reading
# of scoring.md) and by hand (cases/*/expected, arithmetic in the README).
# Needs python3, coreutils, diff, grep, sed and find; uses the sqlite3 CLI
# and pdftotext when they are there.  README.md lists the cases.
# Ends with the line "golden: N passed, M failed"; exit status 1 on any
# failure.  GOLDEN_BLESS=1 rewrites sample/expected/ from the oracle.
set -u

[ $# -ge 1 ] || { echo "usage: $0 KAOHE [BUILD-DIR]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KAOHE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TEMPLATES=$ROOT/templates
SAMPLE=$ROOT/input
ORACLE="python3 $HERE/oracle.py"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kaohe-golden.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
# bad NAME [DETAIL-FILE-OR-TEXT...]: a failure, with the evidence indented.
bad() {
	fail=$((fail + 1)); echo "FAIL $1"; shift
	for d in "$@"; do
		if [ -f "$d" ]; then head -n 40 "$d"; else printf '%s\n' "$d"; fi
	done | sed 's/^/       /'
}

# newdir NAME: a fresh work folder for one case.
newdir() { mkdir -p "$TMP/$1" && echo "$TMP/$1"; }

# kh DIR INPUT ARGS...: run kaohe with its db and output in DIR; stdout and
# stderr go to DIR/out and DIR/err; returns kaohe's exit status.
# A sanitizer report (ASan exits 1, which some cases expect) is a failure
# of its own.
kh() {
	local w=$1 in=$2 st; shift 2
	timeout 60 "$KAOHE" "$@" --db "$w/kaohe.db" --output "$w/output" \
	    --input "$in" --templates "$TEMPLATES" >"$w/out" 2>"$w/err"
	st=$?
	[ $st -eq 124 ] && bad "kaohe $* timed out (60 s)"
	if grep -qE 'Sanitizer|runtime error:' "$w/err"; then
		bad "kaohe $*: sanitizer report" "$w/err"
	fi
	return $st
}

# expect_status NAME WANT GOT DIR
expect_status() {
	if [ "$3" -eq "$2" ]; then ok "$1 (exit $3)"
	else bad "$1: exit $3, expected $2" "$4/err"; fi
}

# same NAME EXPECTED ACTUAL: byte-for-byte comparison, with the diff.
same() {
	if [ ! -f "$3" ]; then bad "$1: $3 missing"; return; fi
	if cmp -s "$2" "$3"; then ok "$1"; return; fi
	diff "$2" "$3" >"$TMP/diff" 2>&1
	bad "$1: differs (< expected, > got)" "$TMP/diff"
}

# snapshot DIR: checksums of every output file and a dump of the database.
snapshot() {
	(cd "$1/output" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
	if command -v sqlite3 >/dev/null 2>&1; then
		sqlite3 "$1/kaohe.db" .dump
	else
		python3 -c 'import sqlite3,sys
for l in sqlite3.connect(sys.argv[1]).iterdump(): print(l)' "$1/kaohe.db"
	fi
}

# clean_input DIR: the hand case made clean (nothing rejected, nobody
# incomplete): KM003 gets a total_volume target.
clean_input() {
	mkdir -p "$1"
	cp "$HERE"/cases/hand-2013-05/input/*.xml "$1"/
	sed -i 's|^  <target manager="KM003" indicator="low_grade_volume"|  <target manager="KM003" indicator="total_volume" value="1.00"/>\n&|' \
	    "$1/targets-2013-05-b.xml"
}

if [ ! -x "$KAOHE" ]; then
	bad "kaohe binary $KAOHE not found"
	echo "golden: $pass passed, $fail failed"; exit 1
fi

# ---- a. the bundled sample: April and May closed, the year -----------------
case_sample() {
	local w exp st m
	if [ -z "$(find "$SAMPLE" -name '*.xml' 2>/dev/null | head -n 1)" ]; then
		echo "skip sample: no input/*.xml"; return
	fi
	w=$(newdir sample); exp=$HERE/sample/expected
	# May provisional, April closed: the year counts April only
	kh "$w" "$SAMPLE" run --month 2013-05
	kh "$w" "$SAMPLE" run --month 2013-04 --final
	kh "$w" "$SAMPLE" annual 2013; st=$?
	expect_status "sample: annual 2013 with April closed, May open" 0 $st "$w"
	$ORACLE --input "$SAMPLE" --annual 2013 --months 2013-04 >"$w/oracle-2013-04only.csv" 2>/dev/null
	same "sample: annual.csv of closed April only = oracle" "$w/oracle-2013-04only.csv" "$w/output/2013/annual.csv"
	for m in 2013-04 2013-05; do
		kh "$w" "$SAMPLE" run --month $m --final; st=$?
		[ $st -le 1 ] && ok "sample: run --month $m --final (exit $st)" ||
		    bad "sample: run --month $m --final: exit $st" "$w/err"
		$ORACLE --input "$SAMPLE" --month $m --status final >"$w/oracle-$m.csv" 2>/dev/null
		same "sample: $m scores.csv = oracle" "$w/oracle-$m.csv" "$w/output/$m/scores.csv"
		[ "${GOLDEN_BLESS:-0}" = 1 ] && mkdir -p "$exp" && cp "$w/oracle-$m.csv" "$exp/$m-scores.csv"
		same "sample: $m scores.csv = committed" "$exp/$m-scores.csv" "$w/output/$m/scores.csv"
		# gen's own arithmetic, a third reading (tables in sample-expected.md)
		if [ -f "$HERE/sample-expected.md" ]; then
			python3 "$HERE/mdcheck.py" "$HERE/sample-expected.md" $m \
			    "$w/output/$m/scores.csv" >"$w/md-$m" 2>&1 &&
			    ok "sample: $m scores.csv = gen's table" ||
			    bad "sample: $m scores.csv differs from gen's table" "$w/md-$m"
		fi
	done
	# each May scorecard's 本年累计 = April's total + May's (closed months)
	if command -v pdftotext >/dev/null 2>&1; then
		python3 -c 'import csv, sys
from decimal import Decimal
t = {}
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f, encoding="utf-8-sig", newline="")):
        if r["total"]:
            t[r["manager_id"]] = t.get(r["manager_id"], Decimal(0)) + Decimal(r["total"])
for k, v in sorted(t.items()):
    print(k, v)' "$exp/2013-04-scores.csv" "$exp/2013-05-scores.csv" |
		while read -r id ytd; do
			pdftotext -layout "$w/output/2013-05/scorecards/$id.pdf" - 2>/dev/null |
			    grep -qF "$ytd" || echo "$id: year-to-date $ytd not on its scorecard"
		done >"$w/ytd-check"
		[ -s "$w/ytd-check" ] && bad "sample: scorecards' year-to-date totals" "$w/ytd-check" ||
		    ok "sample: every May scorecard shows April + May as its year-to-date total"
	fi
	kh "$w" "$SAMPLE" annual 2013; st=$?
	expect_status "sample: annual 2013" 0 $st "$w"
	$ORACLE --input "$SAMPLE" --annual 2013 --months 2013-04,2013-05 >"$w/oracle-2013.csv" 2>/dev/null
	same "sample: annual.csv = oracle" "$w/oracle-2013.csv" "$w/output/2013/annual.csv"
	[ "${GOLDEN_BLESS:-0}" = 1 ] && cp "$w/oracle-2013.csv" "$exp/2013-annual.csv"
	same "sample: annual.csv = committed" "$exp/2013-annual.csv" "$w/output/2013/annual.csv"
}

# ---- b. idempotence: a second run changes nothing --------------------------
# idem NAME INPUT MONTH [--final]
idem() {
	local name=$1 in=$2 w st; shift 2
	w=$(newdir "idem-$name")
	kh "$w" "$in" run --month "$@"; st=$?
	[ $st -le 1 ] || { bad "idempotence $name: first run exit $st" "$w/err"; return; }
	if [ ! -f "$w/output/$1/scores.csv" ] || [ ! -f "$w/kaohe.db" ]; then
		bad "idempotence $name: first run left no scores.csv or no database" "$w/err"; return
	fi
	snapshot "$w" >"$w/snap1"
	kh "$w" "$in" run --month "$@"; st=$?
	snapshot "$w" >"$w/snap2"
	[ $st -le 1 ] || bad "idempotence $name: second run exit $st" "$w/err"
	if [ -s "$w/snap1" ] && cmp -s "$w/snap1" "$w/snap2"; then
		ok "idempotence $name: outputs and database byte-identical after a second run"
	else
		diff "$w/snap1" "$w/snap2" >"$w/d"
		bad "idempotence $name: second run changed something (< first, > second)" "$w/d"
	fi
	kh "$w" "$in" render --month "$1"; st=$?
	snapshot "$w" >"$w/snap3"
	if [ $st -eq 0 ] && cmp -s "$w/snap1" "$w/snap3"; then
		ok "idempotence $name: render --month $1 rewrites the same bytes"
	else
		diff "$w/snap1" "$w/snap3" >"$w/d"
		bad "idempotence $name: render --month $1 (exit $st) changed something" "$w/d" "$w/err"
	fi
}

case_idempotent() {
	if [ -n "$(find "$SAMPLE" -name '*.xml' 2>/dev/null | head -n 1)" ]; then
		idem sample "$SAMPLE" 2013-05
	fi
	idem hand-2013-05 "$HERE/cases/hand-2013-05/input" 2013-05
	idem hand-2013-04-final "$HERE/cases/hand-2013-04/input" 2013-04 --final
}

# ---- c. exit statuses ------------------------------------------------------
case_status() {
	local w st
	w=$(newdir status); clean_input "$w/in"
	kh "$w" "$w/in" frobnicate; expect_status "status: unknown command" 2 $? "$w"
	kh "$w" "$w/in" score; expect_status "status: score without --month" 2 $? "$w"
	kh "$w" "$w/in" run; expect_status "status: clean run without --month" 0 $? "$w"
	[ -f "$w/output/2013-05/scores.csv" ] && ok "status: run without --month scores the newest month" ||
	    bad "status: run without --month left no output/2013-05/scores.csv" "$w/err"
	kh "$w" "$w/in" run --month 2013-05; expect_status "status: clean run" 0 $? "$w"
	$ORACLE --input "$w/in" --month 2013-05 --status provisional >"$w/oracle.csv" 2>/dev/null
	same "status: clean provisional scores.csv = oracle" "$w/oracle.csv" "$w/output/2013-05/scores.csv"
	cat >"$w/in/bad-orders.xml" <<-'EOF'
	<?xml version="1.0" encoding="UTF-8"?>
	<export kind="orders" unit="530421" period="2013-05-21" generated="2013-06-02T08:00:00+08:00">
	  <order id="DD201305210001" date="2013-05-21" customer="C001" manager="KM001">
	    <line brand="6901028075015" qty="-3" amount="300.00"/>
	  </order>
	</export>
	EOF
	kh "$w" "$w/in" run --month 2013-05; st=$?
	expect_status "status: run with a rejected file" 1 $st "$w"
	grep -q 'bad-orders.xml' "$w/err" && ok "status: rejected file named on stderr" ||
	    bad "status: stderr does not name bad-orders.xml" "$w/err"
	# A day file older than the month file already imported: stale.
	rm "$w/in/bad-orders.xml"
	cat >"$w/in/orders-2013-05-10.xml" <<-'EOF'
	<?xml version="1.0" encoding="UTF-8"?>
	<export kind="orders" unit="530421" period="2013-05-10" generated="2013-05-10T23:40:00+08:00">
	  <order id="DD201305100001" date="2013-05-10" customer="C002" manager="KM001">
	    <line brand="6901028000001" qty="50" amount="1000.00"/>
	  </order>
	</export>
	EOF
	kh "$w" "$w/in" run --month 2013-05; st=$?
	expect_status "status: run with a stale day file" 1 $st "$w"
	grep -q 'orders-2013-05-10.xml' "$w/err" && ok "status: stale file named on stderr" ||
	    bad "status: stderr does not name orders-2013-05-10.xml" "$w/err"
	same "status: scores unchanged by rejected files" "$w/oracle.csv" "$w/output/2013-05/scores.csv"
}

# pdf_text NAME EXPECTED-CSV MONTH-DIR ERR: with pdftotext (poppler-utils)
# installed, each scorecard yields its manager's name and total back, and
# team.pdf every manager's name and every ranked total.  A character the
# font lacks (beyond the BMP, e.g. 𠮷) may be drawn as 〓 if kaohe said so
# on stderr (ERR).
pdf_text() {
	local name=$1 csvf=$2 dir=$3 errf=$4 id mname alt total want
	command -v pdftotext >/dev/null 2>&1 || return 0
	pdftotext -layout "$dir/team.pdf" "$dir/team.txt" 2>/dev/null
	python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    alt = "".join(c if ord(c) < 0x10000 else "\u3013" for c in r["manager_name"])
    print(r["manager_id"], r["manager_name"], alt, r["total"] or "-")' "$csvf" |
	while read -r id mname alt total; do
		pdftotext -layout "$dir/scorecards/$id.pdf" "$dir/$id.txt" 2>/dev/null
		if [ "$alt" != "$mname" ] && grep -q "is not in the font" "$errf" &&
		    ! grep -qF "$mname" "$dir/$id.txt"; then
			mname=$alt	# announced substitution
		fi
		for want in "$mname" "$total"; do
			[ "$want" = - ] && continue
			grep -qF "$want" "$dir/$id.txt" 2>/dev/null && grep -qF "$want" "$dir/team.txt" ||
			    echo "$id: '$want' not in the text of $id.pdf and team.pdf"
		done
	done >"$dir/pdf-check"
	[ -s "$dir/pdf-check" ] && bad "$name: PDF text (pdftotext)" "$dir/pdf-check" ||
	    ok "$name: scorecards and team.pdf yield names and totals (pdftotext)"
}

# ---- d. hand-computed cases: cases/NAME/{input,expected,case.sh} ---------
case_hand() {
	local c name w st word i MONTH STATUS EXIT STDERR_WORDS RUNS final
	for c in "$HERE"/cases/*/; do
		c=${c%/}; name=$(basename "$c"); w=$(newdir "hand-$name")
		RUNS=1; . "$c/case.sh"
		final=; [ "$STATUS" = final ] && final=--final
		: >"$w/err-all"
		for i in $(seq "$RUNS"); do
			kh "$w" "$c/input" run --month "$MONTH" $final; st=$?
			cat "$w/err" >>"$w/err-all"
		done
		expect_status "$name: kaohe run --month $MONTH${final:+ $final} (run $RUNS)" "$EXIT" $st "$w"
		same "$name: kaohe scores.csv = hand" "$c/expected/scores.csv" "$w/output/$MONTH/scores.csv"
		for word in $STDERR_WORDS; do
			grep -q "$word" "$w/err-all" && ok "$name: stderr names $word" ||
			    bad "$name: stderr does not name $word" "$w/err-all"
		done
		pdf_text "$name" "$c/expected/scores.csv" "$w/output/$MONTH" "$w/err-all"
		$ORACLE --input "$c/input" --month "$MONTH" --status "$STATUS" --runs "$RUNS" \
		    >"$w/oracle.csv" 2>/dev/null
		same "$name: oracle scores.csv = hand" "$c/expected/scores.csv" "$w/oracle.csv"
		[ -f "$c/expected/annual.csv" ] || continue
		kh "$w" "$c/input" annual "${MONTH%-*}"
		expect_status "$name: kaohe annual ${MONTH%-*}" 0 $? "$w"
		same "$name: kaohe annual.csv = hand" "$c/expected/annual.csv" "$w/output/${MONTH%-*}/annual.csv"
		$ORACLE --input "$c/input" --annual "${MONTH%-*}" --months "$MONTH" >"$w/oracle-annual.csv" 2>/dev/null
		same "$name: oracle annual.csv = hand" "$c/expected/annual.csv" "$w/oracle-annual.csv"
	done
}

# ---- random months: kaohe against the oracle on generated valid input -------
# rand_month W SEED MONTH [--final]: run one month, compare with the oracle.
rand_month() {
	local w=$1 seed=$2 m=$3 st want status=provisional; shift 3
	[ "${1:-}" = --final ] && status=final
	kh "$w" "$w/in" run --month "$m" "$@"; st=$?
	$ORACLE --input "$w/in" --month "$m" --status $status >"$w/oracle-$m.csv" 2>"$w/oracle.err"
	[ -s "$w/oracle.err" ] && bad "random $seed: the oracle rejects generated input" "$w/oracle.err"
	want=0; grep -q ',incomplete' "$w/oracle-$m.csv" && want=1
	expect_status "random $seed: run --month $m${*:+ $*} (1 iff someone is incomplete)" $want $st "$w"
	same "random $seed: $m scores.csv = oracle" "$w/oracle-$m.csv" "$w/output/$m/scores.csv"
}

# rand_annual W SEED CLOSED-MONTHS
rand_annual() {
	kh "$1" "$1/in" annual 2013
	expect_status "random $2: annual 2013 (closed: $3)" 0 $? "$1"
	$ORACLE --input "$1/in" --annual 2013 --months "$3" >"$1/oracle-annual.csv" 2>/dev/null
	same "random $2: annual.csv (closed: $3) = oracle" "$1/oracle-annual.csv" "$1/output/2013/annual.csv"
}

case_random() {
	local seed w
	for seed in ${GOLDEN_SEEDS:-1 4 11 105}; do
		w=$(newdir "random-$seed")
		python3 "$HERE/randcase.py" --seed "$seed" --out "$w/in" --month 2013-07,2013-08
		rand_month "$w" "$seed" 2013-07 --final
		rand_month "$w" "$seed" 2013-08
		rand_annual "$w" "$seed" 2013-07
		rand_month "$w" "$seed" 2013-08 --final
		rand_annual "$w" "$seed" 2013-07,2013-08
	done
}

# ---- byte-identical copies (other names, a subfolder) are no-ops ----------
case_redelivery() {
	local w c=$HERE/cases/hand-2013-04
	w=$(newdir redelivery); cp -r "$c/input" "$w/in"; mkdir "$w/in/again"
	cp "$w/in/d-orders.xml" "$w/in/again/orders-copy.xml"
	cp "$w/in/e-assessments.xml" "$w/in/again/assessments-copy.xml"
	kh "$w" "$w/in" run --month 2013-04
	expect_status "redelivery: identical copies are no-ops" 0 $? "$w"
	same "redelivery: scores.csv = hand (hand-2013-04)" "$c/expected/scores.csv" "$w/output/2013-04/scores.csv"
}

# ---- one run at a time: a held lock makes the second run wait, then stop ---
case_lock() {
	local w holder st i
	w=$(newdir lock); clean_input "$w/in"
	python3 -c 'import fcntl, os, sys, time
f = open(sys.argv[1], "a+"); fcntl.lockf(f, fcntl.LOCK_EX)
f.seek(0); f.truncate(); f.write("%d\n" % os.getpid()); f.flush()
print("locked", flush=True); time.sleep(60)' "$w/kaohe.db.lock" >"$w/holder.out" &
	holder=$!
	for i in $(seq 50); do grep -q locked "$w/holder.out" && break; sleep 0.1; done
	kh "$w" "$w/in" run --month 2013-05; st=$?
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
	[ $st -ne 0 ] && ok "lock: a second run stops while the lock is held (exit $st)" ||
	    bad "lock: run went ahead while another process held $w/kaohe.db.lock"
	grep -q "$holder" "$w/err" && ok "lock: the message names the holder (pid $holder)" ||
	    bad "lock: stderr does not name pid $holder" "$w/err"
	[ ! -e "$w/output/2013-05/scores.csv" ] && ok "lock: nothing written while locked" ||
	    bad "lock: output written while locked"
	kh "$w" "$w/in" run --month 2013-05
	expect_status "lock: runs once the holder is gone" 0 $? "$w"
}

# ---- e. a closed month refuses input until reopened ------------------------
case_closed() {
	local w st
	w=$(newdir closed); clean_input "$w/in"
	kh "$w" "$w/in" run --month 2013-05 --final; st=$?
	expect_status "closed: run --final" 0 $st "$w"
	cat >"$w/late.xml" <<-'EOF'
	<?xml version="1.0" encoding="UTF-8"?>
	<export kind="assessments" unit="530421" period="2013-05-30" generated="2013-06-03T09:00:00+08:00">
	  <record id="KH20130530001" date="2013-05-30" manager="KM002" item="8.1"
	          recorder="刘洋" role="组长" note="未按时参加学习培训"/>
	</export>
	EOF
	kh "$w" "$w/in" import "$w/late.xml"; st=$?
	expect_status "closed: import into the closed month refused" 1 $st "$w"
	grep -q '2013-05' "$w/err" && ok "closed: refusal names the month" ||
	    bad "closed: refusal does not name 2013-05" "$w/err"
	kh "$w" "$w/in" reopen 2013-05 --reason "复核"
	expect_status "closed: reopen 2013-05 --reason 复核" 0 $? "$w"
	kh "$w" "$w/in" import "$w/late.xml"
	expect_status "closed: import after reopening" 0 $? "$w"
	kh "$w" "$w/in" trail --month 2013-05; st=$?
	expect_status "closed: trail --month 2013-05" 0 $st "$w"
	grep -q '复核' "$w/out" && ok "closed: trail shows the reopen reason" ||
	    bad "closed: trail does not show 复核" "$w/out"
	# closing it again scores the late record (KM002 8.1, −0.50)
	cp "$w/late.xml" "$w/in/late.xml"
	kh "$w" "$w/in" run --month 2013-05 --final
	expect_status "closed: run --final after reopening" 0 $? "$w"
	$ORACLE --input "$w/in" --month 2013-05 --status final >"$w/oracle.csv" 2>/dev/null
	same "closed: rescored month = oracle (late record counted)" "$w/oracle.csv" "$w/output/2013-05/scores.csv"
	# a month with no data cannot be closed, and stays open
	kh "$w" "$w/in" close 2013-09
	expect_status "closed: close of a month without data refused" 1 $? "$w"
	grep -q '2013-09 not closed' "$w/err" && ok "closed: refusal says the month stays open" ||
	    bad "closed: no 'not closed' message for 2013-09" "$w/err"
	kh "$w" "$w/in" trail --month 2013-09
	grep -q 'close' "$w/out" && bad "closed: 2013-09 has a close event" "$w/out" ||
	    ok "closed: 2013-09 has no close event"
}

# ---- f. verify catches a changed output ------------------------------------
case_verify() {
	local w pdf
	w=$(newdir verify); clean_input "$w/in"
	kh "$w" "$w/in" run --month 2013-05 --final
	kh "$w" "$w/in" verify; expect_status "verify: after a run" 0 $? "$w"
	pdf=$w/output/2013-05/team.pdf
	[ -f "$pdf" ] || pdf=$(find "$w/output" -name '*.pdf' | sort | head -n 1)
	if [ -z "$pdf" ] || [ ! -f "$pdf" ]; then bad "verify: no PDF under output/"; return; fi
	python3 -c 'import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); i = len(b) // 2
b[i] ^= 0x01; open(p, "wb").write(bytes(b))' "$pdf"
	kh "$w" "$w/in" verify; st=$?
	[ $st -ne 0 ] && ok "verify: a changed PDF fails (exit $st)" ||
	    bad "verify: exit 0 after $(basename "$pdf") was changed" "$w/out" "$w/err"
	grep -q "$(basename "$pdf")" "$w/out" "$w/err" && ok "verify: names $(basename "$pdf")" ||
	    bad "verify: does not name $(basename "$pdf")" "$w/out" "$w/err"
	# a scorecard removed, a score edited in the payroll file
	rm -f "$w/output/2013-05/scorecards/KM002.pdf"
	sed -i 's/,91\.36,/,99.36,/' "$w/output/2013-05/scores.csv"
	kh "$w" "$w/in" verify; st=$?
	[ $st -ne 0 ] && ok "verify: a removed PDF and an edited scores.csv fail (exit $st)" ||
	    bad "verify: exit 0 with KM002.pdf removed and scores.csv edited" "$w/out" "$w/err"
	for f in KM002.pdf scores.csv; do
		grep -q "$f" "$w/out" "$w/err" && ok "verify: names $f" ||
		    bad "verify: does not name $f" "$w/out" "$w/err"
	done
}

# ---- texts: what the documents and `kaohe trail` say, diffed (mandoc-style)
# The sample's April and May closed and the year, on a fixed clock and
# time zone (KAOHE_NOW, TZ: no tzdata needed), so that every word and
# number is reproducible; the text of each kind of document and of the
# trail is compared with sample/expected/texts/ (GOLDEN_BLESS=1 rewrites
# them: read the diff before you commit it).
case_texts() {
	local w exp=$HERE/sample/expected/texts name src
	if ! command -v pdftotext >/dev/null 2>&1; then
		echo "skip texts: no pdftotext"; return
	fi
	w=$(newdir texts)
	export KAOHE_NOW=2013-06-03T08:00:00+08:00 TZ=CST-8
	kh "$w" "$SAMPLE" run --month 2013-04 --final
	kh "$w" "$SAMPLE" run --month 2013-05 --final
	kh "$w" "$SAMPLE" annual 2013
	kh "$w" "$SAMPLE" trail --month 2013-05; cp "$w/out" "$w/trail-2013-05.txt"
	unset KAOHE_NOW TZ
	for name in team-2013-05:2013-05/team.pdf trail-2013-05-pdf:2013-05/trail.pdf \
	    scorecard-KM001-2013-05:2013-05/scorecards/KM001.pdf annual-2013:2013/annual.pdf; do
		src=${name#*:}; name=${name%%:*}
		pdftotext -layout "$w/output/$src" "$w/$name.txt" 2>/dev/null ||
		    bad "texts: pdftotext $src"
	done
	for name in trail-2013-05 team-2013-05 trail-2013-05-pdf \
	    scorecard-KM001-2013-05 annual-2013; do
		[ "${GOLDEN_BLESS:-0}" = 1 ] && mkdir -p "$exp" && cp "$w/$name.txt" "$exp/"
		same "texts: $name" "$exp/$name.txt" "$w/$name.txt"
	done
}

case_hand
case_texts
case_random
case_status
case_closed
case_redelivery
case_lock
case_verify
case_idempotent
case_sample

echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
