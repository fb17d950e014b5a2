// The enum values in backend order, for selects and filters.
import type {
  CaseCategory,
  CaseStatus,
  OrgKind,
  PersonKind,
  PersonLevel,
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
