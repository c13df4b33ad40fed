# Issue 7, attack 4: deleting the last close event and its chain row
# silently reopened a month.  Now the links after it no longer follow,
# and a chain cut back to before the close misses heads in the log.
sample 2013-04
k -q run --month 2013-04 --final; expect "April closed" 0
cp "$W/kaohe.db" "$W/saved.db"
ev=$(sql1 "SELECT max(id) FROM month_events")
sql "DROP TRIGGER month_events_no_delete; DROP TRIGGER chain_no_delete;
     DELETE FROM chain WHERE tbl = 'month_events' AND rid = $ev;
     DELETE FROM month_events WHERE id = $ev;"
k verify; expect "verify fails" 4
expect_err "verify names the gap" "trail broken"
k run --month 2013-04; expect "run refuses to publish from it" 4
# the whole tail cut back to before the close: the heads log catches it
cp "$W/saved.db" "$W/kaohe.db"
seq=$(sql1 "SELECT seq FROM chain WHERE tbl = 'month_events' AND rid = $ev")
sql "DROP TRIGGER month_events_no_delete; DROP TRIGGER chain_no_delete;
     DROP TRIGGER output_file_no_delete; DROP TRIGGER publication_no_delete;
     DELETE FROM output_file WHERE rowid IN (SELECT rid FROM chain WHERE tbl = 'output_file' AND seq > $seq);
     DELETE FROM publication WHERE rowid IN (SELECT rid FROM chain WHERE tbl = 'publication' AND seq > $seq);
     DELETE FROM month_events WHERE id = $ev;
     DELETE FROM chain WHERE seq >= $seq;"
k verify; expect "verify fails on the cut chain" 4
expect_err "the logged head is missing" "chain-heads.log:[0-9]+: head .* is not in the chain"
head=$(grep -o 'head=[0-9a-f]*' "$W/output/chain-heads.log" | tail -1 | cut -d= -f2)
rm "$W/output/chain-heads.log"
k verify --head "$head"; expect "a head kept elsewhere catches it too" 4
expect_err "the kept head is named" "head $head is not in the chain"
