//! The search box (全文检索): one command over hearing-store's search. A read, so every role may
//! search; ID and phone numbers come back masked.

use hearing_store::search::{SearchQuery, SearchResults};
use tauri::State;

use crate::commands::with_store;
use crate::error::CmdResult;
use crate::Desk;

/// Searches cases, petitioners, testimony, opinions and documents; a refused query (empty, too
/// long, a bad date) comes back as a `validation` error with a Chinese message.
#[tauri::command]
#[specta::specta]
pub fn search_records(desk: State<'_, Desk>, query: SearchQuery) -> CmdResult<SearchResults> {
    with_store(&desk, |s| s.search(&query))
}
