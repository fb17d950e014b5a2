//! HearingDesk domain: the types every part shares (orgs, the person pool, cases), the rules over
//! them, and the validation of what users type. Pure: no I/O, no clock of its own — callers pass
//! `today` where a rule needs it, so tests need neither a database nor a fixed system time.

pub mod analysis;
pub mod case;
pub mod demo;
pub mod error;
pub mod org;
pub mod paging;
pub mod person;
pub mod text;
pub mod validate;

pub use analysis::AnalysisItem;
pub use analysis::CaseAnalysis;
pub use case::{
    Case, CaseCategory, CaseInput, CaseListQuery, CaseSort, CaseStatus, CaseSummary, Petitioner,
    PetitionerInput, PetitionerKind, Ruling,
};
pub use error::{FieldError, ValidationErrors};
pub use org::{Org, OrgInput, OrgKind};
pub use paging::{Page, SortDir};
pub use person::{Person, PersonInput, PersonKind, PersonLevel, PersonListQuery, PersonSort};
