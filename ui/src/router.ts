import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
  { path: '/cases', name: 'cases', component: () => import('./views/CaseListView.vue') },
  { path: '/cases/new', name: 'case-new', component: () => import('./views/CaseFormView.vue') },
  {
    path: '/cases/:id/edit',
    name: 'case-edit',
    component: () => import('./views/CaseFormView.vue'),
    props: true,
  },
  {
    path: '/cases/:id',
    name: 'case-detail',
    component: () => import('./views/CaseDetailView.vue'),
    props: true,
  },
  { path: '/hearings', name: 'hearings', component: () => import('./views/HearingListView.vue') },
  {
    path: '/hearings/:id',
    name: 'hearing-detail',
    component: () => import('./views/HearingDetailView.vue'),
    props: true,
  },
  {
    path: '/hearings/:id/record',
    name: 'hearing-record',
    component: () => import('./views/RecordingView.vue'),
    props: true,
  },
  {
    path: '/documents',
    name: 'documents',
    component: () => import('./views/DocumentsView.vue'),
  },
  { path: '/persons', name: 'persons', component: () => import('./views/PersonsView.vue') },
  { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue') },
  { path: '/meetings', name: 'meetings', component: () => import('./views/MeetingsView.vue') },
  {
    path: '/meetings/:id',
    name: 'meeting-detail',
    component: () => import('./views/MeetingDetailView.vue'),
    props: true,
  },
  { path: '/bulletins', name: 'bulletins', component: () => import('./views/BulletinsView.vue') },
  { path: '/search', name: 'search', component: () => import('./views/SearchView.vue') },
  { path: '/sync', name: 'sync', component: () => import('./views/SyncView.vue') },
  { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
]

export function makeRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
