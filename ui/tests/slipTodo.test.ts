import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import SlipTodoCard from '../src/components/SlipTodoCard.vue'
import type { SupervisionSlip } from '../src/bindings'
import { ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({ slipTodo: vi.fn() }))
vi.mock('../src/bindings', () => ({ commands }))

const slip = (over: Partial<SupervisionSlip>): SupervisionSlip =>
  ({
    id: 's1',
    caseId: 'c1',
    caseNumber: 'DHQFY-2025-001',
    caseTitle: '案件',
    kind: 'assign',
    number: '青政法交办〔2026〕1号',
    fromOrgId: 'dhq',
    fromUnit: '东河区委政法委',
    toOrgId: 'dhqfy',
    toUnit: '东河区法院',
    content: '办理',
    deadline: '2026-12-20',
    issuedOn: '2026-12-08',
    issuedBy: '赵书记',
    proxy: false,
    status: 'open',
    stage: 'awaitingFeedback',
    round: 0,
    returnReason: '',
    doneOn: null,
    reviewedBy: '',
    reply: '',
    overdue: false,
    feedback: [],
    answer: 'elsewhere',
    review: 'own',
    ...over,
  }) as SupervisionSlip

describe('三单待办 on the 工作台', () => {
  beforeEach(() => commands.slipTodo.mockReset())
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('says for each slip whose move it is, and opens the case', async () => {
    commands.slipTodo.mockResolvedValue(
      ok([
        slip({ id: 'a', answer: 'own', review: 'elsewhere' }),
        slip({ id: 'b', stage: 'awaitingReview' }),
        slip({ id: 'c', overdue: true }),
      ]),
    )
    const { list, router } = await plugins('/dashboard')
    const w = mount(SlipTodoCard, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(w.find('[data-test="slip-todo"]').text()).toContain('三单待办（3）')
    expect(w.findAll('[data-test="slip-todo-what"]').map((x) => x.text())).toEqual(['待反馈', '待审核', '待承办单位反馈'])
    await w.find('[data-test="slip-todo-case"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/cases/c1'), { timeout: 10000 })
  })

  it('stays out of the way when nothing waits', async () => {
    commands.slipTodo.mockResolvedValue(ok([]))
    const { list } = await plugins('/dashboard')
    const w = mount(SlipTodoCard, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    expect(w.find('[data-test="slip-todo"]').exists()).toBe(false)
  })
})
