import { onBeforeUnmount, reactive } from 'vue'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { BackupProgress } from '../bindings'

/** The event the backend emits while a backup or a restore runs. */
export const PROGRESS_EVENT = 'backup-progress'

/**
 * The progress of a backup or a restore (`op`), from the backend's events, while the component
 * lives: `start()` before the command, `stop()` after it.
 */
export function useBackupProgress(op: 'backup' | 'restore') {
  const progress = reactive({ running: false, stage: '', percent: 0 })
  let unlisten: UnlistenFn | null = null

  async function start() {
    Object.assign(progress, { running: true, stage: '', percent: 0 })
    if (unlisten) return
    try {
      unlisten = await listen<BackupProgress>(PROGRESS_EVENT, (e) => {
        if (e.payload.op !== op || !progress.running) return
        progress.stage = e.payload.stage
        progress.percent = e.payload.percent
      })
    } catch {
      // Outside the app there are no events: the button's spinner still shows the wait.
    }
  }

  function stop() {
    progress.running = false
  }

  onBeforeUnmount(() => {
    unlisten?.()
    unlisten = null
  })

  return { progress, start, stop }
}
