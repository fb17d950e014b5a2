// The statistics and warning commands (kept beside api.ts so the two areas stay apart).
import { commands } from '../bindings'
import type { ExportFormat, StatMeasure, StatsFilter } from '../bindings'
import { unwrap } from '../api'

export const statsApi = {
  /** Every measure for the filter. */
  get: (filter: StatsFilter) => unwrap(commands.statsGet(filter)),
  /** One measure (or all when `measure` is null) into the data folder's exports/; the path. */
  export: (filter: StatsFilter, measure: StatMeasure | null, format: ExportFormat) =>
    unwrap(commands.statsExport(filter, measure, format)),
  /** A chart's picture (`data:image/png;base64,…`) into exports/; the path. */
  savePng: (measure: StatMeasure, dataUrl: string) => unwrap(commands.statsSavePng(measure, dataUrl)),
  openExports: () => unwrap(commands.exportsOpenFolder()),
  /** Today's warnings, most urgent first: the first `limit` and the counts of all. */
  warnings: (limit: number | null) => unwrap(commands.warningsList(limit)),
}
