# Issue 8: formula injection.  A manager named =HYPERLINK(…) (or a name,
# group or id starting with +, -, @, tab) went into scores.csv and
# annual.csv as it was, and payroll opens them in a spreadsheet.  Now such
# a text cell is written "'…" and quoted (OWASP); numbers stay numbers.
sample 2013-05
python3 - "$W/input/2013-05/roster.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('id="KM001" name="张伟"', 'id="KM001" name="=HYPERLINK(&quot;http://x.example/?q=1&quot;,&quot;工资&quot;)"')
s = s.replace('id="KM002" name="李娜" group="城区一组"', 'id="KM002" name="+86 李娜" group="@城区一组"')
s = s.replace("  <customer ", '  <manager id="-KM3" name="&#9;王磊" group="城区一组" status="active" from="2013-01-01"/>\n  <customer ', 1)
open(p, "w", encoding="utf-8").write(s)
PY
k run --month 2013-05 --final
expect "run --final (-KM3 has no targets: incomplete)" 1
k annual 2013
expect "annual" 0
csv="$W/output/2013-05/scores.csv"
grep -qF '2013-05,KM001,"'"'"'=HYPERLINK(""http://x.example/?q=1"",""工资"")",城区一组,' "$csv" &&
    ok "=HYPERLINK name neutralised" || bad "=HYPERLINK row" "$csv"
grep -qF "2013-05,KM002,\"'+86 李娜\",\"'@城区一组\"," "$csv" &&
    ok "+ name and @ group neutralised" || bad "KM002 row" "$csv"
grep -qF "2013-05,\"'-KM3\",\"'	王磊\",城区一组,,,,,,,,,,,,,incomplete" "$csv" &&
    ok "- id and tab name neutralised" || bad "-KM3 row" "$csv"
# every text cell safe, every number a plain number, in both files
for f in "$csv" "$W/output/2013/annual.csv"; do
	if python3 - "$f" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
bad = [c for r in rows[1:] for c in r[1:4] if c[:1] in "=+-@\t\r"]
nums = [c for r in rows[1:] for c in r[4:] if c and not re.fullmatch(r"\d+(\.\d\d)?|provisional|final|incomplete", c)]
sys.exit(1 if bad or nums else 0)
PY
	then ok "$(basename "$f"): no cell a spreadsheet would run, numbers plain"
	else bad "$(basename "$f"): unsafe or odd cells" "$f"; fi
done
grep -qF "2013,KM001,\"'=HYPERLINK(" "$W/output/2013/annual.csv" &&
    ok "annual.csv neutralised too" || bad "annual.csv row" "$W/output/2013/annual.csv"
