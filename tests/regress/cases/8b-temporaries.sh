# Issue 8: no temporary file outlives a run: the font subsets never get a
# name in $TMPDIR, and the build folders of dead runs are swept while
# those of live ones (another database, same output folder) are not.
sample 2013-04
k run --month 2013-04; expect "first run" 0

# build folders: a dead run's is swept, a live one's is kept
sh -c 'exit 0' & dead=$!; wait $dead
sleep 60 & live=$!
mkdir "$W/output/.2013-05.tmp-$dead" "$W/output/.2013-04.tmp-$live"
echo half >"$W/output/.2013-05.tmp-$dead/scores.csv"
echo busy >"$W/output/.2013-04.tmp-$live/scores.csv"
k render --month 2013-04; expect "render beside leftovers" 0
[ ! -e "$W/output/.2013-05.tmp-$dead" ] && ok "dead run's folder swept" ||
	bad "dead run's folder left"
[ -f "$W/output/.2013-04.tmp-$live/scores.csv" ] && ok "live run's folder kept" ||
	bad "live run's folder swept"
kill "$live"; wait "$live" 2>/dev/null
k render --month 2013-04; expect "render after it ended" 0
[ ! -e "$W/output/.2013-04.tmp-$live" ] && ok "swept once its run is gone" ||
	bad "ended run's folder left"

# fonts: the temporary folder is never used, so a kill leaves nothing there
TMPDIR="$W/no-such-dir" k render --month 2013-04
expect "render without a temporary folder" 0
mkdir -p "$W/tmp"
for delay in 0.05 0.1 0.15 0.2; do
	TMPDIR="$W/tmp" "$KAOHE" --db "$W/kaohe.db" --output "$W/output" \
	    --templates "$W/templates" render --month 2013-04 >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done
left=$(ls -A "$W/tmp")
[ -z "$left" ] && ok "killed renders left nothing in TMPDIR" ||
	bad "left in TMPDIR: $left"
k render --month 2013-04; expect "render after the kills" 0
left=$(ls -A "$W/output" | grep '^\.' || true)
[ -z "$left" ] && ok "no build folder left" || bad "build folders left: $left"
