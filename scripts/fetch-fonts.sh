#!/bin/sh
# Puts the open-licence faces shipped with HearingDesk into src-tauri/resources/fonts, taking them
# from Debian's texlive-lang-chinese package (no root needed: apt-get download + dpkg-deb):
#   FandolFang-Regular.otf  仿宋 body text
#   FandolKai-Regular.otf   楷体 "（一）" headings
# Fandol is GPL-3 with the font exception, so documents may embed it. It covers GB2312 only;
# rarer characters in names fall back to Noto Serif CJK SC (Debian fonts-noto-cjk).
set -eu
dest="$(dirname "$0")/../src-tauri/resources/fonts"
faces="FandolFang-Regular.otf FandolKai-Regular.otf"
missing=""
for f in $faces; do [ -s "$dest/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] && exit 0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetching the Fandol faces from texlive-lang-chinese (~50 MB download)…"
if ! (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1); then
  # A fresh machine may have no package lists yet.
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese)
fi
src=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
doc=./usr/share/doc/texlive-doc/fonts/fandol
dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb |
  tar -x -C "$tmp" "$src/FandolFang-Regular.otf" "$src/FandolKai-Regular.otf" \
    "$doc/COPYING.gz" "$doc/README"
mkdir -p "$dest"
cp "$tmp/$src/FandolFang-Regular.otf" "$tmp/$src/FandolKai-Regular.otf" "$dest/"
gzip -dc "$tmp/$doc/COPYING.gz" > "$dest/Fandol-COPYING.txt"
cp "$tmp/$doc/README" "$dest/Fandol-README.txt"
echo "fonts in $dest:"; ls -la "$dest"
