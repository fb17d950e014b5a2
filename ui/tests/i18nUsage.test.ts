import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '../src/i18n/zh-CN'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|ts)$/.test(n) ? [p] : []
  })
}

function has(path: string): boolean {
  let o: unknown = zhCN
  for (const k of path.split('.')) {
    if (typeof o !== 'object' || o === null || !(k in o)) return false
    o = (o as Record<string, unknown>)[k]
  }
  return typeof o === 'string'
}

describe('i18n keys used in the source', () => {
  it('every literal t(...) key exists', () => {
    const missing: string[] = []
    for (const f of files(join(__dirname, '../src'))) {
      const src = readFileSync(f, 'utf8')
      for (const m of src.matchAll(/\bt\('([A-Za-z0-9_.]+)'/g)) {
        const key = m[1] ?? ''
        if (!has(key)) missing.push(`${f.split('/src/')[1]}: ${key}`)
      }
    }
    expect(missing).toEqual([])
  })
})
