import { onMounted, ref, type Ref } from 'vue'
import { toApiError } from '../api'
import { useOnPulled } from './useOnPulled'

/**
 * A list the 工作台 shows when it has something (待审批, 三单待办): loaded on mount and by `load()`;
 * a failure is kept as `error` (its message) instead of thrown. Reloaded after a sync brought
 * changes.
 */
export function useDeskList<T>(fetch: () => Promise<T[]>) {
  const items = ref([]) as Ref<T[]>
  const error = ref('')
  async function load() {
    try {
      items.value = await fetch()
      error.value = ''
    } catch (e) {
      error.value = toApiError(e).message
    }
  }
  onMounted(load)
  useOnPulled(load)
  return { items, error, load }
}
