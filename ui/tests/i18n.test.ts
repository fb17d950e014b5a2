import { describe, expect, it } from 'vitest'
import zhCN from '../src/i18n/zh-CN'
import enUS from '../src/i18n/en-US'
import { i18n } from '../src/i18n'
import {
  ANALYSIS_ITEMS,
  CASE_CATEGORIES,
  CASE_STATUSES,
  ORG_KINDS,
  PERSON_KINDS,
  PERSON_LEVELS,
} from '../src/utils/enums'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function leaf(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj)
}

describe('i18n messages', () => {
  const zh = keys(zhCN)
  const en = keys(enUS)

  it('every zh-CN key exists in en-US', () => {
    expect(zh.filter((k) => !en.includes(k))).toEqual([])
  })

  it('every en-US key exists in zh-CN', () => {
    expect(en.filter((k) => !zh.includes(k))).toEqual([])
  })

  it('no message is empty', () => {
    for (const k of zh) expect(String(leaf(zhCN, k)).trim(), k).not.toBe('')
    for (const k of en) expect(String(leaf(enUS, k)).trim(), k).not.toBe('')
  })

  it('every enum value has a label', () => {
    const need = [
      ...CASE_STATUSES.map((v) => `enums.caseStatus.${v}`),
      ...CASE_CATEGORIES.map((v) => `enums.caseCategory.${v}`),
      ...ORG_KINDS.map((v) => `enums.orgKind.${v}`),
      ...PERSON_KINDS.map((v) => `enums.personKind.${v}`),
      ...PERSON_LEVELS.map((v) => `enums.personLevel.${v}`),
      ...ANALYSIS_ITEMS.map((i) => `analysis.items.${i.key}`),
    ]
    expect(need.filter((k) => !zh.includes(k))).toEqual([])
  })

  it('uses the backend labels in Chinese', () => {
    expect(zhCN.enums.caseStatus.underReview).toBe('评查化解')
    expect(zhCN.enums.personLevel.township).toBe('乡镇级')
    expect(zhCN.analysis.items.responsibleParties).toBe('责任单位责任人')
  })

  it('every message compiles and interpolates in both locales', () => {
    const { t } = i18n.global
    for (const locale of ['zh-CN', 'en-US'] as const) {
      for (const k of zh) {
        const out = t(k, { n: 1, name: 'X', orgs: 1, persons: 2, cases: 3 }, { locale })
        expect(out, `${locale}:${k}`).not.toBe(k)
        expect(out, `${locale}:${k}`).not.toMatch(/\{\w+\}/)
      }
    }
  })
})
