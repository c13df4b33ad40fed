# Issue 7: run --final committed the close before the outputs existed: a
# failure in between left "closed" with provisional files, exit 3.  Now
# a month is closed only together with its final outputs.
sample 2013-04
k -q run --month 2013-04; expect "provisional April" 0
out_before=$(out_digest)
db_before=$(db_digest)
# rendering fails (a broken layout stands in for a full disk)
cp "$W/templates/layouts/team.xml" "$W/team.xml"
sed -i 's/<text id="footer"/<text id="footer" bogus="1"/; s/{chain_seq}/{no_such_placeholder}/' "$W/templates/layouts/team.xml"
k run --month 2013-04 --final; expect "the final run fails" 3
expect_err "it says the month stays open" "not closed: it stays open"
same_digest "previous outputs in place" "$out_before" "$(out_digest)"
same_digest "nothing recorded" "$db_before" "$(db_digest)"
grep -q ',provisional' "$W/output/2013-04/scores.csv" && ok "scores.csv still provisional" || bad "scores.csv changed"
cp "$W/team.xml" "$W/templates/layouts/team.xml"
k -q run --month 2013-04 --final; expect "once fixed, it closes" 0
grep -q ',final' "$W/output/2013-04/scores.csv" && ok "scores.csv final" || bad "scores.csv not final"
k verify; expect "and verifies" 0
