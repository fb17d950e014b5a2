// What the sync state and a conflict's values look like to people: the header tag, and a value
// of a change (JSON text) as readable text.
import type { SyncConnection, SyncState } from '../bindings'
import type { TagType } from './format'

export type SyncBadgeKey =
  | 'unenrolled'
  | 'running'
  | 'offline'
  | 'offlineWaiting'
  | 'failed'
  | 'conflicts'
  | 'waiting'
  | 'never'
  | 'synced'

export interface SyncBadge {
  /** The message key under `sync.badge`. */
  key: SyncBadgeKey
  type: TagType
  n: number
}

/**
 * The header tag: what most needs attention first — not enrolled, a run in progress, the server
 * unreachable (with the changes waiting), a refusal, conflicts to settle, changes waiting, then
 * all synced.
 */
export function syncBadge(s: SyncState | null): SyncBadge | null {
  if (!s) return null
  const { waiting, conflicts } = s.status
  if (!s.status.enrolled) return { key: 'unenrolled', type: 'info', n: 0 }
  if (s.running) return { key: 'running', type: 'primary', n: 0 }
  if (s.connection === 'offline') {
    return waiting > 0
      ? { key: 'offlineWaiting', type: 'warning', n: waiting }
      : { key: 'offline', type: 'warning', n: 0 }
  }
  if (s.connection === 'failed') return { key: 'failed', type: 'danger', n: 0 }
  if (conflicts > 0) return { key: 'conflicts', type: 'danger', n: conflicts }
  if (waiting > 0) return { key: 'waiting', type: 'warning', n: waiting }
  if (s.connection === 'never') return { key: 'never', type: 'info', n: 0 }
  return { key: 'synced', type: 'success', n: 0 }
}

/** Tag colour of the connection in the status card. */
export function connectionTagType(c: SyncConnection): TagType {
  switch (c) {
    case 'online':
      return 'success'
    case 'offline':
      return 'warning'
    case 'failed':
      return 'danger'
    case 'unenrolled':
    case 'never':
      return 'info'
  }
}

export type ConflictValue =
  | { kind: 'empty' }
  | { kind: 'file'; hash: string }
  | { kind: 'text'; text: string }

/** A value of a change as stored with a conflict (JSON text): text, a number, empty, or a file. */
export function conflictValue(json: string): ConflictValue {
  let v: unknown
  try {
    v = JSON.parse(json)
  } catch {
    return { kind: 'text', text: json }
  }
  if (v === null || v === '') return { kind: 'empty' }
  if (typeof v === 'string') return { kind: 'text', text: v }
  if (typeof v === 'number' || typeof v === 'boolean') return { kind: 'text', text: String(v) }
  if (typeof v === 'object' && !Array.isArray(v)) {
    const blob = (v as Record<string, unknown>)['$blob']
    if (typeof blob === 'string') return { kind: 'file', hash: blob }
  }
  return { kind: 'text', text: JSON.stringify(v) }
}

/** Seconds until the next run, rounded for people: under two minutes in seconds, else minutes. */
export function nextRunIn(secs: number): { unit: 'sec' | 'min'; n: number } {
  if (secs < 120) return { unit: 'sec', n: Math.max(0, Math.round(secs)) }
  return { unit: 'min', n: Math.round(secs / 60) }
}

export interface MarkedLine {
  text: string
  /** The other value does not have this line. */
  changed: boolean
}

/** The lines of `a`, each marked when `b` does not have it: a light line diff for people. */
export function markLines(a: string, b: string): MarkedLine[] {
  const other = new Set(b.split('\n'))
  return a.split('\n').map((text) => ({ text, changed: !other.has(text) }))
}

/** A short view of `a` next to `b`: its first line that `b` lacks (else its first line). */
export function excerpt(a: string, b: string): string {
  const lines = markLines(a, b)
  const line = lines.find((l) => l.changed && l.text.trim() !== '') ?? lines[0]
  const text = (line?.text ?? '').trim()
  return line !== lines[0] ? `…${text}` : text
}
