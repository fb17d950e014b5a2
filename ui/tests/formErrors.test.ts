import { describe, expect, it } from 'vitest'
import { fieldErrorMap, fieldPath, shiftListErrors } from '../src/utils/formErrors'
import { feedbackOf } from '../src/composables/useFieldCheck'

describe('fieldErrorMap', () => {
  it('keys messages by field path and joins several for one field', () => {
    const map = fieldErrorMap([
      { field: 'title', code: 'required', message: '请填写事项名称' },
      { field: 'petitioners.0.idNumber', code: 'a', message: '位数不对' },
      { field: 'petitioners.0.idNumber', code: 'b', message: '出生日期无效' },
      { field: 'rulings.1.date', code: 'date.format', message: '日期无效' },
    ])
    expect(map).toEqual({
      title: '请填写事项名称',
      'petitioners.0.idNumber': '位数不对；出生日期无效',
      'rulings.1.date': '日期无效',
    })
    expect(map[fieldPath('petitioners', 0, 'idNumber')]).toBe('位数不对；出生日期无效')
  })

  it('is empty for no errors', () => {
    expect(fieldErrorMap([])).toEqual({})
  })
})

describe('shiftListErrors', () => {
  const map = {
    title: 't',
    petitioners: 'list',
    'petitioners.0.name': 'n0',
    'petitioners.1.idNumber': 'id1',
    'petitioners.2.phone': 'p2',
    'rulings.1.date': 'd1',
  }

  it('drops the removed item and moves later ones up', () => {
    expect(shiftListErrors(map, 'petitioners', 1)).toEqual({
      title: 't',
      petitioners: 'list',
      'petitioners.0.name': 'n0',
      'petitioners.1.phone': 'p2',
      'rulings.1.date': 'd1',
    })
  })

  it('leaves other lists alone', () => {
    expect(shiftListErrors(map, 'rulings', 0)['rulings.0.date']).toBe('d1')
  })
})

describe('feedbackOf', () => {
  it('shows an invalid ID as an error', () => {
    expect(feedbackOf({ ok: false, normalised: '', message: '校验位不对', warning: false })).toEqual({
      error: '校验位不对',
      warning: '',
      normalised: null,
    })
  })

  it('gives the normalised value of a valid entry', () => {
    expect(feedbackOf({ ok: true, normalised: '13812345678', message: null, warning: false }).normalised).toBe(
      '13812345678',
    )
  })

  it('shows a doubtful credit code as a warning only', () => {
    const fb = feedbackOf({ ok: false, normalised: '91350100M000100Y44', message: '校验码不符', warning: true })
    expect(fb.error).toBe('')
    expect(fb.warning).toBe('校验码不符')
  })

  it('says nothing when there was no check', () => {
    expect(feedbackOf(null)).toEqual({ error: '', warning: '', normalised: null })
  })
})
