#!/usr/bin/env bash
# The document pages shown in the README (docs/documents/*-1.png): a demo case is taken through
# a whole hearing with hearingctl in a throwaway data directory — plan, panel, notices, session,
# testimony, deliberation, signatures, decision, approvals, closure — then the closure decision
# is finalised and its service recorded, and page 1 of the decision, the transcript and the
# 送达回证 is rendered with `pdftoppm -png -r 60`. On the same desk the city holds a 会商研判 over
# three county cases (one concluded with a 交办单) and issues this year's 通报: page 1 of the
# 会议纪要 and pages 1–2 of the 通报 are rendered too.
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

ctl() { "$ctl_bin" --data-dir "$work/desk" --actor 文书样张 "$@"; }
meeting=$(ctl meeting create --title "$(date +%Y)年第$(date +%V)周涉法涉诉信访案件会商研判会议" \
  --date "$(date +%F)" --time 上午9时 --place 市委政法委三楼会议室 --chair 王明 --recorder 赵丽 \
  --present "刘洋:市中级人民法院" --present "孙强:市公安局" --attending "陈静:东河区委政法委" \
  --absent "李娜:市检察院" 2>/dev/null)
ctl meeting propose --meeting "$meeting" --add 3 >/dev/null
first=$(ctl meeting show --meeting "$meeting" | sed -n 's/^  1\. \([^ ]*\) .*/\1/p')
ctl meeting conclude --meeting "$meeting" --case "$first" --conclusion hearing \
  --discussion "承办单位汇报了化解进展，信访人仍坚持原诉求，双方对事实认定分歧较大。" \
  --text "由承办单位所在地政法委组织公开听证，邀请两代表一委员参加" \
  --to "${first%%-*}" --due "$(date -d '+14 days' +%F)" --slip --by 王明 >/dev/null
second=$(ctl meeting show --meeting "$meeting" | sed -n 's/^  2\. \([^ ]*\) .*/\1/p')
ctl meeting conclude --meeting "$meeting" --case "$second" --conclusion continue \
  --discussion "信访人诉求已部分解决，剩余问题需属地协调。" --text "由属地继续做好化解稳控工作" >/dev/null
ctl meeting minutes --meeting "$meeting" --out "$work/minutes.pdf" >/dev/null
ctl report --period "$(date +%Y)" --out "$work/bulletin.pdf" --issue --by 王明 2>/dev/null >/dev/null

mkdir -p "$out"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/minutes.pdf" "$out/minutes-1"
pdftoppm -png -r 60 -f 1 -l 2 "$work/bulletin.pdf" "$out/bulletin"
echo "wrote $out/minutes-1.png $out/bulletin-1.png $out/bulletin-2.png"
for doc in decision transcript service-receipt; do
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$doc.pdf" "$out/$doc-1"
  echo "wrote $out/$doc-1.png"
done
