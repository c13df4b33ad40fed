# Issue 8: one export of a year without a scheme (a 2012-12 file left in
# input/) made every run exit 3 with "no assessment scheme for 2012",
# naming no file, importing and rendering nothing.  Only the file that
# needs the scheme (targets: indicator codes) is refused, by name; the
# roster of 2012-12 needs none and goes in; April and May are imported,
# scored and rendered.
sample
export KAOHE_NOW=2013-06-01T06:00:00+08:00
mkdir -p "$W/input/old"
sed 's/period="2013-05"/period="2012-12"/; s/generated="2013-05-/generated="2012-12-/' \
    "$W/input/2013-05/roster.xml" >"$W/input/old/roster-2012-12.xml"
sed 's/period="2013-05"/period="2012-12"/; s/generated="2013-05-/generated="2012-12-/' \
    "$W/input/2013-05/targets.xml" >"$W/input/old/targets-2012-12.xml"
ls "$W/templates"/scheme-2012.xml >/dev/null 2>&1 && bad "the sample has a 2012 scheme"

k run; expect "one old file" 1
expect_err "the targets file is named" \
    'targets-2012-12\.xml:2: <export>: a targets file is checked against the assessment scheme of 2012 \(its indicator codes\): no assessment scheme for 2012'
if grep -q 'roster-2012-12' "$W/err"; then bad "the roster needs no scheme" "$W/err"
else ok "the 2012 roster is not refused"; fi
expect_out "the 2012 roster imported" 'roster-2012-12\.xml: roster 2012-12: 10 managers'
expect_out "May scored" '^2013-05 scored: 10 managers'
[ -s "$W/output/2013-05/scores.csv" ] && [ -s "$W/output/2013-05/team.pdf" ] &&
    ok "May rendered" || bad "May not rendered"
k run --month 2013-04; expect "April still runs" 1
[ -s "$W/output/2013-04/scores.csv" ] && ok "April rendered" || bad "April not rendered"
