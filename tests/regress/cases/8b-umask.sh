# Issue 8: the database, its lock and the outputs hold pay data: owner-only
# whatever umask kaohe was started with, unless --umask says otherwise.
sample 2013-04
umask 022
k run --month 2013-04 --final; expect "month-end run" 0
k annual 2013; expect "annual" 0

# modes_of PATH...: "name mode" for each existing path
modes_of() { for p in "$@"; do [ -e "$p" ] && echo "$(basename "$p") $(stat -c %a "$p")"; done; }
files=$(modes_of "$W"/kaohe.db* "$W/output/2013-04/scores.csv" \
    "$W/output/2013-04/team.pdf" "$W/output/2013-04/trail.pdf" \
    "$W"/output/2013-04/scorecards/*.pdf "$W/output/2013/annual.csv" \
    "$W/output/2013/annual.pdf")
dirs=$(modes_of "$W/output" "$W/output/2013-04" "$W/output/2013-04/scorecards" \
    "$W/output/2013")
if [ -n "$files" ] && ! echo "$files" | grep -qv ' 600$'; then ok "files 0600"
else bad "files not owner-only" "$files"; fi
if ! echo "$dirs" | grep -qv ' 700$'; then ok "folders 0700"
else bad "folders not owner-only" "$dirs"; fi
echo "$files" | grep -q '^kaohe.db.lock 600$' && ok "the lock too" || bad "no lock file at 0600" "$files"

# --umask 027: the group may read
timeout 120 "$KAOHE" --umask 027 --db "$W/g.db" --output "$W/g" \
    --input "$W/input" --templates "$W/templates" run --month 2013-04 \
    >"$W/out" 2>"$W/err"
_last=$?; expect "run with --umask 027" 0
g=$(modes_of "$W/g.db" "$W/g/2013-04/scores.csv" "$W/g/2013-04/team.pdf" "$W/g/2013-04" "$W/g")
if [ "$(echo $g)" = "g.db 640 scores.csv 640 team.pdf 640 2013-04 750 g 750" ]; then ok "--umask 027 honoured"
else bad "--umask 027 not honoured" "$g"; fi

k --umask 8 verify; expect "--umask 8" 2; expect_err "--umask 8 named" "octal"
k --umask 0-7 verify; expect "--umask 0-7" 2
