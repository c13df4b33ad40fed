# Issue 8: the run lock follows no symbolic link, and belongs to the
# database file, not to the name it was reached by.
sample 2013-04
k import "$W/input/2013-04/roster.xml"; expect "first import" 0

# A symbolic link at kaohe.db.lock: refused, its target untouched.
printf 'precious\n' >"$W/victim"
rm -f "$W/kaohe.db.lock"
ln -s "$W/victim" "$W/kaohe.db.lock"
k run --month 2013-04; expect "symlink at the lock path" 3
expect_err "symlink named" "kaohe.db.lock is a symbolic link"
if [ "$(cat "$W/victim")" = precious ]; then ok "link target untouched"
else bad "link target truncated or rewritten"; fi
rm -f "$W/kaohe.db.lock"

# One run holds the database (stopped, lock in hand, after its first file:
# KAOHE_CRASHPOINT=import-file:1:stop); the same database through a
# symbolic link and through a hard link must wait, then name the holder
# and do nothing.
KAOHE_CRASHPOINT=import-file:1:stop "$KAOHE" --db "$W/kaohe.db" \
    --templates "$W/templates" --output "$W/output" \
    import "$W/input/2013-04/brands.xml" "$W/input/2013-04/targets.xml" \
    >/dev/null 2>&1 &
holder=$!
wait_stopped "$holder" && ok "the holder stopped with the lock" ||
	bad "the holder never reached its stop point"
ln -s "$W/kaohe.db" "$W/alias.db"
ln "$W/kaohe.db" "$W/hard.db"
before=$(db_digest)
for name in alias hard; do
	timeout 60 "$KAOHE" --db "$W/$name.db" --output "$W/output" \
	    --input "$W/input" --templates "$W/templates" run --month 2013-04 \
	    >"$W/out" 2>"$W/err"
	_last=$?
	expect "same database via the $name name" 3
	expect_err "$name: holder named" "in use by process $holder"
done
same_digest "nothing done while held" "$before" "$(db_digest)"
if [ ! -e "$W/output/2013-04" ]; then ok "no output while held"
else bad "output written while another run held the database"; fi
kill -9 "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
timeout 60 "$KAOHE" --db "$W/alias.db" --output "$W/output" \
    --input "$W/input" --templates "$W/templates" run --month 2013-04 \
    >"$W/out" 2>"$W/err"
_last=$?
expect "free again once the holder is gone" 0
