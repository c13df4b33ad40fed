# Sourced by run.sh: how to run this case and what kaohe must answer.
MONTH=2013-05
STATUS=final                   # run --final
EXIT=1                         # KM003 incomplete
STDERR_WORDS="KM003"
