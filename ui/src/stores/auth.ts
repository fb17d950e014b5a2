import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { listen } from '@tauri-apps/api/event'
import { api, onLocked } from '../api'
import { markStartup } from '../utils/startup'
import type { AuthState, CaseAction, HearingAction, Permission } from '../bindings'

/** The event the backend emits when it locks an idle desk by itself. */
export const LOCKED_EVENT = 'auth-locked'

/**
 * Who is at the desk: accounts set up or not, locked or logged in, the operator and what the
 * role may do. Any command that finds the desk locked (see `onLocked` in api.ts) and the
 * backend's idle lock switch the app to the login screen.
 */
export const useAuthStore = defineStore('auth', () => {
  const state = ref<AuthState | null>(null)
  /** The first look at the desk is done (the app may render). */
  const ready = ref(false)
  /** The user name last logged in, offered again on the login screen. */
  const lastLogin = ref('')
  let listening = false

  const locked = computed(() => state.value?.locked ?? false)
  const accounts = computed(() => state.value?.accounts ?? false)
  const operator = computed(() => state.value?.operator ?? null)

  /** Unknown state (outside the app, before the first look) allows everything: the backend refuses anyway. */
  function can(p: Permission): boolean {
    return state.value ? state.value.permissions.includes(p) : true
  }
  function canCase(a: CaseAction): boolean {
    return state.value ? state.value.caseActions.includes(a) : true
  }
  function canHearing(a: HearingAction): boolean {
    return state.value ? state.value.hearingActions.includes(a) : true
  }

  function set(s: AuthState) {
    state.value = s
    if (s.operator) lastLogin.value = s.operator.login
  }

  async function load(): Promise<AuthState | null> {
    try {
      const read = await api.authStateGet()
      markStartup('auth')
      set(read)
    } catch {
      // An older or absent backend: carry on as a desk without accounts; commands still answer.
      state.value = null
    } finally {
      ready.value = true
    }
    return state.value
  }

  /** A command found the desk locked, or the backend locked it: show the login screen. */
  function markLocked(message: string) {
    if (state.value) {
      state.value = {
        ...state.value,
        locked: true,
        operator: null,
        permissions: [],
        caseActions: [],
        hearingActions: [],
        reason: message || state.value.reason,
      }
    }
    // The backend knows the details (accounts, data folder): ask once more.
    void api
      .authStateGet()
      .then((s) => {
        state.value = { ...s, reason: s.reason ?? (message || null) }
      })
      .catch(() => undefined)
  }

  async function login(loginName: string, password: string) {
    set(await api.authLogin(loginName, password))
  }

  async function lock() {
    set(await api.authLock())
  }

  async function setup(loginName: string, name: string, password: string) {
    set(await api.authSetup(loginName, name, password))
  }

  /** Starts listening for the idle lock once; outside the app there is no event to hear. */
  async function listenForLock() {
    if (listening) return
    listening = true
    try {
      await listen<string>(LOCKED_EVENT, (e) => markLocked(e.payload))
    } catch {
      listening = false
    }
  }

  onLocked(markLocked)

  return {
    state,
    ready,
    lastLogin,
    locked,
    accounts,
    operator,
    can,
    canCase,
    canHearing,
    set,
    load,
    markLocked,
    login,
    lock,
    setup,
    listenForLock,
  }
})
