# Issue 8: a wrongly delivered file is taken out of force with
# `kaohe withdraw FILE-ID --reason ... [--by NAME]`, on record (chained,
# in the trail); what it superseded is in force again and the month's
# scores follow; a closed month refuses it until reopened.
sample
export KAOHE_NOW=2013-06-01T06:00:00+08:00
k -q run --month 2013-05; expect "the sample" 0
cp "$W/output/2013-05/scores.csv" "$W/scores-0.csv"

# a targets file generated wrongly late (and with other values) takes over
sed 's/generated="[^"]*"/generated="2013-05-31T09:00:00+08:00"/; s/value="\([0-9]*\)\.[0-9]*"/value="1\1.00"/' \
    "$W/input/2013-05/targets-adjust-0515.xml" >"$W/input/2013-05/targets-late.xml"
k -q run --month 2013-05; expect "the late file imported" 0
cmp -s "$W/scores-0.csv" "$W/output/2013-05/scores.csv" &&
    bad "the late targets changed nothing" || ok "the late targets changed the scores"

k files --month 2013-05; expect "files" 0
expect_out "files lists it in force" '^#[0-9]+ +targets +2013-05 +2013-05-31T09:00:00\+08:00 +in force +targets-late\.xml'
id=$(awk '/targets-late\.xml/ { sub("#", "", $1); print $1 }' "$W/out")

k withdraw "$id"; expect "no reason" 2
k withdraw 9999 --reason "x"; expect "no such file" 2
expect_err "no such file named" 'no file #9999'
k withdraw "$id" --reason "生成时间填错" --by 刘洋; expect "withdrawn" 0
k withdraw "$id" --reason "again"; expect "withdrawn once" 2
k -q run --month 2013-05; expect "rescored" 0
if cmp -s "$W/scores-0.csv" "$W/output/2013-05/scores.csv"; then
	ok "the earlier targets are back in force: the scores of before"
else bad "scores differ from before the late file" "$W/output/2013-05/scores.csv"; fi
k files --month 2013-05
expect_out "files: withdrawn" "^#$id +targets .* withdrawn +targets-late\\.xml"
expect_out "files: who and why" 'withdrawn .* by 刘洋: 生成时间填错'
expect_out "files: the adjustment in force again" 'in force +targets-adjust-0515\.xml'
k trail --month 2013-05
expect_out "trail: the withdrawal" 'WITHDRAWN .* by 刘洋: 生成时间填错'
expect_out "trail: the revision" "#$id targets-late\\.xml 2013-05 .*\\(withdrawn\\)"
k verify; expect "the withdrawal is chained" 0

# a closed month refuses it until reopened
sed 's/generated="[^"]*"/generated="2013-05-31T10:00:00+08:00"/; s/value="\([0-9]*\)\.[0-9]*"/value="2\1.00"/' \
    "$W/input/2013-05/targets-adjust-0515.xml" >"$W/input/2013-05/targets-later.xml"
k -q run --month 2013-05 --final; expect "closed" 0
k files --month 2013-05
id2=$(awk '/targets-later\.xml/ { sub("#", "", $1); print $1 }' "$W/out")
db0=$(db_digest)
k withdraw "$id2" --reason "生成时间填错"; expect "closed month refuses" 1
expect_err "closed month named" 'month 2013-05 is closed; reopen it'
same_digest "refused: database unchanged" "$db0" "$(db_digest)"
k reopen 2013-05 --reason "撤回错误目标"; expect "reopened" 0
k withdraw "$id2" --reason "生成时间填错"; expect "withdrawn after reopening" 0
k -q run --month 2013-05; expect "rescored" 0
if cmp -s "$W/scores-0.csv" "$W/output/2013-05/scores.csv"; then
	ok "scores of before again"
else bad "scores differ" "$W/output/2013-05/scores.csv"; fi
