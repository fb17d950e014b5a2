//! Pages of list results, shared by every list in the app.

use serde::{Deserialize, Serialize};

/// Largest page a caller may ask for; lists are paged, never loaded whole.
pub const MAX_PAGE_SIZE: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All rows matching the filter, over all pages.
    pub total: u32,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SortDir {
    Asc,
    #[default]
    Desc,
}

/// Clamps a requested page and page size to sane values: page ≥ 1, 1 ≤ size ≤ [`MAX_PAGE_SIZE`].
pub fn clamp(page: u32, page_size: u32) -> (u32, u32) {
    (page.max(1), page_size.clamp(1, MAX_PAGE_SIZE))
}
