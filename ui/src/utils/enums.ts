// The enum values in backend order, for selects and filters.
import type {
  CaseAction,
  CaseCategory,
  CaseStatus,
  FollowupKind,
  HearingAction,
  HearingMode,
  HearingStatus,
  InvitationStatus,
  OrgKind,
  ParticipantRole,
  PersonKind,
  PersonLevel,
  Role,
  ServiceMethod,
  SignatureStatus,
  SlipKind,
  SlipStage,
  SlipStatus,
  VisitOutcome,
  Vote,
} from '../bindings'

export const CASE_STATUSES: readonly CaseStatus[] = [
  'registered',
  'underReview',
  'proposedClosure',
  'hearing',
  'closureApproval',
  'closed',
  'served',
  'filed',
  'resolved',
  'legalProcedure',
  'withdrawn',
  'reopened',
]

export const CASE_CATEGORIES: readonly CaseCategory[] = [
  'civil',
  'criminal',
  'administrative',
  'enforcement',
  'stateCompensation',
  'policeEnforcement',
  'procuratorialSupervision',
  'other',
]

export const ORG_KINDS: readonly OrgKind[] = [
  'committee',
  'court',
  'procuratorate',
  'publicSecurity',
  'justiceBureau',
  'other',
]

export const PERSON_KINDS: readonly PersonKind[] = [
  'partyDelegate',
  'congressDeputy',
  'cppccMember',
  'lawyer',
  'peopleMediator',
  'expert',
  'other',
]

export const PERSON_LEVELS: readonly PersonLevel[] = [
  'national',
  'provincial',
  'city',
  'county',
  'township',
]

/** Kinds that sit in a congress or committee for a term (两代表一委员). */
export const TERM_KINDS: readonly PersonKind[] = ['partyDelegate', 'congressDeputy', 'cppccMember']

/** The nine 四明五清 items in order, with their group. */
export const ANALYSIS_ITEMS = [
  { key: 'historicalFacts', group: 'fourClear' },
  { key: 'problemNature', group: 'fourClear' },
  { key: 'handlingPrinciple', group: 'fourClear' },
  { key: 'petitionDemands', group: 'fourClear' },
  { key: 'responsibleParties', group: 'fiveClear' },
  { key: 'socialRelations', group: 'fiveClear' },
  { key: 'crux', group: 'fiveClear' },
  { key: 'existingReplies', group: 'fiveClear' },
  { key: 'errorsAndFlaws', group: 'fiveClear' },
] as const

export const HEARING_STATUSES: readonly HearingStatus[] = [
  'preparing',
  'notified',
  'inSession',
  'recess',
  'deliberating',
  'concluded',
  'transcriptSigned',
  'postponed',
  'suspended',
  'cancelled',
]

export const HEARING_ACTIONS: readonly HearingAction[] = [
  'notify',
  'open',
  'recess',
  'resume',
  'startDeliberation',
  'conclude',
  'signTranscript',
  'postpone',
  'suspend',
  'resumeFromSuspension',
  'cancel',
]

export const HEARING_MODES: readonly HearingMode[] = ['onSite', 'video', 'hybrid']

export const PARTICIPANT_ROLES: readonly ParticipantRole[] = [
  'presider',
  'panelist',
  'clerk',
  'petitioner',
  'agent',
  'caseOfficer',
  'thirdParty',
  'witness',
  'observer',
]

/** Roles added by hand on the 人员 tab besides presider, clerk and panel. */
export const PARTY_ROLES: readonly ParticipantRole[] = ['agent', 'thirdParty', 'witness', 'observer']

/** Parties served with the hearing notice (hearing-store `needs_notice`). */
export const NOTICE_ROLES: readonly ParticipantRole[] = ['petitioner', 'agent', 'thirdParty']

export const INVITATION_STATUSES: readonly InvitationStatus[] = [
  'draft',
  'sent',
  'accepted',
  'declined',
  'noAnswer',
  'attended',
  'absent',
]

/** The next invitation steps offered before the session (attendance is taken in the recording mode). */
export function nextInvitationSteps(s: InvitationStatus): InvitationStatus[] {
  switch (s) {
    case 'draft':
      return ['sent']
    case 'sent':
      return ['accepted', 'declined', 'noAnswer']
    case 'noAnswer':
      return ['accepted', 'declined']
    case 'accepted':
      return ['declined']
    default:
      return []
  }
}

export const SIGNATURE_STATUSES: readonly SignatureStatus[] = ['pending', 'signed', 'refused', 'notPresent']

export const VOTES: readonly Vote[] = ['agree', 'disagree', 'other']

export const CASE_ACTIONS: readonly CaseAction[] = [
  'startReview',
  'proposeClosure',
  'scheduleHearing',
  'submitForApproval',
  'close',
  'recordService',
  'file',
  'resolve',
  'sendToLegalProcedure',
  'withdraw',
  'reopen',
]

/** Case actions that need a reason (化解, 导入法律程序, 撤回, 依法重启). */
export const CASE_ACTIONS_WITH_REASON: readonly CaseAction[] = [
  'resolve',
  'sendToLegalProcedure',
  'withdraw',
  'reopen',
]

/** Case actions that need a date (送达, 备案). */
export const CASE_ACTIONS_WITH_DATE: readonly CaseAction[] = ['recordService', 'file']

/** Hearing actions that need a reason; 延期 also a new date. */
export const HEARING_ACTIONS_WITH_REASON: readonly HearingAction[] = ['postpone', 'suspend', 'cancel']

export const SLIP_KINDS: readonly SlipKind[] = ['assign', 'supervise', 'reply']
export const SLIP_STATUSES: readonly SlipStatus[] = ['open', 'done']
export const SLIP_STAGES: readonly SlipStage[] = ['awaitingFeedback', 'returned', 'awaitingReview', 'accepted']
export const VISIT_OUTCOMES: readonly VisitOutcome[] = [
  'noProblem',
  'flawCorrected',
  'errorCorrected',
  'leadReferred',
]
export const FOLLOWUP_KINDS: readonly FollowupKind[] = ['handover', 'visit', 'aid', 'counselling']

/** Ways of serving a document or a notice (送达方式, hearing-core `ServiceMethod`): sent as these
 * keys; the backend keeps and prints their words, which are the zh-CN labels of `enums.serviceMethod`. */
export const SERVICE_METHODS: readonly ServiceMethod[] = ['direct', 'left', 'post', 'entrusted', 'forwarded', 'electronic']

/** Operator roles (hearing-core `access::ROLES`). */
export const ROLES: readonly Role[] = ['admin', 'organizer', 'clerk', 'closure_officer', 'read_only']
