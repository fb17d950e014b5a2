import { api } from '../api'
import type { CaseListQuery, CaseStatus, CaseSummary, Page } from '../bindings'
import { CASE_STATUSES } from '../utils/enums'
import { MAX_PAGE_SIZE } from './paging'

/** A case list query with everything unset. */
export function emptyCaseQuery(page = 1, pageSize = 20): CaseListQuery {
  return {
    search: null,
    status: null,
    category: null,
    handlingOrganId: null,
    activeOnly: null,
    sort: null,
    dir: null,
    page,
    pageSize,
  }
}

/** How many cases match `filter` (asks for one row and reads the total). */
export async function countCases(filter: Partial<CaseListQuery>): Promise<number> {
  const page: Page<CaseSummary> = await api.caseList({ ...emptyCaseQuery(1, 1), ...filter })
  return page.total
}

/** Case counts per status, largest first, without the zeros. */
export async function countByStatus(): Promise<{ status: CaseStatus; count: number }[]> {
  const counts = await Promise.all(
    CASE_STATUSES.map(async (status) => ({ status, count: await countCases({ status }) })),
  )
  return counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count)
}

/**
 * Active cases whose 四明五清 is not complete. The list has no filter for this, so it reads the
 * active cases page by page (they are few on one desk) and counts.
 */
export async function countAnalysisIncomplete(): Promise<number> {
  let page = 1
  let incomplete = 0
  for (;;) {
    const res = await api.caseList({
      ...emptyCaseQuery(page, MAX_PAGE_SIZE),
      activeOnly: true,
    })
    incomplete += res.items.filter((c) => c.analysisCompleteness < 100).length
    if (res.items.length === 0 || page * res.pageSize >= res.total) break
    page += 1
  }
  return incomplete
}

export function useCases() {
  return {
    list: api.caseList,
    get: api.caseGet,
    create: api.caseCreate,
    update: api.caseUpdate,
    setAnalysis: api.caseSetAnalysis,
    countCases,
    countByStatus,
    countAnalysisIncomplete,
  }
}
