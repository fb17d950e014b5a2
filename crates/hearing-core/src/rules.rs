//! What the workflow rules share: the [`Refusal`] a guarded transition returns, naming every
//! condition that is not met, and the macro that defines the small labelled enums of the rules.

use serde::{Deserialize, Serialize};

/// A transition or decision that the rules do not allow, with every unmet condition named in
/// Chinese so the user can fix all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
#[error("{}", join(&self.unmet))]
pub struct Refusal {
    pub unmet: Vec<String>,
}

fn join(unmet: &[String]) -> String {
    if unmet.is_empty() {
        "条件不满足".to_owned()
    } else {
        unmet.join("；")
    }
}

impl Refusal {
    /// A refusal with a single reason.
    pub fn one(reason: impl Into<String>) -> Refusal {
        Refusal {
            unmet: vec![reason.into()],
        }
    }

    /// `Ok(())` when nothing is unmet, otherwise a refusal listing all of it.
    pub fn check(unmet: Vec<String>) -> Result<(), Refusal> {
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(Refusal { unmet })
        }
    }

    /// Stable code for programs and the UI.
    pub fn code(&self) -> &'static str {
        "refused"
    }
}

/// Defines a unit enum the way the crate's enums look: serde camelCase, `specta::Type` behind the
/// feature, `ALL`, `as_str`, `parse` and a Chinese `label` (which also becomes the doc comment).
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal : $label:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "camelCase")]
        $vis enum $name {
            $( $(#[$vmeta])* #[doc = $label] $variant, )+
        }

        impl $name {
            pub const ALL: [$name; [$($key),+].len()] = [$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|k| k.as_str() == s)
            }

            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }
    };
}

pub(crate) use labelled_enum;

/// `YYYY-MM-DD`, the way dates appear in messages and in types sent to the UI.
pub(crate) fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    labelled_enum! {
        enum Sample {
            First = "first": "第一",
            SecondOne = "secondOne": "第二",
        }
    }

    #[test]
    fn refusal_lists_every_reason() {
        let r = Refusal {
            unmet: vec!["甲".into(), "乙".into()],
        };
        assert_eq!(r.to_string(), "甲；乙");
        assert_eq!(r.code(), "refused");
        assert!(Refusal::check(vec![]).is_ok());
        assert_eq!(Refusal::check(vec!["丙".into()]), Err(Refusal::one("丙")));
    }

    #[test]
    fn labelled_enum_keys_match_serde() {
        assert_eq!(Sample::ALL.len(), 2);
        for s in Sample::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap_or_default(),
                format!("\"{}\"", s.as_str())
            );
            assert_eq!(Sample::parse(s.as_str()), Some(s));
        }
        assert_eq!(Sample::SecondOne.label(), "第二");
        assert_eq!(Sample::parse("third"), None);
    }
}
