import { describe, expect, it } from 'vitest'
import { createApp, nextTick } from 'vue'
import * as ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { elementPlus } from '../src/plugins/element'

// Every template's source, to find the Element Plus tags it uses.
const sources = import.meta.glob('../src/**/*.vue', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

function pascal(tag: string): string {
  return tag.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())
}

describe('Element Plus on demand', () => {
  it('every <el-…> tag of a template names an Element Plus component', () => {
    // The build imports each tag's component by its name; a tag naming none would be left an
    // unknown element, silently.
    const used = new Map<string, string>()
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/<(el-[a-z-]+)/g)) used.set(pascal(m[1]), file)
    }
    // The scan found the templates (a broken glob would make this test pass on nothing).
    expect(Object.keys(sources).length).toBeGreaterThan(30)
    expect(used.size).toBeGreaterThan(30)
    const exports = ElementPlus as Record<string, unknown>
    const unknown = [...used].filter(([name]) => !exports[name]).map(([n, f]) => `${n} (${f})`)
    expect(unknown).toEqual([])
  })

  it('installs v-loading and gives message boxes the app locale', async () => {
    const app = createApp({ template: '<div />' })
    app.use(elementPlus, { locale: zhCn })
    expect(app.directive('loading')).toBeTruthy()
    app.mount(document.createElement('div'))
    // Not awaited: the box settles only when its leave transition ends, which jsdom never runs.
    void ElementPlus.ElMessageBox.confirm('删除这条记录？', '确认', {
      appendTo: document.body,
    }).catch(() => 'closed')
    await nextTick()
    await nextTick()
    const buttons = [...document.querySelectorAll('.el-message-box button')].map((b) =>
      b.textContent?.trim(),
    )
    expect(buttons).toContain('确定')
    expect(buttons).toContain('取消')
    ElementPlus.ElMessageBox.close()
    app.unmount()
  })
})
