import { beforeEach, describe, expect, it, vi } from 'vitest'

const commands = vi.hoisted(() => ({
  caseGet: vi.fn(),
  authStateGet: vi.fn(),
}))
vi.mock('../src/bindings', () => ({ commands }))

import { api, ApiError } from '../src/api'

describe('api (derived from the generated commands)', () => {
  beforeEach(() => vi.clearAllMocks())

  it('passes the arguments through and unwraps an ok result', async () => {
    commands.caseGet.mockResolvedValue({ status: 'ok', data: { id: 'c1', title: '张某案' } })
    await expect(api.caseGet('c1')).resolves.toEqual({ id: 'c1', title: '张某案' })
    expect(commands.caseGet).toHaveBeenCalledWith('c1')
  })

  it('throws the error of an error result as an ApiError with its code', async () => {
    commands.caseGet.mockResolvedValue({
      status: 'error',
      error: { code: 'not_found', message: '找不到案件（c9）', fields: [], unmet: [] },
    })
    const e = await api.caseGet('c9').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).code).toBe('not_found')
    expect((e as ApiError).message).toBe('找不到案件（c9）')
  })

  it('returns the value of a command without a Result as it is', async () => {
    const state = { locked: false, accounts: false, operator: null, permissions: [], reason: null }
    commands.authStateGet.mockResolvedValue(state)
    await expect(api.authStateGet()).resolves.toBe(state)
  })

  it('is not a promise and has no commands but the generated ones', async () => {
    expect((api as unknown as { then?: unknown }).then).toBeUndefined()
    await expect(Promise.resolve(api)).resolves.toBe(api)
    expect((api as unknown as Record<string, unknown>).caseGett).toBeUndefined()
  })

  it('turns a rejected call into an internal ApiError', async () => {
    commands.caseGet.mockRejectedValue(new Error('bridge gone'))
    const e = await api.caseGet('c1').catch((x: unknown) => x)
    expect((e as ApiError).code).toBe('internal')
  })
})
