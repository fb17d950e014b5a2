import { describe, expect, it } from 'vitest'
import type { StatTable, Warning } from '../src/bindings'
import {
  chartColumns,
  chartOption,
  chartRows,
  HBAR_MAX,
  isEmptyTable,
  orgTree,
  sortWarnings,
  statsFilter,
} from '../src/utils/stats'

function table(measure: StatTable['measure'], columns: string[], rows: [string, number[]][]): StatTable {
  return {
    measure,
    title: measure,
    basis: '',
    labelHeader: '项目',
    columns,
    rows: rows.map(([label, values], i) => ({ key: label === '合计' ? 'total' : `k${i}`, label, values, detail: '' })),
    note: '',
  }
}

type Series = { type: string; name: string; stack?: string; data: number[] }

describe('statistics charts', () => {
  it('a bar chart draws the first column with its labels', () => {
    const t = table('byStatus', ['案件数'], [['登记', [4]], ['评查化解', [1]]])
    const o = chartOption(t, '按办理状态') as { xAxis: { data: string[] }; series: Series[]; aria: unknown }
    expect(o.xAxis.data).toEqual(['登记', '评查化解'])
    expect(o.series).toHaveLength(1)
    expect(o.series[0]?.data).toEqual([4, 1])
    expect(o.series[0]?.type).toBe('bar')
    expect(o.aria).toEqual({ enabled: true, label: { description: '按办理状态（案件数）：登记 4，评查化解 1' } })
  })

  it('the slips chart stacks the parts, without the 合计 row or column', () => {
    const t = table(
      'slips',
      ['按期办结', '逾期办结', '办理中（未逾期）', '逾期未反馈', '合计'],
      [
        ['交办单', [1, 0, 1, 1, 3]],
        ['督办单', [0, 1, 0, 0, 1]],
        ['合计', [1, 1, 1, 1, 4]],
      ],
    )
    expect(chartColumns(t)).toEqual([0, 1, 2, 3])
    expect(chartRows(t).map((r) => r.label)).toEqual(['交办单', '督办单'])
    const o = chartOption(t, '三单') as { yAxis: { data: string[] }; series: Series[]; aria: { label: { description: string } } }
    expect(o.yAxis.data).toEqual(['交办单', '督办单'])
    expect(o.series.map((s) => s.name)).toEqual(['按期办结', '逾期办结', '办理中（未逾期）', '逾期未反馈'])
    expect(o.series.every((s) => s.stack === 'total')).toBe(true)
    expect(o.series[3]?.data).toEqual([1, 0])
    expect(o.aria.label.description).toBe(
      '三单：交办单：按期办结 1、逾期办结 0、办理中（未逾期） 1、逾期未反馈 1；督办单：按期办结 0、逾期办结 1、办理中（未逾期） 0、逾期未反馈 0',
    )
  })

  it('the closure pie shows the counts, not the shares or the total, and skips zeros', () => {
    const t = table('closure', ['案件数', '占比（%）'], [
      ['在办', [5, 71.4]],
      ['已化解', [0, 0]],
      ['撤回', [2, 28.6]],
      ['合计', [7, 100]],
    ])
    const o = chartOption(t, '办结情况') as { series: { type: string; data: { name: string; value: number }[] }[] }
    expect(o.series[0]?.type).toBe('pie')
    expect(o.series[0]?.data).toEqual([
      { name: '在办', value: 5 },
      { name: '撤回', value: 2 },
    ])
  })

  it('grouped bars keep every count column', () => {
    const t = table('panelParticipation', ['邀请人次', '出席人次', '出席人数'], [['人大代表', [2, 1, 1]]])
    const o = chartOption(t, '听证员参与') as { series: Series[]; legend: unknown }
    expect(o.series.map((s) => s.data)).toEqual([[2], [1], [1]])
    expect(o.legend).toBeTruthy()
  })

  it('the month trend is a line; long bar lists are cut for the chart only', () => {
    expect((chartOption(table('byMonth', ['案件数'], [['2026年1月', [1]]]), 'x') as { series: Series[] }).series[0]?.type).toBe('line')
    const many = table('byOrgan', ['案件数'], Array.from({ length: 20 }, (_, i) => [`单位${i}`, [20 - i]] as [string, number[]]))
    expect(chartRows(many)).toHaveLength(HBAR_MAX)
    expect(many.rows).toHaveLength(20)
  })

  it('a table of zeros is empty', () => {
    expect(isEmptyTable(table('hearingOutcomes', ['a', 'b'], [['同意终结', [0, 0]]]))).toBe(true)
    expect(isEmptyTable(table('hearingOutcomes', ['a', 'b'], [['同意终结', [0, 1]]]))).toBe(false)
    expect(isEmptyTable(table('byOrgan', ['案件数'], []))).toBe(true)
  })
})

describe('statistics filter and warnings', () => {
  it('makes the backend filter from the bar', () => {
    expect(statsFilter(null, '', 'active')).toEqual({ from: null, to: null, orgId: null, scope: 'active', today: null })
    expect(statsFilter(['2026-01-01', '2026-03-31'], 'org-1', 'closed')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      orgId: 'org-1',
      scope: 'closed',
      today: null,
    })
  })

  it('puts orgs in tree order with depth', () => {
    const o = (id: string, parentId: string | null) => ({ id, parentId })
    const tree = orgTree([o('c', 'a'), o('a', null), o('b', 'a'), o('d', 'c')])
    expect(tree.map((x) => `${x.org.id}${x.depth}`)).toEqual(['a0', 'c1', 'd2', 'b1'])
  })

  it('sorts warnings overdue first, longest overdue first', () => {
    const w = (severity: Warning['severity'], daysLeft: number | null, caseNumber: string): Warning => ({
      kind: 'handlingLimit',
      severity,
      message: '',
      dueOn: null,
      daysLeft,
      caseId: caseNumber,
      caseNumber,
      caseTitle: '',
      subjectId: null,
    })
    const sorted = sortWarnings([
      w('attention', null, 'A'),
      w('approaching', 3, 'B'),
      w('overdue', -2, 'C'),
      w('overdue', -30, 'D'),
      w('approaching', 0, 'E'),
    ])
    expect(sorted.map((x) => x.caseNumber)).toEqual(['D', 'C', 'E', 'B', 'A'])
  })
})
