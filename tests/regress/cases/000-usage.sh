# Usage errors exit 2 and name the problem (interface.md).
sample 2013-04
k frobnicate; expect "unknown command" 2; expect_err "unknown command" "unknown command 'frobnicate'"
k run --month 2013-13; expect "month 13" 2; expect_err "month 13" "YYYY-MM"
k --help; expect "--help" 0
expect_out "help lists verify --head" "verify  \[--head HEX\]"
expect_out "help lists init" "^  init "
expect_out "help lists exit status 4" "4 the record fails verification"
