import { ref } from 'vue'
import { ApiError, toApiError } from '../api'

/**
 * The state behind a `RefusalAlert`: `run(fn)` clears the last problem and warnings, runs a step and keeps
 * its error (a refusal with every unmet condition, or any other failure) instead of throwing.
 */
export function useRefusal() {
  const error = ref<ApiError | null>(null)
  const warnings = ref<string[]>([])

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    error.value = null
    warnings.value = []
    try {
      return await fn()
    } catch (e) {
      error.value = toApiError(e)
      return undefined
    }
  }

  function clear() {
    error.value = null
    warnings.value = []
  }

  return { error, warnings, run, clear }
}
