// The one place that talks to the backend: unwraps tauri-specta's `Result` and turns every
// failure into an `ApiError` with a code, a message for people and per-field problems.
import {
  commands,
  type AppError,
  type CaseAnalysis,
  type CaseInput,
  type CaseListQuery,
  type FieldError,
  type FieldKind,
  type OrgInput,
  type PersonInput,
  type PersonListQuery,
} from './bindings'

/** What every generated command resolves to (tauri-specta's typed error wrapper). */
export type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E }

export class ApiError extends Error {
  readonly code: string
  readonly fields: FieldError[]

  constructor(code: string, message: string, fields: FieldError[] = []) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.fields = fields
  }

  get isValidation(): boolean {
    return this.code === 'validation'
  }
}

function isAppError(e: unknown): e is AppError {
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
  if (isAppError(e)) {
    const fields = Array.isArray(e.fields) ? e.fields : []
    return new ApiError(e.code, e.message, fields)
  }
  if (typeof e === 'string') return new ApiError('internal', e)
  if (e instanceof Error) return new ApiError('internal', e.message)
  return new ApiError('internal', String(e))
}

/** Awaits a command and returns its data, or throws an `ApiError`. */
export async function unwrap<T>(call: Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>
  try {
    result = await call
  } catch (e) {
    throw toApiError(e)
  }
  if (result.status === 'ok') return result.data
  throw toApiError(result.error)
}

/** The backend commands with plain return values. */
export const api = {
  appInfo: () => unwrap(commands.appInfo()),
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
  caseGet: (id: string) => unwrap(commands.caseGet(id)),
  caseCreate: (input: CaseInput) => unwrap(commands.caseCreate(input)),
  caseUpdate: (id: string, input: CaseInput) => unwrap(commands.caseUpdate(id, input)),
  caseSetAnalysis: (id: string, analysis: CaseAnalysis) =>
    unwrap(commands.caseSetAnalysis(id, analysis)),
  checkField: (kind: FieldKind, value: string) => unwrap(commands.checkField(kind, value)),
  auditVerify: () => unwrap(commands.auditVerify()),
}
