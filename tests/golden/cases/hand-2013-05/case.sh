# Sourced by run.sh: how to run this case and what kaohe must answer.
MONTH=2013-05
STATUS=final                   # run --final
EXIT=1                         # a stale file rejected, KM003 incomplete
STDERR_WORDS="orders-2013-05-10.xml KM003"
