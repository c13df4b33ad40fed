# Issue 7: a database written by kaohe before the results joined the chain
# (schema 1: tests/regress/fixtures/v1-hand-2013-04.sql, April of the
# golden hand case closed) is brought up to date by the first writing
# command: its runs, output ledger and notes are adopted into the chain,
# and from then on it verifies like a new one.
mkdir -p "$W/input"; cp -R "$ROOT/templates" "$W/templates"
python3 - "$W/kaohe.db" "$ROOT/tests/regress/fixtures/v1-hand-2013-04.sql" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.executescript(open(sys.argv[2]).read()); db.commit()
PY
[ "$(sql1 'PRAGMA user_version')" = 1 ] && ok "the fixture is schema 1" || bad "fixture not schema 1"
k verify; expect "verify does not migrate (read-only)" 3
expect_err "it says how to" "schema version 1"
k render --month 2013-04; expect "a writing command migrates and publishes" 0
[ "$(sql1 'PRAGMA user_version')" -ge 3 ] && ok "now the current schema" || bad "not migrated"
[ "$(sql1 "SELECT count(*) FROM score_run WHERE id NOT IN (SELECT rid FROM chain WHERE tbl = 'score_run')")" = 0 ] &&
	ok "every old run adopted into the chain" || bad "runs left outside the chain"
grep -q ',final' "$W/output/2013-04/scores.csv" && ok "April still final" || bad "April not final"
k verify; expect "the migrated record verifies" 0
# and it is sealed like a new one: a planted change is found
sql "DROP TRIGGER score_result_no_update; UPDATE score_result SET total = total + 100 WHERE run_id = 1"
k verify; expect "a change to an adopted run is caught" 4
