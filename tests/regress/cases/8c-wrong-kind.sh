# Issue 8: a wrong or empty export must not wipe a month.  A roster
# relabelled kind="orders" used to be imported as an empty month orders
# file (every day file superseded, everyone's sales zero, exit 0); a
# roster without <manager> replaced the real one (0 managers, a
# header-only scores.csv).  Both are refused by name, nothing changes.
sample
export KAOHE_NOW=2013-06-01T06:00:00+08:00
k run --month 2013-05; expect "the sample month" 0
db0=$(db_digest); out0=$(out_digest)

sed 's/kind="roster"/kind="orders"/' "$W/input/2013-05/roster.xml" \
    >"$W/input/2013-05/roster-as-orders.xml"
k run --month 2013-05; expect "roster relabelled orders" 1
expect_err "named, with its line" \
    'roster-as-orders\.xml:3: <manager>: this element belongs in a roster file, not in this orders file'
same_digest "relabelled: database unchanged" "$db0" "$(db_digest)"
same_digest "relabelled: sales and outputs unchanged" "$out0" "$(out_digest)"
rm "$W/input/2013-05/roster-as-orders.xml"

# the real roster's root, no <manager>, generated later: it would supersede
sed -n '1,2p' "$W/input/2013-05/roster.xml" |
    sed 's/generated="[^"]*"/generated="2013-05-31T20:00:00+08:00"/' \
    >"$W/input/2013-05/roster-empty.xml"
echo '</export>' >>"$W/input/2013-05/roster-empty.xml"
k run --month 2013-05; expect "empty roster" 1
expect_err "empty roster named" \
    'roster-empty\.xml:2: <export>: no <manager> in this roster file: an empty roster 2013-05 would replace the one in force'
same_digest "empty roster: database unchanged" "$db0" "$(db_digest)"
same_digest "empty roster: outputs unchanged" "$out0" "$(out_digest)"
if [ "$(wc -l <"$W/output/2013-05/scores.csv")" -gt 1 ]; then
	ok "scores.csv still has every manager"
else bad "scores.csv lost its managers" "$W/output/2013-05/scores.csv"; fi
