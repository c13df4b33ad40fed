# Issue 7: the head is anchored outside the database: logged per command
# that changed the record, printed on team.pdf and trail.pdf, checked by
# verify --head; a second identical run logs nothing.
sample 2013-04
k -q run --month 2013-04; expect "provisional April" 0
first=$(grep -o 'head=[0-9a-f]*' "$W/output/chain-heads.log" | tail -1 | cut -d= -f2)
lines=$(wc -l < "$W/output/chain-heads.log")
k -q run --month 2013-04; expect "second run" 0
[ "$(wc -l < "$W/output/chain-heads.log")" -eq "$lines" ] && ok "an unchanged run logs nothing" ||
	bad "an unchanged run logged a head"
k -q close 2013-04; expect "closed" 0
k verify --head "$first"; expect "an older head is one the chain passed through" 0
expect_out "and verify says how far" "is link [0-9]+ of [0-9]+"
k verify --head "$(printf '%064d' 7)"; expect "an unknown head fails" 4
k verify --head nothex; expect "a malformed head is a usage error" 2
final=$(sql1 "SELECT hash FROM chain WHERE tbl = 'month_events' ORDER BY seq DESC LIMIT 1")
if command -v pdftotext >/dev/null; then
	for d in team trail; do
		if pdftotext "$W/output/2013-04/$d.pdf" - | tr -d '\n ' | grep -q "$final"; then
			ok "$d.pdf prints the close's link"
		else bad "$d.pdf does not print the head $final"; fi
	done
fi
