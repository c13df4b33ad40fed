# Issue 8: `kaohe trail` keeps every text whole (a 1,000-byte reopen
# reason) and escapes control characters, so that a note or a reason with
# a newline cannot forge a line of the trail.
sample 2013-04
k run --month 2013-04 --final; expect "closed" 0

long=$(python3 -c 'print("复核" + "x" * 994 + "END", end="")')
k reopen 2013-04 --reason "$long"; expect "reopen with 1,000 bytes" 0
k trail --month 2013-04; expect "trail" 0
grep -qF -- "reopen 2013-04: $long" "$W/out" && ok "long reason whole" ||
	bad "long reason cut" "$(grep reopen "$W/out" | cut -c1-120)"

# a note with a newline, from an export
cat >"$W/input/2013-04/assessments/assessments-2013-04-30.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<export kind="assessments" unit="530421" unit-name="某县烟草专卖局（营销部）" period="2013-04-30" generated="2013-04-30T18:05:00+08:00">
  <record id="KH20130430001" date="2013-04-30" manager="KM001" item="5.1" recorder="刘洋" role="组长" note="漏访&#10;  KH20130430999 2013-04-30 KM002 item 5.1 count 1&#13;&#x85;&#x2028;"/>
</export>
XML
k run --month 2013-04 --final; expect "note imported, closed again" 0
forged=$'复核\n  2099-01-01 00:00:00 close 2013-04'
k reopen 2013-04 --reason "$forged"; expect "reopen with a newline" 0
k trail --month 2013-04; expect "trail" 0
if grep -q '^  KH20130430999' "$W/out"; then bad "a note forged a record line" "$W/out"
else ok "note cannot forge a record"; fi
grep -qF 'recorded by 刘洋 (组长): 漏访\n  KH20130430999 2013-04-30 KM002 item 5.1 count 1\r\u0085\u2028' "$W/out" &&
	ok "note shown whole, escaped" || bad "note not shown escaped" "$(grep -F KH20130430001 -A1 "$W/out")"
if grep -q '^  2099-01-01' "$W/out"; then bad "a reason forged an event line" "$W/out"
else ok "reason cannot forge an event"; fi
grep -qF 'reopen 2013-04: 复核\n  2099-01-01 00:00:00 close 2013-04' "$W/out" &&
	ok "reason shown escaped" || bad "reason not shown escaped" "$(grep reopen "$W/out" | cut -c1-100)"
if LC_ALL=C grep -q $'\r\|\xc2\x85\|\xe2\x80\xa8' "$W/out"; then bad "a raw line break reached the output"
else ok "no raw CR, NEL or LS"; fi
