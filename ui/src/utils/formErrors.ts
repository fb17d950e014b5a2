// Maps the backend's field paths (`title`, `petitioners.0.idNumber`, `rulings.1.date`) to the
// messages shown under each form item.
import type { FieldError } from '../bindings'

export type ErrorMap = Record<string, string>

/** Groups field errors by path; several problems with one field are joined with "；". */
export function fieldErrorMap(fields: readonly FieldError[]): ErrorMap {
  const map: ErrorMap = {}
  for (const f of fields) {
    const key = f.field.trim()
    map[key] = map[key] ? `${map[key]}；${f.message}` : f.message
  }
  return map
}

/** Builds the path of a field inside a list, e.g. `fieldPath('petitioners', 0, 'idNumber')`. */
export function fieldPath(list: string, index: number, name: string): string {
  return `${list}.${index}.${name}`
}

/**
 * After removing item `index` of `list`, moves the errors of later items up by one so that
 * every message stays under the item it belongs to.
 */
export function shiftListErrors(map: ErrorMap, list: string, index: number): ErrorMap {
  const out: ErrorMap = {}
  const prefix = `${list}.`
  for (const [key, msg] of Object.entries(map)) {
    if (!key.startsWith(prefix)) {
      out[key] = msg
      continue
    }
    const rest = key.slice(prefix.length)
    const dot = rest.indexOf('.')
    const i = Number(dot < 0 ? rest : rest.slice(0, dot))
    if (!Number.isInteger(i)) {
      out[key] = msg
    } else if (i < index) {
      out[key] = msg
    } else if (i > index) {
      out[`${prefix}${i - 1}${dot < 0 ? '' : rest.slice(dot)}`] = msg
    }
  }
  return out
}
