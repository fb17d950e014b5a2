#!/usr/bin/env bash
# Installs the .deb with apt-get, checks what it put on the machine, starts the installed
# /usr/bin/hearing-desk under Xvfb and checks it shows the 工作台 (tests/e2e/package-flow.mjs),
# then removes the package and checks nothing of it is left.
#
#   tests/package/install-test.sh [FILE.deb]
#
# Without an argument it takes the newest .deb under target/*/bundle/deb/ (`make package` makes
# the release one; `make test` bundles the debug build it already has). A hearing-desk package
# already installed on this machine is left alone: the test then stops, saying so, instead of
# replacing it.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
deb=${1:-$(ls -t target/*/bundle/deb/hearing-desk_*.deb 2>/dev/null | head -1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "install-test: no .deb (run make package)"; exit 1; }
deb=$(realpath "$deb")
if dpkg-query -W -f='${Status}' hearing-desk 2>/dev/null | grep -q 'install ok installed'; then
  echo "install-test: hearing-desk is already installed here; not touching it (skipped)"
  exit 0
fi
echo "install-test: $deb"
dpkg-deb --field "$deb" Package Version Depends

cleanup() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq hearing-desk >/dev/null 2>&1 || true; }
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb"

fail() { echo "install-test: FAIL: $*"; exit 1; }
[ -x /usr/bin/hearing-desk ] || fail "/usr/bin/hearing-desk missing"
ls /usr/lib/hearing-desk/resources/fonts/Fandol*-Regular.otf >/dev/null || fail "bundled fonts missing"
grep -q '^Exec=hearing-desk' /usr/share/applications/hearing-desk.desktop || fail "desktop entry missing"
[ -f /usr/share/icons/hicolor/128x128/apps/hearing-desk.png ] || fail "icon missing"
files=$(dpkg -L hearing-desk | grep -c '^/usr/') || true
echo "install-test: installed, $files paths"

# The installed binary under a private Xvfb, driven like the other GUI tests.
mkdir -p target/e2e
display=":${E2E_DISPLAY:-96}"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY="$display" HEARINGDESK_BIN=/usr/bin/hearing-desk \
  node tests/e2e/package-flow.mjs

DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq hearing-desk
if dpkg-query -W -f='${Status}' hearing-desk 2>/dev/null | grep -q installed; then
  fail "still installed after purge"
fi
for p in /usr/bin/hearing-desk /usr/lib/hearing-desk /usr/share/applications/hearing-desk.desktop \
         /usr/share/icons/hicolor/128x128/apps/hearing-desk.png; do
  [ ! -e "$p" ] || fail "$p left after purge"
done
echo "install-test: removed cleanly; PASS"
