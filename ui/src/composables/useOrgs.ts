import { storeToRefs } from 'pinia'
import { api } from '../api'
import type { OrgInput } from '../bindings'
import { useAppStore } from '../stores/app'

/** The org list (kept in the app store so every view shares it). */
export function useOrgs() {
  const store = useAppStore()
  const { orgs } = storeToRefs(store)

  async function create(input: OrgInput) {
    const org = await api.orgCreate(input)
    await store.loadOrgs()
    return org
  }

  return { orgs, load: store.loadOrgs, create, orgName: store.orgName }
}
