//! Who may do what on a desk: the operator roles (管理员, 听证组织者, 记录员, 终结承办人/审批人,
//! 只读) and the permissions each grants. The store checks a permission on every write and on
//! every reveal of personal data; the UI only hides what a role cannot use. Syncing with the
//! server is not a permission: any logged-in operator's desk keeps exchanging changes (the
//! background worker), and enrolling the desk is a setting (管理员).

use serde::{Deserialize, Serialize};

/// An operator's role on one desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: operators, settings, sync enrolment — and every case task.
    Admin,
    /// 听证组织者: case file, person pool, planning, panel, notices, documents.
    Organizer,
    /// 记录员: the live record of a hearing, evidence, signatures, the panel's opinions.
    Clerk,
    /// 终结承办人/审批人: the closure approval chain, closure documents, service and filing.
    ClosureOfficer,
    /// 只读: sees everything (personal data masked), changes nothing.
    ReadOnly,
}

pub const ROLES: [Role; 5] = [
    Role::Admin,
    Role::Organizer,
    Role::Clerk,
    Role::ClosureOfficer,
    Role::ReadOnly,
];

/// What a write or a reveal needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Add, change, disable operators; reset passwords.
    ManageOperators,
    /// Desk settings: hearing rules, templates, fonts, the org tree, sync enrolment, backup.
    ManageSettings,
    /// Register and edit cases, petitioners, the 四明五清 analysis, 领导包案, 三单, 逢访必查.
    EditCases,
    /// The person pool (panel candidates and their conflicts).
    EditPersons,
    /// Plan hearings, invite and confirm people, notices, challenges to members.
    PlanHearings,
    /// Run a hearing: transitions, testimony, evidence, signatures.
    RecordHearing,
    /// Enter the panel members' opinions (评议).
    Deliberate,
    /// Propose, approve and return closures; post-closure follow-up.
    ApproveClosure,
    /// Generate, finalise, print, sign, serve and file documents.
    ManageDocuments,
    /// See full ID and phone numbers (each reveal is audited).
    RevealPersonalData,
}

impl Role {
    /// Stable key stored in the database and used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Organizer => "organizer",
            Self::Clerk => "clerk",
            Self::ClosureOfficer => "closure_officer",
            Self::ReadOnly => "read_only",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        let key = key.trim();
        ROLES
            .into_iter()
            .find(|r| r.key() == key || r.label() == key)
    }

    /// The name users see.
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "管理员",
            Self::Organizer => "听证组织者",
            Self::Clerk => "记录员",
            Self::ClosureOfficer => "终结承办人/审批人",
            Self::ReadOnly => "只读",
        }
    }

    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Admin => true,
            Self::Organizer => matches!(
                p,
                EditCases
                    | EditPersons
                    | PlanHearings
                    | RecordHearing
                    | Deliberate
                    | ManageDocuments
                    | RevealPersonalData
            ),
            Self::Clerk => matches!(p, RecordHearing | Deliberate),
            Self::ClosureOfficer => {
                matches!(p, ApproveClosure | ManageDocuments | RevealPersonalData)
            }
            Self::ReadOnly => false,
        }
    }

    /// Every permission of this role, for the UI.
    pub fn permissions(self) -> Vec<Permission> {
        PERMISSIONS
            .into_iter()
            .filter(|p| self.allows(*p))
            .collect()
    }
}

pub const PERMISSIONS: [Permission; 10] = [
    Permission::ManageOperators,
    Permission::ManageSettings,
    Permission::EditCases,
    Permission::EditPersons,
    Permission::PlanHearings,
    Permission::RecordHearing,
    Permission::Deliberate,
    Permission::ApproveClosure,
    Permission::ManageDocuments,
    Permission::RevealPersonalData,
];

impl Permission {
    /// What the permission lets one do, for refusals ("需要……权限").
    pub fn label(self) -> &'static str {
        match self {
            Self::ManageOperators => "管理操作员",
            Self::ManageSettings => "修改本机设置",
            Self::EditCases => "登记和修改案件",
            Self::EditPersons => "维护人员库",
            Self::PlanHearings => "安排听证",
            Self::RecordHearing => "听证记录",
            Self::Deliberate => "录入评议意见",
            Self::ApproveClosure => "终结审批",
            Self::ManageDocuments => "文书处理",
            Self::RevealPersonalData => "查看完整身份证号和电话",
        }
    }
}

impl crate::CaseAction {
    /// What taking a case through this step needs.
    pub fn permission(self) -> Permission {
        use crate::CaseAction::*;
        match self {
            SubmitForApproval | ReviseAfterReturn | Close | RecordService | File => {
                Permission::ApproveClosure
            }
            StartReview | ProposeClosure | ScheduleHearing | Resolve | SendToLegalProcedure
            | Withdraw | Reopen => Permission::EditCases,
        }
    }
}

impl crate::HearingAction {
    /// What taking a hearing through this step needs.
    pub fn permission(self) -> Permission {
        use crate::HearingAction::*;
        match self {
            Notify | Postpone | Suspend | ResumeFromSuspension | Cancel => Permission::PlanHearings,
            Open | Recess | Resume | StartDeliberation | Conclude | SignTranscript => {
                Permission::RecordHearing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerk_cannot_approve_and_read_only_can_do_nothing() {
        assert!(!Role::Clerk.allows(Permission::ApproveClosure));
        assert!(Role::Clerk.allows(Permission::RecordHearing));
        assert!(Role::ClosureOfficer.allows(Permission::ApproveClosure));
        assert!(!Role::ClosureOfficer.allows(Permission::RecordHearing));
        for p in PERMISSIONS {
            assert!(!Role::ReadOnly.allows(p), "{p:?}");
            assert!(Role::Admin.allows(p), "{p:?}");
        }
        assert!(!Role::Organizer.allows(Permission::ManageOperators));
    }

    #[test]
    fn roles_round_trip_by_key_and_label() {
        for r in ROLES {
            assert_eq!(Role::parse(r.key()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
