import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import SyncView from '../src/views/SyncView.vue'
import type { SyncConflict, SyncRun, SyncState, UnreportedDocument } from '../src/bindings'
import { conflictValue, excerpt, markLines, nextRunIn, syncBadge } from '../src/utils/sync'
import { err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  appInfo: vi.fn(),
  syncStatus: vi.fn(),
  syncEnroll: vi.fn(),
  syncNow: vi.fn(),
  syncHistory: vi.fn(),
  syncConflicts: vi.fn(),
  syncSettleConflict: vi.fn(),
  syncUnreportedDocuments: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

const unenrolled: SyncState = {
  status: {
    server: null,
    enrolled: false,
    deviceId: '0193-local',
    cursor: '0',
    waiting: 0,
    conflicts: 0,
    lastSync: null,
    lastError: null,
    lastErrorCode: null,
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
  suggestedDeviceName: 'desk-01',
}

const online: SyncState = {
  ...unenrolled,
  status: {
    ...unenrolled.status,
    server: 'http://127.0.0.1:8443',
    enrolled: true,
    deviceId: 'dev-7',
    waiting: 3,
    conflicts: 1,
    lastSync: '2026-11-27T08:00:00.000Z',
    lastAttempt: '2026-11-27T08:00:00.000Z',
    deviceName: '东河区法院听证室',
  },
  connection: 'online',
  nextAttemptSecs: 42,
  orgName: '青山市委政法委',
}

const run: SyncRun = {
  id: 1,
  started: '2026-11-27T07:59:59.000Z',
  finished: '2026-11-27T08:00:00.000Z',
  pushed: 120,
  pulled: 4,
  conflicts: 0,
  error: null,
}

const conflict: SyncConflict = {
  id: 7,
  changeId: 'dev-b-000000000012',
  table: 'documents',
  pk: 'doc-1',
  column: 'text',
  theirs: JSON.stringify('@p B 在定稿后补充的一句。'),
  ours: JSON.stringify('@p 定稿的正文。'),
  reason: '文书已定稿，定稿后的修改未应用',
  at: '2026-11-27T08:00:00.000Z',
  settledAt: null,
  settledBy: null,
  subject: '终结审批表（青法〔2026〕3号），王某不服判决信访案',
}

const doc: UnreportedDocument = {
  id: 'doc-2',
  caseId: 'case-1',
  caseNumber: 'QSS-2026-001',
  caseTitle: '王某不服判决信访案',
  kind: 'decision',
  kindLabel: '终结决定书',
  number: '青法〔2026〕4号',
  subjectName: '',
  state: 'final',
  stateLabel: '定稿',
  updatedAt: '2026-11-27T08:00:00.000Z',
}

async function mountView() {
  const { list } = await plugins('/sync')
  const w = mount(SyncView, { global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  return w
}

describe('sync helpers', () => {
  it('puts what needs attention first in the header tag', () => {
    expect(syncBadge(null)).toBeNull()
    expect(syncBadge(unenrolled)?.key).toBe('unenrolled')
    expect(syncBadge({ ...online, running: true })?.key).toBe('running')
    expect(syncBadge({ ...online, connection: 'offline' })).toEqual({ key: 'offlineWaiting', type: 'warning', n: 3 })
    expect(syncBadge({ ...online, connection: 'offline', status: { ...online.status, waiting: 0 } })?.key).toBe(
      'offline',
    )
    expect(syncBadge({ ...online, connection: 'failed' })?.type).toBe('danger')
    expect(syncBadge(online)).toEqual({ key: 'conflicts', type: 'danger', n: 1 })
    const noConflicts = { ...online, status: { ...online.status, conflicts: 0 } }
    expect(syncBadge(noConflicts)).toEqual({ key: 'waiting', type: 'warning', n: 3 })
    const clean = { ...noConflicts, status: { ...noConflicts.status, waiting: 0 } }
    expect(syncBadge(clean)?.key).toBe('synced')
    expect(syncBadge({ ...clean, connection: 'never' })?.key).toBe('never')
  })

  it('reads a conflict value as text, empty or a file', () => {
    expect(conflictValue('"正文"')).toEqual({ kind: 'text', text: '正文' })
    expect(conflictValue('3')).toEqual({ kind: 'text', text: '3' })
    expect(conflictValue('null')).toEqual({ kind: 'empty' })
    expect(conflictValue('{"$blob":"ab12"}')).toEqual({ kind: 'file', hash: 'ab12' })
    expect(conflictValue('not json')).toEqual({ kind: 'text', text: 'not json' })
    expect(conflictValue('{"title":"x"}')).toEqual({ kind: 'text', text: '{"title":"x"}' })
  })

  it('shows where two texts differ: the lines one side lacks, and a short excerpt', () => {
    const ours = '@title 决定书\n@p 第一段。\n@p 第二段。'
    const theirs = '@title 决定书\n@p 第一段。\n@p 补充的一句。\n@p 第二段。'
    expect(markLines(theirs, ours).map((l) => l.changed)).toEqual([false, false, true, false])
    expect(markLines(ours, theirs).every((l) => !l.changed)).toBe(true)
    expect(excerpt(theirs, ours)).toBe('…@p 补充的一句。')
    expect(excerpt(ours, theirs)).toBe('@title 决定书')
    expect(excerpt('单行', '另一行')).toBe('单行')
  })

  it('says the next run in seconds, then minutes', () => {
    expect(nextRunIn(42)).toEqual({ unit: 'sec', n: 42 })
    expect(nextRunIn(600)).toEqual({ unit: 'min', n: 10 })
  })
})

describe('SyncView', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.syncHistory.mockResolvedValue(ok([run]))
    commands.syncConflicts.mockResolvedValue(ok([conflict]))
    commands.syncUnreportedDocuments.mockResolvedValue(ok([doc]))
    commands.appInfo.mockResolvedValue(
      ok({
        version: '0.1.0',
        dataDir: '/tmp/hd',
        dbPath: '/tmp/hd/desk.db',
        schemaVersion: 5,
        deskOrg: null,
        isEmpty: false,
        openError: null,
      }),
    )
  })
  afterEach(() => {
    document.body.innerHTML = ''
    vi.useRealTimers()
  })

  it('offers the enrolment form with a suggested desk name, and shows field problems under the fields', async () => {
    commands.syncStatus.mockResolvedValue(ok(unenrolled))
    const w = await mountView()
    expect(w.find('[data-test="sync-status"]').exists()).toBe(false)
    expect((w.get('input[data-test="sync-device-name"]').element as HTMLInputElement).value).toBe('desk-01')
    commands.syncEnroll.mockResolvedValue(
      err({
        code: 'validation',
        message: '注册信息不完整，请按提示修改',
        fields: [{ field: 'server', code: 'invalid', message: '服务器地址应以 http:// 或 https:// 开头' }],
        unmet: [],
      }),
    )
    await w.get('input[data-test="sync-server"]').setValue('sync.example.cn')
    await w.get('input[data-test="sync-code"]').setValue('K7QM')
    await w.get('form').trigger('submit')
    // The message shows after the form item's transition.
    await flushPromises()
    await new Promise((r) => setTimeout(r, 150))
    await flushPromises()
    expect(commands.syncEnroll).toHaveBeenCalledWith('sync.example.cn', 'K7QM', 'desk-01')
    const item = w.get('input[data-test="sync-server"]').element.closest('.el-form-item')
    expect(item?.querySelector('.el-form-item__error')?.textContent).toContain('服务器地址应以 http:// 或 https:// 开头')
    expect(w.find('[data-test="sync-enrol-error"]').exists()).toBe(false)
  })

  it('shows the server refusal of a code, then enrols and shows the status', async () => {
    commands.syncStatus.mockResolvedValue(ok(unenrolled))
    const w = await mountView()
    commands.syncEnroll.mockResolvedValueOnce(
      err({ code: 'server_refused', message: '注册码无效、已使用或已过期（invalid_code，HTTP 400）', fields: [], unmet: [] }),
    )
    await w.get('input[data-test="sync-server"]').setValue('http://127.0.0.1:8443')
    await w.get('input[data-test="sync-code"]').setValue('WRONG')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-test="sync-enrol-error"]').text()).toContain('注册码无效')
    expect(w.get('[data-test="sync-enrol-error"]').text()).not.toContain('网络')

    commands.syncEnroll.mockResolvedValueOnce(ok(online))
    commands.syncStatus.mockResolvedValue(ok(online))
    await w.get('input[data-test="sync-code"]').setValue('K7QM-2XPD-9WTA')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(commands.appInfo).toHaveBeenCalled()
    expect(w.find('[data-test="sync-enrol"]').exists()).toBe(false)
    expect(w.get('[data-test="sync-connection"]').text()).toBe('在线')
    expect(w.get('[data-test="sync-waiting"]').text()).toBe('3 条')
    expect(w.get('[data-test="sync-conflict-count"]').text()).toBe('1 条')
    expect(w.get('[data-test="sync-status"]').text()).toContain('东河区法院听证室')
    expect(w.get('[data-test="sync-status"]').text()).toContain('约 42 秒后')
  })

  it('suggests checking the network when the server cannot be reached', async () => {
    commands.syncStatus.mockResolvedValue(ok(unenrolled))
    const w = await mountView()
    commands.syncEnroll.mockResolvedValue(
      err({ code: 'offline', message: '无法连接同步服务器 http://10.0.0.1：Connection refused', fields: [], unmet: [] }),
    )
    await w.get('input[data-test="sync-server"]').setValue('http://10.0.0.1')
    await w.get('input[data-test="sync-code"]').setValue('K7QM')
    await w.get('form').trigger('submit')
    await flushPromises()
    const alert = w.get('[data-test="sync-enrol-error"]').text()
    expect(alert).toContain('无法连接同步服务器')
    expect(alert).toContain('请检查网络连接')
  })

  it('tells a desk restored from an enrolled backup to enrol again, with its server filled in', async () => {
    const restored = {
      ...unenrolled,
      status: { ...unenrolled.status, server: 'http://127.0.0.1:8443', restoredUnenrolled: '2026-11-27T09:00:00.000Z' },
    }
    commands.syncStatus.mockResolvedValue(ok(restored))
    const w = await mountView()
    expect(w.get('[data-test="sync-restored"]').text()).toContain('新的注册码')
    expect((w.get('input[data-test="sync-server"]').element as HTMLInputElement).value).toBe('http://127.0.0.1:8443')
  })

  it('shows no restore notice on an ordinary unenrolled desk', async () => {
    commands.syncStatus.mockResolvedValue(ok(unenrolled))
    const w = await mountView()
    expect(w.find('[data-test="sync-restored"]').exists()).toBe(false)
  })

  it('says while received records are being indexed for search, and not once they are', async () => {
    commands.syncStatus.mockResolvedValue(ok({ ...online, status: { ...online.status, searchPending: 120345 } }))
    let w = await mountView()
    expect(w.get('[data-test="sync-indexing"]').text()).toContain('还有 120345 条接收到的记录')
    w.unmount()
    commands.syncStatus.mockResolvedValue(ok(online))
    w = await mountView()
    expect(w.find('[data-test="sync-indexing"]').exists()).toBe(false)
    w.unmount()
  })

  it('says so on an unenrolled desk still indexing (restored from a backup taken meanwhile)', async () => {
    const restored = {
      ...unenrolled,
      status: { ...unenrolled.status, restoredUnenrolled: '2026-11-27T09:00:00.000Z', searchPending: 5000 },
    }
    commands.syncStatus.mockResolvedValue(ok(restored))
    const w = await mountView()
    expect(w.find('[data-test="sync-enrol"]').exists()).toBe(true)
    expect(w.get('[data-test="sync-indexing"]').text()).toContain('还有 5000 条接收到的记录')
    w.unmount()
  })

  it('lists documents not reported, conflicts in words, and the history; settles a conflict', async () => {
    commands.syncStatus.mockResolvedValue(ok(online))
    const w = await mountView()
    const unreported = w.get('[data-test="sync-unreported"]').text()
    expect(unreported).toContain('终结决定书')
    expect(unreported).toContain('青法〔2026〕4号')
    expect(unreported).toContain('QSS-2026-001 王某不服判决信访案')
    const conflicts = w.get('[data-test="sync-conflicts"]').text()
    expect(conflicts).toContain('文书')
    expect(conflicts).toContain('终结审批表（青法〔2026〕3号）')
    expect(conflicts).toContain('正文')
    expect(conflicts).toContain('@p B 在定稿后补充的一句。')
    expect(conflicts).not.toContain('"@p')
    await w.get('[data-test="sync-compare"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-test="sync-compare-dialog"]')
    expect(dialog?.textContent).toContain('@p B 在定稿后补充的一句。')
    expect(dialog?.textContent).toContain('@p 定稿的正文。')
    expect(dialog?.querySelectorAll('.compare-text .theirs').length).toBe(1)
    ;(document.querySelector('.el-dialog__headerbtn') as HTMLButtonElement).click()
    await flushPromises()
    const history = w.get('[data-test="sync-history"]').text()
    expect(history).toContain('120')
    expect(history).toContain('成功')

    commands.syncSettleConflict.mockResolvedValue(
      ok({ ...conflict, settledAt: '2026-11-27T09:00:00.000Z', settledBy: '张书记员' }),
    )
    commands.syncStatus.mockResolvedValue(ok({ ...online, status: { ...online.status, conflicts: 0 } }))
    commands.syncConflicts.mockResolvedValue(
      ok([{ ...conflict, settledAt: '2026-11-27T09:00:00.000Z', settledBy: '张书记员' }]),
    )
    await w.get('[data-test="sync-settle"]').trigger('click')
    await flushPromises()
    // The confirmation pops up in the body (after its transition).
    const confirm = await vi.waitFor(() => {
      const b = [...document.querySelectorAll<HTMLButtonElement>('.el-popconfirm button')].find((x) =>
        (x.textContent ?? '').includes('确定'),
      )
      if (!b) throw new Error('no confirmation yet')
      return b
    })
    confirm.click()
    await flushPromises()
    expect(commands.syncSettleConflict).toHaveBeenCalledWith(7)
    expect(w.get('[data-test="sync-conflict-count"]').text()).toBe('0 条')
    // Settled conflicts are hidden unless asked for.
    expect(w.get('[data-test="sync-conflicts"]').text()).toContain('没有冲突')
    await w.get('[data-test="sync-conflicts"] input[type="checkbox"]').setValue(true)
    expect(w.get('[data-test="sync-conflicts"]').text()).toContain('张书记员 已处理')
  })

  it('syncs now, reports what moved and refreshes; a failed run says why', async () => {
    commands.syncStatus.mockResolvedValue(ok(online))
    const w = await mountView()
    commands.syncNow.mockResolvedValue(ok({ pushed: 3, duplicates: 0, pulled: 2, conflicts: 0 }))
    commands.syncStatus.mockResolvedValue(ok({ ...online, status: { ...online.status, waiting: 0 } }))
    await w.get('[data-test="sync-now"]').trigger('click')
    await flushPromises()
    expect(commands.syncNow).toHaveBeenCalledTimes(1)
    expect(document.body.textContent).toContain('同步完成：上报 3 条，接收 2 条')
    expect(w.get('[data-test="sync-waiting"]').text()).toBe('0 条')
    // The lists follow the run.
    expect(commands.syncHistory.mock.calls.length).toBeGreaterThan(1)

    commands.syncNow.mockResolvedValue(
      err({ code: 'offline', message: '无法连接同步服务器 http://127.0.0.1:8443：refused', fields: [], unmet: [] }),
    )
    const offline: SyncState = {
      ...online,
      connection: 'offline',
      failures: 1,
      nextAttemptSecs: 30,
      status: { ...online.status, lastError: '无法连接同步服务器 http://127.0.0.1:8443：refused' },
    }
    commands.syncStatus.mockResolvedValue(ok(offline))
    await w.get('[data-test="sync-now"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('同步未完成：无法连接同步服务器')
    expect(w.get('[data-test="sync-connection"]').text()).toBe('离线')
    expect(w.get('[data-test="sync-last-error"]').text()).toContain('请检查网络连接')
    expect(w.get('[data-test="sync-status"]').text()).toContain('已连续 1 次未成功')
  })
})
