#!/usr/bin/env bash
# A demo case taken through a whole hearing with hearingctl in the data directory WORK/desk —
# plan, panel, notices, session, testimony, deliberation, signatures, decision, approvals,
# closure — then the closure decision finalised and its service recorded. Leaves in WORK:
# decision.pdf, transcript.pdf and service-receipt.pdf. Deterministic but for the desk's own ids
# and today's date, so two runs (two builds, two architectures) give the same documents.
#
# Usage: scripts/demo-hearing.sh WORK   (HEARINGCTL: the command to run, default
# target/debug/hearingctl; it may carry an emulator, e.g. "qemu-aarch64-static -L SYSROOT BIN")
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: scripts/demo-hearing.sh WORK}
HEARINGCTL=${HEARINGCTL:-$PWD/target/debug/hearingctl}
mkdir -p "$work"
ctl() { $HEARINGCTL --data-dir "$work/desk" --actor 文书样张 "$@"; }
# What follows "marker" on the first line that has it (reads all input: no broken pipe).
after() { awk -v m="$1" '!done && (i = index($0, m)) > 0 { print substr($0, i + length(m)); done = 1 }'; }
# Participant ids of one role (Chinese label) from `hearing show`.
role_ids() { awk -F'\t' -v r="$1" '{ gsub(/^[ \t]+/, "", $1) } $2 == r { print $1 }'; }
role_names() { awk -F'\t' -v r="$1" '{ gsub(/^[ \t]+/, "", $1) } $2 == r { print $3 }'; }
day() { TZ=Asia/Shanghai date -d "${1:-today}" +%F; }

ctl demo >/dev/null
case=$(ctl cases list --status proposedClosure | awk -F'\t' 'NF > 1 { print $1; exit }')
[ -n "$case" ] || { echo "no demo case ready for a hearing" >&2; exit 1; }
echo "case $case"

h=$(ctl hearing create --case "$case" --date "$(day)" --time 09:30 --venue 白云旗人民法院听证室 \
      --title "$(ctl case show "$case" | awk 'NR == 1 { print $2 }')公开听证会" | after 听证会编号：)
ctl case action --case "$case" --action scheduleHearing >/dev/null
ctl hearing add --hearing "$h" --role presider --name 赵明远 --unit 青山市委政法委 >/dev/null
ctl hearing add --hearing "$h" --role clerk --name 钱晓雯 --unit 青山市委政法委 >/dev/null
ctl hearing draw --hearing "$h" --count 3 --seed 文书样张 \
    --kinds partyDelegate,congressDeputy,cppccMember >/dev/null
show=$(ctl hearing show "$h")
mapfile -t panel < <(role_ids 听证员 <<<"$show")
mapfile -t panel_names < <(role_names 听证员 <<<"$show")
mapfile -t petitioners < <(role_ids 信访人 <<<"$show")
mapfile -t petitioner_names < <(role_names 信访人 <<<"$show")
for p in "${panel[@]}"; do
  ctl hearing invite --participant "$p" --status sent >/dev/null
  ctl hearing invite --participant "$p" --status accepted >/dev/null
  ctl hearing declare --participant "$p" --signed >/dev/null
done
ctl hearing transition --hearing "$h" --action notify >/dev/null
for p in "${petitioners[@]}"; do
  ctl hearing notice --participant "$p" --date "$(day '8 days ago')" --method 直接送达 >/dev/null
done
ctl hearing announce --hearing "$h" --date "$(day '9 days ago')" >/dev/null
ctl hearing transition --hearing "$h" --action open >/dev/null
for p in "${panel[@]}" "${petitioners[@]}"; do
  ctl hearing invite --participant "$p" --status attended >/dev/null
done

petitioner=${petitioner_names[0]}
say() { ctl testimony add --hearing "$h" --step "$1" --role "$2" --speaker "$3" --text "$4" >/dev/null; }
ctl hearing step --hearing "$h" --step 4 >/dev/null
say organStatement presider 赵明远 "请承办单位陈述案件办理经过、处理结果以及拟终结的意见和依据。"
say organStatement caseOfficer 乌兰 "原审认定双方合伙经营牧家乐，账目经司法审计，信访人主张的出资返还和利润分配缺乏证据，一审、二审均已驳回，再审申请亦被驳回。"
say petitionerStatement presider 赵明远 "请信访人陈述信访诉求及事实和理由。"
say petitionerStatement petitioner "$petitioner" "我认为合伙人伪造了账目，审计报告不真实，要求返还出资并分配利润。"
say evidence presider 赵明远 "请各方出示证据并发表质证意见。"
say evidence caseOfficer 乌兰 "出示司法审计报告、两审判决书和再审裁定书。"
say panelQuestions panelist "${panel_names[0]}" "请问信访人对审计报告提出过重新鉴定申请吗？"
say panelQuestions petitioner "$petitioner" "一审时提出过，法院没有准许。"
say finalStatements petitioner "$petitioner" "请求有关部门重新调查。"
say finalStatements caseOfficer 乌兰 "原审程序合法，建议依法终结。"

ctl hearing transition --hearing "$h" --action startDeliberation >/dev/null
for i in "${!panel[@]}"; do
  if [ "$i" -lt 2 ]; then
    ctl opinion add --participant "${panel[$i]}" --vote agree --facts 原审认定事实清楚 \
        --law 适用法律正确 --reasons 同意依法终结 >/dev/null
  else
    ctl opinion add --participant "${panel[$i]}" --vote disagree --facts 审计程序存在疑点 \
        --reasons 建议就重新鉴定申请的处理再作说明 >/dev/null
  fi
done
ctl hearing transition --hearing "$h" --action conclude >/dev/null
for p in $(ctl hearing show "$h" | awk '/邀请\/出席：/ { print $1 }'); do
  ctl hearing sign --participant "$p" --status signed >/dev/null
done
ctl hearing transition --hearing "$h" --action signTranscript >/dev/null
ctl hearing decide --hearing "$h" --decision agree >/dev/null

ctl case action --case "$case" --action submitForApproval >/dev/null
for level in caseOfficer:乌兰 organHead:白云旗法院院长 committee:青山市委政法委; do
  ctl closure approve --case "$case" --level "${level%%:*}" --approver "${level#*:}" --opinion 同意终结 >/dev/null
done
ctl case action --case "$case" --action close >/dev/null

# The closure decision, final (with its QR code) and served; then the 送达回证 shows the service.
decision=$(ctl doc generate --kind decision --case "$case" | awk '{ print $1 }')
ctl doc finalize "$decision" --out "$work/decision.pdf" >/dev/null
ctl doc served "$decision" --date "$(day)" --method 直接 --recipient "$petitioner" \
    --server "乌兰、钱晓雯" --note "当场宣读并释法说理" >/dev/null
ctl render --kind transcript --case "$case" --out "$work/transcript.pdf" >/dev/null
ctl render --kind receipt --case "$case" --out "$work/service-receipt.pdf" >/dev/null

