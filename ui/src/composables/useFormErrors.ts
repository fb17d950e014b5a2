import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, toApiError } from '../api'
import { fieldErrorMap, shiftListErrors, type ErrorMap } from '../utils/formErrors'

/**
 * Per-field error messages for one form. `err(path)` gives the message for an el-form-item's
 * `:error`; `fail(e)` shows a backend error (all field messages plus one summary).
 */
export function useFormErrors() {
  const errors = ref<ErrorMap>({})

  function err(path: string): string {
    return errors.value[path] ?? ''
  }

  function set(path: string, message: string | null | undefined) {
    const next = { ...errors.value }
    if (message) next[path] = message
    else delete next[path]
    errors.value = next
  }

  function clear() {
    errors.value = {}
  }

  function removeListItem(list: string, index: number) {
    errors.value = shiftListErrors(errors.value, list, index)
  }

  /** Shows an error from a save: field messages under their fields and a summary message. */
  function fail(e: unknown): ApiError {
    const apiError = toApiError(e)
    errors.value = apiError.isValidation ? fieldErrorMap(apiError.fields) : {}
    ElMessage({ type: 'error', message: apiError.message, showClose: true, duration: 5000 })
    return apiError
  }

  return { errors, err, set, clear, fail, removeListItem }
}
