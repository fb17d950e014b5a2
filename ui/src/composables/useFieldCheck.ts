import { api } from '../api'
import type { FieldCheck, FieldKind } from '../bindings'

/**
 * Live check of an ID number, phone or credit code when a field loses focus. Empty values are
 * not checked (they are optional). Returns null when there is nothing to say or the check
 * itself failed (the backend checks again on save).
 */
export async function checkField(kind: FieldKind, value: string): Promise<FieldCheck | null> {
  if (!value.trim()) return null
  try {
    return await api.checkField(kind, value)
  } catch {
    return null
  }
}

export interface FieldFeedback {
  /** Message to show as an error under the field (blocks saving). */
  error: string
  /** Message to show as a warning (does not block). */
  warning: string
  /** The value the backend would store, when it is valid. */
  normalised: string | null
}

/** What to show for one check result. */
export function feedbackOf(check: FieldCheck | null): FieldFeedback {
  if (!check) return { error: '', warning: '', normalised: null }
  const message = check.message ?? ''
  if (check.ok) {
    return { error: '', warning: check.warning ? message : '', normalised: check.normalised || null }
  }
  if (check.warning) return { error: '', warning: message, normalised: null }
  return { error: message, warning: '', normalised: null }
}
