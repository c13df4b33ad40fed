# Issue 8: a usage error exits 2 with a message, and does nothing: a
# year 0000, a month 00, a month no scheme covers, an option the command
# does not take, closing a closed month, reopening an open one.  An
# export of a year no scheme covers is a rejected file, not a failure.
sample 2013-04
k run --month 2013-04 --final; expect "closed" 0
before=$(db_digest); out0=$(out_digest)
usage() {	# usage NAME RE ARGS...: exit 2, stderr matches RE
	local name=$1 re=$2; shift 2
	k "$@"; expect "$name" 2; expect_err "$name: says why" "$re"
}
usage "close 0000-01" "close wants one month" close 0000-01
usage "reopen 2013-00" "reopen wants one month" reopen 2013-00 --reason x
usage "run --month 0000-01" "--month wants YYYY-MM" run --month 0000-01
usage "score --month 0000-12" "--month wants YYYY-MM" score --month 0000-12
usage "trail --month 0000-01" "--month wants YYYY-MM" trail --month 0000-01
usage "annual 0000" "annual wants one year" annual 0000
usage "render --year 0000" "--year wants YYYY" render --year 0000
usage "score a month before every scheme" "no assessment scheme for 2012" score --month 2012-05
usage "close a month before every scheme" "no assessment scheme for 2012" close 2012-05
usage "close with --final" "close takes no --final" close 2013-04 --final
usage "import with --month" "import takes no --month" import --month 2013-04 "$W/input/2013-04/roster.xml"
usage "run with --reason" "run takes no --reason" run --reason x
usage "close a closed month" "already closed" close 2013-04
usage "reopen an open month" "is not closed" reopen 2013-06 --reason x
same_digest "nothing done" "$before" "$(db_digest)"
same_digest "no output changed" "$out0" "$(out_digest)"

# a targets export of 2012 (it needs a scheme; there is none): refused by
# name, the rest imported
mkdir -p "$W/input/2013-05"
cp -R "$ROOT/input/2013-05/." "$W/input/2013-05/"
sed 's/period="2013-05"/period="2012-05"/; s/generated="2013-05-03/generated="2012-05-03/' \
    "$ROOT/input/2013-05/targets.xml" >"$W/input/2013-05/targets-2012.xml"
k run --month 2013-05; expect "a 2012 export among 2013-05's" 1
expect_err "the file named" "targets-2012.xml.*scheme of 2012"
[ -f "$W/output/2013-05/scores.csv" ] && ok "the month still done" || bad "2013-05 not rendered" "$W/err"
