//! The invariants of the validators, as checks over raw bytes: the `validators` fuzz target
//! (`fuzz/`) runs them on generated input, and `tests/fuzz_regressions.rs` replays the
//! committed corpus through the same function, so the two cannot drift. A check panics when an
//! invariant fails. Not an API: hidden from the docs, used only by the fuzzer and the tests.

use chrono::{Datelike, NaiveDate};

use crate::error::ValidationErrors;
use crate::text;
use crate::validate::{
    credit_code, date, id_check_char, mask_id_number, mask_phone, normalise_code, phone,
    resident_id, CreditCodeWarning, IdNumberError, PhoneKind, ResidentId,
};

/// The `today` the checks give the validators (the date the domain vectors were written).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

/// Every validator of `validate` and `text` on the input, read as UTF-8 (invalid sequences
/// become U+FFFD, as a lossy file read or paste would give them).
pub fn validators(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    id_number(&input);
    phone_number(&input);
    credit(&input);
    calendar_date(&input);
    masks(&input);
    free_text(&input);
}

/// ASCII as a clerk with a Chinese input method may type it: full-width forms.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Groups of four separated by spaces (half and full width), as numbers are often written.
fn spaced(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(if i % 8 == 0 { '\u{3000}' } else { ' ' });
        }
        out.push(c);
    }
    out
}

/// GB 11643: an accepted number is a canonical 18-character number whose parts agree with what
/// was returned, and it is accepted again, unchanged, however it is typed; a refusal names a
/// problem that the normalised input really has.
fn id_number(input: &str) {
    let t = today();
    let first = resident_id(input, t);
    assert_eq!(first, resident_id(input, t), "not deterministic");
    let normalised = normalise_code(input).to_uppercase();
    let len = normalised.chars().count();
    match &first {
        Ok(id) => {
            let n = id.number.as_str();
            assert_eq!(n.len(), 18, "{n}");
            assert!(n[..17].bytes().all(|b| b.is_ascii_digit()), "{n}");
            assert!(
                n.ends_with(id_check_char(&n[..17])),
                "check character of {n}"
            );
            let birth = NaiveDate::parse_from_str(&n[6..14], "%Y%m%d");
            assert_eq!(birth, Ok(id.birth_date), "birth date of {n}");
            assert!(id.birth_date <= t && id.birth_date.year() >= 1800, "{n}");
            assert_eq!(id.male, (n.as_bytes()[16] - b'0') % 2 == 1, "sex of {n}");
            assert_eq!(id.upgraded, len == 15, "upgraded flag of {input:?}");
            let again = ResidentId {
                upgraded: false,
                ..id.clone()
            };
            for typed in [
                n.to_owned(),
                n.to_lowercase(),
                full_width(n),
                full_width(&n.to_lowercase()),
                spaced(n),
            ] {
                assert_eq!(resident_id(&typed, t), Ok(again.clone()), "{typed:?}");
            }
            // Any other check character is refused, naming the right one.
            let expected = id_check_char(&n[..17]);
            for other in "0123456789X".chars().filter(|c| *c != expected) {
                assert_eq!(
                    resident_id(&format!("{}{other}", &n[..17]), t),
                    Err(IdNumberError::CheckDigit {
                        expected,
                        actual: other
                    })
                );
            }
        }
        Err(e) => {
            assert!(!e.code().is_empty() && !e.to_string().is_empty());
            match e {
                IdNumberError::Empty => assert_eq!(len, 0, "{input:?}"),
                IdNumberError::Length(n) => {
                    assert_eq!(*n, len, "{input:?}");
                    assert!(*n != 15 && *n != 18, "{input:?}");
                }
                IdNumberError::Character(c) => assert!(normalised.contains(*c), "{input:?}"),
                IdNumberError::CheckDigit { expected, actual } => {
                    assert_ne!(expected, actual, "{input:?}");
                    assert!(normalised.ends_with(*actual), "{input:?}");
                }
                IdNumberError::BirthDate(_) | IdNumberError::FutureBirthDate(_) => {
                    assert!(len == 15 || len == 18, "{input:?}");
                }
            }
        }
    }
}

/// Phones: an accepted number comes back in its canonical form, which is accepted again as the
/// same number and kind, also full-width or (a mobile) with +86.
fn phone_number(input: &str) {
    let Ok((number, kind)) = phone(input) else {
        return;
    };
    let b = number.as_bytes();
    match kind {
        PhoneKind::Mobile => {
            assert!(
                b.len() == 11 && b.iter().all(u8::is_ascii_digit),
                "{number}"
            );
            assert!(b[0] == b'1' && (b'3'..=b'9').contains(&b[1]), "{number}");
            assert_eq!(phone(&format!("+86 {number}")), Ok((number.clone(), kind)));
        }
        PhoneKind::Landline => {
            let parts: Vec<&str> = number.split('-').collect();
            let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
                lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
            };
            assert!(parts.len() == 2 || parts.len() == 3, "{number}");
            assert!(
                digits(parts[0], 3..=4) && parts[0].starts_with('0'),
                "{number}"
            );
            assert!(
                digits(parts[1], 7..=8) && !parts[1].starts_with('0'),
                "{number}"
            );
            assert!(parts.get(2).is_none_or(|e| digits(e, 1..=6)), "{number}");
        }
    }
    for typed in [number.clone(), full_width(&number), spaced(&number)] {
        assert_eq!(phone(&typed), Ok((number.clone(), kind)), "{typed:?}");
    }
}

/// GB 32100 (an independent statement of the alphabet: no I, O, Z, S, V): normalising twice
/// changes nothing, and each warning is true of the normalised code.
fn credit(input: &str) {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let (code, warning) = credit_code(input);
    assert_eq!(
        credit_code(&code),
        (code.clone(), warning.clone()),
        "{input:?}"
    );
    let len = code.chars().count();
    match warning {
        None => {
            assert!(
                len == 18 && code.chars().all(|c| ALPHABET.contains(c)),
                "{code}"
            );
            assert_eq!(credit_code(&full_width(&code.to_lowercase())), (code, None));
        }
        Some(CreditCodeWarning::Length(n)) => assert!(n == len && n != 18, "{input:?}"),
        Some(CreditCodeWarning::Character(c)) => {
            assert!(code.contains(c) && !ALPHABET.contains(c), "{input:?}")
        }
        Some(CreditCodeWarning::CheckDigit { expected, actual }) => {
            assert!(len == 18 && expected != actual, "{input:?}");
            assert!(
                code.ends_with(actual) && ALPHABET.contains(expected),
                "{input:?}"
            );
        }
    }
}

/// Dates: an accepted date is accepted again, as the same day, in each form the field promises.
fn calendar_date(input: &str) {
    let Some(d) = date(input) else {
        return;
    };
    if !(0..=9999).contains(&d.year()) {
        return;
    }
    for form in [
        "%Y-%m-%d",
        "%Y/%-m/%-d",
        "%Y年%-m月%-d日",
        "%Y-%-m-%-d",
        "%Y%m%d",
    ] {
        let typed = d.format(form).to_string();
        assert_eq!(date(&typed), Some(d), "{typed:?} (from {input:?})");
    }
}

/// Masks keep the length and hide what they promise to hide.
fn masks(input: &str) {
    let chars: Vec<char> = input.chars().collect();
    let n = chars.len();
    let id: Vec<char> = mask_id_number(input).chars().collect();
    assert_eq!(id.len(), n, "{input:?}");
    if n == 18 {
        assert!(id[6..14].iter().all(|c| *c == '*'), "birth date shown");
    }
    let p: Vec<char> = mask_phone(input).chars().collect();
    assert_eq!(p.len(), n, "{input:?}");
    if n >= 8 {
        assert!(
            p[n - 8..n - 4].iter().all(|c| *c == '*'),
            "middle four shown"
        );
        assert_eq!(p[n - 4..], chars[n - 4..], "{input:?}");
    }
}

/// Free text: cleaning is idempotent and leaves neither surrounding blanks nor control
/// characters other than line breaks and tabs; `required` refuses exactly what is empty or too
/// long once cleaned.
fn free_text(input: &str) {
    let blank = |c: char| c.is_whitespace() || c == '\u{3000}';
    let clean = text::clean(input);
    assert_eq!(
        text::clean(&clean),
        clean,
        "cleaning twice changes it: {input:?}"
    );
    assert!(
        !clean.starts_with(blank) && !clean.ends_with(blank),
        "{clean:?}"
    );
    assert!(
        clean
            .chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t'),
        "{clean:?}"
    );
    for max in [1, text::SHORT] {
        let mut e = ValidationErrors::default();
        let value = text::required(&mut e, "f", "字段", input, max);
        assert_eq!(value, clean);
        let fits = !clean.is_empty() && clean.chars().count() <= max;
        assert_eq!(e.is_empty(), fits, "{input:?} max {max}: {e:?}");
        let mut e = ValidationErrors::default();
        text::optional(&mut e, "f", "字段", input, max);
        assert_eq!(e.is_empty(), clean.chars().count() <= max, "{input:?}");
    }
}

/// Runs `check` on every file of the committed corpus `fuzz/regressions/<target>/` and fails
/// naming each file whose check panicked: the regression tests of the crates that own a check.
pub fn replay(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs fail their check (messages above):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}
