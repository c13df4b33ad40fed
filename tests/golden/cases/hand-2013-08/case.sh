# Sourced by run.sh: how to run this case and what kaohe must answer.
MONTH=2013-08
STATUS=provisional
EXIT=1                         # KM402 incomplete (zero low_tar_volume target)
STDERR_WORDS="KM402"
