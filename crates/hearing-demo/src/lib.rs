//! Demo data: the fictional 青山市 with its political-legal organs, a pool of invitable people
//! and a file of petition cases in every state. Pure data for the first-run demo, screenshots,
//! tests and the benchmark datasets — kept out of `hearing-core`, whose domain rules it only
//! uses; the store's loader (`hearing_store::demo`) inserts it, mapping the org keys used here
//! to real ids.
//!
//! Everything is invented: the city, its counties, every person, company, ID number, phone
//! number, licence number and case. ID numbers use the made-up region codes 1599xx (青山市) so
//! they cannot belong to anyone, but carry correct GB 11643 check characters so they pass
//! validation; credit codes likewise carry correct GB 32100 check characters.

use hearing_core::analysis::CaseAnalysis;
use hearing_core::case::{
    CaseCategory, CaseInput, CaseStatus, PetitionerInput, PetitionerKind, Ruling,
};
use hearing_core::org::{OrgInput, OrgKind};
use hearing_core::person::{PersonInput, PersonKind, PersonLevel};
use hearing_core::validate::id_check_char;

/// An org of the demo city. `input.parent_id` is `None`; the loader resolves `parent` (a key of
/// another [`DemoOrg`]) to the id it assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOrg {
    pub key: &'static str,
    pub parent: Option<&'static str>,
    pub input: OrgInput,
}

/// A member of the person pool, kept by the org with key `org`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPerson {
    pub org: &'static str,
    pub input: PersonInput,
    pub active: bool,
}

/// A case owned by the org `org` and handled by the organ `organ` (both org keys).
/// `input.handling_organ_id` and `input.number` are empty: the loader fills the organ id and the
/// store assigns the number.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCase {
    pub org: &'static str,
    pub organ: &'static str,
    pub input: CaseInput,
    pub status: CaseStatus,
    pub analysis: CaseAnalysis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    pub orgs: Vec<DemoOrg>,
    pub persons: Vec<DemoPerson>,
    pub cases: Vec<DemoCase>,
}

/// The whole demo city: 20 orgs, 41 people, 31 cases.
pub fn demo_data() -> DemoData {
    let mut cases = cases_civil();
    cases.extend(cases_public_law());
    cases.extend(cases_criminal_and_enforcement());
    DemoData {
        orgs: orgs(),
        persons: persons(),
        cases,
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A resident ID number from its region (6 digits), birth date (8) and sequence (3; odd for men,
/// even for women), with the GB 11643 check character appended.
fn rid(region: &str, birth: &str, seq: &str) -> String {
    let first17 = format!("{region}{birth}{seq}");
    let check = id_check_char(&first17);
    format!("{first17}{check}")
}

const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A 统一社会信用代码 from its first 17 characters with the GB 32100 check character appended.
/// Characters outside the alphabet count as 0 (the data here uses none).
fn usci(first17: &str) -> String {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for b in first17.bytes().take(17) {
        let v = CREDIT_ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32;
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = CREDIT_ALPHABET[((31 - sum % 31) % 31) as usize];
    format!("{first17}{}", char::from(check))
}

fn org(
    key: &'static str,
    parent: Option<&'static str>,
    kind: OrgKind,
    name: &str,
    short_name: &str,
    code: &str,
) -> DemoOrg {
    DemoOrg {
        key,
        parent,
        input: OrgInput {
            parent_id: None,
            name: name.into(),
            short_name: short_name.into(),
            kind,
            code: code.into(),
        },
    }
}

/// Starts a pool entry; the `with_*` methods below add the optional fields.
fn person(
    org: &'static str,
    kind: PersonKind,
    level: Option<PersonLevel>,
    name: &str,
    unit: &str,
    title: &str,
    phone: &str,
) -> DemoPerson {
    DemoPerson {
        org,
        input: PersonInput {
            name: name.into(),
            kind: Some(kind),
            level,
            unit: unit.into(),
            title: title.into(),
            phone: phone.into(),
            ..PersonInput::default()
        },
        active: true,
    }
}

impl DemoPerson {
    fn with_id(mut self, region: &str, birth: &str, seq: &str) -> Self {
        self.input.id_number = rid(region, birth, seq);
        self
    }

    fn with_licence(mut self, licence_no: &str, law_firm: &str) -> Self {
        self.input.licence_no = licence_no.into();
        self.input.law_firm = law_firm.into();
        self
    }

    fn with_expertise(mut self, expertise: &str) -> Self {
        self.input.expertise = expertise.into();
        self
    }

    fn with_term(mut self, start: &str, end: &str) -> Self {
        self.input.term_start = start.into();
        self.input.term_end = end.into();
        self
    }

    fn with_note(mut self, note: &str) -> Self {
        self.input.note = note.into();
        self
    }

    fn inactive(mut self) -> Self {
        self.active = false;
        self
    }
}

/// A petitioner who is a natural person. `id` is empty or built with [`rid`].
fn citizen(name: &str, id: String, phone: &str, address: &str) -> PetitionerInput {
    PetitionerInput {
        kind: PetitionerKind::Person,
        name: name.into(),
        id_number: id,
        phone: phone.into(),
        address: address.into(),
        credit_code: String::new(),
        representative: String::new(),
    }
}

/// A petitioner that is an organisation, with its credit code and legal representative.
fn organisation(
    name: &str,
    credit_code: String,
    representative: &str,
    phone: &str,
    address: &str,
) -> PetitionerInput {
    PetitionerInput {
        kind: PetitionerKind::Organisation,
        name: name.into(),
        id_number: String::new(),
        phone: phone.into(),
        address: address.into(),
        credit_code,
        representative: representative.into(),
    }
}

fn ruling(organ: &str, number: &str, date: &str, summary: &str) -> Ruling {
    Ruling {
        organ: organ.into(),
        number: number.into(),
        date: date.into(),
        summary: summary.into(),
    }
}

/// No 四明五清 item written yet.
const BLANK: [&str; 9] = [""; 9];

/// The nine 四明五清 findings in checklist order (historical facts … errors and flaws); an empty
/// string leaves the item open.
fn analysis(items: [&str; 9]) -> CaseAnalysis {
    let [a, b, c, d, e, f, g, h, i] = items.map(str::to_owned);
    CaseAnalysis {
        historical_facts: a,
        problem_nature: b,
        handling_principle: c,
        petition_demands: d,
        responsible_parties: e,
        social_relations: f,
        crux: g,
        existing_replies: h,
        errors_and_flaws: i,
    }
}

/// One case file before it becomes a [`DemoCase`].
struct Spec {
    org: &'static str,
    organ: &'static str,
    status: CaseStatus,
    category: CaseCategory,
    registered_on: &'static str,
    officer: &'static str,
    title: &'static str,
    petitioners: Vec<PetitionerInput>,
    original: &'static str,
    rulings: Vec<Ruling>,
    demands: &'static str,
    background: &'static str,
    analysis: [&'static str; 9],
}

impl Spec {
    fn build(self) -> DemoCase {
        DemoCase {
            org: self.org,
            organ: self.organ,
            input: CaseInput {
                number: String::new(),
                handling_organ_id: String::new(),
                case_officer: self.officer.into(),
                title: self.title.into(),
                category: Some(self.category),
                petitioners: self.petitioners,
                original_case_number: self.original.into(),
                rulings: self.rulings,
                demands: self.demands.into(),
                background: self.background.into(),
                registered_on: self.registered_on.into(),
            },
            status: self.status,
            analysis: analysis(self.analysis),
        }
    }
}

// Region codes of the fictional city (not real GB/T 2260 codes).
const QS: &str = "159901"; // 青山市市辖区
const DH: &str = "159902"; // 东河区
const XL: &str = "159921"; // 西岭县
const BY: &str = "159925"; // 白云旗

// Court and organ names used in rulings.
const ZY: &str = "青山市中级人民法院";
const GY: &str = "自治区高级人民法院";
const DHFY: &str = "青山市东河区人民法院";
const XLFY: &str = "西岭县人民法院";
const BYFY: &str = "白云旗人民法院";

// ---------------------------------------------------------------------------------------------
// Orgs

fn orgs() -> Vec<DemoOrg> {
    use OrgKind::{Committee, Court, JusticeBureau, Procuratorate, PublicSecurity};
    vec![
        org(
            "qss",
            None,
            Committee,
            "中共青山市委政法委员会",
            "青山市委政法委",
            "QSS",
        ),
        org(
            "qss-fy",
            Some("qss"),
            Court,
            "青山市中级人民法院",
            "青山中院",
            "QSZY",
        ),
        org(
            "qss-jcy",
            Some("qss"),
            Procuratorate,
            "青山市人民检察院",
            "青山市检察院",
            "QSJCY",
        ),
        org(
            "qss-gaj",
            Some("qss"),
            PublicSecurity,
            "青山市公安局",
            "青山市公安局",
            "QSGAJ",
        ),
        org(
            "qss-sfj",
            Some("qss"),
            JusticeBureau,
            "青山市司法局",
            "青山市司法局",
            "QSSFJ",
        ),
        // 东河区: the city's central district.
        org(
            "dhq",
            Some("qss"),
            Committee,
            "中共青山市东河区委政法委员会",
            "东河区委政法委",
            "DHQ",
        ),
        org(
            "dhq-fy",
            Some("dhq"),
            Court,
            "青山市东河区人民法院",
            "东河区法院",
            "DHQFY",
        ),
        org(
            "dhq-jcy",
            Some("dhq"),
            Procuratorate,
            "青山市东河区人民检察院",
            "东河区检察院",
            "DHQJCY",
        ),
        org(
            "dhq-gaj",
            Some("dhq"),
            PublicSecurity,
            "青山市公安局东河区分局",
            "东河公安分局",
            "DHQGAJ",
        ),
        org(
            "dhq-sfj",
            Some("dhq"),
            JusticeBureau,
            "青山市东河区司法局",
            "东河区司法局",
            "DHQSFJ",
        ),
        // 西岭县: farming county in the hills.
        org(
            "xlx",
            Some("qss"),
            Committee,
            "中共西岭县委政法委员会",
            "西岭县委政法委",
            "XLX",
        ),
        org(
            "xlx-fy",
            Some("xlx"),
            Court,
            "西岭县人民法院",
            "西岭县法院",
            "XLXFY",
        ),
        org(
            "xlx-jcy",
            Some("xlx"),
            Procuratorate,
            "西岭县人民检察院",
            "西岭县检察院",
            "XLXJCY",
        ),
        org(
            "xlx-gaj",
            Some("xlx"),
            PublicSecurity,
            "西岭县公安局",
            "西岭县公安局",
            "XLXGAJ",
        ),
        org(
            "xlx-sfj",
            Some("xlx"),
            JusticeBureau,
            "西岭县司法局",
            "西岭县司法局",
            "XLXSFJ",
        ),
        // 白云旗: pastoral banner, Mongolian and Han.
        org(
            "byq",
            Some("qss"),
            Committee,
            "中共白云旗委政法委员会",
            "白云旗委政法委",
            "BYQ",
        ),
        org(
            "byq-fy",
            Some("byq"),
            Court,
            "白云旗人民法院",
            "白云旗法院",
            "BYQFY",
        ),
        org(
            "byq-jcy",
            Some("byq"),
            Procuratorate,
            "白云旗人民检察院",
            "白云旗检察院",
            "BYQJCY",
        ),
        org(
            "byq-gaj",
            Some("byq"),
            PublicSecurity,
            "白云旗公安局",
            "白云旗公安局",
            "BYQGAJ",
        ),
        org(
            "byq-sfj",
            Some("byq"),
            JusticeBureau,
            "白云旗司法局",
            "白云旗司法局",
            "BYQSFJ",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// The person pool

fn persons() -> Vec<DemoPerson> {
    use PersonKind::*;
    use PersonLevel::*;
    vec![
        // ----- kept by the city committee -----
        person(
            "qss",
            CongressDeputy,
            Some(City),
            "王䶮",
            "青山市第二中学",
            "校长",
            "13904741201",
        )
        .with_id(QS, "19710623", "015")
        .with_expertise("教育管理、青少年权益保护")
        .with_term("2022-01-08", "2027-01-07")
        .with_note("青山市第十届人民代表大会代表；多次参加涉校园纠纷听证。"),
        person(
            "qss",
            CppccMember,
            Some(City),
            "陈堃",
            "青山市第一人民医院",
            "副院长",
            "13847402318",
        )
        .with_id(QS, "19680915", "037")
        .with_expertise("医院管理、医患纠纷")
        .with_term("2022-01-06", "2027-01-05")
        .with_note("政协青山市第十届委员会委员，医卫界别。涉医疗纠纷案件注意回避本院案件。"),
        person(
            "qss",
            Expert,
            Some(City),
            "李喆",
            "青山学院法学院",
            "教授、法学博士",
            "15847416620",
        )
        .with_expertise("民事诉讼法、行政法、信访法治")
        .with_note("青山市委政法委法律顾问。"),
        person(
            "qss",
            PartyDelegate,
            Some(City),
            "赵淑芬",
            "东河区新华街道光明社区",
            "党委书记、居委会主任",
            "13614747655",
        )
        .with_id(DH, "19660302", "026")
        .with_expertise("基层治理、邻里纠纷")
        .with_term("2021-09-01", "2026-08-31")
        .with_note("任期届满，待新一届市党代会代表名单确认后更新。")
        .inactive(),
        person(
            "qss",
            PartyDelegate,
            Some(City),
            "高建国",
            "青山能源集团有限公司",
            "工会副主席",
            "13904745106",
        )
        .with_id(QS, "19720418", "051")
        .with_expertise("劳动关系、职工权益")
        .with_term("2026-08-28", "2031-08-27")
        .with_note("中共青山市第九次代表大会代表。"),
        person(
            "qss",
            CongressDeputy,
            Some(Provincial),
            "孙丽华",
            "内蒙古青山乳业有限公司",
            "董事长",
            "18604740099",
        )
        .with_expertise("企业经营、合同纠纷")
        .with_term("2023-01-12", "2028-01-11")
        .with_note("自治区第十四届人民代表大会代表。"),
        person(
            "qss",
            CongressDeputy,
            Some(National),
            "巴特尔",
            "白云旗哈日嘎查",
            "党支部书记、牧民",
            "15147498123",
        )
        .with_id(BY, "19750810", "013")
        .with_expertise("牧区草场承包、民族团结")
        .with_term("2023-03-05", "2028-03-04")
        .with_note("第十四届全国人民代表大会代表；能用蒙古语主持调解。"),
        person(
            "qss",
            CppccMember,
            Some(City),
            "潘志明",
            "青山市工商业联合会",
            "副主席",
            "13904746688",
        )
        .with_expertise("民营企业、商事纠纷")
        .with_term("2022-01-06", "2027-01-05")
        .with_note("2025年起因身体原因暂停参加听证。")
        .inactive(),
        person(
            "qss",
            Lawyer,
            None,
            "周文斌",
            "内蒙古青城律师事务所",
            "主任、一级律师",
            "13847403366",
        )
        .with_licence("15099200511000321", "内蒙古青城律师事务所")
        .with_expertise("民商事诉讼、建设工程")
        .with_note("青山市律师协会副会长；市委政法委涉法涉诉信访律师团成员。"),
        person(
            "qss",
            Lawyer,
            None,
            "吴敏",
            "内蒙古青城律师事务所",
            "合伙人",
            "15034741278",
        )
        .with_licence("15099201110002217", "内蒙古青城律师事务所")
        .with_expertise("婚姻家庭、继承、劳动争议"),
        person(
            "qss",
            Lawyer,
            None,
            "郑海涛",
            "内蒙古北辰律师事务所",
            "律师",
            "13500641953",
        )
        .with_id(QS, "19790205", "019")
        .with_licence("15099200911004410", "内蒙古北辰律师事务所")
        .with_expertise("刑事辩护、刑事申诉"),
        person(
            "qss",
            Lawyer,
            None,
            "冯雪",
            "内蒙古北辰律师事务所",
            "律师",
            "18747415520",
        )
        .with_licence("15099201610006602", "内蒙古北辰律师事务所")
        .with_expertise("行政诉讼、征地拆迁"),
        person(
            "qss",
            Lawyer,
            None,
            "林志远",
            "青山市法律援助中心",
            "公职律师",
            "0474-8261155",
        )
        .with_licence("15099201361000058", "青山市法律援助中心")
        .with_expertise("法律援助、国家赔偿")
        .with_note("公职律师，参加听证须经所在单位同意。"),
        person(
            "qss",
            Expert,
            Some(City),
            "何静",
            "青山市心理健康指导中心",
            "国家二级心理咨询师",
            "13171474502",
        )
        .with_id(QS, "19830727", "048")
        .with_expertise("信访人心理疏导、危机干预")
        .with_note("可在听证前后对信访人进行心理评估和疏导。"),
        person(
            "qss",
            Expert,
            Some(City),
            "马㛃",
            "青山市第一人民医院",
            "普外科主任医师",
            "13948740281",
        )
        .with_expertise("外科诊疗规范、医疗损害")
        .with_note("涉本院医疗纠纷应当回避。"),
        person(
            "qss",
            Expert,
            None,
            "杨立新",
            "青山正信会计师事务所",
            "注册会计师",
            "13614740737",
        )
        .with_expertise("财务审计、借贷资金往来核查"),
        person(
            "qss-sfj",
            PeopleMediator,
            Some(City),
            "许文华",
            "青山市医疗纠纷人民调解委员会",
            "专职人民调解员",
            "13488745210",
        )
        .with_expertise("医疗纠纷调解"),
        person(
            "qss-sfj",
            PeopleMediator,
            Some(City),
            "邓国庆",
            "青山市道路交通事故纠纷人民调解委员会",
            "人民调解员",
            "15804741963",
        )
        .with_id(QS, "19640111", "031")
        .with_expertise("交通事故损害赔偿")
        .with_note("原市公安局交警支队民警，已退休。"),
        person(
            "qss-jcy",
            Other,
            Some(City),
            "韩志刚",
            "青山市第一中学（退休）",
            "人民监督员",
            "13947402885",
        )
        .with_id(QS, "19580920", "013")
        .with_expertise("检察监督、不起诉案件公开审查")
        .with_note("司法行政机关选任的人民监督员，2024年起任期五年。"),
        person(
            "qss-fy",
            Other,
            Some(City),
            "曹玉兰",
            "青山市中级人民法院（退休）",
            "原民二庭庭长",
            "13664740912",
        )
        .with_expertise("民商事审判、执行")
        .with_note("退休法官，特邀调解员；不参加本人曾承办案件的听证。"),
        // ----- 东河区 -----
        person(
            "dhq",
            PeopleMediator,
            Some(Township),
            "刘秀英",
            "东河区新华街道人民调解委员会",
            "主任",
            "13848747109",
        )
        .with_id(DH, "19690514", "022")
        .with_expertise("婚姻家庭、邻里、物业纠纷"),
        person(
            "dhq",
            CongressDeputy,
            Some(County),
            "张伟",
            "东河区实验小学",
            "副校长",
            "15149741836",
        )
        .with_expertise("教育、社区治理")
        .with_term("2021-12-28", "2026-12-27")
        .with_note("东河区第十一届人民代表大会代表。"),
        person(
            "dhq",
            CppccMember,
            Some(County),
            "黄建平",
            "东河区个体劳动者协会",
            "副会长",
            "13754741190",
        )
        .with_expertise("个体工商户经营、租赁纠纷")
        .with_term("2021-12-26", "2026-12-25"),
        person(
            "dhq",
            PartyDelegate,
            Some(County),
            "袁芳",
            "东河区人民医院",
            "护士长",
            "18247418830",
        )
        .with_id(DH, "19810226", "064")
        .with_expertise("医患沟通")
        .with_term("2021-07-20", "2026-07-19")
        .with_note("区党代会已换届，本人连任代表，任期待更新。"),
        person(
            "dhq",
            Lawyer,
            None,
            "宋海军",
            "内蒙古青山明德律师事务所",
            "律师",
            "13314740562",
        )
        .with_licence("15099201410007783", "内蒙古青山明德律师事务所")
        .with_expertise("劳动争议、工伤赔偿"),
        person(
            "dhq",
            Other,
            Some(Township),
            "罗晓燕",
            "东河区建设街道幸福社区",
            "网格员、信访代办员",
            "15947410264",
        )
        .with_expertise("社区网格、代办信访事项"),
        person(
            "dhq",
            Expert,
            Some(City),
            "谢宏",
            "青山学院建筑工程学院",
            "副教授、一级造价工程师",
            "13039745587",
        )
        .with_expertise("工程造价、建设工程施工合同"),
        // ----- 西岭县 -----
        person(
            "xlx",
            PeopleMediator,
            Some(Township),
            "杜长林",
            "西岭县柳树镇人民调解委员会",
            "人民调解员",
            "15947426618",
        )
        .with_id(XL, "19620807", "015")
        .with_expertise("土地承包、宅基地纠纷")
        .with_note("原柳树镇司法所所长，熟悉本镇各村情况。"),
        person(
            "xlx",
            CongressDeputy,
            Some(County),
            "魏春梅",
            "西岭县柳树镇中心学校",
            "校长",
            "13624741127",
        )
        .with_id(XL, "19760310", "028")
        .with_expertise("教育、留守儿童保护")
        .with_term("2021-11-30", "2026-11-29"),
        person(
            "xlx",
            PartyDelegate,
            Some(County),
            "崔振华",
            "西岭县柳树镇红旗村",
            "党支部书记",
            "15848739054",
        )
        .with_expertise("农村土地、集体经济组织")
        .with_term("2021-08-10", "2026-08-09"),
        person(
            "xlx",
            CppccMember,
            Some(County),
            "彭丽",
            "西岭县中医医院",
            "副院长",
            "13804747319",
        )
        .with_expertise("医疗、公共卫生")
        .with_term("2021-11-28", "2026-11-27"),
        person(
            "xlx",
            Lawyer,
            None,
            "蒋卫东",
            "内蒙古正平律师事务所",
            "律师",
            "18904740415",
        )
        .with_id(XL, "19800119", "035")
        .with_licence("15099200811003167", "内蒙古正平律师事务所")
        .with_expertise("农村土地、民间借贷"),
        person(
            "xlx",
            CongressDeputy,
            Some(County),
            "田福",
            "西岭县白杨镇",
            "农民",
            "13947428806",
        )
        .with_term("2016-12-01", "2021-11-29")
        .with_note("任期届满未连任，保留档案备查。")
        .inactive(),
        person(
            "xlx-jcy",
            Other,
            Some(County),
            "董立军",
            "西岭县供销合作社（退休）",
            "人民监督员",
            "13604745510",
        )
        .with_expertise("检察听证、司法救助"),
        // ----- 白云旗 -----
        person(
            "byq",
            PeopleMediator,
            Some(Township),
            "其木格",
            "白云旗巴音苏木人民调解委员会",
            "人民调解员",
            "15304792238",
        )
        .with_id(BY, "19780412", "046")
        .with_expertise("草牧场纠纷；蒙汉双语调解"),
        person(
            "byq",
            PartyDelegate,
            Some(County),
            "敖其尔",
            "白云旗哈达嘎查",
            "党支部书记、嘎查达",
            "13754760381",
        )
        .with_expertise("牧区集体经济、草场流转")
        .with_term("2021-07-15", "2026-07-14")
        .with_note("旗党代会已换届，本人连任，任期待更新。"),
        person(
            "byq",
            CppccMember,
            Some(County),
            "乌日娜",
            "白云旗蒙古族中学",
            "高级教师",
            "18647423307",
        )
        .with_expertise("教育、蒙古语翻译")
        .with_term("2021-12-20", "2026-12-19"),
        person(
            "byq",
            CongressDeputy,
            Some(County),
            "孟和·巴雅尔",
            "白云旗巴音牧民专业合作社",
            "理事长",
            "15004740712",
        )
        .with_id(BY, "19700601", "011")
        .with_expertise("畜牧业、农牧民专业合作社")
        .with_term("2021-12-22", "2026-12-21"),
        person(
            "byq",
            Lawyer,
            None,
            "薛明",
            "内蒙古北辰律师事务所白云旗分所",
            "负责人",
            "13314792059",
        )
        .with_licence("15099201210005542", "内蒙古北辰律师事务所白云旗分所")
        .with_expertise("草原承包、民族地区纠纷"),
        person(
            "byq",
            Expert,
            Some(County),
            "包金花",
            "白云旗草原工作站",
            "高级畜牧师",
            "15848740930",
        )
        .with_expertise("草原承包、畜牧损失评估"),
        person(
            "byq",
            Other,
            Some(County),
            "贺永",
            "白云旗司法局（退休）",
            "原巴音司法所所长",
            "13904792241",
        )
        .with_note("已随子女迁居外地，不再参加听证。")
        .inactive(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Cases: civil disputes between private parties

fn cases_civil() -> Vec<DemoCase> {
    use CaseCategory::*;
    use CaseStatus::*;
    vec![
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: Filed,
            category: Civil,
            registered_on: "2024-01-15",
            officer: "刘建军",
            title: "张桂兰不服民间借贷纠纷二审判决信访案",
            petitioners: vec![citizen(
                "张桂兰",
                rid(DH, "19580312", "042"),
                "13947401285",
                "青山市东河区新华街道光明路18号3栋2单元401室",
            )],
            original: "（2021）青0102民初1234号",
            rulings: vec![
                ruling(DHFY, "（2021）青0102民初1234号", "2021-09-16", "判决赵德明偿还张桂兰借款本金26万元及利息；认定赵德明已还款12万元，驳回张桂兰其他诉讼请求。"),
                ruling(ZY, "（2022）青01民终567号", "2022-03-08", "驳回上诉，维持原判。"),
                ruling(GY, "（2023）青民申1088号", "2023-06-20", "裁定驳回张桂兰的再审申请。"),
            ],
            demands: "要求撤销一、二审判决，认定赵德明出具的12万元还款收条系伪造，判令其偿还全部借款本金38万元及按年利率15%计算的利息。要求追究原审承办法官“偏袒被告、不给鉴定”的责任。",
            background: "2018年4月张桂兰借给同乡赵德明38万元用于开办饭店，约定一年归还。诉讼中赵德明提交张桂兰签名的12万元还款收条，张桂兰否认签名。再审申请被驳回后，张桂兰自2023年7月起先后6次到市委政法委、3次到自治区党委政法委上访，2次进京到国家信访局反映，均转回属地。东河区法院2023年10月12日作出信访答复意见，市中院2023年12月5日复查维持。2024年1月列为区级领导包案事项。",
            analysis: [
                "借款38万元有借条及银行转账记录证实。2019年5月赵德明以现金还款12万元，收条载明“今收到赵德明还款壹拾贰万元整”，有张桂兰签名捺印。一审中张桂兰申请笔迹鉴定，法院两次书面通知其预交鉴定费，其逾期未交，按撤回鉴定申请处理。",
                "属不服生效民事判决的涉诉信访。原案已经一审、二审和自治区高院再审审查，法律程序已经穷尽，符合依法终结条件。",
                "坚持生效裁判的既判力，不因信访改变判决结果；对张桂兰生活困难问题由属地街道按政策帮扶，不以花钱息访代替依法处理。",
                "核心诉求是追回12万元差额及利息；追究法官责任的诉求经区纪委监委驻区法院纪检监察组核查，无事实依据。",
                "承办单位东河区法院，责任人为分管副院长和诉讼服务中心主任；属地责任单位为新华街道办事处。包案领导为区委政法委副书记和区法院副院长。",
                "张桂兰丧偶独居，独子在外地务工，母子关系一般。其弟张桂林是光明社区网格员，对其有一定影响力，可协助做工作。",
                "张桂兰认为“法院不给鉴定”，实为本人未交鉴定费。其对举证责任和程序后果理解不足，借款又是其全部积蓄，心理落差大。",
                "东河区法院2023年10月12日信访答复意见书；市中院2023年12月5日复查意见；区法院组织释法答疑两次，均有笔录。2024年4月经听证后依法终结，终结决定已送达并报市委政法委备案。",
                "经案件评查，原审程序合法、认定事实清楚。一审预交鉴定费通知书未写明逾期不交的法律后果，属文书瑕疵，已在答复中说明并当面致歉，不影响裁判结果。",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-fy",
            status: Served,
            category: Civil,
            registered_on: "2024-03-04",
            officer: "周红梅",
            title: "刘福贵不服土地承包经营权纠纷判决信访案",
            petitioners: vec![citizen(
                "刘福贵",
                rid(XL, "19550917", "013"),
                "13848741652",
                "西岭县柳树镇红旗村三组",
            )],
            original: "（2020）青0121民初567号",
            rulings: vec![
                ruling(XLFY, "（2020）青0121民初567号", "2020-11-20", "判决刘福贵于判决生效后三十日内返还其占用的刘福顺承包地4.6亩。"),
                ruling(ZY, "（2021）青01民终233号", "2021-04-15", "驳回上诉，维持原判。"),
            ],
            demands: "要求确认红旗村三组南洼4.6亩耕地归自己承包，撤销一、二审判决；要求赔偿被强制腾地后的地上收益损失5万元，并为其被司法拘留一事恢复名誉。",
            background: "1998年二轮延包时该4.6亩地登记在刘福贵堂弟刘福顺名下。2010年刘福顺外出务工，地由刘福贵耕种；2019年刘福顺回村要地引发纠纷。判决生效后刘福贵拒不腾地，2021年9月被司法拘留五日。此后其多次到县、市上访，2次到自治区信访局。2023年土地确权登记颁证，该地仍在刘福顺名下。柳树镇政府、县法院先后书面答复。",
            analysis: [
                "二轮延包合同、经营权证和2023年确权登记均记载该4.6亩由刘福顺承包。2010年至2019年刘福贵代为耕种，双方无书面流转协议，也未约定期限。",
                "属不服生效民事判决的涉诉信访，兼有对土地确权结果的不满。确权问题属镇政府职责，已另行答复。",
                "依法维护生效判决；对确权异议引导其依《农村土地承包法》向镇政府提出，不纳入涉诉信访处理。",
                "要求确认承包权、赔偿5万元、恢复名誉。其中赔偿诉求无法律依据，司法拘留决定已经复议维持。",
                "承办单位西岭县法院民一庭，责任人为庭长；属地责任单位为柳树镇政府、红旗村委会。包案领导为县委政法委常务副书记和柳树镇党委书记。",
                "刘福贵与刘福顺系堂兄弟，两家积怨较深；刘福贵之子在县城开出租车，较明事理，愿意配合做工作。村党支部书记崔振华与双方均熟悉。",
                "刘福贵认为自己“种了十年就是自己的地”，混淆了代耕与承包；被拘留后觉得“丢了面子”，情绪对立。",
                "县法院2022年6月信访答复意见；市中院2022年12月复查意见；柳树镇政府2023年8月确权异议答复。2024年10月组织听证，5名听证员一致同意依法终结；终结告知书于2024年12月送达。",
                "经评查，原审认定事实清楚、适用法律正确。执行中采取司法拘留前未充分释明，方法简单，已责成执行局改进。",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: Hearing,
            category: Civil,
            registered_on: "2025-06-10",
            officer: "陈志刚",
            title: "孙桂芝、王建军不服机动车交通事故责任纠纷二审判决信访案",
            petitioners: vec![
                citizen(
                    "孙桂芝",
                    rid(XL, "19600822", "024"),
                    "13904749326",
                    "西岭县城关镇建设街21号",
                ),
                citizen("王建军", rid(XL, "19580105", "011"), "", "西岭县城关镇建设街21号"),
            ],
            original: "（2022）青0121民初845号",
            rulings: vec![
                ruling(XLFY, "（2022）青0121民初845号", "2022-10-11", "判决保险公司在交强险和商业三者险限额内赔偿孙桂芝、王建军各项损失73.6万元；死亡赔偿金按农村居民人均可支配收入标准计算。"),
                ruling(ZY, "（2023）青01民终186号", "2023-03-22", "驳回上诉，维持原判。"),
            ],
            demands: "要求按城镇居民标准重新计算儿子王小军的死亡赔偿金，补足差额约41万元；认为“同命不同价”违反平等原则，要求法院公开道歉。",
            background: "2021年11月6日，王小军（27岁）驾驶摩托车与货车相撞死亡，交警认定货车司机负主要责任，司机以交通肇事罪被判处有期徒刑一年六个月。民事判决生效后，孙桂芝夫妇以“国家已经城乡统一标准”为由多次到市中院、市委政法委上访，2024年3月全国两会期间进京反映。市中院2024年5月答复：事故发生在2022年5月1日司法解释修正施行之前，依法适用原标准。2025年6月纳入拟听证事项，听证会定于2026年12月上旬举行。",
            analysis: [
                "事故发生于2021年11月6日。王小军户籍在西岭县白杨镇，诉讼中提交的在县城租房居住证明不足一年，一、二审均未认定其经常居住地在城镇。",
                "属不服生效民事判决的涉诉信访，争议集中在死亡赔偿金计算标准的法律适用。",
                "依法维护生效判决，同时充分释明司法解释的时间效力；对家庭困难情况，评估是否符合司法救助条件。",
                "补足差额约41万元，公开道歉。差额诉求已经两审审理；道歉诉求无依据。",
                "承办单位青山中院民一庭，责任人为庭长；属地责任单位为西岭县城关镇。包案领导为市中院副院长和西岭县委副书记。",
                "夫妻二人仅此一子，儿媳已改嫁，留有一孙由二人抚养。王建军患糖尿病，家庭收入主要靠孙桂芝打零工。亲属中有一侄在县交警大队工作。",
                "丧子之痛叠加经济困难；对“城乡统一”政策的理解停留在新闻报道层面，不理解新规不溯及既往。",
                "西岭县法院2023年9月答复；市中院2024年5月答复和2024年11月释法答疑笔录。市中院已受理司法救助申请，正在审查。",
                "经评查，一、二审判决适用法律正确；二审判决书对未采纳城镇标准的理由说理较简略，拟在听证中由承办法官当面补充说明。",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-fy",
            status: Hearing,
            category: Civil,
            registered_on: "2025-08-26",
            officer: "高峰",
            title: "郭志强不服医疗损害责任纠纷判决信访案",
            petitioners: vec![citizen(
                "郭志强",
                rid(XL, "19850404", "057"),
                "15147426630",
                "西岭县城关镇安居小区5号楼2单元302室",
            )],
            original: "（2023）青0121民初1021号",
            rulings: vec![
                ruling(XLFY, "（2023）青0121民初1021号", "2024-05-30", "判决西岭县人民医院承担30%的赔偿责任，赔偿郭满仓死亡所致各项损失18.9万元。"),
                ruling(ZY, "（2024）青01民终1377号", "2024-11-12", "驳回上诉，维持原判。"),
            ],
            demands: "要求认定医院负全部责任，赔偿各项损失65万元；要求更换到北京的鉴定机构重新鉴定；要求吊销主治医生执业证书并追究刑事责任。",
            background: "2022年12月郭志强之父郭满仓因腹痛到西岭县人民医院就诊，诊断为粘连性肠梗阻，入院第三天死亡。诉讼中经双方同意委托青山正衡司法鉴定所鉴定，结论为医院观察不到位、未及时转诊，与死亡存在一定因果关系，属次要原因。二审后郭志强在医院门口拉横幅，被公安机关训诫；先后到县卫健局、市卫健委、市政府上访8次。县卫健局已对医院予以通报批评。",
            analysis: [
                "郭满仓，67岁，既往有两次腹部手术史。入院后医院按保守治疗处置，第三天凌晨病情恶化，抢救无效死亡。尸检结论为绞窄性肠梗阻致感染性休克。",
                "属不服生效民事判决的涉诉信访，伴有对医疗机构和医生的行政、刑事追责诉求。",
                "依法维护生效判决；重新鉴定诉求不符合法定条件；追责诉求由卫健部门依职权处理并答复；做好心理疏导。",
                "全责赔偿65万元、重新鉴定、吊销医生执照。",
                "承办单位西岭县法院民一庭；卫健部门负责行政处理答复。包案领导为县法院院长和分管卫健工作的副县长。",
                "郭志强系独子，在县城经营一家汽修店，已婚，有一子上小学。其舅父是退休教师，在家族中有威望，愿协助劝解。",
                "郭志强对父亲去世有强烈自责（当晚未陪护），将情绪转向医院和鉴定机构，认为鉴定机构“收了医院的钱”。",
                "县法院2025年3月答复意见；市中院2025年7月复查意见；县卫健局2025年4月通报批评决定及书面答复。",
                "鉴定程序合法，鉴定人出庭接受了质询。一审判决未回应郭志强关于鉴定机构回避的申请，存在说理瑕疵，二审已予补正。",
            ],
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-fy",
            status: Registered,
            category: Civil,
            registered_on: "2026-11-20",
            officer: "苏日娜",
            title: "乌兰其其格不服继承纠纷二审判决信访案",
            petitioners: vec![citizen(
                "乌兰其其格",
                rid(BY, "19690925", "028"),
                "13948790136",
                "白云旗白云镇团结路9号",
            )],
            original: "（2025）青0125民初602号",
            rulings: vec![
                ruling(BYFY, "（2025）青0125民初602号", "2025-08-14", "认定代书遗嘱有效，白云镇团结路9号房屋由被告阿斯楞继承，驳回乌兰其其格分割房屋的诉讼请求。"),
                ruling(ZY, "（2026）青01民终97号", "2026-04-21", "驳回上诉，维持原判。"),
            ],
            demands: "要求认定父亲生前的代书遗嘱无效，按法定继承平均分割团结路9号房屋；要求追究两名见证人作伪证的责任。",
            background: "父亲2024年病故，弟弟阿斯楞持代书遗嘱主张继承全部房屋。乌兰其其格称两名见证人是弟弟的朋友，父亲立遗嘱时神志不清。二审后到旗委政法委来访两次。",
            analysis: BLANK,
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: Registered,
            category: Civil,
            registered_on: "2026-11-25",
            officer: "赵雅琴",
            title: "周晓燕不服离婚后财产纠纷判决信访案",
            petitioners: vec![citizen(
                "周晓燕",
                rid(DH, "19880212", "066"),
                "18947413365",
                "青山市东河区滨河街道滨河花园7号楼1单元502室",
            )],
            original: "（2025）青0102民初4410号",
            rulings: vec![
                ruling(DHFY, "（2025）青0102民初4410号", "2025-12-18", "认定呼和浩特市赛罕区房屋系前夫父母出资为其子个人购买，不属于夫妻共同财产，驳回周晓燕的诉讼请求。"),
                ruling(ZY, "（2026）青01民终655号", "2026-06-30", "驳回上诉，维持原判。"),
            ],
            demands: "要求分割前夫在婚姻关系存续期间隐瞒的外地房产及其在青山市某商贸公司30%股权，要求按隐藏财产少分或不分给前夫。",
            background: "2023年协议离婚，2025年发现前夫名下另有房产和股权后起诉。二审后到区法院诉讼服务中心三次，称要到北京上访。",
            analysis: [
                "2019年周晓燕与前夫结婚，2023年6月协议离婚。前夫名下房产于2021年购买，购房款由其父母银行转账支付；股权于2022年受让，转让款10万元来源尚未查明。",
                "", "", "", "", "", "", "", "",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-fy",
            status: Resolved,
            category: Civil,
            registered_on: "2024-09-09",
            officer: "周红梅",
            title: "青山市鑫隆建筑工程有限公司不服建设工程施工合同纠纷判决信访案",
            petitioners: vec![organisation(
                "青山市鑫隆建筑工程有限公司",
                usci("91159901MA0QX7KE3"),
                "钱永利",
                "0474-8312266",
                "青山市东河区工业园区纬三路8号",
            )],
            original: "（2022）青0121民初211号",
            rulings: vec![
                ruling(XLFY, "（2022）青0121民初211号", "2022-09-28", "判决西岭县柳树镇人民政府支付工程款326.8万元及逾期付款利息；驳回鑫隆公司按其自行结算价支付的诉讼请求。"),
                ruling(ZY, "（2023）青01民终88号", "2023-02-14", "驳回上诉，维持原判。"),
            ],
            demands: "要求按公司结算价389万元支付工程款，镇政府一次性付清全部欠款及逾期利息；要求法院对镇政府主要负责人采取限制高消费措施。",
            background: "2019年鑫隆公司承建柳树镇中心学校综合楼，工程2020年竣工验收。双方对结算价争议，法院委托造价鉴定。判决生效后镇政府以财政困难为由分期支付，至2024年8月仅付120万元。公司法定代表人钱永利带领部分工人多次到县政府、市委政法委反映，称拖欠工人工资。",
            analysis: [
                "合同约定价294万元，后有设计变更；造价鉴定确认工程款326.8万元。镇政府至2024年8月累计支付120万元，尚欠206.8万元及利息。",
                "属判决确定的债务未能履行引发的信访，兼有对鉴定结论的不服；被执行人为基层政府，属“政府欠款”类执行难问题。",
                "对结算价诉求依法释明；对执行问题加大协调力度，推动被执行人依法履行，保障农民工工资优先支付。",
                "按389万元结算；一次性付清；对镇长限高。",
                "承办单位西岭县法院执行局；被执行人柳树镇政府。包案领导为县委常委、政法委书记和常务副县长。",
                "钱永利在本地建筑行业有一定影响，公司尚欠37名工人工资约58万元，工人多为本县农民，存在群体上访风险。",
                "症结不在判决，而在执行：镇财力有限，付款计划不明确。",
                "县法院2024年5月答复；县政府2024年7月会议纪要明确分期付款计划。",
                "执行局曾对镇政府“宽限”过久，未依法发出限期履行通知，已整改。2024年11月达成执行和解，县财政垫支后一次性支付200万元，余款于2025年6月付清；公司出具息诉息访承诺，工人工资已全部结清。",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: LegalProcedure,
            category: Civil,
            registered_on: "2025-09-15",
            officer: "陈志刚",
            title: "冯长江不服房屋买卖合同纠纷二审判决信访案",
            petitioners: vec![citizen(
                "冯长江",
                rid(QS, "19620430", "051"),
                "13947406629",
                "青山市东河区北苑小区12号楼3单元101室",
            )],
            original: "（2021）青0102民初2789号",
            rulings: vec![
                ruling(DHFY, "（2021）青0102民初2789号", "2021-12-02", "认定第三人吕志超善意取得北苑小区12号楼3单元101室，判决侯德胜返还冯长江购房款42万元并支付违约金8万元。"),
                ruling(ZY, "（2022）青01民终1120号", "2022-06-17", "驳回上诉，维持原判。"),
            ],
            demands: "要求确认侯德胜与吕志超的房屋买卖恶意串通无效，将房屋过户到自己名下；要求追究二人的刑事责任。",
            background: "2016年冯长江向侯德胜购买二手房，付清房款入住，因房屋有抵押未过户。2020年侯德胜将房屋另售吕志超并办理过户。判决后冯长江拒不腾房，多次到市中院、市委政法委上访。2025年8月其取得户籍材料显示吕志超系侯德胜外甥，且购房款在过户次日转回侯德胜账户。",
            analysis: [
                "冯长江2016年付清购房款42万元并入住至今；吕志超2020年以45万元购买并登记，原审认定其支付了合理对价、构成善意取得。",
                "属不服生效民事判决的涉诉信访。信访人提出的新证据可能推翻原判决认定的善意取得事实。",
                "有新证据的，不作信访终结处理，依法导入再审程序；对涉嫌犯罪线索移送公安机关审查。",
                "确认买卖无效、过户；追究刑事责任。",
                "承办单位青山中院审判监督庭；包案领导为市中院副院长。",
                "冯长江退休职工，老伴常年卧病；其女在市医院工作，支持父亲依法申请再审。",
                "原审时冯长江未能举证证明吕志超与侯德胜的亲属关系和资金回流，导致善意取得的认定。",
                "市中院2023年4月答复；2025年9月释法答疑，告知其可依《民事诉讼法》第二百一十一条第一项申请再审。",
                "原审认定事实所依据的证据在当时并无明显瑕疵；新证据出现后应依法审查。2025年10月冯长江已向自治区高院申请再审，本信访事项转入法律程序。",
            ],
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-fy",
            status: Withdrawn,
            category: Civil,
            registered_on: "2025-03-24",
            officer: "苏日娜",
            title: "额尔敦巴特尔不服草原承包经营权纠纷判决信访案",
            petitioners: vec![citizen(
                "额尔敦巴特尔",
                rid(BY, "19720127", "039"),
                "15847498204",
                "白云旗巴音苏木哈达嘎查",
            )],
            original: "（2024）青0125民初95号",
            rulings: vec![ruling(BYFY, "（2024）青0125民初95号", "2024-06-20", "判决确认哈达嘎查西梁争议草场83亩由图门承包经营，额尔敦巴特尔拆除所建网围栏。")],
            demands: "要求重新测量西梁草场边界，确认83亩争议草场归自己承包；要求图门赔偿其羊群被扣造成的损失1.2万元。",
            background: "额尔敦巴特尔与图门系相邻牧户，2023年因网围栏位置发生纠纷。一审判决后额尔敦巴特尔未上诉，但多次到苏木、旗政府反映测量有误。2025年4月巴音苏木人民调解委员会用蒙汉双语组织调解，旗草原工作站重新实测，双方签订边界协议，额尔敦巴特尔于2025年5月书面撤回信访。",
            analysis: [
                "两户草原承包经营权证所附四至图存在重叠，重叠部分即83亩争议草场。",
                "属不服民事判决引发的信访，根源是草原确权图斑误差。",
                "",
                "重新测量、确认承包权、赔偿1.2万元。",
                "",
                "两户有姻亲关系，嘎查达敖其尔与两户均熟悉，愿意出面调解。",
                "确权图斑误差是症结，单靠判决难以消除矛盾。",
                "",
                "",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: UnderReview,
            category: Civil,
            registered_on: "2026-05-18",
            officer: "赵雅琴",
            title: "程立伟、蓝洁不服商品房预售合同纠纷判决信访案",
            petitioners: vec![
                citizen(
                    "程立伟",
                    rid(DH, "19900315", "051"),
                    "18604748320",
                    "青山市东河区学府路3号院6号楼402室",
                ),
                citizen(
                    "蓝洁",
                    rid(DH, "19920828", "084"),
                    "18604748326",
                    "青山市东河区学府路3号院6号楼402室",
                ),
            ],
            original: "（2024）青0102民初1876号",
            rulings: vec![ruling(DHFY, "（2024）青0102民初1876号", "2024-09-12", "判决青山市宏图置业有限公司支付逾期交房违约金4.3万元，驳回解除合同以外的其他诉讼请求。")],
            demands: "要求宏图置业立即交付“东河·锦绣苑”8号楼1203室并办理不动产权证书；要求法院优先执行违约金4.3万元；要求政府对开发商挪用预售资金问题追责。",
            background: "2020年程立伟夫妇以首付加按揭方式购买期房，约定2022年12月交房，至今未交付。判决生效后宏图置业进入破产重整，违约金债权须向管理人申报。夫妇二人与其他购房户多次到区住建局、区法院反映，2026年4月参与了锦绣苑业主集体到市政府上访。",
            analysis: [
                "购房合同已网签备案，已付房款及贷款共计86万元；8号楼主体已封顶，停工约两年。2025年11月法院裁定宏图置业破产重整，已指定管理人。",
                "属民事判决确定的债权因债务人破产重整无法单独执行引发的信访，与锦绣苑项目“保交楼”问题交织。",
                "依法引导其向管理人申报债权；配合区政府“保交楼”工作专班，推动续建交付；预售资金监管问题转住建部门处理。",
                "交房办证、优先执行违约金、追责预售资金监管。",
                "", "", "", "", "",
            ],
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-fy",
            status: ProposedClosure,
            category: Civil,
            registered_on: "2025-11-03",
            officer: "乌兰",
            title: "那日苏不服合伙协议纠纷判决信访案",
            petitioners: vec![citizen(
                "那日苏",
                rid(BY, "19830529", "017"),
                "13948792274",
                "白云旗白云镇那达慕路28号",
            )],
            original: "（2023）青0125民初512号",
            rulings: vec![
                ruling(BYFY, "（2023）青0125民初512号", "2023-12-06", "确认合伙关系解除，依据审计报告判决合伙人包玉山返还那日苏出资款12.5万元。"),
                ruling(ZY, "（2024）青01民终902号", "2024-06-25", "驳回上诉，维持原判。"),
                ruling(GY, "（2025）青民申301号", "2025-01-20", "裁定驳回那日苏的再审申请。"),
            ],
            demands: "要求认定包玉山伪造牧家乐账目，判令返还全部出资40万元并分配2019年至2021年利润约30万元；要求追究审计机构出具虚假报告的责任。",
            background: "2019年那日苏与同学包玉山合伙经营“白云草原牧家乐”，那日苏出资40万元但不参与经营。2022年牧家乐停业，双方清算发生争议。审计报告显示三年累计亏损，那日苏认为包玉山隐瞒现金收入。再审被驳回后，那日苏两次到市委政法委、一次到自治区党委政法委上访，并在网上发帖。",
            analysis: [
                "合伙协议约定按出资比例分担盈亏，包玉山负责经营。审计报告依据银行流水、税务申报和记账凭证，显示2019至2022年累计亏损21.6万元。",
                "属不服生效民事判决的涉诉信访，原案经一审、二审、再审审查，法律程序已经穷尽。",
                "依法维护生效判决；对其反映的审计机构问题转市财政局依法核查；拟召开听证会依法终结。",
                "返还出资40万元、分配利润30万元、追究审计机构责任。",
                "承办单位白云旗法院，责任人为分管副院长；属地责任单位为白云镇政府。包案领导为旗委政法委书记和旗法院院长。",
                "那日苏在旗内经营运输生意，经济条件尚可；与包玉山原为高中同学，现已断绝来往。其妻支持依法终结，劝其“放下”。",
                "那日苏不参与经营，对现金收入无凭据，举证不能；其认为“草原旺季天天客满不可能亏”，对成本和疫情影响估计不足。",
                "旗法院2025年3月答复；市中院2025年6月复查意见；市财政局2025年9月对审计机构核查未发现违规。",
                "经评查，原审程序合法；一审对那日苏提出的现金收入调查取证申请未作书面回复，属程序瑕疵，已予说明，不影响裁判结果。",
            ],
        }
        .build(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Cases: administrative acts, police enforcement, state compensation

fn cases_public_law() -> Vec<DemoCase> {
    use CaseCategory::*;
    use CaseStatus::*;
    vec![
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: Closed,
            category: Administrative,
            registered_on: "2024-05-20",
            officer: "胡晓东",
            title: "阿拉坦仓不服草原征收补偿决定行政判决信访案",
            petitioners: vec![citizen(
                "阿拉坦仓",
                rid(BY, "19670503", "019"),
                "15148749037",
                "白云旗巴音苏木哈达嘎查",
            )],
            original: "（2022）青01行初45号",
            rulings: vec![
                ruling(ZY, "（2022）青01行初45号", "2022-08-30", "驳回阿拉坦仓要求撤销白云旗人民政府征收补偿决定的诉讼请求。"),
                ruling(GY, "（2023）青行终210号", "2023-03-16", "驳回上诉，维持原判。"),
                ruling(GY, "（2024）青行申56号", "2024-01-18", "裁定驳回阿拉坦仓的再审申请。"),
            ],
            demands: "要求撤销旗政府征收补偿决定，将补偿标准由每亩1200元提高到每亩3000元；补偿草场上房屋、棚圈、网围栏和水井损失，合计要求补偿180万元。",
            background: "2021年白云旗人民政府为建设白云风电场项目征收哈达嘎查集体草原，阿拉坦仓家承包草场326亩被征收，旗政府作出征收补偿决定，补偿款连同地上附着物共计46.8万元。阿拉坦仓拒绝签约并提起行政诉讼。再审申请被驳回后，其多次到市、自治区上访，2023年9月进京到国家信访局反映，2024年5月由市委政法委交办市中院牵头处理。",
            analysis: [
                "征收经自治区人民政府批准，补偿标准执行自治区公布的征地区片综合地价；地上附着物经评估机构评估，阿拉坦仓未在法定期限内申请复核评估。",
                "属不服生效行政判决的涉诉信访，兼有对补偿政策本身的意见。",
                "依法维护生效判决；对政策性诉求由旗政府依政策解释；对其生产生活困难由苏木政府落实被征地牧民社会保障。",
                "提高补偿标准、补偿地上物，合计180万元。",
                "承办单位青山中院行政庭；属地责任单位白云旗人民政府、巴音苏木政府。包案领导为市中院副院长和白云旗旗长。",
                "阿拉坦仓家中六口人，以放牧为生，草场被征收后牲畜由300只羊减至120只。其长子在风电场做运维工，对项目态度积极；嘎查达敖其尔与其关系较好。",
                "补偿标准系政策确定，非个案可变；其认为同期邻旗补偿更高，实际邻旗项目用地性质不同。",
                "市中院2024年3月答复；旗政府2024年4月政策解释答复；2024年8月召开听证会，7名听证员中6人同意依法终结、1人建议加大帮扶力度。",
                "经评查，原审程序合法。旗政府补偿决定送达时未附评估报告，已在诉讼中补正。2024年9月经市委政法委审批依法终结，同时落实养老保险补贴和草畜平衡奖补。",
            ],
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-gaj",
            status: ProposedClosure,
            category: PoliceEnforcement,
            registered_on: "2025-05-12",
            officer: "额尔敦",
            title: "白云旗额很塔拉种养殖专业合作社不服公安机关不予立案决定信访案",
            petitioners: vec![organisation(
                "白云旗额很塔拉种养殖专业合作社",
                usci("93159925MA0N2RKD4"),
                "朝鲁",
                "15248740916",
                "白云旗额很塔拉嘎查",
            )],
            original: "白公（刑）不立字〔2024〕7号",
            rulings: vec![
                ruling("白云旗公安局", "白公（刑）不立字〔2024〕7号", "2024-01-22", "认为刘某某赊购牛羊后未付款属经济纠纷，没有犯罪事实，决定不予立案。"),
                ruling("白云旗公安局", "白公（刑）复决字〔2024〕2号", "2024-02-28", "复议维持不予立案决定。"),
                ruling(BYFY, "（2024）青0125民初388号", "2024-07-09", "判决刘某某支付合作社牛羊货款46万元及逾期付款利息。"),
            ],
            demands: "要求公安机关以合同诈骗罪对外地客商刘某某立案侦查，上网追逃，追回货款46万元；要求对办案民警“不作为”追责。",
            background: "2023年10月合作社将326只羊、18头牛赊销给外地客商刘某某，约定一个月内付款，刘某某付款8万元后以亏损为由拖欠余款。合作社报警后公安不予立案，复议维持；旗检察院立案监督审查认为不立案理由成立。合作社起诉后胜诉，执行中查控到刘某某名下车辆一辆。理事长朝鲁多次带社员到旗政府、市公安局上访。",
            analysis: [
                "刘某某与合作社此前已有三次交易并按时付款；本次赊购后部分付款，未更换联系方式，未转移财产，民事案件中到庭应诉。",
                "属对公安机关不予立案决定不服的涉法信访；经复议和检察院立案监督，法律程序已经穷尽。",
                "依法维护不予立案决定；推动民事判决执行；如发现刘某某转移财产等新的犯罪线索，依法重新审查。",
                "刑事立案、追回货款、追究民警责任。",
                "承办单位白云旗公安局刑侦大队，责任人为大队长；执行由旗法院负责。包案领导为旗委政法委书记和旗公安局局长。",
                "合作社有社员27户，多数为牧民，货款关系全体社员年终分红。理事长朝鲁系嘎查党支部委员，顾虑在社员面前“交不了差”。",
                "社员普遍认为“钱要不回来就是诈骗”，不理解民事欠款与诈骗的界限；执行到位前情绪难以平复。",
                "旗公安局2024年4月书面答复；旗检察院2024年5月立案监督审查结论；旗法院执行局2025年3月执行情况告知书。",
                "经评查，不予立案决定认定事实清楚；受案后第一次询问笔录记载不全，已责令整改。执行局已扣押刘某某车辆并拍卖，到位18.6万元。",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: UnderReview,
            category: StateCompensation,
            registered_on: "2026-03-16",
            officer: "胡晓东",
            title: "贾明亮不服刑事赔偿决定信访案",
            petitioners: vec![citizen(
                "贾明亮",
                rid(QS, "19761109", "017"),
                "13847401778",
                "青山市东河区锦华苑小区4号楼1单元1602室",
            )],
            original: "（2022）青01委赔14号",
            rulings: vec![
                ruling(DHFY, "（2021）青0102刑初77号", "2021-06-18", "宣告贾明亮无罪。"),
                ruling("青山市东河区人民检察院", "青东检刑赔决（2022）1号", "2022-04-20", "决定支付侵犯人身自由赔偿金15.9万元、精神损害抚慰金5万元。"),
                ruling(ZY, "（2022）青01委赔14号", "2022-10-28", "赔偿委员会决定精神损害抚慰金调整为8万元，维持其余部分。"),
            ],
            demands: "要求精神损害抚慰金提高到100万元；赔偿羁押期间其经营的公司倒闭造成的经济损失300万元；要求检察院登报公开赔礼道歉。",
            background: "2019年贾明亮以涉嫌职务侵占罪被刑事拘留、逮捕，羁押428天，2021年6月一审宣告无罪，检察院未抗诉。申请国家赔偿后，赔偿委员会决定已生效。贾明亮认为赔偿过低，2023年以来多次到市中院、市检察院、自治区高院上访，2025年向最高人民法院赔偿委员会申诉被驳回。",
            analysis: [
                "羁押428天，按2022年国家职工日平均工资计算人身自由赔偿金15.9万元；精神损害抚慰金经赔偿委员会调整为8万元。东河区检察院已在其所在社区和原单位为其消除影响、恢复名誉。",
                "属不服国家赔偿决定的涉法信访，申诉途径已经用尽。",
                "依法维护生效赔偿决定；经营损失不属于国家赔偿范围，依法释明；关注其再就业和心理状况。",
                "提高精神损害抚慰金至100万元、赔偿经营损失300万元、登报道歉。",
                "承办单位青山中院赔偿委员会办公室；赔偿义务机关东河区检察院。包案领导为市中院副院长和市检察院副检察长。",
                "", "", "", "",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-gaj",
            status: UnderReview,
            category: PoliceEnforcement,
            registered_on: "2026-06-02",
            officer: "孔祥宇",
            title: "姜玉梅不服治安管理处罚信访案",
            petitioners: vec![citizen(
                "姜玉梅",
                rid(XL, "19730318", "084"),
                "15034747763",
                "西岭县白杨镇东风村二组",
            )],
            original: "西公（治）行罚决字〔2025〕312号",
            rulings: vec![
                ruling("西岭县公安局", "西公（治）行罚决字〔2025〕312号", "2025-06-21", "以阻碍他人执行职务为由，对姜玉梅处行政拘留七日、罚款二百元。"),
                ruling(XLFY, "（2025）青0121行初31号", "2025-12-10", "驳回姜玉梅要求撤销行政处罚决定的诉讼请求。"),
            ],
            demands: "要求撤销行政拘留决定，赔偿拘留期间误工和精神损失2万元；要求村里对修路占用的0.8亩承包地给予补偿。",
            background: "2025年6月东风村修建通村水泥路，占用姜玉梅承包地0.8亩，双方未就补偿达成一致。姜玉梅到工地阻拦施工，与施工人员推搡，并拉扯到场处置的村干部和镇干部，被公安机关行政拘留。一审判决后未上诉，先后到县政府、市公安局上访4次。",
            analysis: [
                "现场视频显示姜玉梅躺在挖掘机前阻拦施工，撕扯镇干部衣服；处罚决定适用《治安管理处罚法》第五十条。",
                "属对公安行政处罚不服的涉法信访，兼有修路占地补偿的非涉法诉求。",
                "",
                "撤销处罚、赔偿2万元（涉法部分）；占地补偿（非涉法部分，已转白杨镇政府办理）。",
                "", "", "", "", "",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: Resolved,
            category: Administrative,
            registered_on: "2024-07-01",
            officer: "王磊",
            title: "罗桂香不服工伤认定行政判决信访案",
            petitioners: vec![citizen(
                "罗桂香",
                rid(DH, "19650719", "048"),
                "13474748812",
                "青山市东河区城郊乡马家营村六组",
            )],
            original: "（2022）青0102行初58号",
            rulings: vec![
                ruling("青山市人力资源和社会保障局", "青人社工伤不认字〔2022〕47号", "2022-08-10", "赵福生在工作时间工作岗位突发疾病，经抢救52小时后死亡，不符合视同工伤情形，决定不予认定工伤。"),
                ruling(DHFY, "（2022）青0102行初58号", "2022-12-20", "驳回罗桂香的诉讼请求。"),
                ruling(ZY, "（2023）青01行终39号", "2023-05-16", "驳回上诉，维持原判。"),
            ],
            demands: "要求认定丈夫赵福生为工伤（视同工伤），享受一次性工亡补助金等待遇约100万元；认为“医院多抢救了4个小时反而害了我们”。",
            background: "赵福生生前为青山市安顺物流有限公司保安，2022年3月在值班室突发脑出血，送医抢救52小时后死亡。人社局以超过48小时不予认定。罗桂香多次到市人社局、区法院、市中院上访，2024年3月到自治区人社厅反映。",
            analysis: [
                "赵福生2022年3月12日22时在值班室倒地，同事发现后送医，3月15日2时死亡。公司为其缴纳了工伤保险。",
                "属不服工伤认定行政判决的涉诉信访，法律适用明确，法律程序已经穷尽。",
                "依法维护生效判决；从关心困难群众出发，协调用人单位人道补偿，符合条件的给予司法救助和社会救助。",
                "认定工伤、享受工亡待遇约100万元。",
                "承办单位东河区法院行政庭；协调单位区人社局、城郊乡政府。包案领导为区委政法委书记和区法院院长。",
                "罗桂香无固定收入，女儿在读大学，儿子初中毕业后在汽修厂当学徒；罗桂香胞兄为马家营村村委委员。",
                "“48小时”规则对家属而言难以接受，症结在于情感与法律的落差，而非裁判错误。",
                "区法院2023年9月答复；市中院2024年1月复查意见；市人社局2024年4月政策解释。",
                "未发现错误瑕疵。2024年10月经区法院主持，安顺物流公司一次性给予人道补偿12万元，区法院给予司法救助5万元，城郊乡为其办理低保，罗桂香签署息诉罢访承诺书，事项化解。",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-gaj",
            status: Closed,
            category: PoliceEnforcement,
            registered_on: "2024-08-19",
            officer: "梁晨",
            title: "邹德胜不服道路交通事故认定信访案",
            petitioners: vec![citizen(
                "邹德胜",
                rid(DH, "19541008", "015"),
                "13904743318",
                "青山市东河区北关街道新民巷7号",
            )],
            original: "第159902120230000418号",
            rulings: vec![
                ruling("青山市公安局交通管理支队东河大队", "第159902120230000418号", "2023-08-02", "道路交通事故认定书：邹德胜驾驶电动三轮车闯红灯，负事故主要责任；小型轿车驾驶人未减速，负次要责任。"),
                ruling("青山市公安局交通管理支队", "青公交复字〔2023〕31号", "2023-09-05", "复核维持原认定。"),
                ruling(DHFY, "（2023）青0102民初5120号", "2024-01-10", "判决保险公司按30%责任比例赔偿邹德胜各项损失9.7万元。"),
            ],
            demands: "要求撤销事故认定书，重新认定对方负全部责任；要求公开原始监控视频，追究“剪辑视频”的民警责任；要求对方赔偿全部损失32万元。",
            background: "2023年7月14日邹德胜驾驶电动三轮车在东河区建设路与和平街路口与小型轿车相撞，致其右腿骨折。对事故认定不服，申请复核被维持；民事一审后未上诉。此后其坚称视频被剪辑，先后到区公安分局、市公安局、市委政法委上访11次。",
            analysis: [
                "路口监控和对方行车记录仪均显示邹德胜在红灯亮起约3秒后驶入路口；市公安局物证鉴定所出具鉴定意见，确认监控视频无剪辑、拼接痕迹。",
                "属对交通事故认定不服的涉法信访，复核及民事诉讼程序均已完成。",
                "依法维护事故认定和生效判决；视频鉴定结果向其公开说明；协调做好伤后生活帮扶。",
                "撤销认定书、公开视频、追责民警、全额赔偿32万元。",
                "承办单位东河公安分局（交管东河大队），责任人为大队长；属地责任单位为北关街道。包案领导为区委政法委副书记和东河公安分局局长。",
                "邹德胜退休工人，与妻子同住，两个女儿均在本市，大女儿多次劝其息访。",
                "邹德胜坚信自己“绿灯进的路口”，对监控时间与信号灯配时缺乏了解，认为“公安包庇开小车的”。",
                "东河大队2023年10月答复；市交管支队2024年2月答复；2024年9月当面播放原始视频并由鉴定人讲解，有录音录像。",
                "经评查，认定书事实清楚；东河大队首次答复未附视频鉴定意见，解释不到位，已补正。2024年10月听证后依法终结。",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-gaj",
            status: ClosureApproval,
            category: StateCompensation,
            registered_on: "2025-07-07",
            officer: "梁晨",
            title: "青山市顺达运输有限公司不服公安机关刑事赔偿决定信访案",
            petitioners: vec![organisation(
                "青山市顺达运输有限公司",
                usci("91159902MA0R8CK52"),
                "鲍国华",
                "13704741122",
                "青山市东河区物流园区通达路16号",
            )],
            original: "东公赔决字〔2024〕2号",
            rulings: vec![
                ruling("青山市公安局东河区分局", "东公赔决字〔2024〕2号", "2024-03-11", "扣押的3辆危险品运输车已返还；赔偿扣押期间车辆保险、年检及停运期间必要的经常性费用开支9.6万元。"),
                ruling("青山市公安局", "青公赔复决字〔2024〕5号", "2024-05-20", "复议维持赔偿决定。"),
                ruling(ZY, "（2024）青01委赔9号", "2024-12-16", "赔偿委员会决定维持东河公安分局的赔偿决定。"),
            ],
            demands: "要求赔偿3辆罐车被扣押14个月的停运损失210万元及客户流失损失；要求对违法扣押的办案民警追责。",
            background: "2022年东河公安分局在侦办一起走私成品油案件中扣押顺达公司3辆危险品运输车。2023年对顺达公司的刑事案件撤销，车辆返还。公司申请国家赔偿，经复议和赔偿委员会决定维持。法定代表人鲍国华认为“赔偿不够交保险”，多次到市公安局、市委政法委反映，并向市人大常委会寄信。",
            analysis: [
                "扣押期间2022年3月至2023年5月。经核实，车辆保险、年检、驾驶员基本工资等经常性费用开支9.6万元已赔付；公司主张的210万元为按满负荷运营测算的预期利润。",
                "属不服国家赔偿决定的涉法信访，赔偿程序已经穷尽。",
                "依法维护生效赔偿决定；停运期间预期利润不属于《国家赔偿法》第三十六条规定的赔偿范围，依法释明；协调帮助企业恢复经营。",
                "赔偿停运损失210万元、追责民警。",
                "承办单位东河公安分局法制大队，责任人为法制大队长；包案领导为区委政法委书记和东河公安分局政委。",
                "鲍国华为公司实际控制人，公司现有员工23人；其胞弟为区政协委员，多次代为反映。",
                "企业认为“不是我的错却让我承担损失”，心理上难以接受法律规定的有限赔偿。",
                "东河公安分局2025年3月答复；市公安局2025年5月答复；2025年10月召开听证会，5名听证员一致同意依法终结，并建议协调为企业恢复经营提供便利。",
                "扣押期间超过法定期限未及时解除对其中1辆与案件无关车辆的扣押，属执法过错，已在赔偿中体现并对承办民警诫勉谈话。终结审批表已报区委政法委。",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: Hearing,
            category: Administrative,
            registered_on: "2026-02-09",
            officer: "胡晓东",
            title: "宁建华等三人不服国有土地上房屋征收补偿决定行政判决信访案",
            petitioners: vec![
                citizen(
                    "宁建华",
                    rid(DH, "19590509", "037"),
                    "13947409950",
                    "青山市东河区站前街道铁路新村2号",
                ),
                citizen(
                    "宁建英",
                    rid(DH, "19620711", "020"),
                    "15847401281",
                    "青山市东河区站前街道铁路新村2号",
                ),
                citizen("宁建民", rid(DH, "19650124", "013"), "", "青山市东河区站前街道铁路新村2号"),
            ],
            original: "（2023）青01行初23号",
            rulings: vec![
                ruling(ZY, "（2023）青01行初23号", "2023-09-14", "驳回宁建华等三人要求撤销东河区人民政府房屋征收补偿决定的诉讼请求。"),
                ruling(GY, "（2024）青行终77号", "2024-04-02", "驳回上诉，维持原判。"),
            ],
            demands: "要求将无证扩建的62平方米一并按合法面积补偿，以产权调换方式安置两套住房；补偿父辈老宅的“历史价值”；撤销征收补偿决定。",
            background: "2022年东河区实施站前片区棚户区改造，宁家老宅（1958年建，有证面积86平方米，无证扩建62平方米）被征收。区政府对有证面积按评估价补偿，对无证部分按建筑材料残值补偿。三兄妹拒绝签约，区政府作出补偿决定，三人起诉败诉。二审后三人多次到市政府、市委政法委上访，2025年10月到自治区信访局反映。",
            analysis: [
                "征收补偿方案经公开征求意见；评估机构由被征收人投票选定；无证扩建部分经区城市综合执法局调查认定为1990年代后违法建设。",
                "属不服生效行政判决的涉诉信访，法律程序已经穷尽。",
                "依法维护生效判决；在政策范围内协调产权调换方案，对确有困难的依政策给予安置补助。",
                "无证部分按合法面积补偿、两套安置房、补偿历史价值。",
                "承办单位青山中院行政庭；属地责任单位东河区人民政府、站前街道。包案领导为市中院副院长和东河区副区长。",
                "三兄妹均已退休，宁建民无房，一直与父母住老宅；宁建华是主导者，两妹一弟意见不完全一致，宁建英倾向于接受一套安置房。",
                "无证扩建部分依法不能按合法面积补偿，而宁建民确无其他住房，居住困难是真问题。",
                "市中院2024年8月答复；区政府2024年9月政策解释；2025年12月释法答疑，三人同意参加听证。",
                "经评查，原审程序合法；区政府补偿决定对宁建民居住困难未作评估，政策适用不够细致，拟在听证中提出住房保障方案。",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-sfj",
            status: Filed,
            category: Administrative,
            registered_on: "2024-02-05",
            officer: "付强",
            title: "陶国良不服林业行政处罚行政复议决定信访案",
            petitioners: vec![citizen(
                "陶国良",
                rid(XL, "19680116", "057"),
                "15947420718",
                "西岭县白杨镇杨树沟村一组",
            )],
            original: "西林罚决字〔2022〕19号",
            rulings: vec![
                ruling("西岭县林业和草原局", "西林罚决字〔2022〕19号", "2022-10-18", "对陶国良擅自改变林地用途4866平方米的行为，责令限期恢复原状，处罚款4.8万元。"),
                ruling("西岭县人民政府", "西政复决字〔2023〕7号", "2023-01-30", "行政复议维持原处罚决定。"),
            ],
            demands: "要求撤销罚款4.8万元；认为所垦土地是“自家祖辈开的荒”，要求确认为承包地并允许继续种植黄芪。",
            background: "2022年春陶国良在杨树沟后山清除灌木林种植黄芪约7.3亩。县林草局查处后作出处罚，陶国良申请复议被维持，未在法定期限内起诉。此后其多次到县司法局、县政府、市林草局反映，称“别人开荒都没事，就罚我”。",
            analysis: [
                "经国土三调和林地一张图核实，所垦土地为国家级公益林地；陶国良无林权证或承包合同；同期全县查处同类案件11起。",
                "属不服行政处罚及复议决定的涉法信访；因其放弃诉讼，法律救济途径已经用尽。",
                "依法维护处罚和复议决定；对罚款缴纳困难的，依法协调分期缴纳；引导其在合法承包地发展中药材种植。",
                "撤销罚款、确权为承包地、允许继续种植。",
                "承办单位西岭县司法局（县政府行政复议机构），责任人为行政复议股股长；执法单位为县林草局。包案领导为县委政法委书记和分管副县长。",
                "陶国良家五口人，两个孩子在读初中，家庭收入主要靠种植。其堂兄是杨树沟村会计，愿意帮助做工作。",
                "陶国良认为“别人不罚只罚我”，实则同期查处11起，其不知情；对公益林保护规定缺乏了解。",
                "县司法局2023年6月答复；县林草局2023年7月答复及查处同类案件情况说明；2023年11月组织听证。",
                "经评查，处罚程序合法；处罚前告知书送达时未告知其有权申请听证（罚款数额达到听证标准），属程序瑕疵，复议决定已指出，但未影响其陈述申辩权利的实际行使。2024年1月依法终结，终结告知书已送达并于2024年2月报市委政法委备案。",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-sfj",
            status: Withdrawn,
            category: Other,
            registered_on: "2025-10-13",
            officer: "马丽娜",
            title: "黎建新不服委托公证信访案",
            petitioners: vec![citizen(
                "黎建新",
                rid(DH, "19630822", "019"),
                "13500648371",
                "青山市东河区文化街道育才路33号",
            )],
            original: "（2023）青东证字第1832号",
            rulings: vec![
                ruling("青山市东河公证处", "（2023）青东证字第1832号", "2023-05-09", "公证黎母刘淑珍委托其女黎建红代为出售文化街道育才路35号房屋。"),
                ruling("青山市东河公证处", "（2024）青东证复字第6号", "2024-12-02", "复查决定：维持（2023）青东证字第1832号公证书。"),
            ],
            demands: "要求撤销委托公证书，认定母亲办理公证时已患阿尔茨海默病、不具备民事行为能力；要求追究公证员责任；要求妹妹返还卖房款。",
            background: "2023年5月黎母在公证处办理委托公证，由女儿黎建红出售育才路35号房屋，售价78万元。黎建新认为母亲当时已经糊涂，公证处未尽审查义务。其向公证处申请复查被维持，向区司法局、市公证协会投诉，并到区政府上访三次。2025年11月经文化街道人民调解委员会调解，兄妹就卖房款分配达成协议，黎建新于2025年11月28日书面撤回信访。",
            analysis: [
                "公证时有同步录音录像，黎母能够清楚表达卖房意愿；公证处当时未要求提供医疗机构的认知能力评估。",
                "属对公证行为不服的涉法信访，核心是家庭成员间的财产分配纠纷。",
                "区司法局依法对公证处执业行为进行核查；对卖房款争议引导人民调解或诉讼解决。",
                "撤销公证书、追究公证员责任、返还卖房款。",
                "", "", "", "", "",
            ],
        }
        .build(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Cases: criminal matters, enforcement, procuratorial supervision

fn cases_criminal_and_enforcement() -> Vec<DemoCase> {
    use CaseCategory::*;
    use CaseStatus::*;
    vec![
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: ClosureApproval,
            category: Enforcement,
            registered_on: "2025-02-17",
            officer: "王磊",
            title: "马国强等27名农民工申请执行劳动报酬案执行不能集体信访案",
            petitioners: vec![
                citizen(
                    "马国强",
                    rid(QS, "19780611", "035"),
                    "13754748821",
                    "青山市东河区城郊乡马家营村三组",
                ),
                citizen(
                    "李秀珍",
                    rid(DH, "19820930", "046"),
                    "15848745537",
                    "青山市东河区城郊乡前进村五组",
                ),
                citizen(
                    "苏永平",
                    rid(XL, "19750216", "071"),
                    "13948749915",
                    "西岭县白杨镇白杨村四组",
                ),
            ],
            original: "（2023）青0102执1456号",
            rulings: vec![
                ruling(DHFY, "（2022）青0102民初3312号", "2022-12-09", "判决青山市鑫源劳务有限公司支付马国强等27人劳动报酬共计86.4万元；青山市宏图置业有限公司在欠付工程价款范围内承担连带清偿责任。"),
                ruling(DHFY, "（2023）青0102执1456号之一", "2023-11-30", "执行到位38.2万元；被执行人鑫源劳务公司无其他可供执行财产，宏图置业公司已进入破产重整程序，裁定终结本次执行程序。"),
            ],
            demands: "要求一次性兑付剩余工资33.2万元；要求政府先行垫付全部欠薪；要求追究鑫源劳务公司实际控制人拒不支付劳动报酬罪的刑事责任。",
            background: "27名农民工2021年在宏图置业“东河·锦绣苑”项目从事木工、钢筋工作业，劳务分包方鑫源劳务公司拖欠工资。2023年春节前后农民工集体到区政府、市政府上访，推选马国强、李秀珍、苏永平三人为代表。区法院执行中曾查封宏图置业房产3套，因破产重整依法解除保全。2024年1月区政府动用欠薪应急周转金垫付15万元，尚欠33.2万元。2025年春节前再次集体到市委政法委上访。",
            analysis: [
                "判决确定劳动报酬86.4万元；执行到位38.2万元，应急周转金垫付15万元，尚欠33.2万元。宏图置业重整计划已将农民工工资列为优先清偿债权，预计2026年底前按比例清偿。鑫源劳务公司实际控制人胡某2024年下落不明，人社部门已将拒不支付劳动报酬线索移送公安。",
                "属执行不能引发的群体性涉诉信访；执行程序已依法终本，债权已纳入破产重整程序。",
                "依法终结涉诉信访程序，同时不放弃执行：发现财产线索随时恢复执行；破产程序中优先清偿；对困难户给予司法救助；属地落实就业帮扶。",
                "兑付剩余工资33.2万元、政府全额垫付、追究刑事责任。",
                "承办单位东河区法院执行局；协调单位区人社局、区住建局、东河公安分局、破产管理人。双包案领导为区委常委、政法委书记和副区长。",
                "27人中21人为本区农民，6人为西岭县农民；三名代表在工友中威信较高，马国强与鑫源劳务公司原项目经理是同村人。",
                "开发商破产导致资金链断裂，责任主体无力支付；农民工对破产程序清偿顺序和周期缺乏了解。",
                "区法院2024年6月答复；区人社局2024年8月答复；破产管理人2025年9月债权确认通知书；2025年12月召开听证会，7名听证员一致同意依法终结并建议加大帮扶。",
                "执行中对宏图置业名下车辆查控不及时，错过处置时机，已对执行法官批评教育。已对其中5户困难家庭给予司法救助共6万元。终结审批表已经区法院院长签批，正报区委政法委审批。",
            ],
        }
        .build(),
        Spec {
            org: "dhq-jcy",
            organ: "dhq-jcy",
            status: ProposedClosure,
            category: Criminal,
            registered_on: "2025-04-08",
            officer: "杜娟",
            title: "韩春生不服检察机关不起诉决定信访案",
            petitioners: vec![citizen(
                "韩春生",
                rid(DH, "19700728", "033"),
                "13614749201",
                "青山市东河区建设街道和平路66号院3号楼",
            )],
            original: "青东检刑不诉（2024）23号",
            rulings: vec![
                ruling("青山市东河区人民检察院", "青东检刑不诉（2024）23号", "2024-08-15", "认定孙立平故意伤害致韩春生轻伤二级，犯罪情节轻微，有自首、认罪认罚情节，已提存赔偿金3万元，决定不起诉。"),
                ruling("青山市人民检察院", "青检刑申（2024）41号", "2024-11-20", "刑事申诉复查决定：维持不起诉决定。"),
            ],
            demands: "要求撤销不起诉决定，对孙立平提起公诉并判处实刑；要求赔偿医疗费、误工费、精神损失费共20万元。",
            background: "2024年3月韩春生因楼道堆放杂物与邻居孙立平发生争执并互殴，韩春生左手骨折，经鉴定为轻伤二级。案件移送审查起诉后，东河区检察院召开拟不起诉公开听证，韩春生拒绝参加。复查维持后，检察院告知其可向法院提起自诉，韩春生未起诉，先后到市检察院、市委政法委上访7次，2025年3月进京到最高人民检察院反映。",
            analysis: [
                "双方因杂物堆放互相推搡，韩春生先动手；孙立平案发后主动投案，认罪认罚，向公证处提存赔偿金3万元，韩春生拒绝领取。",
                "属不服不起诉决定的涉法信访，已经申诉复查，且当事人放弃了自诉途径。",
                "依法维护不起诉决定；再次释明自诉权利；赔偿问题引导其领取提存款或提起民事诉讼。",
                "提起公诉、判处实刑、赔偿20万元。",
                "承办单位东河区检察院第一检察部，责任人为部主任；控告申诉检察部负责答复。包案领导为检察长和建设街道党工委书记。",
                "两家为对门邻居，矛盾已持续多年；韩春生妻子不支持其上访；社区书记与双方均熟悉。",
                "韩春生认为“打人不坐牢就是不公”，对相对不起诉和认罪认罚从宽制度不理解；邻里积怨是深层原因。",
                "东河区检察院2024年9月答复；市检察院2024年11月复查决定；2025年5月检察长接访并释法说理。",
                "经评查，不起诉决定事实清楚；拟不起诉听证通知送达时未告知其不参加的后果，存在告知不充分的瑕疵，已整改。",
            ],
        }
        .build(),
        Spec {
            org: "qss-jcy",
            organ: "qss-jcy",
            status: LegalProcedure,
            category: ProcuratorialSupervision,
            registered_on: "2026-01-19",
            officer: "石晶",
            title: "青山市万通物流有限公司不服执行拍卖申请检察监督信访案",
            petitioners: vec![organisation(
                "青山市万通物流有限公司",
                usci("91159902MA13TEL7X"),
                "邱国栋",
                "15847402961",
                "青山市东河区物流园区通达路22号",
            )],
            original: "（2024）青0102执异218号",
            rulings: vec![
                ruling(DHFY, "（2024）青0102执异218号", "2024-10-10", "驳回万通物流公司对拍卖其仓库的执行异议。"),
                ruling(ZY, "（2025）青01执复45号", "2025-03-07", "驳回复议申请，维持异议裁定。"),
            ],
            demands: "要求撤销对公司仓库的司法拍卖，认为评估价明显偏低、拍卖成交价仅为市场价六成；要求赔偿损失150万元。",
            background: "东河区法院在执行万通物流公司借款纠纷案中，委托评估后网络司法拍卖其仓库，二拍成交价412万元。公司异议、复议均被驳回，法定代表人邱国栋多次到市中院、市委政法委反映。2026年1月市委政法委释法后，引导其依法向检察机关申请执行活动监督，市检察院已受理。",
            analysis: [
                "仓库评估价620万元，一拍流拍，二拍按八折起拍以412万元成交；公司称评估时遗漏附属冷库设施。",
                "属对执行行为不服的涉诉信访，尚有检察监督法定途径。",
                "导入检察监督程序，依法审查评估和拍卖程序是否合法；信访程序不再重复处理。",
                "撤销拍卖、赔偿150万元。",
                "承办单位青山市检察院第六检察部（民事检察），责任人为部主任。",
                "",
                "评估报告是否遗漏冷库设施是争议焦点，需调取评估底稿审查。",
                "市中院2025年6月答复；市检察院2026年1月受理通知书。",
                "",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: Reopened,
            category: Criminal,
            registered_on: "2024-02-26",
            officer: "高振宇",
            title: "徐永福不服盗窃罪刑事判决申诉信访案",
            petitioners: vec![citizen(
                "徐永福",
                rid(XL, "19790614", "013"),
                "13848749927",
                "西岭县白杨镇白杨村二组",
            )],
            original: "（2017）青0121刑初56号",
            rulings: vec![
                ruling(XLFY, "（2017）青0121刑初56号", "2017-09-12", "以盗窃罪判处徐永福有期徒刑三年，并处罚金5000元。"),
                ruling(ZY, "（2018）青01刑终12号", "2018-01-30", "驳回上诉，维持原判。"),
                ruling(ZY, "（2026）青01刑监3号", "2026-09-18", "再审决定书：本案由本院另行组成合议庭进行再审，再审期间不停止原判决的执行（刑罚已执行完毕）。"),
            ],
            demands: "要求宣告无罪，赔偿被羁押三年的损失并公开赔礼道歉；要求追究当年刑讯逼供民警的责任。",
            background: "2016年11月白杨镇变电站电缆被盗，徐永福因曾在附近收废品被抓获，作出有罪供述后翻供。判决后刑满释放，持续申诉。2024年列为市级涉法涉诉信访事项，2024年12月经听证后依法终结并备案。2026年7月外省公安机关破获一系列盗窃电缆案，犯罪嫌疑人姜某供述包括白杨镇变电站一案，并能指认现场细节。市中院审查后决定再审，本事项依法重启。",
            analysis: [
                "原判主要依据徐永福的有罪供述、其收废品的三轮车上有少量电缆皮，以及一名证人看见其案发当晚在附近。赃物去向未查明，现场未提取到徐永福的痕迹。",
                "属刑事申诉类涉诉信访。原依法终结后出现新证据，可能影响定罪，依法重启并导入再审。",
                "有错必纠：依法再审；同时严格审查新证据，不预设结论；再审结果作出后依法处理国家赔偿。",
                "宣告无罪、国家赔偿、赔礼道歉、追究民警责任。",
                "承办单位青山中院审判监督庭，责任人为庭长；协调单位西岭县公安局、县检察院。包案领导为市中院院长和市检察院检察长。",
                "徐永福刑满后在外地打工，未婚，母亲年迈在家；其叔父一直支持其申诉。",
                "原判证据链不完整，依赖口供；徐永福称供述系在疲劳审讯下作出，审讯录像不完整。",
                "市中院2024年6月驳回申诉通知书；2024年12月依法终结告知书；2026年9月再审决定书。",
                "原审存在证据审查不严的问题：赃物去向不明、同步录音录像缺失未予排除。再审后将依法认定；如确属错案，依法启动国家赔偿和责任追究。",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-fy",
            status: Reopened,
            category: Enforcement,
            registered_on: "2024-10-21",
            officer: "孔德明",
            title: "侯玉珍申请执行民间借贷纠纷判决执行不能信访案",
            petitioners: vec![citizen(
                "侯玉珍",
                rid(XL, "19600205", "020"),
                "15247412290",
                "西岭县城关镇幸福街18号",
            )],
            original: "（2021）青0121执201号",
            rulings: vec![
                ruling(XLFY, "（2020）青0121民初733号", "2020-08-19", "判决邵建设偿还侯玉珍借款22万元及利息。"),
                ruling(XLFY, "（2021）青0121执201号", "2021-06-30", "被执行人无可供执行财产，终结本次执行程序。"),
                ruling(XLFY, "（2026）青0121执恢45号", "2026-07-28", "申请执行人提供新的财产线索，恢复执行。"),
            ],
            demands: "要求法院找到邵建设隐藏的财产，全额执行借款22万元及利息；要求以拒不执行判决罪追究其刑事责任。",
            background: "侯玉珍将养老钱借给同村邵建设做生意，胜诉后执行不能。2021年起多次到县法院、县委政法委上访，2次到市委政法委。2025年3月经听证后依法终结，给予司法救助2万元。2026年7月侯玉珍举报邵建设以其妻名义在城关镇购买商铺一间，经核实后县法院恢复执行，本事项依法重启。",
            analysis: [
                "终本时查询邵建设名下无房产、车辆、存款；2024年5月邵建设之妻王某以46万元购买城关镇商铺一间，款项来源于邵建设经营的建材店收入。",
                "属执行不能类涉诉信访；出现新的财产线索，依法恢复执行，原终结事项依法重启。",
                "依法恢复执行，对商铺采取查封措施；对邵建设涉嫌拒不执行判决、裁定罪依法移送公安；执行到位后再评估是否需要信访程序。",
                "全额执行22万元及利息、追究拒执罪。",
                "承办单位西岭县法院执行局，责任人为执行局局长；包案领导为县法院院长和县委政法委书记。",
                "侯玉珍丧偶，与儿子一家同住，身体较差；邵建设与其为同村，两家原关系很好。",
                "被执行人规避执行、以他人名义隐匿财产；终本前财产调查局限于被执行人本人名下。",
                "县法院2024年12月答复；2025年3月依法终结告知书；2026年7月恢复执行通知书。",
                "终本前未对被执行人配偶名下财产和经营收入进行调查，财产调查不彻底，已在全院通报。",
            ],
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-fy",
            status: Served,
            category: Enforcement,
            registered_on: "2024-06-17",
            officer: "乌兰",
            title: "朝格图申请执行饲养动物损害责任纠纷判决执行不能信访案",
            petitioners: vec![citizen(
                "朝格图",
                rid(BY, "19800807", "031"),
                "15149742257",
                "白云旗巴音苏木巴音嘎查",
            )],
            original: "（2022）青0125执88号",
            rulings: vec![
                ruling(BYFY, "（2021）青0125民初417号", "2021-10-26", "判决巴特尔仓赔偿朝格图之子医疗费、护理费、残疾赔偿金等共计14.6万元。"),
                ruling(BYFY, "（2022）青0125执88号", "2022-08-30", "被执行人无可供执行财产，终结本次执行程序。"),
                ruling(BYFY, "（2024）青0125司救4号", "2024-10-15", "司法救助决定书：给予朝格图司法救助金4万元。"),
            ],
            demands: "要求法院强制执行赔偿款14.6万元；被执行人无钱的，要求政府代为支付；要求解决儿子后续整形手术费用。",
            background: "2021年3月朝格图之子（9岁）被邻居巴特尔仓饲养的獒犬咬伤面部，构成九级伤残。判决后巴特尔仓仅支付1.2万元。巴特尔仓年逾七十，独居，靠低保生活。朝格图多次到旗法院、旗政府、市中院上访，2024年6月登记为涉诉信访事项。",
            analysis: [
                "巴特尔仓名下仅有草场承包经营权，因年老已流转，流转费每年8000元已被法院逐年提取；其无存款、车辆，牲畜已于2020年全部出售看病。",
                "属执行不能类涉诉信访；执行程序已依法终本，穷尽财产调查措施。",
                "依法终结信访程序；被执行人的草场流转费继续按年执行；对申请执行人给予司法救助，协调民政、医保解决孩子后续治疗。",
                "强制执行14.6万元、政府代付、解决后续手术费。",
                "承办单位白云旗法院执行局；协调单位旗民政局、旗医保局、巴音苏木政府。包案领导为旗委政法委书记和旗法院院长。",
                "朝格图以放牧为生，妻子在苏木卫生院做护工；巴特尔仓与朝格图父亲是远亲。",
                "被执行人确无履行能力，执行不能并非法院怠于执行；孩子后续治疗费用是家庭最大的现实困难。",
                "旗法院2024年8月答复；2024年10月司法救助决定；2025年2月听证会，5名听证员一致同意依法终结。",
                "未发现执行错误；终本裁定对草场流转费的持续执行安排未写明，已补充书面告知。2025年3月依法终结，终结告知书已于2025年3月20日直接送达本人。",
            ],
        }
        .build(),
        Spec {
            org: "xlx",
            organ: "xlx-jcy",
            status: Filed,
            category: Criminal,
            registered_on: "2024-04-22",
            officer: "邢丽萍",
            title: "白秀兰不服故意伤害致死案量刑请求抗诉信访案",
            petitioners: vec![citizen(
                "白秀兰",
                rid(XL, "19570313", "022"),
                "13847428836",
                "西岭县柳树镇柳树村五组",
            )],
            original: "（2022）青0121刑初41号",
            rulings: vec![
                ruling(XLFY, "（2022）青0121刑初41号", "2022-07-20", "以故意伤害罪判处被告人郝某有期徒刑十二年；附带民事部分判决赔偿丧葬费等经济损失8.6万元。"),
                ruling("西岭县人民检察院", "西检不提抗答（2022）2号", "2022-07-29", "对被害人近亲属请求抗诉的答复：量刑适当，不提出抗诉。"),
                ruling(ZY, "（2022）青01刑终133号", "2022-11-08", "驳回被告人郝某的上诉，维持原判。"),
            ],
            demands: "要求检察院提出抗诉，对郝某判处死刑；要求郝某家属赔偿死亡赔偿金50万元。",
            background: "2021年8月白秀兰之子李某与郝某酒后争执，郝某持木棍击打李某头部致其死亡。郝某到案后如实供述，其家属代为赔偿8.6万元。白秀兰认为量刑过轻，判决后多次到县检察院、市检察院上访，2023年两次进京到最高人民检察院。",
            analysis: [
                "案发系酒后口角引发，被害人先动手推搡；郝某有坦白情节，家属代为赔偿；一审在法定刑幅度内量刑。",
                "属被害人近亲属不服刑事判决、请求抗诉的涉法信访；二审已经终审，检察机关审查后不抗诉。",
                "依法维护生效判决；死亡赔偿金不属刑事附带民事赔偿范围，依法释明；符合条件的给予司法救助。",
                "抗诉改判死刑、赔偿50万元。",
                "承办单位西岭县检察院第二检察部；包案领导为县检察院检察长和柳树镇党委书记。",
                "白秀兰丧夫，李某是其独子，留有一孙由白秀兰抚养。其女儿嫁到邻县，较理性。",
                "丧子之痛和“杀人偿命”的朴素观念，对法定量刑幅度不理解。",
                "县检察院2022年7月答复；市检察院2023年5月复查；2023年12月检察听证，7名听证员一致同意依法终结。",
                "未发现错误；县检察院2023年12月给予国家司法救助3万元，柳树镇将其孙纳入事实无人抚养儿童保障。2024年3月依法终结，2024年4月报市委政法委备案。",
            ],
        }
        .build(),
        Spec {
            org: "qss",
            organ: "qss-fy",
            status: Registered,
            category: Enforcement,
            registered_on: "2026-11-26",
            officer: "陈志刚",
            title: "殷淑华不服案外人执行异议裁定及执行异议之诉判决信访案",
            petitioners: vec![citizen(
                "殷淑华",
                rid(QS, "19740203", "044"),
                "13614746627",
                "青山市东河区阳光小区9号楼2单元701室",
            )],
            original: "（2025）青01执异77号",
            rulings: vec![
                ruling(ZY, "（2025）青01执异77号", "2025-09-03", "驳回殷淑华对查封阳光小区9号楼2单元701室的执行异议。"),
                ruling(ZY, "（2026）青01民初15号", "2026-05-28", "认定殷淑华对未办理过户登记存在过错，驳回其执行异议之诉的诉讼请求。"),
            ],
            demands: "要求解除对所住房屋的查封，确认房屋归自己所有；认为自己“花钱买的房子不能替别人还债”。",
            background: "2019年殷淑华向曹某购买房屋并付清房款入住，因自身原因未办理过户。2024年曹某因欠债被起诉，房屋被法院查封。执行异议之诉败诉后未在法定期限内上诉，2026年11月到市中院诉讼服务中心来访。",
            analysis: BLANK,
        }
        .build(),
        Spec {
            org: "byq",
            organ: "byq-jcy",
            status: Closed,
            category: ProcuratorialSupervision,
            registered_on: "2024-11-11",
            officer: "娜仁",
            title: "邱桂英不服检察机关不支持监督申请决定信访案",
            petitioners: vec![citizen(
                "邱桂英",
                rid(BY, "19661230", "040"),
                "15247490863",
                "白云旗白云镇新华街46号",
            )],
            original: "青白检民监（2024）15号",
            rulings: vec![
                ruling(BYFY, "（2023）青0125民初143号", "2023-05-17", "判决被帮工人高某承担40%赔偿责任，赔偿邱桂英丈夫坠落受伤各项损失11.2万元。"),
                ruling(ZY, "（2023）青01民终1002号", "2023-09-26", "驳回上诉，维持原判。"),
                ruling("白云旗人民检察院", "青白检民监（2024）15号", "2024-08-30", "不支持监督申请决定书。"),
            ],
            demands: "要求检察院提请抗诉，改判高某承担全部责任，赔偿42万元；认为法院判丈夫自担60%责任不公。",
            background: "2022年6月邱桂英丈夫在邻居高某家帮工搭建棚圈时从屋顶坠落，致截瘫。法院认定其未采取任何安全措施、自身过错较大。邱桂英申请检察监督被决定不支持后，多次到旗检察院、市检察院上访，2024年10月到自治区检察院反映。",
            analysis: [
                "坠落时屋顶高约3.5米，现场无安全绳、无防护；高某未提供安全设施，亦未制止。两审均按高某四成、受害人六成划分责任。",
                "属不服检察机关不支持监督申请决定的涉法信访，民事检察监督程序已经终结。",
                "依法维护生效判决和检察决定；对因伤致贫问题协调司法救助和社会救助。",
                "提请抗诉、全额赔偿42万元。",
                "承办单位白云旗检察院第二检察部，责任人为部主任；包案领导为旗检察院检察长和白云镇党委书记。",
                "邱桂英丈夫截瘫卧床，儿子在外地打工，家庭生活困难；高某已支付6万元，余款因其经济困难分期支付。",
                "受害人自身过错与家庭困境之间的落差，使其难以接受六成自担的裁判结果。",
                "旗检察院2024年9月答复；市检察院2024年10月复查意见；2025年1月检察听证。",
                "经评查，不支持监督申请决定事实清楚、说理充分。旗检察院给予国家司法救助4万元，旗残联为邱桂英丈夫办理残疾人两项补贴。2025年2月依法终结。",
            ],
        }
        .build(),
        Spec {
            org: "dhq",
            organ: "dhq-fy",
            status: Resolved,
            category: Criminal,
            registered_on: "2025-01-13",
            officer: "杜鹏",
            title: "冉秀芝不服故意伤害案刑事附带民事判决执行信访案",
            petitioners: vec![citizen(
                "冉秀芝",
                rid(DH, "19710405", "028"),
                "13847405542",
                "青山市东河区新华街道西园小区15号楼",
            )],
            original: "（2022）青0102刑初301号",
            rulings: vec![
                ruling(DHFY, "（2022）青0102刑初301号", "2022-11-15", "以故意伤害罪判处被告人常某有期徒刑七年，赔偿附带民事诉讼原告人冉秀芝医疗费、误工费、护理费等经济损失21.3万元。"),
                ruling(DHFY, "（2025）青0102司救11号", "2025-04-22", "司法救助决定书：给予冉秀芝司法救助金8万元。"),
            ],
            demands: "要求执行附带民事赔偿21.3万元；反对常某减刑，要求法院在减刑时考虑其未履行赔偿义务。",
            background: "2022年5月冉秀芝在经营的小吃店内被醉酒顾客常某砍伤，左手功能部分丧失。刑事附带民事判决后常某服刑，无财产可供执行。冉秀芝多次到区法院、市中院上访，2024年12月得知常某申请减刑后情绪激动，到市委政法委反映。",
            analysis: [
                "附带民事赔偿21.3万元未履行，常某名下无财产；常某在监狱服刑期间劳动报酬每月约300元。",
                "属刑事被害人因赔偿不能履行引发的涉诉信访，伴有对减刑的关切。",
                "依法执行，对常某在监狱的劳动报酬依法扣划；依法向被害人告知减刑审理情况，减刑时依法考虑财产性判项履行情况；给予司法救助。",
                "执行赔偿21.3万元、不同意减刑。",
                "承办单位东河区法院执行局和刑事审判庭；协调单位常某服刑的监狱、新华街道。包案领导为区法院院长和新华街道党工委书记。",
                "冉秀芝离异，与女儿同住，小吃店已关闭；常某父母年迈，愿意变卖农村房屋筹款赔偿部分款项。",
                "被害人因伤失去生计是症结；其对减刑程序有误解，以为“赔钱就能减刑，不赔也能减”。",
                "区法院2025年2月答复；市中院2025年3月就减刑审理程序的书面说明。",
                "未发现错误瑕疵。2025年5月在区法院主持下常某父母一次性赔偿5万元，区法院给予司法救助8万元，新华街道帮助冉秀芝在社区食堂就业，冉秀芝表示满意，事项化解。",
            ],
        }
        .build(),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;

    use super::*;
    use hearing_core::validate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn sizes() {
        let d = demo_data();
        assert_eq!(d.orgs.len(), 20);
        assert!(d.persons.len() >= 35, "{} persons", d.persons.len());
        assert!(d.cases.len() >= 28, "{} cases", d.cases.len());
    }

    #[test]
    fn orgs_are_a_tree_with_unique_keys_and_codes() {
        let d = demo_data();
        let keys: HashSet<_> = d.orgs.iter().map(|o| o.key).collect();
        assert_eq!(keys.len(), d.orgs.len(), "duplicate org key");
        let codes: HashSet<_> = d.orgs.iter().map(|o| o.input.code.as_str()).collect();
        assert_eq!(codes.len(), d.orgs.len(), "duplicate org code");
        let roots: Vec<_> = d.orgs.iter().filter(|o| o.parent.is_none()).collect();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].input.code, "QSS");
        assert_eq!(roots[0].input.kind, OrgKind::Committee);
        // Parents come before their children, so a loader can insert in order.
        let mut seen = HashSet::new();
        for o in &d.orgs {
            if let Some(p) = o.parent {
                assert!(
                    seen.contains(p),
                    "{} refers to unknown or later parent {p}",
                    o.key
                );
            }
            assert!(o.input.parent_id.is_none());
            let v = o.input.validate().expect("org validates");
            assert_eq!(v.code, o.input.code, "code is already normalised");
            seen.insert(o.key);
        }
        for p in &d.persons {
            assert!(
                keys.contains(p.org),
                "person {} kept by unknown org {}",
                p.input.name,
                p.org
            );
        }
        for c in &d.cases {
            assert!(
                keys.contains(c.org),
                "case {} owned by unknown org",
                c.input.title
            );
            assert!(
                keys.contains(c.organ),
                "case {} handled by unknown organ",
                c.input.title
            );
        }
    }

    #[test]
    fn handling_organs_are_not_committees() {
        let d = demo_data();
        for c in &d.cases {
            let organ = d
                .orgs
                .iter()
                .find(|o| o.key == c.organ)
                .map(|o| o.input.kind);
            assert!(
                matches!(organ, Some(k) if k != OrgKind::Committee),
                "{} is handled by {:?}",
                c.input.title,
                organ
            );
        }
    }

    #[test]
    fn every_person_validates() {
        for p in demo_data().persons {
            if let Err(e) = p.input.validate(today()) {
                panic!("{}: {e:?}", p.input.name);
            }
        }
    }

    #[test]
    fn every_case_validates_without_warnings() {
        for c in demo_data().cases {
            let mut input = c.input.clone();
            assert!(input.handling_organ_id.is_empty());
            assert!(input.number.is_empty());
            input.handling_organ_id = "org-demo".into();
            let v = match input.validate(today()) {
                Ok(v) => v,
                Err(e) => panic!("{}: {e:?}", c.input.title),
            };
            assert!((1..=3).contains(&v.petitioners.len()), "{}", v.title);
            assert!((1..=3).contains(&v.rulings.len()), "{}", v.title);
            assert!(!v.original_case_number.is_empty(), "{}", v.title);
            assert!(!v.background.is_empty(), "{}", v.title);
            assert!(!v.case_officer.is_empty(), "{}", v.title);
            for r in &v.rulings {
                assert!(!r.date.is_empty() && !r.organ.is_empty(), "{}", v.title);
            }
            for p in &v.petitioners {
                assert!(
                    p.credit_code_warning.is_none(),
                    "{}: {:?}",
                    p.name,
                    p.credit_code_warning
                );
                match p.kind {
                    PetitionerKind::Person => assert!(p.id_number.is_some(), "{}", p.name),
                    PetitionerKind::Organisation => {
                        assert!(p.credit_code.is_some() && !p.representative.is_empty())
                    }
                }
            }
            assert!(c.analysis.validate().is_ok(), "{}", v.title);
        }
    }

    #[test]
    fn registration_dates_fall_in_the_demo_window() {
        for c in demo_data().cases {
            let d = c.input.registered_on.as_str();
            assert!(
                ("2024-01-01"..="2026-11-27").contains(&d),
                "{}: {d}",
                c.input.title
            );
        }
    }

    #[test]
    fn every_status_and_kind_appears_and_most_categories() {
        let d = demo_data();
        for s in CaseStatus::ALL {
            assert!(d.cases.iter().any(|c| c.status == s), "no case in {s:?}");
        }
        for k in PersonKind::ALL {
            assert!(
                d.persons.iter().any(|p| p.input.kind == Some(k)),
                "no {k:?}"
            );
        }
        for k in CaseCategory::ALL {
            assert!(
                d.cases.iter().any(|c| c.input.category == Some(k)),
                "no {k:?} case"
            );
        }
        assert!(d.persons.iter().any(|p| !p.active));
        assert!(d.cases.iter().any(|c| c.input.petitioners.len() >= 3));
        assert!(d
            .cases
            .iter()
            .flat_map(|c| &c.input.petitioners)
            .any(|p| p.kind == PetitionerKind::Organisation));
    }

    #[test]
    fn analysis_is_complete_late_and_incomplete_early() {
        use CaseStatus::*;
        for c in demo_data().cases {
            let done = c.analysis.completeness();
            match c.status {
                Hearing | ClosureApproval | Closed | Served | Filed | Reopened
                | ProposedClosure => {
                    assert_eq!(done, 100, "{}", c.input.title)
                }
                Registered | UnderReview | Withdrawn => assert!(done < 100, "{}", c.input.title),
                Resolved | LegalProcedure => {}
            }
        }
    }

    #[test]
    fn titles_and_ids_are_unique() {
        let d = demo_data();
        let titles: HashSet<_> = d.cases.iter().map(|c| c.input.title.as_str()).collect();
        assert_eq!(titles.len(), d.cases.len());
        let ids: Vec<_> = d
            .cases
            .iter()
            .flat_map(|c| &c.input.petitioners)
            .map(|p| p.id_number.as_str())
            .chain(d.persons.iter().map(|p| p.input.id_number.as_str()))
            .filter(|s| !s.is_empty())
            .collect();
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "an ID number is used twice");
        let phones: Vec<_> = d
            .cases
            .iter()
            .flat_map(|c| &c.input.petitioners)
            .map(|p| p.phone.as_str())
            .chain(d.persons.iter().map(|p| p.input.phone.as_str()))
            .filter(|s| !s.is_empty())
            .collect();
        let unique: HashSet<_> = phones.iter().collect();
        assert_eq!(unique.len(), phones.len(), "a phone number is used twice");
    }

    #[test]
    fn names_include_characters_outside_gb2312() {
        let d = demo_data();
        let names: Vec<&str> = d.persons.iter().map(|p| p.input.name.as_str()).collect();
        let ext = |c: char| matches!(c as u32, 0x3400..=0x4DBF | 0x20000..=0x2A6DF);
        assert!(
            names.iter().any(|n| n.chars().any(ext)),
            "no CJK Ext-A/B name"
        );
        // GBK-only (not GB2312) characters as in 陈堃, 李喆.
        assert!(names.contains(&"陈堃") && names.contains(&"李喆"));
    }

    #[test]
    fn helpers_match_the_validators() {
        let id = rid("110105", "19491231", "002");
        assert_eq!(id, "11010519491231002X");
        assert!(validate::resident_id(&id, today()).is_ok());
        assert_eq!(usci("91350100M000100Y4"), "91350100M000100Y43");
        let (_, warning) = validate::credit_code(&usci("93159925MA0N2RKD4"));
        assert!(warning.is_none());
    }

    #[test]
    fn lawyers_have_licences_and_delegates_have_terms() {
        for p in demo_data().persons {
            let i = &p.input;
            match i.kind {
                Some(PersonKind::Lawyer) => {
                    assert_eq!(i.licence_no.len(), 17, "{}", i.name);
                    assert!(!i.law_firm.is_empty());
                }
                Some(
                    PersonKind::PartyDelegate
                    | PersonKind::CongressDeputy
                    | PersonKind::CppccMember,
                ) => {
                    assert!(
                        !i.term_start.is_empty() && !i.term_end.is_empty(),
                        "{}",
                        i.name
                    );
                    assert!(i.level.is_some(), "{}", i.name);
                }
                _ => {}
            }
        }
    }
}
