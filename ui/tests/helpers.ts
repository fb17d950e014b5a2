// Shared set-up for component tests: the real plugins, a memory router, and canned results.
import { createPinia, setActivePinia } from 'pinia'
import { elementPlus } from '../src/plugins/element'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n, setLocale } from '../src/i18n'
import { routes } from '../src/router'
import type { AppError, Org } from '../src/bindings'
import type { Result } from '../src/api'

export function ok<T>(data: T): Result<T, AppError> {
  return { status: 'ok', data }
}

export function err(error: AppError): Result<never, AppError> {
  return { status: 'error', error }
}

export const deskOrg: Org = {
  id: 'org-desk',
  parentId: null,
  name: '青山市委政法委',
  shortName: '市委政法委',
  kind: 'committee',
  code: 'QSZFW',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
}

export const courtOrg: Org = {
  ...deskOrg,
  id: 'org-court',
  parentId: 'org-desk',
  name: '青山市东河区人民法院',
  shortName: '东河法院',
  kind: 'court',
  code: 'DHFY',
}

export async function plugins(path = '/') {
  const pinia = createPinia()
  setActivePinia(pinia)
  setLocale('zh-CN')
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  await router.isReady()
  return { router, pinia, list: [pinia, router, i18n, elementPlus] }
}
