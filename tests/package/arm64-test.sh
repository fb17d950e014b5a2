#!/usr/bin/env bash
# The arm64 build, run on this amd64 machine through qemu-user emulation (not on metal):
#
# 1. the package: `dpkg-deb` shows an arm64 .deb whose app binary is aarch64 and which carries
#    the same fonts and resources as the amd64 one;
# 2. documents: the arm64 `hearingctl` takes a demo case through a whole hearing
#    (scripts/demo-hearing.sh) and the text of the closure decision, the transcript and the
#    送达回证 (`pdftotext`) equals the amd64 build's, but for the decision's verification code
#    (made of the desk's own ids);
# 3. data across architectures: each build opens the desk the other made and shows the same
#    case; a desk encrypted on arm64 opens on both; a backup made by one restores with the other;
# 4. sync: the arm64 `hearing-server` serves a sync between an amd64 desk and an arm64 desk of
#    one org — each sees the case the other registered;
# 5. the app: the .deb installed with dpkg into an arm64 Debian root (minbase with the app's
#    runtime libraries and fonts-noto-cjk, target/arm64/runroot, made once; binfmt_misc runs its
#    arm64 processes, maintainer scripts and the web view's too, through qemu), started in it
#    (chroot) under Xvfb on a demo desk made by the amd64 build: it must report the 工作台
#    interactive (a screenshot is left in target/arm64/app-workbench.png); then purged, leaving
#    nothing. Needs root (mount, chroot, binfmt_misc).
#
# Times under emulation are printed, not budgeted. Needs `make package-arm64` first (the .deb and
# the arm64 hearingctl and hearing-server); prepares qemu-user-static and poppler-utils itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/arm64-env.sh

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
for p in qemu-user-static poppler-utils xvfb x11-apps imagemagick; do
  dpkg -s "$p" >/dev/null 2>&1 || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p"
done

arm=target/aarch64-unknown-linux-gnu/release
deb=$(ls -t $arm/bundle/deb/hearing-desk_*_arm64.deb 2>/dev/null | head -1 || true)
for f in "$deb" "$arm/hearingctl" "$arm/hearing-server"; do
  [ -n "$f" ] && [ -f "$f" ] || { echo "arm64-test: run make package-arm64 first (missing ${f:-the arm64 .deb})" >&2; exit 1; }
done
# The amd64 hearingctl comes from `make app` (a prerequisite of package-arm64-test); on CI its
# intermediate files are gone by now (make ci-trim), so it is not rebuilt here.
amd_ctl=$PWD/target/debug/hearingctl
[ -x "$amd_ctl" ] || { echo "arm64-test: run make app first (missing $amd_ctl)" >&2; exit 1; }
qemu="qemu-aarch64-static -L $ARM64_SYSROOT"
arm_ctl="$qemu $PWD/$arm/hearingctl"
arm_server="$qemu $PWD/$arm/hearing-server"

work=$(mktemp -d)
server_pid=
runroot=$PWD/target/arm64/runroot
xvfb_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  pkill -f "aarch64-binfmt-P /usr/bin/hearing-desk" 2>/dev/null || true
  pkill -f "aarch64-binfmt-P /usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/" 2>/dev/null || true
  for m in tmp/.X11-unix proc dev sys; do
    mountpoint -q "$runroot/$m" 2>/dev/null && as_root umount -l "$runroot/$m"
  done
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "arm64-test: FAIL: $*" >&2; exit 1; }
secs() { echo "$(( $(date +%s) - $1 )) s"; }

# 1. The package.
info=$(dpkg-deb -I "$deb")
grep -q '^ Architecture: arm64' <<<"$info" || fail "the .deb is not for arm64"
grep -q '^ Depends:.*fonts-noto-cjk' <<<"$info" || fail "the .deb does not depend on fonts-noto-cjk"
dpkg-deb -x "$deb" "$work/deb"
file "$work/deb/usr/bin/hearing-desk" | grep -q 'ARM aarch64' || fail "the app in the .deb is not aarch64"
arm_fonts=$(cd "$work/deb/usr/lib/hearing-desk/resources/fonts" && ls | sort)
src_fonts=$(cd src-tauri/resources/fonts && ls | sort)
[ "$arm_fonts" = "$src_fonts" ] || fail "the .deb's fonts differ from src-tauri/resources/fonts"
echo "arm64-test: package $(basename "$deb"): arm64, aarch64 app, $(wc -l <<<"$arm_fonts") font files; PASS"

# 2. Documents.
t=$(date +%s)
case_no=$(HEARINGCTL=$amd_ctl scripts/demo-hearing.sh "$work/amd" | awk '$1 == "case" { print $2 }')
echo "arm64-test: amd64 hearing of case $case_no in $(secs "$t")"
t=$(date +%s)
arm_case=$(HEARINGCTL=$arm_ctl scripts/demo-hearing.sh "$work/arm" | awk '$1 == "case" { print $2 }')
echo "arm64-test: arm64 hearing of case $arm_case (emulated) in $(secs "$t")"
[ -n "$case_no" ] && [ "$case_no" = "$arm_case" ] || fail "the two builds took different cases ($case_no, $arm_case)"
for doc in decision transcript service-receipt; do
  for a in amd arm; do
    # The text in reading order, runs of spaces as one: -layout would also compare columns,
    # which shift with the width of the decision's verification code.
    pdftotext "$work/$a/$doc.pdf" - | grep -v '验证码' | sed 's/[[:space:]]\+/ /g; s/^ //; s/ $//' >"$work/$a/$doc.txt"
  done
  cmp -s "$work/amd/$doc.txt" "$work/arm/$doc.txt" || {
    diff "$work/amd/$doc.txt" "$work/arm/$doc.txt" | head -20 >&2
    fail "the text of $doc.pdf differs between amd64 and arm64"
  }
  [ "$(wc -c <"$work/amd/$doc.txt")" -gt 200 ] || fail "$doc.pdf has almost no text"
done
grep -q '终结' "$work/arm/decision.txt" || fail "the arm64 closure decision lacks its title"
echo "arm64-test: decision, transcript and 送达回证 read alike on both; PASS"

# 3. Data across architectures.
a=$($amd_ctl --data-dir "$work/amd/desk" case show "$case_no")
b=$($arm_ctl --data-dir "$work/amd/desk" case show "$case_no")
[ "$a" = "$b" ] || fail "the arm64 build shows the amd64 desk's case $case_no differently"
c=$($amd_ctl --data-dir "$work/arm/desk" case show "$case_no")
d=$($arm_ctl --data-dir "$work/arm/desk" case show "$case_no")
[ "$c" = "$d" ] || fail "the amd64 build shows the arm64 desk's case $case_no differently"
$arm_ctl --data-dir "$work/arm/desk" backup --out "$work/arm.hdbak" >/dev/null
$amd_ctl --data-dir "$work/restored-amd" restore "$work/arm.hdbak" >/dev/null
[ "$($amd_ctl --data-dir "$work/restored-amd" case show "$case_no")" = "$d" ] || fail "an arm64 backup restored on amd64 differs"
$amd_ctl --data-dir "$work/amd/desk" backup --out "$work/amd.hdbak" >/dev/null
$arm_ctl --data-dir "$work/restored-arm" restore "$work/amd.hdbak" >/dev/null
[ "$($arm_ctl --data-dir "$work/restored-arm" case show "$case_no")" = "$a" ] || fail "an amd64 backup restored on arm64 differs"
# An encrypted desk (SQLCipher, Argon2id key slots) made on arm64 opens on amd64 and back.
cp -r "$work/arm/desk" "$work/encrypted"
HEARINGDESK_NEW_PASSWORD=arm64-secret-1 $arm_ctl --data-dir "$work/encrypted" account setup --login admin --name 王管理 >/dev/null
for ctl in "$amd_ctl" "$arm_ctl"; do
  e=$(HEARINGDESK_PASSWORD=arm64-secret-1 $ctl --data-dir "$work/encrypted" --user admin case show "$case_no")
  [ "$e" = "$d" ] || fail "the encrypted arm64 desk reads differently with $ctl"
done
echo "arm64-test: each build opens the other's desk (plain and encrypted) and restores the other's backup; PASS"

# 4. Sync through the arm64 server.
srv="$work/server"
$arm_server --data "$srv" org add --id city --name 中共青山市委政法委员会 --kind committee --code QSS >/dev/null
$arm_server --data "$srv" org add --id east --parent city --name 中共东河区委政法委员会 --kind committee --code DHQ >/dev/null
$arm_server --data "$srv" serve --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=
for _ in $(seq 1 120); do
  url=$(grep -o 'http://[0-9.:]*' "$work/server.out" 2>/dev/null | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.5
done
[ -n "$url" ] || { cat "$work/server.err" >&2; fail "the arm64 server did not start"; }
code_a=$($arm_server --data "$srv" code issue --org east 2>/dev/null)
code_b=$($arm_server --data "$srv" code issue --org east 2>/dev/null)
$amd_ctl --data-dir "$work/sync-amd" enroll --server "$url" --code "$code_a" --name amd64 >/dev/null
$arm_ctl --data-dir "$work/sync-arm" enroll --server "$url" --code "$code_b" --name arm64 >/dev/null
$amd_ctl --data-dir "$work/sync-amd" cases create --title 甲不服借款纠纷判决信访案 --petitioner 王甲 --demands 再审 >/dev/null
$arm_ctl --data-dir "$work/sync-arm" cases create --title 乙不服行政处罚信访案 --petitioner 李乙 --demands 撤销处罚 >/dev/null
t=$(date +%s)
$amd_ctl --data-dir "$work/sync-amd" sync >/dev/null
$arm_ctl --data-dir "$work/sync-arm" sync >/dev/null
$amd_ctl --data-dir "$work/sync-amd" sync >/dev/null
echo "arm64-test: three syncs through the arm64 server in $(secs "$t")"
for dir in sync-amd sync-arm; do
  list=$($amd_ctl --data-dir "$work/$dir" cases list)
  grep -q 甲不服借款纠纷判决信访案 <<<"$list" && grep -q 乙不服行政处罚信访案 <<<"$list" \
    || fail "the $dir desk does not hold both cases after the sync: $list"
done
echo "arm64-test: an amd64 and an arm64 desk synced through the arm64 server; PASS"
# 5. The app, installed with dpkg in an arm64 root (minbase, its maintainer scripts run through
# binfmt_misc and qemu), started there, then purged.
if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
  as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  as_root sh -c 'cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register'
fi
runtime="minbase:libwebkit2gtk-4.1-0,libgtk-3-0,libayatana-appindicator3-1,librsvg2-2,fonts-noto-cjk,xdg-utils,poppler-utils"
if [ "$(cat "$runroot.ready" 2>/dev/null)" != "$runtime" ]; then
  rm -rf "$runroot"
  t=$(date +%s)
  mmdebstrap --quiet --variant=minbase --arch=arm64 --include="${runtime#minbase:}" bookworm "$runroot"
  echo "$runtime" >"$runroot.ready"
  echo "arm64-test: arm64 Debian root made in $(secs "$t")"
fi
rm -rf "$runroot/tmp"
mkdir -p "$runroot/tmp/.X11-unix" "$runroot/proc" "$runroot/dev" "$runroot/sys"
chmod 1777 "$runroot/tmp"
as_root mount -t proc proc "$runroot/proc"
as_root mount --bind /dev "$runroot/dev"
as_root mount --bind /sys "$runroot/sys"
cp "$deb" "$runroot/tmp/hearing-desk.deb"
chroot "$runroot" dpkg -i /tmp/hearing-desk.deb >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg could not install the arm64 .deb"; }
state=$(chroot "$runroot" dpkg-query -W -f='${Status} ${Architecture}' hearing-desk)
[ "$state" = "install ok installed arm64" ] || fail "after dpkg -i: $state"
echo "arm64-test: dpkg installed the .deb in the arm64 root ($state)"
$amd_ctl --data-dir "$runroot/tmp/desk" demo >/dev/null
display=:$(( 90 + RANDOM % 9 ))
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
as_root mount --bind /tmp/.X11-unix "$runroot/tmp/.X11-unix"
t=$(date +%s)
env -i DISPLAY="$display" HOME=/tmp XDG_RUNTIME_DIR=/tmp LANG=C.UTF-8 PATH=/usr/bin:/bin \
    HEARINGDESK_DATA_DIR=/tmp/desk HEARINGDESK_STARTUP_REPORT=/tmp/startup.json \
    "$(command -v chroot)" "$runroot" /usr/bin/hearing-desk >"$work/app.log" 2>&1 &
for _ in $(seq 1 300); do
  [ -s "$runroot/tmp/startup.json" ] && break
  sleep 1
done
[ -s "$runroot/tmp/startup.json" ] || { tail -20 "$work/app.log" >&2; fail "the arm64 app did not show the 工作台 within 300 s"; }
echo "arm64-test: the arm64 app (emulated) showed the 工作台 in $(secs "$t")"
sleep 3
DISPLAY=$display xwd -root -silent | convert xwd:- target/arm64/app-workbench.png
echo "arm64-test: screenshot in target/arm64/app-workbench.png; PASS"
pkill -f "aarch64-binfmt-P /usr/bin/hearing-desk" 2>/dev/null || true
pkill -f "aarch64-binfmt-P /usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/" 2>/dev/null || true
sleep 1
chroot "$runroot" dpkg --purge hearing-desk >>"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg could not purge hearing-desk"; }
for f in /usr/bin/hearing-desk /usr/lib/hearing-desk; do
  [ ! -e "$runroot$f" ] || fail "$f is left after the purge"
done
echo "arm64-test: purged cleanly; PASS"
echo "arm64-test: all passed (emulated with qemu-user, not on arm64 hardware)"
