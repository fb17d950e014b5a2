import { describe, expect, it } from 'vitest'
import zhCN from '../src/i18n/zh-CN'
import enUS from '../src/i18n/en-US'
import { i18n } from '../src/i18n'
import {
  ANALYSIS_ITEMS,
  CASE_ACTIONS,
  CASE_CATEGORIES,
  CASE_STATUSES,
  FOLLOWUP_KINDS,
  HEARING_ACTIONS,
  HEARING_MODES,
  HEARING_STATUSES,
  INVITATION_STATUSES,
  ORG_KINDS,
  PARTICIPANT_ROLES,
  PERSON_KINDS,
  PERSON_LEVELS,
  ROLES,
  SERVICE_METHODS,
  SIGNATURE_STATUSES,
  SLIP_KINDS,
  SLIP_STAGES,
  SLIP_STATUSES,
  VISIT_OUTCOMES,
  VOTES,
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
      ...HEARING_STATUSES.map((v) => `enums.hearingStatus.${v}`),
      ...HEARING_ACTIONS.map((v) => `enums.hearingAction.${v}`),
      ...HEARING_MODES.map((v) => `enums.hearingMode.${v}`),
      ...PARTICIPANT_ROLES.map((v) => `enums.participantRole.${v}`),
      ...INVITATION_STATUSES.map((v) => `enums.invitationStatus.${v}`),
      ...SIGNATURE_STATUSES.map((v) => `enums.signatureStatus.${v}`),
      ...VOTES.map((v) => `enums.vote.${v}`),
      ...CASE_ACTIONS.map((v) => `enums.caseAction.${v}`),
      ...SLIP_KINDS.map((v) => `enums.slipKind.${v}`),
      ...SLIP_STATUSES.map((v) => `enums.slipStatus.${v}`),
      ...SLIP_STAGES.map((v) => `enums.slipStage.${v}`),
      ...VISIT_OUTCOMES.map((v) => `enums.visitOutcome.${v}`),
      ...FOLLOWUP_KINDS.map((v) => `enums.followupKind.${v}`),
      ...SERVICE_METHODS.map((v) => `enums.serviceMethod.${v}`),
      ...ROLES.map((v) => `enums.role.${v}`),
    ]
    expect(need.filter((k) => !zh.includes(k))).toEqual([])
  })

  it('uses the backend labels in Chinese', () => {
    expect(zhCN.enums.caseStatus.underReview).toBe('评查化解')
    expect(zhCN.enums.personLevel.township).toBe('乡镇级')
    expect(zhCN.analysis.items.responsibleParties).toBe('责任单位责任人')
    expect(zhCN.enums.hearingAction.signTranscript).toBe('笔录签署完成')
    expect(zhCN.enums.participantRole.thirdParty).toBe('第三方/利害关系人')
    expect(zhCN.enums.caseAction.sendToLegalProcedure).toBe('导入法律程序')
    expect(zhCN.enums.role.closure_officer).toBe('终结承办人/审批人')
    // The words the backend keeps for a 送达方式 (ServiceMethod::label): the notices tab finds
    // the method a party was served by from them.
    expect(zhCN.enums.serviceMethod).toEqual({
      direct: '直接送达',
      left: '留置送达',
      post: '邮寄送达',
      entrusted: '委托送达',
      forwarded: '转交送达',
      electronic: '电子送达',
    })
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
