//! HearingDesk sync server (docs/sync-protocol.md): the city committee's relay with an org-scoped
//! change log, device enrolment and content-addressed blobs.
//!
//! - [`storage`]: the one storage trait; [`sqlite`]: its embedded SQLite implementation;
//! - [`logic`]: the protocol's rules that do not depend on the store (org scoping, codes, tokens);
//! - [`api`]: the HTTP API on axum; [`admin`]: the admin commands of the binary.

pub mod admin;
pub mod api;
pub mod logic;
pub mod sqlite;
pub mod storage;
