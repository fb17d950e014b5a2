//! Sync end to end: a real `hearing-server` process on loopback and several desks, each a real
//! data directory driven through `hearingctl` — enrolment, push and pull, org scoping (a county
//! sees only itself, the city sees every county), offline edits on two desks converging, a
//! server killed and restarted, and a wrong token refused with a clear message.

mod common;

use std::path::Path;

use common::{ctl, ok, text, Server};

fn cases(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = ok(dir, &["cases", "list"])
        .lines()
        .filter(|l| l.contains('\t'))
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

#[test]
fn desks_sync_through_a_real_server_within_their_orgs() {
    let tmp = tempfile::tempdir().expect("dir");
    let mut server = Server::city_with_two_counties(tmp.path().join("server"));
    let url = server.base.clone();

    let desk = |server: &Server, name: &str, org: &str| {
        let dir = tmp.path().join(name);
        let code = server.admin(&["code", "issue", "--org", org]);
        let out = ok(
            &dir,
            &["enroll", "--server", &url, "--code", &code, "--name", name],
        );
        assert!(out.contains("已注册"), "{out}");
        // A code works once.
        let again = ctl(
            &tmp.path().join(format!("{name}-again")),
            &["enroll", "--server", &url, "--code", &code],
        );
        assert!(!again.status.success());
        assert!(text(&again).contains("注册码"), "{}", text(&again));
        dir
    };
    let east1 = desk(&server, "east1", "east");
    let east2 = desk(&server, "east2", "east");
    let west = desk(&server, "west", "west");
    let city = desk(&server, "city", "city");

    // Offline work on two desks of the east county and one in the west.
    ok(
        &east1,
        &[
            "cases",
            "create",
            "--title",
            "甲不服借款纠纷判决信访案",
            "--petitioner",
            "王甲",
            "--demands",
            "再审",
        ],
    );
    ok(
        &west,
        &[
            "cases",
            "create",
            "--title",
            "乙不服行政处罚信访案",
            "--petitioner",
            "李乙",
            "--demands",
            "撤销处罚",
        ],
    );
    let out = ok(&east1, &["sync", "--server", &url]);
    assert!(out.contains("同步完成"), "{out}");
    ok(&west, &["sync"]);
    ok(&east2, &["sync"]);
    assert_eq!(cases(&east2), cases(&east1), "east2 holds what east1 made");
    assert_eq!(cases(&east1).len(), 1);

    // Both east desks edit while offline, then converge.
    ok(
        &east2,
        &[
            "cases",
            "create",
            "--title",
            "丙不服拆迁补偿信访案",
            "--petitioner",
            "赵丙",
            "--demands",
            "补偿",
        ],
    );
    ok(&east2, &["sync"]);
    ok(&east1, &["sync"]);
    assert_eq!(cases(&east1), cases(&east2));
    assert_eq!(cases(&east1).len(), 2);

    // Scoping: the west county sees only itself; the city sees every county.
    ok(&west, &["sync"]);
    let w = cases(&west);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("乙不服行政处罚"));
    ok(&city, &["sync"]);
    let c = cases(&city);
    assert_eq!(c.len(), 3, "{c:?}");
    // The city reads the counties' cases but cannot change them; the county still can.
    let number = c
        .iter()
        .find(|l| l.contains("乙不服行政处罚"))
        .and_then(|l| l.split('\t').next())
        .expect("the west case")
        .trim()
        .to_owned();
    let o = ctl(
        &city,
        &[
            "cases",
            "action",
            "--case",
            &number,
            "--action",
            "startReview",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("只能查看"), "{}", text(&o));
    assert_eq!(ctl(&city, &["sync"]).status.code(), Some(0));
    ok(
        &west,
        &[
            "cases",
            "action",
            "--case",
            &number,
            "--action",
            "startReview",
        ],
    );

    // The server is killed (SIGKILL) and restarted on the same data: nothing acknowledged is lost.
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    server.kill9();
    let out = ctl(&east1, &["sync"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("无法连接同步服务器"), "{}", text(&out));
    assert!(ok(&east1, &["sync", "status"]).contains("上次错误"));
    server.start(&addr);
    let fresh = desk(&server, "city2", "city");
    ok(&fresh, &["sync"]);
    assert_eq!(cases(&fresh), cases(&city));
    ok(&east1, &["sync"]);
    assert!(!ok(&east1, &["sync", "status"]).contains("上次错误"));

    // A wrong token is refused with a message, and nothing local is lost.
    let db = east1.join("hearingdesk.db");
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute(
        "UPDATE desk_meta SET value = 'wrong' WHERE key = 'sync_token'",
        [],
    )
    .expect("token");
    drop(conn);
    let before = cases(&east1);
    let out = ctl(&east1, &["sync"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("401"), "{}", text(&out));
    assert_eq!(cases(&east1), before);
}

/// `hearingctl enroll` checks the form as the app does, before asking any server: an address
/// without http:// and an empty code are refused, each named, and the desk stays unenrolled.
#[test]
fn enroll_refuses_what_the_app_refuses() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("desk");
    let out = ctl(
        &dir,
        &[
            "enroll",
            "--server",
            "sync.example.cn",
            "--code",
            " ",
            "--name",
            "东河区",
        ],
    );
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains("服务器地址应以 http:// 或 https:// 开头"),
        "{said}"
    );
    assert!(said.contains("请输入市委政法委发放的注册码"), "{said}");
    assert!(ok(&dir, &["sync", "status"]).contains("（未注册）"));
}

/// The enrolment codes `hearing-server demo` printed, by org code.
fn demo_codes(lines: &str) -> std::collections::BTreeMap<String, String> {
    lines
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(org, code)| (org.to_owned(), code.to_owned()))
        .collect()
}

/// A desk `name` under `tmp` enrolled at `url` with `code`.
fn enrolled(tmp: &Path, url: &str, code: &str, name: &str) -> std::path::PathBuf {
    let dir = tmp.join(name);
    let out = ok(
        &dir,
        &["enroll", "--server", url, "--code", code, "--name", name],
    );
    assert!(out.contains("已注册"), "{out}");
    dir
}

/// A server running the demo network, and a way to enrol a desk `name` of an org (by its code)
/// under the temporary folder.
fn demo_network() -> (
    std::sync::Arc<tempfile::TempDir>,
    common::Server,
    impl Fn(&str, &str) -> std::path::PathBuf,
) {
    let tmp = std::sync::Arc::new(tempfile::tempdir().expect("dir"));
    let mut server = common::Server::new(tmp.path().join("server"));
    let codes = demo_codes(&server.admin(&["demo"]));
    server.start("127.0.0.1:0");
    let url = server.base.clone();
    let dir = tmp.clone();
    let enrol = move |name: &str, org: &str| enrolled(dir.path(), &url, &codes[org], name);
    (tmp, server, enrol)
}

/// The demo network: `hearing-server demo` makes the demo city's org tree with the single-desk
/// demo's codes and one enrolment code per org; `hearingctl demo` on a desk enrolled with one of
/// them loads that org's own part, which its committee's desk reads after a sync.
#[test]
fn the_demo_network_gives_each_org_its_code_and_its_own_cases() {
    let tmp = tempfile::tempdir().expect("dir");
    let mut server = common::Server::new(tmp.path().join("server"));
    let lines = server.admin(&["demo"]);
    let codes = demo_codes(&lines);
    assert_eq!(
        codes.len(),
        lines.lines().count(),
        "one line per org: {lines}"
    );
    for org in ["QSS", "DHQ", "DHQFY", "BYQ", "BYQFY", "XLX"] {
        assert!(codes.contains_key(org), "{org} in {lines}");
    }
    let distinct: std::collections::BTreeSet<&String> = codes.values().collect();
    assert_eq!(distinct.len(), codes.len(), "every code differs");
    // Again: the same tree (no org twice), new codes.
    let again = server.admin(&["demo"]);
    assert_eq!(again.lines().count(), codes.len());
    let tree = server.admin(&["org", "list"]);
    assert_eq!(tree.lines().count(), codes.len(), "{tree}");
    assert!(
        tree.lines().next().is_some_and(|l| l.starts_with("QSS\t")),
        "{tree}"
    );
    server.start("127.0.0.1:0");
    let url = server.base.clone();

    let enrol = |name: &str, org: &str| enrolled(tmp.path(), &url, &codes[org], name);
    let court = enrol("court", "DHQFY");
    let out = ok(&court, &["demo"]);
    assert!(out.contains("已载入本单位的演示数据"), "{out}");
    let mine = cases(&court);
    assert!(mine.len() >= 2, "{mine:?}");
    let ready = ok(&court, &["cases", "list", "--status", "proposedClosure"]);
    assert!(
        ready.lines().filter(|l| l.contains('\t')).count() >= 1,
        "a case ready for a hearing: {ready}"
    );
    // The case at 拟终结 takes a hearing.
    let number = ready
        .lines()
        .find(|l| l.contains('\t'))
        .and_then(|l| l.split('\t').next())
        .expect("number")
        .trim()
        .to_owned();
    let out = ok(
        &court,
        &[
            "hearing",
            "create",
            "--case",
            &number,
            "--date",
            "2030-01-15",
            "--time",
            "09:30",
            "--venue",
            "东河区法院听证室",
            "--title",
            "演示听证会",
        ],
    );
    assert!(out.contains("听证会编号"), "{out}");
    let hearing = out
        .split("听证会编号：")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("hearing id")
        .to_owned();
    ok(
        &court,
        &[
            "case",
            "action",
            "--case",
            &number,
            "--action",
            "scheduleHearing",
        ],
    );
    // Only once.
    let twice = ctl(&court, &["demo"]);
    assert!(!twice.status.success());
    assert!(text(&twice).contains("已有案件或人员"), "{}", text(&twice));
    ok(&court, &["sync"]);

    // The county committee reads them, and may not change them.
    let county = enrol("county", "DHQ");
    let out = ok(&county, &["demo"]);
    assert!(
        out.contains("7 名人员、0 件案件"),
        "the committee's pool: {out}"
    );
    ok(&county, &["sync"]);
    let city = enrol("city", "QSS");
    ok(&city, &["demo"]);
    ok(&city, &["sync"]);
    // The pools of both committees above reach the court, whose hearing draws its panel there.
    ok(&court, &["sync"]);
    let pool = ok(&court, &["persons", "list"]);
    assert!(
        pool.lines().filter(|l| l.contains('\t')).count() >= 7 + 16,
        "{pool}"
    );
    let out = ok(
        &court,
        &[
            "hearing",
            "draw",
            "--hearing",
            &hearing,
            "--count",
            "3",
            "--seed",
            "演示",
            "--kinds",
            "partyDelegate,congressDeputy,cppccMember",
        ],
    );
    let shown = ok(&court, &["hearing", "show", &hearing]);
    assert_eq!(
        shown.lines().filter(|l| l.contains("\t听证员\t")).count(),
        3,
        "{out}\n{shown}"
    );
    let mine = cases(&court);
    assert_eq!(cases(&county), mine);
    let in_review = mine
        .iter()
        .find(|l| l.contains("评查化解"))
        .unwrap_or_else(|| panic!("a case under review: {mine:?}"));
    let number = in_review
        .split('\t')
        .next()
        .expect("number")
        .trim()
        .to_owned();
    let review = [
        "case",
        "action",
        "--case",
        &number,
        "--action",
        "withdraw",
        "--reason",
        "信访人书面撤回信访",
    ];
    let o = ctl(&county, &review);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("只能查看") && text(&o).contains("东河区人民法院"),
        "{}",
        text(&o)
    );
    ok(&court, &review);

    // A desk whose org is not the demo city's is told so.
    let other = tmp.path().join("other");
    server.admin(&[
        "org",
        "add",
        "--id",
        "ELSE",
        "--name",
        "别处政法委",
        "--parent",
        "QSS",
    ]);
    let code = server.admin(&["code", "issue", "--org", "ELSE"]);
    ok(
        &other,
        &[
            "enroll", "--server", &url, "--code", &code, "--name", "other",
        ],
    );
    let o = ctl(&other, &["demo"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("不是演示城市的单位"), "{}", text(&o));
}

/// Closure approval across desks: the court records its own levels, the county committee's level
/// waits in that committee's 待审批 and is decided on its desk, and the decision reaches the
/// court by sync — which itself can no longer enter it.
#[test]
fn the_committee_decides_its_level_on_its_own_desk_and_the_court_sees_it() {
    let (_tmp, _server, enrol) = demo_network();
    let court = enrol("court", "DHQFY");
    ok(&court, &["demo"]);
    let county = enrol("county", "DHQ");
    let west = enrol("west", "XLX");
    let number = cases(&court)
        .iter()
        .find(|l| l.contains("\t终结审批\t"))
        .and_then(|l| l.split('\t').next())
        .expect("a case in 终结审批")
        .trim()
        .to_owned();
    let approve = |dir: &Path, level: &str, who: &str| {
        ctl(
            dir,
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
        )
    };
    // Nothing waits for the committee before the court's own levels are done.
    ok(&court, &["sync"]);
    ok(&county, &["sync"]);
    assert!(ok(&county, &["closure", "inbox"]).contains("没有等待"));
    // Nor may the committee decide the court's own levels.
    let o = approve(&county, "caseOfficer", "冒名");
    assert!(!o.status.success());
    assert!(text(&o).contains("只能查看"), "{}", text(&o));
    for (level, who) in [("caseOfficer", "李承办"), ("organHead", "孙院长")] {
        let o = approve(&court, level, who);
        assert!(o.status.success(), "{}", text(&o));
    }
    // The court may not type the committee's decision: it names who decides.
    let o = approve(&court, "committee", "赵书记");
    assert!(!o.status.success());
    assert!(
        text(&o).contains("东河区委政法委") && text(&o).contains("不能代录"),
        "{}",
        text(&o)
    );
    ok(&court, &["sync"]);
    // The committee's 待审批 lists it; the committee may not decide the court's own levels.
    ok(&county, &["sync"]);
    let inbox = ok(&county, &["closure", "inbox"]);
    assert!(
        inbox.contains(&number) && inbox.contains("政法委"),
        "{inbox}"
    );
    let o = approve(&county, "committee", "赵书记");
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("代录"), "{}", text(&o));
    assert!(ok(&county, &["closure", "inbox"]).contains("没有等待"));
    ok(&county, &["sync"]);
    // The decision reaches the court, as the committee's own, not 代录.
    ok(&court, &["sync"]);
    let shown = ok(&court, &["case", "show", &number]);
    let line = shown
        .lines()
        .find(|l| l.trim_start().starts_with("committee\t"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        line.contains("同意（赵书记") && line.contains("东河区委政法委") && !line.contains("代录"),
        "{line}"
    );
    // Another county sees neither the case nor the decision.
    ok(&west, &["sync"]);
    assert!(cases(&west).is_empty());
    assert!(ok(&west, &["closure", "inbox"]).contains("没有等待"));
}

/// 三单 across desks: the city issues a 交办单 on a court's case to the county's 政法委, the
/// county answers on its own desk, the city returns the answer, the county answers again and the
/// city accepts — each part only on its owner's desk, carried by sync; the court sees the slip on
/// its case, another county sees nothing.
#[test]
fn the_city_issues_a_slip_the_county_answers_and_the_city_accepts_on_their_own_desks() {
    let (tmp, _server, enrol) = demo_network();
    let court = enrol("court", "DHQFY");
    ok(&court, &["demo"]);
    ok(&court, &["sync"]);
    let city = enrol("city", "QSS");
    let county = enrol("county", "DHQ");
    let west = enrol("west", "XLX");
    for d in [&city, &county, &west] {
        ok(d, &["sync"]);
    }
    let number = cases(&court)
        .first()
        .and_then(|l| l.split('\t').next())
        .expect("a case of the court")
        .trim()
        .to_owned();
    let due = (chrono::Local::now().date_naive() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let issue = |dir: &Path, extra: &[&str]| {
        let mut args = vec![
            "slip",
            "issue",
            "--case",
            &number,
            "--kind",
            "assign",
            "--to",
            "DHQ",
            "--due",
            &due,
            "--content",
            "请于期限内组织听证并报送情况",
            "--by",
            "李书记",
        ];
        args.extend_from_slice(extra);
        ctl(dir, &args)
    };
    // The court is the case's organ, not above it; the county may not type the city's slip.
    let o = issue(&court, &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("承办机关"), "{}", text(&o));
    let o = issue(&county, &["--from", "QSS"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("不能代录"), "{}", text(&o));

    let o = issue(&city, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let slip = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    assert!(text(&o).contains("青政法交办〔"), "{}", text(&o));
    ok(&city, &["sync"]);
    ok(&county, &["sync"]);
    let todo = ok(&county, &["slip", "list", "--todo"]);
    assert!(
        todo.contains(&slip) && todo.contains("待本单位反馈"),
        "{todo}"
    );
    // The county may not accept the city's slip, nor the city answer for the county.
    let o = ctl(&county, &["slip", "accept", "--slip", &slip]);
    assert!(!o.status.success());
    assert!(text(&o).contains("不能代录"), "{}", text(&o));
    let o = ctl(
        &city,
        &[
            "slip", "feedback", "--slip", &slip, "--text", "冒答", "--by", "某人",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("不能代录"), "{}", text(&o));

    // The county answers and syncs; the city pulls the answer.
    let answer = |words: &str| {
        ok(
            &county,
            &[
                "slip",
                "feedback",
                "--slip",
                &slip,
                "--text",
                words,
                "--by",
                "王科长",
            ],
        );
        ok(&county, &["sync"]);
        ok(&city, &["sync"]);
    };
    answer("已协调法院，拟下周听证");
    let todo = ok(&city, &["slip", "list", "--todo"]);
    assert!(
        todo.contains("待本单位审核") && todo.contains("拟下周听证"),
        "{todo}"
    );
    ok(
        &city,
        &[
            "slip",
            "return",
            "--slip",
            &slip,
            "--reason",
            "未写明听证日期",
        ],
    );
    ok(&city, &["sync"]);
    ok(&county, &["sync"]);
    let listed = ok(&county, &["slip", "list"]);
    assert!(
        listed.contains("退回重报") && listed.contains("未写明听证日期"),
        "{listed}"
    );
    answer("定于20日听证");
    ok(&city, &["slip", "accept", "--slip", &slip]);
    ok(&city, &["sync"]);
    for d in [&county, &court] {
        ok(d, &["sync"]);
        let listed = ok(d, &["slip", "list"]);
        assert!(
            listed.contains("已办结") && listed.contains("第 2 轮反馈") && !listed.contains("代录"),
            "{listed}"
        );
    }
    ok(&west, &["sync"]);
    assert!(ok(&west, &["slip", "list"]).contains("没有单据"));

    // The slip and its last answer print as documents.
    let pdf = tmp.path().join("slip.pdf");
    ok(
        &city,
        &[
            "slip",
            "print",
            "--slip",
            &slip,
            "--out",
            pdf.to_str().expect("path"),
        ],
    );
    let words = std::process::Command::new("pdftotext")
        .args([pdf.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext");
    let words = String::from_utf8_lossy(&words.stdout).replace([' ', '\n'], "");
    assert!(
        words.contains("交办单")
            && words.contains("中共青山市东河区委政法委员会")
            && words.contains("李书记"),
        "{words}"
    );
}

/// 会商研判 across desks: the city holds a conference over a 东河区 case and a 西岭县 case and
/// issues a 交办单 from one conclusion; each county's desk sees the conclusion about its own
/// case (not the other's, not the meeting's other business), the 交办单 arrives in its 待办,
/// and the county cannot conclude on the city's behalf. The minutes and a 通报 print.
#[test]
fn the_city_concludes_a_conference_and_each_county_sees_only_its_own_case() {
    let (tmp, _server, enrol) = demo_network();
    let court = enrol("court", "DHQFY");
    let west_court = enrol("west-court", "XLXFY");
    for d in [&court, &west_court] {
        ok(d, &["demo"]);
        ok(d, &["sync"]);
    }
    let city = enrol("city", "QSS");
    let county = enrol("county", "DHQ");
    let west = enrol("west", "XLX");
    for d in [&city, &county, &west] {
        ok(d, &["sync"]);
    }
    let first = |dir: &Path| -> String {
        cases(dir)
            .first()
            .and_then(|l| l.split('\t').next())
            .expect("a case")
            .trim()
            .to_owned()
    };
    let (east_case, west_case) = (first(&court), first(&west_court));
    let today = chrono::Local::now().date_naive();
    let due = (today + chrono::Duration::days(14))
        .format("%Y-%m-%d")
        .to_string();
    let meeting = ok(
        &city,
        &[
            "meeting",
            "create",
            "--title",
            "2026年第49周涉法涉诉信访案件会商研判会议",
            "--date",
            &today.format("%Y-%m-%d").to_string(),
            "--place",
            "市委政法委三楼会议室",
            "--chair",
            "王明",
            "--present",
            "刘洋:市中级人民法院",
        ],
    )
    .lines()
    .next()
    .unwrap_or_default()
    .trim()
    .to_owned();
    // A county's desk cannot hold the city's meeting.
    let o = ctl(
        &county,
        &[
            "meeting",
            "create",
            "--title",
            "冒名会议",
            "--date",
            "2026-12-08",
            "--place",
            "某地",
            "--chair",
            "某人",
            "--org",
            "QSS",
        ],
    );
    assert!(
        !o.status.success() && text(&o).contains("不能代录"),
        "{}",
        text(&o)
    );
    for c in [&east_case, &west_case] {
        ok(
            &city,
            &["meeting", "add-case", "--meeting", &meeting, "--case", c],
        );
    }
    let said = ok(
        &city,
        &[
            "meeting",
            "conclude",
            "--meeting",
            &meeting,
            "--case",
            &east_case,
            "--discussion",
            "承办单位汇报了化解情况，信访人仍坚持再审诉求。",
            "--conclusion",
            "hearing",
            "--text",
            "由东河区委政法委组织公开听证",
            "--to",
            "DHQ",
            "--due",
            &due,
            "--slip",
            "--by",
            "王明",
        ],
    );
    assert!(said.contains("已发交办单 青政法交办〔"), "{said}");
    ok(
        &city,
        &[
            "meeting",
            "conclude",
            "--meeting",
            &meeting,
            "--case",
            &west_case,
            "--discussion",
            "原处理正确。",
            "--conclusion",
            "close",
        ],
    );
    ok(&city, &["sync"]);
    for d in [&county, &west] {
        ok(d, &["sync"]);
    }
    let seen = ok(&county, &["meeting", "list", "--case", &east_case]);
    assert!(
        seen.contains("组织听证") && seen.contains("由东河区委政法委组织公开听证"),
        "{seen}"
    );
    assert!(seen.contains("青政法交办〔"), "{seen}");
    // On the case's timeline too, though the county's desk did not write it.
    let shown = ok(&county, &["cases", "show", &east_case]);
    assert!(
        shown.contains("会商研判") && shown.contains("研判结论 组织听证"),
        "{shown}"
    );
    // Not the other county's case, nor the meeting itself.
    let o = ctl(&county, &["meeting", "list", "--case", &west_case]);
    assert!(
        !o.status.success(),
        "the west case is not on the county's desk"
    );
    assert!(ok(&county, &["meeting", "list"]).contains("没有会商研判会议"));
    let west_seen = ok(&west, &["meeting", "list", "--case", &west_case]);
    assert!(west_seen.contains("拟终结"), "{west_seen}");
    let todo = ok(&county, &["slip", "list", "--todo"]);
    assert!(todo.contains("待本单位反馈"), "{todo}");

    // The minutes and a 通报 from the city's desk.
    let pdf = tmp.path().join("minutes.pdf");
    ok(
        &city,
        &[
            "meeting",
            "minutes",
            "--meeting",
            &meeting,
            "--out",
            pdf.to_str().expect("path"),
        ],
    );
    let report = tmp.path().join("report.pdf");
    let xlsx = tmp.path().join("report.xlsx");
    let said = ok(
        &city,
        &[
            "report",
            "--period",
            &today.format("%Y").to_string(),
            "--out",
            report.to_str().expect("path"),
            "--xlsx",
            xlsx.to_str().expect("path"),
            "--issue",
            "--by",
            "王明",
        ],
    );
    assert!(said.contains("青政法通〔"), "{said}");
    for f in [&pdf, &report, &xlsx] {
        let len = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        assert!(len > 1000, "{}: {len} bytes", f.display());
    }
}
