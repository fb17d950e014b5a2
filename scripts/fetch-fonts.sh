#!/bin/sh
# Puts the open-licence faces shipped with HearingDesk into src-tauri/resources/fonts, taking them
# from Debian's texlive-lang-chinese package (no root needed: apt-get download + dpkg-deb):
#   FandolFang-Regular.otf  仿宋 body text
#   FandolKai-Regular.otf   楷体 "（一）" headings
# Fandol is GPL-3 with the font exception, so documents may embed it. It covers GB2312 only;
# rarer characters in names fall back to Noto Serif CJK SC (Debian fonts-noto-cjk).
#
# The faces are then slimmed by scripts/slim-font.py (hints dropped, near-straight curves made
# straight within 2/1000 em — invisible at 1200 dpi): a closure decision embeds about 30% less
# font data, which is what keeps it under 150 KB. Needs fontTools (Debian python3-fonttools).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../src-tauri/resources/fonts"
faces="FandolFang-Regular.otf FandolKai-Regular.otf"
# Bump when slim-font.py changes what it writes; older folders are refetched and slimmed again.
slim_mark="$dest/.slim-v1"
missing=""
for f in $faces; do [ -s "$dest/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] && [ -e "$slim_mark" ] && exit 0

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! /usr/bin/python3 -c 'import fontTools' 2>/dev/null; then
  echo "installing python3-fonttools (to slim the fonts)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-fonttools
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetching the Fandol faces from texlive-lang-chinese (~50 MB download)…"
if ! (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1); then
  # A fresh machine may have no package lists yet.
  $SUDO apt-get update -qq
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese)
fi
src=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
doc=./usr/share/doc/texlive-doc/fonts/fandol
dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb |
  tar -x -C "$tmp" "$src/FandolFang-Regular.otf" "$src/FandolKai-Regular.otf" \
    "$doc/COPYING.gz" "$doc/README"
mkdir -p "$dest"
rm -f "$slim_mark"
echo "slimming the faces (about a minute)…"
pids=""
for f in $faces; do
  /usr/bin/python3 "$here/slim-font.py" "$tmp/$src/$f" "$tmp/slim-$f" & pids="$pids $!"
done
for p in $pids; do wait "$p"; done
for f in $faces; do mv "$tmp/slim-$f" "$dest/$f"; done
touch "$slim_mark"
gzip -dc "$tmp/$doc/COPYING.gz" > "$dest/Fandol-COPYING.txt"
cp "$tmp/$doc/README" "$dest/Fandol-README.txt"
echo "fonts in $dest:"; ls -la "$dest"
