import { api } from '../api'

let reported = false

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
        api.startupReport(Date.now()).catch(() => undefined)
      } catch {
        // An app without the command (an older build): nothing to report to.
      }
    }, 0),
  )
}
