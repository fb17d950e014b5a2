// The one place that talks to the backend: unwraps tauri-specta's `Result` and turns every
// failure into an `ApiError` with a code, a message for people and per-field problems.
import { commands, type AppError, type ErrorCode, type FieldError } from './bindings'
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

/** What a generated command resolves to once unwrapped: its data (failures throw `ApiError`s). */
type Unwrapped<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<[R] extends [Result<infer T, AppError>] ? T : R>
  : never

/** Every backend command, as generated in bindings.ts, with plain return values. */
export type Api = { [K in keyof typeof commands]: Unwrapped<(typeof commands)[K]> }

/** Whether a command answered with tauri-specta's `Result` wrapper (else it returns its value). */
function isResult(r: unknown): r is Result<unknown, AppError> {
  if (typeof r !== 'object' || r === null) return false
  const status = (r as { status?: unknown }).status
  return (status === 'ok' && 'data' in r) || (status === 'error' && 'error' in r)
}

/**
 * The backend commands with plain return values: `api.caseGet(id)` calls `commands.caseGet(id)`
 * and unwraps its `Result`. Derived from the generated commands, so a new command needs no
 * wrapper and a changed signature shows at every call.
 */
export const api: Api = new Proxy({} as Api, {
  get(_, name) {
    const command = (commands as unknown as Record<string | symbol, unknown>)[name]
    // Only the generated commands: anything else (`then`, a symbol, a typo) is not there, so the
    // object is never taken for a promise and a wrong name fails where it is used.
    if (typeof command !== 'function') return undefined
    return async (...args: unknown[]) => {
      let answer: unknown
      try {
        answer = await (command as (...a: unknown[]) => Promise<unknown>)(...args)
      } catch (e) {
        throw failed(e)
      }
      if (!isResult(answer)) return answer
      if (answer.status === 'ok') return answer.data
      throw failed(answer.error)
    }
  },
})
