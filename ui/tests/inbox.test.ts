import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ApprovalInboxCard from '../src/components/ApprovalInboxCard.vue'
import type { InboxItem } from '../src/bindings'
import { useSyncStore } from '../src/stores/sync'
import { err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({ approvalInbox: vi.fn() }))
vi.mock('../src/bindings', () => ({ commands }))

const item: InboxItem = {
  caseId: 'c9',
  caseNumber: 'DHQFY-2025-001',
  caseTitle: '马国强等27名农民工申请执行劳动报酬案执行不能集体信访案',
  handlingOrganName: '东河区法院',
  levelKey: 'committee',
  levelTitle: '政法委',
  readySince: '2026-12-07T13:00:00Z',
}

async function mountCard() {
  const { list, router } = await plugins('/dashboard')
  const w = mount(ApprovalInboxCard, { global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

describe('待审批 on the 工作台', () => {
  beforeEach(() => commands.approvalInbox.mockReset())
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('lists what waits for this org and opens the case', async () => {
    commands.approvalInbox.mockResolvedValue(ok({ total: 1, items: [item] }))
    const { w, router } = await mountCard()
    const card = w.find('[data-test="approval-inbox"]')
    expect(card.text()).toContain('待审批（1）')
    expect(card.text()).toContain('政法委')
    expect(card.text()).toContain('东河区法院')
    await w.find('[data-test="approval-inbox-case"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/cases/c9'), { timeout: 10000 })
  })

  it('stays out of the way when nothing waits, and says so when it cannot load', async () => {
    commands.approvalInbox.mockResolvedValue(ok({ total: 0, items: [] }))
    let { w } = await mountCard()
    expect(w.find('[data-test="approval-inbox"]').exists()).toBe(false)
    w.unmount()
    commands.approvalInbox.mockResolvedValue(err({ code: 'internal', message: '数据库不可用' } as never))
    ;({ w } = await mountCard())
    expect(w.find('[data-test="approval-inbox"]').text()).toContain('数据库不可用')
  })

  it('shows a request that sync brought, without a manual refresh', async () => {
    commands.approvalInbox.mockResolvedValue(ok({ total: 0, items: [] }))
    const { w } = await mountCard()
    expect(w.find('[data-test="approval-inbox"]').exists()).toBe(false)
    // A run brings the county's request: the backend's sync-pulled event counts it.
    commands.approvalInbox.mockResolvedValue(ok({ total: 1, items: [item] }))
    useSyncStore().pulled++
    await flushPromises()
    expect(w.find('[data-test="approval-inbox"]').text()).toContain('待审批（1）')
  })

  it('says how many wait when it lists only the oldest', async () => {
    commands.approvalInbox.mockResolvedValue(ok({ total: 80000, items: [item] }))
    const { w } = await mountCard()
    expect(w.find('[data-test="approval-inbox"]').text()).toContain('待审批（80000）')
    expect(w.find('[data-test="approval-inbox-more"]').text()).toContain('共 80000 件')
  })
})
