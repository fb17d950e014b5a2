import type { CaseStatus, HearingStatus } from '../bindings'

// Times are stored in UTC and shown in China time, whatever the machine's time zone.
const CHINA = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function chinaParts(d: Date): Record<string, string> {
  return Object.fromEntries(CHINA.formatToParts(d).map((p) => [p.type, p.value]))
}

/** Today's date in China as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const p = chinaParts(now)
  return `${p.year}-${p.month}-${p.day}`
}

/** `iso` (YYYY-MM-DD) moved by `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number)
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * 86400000)
  return t.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); NaN when either is not a date. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`)
  const b = Date.parse(`${to}T00:00:00Z`)
  return Math.round((b - a) / 86400000)
}

/** A timestamp as China time "HH:mm:ss". */
export function formatTime(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  const p = chinaParts(d)
  return `${p.hour}:${p.minute}:${p.second}`
}

/** Tag colour of a hearing status. */
export function hearingTagType(s: HearingStatus): TagType {
  switch (s) {
    case 'preparing':
    case 'notified':
      return 'primary'
    case 'inSession':
    case 'recess':
    case 'deliberating':
      return 'warning'
    case 'concluded':
    case 'transcriptSigned':
      return 'success'
    case 'postponed':
    case 'suspended':
      return 'danger'
    case 'cancelled':
      return 'info'
  }
}

/** A timestamp as China time "YYYY-MM-DD HH:mm"; text that is not a timestamp is shown as it is. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  const p = chinaParts(d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Tag colour of a case status: open work blue/orange, ended grey/green. */
export function statusTagType(s: CaseStatus): TagType {
  switch (s) {
    case 'registered':
    case 'underReview':
      return 'primary'
    case 'proposedClosure':
    case 'hearing':
    case 'closureApproval':
      return 'warning'
    case 'reopened':
      return 'danger'
    case 'resolved':
    case 'closed':
    case 'served':
    case 'filed':
      return 'success'
    case 'legalProcedure':
    case 'withdrawn':
      return 'info'
  }
}

/** Progress colour for the 四明五清 completeness (a colour, so the percentage stays visible). */
export function completenessColor(p: number): string {
  if (p >= 100) return '#67c23a'
  if (p < 50) return '#e6a23c'
  return '#409eff'
}

/** Runs `fn` after `ms` of quiet; used for search boxes. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => fn(...args), ms)
  }
}
