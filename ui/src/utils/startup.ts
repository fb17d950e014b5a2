import { api } from '../api'

let reported = false
const marks: Record<string, number> = {}

/**
 * Notes when a step of the start-up happened (`Date.now()`), for the start-up benchmark's
 * breakdown; only the first time of each name counts.
 */
export function markStartup(name: string): void {
  if (!(name in marks)) marks[name] = Date.now()
}

/**
 * Tells the app (once per start) that the 工作台 is interactive, with the time the UI saw. The
 * app writes it down only for the start-up benchmark (HEARINGDESK_STARTUP_REPORT); otherwise the
 * call does nothing. Sent after the next paint, so the figures are on screen. Never fails: it
 * only measures.
 */
export function reportStartup(): void {
  if (reported) return
  reported = true
  requestAnimationFrame(() =>
    setTimeout(() => {
      try {
        api
          .startupReport(Date.now(), { navigation: performance.timeOrigin, ...marks })
          .catch(() => undefined)
      } catch {
        // An app without the command (an older build): nothing to report to.
      }
    }, 0),
  )
}
