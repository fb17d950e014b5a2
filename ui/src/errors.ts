// What the UI says about each kind of error the backend can send. The codes are generated from
// Rust (`ErrorCode` in bindings.ts); the Record type makes the list complete at compile time, and
// tests/errors.test.ts checks it against the generated union and both languages.
import type { ErrorCode } from './bindings'

/** The i18n key of the title shown above a failed step's message, per error code. */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  validation: 'errors.validation',
  not_found: 'errors.notFound',
  conflict: 'errors.conflict',
  read_only: 'errors.readOnly',
  auth: 'errors.auth',
  forbidden: 'errors.forbidden',
  locked: 'errors.locked',
  offline: 'errors.offline',
  server_refused: 'errors.serverRefused',
  bad_answer: 'errors.badAnswer',
  refused: 'errors.refused',
  schema_too_new: 'errors.schemaTooNew',
  not_a_database: 'errors.notADatabase',
  damaged: 'errors.damaged',
  io: 'errors.io',
  database: 'errors.database',
  data_format: 'errors.dataFormat',
  export: 'errors.export',
  document: 'errors.document',
  internal: 'errors.internal',
  busy: 'errors.busy',
}

/** Every code the backend can send. */
export const ERROR_CODES = Object.keys(ERROR_TITLES) as ErrorCode[]

/** Whether `code` is one of them (an old or foreign backend may send something else). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as string[]).includes(code)
}
