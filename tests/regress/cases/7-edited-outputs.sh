# Issue 7, attack 2: an edited scores.csv plus one INSERT into the output
# ledger passed verify.  Now the ledger row is not in the chain, and the
# file does not match the publication it belongs to.
sample 2013-04
k -q run --month 2013-04 --final; expect "April closed" 0
k verify; expect "verify passes first" 0
sed -i 's/,1,final/,9,final/' "$W/output/2013-04/scores.csv"
hex=$(sha256sum "$W/output/2013-04/scores.csv" | cut -d' ' -f1)
run=$(sql1 "SELECT max(id) FROM score_run")
sql "INSERT INTO output_file (run_id, path, sha256) VALUES ($run, '2013-04/scores.csv', '$hex')"
k verify; expect "verify fails" 4
expect_err "the planted ledger row is named" "output_file row [0-9]+ was added outside the chain"
expect_err "the edited file is named" "2013-04/scores.csv: differs from the file kaohe wrote"
# a file kaohe did not write, in a month folder
k -q render --month 2013-04
echo x > "$W/output/2013-04/scorecards/KM999.pdf"
k verify; expect "verify fails on a stray file" 4
expect_err "the stray file is named" "scorecards/KM999.pdf: not written by kaohe"
