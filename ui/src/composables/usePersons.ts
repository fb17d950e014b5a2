import { api } from '../api'
import type { Person, PersonInput, PersonListQuery } from '../bindings'

export function emptyPersonQuery(page = 1, pageSize = 20): PersonListQuery {
  return { search: null, kind: null, level: null, active: null, sort: null, dir: null, page, pageSize }
}

export function emptyPersonInput(): PersonInput {
  return {
    name: '',
    kind: null,
    level: null,
    unit: '',
    title: '',
    phone: '',
    idNumber: '',
    licenceNo: '',
    lawFirm: '',
    expertise: '',
    termStart: '',
    termEnd: '',
    note: '',
  }
}

/** The form values of a stored person (full values, as `personGet` returns them). */
export function personToInput(p: Person): PersonInput {
  return {
    name: p.name,
    kind: p.kind,
    level: p.level,
    unit: p.unit,
    title: p.title,
    phone: p.phone ?? '',
    idNumber: p.idNumber ?? '',
    licenceNo: p.licenceNo ?? '',
    lawFirm: p.lawFirm ?? '',
    expertise: p.expertise,
    termStart: p.termStart ?? '',
    termEnd: p.termEnd ?? '',
    note: p.note,
  }
}

export async function countPersons(filter: Partial<PersonListQuery>): Promise<number> {
  const page = await api.personList({ ...emptyPersonQuery(1, 1), ...filter })
  return page.total
}

export function usePersons() {
  return {
    list: api.personList,
    get: api.personGet,
    create: api.personCreate,
    update: api.personUpdate,
    setActive: api.personSetActive,
    countPersons,
  }
}
