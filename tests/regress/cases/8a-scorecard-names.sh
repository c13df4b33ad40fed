# Issue 8: two managers, one scorecard.  Ids ".a" and "_.a" both became
# scorecards/_.a.pdf: one card lost while the run counted both.  Now each
# id has its own file (src/fname.h): letters, digits, "_" and "-" as they
# are, any other byte and a leading "-" as %XX, never a leading dot.
sample 2013-05
python3 - "$W/input/2013-05/roster.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
extra = "".join('  <manager id="%s" name="经理%d" group="测试组" status="active" from="2013-01-01"/>\n'
                % (m, i) for i, m in enumerate([".a", "_.a", "..", "a.", "-a", "NUL"]))
s = s.replace("  <customer ", extra + "  <customer ", 1)
open(p, "w", encoding="utf-8").write(s)
PY
k run --month 2013-05
expect "run (the new managers have no targets: incomplete)" 1
cards="$W/output/2013-05/scorecards"
for f in KM001 KM010 %2Ea _%2Ea %2E%2E a%2E %2Da %4EUL; do
	[ -f "$cards/$f.pdf" ] && ok "scorecards/$f.pdf" || bad "no scorecards/$f.pdf" "$(ls "$cards")"
done
n=$(ls -A "$cards" | wc -l)
[ "$n" -eq 16 ] && ok "16 managers, 16 scorecards" || bad "$n scorecards for 16 managers" "$(ls -A "$cards")"
ls -A "$cards" | grep -q '^[.-]' && bad "a scorecard name starts with . or -" "$(ls -A "$cards")" ||
    ok "no scorecard name starts with . or -"
# each card is the right manager's: its id is printed on it
for pair in "%2Ea:.a" "_%2Ea:_.a" "%2E%2E:.." "%2Da:-a"; do
	f=${pair%%:*} id=${pair#*:}
	if pdftotext -layout "$cards/$f.pdf" - 2>/dev/null | grep -qF -- "编号：$id "; then
		ok "scorecards/$f.pdf is $id's"
	else
		bad "scorecards/$f.pdf does not show $id" "$(pdftotext -layout "$cards/$f.pdf" - 2>/dev/null | head -5)"
	fi
done
k verify
expect "verify: every card is in the output ledger" 0
