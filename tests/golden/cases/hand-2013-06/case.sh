# Sourced by run.sh: how to run this case and what kaohe must answer.
MONTH=2013-06
STATUS=provisional             # plain runs, the month stays open
RUNS=2                         # the second run retries the rejected files
EXIT=1                         # five files stay rejected
STDERR_WORDS="orders-2013-06-20.xml orders-2013-06-21.xml orders-2013-06-22.xml targets-t2.xml assessments-2013-06-02.xml assessments-2013-06-10.xml assessments-2013-06-12.xml"
