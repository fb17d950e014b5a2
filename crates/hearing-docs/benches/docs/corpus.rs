//! The documents the benchmark renders: a closure decision (终结告知书) filled the way the app
//! fills it, and a hearing transcript (听证笔录) with as many testimony entries as a 100-page
//! record needs. The text is invented but written like a real 房屋征收补偿 case, so the fonts
//! are subset to a realistic number of glyphs.

use hearing_docs::{Fields, Stamp};

const PRESIDER: &str = "李明";
const PANEL: [&str; 5] = ["王芳", "赵强", "陈晓东", "周敏", "吴天翀"];
const CLERK: &str = "刘洋";
const PETITIONER: &str = "王䶮";
const AGENT: &str = "张磊";
const OFFICER: &str = "孙立军";
const WITNESS: &str = "马秀英";

const BASIS: &str = "《中共中央办公厅 国务院办公厅关于依法处理涉法涉诉信访问题的意见》和中央政法委《关于建立涉法涉诉信访事项导入法律程序工作机制的意见》《关于健全涉法涉诉信访依法终结制度的实施意见》";

/// The fields of the built-in `decision` template, as the app gathers them for a case with a
/// held hearing and two approval levels.
pub fn decision_fields() -> Fields {
    let mut f = Fields::new();
    f.text("organ", "中共青海市委政法委员会")
        .text("number", "青政法终〔2026〕7号")
        .text("petitioner", PETITIONER)
        .text("petitioner_id", "630102********1234")
        .text("petitioner_address", "青海市城东区建设路88号3单元502室")
        .text("matter", "不服青海市城东区人民法院（2024）青0102行初156号行政判决及房屋征收补偿")
        .text("case_number", "青政法访〔2026〕12号")
        .text(
            "demands",
            "撤销城东区人民政府作出的房屋征收补偿决定，按照周边商品住房市场价格每平方米12,500元重新给予补偿，并赔偿停产停业损失38.6万元",
        )
        .list(
            "history",
            vec![
                "2023年6月12日，青海市城东区人民政府作出《房屋征收决定》（城政征〔2023〕5号），将你位于建设路88号的房屋纳入棚户区改造征收范围。因双方在签约期限内未达成补偿协议，城东区人民政府于2023年11月20日作出《房屋征收补偿决定》，确定货币补偿款共计人民币53.7万元。".into(),
                "你不服该补偿决定，于2024年3月向青海市城东区人民法院提起行政诉讼。该院于2024年9月12日作出（2024）青0102行初156号行政判决，驳回你的诉讼请求。你提起上诉，青海市中级人民法院于2025年1月20日作出（2025）青01行终23号行政判决，驳回上诉，维持原判。".into(),
                "你申请再审，青海省高级人民法院于2025年6月3日作出（2025）青行申88号行政裁定，驳回你的再审申请。你向青海市人民检察院申请监督，该院于2025年9月28日作出不支持监督申请决定。".into(),
                "2025年10月以来，你先后四次到市委政法委、三次到省委政法委反映上述问题。本机关于2025年12月15日将该信访事项导入终结程序，并通知你参加听证。".into(),
            ],
        )
        .text("hearing_date", "2026年2月10日")
        .text("venue", "青海市委政法委第三会议室")
        .text(
            "panel_text",
            format!(
                "由{PRESIDER}担任主持人，{}担任听证员，{CLERK}担任记录员",
                PANEL.join("、")
            ),
        )
        .text("tally_text", "5名听证员中4名同意、1名不同意、0名持其他意见，")
        .text(
            "hearing_opinion",
            "承办单位对该信访事项的处理认定事实清楚、适用法律正确、程序合法，同意依法终结。",
        )
        .list(
            "findings",
            vec![
                "经审查，你反映的问题属于不服人民法院生效行政裁判的涉诉信访事项，争议焦点为补偿标准是否合理、评估程序是否合法以及停产停业损失是否应予补偿。原案认定事实清楚，证据确实充分，适用法律正确，处理结果适当，程序合法。".into(),
                "关于评估程序。评估机构由被征收人投票选定，分户评估报告于2023年8月15日在征收现场及区政府网站公示，并已向你留置送达，你未在法定期限内申请复核评估。你提出的“评估时未通知到场”的主张，与入户调查登记表记载的情况不符，本机关不予采纳。".into(),
                "关于补偿标准和停产停业损失。涉案房屋登记用途为住宅，你提供的营业执照自2019年起未报送年度报告，亦不能提供纳税凭证，不足以证明房屋在征收决定公告前持续用于经营。补偿款已经按照评估价格加百分之十的搬迁奖励计算，高于同类房屋的市场成交均价。".into(),
                "有关机关已就你的诉求作出答复（城东区人民法院、青海市中级人民法院先后七次约谈并出具书面答复），并进行了释法说理。2025年11月，你已领取司法救助金人民币2万元。".into(),
                "你的信访诉求已经依法处理，所提理由缺乏事实和法律依据，依法不予支持。".into(),
            ],
        )
        .text("basis", BASIS)
        .text("approved_by", "单位负责人、政法委")
        .text(
            "remedies",
            "本告知不影响你依法通过申请再审、申诉等法律途径主张权利。你如有新的事实、证据，可以依法向有管辖权的机关提出。",
        )
        .text("date", "2026年3月5日");
    f
}

/// The stamp of a final decision: QR payload and verification code.
pub fn decision_stamp() -> Stamp {
    Stamp {
        payload: "HD1:0194f7a2-5c3e-7b41-9d2a-6e8f1c0b3a57:3f6c1a9e5b7d2c8f4a0e6b1d9c3f7a2e5b8d0c4f6a1e9b3d7c2f5a8e0b6d4c1f"
            .into(),
        code: "K7Q2-M9XD".into(),
    }
}

/// The fields of the built-in `transcript` template with `entries` testimony entries in the
/// middle five steps (statements, evidence, debate, questions).
pub fn transcript_fields(entries: usize) -> Fields {
    let mut f = Fields::new();
    f.text("matter", "王䶮不服房屋征收补偿行政判决信访案")
        .text("case_number", "青政法访〔2026〕12号")
        .text("mode_public", "现场听证，公开")
        .text("venue", "青海市委政法委第三会议室")
        .text("started_at", "2026年2月10日 09:00")
        .text("ended_at", "2026年2月10日")
        .text("presider", PRESIDER)
        .text("clerk", CLERK)
        .text("panel", PANEL.join("、"))
        .text("observer_count", "6")
        .text("handling_organ", "青海市城东区人民法院")
        .text("case_officer", OFFICER)
        .text(
            "petitioner_particulars",
            format!(
                "{PETITIONER}，公民身份号码630102********1234，住青海市城东区建设路88号3单元502室"
            ),
        )
        .text("agents", format!("{AGENT}（青海正衡律师事务所律师）"))
        .text("others", format!("{WITNESS}（证人）"))
        .text("status", "已结束")
        .list("record", record(entries))
        .text("refusals", "")
        .rows("signers", signers());
    f
}

fn signers() -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["主持人".to_owned(), PRESIDER.to_owned()],
        vec!["记录员".to_owned(), CLERK.to_owned()],
    ];
    rows.extend(
        PANEL
            .iter()
            .map(|p| vec!["听证员".to_owned(), (*p).to_owned()]),
    );
    rows.push(vec!["信访人".to_owned(), PETITIONER.to_owned()]);
    rows.push(vec!["代理人".to_owned(), AGENT.to_owned()]);
    rows.push(vec!["承办人".to_owned(), OFFICER.to_owned()]);
    rows.push(vec!["证人".to_owned(), WITNESS.to_owned()]);
    for r in &mut rows {
        r.push(String::new());
        r.push(String::new());
    }
    rows
}

fn q(who: &str, text: &str) -> String {
    format!("问（{who}）：{text}")
}

fn a(who: &str, text: &str) -> String {
    format!("答（{who}）：{text}")
}

const CN: [&str; 13] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
];

/// The record list (`@h2` step headings and 问/答 entries), as the app builds it.
pub fn record(entries: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut step = 0;
    let mut heading = |out: &mut Vec<String>, title: &str| {
        out.push(format!("@h2 （{}）{title}", CN[step]));
        step += 1;
    };

    heading(&mut out, "签到，核对出席人员");
    out.push(a(CLERK, "报告主持人，信访人王䶮、代理人张磊，承办单位承办人孙立军，证人马秀英均已到场；听证员五名全部到场；旁听人员六名已登记入场。"));
    heading(&mut out, "宣布听证开始、听证事项和纪律");
    out.push(q(PRESIDER, "现在宣布：中共青海市委政法委员会关于王䶮不服房屋征收补偿行政判决信访事项听证会开始。请全体人员遵守听证纪律：关闭通讯工具，不得喧哗、鼓掌、随意走动，未经许可不得录音录像，发言须经主持人许可。"));
    heading(&mut out, "核对身份（身份证件、授权委托书）");
    out.push(q(
        PRESIDER,
        "请信访人出示居民身份证，代理人出示授权委托书和律师执业证。",
    ));
    out.push(a(PETITIONER, "身份证在这里，请核对。"));
    out.push(a(
        AGENT,
        "授权委托书一份，委托权限为特别授权，律师执业证号16301201910234567。",
    ));
    heading(
        &mut out,
        "介绍主持人、听证员、记录员，告知权利义务，询问是否申请回避",
    );
    out.push(q(PRESIDER, "本次听证由我李明主持，听证员为王芳、赵强、陈晓东、周敏、吴天翀，记录员为刘洋。信访人享有申请回避、陈述、举证质证、辩论和最后陈述的权利，负有如实陈述、遵守纪律的义务。信访人是否申请主持人、听证员、记录员回避？"));
    out.push(a(PETITIONER, "不申请回避。"));

    let middle: [(&str, Entry); 5] = [
        ("承办单位陈述", organ_statement),
        ("信访人、代理人陈述", petitioner_statement),
        ("举证、质证", evidence),
        ("辩论", debate),
        ("听证员提问", panel_questions),
    ];
    for (i, (title, entry)) in middle.iter().enumerate() {
        heading(&mut out, title);
        let n = entries / middle.len() + usize::from(i < entries % middle.len());
        out.extend((0..n).map(entry));
    }

    heading(&mut out, "最后陈述（信访人、承办单位）");
    out.push(a(
        PETITIONER,
        "我还是坚持我的诉求，希望组织上认真核查，给我一个公道。",
    ));
    out.push(a(
        OFFICER,
        "承办单位坚持原处理意见，建议依法终结，同时愿意继续配合属地做好帮扶工作。",
    ));
    heading(&mut out, "休会，听证员评议");
    out.push(q(
        PRESIDER,
        "现在休会，听证员进行评议。请其他人员退场等候。（评议不公开，评议意见另行记录。）",
    ));
    heading(&mut out, "复会，宣布评议意见");
    out.push(q(PRESIDER, "现在复会。经评议，五名听证员中四名同意依法终结、一名不同意，多数意见为同意终结。评议意见将报本机关审核。"));
    heading(&mut out, "主持人总结、笔录核对签字、闭会");
    out.push(q(
        PRESIDER,
        "听证会到此结束。请参加人核对笔录，确认无误后逐页签字。现在闭会。",
    ));
    out
}

/// Makes the i-th entry of a step.
type Entry = fn(usize) -> String;

fn pick<'a>(pool: &[&'a str], i: usize, salt: usize) -> &'a str {
    pool[(i * 7 + salt) % pool.len()]
}

const QUESTIONS: [&str; 20] = [
    "请承办单位说明，评估报告送达信访人的时间和方式，有无送达回证？",
    "信访人，你刚才说评估时没有通知你到场，你当时是否在家？事后是否看到过入户调查登记表？",
    "请信访人明确，你的信访诉求具体包括哪几项？请逐项说明。",
    "承办单位，信访人提出的调查取证申请，法院是否作出处理？依据是什么？",
    "请代理人说明，认为评估程序违法的具体法律依据和证据。",
    "信访人，你所说的厨房和储藏室有没有取得规划许可或者其他审批手续？",
    "请承办单位说明，同一栋楼其他住户的补偿标准和信访人是否一致？差异的原因是什么？",
    "信访人对承办单位出示的证据有无异议？有异议的请说明理由。",
    "信访人在2025年12月以后是否又到市、省或者北京上访？有无新的事实、证据？",
    "请承办单位介绍一下对信访人落实帮扶措施的情况，街道办事处有没有参与？",
    "信访人对法院的再审裁定是否还有其他意见？是否申请过检察监督？",
    "如果征收部门同意在安置房源上给予适当照顾，你能否接受？",
    "评估机构是怎样选定的？投票的时候有多少户参加，结果有没有公示？",
    "你家里现在住在哪里？过渡费每个月领取多少，是否按时足额发放？",
    "代理人所说的“参照经营性用房补偿”，有没有具体的文件依据？",
    "证人，你和信访人是什么关系？你说小卖部一直开到拆迁前，有什么能够证明？",
    "承办单位，七次约谈分别是哪一天，由谁参加，信访人当时是什么态度？",
    "信访人，你提交的周边房屋成交价格是从哪里查到的？是否经过核实？",
    "请承办单位说明，司法救助金的审批程序和发放时间，是否告知了信访人救助的性质。",
    "信访人，你的家庭成员有几人？目前的收入来源和身体状况如何？",
];

const ORGAN: [&str; 12] = [
    "2023年6月，城东区人民政府作出房屋征收决定，将信访人位于建设路88号的房屋纳入棚户区改造范围。征收部门委托具有资质的评估机构进行评估，评估结果于同年8月15日在征收现场和区政府网站公示，公示期十五日，信访人未在期限内申请复核。",
    "2024年3月，王䶮以城东区人民政府为被告提起行政诉讼，请求撤销补偿决定。我院经审理认为，补偿决定认定事实清楚，程序合法，于2024年9月12日判决驳回其诉讼请求。",
    "信访人不服一审判决提起上诉，青海市中级人民法院于2025年1月20日作出终审判决，驳回上诉，维持原判。信访人申请再审，青海省高级人民法院于2025年6月3日裁定驳回再审申请。",
    "判决生效后，我院先后七次约谈信访人，释明法律规定和判决理由，并协调区住建局、街道办事处就安置房源、过渡费等问题进行沟通，信访人均表示不接受。",
    "关于停产停业损失，信访人提交的营业执照显示其经营范围为日用百货零售，但2019年至2023年间未按规定报送年度报告，也未能提供纳税凭证，评估机构依据实地查勘情况认定为住宅用房，不计算停产停业损失。",
    "关于调查取证申请，一审法院在庭前会议中已向信访人当庭释明，其申请调取的其他住户补偿协议涉及第三人个人信息，且与本案补偿决定的合法性审查无直接关联，故未予准许，并记入庭审笔录。",
    "关于评估机构的选定，征收部门于2023年7月组织被征收人投票，应参加一百二十六户，实际参加一百零九户，得票最多的青海恒信房地产评估有限公司当选，选定结果当日在征收现场公告。",
    "关于同楼住户的补偿差异，李某某家在签约期限内签订协议，依照征收补偿方案享受了百分之十的签约奖励和提前搬迁奖励，补偿标准与信访人的评估单价完全一致，并不存在区别对待。",
    "2025年11月，我院会同区司法局为信访人申请司法救助，经审查符合条件，已发放救助金2万元，信访人签收了救助金但仍坚持原诉求。",
    "我院认为，原审认定事实清楚，证据确实充分，适用法律正确，处理结果适当，审判程序合法，信访人的信访诉求已经依法处理，建议依法终结。",
    "信访人的过渡费自2023年12月起按每月一千二百元标准发放，已经足额发放至2026年1月，发放凭证均有信访人本人签字。",
    "街道办事处已为信访人的母亲办理了城乡居民医疗保险和慢性病门诊待遇，社区网格员每月上门走访一次，帮扶记录随卷附上。",
];

const PETITION: [&str; 12] = [
    "我家的房子是1992年父亲单位分的，1998年房改时买下的，一楼临街，一直开小卖部，全家就靠这个过日子。评估的时候没有人通知我到场，公示的材料我也没看到。",
    "评估报告上写的面积是62.4平方米，可我家后面还有一间十几平方米的厨房和储藏室，是八十年代就盖的，当时所有邻居都这么盖，凭什么不算面积？",
    "同一栋楼的李某某家，一样的户型，拿到的补偿款比我家多出将近二十万元，我去问征收办，他们说那是协商的结果，我觉得这就是不公平。",
    "法院判决的时候根本没有调取我申请的证据，我向法院提交了调查取证申请书，法院既没有准许也没有给我书面答复，这个程序就是违法的。",
    "我不是不讲道理，我只要求按照周边二手房的市场价格补偿，现在附近同样地段的房子每平方米要一万二千多元，按评估价根本买不到房子。",
    "这几年我为了这个事情跑了不下一百次，身体也垮了，孩子上学也受影响。我要的就是一个公道，如果当初有人认真听我说一说，也不会走到今天。",
    "救助金我是收了，但那是政府应该给的，和我的征收补偿是两回事，我没有同意终结。",
    "我母亲今年七十八岁，有高血压和糖尿病，现在租的房子在六楼没有电梯，老人家下不了楼，每个月房租就要一千五百元，过渡费根本不够。",
    "那个投票我知道，可是很多人根本不知道投的是什么，都是社区的人拿着表格挨家挨户让签字的，这样选出来的评估公司怎么能算数？",
    "营业执照的年报是因为我不会在网上操作才没报的，小卖部每天都开门，整条街的人都知道，这个总不能说没有经营吧。",
    "我也不是非要多少钱，只要能在附近买一套差不多大小的房子，让老人和孩子有个安稳的地方住，我就不再跑了。",
    "检察院的决定书我收到了，上面只有几句话，没有说明为什么不支持，我对这个也有意见。",
];

const AGENT_SAYS: [&str; 8] = [
    "代理人认为，征收部门在评估机构选定环节未充分保障被征收人的知情权，部分住户反映投票时并不了解候选机构情况，有违《国有土地上房屋征收评估办法》第四条的立法本意。",
    "涉案房屋虽登记为住宅，但信访人长期以该房屋从事经营活动，周边居民均可证明，依据相关规定，应当参照经营性用房给予适当补偿。",
    "代理人提请听证员注意，一审庭审笔录第七页记载，被告代理人当庭承认评估现场勘察时被征收人不在场，这一事实足以说明评估程序存在瑕疵。",
    "对于该份证据的真实性无异议，但对其证明目的有异议。公示照片无法显示拍摄时间和地点，不能证明公示已在征收现场张贴满十五日。",
    "代理人补充一点：补偿决定作出时距评估时点已经超过一年，其间房价上涨明显，继续适用原评估结果对被征收人不公平，应当重新评估或者予以调整。",
    "代理人不否认生效判决的既判力，但信访事项的终结应当以诉求得到依法处理为前提，目前信访人的实际居住困难并没有解决，建议听证员予以考虑。",
    "对于约谈笔录，代理人认为笔录只记录了承办法官的释明内容，没有完整记录信访人提出的问题，不能全面反映约谈情况。",
    "综上，代理人请求听证员在评议时综合考虑本案的历史原因和信访人的家庭实际困难，审慎作出是否同意终结的意见。",
];

const WITNESS_SAYS: [&str; 4] = [
    "我在建设路住了三十多年，王家的小卖部从九几年就开着，一直开到拆迁前，街坊邻居买东西都去他家。",
    "公示贴没贴我说不清楚，那段时间楼道里贴的东西很多，有通知也有广告，我没注意看。",
    "投票那天是社区的小刘拿着表来的，说选一家评估公司，我就在第一家后面打了勾，别的没多问。",
    "王家老太太身体不好我是知道的，以前经常看见她坐在店门口晒太阳，搬走以后就很少见到了。",
];

const EXHIBITS: [&str; 12] = [
    "《房屋征收决定》（城政征〔2023〕5号）及公告照片，证明征收决定已依法作出并公告",
    "评估机构选定投票汇总表及选定结果公告，证明评估机构系由被征收人投票选定",
    "《房屋分户评估报告》及留置送达照片、见证人签名，证明评估报告已依法送达",
    "征收现场公示照片十二张及区政府网站截图，证明分户评估结果已公示十五日",
    "《房屋征收补偿决定》及送达回证，证明补偿决定的内容和送达情况",
    "一审行政判决书、二审行政判决书、再审行政裁定书，证明原案已经法定程序审查处理",
    "约谈笔录七份及书面答复三份，证明承办单位已多次释法说理",
    "司法救助审批表、救助金发放凭证及信访人签收单，证明已落实司法救助",
    "营业执照复印件及个体工商户年度报告查询记录，证明经营状况",
    "周边二手住房成交价格查询单九份，证明周边房屋市场价格",
    "过渡费发放明细及银行转账凭证，证明过渡费已按月足额发放",
    "社区帮扶走访记录及医疗保险参保证明，证明属地已落实帮扶措施",
];

fn organ_statement(i: usize) -> String {
    if i % 3 == 2 {
        q(pick(&PANEL, i, 1), pick(&QUESTIONS, i, 3))
    } else {
        a(OFFICER, pick(&ORGAN, i, 0))
    }
}

fn petitioner_statement(i: usize) -> String {
    match i % 4 {
        0 | 1 => a(PETITIONER, pick(&PETITION, i, 2)),
        2 => a(AGENT, pick(&AGENT_SAYS, i, 1)),
        _ => q(PRESIDER, pick(&QUESTIONS, i, 5)),
    }
}

fn evidence(i: usize) -> String {
    let n = i / 3 + 1;
    let exhibit = EXHIBITS[(i / 3) % EXHIBITS.len()];
    match i % 3 {
        0 => a(OFFICER, &format!("出示证据{n}：{exhibit}。")),
        1 => a(AGENT, &format!("对证据{n}，{}", pick(&AGENT_SAYS, i, 3))),
        _ => a(PETITIONER, &format!("对证据{n}，{}", pick(&PETITION, i, 4))),
    }
}

fn debate(i: usize) -> String {
    match i % 5 {
        0 => a(AGENT, pick(&AGENT_SAYS, i, 0)),
        1 => a(OFFICER, pick(&ORGAN, i, 5)),
        2 => a(PETITIONER, pick(&PETITION, i, 6)),
        3 => a(WITNESS, pick(&WITNESS_SAYS, i, 0)),
        _ => q(
            PRESIDER,
            "请各方围绕争议焦点发表意见，不要重复已经陈述过的内容。",
        ),
    }
}

fn panel_questions(i: usize) -> String {
    if i % 2 == 0 {
        q(pick(&PANEL, i, 2), pick(&QUESTIONS, i, 0))
    } else {
        match i % 3 {
            0 => a(OFFICER, pick(&ORGAN, i, 7)),
            1 => a(PETITIONER, pick(&PETITION, i, 8)),
            _ => a(WITNESS, pick(&WITNESS_SAYS, i, 1)),
        }
    }
}
