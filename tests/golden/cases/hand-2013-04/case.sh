# Sourced by run.sh: how to run this case and what kaohe must answer.
MONTH=2013-04
STATUS=provisional             # plain run, the month stays open
EXIT=0                         # nothing rejected, nobody incomplete
STDERR_WORDS=""
