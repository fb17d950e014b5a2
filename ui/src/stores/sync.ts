import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listen } from '@tauri-apps/api/event'
import { api, toApiError } from '../api'
import type { SyncState } from '../bindings'

/** The event the backend emits with a `SyncState` after each run and when changes wait. */
export const SYNC_EVENT = 'sync-status'
/** The event the backend emits after a run that brought changes from other desks. */
export const PULLED_EVENT = 'sync-pulled'

/** The desk's sync state, shared by the header tag and the 同步 view, kept fresh by the event. */
export const useSyncStore = defineStore('sync', () => {
  const state = ref<SyncState | null>(null)
  const error = ref('')
  /** Counts the runs that brought changes from other desks: screens watch it to reload. */
  const pulled = ref(0)
  let listening = false

  async function refresh(): Promise<SyncState | null> {
    try {
      state.value = await api.syncStatus()
      error.value = ''
    } catch (e) {
      error.value = toApiError(e).message
    }
    return state.value
  }

  /** Starts listening once; outside the app (tests, a browser) there is no event to hear. */
  async function listenForUpdates() {
    if (listening) return
    listening = true
    try {
      await listen<SyncState>(SYNC_EVENT, (e) => {
        state.value = e.payload
      })
      await listen<number>(PULLED_EVENT, () => {
        pulled.value++
      })
    } catch {
      listening = false
    }
  }

  function set(s: SyncState) {
    state.value = s
  }

  return { state, error, pulled, refresh, listenForUpdates, set }
})
