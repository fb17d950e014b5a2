import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import App from '../src/App.vue'
import CaseDetailView from '../src/views/CaseDetailView.vue'
import { api } from '../src/api'
import { useAppStore } from '../src/stores/app'
import { useAuthStore } from '../src/stores/auth'
import type { AppInfo, AuthState, Case, CaseWorkflow, Operator, Permission, SyncState } from '../src/bindings'
import { deskOrg, err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  authStateGet: vi.fn(),
  authLogin: vi.fn(),
  authLock: vi.fn(),
  appInfo: vi.fn(),
  startupReport: vi.fn(),
  caseList: vi.fn(),
  caseCounts: vi.fn(),
  personList: vi.fn(),
  orgList: vi.fn(),
  syncStatus: vi.fn(),
  caseGet: vi.fn(),
  caseWorkflow: vi.fn(),
  caseTimeline: vi.fn(),
  hearingList: vi.fn(),
  docKinds: vi.fn(),
  docList: vi.fn(),
  petitionerReveal: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

const info: AppInfo = {
  version: '0.1.0',
  dataDir: '/srv/hd',
  dbPath: '/srv/hd/hearingdesk.db',
  schemaVersion: 1,
  deskOrg,
  isEmpty: false,
  openError: null,
}

const sync = {
  status: { enrolled: false, server: null, waiting: 0, conflicts: 0, lastSync: null },
  connection: 'unenrolled',
  running: false,
  failures: 0,
  nextAttemptSecs: null,
  orgName: null,
  suggestedDeviceName: 'desk',
} as unknown as SyncState

const operator = (login: string, name: string, role: Operator['role']): Operator => ({
  id: `op-${login}`,
  login,
  name,
  role,
  createdAt: '2026-01-01T00:00:00Z',
  disabledAt: null,
  lastLoginAt: null,
})

const locked: AuthState = {
  accounts: true,
  locked: true,
  reason: null,
  operator: null,
  permissions: [],
  caseActions: [],
  hearingActions: [],
  dataDir: '/srv/hd',
  idleLockSecs: 900,
}

const ALL: Permission[] = [
  'manage_operators',
  'manage_settings',
  'edit_cases',
  'edit_persons',
  'plan_hearings',
  'record_hearing',
  'deliberate',
  'approve_closure',
  'manage_documents',
  'reveal_personal_data',
]

const admin: AuthState = {
  ...locked,
  locked: false,
  operator: operator('admin', '王管理', 'admin'),
  permissions: ALL,
  caseActions: ['close', 'withdraw'],
  hearingActions: [],
}

/** What the backend reports for a 记录员 (hearing-core `Role::Clerk`). */
const clerk: AuthState = {
  ...admin,
  operator: operator('clerk', '李记录', 'clerk'),
  permissions: ['record_hearing', 'deliberate'],
  caseActions: [],
}

const organizer: AuthState = {
  ...admin,
  operator: operator('org', '赵组织', 'organizer'),
  permissions: ['edit_cases', 'edit_persons', 'plan_hearings', 'record_hearing', 'deliberate', 'manage_documents', 'reveal_personal_data'],
  caseActions: ['withdraw'],
}

describe('login screen', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    delete document.body.dataset.ready
    commands.appInfo.mockResolvedValue(ok(info))
    commands.syncStatus.mockResolvedValue(ok(sync))
    commands.caseCounts.mockResolvedValue(ok({ byStatus: [], total: 0 }))
    commands.caseList.mockResolvedValue(ok({ items: [], total: 0, page: 1, pageSize: 1 }))
    commands.personList.mockResolvedValue(ok({ items: [], total: 0, page: 1, pageSize: 1 }))
    commands.orgList.mockResolvedValue(ok([deskOrg]))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the login on a locked desk, says why a login failed, then opens the shell', async () => {
    commands.authStateGet.mockResolvedValue(locked)
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(document.body.dataset.ready).toBe('1')
    expect(w.find('[data-test="login"]').exists()).toBe(true)
    expect(w.find('[data-test="nav-cases"]').exists()).toBe(false)
    expect(w.find('[data-test="login-data-dir"]').text()).toBe('/srv/hd')
    expect(commands.appInfo).not.toHaveBeenCalled()

    await w.find('[data-test="login-submit"]').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test="login-error"]').text()).toContain('请输入用户名和密码')
    expect(commands.authLogin).not.toHaveBeenCalled()

    commands.authLogin.mockResolvedValueOnce(
      err({ code: 'auth', message: '用户名或密码不正确（还可再试 4 次）', fields: [], unmet: [] }),
    )
    await w.find('[data-test="login-user"] input').setValue('admin')
    await w.find('[data-test="login-password"] input').setValue('wrong123')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(commands.authLogin).toHaveBeenCalledWith('admin', 'wrong123')
    expect(w.find('[data-test="login-error"]').text()).toContain('还可再试 4 次')
    expect((w.find('[data-test="login-password"] input').element as HTMLInputElement).value).toBe('')

    commands.authLogin.mockResolvedValueOnce(ok(admin))
    await w.find('[data-test="login-password"] input').setValue('secret123')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test="login"]').exists()).toBe(false)
    // The shell once the desk's info is read (a loading screen until then).
    await vi.waitFor(() => expect(w.find('[data-test="header-operator-name"]').exists()).toBe(true))
    expect(commands.appInfo).toHaveBeenCalled()
    expect(w.find('[data-test="header-operator-name"]').text()).toBe('王管理')
    expect(w.find('[data-test="header-operator-role"]').text()).toBe('管理员')
    expect(w.find('[data-test="header-lock"]').exists()).toBe(true)
  })

  it('goes back to the login when any command finds the desk locked, with the reason', async () => {
    commands.authStateGet.mockResolvedValueOnce(admin).mockResolvedValue({ ...locked, reason: '长时间未操作，已自动锁定，请重新登录' })
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(w.find('[data-test="header-operator"]').exists()).toBe(true)
    commands.caseCounts.mockResolvedValue(
      err({ code: 'locked', message: '长时间未操作，已自动锁定，请重新登录', fields: [], unmet: [] }),
    )
    await expect(api.caseCounts()).rejects.toThrow('长时间未操作')
    await flushPromises()
    expect(w.find('[data-test="login"]').exists()).toBe(true)
    expect(w.find('[data-test="login-reason"]').text()).toContain('长时间未操作')
    // The last operator's name is offered again.
    expect((w.find('[data-test="login-user"] input').element as HTMLInputElement).value).toBe('admin')
  })

  it('offers the administrator’s set-up on the first-run screen of a desk without accounts', async () => {
    commands.authStateGet.mockResolvedValue({ ...admin, accounts: false, operator: null })
    commands.appInfo.mockResolvedValue(ok({ ...info, deskOrg: null, isEmpty: true }))
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(w.find('[data-test="header-operator"]').exists()).toBe(false)
    await w.find('[data-test="first-run-setup"]').trigger('click')
    expect(w.find('[data-test="account-setup"]').text()).toContain('忘记密码')
  })
})

const kase = {
  id: 'c1',
  number: 'QSS-2026-001',
  orgId: 'org-desk',
  handlingOrganId: 'org-desk',
  handlingOrganName: '青山市委政法委',
  caseOfficer: '李承办',
  title: '王某不服判决信访案',
  category: 'civil',
  petitioners: [{ kind: 'person', name: '王某', idNumber: '110105********002X', phone: '139****5678', address: '' }],
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
} as unknown as Case

const workflow = {
  status: 'closureApproval',
  actions: ['close', 'withdraw'],
  chain: [
    {
      key: 'committee',
      title: '政法委审批',
      required: true,
      decidedBy: 'committee',
      decider: { kind: 'org', orgId: 'org-desk', orgName: '青山市委政法委', entry: 'own' },
      step: null,
    },
  ],
  leader: null,
  slips: [],
  slipIssuing: { path: [], issuers: [], whyNot: '本案承办单位之上没有单位' },
  visits: [],
  followups: [],
  statusReason: '',
} as unknown as CaseWorkflow

async function mountCase(state: AuthState) {
  const { list } = await plugins('/cases/c1')
  useAuthStore().set(state)
  useAppStore().info = info
  const w = mount(CaseDetailView, { props: { id: 'c1' }, global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  await flushPromises()
  return w
}

describe('what a role sees on a case', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.syncStatus.mockResolvedValue(ok(sync))
    commands.orgList.mockResolvedValue(ok([deskOrg]))
    commands.caseGet.mockResolvedValue(ok(kase))
    commands.caseWorkflow.mockResolvedValue(ok(workflow))
    commands.caseTimeline.mockResolvedValue(ok([]))
    commands.hearingList.mockResolvedValue(ok([]))
    commands.docKinds.mockResolvedValue([{ key: 'approval', label: '终结审批表', needsHearing: false, perPanelist: false }])
    commands.docList.mockResolvedValue(ok([]))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows a 记录员 no edit, approval or document buttons, and the ID number masked', async () => {
    const w = await mountCase(clerk)
    for (const test of ['case-edit', 'analysis-save', 'case-action-close', 'case-action-withdraw', 'hearing-plan-open', 'approval-save', 'slip-new', 'visit-add', 'doc-generate']) {
      expect(w.find(`[data-test="${test}"]`).exists(), `${test} hidden`).toBe(false)
    }
    expect(w.find('[data-test="petitioner-id-0"]').text()).toBe('110105********002X')
    expect(w.find('[data-test="petitioner-reveal-0"]').exists()).toBe(false)
  })

  it('lets the administrator approve; an organizer reveals the full number for this view', async () => {
    let w = await mountCase(admin)
    for (const test of ['case-edit', 'case-action-close', 'approval-save', 'doc-generate']) {
      expect(w.find(`[data-test="${test}"]`).exists(), `${test} shown`).toBe(true)
    }
    w.unmount()
    document.body.innerHTML = ''

    w = await mountCase(organizer)
    expect(w.find('[data-test="case-action-close"]').exists()).toBe(false)
    expect(w.find('[data-test="case-action-withdraw"]').exists()).toBe(true)
    expect(w.find('[data-test="approval-save"]').exists()).toBe(false)
    commands.petitionerReveal.mockResolvedValue(ok({ name: '王某', idNumber: '11010519491231002X', phone: '13912345678' }))
    await w.find('[data-test="petitioner-reveal-0"]').trigger('click')
    await flushPromises()
    expect(commands.petitionerReveal).toHaveBeenCalledWith('c1', 0)
    expect(w.find('[data-test="petitioner-id-0"]').text()).toBe('11010519491231002X')
    expect(w.find('[data-test="petitioner-phone-0"]').text()).toBe('13912345678')
    expect(w.find('[data-test="petitioner-reveal-0"]').exists()).toBe(false)
  })
})
