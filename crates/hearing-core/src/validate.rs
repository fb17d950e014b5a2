//! Validation of identifiers people type (DOMAIN.md §7): resident ID numbers (GB 11643), mobile and
//! landline numbers, and 统一社会信用代码 (GB 32100). Each check normalises what it accepts
//! (full-width digits, spaces, lowercase x) and explains in Chinese what it refuses.

use chrono::{Datelike, NaiveDate};

/// Why a resident ID number was refused. The message names the problem: length, characters,
/// birth date or check digit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号码不能为空")]
    Empty,
    #[error("身份证号码应为 18 位（或旧式 15 位），现为 {0} 位")]
    Length(usize),
    #[error("身份证号码含有无效字符“{0}”：只能是数字，18 位号码的最后一位可以是 X")]
    Character(char),
    #[error("身份证号码中的出生日期 {0} 不存在")]
    BirthDate(String),
    #[error("身份证号码中的出生日期 {0} 晚于今天")]
    FutureBirthDate(String),
    #[error("身份证号码校验位错误：按前 17 位计算应为 {expected}，实为 {actual}，请核对号码")]
    CheckDigit { expected: char, actual: char },
}

impl IdNumberError {
    /// Stable code for programs and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "id_number.empty",
            Self::Length(_) => "id_number.length",
            Self::Character(_) => "id_number.character",
            Self::BirthDate(_) => "id_number.birth_date",
            Self::FutureBirthDate(_) => "id_number.future_birth_date",
            Self::CheckDigit { .. } => "id_number.check_digit",
        }
    }
}

/// A checked resident ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId {
    /// Always 18 characters, uppercase X.
    pub number: String,
    pub birth_date: NaiveDate,
    pub male: bool,
    /// True when the input was an old 15-digit number that was upgraded.
    pub upgraded: bool,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The check character for the first 17 digits of an ID number. `first17` must be 17 ASCII digits.
pub fn id_check_char(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

/// Full-width digits and letters become ASCII; spaces (half and full width) and hyphens vanish.
pub fn normalise_code(input: &str) -> String {
    // Widths first, so that a full-width hyphen vanishes too.
    ascii_forms(input).filter(|c| *c != '-').collect()
}

/// The characters of `input` without spaces (half and full width), full-width forms as ASCII.
fn ascii_forms(input: &str) -> impl Iterator<Item = char> + '_ {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
}

/// Checks a resident ID number against GB 11643: length, characters, a real birth date that is
/// not after `today`, and the MOD 11-2 check character. Old 15-digit numbers are upgraded.
pub fn resident_id(input: &str, today: NaiveDate) -> Result<ResidentId, IdNumberError> {
    let s = normalise_code(input).to_uppercase();
    let len = s.chars().count();
    if len == 0 {
        return Err(IdNumberError::Empty);
    }
    if len != 18 && len != 15 {
        return Err(IdNumberError::Length(len));
    }
    for (i, c) in s.chars().enumerate() {
        let last18 = len == 18 && i == 17;
        if !(c.is_ascii_digit() || (last18 && c == 'X')) {
            return Err(IdNumberError::Character(c));
        }
    }
    let (first17, upgraded) = if len == 15 {
        (format!("{}19{}", &s[..6], &s[6..15]), true)
    } else {
        (s[..17].to_owned(), false)
    };
    let birth = &first17[6..14];
    let shown = format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..8]);
    let birth_date = NaiveDate::parse_from_str(birth, "%Y%m%d")
        .map_err(|_| IdNumberError::BirthDate(shown.clone()))?;
    if birth_date.year() < 1800 {
        return Err(IdNumberError::BirthDate(shown));
    }
    if birth_date > today {
        return Err(IdNumberError::FutureBirthDate(shown));
    }
    let expected = id_check_char(&first17);
    if !upgraded {
        let actual = s.chars().nth(17).unwrap_or(' ');
        if actual != expected {
            return Err(IdNumberError::CheckDigit { expected, actual });
        }
    }
    let male = (first17.as_bytes()[16] - b'0') % 2 == 1;
    Ok(ResidentId {
        number: format!("{first17}{expected}"),
        birth_date,
        male,
        upgraded,
    })
}

/// "110105********002X": region and sequence visible, birth date hidden. Anything that is not
/// an 18- or 15-character number keeps its first and last two characters.
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        18 | 15 => (6, 4),
        0..=4 => return "*".repeat(n),
        _ => (2, 2),
    };
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', n - head - tail))
        .chain(chars[n - tail..].iter())
        .collect()
}

/// "138****5678".
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n.saturating_sub(2))
            + &chars[n.saturating_sub(2)..].iter().collect::<String>();
    }
    // Keep what stands before the middle four and the last four: "138****5678".
    let head = n - 8;
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', 4))
        .chain(chars[n - 4..].iter())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error(
        "电话号码格式不正确：手机号为 11 位、以 1 开头（可带 +86），座机为区号加 7–8 位号码（如 0471-1234567，可带分机号）"
    )]
    Format,
}

/// What kind of number a phone field holds once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// Checks a mobile (`^(?:\+?86)?1[3-9]\d{9}$`) or landline number (0 + area code + 7–8 digits,
/// optional extension) and returns it normalised: mobiles as 11 digits, landlines as
/// `0471-1234567` or `0471-1234567-123`.
pub fn phone(input: &str) -> Result<(String, PhoneKind), PhoneError> {
    let raw: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' => '-',
            _ => c,
        })
        .collect();
    if let Some(m) = mobile(&raw) {
        return Ok((m, PhoneKind::Mobile));
    }
    landline(&raw)
        .map(|l| (l, PhoneKind::Landline))
        .ok_or(PhoneError::Format)
}

fn mobile(raw: &str) -> Option<String> {
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    let digits = if digits.len() == 13 {
        digits.strip_prefix("86")?
    } else {
        digits
    };
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    ok.then(|| digits.to_owned())
}

fn landline(raw: &str) -> Option<String> {
    // Accept "0471-1234567-12", "04711234567", "(0471)1234567", "0471 1234567 转 12".
    let s = raw
        .replace(['(', '（'], "")
        .replace([')', '）'], "-")
        .replace("转", "-");
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (area, number, ext) = match parts.as_slice() {
        [all] => split_area(all)?,
        [area, number] => (area.to_string(), number.to_string(), None),
        [area, number, ext] => (area.to_string(), number.to_string(), Some(ext.to_string())),
        _ => return None,
    };
    let area_ok = area.starts_with('0') && (3..=4).contains(&area.len());
    let number_ok = (7..=8).contains(&number.len()) && !number.starts_with('0');
    let ext_ok = ext.as_ref().is_none_or(|e| (1..=6).contains(&e.len()));
    if !(area_ok && number_ok && ext_ok) {
        return None;
    }
    Some(match ext {
        Some(e) => format!("{area}-{number}-{e}"),
        None => format!("{area}-{number}"),
    })
}

/// Splits "04711234567" into area and number. Area codes of 3 digits start with 01 or 02.
fn split_area(all: &str) -> Option<(String, String, Option<String>)> {
    if !all.starts_with('0') {
        return None;
    }
    let area_len = if all.starts_with("01") || all.starts_with("02") {
        3
    } else {
        4
    };
    if all.len() <= area_len {
        return None;
    }
    Some((all[..area_len].to_owned(), all[area_len..].to_owned(), None))
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Why a 统一社会信用代码 looks wrong. This is a warning only: some early codes fail the check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeWarning {
    #[error("统一社会信用代码应为 18 位，现为 {0} 位")]
    Length(usize),
    #[error("统一社会信用代码含有无效字符“{0}”（不使用 I、O、Z、S、V）")]
    Character(char),
    #[error("统一社会信用代码校验位应为 {expected}，实为 {actual}；早期代码可能如此，请核对")]
    CheckDigit { expected: char, actual: char },
}

/// Normalises a credit code and checks it against GB 32100. The normalised code is returned in
/// both cases so that a warned code can still be saved.
pub fn credit_code(input: &str) -> (String, Option<CreditCodeWarning>) {
    let s = normalise_code(input).to_uppercase();
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return (s, Some(CreditCodeWarning::Length(chars.len())));
    }
    let mut values = Vec::with_capacity(18);
    for &c in &chars {
        match CREDIT_ALPHABET.find(c) {
            Some(v) => values.push(v as u32),
            None => return (s, Some(CreditCodeWarning::Character(c))),
        }
    }
    let mut weight = 1u32;
    let mut sum = 0u32;
    for v in &values[..17] {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    let expected = CREDIT_ALPHABET.chars().nth(check as usize).unwrap_or('?');
    if expected != chars[17] {
        return (
            s,
            Some(CreditCodeWarning::CheckDigit {
                expected,
                actual: chars[17],
            }),
        );
    }
    (s, None)
}

/// Parses a calendar date typed as `2026-03-05` (also `2026-3-5`, `2026/3/5`, `2026年3月5日`,
/// `20260305`).
pub fn date(input: &str) -> Option<NaiveDate> {
    // Hyphens are the separators here: dropping them would read 2026-1-12 as 2026112.
    let s = ascii_forms(input)
        .collect::<String>()
        .replace(['/', '.', '年', '月'], "-")
        .replace('日', "");
    let s = s.trim_end_matches('-');
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn domain_vectors() {
        assert!(resident_id("11010519491231002X", today()).is_ok());
        assert!(resident_id("34052419800101001X", today()).is_ok());
        assert_eq!(
            resident_id("340524198001010013", today()),
            Err(IdNumberError::CheckDigit {
                expected: 'X',
                actual: '3'
            })
        );
    }

    #[test]
    fn lowercase_full_width_and_spaces_are_normalised() {
        let id = resident_id("１１０１０５ 1949 1231 002x", today()).expect("valid");
        assert_eq!(id.number, "11010519491231002X");
        assert!(!id.male);
        assert_eq!(
            id.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap_or_default()
        );
    }

    #[test]
    fn fifteen_digits_are_upgraded() {
        // 340524800101001 → 34052419800101001 + check X
        let id = resident_id("340524800101001", today()).expect("valid");
        assert_eq!(id.number, "34052419800101001X");
        assert!(id.upgraded);
        assert!(id.male);
    }

    #[test]
    fn each_problem_is_named() {
        let t = today();
        assert_eq!(resident_id("", t), Err(IdNumberError::Empty));
        assert_eq!(resident_id("1234", t), Err(IdNumberError::Length(4)));
        assert_eq!(
            resident_id("1101051949123100AX", t),
            Err(IdNumberError::Character('A'))
        );
        assert_eq!(
            resident_id("110105194902300000", t),
            Err(IdNumberError::BirthDate("1949-02-30".into()))
        );
        let future = resident_id("110105203001010000", t);
        assert_eq!(
            future,
            Err(IdNumberError::FutureBirthDate("2030-01-01".into()))
        );
        let msg = resident_id("340524198001010013", t)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("校验位"), "{msg}");
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0471-1234567"), "0471****4567");
    }

    #[test]
    fn phones() {
        assert_eq!(
            phone("+86 138 1234 5678"),
            Ok(("13812345678".into(), PhoneKind::Mobile))
        );
        assert_eq!(
            phone("8613812345678"),
            Ok(("13812345678".into(), PhoneKind::Mobile))
        );
        assert_eq!(phone("12812345678"), Err(PhoneError::Format));
        assert_eq!(phone("1381234567"), Err(PhoneError::Format));
        assert_eq!(
            phone("0471-1234567"),
            Ok(("0471-1234567".into(), PhoneKind::Landline))
        );
        assert_eq!(
            phone("(010)12345678转123"),
            Ok(("010-12345678-123".into(), PhoneKind::Landline))
        );
        assert_eq!(
            phone("04741234567"),
            Ok(("0474-1234567".into(), PhoneKind::Landline))
        );
        assert_eq!(phone("0471-123"), Err(PhoneError::Format));
        assert_eq!(phone("电话"), Err(PhoneError::Format));
    }

    #[test]
    fn credit_codes() {
        assert_eq!(
            credit_code("91350100M000100Y43"),
            ("91350100M000100Y43".into(), None)
        );
        assert_eq!(
            credit_code("91350100m000100y43").1,
            None,
            "lowercase is normalised"
        );
        assert!(matches!(
            credit_code("91350100M000100Y44").1,
            Some(CreditCodeWarning::CheckDigit { expected: '3', .. })
        ));
        assert!(matches!(
            credit_code("91350100M000100I43").1,
            Some(CreditCodeWarning::Character('I'))
        ));
        assert_eq!(credit_code("123").1, Some(CreditCodeWarning::Length(3)));
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5);
        assert_eq!(date("2026-03-05"), d);
        assert_eq!(date("2026/3/5"), d);
        assert_eq!(date("2026年3月5日"), d);
        assert_eq!(date("2026-02-30"), None);
        // Found by fuzzing: hyphens were dropped before parsing, so these failed or misread.
        assert_eq!(date("2026-3-5"), d);
        assert_eq!(date("２０２６－０３－０５"), d);
        assert_eq!(date("2026-1-12"), NaiveDate::from_ymd_opt(2026, 1, 12));
    }

    #[test]
    fn a_full_width_hyphen_is_dropped_like_a_hyphen() {
        // Found by fuzzing: widths were made ASCII after hyphens were dropped.
        assert_eq!(normalise_code("110105－19491231002X"), "11010519491231002X");
        assert!(resident_id("110105－19491231002X", today()).is_ok());
    }

    /// Builds a valid 18-digit ID from generated parts.
    fn valid_id() -> impl Strategy<Value = String> {
        (
            110000u32..=659999,
            (1900i32..=2025, 1u32..=12, 1u32..=28),
            0u32..=999,
        )
            .prop_map(|(region, (y, m, d), seq)| {
                let first17 = format!("{region:06}{y:04}{m:02}{d:02}{seq:03}");
                let check = id_check_char(&first17);
                format!("{first17}{check}")
            })
    }

    proptest! {
        #[test]
        fn every_generated_valid_id_passes(id in valid_id()) {
            let checked = resident_id(&id, today());
            prop_assert!(checked.is_ok(), "{id}: {checked:?}");
            prop_assert_eq!(checked.map(|c| c.number).unwrap_or_default(), id);
        }

        #[test]
        fn every_single_digit_mutation_fails(id in valid_id(), pos in 0usize..17, delta in 1u8..=9) {
            let mut bytes = id.clone().into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let mutated = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(resident_id(&mutated, today()).is_err(), "{mutated} from {id}");
        }

        #[test]
        fn a_wrong_check_character_fails(id in valid_id(), other in 0usize..11) {
            let replacement = char::from(CHECK_CHARS[other]);
            prop_assume!(!id.ends_with(replacement));
            let mutated = format!("{}{}", &id[..17], replacement);
            prop_assert!(resident_id(&mutated, today()).is_err());
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,40}") {
            let _ = resident_id(&s, today());
            let _ = phone(&s);
            let _ = credit_code(&s);
            let _ = date(&s);
            let _ = mask_id_number(&s);
            let _ = mask_phone(&s);
        }
    }
}
