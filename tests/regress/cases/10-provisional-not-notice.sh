# Issue 10 (part): the nightly team sheet is a trial computation, not a
# notice: titled 试算, without the posting wording or the signature line;
# only the final month's sheet is the 公示.
sample 2013-04
command -v pdftotext >/dev/null || { echo "note: no pdftotext"; return 0; }
k -q run --month 2013-04; expect "provisional April" 0
pdftotext "$W/output/2013-04/team.pdf" "$W/team.txt"
grep -q "试算表（未定稿，不作公示）" "$W/team.txt" && ok "titled as a trial" || bad "no trial title" "$W/team.txt"
grep -q "予以公示" "$W/team.txt" && bad "posting wording on a trial" || ok "no posting wording"
grep -q "考评小组组长" "$W/team.txt" && bad "signature line on a trial" || ok "no signature line"
k -q close 2013-04; expect "April closed" 0
pdftotext "$W/output/2013-04/team.pdf" "$W/team.txt"
grep -q "予以公示" "$W/team.txt" && ok "the final sheet is the notice" || bad "no notice wording when final" "$W/team.txt"
grep -q "考评小组组长" "$W/team.txt" && ok "with its signature line" || bad "no signature when final"
