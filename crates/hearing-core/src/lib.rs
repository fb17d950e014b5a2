//! HearingDesk domain: the types every part shares (orgs, the person pool, cases), the rules over
//! them, and the validation of what users type. Pure: no I/O, no clock of its own — callers pass
//! `today` where a rule needs it, so tests need neither a database nor a fixed system time.

pub mod access;
pub mod analysis;
pub mod case;
pub mod case_flow;
pub mod config;
pub mod deliberation;
pub mod document;
pub mod enrolment;
pub mod error;
#[cfg(feature = "fuzz-checks")]
#[doc(hidden)]
pub mod fuzz_checks;
pub mod hearing;
pub mod meeting;
pub mod org;
pub mod paging;
pub mod panel;
pub mod period;
pub mod person;
pub mod plan;
pub mod rules;
pub mod supervision;
pub mod testimony;
pub mod text;
pub mod validate;

pub use analysis::AnalysisItem;
pub use analysis::CaseAnalysis;
pub use case::{
    Case, CaseCategory, CaseCounts, CaseInput, CaseListQuery, CaseSort, CaseStatus, CaseSummary,
    Petitioner, PetitionerInput, PetitionerKind, Ruling, StatusCount,
};
pub use case_flow::{case_transition, CaseAction, CaseFacts};
pub use config::{AgendaStepDef, ApprovalLevel, DocPrefix, JurisdictionConfig};
pub use deliberation::{OpinionInput, OpinionView, Tally, Vote};
pub use document::{DocState, ServiceMethod};
pub use error::{FieldError, ValidationErrors};
pub use hearing::{
    hearing_transition, HearingAction, HearingFacts, HearingMode, HearingStatus, InvitationStatus,
    ParticipantRole, SignatureStatus, Transition,
};
pub use org::{Org, OrgInput, OrgKind};
pub use paging::{Page, SortDir};
pub use person::{Person, PersonInput, PersonKind, PersonLevel, PersonListQuery, PersonSort};
pub use rules::Refusal;
