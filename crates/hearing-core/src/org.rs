//! Orgs (单位): the tree 市委政法委 → 旗县区政法委 / 法院 / 检察院 / 公安 / 司法局. Every case is owned
//! by one org; orgs above it read it.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OrgKind {
    /// 政法委
    Committee,
    /// 法院
    Court,
    /// 检察院
    Procuratorate,
    /// 公安
    PublicSecurity,
    /// 司法局
    JusticeBureau,
    /// 其他
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        Self::Committee,
        Self::Court,
        Self::Procuratorate,
        Self::PublicSecurity,
        Self::JusticeBureau,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Committee => "committee",
            Self::Court => "court",
            Self::Procuratorate => "procuratorate",
            Self::PublicSecurity => "publicSecurity",
            Self::JusticeBureau => "justiceBureau",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Committee => "政法委",
            Self::Court => "法院",
            Self::Procuratorate => "检察院",
            Self::PublicSecurity => "公安",
            Self::JusticeBureau => "司法局",
            Self::Other => "其他",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    pub parent_id: Option<String>,
    /// Full name, e.g. 青山市东河区人民法院.
    pub name: String,
    /// Short name used in lists and numbers, e.g. 东河法院.
    pub short_name: String,
    pub kind: OrgKind,
    /// Letters used in case numbers, e.g. DHFY.
    pub code: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrgInput {
    pub parent_id: Option<String>,
    pub name: String,
    pub short_name: String,
    pub kind: OrgKind,
    pub code: String,
}

impl OrgInput {
    /// Trims and checks the fields; the code becomes uppercase ASCII letters and digits.
    pub fn validate(&self) -> Result<OrgInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = text::required(&mut e, "name", "单位名称", &self.name, text::MEDIUM);
        let short_name = text::optional(&mut e, "shortName", "简称", &self.short_name, text::SHORT);
        let code = text::required(&mut e, "code", "单位代码", &self.code, 16).to_uppercase();
        if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            e.push(
                "code",
                "code.format",
                "单位代码只能由字母和数字组成，如 DHFY",
            );
        }
        e.into_result(OrgInput {
            parent_id: self.parent_id.clone().filter(|p| !p.is_empty()),
            short_name: if short_name.is_empty() {
                name.clone()
            } else {
                short_name
            },
            name,
            kind: self.kind,
            code,
        })
    }
}
