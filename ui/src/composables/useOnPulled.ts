import { watch } from 'vue'
import { useSyncStore } from '../stores/sync'

/**
 * Calls `reload` after every sync run that brought changes from other desks (a decision made on
 * the city's desk, a county's 反馈), so the screen shows them without a manual refresh.
 */
export function useOnPulled(reload: () => unknown) {
  const sync = useSyncStore()
  watch(
    () => sync.pulled,
    () => void reload(),
  )
}
