# Issue 8: a million order lines of 1e11 元 each (legal before) summed past
# int64_t and came out as negative billions in scores.csv.  Now an order
# line holds at most 1,000,000 条 and 1,000,000,000.00 元: the file is
# rejected naming file and line, the month is scored without it.  A line
# right at the bounds is accepted and scored; and a month whose stored
# sums lie beyond every bound (rows written into the database, as 10
# million lines a file would) makes that one manager incomplete, naming
# the indicator, while the team is still scored.
sample 2013-05

no_negative() {	# scores.csv: no cell is a negative number
	if python3 - "$W/output/2013-05/scores.csv" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
sys.exit(any(re.fullmatch(r"-\d+\.\d\d", c) for r in rows[1:] for c in r[4:]))
PY
	then ok "$1: no negative number in scores.csv"
	else bad "$1: a negative number in scores.csv" "$W/output/2013-05/scores.csv"; fi
}

# 1,000,000 lines of 100,000,000,000.00 元 (1e13 分): 1e19 分 in all
python3 - "$W/input/2013-05/orders/huge.xml" <<'PY'
import re, sys
brands = re.findall(r'code="(\d+)"', open(sys.argv[1].rsplit("/", 2)[0] + "/brands.xml").read())
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<export kind="orders" unit="530421" '
            'period="2013-05-25" generated="2013-05-25T23:00:00+08:00">\n')
    for o in range(10000):
        f.write('<order id="DX%06d" date="2013-05-25" customer="530421100001" manager="KM001">\n' % o)
        f.write("".join('<line brand="%s" qty="1" amount="100000000000.00"/>\n'
                        % brands[(o * 100 + i) % len(brands)] for i in range(100)))
        f.write('</order>\n')
    f.write('</export>\n')
PY
k run --month 2013-05
expect "huge amounts rejected" 1
expect_err "file and line named" 'huge\.xml:4: <line id="DX000000">: amount 100000000000\.00 元 is more than an order line can plausibly hold \(at most 1000000000\.00 元\)'
if python3 - "$W/kaohe.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
sys.exit(db.execute("SELECT count(*) FROM files WHERE period = '2013-05-25'").fetchone()[0] != 0)
PY
then ok "nothing of the rejected file kept"; else bad "the rejected file is in the database"; fi
no_negative "rejected file"
grep -q '^2013-05,KM001,张伟,城区一组,[0-9]' "$W/output/2013-05/scores.csv" &&
    ok "KM001 scored from the other files" || bad "KM001 not scored" "$W/output/2013-05/scores.csv"

# right at the line bounds: accepted, and KM002 scored with it
rm "$W/input/2013-05/orders/huge.xml"
cat >"$W/input/2013-05/orders/edge.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<export kind="orders" unit="530421" period="2013-05-26" generated="2013-05-26T23:00:00+08:00">
<order id="DX1" date="2013-05-26" customer="530421100031" manager="KM002">
<line brand="6901028101271" qty="1000000" amount="1000000000.00"/>
</order>
</export>
XML
k run --month 2013-05
expect "a line at the bounds is accepted" 0
no_negative "line at the bounds"
grep -qE '^2013-05,KM002,李娜,[^,]*,20\.00,' "$W/output/2013-05/scores.csv" &&
    ok "KM002's 4,000 箱 fill total_volume (20.00)" ||
    bad "KM002 not scored with the edge line" "$W/output/2013-05/scores.csv"

# stored sums past int64_t: SQLite's sum() used to stop the month with
# "integer overflow"; now KM003 alone is incomplete and the team scored
python3 - "$W/kaohe.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER order_volumes_no_update;"
                 "UPDATE order_volumes SET qty = 4000000000000000000 WHERE manager = 'KM003';")
db.commit()
PY
k score --month 2013-05
expect "implausible stored sums: done, one manager incomplete" 1
expect_err "manager and indicator named" '2013-05: KM003 王磊 is incomplete: 卷烟总销量（total_volume）：当月订单数量合计超出合理范围（0 至 10000000000000 条）'
k render --month 2013-05
expect "render" 0
grep -q '^2013-05,KM003,王磊,[^,]*,,,,,,,,,,,,,incomplete' "$W/output/2013-05/scores.csv" &&
    ok "KM003 incomplete in scores.csv" || bad "KM003 row" "$W/output/2013-05/scores.csv"
[ "$(grep -c ',provisional' "$W/output/2013-05/scores.csv")" -eq 9 ] &&
    ok "the other nine managers scored" || bad "team not scored" "$W/output/2013-05/scores.csv"
no_negative "stored sums beyond the bounds"
