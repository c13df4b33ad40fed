# lib.sh — helpers for tests/regress/cases/*.sh (sourced by run.sh).
#
# Each case has $KAOHE, $ROOT (the checkout), $W (its own empty folder)
# and $CASE.  Conventions:
#   k ARGS...            kaohe with --db $W/kaohe.db --output $W/output
#                        --input $W/input --templates $W/templates;
#                        stdout/stderr in $W/out and $W/err; returns status
#   sample [MONTHS...]   copy the bundled input (all months, or those named)
#                        to $W/input, and templates to $W/templates
#   expect NAME STATUS   the last k's status must be STATUS
#   expect_err NAME RE   the last k's stderr must match the extended RE
#   db_digest            a digest of every row of every table ($W/kaohe.db)
#   out_digest           a digest of every file under $W/output
#   ok NAME / bad NAME [DETAIL]
set -u
_fails=0
_last=0
ok()  { echo "ok   $CASE: $1"; }
bad() { _fails=$((_fails + 1)); echo "FAIL $CASE: $1"; shift
	for d in "$@"; do
		if [ -f "$d" ]; then head -n 30 "$d"; else printf '%s\n' "$d"; fi
	done | sed 's/^/       /'; }
finish() { return 0; }

sample() {
	mkdir -p "$W/input"
	cp -R "$ROOT/templates" "$W/templates"
	if [ $# -eq 0 ]; then cp -R "$ROOT/input/." "$W/input/"
	else for m in "$@"; do cp -R "$ROOT/input/$m" "$W/input/"; done; fi
}

k() {
	timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" \
	    --input "$W/input" --templates "$W/templates" "$@" \
	    >"$W/out" 2>"$W/err"
	_last=$?
	if grep -qE 'Sanitizer|runtime error:' "$W/err"; then
		bad "kaohe $*: sanitizer report" "$W/err"
	fi
	return $_last
}

expect() {
	if [ "$_last" -eq "$2" ]; then ok "$1 (exit $_last)"
	else bad "$1: exit $_last, expected $2" "$W/err" "$W/out"; fi
}

expect_err() {
	if grep -qE -- "$2" "$W/err"; then ok "$1"
	else bad "$1: stderr does not match /$2/" "$W/err"; fi
}

expect_out() {
	if grep -qE -- "$2" "$W/out"; then ok "$1"
	else bad "$1: stdout does not match /$2/" "$W/out"; fi
}

db_digest() {
	[ -e "$W/kaohe.db" ] || { echo "no database"; return; }
	python3 - "$W/kaohe.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
h = hashlib.sha256()
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
    h.update(t.encode())
    for row in sorted(repr(r) for r in db.execute('SELECT * FROM "%s"' % t)):
        h.update(row.encode())
print(h.hexdigest())
PY
}

out_digest() {
	[ -d "$W/output" ] || { echo "no output"; return; }
	(cd "$W/output" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) |
	    sha256sum | cut -d' ' -f1
}

# same_digest NAME BEFORE AFTER
same_digest() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: changed"; fi
}

# sql STATEMENTS: run SQL on $W/kaohe.db as a hostile sqlite3 shell would
# (plain connection: foreign keys off, triggers in place unless dropped).
sql() {
	python3 - "$W/kaohe.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.executescript(sys.argv[2])
PY
}

# sql1 QUERY: the first column of the first row.
sql1() {
	python3 - "$W/kaohe.db" "$1" <<'PY'
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print("" if r is None else r[0])
PY
}

# wait_stopped PID: wait (up to 10 s) until PID is stopped at its
# KAOHE_CRASHPOINT=NAME:N:stop; 0 if it is, 1 if it ended or never did.
wait_stopped() {
	local i st
	for i in $(seq 200); do
		st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
		[ "$st" = T ] && return 0
		sleep 0.05
	done
	return 1
}
