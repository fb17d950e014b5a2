import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import zhCN from '../src/i18n/zh-CN'
import enUS from '../src/i18n/en-US'
import { ApiError, toApiError } from '../src/api'
import { ERROR_CODES, ERROR_TITLES } from '../src/errors'
import RefusalAlert from '../src/components/RefusalAlert.vue'
import { plugins } from './helpers'

/** The literals of `export type ErrorCode = "a" | "b" …` in the generated bindings. */
function generatedCodes(): string[] {
  const source = readFileSync(join(__dirname, '../src/bindings.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
  const m = /export type ErrorCode\s*=([^;]*);/.exec(source)
  if (!m) throw new Error('bindings.ts has no ErrorCode union')
  return [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]).sort()
}

function leaf(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj)
}

describe('error codes', () => {
  it('the UI has a case for every code the backend can send, and no other', () => {
    const generated = generatedCodes()
    expect(generated.length).toBeGreaterThan(10)
    expect([...ERROR_CODES].sort()).toEqual(generated)
  })

  it('every code has its title in both languages', () => {
    for (const code of ERROR_CODES) {
      const key = ERROR_TITLES[code]
      expect(typeof leaf(zhCN, key), `${code} → ${key} (zh-CN)`).toBe('string')
      expect(typeof leaf(enUS, key), `${code} → ${key} (en-US)`).toBe('string')
    }
  })

  it('a code this UI does not know reads as internal, keeping the message', () => {
    const e = toApiError({ code: 'from_the_future', message: '新版本的错误' })
    expect(e.code).toBe('internal')
    expect(e.message).toBe('新版本的错误')
  })

  it('a failed step is titled by its code', async () => {
    const { list } = await plugins()
    const offline = new ApiError('offline', '无法连接同步服务器 http://127.0.0.1:9：connection refused')
    const w = mount(RefusalAlert, { props: { error: offline }, global: { plugins: list } })
    expect(w.text()).toContain('无法连接同步服务器，请检查网络后重试')
    expect(w.text()).toContain('connection refused')
  })
})
