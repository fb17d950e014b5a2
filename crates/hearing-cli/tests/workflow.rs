//! The hearing workflow scripted through `hearingctl`, run as a process on a demo desk: plan,
//! people, draw, notices, session, testimony with a correction, deliberation, signatures,
//! decision, approval chain and closure — and the refusals on the way.

mod common;

use common::{ctl, ok, text};

use chrono::Duration;

/// The id printed after "编号：".
fn id_after(out: &str, marker: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once(marker).map(|(_, rest)| rest.trim().to_owned()))
        .unwrap_or_else(|| panic!("no {marker} in:\n{out}"))
}

/// Ids of the participants listed by `hearing show` in the given role (Chinese label).
fn participants(out: &str, role: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.trim().split('\t').collect();
            (cols.len() > 3 && cols[1] == role).then(|| (cols[0].to_owned(), cols[2].to_owned()))
        })
        .collect()
}

fn all_participants(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains("邀请/出席："))
        .filter_map(|l| l.trim().split('\t').next().map(str::to_owned))
        .collect()
}

/// "YYYY-MM-DD HH:MM"
fn is_minute_stamp(s: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").is_ok() && s.len() == 16
}

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn demo_desk() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    ok(dir.path(), &["demo"]);
    let out = ok(
        dir.path(),
        &["cases", "list", "--status", "proposedClosure"],
    );
    let number = out
        .lines()
        .find(|l| l.contains('\t'))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("no case in state proposedClosure:\n{out}"))
        .to_owned();
    (dir, number)
}

#[test]
fn a_scripted_hearing_takes_a_case_to_closure() {
    let (dir, number) = demo_desk();
    let d = dir.path();
    let today = hearing_store::today();

    let out = ok(
        d,
        &[
            "hearing",
            "create",
            "--case",
            &number,
            "--date",
            &ymd(today),
            "--time",
            "09:30",
            "--venue",
            "青山市委政法委听证室",
            "--mode",
            "onSite",
            "--title",
            "脚本化公开听证会",
        ],
    );
    let h = id_after(&out, "听证会编号：");
    assert!(
        out.contains("筹备") && out.contains("脚本化公开听证会"),
        "{out}"
    );
    let out = ok(d, &["hearing", "list", "--case", &number]);
    assert!(out.contains(&h), "{out}");
    ok(
        d,
        &[
            "case",
            "action",
            "--case",
            &number,
            "--action",
            "scheduleHearing",
        ],
    );

    for (role, name) in [("presider", "赵主持"), ("clerk", "钱记录")] {
        let out = ok(
            d,
            &[
                "hearing",
                "add",
                "--hearing",
                &h,
                "--role",
                role,
                "--name",
                name,
                "--unit",
                "市委政法委",
            ],
        );
        assert!(out.contains(name), "{out}");
    }

    let out = ok(
        d,
        &[
            "hearing",
            "draw",
            "--hearing",
            &h,
            "--count",
            "3",
            "--seed",
            "听证2026",
            "--kinds",
            "partyDelegate,congressDeputy,cppccMember",
        ],
    );
    assert!(out.contains("种子：听证2026"), "the seed is printed: {out}");
    assert!(out.contains("候选人数："), "{out}");

    let show = ok(d, &["hearing", "show", &h]);
    let panel = participants(&show, "听证员");
    assert_eq!(panel.len(), 3, "{show}");
    for (id, name) in &panel {
        assert!(out.contains(name.as_str()), "drawn names printed: {out}");
        ok(
            d,
            &["hearing", "invite", "--participant", id, "--status", "sent"],
        );
        let o = ok(
            d,
            &[
                "hearing",
                "invite",
                "--participant",
                id,
                "--status",
                "accepted",
            ],
        );
        assert!(o.contains("已接受"), "{o}");
        ok(d, &["hearing", "declare", "--participant", id, "--signed"]);
    }
    let out = ok(
        d,
        &[
            "hearing",
            "transition",
            "--hearing",
            &h,
            "--action",
            "notify",
        ],
    );
    assert!(out.contains("已通知"), "{out}");

    // Opening needs the notice served in time and the announcement.
    let o = ctl(
        d,
        &["hearing", "transition", "--hearing", &h, "--action", "open"],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("未满足的条件："), "{}", text(&o));
    let petitioners = participants(&show, "信访人");
    assert!(!petitioners.is_empty(), "{show}");
    for (id, _) in &petitioners {
        ok(
            d,
            &[
                "hearing",
                "notice",
                "--participant",
                id,
                "--date",
                &ymd(today - Duration::days(8)),
                "--method",
                "直接送达",
            ],
        );
    }
    ok(
        d,
        &[
            "hearing",
            "announce",
            "--hearing",
            &h,
            "--date",
            &ymd(today - Duration::days(9)),
        ],
    );
    let out = ok(
        d,
        &["hearing", "transition", "--hearing", &h, "--action", "open"],
    );
    assert!(out.contains("进行中"), "{out}");

    for (id, _) in panel.iter().chain(petitioners.iter()) {
        let o = ok(
            d,
            &[
                "hearing",
                "invite",
                "--participant",
                id,
                "--status",
                "attended",
            ],
        );
        assert!(o.contains("已出席"), "{o}");
    }

    // Testimony: three entries and a correction of the first.
    let out = ok(d, &["hearing", "step", "--hearing", &h, "--step", "4"]);
    assert!(out.contains("organStatement"), "{out}");
    let petitioner = petitioners[0].1.clone();
    let mut entries = Vec::new();
    for (step, role, speaker, said) in [
        (
            "organStatement",
            "caseOfficer",
            "承办人",
            "原处理决定认定事实清楚",
        ),
        (
            "petitionerStatement",
            "petitioner",
            petitioner.as_str(),
            "我不服原决定",
        ),
        (
            "panelQuestions",
            "panelist",
            panel[0].1.as_str(),
            "请问有无新证据",
        ),
    ] {
        let out = ok(
            d,
            &[
                "testimony",
                "add",
                "--hearing",
                &h,
                "--step",
                step,
                "--role",
                role,
                "--speaker",
                speaker,
                "--text",
                said,
            ],
        );
        entries.push(id_after(&out, "编号："));
    }
    let out = ok(
        d,
        &[
            "testimony",
            "correct",
            "--entry",
            &entries[0],
            "--text",
            "原处理决定认定事实清楚、程序合法",
        ],
    );
    assert!(out.contains("第 4 条"), "{out}");
    let out = ok(d, &["testimony", "list", "--hearing", &h]);
    let struck: Vec<&str> = out.lines().filter(|l| l.contains("〔已更正〕")).collect();
    assert_eq!(struck.len(), 1, "{out}");
    assert!(struck[0].contains(&entries[0]), "{out}");
    assert!(
        out.contains("程序合法") && out.contains("（更正第 1 条）"),
        "{out}"
    );
    assert!(out.contains("共 4 条（有效 3 条）"), "{out}");

    // Deliberation: 2 agree, 1 disagree with reasons kept verbatim.
    ok(
        d,
        &[
            "hearing",
            "transition",
            "--hearing",
            &h,
            "--action",
            "startDeliberation",
        ],
    );
    let minority = "原决定对关键证人证言未予核实，建议补充调查";
    for (i, (id, _)) in panel.iter().enumerate() {
        let mut args = vec!["opinion", "add", "--participant", id.as_str()];
        if i < 2 {
            args.extend(["--vote", "agree", "--facts", "事实清楚"]);
        } else {
            args.extend(["--vote", "disagree", "--reasons", minority]);
        }
        ok(d, &args);
    }
    let out = ok(d, &["opinion", "tally", "--hearing", &h]);
    assert!(out.contains("同意 2，不同意 1"), "{out}");
    assert!(out.contains("多数意见：同意"), "{out}");
    assert!(out.contains("少数意见："), "{out}");
    assert!(out.contains(minority) && out.contains(&panel[2].1), "{out}");

    ok(
        d,
        &[
            "hearing",
            "transition",
            "--hearing",
            &h,
            "--action",
            "conclude",
        ],
    );
    let show = ok(d, &["hearing", "show", &h]);
    for id in all_participants(&show) {
        ok(
            d,
            &[
                "hearing",
                "sign",
                "--participant",
                &id,
                "--status",
                "signed",
            ],
        );
    }
    let out = ok(
        d,
        &[
            "hearing",
            "transition",
            "--hearing",
            &h,
            "--action",
            "signTranscript",
        ],
    );
    assert!(
        out.contains("笔录已签") && out.contains("笔录哈希："),
        "{out}"
    );
    let out = ok(
        d,
        &["hearing", "decide", "--hearing", &h, "--decision", "agree"],
    );
    assert!(out.contains("与多数意见一致"), "{out}");

    // The case: approval chain, in order, then closure.
    ok(
        d,
        &[
            "case",
            "action",
            "--case",
            &number,
            "--action",
            "submitForApproval",
        ],
    );
    for (level, who) in [
        ("caseOfficer", "杜承办"),
        ("organHead", "王检察长"),
        ("committee", "市委政法委"),
    ] {
        let out = ok(
            d,
            &[
                "closure",
                "approve",
                "--case",
                &number,
                "--level",
                level,
                "--approver",
                who,
                "--opinion",
                "同意终结",
            ],
        );
        assert!(out.contains(who), "{out}");
    }
    let out = ok(
        d,
        &["case", "action", "--case", &number, "--action", "close"],
    );
    assert!(out.contains("已终结"), "{out}");

    let out = ok(d, &["case", "show", &number]);
    assert!(out.contains("流程状态：已终结"), "{out}");
    assert!(out.contains("时间线"), "{out}");
    assert!(out.contains("随机抽取听证员"), "{out}");
    assert!(out.contains("王检察长"), "approvals chain shown: {out}");
    // Times in China time, "YYYY-MM-DD HH:MM", then actor and summary.
    let stamped: Vec<&str> = out
        .lines()
        .map(str::trim_start)
        .filter(|l| is_minute_stamp(l.split('\t').next().unwrap_or_default()))
        .collect();
    assert!(stamped.len() > 20, "timeline entries: {out}");
    assert!(
        stamped.iter().all(|l| l.split('\t').count() == 3),
        "time, actor, summary: {out}"
    );

    let o = ctl(d, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_refused_transition_lists_every_unmet_condition() {
    let (dir, number) = demo_desk();
    let d = dir.path();
    let today = hearing_store::today();
    let out = ok(
        d,
        &[
            "hearing",
            "create",
            "--case",
            &number,
            "--date",
            &ymd(today + Duration::days(10)),
            "--venue",
            "听证室",
        ],
    );
    let h = id_after(&out, "听证会编号：");

    let o = ctl(
        d,
        &[
            "hearing",
            "transition",
            "--hearing",
            &h,
            "--action",
            "notify",
        ],
    );
    assert!(!o.status.success());
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o);
    assert!(out.contains("错误："), "{out}");
    let (_, conditions) = out
        .split_once("未满足的条件：")
        .unwrap_or_else(|| panic!("{out}"));
    let lines: Vec<&str> = conditions
        .lines()
        .filter(|l| l.trim_start().starts_with("- "))
        .collect();
    assert!(lines.len() >= 3, "one condition per line: {out}");
    assert!(out.contains("主持人") && out.contains("记录员"), "{out}");

    // The case cannot go to approval yet either.
    let o = ctl(
        d,
        &[
            "case",
            "action",
            "--case",
            &number,
            "--action",
            "submitForApproval",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("未满足的条件："), "{}", text(&o));

    // Bad keys and unknown ids are errors, not panics.
    let o = ctl(
        d,
        &["hearing", "transition", "--hearing", &h, "--action", "fly"],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("startDeliberation"), "{}", text(&o));
    let o = ctl(d, &["hearing", "show", "no-such-hearing"]);
    assert!(!o.status.success());
    assert!(text(&o).starts_with("错误："), "{}", text(&o));
    let o = ctl(
        d,
        &[
            "hearing",
            "create",
            "--case",
            "NO-SUCH",
            "--date",
            "2026-13-01",
            "--venue",
            "x",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).starts_with("错误："), "{}", text(&o));
}
