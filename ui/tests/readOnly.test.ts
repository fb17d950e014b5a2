import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import CaseDetailView from '../src/views/CaseDetailView.vue'
import { readOnlyOwner } from '../src/composables/useReadOnly'
import { useAppStore } from '../src/stores/app'
import type { Case, CaseWorkflow, Document, HearingSummary, SyncState } from '../src/bindings'
import { courtOrg, deskOrg, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  syncStatus: vi.fn(),
  orgList: vi.fn(),
  caseGet: vi.fn(),
  caseWorkflow: vi.fn(),
  caseTimeline: vi.fn(),
  hearingList: vi.fn(),
  docKinds: vi.fn(),
  docList: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

/** A county below the city desk, whose case reaches the city through sync. */
const countyOrg = { ...courtOrg, id: 'org-county', name: '东河区委政法委', kind: 'committee' as const }

const sync = (enrolled: boolean) =>
  ({
    status: { enrolled, server: enrolled ? 'http://127.0.0.1:8443' : null, waiting: 0, conflicts: 0 },
    connection: enrolled ? 'online' : 'unenrolled',
    running: false,
    failures: 0,
    nextAttemptSecs: null,
    orgName: null,
    suggestedDeviceName: 'desk',
  }) as unknown as SyncState

const kase = (orgId: string) =>
  ({
    id: 'c1',
    number: 'DHQ-2026-001',
    orgId,
    handlingOrganId: orgId,
    handlingOrganName: '东河区委政法委',
    caseOfficer: '李承办',
    title: '王某不服判决信访案',
    category: 'civil',
    petitioners: [{ kind: 'person', name: '王某' }],
    originalCaseNumber: '',
    rulings: [],
    demands: '再审',
    background: '',
    analysis: {
      historicalFacts: '',
      problemNature: '',
      handlingPrinciple: '',
      petitionDemands: '',
      responsibleParties: '',
      socialRelations: '',
      crux: '',
      existingReplies: '',
      errorsAndFlaws: '',
    },
    analysisItems: [],
    analysisCompleteness: 0,
    status: 'closureApproval',
    registeredOn: '2026-11-01',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
  }) as unknown as Case

const organHeadStep = {
  id: 'a1',
  levelKey: 'organHead',
  levelTitle: '单位负责人',
  approver: '王院长',
  opinion: '同意',
  approved: true,
  decidedOn: '2026-11-20',
  createdAt: '2026-11-20T00:00:00Z',
  deciderOrgId: 'org-city',
  deciderOrgName: '青山市委政法委',
  proxy: true,
}

const workflow = {
  status: 'closureApproval',
  actions: ['close', 'withdraw'],
  chain: [
    { key: 'organHead', title: '单位负责人', required: true, decidedBy: 'handlingOrgan', decider: { kind: 'handlingOrgan' }, step: organHeadStep },
    {
      key: 'committee',
      title: '政法委审批',
      required: true,
      decidedBy: 'committee',
      decider: { kind: 'org', orgId: 'org-city', orgName: '青山市委政法委', entry: 'proxy' },
      step: null,
    },
    {
      key: 'superior',
      title: '上级政法委',
      required: false,
      decidedBy: 'superior',
      decider: { kind: 'missing', reason: '青山市委政法委之上没有上级政法委' },
      step: null,
    },
  ],
  approvals: [organHeadStep],
  leader: {
    leaderA: '张领导',
    leaderATitle: '院长',
    leaderB: '李领导',
    leaderBTitle: '区长',
    problemList: '',
    responsibilityList: '',
    confirmedA: false,
    confirmedB: false,
    signedA: false,
    signedB: false,
  },
  // The city's slips to the county: one answered, awaiting the city's review; one awaiting the
  // county's answer.
  slips: [
    {
      id: 's1', caseId: 'c1', caseNumber: 'DHQ-2026-001', caseTitle: '案件', kind: 'assign', number: '青政法交办〔2026〕1号',
      fromOrgId: 'org-desk', fromUnit: '青山市委政法委', toOrgId: 'org-county', toUnit: '东河区委政法委',
      content: '办理', deadline: '2026-12-01', issuedOn: '2026-11-20', issuedBy: '李书记', proxy: false,
      status: 'open', stage: 'awaitingReview', round: 0, returnReason: '', doneOn: null, reviewedBy: '', reply: '',
      overdue: false,
      feedback: [{ id: 'f1', round: 0, orgId: 'org-county', orgName: '东河区委政法委', text: '已办', answeredBy: '王科长', answeredOn: '2026-11-25', proxy: false }],
      answer: 'elsewhere', review: 'own',
    },
    {
      id: 's2', caseId: 'c1', caseNumber: 'DHQ-2026-001', caseTitle: '案件', kind: 'supervise', number: '青政法督〔2026〕1号',
      fromOrgId: 'org-desk', fromUnit: '青山市委政法委', toOrgId: 'org-county', toUnit: '东河区委政法委',
      content: '督办', deadline: '2026-12-01', issuedOn: '2026-11-20', issuedBy: '李书记', proxy: false,
      status: 'open', stage: 'awaitingFeedback', round: 0, returnReason: '', doneOn: null, reviewedBy: '', reply: '',
      overdue: true, feedback: [], answer: 'elsewhere', review: 'own',
    },
  ],
  slipIssuing: {
    path: [
      { orgId: 'org-county', orgName: '东河区委政法委', entry: 'elsewhere' },
      { orgId: 'org-desk', orgName: '青山市委政法委', entry: 'own' },
    ],
    issuers: [
      {
        orgId: 'org-desk',
        orgName: '青山市委政法委',
        entry: 'own',
        receivers: [{ orgId: 'org-county', orgName: '东河区委政法委', entry: 'elsewhere' }],
      },
    ],
    whyNot: null,
  },
  visits: [],
  followups: [],
  servedOn: null,
  filedOn: null,
  closedOn: null,
  statusReason: '',
} as unknown as CaseWorkflow

const hearing: HearingSummary = {
  id: 'h1',
  caseId: 'c1',
  caseNumber: 'DHQ-2026-001',
  title: '听证会',
  scheduledOn: '2026-12-01',
  startTime: '09:00',
  venue: '',
  status: 'concluded',
  panelSize: 3,
} as unknown as HearingSummary

const draft = {
  id: 'd1',
  caseId: 'c1',
  hearingId: null,
  kind: 'approval',
  number: '',
  version: 1,
  previousId: null,
  state: 'draft',
  text: '',
  service: '{}',
  finalizedAt: null,
  createdAt: '2026-11-02T00:00:00Z',
  updatedAt: '2026-11-02T00:00:00Z',
  verificationCode: null,
  scanPath: null,
  subjectId: null,
  subjectName: '',
} as unknown as Document

/** Every button that changes the case, by data-test. */
const CHANGING = [
  'case-edit',
  'analysis-save',
  'case-action-close',
  'case-action-withdraw',
  'hearing-plan-open',
  'approval-save',
  'leader-confirm-a',
  'leader-sign-b',
  'leader-save',
  'visit-add',
  'doc-generate',
  'doc-edit-0',
  'doc-finalize-0',
]

async function mountDetail(caseOrg: string, enrolled: boolean) {
  commands.syncStatus.mockResolvedValue(ok(sync(enrolled)))
  commands.caseGet.mockResolvedValue(ok(kase(caseOrg)))
  const { list } = await plugins('/cases/c1')
  useAppStore().info = {
    version: '0.1.0',
    dataDir: '/tmp/hd',
    dbPath: '/tmp/hd/desk.db',
    schemaVersion: 1,
    deskOrg,
    isEmpty: false,
    openError: null,
  }
  const w = mount(CaseDetailView, { props: { id: 'c1' }, global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  await flushPromises()
  return w
}

function button(w: VueWrapper, test: string): HTMLButtonElement {
  const el = w.find(`[data-test="${test}"]`)
  expect(el.exists(), `[data-test=${test}] exists`).toBe(true)
  return el.element as HTMLButtonElement
}

describe('read-only cases', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.orgList.mockResolvedValue(ok([deskOrg, countyOrg]))
    commands.caseWorkflow.mockResolvedValue(ok(workflow))
    commands.caseTimeline.mockResolvedValue(ok([]))
    commands.hearingList.mockResolvedValue(ok([hearing]))
    commands.docKinds.mockResolvedValue([{ key: 'approval', label: '终结审批表', needsHearing: false, perPanelist: false }])
    commands.docList.mockResolvedValue(ok([draft]))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('follows the store: another org’s data on an enrolled desk', () => {
    const name = (id: string) => (id === 'org-county' ? '东河区委政法委' : '')
    expect(readOnlyOwner('org-county', 'org-desk', true, name)).toBe('东河区委政法委')
    expect(readOnlyOwner('org-unknown', 'org-desk', true, name)).toBe('org-unknown')
    expect(readOnlyOwner('org-desk', 'org-desk', true, name)).toBeNull()
    expect(readOnlyOwner('org-county', 'org-desk', false, name)).toBeNull()
    expect(readOnlyOwner(undefined, 'org-desk', true, name)).toBeNull()
    expect(readOnlyOwner('org-county', undefined, true, name)).toBeNull()
  })

  it('disables every button that would change a county case on the city desk, saying why', async () => {
    const w = await mountDetail('org-county', true)
    expect(w.find('[data-test="case-read-only"]').text()).toContain('东河区委政法委')
    // No level of it is this desk's to decide: said once, above the disabled form.
    expect(w.find('[data-test="approval-nothing-here"]').text()).toContain('没有待作出的审批意见')
    for (const test of CHANGING) {
      const b = button(w, test)
      expect(b.disabled, `${test} is disabled`).toBe(true)
      const tip = b.closest('[data-test="read-only-tip"]')
      expect(tip, `${test} has the read-only tooltip`).not.toBeNull()
      expect(tip?.getAttribute('data-reason')).toContain('东河区委政法委')
    }
    // Reading stays possible: previewing and opening a document.
    expect(button(w, 'doc-preview-0').disabled).toBe(false)
    expect(button(w, 'doc-open-0').disabled).toBe(false)
    // Form fields are disabled too (the slip and visit entry rows, the analysis).
    expect(w.find('[data-test="analysis-historicalFacts"] textarea').attributes('disabled')).toBeDefined()
    // Clicking does nothing: no dialog opens.
    await w.find('[data-test="hearing-plan-open"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-test="hearing-plan-dialog"]')).toBeNull()
  }, 30000)

  it('leaves the desk’s own case, and any case of an unenrolled desk, usable', async () => {
    for (const [org, enrolled] of [
      ['org-desk', true],
      ['org-county', false],
    ] as const) {
      const w = await mountDetail(org, enrolled)
      expect(w.find('[data-test="case-read-only"]').exists()).toBe(false)
      expect(w.find('[data-test="read-only-tip"]').exists()).toBe(false)
      for (const test of ['case-edit', 'analysis-save', 'case-action-close', 'hearing-plan-open', 'leader-save', 'slip-new', 'doc-generate', 'doc-finalize-0']) {
        expect(button(w, test).disabled, `${test} is enabled (${org}, enrolled ${enrolled})`).toBe(false)
      }
      w.unmount()
      document.body.innerHTML = ''
    }
  }, 30000)

  it('says who decides each approval level, marks 代录, and warns before typing another org’s decision', async () => {
    const w = await mountDetail('org-desk', false)
    const deciders = w.findAll('[data-test="approval-chain-decider"]').map((d) => d.text())
    expect(deciders).toEqual(['承办单位', '青山市委政法委', '未找到审批单位'])
    expect(w.find('[data-test="approval-chain-proxy"]').text()).toBe('代录')
    // Decided levels show their decision, the others 待审批 — never both.
    expect(w.findAll('[data-test="approval-chain-decision"]')).toHaveLength(1)
    expect(w.findAll('[data-test="approval-chain-pending"]')).toHaveLength(2)
    // The first open level is chosen: the committee's, decided by another org.
    expect(w.find('[data-test="approval-proxy-warning"]').text()).toContain('记为“代录”')
    expect(w.find('[data-test="approval-proxy-warning"]').text()).toContain('青山市委政法委')
    expect(w.find('[data-test="approval-missing-decider"]').exists()).toBe(false)
    w.unmount()
    document.body.innerHTML = ''
    // A decision that is not 代录: its result alone, no 代录 and no 待审批 beside it.
    const own = { ...organHeadStep, proxy: false, deciderOrgId: null, deciderOrgName: null }
    commands.caseWorkflow.mockResolvedValue(
      ok({
        ...workflow,
        approvals: [own],
        chain: workflow.chain.map((l) => (l.key === 'organHead' ? { ...l, step: own } : l)),
      } as unknown as CaseWorkflow),
    )
    const v = await mountDetail('org-desk', false)
    const first = v.find('[data-test="case-approvals"]').findAll('.el-table__body tr')[0]
    expect(first?.find('[data-test="approval-chain-decision"]').text()).toBe('同意')
    expect(first?.find('[data-test="approval-chain-pending"]').exists()).toBe(false)
    expect(v.find('[data-test="approval-chain-proxy"]').exists()).toBe(false)
  }, 30000)

  it('lets the deciding committee decide its level of another org’s case, and tells the case’s desk it cannot', async () => {
    const committeeHere = {
      ...workflow,
      chain: workflow.chain.map((l) =>
        l.key === 'committee' ? { ...l, decider: { kind: 'org', orgId: 'org-desk', orgName: '青山市委政法委', entry: 'own' } } : l,
      ),
    } as unknown as CaseWorkflow
    commands.caseWorkflow.mockResolvedValue(ok(committeeHere))
    // The city's enrolled desk, a county's case: read-only, but its own level is decided here.
    let w = await mountDetail('org-county', true)
    expect(w.find('[data-test="case-read-only"]').exists()).toBe(true)
    expect(button(w, 'approval-save').disabled).toBe(false)
    expect(button(w, 'approval-save').closest('[data-test="read-only-tip"]')).toBeNull()
    expect(button(w, 'case-edit').disabled).toBe(true)
    expect(w.find('[data-test="approval-nothing-here"]').exists()).toBe(false)
    w.unmount()
    document.body.innerHTML = ''
    // Outside 终结审批 the button stays disabled with its read-only tip, whoever decides.
    commands.caseWorkflow.mockResolvedValue(ok({ ...committeeHere, status: 'hearing' } as unknown as CaseWorkflow))
    commands.caseGet.mockResolvedValue(ok({ ...kase('org-county'), status: 'hearing' }))
    w = await mountDetail('org-county', true)
    expect(button(w, 'approval-save').disabled).toBe(true)
    expect(button(w, 'approval-save').closest('[data-test="read-only-tip"]')).not.toBeNull()
    w.unmount()
    document.body.innerHTML = ''
    // The case's own enrolled desk: another org decides the committee's level there (the store
    // says so: it is entered elsewhere).
    commands.caseWorkflow.mockResolvedValue(
      ok({
        ...workflow,
        chain: workflow.chain.map((l) =>
          l.key === 'committee' ? { ...l, decider: { kind: 'org', orgId: 'org-city', orgName: '青山市委政法委', entry: 'elsewhere' } } : l,
        ),
      } as unknown as CaseWorkflow),
    )
    w = await mountDetail('org-desk', true)
    expect(w.find('[data-test="approval-decided-elsewhere"]').text()).toContain('青山市委政法委')
    expect(w.find('[data-test="approval-proxy-warning"]').exists()).toBe(false)
    expect(button(w, 'approval-save').disabled).toBe(true)
  }, 30000)

  it('lets the city issue and review slips on a county case it may only read, and not answer for the county', async () => {
    // The city's enrolled desk, a county's case: read-only, yet the slips are the city's own.
    let w = await mountDetail('org-county', true)
    expect(w.find('[data-test="case-read-only"]').exists()).toBe(true)
    expect(button(w, 'case-edit').disabled).toBe(true)
    expect(button(w, 'slip-new').disabled).toBe(false)
    expect(button(w, 'slip-accept').disabled).toBe(false)
    expect(button(w, 'slip-return').disabled).toBe(false)
    expect(button(w, 'slip-print').disabled).toBe(false)
    // The county answers on its own desk: the button says so instead of working.
    expect(button(w, 'slip-answer').disabled).toBe(true)
    // The overdue 交办单 offers a 督办单; the overdue 督办单 itself does not.
    expect(w.findAll('[data-test="slip-supervise"]').length).toBe(0)
    const rows = w.findAll('[data-test="slip-row"]')
    expect(rows.map((r) => r.attributes('data-stage'))).toEqual(['awaitingReview', 'awaitingFeedback'])
    expect(rows[1].find('[data-test="slip-overdue"]').exists()).toBe(true)
    w.unmount()
    document.body.innerHTML = ''
    // The county's desk: it answers; the city's review and issuing are not here.
    commands.caseWorkflow.mockResolvedValue(
      ok({
        ...workflow,
        slips: workflow.slips.map((x) => ({ ...x, answer: 'own', review: 'elsewhere' })),
        slipIssuing: { ...workflow.slipIssuing, issuers: [], whyNot: '交办单、督办单由本案承办机关的上级单位发出' },
      } as unknown as CaseWorkflow),
    )
    w = await mountDetail('org-desk', true)
    expect(button(w, 'slip-new').disabled).toBe(true)
    expect(button(w, 'slip-answer').disabled).toBe(false)
    expect(button(w, 'slip-accept').disabled).toBe(true)
  }, 30000)
})
