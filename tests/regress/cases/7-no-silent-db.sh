# Issue 7: a missing or zero-length database is never silently created
# anew; verify and trail read without a lock or the templates and write
# nothing.
sample 2013-04
k -q run --month 2013-04 --final; expect "April closed" 0
timeout 60 "$KAOHE" --db "$W/typo.db" --output "$W/output" verify >"$W/out" 2>"$W/err"; _last=$?
expect "verify on a typo" 2
expect_err "it says so" "no such database"
[ ! -e "$W/typo.db" ] && ok "typo.db not created" || bad "typo.db was created"
for c in trail render score close; do
	timeout 60 "$KAOHE" --db "$W/typo.db" --output "$W/output" --templates "$W/templates" $c --month 2013-04 >"$W/out" 2>"$W/err"; _last=$?
	[ $_last -eq 2 ] || [ $_last -eq 3 ] && ok "$c refuses a missing database ($_last)" || bad "$c on a missing database: exit $_last" "$W/err"
done
[ ! -e "$W/typo.db" ] && ok "still not created" || bad "typo.db was created"
# an emptied kaohe.db: the next nightly run must not start a new record
out_before=$(out_digest)
cp "$W/kaohe.db" "$W/saved.db"
: > "$W/kaohe.db"
k run; expect "run on an emptied database" 3
expect_err "it explains" "published results"
same_digest "final April untouched" "$out_before" "$(out_digest)"
[ ! -s "$W/kaohe.db" ] && ok "the empty file is left as it was" || bad "the empty file was written"
k init; expect "init refuses to start a record over another's archive" 2
expect_err "init explains" "needs its own output folder"
rm "$W/kaohe.db"
timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/new" --templates "$W/templates" init >"$W/out" 2>"$W/err"; _last=$?
expect "init with its own output folder" 0
timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/new" verify >"$W/out" 2>"$W/err"; _last=$?
expect "a new record verifies" 0
expect_out "with no link" "^chain: 0 links, head 0{64}$"
k init; expect "init refuses an existing database" 2
# verify and trail on a read-only copy: no lock, no journal, no templates
cp "$W/saved.db" "$W/kaohe.db"
sum=$(sha256sum < "$W/kaohe.db")
rm -f "$W/kaohe.db.lock"
timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --templates "$W/none" verify >"$W/out" 2>"$W/err"; _last=$?
expect "verify without templates" 0
timeout 60 "$KAOHE" --db "$W/kaohe.db" --output "$W/output" --templates "$W/none" trail --month 2013-04 >"$W/out" 2>"$W/err"; _last=$?
expect "trail without templates" 0
[ "$sum" = "$(sha256sum < "$W/kaohe.db")" ] && ok "database bytes unchanged" || bad "verify/trail changed the database"
[ ! -e "$W/kaohe.db.lock" ] && ok "no lock taken" || bad "a lock file was created"
if mkdir -p "$W/ro" && mount --bind "$W" "$W/ro" 2>/dev/null && mount -o remount,ro,bind "$W/ro" 2>/dev/null; then
	timeout 60 "$KAOHE" --db "$W/ro/kaohe.db" --output "$W/ro/output" verify >"$W/out" 2>"$W/err"; _last=$?
	expect "verify on a read-only mount" 0
	umount "$W/ro"
else
	umount "$W/ro" 2>/dev/null
	echo "note: read-only mount not available here; bytes-unchanged check only"
fi
