//! Checks for free text typed or pasted into a form: trimmed, not empty where required, and not
//! longer than the field can reasonably hold (a 1 MB paste gets a message, not a stored blob).

use crate::error::ValidationErrors;

/// Short fields: names, numbers, units.
pub const SHORT: usize = 100;
/// Medium fields: addresses, titles.
pub const MEDIUM: usize = 300;
/// Long fields: narratives such as demands and the case analysis.
pub const LONG: usize = 20_000;

/// Trims `value` and records a problem when it is empty or too long. Returns the trimmed text.
pub fn required(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let value = clean(value);
    if value.is_empty() {
        errors.push(field, "required", format!("请填写{label}"));
    } else {
        check_len(errors, field, label, &value, max);
    }
    value
}

/// Like [`required`] but an empty value is fine.
pub fn optional(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let value = clean(value);
    check_len(errors, field, label, &value, max);
    value
}

fn check_len(errors: &mut ValidationErrors, field: &str, label: &str, value: &str, max: usize) {
    let len = value.chars().count();
    if len > max {
        errors.push(
            field,
            "too_long",
            format!("{label}过长：共 {len} 字，最多 {max} 字"),
        );
    }
}

/// Trims surrounding white space (including the full-width space) and drops control characters
/// other than line breaks and tabs, which a paste from a word processor can carry.
pub fn clean(value: &str) -> String {
    // Control characters first: trimmed before, "\u{1} \u{1}" would leave a blank " ".
    let kept: String = value
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    kept.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_owned()
}

/// `None` for an empty string, so optional fields are stored as NULL.
pub fn non_empty(value: String) -> Option<String> {
    if value.is_empty() {
        None
    } else {
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_required_field_is_named() {
        let mut e = ValidationErrors::default();
        let v = required(&mut e, "name", "姓名", " \u{3000} ", SHORT);
        assert_eq!(v, "");
        assert_eq!(e.0[0].message, "请填写姓名");
    }

    #[test]
    fn huge_paste_is_refused_with_its_length() {
        let mut e = ValidationErrors::default();
        let big = "字".repeat(1_000_000);
        optional(&mut e, "demands", "信访诉求", &big, LONG);
        assert_eq!(e.0[0].code, "too_long");
        assert!(e.0[0].message.contains("1000000"));
    }

    #[test]
    fn control_characters_are_dropped_but_line_breaks_kept() {
        assert_eq!(clean("  甲\u{0}乙\n丙 "), "甲乙\n丙");
    }

    #[test]
    fn blanks_inside_control_characters_are_trimmed_too() {
        // Found by fuzzing: a required field of control characters and a space was "filled".
        assert_eq!(clean("\u{1} \u{1}"), "");
        assert_eq!(clean("\u{7}\u{3000}甲\u{3000}\u{7}"), "甲");
        let mut e = ValidationErrors::default();
        required(&mut e, "name", "姓名", "\u{1} \u{1}", SHORT);
        assert_eq!(e.0[0].code, "required");
    }
}
