import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import CaseDocumentsCard from '../src/components/CaseDocumentsCard.vue'
import type { Case, Document, HearingDetail, Participant } from '../src/bindings'
import { ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  docKinds: vi.fn(),
  docList: vi.fn(),
  hearingList: vi.fn(),
  hearingGet: vi.fn(),
  docGenerate: vi.fn(),
  docGenerateEach: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

const kase = { id: 'c1', number: 'XLX-2026-001', petitioners: [{ name: '姜玉梅' }], caseOfficer: '李承办' } as unknown as Case

const person = (id: string, name: string, invitation: string): Participant =>
  ({ id, hearingId: 'h1', role: 'panelist', name, unit: '', invitation }) as unknown as Participant

const doc = (id: string, kind: string, number: string, subjectName: string): Document =>
  ({
    id,
    caseId: 'c1',
    hearingId: 'h1',
    kind,
    number,
    version: 1,
    previousId: null,
    state: 'draft',
    text: '',
    service: '{}',
    finalizedAt: null,
    createdAt: `2026-01-01T00:00:0${id.slice(-1)}Z`,
    updatedAt: '2026-01-01T00:00:00Z',
    verificationCode: null,
    scanPath: null,
    subjectId: subjectName ? `p-${subjectName}` : null,
    subjectName,
  }) as unknown as Document

/** The el-select around the element with this data-test. */
function select(w: VueWrapper, test: string) {
  const s = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-test') === test)
  expect(s, test).toBeDefined()
  return s as VueWrapper
}

describe('CaseDocumentsCard per panelist', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.docKinds.mockResolvedValue([
      { key: 'approval', label: '终结审批表', needsHearing: false, perPanelist: false },
      { key: 'invitation', label: '听证员邀请函', needsHearing: true, perPanelist: true },
    ])
    commands.docList.mockResolvedValue(
      ok([doc('d1', 'invitation', '青政法听〔2026〕2号', '李四'), doc('d2', 'invitation', '青政法听〔2026〕1号', '张三')]),
    )
    commands.hearingList.mockResolvedValue(
      ok([{ id: 'h1', caseId: 'c1', caseNumber: 'XLX-2026-001', title: '听证会', scheduledOn: '2026-12-01', startTime: '09:00', venue: '', status: 'notified', panelSize: 3 }]),
    )
    commands.hearingGet.mockResolvedValue(
      ok({
        participants: [person('p1', '张三', 'accepted'), person('p2', '李四', 'sent'), person('p3', '王五', 'declined')],
      } as unknown as HearingDetail),
    )
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('generates one per panelist, or one for the panelist chosen, and lists who each is for', async () => {
    const { list } = await plugins('/cases/c1')
    const w = mount(CaseDocumentsCard, { props: { kase }, global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    const subjects = w.findAll('[data-test^="doc-subject-"]').map((e) => e.text())
    expect(subjects).toEqual(['听证员：张三', '听证员：李四'])
    expect(w.find('[data-test="doc-generate-subject"]').exists()).toBe(false)

    select(w, 'doc-generate-kind').vm.$emit('update:modelValue', 'invitation')
    await flushPromises()
    expect(commands.hearingGet).toHaveBeenCalledWith('h1')
    const subject = select(w, 'doc-generate-subject')
    expect(subject.text()).toContain('每名听证员各一份（2 人）')

    commands.docGenerateEach.mockResolvedValue(ok([doc('d3', 'invitation', '3', '张三'), doc('d4', 'invitation', '4', '李四')]))
    await w.get('[data-test="doc-generate"]').trigger('click')
    await flushPromises()
    expect(commands.docGenerateEach).toHaveBeenCalledWith('c1', 'invitation', 'h1')
    expect(commands.docGenerate).not.toHaveBeenCalled()

    subject.vm.$emit('update:modelValue', 'p2')
    await flushPromises()
    commands.docGenerate.mockResolvedValue(ok(doc('d5', 'invitation', '5', '李四')))
    await w.get('[data-test="doc-generate"]').trigger('click')
    await flushPromises()
    expect(commands.docGenerate).toHaveBeenCalledWith('c1', 'invitation', 'h1', 'p2')
  })
})
