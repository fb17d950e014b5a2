// Statistics and warnings on screen: which chart shows which measure, the ECharts option made
// from a measure's table (the same rows the CSV and XLSX export carry), and small helpers for the
// filter and the warning list. Pure functions, tested without a browser.
import type {
  Severity,
  StatMeasure,
  StatRow,
  StatsFilter,
  StatsScope,
  StatTable,
  Warning,
} from '../bindings'

export const STATS_SCOPES: readonly StatsScope[] = ['active', 'closed', 'all']

/** How a measure is drawn. */
export type ChartKind = 'hbar' | 'bar' | 'pie' | 'line' | 'grouped' | 'stacked'

export const CHART_KIND: Record<StatMeasure, ChartKind> = {
  byOrgan: 'hbar',
  byCategory: 'pie',
  byStatus: 'bar',
  byCounty: 'bar',
  byMonth: 'line',
  hearings: 'bar',
  hearingOutcomes: 'grouped',
  closure: 'pie',
  closureTime: 'bar',
  slips: 'stacked',
  repeatPetitioners: 'hbar',
  panelParticipation: 'grouped',
}

/** At most this many bars in a horizontal bar chart (the table has them all). */
export const HBAR_MAX = 12

export const PALETTE = ['#1f4e8c', '#c0392b', '#e0a526', '#2e8b57', '#7d5ba6', '#16a2b8', '#8c6d4f', '#5d6d7e']

/** The rows a chart draws: no 合计 row (the parts are drawn, not their sum). */
export function chartRows(table: StatTable): StatRow[] {
  const rows = table.rows.filter((r) => r.key !== 'total')
  return CHART_KIND[table.measure] === 'hbar' ? rows.slice(0, HBAR_MAX) : rows
}

/** The number columns a chart draws: the counts, without 合计 and percentage columns. */
export function chartColumns(table: StatTable): number[] {
  const kind = CHART_KIND[table.measure]
  const all = table.columns.map((_, i) => i)
  if (kind === 'grouped' || kind === 'stacked') {
    return all.filter((i) => !/合计|%/.test(table.columns[i] ?? ''))
  }
  return [0]
}

/** True when there is nothing to draw (no rows, or only zeros). */
export function isEmptyTable(table: StatTable): boolean {
  const cols = chartColumns(table)
  return chartRows(table).every((r) => cols.every((c) => (r.values[c] ?? 0) === 0))
}

/** Pixel height that fits the chart's rows. */
export function chartHeight(table: StatTable): number {
  const kind = CHART_KIND[table.measure]
  if (kind === 'hbar' || kind === 'stacked') return Math.max(240, chartRows(table).length * 30 + 70)
  return 280
}

type Option = Record<string, unknown>

/** "按办理状态（案件数）：登记 3，评查化解 1"; several columns: "交办单：按期办结 1、逾期办结 0". */
export function describe(table: StatTable, title: string, rows: StatRow[], cols: number[], names: string[]): string {
  const one = cols.length === 1
  const items = rows.map((r, i) =>
    one
      ? `${names[i]} ${r.values[cols[0] ?? 0] ?? 0}`
      : `${names[i]}：${cols.map((c) => `${table.columns[c]} ${r.values[c] ?? 0}`).join('、')}`,
  )
  const head = one ? `${title}（${table.columns[cols[0] ?? 0] ?? ''}）` : title
  return `${head}：${items.join(one ? '，' : '；')}`
}

/**
 * The ECharts option of one measure. `label` names a row (translated where the key is a known
 * enum value, else the label from Rust); `title` is the chart's accessible name.
 */
export function chartOption(
  table: StatTable,
  title: string,
  label: (row: StatRow) => string = (r) => r.label,
): Option {
  const kind = CHART_KIND[table.measure]
  const rows = chartRows(table)
  const cols = chartColumns(table)
  const names = rows.map(label)
  const base: Option = {
    // The chart's figures in words for screen readers (and the GUI test).
    aria: { enabled: true, label: { description: describe(table, title, rows, cols, names) } },
    title: { show: false, text: title },
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif' },
    tooltip: { trigger: kind === 'pie' ? 'item' : 'axis' },
  }
  if (kind === 'pie') {
    return {
      ...base,
      legend: { type: 'scroll', bottom: 0 },
      series: [
        {
          type: 'pie',
          name: table.columns[0],
          radius: ['32%', '58%'],
          center: ['50%', '46%'],
          avoidLabelOverlap: true,
          label: { show: true, formatter: '{b} {c}（{d}%）', overflow: 'none' },
          data: rows
            .map((r, i) => ({ name: names[i], value: r.values[0] ?? 0 }))
            .filter((d) => d.value > 0),
        },
      ],
    }
  }
  const horizontal = kind === 'hbar' || kind === 'stacked'
  const category = {
    type: 'category',
    data: names,
    inverse: horizontal,
    axisLabel: horizontal ? { width: 150, overflow: 'truncate' } : { interval: 0, rotate: names.length > 6 ? 30 : 0 },
  }
  const value = { type: 'value', minInterval: 1 }
  const series = cols.map((c) => ({
    type: kind === 'line' ? 'line' : 'bar',
    name: table.columns[c],
    stack: kind === 'stacked' ? 'total' : undefined,
    barMaxWidth: 36,
    areaStyle: kind === 'line' ? { opacity: 0.12 } : undefined,
    smooth: kind === 'line' ? false : undefined,
    label: {
      show: true,
      position: kind === 'stacked' ? 'inside' : horizontal ? 'right' : 'top',
      // A stacked part of 0 says nothing.
      formatter: kind === 'stacked' ? (p: { value: number }) => (p.value ? String(p.value) : '') : '{c}',
    },
    data: rows.map((r) => r.values[c] ?? 0),
  }))
  return {
    ...base,
    legend: cols.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 40, top: cols.length > 1 ? 36 : 24, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series,
  }
}

/** The filter the backend takes, from the filter bar. */
export function statsFilter(period: [string, string] | null, orgId: string, scope: StatsScope): StatsFilter {
  return {
    from: period?.[0] || null,
    to: period?.[1] || null,
    orgId: orgId || null,
    scope,
    today: null,
  }
}

/** Orgs in tree order with their depth, for an indented select. */
export function orgTree<T extends { id: string; parentId: string | null }>(orgs: T[]): { org: T; depth: number }[] {
  const children = new Map<string | null, T[]>()
  const ids = new Set(orgs.map((o) => o.id))
  for (const o of orgs) {
    const parent = o.parentId && ids.has(o.parentId) ? o.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), o])
  }
  const out: { org: T; depth: number }[] = []
  const visit = (parent: string | null, depth: number) => {
    for (const o of children.get(parent) ?? []) {
      out.push({ org: o, depth })
      if (depth < 20) visit(o.id, depth + 1)
    }
  }
  visit(null, 0)
  return out
}

/** The orgs as a select offers them: in tree order, indented by depth (full-width spaces). */
export function orgSelectOptions<T extends { id: string; parentId: string | null; name: string; shortName: string }>(
  orgs: T[],
): { value: string; label: string }[] {
  return orgTree(orgs).map(({ org, depth }) => ({
    value: org.id,
    label: `${'\u3000'.repeat(depth)}${org.shortName || org.name}`,
  }))
}

export const SEVERITY_ORDER: Record<Severity, number> = { overdue: 0, approaching: 1, attention: 2 }

export function severityTagType(s: Severity): 'danger' | 'warning' | 'info' {
  return s === 'overdue' ? 'danger' : s === 'approaching' ? 'warning' : 'info'
}

/** Overdue first (longest overdue first), then approaching (nearest first), then the rest. */
export function sortWarnings(list: Warning[]): Warning[] {
  return [...list].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.daysLeft ?? 0) - (b.daysLeft ?? 0) ||
      a.caseNumber.localeCompare(b.caseNumber),
  )
}
