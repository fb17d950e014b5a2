import { inject, provide, type InjectionKey, type Ref } from 'vue'
import type { ApiError } from '../api'
import type { HearingDetail } from '../bindings'

/** What the hearing page shares with its tabs. */
export interface HearingContext {
  detail: Ref<HearingDetail | null>
  /** Runs a step that returns the new detail; a refusal is shown at the top of the page. */
  step: (fn: () => Promise<HearingDetail>) => Promise<boolean>
  /** Runs any other call with the same refusal display; undefined when it failed. */
  attempt: <T>(fn: () => Promise<T>) => Promise<T | undefined>
  reload: () => Promise<void>
  /** The last refusal or failure (shown at the top of the page; dialogs show it too). */
  error: Ref<ApiError | null>
}

const KEY: InjectionKey<HearingContext> = Symbol('hearing')

export function provideHearing(ctx: HearingContext) {
  provide(KEY, ctx)
}

export function useHearing(): HearingContext {
  const ctx = inject(KEY)
  if (!ctx) throw new Error('useHearing outside the hearing page')
  return ctx
}
