import { computed } from 'vue'
import type { CaseAction, HearingAction, Permission } from '../bindings'
import { useAuthStore } from '../stores/auth'

/**
 * What the logged-in operator's role may do, for hiding what it cannot use: a 只读 user sees no
 * edit buttons, a 记录员 no approval buttons. The lists come from the backend (`auth_state_get`),
 * which also refuses every step the role lacks — this only keeps the screens honest. A desk
 * without accounts allows everything.
 */
export function usePermissions() {
  const auth = useAuthStore()
  return {
    can: (p: Permission) => auth.can(p),
    canCase: (a: CaseAction) => auth.canCase(a),
    canHearing: (a: HearingAction) => auth.canHearing(a),
    operator: computed(() => auth.operator),
    /** Operator accounts are set up on this desk. */
    accounts: computed(() => auth.accounts),
  }
}
