# Issue 8: one typo was permanent.  A targets file "generated" in 2031
# stayed in force for good (the corrected file was "already superseded",
# exit 0); a roster for period 2031-05 made every later run work on
# 2031-05.  Both are refused against the clock (KAOHE_NOW here, so that
# the case does not depend on the machine's), and the corrected file
# goes in.
sample
export KAOHE_NOW=2013-06-01T06:00:00+08:00
k run --month 2013-05; expect "the sample" 0
db0=$(db_digest)

sed 's/generated="[^"]*"/generated="2031-05-16T09:00:00+08:00"/' \
    "$W/input/2013-05/targets-adjust-0515.xml" >"$W/input/2013-05/targets-typo.xml"
sed 's/period="2013-05"/period="2031-05"/' "$W/input/2013-05/roster.xml" \
    >"$W/input/2013-05/roster-2031.xml"
k run; expect "typos refused" 1
expect_err "targets from 2031 named" \
    'targets-typo\.xml:2: <export>: generated 2031-05-16T09:00:00\+08:00 is later than the clock'
expect_err "period 2031-05 named" \
    'roster-2031\.xml:2: <export>: period 2031-05 is more than one month ahead of the clock'
expect_out "the run works on May" '^2013-05 scored'
same_digest "database unchanged" "$db0" "$(db_digest)"

# the corrected adjustment, generated after the one in force, goes in
sed 's/generated="[^"]*"/generated="2013-05-19T09:00:00+08:00"/' \
    "$W/input/2013-05/targets-adjust-0515.xml" >"$W/input/2013-05/targets-fixed.xml"
sed -i 's/value="\([0-9]*\)\.00"/value="\1.50"/' "$W/input/2013-05/targets-fixed.xml"
rm "$W/input/2013-05/targets-typo.xml" "$W/input/2013-05/roster-2031.xml"
k -q run; expect "the corrected file" 0
k trail --month 2013-05
if grep -q 'targets-fixed.xml' "$W/out"; then ok "the corrected file is on record"
else bad "the corrected file is not on record" "$W/out"; fi
