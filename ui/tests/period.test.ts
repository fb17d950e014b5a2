import { describe, expect, it } from 'vitest'
import { periodKey } from '../src/utils/period'
import { orgSelectOptions } from '../src/utils/stats'

describe('通报 periods', () => {
  it('are written as the backend reads them', () => {
    expect(periodKey('year', 2026, 3, 7, null)).toBe('2026')
    expect(periodKey('quarter', 2026, 3, 7, null)).toBe('2026Q3')
    expect(periodKey('month', 2026, 3, 7, null)).toBe('2026-07')
    expect(periodKey('custom', 2026, 3, 7, ['2026-07-01', '2026-09-30'])).toBe('2026-07-01..2026-09-30')
    expect(periodKey('custom', 2026, 3, 7, null)).toBe('')
  })
})

describe('org options', () => {
  it('are in tree order, indented by depth, by short name', () => {
    const o = (id: string, parentId: string | null, shortName: string) => ({ id, parentId, name: `全称${id}`, shortName })
    expect(orgSelectOptions([o('c', 'a', '东河区'), o('a', null, '市委政法委'), o('d', null, '')])).toEqual([
      { value: 'a', label: '市委政法委' },
      { value: 'c', label: '\u3000东河区' },
      { value: 'd', label: '全称d' },
    ])
  })
})
