# Issue 8: `kaohe import FIFO` hung holding the lock, and a FIFO under
# input/ hung every run.  It is refused by name without being opened.
sample 2013-05
mkfifo "$W/input/2013-05/pipe.xml"
start=$(date +%s)
k import "$W/input/2013-05/pipe.xml"; expect "import FIFO" 1
expect_err "import FIFO named" 'pipe\.xml: a FIFO: refused without opening it'
k run --month 2013-05; expect "run with a FIFO in input/" 1
expect_err "run names the FIFO" 'pipe\.xml: a FIFO: refused without opening it'
expect_out "the rest imported" 'roster 2013-05: 10 managers'
if [ $(( $(date +%s) - start )) -lt 60 ]; then ok "no hang"; else bad "took a minute"; fi
