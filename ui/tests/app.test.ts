import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import App from '../src/App.vue'
import type { AppInfo } from '../src/bindings'
import { deskOrg, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  authStateGet: vi.fn(),
  appInfo: vi.fn(),
  startupReport: vi.fn(),
  demoLoad: vi.fn(),
  deskInit: vi.fn(),
  caseList: vi.fn(),
  personList: vi.fn(),
  orgList: vi.fn(),
  syncStatus: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

const empty: AppInfo = {
  version: '0.1.0',
  dataDir: '/tmp/hd',
  dbPath: '/tmp/hd/desk.db',
  schemaVersion: 1,
  deskOrg: null,
  isEmpty: true,
  openError: null,
}
const loaded: AppInfo = { ...empty, deskOrg, isEmpty: false }

const NAV = ['dashboard', 'cases', 'hearings', 'documents', 'persons', 'stats', 'sync', 'settings']

describe('App shell', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    delete document.body.dataset.ready
    // A desk without operator accounts: no login, everything allowed.
    commands.authStateGet.mockResolvedValue({
      accounts: false,
      locked: false,
      reason: null,
      operator: null,
      permissions: ['manage_operators', 'manage_settings', 'edit_cases'],
      caseActions: [],
      hearingActions: [],
      dataDir: '/tmp/hd',
      idleLockSecs: 900,
    })
    commands.caseList.mockResolvedValue(ok({ items: [], total: 0, page: 1, pageSize: 1 }))
    commands.personList.mockResolvedValue(ok({ items: [], total: 0, page: 1, pageSize: 1 }))
    commands.orgList.mockResolvedValue(ok([deskOrg]))
    commands.syncStatus.mockResolvedValue(
      ok({
        status: {
          server: null,
          enrolled: false,
          deviceId: 'd',
          cursor: '0',
          waiting: 0,
          conflicts: 0,
          lastSync: null,
          lastError: null,
          lastAttempt: null,
          deviceName: null,
          restoredUnenrolled: null,
          searchPending: 0,
        },
        connection: 'unenrolled',
        running: false,
        failures: 0,
        nextAttemptSecs: null,
        orgName: null,
        suggestedDeviceName: 'desk',
      }),
    )
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the first-run choices on an empty desk and marks the page ready', async () => {
    commands.appInfo.mockResolvedValue(ok(empty))
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(document.body.dataset.ready).toBe('1')
    expect(w.find('button[data-test="first-run-demo"]').exists()).toBe(true)
    expect(w.find('button[data-test="first-run-empty"]').exists()).toBe(true)
    expect(w.find('[data-test="nav-cases"]').exists()).toBe(false)
  })

  it('loads the demo data, then shows the shell with every nav item', async () => {
    commands.appInfo.mockResolvedValueOnce(ok(empty)).mockResolvedValue(ok(loaded))
    commands.demoLoad.mockResolvedValue(ok({ orgs: 12, persons: 40, cases: 30 }))
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    await w.find('[data-test="first-run-demo"]').trigger('click')
    await flushPromises()
    expect(commands.demoLoad).toHaveBeenCalledTimes(1)
    for (const n of NAV) expect(w.find(`li[data-test="nav-${n}"]`).exists(), n).toBe(true)
    expect(w.find('[data-test="desk-org-name"]').text()).toBe('青山市委政法委')
    expect(w.find('[data-test="sync-indicator"]').text()).toBe('未注册')
    expect(document.body.textContent).toContain('案件 30 件')
    // Once the 工作台 has shown its figures and warnings, it tells the app (the start-up
    // benchmark's mark), once.
    await vi.waitFor(() => expect(commands.startupReport).toHaveBeenCalledTimes(1))
    const at = commands.startupReport.mock.calls[0][0] as number
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000)
    // With the steps before it, in order (the benchmark's breakdown).
    const marks = commands.startupReport.mock.calls[0][1] as Record<string, number>
    for (const step of ['auth', 'info', 'dashboard', 'counts', 'warnings']) {
      expect(marks[step], step).toBeLessThanOrEqual(at)
    }
    expect(marks.auth).toBeLessThanOrEqual(marks.info)
    expect(marks.info).toBeLessThanOrEqual(marks.dashboard)
    expect(marks.dashboard).toBeLessThanOrEqual(marks.counts)
  })

  it('lets an empty desk open 同步 from the first-run screen to enrol', async () => {
    commands.appInfo.mockResolvedValue(ok(empty))
    const { list, router } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    await w.find('[data-test="first-run-sync"]').trigger('click')
    // The view is loaded lazily.
    await vi.waitFor(async () => {
      await flushPromises()
      expect(router.currentRoute.value.path).toBe('/sync')
      expect(w.find('[data-test="sync-enrol"]').exists()).toBe(true)
    })
    expect(w.find('[data-test="first-run-demo"]').exists()).toBe(false)
    // Back to the start: the first-run choices again.
    await w.find('[data-test="sync-back-home"]').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('[data-test="first-run-demo"]').exists()).toBe(true)
    })
  })

  it('says what went wrong when the backend cannot be reached', async () => {
    commands.appInfo.mockRejectedValue(new Error('no backend'))
    const { list } = await plugins('/dashboard')
    const w = mount(App, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(document.body.dataset.ready).toBe('1')
    expect(w.text()).toContain('无法读取本机数据')
    expect(w.text()).toContain('no backend')
  })
})
