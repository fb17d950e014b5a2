#!/bin/sh
# `make bench`: time and size of a closure decision and a 100-page transcript, side by side with
# LibreOffice headless converting the same text (BENCHMARKS.md). Not part of `make test`.
#   - installs what it needs (Debian): LibreOffice Writer without the GUI, poppler, Noto CJK;
#   - puts the Fandol faces in place (scripts/fetch-fonts.sh);
#   - runs crates/hearing-docs/benches/docs in release mode and prints the Markdown report,
#     also written to target/bench-docs.md (the PDFs and LibreOffice inputs: target/bench-docs/).
# Knobs: HD_BENCH_LO_RUNS (LibreOffice runs per input, default 5), HD_BENCH_COLD_RUNS (new
# processes per document, default 5), HD_BENCH_LIBREOFFICE (the binary).
set -eu
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

need=""
# libreoffice-writer-nogui (+ --no-install-recommends) is the smallest set that converts to PDF.
command -v libreoffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
command -v pdfinfo >/dev/null 2>&1 || need="$need poppler-utils"
[ -e /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || need="$need fonts-noto-cjk"
if [ -n "$need" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench: please install:$need" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing Debian packages:$need"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi
scripts/fetch-fonts.sh

echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
cargo bench -p hearing-docs --bench docs --locked
echo "bench: report in ${CARGO_TARGET_DIR:-target}/bench-docs.md, PDFs in ${CARGO_TARGET_DIR:-target}/bench-docs/"
