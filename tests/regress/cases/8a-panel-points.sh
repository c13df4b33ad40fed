# Issue 8: nothing bounded a panel's points.  A thousand panel bonuses of
# 1e16 points each (legal before) wrapped the month's bonuses around, and
# a typo (-200 for -2.00) would wipe out a month.  Now each panel item has
# max-points in the scheme (templates/README.md) and a record beyond it
# rejects its file, naming file, line and record id; a scheme without
# max-points on a panel item is refused.
sample 2013-05
asm="$W/input/2013-05/assessments"
bonuses() {	# bonuses column of manager $1 in scores.csv
	python3 - "$W/output/2013-05/scores.csv" "$1" <<'PY'
import csv, sys
for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig")):
    if r[1] == sys.argv[2]:
        print(r[12])
PY
}
k run --month 2013-05
expect "the sample month" 0
before=$(bonuses KM004)

python3 - "$asm/panel-flood.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<export kind="assessments" unit="530421" '
            'period="2013-05-29" generated="2013-05-29T20:00:00+08:00">\n')
    for i in range(1000):
        f.write('<record id="KHP%04d" date="2013-05-29" manager="KM004" item="10.2" '
                'points="10000000000000000" decision="考评小组" recorder="刘洋" role="组长"/>\n' % i)
    f.write('</export>\n')
PY
cat >"$asm/panel-typo.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<export kind="assessments" unit="530421" period="2013-05-30" generated="2013-05-30T20:00:00+08:00">
<record id="KHT1" date="2013-05-30" manager="KM002" item="10.1" points="-200" decision="考评小组2013年第6次会议" recorder="刘洋" role="组长"/>
</export>
XML
cat >"$asm/panel-max.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<export kind="assessments" unit="530421" period="2013-05-30" generated="2013-05-30T21:00:00+08:00">
<record id="KHM1" date="2013-05-30" manager="KM004" item="10.4" points="10.00" decision="考评小组2013年第6次会议" recorder="刘洋" role="组长"/>
</export>
XML
k run --month 2013-05
expect "two files rejected, one accepted" 1
expect_err "flood named" 'panel-flood\.xml:3: <record id="KHP0000">: points 10000000000000000\.00 of panel item 10\.2 are beyond the scheme.s max-points 10\.00'
expect_err "typo named" 'panel-typo\.xml:3: <record id="KHT1">: points -200\.00 of panel item 10\.1 are beyond the scheme.s max-points 40\.00'
after=$(bonuses KM004)
if python3 -c "import sys; sys.exit(round(float('$after') - float('$before'), 2) != 10.0)"; then
	ok "KM004: only the record at max-points counts ($before -> $after)"
else
	bad "KM004's bonuses $before -> $after" "$W/output/2013-05/scores.csv"
fi
grep -qE ',-[0-9]' "$W/output/2013-05/scores.csv" && bad "a negative number" "$W/output/2013-05/scores.csv" ||
    ok "no negative number in scores.csv"

# a panel item without max-points: the scheme is refused, naming the item
sed -i 's/ kind="panel" sign="bonus" max-points="10" text="合理化/ kind="panel" sign="bonus" text="合理化/' \
    "$W/templates/scheme-2013.xml"
k run --month 2013-05
expect "scheme without max-points refused" 3
expect_err "item named" 'scheme-2013\.xml:[0-9]+: <item id="10\.4">: scheme: panel item 10\.4 needs max-points'
