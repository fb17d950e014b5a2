// The search page's state lives in its address (/search?q=…&kinds=…): a reload, the back button
// and a link restore the same results. These turn the address into a query and back, and say
// where a hit leads.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { CaseStatus, Org, SearchHit, SearchKind, SearchQuery } from '../bindings'
import { CASE_STATUSES } from './enums'

export const SEARCH_KINDS: readonly SearchKind[] = ['case', 'petitioner', 'testimony', 'opinion', 'document']
/** Hits per page. */
export const SEARCH_PAGE_SIZE = 20
/** Longest query the store accepts (hearing-store `search::MAX_QUERY_CHARS`). */
export const MAX_QUERY_CHARS = 200

export interface SearchState {
  q: string
  kinds: SearchKind[]
  orgId: string | null
  organId: string | null
  states: CaseStatus[]
  from: string | null
  to: string | null
  /** 1-based. */
  page: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function first(v: LocationQuery[string] | undefined): string {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' ? x : ''
}

function list(v: LocationQuery[string] | undefined): string[] {
  return first(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** The state an address describes; anything unknown in it is left out. */
export function stateFromRoute(query: LocationQuery): SearchState {
  const page = Number.parseInt(first(query.page), 10)
  const date = (v: string) => (DATE.test(v) ? v : null)
  return {
    q: first(query.q).trim(),
    kinds: list(query.kinds).filter((k): k is SearchKind => (SEARCH_KINDS as readonly string[]).includes(k)),
    orgId: first(query.org) || null,
    organId: first(query.organ) || null,
    states: list(query.states).filter((s): s is CaseStatus => (CASE_STATUSES as readonly string[]).includes(s)),
    from: date(first(query.from)),
    to: date(first(query.to)),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  }
}

/** The address of a state: empty parts are left out, so plain searches have short links. */
export function routeFromState(s: SearchState): LocationQueryRaw {
  const out: LocationQueryRaw = {}
  if (s.q.trim()) out.q = s.q.trim()
  if (s.kinds.length) out.kinds = s.kinds.join(',')
  if (s.orgId) out.org = s.orgId
  if (s.organId) out.organ = s.organId
  if (s.states.length) out.states = s.states.join(',')
  if (s.from) out.from = s.from
  if (s.to) out.to = s.to
  if (s.page > 1) out.page = String(s.page)
  return out
}

/** How many filters are set (the text aside). */
export function filterCount(s: SearchState): number {
  return [s.kinds.length > 0, !!s.orgId, !!s.organId, s.states.length > 0, !!(s.from || s.to)].filter(Boolean).length
}

/** What the store is asked. */
export function toSearchQuery(s: SearchState, pageSize = SEARCH_PAGE_SIZE): SearchQuery {
  return {
    text: s.q,
    kinds: [...s.kinds],
    orgId: s.orgId,
    statuses: [...s.states],
    handlingOrganId: s.organId,
    registeredFrom: s.from,
    registeredTo: s.to,
    limit: pageSize,
    offset: (s.page - 1) * pageSize,
  }
}

/**
 * Where a click on a hit goes: a testimony entry to its hearing's record (the entry marked), an
 * opinion to its hearing, anything else to its case; nowhere while the case has not arrived.
 */
export function hitLink(hit: SearchHit): string | null {
  if (hit.kind === 'testimony' && hit.hearingId) {
    return `/hearings/${encodeURIComponent(hit.hearingId)}/record?entry=${encodeURIComponent(hit.id)}`
  }
  if (hit.kind === 'opinion' && hit.hearingId) return `/hearings/${encodeURIComponent(hit.hearingId)}`
  if (!hit.caseId || hit.caseStatus === null) return null
  return `/cases/${encodeURIComponent(hit.caseId)}`
}

export interface OrgNode {
  id: string
  name: string
  children: OrgNode[]
}

/** The org list as a tree for the org filter (parents first in the list, as the store gives it). */
export function orgTree(orgs: readonly Org[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>()
  for (const o of orgs) nodes.set(o.id, { id: o.id, name: o.name, children: [] })
  const roots: OrgNode[] = []
  for (const o of orgs) {
    const node = nodes.get(o.id)
    if (!node) continue
    const parent = o.parentId ? nodes.get(o.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
