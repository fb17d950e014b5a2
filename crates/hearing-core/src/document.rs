//! The life cycle of a document (文书) — its states and the moves between them — and the ways a
//! document or a notice is served (送达方式): one vocabulary that the store, the templates, the
//! CLI and the UI share instead of lists of names in strings.

use crate::error::ValidationErrors;
use crate::rules::{labelled_enum, Refusal};

labelled_enum! {
    /// Where a document is in its life. A draft is edited; 定稿 freezes its text and PDF (an
    /// edit then makes a new version); then the paper is printed, signed (the scan attached),
    /// served and filed, in that order. A later step may come without an earlier one (a decision
    /// served by hand without being marked printed); none is taken back.
    pub enum DocState {
        Draft = "draft": "草稿",
        Final = "final": "定稿",
        Printed = "printed": "已打印",
        Signed = "signed": "已签署",
        Served = "served": "已送达",
        Filed = "filed": "已归档",
    }
}

impl DocState {
    /// Past the draft: the text and the PDF are frozen.
    pub fn is_frozen(self) -> bool {
        self != DocState::Draft
    }

    /// The state a document in `self` is in once marked `to`, or why it cannot be: 定稿 only
    /// from a draft, every later step only forward from 定稿, nothing back to a draft.
    pub fn advance(self, to: DocState) -> Result<DocState, Refusal> {
        let allowed = match to {
            DocState::Draft => false,
            DocState::Final => self == DocState::Draft,
            _ => self.is_frozen() && self.rank() < to.rank(),
        };
        if allowed {
            return Ok(to);
        }
        Err(Refusal::one(if to == DocState::Final {
            format!(
                "文书已定稿（{}），不能再次定稿；如需修改请编辑生成新版本",
                self.label()
            )
        } else if !self.is_frozen() {
            format!("文书尚未定稿，不能标记为“{}”；请先定稿", to.label())
        } else {
            format!(
                "文书当前状态为“{}”，不能标记为“{}”",
                self.label(),
                to.label()
            )
        }))
    }

    fn rank(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

labelled_enum! {
    /// How a document or a notice reached its recipient (送达方式), as the 送达回证 prints it.
    pub enum ServiceMethod {
        Direct = "direct": "直接送达",
        Left = "left": "留置送达",
        Post = "post": "邮寄送达",
        Entrusted = "entrusted": "委托送达",
        Forwarded = "forwarded": "转交送达",
        Electronic = "electronic": "电子送达",
    }
}

impl ServiceMethod {
    /// The short term on the 送达回证's check boxes: 直接, 留置 …
    pub fn term(self) -> &'static str {
        self.label().trim_end_matches("送达")
    }

    /// A method as a program sends it (`direct`) or as people write and earlier versions stored
    /// it (直接送达, 直接).
    pub fn read(s: &str) -> Option<ServiceMethod> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s || m.label() == s || m.term() == s)
    }

    /// The methods in words, for a message: 直接送达、留置送达 …
    pub fn listed() -> String {
        Self::ALL.map(|m| m.label()).join("、")
    }

    /// The method typed in a form's `field` ([`ServiceMethod::read`]), or its problem pushed
    /// onto `e`: none given, or one outside the list.
    pub fn check(e: &mut ValidationErrors, field: &str, s: &str) -> Option<ServiceMethod> {
        let found = Self::read(s);
        if found.is_none() {
            if s.trim().is_empty() {
                e.push(field, "required", "请选择送达方式");
            } else {
                e.push(
                    field,
                    "service.method",
                    format!("送达方式“{}”无效，应为：{}", s.trim(), Self::listed()),
                );
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::DocState::{self, *};
    use super::ServiceMethod;

    #[test]
    fn a_service_method_reads_from_its_key_its_label_or_its_term() {
        for m in ServiceMethod::ALL {
            assert_eq!(ServiceMethod::read(m.as_str()), Some(m));
            assert_eq!(ServiceMethod::read(m.label()), Some(m));
            assert_eq!(ServiceMethod::read(&format!(" {} ", m.term())), Some(m));
        }
        assert_eq!(ServiceMethod::Left.term(), "留置");
        assert_eq!(ServiceMethod::read("公告"), None);
        assert_eq!(ServiceMethod::read(""), None);
        assert!(ServiceMethod::listed().starts_with("直接送达、留置送达"));

        let mut e = crate::ValidationErrors::default();
        assert_eq!(
            ServiceMethod::check(&mut e, "m", "邮寄"),
            Some(ServiceMethod::Post)
        );
        assert_eq!(ServiceMethod::check(&mut e, "m", " "), None);
        assert_eq!(ServiceMethod::check(&mut e, "m", "口头"), None);
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["required", "service.method"]);
    }

    #[test]
    fn a_draft_is_finalised_once_and_the_paper_moves_forward_only() {
        assert_eq!(Draft.advance(Final), Ok(Final));
        for s in DocState::ALL.into_iter().filter(|s| s.is_frozen()) {
            assert!(s.advance(Final).is_err(), "{s:?} finalised again");
        }
        assert_eq!(Final.advance(Printed), Ok(Printed));
        assert_eq!(Final.advance(Served), Ok(Served), "a step may be skipped");
        assert_eq!(Printed.advance(Signed), Ok(Signed));
        assert_eq!(Signed.advance(Filed), Ok(Filed));
        assert!(Served.advance(Printed).is_err(), "no going back");
        assert!(Filed.advance(Filed).is_err());
        for to in DocState::ALL {
            assert!(Draft.advance(to).is_ok() == (to == Final), "draft → {to:?}");
            assert!(to.advance(Draft).is_err());
        }
        let why = Served.advance(Printed).unwrap_err().to_string();
        assert_eq!(why, "文书当前状态为“已送达”，不能标记为“已打印”");
    }
}
