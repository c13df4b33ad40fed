# Issue 8: `run` ignored *.XML and names without .xml, silently.  Any
# name is an export (the kind is read from the root); junk is refused by
# name ("not an export"), hidden files are listed under -v.
sample 2013-05
export KAOHE_NOW=2013-06-01T06:00:00+08:00
k -q run --month 2013-05; expect "with the usual names" 0
cp "$W/output/2013-05/scores.csv" "$W/scores-usual.csv"
rm -rf "$W/kaohe.db" "$W/output"

mv "$W/input/2013-05/targets-adjust-0515.xml" "$W/input/2013-05/TARGETS-ADJUST.XML"
mv "$W/input/2013-05/brands.xml" "$W/input/2013-05/brands"
mv "$W/input/2013-05/orders/orders-2013-05-31.xml" "$W/input/2013-05/orders/31.export"
echo "exports arrive here nightly" >"$W/input/README.txt"
: >"$W/input/2013-05/.roster.xml.swp"
k -v run --month 2013-05; expect "junk refused" 1
expect_out ".XML imported" 'TARGETS-ADJUST\.XML: targets 2013-05: 59 targets; imported, supersedes'
expect_out "no extension imported" '2013-05/brands: brands 2013-05: 30 brands; imported'
expect_out "any extension imported" '31\.export: orders 2013-05-31: '
expect_err "junk named" 'README\.txt:1: not an export: '
expect_out "hidden file listed under -v" '\.roster\.xml\.swp: hidden, not read'
if cmp -s "$W/scores-usual.csv" "$W/output/2013-05/scores.csv"; then
	ok "the same scores whatever the names"
else bad "scores differ" "$W/output/2013-05/scores.csv"; fi
