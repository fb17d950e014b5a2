import { describe, expect, it } from 'vitest'
import { ApiError, toApiError, unwrap } from '../src/api'
import type { AppError } from '../src/bindings'
import type { Result } from '../src/api'

const ok = <T>(data: T): Promise<Result<T, AppError>> => Promise.resolve({ status: 'ok', data })
const fail = (error: AppError): Promise<Result<never, AppError>> =>
  Promise.resolve({ status: 'error', error })

describe('unwrap', () => {
  it('returns the data of an ok result', async () => {
    await expect(unwrap(ok({ n: 1 }))).resolves.toEqual({ n: 1 })
  })

  it('throws an ApiError with code, message and fields for an error result', async () => {
    const fields = [{ field: 'petitioners.0.idNumber', code: 'id_number.check_digit', message: '校验位不对' }]
    const e = await unwrap(fail({ code: 'validation', message: '校验位不对', fields, unmet: [] })).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    const err = e as ApiError
    expect(err.code).toBe('validation')
    expect(err.isValidation).toBe(true)
    expect(err.message).toBe('校验位不对')
    expect(err.fields).toEqual(fields)
  })

  it('maps a rejected invoke (thrown Error) to an internal ApiError', async () => {
    const e = await unwrap(Promise.reject(new Error('bridge gone'))).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).code).toBe('internal')
    expect((e as ApiError).message).toBe('bridge gone')
  })

  it('maps a plain string error (unknown command) to an internal ApiError', async () => {
    const e = await unwrap(
      Promise.resolve({ status: 'error', error: 'command case_list not found' as unknown as AppError }),
    ).catch((x: unknown) => x)
    expect((e as ApiError).code).toBe('internal')
    expect((e as ApiError).message).toBe('command case_list not found')
    expect((e as ApiError).fields).toEqual([])
  })
})

describe('toApiError', () => {
  it('keeps an ApiError as it is', () => {
    const e = new ApiError('not_found', '未找到')
    expect(toApiError(e)).toBe(e)
  })

  it('tolerates an AppError without fields', () => {
    const e = toApiError({ code: 'not_found', message: '未找到该案件' })
    expect(e.code).toBe('not_found')
    expect(e.fields).toEqual([])
    expect(e.isValidation).toBe(false)
  })

  it('turns anything else into text', () => {
    expect(toApiError(42).message).toBe('42')
  })
})

describe('refusals', () => {
  it('keeps every unmet condition of a refused step', async () => {
    const unmet = ['尚未指定主持人', '公开听证须先发布听证公告']
    const e = await unwrap(fail({ code: 'refused', message: unmet.join('；'), fields: [], unmet })).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).isRefused).toBe(true)
    expect((e as ApiError).unmet).toEqual(unmet)
  })
})
