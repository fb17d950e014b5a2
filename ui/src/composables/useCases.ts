import { api } from '../api'
import type { CaseListQuery, CaseSummary, Page } from '../bindings'

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

export function useCases() {
  return {
    list: api.caseList,
    /** Petitioners' numbers masked: the detail page. */
    get: api.caseGet,
    /** In full: the edit form. */
    getForEdit: api.caseGetForEdit,
    create: api.caseCreate,
    update: api.caseUpdate,
    setAnalysis: api.caseSetAnalysis,
    counts: api.caseCounts,
    countCases,
  }
}
