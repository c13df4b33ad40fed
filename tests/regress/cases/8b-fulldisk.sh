# Issue 8: a full disk (or a file size limit) while writing the outputs:
# exit 3, the message names the cause (not "libharu error 0x0000"), the
# previous outputs and the database stay as they were.
sample 2013-04
k run --month 2013-04; expect "first run" 0
db0=$(db_digest); out0=$(out_digest)

# a file size limit: writes fail with EFBIG after a short write
( ulimit -f 16; trap '' XFSZ; k render --month 2013-04 ); _last=$?
expect "over the file size limit" 3
expect_err "cause named (EFBIG)" "File too large"
if grep -q "0x0000\|: Success" "$W/err"; then bad "meaningless message" "$W/err"; else ok "no meaningless message"; fi
same_digest "outputs kept" "$out0" "$(out_digest)"
same_digest "database kept" "$db0" "$(db_digest)"

# a real full disk: a 200 KB tmpfs (root only)
mkdir -p "$W/full"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=200k kaohe-full "$W/full" 2>/dev/null; then
	ok "full tmpfs: skipped (needs root and mount)"
	return 0
fi
trap 'umount "$W/full" 2>/dev/null' EXIT
full() {
	timeout 120 "$KAOHE" --db "$W/kaohe.db" --output "$W/full/out" \
	    --input "$W/input" --templates "$W/templates" "$@" >"$W/out" 2>"$W/err"
	_last=$?
}
full render --month 2013-04
expect "disk full while writing the PDFs" 3
expect_err "cause named (PDF)" "cannot write the PDF: No space left on device"
if grep -q "0x0000" "$W/err"; then bad "libharu 0x0000 message" "$W/err"; else ok "no 0x0000"; fi
if [ -z "$(ls -A "$W/full/out" 2>/dev/null)" ]; then ok "nothing half-written on the full disk"
else bad "left on the full disk: $(ls -A "$W/full/out")"; fi
head -c 400000 /dev/zero >"$W/full/fill" 2>/dev/null
full render --month 2013-04
expect "disk full from the start" 3
expect_err "cause named (CSV)" "No space left on device"
same_digest "database kept" "$db0" "$(db_digest)"
umount "$W/full"
