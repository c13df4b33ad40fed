# Issue 7, attack 3: rows inserted for the next file id (max + 1) were
# absorbed into that file's digest when it arrived: results changed and
# verify passed.  Now import refuses to start (status 3, nothing written)
# and verify names the orphans.
sample 2013-04
mv "$W/input/2013-04/assessments" "$W/later"
k -q run --month 2013-04; expect "April without assessments" 0
next=$(( $(sql1 "SELECT max(id) FROM files") + 1 ))
sql "INSERT INTO records (id, file_id, date, month, manager, item, count, customer, value,
       required, points, decision, recorder, role, note)
     VALUES ('FAKE1', $next, '2013-04-30', '2013-04', 'KM001', '10.2', 1, '', NULL, NULL, 1000,
       '奖励', '某人', '组长', 'planted')"
before=$(db_digest)
mv "$W/later" "$W/input/2013-04/assessments"
k run --month 2013-04; expect "import refuses the dirty slot" 3
expect_err "it says why" "tampered with: records rows already name files $next"
same_digest "nothing written" "$before" "$(db_digest)"
k verify; expect "verify fails" 4
expect_err "verify names the orphan" "records row [0-9]+ (names a files that does not exist|was added outside the chain)"
