#!/usr/bin/env bash
# The document pages shown in the README (docs/documents/*-1.png): a demo case is taken through
# a whole hearing with hearingctl in a throwaway data directory — plan, panel, notices, session,
# testimony, deliberation, signatures, decision, approvals, closure — then the closure decision
# is finalised and its service recorded, and page 1 of the decision, the transcript and the
# 送达回证 is rendered with `pdftoppm -png -r 60`.
#
# Usage: scripts/doc-pages.sh [OUT_DIR]   (default docs/documents; needs poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=${1:-docs/documents}
command -v pdftoppm >/dev/null || { echo "pdftoppm is needed: apt-get install poppler-utils" >&2; exit 1; }

cargo build -q -p hearing-cli --locked
ctl_bin=$PWD/target/debug/hearingctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HEARINGCTL=$ctl_bin scripts/demo-hearing.sh "$work"

mkdir -p "$out"
for doc in decision transcript service-receipt; do
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$doc.pdf" "$out/$doc-1"
  echo "wrote $out/$doc-1.png"
done
