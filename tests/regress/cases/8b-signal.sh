# Issue 8: SIGTERM (cron's timeout, shutdown) stops a run cleanly: exit 3
# "interrupted by SIGTERM", nothing half-written, no build folder or
# temporary file left, and the next run ends as if none had been stopped.
sample 2013-04 2013-05
mkdir -p "$W/tmp"
export TMPDIR="$W/tmp"
bg() {		# bg ARGS...: kaohe in the background, pid in $pid
	"$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
	    --templates "$W/templates" "$@" >"$W/out" 2>"$W/err" &
	pid=$!
}
stop() {	# stop SIG: signal $pid, its status in $_last
	kill -"$1" "$pid" 2>/dev/null; wait "$pid"; _last=$?
}
clean() {	# NAME: no build folder, no temporary file, the chain intact
	local left
	left=$(ls -A "$W/output" 2>/dev/null | grep '^\.' ; ls -A "$W/tmp")
	[ -z "$left" ] && ok "$1: nothing left behind" || bad "$1: left behind: $left"
	timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" \
	    --templates "$W/templates" verify >"$W/vout" 2>&1
	grep -q "is intact" "$W/vout" && ok "$1: chain intact" || bad "$1: chain check" "$W/vout"
}

# the undisturbed run, for comparison
timeout 120 "$KAOHE" --db "$W/ref.db" --output "$W/ref" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >/dev/null 2>&1

# 1. during the import of the first run
bg run --month 2013-05
for _ in $(seq 200); do [ -s "$W/kaohe.db" ] && break; sleep 0.01; done
sleep 0.05
stop TERM
expect "SIGTERM during the import" 3
expect_err "says so" "interrupted by SIGTERM"
clean "import"

# 2. during the rendering (retried if the render won the race)
timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >"$W/out" 2>"$W/err"
_last=$?; expect "the run after an interrupted import" 0
before=$(out_digest)
for try in 1 2 3; do
	bg render --month 2013-05
	for _ in $(seq 500); do
		[ -d "$W/output/.2013-05.tmp-$pid" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.002
	done
	stop TERM
	[ "$_last" -ne 0 ] && break
done
expect "SIGTERM during the rendering" 3
expect_err "says so" "interrupted by SIGTERM"
same_digest "render: the month's outputs as they were" "$before" "$(out_digest)"
clean "render"

# 3. waiting for the lock (held by an import blocked reading a pipe)
mkfifo "$W/slow.xml"
bg import "$W/slow.xml"; holder=$pid
for _ in $(seq 50); do
	grep -q "^$holder\$" "$W/kaohe.db.lock" 2>/dev/null && break; sleep 0.1
done
bg run --month 2013-05
sleep 0.5
start=$(date +%s)
stop HUP	# (a background job ignores SIGINT, and so does kaohe then)
expect "SIGHUP while waiting for the lock" 3
expect_err "says so" "interrupted by SIGHUP"
[ $(( $(date +%s) - start )) -lt 3 ] && ok "stopped at once" || bad "waited on"
kill -TERM "$holder"; sleep 0.3	# blocked for good: a second one kills
pid=$holder; stop TERM
[ "$_last" -eq 143 ] && ok "a second SIGTERM kills" || bad "second SIGTERM: exit $_last"
clean "lock"

# the next run ends as an undisturbed one
timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --input "$W/input" \
    --templates "$W/templates" run --month 2013-05 >"$W/out" 2>"$W/err"
_last=$?; expect "the run after" 0
cmp -s "$W/ref/2013-05/scores.csv" "$W/output/2013-05/scores.csv" &&
	ok "same scores.csv as an undisturbed run" || bad "scores.csv differs"
