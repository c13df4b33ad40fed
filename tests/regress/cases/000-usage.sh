# Usage errors exit 2 and name the problem (interface.md).
sample 2013-04
k frobnicate; expect "unknown command" 2; expect_err "unknown command" "unknown command 'frobnicate'"
k run --month 2013-13; expect "month 13" 2; expect_err "month 13" "YYYY-MM"
