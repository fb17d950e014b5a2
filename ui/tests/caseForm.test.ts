import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import CaseFormView from '../src/views/CaseFormView.vue'
import { useAppStore } from '../src/stores/app'
import type { CaseInput } from '../src/bindings'
import { courtOrg, deskOrg, err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  orgList: vi.fn(),
  caseCreate: vi.fn(),
  caseUpdate: vi.fn(),
  caseGet: vi.fn(),
  caseGetForEdit: vi.fn(),
  checkField: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

/**
 * Lets promises and Vue updates finish. el-form-item shows its error state through a 100 ms
 * debounce (`refDebounced(validateState, 100)`), so wait past it.
 */
async function settle() {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 150))
  await flushPromises()
}

/** The el-form-item around the element with this data-test, and its error text. */
function itemError(w: VueWrapper, test: string): string {
  const el = w.find(`[data-test="${test}"]`)
  expect(el.exists(), `[data-test=${test}] exists`).toBe(true)
  const item = el.element.closest('.el-form-item')
  expect(item, `${test} is inside an el-form-item`).not.toBeNull()
  return item?.querySelector('.el-form-item__error')?.textContent?.trim() ?? ''
}

async function mountForm() {
  const { list, router } = await plugins('/cases/new')
  useAppStore().info = {
    version: '0.1.0',
    dataDir: '/tmp/hd',
    dbPath: '/tmp/hd/desk.db',
    schemaVersion: 1,
    deskOrg,
    isEmpty: false,
    openError: null,
  }
  const w = mount(CaseFormView, { global: { plugins: list }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

describe('CaseFormView', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.orgList.mockResolvedValue(ok([deskOrg, courtOrg]))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('puts the data-test hooks where the GUI test expects them', async () => {
    const { w } = await mountForm()
    for (const hook of ['case-title', 'petitioner-name-0', 'petitioner-id-0', 'petitioner-phone-0']) {
      expect(w.find(`[data-test="${hook}"] input`).exists(), hook).toBe(true)
    }
    expect(w.find('[data-test="case-demands"] textarea').exists()).toBe(true)
    expect(w.find('[data-test="case-category"]').classes()).toContain('el-select')
    expect(w.find('[data-test="case-organ"]').classes()).toContain('el-select')
    expect(w.find('button[data-test="case-save"]').exists()).toBe(true)
  })

  it('defaults the handling organ to the desk org and leaves the category empty', async () => {
    commands.caseCreate.mockResolvedValue(err({ code: 'validation', message: 'x', fields: [], unmet: [] }))
    const { w } = await mountForm()
    await w.find('[data-test="case-save"]').trigger('click')
    await settle()
    const sent = commands.caseCreate.mock.calls[0]?.[0] as CaseInput
    expect(sent.handlingOrganId).toBe('org-desk')
    expect(sent.category).toBeNull()
    expect(sent.petitioners).toHaveLength(1)
  })

  it('shows a backend field error under the right petitioner field', async () => {
    commands.caseCreate.mockResolvedValue(
      err({
        code: 'validation',
        message: '身份证号校验位不对（另有 1 处需要修改）',
        fields: [
          { field: 'petitioners.1.idNumber', code: 'id_number.check_digit', message: '身份证号“340524198001010013”校验位不对' },
          { field: 'category', code: 'required', message: '请选择案件类别' },
        ],
        unmet: [],
      }),
    )
    const { w } = await mountForm()
    await w.find('[data-test="petitioner-add"]').trigger('click')
    await w.find('[data-test="petitioner-name-0"] input').setValue('张某')
    await w.find('[data-test="petitioner-name-1"] input').setValue('李某')
    await w.find('[data-test="petitioner-id-1"] input').setValue('340524198001010013')
    await w.find('[data-test="case-title"] input').setValue('张某不服判决信访案')
    await w.find('[data-test="case-save"]').trigger('click')
    await settle()

    const sent = commands.caseCreate.mock.calls[0]?.[0] as CaseInput
    expect(sent.petitioners.map((p) => p.name)).toEqual(['张某', '李某'])
    expect(sent.title).toBe('张某不服判决信访案')

    expect(itemError(w, 'petitioner-id-1')).toContain('校验位不对')
    expect(itemError(w, 'petitioner-id-0')).toBe('')
    expect(itemError(w, 'petitioner-name-1')).toBe('')
    expect(itemError(w, 'case-category')).toBe('请选择案件类别')
    expect(itemError(w, 'case-title')).toBe('')
    // The summary message is shown too.
    expect(document.body.textContent).toContain('另有 1 处需要修改')
  })

  it('moves errors up when an earlier petitioner is removed', async () => {
    commands.caseCreate.mockResolvedValue(
      err({
        code: 'validation',
        message: 'x',
        fields: [{ field: 'petitioners.1.phone', code: 'phone.format', message: '电话号码格式不对' }],
        unmet: [],
      }),
    )
    const { w } = await mountForm()
    await w.find('[data-test="petitioner-add"]').trigger('click')
    await w.find('[data-test="case-save"]').trigger('click')
    await settle()
    expect(itemError(w, 'petitioner-phone-1')).toBe('电话号码格式不对')
    await w.find('[data-test="petitioner-remove-0"]').trigger('click')
    await settle()
    expect(itemError(w, 'petitioner-phone-0')).toBe('电话号码格式不对')
  })

  it('checks an ID number on blur and shows the message', async () => {
    commands.checkField.mockResolvedValue(
      ok({ ok: false, normalised: '', message: '身份证号应为 18 位', warning: false }),
    )
    const { w } = await mountForm()
    const input = w.find('[data-test="petitioner-id-0"] input')
    await input.setValue('12345')
    await input.trigger('blur')
    await settle()
    expect(commands.checkField).toHaveBeenCalledWith('idNumber', '12345')
    expect(itemError(w, 'petitioner-id-0')).toBe('身份证号应为 18 位')
  })

  it('normalises a valid phone on blur', async () => {
    commands.checkField.mockResolvedValue(
      ok({ ok: true, normalised: '13812345678', message: null, warning: false }),
    )
    const { w } = await mountForm()
    const input = w.find('[data-test="petitioner-phone-0"] input')
    await input.setValue('138 1234 5678')
    await input.trigger('blur')
    await settle()
    expect((input.element as HTMLInputElement).value).toBe('13812345678')
    expect(itemError(w, 'petitioner-phone-0')).toBe('')
  })

  it('goes to the detail after a successful save', async () => {
    commands.caseCreate.mockResolvedValue(ok({ id: 'case-9' }))
    const { w, router } = await mountForm()
    await w.find('[data-test="case-save"]').trigger('click')
    await settle()
    // The detail view is loaded lazily (with its workflow cards): give the first import time.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/cases/case-9'), { timeout: 10000 })
  })
})
