# Issue 7, attack 1: four plain INSERTs (no trigger dropped) add a scoring
# run of a closed month in which one manager's total and rank are
# changed.  Before: render, run --final and annual printed it and verify
# passed.  Now nothing is published from it and verify names it.
sample 2013-04
k -q run --month 2013-04 --final; expect "April closed" 0
csv_before=$(sha256sum < "$W/output/2013-04/scores.csv")
out_before=$(out_digest)
run=$(sql1 "SELECT max(id) FROM score_run")
sql "INSERT INTO score_run (id, month, scheme_id, scheme_sha256, fingerprint, scored_at)
       SELECT id + 1, month, scheme_id, scheme_sha256, fingerprint, scored_at FROM score_run WHERE id = $run;
     INSERT INTO score_result SELECT run_id + 1, pos, manager, name, grp, incomplete, reason,
       quantitative, deductions, bonuses, qualitative, total + 5000, CASE WHEN rank = 5 THEN 1 ELSE rank END
       FROM score_result WHERE run_id = $run;
     INSERT INTO score_indicator SELECT run_id + 1, manager, pos, code, points, has_target, target,
       actual, completion, score FROM score_indicator WHERE run_id = $run;
     INSERT INTO score_line SELECT run_id + 1, manager, seq, kind, ref, date, item, customer, count,
       has_points, points, recorder, role, text FROM score_line WHERE run_id = $run;"
k render --month 2013-04; expect "render refuses the planted run" 4
expect_err "render names it" "score_run row $((run + 1)) is not in the chain"
k run --month 2013-04 --final; expect "run --final refuses it" 4
k annual 2013; expect "annual refuses it" 4
same_digest "published files untouched" "$out_before" "$(out_digest)"
k verify; expect "verify fails" 4
expect_err "verify names the run" "score_run row $((run + 1)) was added outside the chain"
expect_out "verify still prints the head" "^chain: [0-9]+ links, head [0-9a-f]{64}$"
k -q verify; expect "-q verify fails too" 4
expect_out "-q verify still prints the head" "^chain: [0-9]+ links, head [0-9a-f]{64}$"
