import {
  computed,
  inject,
  provide,
  ref,
  toValue,
  watch,
  type ComputedRef,
  type InjectionKey,
  type MaybeRefOrGetter,
} from 'vue'
import { useI18n } from 'vue-i18n'
import { api } from '../api'
import { useAppStore } from '../stores/app'
import { useSyncStore } from '../stores/sync'

/**
 * Whether the data a page shows may be changed on this desk. On an enrolled desk the records of
 * another org — a county's case, its hearings and documents, seen at the city through sync — are
 * read-only: the store refuses any change to them. A page showing such data provides this state
 * once ([`provideReadOnly`], [`provideReadOnlyOfCase`]); every control below it that would change
 * the data is disabled when `readOnly` (`:disabled="readOnly || …"`) and wrapped in
 * `ReadOnlyTip`, which says why; `ReadOnlyNote` says it once at the top of the page.
 */
export interface ReadOnlyState {
  /** The name of the org owning the data when it is read-only here, else null. */
  owner: ComputedRef<string | null>
  readOnly: ComputedRef<boolean>
  /** Why the controls are disabled (for a tooltip); '' when the data is writable. */
  reason: ComputedRef<string>
}

const KEY: InjectionKey<ReadOnlyState> = Symbol('readOnly')

const WRITABLE: ReadOnlyState = {
  owner: computed(() => null),
  readOnly: computed(() => false),
  reason: computed(() => ''),
}

/**
 * The rule, as the store applies it: data of an org other than the desk's own is read-only once
 * the desk is enrolled with a sync server. Returns the owner's name (its id when the name is not
 * known), or null when the data may be changed here.
 */
export function readOnlyOwner(
  orgId: string | null | undefined,
  deskOrgId: string | null | undefined,
  enrolled: boolean,
  orgName: (id: string) => string,
): string | null {
  if (!orgId || !deskOrgId || !enrolled || orgId === deskOrgId) return null
  return orgName(orgId) || orgId
}

/** The read-only state of data owned by `orgId`, without providing it. */
export function readOnlyState(orgId: MaybeRefOrGetter<string | null | undefined>): ReadOnlyState {
  const { t } = useI18n()
  const app = useAppStore()
  const sync = useSyncStore()
  if (!sync.state) void sync.refresh()
  const owner = computed(() =>
    readOnlyOwner(toValue(orgId), app.deskOrg?.id, !!sync.state?.status.enrolled, app.orgName),
  )
  // The owner is named: load the org list once if no page has.
  watch(
    owner,
    (o) => {
      if (o && app.orgs.length === 0) app.loadOrgs().catch(() => undefined)
    },
    { immediate: true },
  )
  return {
    owner,
    readOnly: computed(() => owner.value !== null),
    reason: computed(() => (owner.value ? t('readOnly.tip', { org: owner.value }) : '')),
  }
}

/** Computes the read-only state of data owned by `orgId` and provides it to the page's components. */
export function provideReadOnly(orgId: MaybeRefOrGetter<string | null | undefined>): ReadOnlyState {
  const state = readOnlyState(orgId)
  provide(KEY, state)
  return state
}

/** The same for a page showing a case's hearing: the case (and so its org) is looked up by id. */
export function provideReadOnlyOfCase(caseId: MaybeRefOrGetter<string | null | undefined>): ReadOnlyState {
  const orgId = ref<string | null>(null)
  watch(
    () => toValue(caseId),
    async (id) => {
      orgId.value = null
      if (!id) return
      try {
        const c = await api.caseGet(id)
        if (toValue(caseId) === id) orgId.value = c.orgId
      } catch {
        // The page shows its own load error; the store refuses changes anyway.
      }
    },
    { immediate: true },
  )
  return provideReadOnly(orgId)
}

/** The state a page provided, or "writable" outside such a page. */
export function useReadOnly(): ReadOnlyState {
  return inject(KEY, WRITABLE)
}
