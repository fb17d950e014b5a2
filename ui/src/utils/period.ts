/** The kinds of 通报 period the form offers. */
export type PeriodKind = 'year' | 'quarter' | 'month' | 'custom'

/**
 * A period as the backend reads it (`hearing_core::period::Period::parse`): `2026`, `2026Q3`,
 * `2026-07` or `2026-07-01..2026-09-30`; '' for a custom span not yet chosen.
 */
export function periodKey(
  kind: PeriodKind,
  year: number,
  quarter: number,
  month: number,
  span: [string, string] | null,
): string {
  switch (kind) {
    case 'year':
      return String(year)
    case 'quarter':
      return `${year}Q${quarter}`
    case 'month':
      return `${year}-${String(month).padStart(2, '0')}`
    case 'custom':
      return span ? `${span[0]}..${span[1]}` : ''
  }
}
