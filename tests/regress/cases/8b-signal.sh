# Issue 8: SIGTERM (cron's timeout, shutdown) stops a run cleanly: exit 3
# "interrupted by SIGTERM", nothing half-written, no build folder or
# temporary file left, and the next run ends as if none had been stopped.
# Every signal lands at a known step: kaohe stops itself there
# (KAOHE_CRASHPOINT=NAME:N:stop), is signalled, then let go (SIGCONT).
sample 2013-04 2013-05
mkdir -p "$W/tmp"
export TMPDIR="$W/tmp"
bg() {		# bg POINT ARGS...: kaohe stopped at POINT, pid in $pid
	local point=$1; shift
	KAOHE_CRASHPOINT=$point "$KAOHE" --db "$W/kaohe.db" --output "$W/output" \
	    --input "$W/input" --templates "$W/templates" "$@" >"$W/out" 2>"$W/err" &
	pid=$!
	wait_stopped "$pid" && ok "stopped at $point" || bad "never reached $point" "$W/err"
}
signal() {	# signal SIG: signal the stopped $pid, let it go, status in $_last
	kill -"$1" "$pid"; kill -CONT "$pid"; wait "$pid"; _last=$?
}
clean() {	# NAME: no build folder, no temporary file, the record intact
	local left
	left=$(ls -A "$W/output" 2>/dev/null | grep '^\.' ; ls -A "$W/tmp")
	[ -z "$left" ] && ok "$1: nothing left behind" || bad "$1: left behind: $left"
	timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" verify >"$W/vout" 2>&1
	grep -q "is intact" "$W/vout" && ok "$1: record intact" || bad "$1: verify" "$W/vout"
}

# the undisturbed run, for comparison
timeout 120 "$KAOHE" --db "$W/ref.db" --output "$W/ref" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >/dev/null 2>&1

# 1. during the import of the first run (after its third file)
bg import-file:3:stop run --month 2013-05
signal TERM
expect "SIGTERM during the import" 3
expect_err "says so" "interrupted by SIGTERM"
[ "$(sql1 'SELECT count(*) FROM files')" = 3 ] && ok "the three files imported are kept, nothing after" ||
	bad "files kept: $(sql1 'SELECT count(*) FROM files')"
clean "import"

# 2. during the rendering (after the fourth scorecard)
timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >"$W/out" 2>"$W/err"
_last=$?; expect "the run after an interrupted import" 0
before=$(out_digest)
sql "SELECT 1" >/dev/null
bg render-doc:4:stop render --month 2013-05
signal TERM
expect "SIGTERM during the rendering" 3
expect_err "says so" "interrupted by SIGTERM"
same_digest "render: the month's outputs as they were" "$before" "$(out_digest)"
clean "render"

# 3. waiting for the lock (held by a run stopped after its first file)
bg import-file:1:stop import "$W/input/2013-04/roster.xml" "$W/input/2013-04/brands.xml"
holder=$pid
"$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >"$W/out" 2>"$W/err" &
pid=$!
sleep 1		# the lock is waited for 5 s: it is waiting now
kill -0 "$pid" 2>/dev/null && ok "the second run waits for the lock" || bad "the second run did not wait"
start=$(date +%s)
kill -HUP "$pid"; wait "$pid"; _last=$?
expect "SIGHUP while waiting for the lock" 3
expect_err "says so" "interrupted by SIGHUP"
[ $(( $(date +%s) - start )) -lt 3 ] && ok "stopped at once" || bad "waited on"
pid=$holder; signal TERM
expect "the holder, signalled at its stop" 3
clean "lock"

# the next run ends as an undisturbed one
timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >"$W/out" 2>"$W/err"
_last=$?; expect "the run after" 0
cmp -s "$W/ref/2013-05/scores.csv" "$W/output/2013-05/scores.csv" &&
	ok "same scores.csv as an undisturbed run" || bad "scores.csv differs"
