#!/usr/bin/env bash
# Sourced by the arm64 targets of the Makefile: prepares (once) what cross-building HearingDesk
# for aarch64-unknown-linux-gnu on this amd64 Debian 12 machine needs, and exports the
# environment cargo, the cc crate and pkg-config read.
#
# - the Rust target and Debian's aarch64 cross compiler;
# - an arm64 sysroot with the app's libraries (WebKitGTK, libsoup, …), made by mmdebstrap into
#   target/arm64/sysroot (about 1.3 GB, 20–40 s) with its absolute symlinks made relative (else
#   the linker misses libdbus-1.so and falls back to the static archive, which fails);
# - linking with --sysroot and -rpath-link into it, pkg-config answering from it.
#
# Multiarch (`libwebkit2gtk-4.1-dev:arm64` beside the amd64 tool chain) does not work on Debian
# 12: it pulls python3:arm64. Hence the sysroot.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SYSROOT="$ROOT/target/arm64/sysroot"
STAMP="$ROOT/target/arm64/sysroot.ready"
PACKAGES="libwebkit2gtk-4.1-dev,libsoup-3.0-dev,libayatana-appindicator3-dev,librsvg2-dev,libssl-dev,libc6-dev"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
    rustup target add aarch64-unknown-linux-gnu
fi
missing=""
for p in gcc-aarch64-linux-gnu g++-aarch64-linux-gnu mmdebstrap dpkg-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    as_root apt-get update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$PACKAGES" ]; then
    echo "arm64: making the sysroot in $SYSROOT (bookworm, $PACKAGES)"
    rm -rf "$SYSROOT"
    mkdir -p "$(dirname "$SYSROOT")"
    mmdebstrap --quiet --variant=extract --arch=arm64 --include="$PACKAGES" bookworm "$SYSROOT"
    python3 - "$SYSROOT" <<'PY'
import os, sys
root = sys.argv[1]
for dirpath, dirnames, filenames in os.walk(root):
    for name in dirnames + filenames:
        path = os.path.join(dirpath, name)
        if os.path.islink(path):
            target = os.readlink(path)
            if target.startswith('/'):
                os.unlink(path)
                os.symlink(os.path.relpath(root + target, dirpath), path)
PY
    echo "$PACKAGES" > "$STAMP"
fi

LIBDIR="$SYSROOT/usr/lib/aarch64-linux-gnu"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=--sysroot=$SYSROOT -C link-arg=-Wl,-rpath-link,$LIBDIR -C link-arg=-Wl,-rpath-link,$SYSROOT/lib/aarch64-linux-gnu"
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
export PKG_CONFIG_ALLOW_CROSS=1
export PKG_CONFIG_SYSROOT_DIR="$SYSROOT"
export PKG_CONFIG_LIBDIR="$LIBDIR/pkgconfig:$SYSROOT/usr/share/pkgconfig"
export ARM64_SYSROOT="$SYSROOT"
