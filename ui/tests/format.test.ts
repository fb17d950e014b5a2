import { describe, expect, it } from 'vitest'
import { formatDateTime, todayIso } from '../src/utils/format'

describe('times are shown in China time', () => {
  it('formats a UTC timestamp as Asia/Shanghai', () => {
    expect(formatDateTime('2026-11-27T03:24:00.000Z')).toBe('2026-11-27 11:24')
    expect(formatDateTime('2026-11-27T16:30:00.000Z')).toBe('2026-11-28 00:30')
  })

  it('knows that 17:00 UTC is already tomorrow in China', () => {
    expect(todayIso(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28')
    expect(todayIso(new Date('2026-11-27T15:59:00Z'))).toBe('2026-11-27')
  })

  it('shows text that is not a timestamp as it is', () => {
    expect(formatDateTime('昨天')).toBe('昨天')
    expect(formatDateTime(null)).toBe('')
  })
})

describe('date arithmetic for notice periods', () => {
  it('adds days and counts days between dates without a time zone', async () => {
    const { addDays, daysBetween } = await import('../src/utils/format')
    expect(addDays('2026-03-01', -9)).toBe('2026-02-20')
    expect(addDays('2026-12-28', 10)).toBe('2027-01-07')
    expect(daysBetween('2026-02-20', '2026-03-01')).toBe(9)
  })
})
