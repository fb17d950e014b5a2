import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import SearchView from '../src/views/SearchView.vue'
import HeaderSearch from '../src/components/HeaderSearch.vue'
import type { SearchHit, SearchResults } from '../src/bindings'
import { hitLink, orgTree, routeFromState, stateFromRoute, toSearchQuery } from '../src/utils/search'
import { courtOrg, deskOrg, err, ok, plugins } from './helpers'

const commands = vi.hoisted(() => ({
  orgList: vi.fn(),
  searchRecords: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

function hit(over: Partial<SearchHit>): SearchHit {
  return {
    kind: 'case',
    id: 'c1',
    caseId: 'c1',
    caseNumber: 'QSS-2025-001',
    caseTitle: '张桂兰不服民间借贷纠纷二审判决信访案',
    caseStatus: 'closed',
    handlingOrganName: '东河区法院',
    registeredOn: '2025-03-01',
    hearingId: null,
    hearingTitle: null,
    hearingOn: null,
    title: [
      { text: '张桂兰不服民间', hit: false },
      { text: '借贷', hit: true },
      { text: '纠纷二审判决信访案', hit: false },
    ],
    field: 'background',
    fieldLabel: '信访经过',
    snippet: [
      { text: '…双方', hit: false },
      { text: '借贷', hit: true },
      { text: '关系成立…', hit: false },
    ],
    maskedId: null,
    speakerRole: null,
    corrected: false,
    vote: null,
    docKind: null,
    docKindLabel: null,
    docState: null,
    score: -3,
    ...over,
  }
}

function results(items: SearchHit[], over: Partial<SearchResults> = {}): SearchResults {
  return {
    items,
    total: items.length,
    offset: 0,
    limit: 20,
    terms: ['借贷'],
    totalCapped: false,
    ranking: 'relevance',
    pending: 0,
    ...over,
  }
}

describe('search addresses', () => {
  it('round-trips the state and drops what it does not know', () => {
    const s = stateFromRoute({
      q: ' 借贷 ',
      kinds: 'case,testimony,nonsense',
      states: 'closed,bogus',
      org: 'o1',
      from: '2025-01-01',
      to: 'yesterday',
      page: '3',
    })
    expect(s).toEqual({
      q: '借贷',
      kinds: ['case', 'testimony'],
      orgId: 'o1',
      organId: null,
      states: ['closed'],
      from: '2025-01-01',
      to: null,
      page: 3,
    })
    expect(routeFromState(s)).toEqual({
      q: '借贷',
      kinds: 'case,testimony',
      org: 'o1',
      states: 'closed',
      from: '2025-01-01',
      page: '3',
    })
    expect(stateFromRoute({ page: '-2' }).page).toBe(1)
    const q = toSearchQuery(s)
    expect(q.offset).toBe(40)
    expect(q.limit).toBe(20)
    expect(q.statuses).toEqual(['closed'])
    expect(q.registeredTo).toBeNull()
  })

  it('sends testimony to the marked entry of its record, opinions to the hearing, the rest to the case', () => {
    expect(hitLink(hit({}))).toBe('/cases/c1')
    expect(hitLink(hit({ kind: 'petitioner', id: 'c1#0' }))).toBe('/cases/c1')
    expect(hitLink(hit({ kind: 'testimony', id: 't 1', hearingId: 'h1' }))).toBe('/hearings/h1/record?entry=t%201')
    expect(hitLink(hit({ kind: 'opinion', id: 'o1', hearingId: 'h1' }))).toBe('/hearings/h1')
    expect(hitLink(hit({ kind: 'document', id: 'd1', hearingId: 'h1' }))).toBe('/cases/c1')
    expect(hitLink(hit({ caseStatus: null }))).toBeNull()
  })

  it('builds the org tree from the list', () => {
    const tree = orgTree([deskOrg, courtOrg])
    expect(tree).toHaveLength(1)
    expect(tree[0]?.children.map((c) => c.id)).toEqual(['org-court'])
  })
})

describe('SearchView', () => {
  beforeEach(() => {
    for (const fn of Object.values(commands)) fn.mockReset()
    commands.orgList.mockResolvedValue(ok([deskOrg, courtOrg]))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function open(path: string) {
    const { list, router } = await plugins(path)
    const w = mount(SearchView, { global: { plugins: list }, attachTo: document.body })
    await flushPromises()
    return { w, router }
  }

  it('searches what the address says and shows ranked, highlighted hits with their case', async () => {
    commands.searchRecords.mockResolvedValue(
      ok(
        results([
          hit({}),
          hit({
            kind: 'testimony',
            id: 't1',
            hearingId: 'h1',
            hearingTitle: '张桂兰信访事项公开听证会',
            hearingOn: '2025-06-01',
            title: [{ text: '张桂兰（信访人）', hit: false }],
            field: 'text',
            fieldLabel: '笔录内容',
            caseStatus: 'hearing',
          }),
        ]),
      ),
    )
    const { w, router } = await open('/search?q=借贷&states=closed,hearing&kinds=case,testimony')
    expect(commands.searchRecords).toHaveBeenCalledTimes(1)
    expect(commands.searchRecords.mock.calls[0]?.[0]).toMatchObject({
      text: '借贷',
      statuses: ['closed', 'hearing'],
      kinds: ['case', 'testimony'],
      offset: 0,
      limit: 20,
    })
    expect(w.find('[data-test="search-total"]').text()).toBe('共找到 2 条')
    const hits = w.findAll('[data-test="search-hit"]')
    expect(hits).toHaveLength(2)
    expect(hits[0]?.find('[data-test="search-hit-title"] mark').text()).toBe('借贷')
    expect(hits[0]?.find('[data-test="search-hit-status"]').text()).toBe('已终结')
    expect(hits[0]?.find('[data-test="search-hit-kind"]').text()).toBe('案件')
    expect(hits[0]?.find('[data-test="search-hit-snippet"]').text()).toContain('信访经过：')
    expect(hits[1]?.text()).toContain('张桂兰信访事项公开听证会（2025-06-01）')
    expect(hits[1]?.find('[data-test="search-hit-kind"]').text()).toBe('笔录')
    expect(w.text()).toContain('一两个字的检索')

    await hits[1]?.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/hearings/h1/record?entry=t1'), {
      timeout: 10000,
    })
  })

  it('a new search and a filter are navigations that keep the rest', async () => {
    commands.searchRecords.mockResolvedValue(ok(results([hit({})])))
    const { w, router } = await open('/search?q=借贷&states=closed')
    await w.find('input[data-test="search-input"]').setValue('民间借贷')
    await w.find('[data-test="search-submit"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '民间借贷', states: 'closed' })
    await w.find('[data-test="search-clear-filters"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '民间借贷' })
  })

  it('says when nothing is found, and when the query was refused', async () => {
    commands.searchRecords.mockResolvedValue(ok(results([])))
    let { w } = await open('/search?q=不存在的词')
    expect(w.find('[data-test="search-empty"]').text()).toContain('没有找到包含“不存在的词”的记录')
    w.unmount()
    commands.searchRecords.mockResolvedValue(
      err({ code: 'validation', message: '检索词太长（201 个字），最多 200 个字', fields: [], unmet: [] }),
    )
    ;({ w } = await open('/search?q=长'))
    expect(w.find('[data-test="search-error"]').text()).toContain('检索词太长')
  })

  it('warns that results may be incomplete while received records are still being indexed', async () => {
    commands.searchRecords.mockResolvedValue(ok(results([hit({})], { pending: 5000 })))
    let { w } = await open('/search?q=借贷')
    expect(w.get('[data-test="search-pending"]').text()).toContain('5000 条记录正在后台建立检索索引')
    w.unmount()
    commands.searchRecords.mockResolvedValue(ok(results([hit({})])))
    ;({ w } = await open('/search?q=借贷'))
    expect(w.find('[data-test="search-pending"]').exists()).toBe(false)
  })

  it('starts with an explanation and no search', async () => {
    const { w } = await open('/search')
    expect(commands.searchRecords).not.toHaveBeenCalled()
    expect(w.find('[data-test="search-start"]').text()).toContain('输入检索词开始检索')
  })

  it('pages, and says when there were too many matches to rank or to count', async () => {
    commands.searchRecords.mockResolvedValue(
      ok(results([hit({})], { total: 10000, totalCapped: true, ranking: 'recency', terms: ['信访案'] })),
    )
    const { w, router } = await open('/search?q=信访案&page=2')
    expect(commands.searchRecords.mock.calls[0]?.[0]).toMatchObject({ offset: 20 })
    expect(w.find('[data-test="search-recency"]').text()).toContain('由新到旧')
    expect(w.find('[data-test="search-recency"]').text()).toContain('只列出前 10000 条')
    expect(w.find('[data-test="search-total"]').text()).toBe('找到 10000 多条')
    const next = w.find('[data-test="search-pager"] .btn-next')
    await next.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toMatchObject({ q: '信访案', page: '3' })
  })
})

describe('HeaderSearch', () => {
  it('opens the search page with what was typed', async () => {
    const { list, router } = await plugins('/cases')
    const w = mount(HeaderSearch, { global: { plugins: list }, attachTo: document.body })
    const input = w.find('input[data-test="header-search"]')
    await input.setValue('  签名是我本人 ')
    await input.trigger('keyup', { key: 'Enter' })
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe(`/search?q=${encodeURIComponent('签名是我本人')}`)
    w.unmount()
    document.body.innerHTML = ''
  })
})
