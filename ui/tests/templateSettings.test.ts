import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import TemplateSettingsCard from '../src/components/TemplateSettingsCard.vue'
import type { TemplateInfo } from '../src/bindings'
import { err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  docKinds: vi.fn(),
  templateGet: vi.fn(),
  templateSave: vi.fn(),
  templateReset: vi.fn(),
  templatePreview: vi.fn(),
  caseList: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

const BUILTIN = '@title {organ}|听证通知书\n@p 你反映的{matter}一事。\n'

function template(text: string, isOverride: boolean): TemplateInfo {
  return {
    source: { kind: 'notice', label: '听证通知书', text, isOverride },
    fields: [
      { name: 'recipient', label: '主送', shape: 'text', group: 'hearing' },
      { name: 'organ', label: '发文机关（本机单位）', shape: 'text', group: 'case' },
      { name: 'matter', label: '信访事项（案件名称）', shape: 'text', group: 'case' },
      { name: 'history', label: '信访经过（每项一段）', shape: 'list', group: 'case' },
    ],
  }
}

async function mountCard() {
  const { list } = await plugins('/settings')
  const w = mount(TemplateSettingsCard, { global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  return w
}

const textarea = (w: ReturnType<typeof mount>) => w.get('[data-test="template-text"] textarea')

describe('TemplateSettingsCard', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.docKinds.mockResolvedValue([
      { key: 'notice', label: '听证通知书', needsHearing: true, perPanelist: false },
      { key: 'receipt', label: '送达回证', needsHearing: false, perPanelist: false },
    ])
    commands.templateGet.mockResolvedValue(ok(template(BUILTIN, false)))
    commands.caseList.mockResolvedValue(ok({ items: [], total: 0, page: 1, pageSize: 20 }))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the template in use, its badge and the fields with the ones used marked', async () => {
    const w = await mountCard()
    expect(commands.templateGet).toHaveBeenCalledWith('notice')
    expect(w.get('[data-test="template-badge"]').text()).toBe('内置')
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe(BUILTIN)
    const fields = w.findAll('[data-test="template-field"]').map((f) => f.text())
    expect(fields).toHaveLength(4)
    expect(fields[1]).toContain('{organ}')
    expect(fields[1]).toContain('已使用')
    expect(fields[0]).not.toContain('已使用')
    expect(fields[3]).toContain('列表')
    expect(w.get('[data-test="template-save"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-test="template-reset"]').attributes('disabled')).toBeDefined()
  })

  it('warns about unknown fields while typing and shows the refusal when saving', async () => {
    const w = await mountCard()
    await textarea(w).setValue(`${BUILTIN}@p 请携带{bring_list}。\n`)
    expect(w.get('[data-test="template-unknown"]').text()).toContain('{bring_list}')
    commands.templateSave.mockResolvedValue(
      err({
        code: 'validation',
        message: '听证通知书模板有误，未保存：第 3 行的 {bring_list} 不是听证通知书可用的字段',
        fields: [
          {
            field: 'text',
            code: 'template.invalid',
            message: '听证通知书模板有误，未保存：第 3 行的 {bring_list} 不是听证通知书可用的字段',
          },
        ],
        unmet: [],
      }),
    )
    await w.get('[data-test="template-save"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-test="refusal"]').text()).toContain('未保存')
    expect(w.get('[data-test="template-badge"]').text()).toBe('内置')
    expect(w.find('[data-test="template-dirty"]').exists()).toBe(true)
  })

  it('saves, then restores the built-in', async () => {
    const w = await mountCard()
    const custom = `${BUILTIN}@p 请准时参加。\n`
    await textarea(w).setValue(custom)
    commands.templateSave.mockResolvedValue(ok(template(custom, true)))
    await w.get('[data-test="template-save"]').trigger('click')
    await flushPromises()
    expect(commands.templateSave).toHaveBeenCalledWith('notice', custom)
    expect(w.get('[data-test="template-badge"]').text()).toBe('已自定义')
    expect(w.find('[data-test="template-dirty"]').exists()).toBe(false)
    expect(w.get('[data-test="template-reset"]').attributes('disabled')).toBeUndefined()
  })

  it('inserts a field at the cursor', async () => {
    const w = await mountCard()
    const ta = textarea(w).element as HTMLTextAreaElement
    ta.setSelectionRange(BUILTIN.indexOf('一事'), BUILTIN.indexOf('一事'))
    const recipient = w.findAll('[data-test="template-field"]')[0]
    await recipient?.get('button').trigger('click')
    expect(ta.value).toContain('{matter}{recipient}一事')
  })
})
