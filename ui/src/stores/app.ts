import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, LOCKED, toApiError, type ApiError } from '../api'
import type { AppInfo, Org } from '../bindings'
import { useAuthStore } from './auth'
import { markStartup } from '../utils/startup'

/** What the whole app needs to know: the desk, its data location, and the org list. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)
  const loadError = ref<ApiError | null>(null)
  const orgs = ref<Org[]>([])

  const deskOrg = computed(() => info.value?.deskOrg ?? null)
  const isEmpty = computed(() => info.value?.isEmpty ?? false)

  let inFlight: Promise<void> | null = null

  /** Reads the desk's info; a call while a read is under way shares that read. */
  function load(): Promise<void> {
    inFlight ??= read().finally(() => {
      inFlight = null
    })
    return inFlight
  }

  async function read() {
    loadError.value = null
    try {
      const loaded = await api.appInfo()
      markStartup('info')
      if (loaded.openError?.code === LOCKED) {
        // Locked meanwhile (idle): the login screen, not an error.
        const auth = useAuthStore()
        auth.markLocked(loaded.openError.message)
        // Without an accounts state to mark (it could not be read), say so rather than wait.
        if (!auth.locked) loadError.value = toApiError(loaded.openError)
      } else if (loaded.openError) {
        // The database could not be opened (newer schema, damaged file): say why, show no shell.
        loadError.value = toApiError(loaded.openError)
        info.value = null
      } else {
        info.value = loaded
      }
    } catch (e) {
      loadError.value = toApiError(e)
    }
  }

  async function loadOrgs(): Promise<Org[]> {
    orgs.value = await api.orgList()
    return orgs.value
  }

  function orgName(id: string | null | undefined): string {
    if (!id) return ''
    const org = orgs.value.find((o) => o.id === id)
    return org ? org.name : ''
  }

  return { info, loadError, orgs, deskOrg, isEmpty, load, loadOrgs, orgName }
})
