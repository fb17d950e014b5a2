//! Testimony (笔录条目) as the clerk types it, the 问/答 labels of the transcript, and the hash
//! that freezes a transcript when it is signed (DOMAIN.md §3: later corrections are new versions).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::AgendaStepDef;
use crate::error::ValidationErrors;
use crate::hearing::ParticipantRole;
use crate::text;

/// One entry as the recording view sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TestimonyInput {
    /// Key of the agenda step (see [`crate::config::AgendaStepDef`]).
    pub step_key: String,
    pub speaker_role: ParticipantRole,
    pub speaker_name: String,
    pub text: String,
}

impl TestimonyInput {
    /// Step and speaker are required, the text too (up to [`text::LONG`] characters). Returns the
    /// entry trimmed; line breaks inside the text are kept.
    pub fn validate(&self) -> Result<TestimonyInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let step_key = text::required(&mut e, "stepKey", "议程环节", &self.step_key, 50);
        let speaker_name = text::required(&mut e, "speakerName", "发言人", &self.speaker_name, 50);
        let text = text::required(&mut e, "text", "发言内容", &self.text, text::LONG);
        e.into_result(TestimonyInput {
            step_key,
            speaker_role: self.speaker_role,
            speaker_name,
            text,
        })
    }

    /// [`validate`](Self::validate), and the step must be one of `agenda`.
    pub fn validate_in(
        &self,
        agenda: &[AgendaStepDef],
    ) -> Result<TestimonyInput, ValidationErrors> {
        let (mut e, entry) = match self.validate() {
            Ok(v) => (ValidationErrors::default(), v),
            Err(e) => (e, self.clone()),
        };
        let key = text::clean(&self.step_key);
        if !key.is_empty() && !agenda.iter().any(|s| s.key == key) {
            e.push("stepKey", "unknown_step", format!("议程中没有环节“{key}”"));
        }
        e.into_result(entry)
    }
}

/// "问" for the presider and panel (who ask), "答" for everyone else, as the transcript shows it.
pub fn qa_label(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Presider | ParticipantRole::Panelist => "问",
        _ => "答",
    }
}

/// SHA-256 (lowercase hex) of a transcript: entries as (id, step, speaker, text, at), in the
/// given order. Each field is written as its UTF-8 length (8 bytes, little-endian) followed by its
/// bytes, so no choice of text can make two different transcripts hash alike by shifting
/// characters between fields. The encoding is fixed: signed transcripts are checked against it.
pub fn transcript_hash(entries: &[(String, String, String, String, String)]) -> String {
    let mut h = Sha256::new();
    h.update(b"hearingdesk-transcript-v1");
    h.update((entries.len() as u64).to_le_bytes());
    for (id, step, speaker, text, at) in entries {
        for field in [id, step, speaker, text, at] {
            h.update((field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::JurisdictionConfig;

    fn entry(id: &str, text: &str) -> (String, String, String, String, String) {
        (
            id.into(),
            "organStatement".into(),
            "李明".into(),
            text.into(),
            "2026-03-10T09:30:00+08:00".into(),
        )
    }

    fn input() -> TestimonyInput {
        TestimonyInput {
            step_key: "petitionerStatement".into(),
            speaker_role: ParticipantRole::Petitioner,
            speaker_name: " 张某 ".into(),
            text: "我不服判决。\n请求再审。 ".into(),
        }
    }

    #[test]
    fn validate_trims_and_keeps_lines() {
        let v = input().validate().unwrap();
        assert_eq!(v.speaker_name, "张某");
        assert_eq!(v.text, "我不服判决。\n请求再审。");
    }

    #[test]
    fn validate_lists_all_problems() {
        let e = TestimonyInput {
            step_key: String::new(),
            speaker_role: ParticipantRole::Presider,
            speaker_name: " ".into(),
            text: "字".repeat(text::LONG + 1),
        }
        .validate()
        .unwrap_err();
        let f: Vec<_> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            f,
            [
                ("stepKey", "required"),
                ("speakerName", "required"),
                ("text", "too_long")
            ]
        );
    }

    #[test]
    fn step_must_be_on_the_agenda() {
        let cfg = JurisdictionConfig::default();
        assert!(input().validate_in(&cfg.agenda).is_ok());
        let e = TestimonyInput {
            step_key: "lunch".into(),
            text: String::new(),
            ..input()
        }
        .validate_in(&cfg.agenda)
        .unwrap_err();
        let f: Vec<_> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(f, [("text", "required"), ("stepKey", "unknown_step")]);
    }

    #[test]
    fn qa_labels() {
        assert_eq!(qa_label(ParticipantRole::Presider), "问");
        assert_eq!(qa_label(ParticipantRole::Panelist), "问");
        for r in [
            ParticipantRole::Petitioner,
            ParticipantRole::Agent,
            ParticipantRole::CaseOfficer,
            ParticipantRole::ThirdParty,
            ParticipantRole::Witness,
        ] {
            assert_eq!(qa_label(r), "答");
        }
    }

    #[test]
    fn hash_is_stable_and_sensitive() {
        let a = vec![entry("1", "陈述"), entry("2", "补充")];
        let h = transcript_hash(&a);
        assert_eq!(h.len(), 64);
        assert!(h
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(transcript_hash(&a.clone()), h);
        // Any change, reordering or shift between fields changes the hash.
        let mut b = a.clone();
        b[1].3 = "补充。".into();
        assert_ne!(transcript_hash(&b), h);
        let reordered = vec![a[1].clone(), a[0].clone()];
        assert_ne!(transcript_hash(&reordered), h);
        let mut shifted = a.clone();
        shifted[0].2 = "李明陈".into();
        shifted[0].3 = "述".into();
        assert_ne!(transcript_hash(&shifted), h);
        assert_ne!(transcript_hash(&[]), transcript_hash(&[entry("", "")]));
    }

    #[test]
    fn hash_is_pinned() {
        // Signed transcripts are verified against this encoding: it must never change.
        assert_eq!(transcript_hash(&[entry("1", "陈述")]), PINNED);
    }

    // Computed independently (Python hashlib) when the encoding was fixed.
    const PINNED: &str = "405bcb61af34154985d3be8b01fd1f2bfb8a996f3c0f3a38b77fd9a67c06b02a";
}
