//! HearingDesk sync (docs/sync-protocol.md): the wire types of protocol version 1
//! ([`protocol`]), the hybrid logical clock ([`hlc`]) and the merge rules ([`merge`]) that desk
//! and server share.

pub mod audit;
pub mod client;
#[cfg(feature = "fuzz-checks")]
#[doc(hidden)]
pub mod fuzz_checks;
pub mod hlc;
pub mod merge;
pub mod protocol;

pub use hlc::Hlc;
pub use protocol::*;
