# Issue 7, attack 5: single-bit damage that SQLite's own integrity check
# reports passed verify in about a third of cases.  Flip one bit at a
# time (seeded); whenever integrity_check (or opening) fails, verify must
# exit 4.
sample 2013-04
k -q run --month 2013-04 --final; expect "April closed" 0
cp "$W/kaohe.db" "$W/good.db"
damaged=0 missed=0
for i in $(seq 1 40); do
	cp "$W/good.db" "$W/kaohe.db"
	python3 - "$W/kaohe.db" "$i" <<'PY'
import os, random, sys
p = sys.argv[1]; rnd = random.Random(int(sys.argv[2]) * 7919)
n = os.path.getsize(p)
with open(p, "r+b") as f:
    off = rnd.randrange(100, n)  # past the header, as a disk fault would
    f.seek(off); b = f.read(1)[0]
    f.seek(off); f.write(bytes([b ^ (1 << rnd.randrange(8))]))
PY
	ic=$(python3 -c 'import sqlite3,sys
try: print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])
except Exception as e: print("error", e)' "$W/kaohe.db")
	timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" verify >"$W/out" 2>"$W/err"; st=$?
	if [ "$ic" != ok ]; then
		damaged=$((damaged + 1))
		[ $st -eq 4 ] || { missed=$((missed + 1)); echo "flip $i: integrity '$ic' but verify exit $st"; }
	fi
done
[ $damaged -gt 0 ] && ok "$damaged of 40 flips damaged the file" || bad "no flip damaged the file: the test proves nothing"
[ $missed -eq 0 ] && ok "verify failed every damaged one" || bad "verify passed $missed damaged file(s)"
