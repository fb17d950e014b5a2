// The one place that talks to the backend: unwraps tauri-specta's `Result` and turns every
// failure into an `ApiError` with a code, a message for people and per-field problems.
import {
  commands,
  type ActionInput,
  type AppError,
  type ApprovalInput,
  type ErrorCode,
  type CaseAction,
  type CaseAnalysis,
  type CaseInput,
  type CaseListQuery,
  type EvidenceInput,
  type FieldError,
  type FontChoiceInput,
  type FieldKind,
  type FollowupInput,
  type HearingAction,
  type HearingInput,
  type InvitationStatus,
  type JurisdictionConfig,
  type LeaderAssignmentInput,
  type LeaderSide,
  type LeaderSignOff,
  type NewOperator,
  type OpinionInput,
  type OrganDecisionInput,
  type OrgInput,
  type ParticipantInput,
  type PersonInput,
  type PersonListQuery,
  type PoolFilter,
  type Role,
  type ServiceInput,
  type SignatureStatus,
  type SlipInput,
  type TestimonyInput,
  type VisitReviewInput,
} from './bindings'
import { isErrorCode } from './errors'

/** What every generated command resolves to (tauri-specta's typed error wrapper). */
export type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E }

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly fields: FieldError[]
  /** For a refused step (`code === "refused"`): every condition that is not met. */
  readonly unmet: string[]

  constructor(code: ErrorCode, message: string, fields: FieldError[] = [], unmet: string[] = []) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.fields = fields
    this.unmet = unmet
  }

  get isValidation(): boolean {
    return this.code === 'validation'
  }

  get isRefused(): boolean {
    return this.code === 'refused'
  }
}

/** An `AppError`, or something shaped like one whose code this UI does not know. */
function isAppErrorLike(e: unknown): e is Omit<AppError, 'code'> & { code: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  )
}

/** Turns whatever the backend or the bridge rejected with into an `ApiError`. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (isAppErrorLike(e)) {
    const fields = Array.isArray(e.fields) ? e.fields : []
    const unmet = Array.isArray(e.unmet) ? e.unmet.filter((u) => typeof u === 'string') : []
    return new ApiError(isErrorCode(e.code) ? e.code : 'internal', e.message, fields, unmet)
  }
  if (typeof e === 'string') return new ApiError('internal', e)
  if (e instanceof Error) return new ApiError('internal', e.message)
  return new ApiError('internal', String(e))
}

/** The code of the error every command returns while the desk is locked (nobody logged in). */
export const LOCKED: ErrorCode = 'locked'

let lockedHandler: ((message: string) => void) | null = null

/**
 * Sets what happens when any command finds the desk locked (idle too long, locked elsewhere):
 * the auth store shows the login screen. Errors are still thrown to the caller.
 */
export function onLocked(handler: ((message: string) => void) | null) {
  lockedHandler = handler
}

function failed(e: unknown): ApiError {
  const err = toApiError(e)
  if (err.code === LOCKED) lockedHandler?.(err.message)
  return err
}

/** Awaits a command and returns its data, or throws an `ApiError`. */
export async function unwrap<T>(call: Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>
  try {
    result = await call
  } catch (e) {
    throw failed(e)
  }
  if (result.status === 'ok') return result.data
  throw failed(result.error)
}

/** For the few commands that return their value directly (no `Result`): rejections become `ApiError`s. */
export async function plain<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (e) {
    throw failed(e)
  }
}

/** The backend commands with plain return values. */
export const api = {
  appInfo: () => unwrap(commands.appInfo()),
  startupReport: (uiMs: number, marks: Record<string, number>) =>
    unwrap(commands.startupReport(uiMs, marks)),
  /** Who is logged in, with the role's permissions; whether the desk is locked. */
  authState: () => plain(commands.authStateGet()),
  authLogin: (login: string, password: string) => unwrap(commands.authLogin(login, password)),
  /** Locks the desk now: the store (and its key) is dropped until the next login. */
  authLock: () => unwrap(commands.authLock()),
  /** First administrator; encrypts the database. */
  authSetup: (login: string, name: string, password: string) =>
    unwrap(commands.authSetup(login, name, password)),
  operatorList: () => unwrap(commands.operatorList()),
  operatorAdd: (input: NewOperator) => unwrap(commands.operatorAdd(input)),
  operatorSetRole: (id: string, role: Role) => unwrap(commands.operatorSetRole(id, role)),
  operatorDisable: (id: string) => unwrap(commands.operatorDisable(id)),
  operatorResetPassword: (id: string, password: string) =>
    unwrap(commands.operatorResetPassword(id, password)),
  passwordChange: (current: string, password: string) =>
    unwrap(commands.passwordChange(current, password)),
  /** The full ID and phone number of petitioner `seq` (0 = first); audited by the store. */
  petitionerReveal: (caseId: string, seq: number) => unwrap(commands.petitionerReveal(caseId, seq)),
  backupDefaultPath: () => plain(commands.backupDefaultPath()),
  /** Progress comes as `backup-progress` events. */
  backupCreate: (path: string) => unwrap(commands.backupCreate(path)),
  backupInspect: (path: string) => unwrap(commands.backupInspect(path)),
  /** Afterwards the desk is locked (an encrypted backup) and its operators log in again. */
  backupRestore: (path: string, login: string, password: string, replace: boolean) =>
    unwrap(commands.backupRestore(path, login, password, replace)),
  deskInit: (org: OrgInput) => unwrap(commands.deskInit(org)),
  demoLoad: () => unwrap(commands.demoLoad()),
  orgList: () => unwrap(commands.orgList()),
  orgCreate: (input: OrgInput) => unwrap(commands.orgCreate(input)),
  personList: (query: PersonListQuery) => unwrap(commands.personList(query)),
  personGet: (id: string) => unwrap(commands.personGet(id)),
  personCreate: (input: PersonInput) => unwrap(commands.personCreate(input)),
  personUpdate: (id: string, input: PersonInput) => unwrap(commands.personUpdate(id, input)),
  personSetActive: (id: string, active: boolean) =>
    unwrap(commands.personSetActive(id, active)),
  caseList: (query: CaseListQuery) => unwrap(commands.caseList(query)),
  caseCounts: () => unwrap(commands.caseCounts()),
  /** Petitioners' ID and phone numbers masked (see `petitionerReveal`). */
  caseGet: (id: string) => unwrap(commands.caseGet(id)),
  /** In full, for the edit form (needs the edit_cases permission). */
  caseGetForEdit: (id: string) => unwrap(commands.caseGetForEdit(id)),
  caseCreate: (input: CaseInput) => unwrap(commands.caseCreate(input)),
  caseUpdate: (id: string, input: CaseInput) => unwrap(commands.caseUpdate(id, input)),
  caseSetAnalysis: (id: string, analysis: CaseAnalysis) =>
    unwrap(commands.caseSetAnalysis(id, analysis)),
  checkField: (kind: FieldKind, value: string) => unwrap(commands.checkField(kind, value)),
  auditVerify: () => unwrap(commands.auditVerify()),
  configGet: () => unwrap(commands.configGet()),
  configSave: (config: JurisdictionConfig) => unwrap(commands.configSave(config)),
  hearingList: (caseId: string | null) => unwrap(commands.hearingList(caseId)),
  hearingGet: (id: string) => unwrap(commands.hearingGet(id)),
  hearingCreate: (input: HearingInput) => unwrap(commands.hearingCreate(input)),
  hearingUpdate: (id: string, input: HearingInput) => unwrap(commands.hearingUpdate(id, input)),
  hearingAction: (id: string, action: HearingAction, input: ActionInput) =>
    unwrap(commands.hearingAction(id, action, input)),
  hearingSetStep: (id: string, step: number) => unwrap(commands.hearingSetStep(id, step)),
  hearingAnnounce: (id: string, on: string) => unwrap(commands.hearingAnnounce(id, on)),
  participantAdd: (hearingId: string, input: ParticipantInput) =>
    unwrap(commands.participantAdd(hearingId, input)),
  participantRemove: (id: string) => unwrap(commands.participantRemove(id)),
  participantSetInvitation: (id: string, status: InvitationStatus) =>
    unwrap(commands.participantSetInvitation(id, status)),
  participantSetDeclaration: (
    id: string,
    confidentialitySigned: boolean,
    recusalUnresolved: boolean,
    recusalNote: string,
  ) => unwrap(commands.participantSetDeclaration(id, confidentialitySigned, recusalUnresolved, recusalNote)),
  participantServeNotice: (id: string, servedOn: string, method: string) =>
    unwrap(commands.participantServeNotice(id, servedOn, method)),
  participantSetSignature: (id: string, status: SignatureStatus, note: string) =>
    unwrap(commands.participantSetSignature(id, status, note)),
  panelCandidates: (hearingId: string, filter: PoolFilter) =>
    unwrap(commands.panelCandidates(hearingId, filter)),
  panelDraw: (hearingId: string, filter: PoolFilter, count: number, seed: string | null) =>
    unwrap(commands.panelDraw(hearingId, filter, count, seed)),
  testimonyList: (hearingId: string) => unwrap(commands.testimonyList(hearingId)),
  testimonyAdd: (hearingId: string, input: TestimonyInput) =>
    unwrap(commands.testimonyAdd(hearingId, input)),
  testimonyUpdate: (id: string, text: string) => unwrap(commands.testimonyUpdate(id, text)),
  testimonyCorrect: (id: string, text: string) => unwrap(commands.testimonyCorrect(id, text)),
  evidenceList: (hearingId: string) => unwrap(commands.evidenceList(hearingId)),
  evidenceAdd: (hearingId: string, input: EvidenceInput) => unwrap(commands.evidenceAdd(hearingId, input)),
  evidenceChallenge: (evidenceId: string, party: string, opinion: string) =>
    unwrap(commands.evidenceChallenge(evidenceId, party, opinion)),
  deliberationGet: (hearingId: string) => unwrap(commands.deliberationGet(hearingId)),
  opinionSave: (participantId: string, input: OpinionInput) =>
    unwrap(commands.opinionSave(participantId, input)),
  organDecisionSave: (hearingId: string, input: OrganDecisionInput) =>
    unwrap(commands.organDecisionSave(hearingId, input)),
  caseWorkflow: (caseId: string) => unwrap(commands.caseWorkflow(caseId)),
  caseAction: (caseId: string, action: CaseAction, input: ActionInput) =>
    unwrap(commands.caseAction(caseId, action, input)),
  caseTimeline: (caseId: string) => unwrap(commands.caseTimeline(caseId)),
  approvalAdd: (caseId: string, input: ApprovalInput) => unwrap(commands.approvalAdd(caseId, input)),
  leaderAssign: (caseId: string, input: LeaderAssignmentInput) =>
    unwrap(commands.leaderAssign(caseId, input)),
  leaderSignOff: (caseId: string, side: LeaderSide, what: LeaderSignOff) =>
    unwrap(commands.leaderSignOff(caseId, side, what)),
  slipAdd: (caseId: string, input: SlipInput) => unwrap(commands.slipAdd(caseId, input)),
  slipComplete: (slipId: string, reply: string) => unwrap(commands.slipComplete(slipId, reply)),
  visitReviewAdd: (caseId: string, input: VisitReviewInput) =>
    unwrap(commands.visitReviewAdd(caseId, input)),
  followupAdd: (caseId: string, input: FollowupInput) => unwrap(commands.followupAdd(caseId, input)),
  /** 文书字体: the faces in use per role, the installed Chinese fonts, the saved choices. */
  fontOverview: () => unwrap(commands.fontOverview()),
  /** Saves the chosen faces (empty = defaults); refused without saving if a file is unusable. */
  fontSave: (choices: FontChoiceInput[]) => unwrap(commands.fontSave(choices)),
  /** A sample page in the faces in use, as PNG data URLs. */
  fontSample: () => unwrap(commands.fontSample()),
  docKinds: () => plain(commands.docKinds()),
  docList: (caseId: string) => unwrap(commands.docList(caseId)),
  /** `subjectId`: the panelist a per-person kind is for (null: the first panelist). */
  docGenerate: (caseId: string, kindKey: string, hearingId: string | null, subjectId: string | null = null) =>
    unwrap(commands.docGenerate(caseId, kindKey, hearingId, subjectId)),
  /** One draft of a per-person kind (邀请函, 听证员评议意见表) for every panelist of the hearing. */
  docGenerateEach: (caseId: string, kindKey: string, hearingId: string | null) =>
    unwrap(commands.docGenerateEach(caseId, kindKey, hearingId)),
  docEdit: (id: string, text: string) => unwrap(commands.docEdit(id, text)),
  docFinalize: (id: string) => unwrap(commands.docFinalize(id)),
  /** Every page as a PNG data URL, rendered from the very PDF that prints. */
  docPreview: (id: string) => unwrap(commands.docPreview(id)),
  /** Writes the PDF under the data directory and opens the system viewer; returns the path. */
  docOpen: (id: string) => unwrap(commands.docOpen(id)),
  docMarkPrinted: (id: string) => unwrap(commands.docMarkPrinted(id)),
  docAttachScan: (id: string, path: string) => unwrap(commands.docAttachScan(id, path)),
  /** Decrypts the signed scan to a temporary file and opens the system viewer; returns its path. */
  docOpenScan: (id: string) => unwrap(commands.docOpenScan(id)),
  docServe: (id: string, input: ServiceInput) => unwrap(commands.docServe(id, input)),
  docFile: (id: string) => unwrap(commands.docFile(id)),
  /** A kind's template in use (the organ's or the built-in) and the fields it may use. */
  templateGet: (kindKey: string) => unwrap(commands.templateGet(kindKey)),
  /** Checked first: refused with every problem named, and then nothing is written. */
  templateSave: (kindKey: string, text: string) => unwrap(commands.templateSave(kindKey, text)),
  /** Deletes the organ's template: the built-in is used again. */
  templateReset: (kindKey: string) => unwrap(commands.templateReset(kindKey)),
  /** The pages `text` (saved or not) gives for a case, as PNG data URLs. */
  templatePreview: (kindKey: string, text: string, caseId: string) =>
    unwrap(commands.templatePreview(kindKey, text, caseId)),
  /** 同步: enrolment, connection, changes waiting, conflicts, the worker's next run. */
  syncStatus: () => unwrap(commands.syncStatus()),
  /** Enrols with a one-time code (the server is asked first; nothing is kept if it refuses). */
  syncEnroll: (server: string, code: string, deviceName: string) =>
    unwrap(commands.syncEnroll(server, code, deviceName)),
  /** One run now: push, then pull. A failed run is recorded and rejects with its reason. */
  syncNow: () => unwrap(commands.syncNow()),
  syncHistory: (limit: number) => unwrap(commands.syncHistory(limit)),
  syncConflicts: () => unwrap(commands.syncConflicts()),
  syncSettleConflict: (id: number) => unwrap(commands.syncSettleConflict(id)),
  syncUnreportedDocuments: () => unwrap(commands.syncUnreportedDocuments()),
}
